"""Plausible wrong answers for week C1W2: every one must be rejected by the hidden tests.

Naming: ``<exercise>__<what goes wrong>``. Each uses NumPy, scikit-learn's metrics and the small private helpers at
the top of its section (``_calls``, ``_counts``, ``_split``, ...); ``python -m grader test-impl`` runs any of them
straight from this file. The ones without a helper (e.g. ``get_tp_tn_fp_fn__strict_threshold``) can also be pasted
into a notebook as a submission.
"""

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve


def _calls(y, pred, th):
    return np.asarray(y) == 1, np.asarray(pred) >= th


# --------------------------------------------------------------------------------------------- get_tp_tn_fp_fn


def get_tp_tn_fp_fn__strict_threshold(y, pred, th=0.5):
    """Uses pred > th: a prediction equal to the threshold is called negative."""
    t, c = np.asarray(y) == 1, np.asarray(pred) > th
    return int(np.sum(t & c)), int(np.sum(~t & ~c)), int(np.sum(~t & c)), int(np.sum(t & ~c))


def get_tp_tn_fp_fn__fp_fn_swapped(y, pred, th=0.5):
    """Calls a missed positive a false positive and a false alarm a false negative."""
    t, c = _calls(y, pred, th)
    return int(np.sum(t & c)), int(np.sum(~t & ~c)), int(np.sum(t & ~c)), int(np.sum(~t & c))


def get_tp_tn_fp_fn__sklearn_order(y, pred, th=0.5):
    """Returns scikit-learn's confusion_matrix(...).ravel() order (tn, fp, fn, tp)."""
    t, c = _calls(y, pred, th)
    return int(np.sum(~t & ~c)), int(np.sum(~t & c)), int(np.sum(t & ~c)), int(np.sum(t & c))


def get_tp_tn_fp_fn__ignores_threshold(y, pred, th=0.5):
    """Always thresholds at 0.5, whatever th is."""
    t, c = _calls(y, pred, 0.5)
    return int(np.sum(t & c)), int(np.sum(~t & ~c)), int(np.sum(~t & c)), int(np.sum(t & ~c))


def get_tp_tn_fp_fn__rounds_predictions(y, pred, th=0.5):
    """Calls np.round(pred) == 1 positive: ignores th, and rounds 0.5 down (to the even number 0)."""
    t, c = np.asarray(y) == 1, np.round(np.asarray(pred, dtype=float)) == 1
    return int(np.sum(t & c)), int(np.sum(~t & ~c)), int(np.sum(~t & c)), int(np.sum(t & ~c))


def get_tp_tn_fp_fn__fractions(y, pred, th=0.5):
    """Returns the four cells as fractions of all pictures instead of counts."""
    t, c = _calls(y, pred, th)
    return np.mean(t & c), np.mean(~t & ~c), np.mean(~t & c), np.mean(t & ~c)


def get_tp_tn_fp_fn__fn_from_negatives(y, pred, th=0.5):
    """Counts a false negative as a negative picture called negative (so FN repeats TN)."""
    t, c = _calls(y, pred, th)
    return int(np.sum(t & c)), int(np.sum(~t & ~c)), int(np.sum(~t & c)), int(np.sum(~t & ~c))


# --------------------------------------------------------------------------------------------- get_accuracy


def get_accuracy__strict_threshold(y, pred, th=0.5):
    """Uses pred > th."""
    return float(np.mean((np.asarray(y) == 1) == (np.asarray(pred) > th)))


def get_accuracy__ignores_threshold(y, pred, th=0.5):
    """Always thresholds at 0.5."""
    return float(np.mean((np.asarray(y) == 1) == (np.asarray(pred) >= 0.5)))


def get_accuracy__error_rate(y, pred, th=0.5):
    """Returns the fraction of wrong calls."""
    t, c = _calls(y, pred, th)
    return float(np.mean(t != c))


def get_accuracy__count_not_fraction(y, pred, th=0.5):
    """Returns the number of correct calls."""
    t, c = _calls(y, pred, th)
    return float(np.sum(t == c))


