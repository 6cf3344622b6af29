"""Plausible wrong answers for week C2W4: every one must be rejected by the hidden tests.

Naming: ``<exercise>__<what goes wrong>``. Each is self-contained (NumPy and pandas; one uses lifelines, as learners
do), so it can be pasted into a notebook as a submission and run through ``python -m grader test-impl``.
"""

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------------------------- to_one_hot


def to_one_hot__keeps_every_level(df, columns):
    """Forgets drop_first: one column per level, so the levels are collinear with the baseline."""
    return pd.get_dummies(df, columns=columns, dtype=float)


def to_one_hot__boolean_columns(df, columns):
    """Leaves out dtype=float: pandas 2 makes True/False columns."""
    return pd.get_dummies(df, columns=columns, drop_first=True)


def to_one_hot__integer_columns(df, columns):
    """Asks for integer 0/1 columns although the exercise wants floats."""
    return pd.get_dummies(df, columns=columns, drop_first=True, dtype=int)


def to_one_hot__drops_last_level(df, columns):
    """Drops the last (largest) level instead of the first."""
    out = df.drop(columns=columns)
    for column in columns:
        levels = sorted(df[column].unique())
        for level in levels[:-1]:
            out[f"{column}_{level}"] = (df[column] == level).astype(float)
    return out


def to_one_hot__keeps_original_column(df, columns):
    """Adds the one-hot columns but forgets to remove the original categorical column."""
    dummies = pd.get_dummies(df[columns], columns=columns, drop_first=True, dtype=float)
    return pd.concat([df, dummies], axis=1)


def to_one_hot__ignores_columns_argument(df, columns):
    """Calls get_dummies without `columns`: numeric categories stay numbers and every text column is encoded."""
    return pd.get_dummies(df, drop_first=True, dtype=float)


def to_one_hot__first_level_by_appearance(df, columns):
    """Drops the level that appears first in the data instead of the smallest level."""
    out = df.drop(columns=columns)
    for column in columns:
        for level in df[column].unique()[1:]:
            out[f"{column}_{level}"] = (df[column] == level).astype(float)
    return out


def to_one_hot__only_dummies(df, columns):
    """Returns only the new one-hot columns, losing every other column (time, status, lab values)."""
    return pd.get_dummies(df[columns], columns=columns, drop_first=True, dtype=float)


def to_one_hot__default_index(df, columns):
    """Builds the one-hot block with a fresh 0..n-1 index and concatenates: rows no longer line up."""
    encoded = pd.get_dummies(df[columns], columns=columns, drop_first=True, dtype=float)
    return pd.concat([df.drop(columns=columns).reset_index(drop=True), encoded.reset_index(drop=True)], axis=1)


def to_one_hot__modifies_input(df, columns):
    """Adds the new columns to the caller's DataFrame and deletes the originals in place."""
    for column in columns:
        for level in sorted(df[column].unique())[1:]:
            df[f"{column}_{level}"] = (df[column] == level).astype(float)
        del df[column]
    return df


# --------------------------------------------------------------------------------------------- hazard_ratio


def hazard_ratio__no_exponential(case_1, case_2, cox_params):
    """Returns the log hazard ratio theta . (x1 - x2), forgetting the exponential."""
    diff = np.asarray(case_1, dtype=float) - np.asarray(case_2, dtype=float)
    return float(np.dot(np.asarray(cox_params, dtype=float), diff))


def hazard_ratio__reversed(case_1, case_2, cox_params):
    """Computes the ratio of patient 2 to patient 1."""
    diff = np.asarray(case_2, dtype=float) - np.asarray(case_1, dtype=float)
    return float(np.exp(np.dot(np.asarray(cox_params, dtype=float), diff)))


def hazard_ratio__sum_of_exponentials(case_1, case_2, cox_params):
    """Exponentiates each term and adds them up: sum(exp(theta_k (x1_k - x2_k)))."""
    diff = np.asarray(case_1, dtype=float) - np.asarray(case_2, dtype=float)
    return float(np.sum(np.exp(np.asarray(cox_params, dtype=float) * diff)))


def hazard_ratio__exp_of_coefficients(case_1, case_2, cox_params):
    """Multiplies the hazard ratios exp(theta) by the differences: exp(theta) . (x1 - x2)."""
    diff = np.asarray(case_1, dtype=float) - np.asarray(case_2, dtype=float)
    return float(np.dot(np.exp(np.asarray(cox_params, dtype=float)), diff))


