"""Test-wide set-up: no network (in this process and every child process), quiet logs, FAST-mode notebooks; masters
executed by nbval must be clean (no error, no standard error, every figure drawn) and leave an executed learner copy
for the browser tests, which run last."""

import os
import sys
from pathlib import Path

import pytest

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


def _kernel_env_without_pytest(finalize):
    """ipykernel captures a kernel's native (file-descriptor) output in cell outputs only when ``PYTEST_CURRENT_TEST``
    is not in the kernel's environment; every kernel started under pytest would inherit it, and TensorFlow's C++ log
    lines would never reach a cell, so the "no standard error" checks could not fail. Kernels started by these tests
    get the environment a learner's kernel gets."""

    def _finalize_env(self, env):
        env.pop("PYTEST_CURRENT_TEST", None)
        return finalize(self, env)

    return _finalize_env


from jupyter_client.provisioning.provisioner_base import KernelProvisionerBase  # noqa: E402

KernelProvisionerBase._finalize_env = _kernel_env_without_pytest(KernelProvisionerBase._finalize_env)

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import notebook_outputs  # noqa: E402

BROWSER_DIR = ROOT / "tests" / "browser"
_last_cell: dict = {}  # nbval notebook (collector) -> its last collected cell
_ran: dict = {}  # nbval notebook -> {code-cell number: outputs}
_failed: dict = {}  # nbval notebook -> [code-cell numbers that failed]


def _is_nbval_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell"


def pytest_collection_modifyitems(session, config, items):
    """Browser tests last (they open the executed copies nbval writes); remember each master's last cell."""
    browser = {item for item in items if BROWSER_DIR in Path(str(item.fspath)).parents}
    items[:] = [item for item in items if item not in browser] + [item for item in items if item in browser]
    for item in items:
        if _is_nbval_cell(item):
            _last_cell[item.parent] = item


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if not _is_nbval_cell(item):
        return (yield)
    notebook, number, raised = item.parent, item.cell_num, False
    try:
        return_value = yield
    except pytest.skip.Exception:
        raise
    except BaseException:
        raised = True
        raise
    finally:
        outputs = [dict(out) for out in (item.test_outputs or [])]
        found = notebook_outputs.problems(outputs)
        if raised or found:
            _failed.setdefault(notebook, []).append(number)
        _ran.setdefault(notebook, {})[number] = outputs
        if item is _last_cell.get(notebook):
            _write_executed(notebook)
    if found:
        pytest.fail(
            f"cell {number} of {Path(str(notebook.fspath)).name} is not clean for a learner:\n  " + "\n  ".join(found),
            pytrace=False,
        )
    return return_value


def _write_executed(notebook) -> None:
    """Write the executed learner copy once every cell of the master has run in this session."""
    from grader.course import weeks

    path = Path(str(notebook.fspath)).resolve()
    week = next((w for w in weeks() if w.master.resolve() == path), None)
    ran = _ran.get(notebook, {})
    if week is not None and len(ran) == _last_cell[notebook].cell_num + 1:
        notebook_outputs.write_executed(week, ran, sorted(set(_failed.get(notebook, []))))