def get_accuracy__forgets_fn(y, pred, th=0.5):
    """Divides by TP + TN + FP, leaving the false negatives out of the denominator."""
    t, c = _calls(y, pred, th)
    tp, tn, fp = np.sum(t & c), np.sum(~t & ~c), np.sum(~t & c)
    return float((tp + tn) / (tp + tn + fp)) if tp + tn + fp else float("nan")


def get_accuracy__balanced(y, pred, th=0.5):
    """Returns balanced accuracy, the mean of sensitivity and specificity (nan-safe)."""
    t, c = _calls(y, pred, th)
    rates = [np.mean(c[t]) if t.any() else np.nan, np.mean(~c[~t]) if (~t).any() else np.nan]
    return float(np.nanmean(rates))


def get_accuracy__positives_only(y, pred, th=0.5):
    """Measures how many positive pictures are called positive (that is sensitivity, not accuracy)."""
    t, c = _calls(y, pred, th)
    return float(np.mean(c[t])) if t.any() else 1.0


# --------------------------------------------------------------------------------------------- get_prevalence


def get_prevalence__count_not_fraction(y):
    """Returns the number of positive pictures."""
    return float(np.sum(np.asarray(y) == 1))


def get_prevalence__fraction_negative(y):
    """Returns the fraction of pictures without the finding."""
    return float(np.mean(np.asarray(y) == 0))


def get_prevalence__bincount_index(y):
    """np.bincount(y)[1] fails (IndexError) when no picture is positive."""
    y = np.asarray(y).astype(int)
    return float(np.bincount(y)[1] / len(y))


def get_prevalence__odds(y):
    """Returns positives / negatives (the odds) instead of positives / all pictures."""
    y = np.asarray(y) == 1
    return float(y.sum() / (~y).sum()) if (~y).any() else float("inf")


def get_prevalence__mean_of_distinct_labels(y):
    """Averages the distinct label values (np.unique), which is 0.5 whenever both classes occur."""
    return float(np.mean(np.unique(np.asarray(y, dtype=float))))


