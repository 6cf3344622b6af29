"""C1W1 reference solutions against pandas, NumPy and Keras; correct answers in unusual forms pass the tests."""

import numpy as np
import pandas as pd
import pytest

from grader.course import get_week
from grader.runner import run_exercise
from helpers.solutions import c1w1 as ref
from helpers.training import weighted_binary_crossentropy

WEEK = get_week("C1W1")


def test_check_for_leakage_agrees_with_pandas_isin():
    rng = np.random.default_rng(0)
    for _ in range(300):
        a = pd.DataFrame({"pid": rng.integers(0, 60, size=rng.integers(0, 30))})
        b = pd.DataFrame({"pid": rng.integers(40, 100, size=rng.integers(0, 30))})
        assert ref.check_for_leakage(a, b, "pid") == bool(a["pid"].isin(b["pid"]).any())


def test_compute_class_freqs_agrees_with_pandas_means():
    rng = np.random.default_rng(1)
    for _ in range(300):
        frame = pd.DataFrame((rng.random((rng.integers(1, 50), rng.integers(1, 15))) < rng.uniform(0, 1)).astype(int))
        pos, neg = ref.compute_class_freqs(frame)
        np.testing.assert_allclose(pos, frame.mean().to_numpy())
        np.testing.assert_allclose(neg, (frame == 0).mean().to_numpy())


def test_weighted_loss_with_equal_weights_is_keras_binary_crossentropy_times_classes():
    import keras

    rng = np.random.default_rng(2)
    for _ in range(200):
        n, c = rng.integers(1, 30), rng.integers(1, 15)
        y = (rng.random((n, c)) < 0.3).astype(np.float32)
        p = rng.uniform(1e-3, 1 - 1e-3, (n, c)).astype(np.float32)
        ours = float(ref.get_weighted_loss(np.ones(c), np.ones(c), epsilon=0.0)(y, p))
        keras_bce = c * float(keras.losses.BinaryCrossentropy()(y, p))
        assert ours == pytest.approx(keras_bce, rel=1e-4)


def test_weighted_loss_agrees_with_the_helper_that_trains_the_reference_model():
    rng = np.random.default_rng(3)
    for _ in range(200):
        n, c = rng.integers(1, 30), rng.integers(1, 15)
        y = (rng.random((n, c)) < 0.3).astype(np.float32)
        p = rng.uniform(1e-3, 1 - 1e-3, (n, c)).astype(np.float32)
        w = rng.uniform(0, 1, c)
        assert float(ref.get_weighted_loss(w, 1 - w)(y, p)) == pytest.approx(
            float(weighted_binary_crossentropy(w, 1 - w)(y, p)), rel=1e-4
        )


def _tf_math_loss(pos_weights, neg_weights, epsilon=1e-7):
    import tensorflow as tf

    pos = tf.constant(pos_weights, dtype=tf.float32)
    neg = tf.constant(neg_weights, dtype=tf.float32)

    def loss(y_true, y_pred):
        y_true = tf.cast(y_true, tf.float32)
        y_pred = tf.cast(y_pred, tf.float32)
        positive = tf.reduce_mean(pos * y_true * tf.math.log(y_pred + epsilon), axis=0)
        negative = tf.reduce_mean(neg * (1 - y_true) * tf.math.log(1 - y_pred + epsilon), axis=0)
        return -tf.reduce_sum(positive + negative)

    return loss


def _loop_over_classes_loss(pos_weights, neg_weights, epsilon=1e-7):
    from keras import ops

    def loss(y_true, y_pred):
        total = 0.0
        for c in range(len(pos_weights)):
            y, p = ops.cast(y_true[:, c], "float32"), ops.cast(y_pred[:, c], "float32")
            total += -ops.mean(
                pos_weights[c] * y * ops.log(p + epsilon) + neg_weights[c] * (1 - y) * ops.log(1 - p + epsilon)
            )
        return total

    return loss


CORRECT_VARIANTS = {
    "check_for_leakage": [
        lambda a, b, col: np.bool_(a[col].isin(b[col]).any()),
        lambda a, b, col: not set(a[col]).isdisjoint(b[col]),
        lambda a, b, col: len(np.intersect1d(a[col].to_numpy(), b[col].to_numpy())) > 0,
    ],
    "compute_class_freqs": [
        lambda labels: tuple(list(v) for v in ref.compute_class_freqs(labels)),
        lambda labels: [pd.Series(v) for v in ref.compute_class_freqs(labels)],
        lambda labels: tuple(v.astype(np.float32) for v in ref.compute_class_freqs(labels)),
        lambda labels: np.vstack(ref.compute_class_freqs(labels)),
    ],
    "get_weighted_loss": [_tf_math_loss, _loop_over_classes_loss],
}


@pytest.mark.parametrize("name,index", [(n, i) for n, fns in CORRECT_VARIANTS.items() for i in range(len(fns))])
def test_correct_answers_in_other_forms_pass(name, index):
    outcome = run_exercise(WEEK, name, CORRECT_VARIANTS[name][index])
    assert outcome.passed, outcome.detail
