"""Hidden tests for week C2W4. Failure messages say what kind of case fails, never the expected values.

Randomized cases are compared with the reference solutions (helpers.solutions.c2w4, generated from the master),
which tests/test_c2w4_reference.py in turn checks against pandas, lifelines and scikit-survival. Arrays stay small
so that a learner's pairwise loop in harrell_c finishes in well under a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.public_tests.c2w4 import check_one_hot_frame
from helpers.public_tests.framework import Checks, call, hidden_check
from helpers.solutions import c2w4 as ref

# ------------------------------------------------------------------------------------------------- to_one_hot


def _clinical_frame(seed: int, n: int) -> pd.DataFrame:
    """A PBC-like frame with numeric and text categories and a shuffled index."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "time": rng.uniform(0.1, 12, n).round(2),
            "status": rng.integers(0, 2, n),
            "bili": rng.normal(0, 1, n).round(3),
            "edema": rng.choice([0.0, 0.5, 1.0], n),
            "stage": rng.choice([1, 2, 3, 4], n),
            "sex": rng.choice(["f", "m"], n),
            "blood": rng.choice(["O", "A", "B", "AB"], n),
        },
        index=rng.permutation(n) * 3 + 100,
    )


TEXT_COLUMNS = ("sex", "blood")


def _one_hot_case(checks: Checks, fn, df: pd.DataFrame, columns, case: str) -> None:
    # text columns appear only when they are encoded: a learner who casts the whole result to float stays correct
    df = df.drop(columns=[c for c in TEXT_COLUMNS if c in df.columns and c not in columns])
    got = call("to_one_hot", fn, df, columns, case=case)
    check_one_hot_frame(checks, got, df, ref.to_one_hot(df, list(columns)), case, public=False)


@hidden_check
def check_to_one_hot(fn) -> None:
    checks = Checks("to_one_hot", public=False)
    base = _clinical_frame(41, 30)
    base.loc[base.index[:4], "stage"] = [1, 2, 3, 4]  # every level present
    base.loc[base.index[:3], "edema"] = [1.0, 0.5, 0.0]
    fixed = [
        (base, ["edema", "stage"], "numeric categories (edema, stage) with a shuffled row index"),
        (base, ["stage"], "one numeric category; the other category column (edema) must stay unchanged"),
        (base, ["blood"], "a text category whose levels first appear out of order"),
        (base, ["sex", "edema"], "a text and a numeric category"),
        (base, ["stage", "edema", "blood"], "three categories listed in a different order"),
        (base[base["stage"] > 1], ["stage"], "a subset of rows in which the lowest level is absent"),
        (base.iloc[:1], ["edema"], "a single row (one level, so no one-hot column is left)"),
        (base.assign(stage=base["stage"].astype(float)), ["stage"], "levels stored as floats"),
    ]
    for df, columns, case in fixed:
        _one_hot_case(checks, fn, df, columns, case)
    rng = np.random.default_rng(42)
    for i in range(12):
        df = _clinical_frame(100 + i, int(rng.integers(5, 40)))
        columns = list(rng.choice(["edema", "stage", "sex", "blood"], size=int(rng.integers(1, 4)), replace=False))
        _one_hot_case(checks, fn, df, columns, f"random frame #{i}")
    checks.done()


# ------------------------------------------------------------------------------------------------- hazard_ratio


def _hr_case(checks: Checks, fn, case_1, case_2, params, case: str) -> None:
    got = call("hazard_ratio", fn, case_1, case_2, params, case=case)
    checks.close_enough(got, ref.hazard_ratio(case_1, case_2, params), case)


