"""Generated files are fresh, notebooks are stored clean, and masters follow the course's cell standard."""

import json
import re

import nbformat
import pytest

from grader.build import build, learner_notebook, solutions_module
from grader.course import NOTEBOOKS_DIR, REPO_ROOT, SOURCE_DIR, weeks
from grader.notebook import graded_cells

WEEKS = weeks()


def test_generated_files_are_fresh():
    stale = build(check=True)
    assert not stale, f"run `python -m grader build` and commit: {stale}"


@pytest.mark.parametrize(
    "path", sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + sorted(SOURCE_DIR.rglob("*.ipynb")), ids=lambda p: p.name
)
def test_notebooks_are_stored_without_outputs(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, f"{path.name} has outputs"


@pytest.mark.parametrize("week", WEEKS, ids=lambda w: w.name)
def test_learner_notebook_has_stubs_and_no_hidden_tests(week):
    text = week.learner.read_text()
    assert "BEGIN HIDDEN TESTS" not in text and "grader.hidden" not in text
    assert "BEGIN SOLUTION" not in text
    learner = nbformat.read(week.learner, as_version=4)
    for cell in graded_cells(learner):
        assert "raise NotImplementedError()" in cell.source
    assert learner.metadata["ai4med"]["week"] == week.name


@pytest.mark.parametrize("week", WEEKS, ids=lambda w: w.name)
def test_reference_module_is_the_masters_solution_verbatim(week):
    master = week.read_master()
    text = week.solutions_file.read_text()
    assert text == solutions_module(week, master)
    for cell in graded_cells(master):
        inside = re.search(r"### BEGIN SOLUTION\n(.*?)\n\s*### END SOLUTION", cell.source, re.S).group(1)
        assert inside in text


@pytest.mark.parametrize("week", WEEKS, ids=lambda w: w.name)
def test_master_follows_the_cell_standard(week):
    nb = week.read_master()
    cells = nb.cells
    first = cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {week.name} — ")
    assert "Learning objectives" in first.source
    headings = [
        (i, line)
        for i, c in enumerate(cells)
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]
    titles = [h for _, h in headings]
    assert titles[0] == "## Setup" and "## Data" in titles and titles[-1] == "## Summary"
    setup_index = headings[0][0]
    setup_code = next(c for c in cells[setup_index:] if c.cell_type == "code")
    assert "setup_notebook(" in setup_code.source
    # exercises: "## Exercise N — name", then the solution cell, then its graded test cell
    exercise_headings = [(i, h) for i, h in headings if h.startswith("## Exercise")]
    assert [h for _, h in exercise_headings] == [f"## Exercise {ex.index} — {ex.name}" for ex in week.exercises]
    for (i, _), ex in zip(exercise_headings, week.exercises):
        code_after = [c for c in cells[i:] if c.cell_type == "code"][:2]
        sol, test = (c.metadata.get("nbgrader", {}) for c in code_after)
        assert sol.get("solution") and sol["grade_id"] == ex.name
        assert test.get("grade") and test["grade_id"] == f"test_{ex.name}" and test.get("locked")
        assert code_after[0].source.startswith(f"# GRADED FUNCTION: {ex.name}")
        assert code_after[1].source.startswith(f"test_{ex.name}({ex.name})")
        assert f"check_{ex.name}({ex.name})" in code_after[1].source


@pytest.mark.parametrize("week", WEEKS, ids=lambda w: w.name)
def test_learner_notebook_matches_nbgrader_preprocessing(week):
    assert nbformat.writes(learner_notebook(week)) + "\n" == week.learner.read_text()


def test_no_absolute_paths_or_fast_switch_outside_config():
    offenders = []
    for path in list((REPO_ROOT / "helpers").rglob("*.py")) + list((REPO_ROOT / "grader").rglob("*.py")):
        text = path.read_text()
        if re.search(r"environ[^\n]*AI4MED_FAST|getenv\([^\n]*AI4MED_FAST", text) and path.name != "config.py":
            offenders.append(f"{path}: reads AI4MED_FAST (only helpers/config.py may)")
        if re.search(r"['\"]/(work|home|root|tmp)/", text):
            offenders.append(f"{path}: absolute path")
    for path in SOURCE_DIR.rglob("*.ipynb"):
        if re.search(r"environ[^\n]*AI4MED_FAST|getenv\([^\n]*AI4MED_FAST", path.read_text()):
            offenders.append(f"{path}: reads AI4MED_FAST directly (use helpers.config)")
    assert not offenders, offenders
