"""The office calendar: opening hours, holidays, and a clock of opening hours.

Holidays come as dates from :func:`officeq.config.holidays.holiday_dates`: a
closed date has no opening interval, a half day one that ends early.

Simulation time is in hours from midnight of ``start_date`` (day 0). The
calendar precomputes, per day, when the office opens and closes and how many
opening hours lie before it, so both clocks are O(1) or O(log n):
``business_hours(t)`` counts opening hours from time 0 to ``t``, and
``add_business_hours`` is its inverse (an SLA deadline on the business clock).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from array import array

from officeq.config.holidays import holiday_dates
from officeq.config.schema import CalendarConfig

HOURS_PER_DAY = 24.0


class OfficeCalendar:
    """Opening intervals for ``days`` consecutive days from ``start``."""

    def __init__(self, cfg: CalendarConfig, start: dt.date, days: int) -> None:
        self.start = start
        self.days = days
        self.always_open = cfg.always_open
        last = start + dt.timedelta(days=max(days, 1) - 1)
        hol = holiday_dates(cfg.holidays, start, last) if not cfg.always_open else None
        weekly = [cfg.opening_hours.interval(w) for w in range(7)]
        # compact per-day arrays: a long horizon costs 32 bytes a day
        self.open_at = array("d")
        self.close_at = array("d")
        self._cum_start = array("d")  # business hours before each day's opening
        self._cum_end = array("d")  # ... and at its closing
        cum = 0.0
        for d in range(days):
            date = start + dt.timedelta(days=d)
            base = d * HOURS_PER_DAY
            span = (0.0, HOURS_PER_DAY) if cfg.always_open else weekly[date.weekday()]
            if hol is not None and span is not None:
                if date in hol.closed:
                    span = None
                elif date in hol.half_days:  # open as usual, closing early
                    close = min(span[1], hol.half_day_closes)
                    span = (span[0], close) if close > span[0] else None
            if span is None:
                self.open_at.append(math.nan)
                self.close_at.append(math.nan)
                self._cum_start.append(cum)
                self._cum_end.append(cum)
                continue
            self.open_at.append(base + span[0])
            self.close_at.append(base + span[1])
            self._cum_start.append(cum)
            cum += span[1] - span[0]
            self._cum_end.append(cum)
        self.open_weekdays = 7 if cfg.always_open else sum(s is not None for s in weekly)

    # --- days -----------------------------------------------------------
    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)

    def weekday(self, day: int) -> int:
        """0 = Monday … 6 = Sunday."""
        return (self.start.weekday() + day) % 7

    def is_open_day(self, day: int) -> bool:
        return 0 <= day < self.days and not math.isnan(self.open_at[day])

    def open_hours(self, day: int) -> float:
        """Opening hours on ``day`` (0 when closed)."""
        return self._cum_end[day] - self._cum_start[day]

    def closes_for_the_night(self, day: int) -> bool:
        """True when closing on ``day`` is a real closing, not a seamless midnight."""
        nxt = day + 1
        return not (nxt < self.days and self.open_at[nxt] == self.close_at[day])

    # --- clocks ---------------------------------------------------------
    def is_open(self, t: float) -> bool:
        d = int(t // HOURS_PER_DAY)
        return self.is_open_day(d) and self.open_at[d] <= t < self.close_at[d]

    def business_hours(self, t: float) -> float:
        """Opening hours elapsed between time 0 and ``t``."""
        if t >= self.days * HOURS_PER_DAY:
            return self._cum_end[-1] if self.days else 0.0
        d = int(t // HOURS_PER_DAY)
        if d < 0 or math.isnan(self.open_at[d]):
            return self._cum_start[max(d, 0)]
        inside = min(max(t - self.open_at[d], 0.0), self.close_at[d] - self.open_at[d])
        return self._cum_start[d] + inside

    def add_business_hours(self, t: float, hours: float) -> float:
        """The earliest time at which ``hours`` opening hours have passed since ``t``.

        Returns ``inf`` when that lies beyond the precomputed days.
        """
        target = self.business_hours(t) + hours
        d = bisect.bisect_left(self._cum_end, target)
        while d < self.days and math.isnan(self.open_at[d]):
            d += 1
        if d >= self.days:
            return math.inf
        return max(t, self.open_at[d] + (target - self._cum_start[d]))
