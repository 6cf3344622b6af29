"""One autograde task: grade one submission and return plain results (runs on a Dask worker, or in-process).

1. Read and parse the notebook (:mod:`grader.submission`); nothing in it can stop the task.
2. Grade it with its code in a sandbox and the tests here (:mod:`grader.isolated`).
3. Hand nbgrader the released notebook with the learner's graded cells and, as the outputs of the restored test
   cells, the verdicts of step 2; nbgrader's own ``autograde`` (with execution and output clearing switched off:
   OverwriteCells, LimitOutput, SaveAutoGrades, ...) and ``generate_feedback`` then run in a temporary course made
   from a per-process template, so the gradebook entries and the feedback HTML are nbgrader's.
4. Return a plain dict: per-exercise scores and one-line reasons, notes, the feedback HTML (zlib-compressed
   bytes) and a log.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
import time
import traceback
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from grader.course import CONFIG_FILE, GRADER_DIR, REPO_ROOT, Week, get_week
from grader.sandbox import Limits

__all__ = ["Job", "fingerprint", "grade_job"]

STUDENT = "student"  # id used inside the one-submission temporary course (real ids may hold any character)
DETAIL_LINES = 12
LINE_CHARS = 300


@dataclass(frozen=True)
class Job:
    student: str
    week: str | None  # week of the folder (SUBMISSIONS/<student>/<WEEK>/...), else guessed from the notebook
    filename: str
    data: bytes | None
    read_error: str = ""
    notes: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    key: str = ""


def fingerprint(week: Week, limits: Limits) -> str:
    """Changes whenever anything that decides a grade of this week changes (tests, master, grader, limits)."""
    digest = hashlib.sha256(repr(limits).encode())
    files = [
        week.master,
        GRADER_DIR / "hidden" / f"{week.module}.py",
        REPO_ROOT / "helpers" / "public_tests" / f"{week.module}.py",
        REPO_ROOT / "helpers" / "public_tests" / "framework.py",
        CONFIG_FILE,
    ]
    if week.is_quiz:  # the quiz's questions and answers, and the self-check and its keys
        source = week.course_week.lower()
        files += [
            GRADER_DIR / "quizzes" / f"{source}.py",
            GRADER_DIR / "quizzes" / "__init__.py",
            REPO_ROOT / "helpers" / "quiz.py",
            REPO_ROOT / "helpers" / "quiz_keys" / f"{source}.json",
        ]
    files += sorted(GRADER_DIR.glob("*.py"))
    for path in files:
        if path.exists():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


# ----------------------------------------------------------------------------------------------------- nbgrader


_TEMPLATES: dict[str, Path] = {}
_TEMPLATE_LOCK = threading.Lock()


def use_inprocess_alembic() -> None:
    """nbgrader asks a new gradebook's schema version from an `alembic` subprocess (seconds on a busy machine);
    answer from alembic's Python API instead, once per process."""
    import functools

    import nbgrader.api
    from nbgrader.dbutil import ALEMBIC_DIR

    if getattr(nbgrader.api.get_alembic_version, "_ai4med", False):
        return

    @functools.lru_cache(maxsize=1)
    def head() -> str:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", ALEMBIC_DIR)
        return ScriptDirectory.from_config(config).get_current_head()

    head._ai4med = True
    nbgrader.api.get_alembic_version = head


