"""The shared testing vocabulary: lenient about form, strict about values, readable when failing."""

import numpy as np
import pandas as pd
import pytest

from helpers.public_tests.framework import Checks, ExerciseFailed, as_float, as_vector, call, hidden_check


@pytest.mark.parametrize(
    "value", [0.5, np.float32(0.5), np.float64(0.5), np.array(0.5), np.array([0.5]), pd.Series([0.5]), 1, np.int64(1)]
)
def test_as_float_accepts_any_real_scalar(value):
    assert as_float(value) == pytest.approx(float(np.asarray(value).reshape(-1)[0]))


@pytest.mark.parametrize("value", [None, "0.5", True, [0.5, 0.6], np.array([1.0, 2.0])])
def test_as_float_rejects_non_scalars(value):
    with pytest.raises(TypeError):
        as_float(value)


@pytest.mark.parametrize(
    "value",
    [[1, 2], (1, 2), np.array([1, 2]), pd.Series([1, 2]), pd.Index([1, 2]), np.array([[1, 2]]), np.array([[1], [2]])],
)
def test_as_vector_accepts_sequences(value):
    np.testing.assert_array_equal(as_vector(value), [1.0, 2.0])


def test_call_names_the_case_and_the_error():
    def broken(df):
        return df["missing"]

    with pytest.raises(ExerciseFailed, match="broken raised KeyError on a tiny table"):
        call("broken", broken, pd.DataFrame({"a": [1]}), case="a tiny table")


def test_call_explains_a_stub():
    def stub(x):
        raise NotImplementedError()

    with pytest.raises(ExerciseFailed, match="not implemented yet"):
        call("stub", stub, 1, case="any")


def test_call_catches_functions_that_modify_their_input():
    def sorts_in_place(df):
        df.sort_values("a", inplace=True)
        return 0

    with pytest.raises(ExerciseFailed, match="modified its input"):
        call("sorts_in_place", sorts_in_place, pd.DataFrame({"a": [2, 1]}), case="two rows")


def test_public_checks_show_values_and_hidden_checks_do_not(capsys):
    public = Checks("f")
    public.close_enough(0.3, 0.25, "case A")
    with pytest.raises(ExerciseFailed) as err:
        public.done()
    assert str(err.value).splitlines()[0] == "case A: expected 0.25, got 0.3"

    hidden = Checks("f", public=False)
    hidden.close_enough(0.3, 0.25, "case B")
    hidden.vectors_close([1, 2], [1, 2, 3], "case C")
    with pytest.raises(ExerciseFailed) as err:
        hidden.done()
    message = str(err.value)
    assert "0.25" not in message and "3 values" not in message and "2 of 2 hidden checks failed" in message

    ok = Checks("f")
    ok.close_enough(np.float32(0.25), 0.25, "fine")
    ok.done()
    assert capsys.readouterr().out == "All tests passed.\n"


def test_hidden_check_cuts_the_traceback_chain():
    @hidden_check
    def check(fn):
        checks = Checks("f", public=False)
        checks.close_enough(call("f", fn, 1, case="c"), 1.0, "c")
        checks.done()

    def learner(x):
        raise ValueError("secret detail of the learner's stack")

    with pytest.raises(ExerciseFailed) as err:
        check(learner)
    assert err.value.__cause__ is None and err.value.__suppress_context__
    check(lambda x: 1.0)  # passes silently


def test_frames_close_judges_columns_index_and_values():
    expected = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}, index=[5, 6])
    checks = Checks("demo", public=False)
    assert checks.frames_close(expected.copy(), expected, "same frame")
    assert checks.frames_close(expected.astype("float32"), expected, "float32 values")
    assert not checks.frames_close(expected.to_numpy(), expected, "an array, not a frame")
    assert not checks.frames_close(expected[["b", "a"]], expected, "columns swapped")
    assert not checks.frames_close(expected.reset_index(drop=True), expected, "index lost")
    assert not checks.frames_close(expected.assign(b=[3.0, 4.5]), expected, "one wrong value")
    assert checks.failures[-1] == "one wrong value: wrong values in column 'b'"
    public = Checks("demo")
    assert not public.frames_close(expected.assign(b=[3.0, 4.5]), expected, "one wrong value")
    assert public.failures[-1] == "one wrong value: column 'b', row 6: expected 4, got 4.5"


def _double_all(fn, values):
    """A harness: exercises the learner's function and returns plain data."""
    return [fn(v) for v in values]


def test_run_harness_runs_the_harness_on_the_learner_function():
    from helpers.public_tests.framework import run_harness

    assert run_harness("double", lambda x: 2 * x, _double_all, [1, 2], case="two values") == [2, 4]


def test_run_harness_uses_the_proxy_hook_and_reports_errors_like_call():
    from helpers.public_tests.framework import run_harness

    class Proxy:
        def __call__(self, x):
            raise AssertionError("a proxy is never called directly")

        def __ai4med_run_harness__(self, harness, *args):
            return ("ran remotely", harness.__name__, args)

    assert run_harness("double", Proxy(), _double_all, [1], case="c") == ("ran remotely", "_double_all", ([1],))

    def stub(x):
        raise NotImplementedError()

    with pytest.raises(ExerciseFailed, match="not implemented yet"):
        run_harness("stub", stub, _double_all, [1], case="c")
    with pytest.raises(ExerciseFailed, match="raised ZeroDivisionError on a zero"):
        run_harness("inverse", lambda x: 1 / x, _double_all, [0], case="a zero")


def test_as_float_accepts_framework_tensors():
    import tensorflow as tf
    import torch

    assert as_float(tf.constant(0.25)) == 0.25
    assert as_float(tf.constant([1.5], dtype=tf.float64)) == 1.5
    assert as_float(torch.tensor(3.0)) == 3.0
    with pytest.raises(TypeError):
        as_float(tf.constant([1.0, 2.0]))


@pytest.mark.parametrize("value,expected", [(True, True), (np.bool_(False), False), (np.array(True), True)])
def test_as_bool_accepts_python_and_numpy_booleans(value, expected):
    from helpers.public_tests.framework import as_bool

    assert as_bool(value) is expected


@pytest.mark.parametrize("value", [1, 0, "True", None, {3}, [True], np.array([True, False])])
def test_as_bool_rejects_what_is_not_a_yes_or_no(value):
    from helpers.public_tests.framework import as_bool

    with pytest.raises(TypeError, match="must be True or False"):
        as_bool(value)


def test_same_bool_reports_like_the_other_checks():
    public, hidden = Checks("leak"), Checks("leak", public=False)
    public.same_bool(np.bool_(False), True, "one shared patient")
    hidden.same_bool(3, True, "one shared patient")
    with pytest.raises(ExerciseFailed, match="expected True, got False"):
        public.done()
    with pytest.raises(ExerciseFailed, match="must be True or False"):
        hidden.done()
