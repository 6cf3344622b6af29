"""Hidden tests for week C2W1. Failure messages say what kind of case fails, never the expected values.

Randomized cases are compared with the reference solutions (helpers.solutions.c2w1, generated from the master),
which tests/test_c2w1_reference.py in turn checks against scikit-learn and hand-computed formulas.
"""

from __future__ import annotations

import string
import warnings

import numpy as np
import pandas as pd

from helpers.public_tests.framework import Checks, call, hidden_check
from helpers.solutions import c2w1 as ref

NAMES = ["Age", "BMI", "Waist", "SystolicBP", "DiastolicBP", "TotalCholesterol", "HDL"]


def _positive_frame(
    rng, n_rows: int, n_cols: int, *, index_start: int = 100, integers: bool = False, names=None
) -> pd.DataFrame:
    """Strictly positive, right-skewed columns with different scales and a shuffled, non-default index."""
    names = list(names or NAMES[:n_cols])
    scales = rng.uniform(0.5, 200, size=n_cols)
    values = rng.lognormal(mean=0.0, sigma=rng.uniform(0.2, 1.0, size=n_cols), size=(n_rows, n_cols)) * scales
    if integers:
        values = np.maximum(1, np.round(values)).astype(int)
    index = rng.permutation(n_rows) + index_start
    return pd.DataFrame(values, columns=names, index=index)


# --------------------------------------------------------------------------------------------- make_standard_normal


def _standard_normal_case(checks: Checks, fn, train: pd.DataFrame, test: pd.DataFrame, case: str) -> None:
    pair = checks.pair(call("make_standard_normal", fn, train, test, case=case), case)
    if pair is None:
        return
    expected_train, expected_test = ref.make_standard_normal(train, test)
    # float32 arithmetic is a correct answer: standardized values carry errors of about 1e-6 then
    checks.frames_close(pair[0], expected_train, f"{case} — training frame", rtol=1e-4, atol=1e-5)
    checks.frames_close(pair[1], expected_test, f"{case} — test frame", rtol=1e-4, atol=1e-5)


@hidden_check
def check_make_standard_normal(fn) -> None:
    checks = Checks("make_standard_normal", public=False)
    rng = np.random.default_rng(101)
    two = pd.DataFrame({"HDL": [40.0, 90.0], "Age": [30.0, 60.0]}, index=[5, 2])
    fixed = [
        (two, two.iloc[[1]] * 2, "a training frame of only two rows"),
        (_positive_frame(rng, 4, 3), _positive_frame(rng, 1, 3, index_start=900), "a single test row"),
        (_positive_frame(rng, 5, 1), _positive_frame(rng, 3, 1, index_start=900), "a single column"),
        (
            _positive_frame(rng, 6, 4, integers=True),
            _positive_frame(rng, 4, 4, index_start=900, integers=True),
            "integer-valued columns",
        ),
        (
            _positive_frame(rng, 8, 3) * 1e4,
            _positive_frame(rng, 3, 3, index_start=900) * 1e-3,
            "a test set on a very different scale from the training set",
        ),
    ]
    for train, test, case in fixed:
        _standard_normal_case(checks, fn, train, test, case)
    for i in range(25):
        n_cols = int(rng.integers(1, 8))
        train = _positive_frame(rng, int(rng.integers(3, 30)), n_cols)
        test = _positive_frame(rng, int(rng.integers(1, 15)), n_cols, index_start=1000) * rng.uniform(0.5, 2.0)
        _standard_normal_case(checks, fn, train, test, f"random frames #{i}")
    checks.done()


# --------------------------------------------------------------------------------------------- lr_model


def _binary_data(rng, n: int, p: int, *, numpy: bool = False):
    """Noisy (never separable in practice) outcomes from a logistic model; features off-centre, different scales."""
    centres, scales = rng.normal(0, 3, size=p), rng.uniform(0.5, 4, size=p)
    X = rng.normal(size=(n, p)) * scales + centres
    logit = (X - centres) / scales @ rng.normal(0, 1.5, size=p) + rng.normal(-0.8, 0.5)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    y[:2] = [0, 1]  # both classes present
    if numpy:
        return X, y
    index = rng.permutation(n) + 500
    return pd.DataFrame(X, columns=NAMES[:p], index=index), pd.Series(y, index=index, name="Diabetes")


def _lr_case(checks: Checks, fn, X, y, case: str, X_new=None) -> None:
    model = call("lr_model", fn, X, y, case=case)
    if isinstance(model, (np.ndarray, pd.Series, pd.DataFrame, list, tuple)) or not hasattr(model, "predict_proba"):
        checks.that(
            False, f"{case}: lr_model must return the fitted LogisticRegression model, got {type(model).__name__}"
        )
        return
    X_new = X if X_new is None else X_new
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            proba = np.asarray(model.predict_proba(X_new), dtype=float)
    except Exception as err:  # noqa: BLE001 - typically NotFittedError
        checks.that(False, f"{case}: the returned model cannot predict ({type(err).__name__}); was it fitted?")
        return
    if proba.ndim != 2 or proba.shape[1] != 2:
        checks.that(False, f"{case}: predict_proba of the returned model has the wrong shape")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = ref.lr_model(X, y).predict_proba(X_new)[:, 1]
    checks.vectors_close(proba[:, 1], expected, f"{case} — predicted probabilities", rtol=0, atol=2e-3)


