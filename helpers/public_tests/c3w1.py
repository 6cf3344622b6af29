"""Public tests for week C3W1 (treatment effects from a randomised trial). Each prints 'All tests passed.' or raises
with a clear message.

The small cases are worked by hand in the comments. Logistic models with hand-set coefficients
(:func:`logistic_model`) make every predicted risk a number you can check with a calculator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from helpers.public_tests.framework import Checks, call

TREATMENT, OUTCOME = "TRTMT", "outcome"


# --------------------------------------------------------------------------------------------- shared helpers


def expit(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def logistic_model(coefficients: dict, intercept: float = 0.0) -> LogisticRegression:
    """A scikit-learn LogisticRegression with hand-set coefficients, as if fitted on columns ``coefficients.keys()``.

    Its predicted risk is ``expit(intercept + sum(coef * column))``: every value a test expects can be worked out by
    hand. It behaves exactly like a fitted model (``predict_proba``, ``coef_``, ``feature_names_in_``).
    """
    model = LogisticRegression()
    model.coef_ = np.array([list(coefficients.values())], dtype=float)
    model.intercept_ = np.array([intercept], dtype=float)
    model.classes_ = np.array([0, 1])
    model.feature_names_in_ = np.array(list(coefficients), dtype=object)
    model.n_features_in_ = len(coefficients)
    model.n_iter_ = np.array([0])
    return model


def trial_frame(treated, outcome, index=None, **covariates) -> pd.DataFrame:
    """A small trial table: covariates, then ``outcome`` and a boolean ``TRTMT``."""
    df = pd.DataFrame(covariates, index=index)
    df[OUTCOME] = np.asarray(outcome)
    df[TREATMENT] = np.asarray(treated, dtype=bool)
    return df


def pair_case(checks: Checks, name: str, fn, args: tuple, expected, labels, case: str, hints=("", "")) -> None:
    """Call ``fn(*args)`` and compare its two-item answer with ``expected``, item by item (public and hidden tests)."""
    pair = checks.pair(call(name, fn, *args, case=case), case)
    if pair is not None:
        for got, want, label, hint in zip(pair, expected, labels, hints):
            checks.close_enough(got, want, f"{case} — {label}", hint=hint)


# --------------------------------------------------------------------------------------------- exercise 1


def test_proportion_treated(proportion_treated) -> None:
    checks = Checks("proportion_treated")
    cases = [
        (trial_frame([True, False, True, True], [0, 1, 1, 0]), 0.75, "4 patients, 3 treated"),
        (trial_frame([False, False], [1, 0], index=[17, 4]), 0.0, "nobody treated"),
        (trial_frame([True, False] * 5, [0] * 10, index=np.arange(10) * 3 + 100), 0.5, "10 patients, 5 treated"),
    ]
    for df, expected, case in cases:
        checks.close_enough(call("proportion_treated", proportion_treated, df, case=case), expected, case)
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 2


def test_event_rate(event_rate) -> None:
    checks = Checks("event_rate")
    cases = [
        # treated: outcomes 1, 0, 0 -> 1/3; control: 1, 1 -> 1
        (
            trial_frame([True, True, True, False, False], [1, 0, 0, 1, 1]),
            (1 / 3, 1.0),
            "3 treated (1 death), 2 controls (2 deaths)",
        ),
        # treated (rows 2, 4, 6): 1, 1, 0 -> 2/3; control (rows 1, 3, 5): 0, 1, 0 -> 1/3
        (
            trial_frame([False, True, False, True, False, True], [0, 1, 1, 1, 0, 0], index=[9, 3, 7, 1, 5, 8]),
            (2 / 3, 1 / 3),
            "arms interleaved, shuffled index",
        ),
        # treated (4): 1 death -> 1/4; control (2): 2 deaths -> 1. Not the same table read the other way round:
        # P(treated | died) = 1/3 and P(died | treated) = 1/4 differ here.
        (
            trial_frame([True, True, False, True, True, False], [0, 1, 1, 0, 0, 1], index=[6, 2, 4, 8, 10, 12]),
            (0.25, 1.0),
            "4 treated (1 death), 2 controls (2 deaths)",
        ),
    ]
    for df, expected, case in cases:
        pair_case(
            checks,
            "event_rate",
            event_rate,
            (df,),
            expected,
            ("treated rate (first item)", "control rate (second item)"),
            case,
        )
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 3


def test_extract_treatment_effect(extract_treatment_effect) -> None:
    checks = Checks("extract_treatment_effect")
    cases = [
        ({"age": 0.03, TREATMENT: -0.4, "nodes": 0.1}, "TRTMT is the 2nd of 3 columns (theta = -0.4)"),
        ({"sex": 0.2, "age": 0.01, "nodes": 0.15, TREATMENT: 0.3}, "TRTMT is the last column (theta = 0.3)"),
    ]
    for coefficients, case in cases:
        model = logistic_model(coefficients, intercept=-1.0)
        data = pd.DataFrame({c: [0.0, 1.0] for c in coefficients})
        theta = coefficients[TREATMENT]
        pair_case(
            checks,
            "extract_treatment_effect",
            extract_treatment_effect,
            (model, data),
            (theta, np.exp(theta)),
            ("theta (first item)", "odds ratio (second item) = exp(theta)"),
            case,
            hints=("find the position of 'TRTMT' among data.columns and read lr.coef_[0] there", ""),
        )
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 4


def test_OR_to_ARR(OR_to_ARR) -> None:
    checks = Checks("OR_to_ARR")
    cases = [
        (0.5, 1.0, 0.0, "OR = 1: no effect"),
        (0.4, 0.5, 0.15, "p = 0.4, OR = 0.5: treated risk 0.2 / (0.6 + 0.2) = 0.25"),
        (0.2, 0.25, 0.2 - 0.05 / 0.85, "p = 0.2, OR = 0.25: treated risk 0.05 / 0.85"),
        (0.3, 2.0, 0.3 - 0.6 / 1.3, "p = 0.3, OR = 2 (harm): the ARR is negative"),
    ]
    for p, odds_ratio, expected, case in cases:
        checks.close_enough(call("OR_to_ARR", OR_to_ARR, p, odds_ratio, case=case), expected, case)
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 5

# risk = expit(-3 + 0.05 age - 1.0 TRTMT); without treatment: age 40 -> expit(-1), 60 -> expit(0), 80 -> expit(1)
BASE_MODEL = {TREATMENT: -1.0, "age": 0.05}


def one_risk_per_patient(checks: Checks, got, case: str) -> bool:
    """base_risks must give one number per patient: shape (n_samples,), not a column of shape (n_samples, 1)."""
    shape = np.shape(got)
    if not checks.public:  # hidden messages never say what was expected
        return checks.that(len(shape) == 1, f"{case}: not one risk per patient (got shape {shape}, must be 1-D)")
    return checks.that(
        len(shape) == 1,
        f"{case}: expected one risk per patient, an array of shape (n_samples,); got shape {shape}"
        + (" — take predict_proba(X)[:, 1], not [:, 1:]" if len(shape) == 2 else ""),
    )


def test_base_risks(base_risks) -> None:
    checks = Checks("base_risks")
    model = logistic_model(BASE_MODEL, intercept=-3.0)
    X = pd.DataFrame({TREATMENT: [True, False, True], "age": [40, 60, 80]}, index=[12, 5, 30])
    case = "3 patients aged 40, 60, 80 (two of them treated)"
    got = call("base_risks", base_risks, X, model, case=case)
    one_risk_per_patient(checks, got, case)
    checks.vectors_close(
        got,
        expit([-1.0, 0.0, 1.0]),
        case,
        hint="set TRTMT to False for every patient (on a copy of X) before predict_proba",
    )
    case = "nobody treated: the baseline risk is the model's risk as it stands"
    X0 = pd.DataFrame({TREATMENT: [False, False], "age": [50, 70]})
    checks.vectors_close(call("base_risks", base_risks, X0, model, case=case), expit([-0.5, 0.5]), case)
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 6

# 20 patients, baseline risk expit(score) with score 1..20: each decile holds 2 patients, one treated, one control.
# Outcome per decile (control, treated) -> ARR = control - treated:
_DECILE_OUTCOMES = [(0, 0), (1, 0), (0, 0), (0, 1), (1, 0), (1, 1), (1, 0), (1, 0), (1, 1), (1, 0)]
DECILE_ARR = [c - t for c, t in _DECILE_OUTCOMES]  # [0, 1, 0, -1, 1, 0, 1, 1, 0, 1]


def decile_case():
    """The 20-patient table above, rows shuffled, and the hand-set model it is scored with."""
    rows = []
    for decile, (control, treated) in enumerate(_DECILE_OUTCOMES):
        rows.append({"score": 2 * decile + 1, TREATMENT: False, OUTCOME: control})
        rows.append({"score": 2 * decile + 2, TREATMENT: True, OUTCOME: treated})
    table = pd.DataFrame(rows).sample(frac=1.0, random_state=3)
    table.index = np.arange(len(table)) * 7 + 200
    model = logistic_model({"score": 1.0, TREATMENT: -0.5}, intercept=-10.0)
    return table[["score", TREATMENT]], table[OUTCOME], model


def test_lr_ARR_quantile(lr_ARR_quantile) -> None:
    checks = Checks("lr_ARR_quantile")
    X, y, model = decile_case()
    for y_form, case in [
        (y, "20 patients, 2 per decile, y a Series with X's index"),
        (y.to_numpy(), "the same patients, y a NumPy array"),
        (y.reset_index(drop=True), "the same patients, y a Series numbered 0..19 (align by position)"),
    ]:
        got = call("lr_ARR_quantile", lr_ARR_quantile, X, y_form, model, case=case)
        checks.vectors_close(
            got,
            DECILE_ARR,
            case,
            hint="ARR = control event rate - treated event rate in each decile of the risk WITHOUT "
            "treatment, from the lowest decile to the highest",
        )
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 7

# Pairs ((pred_t, y_t), (pred_c, y_c)); predicted benefit = mean of the two predictions, observed = y_c - y_t.
#   A: pred 0.25,  observed -1      B: pred 0.5, observed +1
#   C: pred 0.375, observed 0       D: pred 0.5, observed 0
# Pairs of pairs with different observed benefit: (A,B) concordant, (A,C) concordant, (A,D) concordant,
# (B,C) concordant, (B,D) predicted tie -> 0.5; (C,D) has equal observed benefit: not used. C = 4.5 / 5 = 0.9
PAIRS = [((0.125, 1), (0.375, 0)), ((0.625, 0), (0.375, 1)), ((0.25, 0), (0.5, 0)), ((0.75, 1), (0.25, 1))]


def test_c_for_benefit_score(c_for_benefit_score) -> None:
    checks = Checks("c_for_benefit_score")
    reversed_pairs = [((1 - pt, yt), (1 - pc, yc)) for (pt, yt), (pc, yc) in PAIRS]
    cases = [
        (PAIRS, 0.9, "4 pairs, one predicted tie (worked in the comments of helpers/public_tests/c3w1.py)"),
        (reversed_pairs, 0.1, "the same pairs with every prediction reversed (1 - prediction)"),
        (PAIRS[2:], np.nan, "2 pairs with the same observed benefit: nothing to compare, return nan"),
    ]
    for pairs, expected, case in cases:
        checks.close_enough(call("c_for_benefit_score", c_for_benefit_score, pairs, case=case), expected, case)
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 8

# 3 treated (positions 0, 2, 4) and 4 controls (positions 1, 3, 5, 6). The control arm is larger: with
# np.random.default_rng(0), np.sort(rng.choice(4, 3, replace=False)) = [1, 2, 3] keeps controls 3, 5 and 6
# (control 1, the one with the lowest prediction, is left out).
# Sorted by prediction: treated 4 (0.1), 0 (0.2), 2 (0.6); controls 6 (0.05), 3 (0.3), 5 (0.7).
# Pairs: (4, 6) pred 0.075, observed y_c - y_t = 0 - 1 = -1; (0, 3) pred 0.25, observed 1 - 1 = 0;
# (2, 5) pred 0.65, observed 1 - 0 = 1. The predictions rank the three observed benefits correctly: C = 1.
C_STAT_PRED = [0.2, 0.01, 0.6, 0.3, 0.1, 0.7, 0.05]
C_STAT_Y = [1, 1, 0, 1, 1, 1, 0]
C_STAT_W = [1, 0, 1, 0, 1, 0, 0]
# A larger case whose predictions tie often (multiples of 0.1), so the order of tied patients, the random sample of
# the larger arm and the seed all matter; its value 7/34 (34 pairs of pairs with different observed benefits) was
# computed with the reference solution and checked against a brute-force count.
C_STAT_TIES_PRED = [
    0.3,
    -0.1,
    0.0,
    -0.1,
    0.1,
    0.4,
    -0.1,
    0.1,
    0.1,
    0.4,
    0.0,
    0.2,
    0.0,
    -0.1,
    0.3,
    -0.1,
    0.0,
    0.1,
    0.1,
    -0.1,
]
C_STAT_TIES_Y = [1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0]
C_STAT_TIES_W = [1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0]


def test_c_statistic(c_statistic) -> None:
    checks = Checks("c_statistic")
    case = "3 treated, 4 controls (worked in the comments of helpers/public_tests/c3w1.py)"
    checks.close_enough(
        call("c_statistic", c_statistic, C_STAT_PRED, C_STAT_Y, C_STAT_W, 0, case=case),
        1.0,
        case,
        hint="subsample the larger arm, sort each arm by prediction, then pair them in order",
    )
    # swapping treatment and control turns every observed benefit around
    swapped = [1 - w for w in C_STAT_W]
    case = "treated and controls swapped (4 treated, 3 controls)"
    # with rng(0) the treated arm (positions 1, 3, 5, 6) keeps 3, 5, 6: the same pairs, every benefit reversed: C = 0
    checks.close_enough(call("c_statistic", c_statistic, C_STAT_PRED, C_STAT_Y, swapped, 0, case=case), 0.0, case)
    case = "20 patients (8 treated), many tied predictions, random_seed=3"
    checks.close_enough(
        call("c_statistic", c_statistic, C_STAT_TIES_PRED, C_STAT_TIES_Y, C_STAT_TIES_W, 3, case=case),
        7 / 34,
        case,
        hint="np.random.default_rng(random_seed).choice(n_larger, n_smaller, replace=False) on the larger arm, "
        "then a stable sort (kind='stable') of each arm by prediction",
    )
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 9

# treated model: risk expit(-2 + 0.5 nodes); control model: risk expit(-1 + 0.5 nodes); at 2 nodes
# the predicted risk reduction is expit(0) - expit(-1) = 0.5 - 0.268941 = 0.231059.
T_MODEL, C_MODEL = ({"nodes": 0.5, "age": 0.0}, -2.0), ({"nodes": 0.5, "age": 0.0}, -1.0)


def test_TLearner(TLearner) -> None:
    checks = Checks("TLearner")
    treated_model, control_model = logistic_model(*T_MODEL), logistic_model(*C_MODEL)
    case = "hand-set logistic models, patients with 0, 2 and 4 nodes"
    learner = call("TLearner", TLearner, treated_model, control_model, case=case)
    X = pd.DataFrame({"nodes": [0.0, 2.0, 4.0], "age": [50, 60, 70]}, index=[3, 1, 2])
    if checks.that(hasattr(learner, "predict"), f"{case}: TLearner(...) must have a predict(X) method"):
        got = call("TLearner.predict", learner.predict, X, case=case)
        expected = expit([-1, 0, 1]) - expit([-2, -1, 0])
        checks.vectors_close(
            got, expected, case, hint="control model's risk minus treated model's risk, from predict_proba(X)[:, 1]"
        )
    # a harmful treatment: the treated model's risk is the higher one, so the predicted reduction is negative
    case = "a harmful treatment (treated risk higher than control risk)"
    learner = call("TLearner", TLearner, control_model, treated_model, case=case)
    if checks.that(hasattr(learner, "predict"), f"{case}: TLearner(...) must have a predict(X) method"):
        got = call("TLearner.predict", learner.predict, X, case=case)
        checks.vectors_close(got, expit([-2, -1, 0]) - expit([-1, 0, 1]), case, hint="negative where treatment harms")
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 10

SPLIT_NAMES = [
    "X_treat_train",
    "y_treat_train",
    "X_treat_val",
    "y_treat_val",
    "X_control_train",
    "y_control_train",
    "X_control_val",
    "y_control_val",
]


def expected_split(X_train, y_train, X_val, y_val) -> list:
    """What treatment_dataset_split must return, computed plainly (used by the public and hidden tests)."""
    out = []
    for arm in (True, False):
        for X, y in ((X_train, y_train), (X_val, y_val)):
            mask = X[TREATMENT].astype(bool).to_numpy() == arm
            out += [X.loc[mask].drop(columns=[TREATMENT]), y.loc[mask]]
    return [out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7]]


def split_checks(checks: Checks, result, expected: list, case: str) -> None:
    """Compare the eight parts; X parts as frames (columns, index, values), y parts by value."""
    try:
        parts = list(result)
    except TypeError:
        checks.that(False, f"{case}: return the eight parts as a tuple, got {type(result).__name__}")
        return
    if not checks.that(len(parts) == 8, f"{case}: return eight parts ({', '.join(SPLIT_NAMES)}), got {len(parts)}"):
        return
    for name, got, want in zip(SPLIT_NAMES, parts, expected):
        if name.startswith("y") and isinstance(got, pd.DataFrame) and got.shape[1] != 1:
            checks.that(
                False,
                f"{case} — {name}: got a DataFrame where the outcomes (a Series) belong; return the "
                f"parts in the order {', '.join(SPLIT_NAMES)}",
            )
        elif name.startswith("X"):
            checks.frames_close(got, want, f"{case} — {name}", hint="select the arm's rows and drop the TRTMT column")
        else:
            checks.vectors_close(got, want, f"{case} — {name}", hint="select the same rows as in the X part")


def test_treatment_dataset_split(treatment_dataset_split) -> None:
    checks = Checks("treatment_dataset_split")
    X_train = pd.DataFrame(
        {"age": [50, 61, 72, 45, 66], TREATMENT: [True, False, True, False, False]}, index=[10, 11, 12, 13, 14]
    )
    y_train = pd.Series([1, 0, 0, 1, 1], index=X_train.index, name=OUTCOME)
    X_val = pd.DataFrame({"age": [58, 70, 39], TREATMENT: [False, True, True]}, index=[20, 21, 22])
    y_val = pd.Series([0, 1, 0], index=X_val.index, name=OUTCOME)
    case = "5 training patients (2 treated) and 3 validation patients (2 treated)"
    result = call("treatment_dataset_split", treatment_dataset_split, X_train, y_train, X_val, y_val, case=case)
    split_checks(checks, result, expected_split(X_train, y_train, X_val, y_val), case)
    checks.done()
