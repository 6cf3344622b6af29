"""Public tests for week C3W3 (model interpretation). Each prints 'All tests passed.' or raises with a clear message.

The small cases are worked by hand in the comments. Grad-CAM needs a Keras model around the learner's function, so
it runs inside the *harness* :func:`grad_cam_maps`, which builds its models here, in memory, from plain
specifications (:func:`model_weights` draws their weights from a seeded NumPy generator: nothing is trained or read
from disk), calls ``grad_cam`` and returns plain arrays. The hidden tests use the same harness and models.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from helpers.public_tests.framework import Checks, ExerciseFailed, call, run_harness

# --------------------------------------------------------------------------------------------- shared pieces


class LinearRisk(ClassifierMixin, BaseEstimator):
    """A transparent toy classifier: risk = sigmoid(intercept + sum of weight * column) over ``columns``.

    Columns of X not in ``columns`` are ignored. Accepts a DataFrame (columns by name) or an array (columns by
    position in ``feature_names``, all the columns of X in order; default: ``columns`` are the first ones).
    ``fit`` learns nothing.
    """

    def __init__(self, columns=("a",), weights=(1.0,), intercept=0.0, feature_names=None):
        self.columns = columns
        self.weights = weights
        self.intercept = intercept
        self.feature_names = feature_names

    def fit(self, X, y):
        self.classes_ = np.array([0, 1])
        return self

    def decision_function(self, X):
        if isinstance(X, pd.DataFrame):
            values = np.column_stack([X[c].to_numpy(dtype=float) for c in self.columns])
        else:
            names = list(self.feature_names if self.feature_names is not None else self.columns)
            values = np.asarray(X, dtype=float)[:, [names.index(c) for c in self.columns]]
        return self.intercept + values @ np.asarray(self.weights, dtype=float)

    def predict_proba(self, X):
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return (self.decision_function(X) > 0).astype(int)


def pairwise_auc(y, p) -> float:
    """ROC AUC (C-index) by counting pairs of a positive and a negative patient (ties count one half).

    The same number as ``sklearn.metrics.roc_auc_score`` for 0/1 labels, much faster on a few patients.
    """
    y, p = np.asarray(y), np.asarray(p, dtype=float)
    diff = p[y == 1][:, None] - p[y == 0][None, :]
    return float(((diff > 0) + 0.5 * (diff == 0)).mean())


def accuracy_at_half(y, p) -> float:
    """Fraction of patients whose predicted probability is on the right side of 0.5 (a metric for the tests)."""
    return float(np.mean((np.asarray(p, dtype=float) >= 0.5) == (np.asarray(y) == 1)))


def as_frame(checks: Checks, got, case: str):
    """The learner's answer as a DataFrame, or None with a recorded failure."""
    if isinstance(got, pd.DataFrame):
        return got
    checks.that(False, f"{case}: return a pandas DataFrame (a copy of df), got {type(got).__name__}")
    return None


def same_values(a, b) -> bool:
    """Equal element by element (numbers to 1e-6 relative, so float32 copies count), with missing values (NaN,
    None) equal to each other; any dtypes."""
    if len(a) != len(b):
        return False
    try:
        x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        x = y = None
    if x is not None:
        return bool(np.allclose(x, y, rtol=1e-6, atol=1e-12, equal_nan=True))
    a, b = pd.Series(np.asarray(a, dtype=object)), pd.Series(np.asarray(b, dtype=object))
    missing = a.isna().to_numpy()
    return bool((missing == b.isna().to_numpy()).all() and (a[~missing].to_numpy() == b[~missing].to_numpy()).all())


def _sorted(values) -> np.ndarray:
    return pd.Series(np.asarray(values)).sort_values(na_position="last", kind="stable").to_numpy()


