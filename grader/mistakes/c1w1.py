"""Plausible wrong answers for week C1W1: every one must be rejected by the hidden tests.

Naming: ``<exercise>__<what goes wrong>``. Each is self-contained (NumPy, pandas and keras.ops only), so it can be
pasted into a notebook as a submission and run through ``python -m grader test-impl``.
"""

import numpy as np
from keras import ops

# --------------------------------------------------------------------------------------------- check_for_leakage


def check_for_leakage__all_instead_of_any(df1, df2, patient_col):
    """True only when every patient of the first frame is also in the second."""
    return bool(df1[patient_col].isin(df2[patient_col]).all())


def check_for_leakage__compares_rows_in_place(df1, df2, patient_col):
    """Compares the two columns row by row (same position), which only finds a shared patient by luck."""
    n = min(len(df1), len(df2))
    return bool((df1[patient_col].to_numpy()[:n] == df2[patient_col].to_numpy()[:n]).any())


def check_for_leakage__uses_the_index(df1, df2, patient_col):
    """Looks for shared row labels (the index) instead of shared patients."""
    return len(set(df1.index) & set(df2.index)) > 0


def check_for_leakage__hard_coded_column(df1, df2, patient_col):
    """Ignores patient_col and always uses 'PatientId'."""
    column = "PatientId" if "PatientId" in df1.columns else patient_col
    return len(set(df1[column]) & set(df2[column])) > 0


def check_for_leakage__returns_the_count(df1, df2, patient_col):
    """Returns how many patients are shared (a number), not True/False."""
    return len(set(df1[patient_col]) & set(df2[patient_col]))


def check_for_leakage__counts_duplicates_as_leakage(df1, df2, patient_col):
    """Compares the number of distinct ids with the number of rows: repeated patients inside one frame count."""
    combined = list(df1[patient_col]) + list(df2[patient_col])
    return len(set(combined)) < len(combined)


def check_for_leakage__first_rows_only(df1, df2, patient_col):
    """Checks only whether the first frame's first patient is in the second frame."""
    if len(df1) == 0:
        return False
    return bool(df1[patient_col].iloc[0] in set(df2[patient_col]))


def check_for_leakage__normalizes_ids(df1, df2, patient_col):
    """Lower-cases and strips string ids, so 'P1' and 'p1 ' are taken for the same patient."""

    def norm(values):
        return {str(v).strip().lower() for v in values}

    return len(norm(df1[patient_col]) & norm(df2[patient_col])) > 0


# --------------------------------------------------------------------------------------------- compute_class_freqs


def compute_class_freqs__wrong_axis(labels):
    """Averages over the findings of each image (axis=1) instead of over the images."""
    labels = np.asarray(labels, dtype=float)
    pos = labels.mean(axis=1)
    return pos, 1 - pos


def compute_class_freqs__counts(labels):
    """Returns counts of positives and negatives instead of fractions."""
    labels = np.asarray(labels, dtype=float)
    pos = labels.sum(axis=0)
    return pos, len(labels) - pos


def compute_class_freqs__overall_fraction(labels):
    """One fraction over the whole matrix, repeated for every finding."""
    labels = np.asarray(labels, dtype=float)
    pos = np.full(labels.shape[1], labels.mean())
    return pos, 1 - pos


def compute_class_freqs__divides_by_classes(labels):
    """Divides the per-finding counts by the number of findings instead of the number of images."""
    labels = np.asarray(labels, dtype=float)
    pos = labels.sum(axis=0) / labels.shape[1]
    return pos, 1 - pos


def compute_class_freqs__swapped(labels):
    """Returns (negative, positive) instead of (positive, negative)."""
    labels = np.asarray(labels, dtype=float)
    pos = labels.mean(axis=0)
    return 1 - pos, pos


def compute_class_freqs__negative_as_positive_complement_count(labels):
    """Negative frequency computed as the number of zeros in each column divided by the number of findings."""
    labels = np.asarray(labels, dtype=float)
    return labels.mean(axis=0), (labels == 0).sum(axis=0) / labels.shape[1]


def compute_class_freqs__odds(labels):
    """Returns positive/negative odds instead of frequencies."""
    labels = np.asarray(labels, dtype=float)
    pos = labels.sum(axis=0)
    neg = len(labels) - pos
    return pos / np.maximum(neg, 1), neg / np.maximum(pos, 1)


# --------------------------------------------------------------------------------------------- get_weighted_loss


def get_weighted_loss__swapped_weights(pos_weights, neg_weights, epsilon=1e-7):
    """Multiplies the positive term by the negative weights and vice versa."""

    def loss(y_true, y_pred):
        y_true, y_pred = ops.cast(y_true, "float32"), ops.cast(y_pred, "float32")
        terms = -(
            neg_weights * y_true * ops.log(y_pred + epsilon)
            + pos_weights * (1 - y_true) * ops.log(1 - y_pred + epsilon)
        )
        return ops.sum(ops.mean(terms, axis=0))

    return loss


