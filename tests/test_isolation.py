"""The data-only boundary between a learner's sandboxed process and the checker (grader/sandbox.py, grader/wire.py).

One sandbox serves most tests (start-up costs about a second). What the new weeks need is covered: classes whose
instances are used through methods (a T-learner), functions returning functions that return tensors (a Keras loss),
picklable arguments (fitted estimators, sklearn.metrics functions, DataFrames), harnesses, the input-was-modified
check, and a reply format the checker decodes without unpickling anything.
"""

import base64
import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from grader import wire
from grader.course import REPO_ROOT
from grader.sandbox import (
    SANDBOX_UID_BASE,
    LearnerError,
    Limits,
    Remote,
    Sandbox,
    SandboxCrashed,
    SandboxTimeout,
    isolation_mode,
)
from helpers.public_tests.framework import ExerciseFailed, call, harness_map, run_harness

CODE = """
import numpy as np
import pandas as pd


class TLearner:
    def __init__(self, est_t, est_c):
        self.est_t, self.est_c = est_t, est_c

    def predict(self, X):
        return self.est_t.predict(X) - self.est_c.predict(X)


def get_weighted_loss(pos, neg):
    def loss(y_true, y_pred):
        import tensorflow as tf
        y_true = tf.constant(y_true, dtype=tf.float32)
        y_pred = tf.constant(y_pred, dtype=tf.float32)
        return -tf.reduce_mean(pos * y_true * tf.math.log(y_pred) + neg * (1 - y_true) * tf.math.log(1 - y_pred))
    return loss


def torch_double(values):
    import torch
    return torch.tensor(values, requires_grad=True) * 2


def score_with(metric, y, p):
    return metric(y, p)


def fit_forest(X, y):
    from sklearn.ensemble import RandomForestClassifier
    return RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)


def drops_in_place(df):
    df.drop(columns=["b"], inplace=True)
    return len(df.columns)


def frames(n):
    df = pd.DataFrame({"a": np.arange(n, dtype=np.float32), "c": pd.Categorical(["x", "y"] * (n // 2)),
                       "i": pd.array([1, None] * (n // 2), dtype="Int64")}, index=np.arange(n) + 10)
    return df, df["a"], {"k": (1, 2.5, None, "s", float("nan"))}


class Evil:
    def __reduce__(self):
        import os
        return (os.system, ("touch /tmp/ai4med-pwned",))


def evil():
    return Evil()


def spin():
    while True:
        pass


def exits():
    import os
    os._exit(3)
"""


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(Limits(exercise_seconds=30)) as sb:
        with sb.budget(120):
            sb.request("setup", ["import numpy as np"])
            sb.request("exec", "code", CODE)
        yield sb


def get(sb, name):
    with sb.budget(30):
        return sb.request("get", name)


def test_a_class_is_instantiated_and_used_through_its_methods(sandbox):
    from sklearn.linear_model import LinearRegression

    X = np.arange(12.0).reshape(6, 2)
    est_t, est_c = LinearRegression().fit(X, X[:, 0] * 2), LinearRegression().fit(X, X[:, 0])
    with sandbox.budget(30):
        learner = call("TLearner", get(sandbox, "TLearner"), est_t, est_c, case="two fitted regressions")
        assert type(learner) is Remote
        np.testing.assert_allclose(learner.predict(X), X[:, 0], atol=1e-9)
        assert learner.est_t.coef_.shape == (2,)


def test_a_function_returning_a_function_returning_a_tensor_comes_back_as_a_number(sandbox):
    with sandbox.budget(120):
        loss = call("get_weighted_loss", get(sandbox, "get_weighted_loss"), 0.3, 0.7, case="weights")
        value = call("loss", loss, np.array([1.0, 0.0]), np.array([0.8, 0.4]), case="two patients")
    expected = -np.mean([0.3 * np.log(0.8), 0.7 * np.log(0.6)])
    assert isinstance(value, np.ndarray) and float(value) == pytest.approx(expected, rel=1e-6)


