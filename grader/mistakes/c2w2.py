"""Plausible wrong answers for week C2W2: every one must be rejected by the hidden tests.

Naming: ``<exercise>__<what goes wrong>``. Each is self-contained (NumPy, pandas and scikit-learn only), so it can be
pasted into a notebook as a submission and run through ``python -m grader test-impl``.
"""

import itertools

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer, SimpleImputer
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import ParameterGrid
from sklearn.tree import DecisionTreeClassifier

# --------------------------------------------------------------------------------------------- fraction_rows_missing


def fraction_rows_missing__fraction_of_cells(df):
    """Returns the fraction of missing cells, not of rows."""
    return float(df.isna().mean().mean())


def fraction_rows_missing__columns_not_rows(df):
    """any(axis=0): the fraction of columns with a missing value."""
    return float(df.isna().any(axis=0).mean())


def fraction_rows_missing__count_not_fraction(df):
    """Returns the number of incomplete rows instead of the fraction."""
    return float(df.isna().any(axis=1).sum())


def fraction_rows_missing__all_missing_rows(df):
    """all(axis=1): counts only rows in which every value is missing."""
    return float(df.isna().all(axis=1).mean())


def fraction_rows_missing__missing_cells_over_rows(df):
    """Counts missing cells and divides by the number of rows (a row with two gaps counts twice)."""
    return float(df.isna().sum().sum() / len(df))


def fraction_rows_missing__numpy_isnan(df):
    """np.isnan on the values: fails on text, date and nullable-integer columns."""
    return float(np.isnan(df.to_numpy(dtype=float)).any(axis=1).mean())


def fraction_rows_missing__equals_nan(df):
    """Compares with == np.nan, which is never true."""
    return float((df == np.nan).any(axis=1).mean())


def fraction_rows_missing__numeric_columns_only(df):
    """Looks only at numeric columns (select_dtypes), missing None in text columns and NaT in dates."""
    return float(df.select_dtypes("number").isna().any(axis=1).mean())


def fraction_rows_missing__count_compared_to_rows(df):
    """Compares each row's count of present values with the number of rows instead of columns."""
    return float((df.count(axis=1) < len(df)).mean())


# --------------------------------------------------------------------------------------------- holdout_grid_search


def _cindex(estimator, X, y):
    return roc_auc_score(y, estimator.predict_proba(X)[:, 1])


def holdout_grid_search__chooses_by_training_score(
    clf, X_train, y_train, X_val, y_val, hyperparams, fixed_hyperparams=None
):
    """Scores every combination on the training data instead of the validation data."""
    fixed = fixed_hyperparams or {}
    best = (-np.inf, None, None)
    for values in itertools.product(*hyperparams.values()):
        params = dict(zip(hyperparams, values))
        est = clone(clf).set_params(**params, **fixed).fit(X_train, y_train)
        score = roc_auc_score(y_train, est.predict_proba(X_train)[:, 1])
        if score > best[0]:
            best = (score, est, params)
    return best[1], best[2]


def holdout_grid_search__keeps_last_tie(clf, X_train, y_train, X_val, y_val, hyperparams, fixed_hyperparams=None):
    """Uses >= so that, among equal scores, the last combination wins."""
    fixed = fixed_hyperparams or {}
    best = (-np.inf, None, None)
    for values in itertools.product(*hyperparams.values()):
        params = dict(zip(hyperparams, values))
        est = clone(clf).set_params(**params, **fixed).fit(X_train, y_train)
        score = roc_auc_score(y_val, est.predict_proba(X_val)[:, 1])
        if score >= best[0]:
            best = (score, est, params)
    return best[1], best[2]


def holdout_grid_search__ignores_fixed_hyperparams(
    clf, X_train, y_train, X_val, y_val, hyperparams, fixed_hyperparams=None
):
    """Never passes fixed_hyperparams to the estimator."""
    best = (-np.inf, None, None)
    for values in itertools.product(*hyperparams.values()):
        params = dict(zip(hyperparams, values))
        est = clone(clf).set_params(**params).fit(X_train, y_train)
        score = roc_auc_score(y_val, est.predict_proba(X_val)[:, 1])
        if score > best[0]:
            best = (score, est, params)
    return best[1], best[2]


