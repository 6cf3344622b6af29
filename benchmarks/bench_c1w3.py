"""Benchmark the C1W3 budgets: the master notebook in FAST mode (from an empty data cache and from a warm one), in
full mode, and ``python -m grader test-impl`` on every exercise.

    flock /tmp/ai4med-bench.lock .venv/bin/python benchmarks/bench_c1w3.py [--runs 3] [--full-runs 1] [--no-test-impl]

Budgets (issue 10): master FAST <= 150 s including phantom generation from an empty cache; full <= 10 min with
<= 6 min of training and whole-tumour Dice >= 0.80 (mean over the held-out cases, printed by the notebook);
test-impl <= 5 s per exercise (<= 10 s where TensorFlow is imported). "Empty cache" runs the notebook with
``AI4MED_DATA`` pointing to a new temporary folder, so the MNI template is resampled and every phantom generated.
Prints medians and every run; not a unit test (numbers depend on the machine and its load).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_grading import execute_cmd, test_impl_cmd, timed  # noqa: E402

from grader.course import get_week  # noqa: E402


def execute(master: Path, env: dict, out_dir: Path) -> tuple[float, str]:
    """Run the notebook with nbconvert; return the wall time and the text the notebook printed."""
    start = time.perf_counter()
    cmd = execute_cmd(master, out_dir, timeout=900)
    result = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise RuntimeError(f"the notebook failed:\n{result.stderr[-3000:]}")
    nb = json.loads((out_dir / master.name).read_text())
    text = "\n".join(
        "".join(o.get("text", ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    # the per-region table the notebook displays (the cell that prints the whole-tumour Dice)
    for cell in nb["cells"]:
        if "whole-tumour Dice, mean over" in "".join(cell.get("source", "")):
            for o in cell.get("outputs", []):
                if o.get("output_type") == "execute_result":
                    text += "\nREGION TABLE\n" + "".join(o["data"].get("text/plain", ""))
    return seconds, text


def summary(what: str, times: list[float]) -> str:
    if not times:
        return f"{what}: not run"
    return f"{what}: median {statistics.median(times):.1f} s (runs: {', '.join(f'{t:.1f}' for t in times)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="FAST-mode runs per cache state and test-impl runs")
    parser.add_argument("--full-runs", type=int, default=1)
    parser.add_argument("--no-test-impl", action="store_true")
    args = parser.parse_args()
    week = get_week("C1W3")
    base = dict(
        os.environ,
        TF_CPP_MIN_LOG_LEVEL="2",
        TQDM_MININTERVAL="5",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    )
    fast = dict(base, AI4MED_FAST="1")
    full = {k: v for k, v in base.items() if k != "AI4MED_FAST"}
    out = Path(tempfile.mkdtemp(prefix="ai4med-bench-c1w3-"))
    lines = [f"load average before: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)"]
    try:
        cold = []
        for _ in range(args.runs):
            data = Path(tempfile.mkdtemp(prefix="ai4med-empty-cache-"))
            try:
                cold.append(execute(week.master, dict(fast, AI4MED_DATA=str(data)), out)[0])
            finally:
                shutil.rmtree(data, ignore_errors=True)
        lines.append(summary("master FAST, empty data cache", cold))
        warm = [execute(week.master, fast, out)[0] for _ in range(args.runs)]
        lines.append(summary("master FAST, warm data cache", warm))
        for _ in range(args.full_runs):
            seconds, text = execute(week.master, full, out)
            trained = re.search(r"trained \d+ steps in \d+ s.*", text)
            dice = re.search(r"whole-tumour Dice, mean over \d+ held-out cases: ([0-9.]+)", text)
            lines.append(
                f"master full mode: {seconds:.1f} s; {trained.group(0) if trained else '?'}; "
                f"whole-tumour Dice {dice.group(1) if dice else '?'}"
            )
            if "REGION TABLE" in text:
                lines.append(
                    "per region over the held-out cases (mean, std):\n```\n"
                    + text.split("REGION TABLE\n", 1)[1].strip()
                    + "\n```"
                )
        if not args.no_test_impl:
            for ex in week.exercises:
                _, times = timed(test_impl_cmd(week, ex.name), args.runs, env=base)
                lines.append(summary(f"test-impl C1W3 {ex.name} (reference)", times))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    lines.append(f"load average after: {os.getloadavg()[0]:.1f}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
