"""Hidden tests for week C2W3. Failure messages say what kind of case fails, never the expected values.

Randomized cases are compared with the reference solutions (helpers.solutions.c2w3, generated from the master),
which tests/test_c2w3_reference.py in turn checks against lifelines on hundreds of data sets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.public_tests.framework import Checks, call, hidden_check
from helpers.solutions import c2w3 as ref


def _table(times, events, index=None) -> pd.DataFrame:
    return pd.DataFrame({"Time": times, "Event": events}, index=index)


def random_tables(seed: int, count: int, *, min_rows: int = 1, max_rows: int = 40, need_death: bool = False):
    """Survival tables with many ties (small integer times), mixed censoring, shuffled non-default indexes."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        n = int(rng.integers(min_rows, max_rows + 1))
        times = rng.integers(1, max(3, n // 2), size=n)
        events = (rng.random(n) < rng.uniform(0.2, 0.9)).astype(int)
        if need_death and not events.any():
            events[rng.integers(n)] = 1
        df = _table(times, events, index=rng.permutation(n) + 100)
        if i % 3 == 1:
            df["Time"] = df["Time"].astype(float) + 0.5
        if i % 4 == 2:
            df["Stage_group"] = rng.integers(1, 3, size=n)  # an extra column must be ignored
        yield df


# death and censoring tied at 5; censoring exactly at 3; two deaths tied at 8
TIES = _table([3, 3, 5, 5, 5, 8, 8, 9, 12], [1, 0, 1, 0, 0, 1, 1, 0, 1])


@hidden_check
def check_frac_censored(fn) -> None:
    checks = Checks("frac_censored", public=False)
    fixed = [
        (TIES, "9 patients, some of them censored"),
        (_table([4], [0]), "a single censored patient"),
        (_table([4], [1]), "a single patient whose death was observed"),
        (_table([2, 6, 6, 9], [1, 1, 1, 1]), "data in which nobody is censored"),
        (_table([2.5, 6.0], [0.0, 1.0]), "Event stored as floats"),
    ]
    cases = fixed + [(df, f"random table #{i}") for i, df in enumerate(random_tables(31, 25))]
    for df, case in cases:
        checks.close_enough(call("frac_censored", fn, df, case=case), ref.frac_censored(df), case)
    checks.done()


@hidden_check
def check_naive_estimator(fn) -> None:
    checks = Checks("naive_estimator", public=False)
    fixed = [
        (3, "t equal to a time where one patient died and one was censored"),
        (5, "t equal to a time with a death and two censorings"),
        (8, "t equal to a time with two tied deaths"),
        (4, "t between observed times"),
        (0, "t before any observed time"),
        (12, "t equal to the last time"),
        (np.int64(9), "t given as a NumPy integer (censored at t)"),
        (7.5, "t given as a float"),
    ]
    for t, case in fixed:
        checks.close_enough(call("naive_estimator", fn, t, TIES, case=case), ref.naive_estimator(t, TIES), case)
    for i, df in enumerate(random_tables(32, 25, need_death=True)):
        times = np.sort(df["Time"].unique())
        for t in (times[0], times[len(times) // 2], times[-1] + 1, times[len(times) // 3] + 0.25):
            case = f"random table #{i} at an {'observed' if t in times else 'unobserved'} time"
            checks.close_enough(call("naive_estimator", fn, t, df, case=case), ref.naive_estimator(t, df), case)
    checks.done()


def _km_case(checks: Checks, fn, df, case: str) -> None:
    pair = checks.pair(call("kaplan_meier", fn, df, case=case), case)
    if pair is None:
        return
    got_times, got_surv = pair
    times, surv = ref.kaplan_meier(df)
    checks.vectors_close(got_times, times, f"{case} — times")
    checks.vectors_close(got_surv, surv, f"{case} — survival")


@hidden_check
def check_kaplan_meier(fn) -> None:
    checks = Checks("kaplan_meier", public=False)
    fixed = [
        (TIES, "deaths and censorings at the same time"),
        (TIES.sample(frac=1.0, random_state=3), "the same data in shuffled row order"),
        (_table([7], [1]), "a single patient who died"),
        (_table([7], [0]), "a single censored patient"),
        (_table([2, 4, 4, 6], [0, 0, 0, 0]), "everybody censored"),
        (_table([2, 2, 2], [1, 1, 1]), "everybody dies at the same time"),
        (_table([1.5, 2.25, 2.25, 4.0], [1, 0, 1, 1]), "non-integer times"),
        (
            _table([5, 5, 3, 9, 9, 9], [0, 1, 0, 1, 0, 1], index=[10, 3, 7, 1, 0, 2]),
            "unsorted rows with a non-default index",
        ),
    ]
    for df, case in fixed:
        _km_case(checks, fn, df, case)
    for i, df in enumerate(random_tables(33, 30)):
        _km_case(checks, fn, df, f"random table #{i}")
    checks.done()


def _logrank_case(checks: Checks, fn, df_a, df_b, case: str) -> None:
    pair = checks.pair(call("logrank_test", fn, df_a, df_b, case=case), case)
    if pair is None:
        return
    statistic, p_value = pair
    expected_stat, expected_p = ref.logrank_test(df_a, df_b)
    checks.close_enough(statistic, expected_stat, f"{case} — statistic")
    checks.close_enough(p_value, expected_p, f"{case} — p-value")


@hidden_check
def check_logrank_test(fn) -> None:
    checks = Checks("logrank_test", public=False)
    a = _table([2, 3, 3, 5, 8, 8, 11], [1, 1, 1, 0, 1, 0, 1])
    b = _table([1, 3, 3, 4, 8, 9], [1, 1, 0, 1, 1, 1])
    _logrank_case(checks, fn, a, b, "tied deaths in both groups at the same time")
    _logrank_case(checks, fn, b, a, "the same groups swapped")
    _logrank_case(checks, fn, a, a.copy(), "two identical groups")
    _logrank_case(
        checks,
        fn,
        _table([1, 2, 3], [1, 1, 1]),
        _table([4, 5, 6, 7, 8], [1, 0, 1, 0, 1]),
        "groups of different sizes with no overlap in time",
    )
    rng = np.random.default_rng(34)
    tables = list(random_tables(35, 40, min_rows=4, max_rows=40, need_death=True))
    for i in range(0, len(tables), 2):
        df_a, df_b = tables[i], tables[i + 1]
        if rng.random() < 0.5:  # shift one group's times so the groups really differ
            df_b = df_b.assign(Time=df_b["Time"] * 2)
        if not np.isfinite(ref.logrank_test(df_a, df_b)[0]):
            continue  # zero variance: the statistic is undefined, not something to grade
        _logrank_case(checks, fn, df_a, df_b, f"random pair #{i // 2}")
    checks.done()
