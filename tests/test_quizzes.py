"""The weekly quizzes: answers recomputed from the data, self-check and hidden check agree, every plausible wrong
answer is rejected, nothing in the learner's release gives an answer away, and quiz notebooks grade like weeks."""

import json
import re
import subprocess
import sys

import nbformat
import numpy as np
import pytest

from grader.course import REPO_ROOT, get_week
from grader.notebook import fill_solutions, load_functions, master_sources
from grader.quizzes import Choice, Number, check_answer, distractors, load, quiz_weeks
from grader.runner import run_exercise
from helpers.quiz import Quiz, QuizAnswerError

WEEKS = quiz_weeks()
QUESTIONS = [(w, qid) for w in WEEKS for qid in load(w).questions]
NUMERIC = [(w, qid) for w, qid in QUESTIONS if isinstance(load(w).questions[qid], Number)]


def _id(value):
    return value if isinstance(value, str) else str(value)


def _hidden_accepts(week, qid, value) -> bool:
    try:
        check_answer(week, qid, value)
    except AssertionError:
        return False
    return True


def _self_check_accepts(week, qid, value) -> bool:
    try:
        return Quiz(week).is_right(qid, value)
    except QuizAnswerError:
        return False


def test_every_week_with_a_master_has_a_quiz_of_8_to_12_questions():
    from grader.course import weeks

    assert {w.name for w in weeks()} <= set(WEEKS), "a week without a quiz module in grader/quizzes/"
    for week in WEEKS:
        assert 8 <= len(load(week).questions) <= 12, week


@pytest.mark.parametrize("week,qid", NUMERIC, ids=_id)
def test_numeric_answer_is_what_the_data_give(week, qid):
    """Each stored answer is recomputed from the data (or the worked case): a data change that moves it fails."""
    question = load(week).questions[qid]
    computed = load(week).compute(qid)
    assert abs(computed - question.answer) <= question.tolerance / 4, (week, qid, computed, question.answer)
    assert _hidden_accepts(week, qid, computed) and _self_check_accepts(week, qid, computed)


@pytest.mark.parametrize("week,qid", QUESTIONS, ids=_id)
def test_answer_accepted_and_every_plausible_wrong_answer_rejected_by_both_checks(week, qid):
    question = load(week).questions[qid]
    answer = question.answer
    assert _hidden_accepts(week, qid, answer) and _self_check_accepts(week, qid, answer)
    wrong = distractors(week)[qid]
    assert wrong and all(d.__doc__.strip() for d in wrong), "at least one plausible wrong answer, with its reason"
    if isinstance(question, Choice):
        assert question.answer == "".join(sorted(set(question.answer)))
        assert set(question.answer) <= set(question.choices)
        assert question.select_all or len(question.answer) == 1
        others = [c for c in question.choices if c != question.answer]
        wrong_values = [d.value for d in wrong] + others
    else:
        wrong_values = [d.value for d in wrong]
    for value in wrong_values:
        assert not _hidden_accepts(week, qid, value), (qid, value)
        assert not _self_check_accepts(week, qid, value), (qid, value)


@pytest.mark.parametrize("week,qid", NUMERIC, ids=_id)
def test_self_check_and_hidden_check_agree_near_the_tolerance_edges(week, qid):
    question = load(week).questions[qid]
    step = 10.0**-question.decimals
    for offset in np.linspace(-(question.tolerance + 3 * step), question.tolerance + 3 * step, 61):
        value = question.answer + offset
        assert _hidden_accepts(week, qid, value) == _self_check_accepts(week, qid, value), (qid, value)
    assert not _hidden_accepts(week, qid, question.answer + question.tolerance + 1.5 * step)


def test_answers_in_any_reasonable_form_are_right_and_messages_never_show_the_answer():
    week = "C2W3"
    quiz, questions = Quiz(week), load(week).questions
    letter_q = next(q for q, v in questions.items() if isinstance(v, Choice) and not v.select_all)
    letter = questions[letter_q].answer
    for form in (letter.lower(), f" {letter} ", [letter], (letter,), np.str_(letter), f"({letter})"):
        assert quiz.is_right(letter_q, form) and _hidden_accepts(week, letter_q, form), form
    many_q = next(q for q, v in questions.items() if isinstance(v, Choice) and v.select_all)
    many = questions[many_q].answer
    for form in (many[::-1], ", ".join(many).lower(), list(many), set(many), " and ".join(many)):
        assert quiz.is_right(many_q, form), form
    number_q = next(q for q, v in questions.items() if isinstance(v, Number) and v.decimals >= 2)
    value = questions[number_q].answer
    for form in (value, np.float32(value), np.float64(value), str(value), f"{value:.6f}"):
        assert quiz.is_right(number_q, form), form
    for qid, wrong in (
        (letter_q, "Z"),
        (letter_q, "AB"),
        (number_q, "about a half"),
        (number_q, True),
        (number_q, float("nan")),
        (many_q, 3),
    ):
        with pytest.raises(QuizAnswerError) as err:
            quiz.check(qid, wrong)
        assert qid in str(err.value)
    with pytest.raises(QuizAnswerError) as err:
        quiz.check(number_q, value + 10)
    assert "not right" in str(err.value) and f"{value:.{questions[number_q].decimals}f}" not in str(err.value)


