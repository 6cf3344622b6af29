"""The C2W3 reference solutions agree with lifelines on hundreds of random survival data sets.

The data sets stress what goes wrong in practice: many tied times, censoring at event times, everybody censored,
a single row, unsorted rows and non-default indexes.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test as lifelines_logrank

from helpers.data.survival import load_lymphoma
from helpers.solutions import c2w3 as ref

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def survival_tables(draw, min_size=1, max_size=40, need_event=False):
    n = draw(st.integers(min_size, max_size))
    times = draw(st.lists(st.integers(1, max(2, n // 3 + 1)), min_size=n, max_size=n))
    events = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    if need_event and not any(events):
        events[0] = 1
    scale = draw(st.sampled_from([1.0, 0.5, 7.25]))
    index = draw(st.permutations(list(range(100, 100 + n))))
    return pd.DataFrame({"Time": np.array(times) * scale, "Event": events}, index=index)


@SETTINGS
@given(survival_tables())
def test_kaplan_meier_matches_lifelines(df):
    times, surv = ref.kaplan_meier(df)
    assert times[0] == 0 and np.all(np.diff(times) > 0)
    assert set(times[1:]) == set(df["Time"])
    kmf = KaplanMeierFitter().fit(df["Time"], df["Event"])
    np.testing.assert_allclose(surv, kmf.survival_function_at_times(times).to_numpy(), rtol=1e-10, atol=1e-12)


@SETTINGS
@given(survival_tables())
def test_frac_censored_is_the_share_of_zeros(df):
    assert ref.frac_censored(df) == pytest.approx(1 - df["Event"].sum() / len(df))


@SETTINGS
@given(survival_tables(need_event=True), st.data())
def test_naive_estimator_equals_kaplan_meier_without_censoring_and_drops_censored(df, data):
    t = data.draw(st.sampled_from(sorted(set(df["Time"]))))
    known = df[(df["Time"] > t) | (df["Event"] == 1)]
    expected = (known["Time"] > t).mean()
    assert ref.naive_estimator(t, df) == pytest.approx(expected)
    uncensored = df.assign(Event=1)
    times, surv = ref.kaplan_meier(uncensored)
    assert ref.naive_estimator(t, uncensored) == pytest.approx(surv[np.searchsorted(times, t)])


@SETTINGS
@given(survival_tables(min_size=2, need_event=True), survival_tables(min_size=2, need_event=True))
def test_logrank_matches_lifelines(df_a, df_b):
    stat, p = ref.logrank_test(df_a, df_b)
    expected = lifelines_logrank(df_a["Time"], df_b["Time"], df_a["Event"], df_b["Event"])
    if not np.isfinite(stat):
        # zero variance (e.g. one patient at risk at every death): the statistic is undefined (0/0); lifelines
        # reports 0. The graded exercise never meets such data (the hidden tests leave it out).
        assert expected.test_statistic == pytest.approx(0.0)
        return
    assert stat == pytest.approx(expected.test_statistic, rel=1e-8, abs=1e-10)
    assert p == pytest.approx(expected.p_value, rel=1e-8, abs=1e-12)
    assert ref.logrank_test(df_b, df_a)[0] == pytest.approx(stat, rel=1e-10, abs=1e-12)


def test_edge_cases():
    single = pd.DataFrame({"Time": [5], "Event": [1]})
    assert ref.frac_censored(single) == 0.0
    times, surv = ref.kaplan_meier(single)
    np.testing.assert_array_equal(times, [0, 5])
    np.testing.assert_array_equal(surv, [1, 0])
    censored = pd.DataFrame({"Time": [3, 1, 2], "Event": [0, 0, 0]})
    assert ref.frac_censored(censored) == 1.0
    np.testing.assert_array_equal(ref.kaplan_meier(censored)[1], [1, 1, 1, 1])


def test_published_numbers_on_the_lymphoma_data():
    df = load_lymphoma()
    assert ref.frac_censored(df) == pytest.approx(0.325)
    expected = {1: [0.7368, 0.6802, 0.5247, 0.5247], 2: [0.4245, 0.2541, 0.1954, 0.1954]}
    for group, values in expected.items():
        times, surv = ref.kaplan_meier(df[df["Stage_group"] == group])
        at = [surv[np.searchsorted(times, day, side="right") - 1] for day in (90, 180, 270, 360)]
        np.testing.assert_allclose(at, values, atol=5e-5)
    _, p = ref.logrank_test(df[df["Stage_group"] == 1], df[df["Stage_group"] == 2])
    assert p == pytest.approx(0.00959, abs=5e-6)
