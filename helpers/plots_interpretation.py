"""Figures for C3W3 (model interpretation). Every function returns a matplotlib Figure."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = ["importance_bars", "hit_rate_bars", "randomization_curve"]


def importance_bars(tables: Mapping[str, pd.DataFrame], *, top: int = 12, title: str = "") -> Figure:
    """Grouped horizontal bars of feature importances with their spread.

    Parameters
    ----------
    tables : mapping of name -> DataFrame
        Each indexed by feature, with columns ``mean`` and ``std`` (e.g. over permutations). The features shown are
        the ``top`` largest by the first table's mean, largest at the top.
    """
    names = list(tables)
    order = tables[names[0]]["mean"].sort_values(ascending=False).index[:top][::-1]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(order) + 1.2))
    height = 0.8 / len(names)
    positions = np.arange(len(order))
    for k, name in enumerate(names):
        table = tables[name].reindex(order)
        ax.barh(
            positions + (k - (len(names) - 1) / 2) * height,
            table["mean"],
            height=height,
            xerr=table["std"],
            capsize=2,
            label=name,
            error_kw={"elinewidth": 0.8},
        )
    ax.set_yticks(positions, order)
    ax.axvline(0, color="black", lw=0.8)
    ax.set(xlabel="drop in C-index when the feature is permuted (mean ± SD over permutations)", title=title)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def hit_rate_bars(table: pd.DataFrame, methods, *, title: str = "") -> Figure:
    """Pointing-game hit rate per finding (rows of ``table``) for each of ``methods`` (columns of ``table``);
    the number of trials (column ``trials``) is written under each finding."""
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(table) + 2), 4.2))
    width = 0.8 / len(methods)
    positions = np.arange(len(table))
    for k, method in enumerate(methods):
        ax.bar(positions + (k - (len(methods) - 1) / 2) * width, table[method], width=width, label=method)
    ax.set_xticks(positions, [f"{finding}\n({n} trials)" for finding, n in zip(table.index, table["trials"])])
    ax.set(ylim=(0, 1), ylabel="hit rate (maximum of the map inside a box)", title=title)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig


def randomization_curve(correlations: pd.DataFrame, *, title: str = "") -> Figure:
    """Rank correlation between the trained model's maps and those of increasingly randomised copies.

    ``correlations``: one row per randomisation step (index: the layers randomised so far, top first; each step adds
    the next block down), one column per map; the median and the interquartile range are drawn.
    """
    fig, ax = plt.subplots(figsize=(7, 4))
    steps = np.arange(len(correlations))
    q25, q50, q75 = (correlations.quantile(q, axis=1).to_numpy() for q in (0.25, 0.5, 0.75))
    ax.fill_between(steps, q25, q75, alpha=0.3, label="interquartile range over pictures")
    ax.plot(steps, q50, marker="o", label="median")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(steps, correlations.index, rotation=30, ha="right")
    ax.set(
        ylim=(-1, 1),
        xlabel="layers randomised (cumulative, from the output down)",
        ylabel="Spearman correlation with\nthe trained model's map",
        title=title,
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
