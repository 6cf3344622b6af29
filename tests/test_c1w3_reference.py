"""The C1W3 reference solutions agree with independent computations on hundreds of random volumes.

Dice against ``scipy.spatial.distance.dice`` on booleans, sensitivity and specificity against scikit-learn's confusion
matrix, standardization against ``scipy.stats.zscore``, the sub-volume sampler against a replay of its random draws,
and the soft Dice loss against a NumPy formula and inside a compiled Keras model.
"""

import numpy as np
import pytest
from scipy import stats
from scipy.spatial.distance import dice as scipy_dice_dissimilarity
from sklearn.metrics import confusion_matrix

from helpers.public_tests.c1w3 import keras_training_step
from helpers.solutions import c1w3 as ref

N_VOLUMES = 300


def random_volumes(seed: int, count: int, *, classes: bool = False, batch: bool = False):
    """Pairs of random binary volumes ([B,] X, Y, Z[, C]); every class of every sample has a positive in both."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        lead = (int(rng.integers(1, 4)),) if batch else ()
        shape = lead + tuple(int(s) for s in rng.integers(2, 10, size=3))
        shape += (int(rng.integers(1, 5)),) if classes else ()
        y_true = (rng.random(shape) < rng.uniform(0.02, 0.7)).astype(float)
        y_pred = (rng.random(shape) < rng.uniform(0.02, 0.7)).astype(float)
        every = (slice(None),) * len(lead)
        y_true[every + (0, 0, 0)] = 1.0  # all classes at this voxel
        y_pred[every + (-1, -1, -1)] = 1.0
        yield y_true, y_pred


def scipy_dice(a, b) -> float:
    return 1.0 - scipy_dice_dissimilarity(np.ravel(a).astype(bool), np.ravel(b).astype(bool))


def value(x) -> float:
    return float(np.asarray(x))


# ---------------------------------------------------------------------------------------------- Dice


def test_single_class_dice_matches_scipy_on_booleans():
    for y_true, y_pred in random_volumes(1, N_VOLUMES):
        assert value(ref.single_class_dice_coefficient(y_true, y_pred, epsilon=0.0)) == pytest.approx(
            scipy_dice(y_true, y_pred), rel=1e-12
        )
        # the default epsilon changes the value by less than 1e-5 relative
        assert value(ref.single_class_dice_coefficient(y_true, y_pred)) == pytest.approx(
            scipy_dice(y_true, y_pred), rel=1e-5, abs=1e-5
        )


def test_dice_coefficient_is_the_mean_of_per_class_scipy_dice():
    for y_true, y_pred in random_volumes(2, N_VOLUMES, classes=True):
        per_class = [scipy_dice(y_true[..., c], y_pred[..., c]) for c in range(y_true.shape[-1])]
        assert value(ref.dice_coefficient(y_true, y_pred, epsilon=0.0)) == pytest.approx(np.mean(per_class), rel=1e-12)


def test_dice_coefficient_over_a_batch_averages_samples_and_classes():
    for y_true, y_pred in random_volumes(3, 100, classes=True, batch=True):
        per = [
            scipy_dice(y_true[b, ..., c], y_pred[b, ..., c])
            for b in range(y_true.shape[0])
            for c in range(y_true.shape[-1])
        ]
        got = value(ref.dice_coefficient(y_true, y_pred, axis=(1, 2, 3), epsilon=0.0))
        assert got == pytest.approx(np.mean(per), rel=1e-12)


def test_empty_volumes_give_dice_one_and_loss_zero():
    empty = np.zeros((3, 4, 5, 2))
    assert value(ref.single_class_dice_coefficient(empty[..., 0], empty[..., 0])) == 1.0
    assert value(ref.dice_coefficient(empty, empty)) == 1.0
    assert value(ref.soft_dice_loss(empty, empty)) == 0.0


def test_soft_dice_loss_matches_a_numpy_formula_and_dice_on_binary_volumes():
    rng = np.random.default_rng(4)
    for y_true, y_pred in random_volumes(5, N_VOLUMES, classes=True):
        assert 1 - value(ref.soft_dice_loss(y_true, y_pred, epsilon=0.0)) == pytest.approx(
            value(ref.dice_coefficient(y_true, y_pred, epsilon=0.0)), rel=1e-12
        )  # y**2 == y for 0/1 values
        probs = rng.random(y_true.shape)
        eps = float(rng.choice([1e-5, 1.0]))
        num = 2 * np.einsum("xyzc,xyzc->c", y_true, probs) + eps
        den = (y_true**2).sum((0, 1, 2)) + (probs**2).sum((0, 1, 2)) + eps
        assert value(ref.soft_dice_loss(y_true, probs, epsilon=eps)) == pytest.approx(
            1 - np.mean(num / den), rel=1e-10, abs=1e-12
        )


def test_soft_dice_loss_trains_a_keras_model_and_its_gradient_is_right():
    step = keras_training_step(ref.soft_dice_loss, 0)
    assert step["fit_loss"] == pytest.approx(float(np.ravel(step["eager_loss"])[0]), rel=1e-5)
    # the same step by hand: one 1x1x1 convolution + sigmoid, gradient of the loss by automatic differentiation
    import tensorflow as tf

    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 4, 4, 4, 2)).astype("float32")
    y = np.eye(4, dtype="float32")[rng.integers(0, 4, size=(2, 4, 4, 4))][..., 1:]
    kernel = tf.Variable((0.8 * rng.normal(size=(1, 1, 1, 2, 3))).astype("float32"))
    bias = tf.Variable((0.3 * rng.normal(size=3)).astype("float32"))
    with tf.GradientTape() as tape:
        p = tf.sigmoid(tf.einsum("bxyzi,io->bxyzo", x, kernel[0, 0, 0]) + bias)
        num = 2 * tf.reduce_sum(y * p, axis=(1, 2, 3)) + 1e-5
        den = tf.reduce_sum(y**2, axis=(1, 2, 3)) + tf.reduce_sum(p**2, axis=(1, 2, 3)) + 1e-5
        loss = 1 - tf.reduce_mean(num / den)
    grads = tape.gradient(loss, [kernel, bias])
    assert step["fit_loss"] == pytest.approx(float(loss), rel=1e-5)
    for update, grad in zip(step["update"], grads):
        np.testing.assert_allclose(update, -grad.numpy(), rtol=1e-4, atol=1e-7)  # SGD, learning rate 1


# ---------------------------------------------------------------------------------------------- sensitivity, specificity


def test_sens_spec_match_sklearn_confusion_matrix():
    rng = np.random.default_rng(6)
    for _ in range(N_VOLUMES):
        shape = tuple(int(s) for s in rng.integers(2, 8, size=3)) + (int(rng.integers(1, 5)),)
        label = (rng.random(shape) < rng.uniform(0.0, 1.0)).astype(float)
        pred = (rng.random(shape) < rng.uniform(0.0, 1.0)).astype(float)
        c = int(rng.integers(shape[-1]))
        tn, fp, fn, tp = confusion_matrix(label[..., c].ravel(), pred[..., c].ravel(), labels=[0, 1]).ravel()
        sens, spec = ref.compute_class_sens_spec(pred, label, c)
        np.testing.assert_allclose(
            [sens, spec], [tp / (tp + fn) if tp + fn else np.nan, tn / (tn + fp) if tn + fp else np.nan], rtol=1e-12
        )


def test_sens_spec_undefined_ratios_are_nan():
    ones, zeros = np.ones((2, 2, 2, 1)), np.zeros((2, 2, 2, 1))
    sens, spec = ref.compute_class_sens_spec(zeros, zeros, 0)
    assert np.isnan(sens) and spec == 1.0
    sens, spec = ref.compute_class_sens_spec(ones, ones, 0)
    assert sens == 1.0 and np.isnan(spec)


# ---------------------------------------------------------------------------------------------- standardize


@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")  # zscore of a constant slice: nan, set to 0
def test_standardize_matches_scipy_zscore_per_slice():
    rng = np.random.default_rng(7)
    for i in range(N_VOLUMES):
        shape = tuple(int(s) for s in rng.integers(2, 8, size=3)) + (int(rng.integers(1, 5)),)
        image = rng.normal(rng.uniform(-100, 500), rng.uniform(0.1, 100), size=shape)
        if i % 3 == 0:
            image[:, :, int(rng.integers(shape[2])), int(rng.integers(shape[3]))] = 5.0  # a constant slice
        if i % 4 == 1:
            image = np.rint(image).astype(np.int16)
        got = ref.standardize(image)
        assert got.shape == image.shape and got.dtype == np.float64
        for z in range(shape[2]):
            for c in range(shape[3]):
                expected = np.nan_to_num(stats.zscore(image[:, :, z, c].astype(float), axis=None), nan=0.0)
                np.testing.assert_allclose(got[:, :, z, c], expected, rtol=1e-9, atol=1e-9)


def test_standardize_leaves_its_input_alone():
    image = np.arange(2 * 3 * 4 * 2, dtype=float).reshape(2, 3, 4, 2)
    before = image.copy()
    ref.standardize(image)
    np.testing.assert_array_equal(image, before)


# ---------------------------------------------------------------------------------------------- get_sub_volume


def replayed_corner(label, out, threshold, seed, max_tries):
    """The first corner, drawn x then y then z, whose patch has a background fraction below the threshold."""
    rng = np.random.default_rng(seed)
    for _ in range(max_tries):
        corner = [int(rng.integers(0, d - o + 1)) for d, o in zip(label.shape, out)]
        box = tuple(slice(c, c + o) for c, o in zip(corner, out))
        if np.count_nonzero(label[box] == 0) / np.prod(out) < threshold:
            return box
    return None


def test_get_sub_volume_agrees_with_a_replay_of_its_draws():
    rng = np.random.default_rng(8)
    found = raised = 0
    for _ in range(N_VOLUMES):
        shape = tuple(int(s) for s in rng.integers(4, 14, size=3))
        out = tuple(int(rng.integers(1, s + 1)) for s in shape)
        num_classes = int(rng.integers(2, 6))
        label = np.where(rng.random(shape) < rng.uniform(0.0, 0.3), rng.integers(1, num_classes, size=shape), 0)
        image = rng.normal(size=shape + (4,))
        threshold = float(rng.uniform(0.5, 1.0))
        seed = int(rng.integers(1_000_000))
        box = replayed_corner(label, out, threshold, seed, 50)
        if box is None:
            with pytest.raises(ValueError, match="50 tries"):
                ref.get_sub_volume(image, label, *out, num_classes, 50, threshold, np.random.default_rng(seed))
            raised += 1
            continue
        X, y = ref.get_sub_volume(image, label, *out, num_classes, 50, threshold, np.random.default_rng(seed))
        np.testing.assert_array_equal(X, image[box])
        one_hot = (label[box][..., None] == np.arange(num_classes)).astype(float)
        np.testing.assert_array_equal(y, one_hot[..., 1:])
        assert y.shape == out + (num_classes - 1,)
        found += 1
    assert found > 100 and raised > 10, (found, raised)  # both branches were exercised


def test_get_sub_volume_default_generator_and_shapes():
    label = np.ones((70, 70, 40), dtype=np.uint8)
    X, y = ref.get_sub_volume(np.zeros((70, 70, 40, 4), np.float32), label)
    assert X.shape == (64, 64, 32, 4) and X.dtype == np.float32 and y.shape == (64, 64, 32, 3)
