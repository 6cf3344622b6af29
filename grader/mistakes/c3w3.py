"""Plausible wrong answers for week C3W3: every one must be rejected by the hidden tests.

Naming: ``<exercise>__<what goes wrong>``. Each is self-contained (NumPy, pandas, Keras and TensorFlow only, plus the
private helpers below), so it can be pasted into a notebook as a submission and run through
``python -m grader test-impl``.
"""

import keras
import numpy as np
import pandas as pd
import tensorflow as tf


def _permute(df, feature, rng):
    """A correct permute_feature, used by the permutation_importance mistakes."""
    out = df.copy()
    out[feature] = rng.permutation(out[feature].to_numpy())
    return out


# --------------------------------------------------------------------------------------------- permute_feature


def permute_feature__in_place(df, feature, rng=None):
    """Shuffles the caller's data frame itself and returns it (no copy)."""
    rng = np.random.default_rng() if rng is None else rng
    df[feature] = rng.permutation(df[feature].to_numpy())
    return df


def permute_feature__every_column(df, feature, rng=None):
    """Permutes every column (each with its own order), not only `feature`."""
    rng = np.random.default_rng() if rng is None else rng
    out = df.copy()
    for column in out.columns:
        out[column] = rng.permutation(out[column].to_numpy())
    return out


def permute_feature__whole_rows(df, feature, rng=None):
    """Shuffles the rows of the whole frame (df.sample(frac=1)): every column moves, the index too."""
    rng = np.random.default_rng() if rng is None else rng
    return df.sample(frac=1, random_state=rng)


def permute_feature__series_aligned_back(df, feature, rng=None):
    """Assigns a shuffled Series back: pandas aligns it on the index, so nothing moves."""
    rng = np.random.default_rng() if rng is None else rng
    out = df.copy()
    out[feature] = out[feature].sample(frac=1, random_state=rng)
    return out


def permute_feature__with_replacement(df, feature, rng=None):
    """Draws the new column with replacement (a bootstrap sample), not a permutation."""
    rng = np.random.default_rng() if rng is None else rng
    out = df.copy()
    out[feature] = rng.choice(out[feature].to_numpy(), size=len(out), replace=True)
    return out


def permute_feature__ignores_rng(df, feature, rng=None):
    """Uses NumPy's global generator (np.random.permutation) whatever rng is given: not reproducible."""
    out = df.copy()
    out[feature] = np.random.permutation(out[feature].to_numpy())
    return out


def permute_feature__rolls_the_column(df, feature, rng=None):
    """Shifts the column by a random number of rows (np.roll): only n of the n! orders can occur."""
    rng = np.random.default_rng() if rng is None else rng
    out = df.copy()
    out[feature] = np.roll(out[feature].to_numpy(), int(rng.integers(1, max(len(out), 2))))
    return out


def permute_feature__moves_column_to_end(df, feature, rng=None):
    """Drops the column and appends the shuffled copy at the end: the column order changes."""
    rng = np.random.default_rng() if rng is None else rng
    values = rng.permutation(df[feature].to_numpy())
    return df.drop(columns=feature).assign(**{str(feature): values})


def permute_feature__resets_index(df, feature, rng=None):
    """Returns the permuted copy with a fresh 0..n-1 index."""
    rng = np.random.default_rng() if rng is None else rng
    out = df.copy().reset_index(drop=True)
    out[feature] = rng.permutation(out[feature].to_numpy())
    return out


def permute_feature__returns_column(df, feature, rng=None):
    """Returns only the permuted column (a Series), not the data frame."""
    rng = np.random.default_rng() if rng is None else rng
    return pd.Series(rng.permutation(df[feature].to_numpy()), index=df.index, name=feature)


def permute_feature__fixed_default_seed(df, feature, rng=None):
    """Without an rng, always uses np.random.default_rng(0): the 'random' default is the same order every time."""
    rng = np.random.default_rng(0) if rng is None else rng
    out = df.copy()
    out[feature] = rng.permutation(out[feature].to_numpy())
    return out


def permute_feature__reverses_column(df, feature, rng=None):
    """Reverses the column instead of shuffling it."""
    out = df.copy()
    out[feature] = out[feature].to_numpy()[::-1]
    return out


# --------------------------------------------------------------------------------------------- permutation_importance


def _risk(model, X):
    return model.predict_proba(X)[:, 1]


def permutation_importance__sign_flipped(X, y, model, metric, num_samples=100, rng=None):
    """Returns the mean permuted score minus the baseline (important features come out negative)."""
    rng = np.random.default_rng() if rng is None else rng
    base = metric(y, _risk(model, X))
    return pd.Series(
        {
            f: np.mean([metric(y, _risk(model, _permute(X, f, rng))) for _ in range(num_samples)]) - base
            for f in X.columns
        }
    )


