"""The weekly quizzes: one module per week (``grader/quizzes/<week>.py``) is the only source of its questions,
answers, explanations and plausible wrong answers. Nothing here is in the learner's release.

A week module defines ``TITLE`` (the week's topic), ``WORKSPACE`` (code for the notebook's working-space cell:
imports and data for the numeric questions) and ``QUESTIONS``, a list of :class:`Choice` and :class:`Number`;
question ``k`` (1-based) is graded as ``quiz_k``. Each numeric question names ``compute``, a function of the week
module that derives its answer from the data; ``tests/test_quizzes.py`` recomputes every one, so a data change that
moves an answer fails CI, while grading itself only compares with the stored ``answer`` (no data, no TensorFlow).

``python -m grader build`` writes from these modules the quiz master ``grader/source/<WEEK>Q/<WEEK>Q_quiz.ipynb``
(:mod:`grader.quiz_notebook`), its learner notebook, and ``helpers/quiz_keys/<week>.json`` (digests only,
:mod:`helpers.quiz`).
"""

from __future__ import annotations

import functools
import importlib
import math
from dataclasses import dataclass, field

from helpers.quiz import QuizAnswerError, digest, normal_form

__all__ = [
    "Choice",
    "Distractor",
    "Number",
    "QuizWeek",
    "check_answer",
    "distractors",
    "explanation",
    "keys",
    "load",
    "quiz_weeks",
]

PREFIX = "quiz_"


@dataclass(frozen=True)
class Choice:
    """A multiple-choice question: one letter (``select_all=False``) or every right letter (``select_all=True``)."""

    title: str
    text: str  # markdown
    choices: dict  # letter -> choice text (markdown, one line)
    answer: str  # "B", or "AC" when select_all
    explanation: str
    mistakes: dict  # a plausible wrong answer (letters) -> why a learner gives it
    select_all: bool = False

    kind = property(lambda self: "choices" if self.select_all else "choice")

    def accepted(self) -> list[str]:
        return [self.answer]

    def format_hint(self) -> str:
        letters = ", ".join(self.choices)
        return (
            f"every right letter among {letters}, in one string"
            if self.select_all
            else f"one letter among {letters}, in quotes"
        )

    def public(self) -> dict:
        return {"kind": self.kind, "title": self.title, "choices": dict(self.choices)}

    def literal(self) -> str:
        return repr(self.answer)


@dataclass(frozen=True)
class Number:
    """A numeric question: the learner's number, rounded to ``decimals``, must be within ``tolerance`` of
    ``answer``. ``compute`` names the week-module function that derives ``answer`` from the data."""

    title: str
    text: str
    answer: float
    decimals: int
    tolerance: float
    explanation: str
    mistakes: dict  # a plausible wrong number -> why a learner gives it
    compute: str

    kind = "number"

    def accepted(self) -> list[str]:
        """Every ``decimals``-place value within ``tolerance`` of the answer, as text (the normal form)."""
        step = 10.0**-self.decimals
        low = math.ceil((self.answer - self.tolerance) / step - 1e-9)
        high = math.floor((self.answer + self.tolerance) / step + 1e-9)
        return [normal_form(self.public(), k * step) for k in range(low, high + 1)]

    def format_hint(self) -> str:
        return f"a number, rounded to {self.decimals} decimals"

    def public(self) -> dict:
        return {"kind": "number", "title": self.title, "decimals": self.decimals}

    def literal(self) -> str:
        return f"{self.answer:.{self.decimals}f}"


@dataclass
class QuizWeek:
    week: str  # "C2W3"
    title: str
    workspace: str
    questions: dict = field(default_factory=dict)  # "quiz_1" -> Choice | Number
    module: object = None

    def compute(self, qid: str) -> float:
        """Recompute a numeric question's answer from the data (slow: for tests, never while grading)."""
        return float(getattr(self.module, self.questions[qid].compute)())


def quiz_weeks() -> list[str]:
    """The weeks that have a quiz module, in course order (``["C1W1", ...]``)."""
    from grader.course import QUIZZES_DIR

    return sorted(p.stem.upper() for p in QUIZZES_DIR.glob("c[1-3]w[1-4].py"))


@functools.cache
def load(week: str) -> QuizWeek:
    """The quiz of ``week`` (``"C2W3"``; ``"C2W3Q"`` works too)."""
    week = week.upper().removesuffix("Q")
    module = importlib.import_module(f"grader.quizzes.{week.lower()}")
    questions = {f"{PREFIX}{k}": q for k, q in enumerate(module.QUESTIONS, start=1)}
    return QuizWeek(week, module.TITLE, module.WORKSPACE.strip("\n"), questions, module)


# ----------------------------------------------------------------------------------------------- grading


def check_answer(week: str, qid: str, value) -> None:
    """The hidden check: raise ``AssertionError`` unless ``value`` is an accepted answer. The message names the
    question and, for a malformed answer, the expected form — never the answer."""
    question = load(week).questions[qid]
    try:
        normal = normal_form(question.public(), value)
    except QuizAnswerError as err:
        raise AssertionError(f"{qid}: {err}") from None
    if normal not in question.accepted():
        raise AssertionError(f"{qid}: wrong answer")


def explanation(week: str, qid: str) -> str:
    """The explanation shown in the graded feedback (right or wrong)."""
    return load(week).questions[qid].explanation


class Distractor:
    """A plausible wrong answer, shaped like a mistakes-corpus entry (``__name__`` and ``__doc__``)."""

    def __init__(self, name: str, why: str, value):
        self.__name__, self.__doc__, self.value = name, why, value

    def __repr__(self):
        return f"<{self.__name__}: {self.value!r}>"


def distractors(week: str) -> dict[str, list[Distractor]]:
    """Every question's plausible wrong answers (``quiz_k__<n>``), for ``python -m grader mistakes`` and tests."""
    out = {}
    for qid, question in load(week).questions.items():
        out[qid] = [
            Distractor(f"{qid}__{i}", why, value) for i, (value, why) in enumerate(question.mistakes.items(), start=1)
        ]
    return out


def keys(week: str) -> dict:
    """The learner-side keys file: what the form shows and salted digests of the accepted answers."""
    quiz = load(week)
    return {
        "week": quiz.week,
        "questions": [
            {"id": qid, **q.public(), "accepted": sorted(digest(quiz.week, qid, a) for a in q.accepted())}
            for qid, q in quiz.questions.items()
        ],
    }
