"""Hidden tests for week C3W1. Failure messages say what kind of case fails, never the expected values.

Randomised cases are compared with the reference solutions (helpers.solutions.c3w1, generated from the master), which
tests/test_c3w1_reference.py checks against statsmodels and against brute-force computations. Learner code is reached
only through ``call`` (and the objects it returns), with plain data and fitted scikit-learn estimators.
"""

from __future__ import annotations

import copy
import functools

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from helpers.public_tests.c3w1 import (
    OUTCOME,
    TREATMENT,
    expected_split,
    logistic_model,
    one_risk_per_patient,
    pair_case,
    split_checks,
    trial_frame,
)
from helpers.public_tests.framework import Checks, call, hidden_check
from helpers.solutions import c3w1 as ref

# --------------------------------------------------------------------------------------------- random data


def random_trial(
    seed: int, n: int, *, p_treated: float | None = None, p_event: float | None = None, both_arms: bool = True
) -> pd.DataFrame:
    """A trial table with continuous and binary covariates, ``outcome``, boolean ``TRTMT`` and a shuffled index."""
    rng = np.random.default_rng(seed)
    p_treated = rng.uniform(0.2, 0.8) if p_treated is None else p_treated
    p_event = rng.uniform(0.1, 0.9) if p_event is None else p_event
    treated = rng.random(n) < p_treated
    if both_arms and n >= 2:
        treated[:2] = [True, False]
        rng.shuffle(treated)
    return trial_frame(
        treated,
        (rng.random(n) < p_event).astype(int),
        index=rng.permutation(n) * 3 + 1000,
        age=rng.integers(30, 85, n),
        nodes=rng.gamma(2.0, 2.0, n).round(1),
        sex=rng.integers(0, 2, n),
    )


def fitted_model(seed: int, n: int = 300, position: int = 1):
    """(LogisticRegression fitted on a random trial with a real treatment effect, its features, its outcomes).

    ``TRTMT`` is the ``position``-th column of the features; the outcome depends on it, on age and on nodes. Every
    call returns fresh copies, so a learner's function that changes its inputs cannot spoil later cases.
    """
    return copy.deepcopy(_fitted_model(seed, n, position))


@functools.cache
def _fitted_model(seed: int, n: int, position: int):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {"age": rng.normal(60, 10, n), "nodes": rng.gamma(2.0, 2.0, n), "sex": rng.integers(0, 2, n)},
        index=rng.permutation(n) + 500,
    )
    X.insert(position, TREATMENT, rng.random(n) < 0.5)
    logit = -4 + 0.05 * X["age"] + 0.25 * X["nodes"] - 1.2 * X[TREATMENT]
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int), index=X.index, name=OUTCOME)
    return LogisticRegression(solver="newton-cholesky").fit(X, y), X, y


# --------------------------------------------------------------------------------------------- exercises 1 and 2


@hidden_check
def check_proportion_treated(fn) -> None:
    checks = Checks("proportion_treated", public=False)
    cases = [
        (random_trial(11, 1, p_treated=1.0, both_arms=False), "a single treated patient"),
        (random_trial(12, 7, p_treated=1.0, both_arms=False), "every patient treated"),
        (random_trial(13, 9, p_treated=0.0, both_arms=False), "nobody treated"),
    ]
    cases += [(random_trial(100 + i, int(n)), f"random trial #{i}") for i, n in enumerate([3, 8, 25, 61, 140, 333])]
    for df, case in cases:
        checks.close_enough(call("proportion_treated", fn, df, case=case), ref.proportion_treated(df), case)
    checks.done()


@hidden_check
def check_event_rate(fn) -> None:
    checks = Checks("event_rate", public=False)
    cases = [(random_trial(21, 6, p_event=0.0), "nobody died"), (random_trial(22, 5, p_event=1.0), "everybody died")]
    one_sided = random_trial(23, 12)
    one_sided[OUTCOME] = one_sided[TREATMENT].astype(int)
    cases.append((one_sided, "only treated patients died"))
    floats = random_trial(24, 30)
    floats[OUTCOME] = floats[OUTCOME].astype(float)
    cases.append((floats, "outcome stored as floats"))
    cases += [(random_trial(200 + i, int(n)), f"random trial #{i}") for i, n in enumerate([4, 9, 27, 60, 151, 400])]
    cases.append((random_trial(31, 50, p_treated=0.15), "few treated patients"))
    for df, case in cases:
        pair_case(checks, "event_rate", fn, (df,), ref.event_rate(df), ("treated rate", "control rate"), case)
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 3


