"""The course's one training path for Keras models: the C1W1 chest X-ray CNN (reused by C1W2 and C3W3).

Notebooks, tests and benchmarks all train through :func:`fit_model`, so a change of optimiser, stopping rule or
progress display happens in one place. Keras and TensorFlow are imported inside the functions: importing this
module stays cheap.

Typical use::

    data = load_cxr_split()                                  # helpers.data.cxr: phantom or real NIH folder
    x_train, y_train = load_cxr_arrays(data, "train")        # (n, H, W, 1) float32, per-image standardized
    x_valid, y_valid = load_cxr_arrays(data, "valid")
    model = small_cxr_cnn(x_train.shape[1:], y_train.shape[1])
    history = fit_model(model, (x_train, y_train), (x_valid, y_valid), loss=my_loss, epochs=15)
"""

from __future__ import annotations

import time

import numpy as np

__all__ = [
    "per_image_standardize",
    "load_cxr_arrays",
    "time_budget_callback",
    "progress_callback",
    "weighted_binary_crossentropy",
    "recalibrate_batch_norm",
    "fit_model",
    "make_deterministic",
]


def per_image_standardize(images) -> np.ndarray:
    """Scale every picture to mean 0 and standard deviation 1 (its own statistics, not the data set's).

    Parameters
    ----------
    images : array-like, shape (n_images, height, width) or (n_images, height, width, 1)
        Pixel values (any range).

    Returns
    -------
    numpy.ndarray, shape (n_images, height, width, 1), float32
        A constant picture becomes all zeros.
    """
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4 or x.shape[-1] != 1:
        raise ValueError(f"expected pictures shaped (n, height, width) or (n, height, width, 1), got {x.shape}")
    mean = x.mean(axis=(1, 2, 3), keepdims=True)
    std = x.std(axis=(1, 2, 3), keepdims=True)
    return ((x - mean) / np.where(std > 0, std, 1.0)).astype(np.float32)


