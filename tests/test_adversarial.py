"""The adversarial corpus (tests/adversarial.py) graded in one batch by the real pipeline on a 2-worker Dask cluster.

Each case must get its exact grade and a one-line reason for every lost point; the batch completes, every student is
in grades.csv, the repository and the other submissions are untouched, nothing the submissions started survives,
no feedback page shows hidden-test source, and the learner's self-check (``grader check``) agrees with the grade.
"""

import csv
import hashlib
import os
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from adversarial import C2W3, CASES, build, expected_reasons

from grader.autograde import autograde
from grader.course import REPO_ROOT
from grader.isolated import grade_parsed
from grader.sandbox import Limits, isolation_mode
from grader.submission import SubmissionError, guess_week, parse_submission, read_notebook

# slow; and one submission duplicates a cell on purpose, so nbformat's note about a repeated cell id is expected
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Non-unique cell id")]

# Small limits keep the endless loops short; memory 2 GB is far below the 30 GB a case asks for.
LIMITS = Limits(memory_gb=2, exercise_seconds=8, cell_seconds=8, submission_seconds=120)
PROTECTED = [
    REPO_ROOT / "grader" / "hidden" / "c2w3.py",
    REPO_ROOT / "helpers" / "public_tests" / "c2w3.py",
    REPO_ROOT / "helpers" / "solutions" / "c2w3.py",
]


def _digest(paths):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    if isolation_mode() == "plain":
        pytest.skip("the adversarial corpus needs Linux namespaces (run as root or with user namespaces)")
    root = tmp_path_factory.mktemp("adversarial")
    submissions, out = root / "submitted", root / "out"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    values = {"OUT": out, "REPO": REPO_ROOT, "SUBMISSIONS": submissions, "PORT": listener.getsockname()[1]}
    files = {case.student: build(case, submissions, values) for case in CASES}
    before = _digest(PROTECTED + [f for paths in files.values() for f in paths])
    code = autograde(submissions, out, workers=2, limits=LIMITS, progress=False)
    listener.close()
    return {"out": out, "code": code, "files": files, "before": before, "submissions": submissions}


def _grades(out: Path) -> dict:
    with open(out / "grades.csv", newline="") as f:
        return {(r["student_id"], r["assignment"]): float(r["score"]) for r in csv.DictReader(f)}


def _reasons(out: Path) -> dict:
    with open(out / "grades_by_exercise.csv", newline="") as f:
        return {(r["student_id"], r["exercise"]): r for r in csv.DictReader(f) if r["assignment"] == "C2W3"}


def test_the_batch_completes(batch):
    assert batch["code"] == 0


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.student)
def test_each_case_gets_its_exact_grade(batch, case):
    grades = _grades(batch["out"])
    assert grades[(case.student, "C2W3")] == case.expected


def test_no_student_is_missing_and_none_is_graded_twice(batch):
    with open(batch["out"] / "grades.csv", newline="") as f:
        rows = [(r["student_id"], r["assignment"]) for r in csv.DictReader(f)]
    assert len(rows) == len(set(rows))
    assert {s for s, w in rows if w == "C2W3"} == {case.student for case in CASES}


@pytest.mark.parametrize("case", [c for c in CASES if c.reasons], ids=lambda c: c.student)
def test_every_lost_point_has_a_one_line_reason(batch, case):
    rows = _reasons(batch["out"])
    for exercise, phrase in expected_reasons(case).items():
        row = rows[(case.student, exercise)]
        assert float(row["score"]) == 0 and phrase in row["reason"], row
        assert "\n" not in row["reason"]


@pytest.mark.parametrize("case", [c for c in CASES if c.note], ids=lambda c: c.student)
def test_notes_say_what_was_restored_or_ignored(batch, case):
    note = _reasons(batch["out"])[(case.student, "(notes)")]["reason"]
    assert case.note in note