def holdout_grid_search__returns_last_fitted(clf, X_train, y_train, X_val, y_val, hyperparams, fixed_hyperparams=None):
    """Remembers the best hyperparameters but returns the estimator of the last combination tried."""
    fixed = fixed_hyperparams or {}
    best_score, best_params, est = -np.inf, None, None
    for values in itertools.product(*hyperparams.values()):
        params = dict(zip(hyperparams, values))
        est = clone(clf).set_params(**params, **fixed).fit(X_train, y_train)
        score = roc_auc_score(y_val, est.predict_proba(X_val)[:, 1])
        if score > best_score:
            best_score, best_params = score, params
    return est, best_params


def holdout_grid_search__scores_hard_predictions(
    clf, X_train, y_train, X_val, y_val, hyperparams, fixed_hyperparams=None
):
    """Scores predict() (0/1 labels) instead of the predicted probability."""
    fixed = fixed_hyperparams or {}
    best = (-np.inf, None, None)
    for values in itertools.product(*hyperparams.values()):
        params = dict(zip(hyperparams, values))
        est = clone(clf).set_params(**params, **fixed).fit(X_train, y_train)
        score = roc_auc_score(y_val, est.predict(X_val))
        if score > best[0]:
            best = (score, est, params)
    return best[1], best[2]


def holdout_grid_search__probability_of_survival(
    clf, X_train, y_train, X_val, y_val, hyperparams, fixed_hyperparams=None
):
    """Uses predict_proba(X)[:, 0], the probability of the outcome NOT happening."""
    fixed = fixed_hyperparams or {}
    best = (-np.inf, None, None)
    for values in itertools.product(*hyperparams.values()):
        params = dict(zip(hyperparams, values))
        est = clone(clf).set_params(**params, **fixed).fit(X_train, y_train)
        score = roc_auc_score(y_val, est.predict_proba(X_val)[:, 0])
        if score > best[0]:
            best = (score, est, params)
    return best[1], best[2]


def holdout_grid_search__mutates_template(clf, X_train, y_train, X_val, y_val, hyperparams, fixed_hyperparams=None):
    """Calls set_params/fit on clf itself, so the 'best' estimator is the template with the last settings."""
    fixed = fixed_hyperparams or {}
    best = (-np.inf, None, None)
    for values in itertools.product(*hyperparams.values()):
        params = dict(zip(hyperparams, values))
        clf.set_params(**params, **fixed)
        clf.fit(X_train, y_train)
        score = roc_auc_score(y_val, clf.predict_proba(X_val)[:, 1])
        if score > best[0]:
            best = (score, clf, params)
    return best[1], best[2]


def holdout_grid_search__zip_not_product(clf, X_train, y_train, X_val, y_val, hyperparams, fixed_hyperparams=None):
    """zip(*values) pairs the i-th values of each list instead of trying every combination."""
    fixed = fixed_hyperparams or {}
    best = (-np.inf, None, None)
    for values in zip(*hyperparams.values()):
        params = dict(zip(hyperparams, values))
        est = clone(clf).set_params(**params, **fixed).fit(X_train, y_train)
        score = roc_auc_score(y_val, est.predict_proba(X_val)[:, 1])
        if score > best[0]:
            best = (score, est, params)
    return best[1], best[2]


def holdout_grid_search__parameter_grid_order(clf, X_train, y_train, X_val, y_val, hyperparams, fixed_hyperparams=None):
    """Uses sklearn's ParameterGrid, which sorts the keys: ties are broken in a different order."""
    fixed = fixed_hyperparams or {}
    best = (-np.inf, None, None)
    for params in ParameterGrid({k: list(v) for k, v in hyperparams.items()}):
        est = clone(clf).set_params(**params, **fixed).fit(X_train, y_train)
        score = roc_auc_score(y_val, est.predict_proba(X_val)[:, 1])
        if score > best[0]:
            best = (score, est, params)
    return best[1], best[2]


def holdout_grid_search__refits_on_train_and_validation(
    clf, X_train, y_train, X_val, y_val, hyperparams, fixed_hyperparams=None
):
    """After choosing, refits the best settings on training + validation data (the task asks for train only)."""
    fixed = fixed_hyperparams or {}
    best = (-np.inf, None)
    for values in itertools.product(*hyperparams.values()):
        params = dict(zip(hyperparams, values))
        est = clone(clf).set_params(**params, **fixed).fit(X_train, y_train)
        score = roc_auc_score(y_val, est.predict_proba(X_val)[:, 1])
        if score > best[0]:
            best = (score, params)
    final = clone(clf).set_params(**best[1], **fixed).fit(pd.concat([X_train, X_val]), pd.concat([y_train, y_val]))
    return final, best[1]


# -------------------------------------------------------------------------------------- random_forest_grid_search


