"""Hidden tests for week C1W2. Failure messages say what kind of case fails, never the expected values.

Every prediction and threshold of the randomized cases is a multiple of 1/128 (or 1/64), exact in float32 and
float64, so whether ``pred >= th`` holds never depends on the learner's dtype (the public ten pictures are not exact,
which is why thresholds are compared with a relative tolerance of 1e-6). Randomized cases are compared with the reference solutions
(helpers.solutions.c1w2, generated from the master), which tests/test_c1w2_reference.py in turn checks against
scikit-learn on hundreds of data sets. ``bootstrap_auc`` is judged only by properties that hold whatever order a
learner draws in: the number of AUCs, reproducibility, the grid every stratified resample's AUC lies on, and the mean
and spread of the AUCs compared with their exact values under stratified resampling with replacement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.public_tests.c1w2 import (
    NO_POSITIVE,
    NO_POSITIVE_CALL,
    PRED,
    SERIES,
    Y,
    auc_grid_units,
    bootstrap_values,
    check_bootstrap_spread,
    stratified_bootstrap_moments,
)
from helpers.public_tests.framework import Checks, call, hidden_check
from helpers.solutions import c1w2 as ref

THRESHOLDS = (0.5, 0.25, 0.375, 0.625, 0.75, 1 / 64, 0.0, 1.0, 63 / 64)


def _forms(y: np.ndarray, pred: np.ndarray, i: int, rng):
    """The same labels and predictions in one of the forms a learner's function must accept."""
    form = i % 6
    if form == 1:
        return y.astype(float), pred, "labels as floats"
    if form == 2:
        return y.astype(bool), pred.astype(np.float32), "boolean labels, float32 predictions"
    if form == 3:
        index = rng.permutation(len(y)) + 100
        return pd.Series(y, index=index), pd.Series(pred, index=index), "pandas Series with a shuffled index"
    if form == 4:
        return y.astype(np.int8), pred.astype(np.float32), "int8 labels, float32 predictions"
    if form == 5:
        return pd.Series(y), pred, "labels as a Series, predictions as an array"
    return y, pred, "integer labels"