def hazard_ratio__ratio_of_linear_predictors(case_1, case_2, cox_params):
    """Divides the linear predictors (theta . x1) / (theta . x2) instead of the hazards."""
    theta = np.asarray(cox_params, dtype=float)
    return float(np.dot(theta, np.asarray(case_1, dtype=float)) / np.dot(theta, np.asarray(case_2, dtype=float)))


def hazard_ratio__difference_of_hazards(case_1, case_2, cox_params):
    """Subtracts the relative hazards exp(theta . x1) - exp(theta . x2) instead of dividing."""
    theta = np.asarray(cox_params, dtype=float)
    return float(
        np.exp(np.dot(theta, np.asarray(case_1, dtype=float))) - np.exp(np.dot(theta, np.asarray(case_2, dtype=float)))
    )


def hazard_ratio__mean_not_sum(case_1, case_2, cox_params):
    """Averages the terms theta_k (x1_k - x2_k) instead of adding them."""
    diff = np.asarray(case_1, dtype=float) - np.asarray(case_2, dtype=float)
    return float(np.exp(np.mean(np.asarray(cox_params, dtype=float) * diff)))


def hazard_ratio__absolute_difference(case_1, case_2, cox_params):
    """Uses |x1 - x2| 'because a distance is positive'."""
    diff = np.abs(np.asarray(case_1, dtype=float) - np.asarray(case_2, dtype=float))
    return float(np.exp(np.dot(np.asarray(cox_params, dtype=float), diff)))


# --------------------------------------------------------------------------------------------- harrell_c


def harrell_c__same_time_deaths_permissible(y_true, scores, event):
    """Counts two deaths at the same time as a permissible pair (and scores it as a tie when scores differ)."""
    t, s, e = np.asarray(y_true, float), np.asarray(scores, float), np.asarray(event).astype(bool)
    conc, perm = 0.0, 0
    for i in range(len(t)):
        for j in range(i + 1, len(t)):
            if t[i] == t[j] and e[i] and e[j]:
                perm += 1
                conc += 0.5
                continue
            if t[i] == t[j]:
                if e[i] == e[j]:
                    continue
                a, b = (i, j) if e[i] else (j, i)
            else:
                a, b = (i, j) if t[i] < t[j] else (j, i)
                if not e[a]:
                    continue
            perm += 1
            conc += 1.0 if s[a] > s[b] else 0.5 if s[a] == s[b] else 0.0
    return conc / perm


def harrell_c__censored_before_event_permissible(y_true, scores, event):
    """Counts every pair with at least one death, even when the censoring came before that death."""
    t, s, e = np.asarray(y_true, float), np.asarray(scores, float), np.asarray(event).astype(bool)
    conc, perm = 0.0, 0
    for i in range(len(t)):
        for j in range(i + 1, len(t)):
            if not (e[i] or e[j]) or (t[i] == t[j] and e[i] and e[j]):
                continue
            if t[i] == t[j]:
                a, b = (i, j) if e[i] else (j, i)
            else:
                a, b = (i, j) if t[i] < t[j] else (j, i)
            perm += 1
            conc += 1.0 if s[a] > s[b] else 0.5 if s[a] == s[b] else 0.0
    return conc / perm


def harrell_c__tie_counts_one(y_true, scores, event):
    """Counts a tie in the scores as concordant (>= instead of >)."""
    t, s, e = np.asarray(y_true, float), np.asarray(scores, float), np.asarray(event).astype(bool)
    conc, perm = 0.0, 0
    for i in range(len(t)):
        for j in range(i + 1, len(t)):
            if t[i] == t[j]:
                if e[i] == e[j]:
                    continue
                a, b = (i, j) if e[i] else (j, i)
            else:
                a, b = (i, j) if t[i] < t[j] else (j, i)
                if not e[a]:
                    continue
            perm += 1
            conc += 1.0 if s[a] >= s[b] else 0.0
    return conc / perm


