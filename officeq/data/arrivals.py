"""Fitting an arrival stream: volume per working day, digital share, weekday and hour profiles.

This inverts :class:`officeq.model.arrivals.ArrivalPattern`. On weekday ``d``
the office channel (phone) brings ``P · w[d] / w_open`` arrivals on each open,
non-holiday day, and the digital channel ``G · w[d] / w_all`` on every day,
where ``P = 7-day volume · (1 − digital_share)``, ``G = 7-day volume ·
digital_share`` and the 7-day volume is ``arrivals_per_day`` times the open
weekdays. Per weekday and channel the count is Poisson with mean
``exposure · rate(channel) · w[d]``: a log-linear model without interaction,
fitted by maximum likelihood (iterative proportional fitting, which converges
in a few rounds). Intervals: ``arrivals_per_day`` scales the exact Poisson
interval of the total count; ``digital_share`` maps the Clopper–Pearson
interval of the digital fraction of arrivals through the (monotone) relation
between the two. Hour profiles are counts per hour over the hour's open length
(phone; assumes the same hour weights apply to every open weekday) or per hour
(digital), as weights with mean 1 over the hours that can have arrivals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from officeq.config.schema import WEEKDAYS, CalendarConfig
from officeq.data.fitting import Estimate, poisson_ci, share_ci
from officeq.model.arrivals import weekly_opening
from officeq.model.calendar import OfficeCalendar


@dataclass
class StreamFit:
    """A fitted arrival stream and the observed counts behind it."""

    arrivals_per_day: Estimate
    digital_share: Estimate
    weekday_profile: dict[str, float]
    hour_profile: list[float] | None
    digital_hour_profile: list[float] | None
    observed: dict[str, np.ndarray] = field(default_factory=dict)
    """Counts (phone/digital per weekday and hour) and the fitted expectation, for figures."""


def _norm(x: np.ndarray, where: np.ndarray, keep_all: bool = False) -> list[float]:
    """``x`` scaled to mean 1 over ``where``; zero elsewhere unless ``keep_all``."""
    mean = x[where].mean() if where.any() else 0.0
    scaled = x / mean if mean > 0 else np.zeros_like(x)
    out = scaled if keep_all else np.where(where, scaled, 0.0)
    return [round(float(v), 3) for v in out]


def day_exposure(
    cal_cfg: CalendarConfig, start: dt.date, days: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per weekday: open non-holiday days (phone) and all days (digital) in the period.

    A half day counts as the share of the weekday's opening hours it is open (as
    if phone calls came evenly over the day; there are two or so a year).
    """
    cal = OfficeCalendar(cal_cfg, start, days)
    opening = weekly_opening(cal_cfg)
    n_open, n_all = np.zeros(7), np.zeros(7)
    for day in range(days):
        wd = cal.weekday(day)
        n_all[wd] += 1
        if cal.is_open_day(day) and opening[wd] is not None:
            n_open[wd] += min(cal.open_hours(day) / (opening[wd][1] - opening[wd][0]), 1.0)
    return n_open, n_all


def fit_stream(
    arrived: pd.Series,
    digital: np.ndarray,
    cal_cfg: CalendarConfig,
    start: pd.Timestamp,
    days: int,
    what: str,
) -> StreamFit:
    """Fit one stream from arrival times and channels over ``days`` days from ``start``."""
    opening = weekly_opening(cal_cfg)
    open_days = np.array([o is not None for o in opening])
    n_open, n_all = day_exposure(cal_cfg, start.date(), days)
    n_open = np.where(open_days, n_open, 0.0)
    t = pd.DatetimeIndex(arrived)
    wd = t.day_of_week.to_numpy()
    hour = t.hour.to_numpy()
    digital = np.asarray(digital, bool)
    phone_wd = np.bincount(wd[~digital], minlength=7).astype(float)
    digital_wd = np.bincount(wd[digital], minlength=7).astype(float)
    n_phone, n_digital = phone_wd.sum(), digital_wd.sum()
    w, alpha, beta = np.ones(7), 1.0, 1.0
    for _ in range(200):  # iterative proportional fitting of the log-linear Poisson model
        alpha = n_phone / max((n_open * w).sum(), 1e-300)
        beta = n_digital / max((n_all * w).sum(), 1e-300)
        denom = n_open * alpha + n_all * beta
        new = np.where(denom > 0, (phone_wd + digital_wd) / np.where(denom > 0, denom, 1), 0.0)
        if np.allclose(new, w, rtol=1e-10, atol=1e-12):
            w = new
            break
        w = new
    w_open, w_all = w[open_days].sum(), w.sum()
    phone_week = alpha * w_open
    digital_week = beta * w_all
    week = phone_week + digital_week
    weekdays_open = int(open_days.sum())
    total = int(n_phone + n_digital)
    per_day = week / weekdays_open
    lo, hi = poisson_ci(total)
    source = f"{total:,} {what}"
    a = Estimate(per_day, per_day * lo / total, per_day * hi / total, "exact Poisson", source)
    e_phone = (n_open * w).sum() / w_open if w_open > 0 else 0.0
    e_digital = (n_all * w).sum() / w_all if w_all > 0 else 0.0

    def to_share(p: float) -> float:
        num = p * e_phone
        den = num + (1 - p) * e_digital
        return num / den if den > 0 else p

    s = digital_week / week if week > 0 else 0.0
    p_lo, p_hi = share_ci(int(n_digital), total)
    ds = Estimate(s, to_share(p_lo), to_share(p_hi), "Clopper-Pearson", source)
    wd_profile = _norm(w, open_days, keep_all=True)
    expected_phone = n_open * alpha * w
    expected_digital = n_all * beta * w
    hour_profile, digital_profile, obs = None, None, {}
    phone_h = np.bincount(hour[~digital], minlength=24).astype(float)
    digital_h = np.bincount(hour[digital], minlength=24).astype(float)
    if n_phone > 0:
        exposure = np.zeros(24)
        for d in np.flatnonzero(open_days):
            o, c = opening[d]
            span = np.clip(np.minimum(np.arange(1, 25), c) - np.maximum(np.arange(24), o), 0, 1)
            exposure += expected_phone[d] * span / (c - o)
        rate = np.where(exposure > 0, phone_h / np.where(exposure > 0, exposure, 1), 0.0)
        hour_profile = _norm(rate, exposure > 0)
        obs["phone_hour_exposure"] = exposure
        outside = (exposure == 0)[hour[~digital]] | ~open_days[wd[~digital]]
        obs["phone_outside"] = np.array([int(outside.sum())])
    if n_digital > 0:
        digital_profile = _norm(digital_h, np.ones(24, bool))
    obs.update(
        phone_weekday=phone_wd,
        digital_weekday=digital_wd,
        phone_weekday_fitted=expected_phone,
        digital_weekday_fitted=expected_digital,
        phone_hour=phone_h,
        digital_hour=digital_h,
    )
    named = dict(zip(WEEKDAYS, wd_profile, strict=True))
    return StreamFit(a, ds, named, hour_profile, digital_profile, obs)
