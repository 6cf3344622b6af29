"""helpers.plots_eval and helpers.widgets (C1W2): right numbers, Figures back, and no error or warning on findings
with no positive, a single positive or no negative picture."""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from sklearn.metrics import confusion_matrix  # noqa: E402

from helpers.plots_eval import (  # noqa: E402
    calibration_grid,
    confusion_at_thresholds,
    interval_plot,
    operating_point,
    ppv_npv_vs_prevalence,
    roc_pr_grid,
)
from helpers.widgets import threshold_explorer, threshold_report  # noqa: E402


@pytest.fixture(autouse=True)
def _no_warnings_and_close_figures():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


def _frame():
    rng = np.random.default_rng(0)
    n = 40
    y = {
        "Common": (rng.random(n) < 0.4).astype(int),
        "Single": np.eye(n, dtype=int)[3],
        "Absent": np.zeros(n, int),
        "Everyone": np.ones(n, int),
    }
    frame = pd.DataFrame(y)
    for name, labels in y.items():
        frame[f"{name}_pred"] = np.clip(labels * 0.3 + rng.random(n) * 0.7, 0, 1)
    return frame


def test_operating_point_matches_scikit_learn_and_gives_nan_for_empty_denominators():
    rng = np.random.default_rng(1)
    for _ in range(100):
        n = int(rng.integers(1, 30))
        y, pred, th = rng.integers(0, 2, n), rng.integers(0, 9, n) / 8, rng.integers(0, 9) / 8
        point = operating_point(y, pred, th)
        tn, fp, fn, tp = confusion_matrix(y, pred >= th, labels=[0, 1]).ravel()
        assert (point["tp"], point["tn"], point["fp"], point["fn"]) == (tp, tn, fp, fn)
        assert np.isnan(point["sensitivity"]) == (tp + fn == 0)
        assert np.isnan(point["ppv"]) == (tp + fp == 0)
    point = operating_point([0, 0, 1], [0.1, 0.7, 0.5], 0.5)  # pred == th is a positive call
    assert point == {"tp": 1, "tn": 1, "fp": 1, "fn": 0, "sensitivity": 1.0, "specificity": 0.5, "ppv": 0.5, "npv": 1.0}


@pytest.mark.parametrize("kind", ["roc", "pr"])
def test_roc_pr_grid_draws_every_finding_and_explains_the_undefined_ones(kind):
    frame = _frame()
    fig = roc_pr_grid(frame, ["Common", "Single", "Absent", "Everyone"], kind=kind)
    assert isinstance(fig, Figure)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("no positive case" in t for t in texts) and any("no negative case" in t for t in texts)
    with pytest.raises(ValueError, match="kind"):
        roc_pr_grid(frame, ["Common"], kind="auc")


def test_interval_plot_marks_rows_without_an_interval():
    table = pd.DataFrame(
        {"positives": [30, 1], "AUC": [0.9, 0.7], "lower": [0.85, np.nan], "upper": [0.95, np.nan]},
        index=["Common", "Single"],
    )
    fig = interval_plot(table)
    assert isinstance(fig, Figure)
    assert any("too few positives" in t.get_text() for t in fig.axes[0].texts)


def test_calibration_prevalence_and_threshold_plots_return_figures():
    frame = _frame()
    y, p = frame["Common"], frame["Common_pred"]
    assert isinstance(calibration_grid({"Common": {"raw": (y, p), "squeezed": (y, p / 2)}}, n_bins=4), Figure)
    prevalence = np.logspace(-3, -0.3, 50)
    assert isinstance(ppv_npv_vs_prevalence(prevalence, prevalence, 1 - prevalence, marks={"here": 0.1}), Figure)
    fig = confusion_at_thresholds(y, p, [0.2, 0.5, 1.01], finding="Common")
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    assert "PPV n/a" in fig.axes[3].get_title()  # nothing called positive above every prediction


def test_threshold_slider_rewrites_the_report_when_moved():
    frame = _frame()
    y, p = frame["Common"], frame["Common_pred"]
    box = threshold_explorer(y, p, finding="Common", value=0.5)
    slider, report = box.children
    assert report.value == threshold_report(y, p, 0.5, finding="Common")
    before = report.value
    slider.value = 0.2
    assert report.value != before and report.value == threshold_report(y, p, 0.2, finding="Common")
    point = operating_point(y, p, 0.2)
    assert f"TP {point['tp']}" in report.value and f"FN {point['fn']}" in report.value
    assert "undefined (0 / 0)" in threshold_report([0, 0], [0.1, 0.2], 0.5)  # no positive picture