def harrell_c__tie_counts_zero(y_true, scores, event):
    """Forgets the 0.5 for tied scores."""
    t, s, e = np.asarray(y_true, float), np.asarray(scores, float), np.asarray(event).astype(bool)
    conc, perm = 0.0, 0
    for i in range(len(t)):
        for j in range(i + 1, len(t)):
            if t[i] == t[j]:
                if e[i] == e[j]:
                    continue
                a, b = (i, j) if e[i] else (j, i)
            else:
                a, b = (i, j) if t[i] < t[j] else (j, i)
                if not e[a]:
                    continue
            perm += 1
            conc += 1.0 if s[a] > s[b] else 0.0
    return conc / perm


def harrell_c__lower_score_concordant(y_true, scores, event):
    """Treats the score as 'higher = longer survival': the earlier death should have the lower score."""
    t, s, e = np.asarray(y_true, float), np.asarray(scores, float), np.asarray(event).astype(bool)
    conc, perm = 0.0, 0
    for i in range(len(t)):
        for j in range(i + 1, len(t)):
            if t[i] == t[j]:
                if e[i] == e[j]:
                    continue
                a, b = (i, j) if e[i] else (j, i)
            else:
                a, b = (i, j) if t[i] < t[j] else (j, i)
                if not e[a]:
                    continue
            perm += 1
            conc += 1.0 if s[a] < s[b] else 0.5 if s[a] == s[b] else 0.0
    return conc / perm


def harrell_c__censored_at_event_time_excluded(y_true, scores, event):
    """Requires the censored patient to be followed strictly longer than the death time."""
    t, s, e = np.asarray(y_true, float), np.asarray(scores, float), np.asarray(event).astype(bool)
    conc, perm = 0.0, 0
    for i in range(len(t)):
        for j in range(i + 1, len(t)):
            if t[i] == t[j]:
                continue
            a, b = (i, j) if t[i] < t[j] else (j, i)
            if not e[a]:
                continue
            perm += 1
            conc += 1.0 if s[a] > s[b] else 0.5 if s[a] == s[b] else 0.0
    return conc / perm


def harrell_c__only_death_pairs(y_true, scores, event):
    """Uses only pairs in which both patients died, throwing away the information of censored patients."""
    t, s, e = np.asarray(y_true, float), np.asarray(scores, float), np.asarray(event).astype(bool)
    conc, perm = 0.0, 0
    for i in range(len(t)):
        for j in range(i + 1, len(t)):
            if not (e[i] and e[j]) or t[i] == t[j]:
                continue
            a, b = (i, j) if t[i] < t[j] else (j, i)
            perm += 1
            conc += 1.0 if s[a] > s[b] else 0.5 if s[a] == s[b] else 0.0
    return conc / perm


def harrell_c__event_coding_flipped(y_true, scores, event):
    """Reads event == 0 as the death indicator."""
    t, s = np.asarray(y_true, float), np.asarray(scores, float)
    e = ~np.asarray(event).astype(bool)
    conc, perm = 0.0, 0
    for i in range(len(t)):
        for j in range(i + 1, len(t)):
            if t[i] == t[j]:
                if e[i] == e[j]:
                    continue
                a, b = (i, j) if e[i] else (j, i)
            else:
                a, b = (i, j) if t[i] < t[j] else (j, i)
                if not e[a]:
                    continue
            perm += 1
            conc += 1.0 if s[a] > s[b] else 0.5 if s[a] == s[b] else 0.0
    return conc / perm


def harrell_c__series_label_indexing(y_true, scores, event):
    """Loops with y_true[i] directly: on a pandas Series with a shuffled index, [i] looks up a row label."""
    n = len(y_true)
    conc, perm = 0.0, 0
    for i in range(n):
        for j in range(i + 1, n):
            ti, tj, ei, ej = y_true[i], y_true[j], bool(event[i]), bool(event[j])
            if ti == tj:
                if ei == ej:
                    continue
                a, b = (i, j) if ei else (j, i)
            else:
                a, b = (i, j) if ti < tj else (j, i)
                if not (ei if a == i else ej):
                    continue
            perm += 1
            conc += 1.0 if scores[a] > scores[b] else 0.5 if scores[a] == scores[b] else 0.0
    return conc / perm


def harrell_c__lifelines_without_minus(y_true, scores, event):
    """Passes the risk scores to lifelines' concordance_index, which expects 'higher = longer survival'."""
    from lifelines.utils import concordance_index

    return concordance_index(y_true, scores, event)
