"""Correct C1W2 answers written the way learners write them — other libraries, other draw orders, other return
types — pass the public and hidden tests. (The mistakes corpus proves the opposite direction.)"""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata
from sklearn.metrics import accuracy_score, confusion_matrix, precision_score, recall_score, roc_auc_score, roc_curve

from grader.course import get_week
from grader.runner import run_exercise
from helpers.solutions import c1w2 as ref

WEEK = get_week("C1W2")


def counts_with_sklearn(y, pred, th=0.5):
    tn, fp, fn, tp = confusion_matrix(np.asarray(y) == 1, np.asarray(pred) >= th, labels=[False, True]).ravel()
    return [tp, tn, fp, fn]


def counts_in_a_python_loop(y, pred, th=0.5):
    tp = tn = fp = fn = 0
    for label, p in zip(y, pred):
        if p >= th:
            tp, fp = tp + (label == 1), fp + (label != 1)
        else:
            fn, tn = fn + (label == 1), tn + (label != 1)
    return np.array([tp, tn, fp, fn], dtype=float)


def accuracy_with_sklearn(y, pred, th=0.5):
    return np.float32(accuracy_score(np.asarray(y) == 1, np.asarray(pred) >= th))


def prevalence_as_mean(y):
    return np.mean(y)


def sens_spec_with_sklearn(y, pred, th=0.5):
    y, calls = np.asarray(y).astype(int), (np.asarray(pred) >= th).astype(int)
    kwargs = {"zero_division": np.nan, "labels": [0, 1]}
    return np.array([recall_score(y, calls, pos_label=1, **kwargs), recall_score(y, calls, pos_label=0, **kwargs)])


def sens_spec_numpy_division(y, pred, th=0.5):
    """0 / 0 with NumPy integers gives nan (and a RuntimeWarning, which is not an error)."""
    tp, tn, fp, fn = ref.get_tp_tn_fp_fn(y, pred, th)
    tp, tn, fp, fn = map(np.int64, (tp, tn, fp, fn))
    return pd.Series([tp / (tp + fn), tn / (tn + fp)])


def ppv_npv_with_sklearn(y, pred, th=0.5):
    y, calls = np.asarray(y).astype(int), (np.asarray(pred) >= th).astype(int)
    kwargs = {"zero_division": np.nan, "labels": [0, 1]}
    return precision_score(y, calls, pos_label=1, **kwargs), np.float32(
        precision_score(y, calls, pos_label=0, **kwargs)
    )


def _rank_auc(labels, scores):
    ranks = rankdata(scores)  # ties share the mean rank, which gives them half credit
    n_pos = labels.sum()
    return (ranks[labels == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * (len(labels) - n_pos))


def bootstrap_negatives_first(y, pred, n_bootstraps=1000, seed=0):
    y, pred = np.asarray(y), np.asarray(pred)
    rng = np.random.default_rng(seed)
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    aucs = []
    for _ in range(n_bootstraps):
        idx = np.r_[neg[rng.integers(0, len(neg), len(neg))], pos[rng.integers(0, len(pos), len(pos))]]
        aucs.append(roc_auc_score(y[idx], pred[idx]))
    return aucs  # a list


def bootstrap_vectorised_ranks(y, pred, n_bootstraps=1000, seed=0):
    y, pred = np.asarray(y), np.asarray(pred, dtype=np.float32)
    rng = np.random.default_rng(seed)
    pos, neg = pred[y == 1], pred[y == 0]
    draws_pos = rng.choice(pos, size=(n_bootstraps, len(pos)))
    draws_neg = rng.choice(neg, size=(n_bootstraps, len(neg)))
    labels = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
    return pd.Series([_rank_auc(labels, np.r_[p, n]) for p, n in zip(draws_pos, draws_neg)]).astype(np.float32)


def bootstrap_sorted(y, pred, n_bootstraps=1000, seed=0):
    return np.sort(ref.bootstrap_auc(y, pred, n_bootstraps, seed))[::-1]


def threshold_by_sorting(y, pred, target):
    positives = np.sort(np.asarray(pred)[np.asarray(y) == 1])[::-1]
    return positives[int(np.ceil(target * len(positives))) - 1]


def threshold_with_roc_curve(y, pred, target):
    _, tpr, thresholds = roc_curve(np.asarray(y), np.asarray(pred), drop_intermediate=False)
    return thresholds[np.argmax(tpr >= target)]


def threshold_in_a_loop(y, pred, target):
    positives = sorted((p for label, p in zip(y, pred) if label == 1), reverse=True)
    for k, p in enumerate(positives, start=1):
        if k / len(positives) >= target and (k == len(positives) or positives[k] != p):
            return p


FORMS = {
    "get_tp_tn_fp_fn": [
        counts_with_sklearn,
        counts_in_a_python_loop,
        lambda y, pred, th=0.5: tuple(np.int64(v) for v in ref.get_tp_tn_fp_fn(y, pred, th)),
    ],
    "get_accuracy": [accuracy_with_sklearn, lambda y, pred, th=0.5: np.array(ref.get_accuracy(y, pred, th))],
    "get_prevalence": [prevalence_as_mean, lambda y: np.float32(ref.get_prevalence(y))],
    "get_sensitivity_specificity": [sens_spec_with_sklearn, sens_spec_numpy_division],
    "get_ppv_npv": [ppv_npv_with_sklearn, lambda y, pred, th=0.5: list(ref.get_ppv_npv(y, pred, th))],
    "bootstrap_auc": [bootstrap_negatives_first, bootstrap_vectorised_ranks, bootstrap_sorted],
    "threshold_for_sensitivity": [threshold_by_sorting, threshold_with_roc_curve, threshold_in_a_loop],
}


@pytest.mark.parametrize(
    "name,fn", [(name, fn) for name, fns in FORMS.items() for fn in fns], ids=lambda v: getattr(v, "__name__", str(v))
)
def test_correct_answers_in_unusual_forms_pass(name, fn):
    outcome = run_exercise(WEEK, name, fn)
    assert outcome.passed, outcome.detail
