"""Training and inference for the 3-D U-Net of C1W3: normalisation, patch sampling, training, whole-volume inference.

This is the one training path for brain-tumour segmentation: the C1W3 notebook, the tests and
``benchmarks/bench_brain_unet.py`` all call it. Images are channels-last, ``(X, Y, Z, 4)`` in the order of the
Medical Segmentation Decathlon (MSD) Task01: FLAIR, T1w, T1gd, T2w; label volumes are ``(X, Y, Z)`` with
0 background, 1 edema, 2 non-enhancing tumour core, 3 enhancing tumour (see :mod:`helpers.data.brain`).

Keras is imported inside the functions that need it, so importing this module stays cheap.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np

__all__ = ["normalize_brain", "sample_patch", "patch_batches", "dice_and_cross_entropy", "train_unet", "predict_volume"]


# --------------------------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------------------------


def normalize_brain(image: np.ndarray) -> np.ndarray:
    """Z-score every channel over the brain voxels; the background outside the brain stays 0.

    Parameters
    ----------
    image : ndarray of shape (X, Y, Z, n_channels)
        A skull-stripped multi-contrast volume: voxels outside the brain are 0 in every channel (as in BraTS and
        in the course's phantoms).

    Returns
    -------
    ndarray of float32, same shape
        For each channel, ``(v - mean) / std`` over the voxels where any channel is non-zero; 0 elsewhere.

    Raises
    ------
    ValueError
        If ``image`` is not 4-D or holds no non-zero voxel.

    Notes
    -----
    Unlike a per-slice standardisation, the statistics do not depend on how much background a slice or a patch
    holds, so a patch cut from a normalised volume looks the same to the network as the same region of a whole
    normalised volume at inference. MRI intensities have no absolute unit (scanner gain varies between cases),
    hence one normalisation per case and channel.
    """
    image = np.asarray(image)
    if image.ndim != 4:
        raise ValueError(f"image must be 4-D (X, Y, Z, channels), got shape {image.shape}")
    brain = np.any(image != 0, axis=-1)
    if not brain.any():
        raise ValueError("image has no non-zero voxel: nothing to normalise (is it an empty or padded volume?)")
    out = np.zeros(image.shape, dtype=np.float32)
    for c in range(image.shape[-1]):
        values = image[..., c][brain].astype(np.float64)
        out[..., c][brain] = (values - values.mean()) / (values.std() + 1e-6)
    return out


# --------------------------------------------------------------------------------------------------------------
# Patch sampling
# --------------------------------------------------------------------------------------------------------------


def sample_patch(
    image: np.ndarray,
    label: np.ndarray,
    size: Sequence[int] = (64, 64, 64),
    *,
    rng: np.random.Generator,
    p_tumour: float = 0.5,
    flip: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut one training patch: centred near the tumour with probability ``p_tumour``, else anywhere in the brain.

    Parameters
    ----------
    image : ndarray of shape (X, Y, Z, n_channels)
        A normalised volume (see :func:`normalize_brain`).
    label : ndarray of shape (X, Y, Z)
        Integer labels, 0 for background.
    size : three ints
        Patch size in voxels; a volume smaller than the patch along an axis is zero-padded.
    rng : numpy.random.Generator
        Source of randomness (the patch depends only on it and the inputs).
    p_tumour : float
        Probability that the patch centre is a tumour voxel shifted by up to 16 voxels per axis; otherwise the
        centre is a random brain voxel. With 0.5 the class balance of the patches stays close enough to that of
        whole volumes that the network does not over-segment edema (see ``docs/BENCHMARKS.md``).
    flip : bool
        Mirror the patch left-right (axis 0) with probability 1/2, a plausible anatomical augmentation.

    Returns
    -------
    x : ndarray of shape (*size, n_channels)
    y : ndarray of shape size, dtype of ``label``
    """
    size = np.asarray(size, dtype=int)
    shape = np.array(label.shape)
    tumour = label > 0
    if rng.random() < p_tumour and tumour.any():
        points = np.argwhere(tumour)
        centre = points[rng.integers(len(points))] + rng.integers(-16, 17, 3)
    else:
        points = np.argwhere(np.any(image != 0, axis=-1))
        centre = points[rng.integers(len(points))] if len(points) else shape // 2
    lo = np.clip(centre - size // 2, 0, np.maximum(shape - size, 0))
    box = tuple(slice(a, a + s) for a, s in zip(lo, size))
    x, y = image[box], label[box]
    if x.shape[:3] != tuple(size):  # volume smaller than the patch: pad
        pad = [(0, int(s - have)) for s, have in zip(size, x.shape[:3])]
        x, y = np.pad(x, pad + [(0, 0)]), np.pad(y, pad)
    if flip and rng.random() < 0.5:
        x, y = x[::-1], y[::-1]
    return np.ascontiguousarray(x), np.ascontiguousarray(y)


def patch_batches(
    cases: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    batch_size: int = 1,
    size: Sequence[int] = (64, 64, 64),
    n_classes: int = 4,
    p_tumour: float = 0.5,
    rng: np.random.Generator,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Endless batches of training patches from randomly chosen cases.

    Parameters
    ----------
    cases : sequence of (image, label)
        Normalised images ``(X, Y, Z, n_channels)`` and integer labels ``(X, Y, Z)``.
    batch_size, size, p_tumour
        See :func:`sample_patch`.
    n_classes : int
        Number of label values, background included: the labels are one-hot encoded with this many channels.
    rng : numpy.random.Generator

    Yields
    ------
    x : float32 ndarray of shape (batch_size, *size, n_channels)
    y : float32 ndarray of shape (batch_size, *size, n_classes), one-hot
    """
    if not cases:
        raise ValueError("patch_batches needs at least one (image, label) case")
    eye = np.eye(n_classes, dtype=np.float32)
    while True:
        pairs = [
            sample_patch(*cases[rng.integers(len(cases))], size, rng=rng, p_tumour=p_tumour) for _ in range(batch_size)
        ]
        yield np.stack([p[0] for p in pairs]).astype(np.float32), eye[np.stack([p[1] for p in pairs])]


# --------------------------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------------------------


def dice_and_cross_entropy(soft_dice_loss: Callable, epsilon: float = 1.0) -> Callable:
    """The training loss of the C1W3 U-Net: a soft Dice loss on the tumour channels plus cross-entropy.

    Parameters
    ----------
    soft_dice_loss : callable
        ``soft_dice_loss(y_true, y_pred, axis, epsilon) -> scalar`` written with ``keras.ops`` (the C1W3 exercise).
    epsilon : float
        Smoothing term of the soft Dice: with 1, a class absent from a patch and predicted absent costs nothing,
        instead of a loss near 1 that no prediction can lower.

    Returns
    -------
    callable
        ``loss(y_true, y_pred)`` for one-hot ``y_true`` and softmax ``y_pred`` of shape
        ``(batch, X, Y, Z, n_classes)`` with the background in channel 0: ``soft_dice_loss`` on channels 1 and up
        (one Dice per patch and class, ``axis=(1, 2, 3)``) plus the mean voxel-wise categorical cross-entropy over all
        channels, which gives useful gradients from the first step.
    """
    import keras
    from keras import ops

    def loss(y_true, y_pred):
        tumour_dice_loss = soft_dice_loss(y_true[..., 1:], y_pred[..., 1:], axis=(1, 2, 3), epsilon=epsilon)
        return tumour_dice_loss + ops.mean(keras.losses.categorical_crossentropy(y_true, y_pred))

    return loss


def _epoch_callback(
    budget_s: float | None,
    total_steps: int,
    learning_rate: float,
    final_fraction: float,
    validation,
    scores: Mapping[str, Callable],
    records: list,
):
    """A Keras callback that sets the learning rate (cosine decay over the progress of training), scores validation
    patches after each epoch and stops training after ``budget_s`` seconds."""
    import keras

    class EpochScores(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start = time.perf_counter()
            self.stopped_early = False
            self.steps = 0

        def on_train_batch_begin(self, batch, logs=None):
            # progress: the share of the steps done or of the time budget used, whichever is further along
            progress = self.steps / total_steps
            if budget_s:
                progress = max(progress, (time.perf_counter() - self.start) / budget_s)
            cosine = 0.5 * (1.0 + math.cos(math.pi * min(progress, 1.0)))
            self.model.optimizer.learning_rate = learning_rate * (final_fraction + (1 - final_fraction) * cosine)

        def on_train_batch_end(self, batch, logs=None):
            self.steps += 1
            if budget_s is not None and time.perf_counter() - self.start > budget_s:
                self.model.stop_training = True
                self.stopped_early = True

        def on_epoch_end(self, epoch, logs=None):
            row = {
                "epoch": epoch + 1,
                "steps": self.steps,
                "loss": float((logs or {}).get("loss", np.nan)),
                "seconds": time.perf_counter() - self.start,
            }
            if validation is not None and scores:
                x_val, y_val = validation
                pred = self.model.predict(x_val, verbose=0)
                for name, fn in scores.items():
                    row[name] = float(np.asarray(fn(y_val, pred)))
            records.append(row)

    return EpochScores()


def train_unet(
    model,
    cases: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    loss: Callable,
    steps_per_epoch: int,
    epochs: int,
    batch_size: int = 1,
    patch_size: Sequence[int] = (64, 64, 64),
    p_tumour: float = 0.5,
    learning_rate: float = 2e-3,
    final_learning_rate_fraction: float = 0.05,
    time_budget_s: float | None = None,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    validation_scores: Mapping[str, Callable] | None = None,
    seed: int = 0,
    verbose: int = 1,
):
    """Compile ``model`` with Adam and ``loss`` and train it on random patches of ``cases``.

    Parameters
    ----------
    model : keras.Model
        A segmentation network with a softmax output of ``n_classes`` channels, e.g.
        ``helpers.models.unet_3d((None, None, None, 4))`` (accepts patches in training and whole volumes later).
    cases : sequence of (image, label)
        Normalised training volumes ``(X, Y, Z, 4)`` and their integer labels ``(X, Y, Z)``.
    loss : callable
        ``loss(y_true, y_pred) -> scalar`` on one-hot ``y_true`` and softmax ``y_pred``, both
        ``(batch, X, Y, Z, n_classes)``; it runs inside the compiled training step, so it must use ``keras.ops``.
    steps_per_epoch, epochs : int
        Length of training: ``steps_per_epoch * epochs`` batches.
    batch_size, patch_size, p_tumour
        See :func:`patch_batches`.
    learning_rate : float
        Adam's initial learning rate. It decays along a cosine to ``final_learning_rate_fraction`` of itself as
        training progresses — measured in steps, or in time when a time budget is set and runs out first — so the
        final weights settle instead of ending wherever the last large steps left them.
    final_learning_rate_fraction : float
        The learning rate at the end of training, as a fraction of ``learning_rate``.
    time_budget_s : float, optional
        Stop after the step during which this many seconds of training have passed (the step count then depends
        on the machine: the result is printed).
    validation : (x, y), optional
        Fixed validation patches ``(n, X, Y, Z, 4)`` and one-hot targets ``(n, X, Y, Z, n_classes)``.
    validation_scores : mapping of name to callable, optional
        ``fn(y_true, y_pred) -> float`` evaluated on the validation patches (NumPy arrays) after every epoch.
    seed : int
        Seeds Keras (weights are already drawn when the model was built) and the patch sampler.
    verbose : int
        Keras progress bar: 1 a bar per epoch, 0 silent.

    Returns
    -------
    pandas.DataFrame
        One row per epoch: ``epoch``, ``steps`` (batches trained so far), ``loss`` (mean training loss of the
        epoch), ``seconds`` since training started, and one column per validation score.
        ``attrs["stopped_early"]`` tells whether the time budget stopped training (then the last epoch is partial).
    """
    import keras
    import pandas as pd

    n_classes = int(model.output_shape[-1])
    rng = np.random.default_rng(seed)
    keras.utils.set_random_seed(seed)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss, jit_compile=False)
    records: list[dict] = []
    callback = _epoch_callback(
        time_budget_s,
        steps_per_epoch * epochs,
        learning_rate,
        final_learning_rate_fraction,
        validation,
        validation_scores or {},
        records,
    )
    batches = patch_batches(
        cases, batch_size=batch_size, size=patch_size, n_classes=n_classes, p_tumour=p_tumour, rng=rng
    )
    model.fit(
        batches, steps_per_epoch=steps_per_epoch, epochs=epochs, callbacks=[callback], shuffle=False, verbose=verbose
    )
    history = pd.DataFrame(records)
    history.attrs["stopped_early"] = callback.stopped_early
    return history


# --------------------------------------------------------------------------------------------------------------
# Inference
# --------------------------------------------------------------------------------------------------------------


def predict_volume(model, image: np.ndarray, multiple: int = 8) -> np.ndarray:
    """Segment a whole volume in one forward pass.

    Parameters
    ----------
    model : keras.Model
        A fully convolutional network built with spatial input size ``None`` (see :func:`train_unet`).
    image : ndarray of shape (X, Y, Z, n_channels)
        A normalised volume.
    multiple : int
        The network's total down-sampling factor (``2**depth`` for :func:`helpers.models.unet_3d`): the volume is
        zero-padded at the far end of each axis to a multiple of it, and the output cropped back.

    Returns
    -------
    ndarray of float32, shape (X, Y, Z, n_classes)
        Class probabilities per voxel; ``argmax(-1)`` gives the label map.
    """
    image = np.asarray(image, dtype=np.float32)
    if image.ndim != 4:
        raise ValueError(f"image must be 4-D (X, Y, Z, channels), got shape {image.shape}")
    shape = image.shape[:3]
    pad = [(0, (-s) % multiple) for s in shape] + [(0, 0)]
    prob = model.predict(np.pad(image, pad)[None], verbose=0)[0]
    return prob[: shape[0], : shape[1], : shape[2]]
