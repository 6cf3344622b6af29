"""The C3W1 reference solutions agree with independent computations and with statsmodels on many random data sets.

- c_for_benefit_score against a brute-force count over every pair of pairs (exact fractions), and c_statistic against
  a separate implementation of the matching (pandas' stable sort, then the brute force);
- event_rate against the fitted probabilities of a statsmodels logistic regression on TRTMT alone (the maximum
  likelihood estimates of the two arms' rates), and the odds ratio of the rates against statsmodels' Table2x2;
- extract_treatment_effect of an unpenalised scikit-learn fit against statsmodels' Logit;
- OR_to_ARR: with the control rate and the crude odds ratio it gives back the observed ARR exactly;
- base_risks and TLearner against the logistic formula written out; lr_ARR_quantile against a loop over quantile
  edges; treatment_dataset_split as a partition of the patients.
"""

import itertools
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from statsmodels.stats.contingency_tables import Table2x2

from helpers.solutions import c3w1 as ref

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def brute_force_c_for_benefit(pairs):
    """Every pair of pairs, counted with exact fractions (predictions must be exact binary fractions)."""
    items = [(Fraction(pt) + Fraction(pc), yc - yt) for (pt, yt), (pc, yc) in pairs]  # 2 x predicted benefit
    score = Fraction(0)
    usable = 0
    for (pred_a, obs_a), (pred_b, obs_b) in itertools.combinations(items, 2):
        if obs_a == obs_b:
            continue
        usable += 1
        if pred_a == pred_b:
            score += Fraction(1, 2)
        elif (pred_a > pred_b) == (obs_a > obs_b):
            score += 1
    return float(score / usable) if usable else np.nan


@st.composite
def matched_pairs(draw):
    m = draw(st.integers(0, 40))
    pred = st.integers(-8, 16).map(lambda k: k / 16)  # exact binary fractions: many ties, exact means
    outcome = st.integers(0, 1)
    return [((draw(pred), draw(outcome)), (draw(pred), draw(outcome))) for _ in range(m)]


@SETTINGS
@given(matched_pairs())
def test_c_for_benefit_matches_brute_force(pairs):
    expected = brute_force_c_for_benefit(pairs)
    got = ref.c_for_benefit_score(pairs)
    if np.isnan(expected):
        assert np.isnan(got)
    else:
        assert got == pytest.approx(expected, abs=1e-12)
        # reversing every prediction mirrors the score around 0.5 (ties stay ties)
        mirrored = [((-pt, yt), (-pc, yc)) for (pt, yt), (pc, yc) in pairs]
        assert ref.c_for_benefit_score(mirrored) == pytest.approx(1 - expected, abs=1e-12)


def matching_by_pandas(pred_rr, y, w, seed):
    """The matching of the exercise written independently: pandas frames and a stable (mergesort) sort."""
    df = pd.DataFrame({"pred": np.asarray(pred_rr, dtype=float), "y": np.asarray(y), "w": np.asarray(w)})
    treated, control = df[df["w"] == 1], df[df["w"] == 0]
    rng = np.random.default_rng(seed)
    if len(treated) != len(control):
        larger, smaller = (treated, control) if len(treated) > len(control) else (control, treated)
        keep = larger.iloc[np.sort(rng.choice(len(larger), len(smaller), replace=False))]
        treated, control = (keep, smaller) if larger is treated else (smaller, keep)
    treated = treated.sort_values("pred", kind="mergesort")
    control = control.sort_values("pred", kind="mergesort")
    pairs = list(zip(zip(treated["pred"], treated["y"]), zip(control["pred"], control["y"])))
    return brute_force_c_for_benefit(pairs)


@SETTINGS
@given(st.integers(1, 30), st.integers(1, 30), st.integers(0, 2**16), st.integers(0, 5))
def test_c_statistic_matches_an_independent_matching(n_treated, n_control, data_seed, seed):
    rng = np.random.default_rng(data_seed)
    w = rng.permutation(np.array([1] * n_treated + [0] * n_control))
    pred = rng.integers(-3, 6, len(w)) / 8
    y = rng.integers(0, 2, len(w))
    expected = matching_by_pandas(pred, y, w, seed)
    got = ref.c_statistic(pred, y, w, seed)
    assert (np.isnan(got) and np.isnan(expected)) or got == pytest.approx(expected, abs=1e-12)


