"""The C2W1 reference solutions agree with established libraries and hand-computed formulas on many random data sets.

cindex is compared with scikit-learn's ROC AUC (equal for a binary outcome, ties counting one half) and with a
plain double loop over pairs; make_standard_normal with NumPy formulas; lr_model with scikit-learn's
LogisticRegression; add_interactions with scikit-learn's PolynomialFeatures. Correct alternative implementations
a learner may write must pass the grader, in any reasonable return type.
"""

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import PolynomialFeatures

from grader.course import get_week
from grader.runner import run_exercise
from helpers.solutions import c2w1 as ref

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _pairs_cindex(y, s):
    concordant = ties = permissible = 0
    for i, j in combinations(range(len(y)), 2):
        if y[i] == y[j]:
            continue
        case, control = (i, j) if y[i] == 1 else (j, i)
        permissible += 1
        concordant += s[case] > s[control]
        ties += s[case] == s[control]
    return (concordant + 0.5 * ties) / permissible if permissible else np.nan  # documented: nan without a pair


@st.composite
def outcomes_and_scores(draw, max_size=60):
    n = draw(st.integers(2, max_size))
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    if len(set(y)) == 1:
        y[draw(st.integers(0, n - 1))] = 1 - y[0]
    # few distinct values -> many ties within and across outcomes
    levels = draw(st.integers(1, 8))
    scores = draw(st.lists(st.integers(0, levels), min_size=n, max_size=n))
    scale = draw(st.sampled_from([1.0, 0.1, -3.5]))
    return np.array(y), np.array(scores) * scale


@SETTINGS
@given(outcomes_and_scores())
def test_cindex_equals_roc_auc_and_the_pairwise_definition(data):
    y, s = data
    c = ref.cindex(y, s)
    assert c == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert c == pytest.approx(_pairs_cindex(y, s), abs=1e-12)
    assert ref.cindex(y, -s) == pytest.approx(1 - c, abs=1e-12)


def test_cindex_accepts_lists_booleans_series_and_is_nan_without_permissible_pairs():
    y, s = [True, False, True, False], [0.9, 0.1, 0.1, 0.5]
    assert ref.cindex(y, s) == ref.cindex(np.array(y, dtype=int), np.array(s)) == 0.625
    assert ref.cindex(pd.Series(y, index=[3, 2, 1, 0]), pd.Series(s, index=[3, 2, 1, 0])) == 0.625
    assert np.isnan(ref.cindex([1, 1, 1], [0.1, 0.2, 0.3]))
    assert np.isnan(ref.cindex([0, 0], [0.1, 0.2]))


@st.composite
def positive_frames(draw):
    n_cols = draw(st.integers(1, 6))
    n_train, n_test = draw(st.integers(2, 30)), draw(st.integers(1, 10))
    values = st.floats(0.01, 1e4, allow_nan=False)
    train = np.array(
        draw(st.lists(st.lists(values, min_size=n_cols, max_size=n_cols), min_size=n_train, max_size=n_train))
    )
    test = np.array(
        draw(st.lists(st.lists(values, min_size=n_cols, max_size=n_cols), min_size=n_test, max_size=n_test))
    )
    columns = [f"c{k}" for k in range(n_cols)]
    return (
        pd.DataFrame(train, columns=columns, index=np.arange(n_train)[::-1] + 10),
        pd.DataFrame(test, columns=columns, index=np.arange(n_test) + 500),
    )


