"""Test-wide set-up: no network (in this process and every child process), quiet logs, FAST-mode notebooks."""
import os
import sys
from pathlib import Path

NETBLOCK = Path(__file__).resolve().parent / "tests" / "netblock"

# Children (Jupyter kernels run by nbval and nbgrader, CLI subprocesses) load tests/netblock/sitecustomize.py.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NETBLOCK), os.environ.get("PYTHONPATH")]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(NETBLOCK))
import sitecustomize as _netblock  # noqa: E402  (the same module the children load)

_netblock.install()
