"""Every learner notebook, executed top to bottom with the reference solutions filled in, is clean in JupyterLab:
no error, nothing on standard error, every figure drawn.

Two halves (see notebook_outputs.py for why this proves it for every week within the time budget):
- each week's executed copy (nbval's FAST-mode run of the master, outputs moved onto the learner notebook) is
  checked cell by cell, then opened in JupyterLab, where every output must render and every picture decode;
- one week (C2W3) is executed live in the browser with Run All Cells, and must show the same pictures in the same
  cells as its executed copy.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from notebook_outputs import META_KEY, problems

from grader.course import get_week, weeks

pytestmark = pytest.mark.browser

LIVE_WEEK = "C2W3"


def _pictures(nb) -> list[int]:
    """Number of PNG outputs of each code cell of a saved notebook."""
    return [
        sum("image/png" in out.get("data", {}) for out in cell.outputs) for cell in nb.cells if cell.cell_type == "code"
    ]


def _assert_rendered(shown: list[dict], expected_pictures: list[int], what: str) -> None:
    stderr = {cell["number"]: cell["stderr"] for cell in shown if cell["stderr"]}
    assert not stderr, f"{what}: standard error or an error shown under code cell(s) {stderr}"
    undrawn = {
        cell["number"]: f"{cell['drawn']} of {cell['images']}" for cell in shown if cell["drawn"] != cell["images"]
    }
    assert not undrawn, f"{what}: pictures that did not render (drawn of present, by code cell): {undrawn}"
    assert [cell["images"] for cell in shown] == expected_pictures, (
        f"{what}: pictures per code cell in the page {[c['images'] for c in shown]}, in the notebook "
        f"{expected_pictures}"
    )


@pytest.mark.parametrize("week", weeks(), ids=lambda week: week.name)
def test_executed_notebook_is_clean_and_renders(week, learner, executed_copy, scratch):
    path = executed_copy(week)
    nb = nbformat.read(path, as_version=4)
    assert not nb.metadata[META_KEY]["failed_cells"], (
        f"{week.name}: code cells {nb.metadata[META_KEY]['failed_cells']} failed when the master was executed "
        "(see the nbval failures above)"
    )
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    found = {number: problems(cell.outputs) for number, cell in enumerate(code) if problems(cell.outputs)}
    assert not found, f"{week.name}: not clean for a learner: {found}"
    pictures = _pictures(nb)
    assert sum(pictures) > 0, f"{week.name}: the executed notebook shows no figure at all"

    (scratch / "executed").mkdir(exist_ok=True)
    shutil.copy(path, scratch / "executed" / week.learner.name)
    learner.open_notebook(f"{scratch.name}/executed/{week.learner.name}")
    shown = learner.outputs()
    _assert_rendered(shown, pictures, f"{week.name} (executed copy in JupyterLab)")
    first_figure = next(number for number, count in enumerate(pictures) if count)
    learner.code_cells.nth(first_figure).scroll_into_view_if_needed()
    learner.shot(f"{week.name}-first-figure")


def test_a_solved_notebook_runs_clean_in_the_browser(learner, solved_copy, executed_copy):
    week = get_week(LIVE_WEEK)
    learner.open_notebook(solved_copy(week))
    learner.run_all()
    shown = learner.outputs()
    unrun = [cell["number"] for cell in shown if not cell["prompt"].strip("[]: ").isdigit()]
    assert not unrun, f"code cells {unrun} did not run (Run All stops at the first error)"
    expected = _pictures(nbformat.read(executed_copy(week), as_version=4))
    _assert_rendered(shown, expected, f"{week.name} run in JupyterLab")
    plot = learner.cell_with("naive = [naive_estimator(t, df) for t in times]")  # the learner's KM vs naive
    # the README's picture: the file browser (open on the tests' scratch folder) folded away, as a learner may
    learner.page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
    learner.page.wait_for_selector("#jp-left-stack", state="hidden")
    for _ in range(3):  # cells above take their real height as they render: scroll until it stays put
        plot.evaluate("cell => cell.scrollIntoView({block: 'start'})")
        learner.page.wait_for_timeout(400)
    learner.shot("notebook-with-a-plot")
