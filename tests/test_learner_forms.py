"""Correct answers in unusual forms (tests/forms/<week>.py) pass the public and hidden tests, both in-process and
through the sandbox's data-only boundary (as `grader check` and autograde run them): the opposite direction of the
mistakes corpus."""

import importlib.util
import inspect
from pathlib import Path

import pytest

from grader.course import get_week
from grader.runner import run_exercise

FORMS = Path(__file__).parent / "forms"
WEEKS = sorted(p.stem for p in FORMS.glob("c*.py"))


def forms_of(module_name: str) -> list[tuple[str, object]]:
    spec = importlib.util.spec_from_file_location(f"learner_forms_{module_name}", FORMS / f"{module_name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    week = get_week(module_name)
    forms = [
        (name, fn) for name, fn in inspect.getmembers(module, inspect.isfunction) if fn.__module__ == module.__name__
    ]
    for name, _ in forms:
        assert "__" in name and week.exercise(name.split("__")[0]), f"{name}: name it <exercise>__<form>"
    return forms


@pytest.mark.parametrize("module_name", WEEKS)
def test_unusual_correct_forms_pass_in_process(module_name):
    week = get_week(module_name)
    failures = {}
    for name, fn in forms_of(module_name):
        outcome = run_exercise(week, name.split("__")[0], fn)
        if not outcome.passed:
            failures[name] = outcome.message
    assert not failures, failures


@pytest.mark.slow
@pytest.mark.parametrize("module_name", WEEKS)
def test_unusual_correct_forms_pass_in_the_sandbox(module_name):
    from grader.sandbox import Limits, Sandbox

    week = get_week(module_name)
    failures = {}
    with Sandbox(Limits()) as sandbox:
        with sandbox.budget(120):
            sandbox.request("module", f"{module_name}_forms.py", (FORMS / f"{module_name}.py").read_text())
        for name, _ in forms_of(module_name):
            with sandbox.budget(120):
                proxy = sandbox.request("get", name)
                outcome = run_exercise(week, name.split("__")[0], proxy, time_limit=None)
            if not outcome.passed:
                failures[name] = outcome.message
    assert not failures, failures
