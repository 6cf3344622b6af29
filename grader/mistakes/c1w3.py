"""Plausible wrong answers for week C1W3: every one must be rejected by the hidden tests.

Naming: ``<exercise>__<what goes wrong>``. The file is self-contained (NumPy and ``keras.ops`` only, the names of
the notebook's Setup cell), so ``python -m grader test-impl C1W3 NAME grader/mistakes/c1w3.py:OBJ`` runs any of them.
Mistakes of one exercise share a small private skeleton and each changes one step of it, so the difference from a
correct answer is visible at a glance.
"""

import numpy as np
from keras import ops

# --------------------------------------------------------------------------------------------- get_sub_volume
# Each mistake changes one step of the sampler below (draw a corner, one-hot encode, accept, return).


def _sample(
    image, label, out, num_classes, max_tries, rng, *, accept, draw=None, encode=None, finish=None, give_up=None
):
    rng = np.random.default_rng() if rng is None else rng
    draw = draw or (lambda: [rng.integers(0, d - o + 1) for d, o in zip(label.shape, out)])
    encode = encode or (lambda patch: np.eye(num_classes)[patch.astype(int)])
    finish = finish or (lambda X, y: (X, y[..., 1:]))
    for _ in range(max_tries):
        box = tuple(slice(s, s + n) for s, n in zip(draw(), out))
        y = encode(label[box])
        if accept(y):
            return finish(image[box], y)
    if give_up is not None:
        return give_up()
    raise ValueError(f"nothing found in {max_tries} tries")