def get_prevalence__integer_division(y):
    """Floor division gives 0 unless every picture is positive."""
    y = np.asarray(y).astype(int)
    return float(y.sum() // len(y))


def get_prevalence__rounded(y):
    """Rounds to two decimals 'for readability'."""
    return round(float(np.mean(np.asarray(y) == 1)), 2)


# ----------------------------------------------------------------------------------- get_sensitivity_specificity


def _rates(tp, tn, fp, fn):
    sens = tp / (tp + fn) if tp + fn else np.nan
    spec = tn / (tn + fp) if tn + fp else np.nan
    return float(sens), float(spec)


def _counts(y, pred, th, strict=False):
    t = np.asarray(y) == 1
    c = np.asarray(pred) > th if strict else np.asarray(pred) >= th
    return np.sum(t & c), np.sum(~t & ~c), np.sum(~t & c), np.sum(t & ~c)


def get_sensitivity_specificity__swapped(y, pred, th=0.5):
    """Returns (specificity, sensitivity)."""
    sens, spec = _rates(*_counts(y, pred, th))
    return spec, sens


def get_sensitivity_specificity__strict_threshold(y, pred, th=0.5):
    """Uses pred > th."""
    return _rates(*_counts(y, pred, th, strict=True))


def get_sensitivity_specificity__sensitivity_is_ppv(y, pred, th=0.5):
    """Divides TP by the positive calls (TP + FP): that is PPV."""
    tp, tn, fp, fn = _counts(y, pred, th)
    return float(tp / (tp + fp)) if tp + fp else np.nan, _rates(tp, tn, fp, fn)[1]


def get_sensitivity_specificity__specificity_is_npv(y, pred, th=0.5):
    """Divides TN by the negative calls (TN + FN): that is NPV."""
    tp, tn, fp, fn = _counts(y, pred, th)
    return _rates(tp, tn, fp, fn)[0], float(tn / (tn + fn)) if tn + fn else np.nan


def get_sensitivity_specificity__zero_not_nan(y, pred, th=0.5):
    """Reports 0 instead of nan when a class is empty (max(1, denominator))."""
    tp, tn, fp, fn = _counts(y, pred, th)
    return float(tp / max(1, tp + fn)), float(tn / max(1, tn + fp))


def get_sensitivity_specificity__zero_division(y, pred, th=0.5):
    """Divides Python integers without checking the denominator: ZeroDivisionError when a class is empty."""
    tp, tn, fp, fn = (int(v) for v in _counts(y, pred, th))
    return tp / (tp + fn), tn / (tn + fp)


def get_sensitivity_specificity__specificity_from_sensitivity(y, pred, th=0.5):
    """Takes specificity to be 1 - sensitivity."""
    sens, _ = _rates(*_counts(y, pred, th))
    return sens, 1 - sens


def get_sensitivity_specificity__false_positive_rate(y, pred, th=0.5):
    """Returns FP / (FP + TN), the false positive rate, as the specificity."""
    tp, tn, fp, fn = _counts(y, pred, th)
    return _rates(tp, tn, fp, fn)[0], float(fp / (fp + tn)) if fp + tn else np.nan


def get_sensitivity_specificity__ignores_threshold(y, pred, th=0.5):
    """Always thresholds at 0.5."""
    return _rates(*_counts(y, pred, 0.5))


# --------------------------------------------------------------------------------------------- get_ppv_npv


def _ppv_npv(tp, tn, fp, fn):
    return (float(tp / (tp + fp)) if tp + fp else np.nan), (float(tn / (tn + fn)) if tn + fn else np.nan)


def get_ppv_npv__swapped(y, pred, th=0.5):
    """Returns (npv, ppv)."""
    ppv, npv = _ppv_npv(*_counts(y, pred, th))
    return npv, ppv


def get_ppv_npv__strict_threshold(y, pred, th=0.5):
    """Uses pred > th."""
    return _ppv_npv(*_counts(y, pred, th, strict=True))


def get_ppv_npv__ppv_is_sensitivity(y, pred, th=0.5):
    """Divides TP by the positive pictures (TP + FN): that is sensitivity."""
    tp, tn, fp, fn = _counts(y, pred, th)
    return float(tp / (tp + fn)) if tp + fn else np.nan, _ppv_npv(tp, tn, fp, fn)[1]


def get_ppv_npv__npv_is_specificity(y, pred, th=0.5):
    """Divides TN by the negative pictures (TN + FP): that is specificity."""
    tp, tn, fp, fn = _counts(y, pred, th)
    return _ppv_npv(tp, tn, fp, fn)[0], float(tn / (tn + fp)) if tn + fp else np.nan


def get_ppv_npv__zero_not_nan(y, pred, th=0.5):
    """Reports 0 instead of nan when nothing is called positive (or negative)."""
    tp, tn, fp, fn = _counts(y, pred, th)
    return float(tp / max(1, tp + fp)), float(tn / max(1, tn + fn))


def get_ppv_npv__bayes_with_prevalence_of_calls(y, pred, th=0.5):
    """Bayes' rule with the prevalence of positive calls (predictions) instead of the prevalence of the finding."""
    tp, tn, fp, fn = _counts(y, pred, th)
    sens = tp / (tp + fn) if tp + fn else np.nan
    spec = tn / (tn + fp) if tn + fp else np.nan
    prev = np.mean(np.asarray(pred) >= th)
    with np.errstate(all="ignore"):
        ppv = sens * prev / (sens * prev + (1 - spec) * (1 - prev))
        npv = spec * (1 - prev) / (spec * (1 - prev) + (1 - sens) * prev)
    return float(ppv), float(npv)


def get_ppv_npv__false_omission_rate(y, pred, th=0.5):
    """Returns FN / (FN + TN), the false omission rate, as the NPV."""
    tp, tn, fp, fn = _counts(y, pred, th)
    return _ppv_npv(tp, tn, fp, fn)[0], float(fn / (fn + tn)) if fn + tn else np.nan


def get_ppv_npv__over_all_pictures(y, pred, th=0.5):
    """Divides TP and TN by the number of pictures."""
    tp, tn, fp, fn = _counts(y, pred, th)
    n = tp + tn + fp + fn
    return float(tp / n), float(tn / n)


def get_ppv_npv__zero_division(y, pred, th=0.5):
    """Divides Python integers without checking: ZeroDivisionError when nothing is called positive."""
    tp, tn, fp, fn = (int(v) for v in _counts(y, pred, th))
    return tp / (tp + fp), tn / (tn + fn)


# --------------------------------------------------------------------------------------------- bootstrap_auc


def _split(y, pred):
    y, pred = np.asarray(y), np.asarray(pred, dtype=float)
    return y, pred, np.flatnonzero(y == 1), np.flatnonzero(y == 0)


def bootstrap_auc__unstratified(y, pred, n_bootstraps=1000, seed=0):
    """Resamples all pictures together (class counts vary), skipping resamples with a single class."""
    y, pred, _, _ = _split(y, pred)
    rng = np.random.default_rng(seed)
    aucs = []
    while len(aucs) < n_bootstraps:
        idx = rng.integers(0, len(y), len(y))
        if 0 < y[idx].sum() < len(y):
            aucs.append(roc_auc_score(y[idx], pred[idx]))
    return np.array(aucs)


def bootstrap_auc__without_replacement(y, pred, n_bootstraps=1000, seed=0):
    """Draws each class without replacement: every 'resample' is the data in another order."""
    y, pred, pos, neg = _split(y, pred)
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n_bootstraps):
        idx = np.r_[rng.choice(pos, len(pos), replace=False), rng.choice(neg, len(neg), replace=False)]
        aucs.append(roc_auc_score(y[idx], pred[idx]))
    return np.array(aucs)