def same_except(checks: Checks, got: pd.DataFrame, df: pd.DataFrame, feature, case: str, *, public: bool) -> bool:
    """Columns, index and every column but ``feature`` as in ``df``; ``feature`` holds the same values (any order)."""
    if list(got.columns) != list(df.columns):
        shown = f" (expected {list(df.columns)}, got {list(got.columns)})" if public else ""
        return checks.that(False, f"{case}: keep the columns of df, in their order{shown}")
    if not got.index.equals(df.index):
        return checks.that(
            False,
            f"{case}: keep the index of df (the rows stay where they are; only the values of column {feature!r} move)",
        )
    for column in df.columns:
        if column == feature:
            continue
        if not same_values(got[column], df[column]):
            return checks.that(
                False,
                f"{case}: column {column!r} changed; only column {feature!r} may be permuted "
                "(do not shuffle whole rows)",
            )
    return checks.that(
        same_values(_sorted(got[feature]), _sorted(df[feature])),
        f"{case}: column {feature!r} must hold the same values as before, each exactly once, in a new "
        "order (a permutation, not a sample with replacement)",
    )


def importance_series(checks: Checks, got, features, case: str):
    """The learner's importances as a float Series indexed by ``features`` (a dict is fine too), or None."""
    if isinstance(got, dict):
        got = pd.Series(got)
    if not isinstance(got, pd.Series):
        checks.that(False, f"{case}: return a pandas Series indexed by feature name, got {type(got).__name__}")
        return None
    if sorted(map(str, got.index)) != sorted(map(str, features)) or len(got) != len(features):
        checks.that(
            False,
            f"{case}: the Series must have one value per column of X, indexed by the column names "
            f"{list(features)}; got index {list(got.index)[:8]}",
        )
        return None
    try:
        return pd.Series(np.asarray(got.to_numpy(), dtype=float), index=got.index).reindex(list(features))
    except (TypeError, ValueError):
        checks.that(False, f"{case}: the importances must be numbers")
        return None


# --------------------------------------------------------------------------------------------- permute_feature

# 8 patients with a non-default index; "age" has 8 distinct values, "sex" is text
_PATIENTS = pd.DataFrame(
    {
        "age": [34, 71, 58, 46, 63, 29, 52, 40],
        "sex": ["F", "M", "M", "F", "F", "M", "F", "M"],
        "sbp": [118.0, 142.5, 131.0, 125.0, np.nan, 110.0, 150.0, 121.0],
    },
    index=[101, 102, 103, 104, 105, 106, 107, 108],
)


def test_permute_feature(permute_feature) -> None:
    checks = Checks("permute_feature")
    for feature in ("age", "sbp"):
        case = f"permuting {feature!r} of 8 patients with rng = np.random.default_rng(0)"
        df = _PATIENTS.copy()
        got = as_frame(
            checks, call("permute_feature", permute_feature, df, feature, np.random.default_rng(0), case=case), case
        )
        if got is None or not same_except(checks, got, _PATIENTS, feature, case, public=True):
            continue
        checks.that(
            not same_values(got[feature], _PATIENTS[feature]),
            f"{case}: the values of {feature!r} are still in their original order — if you assigned a "
            "shuffled Series back, pandas put every value back in its row by index: assign the values "
            "(.to_numpy()) instead",
        )
        again = call("permute_feature", permute_feature, df, feature, np.random.default_rng(0), case=case)
        if isinstance(again, pd.DataFrame):
            checks.that(
                same_values(again[feature], got[feature]),
                f"{case}: two calls with the same seed gave different orders — draw the permutation from "
                "the rng you are given (rng.permutation(...)), not from np.random",
            )
    case = "rng=None (the default: a fresh np.random.default_rng())"
    got = as_frame(checks, call("permute_feature", permute_feature, _PATIENTS.copy(), "age", None, case=case), case)
    if got is not None:
        same_except(checks, got, _PATIENTS, "age", case, public=True)
    checks.done()


