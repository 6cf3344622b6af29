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


def survival_curves(curves: Mapping[str, Sequence], *, title: str = "Survival estimate", xlabel: str = "time",
                    ylabel: str = "estimated probability of survival", ax=None, at_risk=None) -> Figure:
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
            ax.fill_between(times, np.asarray(curve[2], float), np.asarray(curve[3], float), step="post",
                            alpha=0.2, color=line.get_color(), lw=0)
    ax.set_ylim(-0.02, 1.02)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(loc="best")
    return fig


def follow_up_lines(time, event, *, group=None, title: str = "Follow-up of each patient", xlabel: str = "time",
                    ax=None) -> Figure:
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
        ax.plot(time[i], row, "x" if event[i] else "o", color="black" if event[i] else color,
                mfc="none" if not event[i] else None, ms=4)
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
    ax.plot(steps[k - 1:], np.convolve(losses, np.ones(k) / k, mode="valid"), lw=2, label=f"mean of {k} steps")
    ax.set(title=title, xlabel="step", ylabel="loss (start + end cross-entropy) / 2")
    ax.legend(loc="upper right")
    return fig
