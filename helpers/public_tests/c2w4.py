"""Public tests for week C2W4 (Cox models and survival forests). Each prints 'All tests passed.' or raises.

The small cases below are worked by hand in the comments, so a learner can follow every expected number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.public_tests.framework import Checks, call


def check_one_hot_frame(
    checks: Checks, got, original: pd.DataFrame, expected: pd.DataFrame, case: str, *, public: bool = True
) -> None:
    """Judge a one-hot encoded frame by its index, column set, values and float dummies (column order is free).

    ``original`` is the frame before encoding: every expected column it does not have is a one-hot column.
    """
    if not checks.that(isinstance(got, pd.DataFrame), f"{case}: expected a pandas DataFrame, got {type(got).__name__}"):
        return
    wrong_columns = (
        (f"{case}: expected the columns {sorted(map(str, expected.columns))}, got {sorted(map(str, got.columns))}")
        if public
        else f"{case}: wrong set of columns"
    )
    if not checks.that(
        set(got.columns) == set(expected.columns) and len(got.columns) == len(expected.columns), wrong_columns
    ):
        return
    if not checks.that(
        list(got.index) == list(expected.index), f"{case}: the rows must keep the index (row labels) of the input frame"
    ):
        return
    dummies = [c for c in expected.columns if c not in original.columns]
    not_float = [c for c in dummies if not pd.api.types.is_float_dtype(got[c])]
    checks.that(
        not not_float,
        f"{case}: one-hot columns must have float dtype (0.0 / 1.0, use dtype=float); "
        + (f"these are not: {not_float}" if public else "some are not"),
    )
    for column in expected.columns:
        if not pd.api.types.is_numeric_dtype(expected[column]):  # a text column that was not encoded
            values = list(got[column])
            ok = values == list(expected[column])
        else:
            try:
                values = np.asarray(got[column], dtype=float)
            except (TypeError, ValueError):
                checks.that(False, f"{case}: column {column!r} is not numeric")
                continue
            ok = np.allclose(values, expected[column].to_numpy(dtype=float), equal_nan=True)
            values = values.tolist()
        checks.that(
            ok,
            f"{case}: wrong values in column {column!r}"
            + (f" (expected {expected[column].tolist()}, got {values})" if public else ""),
        )


def test_to_one_hot(to_one_hot) -> None:
    checks = Checks("to_one_hot")
    df = pd.DataFrame(
        {"age": [50.0, 61.0, 47.0, 70.0], "edema": [0.0, 0.5, 1.0, 0.0], "stage": [2, 4, 3, 2]}, index=[10, 11, 12, 13]
    )
    # edema has levels 0.0 < 0.5 < 1.0: drop 0.0, keep edema_0.5 and edema_1.0
    # stage has levels 2 < 3 < 4 in this small frame: drop 2, keep stage_3 and stage_4
    expected = pd.DataFrame(
        {
            "age": [50.0, 61.0, 47.0, 70.0],
            "edema_0.5": [0.0, 1.0, 0.0, 0.0],
            "edema_1.0": [0.0, 0.0, 1.0, 0.0],
            "stage_3": [0.0, 0.0, 1.0, 0.0],
            "stage_4": [0.0, 1.0, 0.0, 0.0],
        },
        index=[10, 11, 12, 13],
    )
    got = call("to_one_hot", to_one_hot, df, ["edema", "stage"], case="edema and stage encoded")
    check_one_hot_frame(checks, got, df, expected, "edema and stage encoded")

    only_stage = expected[["age"]].assign(edema=df["edema"], stage_3=expected["stage_3"], stage_4=expected["stage_4"])
    got = call("to_one_hot", to_one_hot, df, ["stage"], case="only stage encoded (edema left as it is)")
    check_one_hot_frame(checks, got, df, only_stage, "only stage encoded (edema left as it is)")

    # levels appear as 'b', 'a', 'c' but the first level is the smallest one, 'a'
    letters = pd.DataFrame({"x": [1.5, 2.5, 3.5], "group": ["b", "a", "c"]})
    expected = pd.DataFrame({"x": [1.5, 2.5, 3.5], "group_b": [1.0, 0.0, 0.0], "group_c": [0.0, 0.0, 1.0]})
    got = call("to_one_hot", to_one_hot, letters, ["group"], case="text levels in unsorted order")
    check_one_hot_frame(checks, got, letters, expected, "text levels in unsorted order (the dropped level is 'a')")
    checks.done()


def test_hazard_ratio(hazard_ratio) -> None:
    checks = Checks("hazard_ratio")
    params = np.array([0.5, -1.0, 2.0])
    cases = [
        # theta . (x1 - x2) = 0.5*2 + (-1)*0 + 2*0 = 1  ->  e^1
        ([3.0, 1.0, 0.0], [1.0, 1.0, 0.0], params, np.e, "patients differing in the first covariate only"),
        # reversed order: e^-1
        ([1.0, 1.0, 0.0], [3.0, 1.0, 0.0], params, np.exp(-1.0), "the same two patients swapped"),
        # 0.5*0 + (-1)*(1 - 0) + 2*(1 - 0.5) = 0  ->  1
        ([1.0, 1.0, 1.0], [1.0, 0.0, 0.5], params, 1.0, "differences that cancel out"),
        ([2.0, 0.0, 1.0], [2.0, 0.0, 1.0], params, 1.0, "two identical patients"),
    ]
    for case_1, case_2, theta, expected, case in cases:
        got = call("hazard_ratio", hazard_ratio, np.array(case_1), np.array(case_2), theta, case=case)
        checks.close_enough(got, expected, f"{case} (NumPy arrays)")
    names = ["age", "bili", "edema_1.0"]
    series = [
        pd.Series([3.0, 1.0, 0.0], index=names),
        pd.Series([1.0, 1.0, 0.0], index=names),
        pd.Series(params, index=names),
    ]
    got = call("hazard_ratio", hazard_ratio, *series, case="pandas Series (like rows of a DataFrame)")
    checks.close_enough(got, np.e, "pandas Series (like rows of a DataFrame)")
    got = call("hazard_ratio", hazard_ratio, [3.0, 1.0, 0.0], [1.0, 1.0, 0.0], list(params), case="Python lists")
    checks.close_enough(got, np.e, "Python lists (convert them with np.asarray first)")
    checks.done()


def test_harrell_c(harrell_c) -> None:
    checks = Checks("harrell_c")
    cases = [
        # every pair permissible, the earlier death always has the higher score
        ([1, 2, 3, 4], [4, 3, 2, 1], [1, 1, 1, 1], 1.0, "4 deaths, perfectly ordered scores"),
        ([1, 2, 3, 4], [1, 2, 3, 4], [1, 1, 1, 1], 0.0, "4 deaths, scores in the wrong order"),
        # pairs (1,2): score tie -> 0.5; (1,3) and (2,3) concordant: 2.5 / 3
        ([1, 2, 3], [2, 2, 1], [1, 1, 1], 2.5 / 3, "a tie in the scores counts 0.5"),
        # A(t=2, death) B(t=4, death) C(t=4, censored) D(t=6, censored), scores .9 .3 .6 .1
        # permissible: AB, AC, AD, BC (C censored at B's death time), BD; not CD (both censored)
        # concordant: AB, AC, AD, BD; discordant: BC  ->  4 / 5
        (
            [2, 4, 4, 6],
            [0.9, 0.3, 0.6, 0.1],
            [1, 1, 0, 0],
            0.8,
            "censoring: a patient censored at the time of another's death is still a permissible pair",
        ),
        # patients 1 and 2 both die at time 3: not a permissible pair. The other 5 pairs are:
        # (1,3) 4 > 2, (1,4) 4 > 0, (2,4) 1 > 0, (3,4) 2 > 0 concordant; (2,3) 1 < 2 discordant  ->  4 / 5
        ([3, 3, 5, 6], [4, 1, 2, 0], [1, 1, 1, 1], 0.8, "two deaths at the same time are not a permissible pair"),
        # patient 1 censored at 2, before patient 2's death at 5: not permissible (patient 1 may have died first);
        # (1,3) both censored; only (2,3) counts, and it is concordant (5 > 3)  ->  1 / 1
        ([2, 5, 8], [1, 5, 3], [0, 1, 0], 1.0, "a patient censored before another's death is not a permissible pair"),
    ]
    for times, scores, events, expected, case in cases:
        got = call(
            "harrell_c",
            harrell_c,
            np.array(times, dtype=float),
            np.array(scores, dtype=float),
            np.array(events),
            case=case,
        )
        checks.close_enough(got, expected, case)
    # the same data as pandas Series with a shuffled row index, as a column of a test DataFrame would be
    index = [7, 3, 5, 1]
    case = "pandas Series with a non-default index (use np.asarray to work by position)"
    got = call(
        "harrell_c",
        harrell_c,
        pd.Series([2.0, 4, 4, 6], index=index),
        pd.Series([0.9, 0.3, 0.6, 0.1], index=index),
        pd.Series([1, 1, 0, 0], index=index),
        case=case,
    )
    checks.close_enough(got, 0.8, case)
    got = call(
        "harrell_c",
        harrell_c,
        [2, 4, 4, 6],
        [0.9, 0.3, 0.6, 0.1],
        [True, True, False, False],
        case="Python lists with boolean events",
    )
    checks.close_enough(got, 0.8, "Python lists with boolean events")
    checks.done()
