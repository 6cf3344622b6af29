"""Every interactive slider in the course works in the browser: moved with the mouse, it changes what is shown.

Which weeks have sliders is found, not listed: a week whose master calls a ``helpers`` function that builds an
ipywidgets slider (or builds one itself, or uses ``interact``) is tested; the cells that build a slider and showed
a widget when the master was executed are the ones moved. A small notebook of this file's own, with the two patterns the course
uses (a slider rewriting an HTML report; ``interactive`` redrawing a matplotlib figure), is always tested, so the
check is proven even before a week has a slider.
"""

from __future__ import annotations

import json
import time

import nbformat
import pytest
from notebook_outputs import META_KEY, makes_slider

from grader.course import weeks

pytestmark = pytest.mark.browser

FIXTURE_CELLS = [
    "import ipywidgets as widgets\nimport matplotlib.pyplot as plt\nimport numpy as np",
    # a control that rewrites an HTML report (the C1W2 threshold explorer's pattern)
    'level = widgets.FloatSlider(value=0.5, min=0, max=1, step=0.01, description="level")\n'
    "report = widgets.HTML()\n\n"
    "def show(change=None):\n"
    '    report.value = f"<b>level {level.value:.2f}</b>: {round(level.value * 80)} of 80 patients above it"\n\n'
    'show()\nlevel.observe(show, names="value")\nwidgets.VBox([level, report])',
    # interactive() redrawing a figure on release (the C1W3 slice viewer's pattern)
    "def draw(k):\n"
    "    fig, ax = plt.subplots(figsize=(4, 2.5))\n"
    "    ax.plot(np.linspace(0, 1, 50), np.linspace(0, 1, 50) ** (k / 5 + 0.2))\n"
    '    ax.set_title(f"k = {k}")\n'
    "    plt.show()\n\n"
    'widgets.interactive(draw, k=widgets.IntSlider(value=5, min=0, max=10, description="k", '
    "continuous_update=False))",
]
FIXTURE_SLIDER_CELLS = [1, 2]
# The check's own proof: a slider whose redraw raises once moved (its output changes, to a traceback) must fail it.
BROKEN_CELLS = [
    FIXTURE_CELLS[0],
    "def draw(k):\n"
    "    if k != 5:\n"
    '        raise ValueError(f"no picture for k = {k}")\n'
    '    print("k = 5")\n\n'
    'widgets.interactive(draw, k=widgets.IntSlider(value=5, min=0, max=10, description="k", '
    "continuous_update=False))",
]


def slider_weeks() -> list:
    """The weeks whose master has a cell that builds a slider."""
    return [
        week
        for week in weeks()
        if any(
            cell["cell_type"] == "code" and makes_slider("".join(cell["source"]))
            for cell in json.loads(week.master.read_text(encoding="utf-8"))["cells"]
        )
    ]


def _move_every_slider(learner, cells: list[int]) -> int:
    moved = 0
    for number in cells:
        cell = learner.code_cells.nth(number)
        sliders = learner.sliders(cell)
        assert sliders.count() > 0, f"code cell {number} shows no slider in the page"
        for index in range(sliders.count()):
            for fraction in (0.85, 0.15):  # if the handle already sits near 0.85, the second drag moves it
                before = learner.output_view(cell)
                learner.drag_slider(sliders.nth(index), fraction)
                if _changes(learner, cell, before):
                    break
            else:
                raise AssertionError(f"moving slider {index + 1} of code cell {number} did not change its output")
            moved += 1
            learner.shot(f"cell-{number}-slider-{index + 1}-moved")
            # a changed output may be a traceback: what the slider shows now must be clean too
            learner.wait_until_idle()
            shown = learner.outputs()[number]
            assert not shown["stderr"], (
                f"moving slider {index + 1} of code cell {number} shows an error or standard error: {shown['stderr']}"
            )
    return moved


def _changes(learner, cell, before: str, timeout_s: float = 60) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        learner.page.wait_for_timeout(250)
        if learner.output_view(cell) != before:
            return True
        learner.wait_until_idle(timeout_s)
    return learner.output_view(cell) != before


@pytest.mark.parametrize(
    "notebook",
    ["fixture", *slider_weeks()],
    ids=lambda notebook: notebook if isinstance(notebook, str) else notebook.name,
)
def test_every_slider_moves_the_output(notebook, learner, scratch, solved_copy, executed_copy):
    if notebook == "fixture":
        (scratch / "widgets").mkdir(exist_ok=True)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in FIXTURE_CELLS])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
        nbformat.write(nb, scratch / "widgets" / "sliders.ipynb")
        path, cells = f"{scratch.name}/widgets/sliders.ipynb", FIXTURE_SLIDER_CELLS
    else:
        executed = nbformat.read(executed_copy(notebook), as_version=4)
        cells = executed.metadata[META_KEY]["sliders"]
        assert cells, f"{notebook.name}'s master calls a slider-making function, but no cell showed a slider widget"
        path = solved_copy(notebook)
    learner.open_notebook(path)
    count = learner.code_cells.count()
    if cells[-1] + 1 < count:  # run up to and including the last slider cell
        learner.run_all_above(learner.code_cells.nth(cells[-1] + 1))
    else:
        learner.run_all()
    shown = learner.outputs()[: cells[-1] + 1]
    assert not any(cell["stderr"] for cell in shown), [cell["stderr"] for cell in shown if cell["stderr"]]
    assert _move_every_slider(learner, cells) >= len(cells)


def test_a_slider_that_shows_a_traceback_fails_the_check(learner, scratch):
    """The check above fails when a moved slider's output turns into a traceback (it did change)."""
    (scratch / "widgets").mkdir(exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in BROKEN_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, scratch / "widgets" / "broken.ipynb")
    learner.open_notebook(f"{scratch.name}/widgets/broken.ipynb")
    learner.run_all()
    assert not learner.outputs()[1]["stderr"], "the broken slider's first picture should be clean"
    with pytest.raises(AssertionError, match="shows an error or standard error:.*ValueError"):
        _move_every_slider(learner, [1])
