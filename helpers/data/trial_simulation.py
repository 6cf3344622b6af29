"""A simulated randomised trial whose individual treatment effects are known.

The patients look like those of the colon-cancer trial (:mod:`helpers.data.colon`: same 14 columns, case mix drawn
from the real trial's frequencies, rounded), but their outcomes come from a model written down here, so every
patient's true absolute risk reduction (ARR) is known. The model is invented for teaching; it is not a claim about
levamisole or fluorouracil.

Risk of death within 5 years without treatment (logistic):

    logit p0 = -0.55 + 0.025 (age - 60) + 0.35 obstruct + 0.5 perfor + 0.4 adhere + 0.09 (nodes - 3)
               + 0.55 node4 + 0.3 differ_3 - 0.5 (extent 1 or 2) + 0.6 extent_4

Treatment adds ``delta`` to the log-odds, with three kinds of patient (:data:`SUBGROUPS`):

- **helped a lot**: more than 4 positive nodes (``node4 == 1``): delta = -1.3;
- **harmed**: 70 or older with at most 4 positive nodes: delta = +0.5 (toxicity outweighs the benefit);
- **helped a little**: everybody else: delta = -0.25.

True ARR = p0 - p1 with logit p1 = logit p0 + delta (positive = treatment lowers the risk). Treatment is assigned by
a fair coin, outcomes are Bernoulli draws from p0 or p1.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from helpers.data.colon import COLUMNS, OUTCOME, TREATMENT

# Case mix of the 582 complete patients of load_colon(), rounded.
FREQUENCIES = {"sex": 0.50, "obstruct": 0.19, "perfor": 0.03, "adhere": 0.14}
DIFFER_LEVELS = (0.09, 0.735, 0.175)  # well, moderately, poorly differentiated
EXTENT_LEVELS = (0.026, 0.11, 0.819, 0.045)  # submucosa, muscle, serosa, contiguous structures
AGE_MEAN, AGE_SD, NODES_MEAN = 60.0, 12.0, 3.65
DELTA = {"helped a lot": -1.3, "harmed": 0.5, "helped a little": -0.25}
SUBGROUPS = tuple(DELTA)


class SimulatedTrial(NamedTuple):
    """What :func:`simulated_trial` returns; every Series shares the index of ``data``."""

    data: pd.DataFrame  # the 14 columns of load_colon(): covariates, outcome, TRTMT
    true_arr: pd.Series  # risk without treatment - risk with treatment
    risk_control: pd.Series  # p0: risk of death within 5 years without treatment
    risk_treated: pd.Series  # p1: the same risk with treatment
    subgroup: pd.Series  # "helped a lot", "harmed" or "helped a little"


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def _covariates(n: int, rng: np.random.Generator) -> pd.DataFrame:
    df = pd.DataFrame({c: (rng.random(n) < p).astype(int) for c, p in FREQUENCIES.items()})
    df["age"] = np.clip(np.round(rng.normal(AGE_MEAN, AGE_SD, n)), 18, 85).astype(int)
    # geometric, at least 1: mean 3.65, most patients 1-3 nodes and a long tail (as in the trial)
    df["nodes"] = rng.geometric(1 / NODES_MEAN, n).astype(float)
    df["node4"] = (df["nodes"] > 4).astype(int)
    differ = rng.choice(3, size=n, p=DIFFER_LEVELS) + 1
    extent = rng.choice(4, size=n, p=EXTENT_LEVELS) + 1
    for level in (2, 3):
        df[f"differ_{level}"] = (differ == level).astype(float)
    for level in (2, 3, 4):
        df[f"extent_{level}"] = (extent == level).astype(float)
    return df


def _baseline_logit(df: pd.DataFrame) -> np.ndarray:
    shallow = 1 - df["extent_3"] - df["extent_4"]
    return (
        -0.55
        + 0.025 * (df["age"] - 60)
        + 0.35 * df["obstruct"]
        + 0.5 * df["perfor"]
        + 0.4 * df["adhere"]
        + 0.09 * (df["nodes"] - 3)
        + 0.55 * df["node4"]
        + 0.3 * df["differ_3"]
        - 0.5 * shallow
        + 0.6 * df["extent_4"]
    ).to_numpy()


def subgroup_of(df: pd.DataFrame) -> pd.Series:
    """The effect subgroup of each patient (see the module docstring), from ``node4`` and ``age``."""
    group = np.where(df["node4"] == 1, "helped a lot", np.where(df["age"] >= 70, "harmed", "helped a little"))
    return pd.Series(group, index=df.index, name="subgroup")


def simulated_trial(n: int, seed: int) -> SimulatedTrial:
    """Simulate a 1:1 randomised trial of ``n`` patients whose individual ARR is known.

    Parameters
    ----------
    n : int
        Number of patients (at least 10).
    seed : int
        Seed of the random generator; the same ``(n, seed)`` always gives the same trial.

    Returns
    -------
    SimulatedTrial
        ``data`` (shape ``(n, 14)``, the columns of :func:`helpers.data.colon.load_colon`, no missing values, index
        ``id`` 0..n-1), and per patient ``true_arr``, ``risk_control``, ``risk_treated`` and ``subgroup``.

    Raises
    ------
    TypeError
        If ``n`` is not a whole number (an ``int``; ``10.5`` or ``"100"`` are refused).
    ValueError
        If ``n`` < 10.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"simulated_trial needs a whole number of patients n, got {type(n).__name__} {n!r}")
    if n < 10:
        raise ValueError(f"simulated_trial needs at least 10 patients, got n={n}")
    n = int(n)
    rng = np.random.default_rng(seed)
    df = _covariates(n, rng)
    df.index = pd.RangeIndex(n, name="id")
    subgroup = subgroup_of(df)
    delta = subgroup.map(DELTA).to_numpy()
    logit0 = _baseline_logit(df)
    p0, p1 = _expit(logit0), _expit(logit0 + delta)
    treated = rng.random(n) < 0.5
    df[TREATMENT] = treated
    df[OUTCOME] = (rng.random(n) < np.where(treated, p1, p0)).astype(int)
    as_series = lambda values, name: pd.Series(values, index=df.index, name=name)  # noqa: E731
    return SimulatedTrial(
        df[COLUMNS],
        as_series(p0 - p1, "true_arr"),
        as_series(p0, "risk_control"),
        as_series(p1, "risk_treated"),
        subgroup,
    )


__all__ = ["DELTA", "SUBGROUPS", "SimulatedTrial", "simulated_trial", "subgroup_of"]
