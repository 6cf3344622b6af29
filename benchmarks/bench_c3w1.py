"""Benchmark week C3W1's budgets and record them in docs/BENCHMARKS.md (section "C3W1 timings").

    python benchmarks/bench_c3w1.py [--runs 3] [--full-runs 1] [--no-write]

Budgets (issue 11): master in FAST mode <= 90 s and in full mode <= 5 min (nbconvert --execute, kernel start
included); `python -m grader test-impl` <= 5 s per exercise (the generated reference module as the implementation);
also timed: `check` on a solved copy of the learner notebook and `mistakes C3W1`. Medians of --runs runs, wall clock,
with the load average before and after (the machine is shared: wrap the call in `flock /tmp/ai4med-bench.lock`).
The section also quotes the main results printed by the last executed master (full mode when --full-runs > 0).
Not a unit test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_grading import DOC, REPO_ROOT, execute_cmd, fmt, test_impl_cmd, timed, verdict, write_section  # noqa: E402

from grader.course import get_week  # noqa: E402
from grader.notebook import fill_solutions, master_sources  # noqa: E402

HEADING = "## C3W1 timings"
BUDGETS = {"fast": 90.0, "full": 300.0, "test-impl": 5.0}
RESULTS = {  # what the notebook prints, found by a line of the cell that prints it
    "Real trial: C-for-benefit with bootstrap intervals": "def bootstrap_c_for_benefit(",
    "Simulated trial (test set): predicted versus true ARR": "sim_predictions = {",
    "C-for-benefit on fresh simulated trials": "n_trials = fast_or_full(",
    "Meta-learners on the simulated test set (EconML)": "meta_learners = {",
}


def printed_results(executed: Path) -> str:
    """The text outputs (tables and printed lines) of the cells named in RESULTS, as Markdown code blocks."""
    cells = nbformat.read(executed, as_version=4).cells
    blocks = []
    for title, anchor in RESULTS.items():
        cell = next(c for c in cells if c.cell_type == "code" and anchor in c.source)
        texts = [
            o.get("text", "") if o.output_type == "stream" else o.get("data", {}).get("text/plain", "")
            for o in cell.outputs
            if o.output_type in ("stream", "execute_result")
        ]
        text = "\n".join(t.strip("\n") for t in texts if t and "it/s" not in t and "%|" not in t)
        blocks.append(f"{title}:\n\n```\n{text}\n```")
    return "\n\n".join(blocks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--full-runs", type=int, default=1, help="full-mode runs of the master (0: skip)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update docs/BENCHMARKS.md")
    args = parser.parse_args()
    py, week = sys.executable, get_week("C3W1")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    fast_env = {**env, "AI4MED_FAST": "1"}
    full_env = {k: v for k, v in env.items() if k != "AI4MED_FAST"}
    work = Path(tempfile.mkdtemp(prefix="ai4med-bench-c3w1-"))
    load_before = os.getloadavg()[0]
    rows = []

    def row(what: str, budget: float | None, median: float, times: list[float]) -> None:
        rows.append((what, fmt(median, times), verdict(median, budget)))

    execute = execute_cmd(week.master, work, timeout=900)
    row(
        "master, FAST mode, nbconvert --execute (incl. kernel start)",
        BUDGETS["fast"],
        *timed(execute, args.runs, env=fast_env),
    )
    if args.full_runs:
        row("master, full mode", BUDGETS["full"], *timed(execute, args.full_runs, env=full_env))
    for ex in week.exercises:
        cmd = test_impl_cmd(week, ex.name)
        row(f"test-impl {ex.name} (reference, accepted)", BUDGETS["test-impl"], *timed(cmd, args.runs, env=env))
    solved = work / f"solved_{week.notebook_name}"
    nbformat.write(
        fill_solutions(nbformat.read(week.learner, as_version=4), master_sources(week.read_master())), solved
    )
    row(
        "check: fully solved copy of the learner notebook",
        None,
        *timed([py, "-m", "grader", "check", str(solved)], args.runs, env=env),
    )
    row(
        "mistakes C3W1 (whole corpus of the week)",
        None,
        *timed([py, "-m", "grader", "mistakes", week.name], max(1, args.runs // 2), env=env),
    )

    mode = "full" if args.full_runs else "FAST"
    body = (
        f"`python benchmarks/bench_c3w1.py --runs {args.runs} --full-runs {args.full_runs}` — medians, wall "
        f"clock; measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, load average "
        f"{load_before:.1f} before and {os.getloadavg()[0]:.1f} after.\n\n| what | median wall time | budget |\n"
        "|---|---|---|\n"
        + "\n".join(f"| {what} | {value} | {budget} |" for what, value, budget in rows)
        + f"\n\nWhat the master printed in its last run ({mode} mode):\n\n"
        + printed_results(work / week.master.name)
    )
    print(body)
    if not args.no_write:
        write_section(body, HEADING)
        print(f"\nwritten to {DOC.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
