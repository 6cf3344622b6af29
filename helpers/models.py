"""Small Keras models shared by the notebooks (built from ``keras.Input`` so Grad-CAM and SHAP can use them).

Keras is imported inside each function: importing this module stays cheap.
"""
from __future__ import annotations


def small_cxr_cnn(input_shape=(128, 128, 1), n_outputs: int = 14, base_filters: int = 16, dropout: float = 0.2,
                  name: str = "small_cxr_cnn"):
    """A small convolutional network for multi-label chest X-ray classification (one sigmoid per finding).

    Five 3x3 convolution blocks (batch norm, ReLU; max-pooling after the first four), global average pooling,
    dropout and a dense sigmoid layer. The last convolution block's output (after ReLU) is the layer ``"last_conv"``
    for Grad-CAM. About 137 k parameters with the defaults. The model is returned uncompiled.
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = inputs
    filters = [base_filters, base_filters * 2, base_filters * 4, base_filters * 4, base_filters * 8]
    for i, f in enumerate(filters):
        last = i == len(filters) - 1
        x = layers.Conv2D(f, 3, padding="same", use_bias=False, name=f"conv{i + 1}")(x)
        x = layers.BatchNormalization(name=f"bn{i + 1}")(x)
        x = layers.Activation("relu", name="last_conv" if last else f"relu{i + 1}")(x)
        if not last:
            x = layers.MaxPooling2D(2, name=f"pool{i + 1}")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(n_outputs, activation="sigmoid", name="findings")(x)
    return keras.Model(inputs, outputs, name=name)


def unet_3d(input_shape=(64, 64, 64, 4), n_classes: int = 4, depth: int = 3, base_filters: int = 8,
            norm: str | None = "group", dropout: float = 0.0, name: str = "unet_3d"):
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
    step = 2 ** depth
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
        x = block(x, base_filters * 2 ** level, f"enc{level}")
        skips.append(x)
        x = layers.MaxPooling3D(2, name=f"pool{level}")(x)
    x = block(x, base_filters * 2 ** depth, "bottleneck")
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    for level in reversed(range(depth)):
        f = base_filters * 2 ** level
        x = layers.Conv3DTranspose(f, 2, strides=2, padding="same", name=f"up{level}")(x)
        x = layers.Concatenate(name=f"skip{level}")([x, skips[level]])
        x = block(x, f, f"dec{level}")
    outputs = layers.Conv3D(n_classes, 1, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name=name)
