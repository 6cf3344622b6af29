"""Benchmark autograde on Dask against plain serial nbgrader, the isolation overhead, and a 1,000-submission simulation.

    python benchmarks/bench_autograde.py [--runs 3] [--n 40] [--simulate 1000] [--skip-baseline] [--no-write]
    python benchmarks/bench_autograde.py --overhead-only [--n 40]

1. 40 C2W3 submissions (a third correct, a third with one plausible mistake, a third untouched):
   `python -m grader autograde SUB --workers 2` (LocalCluster, sandbox, nbgrader feedback) versus plain serial
   nbgrader in one course (`nbgrader autograde C2W3` + `generate_feedback` + `export`, each submission executed in a
   kernel). Wall clock of the whole command, medians over --runs.
2. Isolation overhead per submission: grading the same notebook through the sandbox (`grader.isolated`) minus the
   trusted in-process runner (`grader.notebook.load_functions` + `grader.runner.run_exercise`), median over the 40.
3. A simulated class of --simulate submissions through the real driver (discovery, Dask LocalCluster, storing,
   merging into the gradebook, CSVs) with a stand-in grading function: the driver's resident memory as results
   arrive, and the merge time for 100 ... N submissions.
Results go to docs/BENCHMARKS.md ("## Autograde on Dask"). Run under `flock /tmp/ai4med-bench.lock`.
"""

from __future__ import annotations

import argparse
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
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

from bench_grading import write_section  # noqa: E402  (one writer of docs/BENCHMARKS.md sections)

from grader.course import CONFIG_FILE, get_week  # noqa: E402
from grader.notebook import fill_solutions, master_sources  # noqa: E402

HEADING = "## Autograde on Dask"
WEEK = get_week("C2W3")
MISTAKES = [
    "kaplan_meier__risk_set_strict",
    "naive_estimator__keeps_censored",
    "logrank_test__cdf_not_sf",
    "frac_censored__fraction_of_deaths",
]


def _mistake(name: str) -> tuple[str, str]:
    import importlib
    import inspect

    corpus = importlib.import_module(f"grader.mistakes.{WEEK.module}")
    if not hasattr(corpus, name):  # pick any mistake of that exercise if the corpus renamed it
        exercise = name.split("__")[0]
        name = next(n for n in dir(corpus) if n.startswith(exercise + "__"))
    exercise = name.split("__")[0]
    return exercise, re.sub(rf"def {name}\(", f"def {exercise}(", inspect.getsource(getattr(corpus, name)), count=1)


def make_submissions(root: Path, n: int) -> Path:
    learner = nbformat.read(WEEK.learner, as_version=4)
    reference = master_sources(WEEK.read_master())
    for i in range(n):
        kind = i % 3
        if kind == 0:
            nb = fill_solutions(learner, reference)
        elif kind == 1:
            exercise, source = _mistake(MISTAKES[i % len(MISTAKES)])
            nb = fill_solutions(learner, dict(reference, **{exercise: source}))
        else:
            nb = learner
        folder = root / f"student{i:03d}" / WEEK.name
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / WEEK.notebook_name)
    return root


def timed(cmd, cwd, env=None) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0,):
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return elapsed


def run_ours(submissions: Path, work: Path) -> float:
    out = work / "ours"
    shutil.rmtree(out, ignore_errors=True)
    return timed(
        [
            sys.executable,
            "-m",
            "grader",
            "autograde",
            str(submissions),
            "--workers",
            "2",
            "--out",
            str(out),
            "--no-progress",
        ],
        REPO_ROOT,
    )


def run_baseline(submissions: Path, work: Path) -> float:
    from grader.autograde import nbgrader_env

    course = work / "nbgrader-course"
    shutil.rmtree(course, ignore_errors=True)
    (course / "source").mkdir(parents=True)
    shutil.copy(CONFIG_FILE, course / "nbgrader_config.py")
    shutil.copytree(WEEK.master.parent, course / "source" / WEEK.name)
    env = nbgrader_env()
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", WEEK.name],
        cwd=course,
        env=env,
        check=True,
        capture_output=True,
    )
    shutil.copytree(submissions, course / "submitted")
    start = time.perf_counter()
    for args in (["autograde", WEEK.name], ["generate_feedback", WEEK.name], ["export", "--to", "grades.csv"]):
        subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def isolation_overhead(submissions: Path) -> list[float]:
    from grader.isolated import grade_parsed
    from grader.notebook import load_functions
    from grader.runner import run_exercise
    from grader.submission import parse_submission

    overheads = []
    for path in sorted(submissions.rglob("*.ipynb")):
        start = time.perf_counter()
        loaded = load_functions(path)
        for ex in WEEK.exercises:
            if ex.name in loaded.functions:
                run_exercise(WEEK, ex.name, loaded.functions[ex.name])
        in_process = time.perf_counter() - start
        start = time.perf_counter()
        grade_parsed(parse_submission(nbformat.read(path, as_version=4), WEEK))
        overheads.append(time.perf_counter() - start - in_process)
    return overheads


# --------------------------------------------------------------------------------------------- simulation

# A 185 KB page that compresses to about 30 KB, like a real feedback page: repetitive styles + unique content.
FAKE_FEEDBACK = ".cell { margin: 0 }\n" * 7_750 + __import__("base64").b64encode(os.urandom(22_000)).decode()


FAKE_FEEDBACK_GZ = __import__("zlib").compress(f"<html>{FAKE_FEEDBACK}</html>".encode(), 6)