def _nbgrader_config(root: Path):
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        DeduplicateIds,
        LimitOutput,
        OverwriteCells,
        OverwriteKernelspec,
        SaveAutoGrades,
    )

    from grader.build import nbgrader_config

    config = nbgrader_config()
    config.CourseDirectory.root = str(root)
    # The notebook arrives with the verdicts as outputs of its test cells: keep them (no ClearOutput) and do not
    # execute anything (no Execute). Everything else is nbgrader's own pipeline.
    config.Autograde.sanitize_preprocessors = [DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata]
    config.Autograde.autograde_preprocessors = [LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    config.LimitOutput.max_lines = 60
    return config


def _api(root: Path):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = _nbgrader_config(root)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def _template(week: Week) -> Path:
    """A course with the week's assignment generated (gradebook included), built once per process."""
    with _TEMPLATE_LOCK:
        if week.name not in _TEMPLATES:
            root = Path(tempfile.mkdtemp(prefix=f"ai4med-template-{week.name}-"))
            shutil.copytree(week.master.parent, root / "source" / week.name)
            shutil.copy(CONFIG_FILE, root / "nbgrader_config.py")
            use_inprocess_alembic()
            result = _api(root).generate_assignment(week.name)
            if not result["success"]:
                raise RuntimeError(f"nbgrader generate_assignment {week.name} failed:\n{result.get('log', '')[-2000:]}")
            _TEMPLATES[week.name] = root
        return _TEMPLATES[week.name]


def _clip(text: str, chars: int = LINE_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _outputs(outcome, explanation: str = "") -> list:
    if explanation:  # a quiz question: the verdict, then the explanation (feedback comes after grading)
        verdict = "right." if outcome.passed else f"not right ({_clip(outcome.hint, 200)})"
        text = f"{outcome.exercise}: {verdict}\nExplanation: {' '.join(explanation.split())}\n"
        return (
            [nbformat.v4.new_output("stream", name="stdout", text=text)]
            if outcome.passed
            else [
                nbformat.v4.new_output(
                    "error", ename="WrongAnswer", evalue=text.splitlines()[0], traceback=text.splitlines()
                )
            ]
        )
    if outcome.passed:
        return [nbformat.v4.new_output("stream", name="stdout", text="All tests passed.\nHidden tests: passed.\n")]
    if outcome.stage == "public" and outcome.detail:
        lines = [_clip(line) for line in outcome.detail.strip().splitlines()[:DETAIL_LINES]]
    elif outcome.stage == "hidden":
        lines = [f"Hidden tests: {_clip(outcome.hint)}"]
    else:
        lines = [_clip(outcome.hint)]
    return [nbformat.v4.new_output("error", ename="ExerciseFailed", evalue=lines[0], traceback=lines)]


def _explanation(week: Week, name: str) -> str:
    if not week.is_quiz:
        return ""
    from grader.quizzes import explanation

    return explanation(week.course_week, name)


def _notes_cell(week: Week, report, notes: list[str]):
    lines = [
        f"Grading of {week.name}: {report.score:g} / {report.max_score:g} points (hidden tests and learner code "
        "run separately; only the setup imports and the graded cells of the notebook were run)."
    ]
    lines += [f"- {_clip(n)}" for n in notes]
    for ex in week.exercises:
        outcome = report.outcomes[ex.name]
        verdict = "pass" if outcome.passed else f"0 / {ex.points:g}: {_clip(outcome.hint, 200)}"
        lines.append(f"  {'Question' if week.is_quiz else 'Exercise'} {ex.index} {ex.name}: {verdict}")
    cell = nbformat.v4.new_code_cell("# Grading summary")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="\n".join(lines) + "\n")]
    return cell


_MASTER_LOCKED: dict[str, dict] = {}


def _master_locked_cells(week: Week) -> dict:
    """grade_id -> (source, checksum) of the master's locked cells, as nbgrader's gradebook records them."""
    if week.name not in _MASTER_LOCKED:
        from nbgrader.utils import compute_checksum

        cells = {}
        for cell in week.read_master().cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("locked"):
                cells[meta["grade_id"]] = (cell.source, compute_checksum(cell))
        _MASTER_LOCKED[week.name] = cells
    return _MASTER_LOCKED[week.name]


def _restore_locked(week: Week, nb) -> None:
    """Put the master's locked cells in place (what nbgrader's OverwriteCells would do, minus its warnings)."""
    master = _master_locked_cells(week)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("locked") and meta.get("grade_id") in master:
            cell.source, meta["checksum"] = master[meta["grade_id"]]


def _nbgrader_grade(week: Week, nb, workdir: Path) -> tuple[dict[str, float], str, str]:
    """Run nbgrader autograde + generate_feedback on ``nb`` in a copy of the template course."""
    import warnings

    from nbgrader.api import Gradebook

    root = workdir / "course"
    shutil.copytree(_template(week), root)
    target = root / "submitted" / STUDENT / week.name
    target.mkdir(parents=True)
    nbformat.write(nb, target / week.notebook_name)
    api = _api(root)
    log = []
    for step in (api.autograde, api.generate_feedback):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy's notes about nbgrader's session use
            result = step(week.name, STUDENT)
        log.append(result.get("log", ""))
        if not result["success"]:
            raise RuntimeError(f"nbgrader {step.__name__} failed: {result.get('error', '')[-1500:]}")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submitted = gb.find_submission_notebook(week.master.stem, week.name, STUDENT)
        scores = {g.name.removeprefix("test_"): float(g.score) for g in submitted.grades}
    html = (root / "feedback" / STUDENT / week.name / f"{week.master.stem}.html").read_text(encoding="utf-8")
    return scores, html, "\n".join(log)


# ----------------------------------------------------------------------------------------------------- the task


