"""A learner works an exercise in the browser: runs the setup and data cells, writes a graded function, reads the
test cell's verdict, and presses nbgrader's Validate button."""

from __future__ import annotations

import pytest

from grader.course import get_week

pytestmark = pytest.mark.browser

# A correct frac_censored written the way a learner might (not the reference's), and a plausible wrong one: the
# fraction of deaths instead of censored patients.
CORRECT = """def frac_censored(df):
    censored = df[df["Event"] == 0]
    return len(censored) / len(df)
"""
WRONG = """def frac_censored(df):
    return (df["Event"] == 1).mean()
"""


def test_learner_solves_an_exercise_and_validates(learner):
    week = get_week("C2W3")
    learner.open_lab()
    learner.open_notebook(week.learner.name, from_file_browser=True)
    graded = learner.cell_with("# GRADED FUNCTION: frac_censored")
    test_cell = learner.cell_with("test_frac_censored(frac_censored)")
    learner.run_all_above(graded)
    setup = learner.cell_with("helpers.setup_notebook(")
    assert "mode: FAST" in learner.output_text(setup), learner.output_text(setup)
    learner.shot("setup-and-data-ran")

    learner.type_into(graded, CORRECT)
    learner.run(graded)
    verdict = learner.run(test_cell)
    assert verdict.strip() == "All tests passed.", verdict
    learner.shot("correct-answer-passes")

    learner.type_into(graded, WRONG)
    learner.run(graded)
    verdict = learner.run(test_cell)
    assert "4 patients, 1 censored: expected 0.25, got 0.75" in verdict, verdict
    assert "frac_censored: 3 of 4 public checks failed" in verdict, verdict
    learner.shot("wrong-answer-expected-versus-got")

    # Validate saves the notebook and runs it top to bottom in a fresh kernel: the wrong answer and the three
    # exercises not yet done are reported, each with its test's message.
    report = learner.validate()
    learner.shot("validate-reports-failures")
    assert "The following cell failed" in report, report
    assert "4 patients, 1 censored: expected 0.25, got 0.75" in report
    for name in ("naive_estimator", "kaplan_meier", "logrank_test"):
        assert f"test_{name}({name})" in report, f"Validate does not report the unfinished {name}"
    assert report.count("NotImplementedError") >= 3
    learner.close_dialog()


def test_validate_a_solved_notebook(learner, solved_copy):
    path = solved_copy(get_week("C2W3"))
    learner.open_notebook(path)
    report = learner.validate()
    learner.shot("validate-success")
    assert "Success! Your notebook passes all the tests." in report, report
    learner.close_dialog()
