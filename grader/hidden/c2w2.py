"""Hidden tests for week C2W2. Failure messages say what kind of case fails, never the expected values.

Deterministic exercises (1, 2, 5) are compared with the reference solutions (helpers.solutions.c2w2, generated from
the master), which tests/test_c2w2_reference.py checks against pandas and scikit-learn. The grid search is tested with
toy classifiers whose validation C-index is known exactly, so ties are exact. The open-ended exercises (3, 4) are
graded on the real NHEFS splits against the thresholds stated in the notebook.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from helpers.public_tests.c2w2 import (
    FOREST_CASE,
    FOREST_MIN_TEST_CINDEX,
    FOREST_MIN_VAL_CINDEX,
    ToyScorer,
    forest_checks,
    forest_search,
    frames_pair,
    nhefs_copy,
    one_blas_thread,
    reference_forest,
    risk_of,
    subset_case,
)
from helpers.public_tests.framework import Checks, call, hidden_check
from helpers.solutions import c2w2 as ref

# ------------------------------------------------------------------------------------ fraction_rows_missing


def random_frames(seed: int, count: int):
    """Frames of mixed column types with NaN, None, pd.NA and NaT, wide and narrow, with non-default indexes."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        n_rows, n_cols = int(rng.integers(1, 30)), int(rng.integers(1, 9))
        rate = rng.choice([0.0, 0.03, 0.1, 0.3, 0.7])
        data = {}
        for j in range(n_cols):
            hole = rng.random(n_rows) < rate
            kind = (i + j) % 4
            if kind == 0:
                data[f"x{j}"] = np.where(hole, np.nan, rng.normal(size=n_rows))
            elif kind == 1:
                data[f"x{j}"] = pd.array(np.where(hole, None, rng.integers(0, 5, n_rows)).tolist(), dtype="Int64")
            elif kind == 2:
                data[f"x{j}"] = np.where(hole, None, rng.choice(["a", "b"], n_rows)).astype(object)
            else:
                dates = pd.Series(pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 99, n_rows), "D"))
                data[f"x{j}"] = dates.mask(hole).to_numpy()
        yield pd.DataFrame(data, index=rng.permutation(n_rows) + 50)