def bootstrap_auc__positives_only(y, pred, n_bootstraps=1000, seed=0):
    """Resamples the positive pictures and keeps every negative picture once."""
    y, pred, pos, neg = _split(y, pred)
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n_bootstraps):
        idx = np.r_[rng.choice(pos, len(pos)), neg]
        aucs.append(roc_auc_score(y[idx], pred[idx]))
    return np.array(aucs)


def bootstrap_auc__negatives_only(y, pred, n_bootstraps=1000, seed=0):
    """Resamples the negative pictures and keeps every positive picture once."""
    y, pred, pos, neg = _split(y, pred)
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n_bootstraps):
        idx = np.r_[pos, rng.choice(neg, len(neg))]
        aucs.append(roc_auc_score(y[idx], pred[idx]))
    return np.array(aucs)


def bootstrap_auc__generator_in_loop(y, pred, n_bootstraps=1000, seed=0):
    """Creates np.random.default_rng(seed) inside the loop: every resample is the same."""
    y, pred, pos, neg = _split(y, pred)
    aucs = []
    for _ in range(n_bootstraps):
        rng = np.random.default_rng(seed)
        idx = np.r_[rng.choice(pos, len(pos)), rng.choice(neg, len(neg))]
        aucs.append(roc_auc_score(y[idx], pred[idx]))
    return np.array(aucs)


def bootstrap_auc__unseeded(y, pred, n_bootstraps=1000, seed=0):
    """Uses np.random.default_rng() without the seed: results change from call to call."""
    y, pred, pos, neg = _split(y, pred)
    rng = np.random.default_rng()
    aucs = []
    for _ in range(n_bootstraps):
        idx = np.r_[rng.choice(pos, len(pos)), rng.choice(neg, len(neg))]
        aucs.append(roc_auc_score(y[idx], pred[idx]))
    return np.array(aucs)


def bootstrap_auc__loop_index_as_seed(y, pred, n_bootstraps=1000, seed=0):
    """Seeds a new generator with the loop index: reproducible, but the seed argument changes nothing."""
    y, pred, pos, neg = _split(y, pred)
    aucs = []
    for b in range(n_bootstraps):
        rng = np.random.default_rng(b)
        idx = np.r_[rng.choice(pos, len(pos)), rng.choice(neg, len(neg))]
        aucs.append(roc_auc_score(y[idx], pred[idx]))
    return np.array(aucs)


