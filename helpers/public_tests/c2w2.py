"""Public tests for week C2W2 (tree models and missing data). Each prints 'All tests passed.' or raises with a clear
message.

The small tables are worked by hand in the comments. Exercises 3 and 4 are open-ended: they are checked on the real
NHEFS splits against the thresholds stated in the notebook.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from helpers.public_tests.framework import Checks, call

# thresholds stated in the notebook (exercises 3 and 4)
FOREST_MIN_VAL_CINDEX = 0.855
FOREST_MIN_TEST_CINDEX = 0.79
SUBSET_MIN_SIZE = 100
SUBSET_MIN_DROP = 0.05


# --------------------------------------------------------------------------------------------- shared helpers


@functools.lru_cache(maxsize=1)
def nhefs_splits_cached():
    """The notebook's NHEFS splits, loaded once per process (tests get copies)."""
    from helpers.data.nhefs import nhefs_splits

    return nhefs_splits()


def nhefs_copy():
    return tuple(part.copy() for part in nhefs_splits_cached())


@functools.lru_cache(maxsize=2)
def reference_forest(kind: str = "tuned"):
    """A fixed random forest on the NHEFS training split (used to grade bad_subset): the course's tuned forest
    (:func:`helpers.models.nhefs_mortality_forest`) or a shallow one."""
    from helpers.models import nhefs_forest_settings

    changes = {"tuned": {}, "shallow": dict(n_estimators=30, max_depth=4, max_features="sqrt", min_samples_leaf=1)}[
        kind
    ]
    s = nhefs_splits_cached()
    return nhefs_forest_settings(**changes).fit(s.X_train, s.y_train)


def risk_of(model, X) -> np.ndarray:
    """Predicted probability of the positive class (death)."""
    return np.asarray(model.predict_proba(X))[:, 1]


def as_mask(checks: Checks, value, n: int, case: str):
    """A learner's boolean mask as a NumPy bool array of length n, or None (failure recorded)."""
    if isinstance(value, (pd.Index, list, tuple)) or (isinstance(value, np.ndarray) and value.dtype != bool):
        arr = np.asarray(value)
        if arr.dtype != bool and not (arr.size == n and np.isin(arr, [0, 1]).all()):
            checks.that(
                False,
                f"{case}: return a boolean mask with one True/False per patient "
                f"({n} values), not {type(value).__name__} of {arr.size} values — "
                "return the condition itself, e.g. X_test['age'] > 60, not the selected rows",
            )
            return None
    arr = np.asarray(value)
    if arr.ndim != 1 or arr.size != n:
        checks.that(False, f"{case}: the mask must have one value per patient ({n}), got shape {arr.shape}")
        return None
    if arr.dtype == object:
        arr = arr.astype(bool)
    return arr.astype(bool)


class ScoreColumn(ClassifierMixin, BaseEstimator):
    """A transparent toy classifier: the predicted risk of patient i is sigmoid(sign * X[column][i]).

    ``fit`` learns nothing; it records how many rows it saw (``n_fit_rows_``), so tests can tell what it was fitted
    on.
    """

    def __init__(self, column="a", sign=1):
        self.column = column
        self.sign = sign

    def fit(self, X, y):
        self.classes_ = np.array([0, 1])
        self.n_fit_rows_ = len(X)
        return self

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-self.sign * np.asarray(X[self.column], dtype=float)))
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] > 0.5).astype(int)


# --------------------------------------------------------------------------------------------- exercise 1


class ToyScorer(ClassifierMixin, BaseEstimator):
    """(Used by the hidden tests; here so a learner's process can rebuild it when grading is isolated.)

    A toy classifier whose risk is a column of X (optionally reversed); ``depth`` changes nothing (exact ties).

    ``fit`` records the rows it saw, so a test can tell which data it was fitted on.
    """

    def __init__(self, column="a", reverse=False, depth=1, shift=0.0):
        self.column = column
        self.reverse = reverse
        self.depth = depth
        self.shift = shift

    def fit(self, X, y):
        self.classes_ = np.array([0, 1])
        self.fitted_on_ = (len(X), float(np.nansum(np.asarray(X, dtype=float))))
        return self

    def predict_proba(self, X):
        score = np.asarray(X[self.column], dtype=float) * (-1.0 if self.reverse else 1.0) + self.shift
        p = 1 / (1 + np.exp(-score))
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] > 0.5).astype(int)


