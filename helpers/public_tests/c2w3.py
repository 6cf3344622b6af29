"""Public tests for week C2W3 (survival estimates). Each prints 'All tests passed.' or raises with a clear message.

The small tables below are worked by hand in the comments, so a learner can follow every expected number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.public_tests.framework import Checks, call


def _table(times, events, **extra) -> pd.DataFrame:
    return pd.DataFrame({"Time": times, "Event": events, **extra})


# 6 patients; times 2, 4 (death + censoring tie), 4, 7 (censored), 9
SMALL = _table([2, 4, 4, 7, 9, 9], [1, 1, 0, 0, 1, 0])


def test_frac_censored(frac_censored) -> None:
    checks = Checks("frac_censored")
    cases = [
        (_table([5, 8, 12, 20], [1, 0, 1, 1]), 0.25, "4 patients, 1 censored"),
        (_table([3, 3, 4], [1, 1, 1]), 0.0, "no patient censored"),
        (_table([1, 2, 3, 4, 5], [0, 0, 0, 0, 0]), 1.0, "every patient censored"),
        (SMALL, 0.5, "6 patients, 3 censored"),
    ]
    for df, expected, case in cases:
        checks.close_enough(call("frac_censored", frac_censored, df, case=case), expected, case)
    checks.done()


def test_naive_estimator(naive_estimator) -> None:
    checks = Checks("naive_estimator")
    # SMALL: Time [2, 4, 4, 7, 9, 9], Event [1, 1, 0, 0, 1, 0]
    cases = [
        (0, 1.0, "t = 0: nobody has died yet (6 / 6)"),
        (2, 5 / 6, "t = 2: the death at time 2 counts as dead by t (5 / 6)"),
        (4, 3 / 5, "t = 4: 3 alive after t; the patient censored at 4 is dropped (3 / (3 + 2))"),
        (8, 2 / 4, "t = 8: 2 alive after t; censored at 4 and 7 dropped (2 / (2 + 2))"),
        (9, 0.0, "t = 9: the last death is at 9 and the other patient was censored at 9 (0 / 3)"),
    ]
    for t, expected, case in cases:
        got = call("naive_estimator", naive_estimator, t, SMALL.copy(), case=case)
        checks.close_enough(got, expected, case)
    checks.done()


def test_kaplan_meier(kaplan_meier) -> None:
    checks = Checks("kaplan_meier")
    # SMALL: at t=2: 6 at risk, 1 death -> 5/6; t=4: 5 at risk, 1 death -> 5/6*4/5 = 2/3;
    # t=7: censoring only -> 2/3; t=9: 2 at risk, 1 death -> 1/3
    cases = [
        (SMALL, [0, 2, 4, 7, 9], [1, 5 / 6, 2 / 3, 2 / 3, 1 / 3], "6 patients with a death/censoring tie at 4"),
        (SMALL.iloc[::-1], [0, 2, 4, 7, 9], [1, 5 / 6, 2 / 3, 2 / 3, 1 / 3], "the same patients in reverse order"),
        (_table([3, 3, 5], [1, 1, 1]), [0, 3, 5], [1, 1 / 3, 0], "two deaths tied at time 3 (one factor 1 - 2/3)"),
        (_table([10, 20], [0, 0]), [0, 10, 20], [1, 1, 1], "everyone censored: survival stays at 1"),
    ]
    for df, times, surv, case in cases:
        pair = checks.pair(call("kaplan_meier", kaplan_meier, df, case=case), case)
        if pair is None:
            continue
        got_times, got_surv = pair
        checks.vectors_close(got_times, times, f"{case} — times", hint="times are 0 then every distinct Time")
        checks.vectors_close(got_surv, surv, f"{case} — survival")
    checks.done()


def test_logrank_test(logrank_test) -> None:
    from lifelines.statistics import logrank_test as reference

    checks = Checks("logrank_test")
    rng = np.random.default_rng(7)
    a = _table([3, 5, 5, 8, 12, 15], [1, 1, 0, 1, 0, 1])
    b = _table([1, 2, 2, 4, 5, 6, 9], [1, 1, 1, 1, 0, 1, 1])
    c = _table(rng.integers(1, 30, 40), rng.integers(0, 2, 40))
    d = _table(rng.integers(1, 20, 35), rng.integers(0, 2, 35))
    for df_a, df_b, case in [(a, b, "two small groups with tied deaths"), (c, d, "two random groups of 40 and 35")]:
        pair = checks.pair(call("logrank_test", logrank_test, df_a, df_b, case=case), case)
        if pair is None:
            continue
        statistic, p_value = pair
        expected = reference(df_a["Time"], df_b["Time"], df_a["Event"], df_b["Event"])
        checks.close_enough(statistic, expected.test_statistic, f"{case} — statistic (lifelines gives this value)")
        checks.close_enough(p_value, expected.p_value, f"{case} — p-value (chi-square, 1 degree of freedom)")
    swapped = checks.pair(call("logrank_test", logrank_test, b, a, case="groups swapped"), "groups swapped")
    if swapped is not None:
        checks.close_enough(
            swapped[0],
            reference(a["Time"], b["Time"], a["Event"], b["Event"]).test_statistic,
            "groups swapped — the statistic must not depend on which group is A",
        )
    checks.done()
