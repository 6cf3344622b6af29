"""The small testing vocabulary shared by public tests (helpers.public_tests) and hidden tests (grader.hidden).

Design rules (the grading contract):

- A failing test raises :class:`ExerciseFailed` (an ``AssertionError``) whose first line is a one-line hint and
  whose following lines list every failed check. nbgrader scores a test cell by whether it raises.
- A passing public test prints ``All tests passed.``; hidden tests are silent on success.
- Learner answers are judged by value, never by form: any real scalar (Python or NumPy) where a float is expected,
  any list, tuple, Series or 1-D array where a vector is expected.
- An exception inside the learner's function becomes a readable failure that names the case it happened on.

How tests reach learner code (the rules that let grading run learner code in a separate, sandboxed process):

- Only through :func:`call` and :func:`run_harness`, and through the objects they return (calling a returned
  function, or a returned object's methods, with plain data: ``loss(y, p)``, ``learner.predict(X)``).
- Arguments are plain data or picklable objects: numbers, strings, NumPy arrays, pandas objects, containers of
  these, fitted scikit-learn estimators, module-level functions (``sklearn.metrics.roc_auc_score``). Never a Keras
  model, a tokenizer, a lambda, a closure or an open file: build those inside a harness.
- Values a test judges are plain data (numbers, strings, booleans, None, arrays, Series, DataFrames, and lists,
  tuples or dicts of these). An answer that is a function or an object is judged by calling it with plain data.
- Anything that needs library machinery around learner code (training a Keras model one step with a learner's
  loss, Grad-CAM on a network, a tokenizer) is a *harness*: a module-level function of the week's public-test
  module ``helpers.public_tests.<week>`` (public code: it holds no expected values) that builds what it needs,
  calls the learner's function and returns plain data. Tests run it with :func:`run_harness`; the comparison with
  the reference happens in the test, never in the harness.

What grading does with these rules (``grader/sandbox.py``, docs/GRADING.md): during ``check`` and ``autograde`` the
``fn`` a test receives is a proxy for a function living in a separate, sandboxed learner process, where
``helpers.solutions`` and ``grader`` cannot be imported. Consequences for test authors:

- Every class or function a test *sends* to learner code (an argument, a template estimator) must be importable in
  that process: define it in ``helpers.public_tests.<week>`` or take it from an installed library, never in
  ``grader/hidden/``. Arguments travel by pickle.
- What comes back is plain data: NumPy arrays (tensors are converted on the learner's side), pandas objects,
  numbers, strings, containers of these. Anything else (a fitted model, an instance of the learner's class, a
  returned function) arrives as a proxy: call it, read its attributes, index or iterate it, and ``isinstance`` it
  against classes of scikit-learn, lifelines, Keras, ... or ``helpers.public_tests``. Do not pass a proxy to
  library code that needs the real object (``clone``, ``pickle``, a Keras ``fit``): run that in a harness.
- ``call`` checks on the learner's side whether ``fn`` modified its inputs; a harness runs entirely there. Each
  ``call`` is one round trip (about a millisecond): a hidden test making thousands of calls can batch them with the
  :func:`harness_map` harness.
- Any exception from learner code, ``SystemExit`` and other ``BaseException`` subclasses included, becomes an
  :class:`ExerciseFailed`; a learner process that dies or hangs fails the exercise with a reason from the grader.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import numbers
from collections.abc import Callable

import numpy as np
import pandas as pd


class ExerciseFailed(AssertionError):
    """Raised when an exercise does not pass its tests. The first line of the message is a one-line hint."""


class NotAScalar(TypeError):
    pass


def as_float(value) -> float:
    """Convert a learner's scalar answer to float, accepting Python and NumPy scalars and 0-d/size-1 arrays."""
    if isinstance(value, (bool, np.bool_)):
        raise NotAScalar(f"got a boolean ({value!r}), expected a number")
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (np.ndarray, pd.Series)) and np.size(value) == 1:
        return float(np.asarray(value).reshape(-1)[0])
    if hasattr(value, "__array__") and not isinstance(value, (str, bytes)):  # a TensorFlow or PyTorch scalar
        arr = np.asarray(value)
        if arr.size == 1 and arr.dtype.kind in "iuf":
            return float(arr.reshape(-1)[0])
    raise NotAScalar(f"got {type(value).__name__} {value!r:.80}, expected a single number")


