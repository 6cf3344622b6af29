"""C3W1 quiz: randomised trials, ARR, NNT and odds ratios, benefit by baseline risk, C-for-benefit, T-learner
(levamisole + 5-FU colon-cancer trial)."""

from grader.quizzes import Choice, Number

TITLE = "Who benefits from treatment?"

WORKSPACE = """
import numpy as np
import pandas as pd
from helpers.data.colon import load_colon

df = load_colon()  # 607 patients: TRTMT (True = levamisole + 5-FU), outcome (1 = died within 5 years), covariates
df.head()
"""


def _rates(many_nodes: bool | None = None):
    from helpers.data.colon import load_colon

    df = load_colon()
    if many_nodes is not None:
        df = df[df["node4"] == int(many_nodes)]
    treated = df.loc[df["TRTMT"].astype(bool), "outcome"].mean()
    control = df.loc[~df["TRTMT"].astype(bool), "outcome"].mean()
    return float(treated), float(control)


def many_nodes_arr() -> float:
    treated, control = _rates(many_nodes=True)
    return control - treated


def many_nodes_nnt() -> float:
    return 1 / many_nodes_arr()


def many_nodes_odds_ratio() -> float:
    treated, control = _rates(many_nodes=True)
    return (treated / (1 - treated)) / (control / (1 - control))


def worked_or_to_arr() -> float:
    p, odds_ratio = 0.4, 0.6
    treated_odds = odds_ratio * p / (1 - p)
    return p - treated_odds / (1 + treated_odds)