def _exercise_rows(week: Week, report) -> list[dict]:
    rows = []
    for ex in week.exercises:
        outcome = report.outcomes[ex.name]
        rows.append(
            {
                "exercise": ex.name,
                "score": ex.points if outcome.passed else 0.0,
                "max_score": ex.points,
                "status": "pass" if outcome.passed else "fail",
                "stage": outcome.stage,
                "reason": "" if outcome.passed else _clip(outcome.hint, 240),
            }
        )
    return rows


def grade_job(job: Job) -> dict:
    """Grade one submission. Never raises for anything the submission does; see the module docstring."""
    from grader.isolated import Report, grade_parsed
    from grader.runner import Outcome
    from grader.submission import SubmissionError, guess_week, parse_submission, read_notebook

    started = time.monotonic()
    result = {
        "student": job.student,
        "filename": job.filename,
        "key": job.key,
        "week": job.week,
        "notes": list(job.notes),
        "fatal": "",
        "exercises": [],
        "score": 0.0,
        "max_score": 0.0,
        "feedback_gz": b"",
        "log": "",
        "seconds": 0.0,
        "mode": "",
        "status": "graded",
    }
    log = [f"student {job.student!r}, file {job.filename!r}, limits: {job.limits.describe()}"]
    nb, week, fatal = None, None, job.read_error
    if not fatal:
        try:
            nb = read_notebook(job.data or b"", job.filename)
        except SubmissionError as err:
            fatal = str(err)
    try:
        week = get_week(job.week) if job.week else (guess_week(nb, job.filename) if nb is not None else None)
    except Exception as err:  # noqa: BLE001 - an unknown week folder
        fatal = fatal or str(err)
    if week is None:
        result["fatal"] = (
            fatal
            or "cannot tell which week this notebook belongs to (no ai4med.week metadata, no "
            "week in the file name and no exercise cell found)"
        )
        result["week"] = None
        result["seconds"] = time.monotonic() - started
        result["log"] = "\n".join(log + [f"fatal: {result['fatal']}"])
        return result
    result["week"] = week.name
    result["max_score"] = week.max_points
    if nb is not None and not fatal:
        parsed = parse_submission(nb, week)
    else:
        from grader.submission import ParsedSubmission

        parsed = ParsedSubmission(week, fatal=fatal)
    report = (
        grade_parsed(parsed, job.limits)
        if not parsed.fatal
        else Report(
            week, {ex.name: Outcome(ex.name, False, "load", parsed.fatal) for ex in week.exercises}, fatal=parsed.fatal
        )
    )
    notes = list(job.notes) + report.notes + ([f"not graded: {report.fatal}"] if report.fatal else [])
    result.update(
        fatal=report.fatal, notes=notes, mode=report.mode, exercises=_exercise_rows(week, report), score=report.score
    )
    log.append(
        f"isolation: {report.mode or '-'}; sandbox start-ups: "
        f"{', '.join(f'{s:.2f} s' for s in report.startup_seconds) or 'none'}; tests {report.seconds:.1f} s"
    )
    log += [f"{r['exercise']}: {r['status']} ({r['stage']}) {r['reason']}" for r in result["exercises"]]
    from grader.submission import graded_notebook

    graded = graded_notebook(parsed)
    for cell in graded.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if (
            cell.cell_type == "code"
            and cell.metadata.get("nbgrader", {}).get("grade")
            and grade_id.removeprefix("test_") in report.outcomes
        ):
            name = grade_id.removeprefix("test_")
            cell.outputs = _outputs(report.outcomes[name], _explanation(week, name))
    _restore_locked(week, graded)
    graded.cells.insert(1, _notes_cell(week, report, notes))
    workdir = Path(tempfile.mkdtemp(prefix="ai4med-task-"))
    try:
        scores, html, nbgrader_log = _nbgrader_grade(week, graded, workdir)
        mismatch = {
            r["exercise"]: scores.get(r["exercise"])
            for r in result["exercises"]
            if scores.get(r["exercise"]) != r["score"]
        }
        if mismatch:
            raise RuntimeError(f"nbgrader's scores differ from the checker's: {mismatch}")
        result["feedback_gz"] = zlib.compress(html.encode("utf-8"), 6)  # about 6x smaller on the wire
        log.append("nbgrader autograde + generate_feedback: ok")
        log.append(nbgrader_log[-4000:])
    except Exception:  # noqa: BLE001 - the grades stand; the instructor sees why the feedback is missing
        result["status"] = "graded-without-feedback"
        log.append("nbgrader failed:\n" + traceback.format_exc()[-3000:])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result["seconds"] = time.monotonic() - started
    result["log"] = "\n".join(log)
    return result


def job_summary(job: Job) -> dict:
    """The job without its notebook bytes (for logs and dry runs)."""
    summary = asdict(job)
    summary.pop("data")
    summary["limits"] = job.limits.describe()
    return summary
