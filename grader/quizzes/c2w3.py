"""C2W3 quiz: censoring, the naive estimator, Kaplan–Meier, the log-rank test (lymphoma data, lifelines)."""

from grader.quizzes import Choice, Number

TITLE = "Survival estimates that vary with time"

WORKSPACE = """
import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test
from helpers.data.survival import STAGE_NAMES, load_lymphoma

df = load_lymphoma()  # Stage_group (1 = stage III, 2 = stage IV), Time (days), Event (1 = death observed)
df.head()
"""


def _stage(group):
    from helpers.data.survival import load_lymphoma

    df = load_lymphoma()
    return df[df["Stage_group"] == group]


def km_stage4_day120() -> float:
    from lifelines import KaplanMeierFitter

    part = _stage(2)
    return float(KaplanMeierFitter().fit(part["Time"], part["Event"]).predict(120))


def median_all() -> float:
    from lifelines import KaplanMeierFitter

    from helpers.data.survival import load_lymphoma

    df = load_lymphoma()
    return float(KaplanMeierFitter().fit(df["Time"], df["Event"]).median_survival_time_)


WORKED_TIMES, WORKED_EVENTS = [2, 3, 5, 5, 8], [1, 0, 1, 1, 0]


def worked_km_day5() -> float:
    from lifelines import KaplanMeierFitter

    return float(KaplanMeierFitter().fit(WORKED_TIMES, WORKED_EVENTS).predict(5))


def logrank_statistic() -> float:
    from lifelines.statistics import logrank_test

    a, b = _stage(1), _stage(2)
    return float(logrank_test(a["Time"], b["Time"], a["Event"], b["Event"]).test_statistic)


