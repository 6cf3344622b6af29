"""A real nbgrader round trip: generate_assignment -> three submissions -> autograde -> export -> feedback.

Submissions are made from the learner notebook in notebooks/ (what a learner downloads): one with the reference
answers, one with a single plausible mistake in one function (for the quiz: one wrong answer), one untouched. The
grades must be exactly full
marks, full marks minus that function's points, and zero — even though one Dask worker is killed mid-batch.
"""

import csv
import importlib
import inspect
import os
import re
import shutil
import subprocess
import sys
import time

import nbformat
import pytest

from grader.autograde import nbgrader_env
from grader.course import CONFIG_FILE, REPO_ROOT, get_week
from grader.notebook import fill_solutions, master_sources

pytestmark = pytest.mark.slow

# (week, exercise that gets the mistake, mistake from grader/mistakes/<week>.py or, for a quiz, a plausible wrong
# answer of grader/quizzes/<week>.py): each student submits every week.
CASES = [
    ("C2W3", "kaplan_meier", "kaplan_meier__risk_set_strict"),
    ("C2W1", "cindex", "cindex__ties_ignored"),
    ("C1W2", "get_accuracy", "get_accuracy__strict_threshold"),
    ("C2W3Q", "quiz_5", "quiz_5__1"),
]
WEEKS = [get_week(name) for name, _, _ in CASES]


def _mistake_source(week, exercise: str, mistake: str) -> str:
    if week.is_quiz:
        from grader.quizzes import distractors

        wrong = next(d for d in distractors(week.course_week)[exercise] if d.__name__ == mistake)
        return f"{exercise} = {wrong.value!r}\n"
    corpus = importlib.import_module(f"grader.mistakes.{week.module}")
    source = inspect.getsource(getattr(corpus, mistake))
    return re.sub(rf"def {mistake}\(", f"def {exercise}(", source, count=1)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("roundtrip")
    for week, (_, exercise, mistake) in zip(WEEKS, CASES):
        learner = nbformat.read(week.learner, as_version=4)
        reference = master_sources(week.read_master())
        with_mistake = dict(reference, **{exercise: _mistake_source(week, exercise, mistake)})
        submissions = {
            "alice": fill_solutions(learner, reference),
            "bob": fill_solutions(learner, with_mistake),
            "carol": learner,
        }
        for student, nb in submissions.items():
            folder = root / "submitted" / student / week.name
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / week.notebook_name)
    out = root / "out"
    env = dict(os.environ, AI4MED_FAST="1")
    with open(root / "stdout.txt", "w+") as stdout, open(root / "stderr.txt", "w+") as stderr:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "grader",
                "autograde",
                str(root / "submitted"),
                "--workers",
                "2",
                "--out",
                str(out),
                "--no-progress",
            ],
            stdout=stdout,
            stderr=stderr,
            text=True,
            env=env,
            cwd=REPO_ROOT,
        )
        killed = _kill_one_worker_after_the_first_result(process, out)
        code = process.wait(timeout=1800)
        stdout.seek(0)
        stderr.seek(0)
        output = stdout.read() + stderr.read()
    assert code == 0, output
    return out, output, killed


def _kill_one_worker_after_the_first_result(process, out):
    """SIGKILL one Dask worker process mid-batch; its task must be rescheduled, not lost or duplicated."""
    import psutil

    deadline = time.monotonic() + 900
    while time.monotonic() < deadline and process.poll() is None:
        if any((out / "results").rglob("*.json")) if (out / "results").is_dir() else False:
            workers = [
                p
                for p in psutil.Process(process.pid).children()
                if "multiprocessing" in " ".join(p.cmdline()) and "resource_tracker" not in " ".join(p.cmdline())
            ]
            if workers:
                workers[0].kill()
                return workers[0].pid
        time.sleep(0.2)
    return None


