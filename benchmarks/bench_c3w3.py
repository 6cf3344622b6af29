"""Benchmark week C3W3's budgets and record them in docs/BENCHMARKS.md (section "C3W3 timings").

    flock /tmp/ai4med-bench.lock python benchmarks/bench_c3w3.py [--runs 3] [--empty-runs 3] [--full-runs 1]
        [--no-write]

Budgets (issue 13): master in FAST mode <= 120 s (the reference CNN read from its cache when present; from an empty
cache, drawing the phantoms and training the CNN count) and in full mode <= 10 min (nbconvert --execute, kernel
start included); `python -m grader test-impl` <= 10 s per exercise (TensorFlow is imported by the public tests'
Grad-CAM harness; <= 5 s for the others). Also timed: `check` on a solved copy of the learner notebook and
`mistakes C3W3`. Medians of the runs, wall clock, with the load average before and after (the machine is shared).
The FAST empty-cache runs use a fresh temporary AI4MED_DATA each. The full-mode run uses the cache of this
checkout (build it first: `python -c "from helpers.models import cxr_reference_model; cxr_reference_model()"`).
Not a unit test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import ast
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_grading import DOC, REPO_ROOT, execute_cmd, fmt, test_impl_cmd, timed, verdict, write_section  # noqa: E402

from grader.course import get_week  # noqa: E402
from grader.notebook import (  # noqa: E402
    bound_names,
    fill_solutions,
    graded_cells,
    master_sources,
    setup_imports,
    strip_markers,
    used_names,
)

HEADING = "## C3W3 timings"
BUDGETS = {"fast": 120.0, "full": 600.0, "test-impl": 5.0, "test-impl-tf": 10.0}
USES_TENSORFLOW = {"grad_cam"}


def implementation_file(week, name: str, folder: Path) -> Path:
    """A .py file with exercise ``name``'s reference cell, the graded cells it calls, and only the setup imports
    they use: what autograde loads for that exercise (the generated reference module imports TensorFlow for every
    exercise because grad_cam needs it)."""
    nb = week.read_master()
    cells = {c.name: strip_markers(c.source) for c in graded_cells(nb)}
    chosen = [name] + [other for other in cells if other != name and other in used_names(cells[name])]
    used = set().union(*(used_names(cells[c]) for c in chosen))
    imports = [ast.unparse(node) for node in setup_imports(nb) if bound_names(node) & used]
    path = folder / f"{name}_only.py"
    path.write_text("\n".join(imports) + "\n\n\n" + "\n\n".join(cells[c] for c in reversed(chosen)))
    return path


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--empty-runs", type=int, default=3, help="FAST runs of the master from an empty cache")
    parser.add_argument("--full-runs", type=int, default=1, help="full-mode runs of the master (0: skip)")
    parser.add_argument("--skip-master", action="store_true", help="time only test-impl, check and mistakes")
    parser.add_argument("--skip-mistakes", action="store_true", help="do not time `mistakes C3W3`")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update docs/BENCHMARKS.md")
    args = parser.parse_args()
    py, week = sys.executable, get_week("C3W3")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TQDM_MININTERVAL": "5"}
    fast_env = {**env, "AI4MED_FAST": "1"}
    full_env = {k: v for k, v in env.items() if k != "AI4MED_FAST"}
    work = Path(tempfile.mkdtemp(prefix="ai4med-bench-c3w3-"))
    load_before = os.getloadavg()[0]
    rows = []

    def row(what: str, budget: float | None, median: float, times: list[float]) -> None:
        cpu = (cpu_seconds() - clock[0]) / len(times)
        clock[0] = cpu_seconds()
        rows.append((what, fmt(median, times), f"{cpu:.1f} s", verdict(median, budget)))
        print(" | ".join(rows[-1]), flush=True)

    clock = [cpu_seconds()]

    execute = execute_cmd(week.master, work, timeout=1200)
    if not args.skip_master:
        row(
            "master, FAST mode, cached data and CNN (nbconvert --execute, incl. kernel start)",
            BUDGETS["fast"],
            *timed(execute, args.runs, env=fast_env),
        )
        if args.empty_runs:
            row(
                "master, FAST mode, from an empty cache (phantoms drawn and CNN trained in the run)",
                BUDGETS["fast"],
                *timed(execute, args.empty_runs, env=fast_env, fresh_cache=True),
            )
        if args.full_runs:
            row(
                "master, full mode, cached data and CNN", BUDGETS["full"], *timed(execute, args.full_runs, env=full_env)
            )
    for ex in week.exercises:
        budget = BUDGETS["test-impl-tf" if ex.name in USES_TENSORFLOW else "test-impl"]
        own = implementation_file(week, ex.name, work)
        cmd = test_impl_cmd(week, ex.name, own)
        row(
            f"test-impl {ex.name}: its reference cell and the imports it uses (accepted)",
            budget,
            *timed(cmd, args.runs, env=env),
        )
        cmd = test_impl_cmd(week, ex.name)
        row(
            f"test-impl {ex.name}: the generated reference module (imports TensorFlow)",
            None,
            *timed(cmd, args.runs, env=env),
        )
    solved = work / f"solved_{week.notebook_name}"
    nbformat.write(
        fill_solutions(nbformat.read(week.learner, as_version=4), master_sources(week.read_master())), solved
    )
    row(
        "check: fully solved copy of the learner notebook",
        None,
        *timed([py, "-m", "grader", "check", str(solved)], args.runs, env=env),
    )
    if not args.skip_mistakes:
        row(
            "mistakes C3W3 (whole corpus of the week)",
            None,
            *timed([py, "-m", "grader", "mistakes", week.name], max(1, args.runs // 2), env=env),
        )

    command = (
        f"python benchmarks/bench_c3w3.py --runs {args.runs} --empty-runs {args.empty_runs} "
        f"--full-runs {args.full_runs}"
        + (" --skip-master" if args.skip_master else "")
        + (" --skip-mistakes" if args.skip_mistakes else "")
    )
    body = (
        f"`flock /tmp/ai4med-bench.lock {command}` — medians, wall clock; measured "
        f"{time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, load average {load_before:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after (every process under `nice -n 15`, the machine shared).\n\n"
        "| what | median wall time | CPU time (user + sys, mean of the runs) | budget |\n|---|---|---|---|\n"
        + "\n".join(f"| {what} | {value} | {cpu} | {budget} |" for what, value, cpu, budget in rows)
        + "\n"
    )
    print(body)
    print(f"executed notebooks (last run of each mode) in {work}")
    if not args.no_write:
        write_section(body, HEADING)
        print(f"\nwritten to {DOC.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
