"""Public tests for week C1W2 (evaluation of a diagnostic model). Each prints 'All tests passed.' or raises with a
clear message.

Every expected number below is worked by hand in the comments. The hidden tests (grader/hidden/c1w2.py) reuse the
small data sets and the bootstrap helpers: :func:`auc_grid_units` (the grid every stratified resample's AUC lies on),
:func:`stratified_bootstrap_moments` (the exact mean and variance of those AUCs), :func:`bootstrap_values` and
:func:`check_bootstrap_spread`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.public_tests.framework import Checks, call

__all__ = [
    "Y",
    "PRED",
    "SERIES",
    "NO_POSITIVE",
    "NO_POSITIVE_CALL",
    "auc_grid_units",
    "stratified_bootstrap_moments",
    "bootstrap_values",
    "check_bootstrap_spread",
    "test_get_tp_tn_fp_fn",
    "test_get_accuracy",
    "test_get_prevalence",
    "test_get_sensitivity_specificity",
    "test_get_ppv_npv",
    "test_bootstrap_auc",
    "test_threshold_for_sensitivity",
]

# ten pictures; two predictions sit exactly on 0.5 (one positive, one negative)
#        index:  0    1    2    3    4    5    6    7    8    9
Y = np.array([1, 1, 1, 0, 0, 0, 0, 0, 1, 0])
PRED = np.array([0.9, 0.5, 0.3, 0.5, 0.2, 0.7, 0.1, 0.4, 0.6, 0.05])
# th = 0.5  -> calls + at 0, 1, 3, 5, 8: TP = 3 (0, 1, 8), FP = 2 (3, 5); calls - : FN = 1 (2), TN = 4 (4, 6, 7, 9)
# th = 0.25 -> calls + at 0, 1, 2, 3, 5, 7, 8: TP = 4, FP = 3; calls - at 4, 6, 9: TN = 3, FN = 0
# th = 0.65 -> calls + at 0, 5: TP = 1, FP = 1; FN = 3 (1, 2, 8), TN = 5
COUNTS = {0.5: (3, 4, 2, 1), 0.25: (4, 3, 3, 0), 0.65: (1, 5, 1, 3)}
NO_POSITIVE = (np.array([0, 0, 0]), np.array([0.2, 0.7, 0.4]))  # th 0.5: TP 0, TN 2, FP 1, FN 0
NO_POSITIVE_CALL = (np.array([1, 0, 0]), np.array([0.1, 0.2, 0.3]))  # th 0.5: TP 0, TN 2, FP 0, FN 1
# the same ten pictures as pandas Series with a shuffled index (use np.asarray(y) if you index by position)
SHUFFLED_INDEX = [17, 3, 8, 11, 0, 5, 2, 19, 7, 4]
SERIES = (pd.Series(Y, index=SHUFFLED_INDEX), pd.Series(PRED, index=SHUFFLED_INDEX))


def _scalar_cases(checks: Checks, name: str, fn, cases) -> None:
    for args, expected, case in cases:
        checks.close_enough(call(name, fn, *args, case=case), expected, case)


def _pair_cases(checks: Checks, name: str, fn, cases, labels) -> None:
    for args, expected, case in cases:
        pair = checks.pair(call(name, fn, *args, case=case), case)
        if pair is None:
            continue
        for got, want, label in zip(pair, expected, labels):
            checks.close_enough(
                got, want, f"{case} — {label}", hint="nan is expected: the denominator is 0" if np.isnan(want) else ""
            )


# ----------------------------------------------------------------------------------------------- counts
def test_get_tp_tn_fp_fn(get_tp_tn_fp_fn) -> None:
    checks = Checks("get_tp_tn_fp_fn")
    cases = [((Y, PRED, th), COUNTS[th], f"the ten pictures at th = {th}") for th in COUNTS]
    cases += [
        ((Y, PRED), COUNTS[0.5], "th left at its default 0.5 (pred == 0.5 is a positive call)"),
        ((*SERIES, 0.5), COUNTS[0.5], "y and pred as pandas Series with a shuffled index"),
        ((Y, PRED.astype(np.float32), 0.5), COUNTS[0.5], "pred as float32"),
        ((*NO_POSITIVE, 0.5), (0, 2, 1, 0), "no positive picture"),
    ]
    for args, expected, case in cases:
        got = call("get_tp_tn_fp_fn", get_tp_tn_fp_fn, *args, case=case)
        checks.vectors_close(got, expected, f"{case} — (tp, tn, fp, fn)", atol=0, rtol=0)
    checks.done()


def test_get_accuracy(get_accuracy) -> None:
    checks = Checks("get_accuracy")
    _scalar_cases(
        checks,
        "get_accuracy",
        get_accuracy,
        [
            ((Y, PRED, 0.5), 0.7, "the ten pictures at th = 0.5: (TP 3 + TN 4) / 10"),
            ((Y, PRED, 0.65), 0.6, "the ten pictures at th = 0.65: (TP 1 + TN 5) / 10"),
            ((Y, PRED), 0.7, "th left at its default 0.5"),
            ((*SERIES, 0.25), 0.7, "pandas Series at th = 0.25: (TP 4 + TN 3) / 10"),
            ((*NO_POSITIVE, 0.5), 2 / 3, "no positive picture: 2 of 3 right"),
            # on the ten pictures the two ties at 0.5 cancel out under pred > th; here they do not
            (
                (np.array([1, 0]), np.array([0.5, 0.75]), 0.5),
                0.5,
                "a positive exactly at th = 0.5 (pred >= th is positive)",
            ),
        ],
    )
    checks.done()


def test_get_prevalence(get_prevalence) -> None:
    checks = Checks("get_prevalence")
    _scalar_cases(
        checks,
        "get_prevalence",
        get_prevalence,
        [
            ((Y,), 0.4, "the ten pictures: 4 positive"),
            ((SERIES[0],), 0.4, "the same labels as a pandas Series"),
            ((NO_POSITIVE[0],), 0.0, "no positive picture"),
            ((np.array([1.0, 1.0]),), 1.0, "labels stored as floats, all positive"),
        ],
    )
    checks.done()


def test_get_sensitivity_specificity(get_sensitivity_specificity) -> None:
    checks = Checks("get_sensitivity_specificity")
    _pair_cases(
        checks,
        "get_sensitivity_specificity",
        get_sensitivity_specificity,
        [
            ((Y, PRED, 0.5), (3 / 4, 4 / 6), "the ten pictures at th = 0.5: TP 3 of 4 positives, TN 4 of 6 negatives"),
            ((Y, PRED, 0.25), (1.0, 0.5), "the ten pictures at th = 0.25"),
            ((Y, PRED), (3 / 4, 4 / 6), "th left at its default 0.5"),
            ((*SERIES, 0.65), (1 / 4, 5 / 6), "pandas Series at th = 0.65"),
            ((*NO_POSITIVE, 0.5), (np.nan, 2 / 3), "no positive picture (sensitivity = 0 / 0)"),
        ],
        ("sensitivity", "specificity"),
    )
    checks.done()


def test_get_ppv_npv(get_ppv_npv) -> None:
    checks = Checks("get_ppv_npv")
    _pair_cases(
        checks,
        "get_ppv_npv",
        get_ppv_npv,
        [
            ((Y, PRED, 0.5), (3 / 5, 4 / 5), "the ten pictures at th = 0.5: TP 3 of 5 positive calls, TN 4 of 5"),
            ((Y, PRED, 0.25), (4 / 7, 1.0), "the ten pictures at th = 0.25"),
            ((Y, PRED), (3 / 5, 4 / 5), "th left at its default 0.5"),
            ((*SERIES, 0.65), (1 / 2, 5 / 8), "pandas Series at th = 0.65"),
            ((*NO_POSITIVE_CALL, 0.5), (np.nan, 2 / 3), "no positive call (PPV = 0 / 0)"),
            ((*NO_POSITIVE, 0.5), (0.0, 1.0), "no positive picture, one false positive"),
        ],
        ("PPV", "NPV"),
    )
    checks.done()


# ----------------------------------------------------------------------------------------------- bootstrap
def auc_grid_units(aucs, y) -> np.ndarray:
    """Each AUC times (positives x negatives): whole numbers for every resample that keeps both class counts.

    With distinct scores, the AUC of a sample with P positives and N negatives is (number of correctly ordered
    positive-negative pairs) / (P N); a stratified resample has P positives and N negatives again.
    """
    y = np.asarray(y) == 1
    return np.asarray(aucs, dtype=float) * y.sum() * (~y).sum()


def stratified_bootstrap_moments(y, pred) -> tuple[float, float]:
    """Exact mean and variance of the AUC over stratified resamples with replacement (no simulation needed).

    The AUC of a resample is sum_ij c_i d_j h_ij / (P N), where h_ij is 1 (0.5 for a tie, 0 otherwise) when positive
    i scores above negative j, and the multiplicities c (of the P positives) and d (of the N negatives) are
    independent Multinomial(P, 1/P) and Multinomial(N, 1/N) draws: E[c_i c_k] = 1 + [i = k] - 1/P.
    """
    y, pred = np.asarray(y) == 1, np.asarray(pred, dtype=float)
    pos, neg = pred[y], pred[~y]
    n_pos, n_neg = len(pos), len(neg)
    h = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    c = np.full((n_pos, n_pos), 1 - 1 / n_pos) + np.eye(n_pos)
    d = np.full((n_neg, n_neg), 1 - 1 / n_neg) + np.eye(n_neg)
    mean = float(h.mean())
    return mean, float(np.sum(h * (c @ h @ d)) / (n_pos * n_neg) ** 2 - mean**2)


# 2 positives (0.8, 0.4) and 3 negatives (0.6, 0.2, 0.7): 4 of the 6 positive-negative pairs are ordered right
# (0.8 beats all three negatives, 0.4 beats 0.2), so the AUC of the data is 4/6
SMALL_Y, SMALL_PRED = np.array([1, 0, 1, 0, 0]), np.array([0.8, 0.6, 0.4, 0.2, 0.7])
SEPARATED_Y, SEPARATED_PRED = np.array([0, 0, 1, 0, 1]), np.array([0.1, 0.2, 0.8, 0.3, 0.9])


def bootstrap_values(checks: Checks, fn, args: tuple, n: int, case: str):
    """Call ``bootstrap_auc`` and check that it returns ``n`` numbers; returns them (or None after a failure)."""
    values = checks.vector(call("bootstrap_auc", fn, *args, case=case), case)
    if values is None:
        return None
    if not checks.that(
        len(values) == n,
        f"{case}: expected {n} AUCs, got {len(values)}" if checks.public else f"{case}: wrong number of AUCs",
    ):
        return None
    if not checks.that(
        bool(np.isfinite(values).all()),
        f"{case}: some AUCs are not numbers (NaN): every resample "
        "must contain the same numbers of positive and negative pictures as the data",
    ):
        return None
    return values


def check_bootstrap_spread(checks: Checks, values, y, pred, case: str, *, low: float, high: float) -> None:
    """The spread of the returned AUCs is that of stratified resampling with replacement (within [low, high])."""
    _, variance = stratified_bootstrap_moments(y, pred)
    ratio = float(np.var(values, ddof=1) / variance)
    shown = (
        (
            f" (standard deviation {np.std(values, ddof=1):.4f}; stratified resamples with replacement give "
            f"about {np.sqrt(variance):.4f})"
        )
        if checks.public
        else ""
    )
    checks.that(
        low <= ratio <= high,
        f"{case}: the AUCs do not vary as much as stratified resampling with replacement makes them vary{shown}"
        if ratio < low
        else f"{case}: the AUCs vary more than stratified resampling with replacement makes them vary{shown}",
    )


def test_bootstrap_auc(bootstrap_auc) -> None:
    checks = Checks("bootstrap_auc")
    case = "perfectly separated classes (every resample keeps them separated)"
    values = bootstrap_values(checks, bootstrap_auc, (SEPARATED_Y, SEPARATED_PRED, 20, 0), 20, case)
    if values is not None:
        checks.vectors_close(values, np.ones(20), case)
    case = "2 positives and 3 negatives, 30 resamples"
    first = bootstrap_values(checks, bootstrap_auc, (SMALL_Y, SMALL_PRED, 30, 0), 30, case)
    if first is not None:
        units = auc_grid_units(first, SMALL_Y)
        checks.that(
            np.allclose(units, np.round(units), atol=1e-3),
            f"{case}: every AUC must be a multiple of 1/6 (each resample has 2 positives and 3 negatives, so "
            f"6 pairs); got {sorted(set(np.round(first, 4)))[:6]}: resample positives and negatives "
            "separately",
        )
        again = bootstrap_values(checks, bootstrap_auc, (SMALL_Y, SMALL_PRED, 30, 0), 30, case)
        other = bootstrap_values(checks, bootstrap_auc, (SMALL_Y, SMALL_PRED, 30, 1), 30, case)
        if again is not None and other is not None:
            checks.that(
                np.array_equal(first, again),
                f"{case}: two calls with seed 0 gave different AUCs; create "
                "the generator once with np.random.default_rng(seed) and draw everything from it",
            )
            checks.that(
                not np.array_equal(first, other),
                f"{case}: seeds 0 and 1 gave the same AUCs; draw from np.random.default_rng(seed)",
            )
    case = "pandas Series with a shuffled index (np.asarray(y) lets you index by position)"
    values = bootstrap_values(checks, bootstrap_auc, (*SERIES, 20, 0), 20, case)
    if values is not None:
        units = 2 * auc_grid_units(values, Y)  # a positive and a negative tie at 0.5: half credit for that pair
        checks.that(
            np.allclose(units, np.round(units), atol=1e-3),
            f"{case}: every AUC must be a multiple of 1/48 (4 positives, 6 negatives, 24 pairs, ties count one half)",
        )
    case = "2 positives and 3 negatives, 200 resamples"
    values = bootstrap_values(checks, bootstrap_auc, (SMALL_Y, SMALL_PRED, 200, 0), 200, case)
    if values is not None:
        check_bootstrap_spread(checks, values, SMALL_Y, SMALL_PRED, case, low=0.6, high=1.5)
    checks.done()


# ----------------------------------------------------------------------------------------------- operating point
def test_threshold_for_sensitivity(threshold_for_sensitivity) -> None:
    checks = Checks("threshold_for_sensitivity")
    # positives score 0.9, 0.8, 0.4, 0.3 (highest first); negatives 0.6, 0.2, 0.1
    y, pred = np.array([1, 0, 1, 1, 0, 1, 0]), np.array([0.9, 0.6, 0.4, 0.8, 0.2, 0.3, 0.1])
    _scalar_cases(
        checks,
        "threshold_for_sensitivity",
        threshold_for_sensitivity,
        [
            ((y, pred, 0.2), 0.9, "target 0.2: one positive of 4 (0.25) is enough, so the highest positive score"),
            ((y, pred, 0.6), 0.4, "target 0.6: 2 of 4 (0.5) is not enough, 3 of 4 (0.75) is: the third-highest"),
            ((y, pred, 0.7), 0.4, "target 0.7: 3 of 4 (0.75) is enough"),
            ((y, pred, 0.8), 0.3, "target 0.8: all 4 positives are needed"),
            ((y, pred, 1.0), 0.3, "target 1: every positive must be called, the lowest positive score"),
            ((pd.Series(y), pd.Series(pred), 0.6), 0.4, "pandas Series, target 0.6"),
            (
                (y, np.array([0.9, 0.6, 0.4, 0.4, 0.2, 0.3, 0.1]), 0.3),
                0.4,
                "two positives tied at 0.4, target 0.3: at 0.4 sensitivity is 3/4",
            ),
        ],
    )
    checks.done()
