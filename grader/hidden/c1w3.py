"""Hidden tests for week C1W3. Failure messages say what kind of case fails, never the values it should give.

Randomized cases are compared with the reference solutions (helpers.solutions.c1w3, generated from the master),
which tests/test_c1w3_reference.py in turn checks against SciPy and scikit-learn on hundreds of random volumes.
Learner code is reached only through ``call`` and ``run_harness`` with the public module's harnesses.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from helpers.public_tests.c1w3 import (
    array_close,
    keras_training_step,
    plain_result,
    scalar_result,
    to_plain,
)
from helpers.public_tests.framework import Checks, call, hidden_check, raised_or_returned, run_harness
from helpers.solutions import c1w3 as ref

# --------------------------------------------------------------------------------------------------------------
# Random volumes
# --------------------------------------------------------------------------------------------------------------


def blob_label(rng, shape, num_classes: int = 4, tumour: float = 0.25) -> np.ndarray:
    """A label volume with one box-shaped 'tumour' of random classes 1 .. num_classes - 1 in a background of 0."""
    label = np.zeros(shape, dtype=np.uint8)
    size = [max(1, int(round(s * tumour ** (1 / 3) * rng.uniform(0.7, 1.3)))) for s in shape]
    size = [min(s, n) for s, n in zip(size, shape)]
    lo = [int(rng.integers(0, n - s + 1)) for n, s in zip(shape, size)]
    box = tuple(slice(a, a + s) for a, s in zip(lo, size))
    label[box] = rng.integers(1, num_classes, size=size)
    return label


def random_binary(rng, shape, p: float | None = None) -> np.ndarray:
    p = rng.uniform(0.05, 0.6) if p is None else p
    return (rng.random(shape) < p).astype(float)


# --------------------------------------------------------------------------------------------------------------
# Exercise 1 — get_sub_volume
# --------------------------------------------------------------------------------------------------------------


def _sub_volume_case(checks: Checks, fn, case: str, image, label, *params) -> None:
    seed = params[-1]
    args = (image, label, *params[:-1], np.random.default_rng(seed))
    try:
        expected = ref.get_sub_volume(image, label, *params[:-1], np.random.default_rng(seed))
    except ValueError:
        expected = None
    # the same call whether or not the case expects an error (see raised_or_returned)
    error, result = raised_or_returned("get_sub_volume", fn, *args, case=case)
    if expected is None:
        checks.that(
            error == "ValueError",
            f"{case}: no patch satisfies the threshold, so a ValueError must be raised (got {error or 'a result'})",
        )
        return
    if not checks.that(error is None, f"{case}: raised {error} although a patch satisfies the threshold"):
        return
    pair = checks.pair(result, case)
    if pair is None:
        return
    array_close(checks, pair[0], expected[0], f"{case} — X", rtol=1e-6, atol=1e-7)  # a float32 copy is fine
    array_close(checks, pair[1], expected[1], f"{case} — y", rtol=0, atol=0)


@hidden_check
def check_get_sub_volume(fn) -> None:
    checks = Checks("get_sub_volume", public=False)
    rng = np.random.default_rng(310)
    # fixed cases: thresholds at ties, strict rejection, num_classes other than 4, uint8 / float32 inputs
    tie = np.zeros((2, 2, 2), dtype=np.uint8)
    tie[1, 1, :] = 2  # 6 of 8 background = 0.75
    tie_image = rng.normal(size=(2, 2, 2, 4))
    _sub_volume_case(checks, fn, "background fraction equal to the threshold", tie_image, tie, 2, 2, 2, 4, 20, 0.75, 0)
    _sub_volume_case(
        checks, fn, "background fraction just below the threshold", tie_image, tie, 2, 2, 2, 4, 20, 0.76, 0
    )
    everywhere = np.full((11, 9, 7), 1, dtype=np.int64)
    _sub_volume_case(
        checks,
        fn,
        "tumour everywhere (the first corner is accepted)",
        rng.normal(size=(11, 9, 7, 4)),
        everywhere,
        5,
        4,
        3,
        4,
        10,
        0.95,
        11,
    )
    _sub_volume_case(
        checks,
        fn,
        "all background (no patch can be accepted)",
        rng.normal(size=(8, 8, 8, 4)),
        np.zeros((8, 8, 8), dtype=np.uint8),
        4,
        4,
        4,
        4,
        30,
        0.95,
        12,
    )
    _sub_volume_case(
        checks,
        fn,
        "patch as large as the volume",
        rng.normal(size=(6, 5, 4, 4)),
        blob_label(rng, (6, 5, 4)),
        6,
        5,
        4,
        4,
        5,
        0.99,
        13,
    )
    # random volumes and parameters: the same generator state must give the same patch
    for i in range(40):
        shape = tuple(int(s) for s in rng.integers(6, 16, size=3))
        out = tuple(int(rng.integers(2, s + 1)) for s in shape)
        num_classes = int(rng.choice([2, 3, 4, 5]))
        label = blob_label(rng, shape, num_classes, tumour=rng.uniform(0.05, 0.5))
        image = rng.normal(size=shape + (4,))
        if i % 3 == 1:
            image = image.astype(np.float32)
        if i % 4 == 2:
            label = label.astype(np.int64)
        threshold = float(rng.choice([0.95, 0.9, 0.8, 0.6, rng.uniform(0.5, 0.99)]))
        _sub_volume_case(
            checks,
            fn,
            f"random volume #{i}",
            image,
            label,
            *out,
            num_classes,
            60,
            threshold,
            int(rng.integers(1_000_000)),
        )
    checks.done()


# --------------------------------------------------------------------------------------------------------------
# Exercise 2 — standardize
# --------------------------------------------------------------------------------------------------------------


def standardize_images(seed: int, count: int):
    """Random images with exactly representable constant slices, all-zero channels and several dtypes."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        shape = tuple(int(s) for s in rng.integers(2, 9, size=3)) + (int(rng.integers(1, 5)),)
        image = rng.normal(loc=rng.uniform(-50, 300), scale=rng.uniform(0.5, 80), size=shape)
        for _ in range(int(rng.integers(0, 3))):  # constant slices: 0 or an exactly representable value
            z, c = int(rng.integers(shape[2])), int(rng.integers(shape[3]))
            image[:, :, z, c] = float(rng.choice([0.0, 7.0, -2.5, 1024.0]))
        if i % 5 == 3:
            image[..., 0] = 0.0  # an empty channel
        if i % 4 == 1:
            image = np.rint(image).astype(np.int16)
        elif i % 4 == 2:
            image = image.astype(np.float32)
        yield image