QUESTIONS = [
    Choice(
        "What a censored row says",
        "A row of the lymphoma table reads `Time = 120, Event = 0`. What do we know about this patient?",
        {
            "A": "The patient died on day 120.",
            "B": "The patient was alive on day 120; what happened afterwards is unknown.",
            "C": "The patient was cured by day 120.",
            "D": "The row is incomplete and should be dropped before any analysis.",
        },
        "B",
        "Event = 0 means the follow-up ended (the patient was last seen alive on day 120) without an observed death. "
        "It is partial information — survival to at least day 120 — not a death, not a cure, and not something to "
        "discard: dropping such rows biases every estimate.",
        {"A": "reads Time as the time of death whatever Event says", "D": "treats censoring as missing data"},
    ),
    Choice(
        "The naive estimator",
        "The naive estimate of $S(t)$ drops the patients censored before $t$ and divides the number known to be "
        "alive after $t$ by the number whose status at $t$ is known. On data with censoring, compared with "
        "Kaplan–Meier it tends to …",
        {
            "A": "overestimate survival, because censored patients are optimistic.",
            "B": "underestimate survival, because the dropped patients had already survived up to their censoring "
            "time.",
            "C": "agree exactly with Kaplan–Meier.",
            "D": "be unbiased but have a wider confidence interval.",
        },
        "B",
        "A patient censored before $t$ was alive at censoring, so they were more likely than average to be alive "
        "at $t$. Removing them removes likely survivors, and the estimate falls too low. On the lymphoma data the "
        "naive estimate is at or below Kaplan–Meier at every observed time (for example 0.41 against 0.43 on day "
        "134).",
        {"A": "gets the direction of the bias backwards", "D": "thinks dropping rows only costs precision"},
    ),
    Number(
        "Kaplan–Meier for stage IV",
        "Using the stage IV patients only (`Stage_group == 2`), what is the Kaplan–Meier estimate of survival "
        "past **day 120**? (Your `kaplan_meier` or lifelines' `KaplanMeierFitter` will do.)",
        0.369156,
        3,
        0.002,
        "Among the 61 stage IV patients the Kaplan–Meier curve stands at 0.369 at day 120: about one in three is "
        "expected to be alive four months after diagnosis. The estimate is the last step at or before day 120.",
        {
            0.680: "used the stage III patients",
            0.444: "used all 80 patients",
            0.631: "gave the probability of death by day 120",
            36.9: "gave a percentage",
        },
        "km_stage4_day120",
    ),
    Number(
        "Median survival of the whole cohort",
        "What is the median survival time of **all 80 patients**, in **days**, read from their Kaplan–Meier curve "
        "(the first time the curve is at or below 0.5)?",
        90.0,
        0,
        0,
        "The Kaplan–Meier curve of all patients first reaches 0.5 or below on day 90. The median is read from the "
        "curve, not from the observed times: the median of the times (83.5 days) mixes deaths with censorings.",
        {83.5: "took the median of the observed times, censored ones included", 82.0: "gave the stage IV median"},
        "median_all",
    ),
    Number(
        "A worked Kaplan–Meier step",
        "Five patients: death on day 2, censored on day 3, two deaths on day 5, censored on day 8. What is the "
        "Kaplan–Meier estimate of survival past **day 5**?",
        0.266667,
        3,
        0.002,
        "Day 2: 5 at risk, 1 death, $S = 4/5$. The day-3 patient leaves the risk set without an event. Day 5: 3 at "
        "risk, 2 deaths, $S = 4/5 \\times 1/3 \\approx 0.267$.",
        {
            0.25: "dropped the censored patient (naive estimate 1/4)",
            0.4: "kept the censored day-3 patient in the risk set at day 5 (4/5 × 2/4)",
            0.533: "counted one death on day 5 instead of two (4/5 × 2/3)",
        },
        "worked_km_day5",
    ),
    Choice(
        "A death and a censoring on the same day",
        "On day 42 one patient dies and another is censored. How does the Kaplan–Meier estimator treat the "
        "censored patient at day 42?",
        {
            "A": "As at risk on day 42: censoring is taken to happen just after the deaths of that day.",
            "B": "As removed from the risk set before the deaths of day 42.",
            "C": "As a second death on day 42.",
            "D": "As if they had never been in the study.",
        },
        "A",
        "The convention is that a patient censored at $t$ was still at risk at $t$: the death count at $t$ is "
        "divided by everyone whose time is $\\ge t$. Removing the censored patient first shrinks the risk set and "
        "makes the drop at $t$ too large.",
        {"B": "uses a strict risk set (time > t) for censored patients"},
    ),
    Choice(
        "What the log-rank test compares",
        "The log-rank test of stage III against stage IV compares …",
        {
            "A": "the two medians.",
            "B": "the two curves at one chosen time, such as one year.",
            "C": "at every death time, the deaths observed in one group with the deaths expected if both groups "
            "shared one survival curve.",
            "D": "the mean follow-up time of the two groups.",
        },
        "C",
        "The statistic sums, over the distinct death times, observed minus expected deaths in one group (the "
        "expectation uses the pooled risk sets), squares that sum and divides by its variance — a chi-square "
        "statistic with 1 degree of freedom. It uses the whole curve, not one "
        "time point or one summary.",
        {"B": "confuses the test with a comparison of landmark survival", "A": "thinks it is a test of medians"},
    ),
    Number(
        "The log-rank statistic",
        "Compute the log-rank test of stage III (`Stage_group == 1`) against stage IV (`Stage_group == 2`). What is "
        "its chi-square **test statistic**?",
        6.709711,
        2,
        0.01,
        "The statistic is about 6.71 on 1 degree of freedom, which gives $p \\approx 0.0096$: a difference this "
        "large would be rare if the two stages shared one survival curve.",
        {
            0.0096: "gave the p-value",
            2.59: "gave the square root of the statistic (a z-score)",
            3.84: "gave the 5 % critical value of chi-square with 1 degree of freedom",
        },
        "logrank_statistic",
    ),
    Choice(
        "When the log-rank test is most powerful",
        "The log-rank test is most powerful when …",
        {
            "A": "the hazards of the two groups are proportional (one is a constant multiple of the other).",
            "B": "the survival curves cross.",
            "C": "there is no censoring at all.",
            "D": "the groups have exactly the same size.",
        },
        "A",
        "It weights every death time equally, which is optimal under proportional hazards. When curves cross, early "
        "and late differences cancel in the sum and the test can miss a real difference.",
        {"B": "thinks any visible difference is easy to detect", "C": "thinks censoring is what weakens the test"},
    ),
    Choice(
        "Reading a Kaplan–Meier plot",
        "Which statements about a Kaplan–Meier curve are right? Select every right one.",
        {
            "A": "It steps down only at times when a death is observed.",
            "B": "Tick marks show patients censored at that time.",
            "C": "It steps down at every censoring time.",
            "D": "Its confidence band widens as fewer patients remain at risk.",
        },
        "ABD",
        "Deaths move the curve; censorings only shrink the risk set (and are usually drawn as ticks), which is why "
        "later steps are larger and the band wider: fewer patients carry each estimate.",
        {"ABCD": "thinks censoring also lowers the curve", "AB": "forgets that the uncertainty grows over time"},
        select_all=True,
    ),
]