def _grades(out):
    """{(student, week): row} from nbgrader's export."""
    with open(out / "grades.csv") as f:
        return {(row["student_id"], row["assignment"]): row for row in csv.DictReader(f)}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_grades_are_full_partial_and_zero(graded, case):
    out, _, _ = graded
    week, exercise = get_week(case[0]), case[1]
    grades = _grades(out)
    assert {student for student, w in grades if w == week.name} == {"alice", "bob", "carol"}
    full = week.max_points
    lost = week.exercise(exercise).points
    assert float(grades["alice", week.name]["max_score"]) == full
    assert float(grades["alice", week.name]["score"]) == full
    assert float(grades["bob", week.name]["score"]) == full - lost
    assert float(grades["carol", week.name]["score"]) == 0


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_per_exercise_grades_name_the_wrong_function(graded, case):
    out, _, _ = graded
    week, exercise = get_week(case[0]), case[1]
    with open(out / "grades_by_exercise.csv") as f:
        rows = list(csv.DictReader(f))
    bob = {r["exercise"]: float(r["score"]) for r in rows if r["student_id"] == "bob" and r["assignment"] == week.name}
    assert bob == {ex.name: (0.0 if ex.name == exercise else ex.points) for ex in week.exercises}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_feedback_shows_hidden_test_calls_but_not_their_code(graded, case):
    out, _, _ = graded
    week = get_week(case[0])
    if week.is_quiz:  # the graded feedback shows the hidden call and each question's explanation, by design
        from grader.quizzes import explanation

        for student in ("alice", "bob", "carol"):
            html = next((out / "feedback" / student / week.name).glob("*.html")).read_text()
            assert "check_answer" in html and "Explanation:" in html
            assert " ".join(explanation(week.course_week, case[1]).split())[:40] in " ".join(html.split())
        return
    hidden_source = (REPO_ROOT / "grader" / "hidden" / f"{week.module}.py").read_text()
    secret_lines = [
        line.strip()
        for line in hidden_source.splitlines()
        if len(line.strip()) > 40 and not line.strip().startswith(("#", '"""', "from ", "import "))
    ]
    for student in ("alice", "bob", "carol"):
        pages = list((out / "feedback" / student / week.name).glob("*.html"))
        assert len(pages) == 1, f"no feedback for {student} in {week.name}"
        html = pages[0].read_text()
        assert f"check_{case[1]}" in html
        leaked = [line for line in secret_lines if line in html]
        assert not leaked, f"hidden test code appears in {student}'s feedback: {leaked[:3]}"


def test_a_worker_killed_mid_batch_costs_no_grade_and_none_arrives_twice(graded):
    out, output, killed = graded
    assert killed is not None, "the batch ended before a worker could be killed"
    assert len(list((out / "results").rglob("*.json"))) == 3 * len(WEEKS)
    with open(out / "grades.csv") as f:
        rows = [(row["student_id"], row["assignment"]) for row in csv.DictReader(f)]
    assert sorted(rows) == sorted({(s, w.name) for s in ("alice", "bob", "carol") for w in WEEKS})
    assert "0 failed" in output


@pytest.mark.parametrize("week", WEEKS, ids=lambda w: w.name)
def test_release_equals_the_learner_notebook(tmp_path, week):
    """What nbgrader releases is exactly what notebooks/ holds (same preprocessors, same config)."""
    shutil.copy(CONFIG_FILE, tmp_path / "nbgrader_config.py")
    shutil.copytree(week.master.parent, tmp_path / "source" / week.name)
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", week.name],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env=nbgrader_env(),
    )
    released = nbformat.read(tmp_path / "release" / week.name / week.notebook_name, as_version=4)
    learner = nbformat.read(week.learner, as_version=4)
    assert [c.source for c in released.cells] == [c.source for c in learner.cells]
    assert [c.metadata.get("nbgrader") for c in released.cells] == [c.metadata.get("nbgrader") for c in learner.cells]
