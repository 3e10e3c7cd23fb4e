"""Fitting numbers to data: distributions by maximum likelihood and their intervals.

Durations and intervals: exponential, lognormal and gamma are fitted with
``scipy.stats`` (location fixed at 0, right-censored values allowed), the one
with the smallest AIC is kept, and the Kolmogorov–Smirnov statistic of the
kept fit is reported. The 95% interval of a mean: exact chi-square for the
exponential, Cox's delta method for the lognormal, the delta method
(mean ± 1.96 sd/√n) for the gamma; with censored values, a profile-free
normal interval from the observed information. Rates: exact (Garwood)
Poisson intervals. Shares: Clopper–Pearson intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

Z95 = 1.959963984540054
MAX_FIT_VALUES = 200_000
"""Most values one fit uses (a random subsample beyond it, for speed)."""


@dataclass
class Estimate:
    """A fitted number, its 95% interval, and what it came from."""

    value: float
    low: float
    high: float
    method: str
    source: str = ""

    def covers(self, x: float) -> bool:
        return self.low <= x <= self.high


@dataclass
class DistFit:
    """A fitted distribution: its name, mean and cv, and how well it fits."""

    dist: str
    mean: Estimate
    cv: float
    n: int
    censored: int
    aic: dict[str, float]
    ks: float
    ks_p: float
    values: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0))
    frozen: object = field(repr=False, default=None)

    def as_config(self, digits: int = 4) -> dict:
        m = round(self.mean.value, digits)
        if self.dist == "fixed":
            return {"dist": "fixed", "value": m}
        if self.dist == "exponential":
            return {"dist": "exponential", "mean": m}
        return {"dist": self.dist, "mean": m, "cv": round(self.cv, 4)}


def poisson_ci(count: int, exposure: float = 1.0) -> tuple[float, float]:
    """Exact (Garwood) 95% interval of a Poisson rate from ``count`` events."""
    lo = 0.0 if count == 0 else stats.chi2.ppf(0.025, 2 * count) / 2
    hi = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return lo / exposure, hi / exposure


def share_ci(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Clopper–Pearson interval of a share ``k / n``."""
    if n == 0:
        return 0.0, 1.0
    a = (1 - level) / 2
    lo = 0.0 if k == 0 else float(stats.beta.ppf(a, k, n - k + 1))
    hi = 1.0 if k == n else float(stats.beta.ppf(1 - a, k + 1, n - k))
    return lo, hi


def rate(count: int, exposure: float, source: str) -> Estimate:
    lo, hi = poisson_ci(count, exposure)
    return Estimate(count / exposure if exposure > 0 else 0.0, lo, hi, "exact Poisson", source)


def share(k: int, n: int, source: str) -> Estimate:
    lo, hi = share_ci(k, n)
    return Estimate(k / n if n else 0.0, lo, hi, "Clopper-Pearson", source)


_FAMILIES = {"exponential": stats.expon, "lognormal": stats.lognorm, "gamma": stats.gamma}


def _loglik(frozen, x: np.ndarray, cens: np.ndarray) -> float:
    return float(frozen.logpdf(x[~cens]).sum() + frozen.logsf(x[cens]).sum())


def _mean_cv(name: str, frozen) -> tuple[float, float]:
    m, v = (float(a) for a in frozen.stats("mv"))
    return m, (math.sqrt(v) / m if name != "exponential" else 1.0)


def _mean_interval(name: str, frozen, x: np.ndarray, cens: np.ndarray) -> tuple[float, float, str]:
    """95% interval of the fitted distribution's mean."""
    n = x.size
    m, cv = _mean_cv(name, frozen)
    if cens.any():  # observed information: each uncensored value counts once
        k = max(1, int((~cens).sum()))
        half = Z95 * m * max(cv, 1e-9) / math.sqrt(k)
        return max(m - half, 0.0), m + half, "delta method, censored (normal)"
    if name == "exponential":
        return (
            2 * n * m / stats.chi2.ppf(0.975, 2 * n),
            2 * n * m / stats.chi2.ppf(0.025, 2 * n),
            ("exact chi-square"),
        )
    if name == "lognormal":
        s2 = math.log1p(cv**2)
        half = Z95 * math.sqrt(s2 / n + s2**2 / (2 * (n - 1)))
        return m * math.exp(-half), m * math.exp(half), "Cox delta method"
    half = Z95 * m * cv / math.sqrt(n)
    return m - half, m + half, "delta method"


def fit_distribution(
    values: np.ndarray,
    censored: np.ndarray | None = None,
    source: str = "",
    families: tuple[str, ...] = ("exponential", "lognormal", "gamma"),
    seed: int = 0,
) -> DistFit:
    """Fit ``families`` to positive ``values`` (``censored``: right-censored ones) by
    maximum likelihood and keep the one with the smallest AIC. Nearly constant data
    (cv below 0.1%) is a fixed value."""
    x = np.asarray(values, dtype=float)
    cens = np.zeros(x.size, bool) if censored is None else np.asarray(censored, bool)
    keep = x > 0
    x, cens = x[keep], cens[keep]
    if x.size > MAX_FIT_VALUES:
        pick = np.random.default_rng(seed).choice(x.size, MAX_FIT_VALUES, replace=False)
        x, cens = x[pick], cens[pick]
    done = x[~cens]
    if done.size < 2:
        raise ValueError("fewer than 2 values to fit")
    if done.std() <= 1e-3 * done.mean():
        m = float(done.mean())
        est = Estimate(m, float(done.min()), float(done.max()), "observed range", source)
        return DistFit("fixed", est, 0.0, done.size, 0, {}, 0.0, 1.0, done, None)
    data = stats.CensoredData.right_censored(x, cens) if cens.any() else x
    fits, aic = {}, {}
    for name in families:
        family = _FAMILIES[name]
        try:
            params = family.fit(data, floc=0)
        except (ValueError, RuntimeError, FloatingPointError):
            continue
        frozen = family(*params)
        ll = _loglik(frozen, x, cens)
        if not math.isfinite(ll):
            continue
        k = 1 if name == "exponential" else 2
        fits[name], aic[name] = frozen, 2 * k - 2 * ll
    if not fits:
        raise ValueError("no distribution could be fitted")
    best = min(aic, key=aic.__getitem__)
    frozen = fits[best]
    m, cv = _mean_cv(best, frozen)
    lo, hi, method = _mean_interval(best, frozen, x, cens)
    ks = stats.kstest(done, frozen.cdf) if not cens.any() else None
    ks_stat = float(ks.statistic) if ks is not None else _ks_censored(done, frozen)
    ks_p = float(ks.pvalue) if ks is not None else math.nan
    est = Estimate(m, lo, hi, method, source)
    return DistFit(best, est, cv, x.size, int(cens.sum()), aic, ks_stat, ks_p, done, frozen)


def _ks_censored(done: np.ndarray, frozen) -> float:
    """KS distance of the uncensored values against the fit (a rough guide only)."""
    x = np.sort(done)
    ecdf = np.arange(1, x.size + 1) / x.size
    return float(np.max(np.abs(ecdf - frozen.cdf(x) / frozen.cdf(x[-1]))))


def mean_interval(x: np.ndarray, source: str) -> Estimate:
    """Sample mean with a normal (CLT) 95% interval."""
    x = np.asarray(x, dtype=float)
    m = float(x.mean())
    half = Z95 * float(x.std(ddof=1)) / math.sqrt(x.size) if x.size > 1 else math.inf
    return Estimate(m, m - half, m + half, "normal (CLT)", source)