def as_bool(value) -> bool:
    """Convert a learner's yes/no answer to bool, accepting Python and NumPy booleans (and 0-d boolean arrays)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if hasattr(value, "__array__") and not isinstance(value, (str, bytes)):
        arr = np.asarray(value)
        if arr.size == 1 and arr.dtype.kind == "b":
            return bool(arr.reshape(-1)[0])
    raise NotAScalar(f"got {type(value).__name__} {value!r:.80}, but the answer must be True or False")


def as_vector(value) -> np.ndarray:
    """Convert a learner's vector answer (list, tuple, Series, Index, 1-D array) to a 1-D float array."""
    if isinstance(value, (str, bytes)) or np.isscalar(value):
        raise NotAScalar(f"got {type(value).__name__} {value!r:.80}, expected a sequence of numbers")
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if arr.ndim != 1:
        raise NotAScalar(f"got an array of shape {arr.shape}, expected a 1-D sequence of numbers")
    return arr


def as_pair(value, what: str = "the result"):
    """Unpack a 2-element answer such as ``(times, survival)`` or ``(statistic, p_value)``."""
    try:
        first, second = value
    except (TypeError, ValueError):
        raise NotAScalar(
            f"{what} must be a pair of two items, e.g. a tuple (a, b); got {type(value).__name__}"
        ) from None
    return first, second


def _frames_equal(a, b) -> bool:
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        return a.equals(b) and list(a.index) == list(b.index)
    if isinstance(a, pd.Series) and isinstance(b, pd.Series):
        return a.equals(b) and list(a.index) == list(b.index) and a.name == b.name
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    return True


@contextlib.contextmanager
def _learner_errors(name: str, case: str):
    """Turn any error escaping learner code into a readable :class:`ExerciseFailed` naming the case."""
    try:
        yield
    except NotImplementedError as err:
        raise ExerciseFailed(
            f"{name} is not implemented yet: replace 'raise NotImplementedError()' with your code."
        ) from err
    except ExerciseFailed:
        raise
    except Exception as err:  # noqa: BLE001 - any learner error becomes a readable failure
        raise ExerciseFailed(f"{name} raised {type(err).__name__} on {case}: {err}") from err
    except (KeyboardInterrupt, GeneratorExit):
        raise  # the person running the tests pressed Ctrl-C
    except BaseException as err:  # SystemExit and BaseException subclasses raised by learner code
        if getattr(err, "__ai4med_infrastructure__", False):
            raise  # the sandbox died or timed out: the grader reports it
        raise ExerciseFailed(f"{name} raised {type(err).__name__} on {case}: {err}") from err


def call(name: str, fn: Callable, *args, case: str, check_inputs_unchanged: bool = True):
    """Call the learner's ``fn(*args)`` on a described case, turning any error into a readable failure.

    Raises :class:`ExerciseFailed` if the function is still the stub, raises, or modifies its inputs.
    """
    remote = getattr(type(fn), "__ai4med_call__", None)
    if remote is not None:  # a proxy for a function in the learner's process: the input check happens there
        with _learner_errors(name, case):
            result, modified = remote(fn, args, check_inputs_unchanged)
    else:
        saved = [copy.deepcopy(a) for a in args] if check_inputs_unchanged else None
        with _learner_errors(name, case):
            result = fn(*args)
        modified = saved is not None and any(not _frames_equal(o, a) for o, a in zip(saved, args))
    if modified:
        raise ExerciseFailed(
            f"{name} modified its input on {case}: work on a copy (df.copy()) or use expressions that "
            "do not change the data frame you were given."
        )
    return result


