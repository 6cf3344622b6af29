"""Benchmark week C1W2's budgets and record them in docs/BENCHMARKS.md (section "C1W2 evaluation metrics").

    flock /tmp/ai4med-bench.lock python benchmarks/bench_c1w2.py [--runs 3] [--full-runs 1] [--full-cold] [--no-write]

Measures (wall clock, this machine; medians over --runs):
- the master in FAST mode from an **empty cache** (a fresh AI4MED_DATA: the phantom pictures are drawn and the
  reference CNN is trained inside the run; budget 120 s), and again with the cache in place;
- with --full-runs N, the master in full mode with the reference model cached under data/ (the first run builds it if
  it is missing, which the table says); with --full-cold, once more from an empty cache (budget 10 min);
- ``python -m grader test-impl C1W2 <exercise>`` on the reference solutions (budget 5 s each) and
  ``python -m grader mistakes C1W2``;
- in full mode, if the reference model is cached: each finding's test AUC with its 90 % stratified bootstrap interval
  (1,000 resamples of the reference ``bootstrap_auc``).
Not a unit test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_grading import execute_cmd, fmt, test_impl_cmd, timed, write_section  # noqa: E402

from grader.cli import mistakes_of  # noqa: E402
from grader.course import get_week  # noqa: E402

HEADING = "## C1W2 evaluation metrics"
WEEK = get_week("C1W2")

AUC_TABLE = r"""
import json
import numpy as np
from helpers.data.cxr import FINDINGS
from helpers.models import cxr_reference_folder
from helpers.solutions.c1w2 import bootstrap_auc
from sklearn.metrics import roc_auc_score
import pandas as pd

folder = cxr_reference_folder()
if not (folder / "predictions_test.csv").is_file():
    print(json.dumps(None))
else:
    test = pd.read_csv(folder / "predictions_test.csv")
    rows = []
    for f in FINDINGS:
        y, p = test[f].to_numpy(), test[f + "_pred"].to_numpy()
        n_pos = int(y.sum())
        auc = float(roc_auc_score(y, p)) if 0 < n_pos < len(y) else None
        lo = hi = None
        if n_pos >= 2:
            lo, hi = (float(v) for v in np.percentile(bootstrap_auc(y, p, 1000, 0), [5, 95]))
        rows.append([f, n_pos, auc, lo, hi])
    print(json.dumps(rows))
"""


def env_with(data_dir: Path | None = None, fast: bool = True) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "AI4MED_FAST"}
    env.update(PYTHONPATH=str(REPO_ROOT), TF_CPP_MIN_LOG_LEVEL="2", TQDM_MININTERVAL="5")
    if fast:
        env["AI4MED_FAST"] = "1"
    if data_dir is not None:
        env["AI4MED_DATA"] = str(data_dir)
    return env


def execute_master(out_dir: Path) -> list[str]:
    return execute_cmd(WEEK.master, out_dir, timeout=900)


def cold_runs(work: Path, runs: int, fast: bool) -> tuple[float, list[float], Path]:
    """Run the master ``runs`` times, each time from a new, empty data folder; returns the last folder."""
    times, data = [], work
    for i in range(runs):
        data = Path(tempfile.mkdtemp(prefix=f"data-{'fast' if fast else 'full'}-{i}-", dir=work))
        times.append(timed(execute_master(work), 1, env=env_with(data, fast))[0])
    return sorted(times)[len(times) // 2], times, data


def auc_rows() -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", AUC_TABLE],
        cwd=REPO_ROOT,
        env=env_with(fast=False),
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    if rows is None:
        return ["Full-mode reference model not cached under data/: AUC table not measured."]
    lines = [
        "Reference CNN (full mode), test split: AUC and 90 % stratified bootstrap interval (1,000 resamples, "
        "seed 0; not computed below 2 positives).",
        "",
        "| finding | test positives | AUC | 90 % interval |",
        "|---|---|---|---|",
    ]
    for finding, n_pos, auc, lo, hi in rows:
        interval = f"{lo:.3f} – {hi:.3f}" if lo is not None else "—"
        auc_text = f"{auc:.3f}" if auc is not None else "—"
        lines.append(f"| {finding}{'' if n_pos >= 20 else ' (< 20 positives)'} | {n_pos} | {auc_text} | {interval} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--full-runs", type=int, default=0, help="time the master in full mode (0: skip)")
    parser.add_argument("--full-cold", action="store_true", help="also one full-mode run from an empty cache")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update docs/BENCHMARKS.md")
    args = parser.parse_args()
    py = sys.executable
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="ai4med-bench-c1w2-"))
    rows = []

    median, times, data = cold_runs(work, args.runs, fast=True)
    rows.append(
        ("master, FAST mode, **empty cache** (draws 400 phantoms, trains the CNN; budget 120 s)", fmt(median, times))
    )
    rows.append(
        (
            "master, FAST mode, reference model cached",
            fmt(*timed(execute_master(work), args.runs, env=env_with(data, fast=True))),
        )
    )
    if args.full_runs:
        rows.append(
            (
                "master, full mode, reference model cached under data/ (built first if missing)",
                fmt(*timed(execute_master(work), args.full_runs, env=env_with(fast=False))),
            )
        )
    if args.full_cold:
        median, times, _ = cold_runs(work, 1, fast=False)
        rows.append(
            (
                "master, full mode, **empty cache** (draws 3,000 phantoms, trains the CNN; budget 10 min)",
                fmt(median, times),
            )
        )
    for ex in WEEK.exercises:
        rows.append(
            (
                f"test-impl C1W2 {ex.name} (reference, accepted; budget 5 s)",
                fmt(*timed(test_impl_cmd(WEEK, ex.name), args.runs, env=env_with())),
            )
        )
    n_mistakes = sum(len(fns) for fns in mistakes_of(WEEK).values())
    rows.append(
        (
            f"mistakes C1W2 ({n_mistakes} wrong answers, public and hidden stages)",
            fmt(*timed([py, "-m", "grader", "mistakes", "C1W2"], 1, env=env_with())),
        )
    )

    body = (
        f"`flock /tmp/ai4med-bench.lock python benchmarks/bench_c1w2.py --runs {args.runs}"
        f"{f' --full-runs {args.full_runs}' if args.full_runs else ''}{' --full-cold' if args.full_cold else ''}`"
        f" — measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores shared with other jobs, load average "
        f"{load_before:.1f} before and {os.getloadavg()[0]:.1f} after (medians; the lead re-measures on a quiet "
        "machine).\n\n| what | median wall time |\n|---|---|\n"
        + "\n".join(f"| {what} | {value} |" for what, value in rows)
        + "\n\n"
        + "\n".join(auc_rows())
    )
    shutil.rmtree(work, ignore_errors=True)  # executed notebooks and the throw-away data folders
    print(body)
    if not args.no_write:
        write_section(body, HEADING)
        print(f"\nwritten to docs/BENCHMARKS.md ({HEADING})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
