"""C1W2 quiz: confusion counts, accuracy and prevalence, sensitivity/specificity, PPV/NPV and Bayes, bootstrap
intervals, thresholds and calibration."""

from grader.quizzes import Choice, Number

TITLE = "Evaluating a diagnostic model"

WORKSPACE = """
import numpy as np
import pandas as pd
from helpers.data.cxr import load_nih_labels

labels = load_nih_labels()  # the real NIH ChestX-ray14 label table (112,120 images, 14 finding columns)
labels.head()
"""


def _ppv(sens, spec, prevalence):
    return sens * prevalence / (sens * prevalence + (1 - spec) * (1 - prevalence))


def ppv_at_one_percent() -> float:
    return _ppv(0.9, 0.95, 0.01)


def npv_at_one_percent() -> float:
    sens, spec, prevalence = 0.9, 0.95, 0.01
    return spec * (1 - prevalence) / (spec * (1 - prevalence) + (1 - sens) * prevalence)


def ppv_at_pneumonia_prevalence() -> float:
    from helpers.data.cxr import load_nih_labels

    return _ppv(0.9, 0.95, float(load_nih_labels()["Pneumonia"].mean()))


TP, FN, TN, FP = 40, 10, 900, 50


def worked_ppv() -> float:
    return TP / (TP + FP)


def worked_accuracy() -> float:
    return (TP + TN) / (TP + FN + TN + FP)


