"""The C1W2 reference solutions agree with scikit-learn on hundreds of random data sets, and the statistics the
hidden tests use to judge ``bootstrap_auc`` are right.

Data sets stress what goes wrong in practice: predictions tied with the threshold, empty classes, a single picture,
float32 predictions, pandas Series with shuffled indexes.
"""

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, confusion_matrix, precision_score, recall_score, roc_auc_score, roc_curve

from helpers.public_tests.c1w2 import auc_grid_units, stratified_bootstrap_moments
from helpers.solutions import c1w2 as ref

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def labelled_predictions(draw, min_size=1, max_size=60, both_classes=False):
    """Labels, predictions on a 1/64 grid (ties with the threshold are common) and a threshold on the same grid."""
    n = draw(st.integers(min_size, max_size))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    if both_classes:
        y[:2] = [0, 1]
    pred = np.array(draw(st.lists(st.integers(0, 64), min_size=n, max_size=n))) / 64
    th = draw(st.integers(0, 64)) / 64
    return y, pred, th


def _nan_equal(a, b) -> bool:
    return bool(np.isclose(a, b, rtol=1e-12, atol=1e-15, equal_nan=True))


@SETTINGS
@given(labelled_predictions())
def test_counts_and_rates_match_scikit_learn(data):
    y, pred, th = data
    calls = (pred >= th).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, calls, labels=[0, 1]).ravel()
    assert ref.get_tp_tn_fp_fn(y, pred, th) == (tp, tn, fp, fn)
    assert ref.get_tp_tn_fp_fn(y, pred.astype(np.float32), th) == (tp, tn, fp, fn)
    assert ref.get_accuracy(y, pred, th) == pytest.approx(accuracy_score(y, calls))
    assert ref.get_prevalence(y) == pytest.approx(y.mean())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the reference never warns, even on 0 / 0
        sens, spec = ref.get_sensitivity_specificity(y, pred, th)
        ppv, npv = ref.get_ppv_npv(y, pred, th)
    kwargs = {"zero_division": np.nan, "labels": [0, 1]}
    assert _nan_equal(sens, recall_score(y, calls, pos_label=1, **kwargs))
    assert _nan_equal(spec, recall_score(y, calls, pos_label=0, **kwargs))
    assert _nan_equal(ppv, precision_score(y, calls, pos_label=1, **kwargs))
    assert _nan_equal(npv, precision_score(y, calls, pos_label=0, **kwargs))


@SETTINGS
@given(labelled_predictions(), st.sampled_from(["series", "bool", "float"]))
def test_rates_do_not_depend_on_the_input_form(data, form):
    y, pred, th = data
    index = np.arange(len(y))[::-1] + 10
    y2, pred2 = {
        "series": (pd.Series(y, index=index), pd.Series(pred, index=index)),
        "bool": (y.astype(bool), pred.astype(np.float32)),
        "float": (y.astype(float), pred),
    }[form]
    for name in ("get_tp_tn_fp_fn", "get_sensitivity_specificity", "get_ppv_npv"):
        fn = getattr(ref, name)
        assert np.allclose(fn(y, pred, th), fn(y2, pred2, th), equal_nan=True)


@SETTINGS
@given(labelled_predictions(min_size=2, both_classes=True), st.floats(0.01, 1.0))
def test_threshold_for_sensitivity_matches_roc_curve(data, target):
    y, pred, _ = data
    fpr, tpr, thresholds = roc_curve(y, pred, drop_intermediate=False)
    # roc_curve lists each distinct score once, highest first, with tpr = share of positives scoring >= it
    expected = thresholds[np.argmax(tpr >= target)]
    n_pos = y.sum()
    if abs(target * n_pos - round(target * n_pos)) < 1e-9:
        return  # a whole number of positives: sensitivity == target up to rounding, both answers defensible
    got = ref.threshold_for_sensitivity(y, pred, target)
    assert got == expected
    assert np.mean(pred[y == 1] >= got) >= target
    higher = pred[(y == 1) & (pred > got)]
    assert higher.size == 0 or np.mean(pred[y == 1] >= higher.min()) < target


def test_threshold_for_sensitivity_at_target_one_is_the_lowest_positive_score():
    rng = np.random.default_rng(3)
    for _ in range(50):
        y = rng.integers(0, 2, 30)
        y[0] = 1
        pred = rng.random(30)
        assert ref.threshold_for_sensitivity(y, pred, 1.0) == pred[y == 1].min()


# ------------------------------------------------------------------------------------------- bootstrap statistics
def _enumerated_moments(y, pred):
    """Mean and variance of the stratified bootstrap AUC by enumerating every equally likely resample."""
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    values = [
        roc_auc_score(y[np.r_[p, n]], pred[np.r_[p, n]])
        for p in itertools.product(pos, repeat=len(pos))
        for n in itertools.product(neg, repeat=len(neg))
    ]
    return float(np.mean(values)), float(np.var(values))


@pytest.mark.parametrize(
    "y,pred",
    [
        (np.array([1, 0, 1, 0, 0]), np.array([0.8, 0.6, 0.4, 0.2, 0.7])),
        (np.array([0, 1, 1, 0, 1, 0]), np.array([0.5, 0.5, 0.25, 0.25, 0.75, 0.9])),  # ties across classes
        (np.array([1, 0, 0, 0, 0, 1]), np.array([0.3, 0.1, 0.2, 0.3, 0.6, 0.7])),
    ],
)
def test_exact_bootstrap_moments_match_enumeration(y, pred):
    assert stratified_bootstrap_moments(y, pred) == pytest.approx(_enumerated_moments(y, pred), rel=1e-10)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(st.integers(2, 8), st.integers(2, 30), st.integers(0, 10_000))
def test_reference_bootstrap_has_the_properties_the_hidden_tests_check(n_pos, n_neg, seed):
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.r_[np.ones(n_pos, int), np.zeros(n_neg, int)])
    pred = rng.choice(np.arange(1, 128), size=n_pos + n_neg, replace=False) / 128 + y * rng.uniform(0, 0.3)
    pred = np.round(pred * 1024) / 1024
    assume_distinct = len(np.unique(pred)) == len(pred)
    aucs = ref.bootstrap_auc(y, pred, 200, seed)
    assert aucs.shape == (200,)
    assert np.array_equal(aucs[:20], ref.bootstrap_auc(y, pred, 20, seed))  # the same seed, the same draws
    units = auc_grid_units(aucs, y) * (1 if assume_distinct else 2)
    assert np.allclose(units, np.round(units), atol=1e-6)
    mean, variance = stratified_bootstrap_moments(y, pred)
    assert abs(aucs.mean() - mean) <= 5 * np.sqrt(variance / 200) + 1e-12
    if variance > 1e-6:
        assert 0.6 <= aucs.var(ddof=1) / variance <= 1.6


def test_bootstrap_mean_is_the_auc_of_the_data():
    rng = np.random.default_rng(0)
    for _ in range(100):
        y = rng.permutation(np.r_[np.ones(rng.integers(1, 10), int), np.zeros(rng.integers(1, 30), int)])
        pred = rng.integers(0, 16, len(y)) / 16
        assert stratified_bootstrap_moments(y, pred)[0] == pytest.approx(roc_auc_score(y, pred))
