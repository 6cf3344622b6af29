"""The grading contract, for every week that has a master (adding a week needs no change here).

Reference passes every public and hidden test; an untouched stub fails every graded test; every entry of the
mistakes corpus is rejected by the hidden tests; the CLI answers with the documented exit codes.
"""

import subprocess
import sys

import nbformat
import pytest

from grader.cli import MIN_MISTAKES, mistakes_of
from grader.course import REPO_ROOT, weeks
from grader.notebook import fill_solutions, load_functions, master_sources
from grader.runner import run_exercise

WEEKS = weeks()
EXERCISES = [(w, ex.name) for w in WEEKS for ex in w.exercises]
MISTAKES = [(w, ex, fn) for w in WEEKS for ex, fns in mistakes_of(w).items() for fn in fns]


def _id(value):
    return getattr(value, "name", None) or getattr(value, "__name__", None) or str(value)


def grader_cli(*args, cwd=REPO_ROOT):
    return subprocess.run(
        [sys.executable, "-m", "grader", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_there_is_at_least_one_week():
    assert WEEKS, "no master notebooks found under grader/source/"


@pytest.mark.parametrize("week,name", EXERCISES, ids=_id)
def test_reference_passes_public_and_hidden_tests(week, name):
    fn = load_functions(week.master).functions[name]
    outcome = run_exercise(week, name, fn)
    assert outcome.passed, outcome.detail


@pytest.mark.parametrize("week,name", EXERCISES, ids=_id)
def test_generated_reference_module_passes_too(week, name):
    module = __import__(f"helpers.solutions.{week.module}", fromlist=[name])
    assert run_exercise(week, name, getattr(module, name)).passed


@pytest.mark.parametrize("week,name", EXERCISES, ids=_id)
def test_untouched_stub_fails_public_and_hidden_tests(week, name):
    stub = load_functions(week.learner).functions[name]
    for stage in ("public", "hidden"):
        outcome = run_exercise(week, name, stub, stages=(stage,))
        assert not outcome.passed
        assert "not implemented yet" in outcome.hint


@pytest.mark.parametrize("week,name,fn", MISTAKES, ids=_id)
def test_every_mistake_is_rejected_by_the_hidden_tests(week, name, fn):
    outcome = run_exercise(week, name, fn, stages=("hidden",))
    assert not outcome.passed, f"{fn.__name__} ({(fn.__doc__ or '').strip()}) survives the hidden tests"
    assert outcome.hint and "Traceback" not in outcome.hint


@pytest.mark.parametrize("week,name", EXERCISES, ids=_id)
def test_each_graded_function_has_enough_distinct_mistakes(week, name):
    fns = mistakes_of(week).get(name, [])
    assert len(fns) >= MIN_MISTAKES, f"{week.name} {name}: {len(fns)} mistakes, need {MIN_MISTAKES}"
    assert all(fn.__doc__ and fn.__doc__.strip() for fn in fns), "every mistake says what goes wrong"


def test_hidden_messages_never_show_expected_values():
    """A hidden failure names the case, not the answer."""
    for week, name, fn in MISTAKES:
        outcome = run_exercise(week, name, fn, stages=("hidden",))
        assert "expected" not in outcome.detail.lower(), f"{fn.__name__}: {outcome.detail}"


def test_public_tests_accept_any_reasonable_return_type():
    """A correct learner must never fail on form: NumPy scalars, lists, tuples, Series, 2-row arrays."""
    import numpy as np
    import pandas as pd

    from helpers.solutions import c2w3 as ref

    week = next(w for w in WEEKS if w.name == "C2W3")
    variants = {
        "frac_censored": [lambda df: np.float32(ref.frac_censored(df)), lambda df: np.array(ref.frac_censored(df))],
        "naive_estimator": [lambda t, df: np.float64(ref.naive_estimator(t, df))],
        "kaplan_meier": [
            lambda df: tuple(map(list, ref.kaplan_meier(df))),
            lambda df: [pd.Series(v) for v in ref.kaplan_meier(df)],
            lambda df: np.vstack(ref.kaplan_meier(df)),
        ],
        "logrank_test": [lambda a, b: list(map(np.float64, ref.logrank_test(a, b)))],
    }
    for name, fns in variants.items():
        for fn in fns:
            outcome = run_exercise(week, name, fn)
            assert outcome.passed, f"{name}: {outcome.detail}"


# --------------------------------------------------------------------------------------------------- the CLI


def test_mistakes_command_exits_zero_and_reports_kill_rates():
    result = grader_cli("mistakes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "100%" in result.stdout and "Every mistake is rejected" in result.stdout


def test_validate_command_passes():
    result = grader_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "validate: OK" in result.stdout


@pytest.mark.parametrize("week", WEEKS, ids=_id)
def test_check_command_on_solved_and_untouched_notebooks(week, tmp_path):
    learner = nbformat.read(week.learner, as_version=4)
    solved = tmp_path / "my solved copy.ipynb"
    nbformat.write(fill_solutions(learner, master_sources(week.read_master())), solved)
    result = grader_cli("check", solved)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(" pass ") + result.stdout.count(" pass\n") >= len(week.exercises)
    assert "FAIL" not in result.stdout

    result = grader_cli("check", week.learner)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if " FAIL " in line]
    assert len(lines) == len(week.exercises), result.stdout
    assert all("not implemented yet" in line for line in lines)


def test_check_reports_a_broken_cell_without_stopping(tmp_path):
    week = next(w for w in WEEKS if w.name == "C2W3")
    sources = master_sources(week.read_master())
    sources["naive_estimator"] = "def naive_estimator(t, df)\n    return 1.0\n"  # syntax error
    path = tmp_path / "broken.ipynb"
    nbformat.write(fill_solutions(nbformat.read(week.learner, as_version=4), sources), path)
    result = grader_cli("check", path)
    assert result.returncode == 1
    assert "syntax error" in result.stdout
    assert result.stdout.count(" pass") == len(week.exercises) - 1


def test_test_impl_exit_codes(tmp_path):
    week = next(w for w in WEEKS if w.name == "C2W3")
    good = tmp_path / "good.py"
    good.write_text(master_sources(week.read_master())["kaplan_meier"].join(["import numpy as np\n", ""]))
    assert grader_cli("test-impl", "C2W3", "kaplan_meier", good).returncode == 0
    mistakes = REPO_ROOT / "grader" / "mistakes" / "c2w3.py"
    rejected = grader_cli("test-impl", "c2w3", "kaplan_meier", f"{mistakes}:kaplan_meier__risk_set_strict")
    assert rejected.returncode == 1 and rejected.stdout.startswith("REJECTED")
    assert grader_cli("test-impl", "C9W9", "kaplan_meier", good).returncode == 2
    assert grader_cli("test-impl", "C2W3", "no_such_exercise", good).returncode == 2
    assert grader_cli("test-impl", "C2W3", "kaplan_meier", tmp_path / "missing.py").returncode == 2
    assert grader_cli("test-impl", "C2W3", "kaplan_meier", f"{good}:missing_object").returncode == 2


def test_every_subcommand_has_help():
    for command in ("build", "validate", "check", "test-impl", "mistakes", "autograde"):
        result = grader_cli(command, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout, command


def _float32(value):
    """The same answer computed in single precision: floats, arrays, Series and DataFrames as float32."""
    import numpy as np
    import pandas as pd

    if isinstance(value, (tuple, list)):
        return type(value)(_float32(v) for v in value)
    if isinstance(value, pd.DataFrame):
        return value.astype({c: np.float32 for c in value.columns if value[c].dtype == np.float64})
    if isinstance(value, pd.Series):
        return value.astype(np.float32) if value.dtype == np.float64 else value
    if isinstance(value, np.ndarray):
        return value.astype(np.float32) if value.dtype == np.float64 else value
    if isinstance(value, float):
        return np.float32(value)
    return value


@pytest.mark.parametrize("week,name", EXERCISES, ids=_id)
def test_float32_arithmetic_is_a_correct_answer(week, name):
    """Tolerances judge values, not precision: the reference run on float32 inputs, answering in float32, passes."""
    module = __import__(f"helpers.solutions.{week.module}", fromlist=[name])
    reference = getattr(module, name)

    def single_precision(*args, **kwargs):
        # data in single precision; scalar parameters (thresholds, epsilon) stay as the caller gave them, since
        # rounding those would change the question rather than the precision of the answer
        def data(a):
            return a if isinstance(a, float) else _float32(a)

        arrays = [data(a) for a in args]
        return _float32(reference(*arrays, **{k: data(v) for k, v in kwargs.items()}))

    outcome = run_exercise(week, name, single_precision)
    assert outcome.passed, outcome.detail


@pytest.mark.slow
@pytest.mark.parametrize("week", WEEKS, ids=_id)
def test_every_mistake_is_rejected_when_it_runs_in_the_sandbox(week):
    """The hidden tests keep their power across the data-only boundary (grader/sandbox.py): each mistake runs in a
    learner process and is reached only through proxies, as in autograde."""
    from grader.sandbox import Limits, Sandbox

    source = (REPO_ROOT / "grader" / "mistakes" / f"{week.module}.py").read_text()
    survivors = []
    with Sandbox(Limits()) as sandbox:
        with sandbox.budget(120):
            sandbox.request("module", f"{week.module}_mistakes.py", source)
        for exercise, fns in mistakes_of(week).items():
            for fn in fns:
                with sandbox.budget(120):
                    proxy = sandbox.request("get", fn.__name__)
                    outcome = run_exercise(week, exercise, proxy, stages=("hidden",), time_limit=None)
                if outcome.passed:
                    survivors.append(fn.__name__)
    assert not survivors, f"{week.name}: these mistakes survive the hidden tests in the sandbox: {survivors}"