def permutation_importance__one_permutation(X, y, model, metric, num_samples=100, rng=None):
    """Uses a single permutation per feature, ignoring num_samples."""
    rng = np.random.default_rng() if rng is None else rng
    base = metric(y, _risk(model, X))
    return pd.Series({f: base - metric(y, _risk(model, _permute(X, f, rng))) for f in X.columns})


def permutation_importance__all_columns_at_once(X, y, model, metric, num_samples=100, rng=None):
    """Permutes every column together for each feature: every feature gets the same importance."""
    rng = np.random.default_rng() if rng is None else rng
    base = metric(y, _risk(model, X))
    result = {}
    for f in X.columns:
        scores = []
        for _ in range(num_samples):
            shuffled = X.copy()
            for column in X.columns:
                shuffled = _permute(shuffled, column, rng)
            scores.append(metric(y, _risk(model, shuffled)))
        result[f] = base - np.mean(scores)
    return pd.Series(result)


def permutation_importance__whole_rows(X, y, model, metric, num_samples=100, rng=None):
    """Shuffles the rows of X (not one column) and scores them against the unshuffled y."""
    rng = np.random.default_rng() if rng is None else rng
    base = metric(y, _risk(model, X))
    result = {}
    for f in X.columns:
        scores = [metric(y, _risk(model, X.iloc[rng.permutation(len(X))])) for _ in range(num_samples)]
        result[f] = base - np.mean(scores)
    return pd.Series(result)


def permutation_importance__does_not_restore_columns(X, y, model, metric, num_samples=100, rng=None):
    """Permutes one working copy for feature after feature, so earlier features stay shuffled for later ones."""
    rng = np.random.default_rng() if rng is None else rng
    base = metric(y, _risk(model, X))
    work = X.copy()
    result = {}
    for f in X.columns:
        scores = []
        for _ in range(num_samples):
            work = _permute(work, f, rng)
            scores.append(metric(y, _risk(model, work)))
        result[f] = base - np.mean(scores)
    return pd.Series(result)


def permutation_importance__hard_predictions(X, y, model, metric, num_samples=100, rng=None):
    """Scores model.predict (0/1 labels) instead of the predicted probability."""
    rng = np.random.default_rng() if rng is None else rng
    base = metric(y, model.predict(X))
    return pd.Series(
        {
            f: base - np.mean([metric(y, model.predict(_permute(X, f, rng))) for _ in range(num_samples)])
            for f in X.columns
        }
    )


def permutation_importance__negative_class(X, y, model, metric, num_samples=100, rng=None):
    """Uses predict_proba(X)[:, 0], the probability of the negative class."""
    rng = np.random.default_rng() if rng is None else rng
    base = metric(y, model.predict_proba(X)[:, 0])
    return pd.Series(
        {
            f: base - np.mean([metric(y, model.predict_proba(_permute(X, f, rng))[:, 0]) for _ in range(num_samples)])
            for f in X.columns
        }
    )


def permutation_importance__ratio(X, y, model, metric, num_samples=100, rng=None):
    """Returns the ratio of the permuted score to the baseline instead of the difference."""
    rng = np.random.default_rng() if rng is None else rng
    base = metric(y, _risk(model, X))
    return pd.Series(
        {
            f: np.mean([metric(y, _risk(model, _permute(X, f, rng))) for _ in range(num_samples)]) / base
            for f in X.columns
        }
    )


def permutation_importance__std_not_mean(X, y, model, metric, num_samples=100, rng=None):
    """Reports the spread (standard deviation) of the drops instead of their mean."""
    rng = np.random.default_rng() if rng is None else rng
    base = metric(y, _risk(model, X))
    return pd.Series(
        {
            f: np.std([base - metric(y, _risk(model, _permute(X, f, rng))) for _ in range(num_samples)])
            for f in X.columns
        }
    )


def permutation_importance__permutes_labels(X, y, model, metric, num_samples=100, rng=None):
    """Shuffles the outcome y instead of the feature: every feature gets the same importance."""
    rng = np.random.default_rng() if rng is None else rng
    risk = _risk(model, X)
    base = metric(y, risk)
    return pd.Series(
        {
            f: base - np.mean([metric(rng.permutation(np.asarray(y)), risk) for _ in range(num_samples)])
            for f in X.columns
        }
    )


