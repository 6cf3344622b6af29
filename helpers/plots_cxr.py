"""Figures for the chest X-ray weeks (C1W1, C1W2, C3W3). Every function returns a matplotlib Figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

__all__ = [
    "finding_prevalence",
    "cooccurrence",
    "images_per_patient",
    "radiograph_grid",
    "class_balance",
    "training_curves",
    "roc_panels",
    "maps_over_radiographs",
]


def finding_prevalence(labels: pd.DataFrame, findings: Sequence[str], *, title: str = "") -> Figure:
    """Horizontal bars: number of images with each finding, annotated with its prevalence.

    Parameters
    ----------
    labels : pandas.DataFrame
        One row per image with a 0/1 column per finding.
    findings : sequence of str
        The finding columns, e.g. :data:`helpers.data.cxr.FINDINGS`.
    """
    counts = labels[list(findings)].sum().sort_values()
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(counts) + 1.2))
    ax.barh(counts.index, counts.values, color="tab:blue")
    for k, (_name, value) in enumerate(counts.items()):
        ax.text(value, k, f" {value:,} ({value / len(labels):.1%})", va="center", fontsize=8)
    ax.set_xlim(0, counts.max() * 1.3)
    ax.set(xlabel="images with the finding", title=title or f"Findings in {len(labels):,} images")
    ax.grid(axis="y", visible=False)
    return fig


def cooccurrence(labels: pd.DataFrame, findings: Sequence[str], *, title: str = "") -> Figure:
    """Heatmap of P(column finding | row finding): how often a finding comes with another in the same image."""
    y = labels[list(findings)].to_numpy(dtype=float)
    both = y.T @ y
    conditional = both / np.maximum(np.diag(both)[:, None], 1)
    fig, ax = plt.subplots(figsize=(8, 7))
    image = ax.imshow(conditional, cmap="viridis", vmin=0, vmax=1)
    short = [f.replace("_", " ") for f in findings]
    ax.set_xticks(range(len(findings)), short, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(findings)), short, fontsize=8)
    for i in range(len(findings)):
        for j in range(len(findings)):
            if i != j and conditional[i, j] >= 0.1:
                ax.text(j, i, f"{conditional[i, j]:.2f}", ha="center", va="center", fontsize=6, color="white")
    ax.grid(False)
    fig.colorbar(image, ax=ax, shrink=0.8, label="P(column finding | row finding)")
    ax.set_title(title or "Which findings appear together (diagonal: 1)")
    return fig


def images_per_patient(labels: pd.DataFrame, *, patient_col: str = "PatientId", title: str = "") -> Figure:
    """Histogram of the number of images per patient (log scale: most patients have one, a few have dozens)."""
    per_patient = labels.groupby(patient_col).size()
    fig, ax = plt.subplots()
    bins = np.unique(np.round(np.logspace(0, np.log10(per_patient.max() + 1), 30)))
    ax.hist(per_patient, bins=bins, color="tab:purple")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="images of the same patient",
        ylabel="patients",
        title=title or f"{len(per_patient):,} patients, {len(labels):,} images",
    )
    return fig


def _draw_boxes(ax, boxes, color="red") -> None:
    for x, y, w, h in np.asarray(boxes, dtype=float).reshape(-1, 4):
        ax.add_patch(Rectangle((x - 0.5, y - 0.5), w, h, fill=False, edgecolor=color, lw=1.5))


def radiograph_grid(
    images: Sequence[np.ndarray],
    titles: Sequence[str],
    boxes: Sequence | None = None,
    *,
    cols: int = 4,
    title: str = "",
) -> Figure:
    """A grid of radiographs, each with its title and (optionally) its lesion boxes ``(x, y, w, h)`` in pixels."""
    return _grid(images, titles, boxes, None, cols=cols, title=title, cell=(2.6, 2.8))


def _grid(images, titles, boxes, maps, *, cols: int, title: str, cell: tuple[float, float]) -> Figure:
    """The one grid of radiographs: optional heat maps on top, optional lesion boxes, a title per picture."""
    n = len(images)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(cell[0] * cols, cell[1] * rows), squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= n:
            continue
        ax.imshow(np.squeeze(images[k]), cmap="gray")
        if maps is not None:
            ax.imshow(maps[k], cmap="jet", alpha=0.35, vmin=0, vmax=1)
        ax.set_title(titles[k], fontsize=8)
        if boxes is not None and len(boxes[k]):
            _draw_boxes(ax, boxes[k])
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def class_balance(findings: Sequence[str], positive: np.ndarray, negative: np.ndarray, *, title: str) -> Figure:
    """Side-by-side bars of the positive and negative examples' contribution to each finding's loss.

    ``positive`` and ``negative`` are, per finding, the frequency of the examples times their weight (the weights
    are 1 for the plain cross-entropy).
    """
    x = np.arange(len(findings))
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.bar(x - 0.2, positive, 0.4, label="positive examples", color="tab:red")
    ax.bar(x + 0.2, negative, 0.4, label="negative examples", color="tab:blue")
    ax.set_xticks(x, [f.replace("_", " ") for f in findings], rotation=45, ha="right")
    top = max(np.max(positive), np.max(negative))
    ax.set(ylabel="frequency x weight", title=title, ylim=(0, top * 1.25))
    ax.legend(loc="upper center", ncol=2)
    return fig


def training_curves(histories: Mapping[str, Mapping[str, Sequence[float]]]) -> Figure:
    """Training and validation loss and validation AUC per epoch, one line style per model."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for (name, history), color in zip(histories.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"]):
        epochs = np.arange(1, len(history["loss"]) + 1)
        left.plot(epochs, history["loss"], color=color, label=f"{name}: training")
        left.plot(epochs, history["val_loss"], color=color, ls="--", label=f"{name}: validation")
        right.plot(epochs, history["val_auc"], color=color, marker="o", label=name)
    left.set(xlabel="epoch", ylabel="loss", title="Loss (each model's own loss)", yscale="log")
    right.set(xlabel="epoch", ylabel="macro AUC", title="Validation macro AUC")
    left.legend(fontsize=8)
    right.legend(fontsize=8)
    return fig