def test_fraction_rows_missing(fraction_rows_missing) -> None:
    checks = Checks("fraction_rows_missing")
    nan = np.nan
    cases = [
        (
            pd.DataFrame({"age": [50, 61, 47, 70], "chol": [210, nan, 190, 250]}),
            0.25,
            "4 patients, 1 missing cholesterol",
        ),
        (pd.DataFrame({"age": [50, 61], "chol": [210.0, 180.0]}), 0.0, "no missing values"),
        (
            pd.DataFrame({"a": [nan, 1, 2], "b": [nan, 3, 4]}),
            1 / 3,
            "3 rows, the first missing in both columns (a row counts once)",
        ),
        (pd.DataFrame({"a": [nan, 1.0], "b": [2.0, nan]}), 1.0, "every row has a missing value"),
        (pd.DataFrame({"sex": ["F", None, "M", "F"], "age": [40, 50, 60, 70]}), 0.25, "a text column with None"),
    ]
    for df, expected, case in cases:
        checks.close_enough(call("fraction_rows_missing", fraction_rows_missing, df, case=case), expected, case)
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 2

# Validation data: column a ranks the 4 patients perfectly (C-index 1), b in exactly the wrong order (C-index 0),
# c gives everybody the same score (C-index 0.5). ScoreColumn(column, sign=-1) reverses a column's ranking.
_X_VAL = pd.DataFrame(
    {"a": [-2.0, -1.0, 1.0, 2.0], "b": [2.0, 1.0, -1.0, -2.0], "c": [0.0, 0.0, 0.0, 0.0]}, index=[11, 12, 13, 14]
)
_Y_VAL = pd.Series([0, 0, 1, 1], index=_X_VAL.index)
# Training data (6 rows): here c would look perfect, a would not — the choice must use the validation data.
_X_TRAIN = pd.DataFrame({"a": [1.0, 2.0, -1.0, -2.0, 0.5, 0.0], "b": [0.0] * 6, "c": [-3.0, -2.0, -1.0, 1.0, 2.0, 3.0]})
_Y_TRAIN = pd.Series([0, 0, 0, 1, 1, 1])


def _grid_case(checks: Checks, fn, grid, fixed, expected: dict, case: str) -> None:
    template = ScoreColumn()
    args = (template, _X_TRAIN.copy(), _Y_TRAIN.copy(), _X_VAL.copy(), _Y_VAL.copy(), grid)
    if fixed is not None:
        args = args + (fixed,)
    pair = checks.pair(call("holdout_grid_search", fn, *args, case=case), case)
    if pair is None:
        return
    best_estimator, best_hyperparams = pair
    if not checks.that(
        isinstance(best_hyperparams, dict),
        f"{case}: best_hyperparams must be a dict such as {expected}, got {type(best_hyperparams).__name__}",
    ):
        return
    chosen = {k: best_hyperparams.get(k) for k in grid}
    checks.that(chosen == expected, f"{case}: expected best_hyperparams {expected}, got {best_hyperparams}")
    if not checks.that(
        isinstance(best_estimator, ScoreColumn),
        f"{case}: best_estimator must be the fitted classifier (here a ScoreColumn), got "
        f"{type(best_estimator).__name__}",
    ):
        return
    settings = {**expected, **(fixed or {})}
    got = {k: best_estimator.get_params()[k] for k in settings}
    checks.that(
        got == settings,
        f"{case}: best_estimator has the settings {got}, expected {settings} "
        "(fit a fresh copy of clf for every combination and keep the best one)",
    )
    checks.that(
        getattr(best_estimator, "n_fit_rows_", None) == len(_X_TRAIN),
        f"{case}: best_estimator must be fitted on the training data ({len(_X_TRAIN)} rows); it was "
        f"fitted on {getattr(best_estimator, 'n_fit_rows_', 'no')} rows",
    )