@pytest.mark.parametrize("week", WEEKS)
def test_keys_and_learner_notebook_hold_no_answer_or_explanation(week):
    quiz = load(week)
    assignment = get_week(f"{week}Q")
    keys = json.loads((REPO_ROOT / "helpers" / "quiz_keys" / f"{week.lower()}.json").read_text())
    assert all(len(d) == 24 and set(d) <= set("0123456789abcdef") for q in keys["questions"] for d in q["accepted"])
    keys = json.dumps([{k: v for k, v in q.items() if k != "accepted"} for q in keys["questions"]])  # digests aside
    learner = assignment.learner.read_text()
    assert "BEGIN SOLUTION" not in learner and "grader.quizzes" not in learner and "check_answer" not in learner
    for qid, question in quiz.questions.items():
        fragment = " ".join(question.explanation.split())[:60]
        assert fragment not in keys and fragment not in " ".join(learner.split()), (qid, "explanation leaked")
        if isinstance(question, Number) and question.decimals >= 2:  # small integers occur in any prose
            literal = question.literal()
            assert not re.search(rf"(?<![\d.]){re.escape(literal)}(?!\d)", keys), (qid, "numeric answer in the keys")
            assert not re.search(rf"{qid}\s*=\s*{re.escape(literal)}", learner)
    stubs = load_functions(assignment.learner, answers=True)
    assert not stubs.functions and all("not answered yet" in e for e in stubs.errors.values())


def test_release_holds_no_answer_and_no_quiz_source(tmp_path):
    from grader.release import write_release

    files = write_release(tmp_path / "release")
    names = {p.relative_to(tmp_path / "release").as_posix() for p in files}
    assert not any(n.startswith("grader") or "/solutions/" in n for n in names)
    assert {f"notebooks/{get_week(f'{w}Q').notebook_name}" for w in WEEKS} <= names
    text = "\n".join(
        " ".join(p.read_text(errors="ignore").split())
        for p in files
        if p.suffix in (".py", ".json", ".ipynb", ".md", ".txt")
    )
    for week in WEEKS:
        for qid, question in load(week).questions.items():
            assert " ".join(question.explanation.split())[:60] not in text, (week, qid)


@pytest.mark.parametrize("week", WEEKS)
def test_reference_answers_pass_and_untouched_cells_fail_through_the_runner(week):
    assignment = get_week(f"{week}Q")
    reference = load_functions(assignment.master, answers=True)
    assert not reference.errors
    for ex in assignment.exercises:
        assert run_exercise(assignment, ex.name, reference.functions[ex.name]).passed, ex.name


