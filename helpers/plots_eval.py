"""Plots for evaluating a diagnostic model (C1W2). Every plotting function returns a matplotlib Figure.

The inputs are what :func:`helpers.data.cxr.load_cxr_predictions` gives: a frame with one 0/1 column per finding
and its predicted probability in ``<finding>_pred``. Findings whose split has no positive (or no negative) case get
an empty panel that says so, never an error or a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = [
    "operating_point",
    "roc_pr_grid",
    "interval_plot",
    "calibration_grid",
    "ppv_npv_vs_prevalence",
    "confusion_at_thresholds",
]


# ---------------------------------------------------------------------------------------------- operating point
def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else float("nan")


def _fmt(value: float) -> str:
    return "n/a" if np.isnan(value) else f"{value:.2f}"


def operating_point(y, pred, th: float) -> dict:
    """Confusion counts and the four rates of the rule ``pred >= th`` (nan where a denominator is 0).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        True labels, 0/1.
    pred : array-like of shape (n_samples,)
        Predicted probabilities.
    th : float
        Threshold; a prediction at or above it is a positive call.

    Returns
    -------
    dict
        ``tp``, ``tn``, ``fp``, ``fn`` (counts from :func:`sklearn.metrics.confusion_matrix`) and ``sensitivity``,
        ``specificity``, ``ppv``, ``npv``.
    """
    from sklearn.metrics import confusion_matrix

    y = np.asarray(y).astype(int)
    calls = (np.asarray(pred, dtype=float) >= th).astype(int)
    tn, fp, fn, tp = (int(v) for v in confusion_matrix(y, calls, labels=[0, 1]).ravel())
    return {
        "tp": tp,
        "tn": tn,
        "fp": fp,
        "fn": fn,
        "sensitivity": _ratio(tp, tp + fn),
        "specificity": _ratio(tn, tn + fp),
        "ppv": _ratio(tp, tp + fp),
        "npv": _ratio(tn, tn + fn),
    }


# ---------------------------------------------------------------------------------------------- ROC and PR curves
def _grid(n_panels: int, ncols: int, panel: float = 2.6):
    nrows = int(np.ceil(n_panels / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel * ncols, panel * nrows + 0.4), squeeze=False)
    for ax in axes.flat[n_panels:]:
        ax.set_visible(False)
    return fig, axes.flat[:n_panels]


def roc_pr_grid(
    frame: pd.DataFrame, findings: Sequence[str], *, kind: str = "roc", ncols: int = 5, title: str | None = None
) -> Figure:
    """One small ROC (``kind="roc"``) or precision-recall (``kind="pr"``) panel per finding.

    Parameters
    ----------
    frame : pandas.DataFrame
        0/1 label columns named after the findings and ``<finding>_pred`` probability columns.
    findings : sequence of str
        Findings to draw, one panel each.
    kind : {"roc", "pr"}
        ROC curve with its AUC and the chance diagonal, or precision-recall curve with its average precision and
        the prevalence line (the precision of a model that cannot rank at all).
    """
    from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

    if kind not in ("roc", "pr"):
        raise ValueError(f"kind must be 'roc' or 'pr' (got {kind!r})")
    fig, axes = _grid(len(findings), ncols)
    for ax, finding in zip(axes, findings):
        y = frame[finding].to_numpy().astype(int)
        score = frame[f"{finding}_pred"].to_numpy(dtype=float)
        n_pos = int(y.sum())
        ax.set_title(f"{finding} ({n_pos} pos.)", fontsize=9)
        ax.set(xlim=(0, 1), ylim=(0, 1.02), xticks=[0, 0.5, 1], yticks=[0, 0.5, 1])
        ax.tick_params(labelsize=7)
        if n_pos == 0 or n_pos == len(y):
            ax.text(
                0.5,
                0.5,
                f"no {'positive' if n_pos == 0 else 'negative'} case:\ncurve undefined",
                ha="center",
                va="center",
                fontsize=8,
                color="gray",
            )
            continue
        if kind == "roc":
            fpr, tpr, _ = roc_curve(y, score)
            ax.plot([0, 1], [0, 1], color="gray", lw=0.8, ls="--")
            ax.plot(fpr, tpr, lw=1.5, label=f"AUC {roc_auc_score(y, score):.2f}")
        else:
            precision, recall, _ = precision_recall_curve(y, score)
            ax.axhline(n_pos / len(y), color="gray", lw=0.8, ls="--")
            ax.step(recall, precision, where="post", lw=1.5, label=f"AP {average_precision_score(y, score):.2f}")
        ax.legend(loc="lower right" if kind == "roc" else "upper right", fontsize=7, handlelength=1)
    xlabel, ylabel = ("1 - specificity", "sensitivity") if kind == "roc" else ("recall (sensitivity)", "precision")
    fig.supxlabel(xlabel, fontsize=9)
    fig.supylabel(ylabel, fontsize=9)
    fig.suptitle(title or ("ROC curve per finding" if kind == "roc" else "Precision-recall curve per finding"))
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------- intervals
def interval_plot(
    table: pd.DataFrame,
    *,
    estimate: str = "AUC",
    lower: str = "lower",
    upper: str = "upper",
    count: str | None = "positives",
    title: str = "90% bootstrap intervals of the AUC",
    xlabel: str = "ROC AUC",
) -> Figure:
    """Horizontal interval per row of ``table`` (index = labels), sorted by the estimate; nan rows say "n/a".

    Parameters
    ----------
    table : pandas.DataFrame
        One row per finding with the point estimate and the interval bounds; optionally a count column (the number
        of positives), written next to each label because it explains the width.
    """
    table = table.sort_values(estimate, na_position="first")
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(table) + 1.2))
    rows = np.arange(len(table))
    ok = table[[estimate, lower, upper]].notna().all(axis=1).to_numpy()
    est, lo, hi = (table[c].to_numpy(dtype=float) for c in (estimate, lower, upper))
    ax.errorbar(est[ok], rows[ok], xerr=[est[ok] - lo[ok], hi[ok] - est[ok]], fmt="o", ms=4, capsize=3)
    for row in rows[~ok]:
        ax.text(0.02, row, "n/a: too few positives", va="center", ha="left", fontsize=8, color="gray")
    labels = [f"{name} ({int(table.loc[name, count])})" if count else str(name) for name in table.index]
    ax.set(
        yticks=rows,
        yticklabels=labels,
        xlim=(0, 1.02),
        ylim=(-0.6, len(table) - 0.4),
        title=title,
        xlabel=xlabel,
        ylabel=f"finding ({count} in brackets)" if count else "",
    )
    ax.axvline(0.5, color="gray", lw=0.8, ls="--")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------- calibration
def calibration_grid(
    panels: Mapping[str, Mapping[str, Sequence]], *, n_bins: int = 10, strategy: str = "quantile"
) -> Figure:
    """Reliability diagrams: one panel per key of ``panels``, one curve per ``label: (y, prob)`` inside it.

    Each curve is :func:`sklearn.calibration.calibration_curve` (mean predicted probability against the observed
    fraction of positives per bin); its legend gives the Brier score (:func:`sklearn.metrics.brier_score_loss`,
    lower is better). A perfectly calibrated model lies on the diagonal.
    """
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss

    fig, axes = _grid(len(panels), min(3, len(panels)), panel=3.6)
    for ax, (name, curves) in zip(axes, panels.items()):
        ax.plot([0, 1], [0, 1], color="gray", lw=0.8, ls="--")
        for label, (y, prob) in curves.items():
            y, prob = np.asarray(y).astype(int), np.asarray(prob, dtype=float)
            observed, predicted = calibration_curve(y, prob, n_bins=n_bins, strategy=strategy)
            ax.plot(predicted, observed, marker="o", ms=3, label=f"{label} (Brier {brier_score_loss(y, prob):.3f})")
        ax.set(xlim=(0, 1), ylim=(0, 1), title=name, xlabel="mean predicted probability", ylabel="fraction positive")
        ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------- prevalence
def ppv_npv_vs_prevalence(
    prevalence,
    ppv,
    npv,
    *,
    marks: Mapping[str, float] | None = None,
    title: str = "PPV and NPV at fixed sensitivity and specificity",
) -> Figure:
    """PPV and NPV (y) against prevalence (x, log scale); ``marks`` draws labelled vertical lines."""
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(prevalence, ppv, lw=2, label="PPV")
    ax.plot(prevalence, npv, lw=2, label="NPV")
    for i, (label, value) in enumerate((marks or {}).items()):
        ax.axvline(value, color=f"C{i + 2}", ls="--", lw=1, label=label)
    ax.set(xscale="log", ylim=(0, 1.02), xlabel="prevalence (log scale)", ylabel="predictive value", title=title)
    ax.legend(loc="center right", fontsize=8)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------- thresholds
def confusion_at_thresholds(y, pred, thresholds: Sequence[float], *, finding: str = "") -> Figure:
    """The predictions of both classes with the thresholds marked, then one confusion matrix per threshold.

    Each matrix's title gives the four rates of :func:`operating_point` (nan where undefined).
    """
    y, pred = np.asarray(y).astype(int), np.asarray(pred, dtype=float)
    fig, axes = plt.subplots(1, len(thresholds) + 1, figsize=(3.2 * (len(thresholds) + 1), 3.4))
    low, high = min(pred.min(), *thresholds), max(pred.max(), *thresholds)
    bins = np.linspace(low, high + 1e-9, 26)
    axes[0].hist(pred[y == 0], bins=bins, alpha=0.6, label=f"negatives ({int((y == 0).sum())})")
    axes[0].hist(pred[y == 1], bins=bins, alpha=0.8, label=f"positives ({int(y.sum())})")
    axes[0].set_yscale("symlog", linthresh=5)
    for i, th in enumerate(thresholds):
        axes[0].axvline(th, color=f"C{i + 2}", lw=1.5)
    axes[0].set(title=f"{finding} predictions".strip(), xlabel="predicted probability", ylabel="pictures")
    axes[0].legend(fontsize=7)
    for i, (ax, th) in enumerate(zip(axes[1:], thresholds)):
        point = operating_point(y, pred, th)
        matrix = np.array([[point["tn"], point["fp"]], [point["fn"], point["tp"]]])
        ax.imshow(matrix, cmap="Blues", vmin=0, vmax=max(1, matrix.max()))
        for (r, c), value in np.ndenumerate(matrix):
            name = [["TN", "FP"], ["FN", "TP"]][r][c]
            ax.text(
                c,
                r,
                f"{name}\n{value}",
                ha="center",
                va="center",
                color="white" if value > matrix.max() / 2 else "black",
            )
        ax.set(xticks=[0, 1], xticklabels=["call −", "call +"], yticks=[0, 1], yticklabels=["true −", "true +"])
        ax.grid(False)
        ax.set_title(
            f"threshold {th:.3g}\nsens {_fmt(point['sensitivity'])}  spec {_fmt(point['specificity'])}\n"
            f"PPV {_fmt(point['ppv'])}  NPV {_fmt(point['npv'])}",
            fontsize=9,
            color=f"C{i + 2}",
        )
    fig.tight_layout()
    return fig
