"""Plausible wrong answers for week C2W3: every one must be rejected by the hidden tests.

Naming: ``<exercise>__<what goes wrong>``. Each is self-contained (NumPy, pandas and scipy.stats only), so it can be
pasted into a notebook as a submission and run through ``python -m grader test-impl``.
"""

import numpy as np
from scipy import stats

# --------------------------------------------------------------------------------------------- frac_censored


def frac_censored__fraction_of_deaths(df):
    """Reads Event == 1 as 'censored' (lifelines' column is called Censor)."""
    return float((df["Event"] == 1).mean())


def frac_censored__count_not_fraction(df):
    """Returns the number of censored patients instead of the fraction."""
    return float((df["Event"] == 0).sum())


def frac_censored__value_counts_key(df):
    """value_counts()[0] fails (KeyError) when nobody is censored."""
    return df["Event"].value_counts()[0] / len(df)


def frac_censored__integer_division(df):
    """Floor division gives 0 unless everybody is censored."""
    return float((df["Event"] == 0).sum() // len(df))


def frac_censored__over_deaths(df):
    """Divides censored patients by the deaths instead of by all patients."""
    censored = (df["Event"] == 0).sum()
    return float(censored / max(1, (df["Event"] == 1).sum()))


def frac_censored__unique_times(df):
    """Counts distinct follow-up times rather than patients."""
    unique = df.drop_duplicates("Time")
    return float((unique["Event"] == 0).mean())


def frac_censored__rounded(df):
    """Rounds the answer to two decimals 'for readability'."""
    return round(float((df["Event"] == 0).mean()), 2)


# --------------------------------------------------------------------------------------------- naive_estimator


def naive_estimator__keeps_censored(t, df):
    """Divides by all patients: censored patients are counted as deaths."""
    return float((df["Time"] > t).sum() / len(df))


def naive_estimator__survived_at_t(t, df):
    """Counts patients with Time >= t as alive after t (a death at t counted as survival)."""
    alive = df["Time"] >= t
    died = (df["Event"] == 1) & (df["Time"] < t)
    return float(alive.sum() / (alive | died).sum())


def naive_estimator__drops_censored_before_t_only(t, df):
    """Drops patients censored strictly before t, but keeps those censored exactly at t in the denominator."""
    alive = df["Time"] > t
    known = alive | (df["Event"] == 1) & (df["Time"] <= t) | (df["Event"] == 0) & (df["Time"] == t)
    return float(alive.sum() / known.sum())


def naive_estimator__deaths_before_t_only(t, df):
    """Counts only deaths strictly before t in the denominator."""
    alive = df["Time"] > t
    died = (df["Event"] == 1) & (df["Time"] < t)
    return float(alive.sum() / (alive | died).sum())


def naive_estimator__returns_death_fraction(t, df):
    """Returns the probability of having died by t (1 - S)."""
    alive = df["Time"] > t
    died = (df["Event"] == 1) & (df["Time"] <= t)
    return float(died.sum() / (alive | died).sum())


def naive_estimator__censored_count_as_alive(t, df):
    """Counts patients censored at or before t as survivors instead of dropping them."""
    alive = (df["Time"] > t) | (df["Event"] == 0)
    return float(alive.sum() / len(df))


def naive_estimator__flipped_event_coding(t, df):
    """Treats Event == 0 as the death indicator."""
    alive = df["Time"] > t
    died = (df["Event"] == 0) & (df["Time"] <= t)
    return float(alive.sum() / (alive | died).sum())


# --------------------------------------------------------------------------------------------- kaplan_meier


def kaplan_meier__risk_set_strict(df):
    """Risk set Time > t: a patient who dies at t is no longer 'at risk' at t."""
    time, died = df["Time"].to_numpy(float), df["Event"].to_numpy() == 1
    times = np.unique(np.r_[0.0, time])
    survival, s = [], 1.0
    for t in times:
        n = np.sum(time > t)
        d = np.sum(died & (time == t))
        if n > 0:
            s *= 1 - d / n
        survival.append(s)
    return times, np.array(survival)


def kaplan_meier__censored_as_deaths(df):
    """Ignores Event: every end of follow-up is treated as a death."""
    time = df["Time"].to_numpy(float)
    times = np.unique(np.r_[0.0, time])
    survival, s = [], 1.0
    for t in times:
        n = np.sum(time >= t)
        d = np.sum(time == t)
        if n > 0:
            s *= 1 - d / n
        survival.append(s)
    return times, np.array(survival)


def kaplan_meier__no_time_zero(df):
    """Forgets to start the curve at time 0."""
    time, died = df["Time"].to_numpy(float), df["Event"].to_numpy() == 1
    times = np.unique(time)
    survival, s = [], 1.0
    for t in times:
        s *= 1 - np.sum(died & (time == t)) / np.sum(time >= t)
        survival.append(s)
    return times, np.array(survival)


def kaplan_meier__event_times_only(df):
    """Reports only the times at which a death happened, dropping censoring times."""
    time, died = df["Time"].to_numpy(float), df["Event"].to_numpy() == 1
    times = np.unique(np.r_[0.0, time[died]])
    survival, s = [], 1.0
    for t in times:
        n = np.sum(time >= t)
        if n > 0:
            s *= 1 - np.sum(died & (time == t)) / n
        survival.append(s)
    return times, np.array(survival)


def kaplan_meier__row_by_row(df):
    """Walks the rows sorted by time only, one patient at a time: a censoring listed before a tied death leaves
    the risk set too early."""
    data = df.sort_values("Time", kind="stable")
    s, n = 1.0, len(data)
    values = {0.0: 1.0}
    for time, event in zip(data["Time"].to_numpy(float), data["Event"].to_numpy()):
        if event == 1:
            s *= 1 - 1 / n
        n -= 1
        values[time] = s
    times = np.array(sorted(values))
    return times, np.array([values[t] for t in times])


def kaplan_meier__one_patient_per_time(df):
    """Shrinks the risk set by one per distinct time instead of by the number of patients who left."""
    time, died = df["Time"].to_numpy(float), df["Event"].to_numpy() == 1
    times = np.unique(np.r_[0.0, time])
    survival, s = [], 1.0
    for i, t in enumerate(times):
        n = len(df) - max(0, i - 1)
        d = np.sum(died & (time == t))
        if n > 0:
            s *= 1 - d / n
        survival.append(s)
    return times, np.array(survival)


def kaplan_meier__nelson_aalen(df):
    """Returns exp(-cumulative hazard) (Breslow/Fleming-Harrington) instead of the product-limit estimate."""
    time, died = df["Time"].to_numpy(float), df["Event"].to_numpy() == 1
    times = np.unique(np.r_[0.0, time])
    hazard = np.cumsum([np.sum(died & (time == t)) / max(1, np.sum(time >= t)) for t in times])
    return times, np.exp(-hazard)


def kaplan_meier__naive_at_each_time(df):
    """Evaluates the naive estimator at every time instead of multiplying conditional survival."""
    time, died = df["Time"].to_numpy(float), df["Event"].to_numpy() == 1
    times = np.unique(np.r_[0.0, time])
    survival = []
    for t in times:
        alive = time > t
        known = alive | (died & (time <= t))
        survival.append(alive.sum() / known.sum() if known.sum() else 1.0)
    return times, np.array(survival)


# --------------------------------------------------------------------------------------------- logrank_test


def _pooled(df_a, df_b):
    time = np.r_[df_a["Time"].to_numpy(float), df_b["Time"].to_numpy(float)]
    died = np.r_[df_a["Event"].to_numpy(), df_b["Event"].to_numpy()] == 1
    in_a = np.arange(len(time)) < len(df_a)
    return time, died, in_a


def logrank_test__observed_minus_expected_over_expected(df_a, df_b):
    """Uses the textbook approximation sum over groups of (O - E)^2 / E instead of the variance."""
    time, died, in_a = _pooled(df_a, df_b)
    o_a = e_a = o_b = e_b = 0.0
    for t in np.unique(time[died]):
        r = time >= t
        n, n_a = r.sum(), (r & in_a).sum()
        d, d_a = (died & (time == t)).sum(), (died & (time == t) & in_a).sum()
        o_a, e_a = o_a + d_a, e_a + d * n_a / n
        o_b, e_b = o_b + d - d_a, e_b + d * (n - n_a) / n
    statistic = (o_a - e_a) ** 2 / e_a + (o_b - e_b) ** 2 / e_b
    return float(statistic), float(stats.chi2.sf(statistic, 1))


def logrank_test__two_degrees_of_freedom(df_a, df_b):
    """Uses 2 degrees of freedom because there are two groups."""
    time, died, in_a = _pooled(df_a, df_b)
    oe = v = 0.0
    for t in np.unique(time[died]):
        r = time >= t
        n, n_a = r.sum(), (r & in_a).sum()
        d, d_a = (died & (time == t)).sum(), (died & (time == t) & in_a).sum()
        oe += d_a - d * n_a / n
        v += d * (n_a / n) * (1 - n_a / n) * (n - d) / (n - 1) if n > 1 else 0.0
    statistic = oe**2 / v
    return float(statistic), float(stats.chi2.sf(statistic, 2))


def logrank_test__cdf_not_sf(df_a, df_b):
    """Reports the chi-square CDF (the lower tail) as the p-value."""
    time, died, in_a = _pooled(df_a, df_b)
    oe = v = 0.0
    for t in np.unique(time[died]):
        r = time >= t
        n, n_a = r.sum(), (r & in_a).sum()
        d, d_a = (died & (time == t)).sum(), (died & (time == t) & in_a).sum()
        oe += d_a - d * n_a / n
        v += d * (n_a / n) * (1 - n_a / n) * (n - d) / (n - 1) if n > 1 else 0.0
    statistic = oe**2 / v
    return float(statistic), float(stats.chi2.cdf(statistic, 1))


def logrank_test__no_tie_correction(df_a, df_b):
    """Drops the (n - d) / (n - 1) factor of the variance, which matters when deaths are tied."""
    time, died, in_a = _pooled(df_a, df_b)
    oe = v = 0.0
    for t in np.unique(time[died]):
        r = time >= t
        n, n_a = r.sum(), (r & in_a).sum()
        d, d_a = (died & (time == t)).sum(), (died & (time == t) & in_a).sum()
        oe += d_a - d * n_a / n
        v += d * (n_a / n) * (1 - n_a / n)
    statistic = oe**2 / v
    return float(statistic), float(stats.chi2.sf(statistic, 1))


def logrank_test__risk_set_strict(df_a, df_b):
    """Risk set Time > t, excluding the patients who die at t."""
    time, died, in_a = _pooled(df_a, df_b)
    oe = v = 0.0
    for t in np.unique(time[died]):
        r = time > t
        n, n_a = r.sum(), (r & in_a).sum()
        if n == 0:
            continue
        d, d_a = (died & (time == t)).sum(), (died & (time == t) & in_a).sum()
        oe += d_a - d * n_a / n
        v += d * (n_a / n) * (1 - n_a / n) * (n - d) / (n - 1) if n > 1 else 0.0
    statistic = oe**2 / v if v > 0 else 0.0
    return float(statistic), float(stats.chi2.sf(statistic, 1))


def logrank_test__z_not_chi2(df_a, df_b):
    """Returns the signed z statistic instead of its square."""
    time, died, in_a = _pooled(df_a, df_b)
    oe = v = 0.0
    for t in np.unique(time[died]):
        r = time >= t
        n, n_a = r.sum(), (r & in_a).sum()
        d, d_a = (died & (time == t)).sum(), (died & (time == t) & in_a).sum()
        oe += d_a - d * n_a / n
        v += d * (n_a / n) * (1 - n_a / n) * (n - d) / (n - 1) if n > 1 else 0.0
    z = oe / np.sqrt(v)
    return float(z), float(2 * stats.norm.sf(abs(z)))


def logrank_test__censored_as_deaths(df_a, df_b):
    """Counts every end of follow-up as a death."""
    time, _, in_a = _pooled(df_a, df_b)
    oe = v = 0.0
    for t in np.unique(time):
        r = time >= t
        n, n_a = r.sum(), (r & in_a).sum()
        d, d_a = (time == t).sum(), ((time == t) & in_a).sum()
        oe += d_a - d * n_a / n
        v += d * (n_a / n) * (1 - n_a / n) * (n - d) / (n - 1) if n > 1 else 0.0
    statistic = oe**2 / v
    return float(statistic), float(stats.chi2.sf(statistic, 1))


def logrank_test__expected_from_initial_sizes(df_a, df_b):
    """Splits each time's deaths by the groups' initial sizes instead of by the current risk sets."""
    time, died, in_a = _pooled(df_a, df_b)
    share = len(df_a) / len(time)
    oe = v = 0.0
    for t in np.unique(time[died]):
        n = (time >= t).sum()
        d, d_a = (died & (time == t)).sum(), (died & (time == t) & in_a).sum()
        oe += d_a - d * share
        v += d * share * (1 - share) * (n - d) / (n - 1) if n > 1 else 0.0
    statistic = oe**2 / v
    return float(statistic), float(stats.chi2.sf(statistic, 1))
