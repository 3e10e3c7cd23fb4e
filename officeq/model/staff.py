"""Caseworkers' time: absence spells and the client-work segments of each day.

No SimPy here. A caseworker's day is the office's opening hours minus one
admin block (``admin_share`` of the day, placed at a different time of day for
each caseworker so the office is covered all day) and minus days of sickness
absence. What is left is a sequence of client-work *segments*; the caseworker
process in :mod:`officeq.model.office` walks through them.

Absence is a two-state Markov chain over calendar days with stationary absent
share ``absence_rate`` and mean spell length ``absence_spell_days_mean``.
Caseworker ``i`` has its own stream, so adding a caseworker leaves the
absences of the others unchanged (common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from officeq.config.schema import StaffConfig
from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar

GOLDEN = 0.6180339887498949


def absence_days(
    cfg: StaffConfig, rng: np.random.Generator, days: int, known: int | None = None
) -> np.ndarray:
    """Boolean array: is the caseworker absent on each calendar day? ``known``: the
    caseworker is known to be absent up to this day and present after it (-1: present
    from day 0); None: the first day is drawn like any other."""
    out = np.zeros(days, dtype=bool)
    if known is not None:
        out[: known + 1] = True
    share = cfg.absence_rate
    if share <= 0 or days <= 0:
        return out
    mean_absent = cfg.absence_spell_days_mean
    mean_present = mean_absent * (1 - share) / share
    absent = rng.random() < share
    d = 0
    if known is not None:
        absent, d = False, known + 1
    # spells alternate; geometric lengths (>= 1 day) keep the chain memoryless
    while d < days:
        mean = mean_absent if absent else mean_present
        length = int(rng.geometric(min(1.0, 1.0 / mean)))
        if absent:
            out[d : d + length] = True
        d += length
        absent = not absent
    return out


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of planned client work."""

    start: float
    end: float
    admin_before: float
    """Admin hours planned right before this segment (pushed later by an overrun)."""
    closes: bool
    """True when ``end`` is the office closing for the night (overrun is overtime)."""
    day_close: float = math.inf
    """When the working day ends (the office closes for the night); inf: it does not."""
    admin_after: float = 0.0
    """Admin hours still planned later in the same working day."""


def admin_offset(index: int, meetings: bool) -> float:
    """Where caseworker ``index``'s admin block sits in the day, 0 (first thing) to 1
    (last thing). Spread by the golden ratio so the office is covered all day; with
    booked meetings, first thing for even and last thing for odd caseworkers, so
    each keeps one unbroken stretch for meetings."""
    if meetings:
        return float(index % 2)
    return (index * GOLDEN) % 1.0


def day_parts(
    cal: OfficeCalendar, cfg: StaffConfig, d: int, offset: float
) -> list[tuple[float, float, float, bool, float, float]]:
    """The client-work parts of open day ``d``: (start, end, admin before, closes,
    day close, admin after)."""
    o, c = cal.open_at[d], cal.close_at[d]
    admin = cfg.admin_share * (c - o)
    admin_start = o + offset * ((c - o) - admin)
    closes = cal.closes_for_the_night(d)
    close = c if closes else math.inf
    if admin <= 0:
        return [(o, c, 0.0, closes, close, 0.0)]
    parts = []
    if admin_start > o:
        parts.append((o, admin_start, 0.0, False, close, admin))
    if c > admin_start + admin:
        parts.append((admin_start + admin, c, admin, closes, close, 0.0))
    return parts


def segments(
    cal: OfficeCalendar,
    cfg: StaffConfig,
    index: int,
    absent: np.ndarray,
    days: int,
    meetings: bool = False,
    staff_on: Callable[[int], StaffConfig] | None = None,
) -> Iterator[Segment]:
    """The client-work segments of caseworker ``index`` over ``days`` days.

    Segments that touch (an always-open office with no admin) are merged, so a
    caseworker in a 24/7 office has one segment for the whole run and no daily
    events. ``staff_on``: the staff config of each day (a plan over time), else ``cfg``.
    """
    offset = admin_offset(index, meetings)
    pending: Segment | None = None
    for d in range(days):
        if not cal.is_open_day(d) or absent[d]:
            continue
        for start, end, admin_before, seg_closes, close, after in day_parts(
            cal, cfg if staff_on is None else staff_on(d), d, offset
        ):
            if pending is not None and pending.end == start and admin_before == 0:
                pending = Segment(
                    pending.start, end, pending.admin_before, seg_closes, close, after
                )
                continue
            if pending is not None:
                yield pending
            pending = Segment(start, end, admin_before, seg_closes, close, after)
    if pending is not None:
        yield pending


class MeetingWindows:
    """Per day, the stretches of one caseworker's planned client work inside the
    meeting ``slots`` (hours of the day), in absolute hours.

    Computed when asked, from the day's opening hours (kept once per distinct pair
    of opening and closing hours); the days last asked for are kept (at most
    :attr:`KEEP`, the table emptied when full), so a long run keeps no per-day table.
    """

    KEEP = 128  # days: a booking looks a few weeks ahead; more only grows the heap

    def __init__(
        self,
        cal: OfficeCalendar,
        cfg: StaffConfig,
        index: int,
        slots: tuple[tuple[float, float], ...],
    ) -> None:
        self.cal = cal
        self.cfg = cfg
        self.offset = admin_offset(index, True)
        self.slots = slots
        self.days = cal.days
        self._pattern: dict[tuple[float, float], tuple[tuple[float, float], ...]] = {}
        self._days: dict[int, tuple[tuple[float, float], ...]] = {}
        self.any = any(self(d) for d in range(min(self.days, 400)))
        """Some day of the first 400 has room for a meeting (else no booking is tried)."""

    def __call__(self, day: int) -> tuple[tuple[float, float], ...]:
        known = self._days.get(day)
        if known is None:
            if len(self._days) >= self.KEEP:
                self._days.clear()
            known = self._days[day] = self._windows(day)
        return known

    def _windows(self, day: int) -> tuple[tuple[float, float], ...]:
        cal = self.cal
        if not cal.is_open_day(day):
            return ()
        base = day * HOURS_PER_DAY
        key = (cal.open_at[day] - base, cal.close_at[day] - base, cal.closes_for_the_night(day))
        pattern = self._pattern.get(key)
        if pattern is None:
            windows: list[tuple[float, float]] = []
            for start, end, *_ in day_parts(cal, self.cfg, day, self.offset):
                for a, b in self.slots:
                    lo, hi = max(start - base, a), min(end - base, b)
                    if hi > lo:
                        windows.append((lo, hi))
            pattern = self._pattern[key] = tuple(sorted(windows))
        return tuple((base + a, base + b) for a, b in pattern)
