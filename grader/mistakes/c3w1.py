"""Plausible wrong answers for week C3W1: every one must be rejected by the hidden tests.

Naming: ``<exercise>__<what goes wrong>``. Each uses NumPy and pandas only. The ``c_statistic`` mistakes share a correct
C-for-benefit (``_c_for_benefit``), so that only the matching goes wrong. ``TLearner`` is a class: its mistakes are
functions with the class's signature that return an object with a wrong ``predict`` (the grading tools call
``TLearner(treatment_estimator, control_estimator)`` and then ``.predict(X)``, so a factory is judged like a class).
"""

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------------------------- proportion_treated


def proportion_treated__count_not_fraction(df):
    """Returns the number of treated patients instead of the fraction."""
    return float(df["TRTMT"].sum())


def proportion_treated__control_fraction(df):
    """Returns the fraction of control patients."""
    return float((~df["TRTMT"].astype(bool)).mean())


def proportion_treated__divides_by_columns(df):
    """Divides by df.shape[1] (columns) instead of df.shape[0] (rows)."""
    return float(df["TRTMT"].sum() / df.shape[1])


def proportion_treated__majority_share(df):
    """value_counts(normalize=True).iloc[0]: the share of the larger arm, whichever it is."""
    return float(df["TRTMT"].value_counts(normalize=True).iloc[0])


def proportion_treated__rounded(df):
    """Rounds the answer to two decimals."""
    return round(float(df["TRTMT"].mean()), 2)


def proportion_treated__among_deaths(df):
    """The fraction treated among the patients who died."""
    return float(df.loc[df["outcome"] == 1, "TRTMT"].mean())


def proportion_treated__treated_per_control(df):
    """Treated divided by controls (a ratio of arm sizes, not a proportion)."""
    treated = df["TRTMT"].sum()
    return float(treated / (len(df) - treated))


# --------------------------------------------------------------------------------------------- event_rate


def event_rate__swapped(df):
    """Returns (control_rate, treated_rate)."""
    treated = df["TRTMT"].astype(bool)
    return float(df.loc[~treated, "outcome"].mean()), float(df.loc[treated, "outcome"].mean())


def event_rate__treatment_given_outcome(df):
    """P(treated | died) and P(treated | survived) instead of P(died | arm)."""
    died = df["outcome"] == 1
    return float(df.loc[died, "TRTMT"].mean()), float(df.loc[~died, "TRTMT"].mean())


def event_rate__over_all_patients(df):
    """Divides each arm's deaths by the number of patients in the whole trial."""
    treated = df["TRTMT"].astype(bool)
    return float(df.loc[treated, "outcome"].sum() / len(df)), float(df.loc[~treated, "outcome"].sum() / len(df))


def event_rate__counts(df):
    """Returns the number of deaths in each arm."""
    treated = df["TRTMT"].astype(bool)
    return float(df.loc[treated, "outcome"].sum()), float(df.loc[~treated, "outcome"].sum())


def event_rate__survival_rates(df):
    """Returns the fraction alive (outcome == 0) in each arm."""
    treated = df["TRTMT"].astype(bool)
    return float((df.loc[treated, "outcome"] == 0).mean()), float((df.loc[~treated, "outcome"] == 0).mean())


def event_rate__overall_rate_twice(df):
    """Returns the overall event rate for both arms."""
    rate = float(df["outcome"].mean())
    return rate, rate


def event_rate__rounded(df):
    """Rounds both rates to two decimals."""
    treated = df["TRTMT"].astype(bool)
    return round(float(df.loc[treated, "outcome"].mean()), 2), round(float(df.loc[~treated, "outcome"].mean()), 2)


# --------------------------------------------------------------------------------------------- extract_treatment_effect


def extract_treatment_effect__first_coefficient(lr, data):
    """Takes the first coefficient, assuming TRTMT is the first column."""
    theta = float(lr.coef_[0][0])
    return theta, float(np.exp(theta))


