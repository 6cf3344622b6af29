"""C2W1 quiz: log transform and standardization, logistic regression, the C-index, interactions (NHANES)."""

import math

from grader.quizzes import Choice, Number

TITLE = "A linear risk model for diabetes"

WORKSPACE = """
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from helpers.data.nhanes import load_nhanes_diabetes

X, y = load_nhanes_diabetes()  # 4,488 adults (NHANES 2017-2018): seven measurements; y = 1 for diabetes
X.head()
"""


def prevalence() -> float:
    from helpers.data.nhanes import load_nhanes_diabetes

    _, y = load_nhanes_diabetes()
    return float(y.mean())


def age_cindex() -> float:
    from sklearn.metrics import roc_auc_score

    from helpers.data.nhanes import load_nhanes_diabetes

    X, y = load_nhanes_diabetes()
    return float(roc_auc_score(y, X["Age"]))


WORKED_Y, WORKED_SCORES = [1, 0, 1, 0, 0], [0.9, 0.3, 0.4, 0.4, 0.1]


def worked_cindex() -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(WORKED_Y, WORKED_SCORES))


def worked_z() -> float:
    return (math.log(100) - 4.5) / 0.25


def odds_multiplier() -> float:
    return math.exp(0.40)


def interaction_columns() -> float:
    return 7 + math.comb(7, 2)


