"""Correct C3W1 answers in forms the reference does not use (from a fresh reviewer's tries), named
``<exercise>__<form>`` like the mistakes corpus. tests/test_learner_forms.py runs each through the public and hidden
tests in-process and in the sandbox, so this module imports only what a learner's notebook could."""

import itertools
import math

import numpy as np
import pandas as pd


def OR_to_ARR__python_float(p, OR):
    """The issue's signature says ``-> float``: returning float(...) is right (the notebook vectorizes it)."""
    return float(p - p * OR / (1 - p + p * OR))


def OR_to_ARR__through_the_odds(p, OR):
    """Multiply the odds p / (1 - p) by OR and turn them back into a risk, as the notebook's prose describes."""
    odds_treated = p / (1 - p) * OR
    return p - odds_treated / (1 + odds_treated)


def base_risks__series_with_the_patients_index(X, lr_model):
    untreated = X.assign(TRTMT=False)
    return pd.Series(lr_model.predict_proba(untreated)[:, 1], index=X.index, name="baseline risk")


def base_risks__list(X, lr_model):
    untreated = X.copy()
    untreated.loc[:, "TRTMT"] = False
    return [float(r) for r in lr_model.predict_proba(untreated[list(lr_model.feature_names_in_)])[:, 1]]


def c_for_benefit_score__empty_guard_and_itertools(pairs):
    """``if not pairs`` is a natural guard for a sequence of pairs (a NumPy array would not allow it)."""
    if not pairs:
        return np.nan
    benefit = [(yc - yt, (pt + pc) / 2) for (pt, yt), (pc, yc) in pairs]
    concordant = usable = 0.0
    for (obs_a, pred_a), (obs_b, pred_b) in itertools.combinations(benefit, 2):
        if obs_a == obs_b:
            continue
        usable += 1
        if pred_a == pred_b:
            concordant += 0.5
        elif (pred_a > pred_b) == (obs_a > obs_b):
            concordant += 1
    return concordant / usable if usable else math.nan


def extract_treatment_effect__by_feature_name(lr, data):
    theta = float(lr.coef_[0][list(data.columns).index("TRTMT")])
    return theta, math.exp(theta)