QUESTIONS = [
    Choice(
        "What randomisation buys",
        "Why can the difference in death rates between the two arms of a randomised trial be read as the effect "
        "of the treatment?",
        {
            "A": "Chance decides who is treated, so on average the arms are alike in every characteristic, measured "
            "or not; only the treatment differs systematically.",
            "B": "Doctors give the treatment to the patients who need it most.",
            "C": "Randomised trials have no missing data.",
            "D": "The arms always have exactly the same size.",
        },
        "A",
        "Randomisation breaks every link between patient characteristics and treatment, so confounders — even "
        "unmeasured ones — are balanced on average. (B) describes confounding by indication, the problem of "
        "observational data.",
        {"B": "describes confounding by indication as if it were randomisation"},
    ),
    Number(
        "Absolute risk reduction in a subgroup",
        "From `df` of the working space, take the patients with **more than 4 positive lymph nodes** "
        "(`node4 == 1`). What is their absolute risk reduction ARR = (death rate of the control arm) − (death rate "
        "of the treated arm)?",
        0.127903,
        3,
        0.002,
        "In this subgroup 71.8 % of control and 59.0 % of treated patients died within 5 years: ARR ≈ 0.128, "
        "larger than the whole trial's 0.110, consistent with these patients' higher baseline risk — though a "
        "difference of this size could also be chance (a subgroup of 163 "
        "patients: its interval is wide).",
        {
            0.110: "used the whole trial",
            0.097: "used the patients with 4 nodes or fewer",
            -0.128: "subtracted in the wrong order",
            0.822: "gave the relative risk",
        },
        "many_nodes_arr",
    ),
    Number(
        "Number needed to treat",
        "For the same subgroup (`node4 == 1`), what is 1 / ARR, to one decimal (before the usual rounding up to a "
        "whole patient)?",
        7.818396,
        1,
        0.1,
        "1 / 0.128 ≈ 7.8: about eight such patients must be treated for one of them to be spared a death within "
        "5 years, against about nine in the whole trial.",
        {9.1: "used the whole trial", 1.4: "inverted the control death rate", 0.1: "gave the ARR"},
        "many_nodes_nnt",
    ),
    Number(
        "The odds ratio in the subgroup",
        "For the same subgroup (`node4 == 1`), what is the odds ratio of death, treated against control?",
        0.565574,
        3,
        0.002,
        "Odds 0.590/0.410 = 1.44 treated and 0.718/0.282 = 2.54 control; OR ≈ 0.566. The relative risk (0.822) is "
        "much closer to 1: with common outcomes the odds ratio exaggerates the relative effect.",
        {
            0.822: "gave the relative risk",
            1.768: "inverted the ratio (control against treated)",
            0.637: "used the whole trial",
        },
        "many_nodes_odds_ratio",
    ),
    Number(
        "From an odds ratio to a risk reduction",
        "A patient's risk of death without treatment is 0.40 and treatment has an odds ratio of 0.6. What is this "
        "patient's absolute risk reduction?",
        0.114286,
        3,
        0.002,
        "Odds without treatment 0.4/0.6 = 0.667; with treatment 0.6 × 0.667 = 0.4, i.e. a risk of 0.4/1.4 = 0.286. "
        "ARR = 0.400 − 0.286 ≈ 0.114.",
        {
            0.16: "treated the odds ratio as a relative risk (0.4 × 0.4)",
            0.286: "gave the treated risk",
            0.24: "gave the treated risk computed as 0.6 × 0.4 (odds ratio used as a relative risk)",
        },
        "worked_or_to_arr",
    ),
    Choice(
        "One odds ratio, many benefits",
        "A logistic model gives every patient the same treatment odds ratio, 0.6. Which patients does it predict "
        "to benefit most in absolute terms?",
        {
            "A": "Those with an intermediate baseline risk.",
            "B": "Those with the lowest baseline risk.",
            "C": "All patients equally.",
            "D": "Those with the highest baseline risk, close to 1.",
        },
        "A",
        "ARR = p − OR·odds/(1 + OR·odds) is near 0 when p is near 0 or near 1 and largest in between. One relative "
        "effect therefore means very different absolute benefits.",
        {"C": "equates a constant odds ratio with a constant benefit", "D": "assumes benefit grows with risk"},
    ),
    Choice(
        "Why individual benefit is not observed",
        "Why can the benefit of treatment for one trial patient not be read from the data?",
        {
            "A": "Each patient is observed in one arm only: we never see the same patient's outcome both with and "
            "without treatment.",
            "B": "The trial did not record outcomes.",
            "C": "Benefit is only defined for groups of exactly ten patients.",
            "D": "The outcome is binary.",
        },
        "A",
        "This is the fundamental problem of causal inference. Benefit can only be *estimated* (by a model) and "
        "evaluated indirectly — for example by comparing matched treated and control patients, as the "
        "C-for-benefit does.",
        {"D": "blames the outcome type"},
    ),
    Choice(
        "What the C-for-benefit compares",
        "The C-for-benefit pairs each treated patient with a control patient of similar predicted benefit. The "
        "observed benefit of a pair is the control outcome minus the treated outcome. The C-for-benefit is …",
        {
            "A": "the fraction of pairs of such pairs, with different observed benefits, in which the pair with the "
            "larger predicted benefit also has the larger observed benefit (ties in prediction count one half).",
            "B": "the C-index of the risk model on the treated patients.",
            "C": "the AUC of predicted benefit for the outcome.",
            "D": "the correlation between predicted and observed benefit of individual patients.",
        },
        "A",
        "Concordance is judged between matched pairs, because only a pair gives an observed benefit (−1, 0 or 1). "
        "Pairs of pairs with equal observed benefit are not usable.",
        {"B": "confuses benefit with risk discrimination", "D": "assumes individual benefit is observed"},
    ),
    Choice(
        "A T-learner",
        "A T-learner predicts a patient's risk reduction as …",
        {
            "A": "the risk predicted by a model fitted on the control patients minus the risk predicted by a model "
            "fitted on the treated patients.",
            "B": "the coefficient of treatment in one logistic regression.",
            "C": "the difference between the two arms' observed death rates.",
            "D": "the risk predicted by one model with TRTMT set to True.",
        },
        "A",
        "Two models, one per arm ('T' for two), each predicting risk from the covariates; their difference lets the "
        "benefit vary with any covariate, not only through the baseline risk.",
        {
            "C": "gives the trial's average effect instead of an individual prediction",
            "D": "forgets to subtract the untreated risk",
        },
    ),
    Choice(
        "Baseline risk",
        "`base_risks(X, lr_model)` predicts each patient's risk with `TRTMT` set to False. For which patients?",
        {
            "A": "For every patient, whatever arm they were in.",
            "B": "Only for the control patients.",
            "C": "Only for the treated patients.",
            "D": "Only for the patients who died.",
        },
        "A",
        "The baseline risk is a counterfactual for the treated patients and the observed-arm prediction for the "
        "controls; both are needed to place every patient on the ARR curve.",
        {"B": "only predicts for patients actually untreated"},
    ),
]
