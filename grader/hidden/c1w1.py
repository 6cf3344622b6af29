"""Hidden tests for week C1W1. Failure messages say what kind of case fails, never the expected values.

Randomized cases are compared with the reference solutions (helpers.solutions.c1w1, generated from the master),
which tests/test_c1w1_reference.py in turn checks against pandas, NumPy and Keras' own cross-entropy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.public_tests.c1w1 import (
    STEP_LEARNING_RATE,
    _patients,
    keras_training_step,
    loss_value,
    training_step_problem,
)
from helpers.public_tests.framework import Checks, call, hidden_check, run_harness
from helpers.solutions import c1w1 as ref

# --------------------------------------------------------------------------------------------- check_for_leakage


def _leakage_case(checks: Checks, fn, df1, df2, column: str, case: str) -> None:
    got = call("check_for_leakage", fn, df1, df2, column, case=case)
    checks.same_bool(got, ref.check_for_leakage(df1, df2, column), case)


@hidden_check
def check_check_for_leakage(fn) -> None:
    checks = Checks("check_for_leakage", public=False)
    many = _patients(list(range(100, 160)) * 2)
    last_only = _patients([900, 901, 902, 59])
    fixed = [
        (many, last_only, "PatientId", "the only shared patient is the last row of the second frame"),
        (many, _patients([5, 6, 7]), "PatientId", "no shared patient; patients repeat inside the first frame"),
        (_patients([1, 2, 3]), _patients([3, 2, 1]), "PatientId", "the same patients in the other order"),
        (_patients([1, 2, 3]), _patients([4, 5, 6]), "PatientId", "frames of equal length that share nobody"),
        (
            _patients([1, 2, 3, 4]),
            _patients([9, 9, 9, 4]),
            "PatientId",
            "frames of equal length whose shared patient sits in the same row",
        ),
        (_patients([1, 2, 3]), _patients([], column="PatientId"), "PatientId", "an empty second frame"),
        (
            _patients([10, 20], column="Patient ID"),
            _patients([20, 30], column="Patient ID"),
            "Patient ID",
            "a patient column with another name",
        ),
        (
            _patients([10, 20], column="Patient ID", PatientId=[1, 2]),
            _patients([30, 40], column="Patient ID", PatientId=[2, 3]),
            "Patient ID",
            "another column shares values but the patient column does not",
        ),
        (
            _patients([10, 20]).set_axis([0, 1]),
            _patients([30, 40]).set_axis([1, 2]),
            "PatientId",
            "frames whose indexes overlap but whose patients do not",
        ),
        (
            _patients(["p1", "p2"]),
            _patients(["P1", "p2 "]),
            "PatientId",
            "string ids that differ only in case or spacing",
        ),
    ]
    for df1, df2, column, case in fixed:
        _leakage_case(checks, fn, df1, df2, column, case)
    rng = np.random.default_rng(41)
    for i in range(20):
        a = _patients(rng.integers(0, 400, size=rng.integers(1, 60)))
        b = _patients(rng.integers(350, 800, size=rng.integers(1, 60)))
        _leakage_case(checks, fn, a, b, "PatientId", f"random frames #{i}")
    checks.done()


# --------------------------------------------------------------------------------------------- compute_class_freqs


def _freqs_case(checks: Checks, fn, labels, case: str) -> None:
    pair = checks.pair(call("compute_class_freqs", fn, labels, case=case), case)
    if pair is None:
        return
    pos, neg = ref.compute_class_freqs(labels)
    checks.vectors_close(pair[0], pos, f"{case} — positive frequencies")
    checks.vectors_close(pair[1], neg, f"{case} — negative frequencies")


@hidden_check
def check_compute_class_freqs(fn) -> None:
    checks = Checks("compute_class_freqs", public=False)
    rng = np.random.default_rng(42)
    square = (rng.random((5, 5)) < 0.3).astype(int)
    fixed = [
        (np.array([[1, 0, 1]]), "a single image"),
        (np.array([[1], [0], [0], [1], [1]]), "a single finding"),
        (square, "as many images as findings"),
        (np.zeros((7, 4), dtype=int), "no positive label at all"),
        ((rng.random((30, 14)) < 0.1), "boolean labels"),
        ((rng.random((9, 3)) < 0.5).astype(np.float32), "float32 labels"),
        (
            pd.DataFrame((rng.random((12, 4)) < 0.4).astype(int), columns=list("ABCD"), index=rng.permutation(12) + 50),
            "a DataFrame with a shuffled index",
        ),
        ([[0, 1], [1, 1], [0, 1]], "a list of lists"),
    ]
    for labels, case in fixed:
        _freqs_case(checks, fn, labels, case)
    for i in range(15):
        n, c = rng.integers(2, 80), rng.integers(2, 15)
        labels = (rng.random((n, c)) < rng.uniform(0.01, 0.6, size=c)).astype(int)
        _freqs_case(checks, fn, labels, f"random labels #{i} ({n} images, {c} findings)")
    checks.done()


# --------------------------------------------------------------------------------------------- get_weighted_loss


def _loss_case(checks: Checks, fn, factory_args: tuple, y, p, case: str, rtol: float = 1e-5) -> None:
    got = loss_value(checks, fn, factory_args, y, p, case)
    if got is not None:
        expected = float(ref.get_weighted_loss(*factory_args)(y, p))
        checks.close_enough(got, expected, case, rtol=rtol, atol=1e-6)


@hidden_check
def check_get_weighted_loss(fn) -> None:
    checks = Checks("get_weighted_loss", public=False)
    rng = np.random.default_rng(43)
    # probabilities at exactly 0 and 1, where epsilon decides the answer
    y = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    edge = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    fixed = [
        ((np.ones(3), np.ones(3)), y, np.full((2, 3), 0.3), "equal weights of 1"),
        (
            (np.array([0.9, 0.2, 0.5]), np.array([0.1, 0.8, 0.5])),
            y,
            edge,
            "probabilities of exactly 0 and 1 (default epsilon)",
        ),
        (
            (np.array([0.9, 0.2, 0.5]), np.array([0.1, 0.8, 0.5]), 1e-3),
            y,
            edge,
            "probabilities of exactly 0 and 1 with epsilon=1e-3",
        ),
        (
            (np.array([2.0, 0.0, 1.0]), np.array([0.0, 3.0, 1.0]), 1e-7),
            y,
            np.full((2, 3), 1e-6),
            "probabilities close to epsilon",
        ),
        (
            (np.array([0.7]), np.array([0.3])),
            np.array([[1.0], [1.0], [0.0], [1.0]]),
            np.array([[0.9], [0.6], [0.2], [0.4]]),
            "a single finding",
        ),
        (
            ([0.2, 0.9, 0.4, 0.6], [0.8, 0.1, 0.6, 0.4]),
            np.array([[1, 0, 0, 1]]),
            np.array([[0.3, 0.6, 0.2, 0.7]]),
            "a single image, weights given as lists and integer labels",
        ),
        (
            (np.array([0.95, 0.05], dtype=np.float32), np.array([0.05, 0.95], dtype=np.float32)),
            np.array([[1.0, 1.0], [0.0, 0.0]], dtype=np.float32),
            np.array([[0.5, 0.4], [0.6, 0.1]], dtype=np.float32),
            "float32 weights, labels and probabilities",
        ),
    ]
    for factory_args, y_true, y_pred, case in fixed:
        _loss_case(checks, fn, factory_args, y_true, y_pred, case)
    for i in range(12):
        n, c = rng.integers(1, 40), rng.integers(1, 15)
        y_true = (rng.random((n, c)) < 0.3).astype(np.float32)
        y_pred = rng.uniform(0.001, 0.999, (n, c)).astype(np.float32)
        pos = rng.uniform(0, 1, c)
        _loss_case(checks, fn, (pos, 1 - pos), y_true, y_pred, f"random batch #{i} ({n} images, {c} findings)")
    # the loss inside a real training step: the same loss and weights after one SGD step as the closed form
    pos, neg = [0.05, 0.5, 0.99], [0.95, 0.5, 0.01]
    case = "training a small Keras model one step with the loss"
    got = run_harness("get_weighted_loss", fn, keras_training_step, pos, neg, 1, case=case)
    expected_loss, expected_weights = _one_sgd_step(pos, neg, 1)
    checks.close_enough(got["loss"], expected_loss, f"{case} — the loss Keras reports", rtol=1e-4)
    got_weights = np.concatenate([np.asarray(w, dtype=float) for w in got["weights"]])
    checks.vectors_close(got_weights, expected_weights, f"{case} — the weights after the step", rtol=1e-4, atol=1e-5)
    checks.done()


def _one_sgd_step(pos_weights, neg_weights, seed: int):
    """Loss and weights after one SGD step of :func:`keras_training_step`, in closed form (NumPy, float64).

    For a sigmoid output p = sigmoid(z), the derivative of the weighted loss with respect to z is, per element,
    (w_neg (1 - y) p - w_pos y (1 - p)) / N (epsilon changes it by a relative 1e-7, far below the tolerance).
    """
    problem = training_step_problem(seed)
    x, y = problem["x"].astype(float), problem["y"].astype(float)
    W, b = problem["W"].astype(float), problem["b"].astype(float)
    w_pos, w_neg = np.asarray(pos_weights, dtype=float), np.asarray(neg_weights, dtype=float)
    p = 1 / (1 + np.exp(-(x @ W + b)))
    loss = np.sum(np.mean(-(w_pos * y * np.log(p + 1e-7) + w_neg * (1 - y) * np.log(1 - p + 1e-7)), axis=0))
    dz = (w_neg * (1 - y) * p - w_pos * y * (1 - p)) / len(x)
    W_new = W - STEP_LEARNING_RATE * x.T @ dz
    b_new = b - STEP_LEARNING_RATE * dz.sum(axis=0)
    return float(loss), np.concatenate([W_new.reshape(-1), b_new])