@hidden_check
def check_extract_treatment_effect(fn) -> None:
    checks = Checks("extract_treatment_effect", public=False)
    hand_set = [
        ({TREATMENT: 0.7, "age": -0.02, "nodes": 0.3}, "TRTMT is the first column"),
        ({"age": 0.04, "sex": -0.3, TREATMENT: -1.1, "nodes": 0.2, "obstruct": 0.5}, "TRTMT in the middle"),
        ({"a": 1.5, "b": -2.0, TREATMENT: 0.0}, "TRTMT is the last column and has no effect"),
        ({TREATMENT: -0.25}, "TRTMT is the only column"),
    ]
    cases = [
        (logistic_model(coefs, intercept=0.8), pd.DataFrame({c: [0.0, 1.0] for c in coefs}), case)
        for coefs, case in hand_set
    ]
    for seed, position in [(1, 1), (2, 3), (3, 0)]:
        model, X, _ = fitted_model(seed, position=position)
        cases.append((model, X, f"a logistic regression fitted on a random trial (TRTMT column {position})"))
    for model, data, case in cases:
        pair_case(
            checks,
            "extract_treatment_effect",
            fn,
            (model, data),
            ref.extract_treatment_effect(model, data),
            ("theta", "odds ratio"),
            case,
        )
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 4


ARR_TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}  # a float32 computation loses ~1e-7 when p is close to 1: still right


@hidden_check
def check_OR_to_ARR(fn) -> None:
    checks = Checks("OR_to_ARR", public=False)
    grid = [(p, odds) for p in (0.0, 0.03, 0.2, 0.5, 0.77, 0.99) for odds in (0.1, 0.6, 1.0, 1.8, 4.0)]
    for p, odds in grid:
        case = f"baseline risk {p}, odds ratio {odds}"
        checks.close_enough(call("OR_to_ARR", fn, p, odds, case=case), ref.OR_to_ARR(p, odds), case, **ARR_TOLERANCE)
    for p, odds, case in [
        (np.float64(0.35), np.float64(0.5), "NumPy float64 inputs"),
        (np.float32(0.25), np.float32(0.5), "NumPy float32 inputs"),
        (0, 0.5, "p given as the integer 0"),
        (0.4, 2, "OR given as an integer"),
    ]:
        checks.close_enough(
            call("OR_to_ARR", fn, p, odds, case=case), ref.OR_to_ARR(float(p), float(odds)), case, **ARR_TOLERANCE
        )
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 5


@hidden_check
def check_base_risks(fn) -> None:
    checks = Checks("base_risks", public=False)
    cases = []
    rng = np.random.default_rng(5)
    hand = logistic_model({"age": 0.04, TREATMENT: -0.9, "nodes": 0.2}, intercept=-3.0)
    X = pd.DataFrame(
        {
            "age": rng.integers(30, 85, 12),
            TREATMENT: rng.random(12) < 0.5,
            "nodes": rng.integers(0, 15, 12).astype(float),
        },
        index=rng.permutation(12) + 40,
    )
    cases.append((X, hand, "hand-set model, a mix of treated and control patients"))
    cases.append((X.assign(**{TREATMENT: True}), hand, "every patient treated"))
    cases.append((X.assign(**{TREATMENT: False}), hand, "nobody treated"))
    cases.append((X.iloc[:1], hand, "a single patient"))
    for seed, position in [(4, 1), (5, 0), (6, 3)]:
        model, X_fit, _ = fitted_model(seed, position=position)
        cases.append((X_fit, model, f"a fitted logistic regression (TRTMT column {position})"))
    for X, model, case in cases:
        got = call("base_risks", fn, X, model, case=case)
        if one_risk_per_patient(checks, got, case):
            checks.vectors_close(got, ref.base_risks(X, model), case)
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 6


def decile_trial(seed: int, n: int):
    """(X, y, fitted model) where every decile of baseline risk holds treated and control patients."""
    model, X, y = fitted_model(seed, n=n, position=seed % 4)
    expected = ref.lr_ARR_quantile(X, y, model)
    assert not np.isnan(np.asarray(expected, dtype=float)).any(), f"decile_trial({seed}, {n}) has an empty arm"
    return X, y, model


@hidden_check
def check_lr_ARR_quantile(fn) -> None:
    checks = Checks("lr_ARR_quantile", public=False)
    for seed, n in [(7, 120), (8, 300), (9, 555)]:
        X, y, model = decile_trial(seed, n)
        expected = ref.lr_ARR_quantile(X, y, model)
        forms = [
            (y, "y a Series sharing X's index"),
            (y.to_numpy(), "y a NumPy array"),
            (y.reset_index(drop=True), "y a Series with another index"),
            (y.tolist(), "y a list"),
        ]
        for y_form, form in forms[: 4 if seed == 7 else 2]:
            case = f"{n} patients, fitted logistic regression, {form}"
            got = call("lr_ARR_quantile", fn, X, y_form, model, case=case)
            checks.vectors_close(got, expected, case)
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 7


