"""Correct C1W3 answers written differently from the reference — other libraries, dtypes and return types — pass
both the public and the hidden tests (a correct learner never fails on form)."""

import numpy as np
import pytest
import tensorflow as tf
from keras import ops
from keras.utils import to_categorical

from grader.course import get_week
from grader.runner import run_exercise
from helpers.solutions import c1w3 as ref

WEEK = get_week("C1W3")


def get_sub_volume_to_categorical(
    image,
    label,
    output_x=64,
    output_y=64,
    output_z=32,
    num_classes=4,
    max_tries=1000,
    background_threshold=0.95,
    rng=None,
):
    """One vectorised corner draw, Keras' one-hot encoding, a float32 image patch, lists returned."""
    rng = np.random.default_rng() if rng is None else rng
    out = np.array([output_x, output_y, output_z])
    for _ in range(max_tries):
        corner = rng.integers(0, np.array(label.shape) - out + 1)
        box = tuple(slice(c, c + o) for c, o in zip(corner, out))
        if np.count_nonzero(label[box] == 0) / label[box].size < background_threshold:
            y = to_categorical(label[box], num_classes=num_classes)
            return [np.asarray(image[box], dtype=np.float32).tolist(), y[..., 1:].astype(int).tolist()]
    raise ValueError(f"gave up after {max_tries} tries")


def standardize_vectorised_float32(image):
    image = np.asarray(image, dtype=np.float32)
    mean = image.mean(axis=(0, 1), keepdims=True)
    std = image.std(axis=(0, 1), keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(std == 0, 0.0, (image - mean) / std).astype(np.float32)


def single_class_dice_numpy_float(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    return float(
        (2 * np.sum(y_true * y_pred, axis=axis) + epsilon)
        / (np.sum(y_true, axis=axis) + np.sum(y_pred, axis=axis) + epsilon)
    )


def single_class_dice_tensorflow(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    y_true, y_pred = tf.cast(y_true, tf.float32), tf.cast(y_pred, tf.float32)
    return (2 * tf.reduce_sum(y_true * y_pred, axis=axis) + epsilon) / (
        tf.reduce_sum(y_true, axis=axis) + tf.reduce_sum(y_pred, axis=axis) + epsilon
    )


def dice_numpy_float32(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    per_class = (2 * np.sum(y_true * y_pred, axis=axis) + epsilon) / (
        np.sum(y_true, axis=axis) + np.sum(y_pred, axis=axis) + epsilon
    )
    return np.float32(per_class.mean())


def dice_ops_array(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Returns a 1-element tensor instead of a 0-d one."""
    per_class = ops.divide(
        2 * ops.sum(ops.multiply(y_true, y_pred), axis=axis) + epsilon,
        ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon,
    )
    return ops.reshape(ops.mean(per_class), (1,))


def soft_dice_tensorflow(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    y_true, y_pred = tf.cast(y_true, tf.float32), tf.cast(y_pred, tf.float32)
    numerator = 2 * tf.reduce_sum(y_true * y_pred, axis=axis) + epsilon
    denominator = tf.reduce_sum(tf.square(y_true), axis=axis) + tf.reduce_sum(tf.square(y_pred), axis=axis) + epsilon
    return 1 - tf.reduce_mean(numerator / denominator)


def soft_dice_ops_square(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    numerator = ops.multiply(2.0, ops.sum(ops.multiply(y_true, y_pred), axis=axis)) + epsilon
    denominator = ops.add(ops.sum(ops.square(y_true), axis=axis), ops.sum(ops.square(y_pred), axis=axis)) + epsilon
    return ops.subtract(1.0, ops.mean(ops.divide(numerator, denominator)))


def sens_spec_python_floats_list(pred, label, class_num):
    p = np.asarray(pred)[..., class_num].astype(bool)
    t = np.asarray(label)[..., class_num].astype(bool)
    tp, fn = int((p & t).sum()), int((~p & t).sum())
    tn, fp = int((~p & ~t).sum()), int((p & ~t).sum())
    return [tp / (tp + fn) if tp + fn else float("nan"), tn / (tn + fp) if tn + fp else float("nan")]


def sens_spec_tensors(pred, label, class_num):
    p = ops.cast(pred[..., class_num], "float64")
    t = ops.cast(label[..., class_num], "float64")
    tp, fn = ops.sum(p * t), ops.sum((1 - p) * t)
    tn, fp = ops.sum((1 - p) * (1 - t)), ops.sum(p * (1 - t))
    nan = ops.convert_to_tensor(np.nan, dtype="float64")
    return (
        ops.where(tp + fn > 0, tp / ops.maximum(tp + fn, 1), nan),
        ops.where(tn + fp > 0, tn / ops.maximum(tn + fp, 1), nan),
    )


VARIANTS = [
    ("get_sub_volume", get_sub_volume_to_categorical),
    ("standardize", standardize_vectorised_float32),
    ("single_class_dice_coefficient", single_class_dice_numpy_float),
    ("single_class_dice_coefficient", single_class_dice_tensorflow),
    ("dice_coefficient", dice_numpy_float32),
    ("dice_coefficient", dice_ops_array),
    ("soft_dice_loss", soft_dice_tensorflow),
    ("soft_dice_loss", soft_dice_ops_square),
    ("compute_class_sens_spec", sens_spec_python_floats_list),
    ("compute_class_sens_spec", sens_spec_tensors),
]


@pytest.mark.parametrize("name,fn", VARIANTS, ids=[fn.__name__ for _, fn in VARIANTS])
def test_correct_answers_in_other_forms_pass(name, fn):
    outcome = run_exercise(WEEK, name, fn)
    assert outcome.passed, outcome.detail


def test_the_reference_returns_tensors_for_the_keras_exercises():
    """The forms above matter: the reference itself returns TensorFlow tensors, which the tests must accept."""
    value = ref.dice_coefficient(np.ones((2, 2, 2, 1)), np.ones((2, 2, 2, 1)))
    assert not isinstance(value, (float, np.ndarray, np.generic))
    assert float(value) == 1.0