@hidden_check
def check_standardize(fn) -> None:
    checks = Checks("standardize", public=False)
    tall = np.zeros((3, 4, 6, 2))  # more z-slices than x rows: catches a loop over the wrong axis
    tall[..., 0] = np.arange(72).reshape(3, 4, 6) ** 1.5
    tall[..., 1] = np.random.default_rng(5).normal(size=(3, 4, 6))
    tall[:, :, 2, 1] = 7.0
    fixed = [
        (tall, "an image with more z-slices than rows, one constant slice"),
        (np.full((4, 3, 2, 4), 3.0), "an image that is constant everywhere"),
        (np.arange(2 * 2 * 3 * 2, dtype=np.int16).reshape(2, 2, 3, 2) * 3, "an int16 image"),
        (np.zeros((5, 4, 3, 1)), "a single-channel all-zero image"),
    ]
    cases = fixed + [(img, f"random image #{i}") for i, img in enumerate(standardize_images(320, 30))]
    for image, case in cases:
        array_close(
            checks, call("standardize", fn, image, case=case), ref.standardize(image), case, rtol=1e-5, atol=1e-5
        )
    checks.done()


# --------------------------------------------------------------------------------------------------------------
# Exercises 3-5 — Dice coefficients and the soft Dice loss
# --------------------------------------------------------------------------------------------------------------