def random_pairs(seed: int, m: int, *, ties: bool):
    """m pairs ((pred_t, y_t), (pred_c, y_c)); with ``ties`` the predictions are multiples of 1/16 (exact means)."""
    rng = np.random.default_rng(seed)
    if ties:
        pred = rng.integers(-4, 9, size=(m, 2)) / 16
    else:
        pred = rng.normal(0.05, 0.15, size=(m, 2))
    y = rng.integers(0, 2, size=(m, 2))
    return [((float(pred[i, 0]), int(y[i, 0])), (float(pred[i, 1]), int(y[i, 1]))) for i in range(m)]


@hidden_check
def check_c_for_benefit_score(fn) -> None:
    checks = Checks("c_for_benefit_score", public=False)
    cases = [
        ([((0.2, 0), (0.4, 1))], "a single pair"),
        ([((0.25, 1), (0.25, 0)), ((0.5, 0), (0.0, 1))], "two pairs, observed benefits -1 and 1, predictions tied"),
        ([((0.5, 0), (0.25, 1)), ((0.125, 0), (0.25, 0))], "two pairs, the larger benefit predicted larger"),
        ([((0.5, 0), (0.25, 0)), ((0.125, 0), (0.25, 1))], "two pairs, the larger benefit predicted smaller"),
        ([((0.5, 1), (0.25, 0)), ((0.125, 1), (0.25, 0))], "two pairs, both observed benefits -1"),
        ([((0.5, 1), (0.5, 1))] * 3 + [((0.5, 0), (0.5, 1))], "every prediction tied"),
        ([((-0.1, 1), (-0.3, 0)), ((0.2, 1), (0.0, 1)), ((0.6, 0), (0.4, 1))], "negative predicted benefits"),
    ]
    for i, (m, ties) in enumerate([(5, True), (12, True), (30, True), (45, False), (60, True), (80, False)]):
        cases.append(
            (random_pairs(40 + i, m, ties=ties), f"random pairs #{i} ({'tied' if ties else 'distinct'} predictions)")
        )
    base = random_pairs(50, 25, ties=True)
    cases.append(([[list(t), list(c)] for t, c in base], "pairs given as lists"))
    cases.append(
        (
            [((np.float32(pt), np.float32(yt)), (np.float32(pc), np.float32(yc))) for (pt, yt), (pc, yc) in base],
            "float32 predictions and outcomes",
        )
    )
    for pairs, case in cases:
        checks.close_enough(call("c_for_benefit_score", fn, pairs, case=case), ref.c_for_benefit_score(pairs), case)
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 8


def random_arms(seed: int, n_treated: int, n_control: int, *, coarse: bool):
    """(pred_rr, y, w) for two arms in random order; coarse predictions (multiples of 1/8) give many ties."""
    rng = np.random.default_rng(seed)
    w = np.array([1] * n_treated + [0] * n_control)
    rng.shuffle(w)
    n = len(w)
    pred = rng.integers(-2, 5, n) / 8 if coarse else rng.normal(0.05, 0.1, n)
    y = rng.integers(0, 2, n)
    return pred, y, w


@hidden_check
def check_c_statistic(fn) -> None:
    checks = Checks("c_statistic", public=False)
    cases = []
    for i, (nt, nc, coarse, seed) in enumerate(
        [
            (30, 30, True, 0),
            (40, 25, True, 0),
            (22, 45, True, 3),
            (35, 20, False, 11),
            (18, 50, False, 0),
            (60, 41, True, 7),
            (8, 5, True, 0),
            (3, 9, False, 2),
        ]
    ):
        pred, y, w = random_arms(300 + i, nt, nc, coarse=coarse)
        cases.append(
            (
                pred,
                y,
                w,
                seed,
                f"{nt} treated and {nc} controls, {'tied' if coarse else 'distinct'} predictions, random_seed={seed}",
            )
        )
    pred, y, w = random_arms(320, 33, 21, coarse=True)
    index = np.arange(len(y))[::-1] * 5 + 7
    cases.append(
        (
            pd.Series(pred, index=index),
            pd.Series(y, index=index),
            pd.Series(w, index=index),
            5,
            "Series with a non-default index",
        )
    )
    cases.append((list(pred), list(y), list(w.astype(bool)), 0, "lists; w as True/False"))
    cases.append((pred.astype(np.float32), y.astype(float), w.astype(float), 1, "float32 predictions, float y and w"))
    for pred, y, w, seed, case in cases:
        got = call("c_statistic", fn, pred, y, w, seed, case=case)
        checks.close_enough(
            got,
            ref.c_statistic(np.asarray(pred, dtype=float), np.asarray(y), np.asarray(w), seed),
            case,
            hint="check c_for_benefit_score first; then the matching (subsample the larger "
            "arm, stable sort of each arm, pair in order)",
        )
    pred, y, w = random_arms(330, 26, 38, coarse=True)
    case = "default random_seed (0)"
    checks.close_enough(call("c_statistic", fn, pred, y, w, case=case), ref.c_statistic(pred, y, w, 0), case)
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 9