def test_check_command_grades_a_quiz_notebook_like_a_week(tmp_path):
    """Sandboxed self-check: all right, one wrong, one using a working-space variable, untouched."""
    assignment = get_week("C2W3Q")
    learner = nbformat.read(assignment.learner, as_version=4)
    sources = master_sources(assignment.read_master())
    wrong = distractors("C2W3")["quiz_3"][0].value
    sources = dict(sources, quiz_3=f"# GRADED ANSWER: quiz_3\nquiz_3 = {wrong!r}\n", quiz_5="quiz_5 = km_at_day_5\n")
    path = tmp_path / "C2W3Q_quiz.ipynb"
    nbformat.write(fill_solutions(learner, sources), path)
    result = subprocess.run(
        [sys.executable, "-m", "grader", "check", str(path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    total = len(assignment.exercises)
    assert f"score: {total - 2:g} / {total:g}" in result.stdout
    assert "quiz_3: not right yet" in result.stdout and "graded on its own" in result.stdout
    assert repr(load("C2W3").questions["quiz_3"].answer) not in result.stdout


def test_answer_form_sets_the_variable_and_checks_it():
    pytest.importorskip("ipywidgets")
    from helpers import quiz_form

    namespace = {}
    quiz_form._namespace = lambda: namespace  # no IPython shell in a test
    quiz = Quiz("C2W3")
    form = quiz.form()
    first = form.children[0].children[1]
    qid = next(iter(quiz.questions))
    first.value = load("C2W3").questions[qid].answer
    assert namespace[qid] == load("C2W3").questions[qid].answer
    assert "right" in form.children[0].children[2].value and f"{qid} = " in form.children[0].children[2].value


def test_mistakes_command_covers_the_quiz():
    result = subprocess.run(
        [sys.executable, "-m", "grader", "mistakes", "C2W3Q"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0 and "Every mistake is rejected" in result.stdout, result.stdout + result.stderr


def test_keys_file_lists_every_question():
    for week in WEEKS:
        keys = json.loads((REPO_ROOT / "helpers" / "quiz_keys" / f"{week.lower()}.json").read_text())
        assert [q["id"] for q in keys["questions"]] == list(load(week).questions)


def test_tampering_with_a_quiz_changes_nothing():
    """Same tamper rules as the weeks: edited check cells are restored, tricks in an answer cell stay in the sandbox."""
    from grader.isolated import grade_parsed
    from grader.sandbox import Limits
    from grader.submission import parse_submission

    assignment = get_week("C2W3Q")
    learner = nbformat.read(assignment.learner, as_version=4)
    sources = master_sources(assignment.read_master())
    sources["quiz_1"] = (
        "class Anything(str):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = str.__hash__\nquiz_1 = Anything('Z')\n"
    )
    sources["quiz_2"] = "import builtins\nquiz_2 = 'A'\nbuiltins.AssertionError = Exception\n"
    nb = fill_solutions(learner, sources)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in ("test_quiz_1", "test_quiz_2"):
            cell.source = "print('quiz_1: right.')"
    report = grade_parsed(parse_submission(nb, assignment), Limits())
    assert not report.outcomes["quiz_1"].passed and not report.outcomes["quiz_2"].passed
    assert report.score == len(assignment.exercises) - 2
    assert any("locked cell" in note for note in report.notes)


def test_choice_answers_that_follow_from_a_computation():
    """Multiple-choice answers that a week's reference code decides are checked against that code."""
    from helpers.solutions.c2w4 import harrell_c
    from helpers.solutions.c3w2 import get_span_from_scores

    span = get_span_from_scores([0.1, 2.0, 0.3, 1.5], [1.8, 0.2, 0.4, 0.9], [1, 1, 1, 1])
    choices = load("C3W2").questions["quiz_9"].choices
    assert f"({span[0]}, {span[1]})" in choices[load("C3W2").questions["quiz_9"].answer]
    # C2W4 quiz_6: the pair (censored at 2, died at 5) is not permissible; (died at 3, censored at 3) is
    one_pair = {"B": ([2, 5], [1, 0]), "C": ([2, 5], [0, 1]), "D": ([3, 3], [1, 0])}
    permissible = {}
    for letter, (times, events) in one_pair.items():
        try:
            value = harrell_c(times + [1], [0.5, 0.4, 0.3], events + [0])  # a third patient censored first
        except ZeroDivisionError:
            value = float("nan")
        permissible[letter] = not np.isnan(value)
    assert permissible == {"B": True, "C": False, "D": True}
    assert load("C2W4").questions["quiz_6"].answer == "C"
    # C3W3 quiz_8: a map whose maximum is at row 1, column 2, and four boxes (x, y, w, h)
    from helpers.solutions.c3w3 import pointing_game

    cam = np.zeros((4, 5))
    cam[1, 2] = 1.0
    question = load("C3W3").questions["quiz_8"]
    hits = {
        letter: pointing_game(cam, [list(map(int, re.findall(r"\d+", text)))])
        for letter, text in question.choices.items()
    }
    assert [letter for letter, hit in hits.items() if hit] == [question.answer]


def test_data_claims_of_the_explanations():
    """C2W3 quiz_2: on the lymphoma data the naive estimate is at or below Kaplan–Meier at every observed time."""
    from lifelines import KaplanMeierFitter

    from helpers.data.survival import load_lymphoma
    from helpers.solutions.c2w3 import naive_estimator

    df = load_lymphoma()
    km = KaplanMeierFitter().fit(df["Time"], df["Event"])
    times = np.unique(df["Time"])
    assert all(naive_estimator(t, df) <= km.predict(t) + 1e-12 for t in times)
    assert abs(naive_estimator(134, df) - 0.405) < 0.001 and abs(km.predict(134) - 0.430) < 0.001
