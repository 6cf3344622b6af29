"""Run one exercise's public and hidden tests against one implementation, in-process and in seconds."""

from __future__ import annotations

import contextlib
import importlib
import io
import signal
import threading
import warnings
from dataclasses import dataclass

import numpy as np

from grader.course import CourseError, Week
from grader.sandbox import SandboxFailure, SandboxTimeout

TIME_LIMIT_S = 60  # per exercise; a learner's infinite loop must not hang the grader


@dataclass
class Outcome:
    exercise: str
    passed: bool
    stage: str  # "public", "hidden" or "load"
    hint: str  # one line
    detail: str = ""  # the full failure message (public-test values may appear; hidden ones never do)

    @property
    def status(self) -> str:
        return "pass" if self.passed else "FAIL"


def _test_functions(week: Week, name: str):
    if week.is_quiz:  # the learner's self-check (digests only) and the hidden check (the answers)
        from grader.quizzes import check_answer
        from helpers.quiz import Quiz

        quiz = Quiz(week.course_week)
        return (lambda value: quiz.check(name, value)), (lambda value: check_answer(week.course_week, name, value))
    try:
        public = importlib.import_module(f"helpers.public_tests.{week.module}")
        hidden = importlib.import_module(f"grader.hidden.{week.module}")
    except ModuleNotFoundError as err:
        raise CourseError(f"week {week.name} is missing its test module: {err}") from err
    try:
        return getattr(public, f"test_{name}"), getattr(hidden, f"check_{name}")
    except AttributeError as err:
        raise CourseError(f"week {week.name}, exercise {name}: {err}") from err


class _TimeLimit(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: int | None):
    if seconds is None or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def _raise(signum, frame):
        raise _TimeLimit()

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _first_line(message: str) -> str:
    return (message.strip().splitlines() or [""])[0]


def run_exercise(
    week: Week, name: str, fn, *, time_limit: int | None = TIME_LIMIT_S, stages: tuple[str, ...] = ("public", "hidden")
) -> Outcome:
    """Public test first (its message may show values), then the hidden test (its message never does).

    ``fn`` is the learner's function itself (trusted, in-process runs: ``mistakes``, tests) or a
    :class:`grader.sandbox.Remote` proxy (``check``, ``autograde``), whose sandbox enforces the time limit; pass
    ``time_limit=None`` then.
    """
    week.exercise(name)  # raises CourseError for an unknown exercise
    public_test, hidden_check = _test_functions(week, name)
    tests = {"public": public_test, "hidden": hidden_check}
    for stage in stages:
        test = tests[stage]
        try:
            with (
                _time_limit(time_limit),
                contextlib.redirect_stdout(io.StringIO()),
                warnings.catch_warnings(),
                np.errstate(all="ignore"),
            ):
                warnings.simplefilter("ignore")
                test(fn)
        except _TimeLimit:
            hint = f"{name} did not finish within {time_limit} s on the {stage} tests (an endless loop?)"
            return Outcome(name, False, stage, hint)
        except SandboxTimeout as err:
            hint = f"{name} {err.reason} on the {stage} tests (an endless loop?)"
            return Outcome(name, False, stage, hint)
        except SandboxFailure as err:
            return Outcome(name, False, stage, f"{name}: {err.reason}")
        except AssertionError as err:
            message = str(err) or f"{stage} tests failed"
            return Outcome(name, False, stage, _first_line(message), message)
        except Exception as err:  # noqa: BLE001 - an error escaping a test is still a failure
            message = f"{type(err).__name__}: {err}"
            return Outcome(name, False, stage, _first_line(message), message)
        except KeyboardInterrupt:
            raise
        except BaseException as err:  # noqa: BLE001 - sys.exit() or a BaseException subclass in learner code
            message = f"{name} raised {type(err).__name__} ({err}) during the {stage} tests"
            return Outcome(name, False, stage, _first_line(message), message)
    return Outcome(name, True, stages[-1], f"{' and '.join(stages)} tests pass")
