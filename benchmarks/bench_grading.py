"""Benchmark the grading pipeline's budgets and record them in docs/BENCHMARKS.md.

    python benchmarks/bench_grading.py [--runs 5] [--full-runs 1] [--week C2W3] [--no-write]

Measures (medians over --runs, wall clock, this machine):
- every master notebook executed end to end in FAST mode (budget: the week's issue, 60-90 s) and, with
  --full-runs N, in full mode (budget 5 min);
- `python -m grader test-impl` on every exercise of every week, with the generated reference module as the
  implementation file (budget <= 5 s each); `check` on a solved and on an untouched copy of each learner notebook;
  `build --check`, `mistakes`;
- `python -m grader autograde` of three submissions (reference, one mistake, untouched) with 1 and 2 workers.
Not a unit test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from grader.course import get_week, weeks  # noqa: E402
from grader.notebook import fill_solutions, master_sources  # noqa: E402

DOC = REPO_ROOT / "docs" / "BENCHMARKS.md"
HEADING = "## Grading pipeline"


def timed(
    cmd: list[str],
    runs: int,
    env: dict | None = None,
    cwd: Path = REPO_ROOT,
    ok_codes: tuple[int, ...] = (0,),
    fresh_cache: bool = False,
) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        run_env = dict(env if env is not None else os.environ)
        cache = tempfile.mkdtemp(prefix="ai4med-cache-") if fresh_cache else None
        if cache:
            run_env["AI4MED_DATA"] = cache
        start = time.perf_counter()
        result = subprocess.run(cmd, cwd=cwd, env=run_env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if cache:
            shutil.rmtree(cache, ignore_errors=True)
        if result.returncode not in ok_codes:
            raise RuntimeError(f"{' '.join(cmd)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return statistics.median(times), times


def fmt(median: float, times: list[float]) -> str:
    return f"{median:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})"


def verdict(median: float, budget: float | None) -> str:
    """The budget column of a timing table: empty without a budget."""
    if budget is None:
        return ""
    return "within budget" if median <= budget else f"OVER the {budget:g} s budget"


def execute_cmd(notebook: Path, out_dir: Path, timeout: int = 1800) -> list[str]:
    """``jupyter nbconvert --execute`` of ``notebook`` into ``out_dir``: what every benchmark times as "the master
    end to end" (kernel start included)."""
    return [
        sys.executable,
        "-m",
        "jupyter",
        "nbconvert",
        "--execute",
        "--to",
        "notebook",
        "--output-dir",
        str(out_dir),
        f"--ExecutePreprocessor.timeout={timeout}",
        str(notebook),
    ]


def test_impl_cmd(week, exercise: str, implementation: Path | None = None) -> list[str]:
    """``python -m grader test-impl`` of one exercise; the implementation defaults to the week's generated
    reference module (``helpers/solutions/<week>.py``)."""
    implementation = implementation or REPO_ROOT / "helpers" / "solutions" / f"{week.module}.py"
    return [sys.executable, "-m", "grader", "test-impl", week.name, exercise, str(implementation)]


def write_section(body: str, heading: str = HEADING) -> None:
    """Replace (or append) the section of docs/BENCHMARKS.md that starts with ``heading``."""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    section = f"{heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    DOC.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--full-runs", type=int, default=0, help="also time each master in full mode (0: skip)")
    parser.add_argument("--week", default="C2W3", help="week used for the autograde timings")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update docs/BENCHMARKS.md")
    parser.add_argument("--weeks", nargs="*", help="time only these weeks' masters, test-impl and check")
    parser.add_argument(
        "--empty-cache",
        action="store_true",
        help="run every master with a fresh, empty data cache (AI4MED_DATA), so generated data and "
        "trained reference models are built inside the timed run",
    )
    args = parser.parse_args()
    py = sys.executable
    fast_env = dict(os.environ, AI4MED_FAST="1")
    week = get_week(args.week)
    rows = []
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="ai4med-bench-"))

    full_env = {k: v for k, v in os.environ.items() if k != "AI4MED_FAST"}
    selected = [w for w in weeks() if not args.weeks or w.name in {x.upper() for x in args.weeks}]
    cache_note = ", empty data cache" if args.empty_cache else ""
    for w in selected:
        cmd = execute_cmd(w.master, work)
        rows.append(
            (
                f"{w.name} master, FAST mode, nbconvert --execute (incl. kernel start{cache_note})",
                fmt(*timed(cmd, args.runs, env=fast_env, fresh_cache=args.empty_cache)),
            )
        )
        if args.full_runs:
            rows.append(
                (
                    f"{w.name} master, full mode{cache_note}",
                    fmt(*timed(cmd, args.full_runs, env=full_env, fresh_cache=args.empty_cache)),
                )
            )
        for ex in w.exercises:
            rows.append(
                (
                    f"test-impl {w.name} {ex.name} (reference, accepted)",
                    fmt(*timed(test_impl_cmd(w, ex.name), args.runs)),
                )
            )
        solved = work / f"solved_{w.notebook_name}"
        nbformat.write(fill_solutions(nbformat.read(w.learner, as_version=4), master_sources(w.read_master())), solved)
        rows.append(
            (f"check {w.name}: fully solved copy", fmt(*timed([py, "-m", "grader", "check", str(solved)], args.runs)))
        )
        rows.append(
            (
                f"check {w.name}: untouched learner notebook",
                fmt(*timed([py, "-m", "grader", "check", str(w.learner)], args.runs, ok_codes=(1,))),
            )
        )

    if args.weeks:  # only the selected weeks: skip the whole-course rows
        body = "\n".join(f"| {what} | {value} |" for what, value in rows)
        print(body)
        return 0
    sources = master_sources(week.read_master())
    learner = nbformat.read(week.learner, as_version=4)
    rows.append(("build --check", fmt(*timed([py, "-m", "grader", "build", "--check"], args.runs))))
    rows.append(("mistakes (whole corpus)", fmt(*timed([py, "-m", "grader", "mistakes"], max(1, args.runs // 2)))))

    from grader.cli import mistakes_of

    exercise, wrongs = next(iter(mistakes_of(week).items()))
    wrong = wrongs[0]
    wrong_src = re.sub(rf"def {wrong.__name__}\(", f"def {exercise}(", inspect.getsource(wrong))
    subs = work / "submissions"
    for student, nb in {
        "alice": fill_solutions(learner, sources),
        "bob": fill_solutions(learner, dict(sources, **{exercise: wrong_src})),
        "carol": learner,
    }.items():
        (subs / student).mkdir(parents=True)
        nbformat.write(nb, subs / student / week.notebook_name)
    for workers in (1, 2):
        cmd = [py, "-m", "grader", "autograde", str(subs), "--workers", str(workers), "--out", str(work / "out")]
        median, times = timed(cmd, max(1, args.runs // 2), env=fast_env)
        rows.append((f"autograde {week.name}: 3 submissions, {workers} worker(s)", fmt(median, times)))

    body = (
        f"`python benchmarks/bench_grading.py --runs {args.runs}` — medians of {args.runs} runs "
        f"(autograde and mistakes: {max(1, args.runs // 2)}); measured {time.strftime('%Y-%m-%d')} on "
        f"{os.cpu_count()} cores, load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after.\n\n| what | median wall time |\n|---|---|\n"
        + "\n".join(f"| {what} | {value} |" for what, value in rows)
    )
    print(body)
    if not args.no_write:
        write_section(body)
        print(f"\nwritten to {DOC.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
