"""The C2W2 reference solutions agree with pandas and scikit-learn, and meet the open-ended exercises' thresholds.

- fraction_rows_missing: a row-by-row count on random frames of every column type;
- holdout_grid_search: scikit-learn's GridSearchCV with a predefined train/validation split (same scores, same
  choice, first combination among ties) on random data sets;
- impute: pandas fillna with the training means; IterativeImputer fitted on the training set only (each test row's
  imputation depends on that row alone);
- random_forest_grid_search / bad_subset: the reference clears the stated thresholds with a margin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, PredefinedSplit
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from helpers.public_tests import c2w2 as public
from helpers.solutions import c2w2 as ref

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def frames(draw):
    n_rows, n_cols = draw(st.integers(1, 25)), draw(st.integers(1, 6))
    data = {}
    for j in range(n_cols):
        holes = draw(st.lists(st.booleans(), min_size=n_rows, max_size=n_rows))
        kind = draw(st.sampled_from(["float", "text", "Int64"]))
        if kind == "float":
            data[f"c{j}"] = [np.nan if h else float(i) for i, h in enumerate(holes)]
        elif kind == "text":
            data[f"c{j}"] = pd.Series([None if h else "v" for h in holes], dtype=object)
        else:
            data[f"c{j}"] = pd.array([None if h else i for i, h in enumerate(holes)], dtype="Int64")
    return pd.DataFrame(data)


@SETTINGS
@given(frames())
def test_fraction_rows_missing_counts_rows_one_by_one(df):
    incomplete = sum(any(pd.isna(v) for v in row) for row in df.itertuples(index=False))
    assert ref.fraction_rows_missing(df) == pytest.approx(incomplete / len(df))


@st.composite
def classification_sets(draw):
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    n_train, n_val = draw(st.integers(30, 80)), draw(st.integers(20, 50))
    X = rng.normal(size=(n_train + n_val, 4))
    X[:, 3] = np.round(X[:, 3])  # a coarse column: many ties in the scores
    y = (X[:, 0] + rng.normal(scale=1.5, size=len(X)) > 0).astype(int)
    y[:2], y[n_train : n_train + 2] = [0, 1], [0, 1]  # both classes in both sets
    X = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    grid = draw(
        st.sampled_from(
            [
                {"max_depth": [1, 2, 3, 5, None]},
                {"max_depth": [1, 2, 4], "min_samples_leaf": [1, 5, 20]},
                {"criterion": ["entropy", "gini"], "max_depth": [1, 3], "min_samples_leaf": [2, 10]},
            ]
        )
    )
    return X.iloc[:n_train], pd.Series(y[:n_train]), X.iloc[n_train:], pd.Series(y[n_train:]), grid


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(classification_sets())
def test_holdout_grid_search_matches_gridsearchcv(data):
    X_train, y_train, X_val, y_val, grid = data
    # keys are in alphabetical order, so ParameterGrid's order is the grid order of the exercise
    assert list(grid) == sorted(grid)
    fixed = {"random_state": 0}
    best, params = ref.holdout_grid_search(DecisionTreeClassifier(), X_train, y_train, X_val, y_val, grid, fixed)
    split = PredefinedSplit(np.r_[-np.ones(len(X_train)), np.zeros(len(X_val))])
    search = GridSearchCV(DecisionTreeClassifier(**fixed), grid, scoring="roc_auc", cv=split, refit=False)
    search.fit(pd.concat([X_train, X_val]), pd.concat([y_train, y_val]))
    assert params == search.best_params_
    assert roc_auc_score(y_val, best.predict_proba(X_val)[:, 1]) == pytest.approx(search.best_score_)
    assert best.get_params()["random_state"] == 0 and best.get_params()["max_depth"] == params["max_depth"]


def test_holdout_grid_search_leaves_the_template_alone():
    X_train, y_train, X_val, y_val = (
        pd.DataFrame({"a": [0.0, 1, 2, 3]}),
        pd.Series([0, 0, 1, 1]),
        pd.DataFrame({"a": [0.5, 2.5]}),
        pd.Series([0, 1]),
    )
    template = DecisionTreeClassifier()
    best, params = ref.holdout_grid_search(template, X_train, y_train, X_val, y_val, {"max_depth": [1, 2]})
    assert params == {"max_depth": 1} and best is not template and not hasattr(template, "tree_")


@st.composite
def imputation_sets(draw):
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    n_train, n_test, n_cols = draw(st.integers(8, 40)), draw(st.integers(1, 12)), draw(st.integers(2, 5))
    values = rng.normal(size=(n_train + n_test, n_cols)) + rng.normal(size=(n_train + n_test, 1))
    frame = pd.DataFrame(values, columns=[f"x{j}" for j in range(n_cols)]).mask(rng.random(values.shape) < 0.25)
    frame.iloc[0] = 1.0  # every column has at least one observed training value
    train = frame.iloc[:n_train].set_axis(rng.permutation(n_train) + 7, axis=0)
    test = frame.iloc[n_train:].set_axis([f"p{k}" for k in range(n_test)], axis=0)
    return train, test


@SETTINGS
@given(imputation_sets())
def test_mean_imputation_is_fillna_with_training_means(data):
    X_train, X_test = data
    train, test = ref.impute(X_train, X_test, "mean")
    pd.testing.assert_frame_equal(train, X_train.fillna(X_train.mean()), check_dtype=False)
    pd.testing.assert_frame_equal(test, X_test.fillna(X_train.mean()), check_dtype=False)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(imputation_sets())
def test_iterative_imputation_is_fitted_on_the_training_set_only(data):
    X_train, X_test = data
    with threadpool_limits(1, user_api="blas"):
        train, test = ref.impute(X_train, X_test, "iterative")
        observed = X_test.notna()
        assert np.allclose(test[observed].stack(), X_test[observed].stack())
        assert not train.isna().any().any() and not test.isna().any().any()
        # fitted on the training set only: a test row's imputation does not depend on the other test rows
        # (a set whose every value is missing is a special case in scikit-learn: it gets the initial means)
        rows = X_test.index[X_test.notna().any(axis=1)]
        if len(rows):
            alone = ref.impute(X_train, X_test.loc[rows[:1]], "iterative")[1]
            np.testing.assert_allclose(alone.to_numpy(), test.loc[rows[:1]].to_numpy(), rtol=1e-9, atol=1e-9)
        # ... and the training imputation does not depend on the test set at all
        pd.testing.assert_frame_equal(ref.impute(X_train, X_test * 3 + 10, "iterative")[0], train)


@pytest.fixture(scope="module")
def splits():
    return public.nhefs_copy()


def test_random_forest_reference_meets_the_thresholds_with_margin(splits):
    X_train, y_train, X_val, y_val, X_test, y_test = splits
    forest, params = ref.random_forest_grid_search(X_train, y_train, X_val, y_val)
    c_val = roc_auc_score(y_val, forest.predict_proba(X_val)[:, 1])
    c_test = roc_auc_score(y_test, forest.predict_proba(X_test)[:, 1])
    assert params == {"max_features": 0.5, "min_samples_leaf": 30}
    assert c_val == pytest.approx(0.881, abs=5e-4) and c_test == pytest.approx(0.827, abs=5e-4)
    assert c_val >= public.FOREST_MIN_VAL_CINDEX + 0.02 and c_test >= public.FOREST_MIN_TEST_CINDEX + 0.03
    again, _ = ref.random_forest_grid_search(X_train, y_train, X_val, y_val)
    np.testing.assert_array_equal(again.predict_proba(X_test), forest.predict_proba(X_test))


def test_bad_subset_reference_has_a_clear_margin(splits):
    _, _, X_val, y_val, X_test, y_test = splits
    for kind in ("tuned", "shallow"):
        forest = public.reference_forest(kind)
        for X, y in ((X_val, y_val), (X_test, y_test)):
            mask = np.asarray(ref.bad_subset(forest, X, y), dtype=bool)
            risk = forest.predict_proba(X)[:, 1]
            assert mask.sum() >= public.SUBSET_MIN_SIZE + 30
            assert roc_auc_score(y[mask], risk[mask]) <= roc_auc_score(y, risk) - public.SUBSET_MIN_DROP - 0.03


def test_public_and_hidden_tests_accept_other_reasonable_answers():
    """A correct learner must never fail on form: NumPy scalars, lists, 0/1 masks, extra fixed keys, another grid."""
    from grader.course import get_week
    from grader.runner import run_exercise

    week = get_week("C2W2")

    def search_with_fixed_in_dict(*args):
        best, params = ref.holdout_grid_search(*args)
        fixed = args[6] if len(args) > 6 and args[6] else {}
        return [best, {**params, **fixed}]

    def other_forest(X_train, y_train, X_val, y_val):
        from sklearn.ensemble import RandomForestClassifier

        return ref.holdout_grid_search(
            RandomForestClassifier(),
            X_train,
            y_train,
            X_val,
            y_val,
            {"max_depth": [4, 6], "n_estimators": [80]},
            {"random_state": 1, "class_weight": "balanced"},
        )

    variants = {
        "fraction_rows_missing": [
            lambda df: np.float32(ref.fraction_rows_missing(df)),
            lambda df: np.array([ref.fraction_rows_missing(df)]),
        ],
        "holdout_grid_search": [search_with_fixed_in_dict],
        "random_forest_grid_search": [other_forest],
        "bad_subset": [
            lambda f, X, y: list(np.asarray(ref.bad_subset(f, X, y))),
            lambda f, X, y: np.asarray(ref.bad_subset(f, X, y)).astype(int),
            lambda f, X, y: ((X["age"] >= 40) & (X["age"] <= 60)).to_numpy(),
        ],
        "impute": [lambda a, b, s: tuple(df.astype("float32").astype(float) for df in ref.impute(a, b, s))],
    }
    for name, fns in variants.items():
        for fn in fns:
            outcome = run_exercise(week, name, fn)
            assert outcome.passed, f"{name}: {outcome.detail}"
