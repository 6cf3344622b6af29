"""The PBC loader: the classic 258 x 19 preparation, its codings, and leak-free deterministic splits."""

import numpy as np
import pandas as pd
import pytest

from helpers.data import pbc
from helpers.data.pbc import (
    BINARY,
    CATEGORICAL,
    COLUMNS,
    CONTINUOUS,
    DAYS_PER_YEAR,
    load_pbc,
    load_pbc_splits,
    split_pbc,
    standardize,
)


@pytest.fixture(scope="module")
def df():
    return load_pbc()


def test_shape_columns_and_counts(df):
    assert df.shape == (258, 19)
    assert list(df.columns) == COLUMNS
    assert set(COLUMNS) == {"time", "status", *BINARY, *CATEGORICAL, *CONTINUOUS}
    assert not df.isna().any().any()
    assert df["status"].sum() == 111  # deaths
    assert list(df.index) == list(range(258))


def test_codings(df):
    assert set(df["status"]) == {0, 1}
    for column in BINARY:
        assert set(df[column]) == {0, 1}, column
    assert sorted(df["edema"].unique()) == [0.0, 0.5, 1.0]
    assert sorted(df["stage"].unique()) == [1, 2, 3, 4]
    assert df["stage"].dtype.kind == "i"
    assert (df["sex"] == 0).sum() == 227  # women
    assert df["trt"].sum() == 127  # D-penicillamine (R code 1)


def test_time_in_years_matches_the_raw_days(df):
    raw = pbc._raw_pbc()
    kept = raw[(raw["status"] != 1)].dropna(subset=[c for c in COLUMNS if c != "status"])
    assert len(kept) == 258
    np.testing.assert_allclose(df["time"].to_numpy() * DAYS_PER_YEAR, kept["time"].to_numpy())
    np.testing.assert_array_equal(df["status"].to_numpy(), (kept["status"] == 2).to_numpy(dtype=int))
    assert 0 < df["time"].min() and df["time"].max() < 13


def test_splits_are_disjoint_complete_and_deterministic(df):
    train, valid, test = split_pbc(df)
    assert (len(train), len(valid), len(test)) == (154, 52, 52)
    labels = [set(part.index) for part in (train, valid, test)]
    assert not (labels[0] & labels[1] or labels[0] & labels[2] or labels[1] & labels[2])
    assert set.union(*labels) == set(df.index)
    again = split_pbc(df)
    for a, b in zip((train, valid, test), again):
        pd.testing.assert_frame_equal(a, b)
    other = split_pbc(df, seed=11)
    assert set(other[2].index) != set(test.index)


def test_standardize_uses_training_statistics_only(df):
    train, valid, test = split_pbc(df)
    train_s, valid_s, test_s = standardize(train, valid, test)
    np.testing.assert_allclose(train_s[CONTINUOUS].mean(), 0, atol=1e-12)
    np.testing.assert_allclose(train_s[CONTINUOUS].std(), 1, atol=1e-12)
    mean, sd = train[CONTINUOUS].mean(), train[CONTINUOUS].std()
    pd.testing.assert_frame_equal(test_s[CONTINUOUS], (test[CONTINUOUS] - mean) / sd)
    # changing the test patients' values must not change how anything else is scaled
    shifted = test.assign(bili=test["bili"] * 10)
    assert standardize(train, valid, shifted)[1].equals(valid_s)
    # untouched: non-continuous columns and the inputs themselves
    for raw, scaled in [(train, train_s), (test, test_s)]:
        other = [c for c in raw.columns if c not in CONTINUOUS]
        pd.testing.assert_frame_equal(raw[other], scaled[other])
    assert train["bili"].min() > 0  # the input frame was not scaled in place


def test_load_pbc_splits_is_split_then_standardize(df):
    expected = standardize(*split_pbc(df, seed=3))
    for a, b in zip(load_pbc_splits(seed=3), expected):
        pd.testing.assert_frame_equal(a, b)


def test_clear_errors(df):
    with pytest.raises(ValueError, match="fractions"):
        split_pbc(df, fractions=(0.5, 0.5, 0.5))
    with pytest.raises(ValueError, match="too few"):
        split_pbc(df.iloc[:2])
    with pytest.raises(KeyError, match="no column"):
        standardize(df.drop(columns=["bili"]))
    with pytest.raises(ValueError, match="constant"):
        standardize(df.assign(age=50.0))


def test_a_changed_source_table_is_reported(monkeypatch):
    raw = pbc._raw_pbc()
    monkeypatch.setattr(pbc, "_raw_pbc", lambda: raw.drop(columns=["copper"]))
    with pytest.raises(ValueError, match="copper"):
        load_pbc()
    monkeypatch.setattr(pbc, "_raw_pbc", lambda: raw.iloc[:300])
    with pytest.raises(ValueError, match="shape"):
        load_pbc()
