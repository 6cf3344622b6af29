"""Public tests for week C1W1 (chest X-ray classification). Each prints 'All tests passed.' or raises clearly.

The small cases are worked by hand in the comments. :func:`keras_training_step` is the *harness* that runs a
learner's loss inside ``model.fit`` (public code: the hidden tests use it too, and compare its result with the
reference's).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.public_tests.framework import Checks, ExerciseFailed, call, run_harness


def _patients(ids, column="PatientId", **extra) -> pd.DataFrame:
    return pd.DataFrame({column: ids, "Image": [f"{i}_{k:03d}.png" for k, i in enumerate(ids)], **extra})


# --------------------------------------------------------------------------------------------- check_for_leakage


def test_check_for_leakage(check_for_leakage) -> None:
    checks = Checks("check_for_leakage")
    train = _patients([1, 1, 2, 3, 3, 3])
    cases = [
        (train, _patients([4, 5, 5]), "PatientId", False, "no patient in both frames"),
        (train, _patients([5, 3]), "PatientId", True, "patient 3 is in both frames"),
        (_patients([7]), _patients([7]), "PatientId", True, "one patient, one image each"),
        (
            _patients(["a12", "b7"], column="patient"),
            _patients(["b7 ", "A12"], column="patient"),
            "patient",
            False,
            "ids are strings; 'b7 ' and 'A12' are different ids from 'b7' and 'a12'",
        ),
    ]
    for df1, df2, column, expected, case in cases:
        got = call("check_for_leakage", check_for_leakage, df1, df2, column, case=case)
        checks.same_bool(got, expected, case, hint="compare the patient ids in column patient_col, not the index")
    checks.done()


# --------------------------------------------------------------------------------------------- compute_class_freqs


def test_compute_class_freqs(compute_class_freqs) -> None:
    checks = Checks("compute_class_freqs")
    # 4 images, 3 findings: column sums 1, 4, 0 -> positive fractions 1/4, 4/4, 0/4
    labels = np.array([[1, 1, 0], [0, 1, 0], [0, 1, 0], [0, 1, 0]])
    cases = [
        (labels, "a (4, 3) array"),
        (pd.DataFrame(labels, columns=["Atelectasis", "Effusion", "Hernia"]), "the same labels as a DataFrame"),
    ]
    for value, case in cases:
        pair = checks.pair(call("compute_class_freqs", compute_class_freqs, value, case=case), case)
        if pair is None:
            continue
        checks.vectors_close(
            pair[0],
            [0.25, 1.0, 0.0],
            f"{case} — positive frequencies",
            hint="one fraction per finding (column): the mean over the images (axis=0)",
        )
        checks.vectors_close(pair[1], [0.75, 0.0, 1.0], f"{case} — negative frequencies")
    checks.done()


# --------------------------------------------------------------------------------------------- get_weighted_loss

# Harness: the learner's loss inside a real Keras training step. Plain data in and out, so it can run wherever
# the learner's code runs during grading.
STEP_SHAPES = {"inputs": 4, "classes": 3, "batch": 8}


STEP_LEARNING_RATE = 0.1


def training_step_problem(seed: int) -> dict:
    """The data and starting weights of :func:`keras_training_step`: a batch ``x``, labels ``y``, ``W`` and ``b``."""
    rng = np.random.default_rng(seed)
    n_in, n_out, batch = STEP_SHAPES["inputs"], STEP_SHAPES["classes"], STEP_SHAPES["batch"]
    return {
        "x": rng.normal(size=(batch, n_in)).astype("float32"),
        "y": (rng.random((batch, n_out)) < 0.4).astype("float32"),
        "W": rng.normal(scale=0.5, size=(n_in, n_out)).astype("float32"),
        "b": rng.normal(scale=0.1, size=n_out).astype("float32"),
    }


def keras_training_step(get_weighted_loss, pos_weights, neg_weights, seed: int = 0) -> dict:
    """Compile a tiny sigmoid model with ``get_weighted_loss(pos_weights, neg_weights)`` and train it one step.

    The model is one dense layer with sigmoid outputs, starting from the weights of
    :func:`training_step_problem`, trained by plain SGD (learning rate 0.1) on one batch. Returns the loss Keras
    reported and the weights after the step (plain lists of floats). Raises :class:`ExerciseFailed` with an
    explanation when Keras cannot use the loss (e.g. NumPy calls on tensors).
    """
    import keras

    problem = training_step_problem(seed)
    x, y = problem["x"], problem["y"]
    batch, n_in = x.shape
    inputs = keras.Input(shape=(n_in,))
    outputs = keras.layers.Dense(y.shape[1], activation="sigmoid")(inputs)
    model = keras.Model(inputs, outputs)
    model.set_weights([problem["W"], problem["b"]])
    loss = get_weighted_loss(pos_weights, neg_weights)
    if not callable(loss):
        raise ExerciseFailed(
            f"get_weighted_loss must return a function loss(y_true, y_pred), got {type(loss).__name__}"
        )
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=STEP_LEARNING_RATE), loss=loss)
    try:
        history = model.fit(x, y, batch_size=batch, epochs=1, shuffle=False, verbose=0)
    except NotImplementedError as err:  # e.g. NumPy asked to convert a symbolic tensor
        raise ExerciseFailed(
            "Keras could not train with your loss: inside model.fit, y_true and y_pred are tensors, and NumPy "
            "functions (np.log, np.mean, ...) cannot work on them. Use keras.ops (ops.log, ops.mean, ops.sum) "
            f"instead. ({type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''})"
        ) from err
    except Exception as err:  # noqa: BLE001
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        raise ExerciseFailed(
            f"Keras could not train with your loss ({type(err).__name__}: {first[:200]}); it must "
            "work on tensors: use keras.ops instead of NumPy inside the loss"
        ) from err
    return {
        "loss": float(history.history["loss"][0]),
        "weights": [w.reshape(-1).astype(float).tolist() for w in model.get_weights()],
    }


def loss_value(checks: Checks, get_weighted_loss, factory_args: tuple, y, p, case: str):
    """``get_weighted_loss(*factory_args)(y, p)`` as a float, or None (with a recorded failure)."""
    loss = call("get_weighted_loss", get_weighted_loss, *factory_args, case=case)
    if not callable(loss):
        checks.that(
            False, f"{case}: get_weighted_loss must return a function loss(y_true, y_pred), got {type(loss).__name__}"
        )
        return None
    return checks.scalar(call("the loss returned by get_weighted_loss", loss, y, p, case=case), case)


def test_get_weighted_loss(get_weighted_loss) -> None:
    checks = Checks("get_weighted_loss")
    # 2 images, 2 classes. Class 0: y = [1, 0], p = [0.5, 0.5]; class 1: y = [0, 0], p = [0.25, 0.5].
    # With epsilon = 0 the per-class batch means are
    #   class 0: -(w_pos0 * log 0.5 + w_neg0 * log 0.5) / 2
    #   class 1: -(w_neg1 * log 0.75 + w_neg1 * log 0.5) / 2
    y = np.array([[1.0, 0.0], [0.0, 0.0]])
    p = np.array([[0.5, 0.25], [0.5, 0.5]])
    pos, neg = np.array([0.75, 1.0]), np.array([0.25, 0.5])
    expected = -(0.75 * np.log(0.5) + 0.25 * np.log(0.5)) / 2 - (0.5 * np.log(0.75) + 0.5 * np.log(0.5)) / 2
    got = loss_value(checks, get_weighted_loss, (pos, neg, 0.0), y, p, "2 images, 2 classes, epsilon=0")
    if got is not None:
        checks.close_enough(
            got,
            expected,
            "2 images, 2 classes, epsilon=0",
            rtol=1e-5,
            hint="the SUM over classes of the MEAN over images of the weighted terms",
        )
    # a positive label predicted with probability 0: epsilon keeps the log finite: -1 * log(0 + 1e-7) / 1
    got = loss_value(
        checks,
        get_weighted_loss,
        (np.array([1.0]), np.array([1.0])),
        np.array([[1.0]]),
        np.array([[0.0]]),
        "one image with p = 0 for a positive label (default epsilon)",
    )
    if got is not None:
        checks.close_enough(
            got,
            -np.log(1e-7),
            "one image with p = 0 for a positive label (default epsilon)",
            rtol=1e-4,
            hint="add epsilon inside the log: log(p + epsilon)",
        )
    case = "the loss inside model.fit (a tiny Keras model trained one step)"
    result = run_harness(
        "get_weighted_loss", get_weighted_loss, keras_training_step, [0.6, 0.8, 0.3], [0.4, 0.2, 0.7], case=case
    )
    checks.that(np.isfinite(result["loss"]), f"{case}: the training loss is not a finite number")
    checks.done()
