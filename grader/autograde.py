"""``python -m grader autograde``: real nbgrader autograding of a folder of submissions, in parallel.

Accepted layouts (``SUBMISSIONS``):

    SUBMISSIONS/<student>/<WEEK>/<any name>.ipynb     (nbgrader's submitted/ layout)
    SUBMISSIONS/<student>/<any name>.ipynb            (the week is read from the notebook)

Each worker grades its share of the submissions in its own temporary nbgrader course (its own gradebook, so sqlite is
never written by two processes): ``generate_assignment`` -> ``autograde`` -> ``generate_feedback`` -> ``export``.
The results are merged into ``OUT/grades.csv`` (nbgrader's export), ``OUT/grades_by_exercise.csv`` and
``OUT/feedback/<student>/<WEEK>/*.html`` (hidden tests appear there only as a one-line call).
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grader.course import CONFIG_FILE, CourseError, Week, week_of_notebook

STUDENT_ID = re.compile(r"^[A-Za-z0-9_.@+-]+$")


@dataclass(frozen=True)
class Submission:
    student: str
    week: Week
    path: Path


def find_submissions(root: Path) -> tuple[list[Submission], list[str]]:
    """Collect one notebook per (student, week); return the submissions and the problems found."""
    if not root.is_dir():
        raise CourseError(f"submissions folder not found: {root}")
    found: dict[tuple[str, str], list[Submission]] = defaultdict(list)
    problems = []
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        student = student_dir.name
        if not STUDENT_ID.match(student):
            problems.append(f"{student_dir}: student folder names may use letters, digits and _.@+- only")
            continue
        for path in sorted(student_dir.rglob("*.ipynb")):
            if ".ipynb_checkpoints" in path.parts:
                continue
            try:
                week = week_of_notebook(path, nbformat.read(path, as_version=4))
            except (CourseError, ValueError, OSError) as err:
                problems.append(f"{path}: {err}")
                continue
            found[(student, week.name)].append(Submission(student, week, path))
    submissions = []
    for (student, week), items in sorted(found.items()):
        if len(items) > 1:
            problems.append(f"{student}/{week}: {len(items)} notebooks for the same week "
                            f"({', '.join(str(s.path.name) for s in items)}); skipped")
            continue
        submissions.append(items[0])
    return submissions, problems


def nbgrader_env() -> dict:
    """nbgrader shells out to `alembic` and `jupyter`: put this environment's bin/ first on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    return dict(os.environ, PATH=os.pathsep.join([bin_dir, os.environ.get("PATH", "")]))


def _nbgrader(course: Path, *args: str, log) -> None:
    cmd = [sys.executable, "-m", "nbgrader", *args]
    result = subprocess.run(cmd, cwd=course, capture_output=True, text=True, env=nbgrader_env())
    log.write(f"$ nbgrader {' '.join(args)}\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed in {course} (exit {result.returncode}):\n"
                           f"{result.stderr[-3000:]}")


def _grade_share(index: int, share: list[Submission], workdir: Path) -> Path:
    course = workdir / f"worker{index}"
    (course / "source").mkdir(parents=True)
    shutil.copy(CONFIG_FILE, course / "nbgrader_config.py")
    weeks = sorted({s.week for s in share}, key=lambda w: w.name)
    with open(course / "nbgrader.log", "w") as log:
        for week in weeks:
            shutil.copytree(week.master.parent, course / "source" / week.name)
            _nbgrader(course, "generate_assignment", week.name, "--force", log=log)
        for sub in share:
            target = course / "submitted" / sub.student / sub.week.name
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(sub.path, target / sub.week.notebook_name)
        for week in weeks:
            _nbgrader(course, "autograde", week.name, "--force", log=log)
            _nbgrader(course, "generate_feedback", week.name, "--force", log=log)
        _nbgrader(course, "export", "--to", str(course / "grades.csv"), log=log)
    return course


def _exercise_rows(course: Path, share: list[Submission]) -> list[dict]:
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in share:
            nb = gb.find_submission_notebook(sub.week.master.stem, sub.week.name, sub.student)
            for grade in sorted(nb.grades, key=lambda g: g.name):
                rows.append({"student_id": sub.student, "assignment": sub.week.name,
                             "exercise": grade.name.removeprefix("test_"), "score": grade.score,
                             "max_score": grade.max_score})
    return rows


def autograde(submissions_dir: Path, out: Path, workers: int = 1, keep: bool = False) -> int:
    submissions, problems = find_submissions(submissions_dir)
    for problem in problems:
        print(f"warning: {problem}")
    if not submissions:
        raise CourseError(f"no gradable notebooks found under {submissions_dir}")
    students = sorted({s.student for s in submissions})
    workers = max(1, min(workers, len(submissions)))
    # Deal submissions (not students) round-robin in week order, so the workers' loads stay even.
    shares: list[list[Submission]] = [[] for _ in range(workers)]
    for i, sub in enumerate(sorted(submissions, key=lambda s: (s.week.name, s.student))):
        shares[i % workers].append(sub)
    print(f"grading {len(submissions)} submission(s) from {len(students)} student(s) with {workers} worker(s)")
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="ai4med-autograde-"))
    try:
        with ThreadPoolExecutor(workers) as pool:
            courses = list(pool.map(lambda args: _grade_share(*args, workdir),
                                    [(i, share) for i, share in enumerate(shares)]))
        out.mkdir(parents=True, exist_ok=True)
        header, grade_rows, exercise_rows = None, [], []
        for course, share in zip(courses, shares):
            with open(course / "grades.csv", newline="") as f:
                reader = csv.DictReader(f)
                header = reader.fieldnames
                mine = {(s.student, s.week.name) for s in share}  # the export also lists what others graded
                grade_rows.extend(row for row in reader if (row["student_id"], row["assignment"]) in mine)
            exercise_rows.extend(_exercise_rows(course, share))
            feedback = course / "feedback"
            if feedback.is_dir():
                shutil.copytree(feedback, out / "feedback", dirs_exist_ok=True)
        grade_rows.sort(key=lambda r: (r["assignment"], r["student_id"]))
        with open(out / "grades.csv", "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header)
            writer.writeheader()
            writer.writerows(grade_rows)
        with open(out / "grades_by_exercise.csv", "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=["student_id", "assignment", "exercise", "score", "max_score"])
            writer.writeheader()
            writer.writerows(exercise_rows)
    finally:
        if keep:
            print(f"nbgrader working courses kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print(f"{'student':<20} {'week':<6} {'score':>7} / max")
    for row in grade_rows:
        print(f"{row['student_id']:<20} {row['assignment']:<6} {float(row['score']):>7g} / {float(row['max_score']):g}")
    print(f"done in {elapsed:.1f} s -> {out / 'grades.csv'}, {out / 'grades_by_exercise.csv'}, {out / 'feedback'}"
          f"{os.sep}")
    return 1 if problems else 0
