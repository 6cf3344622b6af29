"""Benchmark the weekly quizzes and record them in docs/BENCHMARKS.md ("## Quizzes").

    python benchmarks/bench_quizzes.py [--runs 3] [--no-write]

Measures (medians over --runs, wall clock, this machine): `python -m grader check` on a solved and on an untouched
quiz notebook (C2W3Q); the hidden check of every answer of every quiz, in-process; `pytest tests/test_quizzes.py`;
nbval of every quiz master in FAST mode (what the quizzes add to `make test`, with the round trip's three quiz
submissions measured separately by tests/test_nbgrader_roundtrip.py). Not a unit test.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_grading import fmt, timed, write_section  # noqa: E402

from grader.course import get_week, quizzes  # noqa: E402
from grader.notebook import fill_solutions, master_sources  # noqa: E402


def hidden_checks_per_second() -> tuple[int, float]:
    from grader.quizzes import check_answer, load, quiz_weeks

    answers = [(w, qid, q.answer) for w in quiz_weeks() for qid, q in load(w).questions.items()]
    start = time.perf_counter()
    for week, qid, answer in answers * 20:
        check_answer(week, qid, answer)
    return len(answers) * 20, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    py, env = sys.executable, dict(os.environ, AI4MED_FAST="1")
    load_before = os.getloadavg()[0]
    week = get_week("C2W3Q")
    solved = Path(tempfile.mkdtemp(prefix="ai4med-quiz-")) / week.notebook_name
    nbformat.write(
        fill_solutions(nbformat.read(week.learner, as_version=4), master_sources(week.read_master())), solved
    )
    rows = [
        ("`check` solved C2W3Q", fmt(*timed([py, "-m", "grader", "check", str(solved)], args.runs, env))),
        (
            "`check` untouched C2W3Q",
            fmt(*timed([py, "-m", "grader", "check", str(week.learner)], args.runs, env, ok_codes=(1,))),
        ),
    ]
    count, seconds = hidden_checks_per_second()
    rows.append((f"hidden check, {count} answers in-process", f"{seconds * 1000 / count:.3f} ms per answer"))
    rows.append(
        (
            "`pytest tests/test_quizzes.py`",
            fmt(*timed([py, "-m", "pytest", "-q", "-p", "no:randomly", "tests/test_quizzes.py"], 1, env)),
        )
    )
    masters = [str(w.master.parent.relative_to(REPO_ROOT)) for w in quizzes()]
    rows.append(
        (f"nbval of the {len(masters)} quiz masters (FAST)", fmt(*timed([py, "-m", "pytest", "-q", *masters], 1, env)))
    )
    load_after = os.getloadavg()[0]
    body = "\n".join(
        [
            "| what | wall clock |",
            "|---|---|",
            *[f"| {a} | {b} |" for a, b in rows],
            "",
            f"Load average (1 min) {load_before:.1f} before, {load_after:.1f} after; 2 shared cores. "
            "No quiz check imports TensorFlow or loads data: grading compares with stored answers.",
        ]
    )
    print(body)
    if not args.no_write:
        write_section(body, "## Quizzes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
