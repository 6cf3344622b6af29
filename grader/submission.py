"""Reading a submitted notebook whatever state it is in, and rebuilding the notebook nbgrader grades.

A submission contributes only its Setup imports and its graded cells. Each graded cell is found by its nbgrader
``grade_id`` or, when an editor stripped the cell metadata, by its ``# GRADED FUNCTION: name`` line or the top-level
definition of ``name``. The notebook handed to nbgrader is the released notebook with the learner's graded cells put
in: locked test cells, their metadata and everything else come from the release, so an edited, deleted or duplicated
cell cannot change what is graded. Everything noticed on the way becomes a one-line note in the feedback.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from dataclasses import dataclass, field

import nbformat

from grader.course import METADATA_KEY, Week, assignments, week_in_filename
from grader.notebook import _imports

__all__ = ["ParsedSubmission", "SubmissionError", "graded_notebook", "parse_submission", "read_notebook"]

GRADED_LINE = re.compile(r"^\s*#\s*GRADED (?:FUNCTION|ANSWER):\s*([A-Za-z_][A-Za-z0-9_]*)", re.M)
MAX_NOTEBOOK_BYTES = 32 * 2**20


class SubmissionError(Exception):
    """The file cannot be graded at all (one-line reason)."""


@dataclass
class ParsedSubmission:
    week: Week
    setup: list[str] = field(default_factory=list)  # top-level import statements before the first graded cell
    cells: dict[str, str] = field(default_factory=dict)  # exercise -> source of its graded cell
    missing: dict[str, str] = field(default_factory=dict)  # exercise -> why it has no cell to grade
    notes: list[str] = field(default_factory=list)  # one-line remarks for the feedback
    fatal: str = ""  # set when nothing in the file can be graded for this week


def read_notebook(data: bytes, name: str = "notebook"):
    """Parse notebook bytes; raise :class:`SubmissionError` with a one-line reason if that is impossible."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise SubmissionError(
            f"{name} is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB (clear the outputs and submit again)"
        )
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise SubmissionError(f"{name} is not a text file (is it a notebook?)") from None
    except json.JSONDecodeError as err:
        raise SubmissionError(
            f"{name} is not a valid notebook: corrupt JSON at line {err.lineno}, column {err.colno} ({err.msg})"
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise SubmissionError(f"{name} is not a Jupyter notebook (no list of cells)")
    try:
        return nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as err:  # noqa: BLE001 - nbformat raises many kinds of errors on odd files
        raise SubmissionError(f"{name} is not a notebook nbformat can read ({type(err).__name__})") from None


def tagged_week(nb) -> str | None:
    meta = nb.get("metadata", {}) or {}
    tagged = (meta.get(METADATA_KEY) or {}).get("week") if isinstance(meta.get(METADATA_KEY), dict) else None
    return str(tagged) if tagged else None


def guess_week(nb, filename: str) -> Week | None:
    """The week a notebook says it belongs to (metadata, else file name, else the exercises it defines)."""
    known = {w.name: w for w in assignments()}
    tagged = tagged_week(nb)
    if tagged in known:
        return known[tagged]
    named = week_in_filename(filename)
    if named in known:
        return known[named]
    found = set(GRADED_LINE.findall("\n".join(_code(c) for c in nb.cells if c.get("cell_type") == "code")))
    best = max(known.values(), key=lambda w: len(found & {e.name for e in w.exercises}), default=None)
    if best is not None and found & {e.name for e in best.exercises}:
        return best
    return None


def _code(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _meta(cell) -> dict:
    meta = (cell.get("metadata") or {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def _defines(source: str, name: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(
        (isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name)
        or (isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets))
        for n in tree.body
    )  # a quiz answer cell assigns its variable


def parse_submission(nb, week: Week) -> ParsedSubmission:
    """Find the setup imports and each exercise's graded cell of ``nb`` for ``week`` (see the module docstring)."""
    parsed = ParsedSubmission(week)
    names = [e.name for e in week.exercises]
    tagged = tagged_week(nb)
    if tagged and tagged != week.name:
        other = tagged if tagged in {w.name for w in assignments()} else f"{tagged!r}"
        parsed.fatal = f"this is a notebook of week {other}, not of {week.name}: submit the {week.name} notebook"
        return parsed
    code_cells = [c for c in nb.cells if c.get("cell_type") == "code"]
    by_metadata: dict[str, list[int]] = {}
    by_line: dict[str, list[int]] = {}
    for i, cell in enumerate(code_cells):
        meta, source = _meta(cell), _code(cell)
        if meta.get("solution") and meta.get("grade_id") in names:
            by_metadata.setdefault(meta["grade_id"], []).append(i)
            continue
        for name in names:
            if re.search(rf"^\s*#\s*GRADED (?:FUNCTION|ANSWER):\s*{name}\b", source, re.M) or (
                name in source and _defines(source, name)
            ):
                by_line.setdefault(name, []).append(i)
    first_graded = len(code_cells)
    stripped = []
    for name in names:
        found = by_metadata.get(name) or by_line.get(name)
        if not found:
            parsed.missing[name] = (
                f"the cell of exercise {name} is missing from the notebook (no cell with "
                f"'# GRADED FUNCTION: {name}' or a definition of {name})"
            )
            continue
        if len(found) > 1:
            parsed.notes.append(f"{name}: the answer cell appears {len(found)} times; the last copy is graded")
        if name not in by_metadata:
            stripped.append(name)
        parsed.cells[name] = _code(code_cells[found[-1]])
        first_graded = min(first_graded, found[0])
    if stripped:
        parsed.notes.append(
            f"the nbgrader metadata of the cell(s) {', '.join(stripped)} is missing (an editor may "
            "have removed it); they were found by their '# GRADED FUNCTION' line and graded"
        )
    if not parsed.cells and not tagged:
        parsed.fatal = f"no exercise of week {week.name} was found in this notebook"
        return parsed
    for cell in code_cells[:first_graded]:
        parsed.setup.extend(ast.unparse(node) for node in _imports(_code(cell)))
    parsed.notes.extend(_locked_cell_notes(nb, week))
    return parsed


def _locked_cell_notes(nb, week: Week) -> list[str]:
    released = {_meta(c).get("grade_id"): _code(c) for c in _release(week).cells if _meta(c).get("locked")}
    submitted: dict[str, list[str]] = {}
    for cell in nb.cells:
        grade_id = _meta(cell).get("grade_id")
        if grade_id in released:
            submitted.setdefault(grade_id, []).append(_code(cell))
    edited = [g for g, sources in submitted.items() if any(s.strip() != released[g].strip() for s in sources)]
    deleted = [g for g in released if g not in submitted and g.startswith("test_")]
    notes = []
    if edited:
        notes.append(f"locked cell(s) {', '.join(sorted(edited))} were edited: the released version was graded")
    if deleted and len(deleted) < len([g for g in released if g.startswith("test_")]):
        notes.append(f"locked test cell(s) {', '.join(deleted)} were deleted or lost their metadata: restored")
    return notes


_RELEASES: dict[str, object] = {}


def _release(week: Week):
    if week.name not in _RELEASES:
        _RELEASES[week.name] = nbformat.read(week.learner, as_version=4)
    return _RELEASES[week.name]


def graded_notebook(parsed: ParsedSubmission):
    """The released notebook of the week with the learner's graded cells in place (what nbgrader grades)."""
    nb = copy.deepcopy(_release(parsed.week))
    for cell in nb.cells:
        meta = _meta(cell)
        if cell.cell_type == "code" and meta.get("solution") and meta.get("grade_id") in parsed.cells:
            cell.source = parsed.cells[meta["grade_id"]]
    return nb