def extract_treatment_effect__last_coefficient(lr, data):
    """Takes the last coefficient."""
    theta = float(lr.coef_[0][-1])
    return theta, float(np.exp(theta))


def extract_treatment_effect__position_minus_one(lr, data):
    """Subtracts one from the column position, as if coef_ started with the intercept."""
    theta = float(lr.coef_[0][list(data.columns).index("TRTMT") - 1])
    return theta, float(np.exp(theta))


def extract_treatment_effect__no_exp(lr, data):
    """Returns theta as the odds ratio (forgets exp)."""
    theta = float(lr.coef_[0][list(data.columns).index("TRTMT")])
    return theta, theta


def extract_treatment_effect__exp_of_minus_theta(lr, data):
    """Odds ratio exp(-theta): control versus treated."""
    theta = float(lr.coef_[0][list(data.columns).index("TRTMT")])
    return theta, float(np.exp(-theta))


def extract_treatment_effect__swapped_return(lr, data):
    """Returns (odds_ratio, theta)."""
    theta = float(lr.coef_[0][list(data.columns).index("TRTMT")])
    return float(np.exp(theta)), theta


def extract_treatment_effect__intercept(lr, data):
    """Reads the intercept instead of the TRTMT coefficient."""
    theta = float(lr.intercept_[0])
    return theta, float(np.exp(theta))


# --------------------------------------------------------------------------------------------- OR_to_ARR


def OR_to_ARR__sign_flipped(p, OR):
    """Returns treated risk - baseline risk (a risk increase)."""
    return p * OR / (1 - p + p * OR) - p


def OR_to_ARR__odds_ratio_as_risk_ratio(p, OR):
    """Multiplies the risk (not the odds) by OR: p - p * OR."""
    return p - p * OR


def OR_to_ARR__missing_p_in_denominator(p, OR):
    """Denominator 1 - p + OR instead of 1 - p + p * OR."""
    return p - p * OR / (1 - p + OR)


def OR_to_ARR__treated_risk(p, OR):
    """Returns the treated patients' risk instead of the reduction."""
    return p * OR / (1 - p + p * OR)


def OR_to_ARR__odds_difference(p, OR):
    """Subtracts odds, not risks: p / (1 - p) - OR * p / (1 - p)."""
    odds = p / (1 - p) if p < 1 else np.inf
    return odds - OR * odds


def OR_to_ARR__relative_reduction(p, OR):
    """Returns the relative risk reduction 1 - p_treated / p."""
    return 1 - (p * OR / (1 - p + p * OR)) / p


def OR_to_ARR__denominator_one_plus(p, OR):
    """Treated risk p * OR / (1 + p * OR)."""
    return p - p * OR / (1 + p * OR)


# --------------------------------------------------------------------------------------------- base_risks


def base_risks__own_treatment(X, lr_model):
    """Predicts with TRTMT as recorded: each patient's risk in their own arm."""
    return lr_model.predict_proba(X)[:, 1]


def base_risks__treatment_on(X, lr_model):
    """Sets TRTMT to True: the risk with treatment."""
    X = X.copy()
    X["TRTMT"] = True
    return lr_model.predict_proba(X)[:, 1]


def base_risks__mutates_caller(X, lr_model):
    """Sets TRTMT to False in the caller's frame (no copy)."""
    X["TRTMT"] = False
    return lr_model.predict_proba(X)[:, 1]


def base_risks__labels(X, lr_model):
    """predict() gives 0/1 labels, not risks."""
    X = X.copy()
    X["TRTMT"] = False
    return lr_model.predict(X).astype(float)


def base_risks__probability_of_survival(X, lr_model):
    """predict_proba(...)[:, 0] is the probability of outcome 0."""
    X = X.copy()
    X["TRTMT"] = False
    return lr_model.predict_proba(X)[:, 0]


def base_risks__log_odds(X, lr_model):
    """decision_function gives the log-odds, not the risk."""
    X = X.copy()
    X["TRTMT"] = False
    return lr_model.decision_function(X)