def test_torch_tensors_with_gradients_come_back_as_arrays(sandbox):
    with sandbox.budget(120):
        got = call("torch_double", get(sandbox, "torch_double"), [1.0, 2.5], case="a list")
    np.testing.assert_allclose(got, [2.0, 5.0])


def test_library_functions_and_fitted_models_are_arguments_and_results(sandbox):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import roc_auc_score

    with sandbox.budget(60):
        auc = call("score_with", get(sandbox, "score_with"), roc_auc_score, [0, 1, 1], [0.1, 0.9, 0.4], case="auc")
        forest = call("fit_forest", get(sandbox, "fit_forest"), np.eye(4), [0, 1, 0, 1], case="tiny")
        assert isinstance(forest, RandomForestClassifier) and type(forest) is Remote
        assert forest.predict_proba(np.eye(4)).shape == (4, 2)
        assert len(forest.estimators_) == 3
    assert auc == 1.0


def test_harnesses_run_next_to_the_learner_function(sandbox):
    with sandbox.budget(30):
        fn = get(sandbox, "score_with")
        got = run_harness("score_with", fn, harness_map, [(max, 1, 2), (min, 1, 2)], case="two calls")
    assert got == [2, 1]
    with pytest.raises(TypeError, match="helpers.public_tests"):
        fn.__ai4med_run_harness__(lambda f: f)


def test_input_modification_is_detected_on_the_learner_side(sandbox):
    with sandbox.budget(30), pytest.raises(ExerciseFailed, match="modified its input"):
        call("drops_in_place", get(sandbox, "drops_in_place"), pd.DataFrame({"a": [1], "b": [2]}), case="one row")


def test_pandas_values_round_trip(sandbox):
    with sandbox.budget(30):
        df, series, nested = get(sandbox, "frames")(4)
    assert list(df.columns) == ["a", "c", "i"] and list(df.index) == [10, 11, 12, 13]
    assert df["a"].dtype == np.float32 and isinstance(df["c"].dtype, pd.CategoricalDtype)
    assert df["i"].isna().tolist() == [False, True, False, True]
    assert series.name == "a" and nested["k"][:4] == (1, 2.5, None, "s") and np.isnan(nested["k"][4])


def test_an_object_with_a_malicious_reduce_stays_in_the_sandbox(sandbox, tmp_path):
    with sandbox.budget(30):
        obj = get(sandbox, "evil")()
    assert type(obj) is Remote and "Evil" in repr(obj)
    import os

    assert not os.path.exists("/tmp/ai4med-pwned")


def test_the_checker_refuses_pickled_arrays():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    tree = {"$": "nd", "npy": base64.b64encode(buffer.getvalue()).decode()}
    with pytest.raises(wire.WireError):
        wire.from_tree(tree, lambda handle: None)
    with pytest.raises(wire.WireError):
        wire.from_tree({"$": "pickle", "v": "gASV"}, lambda handle: None)


def test_learner_errors_keep_their_class_name_and_not_implemented_stays(sandbox):
    with sandbox.budget(30):
        sandbox.request("exec", "errors", "def boom():\n    1 / 0\ndef todo():\n    raise NotImplementedError()\n")
        with pytest.raises(ZeroDivisionError) as info:
            get(sandbox, "boom")()
        assert isinstance(info.value, LearnerError)
        with pytest.raises(ExerciseFailed, match="not implemented yet"):
            call("todo", get(sandbox, "todo"), case="nothing")


def test_hangs_and_exits_end_the_sandbox_not_the_checker():
    with Sandbox(Limits()) as sb:
        with sb.budget(10):
            sb.request("exec", "code", CODE)
        with sb.budget(2), pytest.raises(SandboxTimeout, match="did not finish within 2 s"):
            get(sb, "spin")()
        assert not sb.alive
    with Sandbox(Limits()) as sb:
        with sb.budget(10):
            sb.request("exec", "code", CODE)
            with pytest.raises(SandboxCrashed, match="exited with code 3"):
                get(sb, "exits")()


