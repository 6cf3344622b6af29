"""Hidden tests for week C3W3. Failure messages say what kind of case fails, never the expected values.

- permute_feature: properties (a copy; only the feature's column moves; a true permutation; the given rng decides
  it; every order equally likely, by a chi-square test over many draws).
- permutation_importance: the exact expected importance (the mean over *all* permutations of small data sets, or
  over 10,000 vectorised draws) within 5 standard errors of a mean of ``num_samples`` permutations; exactly 0 for
  features the model ignores or that are constant; ``num_samples=1`` gives the drop of one single permutation.
- grad_cam: maps computed here in NumPy, independently of TensorFlow: a pooling + dense model whose map is known in
  closed form (linear, sigmoid and softmax outputs, non-square images) and the course CNN
  (``helpers.models.small_cxr_cnn``) with weights drawn from a seeded generator, by an explicit forward and backward
  pass; absolute tolerance 1e-4. The learner's function runs in the public harness ``grad_cam_maps``.
- pointing_game: edge cases and random maps against an independent computation here.

Nothing here imports the reference solutions (whose module imports TensorFlow): the grading process stays free of
TensorFlow, which only the learner's process needs. tests/test_c3w3_reference.py checks the reference solutions
against these computations, scikit-learn and CAM.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier

from helpers.public_tests.c3w3 import (
    LinearRisk,
    accuracy_at_half,
    as_frame,
    as_map,
    grad_cam_maps,
    importance_series,
    model_weights,
    pairwise_auc,
    permutation_draws,
    same_except,
    same_values,
)
from helpers.public_tests.framework import Checks, call, hidden_check, run_harness

# --------------------------------------------------------------------------------------------- permute_feature


def _mixed_frames():
    rng = np.random.default_rng(71)
    n = 12
    yield (
        "mixed column types, shuffled integer index",
        pd.DataFrame(
            {
                "age": rng.integers(25, 80, n),
                "bmi": np.round(rng.normal(27, 4, n), 1),
                "sex": rng.choice(["F", "M"], n),
                "smoker": rng.random(n) < 0.4,
                "chol": np.where(rng.random(n) < 0.25, np.nan, rng.normal(210, 30, n)),
            },
            index=rng.permutation(n) + 500,
        ),
    )
    yield (
        "string index, integer column names",
        pd.DataFrame(rng.normal(size=(9, 3)), columns=[10, 20, 30], index=[f"p{i}" for i in range(9)]),
    )
    yield "a single column", pd.DataFrame({"only": np.arange(10.0)})
    yield (
        "float32 columns",
        pd.DataFrame({"x": rng.normal(size=15).astype(np.float32), "y": rng.normal(size=15).astype(np.float32)}),
    )


@hidden_check
def check_permute_feature(fn) -> None:
    checks = Checks("permute_feature", public=False)
    for label, df in _mixed_frames():
        for feature in [c for c in df.columns if c not in ("bmi", "smoker")][:3]:
            case = f"{label}, column {feature!r}"
            got = as_frame(
                checks, call("permute_feature", fn, df.copy(), feature, np.random.default_rng(3), case=case), case
            )
            if got is None or not same_except(checks, got, df, feature, case, public=False):
                continue
            values = df[feature].to_numpy()
            if pd.Series(values).nunique(dropna=False) >= 8:
                checks.that(not same_values(got[feature], values), f"{case}: the column is not permuted")
                again = call("permute_feature", fn, df.copy(), feature, np.random.default_rng(3), case=case)
                other = call("permute_feature", fn, df.copy(), feature, np.random.default_rng(4), case=case)
                checks.that(
                    isinstance(again, pd.DataFrame) and same_values(again[feature], got[feature]),
                    f"{case}: the same seed must give the same permutation (use the rng argument)",
                )
                checks.that(
                    isinstance(other, pd.DataFrame) and not same_values(other[feature], got[feature]),
                    f"{case}: different seeds gave the same order",
                )
    # rng=None: a fresh generator each call, so two calls differ
    df = pd.DataFrame({"a": np.arange(12.0), "b": np.arange(12.0) * 2})
    first, second = (call("permute_feature", fn, df.copy(), "a", None, case="rng=None") for _ in range(2))
    if isinstance(first, pd.DataFrame) and isinstance(second, pd.DataFrame):
        checks.that(
            same_except(checks, first, df, "a", "rng=None", public=False)
            and not np.array_equal(first["a"].to_numpy(), second["a"].to_numpy()),
            "rng=None: two calls gave the same order (the default must be a fresh random generator)",
        )
    else:
        checks.that(False, "rng=None: the result must be a DataFrame")
    # every one of the 24 orders of 4 values equally likely: chi-square over 2,400 calls sharing one generator
    case = "2,400 permutations of 4 values drawn from one generator"
    draws = run_harness(
        "permute_feature", fn, permutation_draws, pd.DataFrame({"v": [0.0, 1.0, 2.0, 3.0]}), "v", 11, 2400, case=case
    )
    draws = np.asarray(draws, dtype=float)
    if checks.that(
        draws.shape == (2400, 4) and np.array_equal(np.sort(draws, axis=1), np.tile(np.arange(4.0), (2400, 1))),
        f"{case}: not every result is a permutation of the column",
    ):
        codes = (draws * np.array([64, 16, 4, 1])).sum(axis=1)
        counts = np.array(
            [np.sum(codes == sum(d * m for d, m in zip(p, (64, 16, 4, 1)))) for p in itertools.permutations(range(4))]
        )
        chi2 = float(((counts - 100.0) ** 2 / 100.0).sum())  # 23 degrees of freedom: > 80 happens with p < 1e-7
        checks.that(chi2 < 80, f"{case}: some orders come up far more often than others (not a uniform shuffle)")
    checks.done()


# --------------------------------------------------------------------------------------------- permutation_importance


def _auc_rows(y, predictions: np.ndarray) -> np.ndarray:
    """ROC AUC of every row of ``predictions`` (pairs of a positive and a negative; ties count one half)."""
    y = np.asarray(y)
    pos, neg = predictions[:, y == 1], predictions[:, y == 0]
    diff = pos[:, :, None] - neg[:, None, :]
    return ((diff > 0) + 0.5 * (diff == 0)).mean(axis=(1, 2))


def _accuracy_rows(y, predictions: np.ndarray) -> np.ndarray:
    return ((predictions >= 0.5) == (np.asarray(y) == 1)[None, :]).mean(axis=1)


_ROWS = {roc_auc_score: _auc_rows, pairwise_auc: _auc_rows, accuracy_at_half: _accuracy_rows}


def permutation_scores(X: pd.DataFrame, y, model, metric, feature, *, draws: int | None = None, seed: int = 0):
    """The metric after every permutation of ``feature`` (all n! of them, or ``draws`` random ones)."""
    n = len(X)
    if draws is None:
        orders = np.array(list(itertools.permutations(range(n))))
    else:
        rng = np.random.default_rng(seed)
        orders = np.argsort(rng.random((draws, n)), axis=1)
    stacked = pd.DataFrame(np.tile(X.to_numpy(), (len(orders), 1)), columns=X.columns)
    stacked[feature] = X[feature].to_numpy()[orders].ravel()
    predictions = np.asarray(model.predict_proba(stacked))[:, 1].reshape(len(orders), n)
    return _ROWS[metric](y, predictions)


def _importance_case(
    checks: Checks, fn, X, y, model, metric, num_samples: int, case: str, *, draws: int | None = None, seed: int = 0
) -> None:
    got = call(
        "permutation_importance",
        fn,
        X.copy(),
        y.copy(),
        model,
        metric,
        num_samples,
        np.random.default_rng(seed),
        case=case,
    )
    series = importance_series(checks, got, list(X.columns), case)
    if series is None:
        return
    baseline = metric(y, np.asarray(model.predict_proba(X))[:, 1])
    for feature in X.columns:
        scores = permutation_scores(X, y, model, metric, feature, draws=draws)
        if num_samples == 1:  # the drop of one single permutation: one of the possible values
            ok = np.isclose(baseline - scores, series[feature], rtol=0, atol=1e-6).any()
            checks.that(bool(ok), f"{case} — feature {feature!r}: not the drop of one permutation")
        else:  # within 5 standard errors of the exact expectation (plus the error of the draws, if drawn)
            tolerance = 5 * scores.std() / np.sqrt(num_samples) + (4 * scores.std() / np.sqrt(draws) if draws else 0)
            checks.close_enough(
                series[feature],
                baseline - scores.mean(),
                f"{case} — feature {feature!r}",
                rtol=0,
                atol=tolerance + 1e-9,
            )


def _small_problem(seed: int, n: int = 7):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "strong": rng.normal(size=n),
            "weak": rng.normal(size=n),
            "unused": rng.normal(size=n),
            "constant": np.full(n, 1.5),
        },
        index=rng.permutation(n) + 40,
    )
    model = LinearRisk(
        columns=("strong", "weak", "constant"), weights=(2.5, 0.7, -1.0), intercept=1.5, feature_names=list(X.columns)
    )
    p = model.predict_proba(X)[:, 1]
    y = (rng.random(n) < p).astype(int)
    y[:2] = [0, 1]
    return X, y, model


@hidden_check
def check_permutation_importance(fn) -> None:
    checks = Checks("permutation_importance", public=False)
    for seed, metric, label, samples in [
        (5, pairwise_auc, "AUC", 300),
        (6, accuracy_at_half, "accuracy at 0.5", 300),
        (13, roc_auc_score, "scikit-learn's roc_auc_score", 40),
    ]:
        X, y, model = _small_problem(seed)
        _importance_case(
            checks,
            fn,
            X,
            y,
            model,
            metric,
            samples,
            f"7 patients, 4 features, {label}, num_samples={samples}",
            seed=seed,
        )
    X, y, model = _small_problem(8)
    _importance_case(checks, fn, X, y, model, pairwise_auc, 1, "7 patients, num_samples=1", seed=2)
    # two patients: each permutation either keeps (accuracy 1) or swaps them (accuracy 0); the mean of 400 is
    # about one half, never 0 or 1
    X = pd.DataFrame({"x": [-1.0, 1.0], "z": [3.0, 4.0]})
    _importance_case(
        checks,
        fn,
        X,
        np.array([0, 1]),
        LinearRisk(columns=("x",), weights=(1.0,)),
        accuracy_at_half,
        400,
        "2 patients, num_samples=400",
        seed=3,
    )
    # a real scikit-learn model and a larger data set; y as a Series with the index of X
    rng = np.random.default_rng(9)
    n = 40
    X = pd.DataFrame(rng.normal(size=(n, 4)), columns=["age", "bp", "chol", "noise"], index=rng.permutation(n) * 3)
    y = pd.Series((X["age"] + 0.5 * X["bp"] + rng.normal(scale=0.8, size=n) > 0).astype(int), index=X.index)
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X[["age", "bp", "chol"]].assign(noise=0.0), y)
    _importance_case(
        checks, fn, X, y, tree, pairwise_auc, 40, "40 patients, a fitted decision tree, AUC", draws=10000, seed=10
    )
    # the same seed gives the same importances; rng=None works
    X, y, model = _small_problem(12, n=10)
    runs = [
        call(
            "permutation_importance",
            fn,
            X.copy(),
            y.copy(),
            model,
            pairwise_auc,
            20,
            np.random.default_rng(1),
            case="the same seed twice",
        )
        for _ in range(2)
    ]
    pair = [importance_series(checks, r, list(X.columns), "the same seed twice") for r in runs]
    if pair[0] is not None and pair[1] is not None:
        checks.that(
            np.allclose(pair[0].to_numpy(), pair[1].to_numpy(), rtol=0, atol=1e-12),
            "the same seed twice: different importances (draw every permutation from the rng argument)",
        )
    # generators with other seeds draw other permutations (a generator crosses the grading boundary as a copy, so
    # "successive calls sharing one generator" cannot be checked here; other seeds catch an rng that is ignored)
    draws = [
        call(
            "permutation_importance",
            fn,
            X.copy(),
            y.copy(),
            model,
            pairwise_auc,
            1,
            np.random.default_rng(seed),
            case="three seeds, one permutation each",
        )
        for seed in (21, 22, 23)
    ]
    draws = [importance_series(checks, r, list(X.columns), "three seeds, one permutation each") for r in draws]
    if all(d is not None for d in draws):
        checks.that(
            not all(np.allclose(d.to_numpy(), draws[0].to_numpy(), rtol=0, atol=1e-12) for d in draws[1:]),
            "three different seeds gave the same importances (draw the permutations from the rng argument)",
        )
    got = call("permutation_importance", fn, X.copy(), y.copy(), model, pairwise_auc, 5, None, case="rng=None")
    series = importance_series(checks, got, list(X.columns), "rng=None")
    if series is not None:
        checks.close_enough(series["unused"], 0.0, "rng=None — a feature the model ignores", atol=1e-9)
    checks.done()


# --------------------------------------------------------------------------------------------- grad_cam


def resize_bilinear(values: np.ndarray, shape) -> np.ndarray:
    """(h, w) -> shape by bilinear interpolation with half-pixel centres, as tf.image.resize(method="bilinear")."""

    def weights(n_in: int, n_out: int) -> np.ndarray:
        source = (np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5
        low = np.floor(source)
        frac = source - low
        matrix = np.zeros((n_out, n_in))
        np.add.at(matrix, (np.arange(n_out), np.clip(low, 0, n_in - 1).astype(int)), 1 - frac)
        np.add.at(matrix, (np.arange(n_out), np.clip(low + 1, 0, n_in - 1).astype(int)), frac)
        return matrix

    return weights(values.shape[0], shape[0]) @ values @ weights(values.shape[1], shape[1]).T


def _finish(features: np.ndarray, gradients: np.ndarray, shape) -> np.ndarray:
    """Grad-CAM from a layer's output (h, w, K) and the gradient there: weights, ReLU, resize, normalise."""
    cam = np.maximum((features * gradients.mean(axis=(0, 1))).sum(axis=-1), 0.0)
    cam = resize_bilinear(cam, shape)
    peak = cam.max()
    return cam / peak if peak > 0 else cam