def base_risks__column_of_risks(X, lr_model):
    """predict_proba(...)[:, 1:] keeps a column: shape (n, 1), which pd.qcut and the later cells cannot use."""
    X = X.copy()
    X["TRTMT"] = False
    return lr_model.predict_proba(X)[:, 1:]


def base_risks__drops_treatment_column(X, lr_model):
    """Drops TRTMT instead of setting it to False (the model needs every column)."""
    return lr_model.predict_proba(X.drop(columns="TRTMT"))[:, 1]


# --------------------------------------------------------------------------------------------- lr_ARR_quantile


def _baseline(X, lr):
    untreated = X.copy()
    untreated["TRTMT"] = False
    return lr.predict_proba(untreated)[:, 1]


def _arr_by_group(groups, y, treated):
    table = pd.DataFrame({"group": groups, "outcome": np.asarray(y, dtype=float), "treated": treated})
    rates = table.groupby(["group", "treated"], observed=False)["outcome"].mean().unstack()
    return rates[False] - rates[True]


def lr_ARR_quantile__sign_flipped(X, y, lr):
    """Treated rate minus control rate."""
    return -_arr_by_group(pd.qcut(_baseline(X, lr), 10), y, X["TRTMT"].to_numpy(dtype=bool))


def lr_ARR_quantile__own_treatment_risk(X, y, lr):
    """Deciles of each patient's risk in their own arm, not of the baseline risk."""
    return _arr_by_group(pd.qcut(lr.predict_proba(X)[:, 1], 10), y, X["TRTMT"].to_numpy(dtype=bool))


def lr_ARR_quantile__decreasing_order(X, y, lr):
    """Returns the deciles from the highest risk to the lowest."""
    return _arr_by_group(pd.qcut(_baseline(X, lr), 10), y, X["TRTMT"].to_numpy(dtype=bool))[::-1]


def lr_ARR_quantile__equal_width_bins(X, y, lr):
    """pd.cut (ten equally wide risk intervals) instead of pd.qcut (ten equally large groups)."""
    return _arr_by_group(pd.cut(_baseline(X, lr), 10), y, X["TRTMT"].to_numpy(dtype=bool)).dropna()


def lr_ARR_quantile__quintiles(X, y, lr):
    """Five groups instead of ten."""
    return _arr_by_group(pd.qcut(_baseline(X, lr), 5), y, X["TRTMT"].to_numpy(dtype=bool))


def lr_ARR_quantile__deciles_of_predicted_arr(X, y, lr):
    """Deciles of the model's predicted ARR instead of the baseline risk."""
    treated = X.copy()
    treated["TRTMT"] = True
    predicted = _baseline(X, lr) - lr.predict_proba(treated)[:, 1]
    return _arr_by_group(pd.qcut(predicted, 10), y, X["TRTMT"].to_numpy(dtype=bool))


def lr_ARR_quantile__aligns_y_by_label(X, y, lr):
    """Puts y into a frame indexed like X: a Series with another index is matched by label, not position."""
    table = X.assign(outcome=y, decile=pd.qcut(_baseline(X, lr), 10))
    rates = table.groupby(["decile", "TRTMT"], observed=False)["outcome"].mean().unstack()
    return rates[False] - rates[True]


def lr_ARR_quantile__mutates_caller(X, y, lr):
    """Reads the arms, then sets TRTMT to False in the caller's frame (no copy)."""
    treated = X["TRTMT"].to_numpy(dtype=bool).copy()
    X["TRTMT"] = False
    return _arr_by_group(pd.qcut(lr.predict_proba(X)[:, 1], 10), y, treated)


def lr_ARR_quantile__predicted_not_observed(X, y, lr):
    """Averages the model's predicted ARR in each decile instead of the observed outcomes."""
    treated = X.copy()
    treated["TRTMT"] = True
    base = _baseline(X, lr)
    predicted = pd.Series(base - lr.predict_proba(treated)[:, 1])
    return predicted.groupby(pd.qcut(base, 10), observed=False).mean()