def test_feedback_for_everyone_without_hidden_code_or_learner_output(batch):
    out = batch["out"]
    pages = list((out / "feedback").rglob("*.html"))
    assert {p.relative_to(out / "feedback").parts[0] for p in pages} == {c.student for c in CASES}
    hidden = (REPO_ROOT / "grader" / "hidden" / "c2w3.py").read_text()
    secrets = [
        line.strip()
        for line in hidden.splitlines()
        if len(line.strip()) > 30 and not line.strip().startswith(("#", '"""', "from ", "import ", "@"))
    ]
    secrets += ["random_tables(", "default_rng(3", "ref.kaplan_meier", "helpers.solutions import"]
    for page in pages:
        text = page.read_text()
        assert len(text) < 1_500_000, f"{page} is {len(text)} characters"
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{page} shows hidden-test code: {leaked[:3]}"
        assert "y" * 1000 not in text and "x" * 1000 not in text, f"{page} shows the learner's prints"


def test_the_repository_and_other_submissions_are_untouched(batch):
    assert _digest(list(batch["before"])) == batch["before"]


def test_nothing_a_submission_started_survives(batch):
    leftovers = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "sleep 4321" in cmdline:
            leftovers.append(proc.name)
    assert not leftovers


def test_the_self_check_agrees_with_the_grade(batch):
    """``grader check`` (the learner's path: the file alone, no folder) gives every corpus case the same score."""
    grades = _grades(batch["out"])

    def check(case):
        path = batch["files"][case.student][0]
        try:
            nb = read_notebook(path.read_bytes(), path.name)
        except SubmissionError:
            return case, 0.0
        week = guess_week(nb, path.name)
        if week is None or week.name != C2W3.name:
            return case, None  # a C2W1 notebook is checked as C2W1 when no folder says otherwise
        return case, grade_parsed(parse_submission(nb, week), LIMITS).score

    with ThreadPoolExecutor(2) as pool:
        for case, score in pool.map(check, CASES):
            if score is not None:
                assert score == grades[(case.student, "C2W3")], case.student


def test_rerunning_is_idempotent_and_grades_nothing_again(batch, capsys):
    out = batch["out"]
    before = (out / "grades.csv").read_text(), (out / "grades_by_exercise.csv").read_text()
    stamps = {p: p.stat().st_mtime_ns for p in (out / "results").rglob("*.json")}
    assert autograde(batch["submissions"], out, workers=2, limits=LIMITS, progress=False) == 0
    assert f"0 graded now, {len(CASES)} already graded" in capsys.readouterr().out
    assert ((out / "grades.csv").read_text(), (out / "grades_by_exercise.csv").read_text()) == before
    assert {p: p.stat().st_mtime_ns for p in (out / "results").rglob("*.json")} == stamps
    assert autograde(batch["submissions"], out, limits=LIMITS, dry_run=True) == 0
    assert f"{len(CASES)} already graded, 0 to grade" in capsys.readouterr().out


def test_memory_hog_reason_names_the_limit(batch):
    row = _reasons(batch["out"])[("allocates_30_gb", "logrank_test")]
    assert re.search(r"memory limit of 2 GB", row["reason"]), row


def test_a_submission_cannot_read_the_reference_even_by_path(batch):
    row = _reasons(batch["out"])[("reads_hidden_tests", "frac_censored")]
    assert "def check_" not in row["reason"] and "No such file" in row["reason"]


def test_untouched_stub_notebook_gets_no_locked_cell_warnings(batch):
    assert ("untouched", "(notes)") not in _reasons(batch["out"])
    log = (batch["out"] / "logs" / "untouched" / "C2W3.log").read_text()
    assert "checksum" not in log.lower()


def test_logs_are_kept(batch):
    logs = list((batch["out"] / "logs").rglob("*.log"))
    assert len(logs) == len(CASES)  # one per (student, week): the ignored -Copy1 notebook has none
    assert all(os.path.getsize(p) > 0 for p in logs)
