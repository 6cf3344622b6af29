"""Benchmark the browser tests (tests/browser) and record them in docs/BENCHMARKS.md (section "Browser tests").

    AI4MED_FAST=1 flock /tmp/ai4med-bench.lock python benchmarks/bench_browser.py [--runs 3] [--no-write]

Budget (issue 14): the browser suite <= 4 min on the 2-core machine. Timed: `pytest tests/browser` as `make test`
runs it, i.e. with every week's executed learner copy already written by nbval's run of the masters earlier in the
same session. So first each stale copy is brought up to date (headless execution, not timed), then --runs runs of
the suite (wall clock, a fresh JupyterLab and Chromium each run). Also timed once: the lint gate (`make lint`'s two
ruff commands). Medians, with the load average before and after: the machine is shared, wrap the call in flock.
Not a unit test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import notebook_outputs  # noqa: E402
from bench_grading import REPO_ROOT, fmt, timed, write_section  # noqa: E402

from grader.course import weeks  # noqa: E402

HEADING = "## Browser tests"
BUDGET_S = 240.0
LINT_PATHS = ["helpers", "grader", "tests", "benchmarks", "conftest.py"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update docs/BENCHMARKS.md")
    args = parser.parse_args()
    if os.environ.get("AI4MED_FAST") != "1":
        parser.error("run in FAST mode, as make test does: AI4MED_FAST=1 python benchmarks/bench_browser.py")
    os.environ.update(TQDM_MININTERVAL="5", PYTHONPATH=str(REPO_ROOT))  # also the kernels' environment
    env = dict(os.environ)
    for week in weeks():
        if notebook_outputs.read_executed(week) is None:
            print(f"executing {week.name} headlessly (its executed copy is missing or stale)", flush=True)
            notebook_outputs.execute_week(week)
    load_before = os.getloadavg()[0]
    suite = [sys.executable, "-m", "pytest", "-q", "tests/browser"]
    times, summary = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = subprocess.run(suite, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise RuntimeError(f"the browser tests failed:\n{result.stdout[-5000:]}\n{result.stderr[-2000:]}")
        summary = re.findall(r"^\d+ passed.*$", result.stdout, re.M)
    median = statistics.median(times)
    ruff = str(Path(sys.executable).parent / "ruff")
    lint_median, lint_times = timed([ruff, "check", *LINT_PATHS], 1, ok_codes=(0, 1))
    format_median, format_times = timed([ruff, "format", "--check", *LINT_PATHS], 1, ok_codes=(0, 1))
    load_after = os.getloadavg()[0]
    body = f"""Measured by `benchmarks/bench_browser.py` (`flock /tmp/ai4med-bench.lock`), load average {load_before:.1f}
before, {load_after:.1f} after, browser: {chromium_version()}. Budget: the browser suite <= {BUDGET_S:.0f} s.

| what | wall clock |
|---|---|
| `pytest tests/browser` ({args.runs} runs; executed copies current, as in `make test`; last run: {summary[-1] if summary else "?"}) | {fmt(median, times)} |
| `ruff check` over {", ".join(LINT_PATHS)} (ruff's cache warm) | {fmt(lint_median, lint_times)} |
| `ruff format --check` over the same | {fmt(format_median, format_times)} |
"""
    print(body)
    if not args.no_write:
        write_section(body, HEADING)
    return 0 if median <= BUDGET_S else 1


def chromium_version() -> str:
    path = os.environ.get("AI4MED_CHROMIUM") or shutil.which("chromium")
    if path is None:
        return "not installed"
    return subprocess.run([path, "--version"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    raise SystemExit(main())