def test_holdout_grid_search(holdout_grid_search) -> None:
    checks = Checks("holdout_grid_search")
    # validation C-index: (a, +1) = 1, (a, -1) = 0, (b, +1) = 0, (b, -1) = 1, (c, any) = 0.5
    _grid_case(
        checks,
        holdout_grid_search,
        {"column": ["c", "a", "b"], "sign": [1, -1]},
        None,
        {"column": "a", "sign": 1},
        "grid column x sign: (a, 1) and (b, -1) tie at C-index 1; (a, 1) comes first in grid order",
    )
    _grid_case(
        checks,
        holdout_grid_search,
        {"column": ["a", "b", "c"]},
        {"sign": -1},
        {"column": "b"},
        "fixed_hyperparams {'sign': -1} passed to every fit: b reversed is perfect",
    )
    _grid_case(
        checks,
        holdout_grid_search,
        {"column": ["c", "a"]},
        None,
        {"column": "a"},
        "c is perfect on the training data but useless on validation: choose by validation C-index",
    )
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 3


def forest_checks(checks: Checks, result, splits, case: str, *, public: bool):
    """Shared by the public and hidden tests: type, fitted, hyperparameters consistent; returns the forest or None."""
    from sklearn.ensemble import RandomForestClassifier

    pair = checks.pair(result, case)
    if pair is None:
        return None
    forest, best_hyperparams = pair
    if not checks.that(
        isinstance(forest, RandomForestClassifier),
        f"{case}: the first item must be a RandomForestClassifier, got {type(forest).__name__}",
    ):
        return None
    if not checks.that(
        hasattr(forest, "estimators_"), f"{case}: the returned forest is not fitted — fit it on X_train, y_train"
    ):
        return None
    checks.that(
        getattr(forest, "n_features_in_", None) == splits[0].shape[1],
        f"{case}: the forest must use all {splits[0].shape[1]} columns of X_train",
    )
    if checks.that(
        isinstance(best_hyperparams, dict),
        f"{case}: best_hyperparams must be a dict, got {type(best_hyperparams).__name__}",
    ):
        params = forest.get_params()
        wrong = {k: v for k, v in best_hyperparams.items() if k in params and params[k] != v}
        detail = f" (e.g. {next(iter(wrong))})" if wrong and public else ""
        checks.that(not wrong, f"{case}: best_hyperparams does not describe the returned forest{detail}")
    return forest


FOREST_CASE = "the NHEFS train/validation split"
_last_search: dict = {}


def forest_search(fn):
    """(result, splits) of the learner's search on the NHEFS splits, run once per function object.

    The search is the slow part of exercise 3, so the public and the hidden test share one run of the same function.
    """
    if _last_search.get("fn") is not fn:
        splits = nhefs_copy()
        result = call("random_forest_grid_search", fn, *splits[:4], case=FOREST_CASE)
        _last_search.clear()
        _last_search.update(fn=fn, result=result, splits=splits)
    return _last_search["result"], _last_search["splits"]


def test_random_forest_grid_search(random_forest_grid_search) -> None:
    checks = Checks("random_forest_grid_search")
    result, splits = forest_search(random_forest_grid_search)
    _, _, X_val, y_val, _, _ = splits
    case = FOREST_CASE
    forest = forest_checks(checks, result, splits, case, public=True)
    if forest is not None:
        c_val = roc_auc_score(y_val, risk_of(forest, X_val))
        checks.that(
            c_val >= FOREST_MIN_VAL_CINDEX,
            f"{case}: validation C-index {c_val:.3f}, expected at least {FOREST_MIN_VAL_CINDEX} — try "
            "shallower trees or larger leaves (max_depth, min_samples_leaf) and enough trees",
        )
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 4


def subset_case(checks: Checks, fn, forest, X, y, case: str, *, public: bool) -> None:
    """Shared by the public and hidden tests: size, both outcomes present, C-index clearly below overall."""
    got = call("bad_subset", fn, forest, X, y, case=case)
    mask = as_mask(checks, got, len(X), case)
    if mask is None:
        return
    n = int(mask.sum())
    size = f" ({n} patients)" if public else ""
    if not checks.that(
        n >= SUBSET_MIN_SIZE, f"{case}: the subgroup must hold at least {SUBSET_MIN_SIZE} patients{size}"
    ):
        return
    outcomes = np.asarray(y)[mask]
    if not checks.that(
        0 < outcomes.sum() < n,
        f"{case}: the subgroup must contain patients who died and patients "
        "who survived, otherwise its C-index is undefined",
    ):
        return
    risk = risk_of(forest, X)
    overall = roc_auc_score(y, risk)
    sub = roc_auc_score(outcomes, risk[mask])
    values = f": {sub:.3f} in the subgroup, {overall:.3f} overall" if public else ""
    checks.that(
        sub <= overall - SUBSET_MIN_DROP,
        f"{case}: the subgroup's C-index must be at least {SUBSET_MIN_DROP} below the overall one{values}",
    )