@SETTINGS
@given(positive_frames())
def test_make_standard_normal_matches_the_formula(frames):
    train, test = frames
    log_train = np.log(train.to_numpy())
    mean, sd = log_train.mean(axis=0), log_train.std(axis=0, ddof=1)
    if np.any(sd < 1e-8 * np.maximum(1, np.abs(mean))):
        return  # a constant column cannot be standardized (0/0); the exercise never sees one
    train_norm, test_norm = ref.make_standard_normal(train, test)
    np.testing.assert_allclose(train_norm.to_numpy(), (log_train - mean) / sd, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(test_norm.to_numpy(), (np.log(test.to_numpy()) - mean) / sd, rtol=1e-9, atol=1e-9)
    assert train_norm.index.equals(train.index) and test_norm.index.equals(test.index)
    assert list(train_norm.columns) == list(train.columns)
    np.testing.assert_allclose(train_norm.std(ddof=1), 1.0, rtol=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_lr_model_matches_sklearn_and_its_optimum(seed):
    rng = np.random.default_rng(seed)
    n, p = int(rng.integers(30, 400)), int(rng.integers(1, 8))
    X = pd.DataFrame(rng.normal(size=(n, p)), columns=[f"x{k}" for k in range(p)])
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-(X.to_numpy() @ rng.normal(size=p))))).astype(int))
    y.iloc[:2] = [0, 1]
    model = ref.lr_model(X, y)
    expected = LogisticRegression(max_iter=1000, random_state=0).fit(X, y)
    np.testing.assert_allclose(model.coef_, expected.coef_)
    # the fitted coefficients are the optimum of sum(log-loss) + ||w||^2 / 2 (C = 1, intercept not penalized):
    # the gradient vanishes up to lbfgs' tolerance (sklearn scales the objective by 1/n)
    w, b = model.coef_[0], model.intercept_[0]
    residual = 1 / (1 + np.exp(-(X.to_numpy() @ w + b))) - y.to_numpy()
    assert np.abs(X.to_numpy().T @ residual + w).max() / n < 5e-4 and abs(residual.sum()) / n < 5e-4


@pytest.mark.parametrize("n_cols", [1, 2, 3, 7])
def test_add_interactions_matches_polynomial_features(n_cols):
    rng = np.random.default_rng(n_cols)
    X = pd.DataFrame(rng.normal(size=(25, n_cols)), columns=[f"v{k}" for k in range(n_cols)], index=rng.permutation(25))
    out = ref.add_interactions(X)
    poly = PolynomialFeatures(degree=2, interaction_only=True, include_bias=False).fit(X)
    expected = poly.transform(X)
    names = [name.replace(" ", "_x_") for name in poly.get_feature_names_out()]
    assert list(out.columns) == names
    np.testing.assert_allclose(out.to_numpy(), expected)
    assert out.index.equals(X.index)


# ------------------------------------------------------------- correct alternatives a learner may write must pass


def _alternatives():
    from sklearn.linear_model import LogisticRegression as LR

    def cindex_double_loop(y_true, scores):
        y_true, scores = np.asarray(y_true).astype(int), np.asarray(scores, dtype=float)
        return _pairs_cindex(y_true, scores)

    def make_standard_normal_numpy(df_train, df_test):
        lt, ls = np.log(df_train.to_numpy(float)), np.log(df_test.to_numpy(float))
        m, s = lt.mean(axis=0), lt.std(axis=0, ddof=1)
        return [
            pd.DataFrame((lt - m) / s, index=df_train.index, columns=df_train.columns),
            pd.DataFrame((ls - m) / s, index=df_test.index, columns=df_test.columns),
        ]

    def add_interactions_concat(X):
        return pd.concat([X] + [(X[a] * X[b]).rename(f"{a}_x_{b}") for a, b in combinations(X.columns, 2)], axis=1)

    return {
        "cindex": [
            cindex_double_loop,
            lambda y, s: np.float32(ref.cindex(y, s)),
            lambda y, s: np.array(ref.cindex(y, s)),
            lambda y, s: roc_auc_score(np.asarray(y).astype(int), s),
        ],
        "make_standard_normal": [make_standard_normal_numpy],
        "lr_model": [
            lambda X, y: LR().fit(X, y),
            lambda X, y: LR(solver="newton-cg").fit(X, y),
            lambda X, y: LR(max_iter=1000).fit(np.asarray(X), np.asarray(y)),
        ],
        "add_interactions": [add_interactions_concat],
    }


@pytest.mark.parametrize("name", ["cindex", "make_standard_normal", "lr_model", "add_interactions"])
def test_correct_alternatives_and_return_types_pass(name):
    week = get_week("C2W1")
    for fn in _alternatives()[name]:
        outcome = run_exercise(week, name, fn)
        assert outcome.passed, f"{name}: {outcome.detail}"
