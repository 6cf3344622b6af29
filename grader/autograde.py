"""``python -m grader autograde``: grade a folder of submissions on Dask, from one laptop to a cluster.

Accepted layouts (``SUBMISSIONS``):

    SUBMISSIONS/<student>/<WEEK>/<any name>.ipynb     (nbgrader's submitted/ layout: the folder decides the week)
    SUBMISSIONS/<student>/<any name>.ipynb            (the week is read from the notebook)

One Dask task grades one submission (:func:`grader.task.grade_job`: learner code in a sandbox, tests in the task,
then nbgrader's autograde and feedback in a one-submission temporary course) and returns plain results. The driver
(this process) keeps a bounded number of tasks in flight, stores every result as it arrives
(``OUT/results/<student>/<WEEK>.json``, ``OUT/feedback/<student>/<WEEK>/<notebook>.html``, ``OUT/logs/...``) and,
at the end, rebuilds from the stored results the nbgrader gradebook ``OUT/gradebook.db``, ``OUT/grades.csv``
(nbgrader's export columns) and ``OUT/grades_by_exercise.csv`` (with a one-line reason for every lost point).
A stored result whose notebook, tests, grader and limits are unchanged is never graded again, so re-running is
idempotent and an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import statistics
import sys
import time
import urllib.parse
import warnings
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from grader.course import WEEK_PATTERN, CourseError, assignments, get_week, week_in_filename
from grader.sandbox import Limits
from grader.task import Job, fingerprint, grade_job

__all__ = ["Spec", "autograde", "discover", "nbgrader_env"]

EXERCISE_COLUMNS = ["student_id", "assignment", "exercise", "score", "max_score", "status", "reason"]
GRADE_COLUMNS = [
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
]


@dataclass
class Spec:
    """One (student, week) to grade, before its notebook is read."""

    student: str
    week: str | None
    path: Path | None
    notes: list[str] = field(default_factory=list)
    problem: str = ""  # set when there is nothing to grade (e.g. an empty student folder)

    @property
    def slot(self) -> str:
        return self.week or f"unknown-{self.path.name if self.path else 'none'}"


def nbgrader_env() -> dict:
    """nbgrader shells out to `alembic` and `jupyter`: put this environment's bin/ first on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    return dict(os.environ, PATH=os.pathsep.join([bin_dir, os.environ.get("PATH", "")]))


# ----------------------------------------------------------------------------------------------------- discovery


def _peek_week(path: Path) -> str | None:
    from grader.submission import SubmissionError, guess_week, read_notebook

    try:
        week = guess_week(read_notebook(path.read_bytes(), path.name), path.name)
    except (SubmissionError, OSError):
        named = week_in_filename(path.name)
        return named if named in {w.name for w in assignments()} else None
    return week.name if week else None


def discover(root: Path) -> tuple[list[Spec], list[str]]:
    """Every student folder yields at least one :class:`Spec`; the second value lists warnings."""
    if not root.is_dir():
        raise CourseError(f"submissions folder not found: {root}")
    problems = [f"{p}: not inside a student folder; ignored" for p in sorted(root.glob("*.ipynb"))]
    specs: list[Spec] = []
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        student = student_dir.name
        groups: dict[str, list[Path]] = defaultdict(list)
        for path in sorted(student_dir.rglob("*.ipynb")):
            if ".ipynb_checkpoints" in path.parts or any(
                part.startswith(".") for part in path.relative_to(student_dir).parts
            ):
                continue
            folder = next(
                (part.upper() for part in path.relative_to(student_dir).parts[:-1] if WEEK_PATTERN.match(part.upper())),
                None,
            )
            week = folder or _peek_week(path)
            groups[week or f"?{path.name}"].append(path)
        if not groups:
            specs.append(Spec(student, None, None, problem=f"no notebook found in {student_dir.name}/"))
        for slot, paths in sorted(groups.items()):
            week = None if slot.startswith("?") else slot
            chosen, notes = _choose(week, paths)
            specs.append(Spec(student, week, chosen, notes))
    return specs, problems


def _choose(week: str | None, paths: list[Path]) -> tuple[Path, list[str]]:
    if len(paths) == 1:
        return paths[0], []
    released = None
    if week is not None:
        with_name = [p for p in paths if p.name == get_week(week).notebook_name]
        released = with_name[-1] if with_name else None
    chosen = released or max(paths, key=lambda p: (p.stat().st_mtime, p.name))
    why = "the released file name" if released else "the most recently modified"
    ignored = ", ".join(str(p.name) for p in paths if p != chosen)
    return chosen, [f"{len(paths)} notebooks for {week}: graded {chosen.name} ({why}); ignored {ignored}"]


# ----------------------------------------------------------------------------------------------------- storage


