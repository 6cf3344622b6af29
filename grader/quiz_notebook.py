"""The quiz master notebook of a week, generated from ``grader/quizzes/<week>.py`` (``python -m grader build``).

Layout: title and how to take the quiz; ``## Setup`` (``Quiz(week)`` and the working space's imports);
``## Working space`` (the week's data, for the numeric questions); ``## Answer form (optional)``; then per question
``## Question k — title``, its answer cell (nbgrader solution cell ``quiz_k``, ``# GRADED ANSWER: quiz_k``) and its
locked test cell (the self-check, then the hidden check between ``### BEGIN/END HIDDEN TESTS``).
"""

from __future__ import annotations

import nbformat

from grader.course import METADATA_KEY, QUIZ_SUFFIX, SOURCE_DIR
from grader.quizzes import Choice, load

__all__ = ["quiz_master", "quiz_master_path"]

POINTS = 1

INTRO = """\
Eight to twelve questions on the ideas behind this week's notebook. Some are multiple choice; the numeric ones you
answer by computing on the week's data (loaded for you in the *Working space*) or on a small worked case.

**How to answer.** Each question has an **answer cell**: replace its two placeholder lines by one line that sets
the answer variable to a **literal value**: `quiz_k = "C"` (one letter), `quiz_k = "BD"` (several letters) or
`quiz_k = 0.406` (a number), with `k` the question's number.
The answer cell is graded **on its own**, without the cells above it, so write the value itself (or plain
arithmetic such as `0.9 * 0.01`), never a variable of your working space. Then run the **check cell** below it:
it prints `right.` or says *not right yet* — it never shows the answer. Numbers are judged after rounding to the
decimals the question states, within the stated tolerance; proportions are between 0 and 1, not percentages.

Prefer clicking? The optional **answer form** sets the same variables and checks them as you go; it also shows
the line to put into each answer cell, because the answer cells are what gets graded. Each question is worth
{points} point; the explanations come with your graded feedback."""


def _md(text: str, cell_id: str):
    return nbformat.v4.new_markdown_cell(text, id=cell_id)


def _code(text: str, cell_id: str, nbgrader: dict | None = None):
    cell = nbformat.v4.new_code_cell(text, id=cell_id)
    if nbgrader is not None:
        cell.metadata["nbgrader"] = {"schema_version": 3, **nbgrader}
    return cell


def _question_markdown(k: int, question) -> str:
    lines = [f"## Question {k} — {question.title}", "", question.text.strip("\n")]
    if isinstance(question, Choice):
        lines.append("")
        lines += [f"- **{letter}.** {text}" for letter, text in question.choices.items()]
        how = "every right letter (one or more)" if question.select_all else "one letter"
        lines += ["", f"*Answer with {how}.*"]
    else:
        lines += [
            "",
            f"*Answer with a number rounded to {question.decimals} decimals; answers within "
            f"±{question.tolerance:g} of the exact value count.*",
        ]
    return "\n".join(lines)


def quiz_master_path(week: str):
    name = f"{week}{QUIZ_SUFFIX}"
    return SOURCE_DIR / name / f"{name}_quiz.ipynb"


def quiz_master(week: str):
    """The quiz master notebook of ``week`` (``"C2W3"``), answers in its solution regions."""
    quiz = load(week)
    assignment = f"{quiz.week}{QUIZ_SUFFIX}"
    cells = [
        _md(
            f"# {assignment} — Quiz: {quiz.title}\n\n{INTRO.format(points=POINTS)}\n\n**Learning objectives**\n\n"
            f"- Check that you can explain the ideas of {quiz.week} in your own words.\n"
            f"- Compute the quantities of {quiz.week} on real data and on small worked cases.",
            "quiz-intro",
        ),
        _md("## Setup\n\nRun this cell first.", "quiz-setup-md"),
        _code(
            f"import helpers\nfrom helpers.quiz import Quiz\n\nhelpers.setup_notebook()\nquiz = Quiz({quiz.week!r})",
            "quiz-setup",
        ),
        _md(
            "## Working space\n\nThe week's data, loaded as in the notebook, for the numeric questions. Add cells "
            "below it for your computations (they are not graded).",
            "quiz-workspace-md",
        ),
        _code(quiz.workspace, "quiz-workspace"),
        _md(
            "## Answer form (optional)\n\nRun the cell to answer by clicking; the answer cells below are still "
            "what is graded.",
            "quiz-form-md",
        ),
        _code("quiz.form()", "quiz-form"),
    ]
    for k, (qid, question) in enumerate(quiz.questions.items(), start=1):
        cells.append(_md(_question_markdown(k, question), f"{qid}-text"))
        answer = (
            f"# GRADED ANSWER: {qid} — {question.format_hint()}\n### BEGIN SOLUTION\n"
            f"{qid} = {question.literal()}\n### END SOLUTION"
        )
        cells.append(
            _code(
                answer,
                f"{qid}-answer",
                {"grade": False, "grade_id": qid, "locked": False, "solution": True, "task": False},
            )
        )
        check = (
            f"quiz.check({qid!r}, {qid})\n### BEGIN HIDDEN TESTS\nfrom grader.quizzes import check_answer\n"
            f"check_answer({quiz.week!r}, {qid!r}, {qid})\n### END HIDDEN TESTS"
        )
        cells.append(
            _code(
                check,
                f"test-{qid}",
                {
                    "grade": True,
                    "grade_id": f"test_{qid}",
                    "locked": True,
                    "points": POINTS,
                    "solution": False,
                    "task": False,
                },
            )
        )
    cells.append(
        _md(
            "## Summary\n\nRun `Kernel → Restart Kernel and Run All Cells`: every check cell should print "
            "`right.` Then submit this notebook as your instructor tells you.",
            "quiz-summary",
        )
    )
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        METADATA_KEY: {"week": assignment},
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb
