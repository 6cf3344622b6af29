"""The lab a learner opens with `make lab`: every week listed, nothing in the way (no news pop-up, no instructor
tools, no formgrader warning); the instructor's `make lab-instructor` keeps nbgrader's tools."""

from __future__ import annotations

import re

import pytest

from grader.course import weeks

pytestmark = pytest.mark.browser

NEWS_QUESTION = "notified about official Jupyter news"
FORMGRADER_WARNING = "No nbgrader_config.py file found"


def test_course_list_shows_every_week(lab_factory, page, shots):
    """`make lab` as a learner starts it, on the course's own notebooks/ (this test opens and changes nothing)."""
    from jupyterlab_page import LabPage

    lab = lab_factory("lab")
    learner = LabPage(lab, page, shots)
    learner.open_lab()
    listed = learner.listed_files()
    for week in weeks():
        assert week.learner.name in listed, f"{week.name}: {week.learner.name} is not in the lab's file list {listed}"
    learner.page.wait_for_timeout(3000)  # the news question, when enabled, appears a moment after the lab starts
    assert learner.page.get_by_text(NEWS_QUESTION).count() == 0, "the 'Jupyter news' pop-up is shown"
    assert learner.page.locator(".lm-MenuBar-item", has_text="Nbgrader").count() == 0, "instructor menu shown"
    assert learner.page.get_by_text("Create Assignment").count() == 0, "nbgrader's Create Assignment panel shown"
    # widen the file browser so the full notebook names show, as a learner would
    handle = learner.page.locator("#jp-main-split-panel > .lm-SplitPanel-handle").first
    box = handle.bounding_box()
    learner.page.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2)
    learner.page.mouse.down()
    learner.page.mouse.move(box["x"] + 260, box["y"] + box["height"] / 2, steps=5)
    learner.page.mouse.up()
    learner.shot("course-list")
    log = lab.log_text()
    assert FORMGRADER_WARNING not in log, "the learner's lab logs nbgrader's formgrader warning"
    assert "Loading the formgrader" not in log and "Loading the validate_assignment" in log


def test_make_lab_passes_extra_arguments(lab):
    """The fixture started the lab with `make lab ARGS="--port ... --no-browser ..."`: the server listens on that
    port, and the log shows the command."""
    assert lab.api("status")["started"]
    assert re.search(rf"jupyter lab .*--notebook-dir=\S+ --port {lab.port} .*--no-browser", lab.log_text())


def test_instructor_lab_keeps_nbgrader_tools(lab_factory, page, shots, tmp_path):
    """`make lab-instructor` serves grader/ with nbgrader's formgrader (reading grader/nbgrader_config.py), and its
    Manage Assignments page lists the course's assignments. The gradebook is a new one, as on a fresh clone:
    formgrader then runs `alembic` by name to set it up, and without the environment's bin/ on PATH the page says
    "Loading, please wait..." for ever."""
    gradebook = tmp_path / "gradebook.db"
    instructor = lab_factory("lab-instructor", lab_args=f"--CourseDirectory.db_url=sqlite:///{gradebook}")
    log = instructor.log_text()
    assert "Loading the formgrader" in log and FORMGRADER_WARNING not in log, log[-2000:]
    page.goto(f"{instructor.url}/lab?reset&token={instructor.token}")
    page.wait_for_selector(".jp-DirListing-item")
    listed = page.locator(".jp-DirListing-itemName").all_inner_texts()
    assert "source" in [name.strip() for name in listed], listed
    page.locator(".lm-MenuBar-item", has_text="Nbgrader").click()
    formgrader = page.locator(".lm-Menu-item:visible", has_text="Formgrader")
    assert formgrader.count() == 1
    shots(page, "instructor-menu")
    formgrader.click()
    assignments = page.frame_locator("iframe[src*='formgrader']").locator("td.name")
    try:
        assignments.filter(has_text="C2W3").first.wait_for(timeout=60_000)
    except Exception:
        shots(page, "formgrader-not-loaded")
        raise AssertionError(
            f"formgrader's Manage Assignments lists no C2W3:\n{instructor.log_text()[-3000:]}"
        ) from None
    names = [name.strip() for name in assignments.all_inner_texts()]
    assert {week.name for week in weeks()} <= set(names), names
    shots(page, "formgrader-assignments")
    assert "500 GET /formgrader/api" not in instructor.log_text(), instructor.log_text()[-3000:]
    assert gradebook.exists(), "formgrader did not use the test's own gradebook"
    # the exchange is grader/exchange (grader/nbgrader_config.py), not a system folder a laptop lacks
    log = instructor.log_text()
    assert "exchange directory" not in log and "Unwritable directory" not in log, log[-3000:]


def test_kernel_starts_without_warnings(learner, scratch):
    """A learner's kernel starts without a warning in the lab's log (ipykernel warns at every start that it runs
    over TCP without encryption unless the lab provisions CurveZMQ keys: lab/common/jupyter_server_config.json)."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, scratch / "empty.ipynb")
    learner.open_notebook(f"{scratch.name}/empty.ipynb")
    assert learner.run(learner.code_cells.first).split()[-1] == "2"
    kernel_warnings = [line for line in learner.lab.log_text().splitlines() if "[IPKernelApp] WARNING" in line]
    assert not kernel_warnings, kernel_warnings
