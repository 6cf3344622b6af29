"""The colon-trial loader (the original course's 607 x 14 table, reproduced), its splits, and the simulated trial."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from helpers.data import colon
from helpers.data.colon import COLUMNS, FIVE_YEARS_DAYS, colon_flow, colon_splits, feature_table, load_colon
from helpers.data.trial_simulation import DELTA, SUBGROUPS, simulated_trial
from helpers.plots import arr_by_risk, effect_intervals, predicted_vs_true_arr


@pytest.fixture(scope="module")
def df():
    return load_colon()


def test_the_course_table_is_reproduced(df):
    assert df.shape == (607, 14)
    assert list(df.columns) == COLUMNS
    assert df.index.name == "id" and df.index.is_unique
    assert df["TRTMT"].dtype == bool
    counts = df.groupby("TRTMT")["outcome"].agg(["sum", "size"])
    assert counts.loc[True].tolist() == [111, 298]
    assert counts.loc[False].tolist() == [149, 309]
    assert round(111 / 298, 4) == 0.3725 and round(149 / 309, 4) == 0.4822


def test_missing_values_are_the_trials_own(df):
    assert df["nodes"].isna().sum() == 12
    assert df["differ_2"].isna().sum() == df["differ_3"].isna().sum() == 13
    assert df.isna().any(axis=1).sum() == 25
    others = [c for c in COLUMNS if c not in ("nodes", "differ_2", "differ_3")]
    assert not df[others].isna().any().any()


def test_every_value_traces_back_to_the_raw_death_rows(df):
    raw = colon._raw_colon()
    deaths = raw[raw["etype"] == 2].set_index("id").loc[df.index]
    assert (deaths["rx"].isin(["Obs", "Lev+5FU"])).all()
    np.testing.assert_array_equal(df["TRTMT"], deaths["rx"] == "Lev+5FU")
    died_in_five = (deaths["status"] == 1) & (deaths["time"] <= FIVE_YEARS_DAYS)
    np.testing.assert_array_equal(df["outcome"], died_in_five.astype(int))
    # everyone kept either died within 5 years or was followed for at least 5 years
    assert ((deaths["status"] == 1) | (deaths["time"] >= FIVE_YEARS_DAYS)).all()
    for column in ("sex", "age", "obstruct", "perfor", "adhere", "node4"):
        np.testing.assert_array_equal(df[column], deaths[column])
    known = deaths["differ"].notna()
    np.testing.assert_array_equal(df.loc[known, "differ_2"], deaths.loc[known, "differ"] == 2)
    np.testing.assert_array_equal(df.loc[known, "differ_3"], deaths.loc[known, "differ"] == 3)
    for level in (2, 3, 4):
        np.testing.assert_array_equal(df[f"extent_{level}"], deaths["extent"] == level)


def test_patient_flow(df):
    flow = colon_flow()
    assert flow["total"].tolist() == [929, 619, 607, 582]
    assert flow.loc["5-year outcome known", ["observation", "levamisole + 5-FU"]].tolist() == [309, 298]
    assert flow.loc["complete covariates (modelling)", "total"] == len(df.dropna())
    assert flow.loc["randomised", "levamisole alone"] == 310


def test_feature_table_describes_every_column():
    assert list(feature_table().index) == COLUMNS


def test_splits_are_complete_disjoint_stratified_and_deterministic(df):
    parts = colon_splits()
    X_train, y_train, X_val, y_val, X_test, y_test = parts
    assert (len(X_train), len(X_val), len(X_test)) == (348, 117, 117)
    ids = [set(X.index) for X in (X_train, X_val, X_test)]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    assert set.union(*ids) == set(df.dropna().index)
    for X, y in ((X_train, y_train), (X_val, y_val), (X_test, y_test)):
        assert list(X.index) == list(y.index) and "outcome" not in X.columns and not X.isna().any().any()
        assert abs(X["TRTMT"].mean() - 283 / 582) < 0.02 and abs(y.mean() - df.dropna()["outcome"].mean()) < 0.02
    again = colon_splits()
    for a, b in zip(parts, again):
        pd.testing.assert_index_equal(a.index, b.index)
    assert set(colon_splits(seed=5).X_test.index) != set(X_test.index)


def test_splits_need_the_outcome_and_treatment(df):
    with pytest.raises(ValueError, match="outcome"):
        colon_splits(df.drop(columns="outcome"))


def test_simulated_trial_is_deterministic_and_consistent():
    a, b = simulated_trial(500, seed=4), simulated_trial(500, seed=4)
    pd.testing.assert_frame_equal(a.data, b.data)
    pd.testing.assert_series_equal(a.true_arr, b.true_arr)
    assert not simulated_trial(500, seed=5).data.equals(a.data)
    assert list(a.data.columns) == COLUMNS and a.data.shape == (500, 14) and not a.data.isna().any().any()
    for series in (a.true_arr, a.risk_control, a.risk_treated, a.subgroup):
        assert series.index.equals(a.data.index)
    np.testing.assert_allclose(a.true_arr, a.risk_control - a.risk_treated)
    assert a.data["TRTMT"].dtype == bool and set(a.data["outcome"]) == {0, 1}


def test_simulated_trial_has_the_promised_effects():
    trial = simulated_trial(20000, seed=0)
    share = trial.subgroup.value_counts(normalize=True)
    assert set(share.index) == set(SUBGROUPS)
    assert 0.10 < share["harmed"] < 0.25 and 0.2 < share["helped a lot"] < 0.35 and share["helped a little"] > 0.5
    arr = trial.true_arr.groupby(trial.subgroup)
    assert arr.max()["harmed"] < 0 < arr.min()["helped a little"]
    assert arr.mean()["helped a lot"] > 3 * arr.mean()["helped a little"]
    logit_shift = np.log(trial.risk_treated / (1 - trial.risk_treated)) - np.log(
        trial.risk_control / (1 - trial.risk_control)
    )
    np.testing.assert_allclose(logit_shift, trial.subgroup.map(DELTA), atol=1e-9)
    # a fair coin assigns treatment, and outcomes follow the stated risks
    treated = trial.data["TRTMT"]
    assert abs(treated.mean() - 0.5) < 0.02
    expected = np.where(treated, trial.risk_treated, trial.risk_control)
    assert abs(trial.data["outcome"].mean() - expected.mean()) < 0.015
    # the case mix is close to the real trial's
    real = load_colon().dropna()
    for column in ("obstruct", "adhere", "node4", "differ_3", "extent_3"):
        assert abs(trial.data[column].mean() - real[column].mean()) < 0.04, column
    assert abs(trial.data["nodes"].mean() - real["nodes"].mean()) < 0.3


def test_simulated_trial_rejects_tiny_trials_and_non_integer_sizes():
    with pytest.raises(ValueError, match="at least 10"):
        simulated_trial(3, seed=0)
    for bad in (10.5, "100", True):
        with pytest.raises(TypeError, match="whole number"):
            simulated_trial(bad, seed=0)
    assert len(simulated_trial(np.int64(12), seed=0).data) == 12


def test_colon_splits_says_why_it_cannot_split(df):
    with pytest.raises(ValueError, match="0 of them complete"):
        colon_splits(df.assign(age=np.nan))
    with pytest.raises(TypeError, match="DataFrame"):
        colon_splits([1, 2, 3])


def test_treatment_effect_plots_return_figures():
    grid = np.linspace(0, 1, 11)
    deciles = pd.DataFrame({"risk": [0.2, 0.5], "arr": [0.05, 0.1], "low": [0.0, 0.0], "high": [0.1, 0.2]})
    assert isinstance(arr_by_risk(grid, grid * (1 - grid), deciles=deciles), Figure)
    assert isinstance(predicted_vs_true_arr(grid, {"a": grid, "b": grid[::-1]}, groups=grid > 0.5), Figure)
    assert isinstance(effect_intervals({"x": (0.5, 0.4, 0.6)}, reference=0.5), Figure)
    with pytest.raises(ValueError):
        arr_by_risk(grid, grid[:3])
    with pytest.raises(ValueError):
        predicted_vs_true_arr(grid, {})
    with pytest.raises(ValueError):
        arr_by_risk(grid, grid, deciles=pd.DataFrame({"risk": [0.1]}))
