"""The C2W4 reference solutions agree with established libraries on hundreds of random data sets.

- to_one_hot against pandas.get_dummies (the contract the exercise text promises);
- hazard_ratio against lifelines' own partial-hazard predictions from a fitted Cox model;
- harrell_c against lifelines' concordance_index (which expects "higher = longer survival", so it gets -scores) and
  scikit-survival's concordance_index_censored, on data with many tied times, tied scores and censoring at event
  times.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifelines import CoxPHFitter
from lifelines.utils import concordance_index
from sksurv.metrics import concordance_index_censored

from helpers.data.pbc import CATEGORICAL, load_pbc_splits
from helpers.solutions import c2w4 as ref

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def survival_data(draw, min_size=2, max_size=30):
    """Times with many ties, scores with ties, any censoring pattern; at least one permissible pair."""
    n = draw(st.integers(min_size, max_size))
    times = draw(st.lists(st.integers(1, max(2, n // 3 + 1)), min_size=n, max_size=n))
    events = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    tied_scores = draw(st.booleans())
    score_values = st.integers(0, 3).map(float) if tied_scores else st.floats(-5, 5).map(lambda x: round(x, 6))
    scores = draw(st.lists(score_values, min_size=n, max_size=n))
    scale = draw(st.sampled_from([1.0, 0.25, 1 / 365.25]))
    return np.array(times) * scale, np.array(scores), np.array(events)


def _has_permissible_pair(times, events) -> bool:
    for i in range(len(times)):
        for j in range(len(times)):
            if events[i] and (times[i] < times[j] or (times[i] == times[j] and not events[j])):
                return True
    return False


@SETTINGS
@given(survival_data())
def test_harrell_c_matches_lifelines_and_sksurv(data):
    times, scores, events = data
    if not _has_permissible_pair(times, events):
        with pytest.raises(ZeroDivisionError):
            ref.harrell_c(times, scores, events)
        return
    c = ref.harrell_c(times, scores, events)
    assert 0.0 <= c <= 1.0
    assert c == pytest.approx(concordance_index(times, -scores, events), abs=1e-12)
    assert c == pytest.approx(concordance_index_censored(events, times, scores)[0], abs=1e-12)
    # reversing the scores mirrors the index around 0.5 (ties stay ties)
    assert ref.harrell_c(times, -scores, events) == pytest.approx(1 - c, abs=1e-12)


@SETTINGS
@given(survival_data(), st.randoms(use_true_random=False))
def test_harrell_c_ignores_row_order_and_input_type(data, rnd):
    times, scores, events = data
    if not _has_permissible_pair(times, events):
        return
    order = list(range(len(times)))
    rnd.shuffle(order)
    index = [100 + k for k in order]
    as_series = [pd.Series(v[order], index=index) for v in (times, scores, events)]
    assert ref.harrell_c(*as_series) == pytest.approx(ref.harrell_c(times, scores, events), abs=1e-12)
    assert ref.harrell_c(list(times), list(scores), list(events.astype(int))) == pytest.approx(
        ref.harrell_c(times, scores, events), abs=1e-12
    )


@st.composite
def categorical_frames(draw):
    n = draw(st.integers(1, 25))
    numeric_levels = draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.5]), min_size=n, max_size=n))
    int_levels = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    text_levels = draw(st.lists(st.sampled_from(["b", "a", "AB", "o"]), min_size=n, max_size=n))
    index = draw(st.permutations(list(range(50, 50 + n))))
    df = pd.DataFrame(
        {"x": np.arange(n, dtype=float), "num": numeric_levels, "int": int_levels, "text": text_levels}, index=index
    )
    columns = draw(st.lists(st.sampled_from(["num", "int", "text"]), min_size=1, max_size=3, unique=True))
    return df, columns


@SETTINGS
@given(categorical_frames())
def test_to_one_hot_is_pandas_get_dummies_with_a_reference_level(data):
    df, columns = data
    before = df.copy()
    out = ref.to_one_hot(df, columns)
    pd.testing.assert_frame_equal(df, before)  # input untouched
    expected = pd.get_dummies(df, columns=columns, drop_first=True, dtype=float)
    pd.testing.assert_frame_equal(out, expected)
    assert list(out.index) == list(df.index)
    for column in columns:
        levels = sorted(df[column].unique())
        names = [f"{column}_{level}" for level in levels[1:]]
        assert set(names) <= set(out.columns) and f"{column}_{levels[0]}" not in out.columns
        for level, name in zip(levels[1:], names):
            assert out[name].dtype == float
            np.testing.assert_array_equal(out[name].to_numpy(), (df[column] == level).to_numpy(dtype=float))


@SETTINGS
@given(st.integers(1, 12).flatmap(lambda k: st.tuples(*[st.lists(st.floats(-3, 3), min_size=k, max_size=k)] * 3)))
def test_hazard_ratio_properties(vectors):
    x_1, x_2, theta = (np.array(v) for v in vectors)
    hr = ref.hazard_ratio(x_1, x_2, theta)
    assert isinstance(hr, float) and hr > 0
    assert hr == pytest.approx(np.exp(np.sum(theta * (x_1 - x_2))), rel=1e-12)
    assert hr * ref.hazard_ratio(x_2, x_1, theta) == pytest.approx(1.0, rel=1e-12)
    assert ref.hazard_ratio(list(x_1), pd.Series(x_2), pd.Series(theta)) == pytest.approx(hr, rel=1e-12)


def test_hazard_ratio_matches_lifelines_predictions_on_pbc():
    train, _, test = load_pbc_splits()
    X_train = ref.to_one_hot(train, CATEGORICAL)
    X_test = ref.to_one_hot(test, CATEGORICAL).reindex(columns=X_train.columns, fill_value=0.0)
    features = [c for c in X_train.columns if c not in ("time", "status")]
    cox = CoxPHFitter(penalizer=0.1).fit(X_train, duration_col="time", event_col="status")
    partial = cox.predict_partial_hazard(X_test)
    rng = np.random.default_rng(0)
    for _ in range(50):
        a, b = rng.choice(X_test.index, size=2, replace=False)
        hr = ref.hazard_ratio(X_test.loc[a, features], X_test.loc[b, features], cox.params_)
        assert hr == pytest.approx(partial[a] / partial[b], rel=1e-9)


def test_harrell_c_on_the_pbc_cox_model_matches_both_libraries():
    train, valid, test = load_pbc_splits()
    X_train = ref.to_one_hot(train, CATEGORICAL)
    cox = CoxPHFitter(penalizer=0.1).fit(X_train, duration_col="time", event_col="status")
    for part in (train, valid, test):
        X = ref.to_one_hot(part, CATEGORICAL).reindex(columns=X_train.columns, fill_value=0.0)
        risk = cox.predict_partial_hazard(X)
        c = ref.harrell_c(X["time"], risk, X["status"])
        assert c == pytest.approx(concordance_index(X["time"], -risk, X["status"]), abs=1e-12)
        assert c == pytest.approx(concordance_index_censored(X["status"].astype(bool), X["time"], risk)[0], abs=1e-12)


# ------------------------------------------------------------- correct alternatives a learner may write must pass


def _alternatives():
    from sklearn.preprocessing import OneHotEncoder

    def to_one_hot_sklearn(df, columns):
        columns = list(columns)
        encoder = OneHotEncoder(drop="first", sparse_output=False).fit(df[columns])
        encoded = pd.DataFrame(
            encoder.transform(df[columns]), index=df.index, columns=encoder.get_feature_names_out(columns)
        )
        return pd.concat([df.drop(columns=columns), encoded], axis=1)

    def to_one_hot_loop(df, columns):
        out = df.drop(columns=list(columns)).copy()
        for col in columns:
            for level in sorted(df[col].unique())[1:]:
                out[f"{col}_{level}"] = (df[col] == level).astype(float)
        return out

    def harrell_c_loop(y_true, scores, event):
        t, s, e = (np.asarray(v, dtype=float) for v in (y_true, scores, event))
        num = den = 0.0
        for i in range(len(t)):
            for j in range(len(t)):
                if e[i] == 1 and (t[i] < t[j] or (t[i] == t[j] and e[j] == 0)):
                    den += 1
                    num += 1.0 if s[i] > s[j] else 0.5 if s[i] == s[j] else 0.0
        return num / den

    return {
        "to_one_hot": [
            lambda df, cols: pd.get_dummies(df, columns=cols, drop_first=True).astype(float),
            to_one_hot_sklearn,
            to_one_hot_loop,
        ],
        "hazard_ratio": [
            lambda a, b, p: np.exp(np.sum(np.asarray(p) * (np.asarray(a) - np.asarray(b)))),
            lambda a, b, p: np.array([ref.hazard_ratio(a, b, p)]),
            lambda a, b, p: pd.Series([ref.hazard_ratio(a, b, p)]).iloc[0],
        ],
        "harrell_c": [
            harrell_c_loop,
            lambda t, s, e: np.float32(ref.harrell_c(t, s, e)),
            lambda t, s, e: concordance_index_censored(np.asarray(e, bool), np.asarray(t, float), np.asarray(s, float))[
                0
            ],
        ],
    }


@pytest.mark.parametrize("name", ["to_one_hot", "hazard_ratio", "harrell_c"])
def test_correct_alternatives_and_return_types_pass(name):
    from grader.course import get_week
    from grader.runner import run_exercise

    week = get_week("C2W4")
    for fn in _alternatives()[name]:
        outcome = run_exercise(week, name, fn)
        assert outcome.passed, f"{name}: {outcome.detail}"
