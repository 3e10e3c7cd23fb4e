"""A caseworker's diary: the meetings booked in their meeting windows.

Pure data, no SimPy. Each day of the diary has the stretches of planned client
work inside the office's meeting slots (from
:func:`officeq.model.staff.meeting_windows`); meetings are booked into them
without overlapping, each at the earliest free time at or after a given moment.
A meeting longer than the longest window of a day is shortened to the window
(a meeting ends when its slot ends).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from officeq.model.calendar import HOURS_PER_DAY

if TYPE_CHECKING:
    from officeq.model.tasks import Task


@dataclass(slots=True, eq=False)
class Meeting:
    """One booked follow-up meeting."""

    start: float
    length: float
    worker: int
    task: Task
    booked_at: float
    measured: bool
    """Booked after the warm-up (its outcome counts in the summary)."""

    @property
    def end(self) -> float:
        return self.start + self.length

    def __lt__(self, other: Meeting) -> bool:
        return self.start < other.start


@dataclass(slots=True)
class Diary:
    """The meeting windows and booked meetings of one caseworker."""

    windows: Callable[[int], tuple[tuple[float, float], ...]]
    """Day → (start, end) stretches that can hold meetings, in absolute hours."""
    days: int
    """Days the diary covers (bookings beyond are not made)."""
    has_windows: bool = True
    booked: dict[int, list[Meeting]] = field(default_factory=dict)
    """Per day: meetings, by start time."""
    blocked: set[int] = field(default_factory=set)
    """Days no meeting may be booked (a directive)."""

    def first_free(self, after: float, length: float) -> tuple[float, float] | None:
        """The earliest (start, booked length) at or after ``after`` that holds a
        meeting of ``length`` hours, or None when the diary has no room left."""
        if not self.has_windows:
            return None
        day = max(0, int(after // HOURS_PER_DAY))
        windows, booked, blocked = self.windows, self.booked, self.blocked
        while day < self.days:
            if day not in blocked:
                for a, b in windows(day):
                    if b <= after:
                        continue
                    need = min(length, b - a)
                    start = max(a, after)
                    for m in booked.get(day, ()):
                        if m.start + m.length <= start:
                            continue
                        if m.start >= start + need:
                            break
                        start = m.start + m.length
                    if start + need <= b + 1e-9:
                        return start, need
            day += 1
        return None

    def add(self, meeting: Meeting) -> None:
        day = int(meeting.start // HOURS_PER_DAY)
        bisect.insort(self.booked.setdefault(day, []), meeting)

    def remove(self, meeting: Meeting) -> None:
        day = int(meeting.start // HOURS_PER_DAY)
        meetings = self.booked[day]
        meetings.remove(meeting)
        if not meetings:
            del self.booked[day]

    def next_start_from(self, day: int) -> float:
        """When the first meeting on ``day`` or later starts (inf: none booked)."""
        days = [d for d in self.booked if d >= day]
        return self.booked[min(days)][0].start if days else math.inf

    def next_today(self, day: int) -> Meeting | None:
        """The first meeting still booked on ``day``."""
        meetings = self.booked.get(day)
        return meetings[0] if meetings else None

    def next_start(self, day: int) -> float:
        meetings = self.booked.get(day)
        return meetings[0].start if meetings else math.inf

    def on(self, day: int) -> list[Meeting]:
        """The meetings booked on ``day`` (a copy)."""
        return list(self.booked.get(day, ()))

    def all(self) -> list[Meeting]:
        return [m for day in sorted(self.booked) for m in self.booked[day]]
