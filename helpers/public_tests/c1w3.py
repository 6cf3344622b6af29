"""Public tests for week C1W3 (brain-tumour segmentation). Each prints 'All tests passed.' or raises with a clear message.

Arrays are channels-last: an image is (X, Y, Z, channels), a label volume (X, Y, Z), a one-hot or binary volume
(X, Y, Z, classes), with a leading batch axis where there is one. The small volumes below are worked by hand in the
comments, so a learner can follow every expected number.

The harness functions (``plain_result``, ``keras_training_step``) run next to the learner's code
and return plain data (see ``helpers.public_tests.framework``); the hidden tests use them too.
"""

from __future__ import annotations

import numbers

import numpy as np

from helpers.public_tests.framework import Checks, call, raised_or_returned, run_harness

# --------------------------------------------------------------------------------------------------------------
# Harnesses (run beside the learner's function; plain data out)
# --------------------------------------------------------------------------------------------------------------


def to_plain(value):
    """Keras/TensorFlow/PyTorch tensors become NumPy arrays (recursively in tuples and lists); the rest is unchanged."""
    if isinstance(value, (np.ndarray, np.generic, numbers.Number, str, bytes)) or value is None:
        return value
    if isinstance(value, (tuple, list)):
        return type(value)(to_plain(v) for v in value)
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu()
    if hasattr(value, "__array__"):
        return np.asarray(value)
    return value


def plain_result(fn, args: tuple, kwargs: dict | None = None):
    """Harness: ``fn(*args, **kwargs)`` with any tensor in the result converted to a NumPy array."""
    return to_plain(fn(*args, **(kwargs or {})))


def keras_training_step(fn, seed: int = 0) -> dict:
    """Harness: train a tiny 3-D model one step with ``fn(y_true, y_pred, axis=(1, 2, 3))`` as its loss.

    The model is one 1x1x1 convolution with a sigmoid (3 tumour channels) on a batch of 2 random 4x4x4 volumes
    with 2 channels, with fixed starting weights, compiled (graph mode, no XLA) with plain SGD (learning rate 1).
    Returns the loss Keras reports for the step, the loss ``fn`` gives eagerly on the same predictions before the
    step, and the change of the weights made by the step (which is the learning rate times the loss's gradient).
    """
    import keras

    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, 4, 4, 4, 2)).astype("float32")
    y = np.eye(4, dtype="float32")[rng.integers(0, 4, size=(2, 4, 4, 4))][..., 1:]
    start = [(0.8 * rng.normal(size=(1, 1, 1, 2, 3))).astype("float32"), (0.3 * rng.normal(size=3)).astype("float32")]
    inputs = keras.Input((4, 4, 4, 2))
    model = keras.Model(inputs, keras.layers.Conv3D(3, 1, activation="sigmoid")(inputs))
    model.set_weights(start)
    eager_loss = to_plain(fn(y, np.asarray(model(x)), axis=(1, 2, 3)))
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=1.0), loss=lambda t, p: fn(t, p, axis=(1, 2, 3)), jit_compile=False
    )
    try:
        fit_loss = model.train_on_batch(x, y)
    except NotImplementedError as err:
        if not str(err):
            raise
        raise RuntimeError(
            f"it cannot run inside a compiled Keras model ({err}). Inside model.fit the arguments are symbolic "
            "tensors, which NumPy functions cannot handle: use keras.ops (ops.sum, ops.mean, ...) instead of np."
        ) from None
    update = [(after - before).tolist() for after, before in zip(model.get_weights(), start)]
    return {
        "fit_loss": float(np.asarray(fit_loss).reshape(-1)[0]),
        "eager_loss": np.asarray(eager_loss, dtype=float).tolist(),
        "update": update,
    }


# --------------------------------------------------------------------------------------------------------------
# Helpers shared with the hidden tests
# --------------------------------------------------------------------------------------------------------------