def permutation_draws(permute_feature, df: pd.DataFrame, feature, seed: int, n_calls: int) -> np.ndarray:
    """Harness: the feature's column after each of ``n_calls`` calls sharing one ``np.random.default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    return np.array([np.asarray(permute_feature(df, feature, rng)[feature], dtype=float) for _ in range(n_calls)])


# --------------------------------------------------------------------------------------------- permutation_importance

# 4 patients; the model's risk rises with age and ignores sex. y = [0, 0, 1, 1] and age = [40, 50, 60, 70]: the
# unpermuted AUC is 1. Over all 24 orders of the 4 ages the mean AUC is 0.5 (every pair is ordered either way
# equally often), so the importance of age is about 1 - 0.5 = 0.5. Permuting sex changes nothing: exactly 0.
_TOY_X = pd.DataFrame({"age": [40.0, 50.0, 60.0, 70.0], "sex": [0.0, 1.0, 0.0, 1.0]}, index=[7, 3, 9, 1])
_TOY_Y = np.array([0, 0, 1, 1])
_TOY_MODEL = LinearRisk(columns=("age",), weights=(0.2,), intercept=-11.0)
_TOY_SAMPLES = 400
# the 24 orders give AUC 1 (4 orders), 0.75 (4), 0.5 (8), 0.25 (4), 0 (4): standard deviation 1/3 per permutation,
# so the mean of 400 permutations lies within 5 * (1/3) / sqrt(400) = 0.083 of 0.5 except once in a million runs
_TOY_TOLERANCE = 5 * (1 / 3) / np.sqrt(_TOY_SAMPLES)


def test_permutation_importance(permutation_importance) -> None:
    checks = Checks("permutation_importance")
    case = f"4 patients, a model of age only, AUC (pairwise_auc), num_samples={_TOY_SAMPLES}"
    got = call(
        "permutation_importance",
        permutation_importance,
        _TOY_X.copy(),
        _TOY_Y.copy(),
        _TOY_MODEL,
        pairwise_auc,
        _TOY_SAMPLES,
        np.random.default_rng(0),
        case=case,
    )
    series = importance_series(checks, got, list(_TOY_X.columns), case)
    if series is not None:
        checks.close_enough(
            series["sex"],
            0.0,
            f"{case} — importance of sex (the model ignores it)",
            atol=1e-12,
            hint="permute only the one column you are measuring",
        )
        checks.close_enough(
            series["age"],
            0.5,
            f"{case} — importance of age (about 0.5 within ±{_TOY_TOLERANCE:.3f})",
            rtol=0,
            atol=_TOY_TOLERANCE,
            hint="importance = metric(y, unpermuted predictions) minus the MEAN metric over the "
            "num_samples permuted copies; predictions = model.predict_proba(X)[:, 1]",
        )
    checks.done()


# --------------------------------------------------------------------------------------------- grad_cam: models

# A model specification is plain data (it crosses into the learner's process); model_weights draws its weights.
#   {"kind": "pooled_dense", "input_shape": (H, W, C), "pool": p, "n_outputs": n, "activation": "linear" |
#    "sigmoid" | "softmax", "seed": s}  (or explicit "kernel" (H/p * W/p * C, n) and "bias" (n,))
#       image -> 1x1 identity convolution -> AveragePooling2D(p) [layer "pooled"] -> Flatten -> Dense(n) ["scores"]
#   {"kind": "cxr_cnn", "input_shape": (H, W, 1), "n_outputs": n, "base_filters": f, "seed": s}
#       helpers.models.small_cxr_cnn with weights drawn from the seed (conv1..conv5, bn1..bn5, findings)


def model_weights(spec: dict) -> dict:
    """The weights of a test model as ``{layer name: [arrays in Keras order]}``, drawn from ``spec["seed"]``."""
    if spec["kind"] == "pooled_dense":
        h, w, c = spec["input_shape"]
        p, n = spec["pool"], spec["n_outputs"]
        size = (h // p) * (w // p) * c
        if "kernel" in spec:
            kernel = np.asarray(spec["kernel"], dtype=np.float32).reshape(size, n)
            bias = np.asarray(spec.get("bias", np.zeros(n)), dtype=np.float32)
        else:
            rng = np.random.default_rng(spec["seed"])
            kernel = (rng.normal(size=(size, n)) * spec.get("scale", 1.0) / np.sqrt(size)).astype(np.float32)
            bias = rng.normal(scale=0.1, size=n).astype(np.float32)
        identity = np.eye(c, dtype=np.float32).reshape(1, 1, c, c)
        return {"identity": [identity], "scores": [kernel, bias]}
    if spec["kind"] == "cxr_cnn":
        rng = np.random.default_rng(spec["seed"])
        f = spec.get("base_filters", 16)
        filters = [f, 2 * f, 4 * f, 4 * f, 8 * f]
        weights, channels = {}, spec["input_shape"][-1]
        for i, out in enumerate(filters, start=1):
            weights[f"conv{i}"] = [
                rng.normal(scale=np.sqrt(2.0 / (9 * channels)), size=(3, 3, channels, out)).astype(np.float32)
            ]
            weights[f"bn{i}"] = [
                rng.uniform(0.6, 1.4, out).astype(np.float32),  # gamma
                rng.normal(0.0, 0.3, out).astype(np.float32),  # beta
                rng.normal(0.0, 0.2, out).astype(np.float32),  # moving mean
                rng.uniform(0.8, 2.5, out).astype(np.float32),
            ]  # moving variance
            channels = out
        n = spec["n_outputs"]
        weights["findings"] = [
            rng.normal(scale=1.5 / np.sqrt(channels), size=(channels, n)).astype(np.float32),
            rng.normal(0.0, 0.3, n).astype(np.float32),
        ]
        return weights
    raise ValueError(f"unknown test model kind {spec['kind']!r}")


def build_model(spec: dict):
    """The Keras functional model of a specification, with the weights of :func:`model_weights`."""
    import keras

    if spec["kind"] == "pooled_dense":
        inputs = keras.Input(shape=tuple(spec["input_shape"]), name="image")
        # a 1x1 convolution with the identity kernel: it changes nothing, but a layer with weights between the
        # input and "pooled" is what lets tf.GradientTape record the path (as in any real network)
        x = keras.layers.Conv2D(spec["input_shape"][-1], 1, use_bias=False, name="identity")(inputs)
        x = keras.layers.AveragePooling2D(spec["pool"], name="pooled")(x)
        x = keras.layers.Flatten(name="flat")(x)
        outputs = keras.layers.Dense(spec["n_outputs"], activation=spec["activation"], name="scores")(x)
        model = keras.Model(inputs, outputs, name="pooled_dense")
    else:
        from helpers.models import small_cxr_cnn

        model = small_cxr_cnn(tuple(spec["input_shape"]), spec["n_outputs"], base_filters=spec.get("base_filters", 16))
    for name, arrays in model_weights(spec).items():
        model.get_layer(name).set_weights(arrays)
    return model


def grad_cam_maps(grad_cam, spec: dict, cases: list) -> list:
    """Harness: build the model of ``spec`` and return ``[grad_cam(model, image, k, layer) as a float array, ...]``
    for ``cases = [(image, category_index, layer_name), ...]`` (images (H, W, C) float32)."""
    model = build_model(spec)
    maps = []
    for image, category_index, layer_name in cases:
        result = grad_cam(model, image, category_index, layer_name)
        try:
            maps.append(np.asarray(result, dtype=np.float64))
        except (TypeError, ValueError) as err:
            raise ExerciseFailed(
                f"grad_cam must return an (H, W) array of numbers, got {type(result).__name__}"
            ) from err
    return maps


def as_map(checks: Checks, got, shape, case: str, *, public: bool):
    """A returned map as an (H, W) float array (size-1 axes dropped), or None with a recorded failure."""
    arr = np.asarray(got, dtype=float)
    if arr.ndim > 2:
        arr = arr.reshape([s for s in arr.shape if s != 1] or [1])
    if arr.shape != tuple(shape):
        wanted = f" {tuple(shape)}" if public else ""
        hint = (
            (
                " — resize the map to the image's (height, width) with tf.image.resize(cam[..., None], "
                "image.shape[:2], method='bilinear')"
            )
            if public
            else ""
        )
        checks.that(
            False, f"{case}: the map must have the image's height and width{wanted}, got shape {arr.shape}{hint}"
        )
        return None
    return arr


# --------------------------------------------------------------------------------------------- grad_cam: public test

# image (4, 4, 2) -> (identity) -> 2x2 average pooling -> features A (2, 2, 2) -> Flatten -> Dense(2, linear).
# Channel 0 of A is [[4, 2], [0, 1]], channel 1 is [[2, 2], [2, 0]] (each image pixel block is constant).
# Dense kernel: class 0 gives every position of channel 0 the weight 1 and of channel 1 the weight -0.5, so the
# gradient of class 0 is 1 (channel 0) and -0.5 (channel 1) everywhere: channel weights [1, -0.5], and
#   map = ReLU(A0 - 0.5 A1) = ReLU([[3, 1], [-1, 1]]) = [[3, 1], [0, 1]].
# Bilinear resizing 2 -> 4 (half-pixel centres) weights the two rows/columns by [1, 0], [.75, .25], [.25, .75], [0, 1];
# dividing by the maximum 3 gives _EXPECTED_CLASS_0. Class 1 weights channel 0 by -1 and channel 1 by +1:
#   ReLU(-A0 + A1) = [[0, 0], [2, 0]] -> resized -> divided by 2 -> _EXPECTED_CLASS_1.
_A = np.stack([np.array([[4.0, 2.0], [0.0, 1.0]]), np.array([[2.0, 2.0], [2.0, 0.0]])], axis=-1)
_HAND_IMAGE = np.kron(_A, np.ones((2, 2, 1))).astype(np.float32)  # (4, 4, 2)
_HAND_KERNEL = np.stack([np.tile([1.0, -0.5], 4), np.tile([-1.0, 1.0], 4)], axis=1)  # Flatten order: row, col, channel
HAND_SPEC = {
    "kind": "pooled_dense",
    "input_shape": (4, 4, 2),
    "pool": 2,
    "n_outputs": 2,
    "activation": "linear",
    "kernel": _HAND_KERNEL.tolist(),
    "bias": [0.0, 0.0],
}
_EXPECTED_CLASS_0 = (
    np.array([[3.0, 2.5, 1.5, 1.0], [2.25, 1.9375, 1.3125, 1.0], [0.75, 0.8125, 0.9375, 1.0], [0.0, 0.25, 0.75, 1.0]])
    / 3.0
)
_EXPECTED_CLASS_1 = (
    np.array([[0.0, 0.0, 0.0, 0.0], [0.5, 0.375, 0.125, 0.0], [1.5, 1.125, 0.375, 0.0], [2.0, 1.5, 0.5, 0.0]]) / 2.0
)


# A second picture whose channel 0 is [[4, 2], [3, 1]] after pooling: for class 1, -A0 + A1 = [[-2, 0], [-1, -1]] is
# nowhere positive, so the map is zero everywhere and must stay zero (no division by a zero maximum).
_ZERO_IMAGE = np.kron(np.stack([np.array([[4.0, 2.0], [3.0, 1.0]]), _A[..., 1]], axis=-1), np.ones((2, 2, 1))).astype(
    np.float32
)

# The same model with every dense weight multiplied by 1e-6: the gradients, and so the map before the division, are
# a million times smaller (about 3e-6), but the map divided by its maximum is the same. Real Grad-CAM maps can be that
# small (deep layers, confident sigmoid outputs): adding an "epsilon" to the maximum would visibly change them.
TINY_SPEC = {**HAND_SPEC, "kernel": (_HAND_KERNEL * 1e-6).tolist()}


def test_grad_cam(grad_cam) -> None:
    checks = Checks("grad_cam")
    cases = [(_HAND_IMAGE, 0, "pooled"), (_HAND_IMAGE, 1, "pooled"), (_ZERO_IMAGE, 1, "pooled")]
    maps = run_harness(
        "grad_cam",
        grad_cam,
        grad_cam_maps,
        HAND_SPEC,
        cases,
        case="a 4x4x2 image, 2x2 average pooling, a linear dense layer (worked by hand)",
    )
    maps += run_harness(
        "grad_cam",
        grad_cam,
        grad_cam_maps,
        TINY_SPEC,
        cases[:1],
        case="the same model with dense weights a million times smaller",
    )
    labels = [f"hand-worked model, category_index={k}" for k in (0, 1)] + [
        "hand-worked model, a picture where class 1 has no positive evidence (the map is zero everywhere)",
        "the hand-worked model with weights x 1e-6 (map values about 3e-6 before the division), category_index=0",
    ]
    expected_maps = (_EXPECTED_CLASS_0, _EXPECTED_CLASS_1, np.zeros((4, 4)), _EXPECTED_CLASS_0)
    for got, expected, case in zip(maps, expected_maps, labels):
        arr = as_map(checks, got, (4, 4), case, public=True)
        if arr is None:
            continue
        if not np.isfinite(arr).all():
            checks.that(
                False,
                f"{case}: the map holds NaN or infinite values — when the maximum is 0 (no positive "
                "evidence anywhere), return the all-zero map instead of dividing by it",
            )
            continue
        if np.nanmin(arr) < -1e-6:
            checks.that(
                False,
                f"{case}: the map has negative values (min {np.nanmin(arr):.3g}) — apply ReLU to "
                "the weighted sum of the channels",
            )
            continue
        checks.vectors_close(
            arr.ravel(),
            expected.ravel(),
            case,
            rtol=0,
            atol=1e-4,
            hint="channel weights = mean of the gradients over the spatial axes; map = ReLU(sum "
            "of weight * channel); resize bilinearly to the image size; divide by the maximum "
            "itself (no added epsilon) when it is positive",
        )
    checks.done()


# --------------------------------------------------------------------------------------------- pointing_game


def test_pointing_game(pointing_game) -> None:
    checks = Checks("pointing_game")
    cam = np.zeros((6, 8))
    cam[2, 5] = 1.0  # the maximum is at row 2, column 5 (x = 5, y = 2)
    cases = [
        (cam, [[4, 1, 3, 3]], True, "maximum at (row 2, col 5) inside the box x 4..6, y 1..3"),
        (cam, [[1, 4, 3, 3]], False, "the same box with x and y swapped: the maximum is outside"),
        (cam, [[5, 2, 1, 1]], True, "a one-pixel box exactly on the maximum (x <= col < x + w)"),
        (cam, [[3, 2, 2, 1]], False, "a box that ends just before the maximum (col 5 = x + w is outside)"),
        (
            cam,
            np.array([[0.0, 0.0, 2.0, 2.0], [4.5, 1.5, 1.0, 1.0]]),
            True,
            "two boxes; the second (x from 4.5 to 5.5) contains col 5",
        ),
        (
            cam,
            pd.DataFrame({"x": [0.0], "y": [0.0], "w": [8.0], "h": [2.0]}),
            False,
            "a DataFrame with columns x, y, w, h; the box covers rows 0 and 1 only",
        ),
        (cam.astype(np.float32).tolist(), [(5.0, 2.0, 0.5, 0.5)], True, "a list of lists as the map, float boxes"),
    ]
    ties = np.zeros((3, 4))
    ties[0, 3] = ties[2, 0] = 5.0  # two equal maxima: the first in row-major order is (row 0, col 3)
    cases += [
        (ties, [[3, 0, 1, 1]], True, "two equal maxima: the first in row-major order counts (row 0, col 3)"),
        (ties, [[0, 2, 1, 1]], False, "two equal maxima: the second one (row 2, col 0) does not count"),
    ]
    for cam_value, boxes, expected, case in cases:
        got = call("pointing_game", pointing_game, cam_value, boxes, case=case)
        checks.same_bool(
            got,
            expected,
            case,
            hint="np.unravel_index(np.argmax(cam), cam.shape) gives (row, col); "
            "np.asarray(boxes, dtype=float) gives the (n, 4) boxes",
        )
    checks.done()