def test_c_statistic_of_the_true_ordering_beats_chance_on_a_big_trial():
    """A sanity check on the metric itself: ranking by the true benefit scores above 0.5, reversing it below."""
    from helpers.data.trial_simulation import simulated_trial

    trial = simulated_trial(4000, seed=3)
    w = trial.data["TRTMT"].astype(int)
    y = trial.data["outcome"]
    assert ref.c_statistic(trial.true_arr, y, w) > 0.53
    assert ref.c_statistic(-trial.true_arr, y, w) < 0.47


def random_trial(rng, n):
    treated = rng.random(n) < rng.uniform(0.2, 0.8)
    treated[:2] = [True, False]
    p_event = np.where(treated, rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9))
    outcome = (rng.random(n) < p_event).astype(int)
    outcome[:4] = [0, 0, 1, 1] if n >= 4 else outcome[:4]  # both outcomes in both arms
    treated[:4] = [True, False, True, False] if n >= 4 else treated[:4]
    return pd.DataFrame(
        {"age": rng.normal(60, 10, n), "nodes": rng.gamma(2, 2, n), "TRTMT": treated, "outcome": outcome},
        index=rng.permutation(n) + 100,
    )


@pytest.mark.parametrize("seed", range(40))
def test_event_rate_and_odds_ratio_match_statsmodels(seed):
    rng = np.random.default_rng(seed)
    df = random_trial(rng, int(rng.integers(8, 300)))
    treated_rate, control_rate = ref.event_rate(df)
    fit = sm.Logit(df["outcome"], sm.add_constant(df["TRTMT"].astype(float))).fit(disp=0)
    fitted = fit.predict(pd.DataFrame({"const": [1.0, 1.0], "TRTMT": [1.0, 0.0]}))
    assert treated_rate == pytest.approx(fitted.iloc[0], abs=1e-6)
    assert control_rate == pytest.approx(fitted.iloc[1], abs=1e-6)
    deaths_t = int(df.loc[df["TRTMT"], "outcome"].sum())
    deaths_c = int(df.loc[~df["TRTMT"], "outcome"].sum())
    n_t, n_c = int(df["TRTMT"].sum()), int((~df["TRTMT"]).sum())
    table = Table2x2(np.array([[deaths_t, n_t - deaths_t], [deaths_c, n_c - deaths_c]]))
    odds = (treated_rate / (1 - treated_rate)) / (control_rate / (1 - control_rate))
    assert table.oddsratio == pytest.approx(odds, rel=1e-9)
    assert np.exp(fit.params["TRTMT"]) == pytest.approx(odds, rel=1e-5)
    # the ARR implied by the crude odds ratio at the control rate is exactly the observed ARR
    assert ref.OR_to_ARR(control_rate, table.oddsratio) == pytest.approx(control_rate - treated_rate, abs=1e-12)
    assert ref.proportion_treated(df) == pytest.approx(n_t / len(df))


@pytest.mark.parametrize("seed", range(12))
def test_extract_treatment_effect_matches_statsmodels(seed):
    rng = np.random.default_rng(100 + seed)
    n = 600
    X = pd.DataFrame({"age": rng.normal(0, 1, n), "nodes": rng.normal(0, 1, n), "sex": rng.integers(0, 2, n)})
    X.insert(int(rng.integers(0, 4)), "TRTMT", rng.random(n) < 0.5)
    logit = -0.3 + 0.8 * X["age"] + 0.5 * X["nodes"] + rng.uniform(-1.5, 1.0) * X["TRTMT"]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    model = LogisticRegression(C=np.inf, max_iter=10_000, tol=1e-10).fit(X, y)
    theta, odds_ratio = ref.extract_treatment_effect(model, X)
    fit = sm.Logit(y, sm.add_constant(X.astype(float))).fit(disp=0)
    assert theta == pytest.approx(fit.params["TRTMT"], abs=1e-4)
    assert odds_ratio == pytest.approx(np.exp(fit.params["TRTMT"]), rel=1e-4)
    # base risks: the logistic formula with TRTMT = 0, written out
    untreated = X.assign(TRTMT=0.0).to_numpy(dtype=float)
    expected = 1 / (1 + np.exp(-(untreated @ model.coef_[0] + model.intercept_[0])))
    np.testing.assert_allclose(ref.base_risks(X, model), expected, rtol=1e-10)
    assert X["TRTMT"].any()  # the caller's frame is untouched


