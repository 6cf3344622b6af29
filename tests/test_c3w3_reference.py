"""The C3W3 reference solutions agree with scikit-learn and with independent computations; the helpers the notebook
uses behave as documented; correct answers in unusual forms pass the grading tests.

- permutation_importance: exactly scikit-learn's ``permutation_importance`` when fed the same permutations (an rng
  that replays scikit-learn's shuffles), and within sampling error with independent permutations;
- permute_feature: a copy in which only one column moves, a true permutation, reproducible from the rng;
- grad_cam: the NumPy forward/backward computation of the hidden tests (closed form for the pooling model, explicit
  backpropagation through small_cxr_cnn), and the class activation map (CAM) at the last convolution, which it must
  equal for a network ending in global average pooling;
- pointing_game: a pixel-by-pixel definition;
- helpers: lung masks of the phantoms, the pointing-game baselines, weight randomisation, the NHEFS forest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn import inspection
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state

from grader.course import get_week
from grader.hidden import c3w3 as hidden
from grader.runner import run_exercise
from helpers.public_tests import c3w3 as public
from helpers.solutions import c3w3 as ref

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------------------------- permutation importance


class ReplaySklearnShuffles:
    """An ``rng`` whose ``permutation`` replays the permutations of ``sklearn.inspection.permutation_importance``.

    scikit-learn draws one seed from ``random_state``; for every column it starts ``RandomState(seed)``, shuffles an
    index array in place once per repeat and re-indexes the already permuted column with it.
    """

    def __init__(self, random_state: int, n_repeats: int):
        self.seed = check_random_state(random_state).randint(np.iinfo(np.int32).max + 1)
        self.n_repeats, self.calls = n_repeats, 0

    def permutation(self, values):
        values = np.asarray(values)
        if self.calls % self.n_repeats == 0:
            self.state = np.random.RandomState(self.seed)
            self.index = np.arange(len(values))
            self.order = np.arange(len(values))
        self.state.shuffle(self.index)
        self.order = self.order[self.index]
        self.calls += 1
        return values[self.order]


def _auc_of_positive_class(estimator, X, y):
    return roc_auc_score(y, estimator.predict_proba(X)[:, 1])


@st.composite
def classification_problems(draw):
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    n, d = draw(st.integers(8, 40)), draw(st.integers(1, 5))
    X = pd.DataFrame(rng.normal(size=(n, d)), columns=[f"x{j}" for j in range(d)], index=rng.permutation(n) + 7)
    y = (X["x0"] + rng.normal(scale=1.0, size=n) > 0).astype(int).to_numpy()
    y[:2] = [0, 1]
    kind = draw(st.sampled_from(["logistic", "tree", "linear_risk"]))
    if kind == "logistic":
        model = LogisticRegression().fit(X, y)
    elif kind == "tree":
        model = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    else:
        model = public.LinearRisk(columns=tuple(X.columns), weights=tuple(rng.normal(size=d)))
    return X, y, model, draw(st.integers(1, 6)), draw(st.integers(0, 1000))


@SETTINGS
@given(classification_problems())
def test_permutation_importance_is_sklearns_with_the_same_permutations(problem):
    X, y, model, repeats, seed = problem
    ours = ref.permutation_importance(X, y, model, roc_auc_score, repeats, ReplaySklearnShuffles(seed, repeats))
    theirs = inspection.permutation_importance(
        model, X, y, scoring=_auc_of_positive_class, n_repeats=repeats, random_state=seed
    )
    assert list(ours.index) == list(X.columns)
    np.testing.assert_allclose(ours.to_numpy(), theirs.importances_mean, rtol=0, atol=1e-12)


def test_permutation_importance_matches_sklearn_within_sampling_error():
    rng = np.random.default_rng(0)
    for trial in range(5):
        n = 60
        X = pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"])
        y = (X["a"] + 0.5 * X["b"] + rng.normal(size=n) > 0).astype(int)
        model = LogisticRegression().fit(X, y)
        repeats = 200
        ours = ref.permutation_importance(X, y, model, roc_auc_score, repeats, np.random.default_rng(trial))
        theirs = inspection.permutation_importance(
            model, X, y, scoring=_auc_of_positive_class, n_repeats=repeats, random_state=trial
        )
        standard_error = np.sqrt(2) * theirs.importances_std / np.sqrt(repeats)
        assert np.all(np.abs(ours.to_numpy() - theirs.importances_mean) <= 5 * standard_error + 1e-12)


@SETTINGS
@given(st.integers(0, 10_000), st.integers(2, 30))
def test_permute_feature_moves_one_column_only(seed, n):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {"a": rng.normal(size=n), "b": rng.integers(0, 3, n), "c": rng.choice(["u", "v"], n)},
        index=rng.permutation(n) * 2,
    )
    original = df.copy()
    out = ref.permute_feature(df, "a", np.random.default_rng(seed))
    pd.testing.assert_frame_equal(df, original)  # input untouched
    assert list(out.columns) == list(df.columns) and out.index.equals(df.index)
    pd.testing.assert_frame_equal(out[["b", "c"]], df[["b", "c"]])
    assert np.array_equal(np.sort(out["a"].to_numpy()), np.sort(df["a"].to_numpy()))
    again = ref.permute_feature(df, "a", np.random.default_rng(seed))
    assert np.array_equal(again["a"].to_numpy(), out["a"].to_numpy())


# --------------------------------------------------------------------------------------------- grad_cam


def _images(rng, shape, count):
    return [hidden.test_image(rng, shape) for _ in range(count)]


@pytest.mark.parametrize("activation", ["linear", "sigmoid", "softmax"])
def test_grad_cam_matches_the_closed_form_of_the_pooling_model(activation):
    rng = np.random.default_rng(1)
    for seed, shape, pool in [(0, (6, 10, 3), 2), (1, (9, 6, 2), 3), (2, (8, 8, 1), 4)]:
        spec = {
            "kind": "pooled_dense",
            "input_shape": shape,
            "pool": pool,
            "n_outputs": 3,
            "activation": activation,
            "seed": seed,
            "scale": 2.0,
        }
        model = public.build_model(spec)
        for image in [rng.normal(size=shape).astype(np.float32) for _ in range(2)]:
            for k in range(3):
                np.testing.assert_allclose(
                    ref.grad_cam(model, image, k, "pooled"),
                    hidden.expected_grad_cam(spec, image, k, "pooled"),
                    rtol=0,
                    atol=2e-5,
                )


@pytest.mark.parametrize("shape,filters,seed", [((64, 64, 1), 16, 3), ((40, 56, 1), 8, 5), ((33, 47, 1), 8, 11)])
def test_grad_cam_matches_explicit_backpropagation_through_the_course_cnn(shape, filters, seed):
    spec = {"kind": "cxr_cnn", "input_shape": shape, "n_outputs": 5, "base_filters": filters, "seed": seed}
    model = public.build_model(spec)
    rng = np.random.default_rng(seed)
    for image in _images(rng, shape, 2):
        for layer in ["relu1", "relu2", "relu3", "relu4", "last_conv"]:
            k = int(rng.integers(5))
            np.testing.assert_allclose(
                ref.grad_cam(model, image, k, layer), hidden.expected_grad_cam(spec, image, k, layer), rtol=0, atol=2e-5
            )


def test_grad_cam_equals_cam_at_the_last_convolution():
    """For global average pooling + dense, the gradient is the same at every position: Grad-CAM = CAM."""
    from helpers.models import class_activation_maps

    spec = {"kind": "cxr_cnn", "input_shape": (64, 64, 1), "n_outputs": 14, "base_filters": 16, "seed": 21}
    model = public.build_model(spec)
    images = np.stack(_images(np.random.default_rng(2), (64, 64, 1), 4))
    classes = [0, 4, 9, 13]
    cams = class_activation_maps(model, images, classes)
    for image, k, cam in zip(images, classes, cams):
        np.testing.assert_allclose(ref.grad_cam(model, image, k, "last_conv"), cam, rtol=0, atol=1e-5)


def test_hidden_grad_cam_cases_are_not_trivial():
    """Every hidden map has its maximum at 1, except the one case designed to be zero everywhere."""
    zero = 0
    for label, spec, cases in hidden.grad_cam_cases():
        for image, k, layer in cases:
            peak = hidden.expected_grad_cam(spec, image, k, layer).max()
            zero += peak == 0
            assert peak == 0 or peak == pytest.approx(1.0), (label, k, layer)
    assert zero <= 2


def test_public_hand_worked_maps_are_the_reference():
    model = public.build_model(public.HAND_SPEC)
    np.testing.assert_allclose(
        ref.grad_cam(model, public._HAND_IMAGE, 0, "pooled"), public._EXPECTED_CLASS_0, atol=1e-6
    )
    np.testing.assert_allclose(
        ref.grad_cam(model, public._HAND_IMAGE, 1, "pooled"), public._EXPECTED_CLASS_1, atol=1e-6
    )


def test_numpy_bilinear_resize_is_tensorflows():
    import tensorflow as tf

    rng = np.random.default_rng(4)
    for shape_in, shape_out in [((2, 2), (4, 4)), ((3, 5), (40, 56)), ((7, 4), (9, 13)), ((4, 4), (4, 4))]:
        values = rng.normal(size=shape_in)
        expected = tf.image.resize(values[..., None], shape_out, method="bilinear").numpy()[..., 0]
        np.testing.assert_allclose(hidden.resize_bilinear(values, shape_out), expected, atol=1e-5)


# --------------------------------------------------------------------------------------------- pointing_game


@SETTINGS
@given(st.integers(0, 10_000))
def test_pointing_game_is_the_pixel_definition(seed):
    rng = np.random.default_rng(seed)
    h, w = rng.integers(1, 12, size=2)
    cam = rng.integers(0, 3, size=(h, w)).astype(float)
    boxes = np.column_stack([rng.uniform(-2, w, 3), rng.uniform(-2, h, 3), rng.uniform(0, 5, 3), rng.uniform(0, 5, 3)])[
        : rng.integers(0, 4)
    ]
    top = max(cam.ravel())
    row, col = next((r, c) for r in range(h) for c in range(w) if cam[r, c] == top)  # first in row-major order
    inside = any(x <= col < x + bw and y <= row < y + bh for x, y, bw, bh in boxes)
    assert ref.pointing_game(cam, boxes) is inside
    assert hidden.expected_pointing(cam, boxes) == inside


# --------------------------------------------------------------------------------------------- helpers


def test_lung_hit_probability_counts_pixels():
    from helpers.interpretation import centre_map, lung_hit_probability

    mask = np.zeros((6, 8), bool)
    mask[1:5, 2:6] = True  # 16 lung pixels: rows 1-4, columns 2-5
    assert lung_hit_probability(mask, [[2, 1, 2, 2]]) == pytest.approx(4 / 16)
    assert lung_hit_probability(mask, [[2, 1, 2, 2], [3, 2, 2, 2]]) == pytest.approx(7 / 16)  # overlap counts once
    assert lung_hit_probability(mask, [[2.5, 1, 1, 1]]) == pytest.approx(1 / 16)  # only column 3, row 1
    assert lung_hit_probability(mask, np.zeros((0, 4))) == 0.0
    assert np.isnan(lung_hit_probability(np.zeros((3, 3), bool), [[0, 0, 3, 3]]))
    cam = centre_map((5, 8))
    assert np.unravel_index(np.argmax(cam), cam.shape) == (2, 4) and cam.sum() == 1


def test_pointing_trials_group_boxes_by_picture_and_finding():
    from helpers.interpretation import pointing_trials

    frame = pd.DataFrame({"Image": ["a.png", "b.png", "c.png"]})
    boxes = pd.DataFrame(
        {
            "Image": ["b.png", "b.png", "a.png", "z.png", "b.png"],
            "Finding": ["Nodule", "Nodule", "Mass", "Mass", "Effusion"],
            "x": [1.0, 5.0, 2.0, 0.0, 3.0],
            "y": [1.0, 5.0, 2.0, 0.0, 3.0],
            "w": [2.0, 2.0, 4.0, 1.0, 6.0],
            "h": [2.0, 2.0, 4.0, 1.0, 6.0],
        }
    )
    trials = pointing_trials(frame, boxes)
    assert list(zip(trials["Finding"], trials["Image"], trials["row"])) == [
        ("Effusion", "b.png", 1),
        ("Mass", "a.png", 0),
        ("Nodule", "b.png", 1),
    ]
    assert trials.loc[2, "boxes"].shape == (2, 4)


def test_randomized_copy_reinitialises_only_the_named_layers():
    from helpers.interpretation import randomized_copy

    spec = {"kind": "cxr_cnn", "input_shape": (32, 32, 1), "n_outputs": 3, "base_filters": 8, "seed": 1}
    model = public.build_model(spec)
    copy = randomized_copy(model, ["findings", "conv5", "bn5"], seed=3)
    again = randomized_copy(model, ["findings", "conv5", "bn5"], seed=3)
    for layer in model.layers:
        for w_old, w_new, w_again in zip(
            layer.get_weights(), copy.get_layer(layer.name).get_weights(), again.get_layer(layer.name).get_weights()
        ):
            assert np.array_equal(w_new, w_again)  # reproducible
            changed = not np.array_equal(w_old, w_new)
            assert changed == (layer.name in ("findings", "conv5", "bn5")) or np.all(w_new == 0)
    assert copy.get_layer("bn5").get_weights()[3].tolist() == [1.0] * 64  # moving variance back to 1


def test_phantom_lung_masks_follow_the_drawn_lungs():
    from helpers.data.cxr import load_cxr_split, make_cxr_dataset, phantom_lung_masks, read_image

    data = load_cxr_split(make_cxr_dataset(n=30, size=48, seed=5, progress=False))
    masks = phantom_lung_masks(data, "train", progress=False)
    assert masks.shape == (len(data.train), 48, 48) and masks.dtype == bool
    assert 0.1 < masks.mean() < 0.5
    pictures = np.stack([read_image(p) for p in data.paths("train")]).astype(float)
    body = pictures > np.percentile(pictures, 20)  # not the black air around the patient
    assert pictures[masks].mean() < pictures[body & ~masks].mean()  # the lungs are darker than the other tissue
    boxes = data.boxes()
    lung_findings = boxes[
        boxes["Finding"].isin(["Nodule", "Mass", "Infiltration", "Consolidation"])
        & boxes["Image"].isin(set(data.train["Image"]))
    ]
    position = {name: i for i, name in enumerate(data.train["Image"])}
    centres = [
        masks[position[b.Image], min(int(b.y + b.h / 2), 47), min(int(b.x + b.w / 2), 47)]
        for b in lung_findings.itertuples()
    ]
    assert not centres or np.mean(centres) >= 0.8


def test_nhefs_forest_is_c2w2s_tuned_forest():
    from helpers.data.nhefs import nhefs_splits
    from helpers.models import NHEFS_FOREST_PARAMS, nhefs_mortality_forest
    from helpers.public_tests.c2w2 import reference_forest

    X_train, y_train, X_val, y_val, X_test, y_test = nhefs_splits()
    forest = nhefs_mortality_forest()
    assert forest.get_params()["n_estimators"] == NHEFS_FOREST_PARAMS["n_estimators"] == 50
    assert np.array_equal(forest.predict_proba(X_test), reference_forest("tuned").predict_proba(X_test))
    assert roc_auc_score(y_val, forest.predict_proba(X_val)[:, 1]) == pytest.approx(0.881, abs=5e-4)
    assert roc_auc_score(y_test, forest.predict_proba(X_test)[:, 1]) == pytest.approx(0.827, abs=5e-4)


# --------------------------------------------------------------------------------------------- correct, unusual forms


def _variants():
    import tensorflow as tf

    def cam_tensor(model, image, k, layer):
        return tf.convert_to_tensor(ref.grad_cam(model, image, k, layer))

    def cam_float32_with_channel_axis(model, image, k, layer):
        return ref.grad_cam(model, image, k, layer).astype(np.float32)[..., None]

    def cam_parts(model, image, k, layer):
        grad_model = tf.keras.Model(model.inputs, [model.get_layer(layer).output, model.output])
        with tf.GradientTape() as tape:
            features, predictions = grad_model(tf.constant(image[None]))
            score = predictions[0][k]
        return features[0], tape.gradient(score, features)[0]

    def cam_tensordot(model, image, k, layer):  # tensordot, tf.maximum, default resize method, tf.where guard
        features, grads = cam_parts(model, image, k, layer)
        cam = tf.maximum(tf.tensordot(features, tf.reduce_mean(grads, axis=(0, 1)), axes=1), 0)
        cam = tf.image.resize(cam[..., None], image.shape[:2])[..., 0]
        peak = tf.reduce_max(cam)
        return tf.where(peak > 0, cam / tf.where(peak > 0, peak, 1.0), cam)

    def cam_sum_of_gradients(model, image, k, layer):  # a sum instead of a mean: the same map after normalising
        features, grads = cam_parts(model, image, k, layer)
        cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_sum(grads, axis=(0, 1)), axis=-1))
        cam = tf.image.resize(cam[None, ..., None], image.shape[:2], method="bilinear")[0, ..., 0].numpy()
        return cam / cam.max() if cam.max() > 0 else cam

    def permute_with_sample(df, feature, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        out = df.copy()
        out[feature] = df[feature].sample(frac=1, random_state=rng).to_numpy()
        return out

    def permute_with_shuffle(df, feature, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        values = df[feature].to_numpy().copy()
        rng.shuffle(values)
        out = df.copy()
        out[feature] = values
        return out

    def importance_as_sorted_dict(X, y, model, metric, num_samples=100, rng=None):
        series = ref.permutation_importance(X, y, model, metric, num_samples, rng)
        return dict(series.sort_values(ascending=False).items())

    def importance_with_arrays(X, y, model, metric, num_samples=100, rng=None):
        rng = np.random.default_rng() if rng is None else rng
        base = metric(y, model.predict_proba(X)[:, 1])
        out = pd.Series(0.0, index=X.columns)
        for f in X.columns:
            total = 0.0
            for _ in range(num_samples):
                total += base - metric(y, model.predict_proba(ref.permute_feature(X, f, rng))[:, 1])
            out[f] = np.float32(total / num_samples)
        return out

    def importance_on_arrays(X, y, model, metric, num_samples=100, rng=None):  # predict_proba on NumPy arrays
        rng = np.random.default_rng() if rng is None else rng
        base = metric(np.asarray(y), model.predict_proba(X.to_numpy())[:, 1])
        drops = {
            f: base
            - np.mean(
                [
                    metric(np.asarray(y), model.predict_proba(ref.permute_feature(X, f, rng).to_numpy())[:, 1])
                    for _ in range(num_samples)
                ]
            )
            for f in X.columns
        }
        return pd.Series(drops)

    def pointing_loops(cam, boxes):
        cam = np.asarray(cam)
        best = None
        for r in range(cam.shape[0]):
            for c in range(cam.shape[1]):
                if best is None or cam[r, c] > cam[best]:
                    best = (r, c)
        return np.bool_(
            any(
                x <= best[1] < x + w and y <= best[0] < y + h
                for x, y, w, h in np.asarray(boxes, dtype=float).reshape(-1, 4)
            )
        )

    return {
        "grad_cam": [cam_tensor, cam_float32_with_channel_axis, cam_tensordot, cam_sum_of_gradients],
        "permute_feature": [permute_with_sample, permute_with_shuffle],
        "permutation_importance": [importance_as_sorted_dict, importance_with_arrays, importance_on_arrays],
        "pointing_game": [pointing_loops],
    }


def test_correct_answers_in_unusual_forms_pass():
    week = get_week("C3W3")
    for name, fns in _variants().items():
        for fn in fns:
            outcome = run_exercise(week, name, fn)
            assert outcome.passed, f"{name} / {fn.__name__}: {outcome.detail}"