def bootstrap_auc__labels_not_resampled(y, pred, n_bootstraps=1000, seed=0):
    """Resamples the predictions (positives first, then negatives) but scores them against the labels in their
    original order."""
    y, pred, pos, neg = _split(y, pred)
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n_bootstraps):
        idx = np.r_[rng.choice(pos, len(pos)), rng.choice(neg, len(neg))]
        aucs.append(roc_auc_score(y, pred[idx]))
    return np.array(aucs)


def bootstrap_auc__last_picture_never_drawn(y, pred, n_bootstraps=1000, seed=0):
    """rng.integers(0, k - 1) treats the upper bound as inclusive (like random.randint): the last picture of each
    class is never drawn."""
    y, pred, pos, neg = _split(y, pred)
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n_bootstraps):
        idx = np.r_[
            pos[rng.integers(0, max(1, len(pos) - 1), len(pos))], neg[rng.integers(0, max(1, len(neg) - 1), len(neg))]
        ]
        aucs.append(roc_auc_score(y[idx], pred[idx]))
    return np.array(aucs)


def bootstrap_auc__ties_count_as_misordered(y, pred, n_bootstraps=1000, seed=0):
    """Computes the AUC by hand as the share of positive-negative pairs with pos > neg, giving ties no credit."""
    y, pred, pos, neg = _split(y, pred)
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n_bootstraps):
        p, n = pred[rng.choice(pos, len(pos))], pred[rng.choice(neg, len(neg))]
        aucs.append(np.mean(p[:, None] > n[None, :]))
    return np.array(aucs)


def bootstrap_auc__returns_interval(y, pred, n_bootstraps=1000, seed=0):
    """Returns the 5th and 95th percentiles instead of the resampled AUCs."""
    y, pred, pos, neg = _split(y, pred)
    rng = np.random.default_rng(seed)
    aucs = [
        roc_auc_score(y[idx], pred[idx])
        for idx in (np.r_[rng.choice(pos, len(pos)), rng.choice(neg, len(neg))] for _ in range(n_bootstraps))
    ]
    return np.percentile(aucs, [5, 95])


def bootstrap_auc__binarized_predictions(y, pred, n_bootstraps=1000, seed=0):
    """Computes the AUC of the calls pred >= 0.5 instead of the predicted probabilities."""
    y, pred, pos, neg = _split(y, pred)
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n_bootstraps):
        idx = np.r_[rng.choice(pos, len(pos)), rng.choice(neg, len(neg))]
        aucs.append(roc_auc_score(y[idx], (pred[idx] >= 0.5).astype(int)))
    return np.array(aucs)


def bootstrap_auc__equal_class_sizes(y, pred, n_bootstraps=1000, seed=0):
    """Draws half of the resample from each class ('balanced bootstrap'): the class counts change."""
    y, pred, pos, neg = _split(y, pred)
    rng = np.random.default_rng(seed)
    half = len(y) // 2
    aucs = []
    for _ in range(n_bootstraps):
        idx = np.r_[rng.choice(pos, half), rng.choice(neg, len(y) - half)]
        aucs.append(roc_auc_score(y[idx], pred[idx]))
    return np.array(aucs)


def bootstrap_auc__class_positions_used_as_indices(y, pred, n_bootstraps=1000, seed=0):
    """Draws positions 0..P-1 and 0..N-1 within each class but uses them as indices into the whole array."""
    y, pred, pos, neg = _split(y, pred)
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n_bootstraps):
        idx = np.r_[rng.integers(0, len(pos), len(pos)), rng.integers(0, len(neg), len(neg))]
        aucs.append(roc_auc_score(y[idx], pred[idx]) if 0 < y[idx].sum() < len(idx) else np.nan)
    return np.array(aucs)


# ------------------------------------------------------------------------------------- threshold_for_sensitivity


def _positive_preds(y, pred):
    return np.sort(np.asarray(pred, dtype=float)[np.asarray(y) == 1])[::-1]  # highest first


def threshold_for_sensitivity__floor(y, pred, target):
    """Rounds target * positives down: the sensitivity ends just below the target."""
    pos = _positive_preds(y, pred)
    return float(pos[max(int(np.floor(target * len(pos))), 1) - 1])


