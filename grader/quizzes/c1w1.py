"""C1W1 quiz: patient leakage, class imbalance, the weighted loss, AUC and class activation maps (NIH labels)."""

import math

from grader.quizzes import Choice, Number

TITLE = "Chest X-ray classification"

WORKSPACE = """
import numpy as np
import pandas as pd
from helpers.data.cxr import FINDINGS, load_nih_labels

labels = load_nih_labels()  # the real NIH ChestX-ray14 table: one row per image, 14 finding columns, PatientId, ...
labels.head()
"""


def _labels():
    from helpers.data.cxr import load_nih_labels

    return load_nih_labels()


def patients_with_several_images() -> float:
    counts = _labels()["PatientId"].value_counts()
    return float((counts > 1).mean())


def effusion_positive_weight() -> float:
    return float(1 - _labels()["Effusion"].mean())


def hernia_always_no_accuracy() -> float:
    return float(1 - _labels()["Hernia"].mean())


def atelectasis_given_effusion() -> float:
    labels = _labels()
    return float(labels.loc[labels["Effusion"] == 1, "Atelectasis"].mean())


def worked_weighted_term() -> float:
    return -0.9 * math.log(0.6)


QUESTIONS = [
    Choice(
        "Splitting by patient",
        "Why does the course split the images **by patient** rather than at random?",
        {
            "A": "Images of one patient look alike, so a model tested on patients it was trained on can recognise "
            "the patient instead of the disease, and its test score is too optimistic.",
            "B": "A patient split makes the training set larger.",
            "C": "A patient split balances the findings between the sets.",
            "D": "Random splits are not reproducible.",
        },
        "A",
        "That is leakage: with many images per patient (one patient in the table has 184), a random image split "
        "puts most test images next to images of the same patient in training. Splitting by patient keeps every "
        "test patient unseen.",
        {"C": "confuses a patient split with a stratified split"},
    ),
    Number(
        "Patients with several images",
        "In the real label table (`labels` of the working space), what fraction of the **patients** has more "
        "than one image?",
        0.431813,
        3,
        0.002,
        "13,302 of 30,805 patients (0.432) have two or more images — enough that a random image split would leak "
        "for a large share of the test set.",
        {
            0.568: "gave the fraction with a single image",
            0.844: "computed the fraction of images (not of patients) that belong to patients with several images",
        },
        "patients_with_several_images",
    ),
    Number(
        "Accuracy on a rare finding",
        "What accuracy does a 'model' reach on the **Hernia** column of the whole table if it answers *no hernia* "
        "for every image?",
        0.997975,
        3,
        0.0005,
        "Only 227 of 112,120 images show a hernia, so answering 'no' is right 99.8 % of the time while finding no "
        "hernia at all. Accuracy rewards the majority class; AUC, sensitivity and specificity do not hide this.",
        {0.002: "gave the prevalence", 0.5: "thinks a constant model is at chance level for accuracy"},
        "hernia_always_no_accuracy",
    ),
    Number(
        "The positive weight of Effusion",
        "With the course's weighting ($w_{pos}$ = the finding's **negative** frequency), what is $w_{pos}$ for "
        "**Effusion**, computed on the whole table?",
        0.881225,
        3,
        0.002,
        "11.9 % of the images show an effusion, so $w_{pos} = 1 - 0.119 = 0.881$ and $w_{neg} = 0.119$; then "
        "$w_{pos} \\cdot 0.119 = w_{neg} \\cdot 0.881$ and both classes contribute equally to the loss.",
        {0.119: "gave the positive frequency (w_neg)", 7.42: "used the ratio of negatives to positives"},
        "effusion_positive_weight",
    ),
    Number(
        "One term of the weighted loss",
        "For one image with the finding ($y = 1$), predicted probability $p = 0.6$ and $w_{pos} = 0.9$, what is its "
        "term $-w_{pos}\\, y \\log p$ of the weighted loss (natural log, ignore $\\varepsilon$)?",
        0.459745,
        3,
        0.002,
        "$-0.9 \\ln 0.6 = 0.9 \\times 0.511 \\approx 0.460$. The negative term vanishes because $y = 1$.",
        {0.511: "left out the weight", 0.051: "used the negative weight 0.1", 0.200: "used log10"},
        "worked_weighted_term",
    ),
    Choice(
        "What weighting changes",
        "Compared with the unweighted network, the network trained with the weighted loss …",
        {
            "A": "gives higher scores to rare findings, so at a 0.5 threshold it finds many more of them; its scores "
            "are no longer probabilities of disease.",
            "B": "always has a much higher AUC.",
            "C": "predicts probabilities equal to each finding's prevalence on average.",
            "D": "needs no threshold.",
        },
        "A",
        "Weighting shifts the scores of rare findings up: the mean prediction rises several-fold above the "
        "prevalence, and far more positives clear 0.5. The ranking (AUC) is about the same in the notebook's run — "
        "weighting is not a free AUC gain.",
        {"B": "expects weighting to improve ranking", "C": "describes the unweighted model"},
    ),
    Choice(
        "What AUC does not depend on",
        "Which statements about the ROC AUC of one finding are right? Select every right one.",
        {
            "A": "It does not depend on a decision threshold.",
            "B": "It is the probability that a random image with the finding scores higher than a random image "
            "without it.",
            "C": "It equals the accuracy at threshold 0.5.",
            "D": "With only a handful of positive test images it is very uncertain.",
        },
        "ABD",
        "AUC is a ranking measure over all thresholds; it is not accuracy. Because it averages over pairs "
        "involving the positives, a few positives make it noisy — next week puts confidence intervals on it.",
        {"AB": "forgets the uncertainty of a small sample", "ABCD": "equates AUC with accuracy"},
        select_all=True,
    ),
    Number(
        "Findings that come together",
        "Among the images with an **Effusion**, what fraction also shows **Atelectasis**?",
        0.245926,
        3,
        0.002,
        "About a quarter (0.246): fluid around the lung compresses the lung next to it. Co-occurring findings mean "
        "a multi-label model can score one finding partly from the signs of another.",
        {0.103: "gave the prevalence of atelectasis in the whole table", 0.119: "gave the prevalence of effusion"},
        "atelectasis_given_effusion",
    ),
    Choice(
        "What a class activation map can show",
        "A class activation map of the Effusion output is warm over the costophrenic angle, where the effusion "
        "was drawn. What does this show?",
        {
            "A": "Which regions of the last feature maps raised the Effusion score for this image — not that the model "
            "reasons like a radiologist.",
            "B": "That the model has learned the anatomy of effusions.",
            "C": "That the model will generalise to real radiographs.",
            "D": "The exact outline of the effusion.",
        },
        "A",
        "A CAM weights the last convolution's maps by the output layer's weights: it points at what drove the "
        "score. A plausible map on one image proves neither causal reasoning nor generalisation, and its "
        "resolution is coarse. C3W3 measures how often such maps hit the lesion.",
        {"B": "reads a saliency map as proof of understanding", "D": "treats a coarse map as a segmentation"},
    ),
    Choice(
        "Where the weights come from",
        "From which images should the positive and negative frequencies used as loss weights be computed?",
        {
            "A": "The training split only.",
            "B": "The test split, because that is where performance is measured.",
            "C": "All images, training and test together.",
            "D": "It does not matter, since the weights do not affect the model.",
        },
        "A",
        "Everything the model learns, its loss weights included, comes from the training split; the test split is "
        "looked at only at the end. (The questions above use the whole table only to read off frequencies.)",
        {"C": "pools the splits before computing training choices"},
    ),
]