def _pooled_dense_cam(spec: dict, image: np.ndarray, k: int) -> np.ndarray:
    """Closed form: features A = average pooling of the image; the gradient of output k with respect to A is the
    dense kernel's column k times the derivative of the activation."""
    kernel, bias = (w.astype(np.float64) for w in model_weights(spec)["scores"])
    p = spec["pool"]
    h, w = image.shape[0] // p, image.shape[1] // p
    features = image[: h * p, : w * p].reshape(h, p, w, p, -1).mean(axis=(1, 3))
    z = features.reshape(-1) @ kernel + bias
    if spec["activation"] == "linear":
        gradient = kernel[:, k]
    elif spec["activation"] == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        gradient = s[k] * (1 - s[k]) * kernel[:, k]
    else:  # softmax
        s = np.exp(z - z.max())
        s /= s.sum()
        gradient = s[k] * (kernel[:, k] - kernel @ s)
    return _finish(features, gradient.reshape(features.shape), image.shape[:2])


def _conv_same(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """3x3 convolution with zero padding ("same"): (h, w, c_in) x (3, 3, c_in, c_out) -> (h, w, c_out)."""
    windows = sliding_window_view(np.pad(x, ((1, 1), (1, 1), (0, 0))), (3, 3), axis=(0, 1))
    return np.einsum("hwcij,ijco->hwo", windows, kernel, optimize=True)


def _cnn_cam(spec: dict, image: np.ndarray, k: int, layer: str) -> np.ndarray:
    """Explicit forward and backward pass through small_cxr_cnn (inference mode) up to ``layer``."""
    weights = {name: [w.astype(np.float64) for w in arrays] for name, arrays in model_weights(spec).items()}
    names = ["relu1", "relu2", "relu3", "relu4", "last_conv"]
    x, blocks = image.astype(np.float64), []
    for i in range(1, 6):
        gamma, beta, mean, var = weights[f"bn{i}"]
        scale = gamma / np.sqrt(var + 1e-3)
        z = (_conv_same(x, weights[f"conv{i}"][0]) - mean) * scale + beta
        a = np.maximum(z, 0.0)
        blocks.append((z, a, scale))
        if i < 5:
            h, w = a.shape[0] // 2, a.shape[1] // 2
            x = a[: 2 * h, : 2 * w].reshape(h, 2, w, 2, -1).max(axis=(1, 3))
    a5 = blocks[-1][1]
    kernel, bias = weights["findings"]
    s = 1 / (1 + np.exp(-(a5.mean(axis=(0, 1)) @ kernel + bias)))
    grad = np.broadcast_to(s[k] * (1 - s[k]) * kernel[:, k] / (a5.shape[0] * a5.shape[1]), a5.shape).copy()
    target = names.index(layer)
    for i in range(4, target, -1):  # from block i + 1 (0-based i) down to the target block
        z, _, scale = blocks[i]
        grad_in = _conv_same(grad * (z > 0) * scale, weights[f"conv{i + 1}"][0][::-1, ::-1].transpose(0, 1, 3, 2))
        below = blocks[i - 1][1]
        h, w = grad_in.shape[:2]
        windows = below[: 2 * h, : 2 * w].reshape(h, 2, w, 2, -1).transpose(0, 2, 4, 1, 3).reshape(h, w, -1, 4)
        first = windows.argmax(axis=-1)  # the first maximum of each 2x2 window receives the gradient
        routed = np.zeros_like(windows)
        np.put_along_axis(routed, first[..., None], grad_in[..., None], axis=-1)
        grad = np.zeros_like(below)
        grad[: 2 * h, : 2 * w] = routed.reshape(h, w, -1, 2, 2).transpose(0, 3, 1, 4, 2).reshape(2 * h, 2 * w, -1)
    return _finish(blocks[target][1], grad, image.shape[:2])


def expected_grad_cam(spec: dict, image: np.ndarray, k: int, layer: str) -> np.ndarray:
    """Grad-CAM of a test model computed in NumPy (float64), independently of TensorFlow."""
    image = np.asarray(image, dtype=np.float64)
    if spec["kind"] == "pooled_dense":
        return _pooled_dense_cam(spec, image, k)
    return _cnn_cam(spec, image, k, layer)


def test_image(rng: np.random.Generator, shape, *, smooth: float = 2.0) -> np.ndarray:
    """A smooth random picture with a few bright blobs, standardized to mean 0 and standard deviation 1."""
    from scipy import ndimage

    h, w, c = shape
    img = ndimage.gaussian_filter(rng.normal(size=(h, w, c)), (smooth, smooth, 0))
    rows, cols = np.mgrid[0:h, 0:w]
    for _ in range(3):
        cy, cx, r = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(2, max(3, min(h, w) / 5))
        img += rng.uniform(0.5, 2.0) * np.exp(-((rows - cy) ** 2 + (cols - cx) ** 2) / (2 * r * r))[..., None]
    img = (img - img.mean()) / img.std()
    return img.astype(np.float32)


def grad_cam_cases():
    """(label, spec, [(image, class, layer), ...]) of the hidden tests."""
    rng = np.random.default_rng(2024)
    for activation in ("linear", "sigmoid", "softmax"):
        spec = {
            "kind": "pooled_dense",
            "input_shape": (6, 10, 3),
            "pool": 2,
            "n_outputs": 3,
            "activation": activation,
            "seed": 7,
            "scale": 2.0,
        }
        images = [rng.normal(size=(6, 10, 3)).astype(np.float32) for _ in range(2)]
        yield (
            f"pooling + dense model, {activation} outputs, 6x10 images",
            spec,
            [(img, k, "pooled") for img in images for k in range(3)],
        )
    # positive pictures: class 0 has positive weights only (the whole map is positive), class 1 negative only
    spec = {
        "kind": "pooled_dense",
        "input_shape": (8, 6, 2),
        "pool": 2,
        "n_outputs": 2,
        "activation": "sigmoid",
        "kernel": np.column_stack([np.linspace(0.01, 0.05, 24), -np.linspace(0.01, 0.04, 24)]).tolist(),
        "bias": [0.0, 0.0],
    }
    positive = rng.uniform(0.5, 2.0, size=(8, 6, 2)).astype(np.float32)
    yield (
        "pooling + dense model on a positive 8x6 picture (a map positive everywhere; a map that is zero everywhere)",
        spec,
        [(positive, 0, "pooled"), (positive, 1, "pooled")],
    )
    spec = {"kind": "cxr_cnn", "input_shape": (64, 64, 1), "n_outputs": 14, "base_filters": 16, "seed": 3}
    images = [test_image(rng, (64, 64, 1)) for _ in range(2)]
    yield (
        "the course CNN (small_cxr_cnn, 64x64, 14 findings)",
        spec,
        [
            (images[0], 4, "last_conv"),
            (images[1], 9, "last_conv"),
            (images[0], 10, "relu4"),
            (images[1], 0, "relu3"),
            (images[0], 13, "relu3"),
        ],
    )
    spec = {"kind": "cxr_cnn", "input_shape": (40, 56, 1), "n_outputs": 3, "base_filters": 8, "seed": 5}
    image = test_image(rng, (40, 56, 1))
    yield (
        "the course CNN on a non-square 40x56 picture",
        spec,
        [(image, 2, "last_conv"), (image, 1, "relu4"), (image, 0, "relu3"), (image, 2, "relu2")],
    )


@hidden_check
def check_grad_cam(fn) -> None:
    checks = Checks("grad_cam", public=False)
    for label, spec, cases in grad_cam_cases():
        maps = run_harness("grad_cam", fn, grad_cam_maps, spec, cases, case=label)
        for (image, k, layer), got in zip(cases, maps):
            case = f"{label}, class {k}, layer {layer!r}"
            arr = as_map(checks, got, image.shape[:2], case, public=False)
            if arr is not None:
                checks.vectors_close(
                    arr.ravel(), expected_grad_cam(spec, image, k, layer).ravel(), case, rtol=0, atol=1e-4
                )
    checks.done()


# --------------------------------------------------------------------------------------------- pointing_game


def _pointing_cases():
    cam = np.zeros((5, 9))
    cam[3, 7] = 2.0  # row 3, col 7
    tall = np.zeros((9, 5))
    tall[7, 3] = 1.0  # row 7, col 3
    ties = np.array([[0, 1, 3], [3, 0, 3], [1, 3, 2]], dtype=float)  # first maximum: row 0, col 2
    yield cam, [[7, 3, 1, 1]], "a one-pixel box on the maximum of a wide map"
    yield cam, [[3, 7, 1, 1]], "a box at the transposed position of a wide map"
    yield tall, [[3, 7, 1, 1]], "a one-pixel box on the maximum of a tall map"
    yield tall, [[7, 3, 1, 1]], "a box at the transposed position of a tall map"
    yield cam, [[6, 2, 1, 1]], "a box ending exactly at the maximum's column and row"
    yield cam, [[7, 3, 0.5, 0.5]], "a box of half a pixel starting at the maximum"
    yield cam, [[6.5, 2.5, 1, 1]], "a box from 6.5 to 7.5 and 2.5 to 3.5"
    yield cam, [[7.2, 3, 2, 1]], "a box starting 0.2 pixel after the maximum's column"
    yield cam, [[7, 3.2, 1, 2]], "a box starting 0.2 pixel below the maximum's row"
    yield cam, [[5, 0, 2, 9]], "a box ending exactly at the maximum's column (x + w = col)"
    yield cam, [[0, 1, 9, 2]], "a box ending exactly at the maximum's row (y + h = row)"
    yield cam, [[6.9, 2.9, 0.2, 0.2]], "a tiny box straddling the maximum's corner"
    yield cam, [[0, 0, 2, 2], [7, 0, 1, 1], [0, 3, 1, 1]], "three boxes, each matching only x or only y"
    yield cam, [[0, 0, 2, 2], [6, 2, 2, 2]], "two boxes, the second contains the maximum"
    yield cam, np.zeros((0, 4)), "no box at all"
    yield cam, [[-3, -3, 11, 7]], "a box larger than the map"
    yield ties, [[2, 0, 1, 1]], "tied maxima: a box on the first in row-major order"
    yield ties, [[0, 1, 1, 1]], "tied maxima: a box on the first in column-major order"
    yield ties, [[2, 1, 1, 2]], "tied maxima: a box on the later ones"
    yield np.ones((4, 6)), [[0, 0, 1, 1]], "a constant map (the first pixel is the maximum)"
    yield np.ones((4, 6)), [[5, 3, 1, 1]], "a constant map, a box on the last pixel"
    yield (cam * 7).astype(int), [[7, 3, 1, 1]], "an integer map"
    yield cam.astype(np.float32), pd.DataFrame([[7.0, 3.0, 1.0, 1.0]], columns=list("xywh")), "a DataFrame of boxes"
    yield cam.tolist(), [(6.0, 3.0, 2.0, 1.0)], "a list map and a list of tuples"
    yield cam, np.array([[7, 3, 1, 1]], dtype=np.float32), "float32 boxes"
    rng = np.random.default_rng(33)
    for i in range(40):
        h, w = rng.integers(2, 14, size=2)
        values = rng.integers(0, 4, size=(h, w)).astype(float) if i % 2 else rng.random((h, w))
        boxes = np.column_stack(
            [rng.uniform(-1, w, 3), rng.uniform(-1, h, 3), rng.uniform(0.5, 4, 3), rng.uniform(0.5, 4, 3)]
        )
        if i % 3 == 0:
            boxes = np.round(boxes)
        yield values, boxes[: 1 + i % 3], f"random map #{i} ({h}x{w})"


def expected_pointing(cam, boxes) -> bool:
    """The first maximum in row-major order, then x <= col < x + w and y <= row < y + h for any box."""
    values = np.asarray(cam, dtype=float)
    first = int(np.flatnonzero(values.ravel() == values.max())[0])
    row, col = divmod(first, values.shape[1])
    return any(x <= col < x + w and y <= row < y + h for x, y, w, h in np.asarray(boxes, dtype=float).reshape(-1, 4))


@hidden_check
def check_pointing_game(fn) -> None:
    checks = Checks("pointing_game", public=False)
    for cam, boxes, case in _pointing_cases():
        got = call("pointing_game", fn, cam, boxes, case=case)
        checks.same_bool(got, expected_pointing(cam, boxes), case)
    checks.done()