def threshold_for_sensitivity__strict_comparison(y, pred, target):
    """Measures sensitivity with pred > threshold, so the chosen threshold is one positive too low."""
    pos = _positive_preds(y, pred)
    candidates = np.unique(pos)
    ok = [c for c in candidates if np.mean(pos > c) >= target]
    return float(max(ok)) if ok else float(candidates.min())


def threshold_for_sensitivity__smallest(y, pred, target):
    """Returns the smallest candidate whose sensitivity reaches the target (always the lowest positive score)."""
    pos = _positive_preds(y, pred)
    return float(min(c for c in pos if np.mean(pos >= c) >= target))


def threshold_for_sensitivity__quantile(y, pred, target):
    """Takes the (1 - target) quantile of the positive predictions, which interpolates between them."""
    return float(np.quantile(_positive_preds(y, pred), 1 - target))


def threshold_for_sensitivity__over_all_pictures(y, pred, target):
    """Measures 'sensitivity' as the fraction of all pictures at or above the threshold."""
    pred = np.asarray(pred, dtype=float)
    candidates = np.unique(pred[np.asarray(y) == 1])
    ok = [c for c in candidates if np.mean(pred >= c) >= target]
    return float(max(ok)) if ok else float(candidates.min())


def threshold_for_sensitivity__returns_sensitivity(y, pred, target):
    """Returns the sensitivity reached instead of the threshold that reaches it."""
    pos = _positive_preds(y, pred)
    th = max(c for c in pos if np.mean(pos >= c) >= target)
    return float(np.mean(pos >= th))


def threshold_for_sensitivity__index_past_the_end(y, pred, target):
    """Indexes the sorted positives at int(target * P): right unless target * P is whole (target = 1 fails)."""
    pos = _positive_preds(y, pred)
    return float(pos[int(target * len(pos))])


def threshold_for_sensitivity__distinct_values_indexed(y, pred, target):
    """Indexes the distinct positive predictions by the number of positives needed: wrong when positives tie."""
    distinct = np.unique(_positive_preds(y, pred))[::-1]
    needed = int(np.ceil(target * (np.asarray(y) == 1).sum()))
    return float(distinct[min(needed, len(distinct)) - 1])


def threshold_for_sensitivity__strictly_above_target(y, pred, target):
    """Requires sensitivity > target: fails when only catching every positive reaches it (target = 1)."""
    pos = _positive_preds(y, pred)
    return float(max(c for c in pos if np.mean(pos >= c) > target))


def threshold_for_sensitivity__strictly_above_target_with_fallback(y, pred, target):
    """Requires sensitivity > target, falling back to the lowest positive prediction when no candidate qualifies:
    differs from the reference only when the target is met exactly by k of the P positives."""
    pos = _positive_preds(y, pred)
    for c in sorted(pos, reverse=True):
        if np.mean(pos >= c) > target:
            return float(c)
    return float(min(pos))


def threshold_for_sensitivity__negative_predictions(y, pred, target):
    """Takes the candidates from the predictions of the negative pictures."""
    y, pred = np.asarray(y) == 1, np.asarray(pred, dtype=float)
    candidates = [c for c in np.unique(pred[~y]) if np.mean(pred[y] >= c) >= target]
    return float(max(candidates)) if candidates else float(pred[y].min())


def threshold_for_sensitivity__percentile_lower(y, pred, target):
    """np.percentile(..., method="lower") at 100 (1 - target): its rank (P - 1)(1 - target) is not the one needed."""
    return float(np.percentile(_positive_preds(y, pred), 100 * (1 - target), method="lower"))


def threshold_for_sensitivity__roc_curve_default(y, pred, target):
    """Reads the threshold off roc_curve with its default drop_intermediate=True, which drops thresholds in the
    middle of vertical runs of the curve, so the first kept threshold reaching the target can be too low."""
    _, tpr, thresholds = roc_curve(np.asarray(y), np.asarray(pred, dtype=float))
    return float(thresholds[np.argmax(tpr >= target)])