def _slot_path(out: Path, kind: str, spec: Spec, suffix: str) -> Path:
    return out / kind / urllib.parse.quote(spec.student, safe=" @+-_.") / f"{spec.slot}{suffix}"


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _job(spec: Spec, limits: Limits, fingerprints: dict) -> Job:
    data, error = None, spec.problem
    if spec.path is not None:
        try:
            data = spec.path.read_bytes()
        except OSError as err:
            error = f"{spec.path.name} could not be read ({err.strerror})"
    digest = hashlib.sha256()
    for part in (
        spec.student,
        spec.week or "",
        spec.path.name if spec.path else "",
        error,
        fingerprints.get(spec.week, "any"),
        repr(limits),
    ):
        digest.update(part.encode() + b"\0")
    digest.update(data or b"")
    filename = spec.path.name if spec.path else ""
    return Job(spec.student, spec.week, filename, data, error, tuple(spec.notes), limits, digest.hexdigest()[:24])


def _stored(out: Path, spec: Spec) -> dict | None:
    path = _slot_path(out, "results", spec, ".json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _store(out: Path, spec: Spec, result: dict) -> None:
    compressed = result.pop("feedback_gz", b"")
    html = zlib.decompress(compressed).decode("utf-8") if compressed else ""
    log = result.pop("log", "")
    if html and result.get("week"):
        page = out / "feedback" / spec.student / result["week"] / f"{get_week(result['week']).master.stem}.html"
        _atomic_write(page, html)
    _atomic_write(_slot_path(out, "logs", spec, ".log"), log + "\n")
    _atomic_write(_slot_path(out, "results", spec, ".json"), json.dumps(result, indent=1))


def _failure(job: Job, err: BaseException) -> dict:
    name = type(err).__name__
    reason = (
        f"grading failed: the grading process died while grading this submission ({name}); it is graded "
        "again on the next run"
        if name == "KilledWorker"
        else f"grading failed ({name}: {str(err)[:200]})"
    )
    return {
        "student": job.student,
        "filename": job.filename,
        "key": job.key,
        "week": job.week,
        "notes": list(job.notes),
        "fatal": reason,
        "exercises": [],
        "score": 0.0,
        "max_score": get_week(job.week).max_points if job.week else 0.0,
        "feedback_gz": b"",
        "log": reason,
        "seconds": 0.0,
        "mode": "",
        "status": "failed",
    }


# ----------------------------------------------------------------------------------------------------- running


def _client(workers: int, scheduler: str | None):
    import logging

    from dask.distributed import Client, LocalCluster

    if scheduler:
        if Path(scheduler).is_file():
            return Client(scheduler_file=scheduler), None
        return Client(scheduler), None
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
    )
    return Client(cluster), cluster