def lr_ARR_quantile__deciles_within_each_arm(X, y, lr):
    """Cuts the treated and the control patients into deciles separately, so decile k is not the same group."""
    risk, outcome = _baseline(X, lr), pd.Series(np.asarray(y, dtype=float))
    treated = X["TRTMT"].to_numpy(dtype=bool)
    control_rates = outcome[~treated].groupby(pd.qcut(risk[~treated], 10, labels=False)).mean()
    treated_rates = outcome[treated].groupby(pd.qcut(risk[treated], 10, labels=False)).mean()
    return control_rates.to_numpy() - treated_rates.to_numpy()


def lr_ARR_quantile__digitize_edges(X, y, lr):
    """np.digitize on np.quantile edges puts a risk equal to an edge in the decile above (pd.qcut: below)."""
    risk = _baseline(X, lr)
    group = np.digitize(risk, np.quantile(risk, np.linspace(0, 1, 11))[1:-1])
    return _arr_by_group(group, y, X["TRTMT"].to_numpy(dtype=bool))


# --------------------------------------------------------------------------------------------- c_for_benefit_score


def _benefits(pairs, *, predicted=lambda pt, pc: (pt + pc) / 2, observed=lambda yt, yc: yc - yt):
    pred = [predicted(float(pt), float(pc)) for (pt, _), (pc, _) in pairs]
    obs = [observed(float(yt), float(yc)) for (_, yt), (_, yc) in pairs]
    return pred, obs


def _concordance(pred, obs, *, tie_value=0.5, all_pairs=False, empty=np.nan):
    concordant = ties = usable = 0
    for i in range(len(pred)):
        for j in range(i + 1, len(pred)):
            if obs[i] == obs[j]:
                usable += all_pairs
                continue
            usable += 1
            if pred[i] == pred[j]:
                ties += 1
            elif (pred[i] > pred[j]) == (obs[i] > obs[j]):
                concordant += 1
    return (concordant + tie_value * ties) / usable if usable else empty


def c_for_benefit_score__ties_count_zero(pairs):
    """A tie in predicted benefit counts 0 instead of 1/2."""
    return _concordance(*_benefits(pairs), tie_value=0.0)


def c_for_benefit_score__ties_count_one(pairs):
    """A tie in predicted benefit counts 1 instead of 1/2."""
    return _concordance(*_benefits(pairs), tie_value=1.0)


def c_for_benefit_score__observed_sign_flipped(pairs):
    """Observed benefit y_t - y_c (the treated patient's death counted as benefit)."""
    return _concordance(*_benefits(pairs, observed=lambda yt, yc: yt - yc))


def c_for_benefit_score__treated_prediction_only(pairs):
    """Uses the treated patient's prediction as the pair's predicted benefit."""
    return _concordance(*_benefits(pairs, predicted=lambda pt, pc: pt))


def c_for_benefit_score__prediction_difference(pairs):
    """Predicted benefit pred_t - pred_c instead of their mean."""
    return _concordance(*_benefits(pairs, predicted=lambda pt, pc: pt - pc))


def c_for_benefit_score__all_pairs_in_denominator(pairs):
    """Divides by every pair of pairs, including those with equal observed benefit."""
    return _concordance(*_benefits(pairs), all_pairs=True)


def c_for_benefit_score__no_pairs_gives_half(pairs):
    """Returns 0.5 instead of nan when no two pairs have different observed benefits."""
    return _concordance(*_benefits(pairs), empty=0.5)


def c_for_benefit_score__one_direction_only(pairs):
    """Counts a pair of pairs as concordant only when the first (i < j) has both the larger observed and predicted
    benefit, missing the concordant pairs of pairs in the other order."""
    pred, obs = _benefits(pairs)
    concordant = ties = usable = 0
    for i in range(len(pred)):
        for j in range(i + 1, len(pred)):
            if obs[i] != obs[j]:
                usable += 1
                ties += pred[i] == pred[j]
                concordant += obs[i] > obs[j] and pred[i] > pred[j]
    return (concordant + 0.5 * ties) / usable if usable else np.nan


