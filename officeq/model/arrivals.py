"""Poisson arrivals with weekday and hour-of-day profiles.

The arrival rate is piecewise constant. For each weekday the stream has a list
of pieces (start hour, length, expected arrivals): the office channel (phone,
front desk) arrives only while the office is open, spread by ``hour_profile``;
the digital channel arrives around the clock on every day, holidays included,
spread by ``digital_hour_profile``. On a half day the office channel brings only
the day's arrivals before the early closing (the afternoon's callers do not
call). A day's arrivals are a Poisson count placed by the pieces' weights, an
exact draw of the non-homogeneous process.

Volume: a week brings ``arrivals_per_day`` times the number of weekdays with
opening hours, split between days by ``weekday_profile`` (the office channel
only over open weekdays, the digital channel over all seven).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from officeq.config.schema import ArrivalStream
from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.model.sampling import choice_cdf


@dataclass(frozen=True)
class DayPieces:
    """Pieces of one day: start (hours after midnight), length, expected arrivals."""

    start: np.ndarray
    length: np.ndarray
    expected: np.ndarray
    office: int = 0
    """The first ``office`` pieces are the office channel, the rest digital."""

    @property
    def total(self) -> float:
        return float(self.expected.sum())


_EMPTY = DayPieces(np.empty(0), np.empty(0), np.empty(0))


def _spread(
    volume: float, open_h: float, close_h: float, profile: tuple[float, ...] | None
) -> DayPieces:
    """Spread ``volume`` over [open_h, close_h) by an hourly profile."""
    if volume <= 0 or close_h <= open_h:
        return _EMPTY
    starts, lengths, weights = [], [], []
    hour = int(open_h)
    while hour < close_h:
        lo, hi = max(open_h, hour), min(close_h, hour + 1)
        if hi > lo:
            w = (1.0 if profile is None else profile[hour % 24]) * (hi - lo)
            if w > 0:
                starts.append(lo)
                lengths.append(hi - lo)
                weights.append(w)
        hour += 1
    total = sum(weights)
    if total <= 0:
        return _EMPTY
    expected = np.asarray(weights) * (volume / total)
    return DayPieces(np.asarray(starts), np.asarray(lengths), expected)


def _until(pieces: DayPieces, close_h: float) -> DayPieces:
    """The part of ``pieces`` before ``close_h`` (a half day keeps its morning)."""
    end = pieces.start + pieces.length
    keep = pieces.start < close_h
    length = np.minimum(end, close_h)[keep] - pieces.start[keep]
    expected = pieces.expected[keep] * length / pieces.length[keep]
    return DayPieces(pieces.start[keep], length, expected)


def _merge(office: DayPieces, digital: DayPieces) -> DayPieces:
    return DayPieces(
        np.concatenate([office.start, digital.start]),
        np.concatenate([office.length, digital.length]),
        np.concatenate([office.expected, digital.expected]),
        office.start.size,
    )


class ArrivalPattern:
    """The expected arrivals of one stream, day by day, and a sampler for them."""

    def __init__(self, spec: ArrivalStream, calendar: OfficeCalendar, opening: list) -> None:
        """``opening``: per weekday (0 = Monday) the (open, close) hours or None."""
        self.calendar = calendar
        weekly = spec.arrivals_per_day * calendar.open_weekdays
        w = spec.weekday_profile or (1.0,) * 7
        open_days = [d for d in range(7) if opening[d] is not None]
        w_open = sum(w[d] for d in open_days)
        w_all = sum(w)
        self._close = [o[1] if o is not None else 0.0 for o in opening]
        self._short: dict[tuple[int, float], DayPieces] = {}
        self._full: dict[int, DayPieces] = {}  # an open weekday's merged pieces
        self._draw: dict[int, tuple[float, np.ndarray, np.ndarray, np.ndarray, int]] = {}
        self._office: list[DayPieces] = []
        self._digital: list[DayPieces] = []
        for d in range(7):
            office_volume = 0.0
            if opening[d] is not None and w_open > 0:
                office_volume = weekly * (1 - spec.digital_share) * w[d] / w_open
            span = opening[d] or (0.0, 0.0)
            self._office.append(_spread(office_volume, span[0], span[1], spec.hour_profile))
            digital_volume = weekly * spec.digital_share * w[d] / w_all
            self._digital.append(_spread(digital_volume, 0.0, 24.0, spec.digital_hour_profile))

    def pieces(self, day: int) -> DayPieces:
        """The pieces of simulated ``day`` (no office channel on holidays)."""
        wd = self.calendar.weekday(day)
        digital = self._digital[wd]
        cal = self.calendar
        if not cal.is_open_day(day):
            return digital
        close = cal.close_at[day] - day * HOURS_PER_DAY
        if close >= self._close[wd]:
            full = self._full.get(wd)
            if full is None:
                full = self._full[wd] = _merge(self._office[wd], digital)
            return full
        short = self._short.get((wd, close))  # a half day: the office channel stops early
        if short is None:
            short = self._short[(wd, close)] = _merge(_until(self._office[wd], close), digital)
        return short

    def expected(self, day: int) -> float:
        return self.pieces(day).total

    def sample_day(self, day: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Sorted arrival times (hours since time 0) on ``day``, and whether each
        came through the digital channel."""
        p = self.pieces(day)
        draw = self._draw.get(id(p))
        if draw is None or draw[1] is not p.expected:
            total = p.total  # the draw below is rng.choice(size, n, p=expected / total)
            cdf = choice_cdf(p.expected / total) if total > 0 else p.expected
            draw = self._draw[id(p)] = (total, p.expected, cdf, p.start, p.office)
        total, _, cdf, start, office = draw
        n = rng.poisson(total) if total > 0 else 0
        if n == 0:
            return np.empty(0), np.empty(0, dtype=bool)
        idx = cdf.searchsorted(rng.random(n), side="right")
        times = day * HOURS_PER_DAY + start[idx] + rng.random(n) * p.length[idx]
        order = np.argsort(times, kind="stable")
        return times[order], idx[order] >= office


def weekly_opening(calendar_cfg) -> list:  # type: ignore[no-untyped-def]
    """Per weekday the (open, close) hours, or None; around the clock when always open."""
    if calendar_cfg.always_open:
        return [(0.0, 24.0)] * 7
    return [calendar_cfg.opening_hours.interval(w) for w in range(7)]


def open_weekdays(calendar_cfg) -> int:  # type: ignore[no-untyped-def]
    """Weekdays the office is open (7 when always open): a week brings
    ``arrivals_per_day`` times this."""
    return sum(o is not None for o in weekly_opening(calendar_cfg))