def raised_or_returned(name: str, fn: Callable, *args, case: str) -> tuple[str | None, object]:
    """Call the learner's ``fn(*args)`` exactly as :func:`call` does and return ``(error, value)``: the name of the
    exception class it raised and its message, or ``(None, result)``.

    Use it for every case of an exercise that must raise on some inputs, valid or not: the call is the same whatever
    the case expects, so code running beside the learner's function cannot tell an error case from the others (a
    harness used only for error cases would let it answer "ValueError" without deciding anything). The untouched
    stub and a modified input still fail as in :func:`call`.
    """
    try:
        return None, call(name, fn, *args, case=case)
    except ExerciseFailed as failed:
        cause = failed.__cause__
        if cause is None or type(cause).__name__ == "NotImplementedError":
            raise
        return type(cause).__name__, str(cause)


def run_harness(name: str, fn: Callable, harness: Callable, *args, case: str):
    """Run the trusted ``harness(fn, *args)`` next to the learner's ``fn`` and return its plain-data result.

    ``harness`` must be a module-level function of a ``helpers.public_tests`` module whose arguments and result are
    plain data (see the module docstring). In a single process this is simply ``harness(fn, *args)``; when grading
    isolates learner code, ``fn`` is a proxy that runs the harness in the learner's process and sends back only the
    result. Errors become a readable :class:`ExerciseFailed`, as in :func:`call`.
    """
    runner = getattr(type(fn), "__ai4med_run_harness__", None)
    with _learner_errors(name, case):
        return runner(fn, harness, *args) if runner is not None else harness(fn, *args)


def harness_map(fn: Callable, arg_tuples: list) -> list:
    """Harness: ``[fn(*args) for args in arg_tuples]`` in one round trip (use with :func:`run_harness`)."""
    return [fn(*args) for args in arg_tuples]