@hidden_check
def check_hazard_ratio(fn) -> None:
    checks = Checks("hazard_ratio", public=False)
    names = ["age", "bili", "albumin", "edema_1.0", "stage_4"]
    theta = pd.Series([0.26, 0.38, -0.33, 1.3, 0.83], index=names)
    sicker = pd.Series([1.2, 2.5, -1.0, 1.0, 1.0], index=names, name=17)
    healthier = pd.Series([-0.4, -0.6, 0.8, 0.0, 0.0], index=names, name=4)
    _hr_case(checks, fn, sicker, healthier, theta, "rows of a DataFrame (Series) and lifelines' params_")
    _hr_case(checks, fn, healthier, sicker, theta, "the healthier patient first")
    _hr_case(checks, fn, sicker.to_numpy(), healthier.to_numpy(), theta.to_numpy(), "NumPy arrays")
    _hr_case(checks, fn, sicker.tolist(), healthier.tolist(), theta, "lists with a Series of coefficients")
    _hr_case(checks, fn, sicker, sicker.copy(), theta, "a patient compared with itself")
    _hr_case(checks, fn, [2.0], [0.5], np.array([-0.7]), "a single covariate with a negative coefficient")
    _hr_case(checks, fn, np.array([1, 0, 1]), np.array([0, 1, 0]), np.array([0.2, 0.2, 0.2]), "integer covariates")
    _hr_case(checks, fn, np.zeros(4), np.zeros(4), np.array([0.5, -2.0, 1.0, 3.0]), "all covariates zero")
    rng = np.random.default_rng(43)
    for i in range(40):
        k = int(rng.integers(1, 15))
        x_1, x_2, params = rng.normal(0, 1, k), rng.normal(0, 1, k), rng.normal(0, 0.6, k)
        kind = i % 3
        if kind == 1:
            x_1, x_2, params = (pd.Series(v, index=[f"x{j}" for j in range(k)]) for v in (x_1, x_2, params))
        elif kind == 2:
            x_1, x_2 = list(x_1), list(x_2)
        _hr_case(checks, fn, x_1, x_2, params, f"random patients #{i} ({['arrays', 'Series', 'lists'][kind]})")
    checks.done()


# ------------------------------------------------------------------------------------------------- harrell_c


def _c_case(checks: Checks, fn, times, scores, events, case: str) -> None:
    try:
        expected = ref.harrell_c(times, scores, events)
    except ZeroDivisionError:
        return  # no permissible pair: the index is undefined, not something to grade
    got = call("harrell_c", fn, times, scores, events, case=case)
    checks.close_enough(got, expected, case)


def random_survival(seed: int, count: int, *, min_rows: int = 2, max_rows: int = 25):
    """Small data sets with tied times, tied scores, censoring at event times and assorted input types."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        n = int(rng.integers(min_rows, max_rows + 1))
        times = rng.integers(1, max(3, n // 2), size=n).astype(float)
        events = (rng.random(n) < rng.uniform(0.2, 0.9)).astype(int)
        scores = rng.integers(0, max(2, n // 2), size=n) * 0.5 if i % 2 else rng.normal(size=n)
        kind = i % 4
        if kind == 0:
            yield times, scores, events, "arrays"
        elif kind == 1:
            index = rng.permutation(n) + 50
            yield (
                pd.Series(times, index=index),
                pd.Series(scores, index=index),
                pd.Series(events, index=index),
                "Series with a shuffled index",
            )
        elif kind == 2:
            yield list(times * 0.25), list(scores), [bool(e) for e in events], "lists with boolean events"
        else:
            yield times / 365.25, scores, events.astype(float), "float events"


@hidden_check
def check_harrell_c(fn) -> None:
    checks = Checks("harrell_c", public=False)
    fixed = [
        ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], [1, 1, 1, 1, 1], "no censoring, perfectly ordered"),
        ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 1, 1, 1, 1], "no censoring, reversed order"),
        ([1, 2, 3, 4], [2, 2, 2, 2], [1, 1, 1, 1], "every score tied"),
        ([4, 4, 4, 6], [1, 2, 3, 0], [1, 1, 1, 1], "three deaths at the same time"),
        ([5, 5, 7], [1, 2, 0], [1, 0, 1], "a censoring at exactly the time of a death"),
        ([5, 5, 7, 9], [2, 1, 0, 3], [1, 0, 1, 0], "a censoring at exactly the time of a death, lower score"),
        ([1, 3, 6, 8], [0.1, 0.9, 0.5, 0.2], [0, 1, 1, 0], "the earliest patient censored"),
        ([2, 4, 6, 8, 10], [3, 1, 4, 1, 5], [1, 0, 1, 0, 1], "alternating deaths and censorings"),
        ([3, 3, 3, 5, 5], [1, 1, 2, 2, 3], [1, 0, 1, 1, 0], "tied times and tied scores together"),
        ([2, 2], [1, 0], [1, 0], "two patients, the censoring at the death time"),
        ([9, 2], [1, 0], [0, 1], "two patients, the later one censored, rows in reverse order"),
    ]
    for times, scores, events, case in fixed:
        _c_case(checks, fn, np.array(times, dtype=float), np.array(scores, dtype=float), np.array(events), case)
    for i, (times, scores, events, kind) in enumerate(random_survival(44, 60)):
        _c_case(checks, fn, times, scores, events, f"random data set #{i} ({kind})")
    checks.done()