def simulated_grade(job):
    """Stands in for grader.task.grade_job: a realistic result (feedback page included) in a few milliseconds."""
    week = get_week(job.week)
    exercises = [
        {
            "exercise": ex.name,
            "score": ex.points,
            "max_score": ex.points,
            "status": "pass",
            "stage": "hidden",
            "reason": "",
        }
        for ex in week.exercises
    ]
    return {
        "student": job.student,
        "filename": job.filename,
        "key": job.key,
        "week": week.name,
        "notes": [],
        "fatal": "",
        "exercises": exercises,
        "score": week.max_points,
        "max_score": week.max_points,
        "feedback_gz": FAKE_FEEDBACK_GZ,
        "log": "simulated",
        "seconds": 0.0,
        "mode": "simulated",
        "status": "graded",
    }


def simulate(n: int, work: Path) -> dict:
    import psutil

    from grader.autograde import discover, merge, run
    from grader.sandbox import Limits

    root = work / "simulated"
    shutil.rmtree(root, ignore_errors=True)
    tiny = nbformat.writes(nbformat.v4.new_notebook(metadata={"ai4med": {"week": WEEK.name}}))
    for i in range(n):
        folder = root / "submitted" / f"s{i:05d}" / WEEK.name
        folder.mkdir(parents=True)
        (folder / WEEK.notebook_name).write_text(tiny)
    specs, _ = discover(root / "submitted")
    me = psutil.Process()
    samples = {}
    checkpoints = {c for c in (100, 250, 500, 1000, 2000, n) if c <= n}
    done = [0]

    def on_result(result, client):
        done[0] += 1
        if done[0] in checkpoints:
            samples[done[0]] = me.memory_info().rss / 2**20

    start = time.perf_counter()
    run(specs, root / "out", Limits(), workers=2, grade_fn=simulated_grade, progress=False, on_result=on_result)
    grading = time.perf_counter() - start
    merges = {}
    for count in sorted(checkpoints):
        start = time.perf_counter()
        merge(root / "out", specs[:count])
        merges[count] = time.perf_counter() - start
    return {"rss_mb": samples, "merge_s": merges, "grading_s": grading}


# --------------------------------------------------------------------------------------------- report


def fmt(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} s (runs: {', '.join(f'{v:.1f}' for v in values)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--simulate", type=int, default=1000)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--overhead-only", action="store_true", help="measure only the isolation overhead (printed, not written)"
    )
    args = parser.parse_args()
    os.environ.setdefault("AI4MED_FAST", "1")
    work = Path(tempfile.mkdtemp(prefix="ai4med-bench-autograde-"))
    loads = [os.getloadavg()[0]]
    submissions = make_submissions(work / "submitted", args.n)
    if args.overhead_only:
        overhead = isolation_overhead(submissions)
        print(
            f"isolation overhead per submission, {args.n} C2W3 submissions: median {statistics.median(overhead):.2f} s,"
            f" max {max(overhead):.2f} s; load average {loads[0]:.1f} before, {os.getloadavg()[0]:.1f} after"
        )
        shutil.rmtree(work, ignore_errors=True)
        return 0
    lines = []
    ours = [run_ours(submissions, work) for _ in range(args.runs)]
    loads.append(os.getloadavg()[0])
    lines.append(
        f"| `grader autograde` of {args.n} C2W3 submissions, LocalCluster of 2 workers (whole command) | {fmt(ours)} |"
    )
    if not args.skip_baseline:
        base = [run_baseline(submissions, work) for _ in range(args.runs)]
        loads.append(os.getloadavg()[0])
        lines.append(
            f"| plain serial nbgrader in one course (`autograde` + `generate_feedback` + `export`) | {fmt(base)} |"
        )
        lines.append(f"| speed-up (median / median) | **{statistics.median(base) / statistics.median(ours):.2f}×** |")
    overhead = isolation_overhead(submissions)
    loads.append(os.getloadavg()[0])
    lines.append(
        f"| isolation overhead per submission (sandboxed minus in-process grading of the same notebook, "
        f"median of {len(overhead)}) | {statistics.median(overhead):.2f} s (max {max(overhead):.2f} s) |"
    )
    sim = simulate(args.simulate, work)
    loads.append(os.getloadavg()[0])
    rss = ", ".join(f"{k}: {v:.0f} MB" for k, v in sorted(sim["rss_mb"].items()))
    merge_lines = ", ".join(f"{k}: {v:.1f} s ({1000 * v / k:.1f} ms each)" for k, v in sorted(sim["merge_s"].items()))
    lines.append(f"| simulated class of {args.simulate}: driver resident memory after N results | {rss} |")
    lines.append(
        f"| simulated class of {args.simulate}: merge (gradebook + CSVs) of the first N results | {merge_lines} |"
    )
    lines.append(
        f"| simulated class of {args.simulate}: grading loop with a stand-in grader | {sim['grading_s']:.1f} s |"
    )
    body = (
        f"`python benchmarks/bench_autograde.py --runs {args.runs} --n {args.n} --simulate {args.simulate}` "
        f"— {time.strftime('%Y-%m-%d')}, 2 cores, load average during the runs "
        f"{', '.join(f'{x:.1f}' for x in loads)} (other jobs were running: treat absolute times as upper bounds)."
        "\n\n| what | result |\n|---|---|\n" + "\n".join(lines)
    )
    print(body)
    if not args.no_write:
        write_section(body, HEADING)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
