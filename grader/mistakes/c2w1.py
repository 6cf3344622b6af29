"""Plausible wrong answers for week C2W1: every one must be rejected by the hidden tests.

Naming: ``<exercise>__<what goes wrong>``. Each is self-contained (NumPy, pandas, scikit-learn and the standard
library only), so it can be pasted into a notebook as a submission and run through ``python -m grader test-impl``.
"""

from itertools import combinations, permutations

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

# --------------------------------------------------------------------------------------------- make_standard_normal


def make_standard_normal__no_log(df_train, df_test):
    """Standardizes the raw values, forgetting the log transform."""
    mean, std = df_train.mean(), df_train.std()
    return (df_train - mean) / std, (df_test - mean) / std


def make_standard_normal__numpy_std_ddof0(df_train, df_test):
    """Uses np.std, whose default is the population standard deviation (ddof=0)."""
    log_train, log_test = np.log(df_train), np.log(df_test)
    mean = log_train.mean()
    std = pd.Series(np.std(log_train.to_numpy(), axis=0), index=df_train.columns)
    return (log_train - mean) / std, (log_test - mean) / std


def make_standard_normal__test_own_statistics(df_train, df_test):
    """Standardizes the test set with its own mean and standard deviation."""
    log_train, log_test = np.log(df_train), np.log(df_test)
    train_norm = (log_train - log_train.mean()) / log_train.std()
    test_norm = (log_test - log_test.mean()) / log_test.std()
    return train_norm, test_norm


def make_standard_normal__statistics_before_log(df_train, df_test):
    """Computes the mean and standard deviation on the raw values, then applies them to the logs."""
    mean, std = df_train.mean(), df_train.std()
    return (np.log(df_train) - mean) / std, (np.log(df_test) - mean) / std


def make_standard_normal__log1p(df_train, df_test):
    """Uses np.log1p (log(1 + x)) 'to be safe from zeros' instead of the natural log."""
    log_train, log_test = np.log1p(df_train), np.log1p(df_test)
    mean, std = log_train.mean(), log_train.std()
    return (log_train - mean) / std, (log_test - mean) / std


def make_standard_normal__pooled_statistics(df_train, df_test):
    """Computes the mean and standard deviation on training and test rows together (test-set leakage)."""
    log_train, log_test = np.log(df_train), np.log(df_test)
    both = pd.concat([log_train, log_test])
    mean, std = both.mean(), both.std()
    return (log_train - mean) / std, (log_test - mean) / std


def make_standard_normal__whole_frame_statistics(df_train, df_test):
    """Takes one mean and one standard deviation over all values of the frame instead of one per column."""
    log_train, log_test = np.log(df_train), np.log(df_test)
    values = log_train.to_numpy()
    mean, std = values.mean(), values.std(ddof=1)
    return (log_train - mean) / std, (log_test - mean) / std


def make_standard_normal__test_mean_train_std(df_train, df_test):
    """Centres the test set on its own mean, scaling by the training standard deviation."""
    log_train, log_test = np.log(df_train), np.log(df_test)
    std = log_train.std()
    return (log_train - log_train.mean()) / std, (log_test - log_test.mean()) / std


def make_standard_normal__in_place(df_train, df_test):
    """Overwrites the caller's data frames column by column instead of working on copies."""
    for column in df_train.columns:
        log_col = np.log(df_train[column])
        mean, std = log_col.mean(), log_col.std()
        df_train[column] = (log_col - mean) / std
        df_test[column] = (np.log(df_test[column]) - mean) / std
    return df_train, df_test


def make_standard_normal__standardize_then_log(df_train, df_test):
    """Standardizes first and takes the log afterwards (negative values become NaN)."""
    mean, std = df_train.mean(), df_train.std()
    return np.log((df_train - mean) / std), np.log((df_test - mean) / std)


# --------------------------------------------------------------------------------------------- lr_model


def lr_model__not_fitted(X_train, y_train):
    """Creates the model but forgets to call fit."""
    return LogisticRegression(max_iter=1000, random_state=0)


def lr_model__returns_predictions(X_train, y_train):
    """Returns the predicted classes on the training data instead of the model."""
    model = LogisticRegression(max_iter=1000, random_state=0).fit(X_train, y_train)
    return model.predict(X_train)


def lr_model__returns_probabilities(X_train, y_train):
    """Returns predict_proba on the training data instead of the model."""
    model = LogisticRegression(max_iter=1000, random_state=0).fit(X_train, y_train)
    return model.predict_proba(X_train)


def lr_model__no_intercept(X_train, y_train):
    """Fits without an intercept ('the data are standardized, so it is not needed')."""
    return LogisticRegression(fit_intercept=False, max_iter=1000, random_state=0).fit(X_train, y_train)