def _forest_search(X_train, y_train, X_fit, y_fit, X_score, y_score, grid, fixed, column=1, model=None):
    """Grid search used by several forest mistakes: fit on (X_fit, y_fit), score on (X_score, y_score)."""
    model = RandomForestClassifier() if model is None else model
    best = (-np.inf, None, None)
    for values in itertools.product(*grid.values()):
        params = dict(zip(grid, values))
        est = clone(model).set_params(**params, **fixed).fit(X_fit, y_fit)
        score = roc_auc_score(y_score, est.predict_proba(X_score)[:, column])
        if score > best[0]:
            best = (score, est, params)
    return best[1], best[2]


def random_forest_grid_search__unfitted_forest(X_train, y_train, X_val, y_val):
    """Returns a new forest with the best settings but forgets to fit it."""
    _, params = _forest_search(
        X_train,
        y_train,
        X_train,
        y_train,
        X_val,
        y_val,
        {"min_samples_leaf": [10, 30]},
        {"n_estimators": 50, "random_state": 0},
    )
    return RandomForestClassifier(n_estimators=50, random_state=0, **params), params


def random_forest_grid_search__few_deep_trees(X_train, y_train, X_val, y_val):
    """A grid of a handful of fully grown trees: too few trees to average away their overfitting."""
    return _forest_search(
        X_train,
        y_train,
        X_train,
        y_train,
        X_val,
        y_val,
        {"n_estimators": [2, 5], "max_depth": [None]},
        {"random_state": 0},
    )


def random_forest_grid_search__chooses_by_training_score(X_train, y_train, X_val, y_val):
    """Picks the settings with the best training C-index, i.e. the most overfit forest."""
    return _forest_search(
        X_train,
        y_train,
        X_train,
        y_train,
        X_train,
        y_train,
        {"max_depth": [3, None], "min_samples_leaf": [1, 30]},
        {"n_estimators": 10, "random_state": 0},
    )


def random_forest_grid_search__fitted_on_validation(X_train, y_train, X_val, y_val):
    """Fits the candidate forests on the validation set (and scores them there too)."""
    return _forest_search(
        X_train,
        y_train,
        X_val,
        y_val,
        X_val,
        y_val,
        {"min_samples_leaf": [10, 30]},
        {"n_estimators": 100, "random_state": 0},
    )


def random_forest_grid_search__fitted_on_train_and_validation(X_train, y_train, X_val, y_val):
    """Refits the chosen forest on training + validation data before returning it."""
    forest, params = _forest_search(
        X_train,
        y_train,
        X_train,
        y_train,
        X_val,
        y_val,
        {"min_samples_leaf": [10, 30]},
        {"n_estimators": 100, "random_state": 0},
    )
    forest = clone(forest).fit(pd.concat([X_train, X_val]), pd.concat([y_train, y_val]))
    return forest, params


def random_forest_grid_search__single_tree(X_train, y_train, X_val, y_val):
    """Tunes and returns a single DecisionTreeClassifier instead of a forest."""
    return _forest_search(
        X_train,
        y_train,
        X_train,
        y_train,
        X_val,
        y_val,
        {"max_depth": [3, 4, 5]},
        {"random_state": 0},
        model=DecisionTreeClassifier(),
    )


def random_forest_grid_search__probability_of_survival(X_train, y_train, X_val, y_val):
    """Scores with predict_proba(X)[:, 0], so the search keeps the WORST forest of the grid."""
    return _forest_search(
        X_train,
        y_train,
        X_train,
        y_train,
        X_val,
        y_val,
        {"max_depth": [1, 4, 8]},
        {"n_estimators": 30, "random_state": 0},
        column=0,
    )


def random_forest_grid_search__hyperparams_of_last_combination(X_train, y_train, X_val, y_val):
    """Returns the best forest but the hyperparameters of the last combination tried."""
    grid = {"max_features": ["sqrt", 0.5], "min_samples_leaf": [30, 3]}
    forest, _ = _forest_search(
        X_train, y_train, X_train, y_train, X_val, y_val, grid, {"n_estimators": 60, "random_state": 0}
    )
    return forest, {"max_features": 0.5, "min_samples_leaf": 3}


# --------------------------------------------------------------------------------------------- bad_subset


def bad_subset__too_small(forest, X_test, y_test):
    """The oldest patients (65 and over): a clear drop, but far fewer than 100 patients."""
    return X_test["age"] >= 65


def bad_subset__indices_not_mask(forest, X_test, y_test):
    """Returns the patient ids of the subgroup instead of a True/False mask."""
    return X_test.index[X_test["age"].between(40, 60)]