QUESTIONS = [
    Choice(
        "Which statistics standardize the test set",
        "You standardize the log-measurements before fitting the model. Which mean and standard deviation do you "
        "apply to the **test** set?",
        {
            "A": "The test set's own mean and standard deviation.",
            "B": "Those of the training set.",
            "C": "Those of training and test sets pooled.",
            "D": "None: the test set is left on its original scale.",
        },
        "B",
        "The model's weights were learned on data scaled with the training statistics; the test set must go through "
        "exactly the same transformation. Using test-set (or pooled) statistics lets information about the test "
        "data shape the preprocessing — a form of leakage — and makes the test set look different from what a "
        "future patient, scored one at a time, would look like.",
        {"A": "standardizes each set on its own", "C": "pools the data before splitting"},
    ),
    Choice(
        "Why take logarithms",
        "Why does the notebook take the logarithm of measurements such as HDL cholesterol and BMI before fitting?",
        {
            "A": "Their distributions are right-skewed; the log pulls in the long tail so a few extreme values do not "
            "dominate the fit.",
            "B": "Logistic regression requires normally distributed inputs.",
            "C": "The log makes every measurement independent of the others.",
            "D": "The log removes the need to standardize.",
        },
        "A",
        "The log compresses large values (HDL skewness 1.24 → 0.07 in the notebook). Logistic regression does not "
        "require normal inputs, the log does not decorrelate anything, and the columns still need a common scale.",
        {"B": "believes logistic regression assumes normal features"},
    ),
    Number(
        "Standardizing one value",
        "A test patient's measurement is 100. On the training set the **natural log** of this measurement has mean "
        "4.5 and standard deviation 0.25. What standardized value $z$ does the patient get?",
        0.420681,
        3,
        0.002,
        "$z = (\\ln 100 - 4.5) / 0.25 = (4.605 - 4.5)/0.25 \\approx 0.421$: take the log first, then subtract the "
        "training mean of the logs and divide by their standard deviation.",
        {
            -10.0: "used log10 instead of the natural log",
            382.0: "standardized without taking the log",
            0.105: "forgot to divide by the standard deviation",
        },
        "worked_z",
    ),
    Number(
        "Reading a coefficient",
        "In a logistic regression on standardized inputs, the coefficient of waist circumference is 0.40. By what "
        "factor do the **odds** of diabetes multiply for one standard deviation more waist, the other inputs held "
        "fixed?",
        1.491825,
        3,
        0.002,
        "A coefficient is a change in log-odds; the odds multiply by $e^{0.40} \\approx 1.49$ per standard "
        "deviation. It is an *adjusted* effect: BMI, which is strongly correlated with waist, is held fixed.",
        {
            0.4: "read the coefficient itself as the multiplier",
            1.4: "added the coefficient to 1",
            0.599: "computed the probability sigma(0.40)",
        },
        "odds_multiplier",
    ),
    Number(
        "A C-index by hand",
        "Five people have outcomes `y = [1, 0, 1, 0, 0]` and risk scores `[0.9, 0.3, 0.4, 0.4, 0.1]`. What is the "
        "C-index (ties in score count one half)?",
        0.916667,
        3,
        0.002,
        "There are 2 × 3 = 6 case/non-case pairs. The case scored 0.9 is above all three non-cases; the case scored "
        "0.4 is above 0.3 and 0.1 and tied with 0.4. C = (5 + 0.5)/6 ≈ 0.917.",
        {
            0.833: "counted the tie as discordant",
            1.0: "dropped the tied pair from the denominator",
        },
        "worked_cindex",
    ),
    Number(
        "Age alone",
        "On the whole cohort (`X, y` of the working space), what is the C-index of **age alone** used as the risk "
        "score?",
        0.724836,
        3,
        0.002,
        "`roc_auc_score(y, X['Age'])` gives 0.725: age alone ranks a random person with diabetes above a random "
        "person without it 72 % of the time. The seven-measurement model reaches about 0.80 on the test set, so the "
        "other measurements add real information.",
        {0.275: "ranked younger people as higher risk", 0.80: "gave the model's C-index"},
        "age_cindex",
    ),
    Number(
        "Prevalence",
        "What fraction of the 4,488 adults of the cohort has diabetes?",
        0.192959,
        3,
        0.002,
        "866 of 4,488 adults, 0.193. A model that always predicts 'no diabetes' would therefore be 80.7 % accurate "
        "while finding nobody — one reason the course measures ranking (C-index) instead of accuracy.",
        {0.807: "gave the fraction without diabetes", 19.3: "gave a percentage"},
        "prevalence",
    ),
    Choice(
        "C-index and AUC",
        "For a yes/no outcome, the C-index of a risk score is …",
        {
            "A": "the accuracy of the score at a threshold of 0.5.",
            "B": "the probability that a randomly chosen case gets a higher score than a randomly chosen non-case "
            "(ties counting one half) — the area under the ROC curve.",
            "C": "the correlation between score and outcome.",
            "D": "the fraction of cases whose predicted probability exceeds 0.5.",
        },
        "B",
        "Concordance over all case/non-case pairs is exactly the AUC. It depends only on the ranking, not on a "
        "threshold, and not on whether the scores are calibrated probabilities.",
        {"A": "confuses ranking with thresholded accuracy", "D": "confuses it with sensitivity at 0.5"},
    ),
    Number(
        "Counting interaction columns",
        "`add_interactions` returns the original columns plus one product column for every pair of different "
        "columns. How many columns does it return for the 7 standardized measurements?",
        28.0,
        0,
        0,
        "7 original columns plus $\\binom{7}{2} = 21$ products of distinct pairs: 28. The model then has 29 "
        "parameters with the intercept.",
        {
            49.0: "counted the 7 originals plus 42 ordered products (7 + 7 × 6)",
            21.0: "returned only the products",
            35.0: "counted squares as interactions too (7 + 21 + 7)",
            42.0: "counted each pair twice",
        },
        "interaction_columns",
    ),
    Choice(
        "What an interaction term lets the model do",
        "Adding the product $z_{age} \\, z_{sbp}$ as a feature lets a logistic regression …",
        {
            "A": "give the effect of blood pressure a different size at different ages.",
            "B": "remove the correlation between age and blood pressure.",
            "C": "fit a non-linear effect of age on its own.",
            "D": "guarantee a higher test C-index.",
        },
        "A",
        "With a term $\\beta_{12} z_1 z_2$, the effect of $z_1$ on the log-odds is $\\beta_1 + \\beta_{12} z_2$: "
        "it changes with $z_2$. It does not decorrelate inputs, and extra parameters can as easily overfit as help.",
        {"D": "assumes more features always help", "C": "confuses an interaction with a squared term"},
    ),
]
