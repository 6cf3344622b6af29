"""A real nbgrader round trip: generate_assignment -> three submissions -> autograde -> export -> feedback.

Submissions are made from the learner notebook in notebooks/ (what a learner downloads): one with the reference
answers, one with a single plausible mistake in one function, one untouched. The grades must be exactly full
marks, full marks minus that function's points, and zero.
"""
import csv
import inspect
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from grader.autograde import nbgrader_env
from grader.course import CONFIG_FILE, REPO_ROOT, get_week
from grader.notebook import fill_solutions, master_sources

pytestmark = pytest.mark.slow

WEEK = get_week("C2W3")
MISTAKE_EXERCISE = "kaplan_meier"


def _mistake_source(exercise: str) -> str:
    from grader.mistakes import c2w3

    fn = getattr(c2w3, f"{exercise}__risk_set_strict")
    return re.sub(rf"def {fn.__name__}\(", f"def {exercise}(", inspect.getsource(fn), count=1)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("roundtrip")
    learner = nbformat.read(WEEK.learner, as_version=4)
    reference = master_sources(WEEK.read_master())
    with_mistake = dict(reference, **{MISTAKE_EXERCISE: _mistake_source(MISTAKE_EXERCISE)})
    submissions = {
        "alice": fill_solutions(learner, reference),
        "bob": fill_solutions(learner, with_mistake),
        "carol": learner,
    }
    for student, nb in submissions.items():
        folder = root / "submitted" / student / WEEK.name
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / WEEK.notebook_name)
    out = root / "out"
    env = dict(os.environ, AI4MED_FAST="1")
    result = subprocess.run([sys.executable, "-m", "grader", "autograde", str(root / "submitted"), "--workers", "2",
                             "--out", str(out)], capture_output=True, text=True, env=env, timeout=900,
                            cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return out, result.stdout


def _grades(out):
    with open(out / "grades.csv") as f:
        return {row["student_id"]: row for row in csv.DictReader(f)}


def test_grades_are_full_partial_and_zero(graded):
    out, _ = graded
    grades = _grades(out)
    assert set(grades) == {"alice", "bob", "carol"}
    full = WEEK.max_points
    lost = WEEK.exercise(MISTAKE_EXERCISE).points
    assert float(grades["alice"]["max_score"]) == full
    assert float(grades["alice"]["score"]) == full
    assert float(grades["bob"]["score"]) == full - lost
    assert float(grades["carol"]["score"]) == 0


def test_per_exercise_grades_name_the_wrong_function(graded):
    out, _ = graded
    with open(out / "grades_by_exercise.csv") as f:
        rows = list(csv.DictReader(f))
    bob = {r["exercise"]: float(r["score"]) for r in rows if r["student_id"] == "bob"}
    assert bob == {ex.name: (0.0 if ex.name == MISTAKE_EXERCISE else ex.points) for ex in WEEK.exercises}


def test_feedback_shows_hidden_test_calls_but_not_their_code(graded):
    out, _ = graded
    hidden_source = (REPO_ROOT / "grader" / "hidden" / "c2w3.py").read_text()
    secret_lines = [line.strip() for line in hidden_source.splitlines()
                    if len(line.strip()) > 40 and not line.strip().startswith(("#", '"""', "from ", "import "))]
    for student in ("alice", "bob", "carol"):
        pages = list((out / "feedback" / student / WEEK.name).glob("*.html"))
        assert len(pages) == 1, f"no feedback for {student}"
        html = pages[0].read_text()
        assert "check_kaplan_meier" in html
        leaked = [line for line in secret_lines if line in html]
        assert not leaked, f"hidden test code appears in {student}'s feedback: {leaked[:3]}"


def test_release_equals_the_learner_notebook(tmp_path):
    """What nbgrader releases is exactly what notebooks/ holds (same preprocessors, same config)."""
    shutil.copy(CONFIG_FILE, tmp_path / "nbgrader_config.py")
    shutil.copytree(WEEK.master.parent, tmp_path / "source" / WEEK.name)
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", WEEK.name], cwd=tmp_path, check=True,
                   capture_output=True, env=nbgrader_env())
    released = nbformat.read(tmp_path / "release" / WEEK.name / WEEK.notebook_name, as_version=4)
    learner = nbformat.read(WEEK.learner, as_version=4)
    assert [c.source for c in released.cells] == [c.source for c in learner.cells]
    assert [c.metadata.get("nbgrader") for c in released.cells] == [c.metadata.get("nbgrader") for c in learner.cells]
