"""Test-wide set-up: no network (in this process and every child process), quiet logs, FAST-mode notebooks."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NETBLOCK = ROOT / "tests" / "netblock"

# Children (Jupyter kernels run by nbval and nbgrader, CLI subprocesses) load tests/netblock/sitecustomize.py, and
# import helpers/grader from this checkout (not from wherever the environment's editable install points).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NETBLOCK), str(ROOT), os.environ.get("PYTHONPATH")]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(NETBLOCK))
import sitecustomize as _netblock  # noqa: E402  (the same module the children load)

_netblock.install()