def load_cxr_arrays(data, split: str, progress: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Read every picture of one split into memory, per-image standardized, with its 14 labels.

    Parameters
    ----------
    data : helpers.data.cxr.CXRData
        A phantom or NIH folder loaded with :func:`helpers.data.cxr.load_cxr_split`.
    split : {"train", "valid", "test"}
    progress : bool
        Show a progress bar while reading.

    Returns
    -------
    x : numpy.ndarray, shape (n_images, size, size, 1), float32
    y : numpy.ndarray, shape (n_images, 14), float32
        0/1 labels in the order of :data:`helpers.data.cxr.FINDINGS`.
    """
    from tqdm.auto import tqdm

    from helpers.data.cxr import FINDINGS, read_image

    if split not in data.frames:
        raise ValueError(f"split must be one of {list(data.frames)} (got {split!r}).")
    paths = data.paths(split)
    pictures = [
        read_image(p, data.size)
        for p in tqdm(paths, desc=f"reading {split} pictures", unit="img", disable=not progress or len(paths) < 500)
    ]
    if not pictures:
        raise ValueError(f"the {split} split of {data.root} has no pictures")
    y = data.frames[split][list(FINDINGS)].to_numpy(dtype=np.float32)
    return per_image_standardize(np.stack(pictures)), y


def time_budget_callback(seconds: float):
    """A Keras callback that stops training before the next epoch would exceed ``seconds`` of training.

    The estimate assumes the next epoch takes as long as the mean epoch so far. Used by benchmarks; course models
    train for a fixed number of epochs so that their results do not depend on the machine's speed.
    """
    import keras

    class TimeBudget(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            elapsed = time.perf_counter() - self.started
            if elapsed * (epoch + 2) / (epoch + 1) > seconds:
                self.model.stop_training = True

    return TimeBudget()


def progress_callback(epochs: int, steps_per_epoch: int, description: str = "training"):
    """A Keras callback showing one ``tqdm`` bar for the whole training (every batch of every epoch).

    The bar's suffix shows the epoch, the last training loss and, after each epoch, the validation AUC.
    """
    import keras
    from tqdm.auto import tqdm

    class Progress(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.bar = tqdm(total=epochs * steps_per_epoch, desc=description, unit="batch")
            self.epoch, self.last = 0, {}

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            self.bar.update()
            if logs and "loss" in logs:
                self.last["loss"] = f"{float(logs['loss']):.3f}"
            self.bar.set_postfix(epoch=f"{self.epoch + 1}/{epochs}", **self.last, refresh=False)

        def on_epoch_end(self, epoch, logs=None):
            if logs and "val_auc" in logs:
                self.last["val_auc"] = f"{float(logs['val_auc']):.3f}"
            self.bar.set_postfix(epoch=f"{epoch + 1}/{epochs}", **self.last)

        def on_train_end(self, logs=None):
            self.bar.close()

    return Progress()


def weighted_binary_crossentropy(pos_weights, neg_weights):
    """Class-weighted binary cross-entropy for multi-label outputs, built from Keras' own cross-entropy.

    The loss of a batch is the sum over classes of the batch mean of
    ``w_pos[c] * y * bce(y=1) + w_neg[c] * (1 - y) * bce(y=0)``, where ``bce`` is
    :func:`keras.ops.binary_crossentropy` (which clips probabilities to ``[1e-7, 1 - 1e-7]``). This is the
    weighting that C1W1's graded ``get_weighted_loss`` writes from scratch; it trains the course's reference CNN.

    Parameters
    ----------
    pos_weights, neg_weights : array-like, shape (n_classes,)
        Weight of the positive and negative examples of each class (C1W1 uses the *negative* frequency as the
        positive weight and vice versa, so both halves contribute equally).

    Returns
    -------
    callable
        ``loss(y_true, y_pred)`` for ``model.compile(loss=...)``.
    """
    from keras import ops

    w_pos = np.asarray(pos_weights, dtype=np.float32)
    w_neg = np.asarray(neg_weights, dtype=np.float32)

    def loss(y_true, y_pred):
        y_true = ops.cast(y_true, "float32")
        y_pred = ops.cast(y_pred, "float32")
        per_label = ops.binary_crossentropy(y_true, y_pred)  # (batch, classes), no reduction
        weights = y_true * w_pos + (1.0 - y_true) * w_neg
        return ops.sum(ops.mean(weights * per_label, axis=0))

    return loss


def recalibrate_batch_norm(model, x, batch_size: int = 64, max_samples: int = 1024) -> None:
    """Re-estimate every batch-normalization layer's moving statistics from the model's own inference-mode inputs.

    During training a batch-normalization layer normalizes with the current batch's statistics and keeps running
    averages for inference. Those averages lag behind the changing weights, and each layer's inference-mode input
    differs from its training-mode input because the layers before it also switched to their averages; the errors
    compound with depth. For the course's small CNN the last block's mean was off by about half a standard
    deviation, and the mean predicted probability of rare findings tripled between training and inference mode.
    This "precise BN" step (Wu & Johnson, *Rethinking "Batch" in BatchNorm*, 2021) walks the layers in order and sets
    each one's moving mean and variance to the exact statistics of its input over ``x``, with the layers before it
    already in inference mode.

    Parameters
    ----------
    model : keras.Model
        A functional model (its layers in graph order).
    x : numpy.ndarray
        Training inputs; at most ``max_samples`` of them are used.
    batch_size : int
    """
    import keras

    x = np.asarray(x)[:max_samples]
    for layer in model.layers:
        if not isinstance(layer, keras.layers.BatchNormalization):
            continue
        upstream = keras.Model(model.inputs, layer.input)
        total = total_sq = None
        for start in range(0, len(x), batch_size):
            a = np.asarray(upstream([x[start : start + batch_size]], training=False), dtype=np.float64)
            a = a.reshape(-1, a.shape[-1])
            total = a.sum(axis=0) if total is None else total + a.sum(axis=0)
            total_sq = (a**2).sum(axis=0) if total_sq is None else total_sq + (a**2).sum(axis=0)
        count = len(x) * int(np.prod(upstream.output.shape[1:-1]))
        mean = total / count
        layer.moving_mean.assign(mean.astype("float32"))
        layer.moving_variance.assign(np.maximum(total_sq / count - mean**2, 0.0).astype("float32"))


def make_deterministic(seed: int) -> None:
    """Seed Python, NumPy and Keras and ask TensorFlow for deterministic kernels, so a rerun gives the same model."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def fit_model(
    model,
    train,
    valid,
    *,
    loss,
    epochs: int,
    learning_rate: float = 2e-3,
    batch_size: int = 32,
    seed: int = 0,
    time_budget: float | None = None,
    progress: bool = True,
):
    """Compile and train a multi-label Keras model, keeping the weights of its best epoch on the validation set.

    Parameters
    ----------
    model : keras.Model
        An uncompiled model with one sigmoid output per class (e.g. :func:`helpers.models.small_cxr_cnn`).
    train, valid : tuple of numpy.ndarray
        ``(x, y)`` pairs; ``y`` has shape (n_images, n_classes) with 0/1 entries.
    loss : str or callable
        Anything ``model.compile`` accepts as a loss, e.g. a learner's weighted loss or
        ``"binary_crossentropy"``.
    epochs : int
        Number of passes over the training set (fewer if ``time_budget`` stops it).
    learning_rate : float
        Adam's learning rate.
    batch_size : int
    seed : int
        Seeds the shuffling and dropout. For a reproducible run, also build the model right after
        :func:`make_deterministic` with the same seed (its initial weights are drawn when it is built).
    time_budget : float, optional
        Seconds of training after which no new epoch starts.
    progress : bool
        Show one progress bar for the whole training (:func:`progress_callback`).

    After training, the best epoch's weights are restored and the batch-normalization statistics re-estimated on
    the training pictures (:func:`recalibrate_batch_norm`).

    Returns
    -------
    keras.callbacks.History
        Its ``history`` holds per-epoch ``loss``, ``auc``, ``val_loss`` and ``val_auc`` (macro ROC AUC over the
        classes that have both positive and negative validation examples), and ``best_epoch`` (0-based) is added
        as an attribute.
    """
    import keras

    x_train, y_train = train
    if len(x_train) != len(y_train):
        raise ValueError(f"{len(x_train)} training pictures but {len(y_train)} label rows")
    keras.utils.set_random_seed(seed)
    # macro AUC over the classes that have positive and negative validation examples (Keras would count a class
    # without positives as an AUC of 0 and drag the mean down)
    y_valid = np.asarray(valid[1])
    both = ((y_valid.sum(axis=0) > 0) & (y_valid.sum(axis=0) < len(y_valid))).astype("float32")
    if not both.any():
        raise ValueError("no class has both positive and negative examples in the validation set")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=loss,
        metrics=[keras.metrics.AUC(multi_label=True, label_weights=both, name="auc")],
    )
    best = keras.callbacks.EarlyStopping(monitor="val_auc", mode="max", patience=epochs, restore_best_weights=True)
    callbacks = [best]
    if time_budget is not None:
        callbacks.append(time_budget_callback(time_budget))
    if progress:
        steps = int(np.ceil(len(x_train) / batch_size))
        callbacks.append(progress_callback(epochs, steps, description=f"training {model.name}"))
    history = model.fit(
        x_train,
        y_train,
        validation_data=valid,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
        callbacks=callbacks,
        verbose=0,
    )
    history.best_epoch = int(np.argmax(history.history["val_auc"]))
    recalibrate_batch_norm(model, x_train)
    return history