def permutation_importance__ignores_rng(X, y, model, metric, num_samples=100, rng=None):
    """Draws from NumPy's global generator whatever rng is given: the same seed gives different answers."""
    base = metric(y, _risk(model, X))
    result = {}
    for f in X.columns:
        scores = []
        for _ in range(num_samples):
            shuffled = X.copy()
            shuffled[f] = np.random.permutation(shuffled[f].to_numpy())
            scores.append(metric(y, _risk(model, shuffled)))
        result[f] = base - np.mean(scores)
    return pd.Series(result)


def _importance_with(X, y, model, metric, num_samples, generator_for_feature):
    base = metric(y, _risk(model, X))
    result = {}
    for f in X.columns:
        local = generator_for_feature()
        scores = []
        for _ in range(num_samples):
            shuffled = X.copy()
            shuffled[f] = local.permutation(shuffled[f].to_numpy())
            scores.append(metric(y, _risk(model, shuffled)))
        result[f] = base - np.mean(scores)
    return pd.Series(result)


def permutation_importance__fixed_seed(X, y, model, metric, num_samples=100, rng=None):
    """Creates np.random.default_rng(42) once per call, whatever rng is passed: every call repeats the same
    permutations, so the spread over repeated calls is zero."""
    fixed = np.random.default_rng(42)
    return _importance_with(X, y, model, metric, num_samples, lambda: fixed)


def permutation_importance__seeded_per_feature(X, y, model, metric, num_samples=100, rng=None):
    """Creates np.random.default_rng(0) for each feature (the rng argument is never used)."""
    return _importance_with(X, y, model, metric, num_samples, lambda: np.random.default_rng(0))


def permutation_importance__arguments_swapped(X, y, model, metric, num_samples=100, rng=None):
    """Calls metric(predictions, y) instead of metric(y, predictions)."""
    rng = np.random.default_rng() if rng is None else rng
    base = metric(_risk(model, X), y)
    return pd.Series(
        {
            f: base - np.mean([metric(_risk(model, _permute(X, f, rng)), y) for _ in range(num_samples)])
            for f in X.columns
        }
    )


def permutation_importance__drop_relative_to_first_permutation(X, y, model, metric, num_samples=100, rng=None):
    """Uses the first permuted score as the baseline instead of the unpermuted one."""
    rng = np.random.default_rng() if rng is None else rng
    result = {}
    for f in X.columns:
        scores = [metric(y, _risk(model, _permute(X, f, rng))) for _ in range(num_samples)]
        result[f] = scores[0] - np.mean(scores)
    return pd.Series(result)


# --------------------------------------------------------------------------------------------- grad_cam


def _features_and_gradients(model, image, category_index, layer_name, *, score=None):
    """(features, gradients), both (1, h, w, K): the layer's output and d score / d output."""
    grad_model = keras.Model(model.inputs, [model.get_layer(layer_name).output, model.output])
    with tf.GradientTape() as tape:
        features, predictions = grad_model(np.asarray(image, dtype=np.float32)[None])
        target = predictions[:, category_index] if score is None else score(predictions)
    return features, tape.gradient(target, features)


def _resize_and_normalise(cam, image):
    cam = tf.image.resize(cam[0][..., None], np.shape(image)[:2], method="bilinear")[..., 0].numpy()
    peak = cam.max()
    return cam / peak if peak > 0 else cam


def grad_cam__no_relu(model, image, category_index, layer_name):
    """Keeps the negative part of the weighted sum (no ReLU)."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1)
    return _resize_and_normalise(cam, image)


def grad_cam__absolute_value(model, image, category_index, layer_name):
    """Takes the absolute value of the weighted sum instead of its positive part."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.abs(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    return _resize_and_normalise(cam, image)


def grad_cam__weights_not_averaged(model, image, category_index, layer_name):
    """Multiplies each position's gradient with the activation there (no channel weights)."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.nn.relu(tf.reduce_sum(features * grads, axis=-1))
    return _resize_and_normalise(cam, image)


def grad_cam__mean_over_batch_and_rows(model, image, category_index, layer_name):
    """Averages the gradients over axes (0, 1) — the batch and the rows — leaving one weight per column."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    weights = tf.reduce_mean(grads, axis=(0, 1))  # (w, K)
    cam = tf.nn.relu(tf.reduce_sum(features * weights[None, None, :, :], axis=-1))
    return _resize_and_normalise(cam, image)


def grad_cam__wrong_class(model, image, category_index, layer_name):
    """Explains the model's most probable output instead of category_index."""
    predicted = int(np.argmax(model(np.asarray(image, dtype=np.float32)[None])[0]))
    features, grads = _features_and_gradients(model, image, predicted, layer_name)
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    return _resize_and_normalise(cam, image)