# --------------------------------------------------------------------------------------------- c_statistic


def _c_for_benefit(pairs):
    return _concordance(*_benefits(pairs))


def _arms(pred_rr, y, w):
    pred_rr, y, w = np.asarray(pred_rr, dtype=float), np.asarray(y), np.asarray(w)
    return pred_rr, y, np.flatnonzero(w == 1), np.flatnonzero(w == 0)


def _pairs(pred_rr, y, treated, control):
    return [((pred_rr[t], y[t]), (pred_rr[c], y[c])) for t, c in zip(treated, control)]


def _match(pred_rr, y, w, choose, sort):
    """The matching with a replaceable subsampling step ``choose(rng, arm, size)`` and sort ``sort(values)``."""
    pred_rr, y, treated, control = _arms(pred_rr, y, w)
    if len(treated) > len(control):
        treated = choose(len(treated), len(control), treated)
    elif len(control) > len(treated):
        control = choose(len(control), len(treated), control)
    treated, control = treated[sort(pred_rr[treated])], control[sort(pred_rr[control])]
    return _c_for_benefit(_pairs(pred_rr, y, treated, control))


def _stable(values):
    return np.argsort(values, kind="stable")


def c_statistic__larger_arm_not_subsampled(pred_rr, y, w, random_seed=0):
    """Sorts both arms and lets zip drop the extra patients of the larger arm (its highest predictions)."""
    pred_rr, y, treated, control = _arms(pred_rr, y, w)
    treated, control = treated[_stable(pred_rr[treated])], control[_stable(pred_rr[control])]
    return _c_for_benefit(_pairs(pred_rr, y, treated, control))


def c_statistic__with_replacement(pred_rr, y, w, random_seed=0):
    """rng.choice without replace=False: the subsample may repeat patients."""
    rng = np.random.default_rng(random_seed)
    return _match(pred_rr, y, w, lambda n, k, arm: arm[np.sort(rng.choice(n, k))], _stable)


def c_statistic__chosen_positions_unsorted(pred_rr, y, w, random_seed=0):
    """Keeps rng.choice's positions in random order, so tied predictions are paired in another order."""
    rng = np.random.default_rng(random_seed)
    return _match(pred_rr, y, w, lambda n, k, arm: arm[rng.choice(n, k, replace=False)], _stable)


def c_statistic__unstable_sort(pred_rr, y, w, random_seed=0):
    """np.argsort's default (quicksort) may reorder tied predictions."""
    rng = np.random.default_rng(random_seed)
    return _match(pred_rr, y, w, lambda n, k, arm: arm[np.sort(rng.choice(n, k, replace=False))], np.argsort)


def c_statistic__pairs_not_sorted(pred_rr, y, w, random_seed=0):
    """Pairs the arms in their original order, without sorting by prediction."""
    rng = np.random.default_rng(random_seed)
    return _match(
        pred_rr,
        y,
        w,
        lambda n, k, arm: arm[np.sort(rng.choice(n, k, replace=False))],
        lambda values: np.arange(len(values)),
    )


def c_statistic__legacy_random_generator(pred_rr, y, w, random_seed=0):
    """np.random.seed + np.random.choice: a different random subsample than default_rng."""
    np.random.seed(random_seed)
    return _match(pred_rr, y, w, lambda n, k, arm: arm[np.sort(np.random.choice(n, k, replace=False))], _stable)


def c_statistic__seed_ignored(pred_rr, y, w, random_seed=0):
    """Always uses seed 0, whatever random_seed is."""
    rng = np.random.default_rng(0)
    return _match(pred_rr, y, w, lambda n, k, arm: arm[np.sort(rng.choice(n, k, replace=False))], _stable)


def c_statistic__arms_swapped(pred_rr, y, w, random_seed=0):
    """Takes w == 0 as the treated arm."""
    return _correct_matching(pred_rr, y, 1 - np.asarray(w, dtype=int), random_seed)