def bad_subset__women(forest, X_test, y_test):
    """Women: a large, meaningful group, but the forest is not clearly worse there."""
    return X_test["sex"] == 1


def bad_subset__everybody(forest, X_test, y_test):
    """Selects every patient, so the C-index equals the overall one."""
    return pd.Series(True, index=X_test.index)


def bad_subset__patients_who_died(forest, X_test, y_test):
    """Selects by outcome: with only deaths the C-index is undefined."""
    return y_test == 1


def bad_subset__outside_middle_age(forest, X_test, y_test):
    """The complement of a middle-aged band: the age contrast makes the C-index higher, not lower."""
    return ~X_test["age"].between(40, 60)


def bad_subset__missing_medical_history(forest, X_test, y_test):
    """Patients whose medical history is missing: plausible, but the forest does as well there."""
    return X_test["hbp"].isna()


def bad_subset__long_smoking_history(forest, X_test, y_test):
    """30 or more years of smoking: lower on some sets only, not clearly lower on all."""
    return X_test["smokeyrs"] >= 30


def bad_subset__first_rows(forest, X_test, y_test):
    """The first 150 rows by position: not a clinical subgroup, and no reason for a lower C-index."""
    return np.arange(len(X_test)) < 150


# --------------------------------------------------------------------------------------------- impute


def _frames(imputer_train, imputer_test, X_train, X_test):
    return (
        pd.DataFrame(imputer_train.transform(X_train), columns=X_train.columns, index=X_train.index),
        pd.DataFrame(imputer_test.transform(X_test), columns=X_test.columns, index=X_test.index),
    )


def _make(strategy):
    return SimpleImputer(strategy="mean") if strategy == "mean" else IterativeImputer(random_state=0)


def impute__fit_on_test_for_test(X_train, X_test, strategy):
    """Fits a second imputer on the test set to fill the test set."""
    return _frames(_make(strategy).fit(X_train), _make(strategy).fit(X_test), X_train, X_test)


def impute__fit_on_train_and_test(X_train, X_test, strategy):
    """Fits the imputer on training and test data together."""
    imputer = _make(strategy).fit(pd.concat([X_train, X_test]))
    return _frames(imputer, imputer, X_train, X_test)


def impute__loses_index(X_train, X_test, strategy):
    """Builds the DataFrames without index=..., so the patient ids become 0, 1, 2, ..."""
    imputer = _make(strategy).fit(X_train)
    return (
        pd.DataFrame(imputer.transform(X_train), columns=X_train.columns),
        pd.DataFrame(imputer.transform(X_test), columns=X_test.columns),
    )


def impute__returns_arrays(X_train, X_test, strategy):
    """Returns the NumPy arrays from transform instead of DataFrames."""
    imputer = _make(strategy).fit(X_train)
    return imputer.transform(X_train), imputer.transform(X_test)


def impute__median_not_mean(X_train, X_test, strategy):
    """Uses the median for the 'mean' strategy."""
    imputer = SimpleImputer(strategy="median") if strategy == "mean" else IterativeImputer(random_state=0)
    imputer.fit(X_train)
    return _frames(imputer, imputer, X_train, X_test)


def impute__ignores_strategy(X_train, X_test, strategy):
    """Always uses mean imputation, whatever the strategy."""
    imputer = SimpleImputer(strategy="mean").fit(X_train)
    return _frames(imputer, imputer, X_train, X_test)


def impute__fills_zeros(X_train, X_test, strategy):
    """Fills every gap with 0 ('no value')."""
    return X_train.fillna(0), X_test.fillna(0)


def impute__test_filled_with_test_means(X_train, X_test, strategy):
    """Uses fillna with each set's own column means (test means for the test set)."""
    if strategy == "mean":
        return X_train.fillna(X_train.mean()), X_test.fillna(X_test.mean())
    imputer = IterativeImputer(random_state=0)
    return (
        pd.DataFrame(imputer.fit_transform(X_train), columns=X_train.columns, index=X_train.index),
        pd.DataFrame(imputer.fit_transform(X_test), columns=X_test.columns, index=X_test.index),
    )


def impute__in_place(X_train, X_test, strategy):
    """Writes the imputed values back into the caller's DataFrames."""
    imputer = _make(strategy).fit(X_train)
    X_train.loc[:, :] = imputer.transform(X_train)
    X_test.loc[:, :] = imputer.transform(X_test)
    return X_train, X_test


def impute__drops_incomplete_rows(X_train, X_test, strategy):
    """Drops the rows with missing values instead of filling them."""
    return X_train.dropna(), X_test.dropna()
