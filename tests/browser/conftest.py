"""The browser tests' fixtures: one JupyterLab for the whole run, started by `make lab` on a scratch copy of the
course, and Debian's chromium driven by Playwright (pytest-playwright).

No Chromium on a learner's machine: the tests skip with one line saying how to install it. On CI (``CI`` set) a
missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from notebook_outputs import ARTIFACTS, ROOT

SHOTS = ARTIFACTS / "browser"
# Flags that keep Chromium off the network (it tries Google's services at start-up) and work as root in a container;
# Playwright gives every browser a fresh, empty profile of its own.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "no Chromium found for the browser tests: install it (Debian/Ubuntu: `sudo apt-get install chromium`) "
    "or set AI4MED_CHROMIUM=/path/to/chrome"
)


def find_chromium() -> str | None:
    """The Chromium or Chrome binary to drive: ``AI4MED_CHROMIUM``, else the first one on the PATH."""
    if os.environ.get("AI4MED_CHROMIUM"):
        return os.environ["AI4MED_CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    found = find_chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but {INSTALL_HINT}", pytrace=False)
        pytest.skip(INSTALL_HINT)
    return found


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path):
    """pytest-playwright's launch options plus the system browser (Playwright's own download does not work
    offline) and the flags above. ``--headed`` still works when there is a display."""
    return {**browser_type_launch_args, "executable_path": chromium_path, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900}}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A running JupyterLab: its address, token, served folder and log."""

    def __init__(self, root: Path, port: int, token: str, log: Path):
        self.root, self.port, self.token, self.log = root, port, token, log
        self.url = f"http://127.0.0.1:{port}"

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"{self.url}/api/{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        import json

        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start_lab(
    target: str, base: Path, make_vars: tuple[str, ...] = (), log_name: str | None = None, lab_args: str = ""
) -> tuple[Lab, subprocess.Popen]:
    """Start JupyterLab exactly as a learner or instructor does — `make lab` / `make lab-instructor` — with extra
    arguments for a free port, a token and no browser of its own (plus ``lab_args``). The lab's workspace, settings
    and runtime files go to scratch folders under ``base``; its output to test-artifacts/browser/<log_name or
    target>.log."""
    port, token = _free_port(), secrets.token_hex(16)
    log = SHOTS / f"{log_name or target}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {  # without PYTEST_CURRENT_TEST: the lab's kernels must show native stderr as a learner's do
        **{name: value for name, value in os.environ.items() if name != "PYTEST_CURRENT_TEST"},
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
    }
    args = f"--port {port} --ServerApp.port_retries=0 --no-browser --IdentityProvider.token={token} {lab_args}".strip()
    # -o setup: the environment is the one running these tests; never reinstall it from inside a test
    with open(log, "w") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "-o", "setup", target, *make_vars, f"ARGS={args}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Lab(base, port, token, log)
    deadline = time.monotonic() + 120
    while True:
        try:
            server.api("status")
            return server, process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                _stop(process)
                raise RuntimeError(
                    f"`make {target}` did not start a lab (see {log}):\n{server.log_text()[-3000:]}"
                ) from None
            time.sleep(0.5)


@pytest.fixture(scope="session")
def lab(chromium_path, tmp_path_factory):
    """The learner's lab (`make lab`) on a scratch copy of notebooks/: the tests type into notebooks, and the
    course's own files stay untouched."""
    base = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", base / "course")
    server, process = start_lab("lab", base, (f"LAB_DIR={base / 'course'}",))
    server.root = base / "course"
    yield server
    _stop(process)


@pytest.fixture
def lab_factory(chromium_path, tmp_path):
    """``lab_factory(target, lab_args="")`` starts another lab for one test: ``"lab-instructor"``, or ``"lab"`` on
    the course's own notebooks/ (for a test that only looks); ``lab_args`` go to JupyterLab after the fixture's own."""
    started = []

    def start(target: str, lab_args: str = "") -> Lab:
        server, process = start_lab(target, tmp_path / target, log_name=f"{target}-{tmp_path.name}", lab_args=lab_args)
        started.append(process)
        return server

    yield start
    for process in started:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Stop `make lab` and the server and kernels it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def shots(request):
    """``shot(page, name)`` saves a numbered screenshot under test-artifacts/browser/<test>/."""
    folder = SHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    counter = iter(range(1, 100))

    def shot(page, name: str, **kwargs) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), **kwargs)
        return path

    return shot


@pytest.fixture
def learner(lab, page, shots):
    """A learner's browser tab on the lab; their kernels are shut down afterwards."""
    from jupyterlab_page import LabPage

    yield LabPage(lab, page, shots)
    lab.shut_down_kernels()


@pytest.fixture(scope="session")
def scratch(lab) -> Path:
    """A folder inside the served course for the notebooks the tests add (solved copies, executed copies)."""
    folder = lab.root / "browser-tests"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def executed_copy():
    """``executed_copy(week)``: the current executed learner copy of a week (written by nbval earlier in this run or
    an earlier one; executed now, headlessly, when missing or stale)."""
    import notebook_outputs

    def get(week) -> Path:
        if notebook_outputs.read_executed(week) is None:
            notebook_outputs.execute_week(week)
        return notebook_outputs.EXECUTED_DIR / f"{week.name}.ipynb"

    return get


@pytest.fixture(scope="session")
def solved_copy(scratch):
    """``solved_copy(week)``: the week's learner notebook with the reference solutions filled in, inside the lab;
    returns its path relative to the lab root."""
    import nbformat
    import notebook_outputs

    def make(week) -> str:
        folder = scratch / "solved"
        folder.mkdir(exist_ok=True)
        nbformat.write(notebook_outputs.learner_copy(week), folder / week.learner.name)
        return f"{scratch.name}/solved/{week.learner.name}"

    return make
