"""Real survival data sets that ship inside installed packages (no download)."""

from __future__ import annotations

import pandas as pd

STAGE_NAMES = {1: "Stage III", 2: "Stage IV"}


def load_lymphoma() -> pd.DataFrame:
    """The lymphoma survival data shipped with lifelines (80 patients).

    Returns a DataFrame with columns:

    - ``Stage_group``: 1 = stage III, 2 = stage IV disease at diagnosis;
    - ``Time``: days from diagnosis to death or to the end of follow-up;
    - ``Event``: 1 if the death was observed, 0 if the patient was censored (lifelines calls this column ``Censor``,
      although 1 means the event *was* observed).
    """
    try:
        from lifelines.datasets import load_lymphoma as _load
    except ImportError as err:  # pragma: no cover - lifelines is pinned
        raise ImportError(
            "The lymphoma data ship with the 'lifelines' package, which is not installed in this environment. "
            "Run 'make setup' at the repository root (or 'pip install lifelines==0.30.3')."
        ) from err
    try:
        raw = _load()
    except (FileNotFoundError, OSError) as err:  # pragma: no cover - broken install
        raise FileNotFoundError(
            "lifelines is installed but its lymphoma.csv data file is missing; reinstall lifelines "
            "('make clean-env && make setup')."
        ) from err
    expected = {"Stage_group", "Time", "Censor"}
    if not expected <= set(raw.columns):
        raise ValueError(f"lifelines' lymphoma table has columns {list(raw.columns)}, expected {sorted(expected)}")
    df = raw.rename(columns={"Censor": "Event"})[["Stage_group", "Time", "Event"]]
    return df.astype({"Stage_group": int, "Time": int, "Event": int}).reset_index(drop=True)