def array_close(
    checks: Checks, got, expected, case: str, *, rtol: float = 1e-6, atol: float = 1e-9, hint: str = ""
) -> bool:
    """Compare an n-dimensional answer (array, list, tensor) with ``expected``: shape first, then values."""
    expected = np.asarray(expected, dtype=float)
    try:
        arr = np.asarray(to_plain(got), dtype=float)
    except (TypeError, ValueError):
        return checks.that(False, f"{case}: the result must be an array of numbers, got {type(got).__name__}")
    suffix = f" ({hint})" if hint else ""
    if arr.shape != expected.shape:
        shown = f"expected shape {expected.shape}, got {arr.shape}" if checks.public else f"wrong shape {arr.shape}"
        return checks.that(False, f"{case}: {shown}{suffix}")
    close = np.isclose(arr, expected, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return checks.that(True, "")
    if checks.public:
        where = tuple(int(i) for i in np.argwhere(~close)[0])
        message = f"{case}: at index {where} expected {expected[where]:.6g}, got {arr[where]:.6g}"
    else:
        message = f"{case}: wrong values ({int((~close).sum())} of {close.size} differ)"
    return checks.that(False, message + suffix)


def scalar_result(checks: Checks, value, case: str):
    """A learner's scalar answer (Python/NumPy number, 0-d or size-1 array or tensor) as float, or None."""
    value = to_plain(value)
    if isinstance(value, np.ndarray) and value.size != 1:
        checks.that(
            False,
            f"{case}: the result must be a single number (a scalar), got an array of shape "
            f"{value.shape} — take the mean over what remains after the sums",
        )
        return None
    return checks.scalar(value, case)


def one_hot(labels, num_classes: int) -> np.ndarray:
    """One-hot encode integer labels along a new last axis (float64)."""
    return np.eye(num_classes)[np.asarray(labels, dtype=int)]


# --------------------------------------------------------------------------------------------------------------
# Exercise 1 — get_sub_volume
# --------------------------------------------------------------------------------------------------------------


def _coordinate_image(shape) -> np.ndarray:
    """(X, Y, Z, 4) image whose channels hold x, y, z and a distinct voxel number: a patch shows where it came from."""
    grid = np.indices(shape).astype(float)
    number = np.arange(int(np.prod(shape)), dtype=float).reshape(shape)
    return np.stack([grid[0], grid[1], grid[2], number], axis=-1)


def test_get_sub_volume(get_sub_volume) -> None:
    name = "get_sub_volume"
    checks = Checks(name)
    shape = (9, 8, 7)
    image = _coordinate_image(shape)

    # A label that is tumour everywhere: the first patch drawn is accepted, so its corner is the first three draws.
    label = np.full(shape, 2)
    rng = np.random.default_rng(4)
    corner = [int(rng.integers(0, dim - out + 1)) for dim, out in zip(shape, (4, 3, 2))]
    case = "tumour everywhere, 4x3x2 patch, rng=np.random.default_rng(4)"
    pair = checks.pair(
        call(name, get_sub_volume, image, label, 4, 3, 2, 4, 10, 0.95, np.random.default_rng(4), case=case), case
    )
    if pair is not None:
        X, y = pair
        box = tuple(slice(c, c + n) for c, n in zip(corner, (4, 3, 2)))
        array_close(
            checks,
            X,
            image[box],
            f"{case} — X",
            hint=f"the corner is (x, y, z) = {tuple(corner)}: draw x, then y, then z with "
            "rng.integers(0, dim - out + 1)",
        )
        array_close(
            checks,
            y,
            one_hot(label[box], 4)[..., 1:],
            f"{case} — y",
            hint="one-hot encode the label patch and drop the background channel 0",
        )

    # Only the far corner holds tumour: the only acceptable 2x2x2 patch is image[7:9, 6:8, 5:7] (7 of its 8 voxels
    # are background, 0.875 < 0.95); every other patch is all background (1.0) and must be rejected.
    label = np.zeros(shape, dtype=np.uint8)
    label[8, 7, 6] = 3
    case = "tumour in one corner voxel only, 2x2x2 patch"
    pair = checks.pair(
        call(name, get_sub_volume, image, label, 2, 2, 2, 4, 1000, 0.95, np.random.default_rng(0), case=case), case
    )
    if pair is not None:
        X, y = pair
        array_close(
            checks,
            X,
            image[7:9, 6:8, 5:7],
            f"{case} — X",
            hint="keep drawing new corners until a patch has less background than the threshold",
        )
        array_close(checks, y, one_hot(label[7:9, 6:8, 5:7], 4)[..., 1:], f"{case} — y")

    # num_classes=3: labels 0, 1, 2 -> y has 2 channels
    label3 = np.indices(shape).sum(0) % 3
    case = "num_classes=3, labels 0-2 everywhere"
    pair = checks.pair(
        call(name, get_sub_volume, image, label3, 3, 3, 3, 3, 10, 0.95, np.random.default_rng(1), case=case), case
    )
    if pair is not None:
        checks.that(
            np.shape(to_plain(pair[1])) == (3, 3, 3, 2),
            f"{case}: y must have shape (3, 3, 3, 2) (num_classes - 1 channels), got {np.shape(pair[1])}",
        )

    # A patch whose background fraction equals the threshold is rejected: 6 of 8 voxels background = 0.75.
    label = np.zeros((2, 2, 2), dtype=int)
    label[0, 0, :] = 1
    small = _coordinate_image((2, 2, 2))
    case = "background fraction exactly at the threshold (6 of 8 voxels, background_threshold=0.75, max_tries=5)"
    error, message = raised_or_returned(
        name, get_sub_volume, small, label, 2, 2, 2, 4, 5, 0.75, np.random.default_rng(0), case=case
    )
    if checks.that(
        error == "ValueError",
        f"{case}: expected a ValueError (accept a patch only when its background fraction is strictly "
        f"below the threshold), got {error or 'a result'}",
    ):
        checks.that(
            "5" in message,
            f"{case}: the error message should say what was tried, e.g. the number of tries (5); got {message!r}",
        )
    case = "the same volume with background_threshold=0.8"
    pair = checks.pair(
        call(name, get_sub_volume, small, label, 2, 2, 2, 4, 5, 0.8, np.random.default_rng(0), case=case), case
    )
    if pair is not None:
        array_close(checks, pair[0], small, f"{case} — X")

    # default sizes and a default random generator
    big = np.random.default_rng(2).normal(size=(70, 66, 40, 4)).astype(np.float32)
    label = np.ones((70, 66, 40), dtype=np.uint8)
    case = "default output size on a 70x66x40 volume, rng not given"
    pair = checks.pair(call(name, get_sub_volume, big, label, case=case), case)
    if pair is not None:
        X, y = (np.asarray(to_plain(v)) for v in pair)
        checks.that(X.shape == (64, 64, 32, 4), f"{case}: X must have shape (64, 64, 32, 4), got {X.shape}")
        checks.that(y.shape == (64, 64, 32, 3), f"{case}: y must have shape (64, 64, 32, 3), got {y.shape}")
    checks.done()


# --------------------------------------------------------------------------------------------------------------
# Exercise 2 — standardize
# --------------------------------------------------------------------------------------------------------------


def test_standardize(standardize) -> None:
    name = "standardize"
    checks = Checks(name)
    # channel 0, slice z=0 holds 1..6: mean 3.5, standard deviation sqrt(35/12) (NumPy's default, ddof=0)
    image = np.zeros((3, 2, 2, 2))
    image[:, :, 0, 0] = np.arange(1, 7).reshape(3, 2)
    image[:, :, 1, 0] = 4.0  # a constant slice: standard deviation 0 -> all zeros
    image[:, :, 0, 1] = [[0, 0], [0, 0], [0, 12]]  # mean 2, std sqrt(20) -> -2/sqrt(20) and 10/sqrt(20)
    image[:, :, 1, 1] = np.arange(6).reshape(3, 2) * 10.0 + 100.0  # mean 125, std 10 * sqrt(35/12)
    expected = np.zeros_like(image)
    expected[:, :, 0, 0] = (np.arange(1, 7).reshape(3, 2) - 3.5) / np.sqrt(35 / 12)
    expected[:, :, 0, 1] = (np.array([[0, 0], [0, 0], [0, 12]]) - 2.0) / np.sqrt(20)
    expected[:, :, 1, 1] = (np.arange(6).reshape(3, 2) - 2.5) / np.sqrt(35 / 12)
    case = "a 3x2x2 image with 2 channels (one constant slice)"
    array_close(
        checks,
        call(name, standardize, image, case=case),
        expected,
        case,
        rtol=1e-6,
        atol=1e-6,
        hint="standardize each slice image[:, :, z, c] on its own; a slice whose standard deviation is 0 "
        "becomes all zeros",
    )
    case = "the same image as float32"
    array_close(
        checks, call(name, standardize, image.astype(np.float32), case=case), expected, case, rtol=1e-5, atol=1e-5
    )
    case = "the same image as int16 (the result must be float)"
    array_close(
        checks,
        call(name, standardize, image.astype(np.int16), case=case),
        expected,
        case,
        rtol=1e-6,
        atol=1e-6,
        hint="start from a float array, e.g. np.zeros(image.shape)",
    )
    zeros = np.zeros((4, 3, 2, 4))
    case = "an all-zero image (every slice has standard deviation 0)"
    array_close(
        checks,
        call(name, standardize, zeros, case=case),
        zeros,
        case,
        hint="a slice whose standard deviation is 0 becomes all zeros, not NaN",
    )
    checks.done()


# --------------------------------------------------------------------------------------------------------------
# Exercises 3-5 — Dice coefficients and the soft Dice loss
# --------------------------------------------------------------------------------------------------------------

# Two 3x2x1 single-class volumes: y_true has 3 voxels, y_pred 2, they share 1.
Y_TRUE = np.array([[1, 1], [1, 0], [0, 0]], dtype=float)[..., None]
Y_PRED = np.array([[1, 0], [0, 0], [0, 1]], dtype=float)[..., None]


def _scalar_case(
    checks: Checks,
    name: str,
    fn,
    args: tuple,
    kwargs: dict,
    expected: float,
    case: str,
    *,
    rtol: float = 1e-6,
    hint: str = "",
) -> None:
    got = scalar_result(checks, run_harness(name, fn, plain_result, args, kwargs, case=case), case)
    if got is not None:
        checks.close_enough(got, expected, case, rtol=rtol, atol=1e-9, hint=hint)


def test_single_class_dice_coefficient(single_class_dice_coefficient) -> None:
    name = "single_class_dice_coefficient"
    checks = Checks(name)
    eps = 1e-5
    _scalar_case(
        checks,
        name,
        single_class_dice_coefficient,
        (Y_TRUE, Y_PRED),
        {},
        (2 * 1 + eps) / (3 + 2 + eps),
        "3 true voxels, 2 predicted, 1 shared: (2*1 + eps) / (3 + 2 + eps)",
    )
    _scalar_case(checks, name, single_class_dice_coefficient, (Y_TRUE, Y_TRUE), {}, 1.0, "a perfect prediction")
    empty = np.zeros_like(Y_TRUE)
    _scalar_case(
        checks,
        name,
        single_class_dice_coefficient,
        (empty, empty),
        {},
        1.0,
        "both volumes empty: eps / eps = 1",
        hint="add epsilon to the numerator and to the denominator",
    )
    _scalar_case(
        checks,
        name,
        single_class_dice_coefficient,
        (Y_TRUE, Y_PRED),
        {"epsilon": 1.0},
        (2 * 1 + 1) / (3 + 2 + 1),
        "epsilon=1: (2*1 + 1) / (3 + 2 + 1)",
        hint="use the epsilon argument",
    )
    soft = np.array([[0.5, 0.25], [1, 0], [0, 0.75]], dtype=np.float32)[..., None]
    _scalar_case(
        checks,
        name,
        single_class_dice_coefficient,
        (Y_TRUE.astype(np.float32), soft),
        {},
        (2 * 1.75 + eps) / (3 + 2.5 + eps),
        "float32 probabilities: (2*1.75 + eps) / (3 + 2.5 + eps)",
        rtol=1e-5,
    )
    checks.done()


def _two_class_volumes():
    """Channels-last (3, 2, 1, 2) volumes: class 0 is Y_TRUE / Y_PRED; class 1 has 2 true voxels, 1 predicted, 1 shared."""
    class_1_true = np.array([[1, 0], [0, 0], [0, 1]], dtype=float)[..., None]
    class_1_pred = np.array([[1, 0], [0, 0], [0, 0]], dtype=float)[..., None]
    return np.stack([Y_TRUE, class_1_true], axis=-1), np.stack([Y_PRED, class_1_pred], axis=-1)


def test_dice_coefficient(dice_coefficient) -> None:
    name = "dice_coefficient"
    checks = Checks(name)
    eps = 1e-5
    y_true, y_pred = _two_class_volumes()
    class_0 = (2 * 1 + eps) / (3 + 2 + eps)
    class_1 = (2 * 1 + eps) / (2 + 1 + eps)
    _scalar_case(
        checks,
        name,
        dice_coefficient,
        (y_true, y_pred),
        {},
        (class_0 + class_1) / 2,
        "2 classes with Dice 0.4 and 0.667: their mean",
        hint="sum over axis separately for each class (the last axis), then take the mean",
    )
    _scalar_case(
        checks,
        name,
        dice_coefficient,
        (y_true, y_pred),
        {"epsilon": 1.0},
        ((2 + 1) / (5 + 1) + (2 + 1) / (3 + 1)) / 2,
        "the same volumes with epsilon=1",
    )
    batch_true, batch_pred = np.stack([y_true, y_true]), np.stack([y_pred, y_true])
    _scalar_case(
        checks,
        name,
        dice_coefficient,
        (batch_true, batch_pred),
        {"axis": (1, 2, 3)},
        (class_0 + class_1 + 1 + 1) / 4,
        "a batch of 2 with axis=(1, 2, 3): the mean over 2 samples x 2 classes",
        hint="sum over the axis you are given and take the mean over everything that remains",
    )
    checks.done()


def test_soft_dice_loss(soft_dice_loss) -> None:
    name = "soft_dice_loss"
    checks = Checks(name)
    eps = 1e-5
    # y_true holds 3 voxels, where p is 0.5, 0 and 0.25: sum(y*p) = 0.75, sum(y^2) = 3,
    # sum(p^2) = 0.25 + 0.0625 + 0.25 + 0.0625 = 0.625
    y_true = Y_TRUE[:, :, :, None]
    probs = np.array([[0.5, 0.0], [0.25, 0.0], [0.5, 0.25]])[:, :, None, None]
    expected = 1 - (2 * 0.75 + eps) / (3 + 0.625 + eps)
    _scalar_case(
        checks,
        name,
        soft_dice_loss,
        (y_true, probs),
        {},
        expected,
        "one class of probabilities: 1 - (2*0.75 + eps) / (3 + 0.625 + eps)",
        hint="square y_true and y_pred in the denominator",
    )
    _scalar_case(checks, name, soft_dice_loss, (y_true, y_true), {}, 0.0, "a perfect prediction: loss 0")
    y2_true, y2_pred = _two_class_volumes()
    class_1 = (2 * 1 + 1.0) / (2 + 1 + 1.0)
    class_0 = (2 * 1 + 1.0) / (3 + 2 + 1.0)
    _scalar_case(
        checks,
        name,
        soft_dice_loss,
        (y2_true, y2_pred),
        {"epsilon": 1.0},
        1 - (class_0 + class_1) / 2,
        "2 binary classes, epsilon=1: 1 - the mean of the two soft Dice coefficients",
    )
    batch_true, batch_pred = np.stack([y2_true, y2_true]), np.stack([y2_pred, y2_true])
    _scalar_case(
        checks,
        name,
        soft_dice_loss,
        (batch_true, batch_pred),
        {"axis": (1, 2, 3), "epsilon": 1.0},
        1 - (class_0 + class_1 + 1 + 1) / 4,
        "a batch of 2 with axis=(1, 2, 3) and epsilon=1",
    )
    if not checks.failures:
        case = "training a tiny 3-D Keras model one step with your loss (axis=(1, 2, 3))"
        step = run_harness(name, soft_dice_loss, keras_training_step, 0, case=case)
        checks.close_enough(
            step["fit_loss"],
            float(np.asarray(step["eager_loss"]).reshape(-1)[0]),
            case,
            rtol=1e-4,
            hint="the loss inside model.fit must equal your function's value",
        )
        moved = max(abs(v) for w in step["update"] for v in np.ravel(w))
        checks.that(
            moved > 1e-6,
            f"{case}: the weights did not change — the loss must be differentiable "
            "(no rounding, thresholding or NumPy conversion of y_pred)",
        )
    checks.done()


# --------------------------------------------------------------------------------------------------------------
# Exercise 6 — compute_class_sens_spec
# --------------------------------------------------------------------------------------------------------------


def test_compute_class_sens_spec(compute_class_sens_spec) -> None:
    name = "compute_class_sens_spec"
    checks = Checks(name)
    # channel 1 of 2x2x2 volumes with 2 channels: TP = 2, FN = 1, FP = 1, TN = 4
    label = np.zeros((2, 2, 2, 2))
    pred = np.zeros((2, 2, 2, 2))
    label[0, 0, 0, 1] = label[0, 1, 0, 1] = label[1, 1, 1, 1] = 1  # 3 positives
    pred[0, 0, 0, 1] = pred[0, 1, 0, 1] = pred[1, 0, 0, 1] = 1  # 2 of them found, 1 false positive
    label[..., 0] = 1  # channel 0: everything positive
    cases = [
        (1, 2 / 3, 4 / 5, "class_num=1: TP 2, FN 1, FP 1, TN 4"),
        (0, 0.0, np.nan, "class_num=0: every voxel positive, nothing predicted (specificity undefined: nan)"),
    ]
    for class_num, sens, spec, case in cases:
        pair = checks.pair(call(name, compute_class_sens_spec, pred, label, class_num, case=case), case)
        if pair is None:
            continue
        checks.close_enough(to_plain(pair[0]), sens, f"{case} — sensitivity", hint="TP / (TP + FN)")
        checks.close_enough(
            to_plain(pair[1]), spec, f"{case} — specificity", hint="TN / (TN + FP); nan when there is no negative voxel"
        )
    case = "a class absent from the label (sensitivity undefined: nan)"
    empty = np.zeros((2, 2, 2, 1))
    pair = checks.pair(call(name, compute_class_sens_spec, empty, empty, 0, case=case), case)
    if pair is not None:
        checks.close_enough(
            to_plain(pair[0]),
            np.nan,
            f"{case} — sensitivity",
            hint="return np.nan when TP + FN is 0, do not divide by 0",
        )
        checks.close_enough(to_plain(pair[1]), 1.0, f"{case} — specificity")
    checks.done()


__all__ = [
    "test_get_sub_volume",
    "test_standardize",
    "test_single_class_dice_coefficient",
    "test_dice_coefficient",
    "test_soft_dice_loss",
    "test_compute_class_sens_spec",
    "plain_result",
    "keras_training_step",
    "to_plain",
    "array_close",
    "scalar_result",
    "one_hot",
]
