"""Booked follow-up: meetings in caseworkers' diaries, held, missed, cancelled, rebooked.

With ``work.followup.appointments.enabled`` a follow-up session is a meeting.
When a user's next due date is set (at joining, or when their last meeting
ends) a meeting is booked at the first free time in a diary at or after
``max(due date, now + lead)``, where lead is a draw of ``lead_days``: with own
caseloads in the owner's diary, pooled in whichever diary is free first. The
caseworker holds the meeting at its time (:class:`~officeq.model.office.Office`
asks :meth:`Appointments.due_now` before the policy, and starts no task that
runs into it). A user who does not come (``no_show_rate``) is rebooked; so is a
user whose meeting the office cancels: the caseworker is off sick that day,
under a directive on that day, or did not get to it before the day ended.
A rebooking goes to the first free time at least ``rebook_min_days`` ahead;
with a cover rule, to a colleague when the owner's first free time would leave
the user more than ``after_days`` overdue and a colleague is free sooner.

Every booking ends in exactly one way: held, cancelled (by the office, or because
the user left), no-show, or still open when the run ends. Outcomes count for
bookings made after the warm-up, so booked = held + cancelled + no-show + open.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from officeq.config.schema import FollowupConfig
from officeq.model.calendar import HOURS_PER_DAY
from officeq.model.diary import Diary, Meeting
from officeq.model.observer import CANCELLED, Recorder
from officeq.model.sampling import BlockSampler
from officeq.model.tasks import Task, User

MEETING_EPS = 1e-9
CANCEL_REASONS = ("absent", "directive", "not_held", "user_left")
"""Why a meeting is cancelled: the caseworker is off sick that day, under a directive
that day, did not get to it before the day ended; or the user left the caseload."""


class Appointments:
    """The diaries of every caseworker and the bookings in them."""

    def __init__(
        self,
        cfg: FollowupConfig,
        diaries: Sequence[Diary],
        rng_lead: np.random.Generator,
        rng_no_show: np.random.Generator,
        recorder: Recorder,
        now: Callable[[], float],
        wake: Callable[[int], None],
    ) -> None:
        a = cfg.appointments
        self.diaries = list(diaries)
        self.own = cfg.assignment == "own"
        self.cover_hours = (
            cfg.cover.after_days * HOURS_PER_DAY if cfg.cover.after_days is not None else None
        )
        self.lead = BlockSampler(a.lead_days, rng_lead, HOURS_PER_DAY)
        self.no_show_rate = a.no_show_rate
        self.rng_no_show = rng_no_show
        self.rebook_hours = a.rebook_min_days * HOURS_PER_DAY
        self.rec = recorder
        self.now = now
        self.wake = wake
        self.away: Callable[[int], bool] = lambda _w: False
        """Is caseworker ``w`` absent or directed today (set by the simulation)."""

    # --- booking -----------------------------------------------------------------
    def book(self, user: User, task: Task, due: float) -> None:
        """Book ``user``'s next meeting (``task``, due at ``due``), ``lead_days`` ahead."""
        now = self.now()
        self._book(user, task, max(due, now + self.lead.next()), now, rebooking=False)

    def book_at(self, user: User, task: Task, at: float) -> None:
        """Book ``user``'s meeting at its known time ``at`` (from a snapshot), or the
        first free time after it."""
        now = self.now()
        self._book(user, task, max(at, now), now, rebooking=False)

    def rebook(self, user: User, task: Task) -> None:
        """Book again after a cancellation or a missed meeting."""
        now = self.now()
        self._book(user, task, now + self.rebook_hours, now, rebooking=True)

    def _book(self, user: User, task: Task, after: float, now: float, rebooking: bool) -> None:
        if self.own:
            if user.owner < 0:
                return  # unassigned: booked when a caseworker takes the user on
            found = self._in(user.owner, after, task.duration)
            if rebooking and self.cover_hours is not None:
                found = self._cover(user, task, after, found)
        else:
            found = None
            for w in range(len(self.diaries)):
                slot = self._in(w, after, task.duration)
                if slot is not None and (found is None or slot[1] < found[1]):
                    found = slot
        if found is None:
            return  # no room before the diaries end: the user waits past the horizon
        worker, start, length = found
        meeting = Meeting(start, length, worker, task, now, now >= self.rec.warmup)
        self.diaries[worker].add(meeting)
        user.meeting = meeting
        self.rec.appointment_booked(meeting, rebooking)
        if int(start // HOURS_PER_DAY) == int(now // HOURS_PER_DAY):
            self.wake(worker)

    def _in(self, worker: int, after: float, length: float) -> tuple[int, float, float] | None:
        slot = self.diaries[worker].first_free(after, length)
        return None if slot is None else (worker, slot[0], slot[1])

    def _cover(
        self,
        user: User,
        task: Task,
        after: float,
        found: tuple[int, float, float] | None,
    ) -> tuple[int, float, float] | None:
        """A colleague's earlier slot, when the owner's leaves the user too long overdue."""
        limit = task.arrival + self.cover_hours  # type: ignore[operator]
        if found is not None and found[1] <= limit:
            return found
        for w in range(len(self.diaries)):
            if w == user.owner or self.away(w):
                continue
            slot = self._in(w, after, task.duration)
            if slot is not None and (found is None or slot[1] < found[1]):
                found = slot
        return found

    # --- the day's meetings --------------------------------------------------------
    def next_start(self, worker: int, day: int) -> float:
        """When ``worker``'s next meeting today starts (inf: none)."""
        meetings = self.diaries[worker].booked.get(day)  # Diary.next_start, one call less
        return meetings[0].start if meetings else math.inf

    def next_start_from(self, worker: int, day: int) -> float:
        """When ``worker``'s first meeting on ``day`` or later starts (inf: none)."""
        return self.diaries[worker].next_start_from(day)

    def due_now(self, worker: int, now: float) -> Task | None:
        """The meeting ``worker`` should be in now, taken out of the diary; None when
        none is due (a user who does not come is rebooked, and the next one looked at)."""
        diary = self.diaries[worker]
        day = int(now // HOURS_PER_DAY)
        while True:
            booked = diary.booked.get(day)  # Diary.next_today, one call less
            if not booked or booked[0].start > now + MEETING_EPS:
                return None
            m = booked[0]
            diary.remove(m)
            user = m.task.user
            assert user is not None
            user.meeting = None
            if self.no_show_rate > 0 and self.rng_no_show.random() < self.no_show_rate:
                self.rec.appointment_ended(m, "no_show", now)
                self.rebook(user, m.task)
                continue
            m.task.duration = m.length
            self.rec.appointment_ended(m, "held", now)
            return m.task

    def cancel(self, meeting: Meeting, why: str) -> None:
        """Cancel a booked meeting, ``why`` one of :data:`CANCEL_REASONS`; the office's
        cancellations are rebooked (those by a directive count in the daily
        ``followup_sessions_cancelled``)."""
        diary = self.diaries[meeting.worker]
        diary.remove(meeting)
        user = meeting.task.user
        assert user is not None
        user.meeting = None
        now = self.now()
        self.rec.appointment_ended(meeting, "cancelled", now, why)
        if why == "directive" and now >= self.rec.warmup:
            self.rec.count_today(CANCELLED)
        if why != "user_left":
            user.let_down = True
            self.rebook(user, meeting.task)

    def end_of_day(self, day: int, absent_tomorrow: Sequence[bool]) -> None:
        """After day ``day``: meetings not held are cancelled, and so are tomorrow's
        meetings of caseworkers off sick tomorrow."""
        for w, diary in enumerate(self.diaries):
            for m in diary.on(day):
                self.cancel(m, "not_held")
            if absent_tomorrow[w]:
                for m in diary.on(day + 1):
                    self.cancel(m, "absent")

    def direct(self, workers: Sequence[int], days: Sequence[int]) -> None:
        """A directive: the caseworkers' meetings on its days are cancelled and rebooked,
        and those days are closed for booking until :meth:`release`."""
        for w in workers:
            self.diaries[w].blocked.update(days)
        for w in workers:
            for d in days:
                for m in self.diaries[w].on(d):
                    self.cancel(m, "directive")

    def release(self, workers: Sequence[int], days: Sequence[int]) -> None:
        for w in workers:
            self.diaries[w].blocked.difference_update(days)

    def user_left(self, user: User) -> None:
        if user.meeting is not None:
            self.cancel(user.meeting, "user_left")  # type: ignore[arg-type]

    def open_meetings(self) -> list[Meeting]:
        return [m for d in self.diaries for m in d.all()]