def test_bad_subset(bad_subset) -> None:
    checks = Checks("bad_subset")
    _, _, _, _, X_test, y_test = nhefs_copy()
    subset_case(
        checks, bad_subset, reference_forest(), X_test, y_test, "a tuned forest on the NHEFS test set", public=True
    )
    checks.done()


# --------------------------------------------------------------------------------------------- exercise 5


def frames_pair(checks: Checks, result, X_train, X_test, case: str):
    """The two imputed frames, checked for type, columns, index and leftover NaN; None on failure."""
    pair = checks.pair(result, case)
    if pair is None:
        return None
    out = []
    for got, original, which in zip(pair, (X_train, X_test), ("train", "test")):
        if not checks.that(
            isinstance(got, pd.DataFrame),
            f"{case} — {which}: return a DataFrame (pd.DataFrame(values, columns=..., index=...)), "
            f"got {type(got).__name__}",
        ):
            return None
        if not checks.that(
            list(got.columns) == list(original.columns) and got.index.equals(original.index),
            f"{case} — {which}: keep the columns and the index (patient ids) of the input "
            "(pass index=X.index when you build the DataFrame)",
        ):
            return None
        checks.that(not got.isna().any().any(), f"{case} — {which}: missing values are left after imputation")
        out.append(got)
    return out


def one_blas_thread(test):
    """Run a test with one linear-algebra thread: on tiny matrices extra threads only slow IterativeImputer down."""

    @functools.wraps(test)
    def wrapper(fn):
        with threadpool_limits(1, user_api="blas"):
            return test(fn)

    return wrapper


@one_blas_thread
def test_impute(impute) -> None:
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401
    from sklearn.impute import IterativeImputer

    checks = Checks("impute")
    nan = np.nan
    # train means: a = (1 + 3) / 2 = 2, b = (10 + 30) / 2 = 20; the test set's own means would be 5 and 40
    X_train = pd.DataFrame({"a": [1.0, nan, 3.0], "b": [10.0, 30.0, nan]}, index=[101, 102, 103])
    X_test = pd.DataFrame({"a": [nan, 5.0], "b": [40.0, nan]}, index=[201, 202])
    case = "strategy 'mean'"
    frames = frames_pair(checks, call("impute", impute, X_train, X_test, "mean", case=case), X_train, X_test, case)
    if frames is not None:
        train, test = frames
        checks.vectors_close(train["a"], [1, 2, 3], f"{case} — train column a (missing -> training mean 2)")
        checks.vectors_close(train["b"], [10, 30, 20], f"{case} — train column b (missing -> training mean 20)")
        checks.vectors_close(
            test["a"],
            [2, 5],
            f"{case} — test column a",
            hint="fill the test set with the TRAINING mean: fit the imputer on X_train only",
        )
        checks.vectors_close(
            test["b"],
            [40, 20],
            f"{case} — test column b",
            hint="fill the test set with the TRAINING mean: fit the imputer on X_train only",
        )
    # b is exactly 10 * a on the complete training rows, so the iterative imputer fills b from a and a from b
    X_train = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, nan, 6.0], "b": [10.0, 20.0, 30.0, nan, 50.0, 60.0]})
    X_test = pd.DataFrame({"a": [nan, 8.0], "b": [70.0, nan]}, index=["p1", "p2"])
    case = "strategy 'iterative' (b = 10 a)"
    frames = frames_pair(checks, call("impute", impute, X_train, X_test, "iterative", case=case), X_train, X_test, case)
    if frames is not None:
        imputer = IterativeImputer(random_state=0).fit(X_train)
        checks.vectors_close(
            frames[0].to_numpy().ravel(),
            imputer.transform(X_train).ravel(),
            f"{case} — train (IterativeImputer(random_state=0) fitted on X_train)",
            rtol=1e-5,
        )
        checks.vectors_close(
            frames[1].to_numpy().ravel(),
            imputer.transform(X_test).ravel(),
            f"{case} — test (transform with the imputer fitted on X_train)",
            rtol=1e-5,
        )
    checks.done()