QUESTIONS = [
    Number(
        "PPV at 1 % prevalence",
        "A test has sensitivity 0.90 and specificity 0.95. It is used where **1 %** of the people tested have the "
        "disease. What is its PPV — the probability of disease after a positive result?",
        0.153846,
        3,
        0.002,
        "Per 10,000 people: 100 ill, 90 test positive; 9,900 healthy, 495 test positive. PPV = 90 / (90 + 495) ≈ "
        "0.154: most positives are false even though the test is good, because the healthy are so many.",
        {
            0.9: "gave the sensitivity",
            0.947: "ignored the prevalence (0.90 / (0.90 + 0.05))",
            0.009: "gave the fraction of all people who are true positives",
        },
        "ppv_at_one_percent",
    ),
    Number(
        "NPV at 1 % prevalence",
        "Same test, same population (sensitivity 0.90, specificity 0.95, prevalence 1 %). What is its NPV?",
        0.998938,
        3,
        0.0005,
        "Of 9,415 negative results (9,405 healthy + 10 ill), 9,405 are right: NPV ≈ 0.999. At low prevalence a "
        "negative result is very reassuring, a positive one much less so.",
        {0.95: "gave the specificity", 0.99: "gave 1 − prevalence"},
        "npv_at_one_percent",
    ),
    Number(
        "PPV at the prevalence of pneumonia",
        "Using `labels` of the working space: the same test (sensitivity 0.90, specificity 0.95) is used at the "
        "prevalence of **Pneumonia** in the whole NIH table. What is its PPV?",
        0.188777,
        3,
        0.002,
        "Pneumonia is on 1.28 % of the images; Bayes' rule gives PPV ≈ 0.189. A PPV measured on an enriched test "
        "set would be far higher: PPV does not transfer between populations with different prevalences.",
        {0.0128: "gave the prevalence", 0.9: "gave the sensitivity"},
        "ppv_at_pneumonia_prevalence",
    ),
    Number(
        "PPV from counts",
        "At some threshold a model has TP = 40, FN = 10, TN = 900, FP = 50. What is its PPV?",
        0.444444,
        3,
        0.002,
        "PPV = TP / (TP + FP) = 40 / 90 ≈ 0.444. Its sensitivity is 0.80 and its specificity 0.947, yet fewer than "
        "half of its positive calls are right.",
        {0.8: "gave the sensitivity", 0.947: "gave the specificity", 0.989: "gave the NPV"},
        "worked_ppv",
    ),
    Number(
        "Accuracy from counts",
        "Same counts (TP = 40, FN = 10, TN = 900, FP = 50). What is the accuracy?",
        0.94,
        3,
        0.002,
        "(40 + 900) / 1000 = 0.94 — lower than the 0.95 of a rule that calls everybody negative (950 of 1000 "
        "people are negative), though that rule finds no patient at all.",
        {0.95: "gave the accuracy of calling everyone negative", 0.8: "gave the sensitivity"},
        "worked_accuracy",
    ),
    Choice(
        "What does not depend on prevalence",
        "Which of these do **not** change when the same test is used in a population with another prevalence "
        "(and the pictures look alike)? Select every right one.",
        {"A": "Sensitivity.", "B": "Specificity.", "C": "PPV.", "D": "Accuracy."},
        "AB",
        "Sensitivity and specificity are computed within one class each. PPV and NPV mix the classes through "
        "Bayes' rule, and accuracy weights the two kinds of error by how common each class is.",
        {"ABC": "thinks PPV belongs to the test alone", "ABD": "thinks accuracy is prevalence-free"},
        select_all=True,
    ),
    Choice(
        "Bootstrapping an AUC",
        "To put a 95 % interval on a test-set AUC with the bootstrap, you …",
        {
            "A": "draw n pictures **with replacement** from the test set, recompute the AUC, repeat many times and take "
            "the 2.5th and 97.5th percentiles of the results.",
            "B": "draw n pictures without replacement, which gives the same set every time.",
            "C": "retrain the model many times on the test set.",
            "D": "add noise to the predictions and recompute the AUC.",
        },
        "A",
        "Resampling with replacement imitates drawing a new test set from the same population. Without replacement "
        "every resample is the original set, and nothing about the model is refitted.",
        {"B": "samples without replacement"},
    ),
    Choice(
        "Choosing a threshold for screening",
        "A screening programme needs 90 % sensitivity. Which threshold should you report?",
        {
            "A": "The highest threshold whose sensitivity is still at least 0.90 (chosen on validation data).",
            "B": "The lowest possible threshold, to be safe.",
            "C": "0.5, because the outputs are probabilities.",
            "D": "The threshold that maximises accuracy.",
        },
        "A",
        "Lowering the threshold only adds false positives once the target is met, so the highest threshold that "
        "reaches it keeps specificity as high as possible. 0.5 has no special meaning for a model trained with a "
        "weighted loss, and maximum accuracy ignores the clinic's requirement.",
        {"C": "treats 0.5 as a natural threshold", "D": "optimises the wrong criterion"},
    ),
    Choice(
        "Reading a calibration curve",
        "The reference CNN, trained with the class-weighted loss, has a mean predicted probability far above the "
        "prevalence and a reliability curve below the diagonal. What does that mean, and what fixes it?",
        {
            "A": "It overestimates the probability of the finding; a recalibration (e.g. Platt scaling) fitted on "
            "validation data fixes it without changing the ranking.",
            "B": "It underestimates the probability; retraining without a validation set fixes it.",
            "C": "Its AUC is too low; a higher threshold fixes it.",
            "D": "Nothing: calibration does not matter for a diagnostic model.",
        },
        "A",
        "Below the diagonal means fewer positives than predicted: overestimation, as expected from the weighting. "
        "A monotone recalibration fitted on validation pictures moves predictions back towards the diagonal; a "
        "strictly increasing map (Platt scaling is one) leaves the AUC unchanged.",
        {"B": "reads the diagonal the wrong way", "C": "confuses calibration with discrimination"},
    ),
    Choice(
        "The accuracy trap",
        "A 'model' calls every picture negative for a finding present on 0.2 % of the pictures. Which statement is "
        "right?",
        {
            "A": "Its accuracy is 0.998 and its sensitivity 0.",
            "B": "Its accuracy is 0.002.",
            "C": "Its specificity is 0.",
            "D": "Its AUC is 0.998.",
        },
        "A",
        "Accuracy = 1 − prevalence for the all-negative rule; sensitivity is 0 (it misses everyone) and "
        "specificity 1. Its scores are constant, so its AUC is 0.5.",
        {"D": "confuses AUC with accuracy", "C": "swaps sensitivity and specificity"},
    ),
]