def _release_memory() -> None:
    """Give freed heap memory back to the system (glibc keeps it after many mid-sized allocations)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def run(
    specs: list[Spec],
    out: Path,
    limits: Limits,
    *,
    workers: int,
    scheduler: str | None = None,
    grade_fn=grade_job,
    progress: bool = True,
    on_result=None,
) -> dict[str, int]:
    """Grade every spec that has no valid stored result; store results as they arrive."""
    from dask.distributed import as_completed
    from tqdm.auto import tqdm

    fingerprints = {w.name: fingerprint(w, limits) for w in assignments()}
    todo = []
    for spec in specs:
        job = _job(spec, limits, fingerprints)
        stored = _stored(out, spec)
        if stored is None or stored.get("key") != job.key or stored.get("status") == "failed":
            todo.append(spec)
    counts = {"total": len(specs), "stored": len(specs) - len(todo), "graded": 0, "failed": 0}
    if not todo:
        return counts
    client, cluster = _client(workers, scheduler)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        window = 3 * n_workers + 2
        queue = iter(todo)
        flying: dict[str, tuple[Spec, Job]] = {}
        completed = as_completed()

        def submit_next() -> None:
            spec = next(queue, None)
            if spec is None:
                return
            job = _job(spec, limits, fingerprints)
            future = client.submit(grade_fn, job, key=f"ai4med-grade-{job.key}", pure=False, retries=1)
            flying[future.key] = (spec, job)
            completed.add(future)

        for _ in range(window):
            submit_next()
        with tqdm(
            total=len(specs),
            initial=counts["stored"],
            unit="submission",
            desc="grading",
            disable=not progress,
            smoothing=0.1,
        ) as bar:
            for future in completed:
                spec, job = flying.pop(future.key)
                try:
                    result = future.result()
                except Exception as err:  # noqa: BLE001 - KilledWorker after repeated worker deaths, and the like
                    result = _failure(job, err)
                future.release()
                counts["failed" if result.get("status") == "failed" else "graded"] += 1
                _store(out, spec, result)
                if on_result is not None:
                    on_result(result, client)
                del result
                if (counts["graded"] + counts["failed"]) % 50 == 0:
                    _release_memory()
                bar.update(1)
                submit_next()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return counts


# ----------------------------------------------------------------------------------------------------- merging


def _gradebook(out: Path, results: list[tuple[Spec, dict]], students: list[str]) -> None:
    """Rebuild OUT/gradebook.db (nbgrader's gradebook) from the stored results."""
    from nbgrader.api import Gradebook

    path = out / "gradebook.db"
    path.unlink(missing_ok=True)
    present = sorted({r["week"] for _, r in results if r.get("week")})
    from grader.task import use_inprocess_alembic

    use_inprocess_alembic()
    with Gradebook(f"sqlite:///{path}", course_id="ai4med") as gb:
        for name in present:
            week = get_week(name)
            gb.update_or_create_assignment(name)
            gb.update_or_create_notebook(week.master.stem, name)
            for ex in week.exercises:
                gb.update_or_create_grade_cell(
                    f"test_{ex.name}", week.master.stem, name, max_score=ex.points, cell_type="code"
                )
        for student in students:
            gb.update_or_create_student(student)
        for spec, result in results:
            if not result.get("week"):
                continue
            submission = gb.update_or_create_submission(result["week"], spec.student)
            notebook = submission.notebooks[0]
            scores = {f"test_{row['exercise']}": float(row["score"]) for row in result["exercises"]}
            for grade in notebook.grades:
                grade.auto_score = scores.get(grade.name, 0.0)
                grade.needs_manual_grade = False
            gb.db.commit()


def _export(out: Path) -> list[dict]:
    """nbgrader's CSV export (same columns and rules), written with proper CSV quoting."""
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}", course_id="ai4med") as gb:
        for assignment in gb.assignments:
            for student in gb.students:
                row = {
                    "assignment": assignment.name,
                    "duedate": assignment.duedate or "",
                    "student_id": student.id,
                    "last_name": student.last_name or "",
                    "first_name": student.first_name or "",
                    "email": student.email or "",
                    "max_score": assignment.max_score,
                    "timestamp": "",
                    "raw_score": 0.0,
                    "late_submission_penalty": 0.0,
                    "score": 0.0,
                }
                try:
                    submission = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    pass
                else:
                    row.update(
                        timestamp=submission.timestamp or "",
                        raw_score=submission.score,
                        late_submission_penalty=submission.late_submission_penalty or 0.0,
                        score=submission.score - (submission.late_submission_penalty or 0.0),
                    )
                rows.append(row)
    rows.sort(key=lambda r: (r["assignment"], r["student_id"]))
    with open(out / "grades.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=GRADE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _exercise_rows(results: list[tuple[Spec, dict]]) -> list[dict]:
    rows = []
    for spec, result in results:
        week = result.get("week") or ""
        if not result["exercises"]:
            rows.append(
                {
                    "student_id": spec.student,
                    "assignment": week,
                    "exercise": "",
                    "score": 0.0,
                    "max_score": result.get("max_score", 0.0),
                    "status": "fail",
                    "reason": result.get("fatal") or "not graded",
                }
            )
        for row in result["exercises"]:
            rows.append(
                {
                    "student_id": spec.student,
                    "assignment": week,
                    **{k: row[k] for k in ("exercise", "score", "max_score", "status", "reason")},
                }
            )
        if result.get("notes"):
            rows.append(
                {
                    "student_id": spec.student,
                    "assignment": week,
                    "exercise": "(notes)",
                    "score": "",
                    "max_score": "",
                    "status": "note",
                    "reason": " | ".join(result["notes"])[:1000],
                }
            )
    with_rows = sorted(rows, key=lambda r: (r["assignment"], r["student_id"]))
    return with_rows


def merge(out: Path, specs: list[Spec]) -> tuple[list[dict], list[dict], list[tuple[Spec, dict]]]:
    results = []
    for spec in specs:
        stored = _stored(out, spec)
        if stored is None:
            stored = _failure(
                Job(spec.student, spec.week, spec.path.name if spec.path else "", None),
                RuntimeError("no result was stored (interrupted run?)"),
            )
        results.append((spec, stored))
    students = sorted({s.student for s in specs})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy's notes about nbgrader's session use
        _gradebook(out, results, students)
    grade_rows = _export(out)
    exercise_rows = _exercise_rows(results)
    with open(out / "grades_by_exercise.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=EXERCISE_COLUMNS)
        writer.writeheader()
        writer.writerows(exercise_rows)
    return grade_rows, exercise_rows, results


# ----------------------------------------------------------------------------------------------------- summary


def reason_kind(reason: str) -> str:
    text = reason.lower()
    for kind, words in (
        ("not implemented", ("not implemented yet", "not answered yet")),
        ("reference solution", ("reference solution",)),
        ("time limit", ("did not finish", "time limit")),
        ("memory limit", ("memory limit",)),
        ("process ended", ("process ended", "stopped the learner process", "exited with code")),
        ("cell error", ("syntax error", "running the cell", "does not define", "is not a function")),
        ("missing cell", ("is missing from the notebook",)),
        (
            "not gradable",
            (
                "not a valid notebook",
                "notebook of week",
                "cannot tell",
                "no notebook",
                "not a jupyter",
                "no exercise of week",
                "larger than",
                "not a text file",
                "could not be read",
            ),
        ),
        ("grading failed", ("grading failed",)),
    ):
        if any(w in text for w in words):
            return kind
    return "wrong answer"


def summary_table(results: list[tuple[Spec, dict]]) -> str:
    by_week: dict[str, list[dict]] = defaultdict(list)
    for _, result in results:
        by_week[result.get("week") or "?"].append(result)
    lines = [f"{'week':<6} {'n':>4} {'mean':>6} {'median':>6} {'full':>5}  failures by reason"]
    for week, items in sorted(by_week.items()):
        scores = [float(r["score"]) for r in items]
        top = items[0].get("max_score") or 0
        reasons = Counter(reason_kind(row["reason"]) for r in items for row in r["exercises"] if row["reason"])
        reasons.update(reason_kind(r["fatal"]) for r in items if r.get("fatal") and not r["exercises"])
        text = ", ".join(f"{k} {v}" for k, v in reasons.most_common()) or "none"
        lines.append(
            f"{week:<6} {len(items):>4} {statistics.mean(scores):>6.2f} {statistics.median(scores):>6.2f} "
            f"{sum(s == top for s in scores):>5}  {text}"
        )
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------- command


def autograde(
    submissions_dir: Path,
    out: Path,
    workers: int | None = None,
    *,
    scheduler: str | None = None,
    limits: Limits | None = None,
    dry_run: bool = False,
    regrade: bool = False,
    progress: bool = True,
    grade_fn=grade_job,
    on_result=None,
) -> int:
    limits = limits or Limits()
    workers = max(1, workers or os.cpu_count() or 1)
    specs, problems = discover(submissions_dir)
    for problem in problems:
        print(f"warning: {problem}")
    if not specs:
        raise CourseError(f"no student folders found under {submissions_dir}")
    out.mkdir(parents=True, exist_ok=True)
    if regrade:
        shutil.rmtree(out / "results", ignore_errors=True)
    students = sorted({s.student for s in specs})
    if dry_run:
        fingerprints = {w.name: fingerprint(w, limits) for w in assignments()}
        done = sum(1 for s in specs if (_stored(out, s) or {}).get("key") == _job(s, limits, fingerprints).key)
        print(
            f"dry run: {len(specs)} submission(s) from {len(students)} student(s); {done} already graded, "
            f"{len(specs) - done} to grade; limits: {limits.describe()}"
        )
        for spec in specs:
            what = spec.path.relative_to(submissions_dir) if spec.path else spec.problem
            print(
                f"  {spec.student:<20} {spec.week or '?':<6} {what}" + "".join(f"\n      note: {n}" for n in spec.notes)
            )
        return 0
    where = f"the Dask scheduler {scheduler}" if scheduler else f"a local Dask cluster of {workers} worker(s)"
    print(f"grading {len(specs)} submission(s) from {len(students)} student(s) on {where}; limits: {limits.describe()}")
    started = time.perf_counter()
    try:
        counts = run(
            specs,
            out,
            limits,
            workers=workers,
            scheduler=scheduler,
            grade_fn=grade_fn,
            progress=progress,
            on_result=on_result,
        )
    except KeyboardInterrupt:
        print("\ninterrupted: every result that arrived is stored; run the same command again to resume")
        return 130
    grade_rows, _, results = merge(out, specs)
    print(f"\n{'student':<20} {'week':<6} {'score':>7} / max")
    for row in grade_rows:
        print(f"{row['student_id']:<20} {row['assignment']:<6} {float(row['score']):>7g} / {float(row['max_score']):g}")
    for spec, result in results:
        if not result.get("week"):
            print(f"{spec.student:<20} {'?':<6} {0:>7g}   ({result.get('fatal')})")
    print("\n" + summary_table(results))
    print(
        f"\n{counts['graded']} graded now, {counts['stored']} already graded, {counts['failed']} failed; "
        f"done in {time.perf_counter() - started:.1f} s -> {out / 'grades.csv'}, {out / 'grades_by_exercise.csv'}, "
        f"{out / 'feedback'}{os.sep}, {out / 'gradebook.db'}"
    )
    unknown = [r for _, r in results if not r.get("week")]
    return 1 if counts["failed"] or unknown or problems else 0