def c_statistic__first_positions(pred_rr, y, w, random_seed=0):
    """Keeps the first n_smaller patients of the larger arm instead of a random subsample."""
    return _match(pred_rr, y, w, lambda n, k, arm: arm[:k], _stable)


def c_statistic__control_sorted_descending(pred_rr, y, w, random_seed=0):
    """Sorts the control arm from the highest prediction down, pairing opposite ends of the two arms."""
    pred_rr, y, treated, control = _arms(pred_rr, y, w)
    rng = np.random.default_rng(random_seed)
    if len(treated) > len(control):
        treated = treated[np.sort(rng.choice(len(treated), len(control), replace=False))]
    elif len(control) > len(treated):
        control = control[np.sort(rng.choice(len(control), len(treated), replace=False))]
    treated, control = treated[_stable(pred_rr[treated])], control[_stable(-pred_rr[control])]
    return _c_for_benefit(_pairs(pred_rr, y, treated, control))


def c_statistic__permutation_subsample(pred_rr, y, w, random_seed=0):
    """rng.permutation(n)[:k] instead of rng.choice(n, k, replace=False): another random subsample."""
    rng = np.random.default_rng(random_seed)
    return _match(pred_rr, y, w, lambda n, k, arm: arm[np.sort(rng.permutation(n)[:k])], _stable)


def c_statistic__subsample_after_sorting(pred_rr, y, w, random_seed=0):
    """Sorts each arm first and subsamples positions of the sorted arm, not of the arm in its original order."""
    pred_rr, y, treated, control = _arms(pred_rr, y, w)
    treated, control = treated[_stable(pred_rr[treated])], control[_stable(pred_rr[control])]
    rng = np.random.default_rng(random_seed)
    if len(treated) > len(control):
        treated = treated[np.sort(rng.choice(len(treated), len(control), replace=False))]
    elif len(control) > len(treated):
        control = control[np.sort(rng.choice(len(control), len(treated), replace=False))]
    return _c_for_benefit(_pairs(pred_rr, y, treated, control))


def _correct_matching(pred_rr, y, w, random_seed=0):
    rng = np.random.default_rng(random_seed)
    return _match(pred_rr, y, w, lambda n, k, arm: arm[np.sort(rng.choice(n, k, replace=False))], _stable)


# --------------------------------------------------------------------------------------------- TLearner


class _TLearnerWith:
    """A T-learner whose predict combines the two models' outputs with ``combine(control, treated)``."""

    def __init__(self, treatment_estimator, control_estimator, combine, output="risk"):
        self.treatment_estimator = treatment_estimator
        self.control_estimator = control_estimator
        self.combine = combine
        self.output = output

    def _out(self, model, X):
        if self.output == "label":
            return model.predict(X).astype(float)
        column = 0 if self.output == "survival" else 1
        return model.predict_proba(X)[:, column]

    def predict(self, X):
        return self.combine(self._out(self.control_estimator, X), self._out(self.treatment_estimator, X))


def TLearner__swapped(treatment_estimator, control_estimator):
    """Treated model's risk minus control model's risk."""
    return _TLearnerWith(treatment_estimator, control_estimator, lambda c, t: t - c)


def TLearner__labels(treatment_estimator, control_estimator):
    """Uses predict() (0/1 labels) instead of predicted risks."""
    return _TLearnerWith(treatment_estimator, control_estimator, lambda c, t: c - t, output="label")


def TLearner__probability_of_survival(treatment_estimator, control_estimator):
    """Uses predict_proba(X)[:, 0], the probability of surviving."""
    return _TLearnerWith(treatment_estimator, control_estimator, lambda c, t: c - t, output="survival")


def TLearner__treatment_model_twice(treatment_estimator, control_estimator):
    """Stores the treatment model in both attributes (a copy-paste slip in __init__)."""
    return _TLearnerWith(treatment_estimator, treatment_estimator, lambda c, t: c - t)


def TLearner__risk_ratio(treatment_estimator, control_estimator):
    """Returns control risk / treated risk (a ratio, not a reduction)."""
    return _TLearnerWith(treatment_estimator, control_estimator, lambda c, t: c / t)