def random_cases(seed: int, count: int):
    """(y, pred, th, description): 1-60 pictures, prevalence 0 to 1, predictions on a 1/64 grid (many ties with th)."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        n = int(rng.integers(1, 61))
        prevalence = rng.choice([0.0, 0.05, 0.2, 1 / 3, 0.5, 0.8, 1.0])
        y = (rng.random(n) < prevalence).astype(int)
        pred = rng.integers(0, 65, size=n) / 64
        th = float(THRESHOLDS[i % len(THRESHOLDS)])
        y_, pred_, form = _forms(y, pred, i, rng)
        yield y_, pred_, th, f"random case #{i} ({form}, {n} pictures)"


# a few fixed cases every threshold exercise meets: ties at th, empty classes, one picture, th at the extremes
FIXED = [
    (Y, PRED, 0.5, "predictions equal to the threshold in both classes"),
    (*SERIES, 0.25, "pandas Series with a shuffled index"),
    (*NO_POSITIVE, 0.5, "no positive picture"),
    (*NO_POSITIVE_CALL, 0.5, "no positive call"),
    (np.array([1, 1, 1]), np.array([0.5, 0.75, 0.25]), 0.5, "every picture positive"),
    (np.array([1, 0, 0, 1]), np.array([0.25, 0.5, 0.75, 1.0]), 0.0, "threshold 0: everything called positive"),
    (np.array([0, 1, 0, 1]), np.array([0.25, 0.5, 0.75, 0.875]), 1.0, "threshold 1: nothing called positive"),
    (np.array([0]), np.array([0.5]), 0.5, "a single negative picture exactly at the threshold"),
    (np.array([1]), np.array([0.5]), 0.5, "a single positive picture exactly at the threshold"),
    (Y.astype(bool), PRED.astype(np.float32), 0.5, "boolean labels and float32 predictions with ties at 0.5"),
]


def _threshold_cases(seed: int, count: int = 40):
    return FIXED + list(random_cases(seed, count))


# ----------------------------------------------------------------------------------------------- counts and rates
@hidden_check
def check_get_tp_tn_fp_fn(fn) -> None:
    checks = Checks("get_tp_tn_fp_fn", public=False)
    for y, pred, th, case in _threshold_cases(801):
        got = call("get_tp_tn_fp_fn", fn, y, pred, th, case=case)
        checks.vectors_close(got, ref.get_tp_tn_fp_fn(y, pred, th), f"{case} — (tp, tn, fp, fn)", rtol=0, atol=0)
    got = call("get_tp_tn_fp_fn", fn, Y, PRED, case="the default threshold")
    checks.vectors_close(got, ref.get_tp_tn_fp_fn(Y, PRED), "the default threshold", rtol=0, atol=0)
    checks.done()


@hidden_check
def check_get_accuracy(fn) -> None:
    checks = Checks("get_accuracy", public=False)
    for y, pred, th, case in _threshold_cases(802):
        checks.close_enough(call("get_accuracy", fn, y, pred, th, case=case), ref.get_accuracy(y, pred, th), case)
    checks.close_enough(
        call("get_accuracy", fn, Y, PRED, case="the default threshold"),
        ref.get_accuracy(Y, PRED),
        "the default threshold",
    )
    checks.done()


@hidden_check
def check_get_prevalence(fn) -> None:
    checks = Checks("get_prevalence", public=False)
    for y, _, _, case in _threshold_cases(803):
        checks.close_enough(call("get_prevalence", fn, y, case=case), ref.get_prevalence(y), case)
    checks.close_enough(
        call("get_prevalence", fn, np.array([0, 1, 0]), case="one positive in three"), 1 / 3, "one positive in three"
    )
    checks.done()


def _pair_case(checks: Checks, name: str, fn, reference, args, case: str, labels) -> None:
    pair = checks.pair(call(name, fn, *args, case=case), case)
    if pair is None:
        return
    for got, want, label in zip(pair, reference(*args), labels):
        checks.close_enough(
            got, want, f"{case} — {label}", hint="this value does not exist here (0 / 0)" if np.isnan(want) else ""
        )


@hidden_check
def check_get_sensitivity_specificity(fn) -> None:
    checks = Checks("get_sensitivity_specificity", public=False)
    for y, pred, th, case in _threshold_cases(804):
        _pair_case(
            checks,
            "get_sensitivity_specificity",
            fn,
            ref.get_sensitivity_specificity,
            (y, pred, th),
            case,
            ("sensitivity", "specificity"),
        )
    _pair_case(
        checks,
        "get_sensitivity_specificity",
        fn,
        ref.get_sensitivity_specificity,
        (Y, PRED),
        "the default threshold",
        ("sensitivity", "specificity"),
    )
    checks.done()


@hidden_check
def check_get_ppv_npv(fn) -> None:
    checks = Checks("get_ppv_npv", public=False)
    for y, pred, th, case in _threshold_cases(805):
        _pair_case(checks, "get_ppv_npv", fn, ref.get_ppv_npv, (y, pred, th), case, ("PPV", "NPV"))
    _pair_case(checks, "get_ppv_npv", fn, ref.get_ppv_npv, (Y, PRED), "the default threshold", ("PPV", "NPV"))
    checks.done()


# ----------------------------------------------------------------------------------------------- bootstrap
def bootstrap_case(n_pos: int, n_neg: int, seed: int, *, shift: float = 2.0):
    """Labels and distinct scores (multiples of 1/128) with the classes interleaved in random positions.

    In array order, the first and the last positive score below every negative, and the first and the last negative
    above every positive; the pictures in between are well separated. A resampler that can never draw the first or
    the last picture of a class therefore centres its AUCs in the wrong place.
    """
    rng = np.random.default_rng(seed)
    n_mid = n_pos + n_neg - 4
    if n_pos < 2 or n_neg < 2 or n_mid + 4 > 124:
        raise ValueError("need at least 2 pictures of each class and at most 124 in all")
    latent = np.r_[rng.normal(shift, 1, n_pos - 2), rng.normal(0, 1, n_neg - 2)]
    mid = (np.argsort(np.argsort(latent)) + 3) / 128  # distinct: 3/128 ... (n_mid + 2)/128
    positives = np.r_[1 / 128, mid[: n_pos - 2], 2 / 128]
    negatives = np.r_[127 / 128, mid[n_pos - 2 :], 126 / 128]
    is_pos = np.zeros(n_pos + n_neg, dtype=bool)
    is_pos[rng.choice(n_pos + n_neg, size=n_pos, replace=False)] = True
    y, pred = is_pos.astype(int), np.empty(n_pos + n_neg)
    pred[is_pos], pred[~is_pos] = positives, negatives
    return y, pred


IMBALANCED = bootstrap_case(5, 40, seed=811)  # the positives' resampling makes almost all of the spread
MIRRORED = bootstrap_case(40, 5, seed=812)  # the negatives' resampling makes almost all of the spread
BALANCED = bootstrap_case(20, 20, seed=813, shift=4.0)
# ties across the classes count one half each: AUCs lie on a grid of 1 / (2 P N)
TIED = (np.array([1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0]), np.array([6, 2, 4, 4, 4, 0, 6, 8, 2, 4, 2, 0]) / 8)


def _grid_check(checks: Checks, values, y, case: str, *, ties: bool = False) -> None:
    units = auc_grid_units(values, y) * (2 if ties else 1)
    checks.that(
        bool(np.allclose(units, np.round(units), atol=1e-3)),
        f"{case}: some AUCs are impossible for a resample with as many positives and negatives as the data "
        "(resample the positives and the negatives separately, keeping their counts)",
    )


def _mean_check(checks: Checks, values, y, pred, case: str) -> None:
    """The mean AUC of stratified resamples is the AUC of the data; allow 5 standard errors."""
    mean, variance = stratified_bootstrap_moments(y, pred)
    z = abs(float(np.mean(values)) - mean) / np.sqrt(variance / len(values))
    checks.that(
        z <= 5,
        f"{case}: the AUCs are centred in the wrong place (each resample must keep every "
        "picture's label with its prediction, and every picture must have a chance to be drawn)",
    )


@hidden_check
def check_bootstrap_auc(fn) -> None:
    checks = Checks("bootstrap_auc", public=False)
    for (y, pred), n, case, bounds in [
        (IMBALANCED, 250, "5 positives among 45 pictures", (0.6, 1.6)),
        (MIRRORED, 250, "5 negatives among 45 pictures", (0.6, 1.6)),
        (BALANCED, 150, "20 positives and 20 negatives", (0.55, 1.7)),
    ]:
        values = bootstrap_values(checks, fn, (y, pred, n, 7), n, case)
        if values is None:
            continue
        _grid_check(checks, values, y, case)
        _mean_check(checks, values, y, pred, case)
        check_bootstrap_spread(checks, values, y, pred, case, low=bounds[0], high=bounds[1])
        if checks.failures:  # stop early: every resample costs a roc_auc_score call, and one failure is enough
            checks.done()
    case = "tied predictions across the classes"
    values = bootstrap_values(checks, fn, (*TIED, 100, 3), 100, case)
    if values is not None:
        _grid_check(checks, values, TIED[0], case, ties=True)
        _mean_check(checks, values, *TIED, case)
    case = "the same seed twice, then another seed"
    first, again, other = (bootstrap_values(checks, fn, (*IMBALANCED, 25, seed), 25, case) for seed in (5, 5, 6))
    if first is not None and again is not None and other is not None:
        checks.that(np.array_equal(first, again), f"{case}: the same seed must give the same AUCs")
        checks.that(not np.array_equal(first, other), f"{case}: different seeds must give different AUCs")
    rng = np.random.default_rng(814)
    for i in range(6):
        y, pred = bootstrap_case(int(rng.integers(2, 9)), int(rng.integers(2, 30)), seed=820 + i)
        y_, pred_, form = _forms(y, pred, i, rng)
        case = f"random case #{i} ({form})"
        values = bootstrap_values(checks, fn, (y_, pred_, 20, i), 20, case)
        if values is not None:
            _grid_check(checks, values, y, case)
    bootstrap_values(checks, fn, (*IMBALANCED, 1, 0), 1, "a single resample")
    checks.done()


# ----------------------------------------------------------------------------------------------- operating point
def sensitivity_targets(n_pos: int, rng, count: int = 3):
    """Targets k/P + a fraction of 1/P (never a whole number of positives), just above and just below k/P, and 1."""
    targets = [float((int(rng.integers(0, n_pos)) + rng.uniform(0.1, 0.9)) / n_pos) for _ in range(count)]
    k = int(rng.integers(1, n_pos + 1))
    targets += [k / n_pos + 1e-6 if k < n_pos else 1.0, k / n_pos - 1e-6, 1.0]
    return targets


@hidden_check
def check_threshold_for_sensitivity(fn) -> None:
    checks = Checks("threshold_for_sensitivity", public=False)
    rng = np.random.default_rng(830)
    cases = [
        (Y, PRED, t, f"the ten pictures, target {label}")
        for t, label in [(0.3, "0.3"), (0.55, "0.55"), (0.8, "0.8"), (1.0, "1")]
    ]
    cases += [
        (np.array([1, 1, 1, 0]), np.array([0.5, 0.5, 0.5, 0.75]), 0.4, "all positives tied"),
        (np.array([0, 1]), np.array([0.75, 0.25]), 0.5, "a single positive below the negative"),
    ]
    # targets met exactly ("at least"): k / P is exact in binary for P = 4 and 8, whichever way a learner computes it
    four = (np.array([1, 1, 1, 1, 0, 0]), np.array([0.875, 0.75, 0.375, 0.25, 0.5, 0.125]))
    eight = (
        np.array([1] * 8 + [0] * 3),
        np.array([0.96875, 0.9375, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.8125, 0.4375, 0.0625]),
    )
    cases += [(*four, t, "4 positives, a target met exactly by k of them") for t in (0.25, 0.5, 0.75)]
    cases += [(*eight, t, "8 positives, a target met exactly by k of them") for t in (0.375, 0.625, 0.875)]
    for i in range(25):
        n_pos, n_neg = int(rng.integers(1, 25)), int(rng.integers(0, 25))
        y = rng.permutation(np.r_[np.ones(n_pos, int), np.zeros(n_neg, int)])
        pred = rng.integers(0, 33, size=n_pos + n_neg) / 32  # a coarse grid: ties among the positives
        y_, pred_, form = _forms(y, pred, i, rng)
        for target in sensitivity_targets(n_pos, rng):
            cases.append((y_, pred_, target, f"random case #{i} ({form}, {n_pos} positives)"))
    for y, pred, target, case in cases:
        got = call("threshold_for_sensitivity", fn, y, pred, target, case=case)
        # rtol 1e-6: a threshold computed from float32 predictions is the same prediction, rounded
        checks.close_enough(got, ref.threshold_for_sensitivity(y, pred, target), case, rtol=1e-6, atol=0)
    checks.done()