@hidden_check
def check_lr_model(fn) -> None:
    checks = Checks("lr_model", public=False)
    rng = np.random.default_rng(102)
    X, y = _binary_data(rng, 60, 3)
    _lr_case(checks, fn, X, y, "60 patients, 3 features on different scales")
    X_new, _ = _binary_data(rng, 10, 3)
    _lr_case(checks, fn, X, y, "new patients not used for fitting", X_new=X_new.set_axis(X.columns, axis=1))
    X_small, y_small = _binary_data(rng, 15, 2)
    _lr_case(checks, fn, X_small, y_small, "a small data set (15 patients), where the penalty matters")
    X_rare, y_rare = _binary_data(rng, 80, 4)
    y_rare[:] = 0
    y_rare.iloc[rng.choice(80, 8, replace=False)] = 1
    _lr_case(checks, fn, X_rare, y_rare, "a rare outcome (10% cases)")
    X_np, y_np = _binary_data(rng, 40, 2, numpy=True)
    _lr_case(checks, fn, X_np, y_np, "NumPy arrays instead of pandas objects")
    for i in range(6):
        X_r, y_r = _binary_data(rng, int(rng.integers(20, 120)), int(rng.integers(1, 6)))
        _lr_case(checks, fn, X_r, y_r, f"random data set #{i}")
    checks.done()


# --------------------------------------------------------------------------------------------- cindex


def _cindex_case(checks: Checks, fn, y_true, scores, case: str) -> None:
    got = call("cindex", fn, y_true, scores, case=case)
    checks.close_enough(got, ref.cindex(y_true, scores), case, rtol=1e-6, atol=1e-9)


@hidden_check
def check_cindex(fn) -> None:
    checks = Checks("cindex", public=False)
    fixed = [
        ([1, 0], [0.5, 0.5], "a single permissible pair with tied scores"),
        ([1, 1, 0, 0], [0.3, 0.3, 0.3, 0.3], "every score tied"),
        ([0, 0, 0, 1], [0.1, 0.2, 0.3, 0.05], "the only case has the lowest score"),
        ([1, 1, 1, 0], [0.9, 0.2, 0.2, 0.2], "ties between cases and the non-case"),
        ([0, 0, 1, 1, 0], [0.4, 0.4, 0.6, 0.4, 0.9], "ties among non-cases and across outcomes"),
        ([0.0, 1.0, 1.0, 0.0], [2, 7, -1, 3], "float outcomes and integer, negative scores"),
        ((True, False, False, True, True), (0.6, 0.6, 0.1, 0.2, 0.8), "tuples of booleans"),
        (
            pd.Series([1, 0, 1, 0, 0], index=[9, 3, 7, 1, 5]),
            pd.Series([0.2, 0.1, 0.8, 0.9, 0.2], index=[9, 3, 7, 1, 5]),
            "Series with a shuffled index",
        ),
        ([1, 0, 0, 1, 0, 1], [5, 4, 3, 2, 1, 0], "cases listed after non-cases as well as before"),
    ]
    for y_true, scores, case in fixed:
        _cindex_case(checks, fn, y_true, scores, case)
    # documented: no permissible pair (one outcome class only) -> the C-index is undefined, np.nan
    for y_true, scores, case in [
        ([1, 1, 1], [0.2, 0.5, 0.9], "only cases, no non-case (no permissible pair)"),
        ([0, 0], [0.4, 0.1], "only non-cases (no permissible pair)"),
    ]:
        got = call("cindex", fn, y_true, scores, case=case)
        value = checks.scalar(got, case)
        if value is not None:
            checks.that(bool(np.isnan(value)), f"{case}: the C-index is undefined here; return np.nan")
    rng = np.random.default_rng(103)
    for i in range(30):
        n = int(rng.integers(3, 120)) if i < 26 else 300
        y_true = (rng.random(n) < rng.uniform(0.1, 0.6)).astype(int)
        if y_true.min() == y_true.max():  # at least one permissible pair
            y_true[rng.integers(n)] ^= 1
        scores = rng.normal(size=n) + y_true * rng.uniform(0, 2)
        if i % 2 == 0:
            scores = np.round(scores, 1)  # many ties
        ties = ", rounded scores" if i % 2 == 0 else ""
        _cindex_case(checks, fn, y_true, scores, f"random data #{i} ({n} patients{ties})")
    checks.done()


# --------------------------------------------------------------------------------------------- add_interactions


@hidden_check
def check_add_interactions(fn) -> None:
    checks = Checks("add_interactions", public=False)
    rng = np.random.default_rng(104)

    def frame(n_rows, names, integers=False):
        values = rng.normal(size=(n_rows, len(names)))
        if integers:
            values = rng.integers(-5, 6, size=(n_rows, len(names)))
        return pd.DataFrame(values, columns=names, index=rng.permutation(n_rows) + 50)

    fixed = [
        (frame(4, ["Age"]), "a single column (no pairs)"),
        (frame(1, ["Age", "BMI", "HDL"]), "a single row"),
        (frame(6, ["z", "a", "m", "b"]), "columns that are not in alphabetical order"),
        (frame(5, ["systolic bp", "HDL_chol", "x"]), "column names with spaces and underscores"),
        (frame(5, NAMES, integers=True), "integer columns"),
        (frame(30, NAMES), "the 7 course measurements"),
    ]
    cases = fixed + [
        (
            frame(
                int(rng.integers(1, 20)),
                list(rng.choice(list(string.ascii_uppercase), size=int(rng.integers(2, 9)), replace=False)),
            ),
            f"random frame #{i}",
        )
        for i in range(10)
    ]
    for X, case in cases:
        checks.frames_close(call("add_interactions", fn, X, case=case), ref.add_interactions(X), case)
    checks.done()
