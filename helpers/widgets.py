"""Interactive widgets for the notebooks (ipywidgets). Each widget's callback is a plain function that rewrites an
``HTML`` child, so moving a control visibly changes the text in a browser and the same change can be checked in
Python (``slider.value = 0.3``, then read ``report.value``).
"""

from __future__ import annotations

import numpy as np

from helpers.plots_eval import operating_point

__all__ = ["threshold_report", "threshold_explorer"]


def _fmt(value: float) -> str:
    return "undefined (0 / 0)" if np.isnan(value) else f"{value:.3f}"


def threshold_report(y, pred, th: float, *, finding: str = "") -> str:
    """HTML of the confusion matrix and the four rates of the rule ``pred >= th`` (see
    :func:`helpers.plots_eval.operating_point`)."""
    p = operating_point(y, pred, th)
    cell = "<td style='padding:4px 12px;text-align:right'>{}</td>"
    head = "<th style='padding:4px 12px'>{}</th>"
    rows = [  # the layout of sklearn.metrics.confusion_matrix: truth in rows, calls in columns, negatives first
        "<tr>" + head.format("") + head.format("called negative") + head.format("called positive") + "</tr>",
        "<tr>" + head.format("finding absent") + cell.format(f"TN {p['tn']}") + cell.format(f"FP {p['fp']}") + "</tr>",
        "<tr>" + head.format("finding present") + cell.format(f"FN {p['fn']}") + cell.format(f"TP {p['tp']}") + "</tr>",
    ]
    rates = (
        f"sensitivity {_fmt(p['sensitivity'])} &nbsp;|&nbsp; specificity {_fmt(p['specificity'])} &nbsp;|&nbsp; "
        f"PPV {_fmt(p['ppv'])} &nbsp;|&nbsp; NPV {_fmt(p['npv'])}"
    )
    title = f"<b>{finding}</b>: " if finding else ""
    return (
        f"<div class='ai4med-threshold-report'>{title}threshold {th:.2f} (pred &ge; threshold is a positive call)"
        f"<table>{''.join(rows)}</table><div>{rates}</div></div>"
    )


def threshold_explorer(y, pred, *, finding: str = "", value: float = 0.5, step: float = 0.01):
    """A threshold slider above a live confusion matrix and the four rates.

    Parameters
    ----------
    y, pred : array-like of shape (n_samples,)
        True 0/1 labels and predicted probabilities.
    finding : str
        Name shown in the report.
    value, step : float
        Initial threshold and slider step (the slider spans 0 to 1).

    Returns
    -------
    ipywidgets.VBox
        Children ``(slider, report)``: a ``FloatSlider`` and the ``HTML`` it rewrites on every move.
    """
    import ipywidgets as widgets

    y, pred = np.asarray(y), np.asarray(pred, dtype=float)
    slider = widgets.FloatSlider(
        value=value, min=0.0, max=1.0, step=step, description="threshold", continuous_update=True, readout_format=".2f"
    )
    report = widgets.HTML(threshold_report(y, pred, value, finding=finding))

    def show(change) -> None:
        report.value = threshold_report(y, pred, change["new"], finding=finding)

    slider.observe(show, names="value")
    return widgets.VBox([slider, report])