def roc_panels(
    y_true: pd.DataFrame, predictions: Mapping[str, np.ndarray], findings: Sequence[str], *, min_positives: int = 1
) -> Figure:
    """One panel per model: the ROC curve of every finding with at least ``min_positives`` positives.

    Parameters
    ----------
    y_true : pandas.DataFrame
        0/1 columns named after the findings.
    predictions : mapping of str to numpy.ndarray
        Model name -> scores, shape (n_images, n_findings), columns in the order of ``findings``.
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    fig, axes = plt.subplots(1, len(predictions), figsize=(5.5 * len(predictions), 5), squeeze=False)
    for ax, (name, scores) in zip(axes[0], predictions.items()):
        for j, finding in enumerate(findings):
            y = y_true[finding].to_numpy()
            if y.sum() < min_positives or y.sum() == len(y):
                continue
            fpr, tpr, _ = roc_curve(y, scores[:, j])
            ax.plot(fpr, tpr, lw=1.2, label=f"{finding} ({roc_auc_score(y, scores[:, j]):.2f})")
        ax.plot([0, 1], [0, 1], color="gray", ls=":", lw=1)
        ax.set(
            xlabel="1 - specificity (false positive rate)",
            ylabel="sensitivity (true positive rate)",
            title=name,
            aspect="equal",
        )
        ax.legend(fontsize=6.5, loc="lower right")
    fig.tight_layout()
    return fig


def maps_over_radiographs(
    images: Sequence[np.ndarray],
    maps: Sequence[np.ndarray],
    titles: Sequence[str],
    boxes: Sequence | None = None,
    *,
    cols: int = 4,
    title: str = "",
) -> Figure:
    """Radiographs with a heat map on top (e.g. a class activation map) and the true lesion boxes in red."""
    return _grid(images, titles, boxes, maps, cols=cols, title=title, cell=(2.8, 3.0))