def get_weighted_loss__mean_over_classes(pos_weights, neg_weights, epsilon=1e-7):
    """Averages over the classes instead of summing them."""

    def loss(y_true, y_pred):
        y_true, y_pred = ops.cast(y_true, "float32"), ops.cast(y_pred, "float32")
        terms = -(
            pos_weights * y_true * ops.log(y_pred + epsilon)
            + neg_weights * (1 - y_true) * ops.log(1 - y_pred + epsilon)
        )
        return ops.mean(terms)

    return loss


def get_weighted_loss__sum_over_batch(pos_weights, neg_weights, epsilon=1e-7):
    """Sums over the images of the batch instead of taking their mean."""

    def loss(y_true, y_pred):
        y_true, y_pred = ops.cast(y_true, "float32"), ops.cast(y_pred, "float32")
        terms = -(
            pos_weights * y_true * ops.log(y_pred + epsilon)
            + neg_weights * (1 - y_true) * ops.log(1 - y_pred + epsilon)
        )
        return ops.sum(terms)

    return loss


def get_weighted_loss__no_epsilon(pos_weights, neg_weights, epsilon=1e-7):
    """Takes log(p) without epsilon: infinite loss when a probability is exactly 0 or 1."""

    def loss(y_true, y_pred):
        y_true, y_pred = ops.cast(y_true, "float32"), ops.cast(y_pred, "float32")
        terms = -(pos_weights * y_true * ops.log(y_pred) + neg_weights * (1 - y_true) * ops.log(1 - y_pred))
        return ops.sum(ops.mean(terms, axis=0))

    return loss


def get_weighted_loss__epsilon_outside_log(pos_weights, neg_weights, epsilon=1e-7):
    """Adds epsilon after the log (log(p) + epsilon) instead of inside it."""

    def loss(y_true, y_pred):
        y_true, y_pred = ops.cast(y_true, "float32"), ops.cast(y_pred, "float32")
        terms = -(
            pos_weights * y_true * (ops.log(y_pred) + epsilon)
            + neg_weights * (1 - y_true) * (ops.log(1 - y_pred) + epsilon)
        )
        return ops.sum(ops.mean(terms, axis=0))

    return loss


def get_weighted_loss__ignores_epsilon_argument(pos_weights, neg_weights, epsilon=1e-7):
    """Always adds 1e-7, whatever epsilon the caller passes."""

    def loss(y_true, y_pred):
        y_true, y_pred = ops.cast(y_true, "float32"), ops.cast(y_pred, "float32")
        terms = -(
            pos_weights * y_true * ops.log(y_pred + 1e-7) + neg_weights * (1 - y_true) * ops.log(1 - y_pred + 1e-7)
        )
        return ops.sum(ops.mean(terms, axis=0))

    return loss


def get_weighted_loss__missing_minus_sign(pos_weights, neg_weights, epsilon=1e-7):
    """Forgets the minus sign: the loss is negative and training maximises it."""

    def loss(y_true, y_pred):
        y_true, y_pred = ops.cast(y_true, "float32"), ops.cast(y_pred, "float32")
        terms = pos_weights * y_true * ops.log(y_pred + epsilon) + neg_weights * (1 - y_true) * ops.log(
            1 - y_pred + epsilon
        )
        return ops.sum(ops.mean(terms, axis=0))

    return loss


def get_weighted_loss__numpy_only(pos_weights, neg_weights, epsilon=1e-7):
    """Right formula in NumPy: correct on arrays, but Keras cannot train with it (tensors inside fit)."""

    def loss(y_true, y_pred):
        y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
        terms = -(
            np.asarray(pos_weights) * y_true * np.log(y_pred + epsilon)
            + np.asarray(neg_weights) * (1 - y_true) * np.log(1 - y_pred + epsilon)
        )
        return float(np.sum(np.mean(terms, axis=0)))

    return loss


def get_weighted_loss__one_weight_per_batch(pos_weights, neg_weights, epsilon=1e-7):
    """Uses the mean of the weights for every class instead of each class's own weight."""

    def loss(y_true, y_pred):
        y_true, y_pred = ops.cast(y_true, "float32"), ops.cast(y_pred, "float32")
        w_pos, w_neg = float(np.mean(pos_weights)), float(np.mean(neg_weights))
        terms = -(w_pos * y_true * ops.log(y_pred + epsilon) + w_neg * (1 - y_true) * ops.log(1 - y_pred + epsilon))
        return ops.sum(ops.mean(terms, axis=0))

    return loss