def TLearner__absolute_difference(treatment_estimator, control_estimator):
    """Returns |control - treated|: harm shows as benefit."""
    return _TLearnerWith(treatment_estimator, control_estimator, lambda c, t: np.abs(c - t))


def TLearner__control_risk_only(treatment_estimator, control_estimator):
    """Returns the control model's risk (the baseline risk), not the reduction."""
    return _TLearnerWith(treatment_estimator, control_estimator, lambda c, t: c)


class _SharedTLearner:
    """Keeps the estimators as class attributes: every instance uses the models of the last one built."""

    def __init__(self, treatment_estimator, control_estimator):
        _SharedTLearner.treatment_estimator = treatment_estimator
        _SharedTLearner.control_estimator = control_estimator

    def predict(self, X):
        return self.control_estimator.predict_proba(X)[:, 1] - self.treatment_estimator.predict_proba(X)[:, 1]


def TLearner__class_attributes(treatment_estimator, control_estimator):
    """Stores the estimators on the class (TLearner.x = ...) instead of the instance (self.x = ...)."""
    return _SharedTLearner(treatment_estimator, control_estimator)


# --------------------------------------------------------------------------------------------- treatment_dataset_split


def _split(X_train, y_train, X_val, y_val, *, drop=True, treated_value=True):
    out = []
    for arm in (treated_value, not treated_value):
        for X, y in ((X_train, y_train), (X_val, y_val)):
            mask = X["TRTMT"].astype(bool).to_numpy() == arm
            features = X.drop(columns="TRTMT") if drop else X
            out += [features[mask], y[mask]]
    return tuple(out)


def treatment_dataset_split__treatment_column_kept(X_train, y_train, X_val, y_val):
    """Forgets to drop TRTMT from the X parts."""
    return _split(X_train, y_train, X_val, y_val, drop=False)


def treatment_dataset_split__arms_swapped(X_train, y_train, X_val, y_val):
    """Returns the control parts first."""
    return _split(X_train, y_train, X_val, y_val, treated_value=False)


def treatment_dataset_split__wrong_order(X_train, y_train, X_val, y_val):
    """Returns the X parts first, then the y parts."""
    parts = _split(X_train, y_train, X_val, y_val)
    return parts[0::2] + parts[1::2]


def treatment_dataset_split__index_reset(X_train, y_train, X_val, y_val):
    """reset_index(drop=True) on every part: the patient ids are lost."""
    return tuple(part.reset_index(drop=True) for part in _split(X_train, y_train, X_val, y_val))


def treatment_dataset_split__drops_column_in_place(X_train, y_train, X_val, y_val):
    """drop(..., inplace=True) removes TRTMT from the caller's frames."""
    treated_train, treated_val = X_train["TRTMT"].to_numpy(), X_val["TRTMT"].to_numpy()
    X_train.drop(columns="TRTMT", inplace=True)
    X_val.drop(columns="TRTMT", inplace=True)
    return (
        X_train[treated_train],
        y_train[treated_train],
        X_val[treated_val],
        y_val[treated_val],
        X_train[~treated_train],
        y_train[~treated_train],
        X_val[~treated_val],
        y_val[~treated_val],
    )


def treatment_dataset_split__training_mask_for_validation(X_train, y_train, X_val, y_val):
    """Copy-paste slip: the validation parts are taken from the training set."""
    parts = list(_split(X_train, y_train, X_val, y_val))
    parts[2], parts[3], parts[6], parts[7] = parts[0], parts[1], parts[4], parts[5]
    return tuple(parts)


def treatment_dataset_split__outcomes_not_split(X_train, y_train, X_val, y_val):
    """Splits the X parts but returns the whole y_train and y_val for both arms."""
    parts = list(_split(X_train, y_train, X_val, y_val))
    parts[1], parts[3], parts[5], parts[7] = y_train, y_val, y_train, y_val
    return tuple(parts)
