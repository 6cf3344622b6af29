"""C2W4 quiz: one-hot encoding, the Cox model and hazard ratios, Harrell's C, random survival forests (Mayo PBC)."""

import math

from grader.quizzes import Choice, Number

TITLE = "Cox models and random survival forests"

WORKSPACE = """
import numpy as np
import pandas as pd
from lifelines import CoxPHFitter
from helpers.data.pbc import load_pbc

pbc = load_pbc()  # 258 Mayo PBC trial patients: time (years), status (1 = died), measurements at entry
pbc.head()
"""


def censored_fraction() -> float:
    from helpers.data.pbc import load_pbc

    return float(1 - load_pbc()["status"].mean())


def log_bili_hazard_ratio() -> float:
    import numpy as np
    from lifelines import CoxPHFitter

    from helpers.data.pbc import load_pbc

    pbc = load_pbc()
    data = pbc[["time", "status"]].assign(log_bili=np.log(pbc["bili"]))
    return float(CoxPHFitter().fit(data, "time", "status").hazard_ratios_["log_bili"])


def worked_hazard_ratio() -> float:
    theta, x_1, x_2 = [0.5, -0.3], [1, 2], [0, 1]
    return math.exp(sum(t * (a - b) for t, a, b in zip(theta, x_1, x_2)))


WORKED_TIMES, WORKED_EVENTS, WORKED_SCORES = [2, 4, 5, 7], [1, 1, 0, 1], [0.9, 0.5, 0.7, 0.1]


def worked_harrell_c() -> float:
    from sksurv.metrics import concordance_index_censored

    return float(concordance_index_censored([bool(e) for e in WORKED_EVENTS], WORKED_TIMES, WORKED_SCORES)[0])