def lr_model__no_penalty(X_train, y_train):
    """Removes the default L2 penalty (C=inf), which changes the coefficients on small data."""
    return LogisticRegression(C=np.inf, max_iter=1000, random_state=0).fit(X_train, y_train)


def lr_model__liblinear_solver(X_train, y_train):
    """Uses the liblinear solver, which also penalizes the intercept."""
    return LogisticRegression(solver="liblinear", random_state=0).fit(X_train, y_train)


def lr_model__balanced_class_weight(X_train, y_train):
    """Reweights the classes to balance them, which shifts every predicted probability upwards."""
    return LogisticRegression(class_weight="balanced", max_iter=1000, random_state=0).fit(X_train, y_train)


def lr_model__strong_penalty(X_train, y_train):
    """Copies C=0.1 from another tutorial instead of the default C=1."""
    return LogisticRegression(C=0.1, max_iter=1000, random_state=0).fit(X_train, y_train)


def lr_model__scales_inside(X_train, y_train):
    """Standardizes X_train again inside the function, so the model no longer fits the data it is given."""
    scaled = StandardScaler().fit_transform(X_train)
    return LogisticRegression(max_iter=1000, random_state=0).fit(scaled, y_train)


def lr_model__flipped_outcome(X_train, y_train):
    """Fits on 1 - y, modelling the probability of *not* having the condition."""
    return LogisticRegression(max_iter=1000, random_state=0).fit(X_train, 1 - np.asarray(y_train))


# --------------------------------------------------------------------------------------------- cindex


def cindex__no_pair_divides_by_zero(y_true, scores):
    """Correct whenever a permissible pair exists, but divides by zero (ZeroDivisionError) instead of returning
    np.nan when every patient has the same outcome."""
    y_true, scores = list(np.asarray(y_true).astype(int)), list(np.asarray(scores, dtype=float))
    concordant = ties = permissible = 0
    for i in range(len(y_true)):
        for j in range(len(y_true)):
            if y_true[i] == 1 and y_true[j] == 0:
                permissible += 1
                concordant += scores[i] > scores[j]
                ties += scores[i] == scores[j]
    return (concordant + 0.5 * ties) / permissible


def cindex__ties_count_as_concordant(y_true, scores):
    """Counts a tie in score as a concordant pair (>= instead of >)."""
    y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    cases, controls = scores[y_true == 1], scores[y_true == 0]
    return float(np.sum(cases[:, None] >= controls[None, :]) / (len(cases) * len(controls)))


def cindex__ties_ignored(y_true, scores):
    """Forgets the 0.5 for ties: tied pairs stay in the denominator but add nothing."""
    y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    cases, controls = scores[y_true == 1], scores[y_true == 0]
    return float(np.sum(cases[:, None] > controls[None, :]) / (len(cases) * len(controls)))


def cindex__ties_dropped_from_denominator(y_true, scores):
    """Drops tied pairs altogether: concordant / (concordant + discordant)."""
    y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    cases, controls = scores[y_true == 1], scores[y_true == 0]
    concordant = np.sum(cases[:, None] > controls[None, :])
    discordant = np.sum(cases[:, None] < controls[None, :])
    return float(concordant / (concordant + discordant)) if concordant + discordant else 0.5


def cindex__all_pairs_in_denominator(y_true, scores):
    """Divides by every pair of patients, including pairs with the same outcome."""
    y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    n = len(y_true)
    concordant = ties = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            if y_true[i] != y_true[j]:
                case, control = (i, j) if y_true[i] == 1 else (j, i)
                concordant += scores[case] > scores[control]
                ties += scores[case] == scores[control]
    return (concordant + 0.5 * ties) / (n * (n - 1) / 2)


def cindex__one_direction_only(y_true, scores):
    """Double loop over i < j that only looks at pairs where the case comes first in the data."""
    y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    n = len(y_true)
    concordant = ties = permissible = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            if y_true[i] == 1 and y_true[j] == 0:
                permissible += 1
                concordant += scores[i] > scores[j]
                ties += scores[i] == scores[j]
    return (concordant + 0.5 * ties) / permissible if permissible else 0.5


def cindex__loop_misses_last_patient(y_true, scores):
    """Off-by-one: the inner loop stops at n - 1, so pairs with the last patient are never looked at."""
    y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    n = len(y_true)
    concordant = ties = permissible = 0.0
    for i in range(n - 1):
        for j in range(i + 1, n - 1):
            if y_true[i] != y_true[j]:
                permissible += 1
                case, control = (i, j) if y_true[i] == 1 else (j, i)
                concordant += scores[case] > scores[control]
                ties += scores[case] == scores[control]
    return (concordant + 0.5 * ties) / permissible if permissible else 0.5


