"""Hidden tests for week C1W1. Failure messages say what kind of case fails, never the expected values.

Randomized cases are compared with the reference solutions (helpers.solutions.c1w1, generated from the master),
which tests/test_c1w1_reference.py in turn checks against pandas, NumPy and Keras' own cross-entropy.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.public_tests.c1w1 import _patients, keras_training_step, loss_value
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
        (_patients([1, 2, 3, 4]), _patients([9, 9, 9, 4]), "PatientId",
         "frames of equal length whose shared patient sits in the same row"),
        (_patients([1, 2, 3]), _patients([], column="PatientId"), "PatientId", "an empty second frame"),
        (_patients([10, 20], column="Patient ID"), _patients([20, 30], column="Patient ID"), "Patient ID",
         "a patient column with another name"),
        (_patients([10, 20], column="Patient ID", PatientId=[1, 2]),
         _patients([30, 40], column="Patient ID", PatientId=[2, 3]), "Patient ID",
         "another column shares values but the patient column does not"),
        (_patients([10, 20]).set_axis([0, 1]), _patients([30, 40]).set_axis([1, 2]), "PatientId",
         "frames whose indexes overlap but whose patients do not"),
        (_patients(["p1", "p2"]), _patients(["P1", "p2 "]), "PatientId", "string ids that differ only in case or "
                                                                          "spacing"),
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
        (pd.DataFrame((rng.random((12, 4)) < 0.4).astype(int), columns=list("ABCD"), index=rng.permutation(12) + 50),
         "a DataFrame with a shuffled index"),
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
        ((np.array([0.9, 0.2, 0.5]), np.array([0.1, 0.8, 0.5])), y, edge,
         "probabilities of exactly 0 and 1 (default epsilon)"),
        ((np.array([0.9, 0.2, 0.5]), np.array([0.1, 0.8, 0.5]), 1e-3), y, edge,
         "probabilities of exactly 0 and 1 with epsilon=1e-3"),
        ((np.array([2.0, 0.0, 1.0]), np.array([0.0, 3.0, 1.0]), 1e-7), y, np.full((2, 3), 1e-6),
         "probabilities close to epsilon"),
        ((np.array([0.7]), np.array([0.3])), np.array([[1.0], [1.0], [0.0], [1.0]]),
         np.array([[0.9], [0.6], [0.2], [0.4]]), "a single finding"),
        (([0.2, 0.9, 0.4, 0.6], [0.8, 0.1, 0.6, 0.4]), np.array([[1, 0, 0, 1]]), np.array([[0.3, 0.6, 0.2, 0.7]]),
         "a single image, weights given as lists and integer labels"),
        ((np.array([0.95, 0.05], dtype=np.float32), np.array([0.05, 0.95], dtype=np.float32)),
         np.array([[1.0, 1.0], [0.0, 0.0]], dtype=np.float32), np.array([[0.5, 0.4], [0.6, 0.1]], dtype=np.float32),
         "float32 weights, labels and probabilities"),
    ]
    for factory_args, y_true, y_pred, case in fixed:
        _loss_case(checks, fn, factory_args, y_true, y_pred, case)
    for i in range(12):
        n, c = rng.integers(1, 40), rng.integers(1, 15)
        y_true = (rng.random((n, c)) < 0.3).astype(np.float32)
        y_pred = rng.uniform(0.001, 0.999, (n, c)).astype(np.float32)
        pos = rng.uniform(0, 1, c)
        _loss_case(checks, fn, (pos, 1 - pos), y_true, y_pred, f"random batch #{i} ({n} images, {c} findings)")
    # the loss inside a real training step: same weights after one step as the reference loss
    for k, (pos, neg) in enumerate([([0.6, 0.8, 0.3], [0.4, 0.2, 0.7]), ([0.05, 0.5, 0.99], [0.95, 0.5, 0.01])]):
        case = f"training a small Keras model one step with the loss (weights set #{k})"
        got = run_harness("get_weighted_loss", fn, keras_training_step, pos, neg, k, case=case)
        expected = keras_training_step(ref.get_weighted_loss, pos, neg, k)
        checks.close_enough(got["loss"], expected["loss"], f"{case} — the loss Keras reports", rtol=1e-4)
        got_weights = np.concatenate([np.asarray(w, dtype=float) for w in got["weights"]])
        expected_weights = np.concatenate([np.asarray(w, dtype=float) for w in expected["weights"]])
        checks.vectors_close(got_weights, expected_weights, f"{case} — the weights after the step", rtol=1e-4,
                             atol=1e-5)
    checks.done()
