"""Small Keras models shared by the notebooks (built from ``keras.Input`` so Grad-CAM and SHAP can use them).

Keras is imported inside each function: importing this module stays cheap.
"""
from __future__ import annotations


def small_cxr_cnn(input_shape=(128, 128, 1), n_outputs: int = 14, base_filters: int = 16, dropout: float = 0.2,
                  name: str = "small_cxr_cnn"):
    """A small convolutional network for multi-label chest X-ray classification (one sigmoid per finding).

    Five 3x3 convolution blocks (batch norm, ReLU; max-pooling after the first four), global average pooling,
    dropout and a dense sigmoid layer. The last convolution is named ``"last_conv"`` for Grad-CAM. About 100 k
    parameters with the defaults. The model is returned uncompiled.
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=tuple(input_shape), name="image")
    x = inputs
    filters = [base_filters, base_filters * 2, base_filters * 4, base_filters * 4, base_filters * 8]
    for i, f in enumerate(filters):
        last = i == len(filters) - 1
        x = layers.Conv2D(f, 3, padding="same", use_bias=False, name="last_conv" if last else f"conv{i + 1}")(x)
        x = layers.BatchNormalization(name=f"bn{i + 1}")(x)
        x = layers.Activation("relu", name=f"relu{i + 1}")(x)
        if not last:
            x = layers.MaxPooling2D(2, name=f"pool{i + 1}")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(n_outputs, activation="sigmoid", name="findings")(x)
    return keras.Model(inputs, outputs, name=name)
