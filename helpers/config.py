"""Course-wide settings: the FAST switch, seeding and the data directory.

This module is the only place that reads ``AI4MED_FAST`` and ``AI4MED_DATA``. Everything else asks it.

- ``AI4MED_FAST=1`` is the smoke switch used by CI: it shrinks epochs, sample counts and image sizes.
  Notebook logic is identical in both modes.
- ``AI4MED_DATA`` is where generated data are cached (default: ``data/`` at the repository root).
"""
from __future__ import annotations

import logging
import os
import platform
import random
import sys
import warnings
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
FAST: bool = os.environ.get("AI4MED_FAST", "0").strip().lower() in _TRUE
"""True when ``AI4MED_FAST`` is set to 1/true/yes/on."""

DATA_DIR: Path = Path(os.environ.get("AI4MED_DATA") or REPO_ROOT / "data").resolve()
"""Root of the data cache; generated data go under ``DATA_DIR / "generated"``."""

DEFAULT_SEED = 0


def generated_dir(*parts: str) -> Path:
    """Return (and create) a folder for generated data under ``DATA_DIR/generated``."""
    path = DATA_DIR.joinpath("generated", *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def fast_or_full(fast_value, full_value):
    """Pick the FAST-mode value or the full value of a setting (epochs, sample counts, sizes)."""
    return fast_value if FAST else full_value


def seed_everything(seed: int = DEFAULT_SEED) -> int:
    """Seed Python, NumPy and, if already imported, TensorFlow/Keras and PyTorch.

    Frameworks are never imported here (importing TensorFlow costs seconds); seed after importing them.
    Returns the seed so it can be passed on as ``random_state``.
    """
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    import numpy as np

    np.random.seed(seed)
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)  # seeds Python, NumPy and the backend
    elif "tensorflow" in sys.modules:
        sys.modules["tensorflow"].random.set_seed(seed)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)
    return seed


def _quiet() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TQDM_MININTERVAL", "5" if os.environ.get("CI") else "0.5")
    for name in ("tensorflow", "absl", "h5py", "matplotlib", "PIL", "numexpr", "transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)


def setup_notebook(seed: int = DEFAULT_SEED, packages: tuple[str, ...] = ()) -> None:
    """Prepare a notebook: seed everything, quiet the logs, set plot defaults, print versions and mode.

    ``packages`` names extra packages whose versions to print (they must already be imported or importable).
    """
    _quiet()
    try:
        import matplotlib.pyplot as plt

        plt.rcParams.update({"figure.dpi": 100, "figure.figsize": (7, 4.5), "axes.grid": True, "grid.alpha": 0.3})
    except ImportError:  # pragma: no cover - matplotlib is pinned in requirements
        pass
    seed_everything(seed)
    import importlib

    import numpy as np
    import pandas as pd

    versions = {"python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__}
    for name in packages:
        try:
            versions[name] = importlib.import_module(name).__version__
        except (ImportError, AttributeError):
            versions[name] = "not installed"
    print(" | ".join(f"{k} {v}" for k, v in versions.items()))
    mode = "FAST (smoke-test sizes, AI4MED_FAST=1)" if FAST else "full"
    print(f"mode: {mode} | seed: {seed} | data: {DATA_DIR}")