class Checks:
    """Collects the checks of one exercise and reports them together.

    >>> checks = Checks("frac_censored")
    >>> checks.close_enough(0.25, 0.25, "4 patients, 1 censored")
    >>> checks.done()
    All tests passed.
    """

    def __init__(self, name: str, *, public: bool = True):
        self.name = name
        self.public = public
        self.failures: list[str] = []
        self.n_checks = 0

    # -- recording -------------------------------------------------------------------------------------------
    def fail(self, message: str) -> None:
        self.failures.append(message)

    def that(self, condition: bool, message: str) -> bool:
        """Record a check; ``message`` explains what is wrong when ``condition`` is false."""
        self.n_checks += 1
        if not condition:
            self.fail(message)
        return bool(condition)

    def scalar(self, value, case: str):
        """Convert ``value`` to float or record a type failure (returns None on failure)."""
        try:
            return as_float(value)
        except NotAScalar as err:
            self.n_checks += 1
            self.fail(f"{case}: {err}")
            return None

    def vector(self, value, case: str):
        try:
            return as_vector(value)
        except (NotAScalar, ValueError) as err:
            self.n_checks += 1
            self.fail(f"{case}: {err}")
            return None

    def same_bool(self, got, expected: bool, case: str, *, hint: str = "") -> bool:
        """Compare a True/False answer; public tests show both values, hidden ones do not."""
        try:
            value = as_bool(got)
        except NotAScalar as err:
            self.n_checks += 1
            self.fail(f"{case}: {err}")
            return False
        message = f"{case}: expected {bool(expected)}, got {value}" if self.public else f"{case}: wrong answer"
        return self.that(value == bool(expected), message + (f" ({hint})" if hint else ""))

    def pair(self, value, case: str):
        """Unpack a 2-item answer such as ``(times, survival)``, or record a failure and return None."""
        try:
            return as_pair(value, f"{self.name}'s result")
        except NotAScalar as err:
            self.n_checks += 1
            self.fail(f"{case}: {err}")
            return None

    def close_enough(self, got, expected, case: str, *, rtol: float = 1e-6, atol: float = 1e-9, hint: str = "") -> bool:
        """Compare a scalar answer with the expected value; public tests show both values, hidden ones do not."""
        value = self.scalar(got, case)
        if value is None:
            return False
        ok = bool(np.isclose(value, expected, rtol=rtol, atol=atol, equal_nan=True))
        if self.public:
            message = f"{case}: expected {expected:.6g}, got {value:.6g}"
        else:
            message = f"{case}: wrong value"
        return self.that(ok, message + (f" ({hint})" if hint else ""))

    def vectors_close(
        self, got, expected, case: str, *, rtol: float = 1e-6, atol: float = 1e-9, hint: str = ""
    ) -> bool:
        arr = self.vector(got, case)
        if arr is None:
            return False
        expected = np.asarray(expected, dtype=float)
        if arr.shape != expected.shape:
            extra = f" (expected {expected.size} values, got {arr.size})" if self.public else f" ({arr.size} values)"
            return self.that(False, f"{case}: wrong length{extra}" + (f" — {hint}" if hint else ""))
        ok = bool(np.allclose(arr, expected, rtol=rtol, atol=atol, equal_nan=True))
        if self.public and not ok:
            bad = int(np.flatnonzero(~np.isclose(arr, expected, rtol=rtol, atol=atol, equal_nan=True))[0])
            message = f"{case}: first difference at position {bad}: expected {expected[bad]:.6g}, got {arr[bad]:.6g}"
        else:
            message = f"{case}: wrong values"
        return self.that(ok, message + (f" ({hint})" if hint else ""))

    def frames_close(self, got, expected, case: str, *, rtol: float = 1e-6, atol: float = 1e-9, hint: str = "") -> bool:
        """Check that ``got`` is a DataFrame with the expected columns (in order), index and values.

        Public checks say which column differs and show the numbers; hidden ones only say what kind of difference
        it is.
        """
        if not isinstance(got, pd.DataFrame):
            return self.that(False, f"{case}: the result must be a pandas DataFrame, got {type(got).__name__}")
        if list(got.columns) != list(expected.columns):
            if self.public:
                detail = f"expected columns {list(expected.columns)}, got {list(got.columns)}"
            elif set(got.columns) == set(expected.columns):
                detail = "right columns in the wrong order"
            else:
                detail = f"wrong columns ({len(got.columns)} columns)"
            return self.that(False, f"{case}: {detail}")
        if len(got) != len(expected) or not got.index.equals(expected.index):
            shown = f" (expected {expected.index.tolist()[:6]}, got {got.index.tolist()[:6]})" if self.public else ""
            return self.that(False, f"{case}: the rows must keep the index of the input data frame{shown}")
        try:
            values = got.to_numpy(dtype=float)
        except (TypeError, ValueError):
            return self.that(False, f"{case}: the data frame must hold numbers")
        want = expected.to_numpy(dtype=float)
        close = np.isclose(values, want, rtol=rtol, atol=atol, equal_nan=True)
        if close.all():
            return self.that(True, "")
        row, col = map(int, np.argwhere(~close)[0])
        if self.public:
            message = (
                f"{case}: column {expected.columns[col]!r}, row {expected.index.tolist()[row]!r}: expected "
                f"{want[row, col]:.6g}, got {values[row, col]:.6g}"
            )
        else:
            message = f"{case}: wrong values in column {expected.columns[col]!r}"
        return self.that(False, message + (f" ({hint})" if hint else ""))

    # -- reporting -------------------------------------------------------------------------------------------
    def done(self) -> None:
        """Raise :class:`ExerciseFailed` if any check failed; otherwise print the success line (public tests)."""
        if self.failures:
            first = self.failures[0]
            kind = "public" if self.public else "hidden"
            summary = f"{self.name}: {len(self.failures)} of {self.n_checks} {kind} checks failed"
            if len(self.failures) == 1:
                raise ExerciseFailed(f"{first}\n({summary})")
            lines = "\n".join(f"  - {f}" for f in self.failures)
            raise ExerciseFailed(f"{first}\n{summary}:\n{lines}")
        if self.public:
            print("All tests passed.")


def hidden_check(check: Callable) -> Callable:
    """Decorate a hidden test so its failure shows only the message, not the hidden code or learner traceback.

    Feedback notebooks show tracebacks; cutting the chain (``from None``) keeps the checks themselves private.
    """

    @functools.wraps(check)
    def wrapper(fn) -> None:
        try:
            check(fn)
        except ExerciseFailed as err:
            raise ExerciseFailed(str(err)) from None

    return wrapper