@pytest.mark.skipif(isolation_mode() == "plain", reason="needs Linux namespaces")
def test_the_jail_hides_the_repository_the_network_and_the_reference(sandbox):
    probe = f"""
import os, socket
def probe():
    root = {str(REPO_ROOT)!r}
    # the environment may live inside the repository (.venv, as CI makes it): only that folder may be visible
    visible = sorted(os.listdir(root)) if os.path.isdir(root) else []
    found = {{"repo": [name for name in visible if name != ".venv"], "uid": os.getuid(), "pid": os.getpid(),
              "hidden": os.path.exists(os.path.join(root, "grader", "hidden"))}}
    try:
        import helpers.solutions
        found["solutions"] = True
    except ImportError as err:
        found["solutions"] = str(err)
    try:
        socket.create_connection(("127.0.0.1", 9), timeout=1)
        found["net"] = True
    except OSError as err:
        found["net"] = err.errno
    return found
"""
    with sandbox.budget(30):
        sandbox.request("exec", "probe", probe)
        found = get(sandbox, "probe")()
    assert found["repo"] == [] and found["hidden"] is False and found["net"] is not True
    assert "not available while grading" in found["solutions"]
    if isolation_mode() == "namespace":
        assert found["uid"] >= SANDBOX_UID_BASE  # a uid of its own, not shared with other sandboxes


def test_test_impl_rejects_sys_exit_and_os_exit(tmp_path):
    for body in ("import sys\n    sys.exit(0)", "import os\n    os._exit(0)"):
        impl = tmp_path / "impl.py"
        impl.write_text(f"def kaplan_meier(df):\n    {body}\n")
        result = subprocess.run(
            [sys.executable, "-m", "grader", "test-impl", "C2W3", "kaplan_meier", impl],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 1 and result.stdout.startswith("REJECTED"), result.stdout + result.stderr


def test_interval_bins_cross_the_boundary():
    """pd.qcut's bins as a Series index (C3W1 lr_ARR_quantile) come back as the same intervals."""
    import json

    from grader.wire import from_tree, to_tree

    series = pd.Series(np.arange(10.0)).groupby(pd.qcut(np.arange(10.0), 5), observed=True).mean()
    tree = json.loads(json.dumps(to_tree(series, make_handle=lambda obj: pytest.fail(f"no handle for {obj!r}"))))
    back = from_tree(tree, make_proxy=None)
    pd.testing.assert_series_equal(back, series)
    assert from_tree(json.loads(json.dumps(to_tree(pd.Interval(0.5, 2, closed="left"), None))), None) == pd.Interval(
        0.5, 2, closed="left"
    )


@pytest.mark.parametrize(
    "value", [np.float64("nan"), np.float64("inf"), -np.float64("inf"), np.float32("nan"), float("nan")]
)
def test_non_finite_numpy_scalars_cross_the_boundary(value):
    """0 / 0 with NumPy integer counts is np.float64(nan), whose NumPy 2 repr is 'np.float64(nan)': it must come back
    as nan (C1W2's documented answer for an empty class), alone and inside a tuple."""
    import json

    from grader.wire import from_tree, to_tree

    def round_trip(obj):
        return from_tree(json.loads(json.dumps(to_tree(obj, None))), None)

    back = round_trip(value)
    assert np.isnan(back) if np.isnan(value) else back == value
    pair = round_trip((value, 0.5))
    assert (np.isnan(pair[0]) if np.isnan(value) else pair[0] == value) and pair[1] == 0.5


@pytest.mark.skipif(isolation_mode() != "namespace", reason="separate uids need namespace mode (root)")
def test_each_sandbox_has_a_uid_of_its_own_so_process_limits_are_not_shared():
    """RLIMIT_NPROC counts every process of a uid: sandboxes graded at the same time must not share one, or one
    submission that starts ~1,000 processes makes TensorFlow and tokenizers crash in every other student's."""
    code = "import os, subprocess\ndef me():\n    return os.getuid()\n"
    with Sandbox(Limits()) as first, Sandbox(Limits()) as second:
        uids = []
        for sb in (first, second):
            with sb.budget(30):
                sb.request("exec", "code", code)
            uids.append(get(sb, "me")())
    assert len(set(uids)) == 2 and min(uids) >= SANDBOX_UID_BASE