@SETTINGS
@given(st.floats(0, 1), st.floats(0.01, 20))
def test_or_to_arr_is_the_difference_of_risks_with_the_odds_multiplied(p, odds_ratio):
    arr = ref.OR_to_ARR(p, odds_ratio)
    treated = p - arr
    assert 0 <= treated <= 1 + 1e-12
    if 1e-6 < p < 1 - 1e-6:
        assert (treated / (1 - treated)) / (p / (1 - p)) == pytest.approx(odds_ratio, rel=1e-6)
        assert np.sign(arr) == np.sign(1 - odds_ratio)  # benefit exactly when the odds ratio is below 1


def arr_by_quantile_loop(risk, y, treated):
    edges = np.quantile(risk, np.linspace(0, 1, 11))
    group = np.clip(np.searchsorted(edges, risk, side="left") - 1, 0, 9)
    group[risk == edges[0]] = 0
    return [y[(group == g) & ~treated].mean() - y[(group == g) & treated].mean() for g in range(10)]


@pytest.mark.parametrize("seed", range(10))
def test_lr_arr_quantile_matches_a_loop_over_quantile_edges(seed):
    rng = np.random.default_rng(200 + seed)
    df = random_trial(rng, 400)
    X, y = df.drop(columns="outcome"), df["outcome"]
    model = LogisticRegression().fit(X, y)
    expected = arr_by_quantile_loop(ref.base_risks(X, model), y.to_numpy(), X["TRTMT"].to_numpy())
    got = ref.lr_ARR_quantile(X, y.reset_index(drop=True), model)
    np.testing.assert_allclose(np.asarray(got, dtype=float), expected, rtol=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_t_learner_is_the_difference_of_two_logistic_formulas(seed):
    rng = np.random.default_rng(300 + seed)
    X = pd.DataFrame({"age": rng.normal(0, 1, 80), "nodes": rng.normal(0, 1, 80)})
    models = [LogisticRegression().fit(X, rng.integers(0, 2, 80)) for _ in range(2)]
    risk = [1 / (1 + np.exp(-(X.to_numpy() @ m.coef_[0] + m.intercept_[0]))) for m in models]
    np.testing.assert_allclose(ref.TLearner(*models).predict(X), risk[1] - risk[0], rtol=1e-10)


@pytest.mark.parametrize("seed", range(10))
def test_treatment_dataset_split_is_a_partition(seed):
    rng = np.random.default_rng(400 + seed)
    train, val = random_trial(rng, 50), random_trial(rng, 20)
    X_train, y_train = train.drop(columns="outcome"), train["outcome"]
    X_val, y_val = val.drop(columns="outcome"), val["outcome"]
    parts = ref.treatment_dataset_split(X_train, y_train, X_val, y_val)
    Xtt, ytt, Xtv, ytv, Xct, yct, Xcv, ycv = parts
    assert sorted([*Xtt.index, *Xct.index]) == sorted(X_train.index)
    assert sorted([*Xtv.index, *Xcv.index]) == sorted(X_val.index)
    for X, y, arm, source in [
        (Xtt, ytt, True, X_train),
        (Xct, yct, False, X_train),
        (Xtv, ytv, True, X_val),
        (Xcv, ycv, False, X_val),
    ]:
        assert "TRTMT" not in X.columns and list(X.index) == list(y.index)
        assert (source.loc[X.index, "TRTMT"] == arm).all()
    assert "TRTMT" in X_train.columns and "TRTMT" in X_val.columns