def grad_cam__first_class_always(model, image, category_index, layer_name):
    """Always takes the gradient of output 0."""
    features, grads = _features_and_gradients(model, image, 0, layer_name)
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    return _resize_and_normalise(cam, image)


def grad_cam__sum_of_all_outputs(model, image, category_index, layer_name):
    """Takes the gradient of all outputs together (tape.gradient(predictions, ...)) instead of one class."""
    features, grads = _features_and_gradients(
        model, image, category_index, layer_name, score=lambda p: tf.reduce_sum(p)
    )
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    return _resize_and_normalise(cam, image)


def grad_cam__not_resized(model, image, category_index, layer_name):
    """Returns the map at the layer's resolution."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))[0]
    cam = cam.numpy()
    return cam / cam.max() if cam.max() > 0 else cam


def grad_cam__not_normalised(model, image, category_index, layer_name):
    """Resizes but does not divide by the maximum."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    return tf.image.resize(cam[0][..., None], np.shape(image)[:2], method="bilinear")[..., 0].numpy()


def grad_cam__normalised_before_resizing(model, image, category_index, layer_name):
    """Divides by the maximum at the layer's resolution, then resizes (the resized maximum is then below 1)."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    peak = tf.reduce_max(cam)
    cam = cam / peak if peak > 0 else cam
    return tf.image.resize(cam[0][..., None], np.shape(image)[:2], method="bilinear")[..., 0].numpy()


def grad_cam__relu_after_resizing(model, image, category_index, layer_name):
    """Resizes the signed map and applies ReLU afterwards."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1)
    cam = tf.nn.relu(tf.image.resize(cam[0][..., None], np.shape(image)[:2], method="bilinear")[..., 0]).numpy()
    return cam / cam.max() if cam.max() > 0 else cam


def grad_cam__width_and_height_swapped(model, image, category_index, layer_name):
    """Resizes to (W, H) instead of (H, W)."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    height, width = np.shape(image)[:2]
    cam = tf.image.resize(cam[0][..., None], (width, height), method="bilinear")[..., 0].numpy()
    return cam / cam.max() if cam.max() > 0 else cam


def grad_cam__nearest_neighbour_resize(model, image, category_index, layer_name):
    """Resizes with method='nearest' instead of bilinear interpolation."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    cam = tf.image.resize(cam[0][..., None], np.shape(image)[:2], method="nearest")[..., 0].numpy()
    return cam / cam.max() if cam.max() > 0 else cam


def grad_cam__min_max_scaling(model, image, category_index, layer_name):
    """Scales to [0, 1] with (cam - min) / (max - min) instead of dividing by the maximum."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    cam = tf.image.resize(cam[0][..., None], np.shape(image)[:2], method="bilinear")[..., 0].numpy()
    span = cam.max() - cam.min()
    return (cam - cam.min()) / span if span > 0 else np.zeros_like(cam)


def grad_cam__zero_map_divided(model, image, category_index, layer_name):
    """Divides by the maximum without checking it: an all-zero map becomes NaN."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    cam = tf.image.resize(cam[0][..., None], np.shape(image)[:2], method="bilinear")[..., 0].numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        return cam / cam.max()


