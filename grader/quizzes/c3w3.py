"""C3W3 quiz: permutation importance, SHAP, correlated features, Grad-CAM, the pointing game and sanity checks."""

from grader.quizzes import Choice, Number

TITLE = "Interpreting models"

WORKSPACE = """
import numpy as np
import pandas as pd
from scipy.stats import binomtest
from helpers.data.nhefs import load_nhefs

df = load_nhefs()  # the NHEFS smokers of C2W2: baseline characteristics and death (1983-1992)
df.head()
"""


def age_smoking_correlation() -> float:
    from helpers.data.nhefs import load_nhefs

    return float(load_nhefs()[["age", "smokeyrs"]].corr().iloc[0, 1])


def worked_permutation_importance() -> float:
    return 0.827 - (0.70 + 0.68 + 0.69) / 3


def worked_shap_prediction() -> float:
    return 0.20 + 0.15 + 0.05 - 0.03


def pointing_game_p_value() -> float:
    from scipy.stats import binomtest

    return float(binomtest(9, 20, 0.25, alternative="greater").pvalue)


QUESTIONS = [
    Choice(
        "What permutation importance measures",
        "The permutation importance of a feature is …",
        {
            "A": "the drop in the model's test score when that feature's column is shuffled among the patients, the "
            "model left as it is.",
            "B": "the drop in score when the model is refitted without the feature.",
            "C": "the size of the feature's coefficient.",
            "D": "the correlation of the feature with the outcome.",
        },
        "A",
        "Shuffling keeps each value realistic but breaks its link with the outcome and with the patient's other "
        "features; nothing is refitted. Refitting without the feature (B) answers a different question.",
        {"B": "confuses it with drop-column importance"},
    ),
    Number(
        "Permutation importance by hand",
        "A forest's test C-index is 0.827. Three permutations of `age` give C-indices 0.70, 0.68 and 0.69. What is "
        "the permutation importance of age?",
        0.137,
        3,
        0.002,
        "0.827 − mean(0.70, 0.68, 0.69) = 0.827 − 0.690 = 0.137. The spread of the three drops (0.127 to 0.147) "
        "tells how much noise is left.",
        {
            0.69: "gave the mean permuted score",
            -0.137: "subtracted the other way round",
            0.147: "used only the worst permutation",
        },
        "worked_permutation_importance",
    ),
    Choice(
        "A negative importance",
        "A feature's permutation importance is −0.004 with a spread of ±0.006. How do you read it?",
        {
            "A": "The feature does not help on new patients: the value is noise, or the forest uses it in a way that "
            "slightly overfits.",
            "B": "The feature protects against death.",
            "C": "The computation is wrong: importances cannot be negative.",
            "D": "The feature is the most important one.",
        },
        "A",
        "Scrambling it did not hurt (it even helped a little) and the spread straddles zero. Importance is about "
        "the model's use of a feature, not about the direction of its effect on the outcome.",
        {"B": "reads the sign as a direction of effect", "C": "thinks a drop cannot be negative"},
    ),
    Number(
        "SHAP values add up",
        "For one patient the SHAP base value (average prediction) is 0.20, and the SHAP values are +0.15 for age, "
        "+0.05 for years of smoking and −0.03 for income; all other features have 0. What is the model's "
        "prediction for this patient?",
        0.37,
        3,
        0.002,
        "SHAP values are additive: prediction = base value + sum of SHAP values = 0.20 + 0.15 + 0.05 − 0.03 = 0.37. "
        "That is what a waterfall plot draws.",
        {
            0.17: "forgot the base value",
            0.43: "added the income value instead of subtracting it",
            0.2: "gave the base value",
        },
        "worked_shap_prediction",
    ),
    Number(
        "Correlated features",
        "In `df` of the working space, what is the Pearson correlation between `age` and `smokeyrs` (years of "
        "smoking)?",
        0.869592,
        3,
        0.002,
        "About 0.87: older smokers have smoked longer. With features this correlated, scrambling one leaves much of "
        "its information in the other, so permutation importance understates both.",
        {0.756: "gave the squared correlation (R²)", 0.441: "correlated education with income instead"},
        "age_smoking_correlation",
    ),
    Choice(
        "A twin of age",
        "The forest is refitted with a twin of age (age plus one year of noise). What happens to the permutation "
        "importance of each copy, and to their mean |SHAP| values?",
        {
            "A": "Each copy's permutation importance falls well below that of age alone, while SHAP splits the credit "
            "and the two mean |SHAP| values together stay large.",
            "B": "Both importances double.",
            "C": "Nothing changes.",
            "D": "SHAP gives all the credit to the noisy copy.",
        },
        "A",
        "Scrambling one copy costs little because the other still knows the age. Neither method gives 'the' "
        "importance of age: each answers its own question.",
        {"C": "thinks importance is a property of the feature alone"},
    ),
    Choice(
        "Grad-CAM's channel weights",
        "How does Grad-CAM weight the feature maps $A^k$ of a convolution layer for output $c$?",
        {
            "A": "By the spatial average of the gradient of the output's score with respect to each map; the weighted "
            "sum of maps then goes through a ReLU.",
            "B": "By the value of each map at its centre.",
            "C": "Equally: it averages all maps.",
            "D": "By the loss of the training set.",
        },
        "A",
        "$\\alpha_k^c = \\frac{1}{hw}\\sum_{ij} \\partial y^c / \\partial A^k_{ij}$, "
        "map = ReLU($\\sum_k \\alpha_k^c A^k$), scaled to [0, 1]. At the last convolution of a network with global average pooling and one dense layer "
        "this equals the class activation map of C1W1.",
        {"C": "forgets the gradients"},
    ),
    Choice(
        "The pointing game",
        "A Grad-CAM map's (first) maximum is at row 1, column 2. Which lesion box `(x, y, w, h)` — `x` the column "
        "of its left edge, `y` the row of its top edge — makes this a **hit**?",
        {"A": "(0, 2, 2, 2)", "B": "(2, 0, 2, 2)", "C": "(1, 1, 1, 1)", "D": "(3, 1, 2, 2)"},
        "B",
        "A hit needs x ≤ column < x + w and y ≤ row < y + h: with (2, 0, 2, 2), 2 ≤ 2 < 4 and 0 ≤ 1 < 2. Box (A) "
        "swaps rows and columns; (C) covers column 1 only; (D) starts at column 3.",
        {"A": "swapped x (column) and y (row)", "C": "included the right edge (x + w) in the box"},
    ),
    Number(
        "Is a hit rate better than chance?",
        "Grad-CAM hits the lesion in 9 of 20 trials of a finding, where a random lung point would hit with "
        "probability 0.25. What is the one-sided binomial test p-value (`binomtest(9, 20, 0.25, "
        "alternative='greater')`)?",
        0.040925,
        3,
        0.002,
        "p ≈ 0.041: 9 hits or more would be rare (4 %) if Grad-CAM were no better than a random lung point. With "
        "only 20 trials the evidence is modest; the notebook reads only findings with at least 20 boxes.",
        {0.065: "used the two-sided test", 0.45: "gave the hit rate", 0.102: "tested 8 hits or more"},
        "pointing_game_p_value",
    ),
    Choice(
        "What a high hit rate does not prove",
        "Grad-CAM beats both no-model baselines in the pointing game and fails when the network's weights are "
        "randomised. Which conclusions are justified? Select every right one.",
        {
            "A": "The map depends on what the network learned (it is not just an edge detector).",
            "B": "For these findings, the region that raises the score is often on the lesion.",
            "C": "The network reasons about the lesion the way a radiologist does.",
            "D": "The network will point at lesions on real radiographs too.",
        },
        "AB",
        "The randomisation check and the baselines support (A) and (B). A hit says where the score comes from, not "
        "why; and the phantoms are not real films, so nothing transfers without testing on real images.",
        {"ABC": "reads a hit as proof of clinical reasoning", "ABD": "assumes results on phantoms transfer"},
        select_all=True,
    ),
]
