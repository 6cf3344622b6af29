"""Public tests for week C2W1 (linear risk model). Each prints 'All tests passed.' or raises with a clear message.

The small cases are worked by hand in the comments, so a learner can follow every expected number.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from helpers.public_tests.framework import Checks, call

E = np.e


# --------------------------------------------------------------------------------------------- make_standard_normal


def test_make_standard_normal(make_standard_normal) -> None:
    checks = Checks("make_standard_normal")
    # training column a = e^0, e^1, e^2: logs 0, 1, 2 -> mean 1, sample sd 1 -> standardized -1, 0, 1
    # training column b = e^2, e^4, e^6: logs 2, 4, 6 -> mean 4, sample sd 2 -> standardized -1, 0, 1
    train = pd.DataFrame({"a": [1.0, E, E**2], "b": [E**2, E**4, E**6]}, index=[7, 3, 5])
    # test rows use the TRAINING mean and sd: a = e^3 -> (3 - 1) / 1 = 2; b = e^0 -> (0 - 4) / 2 = -2
    test = pd.DataFrame({"a": [E**3, E], "b": [1.0, E**8]}, index=[11, 12])
    expected_train = pd.DataFrame({"a": [-1.0, 0.0, 1.0], "b": [-1.0, 0.0, 1.0]}, index=[7, 3, 5])
    expected_test = pd.DataFrame({"a": [2.0, 0.0], "b": [-2.0, 2.0]}, index=[11, 12])
    case = "a 3-row training frame whose logs are 0, 1, 2 and 2, 4, 6"
    pair = checks.pair(call("make_standard_normal", make_standard_normal, train, test, case=case), case)
    if pair is not None:
        train_norm, test_norm = pair
        checks.frames_close(
            train_norm,
            expected_train,
            f"{case} — training frame",
            hint="take the natural log first, then subtract the mean and divide by the sample "
            "standard deviation (ddof=1, pandas' default)",
        )
        checks.frames_close(
            test_norm,
            expected_test,
            f"{case} — test frame",
            hint="the test frame must be standardized with the TRAINING mean and standard deviation",
        )

    # the same numbers in a frame with integer values (e.g. ages): log 1 = 0, log 100 = 4.605..., log 10000 = 9.21...
    ints = pd.DataFrame({"age": [1, 100, 10000]})
    case = "integer columns"
    pair = checks.pair(call("make_standard_normal", make_standard_normal, ints, ints.iloc[[1]], case=case), case)
    if pair is not None:
        checks.frames_close(pair[0], pd.DataFrame({"age": [-1.0, 0.0, 1.0]}), f"{case} — training frame")
        checks.frames_close(pair[1], pd.DataFrame({"age": [0.0]}, index=[1]), f"{case} — test frame")
    checks.done()


# --------------------------------------------------------------------------------------------- lr_model


def _probabilities(model, X, checks: Checks, case: str):
    if isinstance(model, (np.ndarray, pd.Series, pd.DataFrame, list)):
        checks.that(
            False,
            f"{case}: lr_model must return the fitted model itself (the LogisticRegression "
            f"object), not its predictions ({type(model).__name__})",
        )
        return None
    if not hasattr(model, "predict_proba"):
        checks.that(False, f"{case}: lr_model must return a fitted LogisticRegression, got {type(model).__name__}")
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            proba = np.asarray(model.predict_proba(X), dtype=float)
    except Exception as err:  # noqa: BLE001 - e.g. NotFittedError
        checks.that(
            False,
            f"{case}: predict_proba failed on the returned model ({type(err).__name__}: {err}); "
            "did you call .fit(X_train, y_train)?",
        )
        return None
    if proba.ndim != 2 or proba.shape[1] != 2:
        checks.that(False, f"{case}: predict_proba should give two columns (P(y=0), P(y=1)), got shape {proba.shape}")
        return None
    return proba[:, 1]


def test_lr_model(lr_model) -> None:
    from sklearn.linear_model import LogisticRegression

    checks = Checks("lr_model")
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"age": rng.normal(size=40), "bmi": rng.normal(size=40)})
    y = pd.Series((X["age"] + 0.5 * X["bmi"] + rng.normal(size=40) > 0).astype(int), name="Diabetes")
    X_new = pd.DataFrame({"age": [-1.0, 0.0, 2.0], "bmi": [0.0, 1.0, -1.0]})
    case = "40 patients, 2 standardized features"
    model = call("lr_model", lr_model, X, y, case=case)
    got = _probabilities(model, X_new, checks, case)
    if got is not None:
        expected = LogisticRegression(max_iter=1000, random_state=0).fit(X, y).predict_proba(X_new)[:, 1]
        checks.vectors_close(
            got,
            expected,
            f"{case} — P(y = 1) for 3 new patients",
            atol=2e-3,
            rtol=0,
            hint="use LogisticRegression(max_iter=1000, random_state=0) with its default penalty, "
            "C and solver, fitted on the X_train and y_train you were given",
        )
        coef = np.asarray(getattr(model, "coef_", np.zeros((1, 0))))
        checks.that(
            coef.shape == (1, 2),
            f"{case}: the model should have one coefficient per column (2), got shape {coef.shape}",
        )
    checks.done()


# --------------------------------------------------------------------------------------------- cindex


def test_cindex(cindex) -> None:
    checks = Checks("cindex")
    cases = [
        # one permissible pair, ranked correctly / wrongly
        ([0, 1], [0.2, 0.8], 1.0, "2 patients, the case has the higher score"),
        ([0, 1], [0.8, 0.2], 0.0, "2 patients, the case has the lower score"),
        # pairs (case 0.5 vs 0.5) tie -> 0.5 and (case 0.9 vs 0.5) concordant -> 1: (1 + 0.5) / 2
        ([0, 1, 1], [0.5, 0.5, 0.9], 0.75, "a tie in score between a case and a non-case counts 0.5"),
        # cases 0.9, 0.3; non-cases 0.3, 0.6: 0.9>0.3 c, 0.9>0.6 c, 0.3=0.3 tie, 0.3<0.6 d -> 2.5 / 4
        ([1, 0, 0, 1], [0.9, 0.3, 0.6, 0.3], 0.625, "4 patients with one tie"),
        # the pair of non-cases (0.1, 0.9) is not permissible: only (0.1 vs 0.5) c and (0.9 vs 0.5) d -> 1 / 2
        ([0, 0, 1], [0.1, 0.9, 0.5], 0.5, "pairs with the same outcome are not permissible"),
        (np.array([True, False, True]), np.array([3, 1, 2]), 1.0, "boolean outcomes and integer scores"),
        (
            pd.Series([1, 0, 1, 0], index=[40, 10, 30, 20]),
            pd.Series([0.7, 0.2, 0.4, 0.5], index=[40, 10, 30, 20]),
            0.75,
            "pandas Series with a shuffled index",
        ),
    ]
    for y_true, scores, expected, case in cases:
        got = call("cindex", cindex, y_true, scores, case=case)
        checks.close_enough(got, expected, case)
    checks.done()


# --------------------------------------------------------------------------------------------- add_interactions


def test_add_interactions(add_interactions) -> None:
    checks = Checks("add_interactions")
    X = pd.DataFrame({"A": [1.0, 2.0], "B": [3.0, -1.0], "C": [0.5, 4.0]}, index=[10, 20])
    expected = pd.DataFrame(
        {
            "A": [1.0, 2.0],
            "B": [3.0, -1.0],
            "C": [0.5, 4.0],
            "A_x_B": [3.0, -2.0],
            "A_x_C": [0.5, 8.0],
            "B_x_C": [1.5, -4.0],
        },
        index=[10, 20],
    )
    case = "3 columns A, B, C (pairs A-B, A-C, B-C)"
    checks.frames_close(
        call("add_interactions", add_interactions, X, case=case),
        expected,
        case,
        hint="keep the original columns first, then one product column per pair i < j",
    )
    two = pd.DataFrame({"Age": [0.5, -1.0, 2.0], "HDL": [2.0, 3.0, -0.5]})
    case = "2 columns Age, HDL"
    checks.frames_close(
        call("add_interactions", add_interactions, two, case=case), two.assign(Age_x_HDL=[1.0, -3.0, -1.0]), case
    )
    checks.done()