def get_sub_volume__background_kept(
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
    """Returns the one-hot labels with the background channel still in (num_classes channels)."""
    return _sample(
        image,
        label,
        (output_x, output_y, output_z),
        num_classes,
        max_tries,
        rng,
        accept=lambda y: y[..., 0].mean() < background_threshold,
        finish=lambda X, y: (X, y),
    )


def get_sub_volume__threshold_inclusive(
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
    """Accepts a patch whose background fraction equals the threshold (<= instead of <)."""
    return _sample(
        image,
        label,
        (output_x, output_y, output_z),
        num_classes,
        max_tries,
        rng,
        accept=lambda y: y[..., 0].mean() <= background_threshold,
    )


def get_sub_volume__corner_drawn_z_first(
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
    """Draws the corner in the order z, y, x."""
    rng = np.random.default_rng() if rng is None else rng
    out = (output_x, output_y, output_z)
    return _sample(
        image,
        label,
        out,
        num_classes,
        max_tries,
        rng,
        accept=lambda y: y[..., 0].mean() < background_threshold,
        draw=lambda: [rng.integers(0, d - o + 1) for d, o in zip(label.shape[::-1], out[::-1])][::-1],
    )


def get_sub_volume__corner_range_too_short(
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
    """Draws corners with rng.integers(0, dim - out): the last possible corner is never drawn."""
    rng = np.random.default_rng() if rng is None else rng
    out = (output_x, output_y, output_z)
    return _sample(
        image,
        label,
        out,
        num_classes,
        max_tries,
        rng,
        accept=lambda y: y[..., 0].mean() < background_threshold,
        draw=lambda: [rng.integers(0, max(d - o, 1)) for d, o in zip(label.shape, out)],
    )


def get_sub_volume__corner_from_one(
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
    """Draws corners from 1 (rng.integers(1, dim - out + 1)): the first row, column and slice are never used."""
    rng = np.random.default_rng() if rng is None else rng
    out = (output_x, output_y, output_z)
    return _sample(
        image,
        label,
        out,
        num_classes,
        max_tries,
        rng,
        accept=lambda y: y[..., 0].mean() < background_threshold,
        draw=lambda: [rng.integers(min(1, d - o), d - o + 1) for d, o in zip(label.shape, out)],
    )


def get_sub_volume__global_numpy_random(
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
    """Ignores rng and draws with np.random.randint, so a seeded generator does not reproduce the patch."""
    out = (output_x, output_y, output_z)
    return _sample(
        image,
        label,
        out,
        num_classes,
        max_tries,
        rng,
        accept=lambda y: y[..., 0].mean() < background_threshold,
        draw=lambda: [np.random.randint(0, d - o + 1) for d, o in zip(label.shape, out)],
    )


def get_sub_volume__corner_drawn_once(
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
    """Draws the corner once, before the loop, and then tests the same patch max_tries times."""
    rng = np.random.default_rng() if rng is None else rng
    out = (output_x, output_y, output_z)
    corner = [rng.integers(0, d - o + 1) for d, o in zip(label.shape, out)]
    return _sample(
        image,
        label,
        out,
        num_classes,
        max_tries,
        rng,
        accept=lambda y: y[..., 0].mean() < background_threshold,
        draw=lambda: corner,
    )


def get_sub_volume__fraction_over_all_channels(
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
    """Divides the background count by the size of the whole one-hot array (voxels x classes)."""
    return _sample(
        image,
        label,
        (output_x, output_y, output_z),
        num_classes,
        max_tries,
        rng,
        accept=lambda y: np.sum(y[..., 0]) / y.size < background_threshold,
    )


def get_sub_volume__background_count_not_fraction(
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
    """Compares the number of background voxels (not their fraction) with the threshold."""
    return _sample(
        image,
        label,
        (output_x, output_y, output_z),
        num_classes,
        max_tries,
        rng,
        accept=lambda y: np.sum(y[..., 0]) < background_threshold,
    )


def get_sub_volume__tumour_fraction_tested(
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
    """Compares the tumour fraction (not the background fraction) with the threshold."""
    return _sample(
        image,
        label,
        (output_x, output_y, output_z),
        num_classes,
        max_tries,
        rng,
        accept=lambda y: 1 - y[..., 0].mean() < background_threshold,
    )


def get_sub_volume__channels_first(
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
    """Moves the channels to the front, (C, x, y, z), as some PyTorch code does."""
    return _sample(
        image,
        label,
        (output_x, output_y, output_z),
        num_classes,
        max_tries,
        rng,
        accept=lambda y: y[..., 0].mean() < background_threshold,
        finish=lambda X, y: (np.moveaxis(X, -1, 0), np.moveaxis(y[..., 1:], -1, 0)),
    )


def get_sub_volume__one_hot_hard_coded_4(
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
    """One-hot encodes with 4 classes whatever num_classes says."""
    return _sample(
        image,
        label,
        (output_x, output_y, output_z),
        num_classes,
        max_tries,
        rng,
        accept=lambda y: y[..., 0].mean() < background_threshold,
        encode=lambda patch: np.eye(4)[np.minimum(patch.astype(int), 3)],
    )


def get_sub_volume__returns_none_after_max_tries(
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
    """Prints a message and returns (None, None) instead of raising ValueError when nothing is found."""

    def give_up():
        print(f"Tried {max_tries} times to find a sub-volume. Giving up...")
        return None, None

    return _sample(
        image,
        label,
        (output_x, output_y, output_z),
        num_classes,
        max_tries,
        rng,
        accept=lambda y: y[..., 0].mean() < background_threshold,
        give_up=give_up,
    )


# --------------------------------------------------------------------------------------------- standardize
# Most mistakes change one step of the per-slice loop below.


def _per_slice(image, *, scale=np.std, skip_constant=True, out=None, slices=None):
    out = np.zeros(image.shape) if out is None else out
    slices = slices or (lambda c: [(slice(None), slice(None), z, c) for z in range(image.shape[2])])
    for c in range(image.shape[3]):
        for index in slices(c):
            sl = image[index]
            std = scale(sl)
            if std != 0 or not skip_constant:
                out[index] = (sl - np.mean(sl)) / std
    return out


def standardize__whole_volume(image):
    """Standardizes each channel over the whole volume instead of per z-slice."""
    return _per_slice(image, slices=lambda c: [(Ellipsis, c)])


def standardize__zero_std_gives_nan(image):
    """Divides by the standard deviation even when it is 0 (NaN for constant slices)."""
    return _per_slice(image, skip_constant=False)


def standardize__constant_slice_left_unchanged(image):
    """Starts from a copy of the image and skips constant slices, which keep their original values."""
    return _per_slice(image, out=np.array(image, dtype=float))


def standardize__sample_std(image):
    """Uses the sample standard deviation (ddof=1) instead of NumPy's default."""
    return _per_slice(image, scale=lambda sl: np.std(sl, ddof=1))


def standardize__x_slices(image):
    """Loops over the z-slices but indexes the first axis: image[z, :, :, c]."""
    return _per_slice(
        image, slices=lambda c: [(z, slice(None), slice(None), c) for z in range(min(image.shape[0], image.shape[2]))]
    )


def standardize__y_slices(image):
    """Standardizes the y-slices image[:, z, :, c] instead of the z-slices."""
    return _per_slice(image, slices=lambda c: [(slice(None), z, slice(None), c) for z in range(image.shape[1])])


def standardize__all_channels_together(image):
    """Standardizes each z-slice over all channels at once (one mean and std per slice)."""
    return _per_slice(
        image,
        slices=lambda c: [(slice(None), slice(None), z, slice(None)) for z in range(image.shape[2])] if c == 0 else [],
    )


def standardize__zeros_like_input(image):
    """np.zeros_like(image) keeps an integer image's dtype, so the standardized values are truncated."""
    return _per_slice(image, out=np.zeros_like(image))


def standardize__only_centred(image):
    """Subtracts the mean but forgets to divide by the standard deviation."""
    return _per_slice(image, scale=lambda sl: 1.0)


def standardize__in_place(image):
    """Writes the standardized slices back into the input image (and returns it)."""
    image = image if image.dtype.kind == "f" else image.astype(float)
    return _per_slice(image, out=image)


# --------------------------------------------------------------------------------------------- single_class_dice_coefficient


def single_class_dice_coefficient__epsilon_only_in_numerator(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Adds epsilon to the numerator only."""
    return (2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon) / (
        ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis)
    )


def single_class_dice_coefficient__epsilon_only_in_denominator(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Adds epsilon to the denominator only (empty volumes give 0 instead of 1)."""
    return (
        2.0 * ops.sum(y_true * y_pred, axis=axis) / (ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon)
    )


def single_class_dice_coefficient__factor_two_missing(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Forgets the factor 2 in the numerator."""
    return (ops.sum(y_true * y_pred, axis=axis) + epsilon) / (
        ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon
    )


def single_class_dice_coefficient__squares_in_denominator(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Uses the soft-Dice denominator (squares), which differs for probabilities."""
    return (2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon) / (
        ops.sum(y_true**2, axis=axis) + ops.sum(y_pred**2, axis=axis) + epsilon
    )


def single_class_dice_coefficient__jaccard(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Computes intersection over union (Jaccard index) instead of Dice."""
    intersection = ops.sum(y_true * y_pred, axis=axis)
    union = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) - intersection
    return (intersection + epsilon) / (union + epsilon)


def single_class_dice_coefficient__epsilon_ignored(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Hard-codes 1e-5 instead of using the epsilon argument."""
    return (2.0 * ops.sum(y_true * y_pred, axis=axis) + 1e-5) / (
        ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + 1e-5
    )


def single_class_dice_coefficient__means_instead_of_sums(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Uses means over the volume instead of sums, which changes the weight of epsilon."""
    return (2.0 * ops.mean(y_true * y_pred, axis=axis) + epsilon) / (
        ops.mean(y_true, axis=axis) + ops.mean(y_pred, axis=axis) + epsilon
    )


# --------------------------------------------------------------------------------------------- dice_coefficient


def dice_coefficient__one_dice_over_all_classes(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Sums over the classes too: one pooled Dice instead of the mean of per-class Dice values."""
    return (2.0 * ops.sum(y_true * y_pred) + epsilon) / (ops.sum(y_true) + ops.sum(y_pred) + epsilon)


def dice_coefficient__per_class_values_returned(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Returns the per-class Dice values without taking their mean."""
    return (2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon) / (
        ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon
    )


def dice_coefficient__ratio_of_means(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Averages numerators and denominators over the classes first, then divides."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon
    return ops.mean(numerator) / ops.mean(denominator)


def dice_coefficient__axis_ignored(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Always sums over (0, 1, 2), which is wrong for a batch with axis=(1, 2, 3)."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=(0, 1, 2)) + epsilon
    denominator = ops.sum(y_true, axis=(0, 1, 2)) + ops.sum(y_pred, axis=(0, 1, 2)) + epsilon
    return ops.mean(numerator / denominator)


def dice_coefficient__epsilon_only_in_numerator(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Adds epsilon to the numerator only."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis)
    return ops.mean(numerator / denominator)


def dice_coefficient__squares_in_denominator(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Uses the soft-Dice denominator (squares), which differs for probabilities."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true**2, axis=axis) + ops.sum(y_pred**2, axis=axis) + epsilon
    return ops.mean(numerator / denominator)


def dice_coefficient__first_channel_dropped(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Drops channel 0 as if it were the background, although the background is already gone."""
    y_true, y_pred = y_true[..., 1:], y_pred[..., 1:]
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon
    return ops.mean(numerator / denominator)


def dice_coefficient__mean_over_first_remaining_axis(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Averages over the first remaining axis only: right without a batch, a vector with one."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon
    return ops.mean(numerator / denominator, axis=0)


def dice_coefficient__epsilon_only_in_denominator(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Adds epsilon to the denominator only: an empty class scores 0 instead of 1."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis)
    denominator = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon
    return ops.mean(numerator / denominator)


# --------------------------------------------------------------------------------------------- soft_dice_loss


def soft_dice_loss__squares_missing(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Leaves out the squares in the denominator (1 - the ordinary Dice coefficient)."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + epsilon
    return 1.0 - ops.mean(numerator / denominator)


def soft_dice_loss__epsilon_only_in_numerator(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Adds epsilon to the numerator only."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true**2, axis=axis) + ops.sum(y_pred**2, axis=axis)
    return 1.0 - ops.mean(numerator / denominator)


def soft_dice_loss__returns_dice(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Returns the soft Dice coefficient itself, not 1 minus it."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true**2, axis=axis) + ops.sum(y_pred**2, axis=axis) + epsilon
    return ops.mean(numerator / denominator)


def soft_dice_loss__one_dice_over_all_classes(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Sums over every axis, classes included, instead of averaging per-class values."""
    numerator = 2.0 * ops.sum(y_true * y_pred) + epsilon
    denominator = ops.sum(y_true**2) + ops.sum(y_pred**2) + epsilon
    return 1.0 - numerator / denominator


def soft_dice_loss__square_of_sums(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Squares the sums instead of summing the squares."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true, axis=axis) ** 2 + ops.sum(y_pred, axis=axis) ** 2 + epsilon
    return 1.0 - ops.mean(numerator / denominator)


def soft_dice_loss__numpy(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Written with NumPy: right on arrays, but it cannot run inside a compiled Keras model."""
    numerator = 2.0 * np.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = np.sum(np.square(y_true), axis=axis) + np.sum(np.square(y_pred), axis=axis) + epsilon
    return 1.0 - np.mean(numerator / denominator)


def soft_dice_loss__axis_ignored(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Always sums over (0, 1, 2), which is wrong for a batch with axis=(1, 2, 3)."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=(0, 1, 2)) + epsilon
    denominator = ops.sum(y_true**2, axis=(0, 1, 2)) + ops.sum(y_pred**2, axis=(0, 1, 2)) + epsilon
    return 1.0 - ops.mean(numerator / denominator)


def soft_dice_loss__mean_over_last_axis_only(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Averages over the classes only, leaving one loss per sample of a batch."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true**2, axis=axis) + ops.sum(y_pred**2, axis=axis) + epsilon
    return 1.0 - ops.mean(numerator / denominator, axis=-1)


def soft_dice_loss__thresholded_prediction(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Rounds the probabilities to 0/1 first: right on binary predictions, but no gradient can flow."""
    y_pred = ops.round(y_pred)
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true**2, axis=axis) + ops.sum(y_pred**2, axis=axis) + epsilon
    return 1.0 - ops.mean(numerator / denominator)


def soft_dice_loss__square_only_prediction(y_true, y_pred, axis=(0, 1, 2), epsilon=1e-5):
    """Squares y_pred but not y_true in the denominator: right for 0/1 targets only, not for soft targets."""
    numerator = 2.0 * ops.sum(y_true * y_pred, axis=axis) + epsilon
    denominator = ops.sum(y_true, axis=axis) + ops.sum(y_pred**2, axis=axis) + epsilon
    return 1.0 - ops.mean(numerator / denominator)


# --------------------------------------------------------------------------------------------- compute_class_sens_spec


def _counts(pred, label):
    tp = np.sum((pred == 1) & (label == 1))
    tn = np.sum((pred == 0) & (label == 0))
    fp = np.sum((pred == 1) & (label == 0))
    fn = np.sum((pred == 0) & (label == 1))
    return tp, tn, fp, fn


def _ratio(numerator, denominator, undefined=np.nan):
    return numerator / denominator if denominator > 0 else undefined


def compute_class_sens_spec__swapped(pred, label, class_num):
    """Returns (specificity, sensitivity)."""
    tp, tn, fp, fn = _counts(pred[..., class_num], label[..., class_num])
    return _ratio(tn, tn + fp), _ratio(tp, tp + fn)


def compute_class_sens_spec__channel_off_by_one(pred, label, class_num):
    """Uses channel class_num + 1, as if the background channel were still there (wrapping at the end)."""
    k = (class_num + 1) % pred.shape[-1]
    tp, tn, fp, fn = _counts(pred[..., k], label[..., k])
    return _ratio(tp, tp + fn), _ratio(tn, tn + fp)


def compute_class_sens_spec__channels_first_indexing(pred, label, class_num):
    """Indexes the first axis (pred[class_num]), as for channels-first arrays."""
    tp, tn, fp, fn = _counts(pred[class_num], label[class_num])
    return _ratio(tp, tp + fn), _ratio(tn, tn + fp)


def compute_class_sens_spec__ppv_as_sensitivity(pred, label, class_num):
    """Computes TP / (TP + FP) (the positive predictive value) as sensitivity."""
    tp, tn, fp, fn = _counts(pred[..., class_num], label[..., class_num])
    return _ratio(tp, tp + fp), _ratio(tn, tn + fp)


def compute_class_sens_spec__npv_as_specificity(pred, label, class_num):
    """Computes TN / (TN + FN) (the negative predictive value) as specificity."""
    tp, tn, fp, fn = _counts(pred[..., class_num], label[..., class_num])
    return _ratio(tp, tp + fn), _ratio(tn, tn + fn)


def compute_class_sens_spec__zero_when_undefined(pred, label, class_num):
    """Returns 0 instead of nan when a denominator is 0."""
    tp, tn, fp, fn = _counts(pred[..., class_num], label[..., class_num])
    return _ratio(tp, tp + fn, 0.0), _ratio(tn, tn + fp, 0.0)


def compute_class_sens_spec__pred_and_label_swapped(pred, label, class_num):
    """Treats pred as the truth and label as the prediction."""
    tp, tn, fp, fn = _counts(label[..., class_num], pred[..., class_num])
    return _ratio(tp, tp + fn), _ratio(tn, tn + fp)


def compute_class_sens_spec__python_int_division(pred, label, class_num):
    """Converts the counts to Python ints and divides: a zero denominator raises ZeroDivisionError."""
    tp, tn, fp, fn = (int(v) for v in _counts(pred[..., class_num], label[..., class_num]))
    return tp / (tp + fn), tn / (tn + fp)


def compute_class_sens_spec__all_channels(pred, label, class_num):
    """Ignores class_num and counts over every channel at once."""
    tp, tn, fp, fn = _counts(pred, label)
    return _ratio(tp, tp + fn), _ratio(tn, tn + fp)
