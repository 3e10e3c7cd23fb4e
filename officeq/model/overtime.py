"""A caseworker's overtime against the Working Environment Act's caps.

Pure data. Overtime is booked to the day it is worked (a caseworker works past
closing at most once a day); :meth:`OvertimeLedger.left` is what the caps still
allow on a day: the smallest, over every cap, of the cap minus the overtime
already worked in the rolling window that ends that day (1, 7, 28 or 364 days,
see :class:`officeq.config.organisation.OvertimeConfig`).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence


class OvertimeLedger:
    """Overtime hours per day of one caseworker."""

    __slots__ = ("caps", "hours")

    def __init__(self, caps: Sequence[tuple[int, float]], days: int) -> None:
        self.caps = tuple(caps)
        self.hours = array("d", bytes(8 * max(days, 1)))  # 8 bytes a day

    def add(self, day: int, hours: float) -> None:
        if 0 <= day < len(self.hours):
            self.hours[day] += hours

    def left(self, day: int) -> float:
        """Overtime hours the caps still allow on ``day`` (inf: no cap)."""
        left = math.inf
        hours = self.hours
        for window, cap in self.caps:
            used = sum(hours[max(0, day - window + 1) : day + 1])
            left = min(left, cap - used)
        return max(0.0, left)

    def worst_window(self, window: int) -> float:
        """The most overtime in any ``window`` consecutive days (for checks)."""
        hours = self.hours
        run = sum(hours[:window])
        best = run
        for i in range(window, len(hours)):
            run += hours[i] - hours[i - window]
            best = max(best, run)
        return best
