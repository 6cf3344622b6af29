"""Plots shared by the course notebooks. Every function returns a matplotlib Figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def _new_axes(ax=None, figsize=(7, 4.5)):
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def survival_curves(
    curves: Mapping[str, Sequence],
    *,
    title: str = "Survival estimate",
    xlabel: str = "time",
    ylabel: str = "estimated probability of survival",
    ax=None,
    at_risk=None,
) -> Figure:
    """Step plot of one or more survival curves.

    ``curves`` maps a label to ``(times, survival)`` or ``(times, survival, lower, upper)``; the optional band is
    drawn as a shaded confidence interval. Curves are drawn as right-continuous steps starting at their first time.
    ``at_risk`` optionally maps the same labels to the number of patients, shown in the legend.
    """
    if not curves:
        raise ValueError("survival_curves needs at least one curve, e.g. {'all patients': (times, survival)}")
    fig, ax = _new_axes(ax)
    for label, curve in curves.items():
        if len(curve) not in (2, 4):
            raise ValueError(f"curve {label!r} must be (times, survival) or (times, survival, lower, upper)")
        times = np.asarray(curve[0], dtype=float)
        surv = np.asarray(curve[1], dtype=float)
        if times.shape != surv.shape:
            raise ValueError(f"curve {label!r}: {times.size} times but {surv.size} survival values")
        name = f"{label} (n={at_risk[label]})" if at_risk and label in at_risk else str(label)
        (line,) = ax.step(times, surv, where="post", label=name, lw=2)
        if len(curve) == 4:
            ax.fill_between(
                times,
                np.asarray(curve[2], float),
                np.asarray(curve[3], float),
                step="post",
                alpha=0.2,
                color=line.get_color(),
                lw=0,
            )
    ax.set_ylim(-0.02, 1.02)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(loc="best")
    return fig


def follow_up_lines(
    time, event, *, group=None, title: str = "Follow-up of each patient", xlabel: str = "time", ax=None
) -> Figure:
    """One horizontal line per patient from 0 to their time: x marks an observed event, o a censoring.

    Patients are sorted by group (if given) and time, so the pattern of censoring is visible at a glance.
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event).astype(bool)
    group = np.zeros(len(time), dtype=int) if group is None else np.asarray(group)
    if not (len(time) == len(event) == len(group)):
        raise ValueError("time, event and group must have the same length")
    order = np.lexsort((time, group))
    fig, ax = _new_axes(ax, figsize=(7, max(3.0, 0.06 * len(time) + 1.5)))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    groups = list(dict.fromkeys(group[order]))
    for row, i in enumerate(order):
        color = colors[groups.index(group[i]) % len(colors)]
        ax.hlines(row, 0, time[i], color=color, lw=1)
        ax.plot(
            time[i],
            row,
            "x" if event[i] else "o",
            color="black" if event[i] else color,
            mfc="none" if not event[i] else None,
            ms=4,
        )
    if len(groups) > 1:
        for k, g in enumerate(groups):
            ax.plot([], [], color=colors[k % len(colors)], lw=2, label=str(g))
    ax.plot([], [], "kx", label="death observed")
    ax.plot([], [], "o", mfc="none", color="gray", label="censored")
    ax.set(title=title, xlabel=xlabel, ylabel="patient", yticks=[])
    ax.legend(loc="lower right")
    return fig


def label_f1_bars(scores, *, metric: str = "F1", title: str = "F1 per label", ax=None) -> Figure:
    """Grouped horizontal bars of one metric per label (rows) and labeller (first level of the columns).

    ``scores`` is the frame of :func:`helpers.labelling.label_scores` (columns ``(labeller, metric)``).
    """
    table = scores.xs(metric, axis=1, level=1)
    fig, ax = _new_axes(ax, figsize=(7.5, 0.45 * len(table) * max(1, len(table.columns) / 2) + 1.5))
    height = 0.8 / len(table.columns)
    rows = np.arange(len(table))[::-1]
    for k, name in enumerate(table.columns):
        ax.barh(rows + (len(table.columns) / 2 - k - 0.5) * height, table[name].fillna(0), height, label=name)
    ax.set_yticks(rows, table.index)
    ax.set_xlim(0, 1)
    ax.set(title=title, xlabel=metric)
    ax.legend(loc="lower right", fontsize="small")
    return fig


def training_curve(losses, *, smooth: int = 10, title: str = "Fine-tuning loss", ax=None) -> Figure:
    """Loss per step (thin) and its moving average over ``smooth`` steps (thick)."""
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError("losses must be a non-empty 1-D sequence of numbers")
    fig, ax = _new_axes(ax)
    steps = np.arange(1, losses.size + 1)
    ax.plot(steps, losses, lw=0.8, alpha=0.4, label="per step")
    k = max(1, min(smooth, losses.size))
    ax.plot(steps[k - 1 :], np.convolve(losses, np.ones(k) / k, mode="valid"), lw=2, label=f"mean of {k} steps")
    ax.set(title=title, xlabel="step", ylabel="loss (start + end cross-entropy) / 2")
    ax.legend(loc="upper right")
    return fig