QUESTIONS = [
    Choice(
        "Why one level is dropped",
        "One-hot encoding `edema` (levels 0, 0.5, 1) for a Cox model keeps `edema_0.5` and `edema_1.0` and drops "
        "the column of level 0. Why?",
        {
            "A": "With all three columns, they always sum to 1: the model could not tell them apart from its baseline "
            "hazard, so the coefficients would not be identifiable.",
            "B": "Level 0 is the most common, so it carries no information.",
            "C": "Cox models accept at most two columns per variable.",
            "D": "To save memory.",
        },
        "A",
        "The dropped level is the reference: a patient without oedema has 0 in both kept columns, and "
        "$e^{\\theta}$ of `edema_1.0` is the hazard ratio against that reference. Keeping every level adds a "
        "column that is a linear combination of the others.",
        {"B": "thinks the reference is dropped for being uninformative"},
    ),
    Choice(
        "Proportional hazards",
        "What does the **proportional hazards** assumption of the Cox model say?",
        {
            "A": "A patient's hazard is the baseline hazard times a factor that depends on their covariates but not on "
            "time.",
            "B": "Every patient has the same hazard.",
            "C": "The hazard is constant over time.",
            "D": "Survival decreases in proportion to time.",
        },
        "A",
        "$h(t\\mid x) = h_0(t)\\, e^{\\theta\\cdot x}$: the baseline may have any shape over time, but the ratio of "
        "two patients' hazards is the same at every time — so their survival curves never cross.",
        {"C": "confuses proportional hazards with an exponential (constant-hazard) model"},
    ),
    Number(
        "A hazard ratio by hand",
        "A Cox model has coefficients $\\theta = (0.5, -0.3)$. Patient 1 has covariates $(1, 2)$, patient 2 has "
        "$(0, 1)$. What is the hazard ratio of patient 1 against patient 2?",
        1.221403,
        3,
        0.002,
        "$\\mathrm{HR} = \\exp(\\theta\\cdot(x_1 - x_2)) = \\exp(0.5 \\times 1 - 0.3 \\times 1) = e^{0.2} "
        "\\approx 1.221$. The baseline hazard cancels.",
        {
            0.2: "gave the log hazard ratio",
            0.905: "gave exp(theta · x_1) only",
            1.2: "gave 1 + 0.2 instead of exp(0.2)",
        },
        "worked_hazard_ratio",
    ),
    Choice(
        "Reading a hazard ratio",
        "The fitted model gives `edema_1.0` a hazard ratio of about 3.0. What does that mean?",
        {
            "A": "At any time, a patient with oedema despite diuretics has about three times the death rate of an "
            "otherwise identical patient without oedema.",
            "B": "Patients with oedema live one third as long.",
            "C": "Three times as many patients with oedema die within the study.",
            "D": "The probability of death is 3 % higher with oedema.",
        },
        "A",
        "A hazard ratio compares instantaneous death rates, adjusted for the other covariates — not lifetimes, not "
        "counts of deaths, not probabilities.",
        {"B": "reads a hazard ratio as a ratio of survival times", "C": "reads it as a ratio of death counts"},
    ),
    Number(
        "Harrell's C by hand",
        "Four patients have times `[2, 4, 5, 7]`, events `[1, 1, 0, 1]` (the patient at time 5 is censored) and risk "
        "scores `[0.9, 0.5, 0.7, 0.1]`. What is Harrell's C?",
        0.8,
        3,
        0.002,
        "A pair is permissible when the shorter time is an observed death: (2,4), (2,5), (2,7), (4,5), (4,7) — the "
        "pair (5,7) is not, because the patient at 5 was censored. Concordant: all but (4,5), where 0.5 < 0.7. "
        "C = 4/5 = 0.8.",
        {
            0.833: "counted the pair that starts with a censored patient (or treated the censoring as a death)",
            1.0: "dropped the censored patient altogether",
        },
        "worked_harrell_c",
    ),
    Choice(
        "Permissible pairs",
        "Which pair of patients is **not** usable (not permissible) when computing Harrell's C?",
        {
            "A": "Patient A died at 2 years, patient B died at 5 years.",
            "B": "Patient A died at 2 years, patient B was censored at 5 years.",
            "C": "Patient A was censored at 2 years, patient B died at 5 years.",
            "D": "Patient A died at 3 years, patient B was censored at 3 years.",
        },
        "C",
        "If A was censored at 2 years we do not know whether A died before or after B's death at 5, so the pair "
        "cannot be ordered. In (D), by the usual convention, the censored patient outlived the death at the same "
        "time.",
        {"B": "thinks any pair with a censored patient is unusable", "D": "drops ties between a death and a censoring"},
    ),
    Number(
        "How much is censored",
        "What fraction of the 258 patients in `pbc` is censored (alive at last contact)?",
        0.569767,
        3,
        0.002,
        "111 deaths among 258 patients: 147/258 ≈ 0.570 were censored. Much of the data is partial information, "
        "which is why survival methods rather than a yes/no classifier are used.",
        {0.430: "gave the fraction who died", 57.0: "gave a percentage"},
        "censored_fraction",
    ),
    Number(
        "Bilirubin's hazard ratio",
        "Fit `CoxPHFitter()` (no penalty) on all 258 patients with one covariate, `log_bili = np.log(bili)`, and "
        "the columns `time` and `status`. What is the hazard ratio for one unit of `log_bili`?",
        2.878423,
        2,
        0.02,
        "`hazard_ratios_['log_bili']` ≈ 2.88: each unit of log bilirubin (bilirubin multiplied by e ≈ 2.7) "
        "almost triples the hazard — one reason bilirubin is in the Mayo risk score.",
        {1.057: "gave the coefficient (log hazard ratio)", 1.153: "used bilirubin without the log"},
        "log_bili_hazard_ratio",
    ),
    Choice(
        "What a random survival forest adds",
        "Compared with a Cox model, a random survival forest …",
        {
            "A": "needs no proportional-hazards assumption and finds interactions and non-linear effects by itself.",
            "B": "gives a hazard ratio for every covariate.",
            "C": "cannot handle censored patients.",
            "D": "always has a higher C-index.",
        },
        "A",
        "Its trees split on any variable at any threshold, and its predictions are averaged cumulative hazards from "
        "the leaves, so no parametric form is assumed. The price: no single hazard ratio to report, and more "
        "variance — on small data it does not always beat Cox.",
        {"D": "assumes a flexible model always wins", "B": "confuses its output with a Cox model's"},
    ),
]