def cindex__reversed_direction(y_true, scores):
    """Calls a pair concordant when the case has the LOWER score."""
    y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    cases, controls = scores[y_true == 1], scores[y_true == 0]
    concordant = np.sum(cases[:, None] < controls[None, :])
    ties = np.sum(cases[:, None] == controls[None, :])
    return float((concordant + 0.5 * ties) / (len(cases) * len(controls)))


def cindex__ordinal_ranks(y_true, scores):
    """Rank-sum (Mann-Whitney) formula with ranks from argsort, which breaks ties by position instead of averaging."""
    y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    ranks = rankdata(scores, method="ordinal")
    n_cases, n_controls = int(y_true.sum()), int((1 - y_true).sum())
    u = ranks[y_true == 1].sum() - n_cases * (n_cases + 1) / 2
    return float(u / (n_cases * n_controls))


def cindex__counts_not_fraction(y_true, scores):
    """Returns the number of concordant pairs (ties as one half) without dividing by the permissible pairs."""
    y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    cases, controls = scores[y_true == 1], scores[y_true == 0]
    return float(np.sum(cases[:, None] > controls[None, :]) + 0.5 * np.sum(cases[:, None] == controls[None, :]))


def cindex__rounded(y_true, scores):
    """Rounds the C-index to two decimals 'as in the papers'."""
    y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
    cases, controls = scores[y_true == 1], scores[y_true == 0]
    c = np.sum(cases[:, None] > controls[None, :]) + 0.5 * np.sum(cases[:, None] == controls[None, :])
    return round(float(c / (len(cases) * len(controls))), 2)


# --------------------------------------------------------------------------------------------- add_interactions


def add_interactions__includes_squares(X):
    """Loops over i <= j, adding each column's square as well."""
    out = X.copy()
    columns = list(X.columns)
    for i, a in enumerate(columns):
        for b in columns[i:]:
            out[f"{a}_x_{b}"] = X[a] * X[b]
    return out


def add_interactions__both_orders(X):
    """Uses permutations instead of combinations: every pair appears twice (a_x_b and b_x_a)."""
    out = X.copy()
    for a, b in permutations(X.columns, 2):
        out[f"{a}_x_{b}"] = X[a] * X[b]
    return out


def add_interactions__drops_original_columns(X):
    """Returns only the interaction columns."""
    out = pd.DataFrame(index=X.index)
    for a, b in combinations(X.columns, 2):
        out[f"{a}_x_{b}"] = X[a] * X[b]
    return out


def add_interactions__wrong_name(X):
    """Names the columns f"{a}_{b}" instead of f"{a}_x_{b}"."""
    out = X.copy()
    for a, b in combinations(X.columns, 2):
        out[f"{a}_{b}"] = X[a] * X[b]
    return out


def add_interactions__swapped_name(X):
    """Writes the later column first in the name (f"{b}_x_{a}")."""
    out = X.copy()
    for a, b in combinations(X.columns, 2):
        out[f"{b}_x_{a}"] = X[a] * X[b]
    return out


def add_interactions__sum_not_product(X):
    """Adds the two columns instead of multiplying them."""
    out = X.copy()
    for a, b in combinations(X.columns, 2):
        out[f"{a}_x_{b}"] = X[a] + X[b]
    return out


def add_interactions__modifies_input(X):
    """Adds the new columns to the caller's data frame instead of a copy."""
    for a, b in combinations(list(X.columns), 2):
        X[f"{a}_x_{b}"] = X[a] * X[b]
    return X


def add_interactions__off_by_one(X):
    """The inner loop stops one column early, so no pair involves the last column."""
    out = X.copy()
    columns = list(X.columns)
    for i in range(len(columns)):
        for j in range(i + 1, len(columns) - 1):
            out[f"{columns[i]}_x_{columns[j]}"] = X[columns[i]] * X[columns[j]]
    return out


def add_interactions__sorted_columns(X):
    """Sorts the column names alphabetically before pairing them."""
    out = X.copy()
    for a, b in combinations(sorted(X.columns), 2):
        out[f"{a}_x_{b}"] = X[a] * X[b]
    return out


def add_interactions__loses_index(X):
    """Builds the products from NumPy arrays, so the result gets a fresh 0..n-1 index."""
    values = X.to_numpy()
    columns = list(X.columns)
    data = {c: values[:, k] for k, c in enumerate(columns)}
    for i, j in combinations(range(len(columns)), 2):
        data[f"{columns[i]}_x_{columns[j]}"] = values[:, i] * values[:, j]
    return pd.DataFrame(data)