# ------------------------------------------------------------------------------------------------ treatment effects


def arr_by_risk(
    risk,
    model_arr,
    *,
    deciles=None,
    title: str = "Absolute risk reduction by baseline risk",
    model_label: str = "model",
    ax=None,
) -> Figure:
    """The ARR a model predicts as a function of baseline risk, with empirical ARRs of risk groups on top.

    ``risk`` and ``model_arr`` give the model's curve (sorted by risk before drawing). ``deciles`` is an optional
    DataFrame with columns ``risk`` (mean baseline risk of the group), ``arr`` (observed control minus treated event
    rate) and optionally ``low`` and ``high`` (an interval), one row per group, drawn as points with error bars.
    """
    risk = np.asarray(risk, dtype=float)
    model_arr = np.asarray(model_arr, dtype=float)
    if risk.shape != model_arr.shape:
        raise ValueError(f"risk and model_arr must have the same length, got {risk.size} and {model_arr.size}")
    fig, ax = _new_axes(ax)
    order = np.argsort(risk)
    ax.plot(risk[order], model_arr[order], lw=2, label=model_label)
    if deciles is not None:
        missing = {"risk", "arr"} - set(deciles.columns)
        if missing:
            raise ValueError(f"deciles needs the columns 'risk' and 'arr' (missing {sorted(missing)})")
        if {"low", "high"} <= set(deciles.columns):
            err = np.vstack([deciles["arr"] - deciles["low"], deciles["high"] - deciles["arr"]])
            ax.errorbar(
                deciles["risk"],
                deciles["arr"],
                yerr=err,
                fmt="o",
                color="black",
                capsize=3,
                label="observed in risk group (95% CI)",
            )
        else:
            ax.plot(deciles["risk"], deciles["arr"], "o", color="black", label="observed in risk group")
    ax.axhline(0, color="gray", lw=1)
    ax.set(
        title=title,
        xlabel="baseline risk (predicted risk without treatment)",
        ylabel="absolute risk reduction (control − treated)",
    )
    ax.legend(loc="best")
    return fig


def predicted_vs_true_arr(
    true_arr,
    predictions: Mapping[str, Sequence],
    *,
    groups=None,
    title: str = "Predicted versus true absolute risk reduction",
) -> Figure:
    """One scatter panel per model: predicted ARR against the true ARR, with the identity line.

    ``predictions`` maps a model name to its predicted ARR per patient (same order as ``true_arr``); ``groups``
    optionally colours the patients (e.g. the simulated trial's subgroups). Each panel's title gives Pearson's r.
    """
    if not predictions:
        raise ValueError("predicted_vs_true_arr needs at least one model's predictions")
    truth = np.asarray(true_arr, dtype=float)
    groups = np.full(len(truth), "patients") if groups is None else np.asarray(groups)
    fig, axes = plt.subplots(
        1, len(predictions), figsize=(4.2 * len(predictions), 4.2), sharex=True, sharey=True, squeeze=False
    )
    low = min(truth.min(), *(np.min(p) for p in predictions.values()))
    high = max(truth.max(), *(np.max(p) for p in predictions.values()))
    for ax, (name, pred) in zip(axes[0], predictions.items()):
        pred = np.asarray(pred, dtype=float)
        if pred.shape != truth.shape:
            raise ValueError(f"{name}: {pred.size} predictions for {truth.size} patients")
        for g in dict.fromkeys(groups):
            mask = groups == g
            ax.scatter(truth[mask], pred[mask], s=8, alpha=0.5, label=str(g))
        ax.plot([low, high], [low, high], color="black", lw=1)
        ax.set(title=f"{name} (r = {np.corrcoef(truth, pred)[0, 1]:.2f})", xlabel="true ARR")
    axes[0, 0].set_ylabel("predicted ARR")
    if len(set(groups)) > 1:
        axes[0, -1].legend(loc="lower right", markerscale=2)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def effect_intervals(
    estimates: Mapping[str, Sequence],
    *,
    reference: float | None = None,
    title: str = "Estimates with 95% intervals",
    xlabel: str = "estimate",
    ax=None,
) -> Figure:
    """A forest plot: one row per estimate, ``estimates[label] = (point, low, high)``, top to bottom.

    ``reference`` draws a vertical line (e.g. 0.5 for a C-statistic, 0 for a difference).
    """
    if not estimates:
        raise ValueError("effect_intervals needs at least one estimate")
    fig, ax = _new_axes(ax, figsize=(7, 0.45 * len(estimates) + 1.5))
    labels = list(estimates)
    for row, label in enumerate(labels):
        point, low, high = (float(v) for v in estimates[label])
        ax.plot([low, high], [row, row], color="tab:blue", lw=2)
        ax.plot(point, row, "o", color="black")
    if reference is not None:
        ax.axvline(reference, color="gray", lw=1, ls="--")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set(title=title, xlabel=xlabel)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig
