"""C2W2 quiz: overfitting trees, tuning on a validation set, random forests, missing data and imputation (NHEFS)."""

from grader.quizzes import Choice, Number

TITLE = "Tree models and missing data"

WORKSPACE = """
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from helpers.data.nhefs import load_nhefs

df = load_nhefs()  # 1,629 smokers examined in 1971-75; death = 1 if they died between 1983 and 1992
df.head()
"""


def _nhefs():
    from helpers.data.nhefs import load_nhefs

    return load_nhefs()


def death_rate_history_missing() -> float:
    df = _nhefs()
    return float(df.loc[df["hbp"].isna(), "death"].mean())


def smoking_years_cindex() -> float:
    from sklearn.metrics import roc_auc_score

    df = _nhefs()
    return float(roc_auc_score(df["death"], df["smokeyrs"]))


WORKED_COLUMN = [2.0, None, 4.0, None, 9.0]


def sd_after_mean_imputation() -> float:
    import pandas as pd

    column = pd.Series(WORKED_COLUMN, dtype=float)
    return float(column.fillna(column.mean()).std(ddof=1))


def grid_size() -> float:
    return 4 * 3 * 2


QUESTIONS = [
    Choice(
        "A tree with no depth limit",
        "An unlimited decision tree reaches a training C-index of 1.0 and a validation C-index of 0.60. What happened?",
        {
            "A": "The tree memorised the training patients: its tiny leaves predict 0 % or 100 % from one or two "
            "people, which does not carry over to new patients.",
            "B": "The validation set is too easy.",
            "C": "The tree is too simple to capture the signal.",
            "D": "The C-index cannot be used for trees.",
        },
        "A",
        "That gap is overfitting. Depth is a hyperparameter: it must be chosen on data the tree was not fitted on "
        "(the validation set), and the notebook's validation C-index peaks at depth 3.",
        {"C": "reads a low validation score as underfitting"},
    ),
    Choice(
        "Why three sets",
        "After a grid search picks the hyperparameters with the best **validation** C-index, why is the model "
        "reported on a separate **test** set?",
        {
            "A": "The winner was selected partly for being lucky on the validation patients, so its validation score "
            "is optimistic; the test set played no part in any choice.",
            "B": "The test set is larger, so it is more precise.",
            "C": "scikit-learn requires three sets.",
            "D": "The validation set was used to fit the model.",
        },
        "A",
        "Selecting the maximum of many noisy validation scores biases that maximum upwards. In the notebook the best "
        "tree scores 0.877 on validation and 0.790 on test.",
        {"B": "thinks the issue is sample size, not selection"},
    ),
    Number(
        "Size of a grid",
        "A grid search tries `max_depth` in [2, 3, 4, 5], `min_samples_leaf` in [1, 10, 30] and `criterion` in "
        "['gini', 'entropy']. How many models does it fit?",
        24.0,
        0,
        0,
        "Every combination is tried: 4 × 3 × 2 = 24 models, each fitted on the training set and scored on the "
        "validation set.",
        {9.0: "added the numbers of values (4 + 3 + 2)", 12.0: "forgot one hyperparameter"},
        "grid_size",
    ),
    Choice(
        "Where a random forest's randomness comes from",
        "Which sources of randomness make the trees of a random forest different from each other? Select every "
        "right one.",
        {
            "A": "Each tree is fitted on a bootstrap sample of the training patients.",
            "B": "At each split only a random subset of the features is considered.",
            "C": "The outcome labels are shuffled for each tree.",
            "D": "Each tree is fitted on the validation set instead of the training set.",
        },
        "AB",
        "Bagging (bootstrap samples) and random feature subsets (`max_features`) decorrelate the trees, so "
        "averaging them reduces variance. Shuffling labels would destroy the signal; the validation set is never "
        "fitted on.",
        {"A": "forgets the random feature subsets", "B": "forgets bagging"},
        select_all=True,
    ),
    Number(
        "Who has missing values",
        "Using `df` of the working space: among the people whose answer on high blood pressure (`hbp`) is "
        "**missing** — the 791 people of the later survey wave — what fraction died between 1983 and 1992?",
        0.145386,
        3,
        0.002,
        "14.5 % of them died, against 24.2 % of the people with an `hbp` answer: the missing block belongs to "
        "a later survey wave (slightly younger on average, 42.6 against 45.2 years, which explains only part of "
        "the gap). Dropping incomplete rows would change the population the model learns from.",
        {
            0.242: "used the people with an answer",
            0.195: "used everybody",
            0.486: "gave the fraction of people with the answer missing",
        },
        "death_rate_history_missing",
    ),
    Choice(
        "Missing at random",
        "Data are called **missing at random (MAR)** when …",
        {
            "A": "whether a value is missing depends only on other, observed variables (for example the survey wave).",
            "B": "whether a value is missing depends on that value itself (for example very high incomes left blank).",
            "C": "values are missing in a pattern a random-number generator could have produced, unrelated to "
            "anything.",
            "D": "fewer than 5 % of the values are missing.",
        },
        "A",
        "MAR: missingness depends on observed data only. (C) is *missing completely at random* (MCAR), (B) is "
        "*missing not at random* (MNAR). Under MAR, a model that uses the observed variables can impute without "
        "bias; dropping incomplete rows can still bias results.",
        {"C": "confuses MAR with MCAR", "B": "confuses MAR with MNAR"},
    ),
    Number(
        "What mean imputation does to spread",
        "A column holds `[2, missing, 4, missing, 9]`. Fill the missing values with the mean of the observed ones. "
        "What is the sample standard deviation (`ddof=1`) of the filled column?",
        2.549510,
        3,
        0.002,
        "The observed mean is 5; the filled column `[2, 5, 4, 5, 9]` has deviations 9, 0, 1, 0, 16 (squared), sum 26, "
        "over 4: sd ≈ 2.550 — smaller than the 3.606 of the observed values. Mean imputation shrinks the spread and "
        "weakens relations with other variables; model-based imputation (e.g. `IterativeImputer`) does better.",
        {3.606: "gave the standard deviation of the observed values", 2.280: "used ddof=0"},
        "sd_after_mean_imputation",
    ),
    Number(
        "Another single-variable benchmark",
        "On the whole cohort, what is the C-index of **years of smoking** (`smokeyrs`) alone used as the risk "
        "score for death?",
        0.804552,
        3,
        0.002,
        "`roc_auc_score(df['death'], df['smokeyrs'])` ≈ 0.805 — high, but mostly because years of smoking grow "
        "with age (correlation 0.87): age alone reaches 0.825 on the same patients.",
        {0.195: "ranked shorter smoking histories as higher risk", 0.825: "used age instead"},
        "smoking_years_cindex",
    ),
    Choice(
        "Variables from the future",
        "The raw table includes weight in 1982 and whether the person had quit smoking by 1982. Why does the model "
        "leave them out?",
        {
            "A": "They are measured after the baseline visit at which the model is meant to be used: they would leak "
            "information from the future.",
            "B": "They have too many missing values.",
            "C": "Trees cannot use continuous variables.",
            "D": "They are not associated with death.",
        },
        "A",
        "A prognostic model may only use what is known when it is applied. Later measurements can carry the "
        "outcome's early signs (weight loss before death) and make the model look better than it can be in use.",
        {"D": "thinks the variables are excluded for being useless"},
    ),
    Choice(
        "A lower C-index inside an age band",
        "The forest's C-index is 0.83 overall but 0.71 among patients aged 40 to 60. The most likely reason:",
        {
            "A": "Within an age band the easy contrast between young and old patients is gone, and the remaining "
            "variables separate patients less well.",
            "B": "The forest is miscalibrated for middle-aged patients.",
            "C": "The C-index is always lower in smaller groups.",
            "D": "Middle-aged patients were not in the training set.",
        },
        "A",
        "Most of the overall ranking comes from age. Inside an age band, pairs differ little in age, so the "
        "C-index measures how well everything else ranks patients — a harder task.",
        {"C": "thinks group size alone lowers the C-index", "B": "confuses ranking with calibration"},
    ),
]