def _ref_value(fn, *args, **kwargs) -> float:
    return float(np.asarray(fn(*args, **kwargs)))


def _compare(checks: Checks, name: str, fn, ref_fn, args: tuple, kwargs: dict, case: str) -> None:
    got = scalar_result(checks, run_harness(name, fn, plain_result, args, kwargs, case=case), case)
    if got is not None:
        checks.close_enough(got, _ref_value(ref_fn, *args, **kwargs), case, rtol=1e-5, atol=1e-7)


def dice_cases(seed: int, count: int, *, classes: bool, soft: bool):
    """(args, kwargs, description) for random single-class or multi-class volumes, with and without a batch axis."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        spatial = tuple(int(s) for s in rng.integers(2, 9, size=3))
        batch = classes and i % 3 == 2
        shape = (
            ((int(rng.integers(1, 4)),) if batch else ()) + spatial + ((int(rng.integers(1, 5)),) if classes else ())
        )
        y_true = random_binary(rng, shape)
        y_pred = rng.random(shape) if soft and i % 2 == 0 else random_binary(rng, shape)
        if i % 7 == 3:
            y_true[..., 0] = 0.0  # a class (or the whole volume) without positives
        if i % 5 == 4:
            y_true, y_pred = y_true.astype(np.float32), y_pred.astype(np.float32)
        kwargs = {}
        if batch:
            kwargs["axis"] = (1, 2, 3)
        if i % 4 == 1:
            kwargs["epsilon"] = float(rng.choice([1.0, 0.5, 10.0]))
        yield (y_true, y_pred), kwargs, f"random volumes #{i}" + (" with a batch axis" if batch else "")


@hidden_check
def check_single_class_dice_coefficient(fn) -> None:
    name = "single_class_dice_coefficient"
    checks = Checks(name, public=False)
    empty = np.zeros((4, 3, 2))
    one = np.zeros((4, 3, 2))
    one[1, 1, 1] = 1.0
    fixed = [
        ((empty, empty), {}, "both volumes empty"),
        ((one, empty), {}, "a true voxel that is not predicted"),
        ((empty, one), {"epsilon": 1.0}, "a false-positive voxel, epsilon=1"),
        ((one, one), {"epsilon": 2.0}, "a single shared voxel, epsilon=2"),
        ((one, one * 0.25), {"axis": (0, 1, 2)}, "a probability of 0.25 on the true voxel, axis given"),
    ]
    cases = fixed + list(dice_cases(330, 30, classes=False, soft=True))
    for args, kwargs, case in cases:
        _compare(checks, name, fn, ref.single_class_dice_coefficient, args, kwargs, case)
    checks.done()


@hidden_check
def check_dice_coefficient(fn) -> None:
    name = "dice_coefficient"
    checks = Checks(name, public=False)
    unbalanced_true = np.zeros((4, 4, 2, 3))
    unbalanced_true[..., 0] = 1.0  # a large class ...
    unbalanced_true[0, 0, 0, 1] = 1.0  # ... a one-voxel class ...
    unbalanced_pred = unbalanced_true.copy()
    unbalanced_pred[0, 0, 0, 1] = 0.0  # ... that is missed; the third class is empty
    fixed = [
        ((unbalanced_true, unbalanced_pred), {}, "a large class, a missed one-voxel class and an empty class"),
        ((unbalanced_true, unbalanced_pred), {"epsilon": 1.0}, "the same, epsilon=1"),
        (
            (np.stack([unbalanced_true, unbalanced_pred]), np.stack([unbalanced_pred, unbalanced_pred])),
            {"axis": (1, 2, 3)},
            "a batch of two",
        ),
    ]
    cases = fixed + list(dice_cases(340, 30, classes=True, soft=True))
    for args, kwargs, case in cases:
        _compare(checks, name, fn, ref.dice_coefficient, args, kwargs, case)
    checks.done()


@lru_cache(maxsize=1)
def _reference_training_step() -> dict:
    return keras_training_step(ref.soft_dice_loss, 3)


@hidden_check
def check_soft_dice_loss(fn) -> None:
    name = "soft_dice_loss"
    checks = Checks(name, public=False)
    probs = np.full((3, 3, 2, 2), 0.5)
    truth = np.zeros((3, 3, 2, 2))
    truth[0, :, :, 0] = 1.0
    fixed = [
        ((truth, probs), {}, "probabilities of 0.5 everywhere"),
        ((truth, probs), {"epsilon": 1.0}, "probabilities of 0.5 everywhere, epsilon=1"),
        ((truth, np.zeros_like(probs)), {}, "a prediction of all zeros"),
        ((0.9 * truth + 0.05, probs * 0.8), {}, "soft targets (label smoothing): y_true between 0 and 1"),
        ((np.stack([truth, truth]), np.stack([probs, truth])), {"axis": (1, 2, 3)}, "a batch of two"),
    ]
    cases = fixed + list(dice_cases(350, 30, classes=True, soft=True))
    for args, kwargs, case in cases:
        _compare(checks, name, fn, ref.soft_dice_loss, args, kwargs, case)
    if checks.failures:  # values are wrong already: no need to train
        checks.done()
    case = "training a small 3-D Keras model one step with the loss"
    step = run_harness(name, fn, keras_training_step, 3, case=case)
    expected = _reference_training_step()
    checks.close_enough(step["fit_loss"], expected["fit_loss"], f"{case} — loss during fit", rtol=1e-4, atol=1e-6)
    for k, (got, want) in enumerate(zip(step["update"], expected["update"])):
        array_close(checks, got, want, f"{case} — weight update {k} (the gradient of the loss)", rtol=1e-3, atol=1e-6)
    checks.done()


# --------------------------------------------------------------------------------------------------------------
# Exercise 6 — compute_class_sens_spec
# --------------------------------------------------------------------------------------------------------------


def _sens_spec_case(checks: Checks, fn, pred, label, class_num: int, case: str) -> None:
    pair = checks.pair(call("compute_class_sens_spec", fn, pred, label, class_num, case=case), case)
    if pair is None:
        return
    sensitivity, specificity = ref.compute_class_sens_spec(pred, label, class_num)
    checks.close_enough(to_plain(pair[0]), float(sensitivity), f"{case} — sensitivity")
    checks.close_enough(to_plain(pair[1]), float(specificity), f"{case} — specificity")


@hidden_check
def check_compute_class_sens_spec(fn) -> None:
    checks = Checks("compute_class_sens_spec", public=False)
    rng = np.random.default_rng(360)
    shape = (4, 3, 2, 3)
    none = np.zeros(shape)
    full = np.ones(shape)
    mixed = random_binary(rng, shape, 0.5)
    fixed = [
        (mixed, none, 1, "a label without positives in the channel"),
        (none, full, 2, "a label that is positive everywhere, nothing predicted"),
        (full, full, 0, "everything positive and predicted"),
        (none, none, 0, "nothing positive, nothing predicted"),
        (mixed, mixed, 2, "a perfect prediction"),
        (1 - mixed, mixed, 1, "a prediction that is wrong everywhere"),
    ]
    for pred, label, class_num, case in fixed:
        _sens_spec_case(checks, fn, pred, label, class_num, case)
    for i in range(30):
        shape = tuple(int(s) for s in rng.integers(2, 7, size=3)) + (int(rng.integers(1, 5)),)
        label = random_binary(rng, shape)
        flip = rng.random(shape) < rng.uniform(0.0, 0.5)
        pred = np.where(flip, 1 - label, label)
        if i % 3 == 1:
            pred, label = pred.astype(np.uint8), label.astype(np.uint8)
        elif i % 3 == 2:
            pred, label = pred.astype(np.float32), label.astype(np.float32)
        _sens_spec_case(checks, fn, pred, label, int(rng.integers(shape[-1])), f"random volumes #{i}")
    checks.done()
