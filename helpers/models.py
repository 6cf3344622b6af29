"""Models shared by the notebooks: small Keras networks (built from ``keras.Input`` so Grad-CAM and SHAP can use
them), the course's reference chest X-ray CNN, and the NHEFS mortality forest of C2W2 (explained again in C3W3).

Keras and scikit-learn are imported inside each function: importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: numpy is imported where it is used
    import numpy as np


def small_cxr_cnn(
    input_shape=(128, 128, 1),
    n_outputs: int = 14,
    base_filters: int = 16,
    dropout: float = 0.2,
    batch_norm_momentum: float = 0.9,
    name: str = "small_cxr_cnn",
):
    """A small convolutional network for multi-label chest X-ray classification (one sigmoid per finding).

    Five 3x3 convolution blocks (batch norm, ReLU; max-pooling after the first four), global average pooling,
    dropout and a dense sigmoid layer. The last convolution block's output (after ReLU) is the layer ``"last_conv"``
    for Grad-CAM. About 137 k parameters with the defaults. The model is returned uncompiled.

    ``batch_norm_momentum`` is lower than Keras' default (0.99) so that the running statistics, which the validation
    metrics use during training, follow the weights within a few steps; after training,
    :func:`helpers.training.recalibrate_batch_norm` makes them exact.
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = inputs
    filters = [base_filters, base_filters * 2, base_filters * 4, base_filters * 4, base_filters * 8]
    for i, f in enumerate(filters):
        last = i == len(filters) - 1
        x = layers.Conv2D(f, 3, padding="same", use_bias=False, name=f"conv{i + 1}")(x)
        x = layers.BatchNormalization(momentum=batch_norm_momentum, name=f"bn{i + 1}")(x)
        x = layers.Activation("relu", name="last_conv" if last else f"relu{i + 1}")(x)
        if not last:
            x = layers.MaxPooling2D(2, name=f"pool{i + 1}")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(n_outputs, activation="sigmoid", name="findings")(x)
    return keras.Model(inputs, outputs, name=name)


def unet_3d(
    input_shape=(64, 64, 64, 4),
    n_classes: int = 4,
    depth: int = 3,
    base_filters: int = 8,
    norm: str | None = "group",
    dropout: float = 0.0,
    name: str = "unet_3d",
):
    """A 3-D U-Net for multi-class volume segmentation (softmax over ``n_classes`` per voxel).

    ``depth`` down-sampling steps (2x2x2 max-pooling), each preceded by a block of two 3x3x3 convolutions
    (normalisation, ReLU) with ``base_filters * 2**level`` filters; a bottleneck block; and a mirrored decoder that
    up-samples with 2x2x2 transposed convolutions and concatenates the encoder features of the same level (skip
    connections). A final 1x1x1 convolution gives the class probabilities (layer ``"probabilities"``).

    The spatial input size must be divisible by ``2**depth``; use ``(None, None, None, channels)`` to accept any
    such size (e.g. whole volumes at inference). ``norm`` is ``"group"`` (default: group normalisation behaves the
    same in training and inference, which matters at batch size 1-2; with ``"batch"`` a phantom benchmark trained
    on 64^3 patches generalised much worse to whole volumes), ``"batch"`` or ``None``. With the defaults (64^3 x 4
    input, depth 3, 8 base filters) the model has about 0.35 M parameters. The model is returned uncompiled.
    """
    import keras
    from keras import layers

    if norm not in ("batch", "group", None):
        raise ValueError(f"norm must be 'batch', 'group' or None, got {norm!r}")
    shape = tuple(input_shape)
    if len(shape) != 4:
        raise ValueError(f"input_shape must be (x, y, z, channels), got {shape}")
    step = 2**depth
    bad = [s for s in shape[:3] if s is not None and s % step]
    if bad:
        raise ValueError(f"spatial sizes {shape[:3]} must be divisible by 2**depth = {step}")

    def block(x, filters, tag):
        for j in (1, 2):
            x = layers.Conv3D(filters, 3, padding="same", use_bias=norm is None, name=f"{tag}_conv{j}")(x)
            if norm == "batch":
                x = layers.BatchNormalization(name=f"{tag}_bn{j}")(x)
            elif norm == "group":
                x = layers.GroupNormalization(groups=min(4, filters), name=f"{tag}_gn{j}")(x)
            x = layers.Activation("relu", name=f"{tag}_relu{j}")(x)
        return x

    inputs = keras.Input(shape=shape, name="volume")
    x = inputs
    skips = []
    for level in range(depth):
        x = block(x, base_filters * 2**level, f"enc{level}")
        skips.append(x)
        x = layers.MaxPooling3D(2, name=f"pool{level}")(x)
    x = block(x, base_filters * 2**depth, "bottleneck")
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    for level in reversed(range(depth)):
        f = base_filters * 2**level
        x = layers.Conv3DTranspose(f, 2, strides=2, padding="same", name=f"up{level}")(x)
        x = layers.Concatenate(name=f"skip{level}")([x, skips[level]])
        x = block(x, f, f"dec{level}")
    outputs = layers.Conv3D(n_classes, 1, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name=name)