def arm_models():
    """Two pairs of (treated, control) models fitted on random arms: logistic regressions and small forests (copies)."""
    return copy.deepcopy(_arm_models())


@functools.lru_cache(maxsize=1)
def _arm_models():
    rng = np.random.default_rng(9)
    X = pd.DataFrame({"age": rng.normal(60, 10, 400), "nodes": rng.gamma(2.0, 2.0, 400)})
    risk = 1 / (1 + np.exp(-(-4 + 0.05 * X["age"] + 0.3 * X["nodes"])))
    y_control = (rng.random(400) < risk).astype(int)
    y_treated = (rng.random(400) < risk * np.where(X["nodes"] > 4, 0.4, 1.2).clip(0, 1)).astype(int)
    from sklearn.ensemble import RandomForestClassifier  # imported here: only this exercise needs it

    lrs = tuple(LogisticRegression(solver="newton-cholesky").fit(X, target) for target in (y_treated, y_control))
    forests = tuple(
        RandomForestClassifier(n_estimators=15, max_depth=3, random_state=k).fit(X, target)
        for k, target in enumerate((y_treated, y_control))
    )
    return lrs, forests


@hidden_check
def check_TLearner(fn) -> None:
    checks = Checks("TLearner", public=False)
    rng = np.random.default_rng(10)
    X = pd.DataFrame({"age": rng.normal(60, 12, 40), "nodes": rng.gamma(2.0, 2.0, 40)}, index=rng.permutation(40) + 7)
    lrs, forests = arm_models()
    hand = (logistic_model({"age": 0.01, "nodes": 0.4}, -3.0), logistic_model({"age": 0.03, "nodes": 0.1}, -2.0))
    learners = []
    for (treated, control), case in [
        (hand, "hand-set logistic models"),
        (lrs, "fitted logistic regressions"),
        (forests, "fitted random forests"),
        (lrs[::-1], "the two arms' models swapped"),
    ]:
        learners.append((call("TLearner", fn, treated, control, case=case), treated, control, case))
    for learner, treated, control, case in learners:  # predict after all are built: no state shared between them
        if not checks.that(hasattr(learner, "predict"), f"{case}: the object has no predict method"):
            continue
        for rows, part in [(slice(None), "40 patients"), (slice(3, 4), "one patient")]:
            got = call("TLearner.predict", learner.predict, X.iloc[rows], case=f"{case}, {part}")
            expected = ref.TLearner(treated, control).predict(X.iloc[rows])
            checks.vectors_close(got, expected, f"{case}, {part}")
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 10


@hidden_check
def check_treatment_dataset_split(fn) -> None:
    checks = Checks("treatment_dataset_split", public=False)
    cases = []
    for i, (n_train, n_val) in enumerate([(40, 12), (9, 3), (120, 41)]):
        train, val = random_trial(400 + i, n_train), random_trial(450 + i, n_val)
        X_train, X_val = train.drop(columns=[OUTCOME]), val.drop(columns=[OUTCOME])
        if i == 1:  # TRTMT first
            X_train = X_train[[TREATMENT, *X_train.columns.drop(TREATMENT)]]
            X_val = X_val[[TREATMENT, *X_val.columns.drop(TREATMENT)]]
        cases.append((X_train, train[OUTCOME], X_val, val[OUTCOME], f"random train/validation sets #{i}"))
    train = random_trial(470, 30)
    val = random_trial(471, 6, p_treated=1.0, both_arms=False)
    cases.append(
        (
            train.drop(columns=[OUTCOME]),
            train[OUTCOME],
            val.drop(columns=[OUTCOME]),
            val[OUTCOME],
            "a validation set with no control patient",
        )
    )
    for X_train, y_train, X_val, y_val, case in cases:
        result = call("treatment_dataset_split", fn, X_train, y_train, X_val, y_val, case=case)
        split_checks(checks, result, expected_split(X_train, y_train, X_val, y_val), case)
    checks.done()
