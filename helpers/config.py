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
import re
import sys
import threading
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
    _quiet_loggers()
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)


def _quiet_loggers() -> None:
    """Raise library loggers to ERROR (again after an import: TensorFlow resets its own logger when imported)."""
    for name in ("tensorflow", "absl", "h5py", "matplotlib", "PIL", "numexpr", "transformers", "keras"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if "absl.logging" in sys.modules:
        sys.modules["absl.logging"].set_verbosity("error")


# TensorFlow's C++ start-up lines ("I0000 00:00:17... port.cc:153] oneDNN custom operations are on ...") are written
# before its logging is configured, so TF_CPP_MIN_LOG_LEVEL does not silence them, and Jupyter shows them in cells.
_NATIVE_LOG_LINE = re.compile(
    rb"^(?:[IWE]\d{4} \d\d:\d\d:\d\d[.\d]*\s+\d+ \S+:\d+\] |"
    rb"WARNING: All log messages before absl::InitializeLog\(\) is called|"
    rb"To enable the following instructions: .*rebuild TensorFlow)"
)
_native_filter_installed = False


def quiet_native_logs() -> None:
    """Drop TensorFlow's native (C++) informational log lines from this process's standard error.

    Standard error (file descriptor 2) is replaced by a pipe; a background thread forwards every line except
    TensorFlow's native log lines (informational lines, and warnings/errors about CUDA and graph attributes that do
    not concern a CPU learner) to the original destination. Python warnings and tracebacks are unaffected. Call it
    before importing TensorFlow or Keras; calling it again does nothing.
    """
    global _native_filter_installed
    if _native_filter_installed or not hasattr(os, "pipe"):
        return
    _native_filter_installed = True
    original = os.dup(2)
    read_end, write_end = os.pipe()
    os.dup2(write_end, 2)
    os.close(write_end)

    def forward() -> None:
        pending = b""
        try:
            while chunk := os.read(read_end, 65536):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                kept = [line + b"\n" for line in lines if not _NATIVE_LOG_LINE.match(line)]
                if kept:
                    os.write(original, b"".join(kept))
        finally:  # never leave fd 2 pointing at a pipe nobody reads
            os.dup2(original, 2)
            if pending:
                os.write(original, pending)

    threading.Thread(target=forward, name="ai4med-native-log-filter", daemon=True).start()


def setup_notebook(seed: int = DEFAULT_SEED, packages: tuple[str, ...] = ()) -> None:
    """Prepare a notebook: quiet the logs, set plot defaults, import and seed everything, print versions and mode.

    ``packages`` names extra packages whose versions to print; they are imported here, after the logs are quieted,
    so a notebook that uses TensorFlow calls ``setup_notebook(packages=("keras", "tensorflow"))`` before its other
    imports and shows no start-up log lines. TensorFlow's native log lines are filtered from standard error in every
    notebook (:func:`quiet_native_logs`), also when a helper imports TensorFlow later.
    """
    _quiet()
    # always, not only when the notebook imports TensorFlow itself: a helper may import it later (C1W2 trains or
    # loads the reference CNN on first use), and its native start-up lines would then land in that cell
    quiet_native_logs()
    try:
        import matplotlib.pyplot as plt

        plt.rcParams.update({"figure.dpi": 100, "figure.figsize": (7, 4.5), "axes.grid": True, "grid.alpha": 0.3})
    except ImportError:  # pragma: no cover - matplotlib is pinned in requirements
        pass
    import importlib

    import numpy as np
    import pandas as pd

    versions = {"python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__}
    for name in packages:
        try:
            versions[name] = importlib.import_module(name).__version__
        except (ImportError, AttributeError):
            versions[name] = "not installed"
    _quiet_loggers()
    seed_everything(seed)
    print(" | ".join(f"{k} {v}" for k, v in versions.items()))
    mode = "FAST (smoke-test sizes, AI4MED_FAST=1)" if FAST else "full"
    print(f"mode: {mode} | seed: {seed} | data: {DATA_DIR}")