# ------------------------------------------------------------------------------------------ the reference CNN
REFERENCE_VERSION = 2  # bump when the training recipe below changes: older caches are then ignored


def cxr_reference_params() -> dict:
    """The recipe of the course's reference chest X-ray CNN (its cache key).

    The default phantom set of :func:`helpers.data.cxr.load_cxr_split` (FAST: 400 pictures at 64 px; full: 3,000
    at 128 px), :func:`small_cxr_cnn`, the class-weighted cross-entropy of C1W1 (positive weight = negative
    frequency of the class in the training split and vice versa), Adam, best epoch by validation macro AUC.
    """
    from helpers.config import FAST, fast_or_full
    from helpers.data import cxr

    n, size, seed = cxr.default_n(), cxr.default_size(), 0
    return {
        "kind": "cxr-reference-cnn",
        "version": REFERENCE_VERSION,
        "fast": FAST,
        "data": cxr.dataset_params(n, size, seed),
        "epochs": fast_or_full(20, 12),
        "learning_rate": 1e-3,
        "batch_size": 32,
        "base_filters": 16,
        "batch_norm_momentum": 0.9,
        "seed": seed,
    }


def cxr_reference_folder(params: dict | None = None):
    """Cache folder of the reference CNN trained with ``params`` (default: :func:`cxr_reference_params`)."""
    import hashlib
    import json

    from helpers.config import generated_dir

    params = cxr_reference_params() if params is None else params
    digest = hashlib.sha1(json.dumps(params, sort_keys=True).encode()).hexdigest()[:10]
    return generated_dir("cxr_model") / f"reference_{'fast' if params['fast'] else 'full'}_{digest}"


def _train_reference(params: dict, folder, progress: bool):
    """Train the reference CNN and write weights, predictions and history into ``folder``."""
    import json

    import pandas as pd

    from helpers.data import cxr
    from helpers.training import fit_model, load_cxr_arrays, make_deterministic, weighted_binary_crossentropy

    d = params["data"]
    data = cxr.load_cxr_split(cxr.make_cxr_dataset(n=d["n"], size=d["size"], seed=d["seed"], progress=progress))
    arrays = {split: load_cxr_arrays(data, split, progress=progress) for split in ("train", "valid", "test")}
    positive_freq = arrays["train"][1].mean(axis=0)
    loss = weighted_binary_crossentropy(pos_weights=1 - positive_freq, neg_weights=positive_freq)
    make_deterministic(params["seed"])
    model = small_cxr_cnn(
        (d["size"], d["size"], 1),
        len(cxr.FINDINGS),
        base_filters=params["base_filters"],
        batch_norm_momentum=params["batch_norm_momentum"],
    )
    history = fit_model(
        model,
        arrays["train"],
        arrays["valid"],
        loss=loss,
        epochs=params["epochs"],
        learning_rate=params["learning_rate"],
        batch_size=params["batch_size"],
        seed=params["seed"],
        progress=progress,
    )
    folder.mkdir(parents=True)
    model.save_weights(str(folder / "model.weights.h5"))
    for split in ("valid", "test"):
        x, y = arrays[split]
        scores = model.predict(x, batch_size=128, verbose=0)
        frame = data.frames[split][["Image", "PatientId"]].copy()
        for j, finding in enumerate(cxr.FINDINGS):
            frame[finding] = y[:, j].astype(int)
        for j, finding in enumerate(cxr.FINDINGS):
            frame[f"{finding}_pred"] = scores[:, j].astype(float)
        frame.to_csv(folder / f"predictions_{split}.csv", index=False)
    record = {k: [float(v) for v in values] for k, values in history.history.items()}
    record["best_epoch"] = history.best_epoch
    (folder / "history.json").write_text(json.dumps(record, indent=1))
    (folder / "params.json").write_text(json.dumps(params, indent=1, sort_keys=True))
    return pd.read_csv(folder / "predictions_test.csv")