@hidden_check
def check_fraction_rows_missing(fn) -> None:
    checks = Checks("fraction_rows_missing", public=False)
    nan = np.nan
    fixed = [
        (pd.DataFrame({"a": [nan]}), "a single missing cell"),
        (pd.DataFrame({"a": [1.0]}), "a single complete cell"),
        (pd.DataFrame({"a": [1.0, nan, nan, 4.0, 5.0]}), "one column"),
        (
            pd.DataFrame({"a": [nan, nan, 1.0], "b": [nan, 2.0, 3.0], "c": [nan, 1.0, 2.0]}),
            "a row missing in every column",
        ),
        (pd.DataFrame(np.where(np.eye(3, 8) == 1, nan, 1.0)), "more columns than rows"),
        (
            pd.DataFrame({"a": [nan, 1.0], "b": [nan, 2.0], "c": [nan, 3.0], "d": [nan, 4.0]}),
            "several missing cells in one row",
        ),
        (pd.DataFrame({"a": ["x", None, "z"], "b": [1.0, 2.0, 3.0]}), "a text column with None"),
        (pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"), "b": [0.5, 0.5, 0.5]}), "a nullable integer column"),
        (pd.DataFrame({"t": pd.to_datetime(["2020-01-01", None, "2020-03-01", None])}), "a date column with NaT"),
        (pd.DataFrame({"a": [True, False], "b": [1, 2]}), "boolean and integer columns without gaps"),
    ]
    cases = fixed + [(df, f"random table #{i}") for i, df in enumerate(random_frames(21, 30))]
    for df, case in cases:
        checks.close_enough(call("fraction_rows_missing", fn, df, case=case), ref.fraction_rows_missing(df), case)
    checks.done()


# ------------------------------------------------------------------------------------ holdout_grid_search


def _toy_data(seed: int, n: int = 24):
    """Columns with known validation C-indices: a perfect, b reversed, c half-good, d useless; train differs."""
    rng = np.random.default_rng(seed)
    y = np.array([0, 1] * (n // 2))
    rng.shuffle(y)
    order = rng.permutation(n)
    a = np.where(y == 1, 1.0, -1.0) * (1 + rng.random(n))  # perfect ranking, around 0
    noise = rng.normal(size=n)
    c = np.where(y == 1, 0.7, 0.0) + noise  # moderate
    X_val = pd.DataFrame(
        {
            "a": a - 5.0,  # perfect, but every risk below 0.5
            "b": -a,  # perfectly reversed
            "c": c,
            "d": np.zeros(n),  # all tied: C-index 0.5
            "e": a,
        },  # perfect and centred at 0
        index=order + 1000,
    )
    y_val = pd.Series(y, index=X_val.index)
    y_tr = np.array([0, 1] * 8)
    X_train = pd.DataFrame(
        {
            "a": -np.where(y_tr == 1, 2.0, -2.0),
            "b": np.where(y_tr == 1, 2.0, -2.0),
            "c": rng.normal(size=16),
            "d": np.where(y_tr == 1, 3.0, -3.0),
            "e": rng.normal(size=16),
        }
    )
    return X_train, pd.Series(y_tr), X_val, y_val


def _grid_case(checks: Checks, fn, grid, fixed, case: str, seed: int = 0) -> None:
    X_train, y_train, X_val, y_val = _toy_data(seed)
    template = ToyScorer()
    args = [template, X_train, y_train, X_val, y_val, grid] + ([] if fixed is False else [fixed])
    pair = checks.pair(call("holdout_grid_search", fn, *args, case=case), case)
    if pair is None:
        return
    best_estimator, best_hyperparams = pair
    expected_estimator, expected_params = ref.holdout_grid_search(
        ToyScorer(), X_train, y_train, X_val, y_val, grid, None if fixed is False else fixed
    )
    if not checks.that(isinstance(best_hyperparams, dict), f"{case}: best_hyperparams must be a dict"):
        return
    extra = {k: v for k, v in best_hyperparams.items() if k not in grid}
    checks.that({k: best_hyperparams.get(k) for k in grid} == expected_params, f"{case}: wrong best_hyperparams")
    checks.that(
        all((fixed or {}).get(k, object()) == v for k, v in extra.items()),
        f"{case}: best_hyperparams holds keys that are not hyperparameters of the grid",
    )
    if not checks.that(isinstance(best_estimator, ToyScorer), f"{case}: best_estimator is not the fitted classifier"):
        return
    want = expected_estimator.get_params()
    checks.that(
        best_estimator.get_params() == want,
        f"{case}: best_estimator does not have the chosen (and fixed) hyperparameters",
    )
    fitted_on = getattr(best_estimator, "fitted_on_", None)
    expected_rows, expected_sum = expected_estimator.fitted_on_
    checks.that(
        isinstance(fitted_on, tuple)
        and len(fitted_on) == 2
        and fitted_on[0] == expected_rows
        and bool(np.isclose(fitted_on[1], expected_sum, rtol=1e-5)),  # float32 data is the same data
        f"{case}: best_estimator must be fitted on the training data (and only on it)",
    )
    checks.that(
        template.get_params() == ToyScorer().get_params() and not hasattr(template, "fitted_on_"),
        f"{case}: the template clf was changed or fitted; work on copies (clone(clf))",
    )


@hidden_check
def check_holdout_grid_search(fn) -> None:
    checks = Checks("holdout_grid_search", public=False)
    cases = [
        ({"column": ["d", "c", "e", "b"]}, None, "one hyperparameter; the best is not the last value"),
        (
            {"column": ["c", "a", "e"], "depth": [1, 2, 3]},
            None,
            "exact ties: equal scores for different depths and for two columns",
        ),
        (
            {"reverse": [False, True], "column": ["b", "a"], "depth": [2, 1]},
            None,
            "keys not in alphabetical order: ties are broken in the dict's own key order",
        ),
        ({"column": ["b", "a", "c", "d"]}, {"reverse": True}, "fixed_hyperparams change which column is best"),
        ({"column": ["e", "b"], "reverse": [False, True]}, {"depth": 7}, "fixed_hyperparams kept in the estimator"),
        (
            {"column": ["c", "d"], "reverse": [True, False], "depth": [1, 2]},
            False,
            "three hyperparameters of different lengths, fixed_hyperparams omitted",
        ),
        ({"column": ["d", "b", "a", "c"], "shift": [0.0, 4.0]}, None, "probabilities versus hard 0/1 predictions"),
        ({"column": ("c", "b"), "shift": np.array([0.0, 1.0])}, {}, "candidate values given as a tuple and an array"),
        ({"column": ["b", "c", "d", "a"]}, None, "a column that is best on the training data but not on validation"),
    ]
    for i, (grid, fixed, case) in enumerate(cases):
        _grid_case(checks, fn, grid, fixed, case, seed=i)
    checks.done()


# ------------------------------------------------------------------------------------ random_forest_grid_search


def _fitted_rows(forest) -> float:
    """Training rows seen by the forest: the (weighted) size of the first tree's root node."""
    return float(forest.estimators_[0].tree_.weighted_n_node_samples[0])


def _expected_rows(forest, n: int) -> float:
    max_samples = forest.get_params().get("max_samples")
    if not forest.get_params().get("bootstrap", True) or max_samples is None:
        return float(n)
    if isinstance(max_samples, float):
        return float(max(round(n * max_samples), 1))
    return float(max_samples)


@hidden_check
def check_random_forest_grid_search(fn) -> None:
    checks = Checks("random_forest_grid_search", public=False)
    result, splits = forest_search(fn)  # shared with the public test: one run of the (slow) search
    X_train, y_train, X_val, y_val, X_test, y_test = splits
    case = FOREST_CASE
    forest = forest_checks(checks, result, splits, case, public=False)
    if forest is not None:
        ratio = _fitted_rows(forest) / _expected_rows(forest, len(X_train))
        checks.that(0.75 <= ratio <= 1.25, f"{case}: the forest was not fitted on the training set (X_train)")
        checks.that(
            roc_auc_score(y_val, risk_of(forest, X_val)) >= FOREST_MIN_VAL_CINDEX,
            f"{case}: validation C-index below {FOREST_MIN_VAL_CINDEX}",
        )
        checks.that(
            roc_auc_score(y_test, risk_of(forest, X_test)) >= FOREST_MIN_TEST_CINDEX,
            f"{case}: test C-index below {FOREST_MIN_TEST_CINDEX} — the grid may favour overfitting",
        )
    checks.done()


# ------------------------------------------------------------------------------------ bad_subset


@hidden_check
def check_bad_subset(fn) -> None:
    checks = Checks("bad_subset", public=False)
    X_train, y_train, X_val, y_val, X_test, y_test = nhefs_copy()
    rng = np.random.default_rng(5)
    order = rng.permutation(len(X_test))
    shuffled_X = X_test.iloc[order].set_axis(np.arange(len(X_test)) + 90000)
    shuffled_y = y_test.iloc[order].set_axis(shuffled_X.index)
    pooled_X, pooled_y = pd.concat([X_val, X_test]), pd.concat([y_val, y_test])
    cases = [
        (reference_forest(), X_test, y_test, "a tuned forest on the NHEFS test set"),
        (reference_forest(), X_val, y_val, "a tuned forest on the NHEFS validation set"),
        (reference_forest(), shuffled_X, shuffled_y, "the test set in another row order with other patient ids"),
        (reference_forest("shallow"), pooled_X, pooled_y, "a shallower forest on validation and test patients"),
    ]
    for forest, X, y, case in cases:
        subset_case(checks, fn, forest, X, y, case, public=False)
    checks.done()


# ------------------------------------------------------------------------------------ impute


def _impute_frames(seed: int, n_train: int, n_test: int, n_cols: int, *, shift: float):
    """Correlated columns with gaps; the test set is shifted so train-only fitting is visible."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n_train + n_test, 1))
    values = base @ rng.uniform(0.5, 2, size=(1, n_cols)) + rng.normal(scale=0.5, size=(n_train + n_test, n_cols))
    values[n_train:] += shift
    cols = [f"v{j}" for j in range(n_cols)]
    frame = pd.DataFrame(values * 10 + 50, columns=cols)
    holes = rng.random(frame.shape) < 0.2
    holes[:, -1] = False  # one complete column
    holes[[0, n_train], 0] = True  # at least one gap in each set
    frame = frame.mask(holes)
    frame.iloc[:, -1] = np.round(frame.iloc[:, -1])
    train = frame.iloc[:n_train].set_axis(rng.permutation(n_train) + 10, axis=0)
    test = frame.iloc[n_train:].set_axis([f"t{k}" for k in range(n_test)], axis=0)
    return train, test


def _impute_case(checks: Checks, fn, X_train, X_test, strategy: str, case: str) -> None:
    result = call("impute", fn, X_train, X_test, strategy, case=case)
    frames = frames_pair(checks, result, X_train, X_test, case)
    if frames is None:
        return
    expected = ref.impute(X_train, X_test, strategy)
    for got, want, which in zip(frames, expected, ("train", "test")):
        checks.vectors_close(
            got.to_numpy(dtype=float).ravel(),
            want.to_numpy(dtype=float).ravel(),
            f"{case} — imputed {which} set",
            rtol=1e-5,
            atol=1e-8,
        )


@hidden_check
@one_blas_thread
def check_impute(fn) -> None:
    checks = Checks("impute", public=False)
    nan = np.nan
    small_train = pd.DataFrame(
        {"x": [1.0, nan, 5.0, 2.0], "y": [4, 8, 6, 2], "z": [nan, 0.5, 1.5, 1.0]}, index=[7, 3, 9, 1]
    )
    small_test = pd.DataFrame({"x": [nan, 100.0, nan], "y": [50, 60, 70], "z": [9.0, nan, 9.0]}, index=[40, 41, 42])
    for strategy in ("mean", "iterative"):
        _impute_case(
            checks,
            fn,
            small_train,
            small_test,
            strategy,
            f"{strategy}: a test set whose values are far from the training set",
        )
        _impute_case(checks, fn, small_train, small_test.iloc[:1], strategy, f"{strategy}: a single test patient")
        for i in range(2):
            X_train, X_test = _impute_frames(40 + i, 40 + 10 * i, 12, 3 + 2 * i, shift=2.0 + i)
            _impute_case(checks, fn, X_train, X_test, strategy, f"{strategy}: correlated random table #{i}")
    complete_test = small_test.fillna(1.0)
    _impute_case(checks, fn, small_train, complete_test, "mean", "mean: a test set without missing values")
    checks.done()
