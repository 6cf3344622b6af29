"""The optional ipywidgets answer form of a quiz (``Quiz(week).form()``)."""

from __future__ import annotations

__all__ = ["answer_line", "quiz_form"]


def answer_line(qid: str, value) -> str:
    """The line to put in a question's answer cell, e.g. ``quiz_1 = "B"`` or ``quiz_3 = 0.406``."""
    return f"{qid} = {value!r}"


def _namespace() -> dict:
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    return shell.user_ns if shell is not None else {}


def quiz_form(quiz):
    """One row per question of ``quiz`` (a :class:`helpers.quiz.Quiz`): a control, the self-check's verdict and the
    answer line. Returns an ``ipywidgets.VBox``."""
    import ipywidgets as widgets

    from helpers.quiz import QuizAnswerError

    namespace = _namespace()
    rows = []
    for qid, question in quiz.questions.items():
        label = widgets.HTML(f"<b>{qid}</b> — {question['title']}")
        if question["kind"] == "number":
            control = widgets.Text(placeholder=f"a number, {question['decimals']} decimals", layout={"width": "16em"})
        elif question["kind"] == "choices":
            control = widgets.SelectMultiple(
                options=[(f"{k}. {v}", k) for k, v in question["choices"].items()],
                rows=len(question["choices"]),
                layout={"width": "95%"},
            )
        else:
            control = widgets.RadioButtons(
                options=[(f"{k}. {v}", k) for k, v in question["choices"].items()], value=None, layout={"width": "95%"}
            )
        verdict = widgets.HTML("")

        def on_change(change, qid=qid, question=question, verdict=verdict):
            value = change["new"]
            if question["kind"] == "choices":
                value = "".join(sorted(value))
            elif question["kind"] == "number":
                try:
                    value = float(value)
                except ValueError:
                    verdict.value = "<i>type a number</i>"
                    return
            if value in (None, ""):
                verdict.value = ""
                return
            namespace[qid] = value
            try:
                word = "right" if quiz.is_right(qid, value) else "not right yet"
            except QuizAnswerError as err:
                word = str(err)
            verdict.value = f"{word} — graded from the answer cell: put <code>{answer_line(qid, value)}</code> there"

        control.observe(on_change, names="value")
        rows.append(widgets.VBox([label, control, verdict]))
    return widgets.VBox(rows)