def grad_cam__epsilon_in_division(model, image, category_index, layer_name):
    """Divides by (maximum + 1e-7): harmless for large maps, wrong for the tiny values deep layers give."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    cam = tf.image.resize(cam[0][..., None], np.shape(image)[:2], method="bilinear")[..., 0].numpy()
    return cam / (cam.max() + 1e-7)


def grad_cam__input_gradients(model, image, category_index, layer_name):
    """Takes the gradient with respect to the input picture (a saliency map), ignoring layer_name."""
    x = tf.convert_to_tensor(np.asarray(image, dtype=np.float32)[None])
    with tf.GradientTape() as tape:
        tape.watch(x)
        score = model(x)[:, category_index]
    grads = tape.gradient(score, x)
    cam = tf.nn.relu(tf.reduce_sum(x * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    return _resize_and_normalise(cam, image)


def grad_cam__positive_gradients_only(model, image, category_index, layer_name):
    """Keeps only the positive gradients before averaging them."""
    features, grads = _features_and_gradients(model, image, category_index, layer_name)
    weights = tf.reduce_mean(tf.nn.relu(grads), axis=(1, 2))
    cam = tf.nn.relu(tf.reduce_sum(features * weights[:, None, None, :], axis=-1))
    return _resize_and_normalise(cam, image)


def grad_cam__training_mode(model, image, category_index, layer_name):
    """Calls the model with training=True: batch normalisation uses the statistics of this one picture."""
    grad_model = keras.Model(model.inputs, [model.get_layer(layer_name).output, model.output])
    with tf.GradientTape() as tape:
        features, predictions = grad_model(np.asarray(image, dtype=np.float32)[None], training=True)
        score = predictions[:, category_index]
    grads = tape.gradient(score, features)
    cam = tf.nn.relu(tf.reduce_sum(features * tf.reduce_mean(grads, axis=(1, 2))[:, None, None, :], axis=-1))
    return _resize_and_normalise(cam, image)


# --------------------------------------------------------------------------------------------- pointing_game


def _peak(cam):
    cam = np.asarray(cam, dtype=float)
    return np.unravel_index(np.argmax(cam), cam.shape)


def _boxes(boxes):
    return np.asarray(boxes, dtype=float).reshape(-1, 4)


def pointing_game__x_and_y_swapped(cam, boxes):
    """Compares the row with x and the column with y."""
    row, col = _peak(cam)
    return bool(any(x <= row < x + w and y <= col < y + h for x, y, w, h in _boxes(boxes)))


def pointing_game__right_edge_included(cam, boxes):
    """Counts the pixel at x + w (and y + h) as inside: x <= col <= x + w."""
    row, col = _peak(cam)
    return bool(any(x <= col <= x + w and y <= row <= y + h for x, y, w, h in _boxes(boxes)))


def pointing_game__left_edge_excluded(cam, boxes):
    """Excludes the first column and row of the box: x < col < x + w."""
    row, col = _peak(cam)
    return bool(any(x < col < x + w and y < row < y + h for x, y, w, h in _boxes(boxes)))


def pointing_game__last_maximum(cam, boxes):
    """Takes the last of several equal maxima instead of the first."""
    cam = np.asarray(cam, dtype=float)
    flat = cam.ravel()
    index = len(flat) - 1 - int(np.argmax(flat[::-1]))
    row, col = np.unravel_index(index, cam.shape)
    return bool(any(x <= col < x + w and y <= row < y + h for x, y, w, h in _boxes(boxes)))


def pointing_game__column_major_maximum(cam, boxes):
    """Finds the first maximum column by column (argmax of the transposed map)."""
    cam = np.asarray(cam, dtype=float)
    col, row = np.unravel_index(np.argmax(cam.T), cam.T.shape)
    return bool(any(x <= col < x + w and y <= row < y + h for x, y, w, h in _boxes(boxes)))


def pointing_game__unravel_with_swapped_shape(cam, boxes):
    """Unravels the flat argmax with (W, H) instead of (H, W)."""
    cam = np.asarray(cam, dtype=float)
    row, col = np.unravel_index(np.argmax(cam), cam.shape[::-1])
    return bool(any(x <= col < x + w and y <= row < y + h for x, y, w, h in _boxes(boxes)))


def pointing_game__all_boxes(cam, boxes):
    """Requires the maximum to be inside every box (all instead of any)."""
    row, col = _peak(cam)
    boxes = _boxes(boxes)
    return bool(len(boxes) and all(x <= col < x + w and y <= row < y + h for x, y, w, h in boxes))


def pointing_game__corners_not_sizes(cam, boxes):
    """Reads the boxes as (x1, y1, x2, y2) corners: x <= col < w."""
    row, col = _peak(cam)
    return bool(any(x <= col < w and y <= row < h for x, y, w, h in _boxes(boxes)))


def pointing_game__first_box_only(cam, boxes):
    """Checks only the first box."""
    row, col = _peak(cam)
    boxes = _boxes(boxes)
    if not len(boxes):
        return False
    x, y, w, h = boxes[0]
    return bool(x <= col < x + w and y <= row < y + h)


def pointing_game__integer_boxes(cam, boxes):
    """Truncates the box coordinates to integers first (int(x), int(x + w))."""
    row, col = _peak(cam)
    return bool(any(int(x) <= col < int(x + w) and int(y) <= row < int(y + h) for x, y, w, h in _boxes(boxes)))


def pointing_game__pixel_centre(cam, boxes):
    """Uses the pixel's centre (col + 0.5, row + 0.5) instead of its index."""
    row, col = _peak(cam)
    return bool(any(x <= col + 0.5 < x + w and y <= row + 0.5 < y + h for x, y, w, h in _boxes(boxes)))


def pointing_game__centre_of_mass(cam, boxes):
    """Uses the map's centre of mass instead of its maximum."""
    cam = np.asarray(cam, dtype=float)
    rows, cols = np.indices(cam.shape)
    total = cam.sum() or 1.0
    row, col = (cam * rows).sum() / total, (cam * cols).sum() / total
    return bool(any(x <= col < x + w and y <= row < y + h for x, y, w, h in _boxes(boxes)))