def cxr_reference_model(progress: bool = True, params: dict | None = None):
    """The course's reference chest X-ray CNN and its test-set predictions: trained once, then read from a cache.

    The first call trains :func:`small_cxr_cnn` with the recipe of :func:`cxr_reference_params` (FAST: about 20 s
    on two cores; full: about 4 minutes) and caches the weights, the validation and test predictions and the
    training history under ``data/generated/cxr_model/``, keyed by the recipe; later calls only read the cache.
    Training is deterministic (seeded, TensorFlow's deterministic kernels), so a rebuilt cache holds the same model.
    Two processes building it at once are safe: each trains into a temporary folder, which is renamed into place
    in one step; the loser's copy is discarded.

    Parameters
    ----------
    progress : bool
        Show progress bars while drawing the phantoms and training.
    params : dict, optional
        Another recipe (same keys as :func:`cxr_reference_params`), for tests and benchmarks; cached separately.

    Returns
    -------
    model : keras.Model
        The trained network (inputs (size, size, 1) per-image standardized pictures; 14 sigmoid outputs in the
        order of :data:`helpers.data.cxr.FINDINGS`).
    predictions : pandas.DataFrame
        One row per test picture: ``Image``, ``PatientId``, the 14 finding labels (0/1) and ``<finding>_pred``
        probabilities. The validation split's are in :func:`helpers.data.cxr.load_cxr_predictions`.
    """
    import os
    import shutil
    import uuid

    import pandas as pd

    from helpers.data import cxr

    params = cxr_reference_params() if params is None else params
    folder = cxr_reference_folder(params)
    if not (folder / "params.json").is_file():
        scratch = folder.with_name(f".{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            _train_reference(params, scratch, progress)
            try:
                os.rename(scratch, folder)
            except OSError:  # another process finished first: its copy is just as good
                pass
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    size = params["data"]["size"]
    model = small_cxr_cnn(
        (size, size, 1),
        len(cxr.FINDINGS),
        base_filters=params["base_filters"],
        batch_norm_momentum=params["batch_norm_momentum"],
    )
    model.load_weights(str(folder / "model.weights.h5"))
    return model, pd.read_csv(folder / "predictions_test.csv")


def class_activation_maps(model, images, class_indices, layer_name: str = "last_conv") -> np.ndarray:
    """Class activation maps (CAM; Zhou et al., CVPR 2016) of a global-average-pooling network such as
    :func:`small_cxr_cnn`.

    The feature maps of ``layer_name`` are weighted by the final dense layer's weights for the class and summed;
    negative values are set to 0, the map is resized bilinearly to the picture and divided by its maximum.
    (Grad-CAM, which C3W3 grades, generalises this to networks without that structure.)

    Parameters
    ----------
    model : keras.Model
        Ends with global average pooling, optional dropout and a dense layer named ``"findings"``.
    images : numpy.ndarray, shape (n_images, height, width, 1)
        Pictures as the model takes them (per-image standardized).
    class_indices : int or sequence of int
        The output (finding) whose map to compute: one for all pictures, or one per picture.

    Returns
    -------
    numpy.ndarray, shape (n_images, height, width)
        Maps in [0, 1] (an all-zero map stays zero).
    """
    import keras
    import numpy as np
    import tensorflow as tf

    images = np.asarray(images, dtype=np.float32)
    classes = np.broadcast_to(np.asarray(class_indices, dtype=int), (len(images),))
    features = keras.Model(model.inputs, model.get_layer(layer_name).output).predict(images, verbose=0)
    weights = model.get_layer("findings").get_weights()[0][:, classes]  # (channels, n_images)
    maps = np.maximum(np.einsum("nhwk,kn->nhw", features, weights), 0.0)
    maps = tf.image.resize(maps[..., None], images.shape[1:3], method="bilinear").numpy()[..., 0]
    peak = maps.reshape(len(maps), -1).max(axis=1)
    return maps / np.where(peak > 0, peak, 1.0)[:, None, None]


# ------------------------------------------------------------------------------------- the NHEFS mortality forest
NHEFS_FOREST_PARAMS = {"n_estimators": 50, "max_features": 0.5, "min_samples_leaf": 30, "random_state": 0}
"""The tuned settings of C2W2's random forest of 10-year mortality: the winner of the reference grid
(``max_features`` in {"sqrt", 0.5} x ``min_samples_leaf`` in {10, 30}, 50 trees) on the NHEFS validation split."""


def nhefs_forest_settings(**changes):
    """An unfitted ``RandomForestClassifier`` with :data:`NHEFS_FOREST_PARAMS`, optionally changed (``**changes``)."""
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(**{**NHEFS_FOREST_PARAMS, **changes})


def nhefs_mortality_forest(X_train=None, y_train=None):
    """The course's tuned random forest of 10-year mortality on NHEFS (C2W2), fitted; C3W3 explains it.

    Parameters
    ----------
    X_train : pandas.DataFrame, optional
        Baseline covariates; default: the training split of :func:`helpers.data.nhefs.nhefs_splits` (977 people).
    y_train : array-like, optional
        Death between 1983 and 1992 (0/1), aligned with ``X_train``.

    Returns
    -------
    sklearn.ensemble.RandomForestClassifier
        :func:`nhefs_forest_settings` fitted on the data (deterministic: ``random_state=0``). On the default split
        its C-index is 0.881 on the validation set and 0.827 on the test set (C2W2).
    """
    if X_train is None:
        from helpers.data.nhefs import nhefs_splits

        X_train, y_train = nhefs_splits()[:2]
    return nhefs_forest_settings().fit(X_train, y_train)
