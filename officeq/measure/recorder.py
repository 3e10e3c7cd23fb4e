"""Streaming measurement: counters, time-weighted levels, daily and monthly tables.

Nothing is logged per event: the recorder keeps sums, a fixed-size histogram
and one row per simulated day, so memory stays flat however long the run.
Task metrics count tasks that arrived after the warm-up (income-support decisions:
those made after it); level metrics
(backlog, caseload) are time averages after the warm-up; client hours are the
handling time of tasks, clipped to the measured period.
The summary is computed in :mod:`officeq.measure.summary`; the daily and
monthly tables live in :mod:`officeq.measure.daily`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from officeq.measure.cases import CaseStats
from officeq.measure.daily import DailyTable
from officeq.measure.levels import BINS, LOG_LOW, LOG_RATIO, Level, LogHistogram
from officeq.measure.organisation import OrganisationStats
from officeq.measure.steering import SteeringStats
from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.model.observer import (
    EXITS_TO_WORK,
    FIRST_CONTACT,
    INQ_ANSWERED,
    INQ_ARRIVED,
    INQ_ON_TIME,
    IS_ARRIVED,
    IS_DECIDED,
    IS_ON_TIME,
    MEETINGS_CANCELLED,
    MEETINGS_HELD,
    MEETINGS_NO_SHOW,
    SESSIONS,
    SESSIONS_BY_COVER,
    SHORT_CONTACTS,
)
from officeq.model.tasks import (
    FOLLOWUP,
    INCOME_SUPPORT,
    INCOME_SUPPORT_URGENT,
    INQUIRY,
    SHORT_CONTACT,
    Case,
    Task,
    User,
)

if TYPE_CHECKING:
    from officeq.model.diary import Meeting


class ClassStats:
    """Waiting and response times of one class of deadline work."""

    __slots__ = (
        "done",
        "hist",
        "on_time",
        "open_late",
        "response_sum",
        "started",
        "wait_sum",
        "waited",
    )

    def __init__(self, histogram: bool = False) -> None:
        self.started = 0
        self.wait_sum = 0.0
        self.waited = 0
        self.done = 0
        self.response_sum = 0.0
        self.on_time = 0
        self.open_late = 0
        self.hist = LogHistogram() if histogram else None


class Recorder:
    """Everything the run measures, updated by the model as events happen."""

    def __init__(
        self,
        cal: OfficeCalendar,
        groups: Iterable[str],
        warmup: float,
        horizon: float,
        caseworkers: int = 0,
    ) -> None:
        self.cal = cal
        self.groups = tuple(groups)
        self.warmup = warmup
        self.classes = {
            INQUIRY: ClassStats(histogram=True),
            INCOME_SUPPORT: ClassStats(),
            INCOME_SUPPORT_URGENT: ClassStats(),
        }
        kinds = (INQUIRY, INCOME_SUPPORT, FOLLOWUP, SHORT_CONTACT)
        # all-time counts per kind, for conservation
        self.arrived = dict.fromkeys(kinds, 0)
        self.finished_n = dict.fromkeys(kinds, 0)
        self.cancelled_n = dict.fromkeys(kinds, 0)
        self.measured_arrivals = dict.fromkeys(kinds, 0)
        self.overdue = {g: Level() for g in self.groups}
        self.overdue_total = Level()
        self.caseload = {g: Level() for g in self.groups}
        self.client_hours = 0.0
        self.sessions = dict.fromkeys(self.groups, 0)
        self.lateness = dict.fromkeys(self.groups, 0.0)
        self.exits_to_work = dict.fromkeys(self.groups, 0)
        self.exits_other = 0
        self.users_entered = 0
        self.scheduled_hours = 0.0
        self.idle_hours = 0.0
        self.overtime_hours = 0.0
        self.days = math.ceil(horizon / HOURS_PER_DAY)
        self.table = DailyTable(cal, self.days, self.groups, warmup)
        self.steer = SteeringStats(self.groups, warmup, caseworkers)
        self.org = OrganisationStats(self.groups, warmup, caseworkers)
        self.cases = CaseStats(warmup)
        self.month_now = 0
        self._day_client_hours = 0.0
        self._rows = 0

    # --- events -----------------------------------------------------------
    def arrived_task(self, task: Task) -> None:
        kind = task.kind
        if kind == INCOME_SUPPORT:
            self.case_received(task.queue, task.arrival)
            return
        self.arrived[kind] += 1
        if kind == INQUIRY:
            self.table.today[INQ_ARRIVED] += 1
        if task.arrival >= self.warmup:
            self.measured_arrivals[kind] += 1

    def case_received(self, queue: str, now: float) -> None:
        """An application arrived (one task, or a case of steps)."""
        self.arrived[INCOME_SUPPORT] += 1
        self.table.today[IS_ARRIVED] += 1
        if now >= self.warmup:
            self.measured_arrivals[INCOME_SUPPORT] += 1
        self.cases.received(now)

    def carried_over(self, kind: str, now: float, task: Task | None = None) -> None:
        """Open work from a snapshot: counted as arrived (for conservation), not as an
        arrival of the day."""
        self.arrived[kind] += 1
        if kind == INCOME_SUPPORT:
            self.cases.received(now)

    def step_queued(self, task: Task) -> None:
        """A step of an income-support case joins its queue (the event log's hook)."""

    def started(self, task: Task, now: float) -> None:
        duration = task.duration
        self._day_client_hours += duration
        warmup = self.warmup
        if now >= warmup:
            self.client_hours += duration
        arrival = task.arrival
        if task.user is None and arrival >= warmup:
            s = self.classes[task.queue]
            wait = now - arrival
            s.started += 1
            s.wait_sum += wait
            hist = s.hist
            if wait > 0:
                s.waited += 1
                if hist is not None:  # LogHistogram.add, inlined
                    i = int((math.log(wait) - LOG_LOW) / LOG_RATIO) + 1
                    hist.counts[1 if i < 1 else (BINS if i > BINS else i)] += 1
            elif hist is not None:
                hist.counts[0] += 1

    def finished(self, task: Task, now: float) -> None:
        if task.case is not None:
            return  # a step of a case: the case reports its decision
        kind = task.kind
        self.finished_n[kind] += 1
        if task.user is not None:
            return
        if kind == INQUIRY:
            hit = now <= task.deadline
            today = self.table.today
            today[INQ_ANSWERED] += 1
            today[INQ_ON_TIME] += hit
            if task.arrival >= self.warmup:
                s = self.classes[INQUIRY]
                s.done += 1
                s.response_sum += now - task.arrival
                s.on_time += hit
        else:
            self._decided(task.queue, task.arrival, task.deadline, now, 1, task.duration, 0.0)

    def case_decided(self, case: Case, now: float) -> None:
        """A case of steps is decided."""
        self.finished_n[INCOME_SUPPORT] += 1
        self._decided(
            case.queue,
            case.receipt,
            case.deadline,
            now,
            case.touches,
            case.handling,
            case.user_hours,
        )

    def _decided(
        self,
        queue: str,
        receipt: float,
        deadline: float,
        now: float,
        touches: int,
        handling: float,
        user_hours: float,
    ) -> None:
        hit = now <= deadline
        today = self.table.today
        today[IS_DECIDED] += 1
        today[IS_ON_TIME] += hit
        self.cases.decision(queue, receipt, now, touches, handling, user_hours)
        if now >= self.warmup:
            s = self.classes[queue]
            s.done += 1
            s.response_sum += now - receipt
            s.on_time += hit

    def case_with_user(self, delta: int, now: float) -> None:
        """A case goes to (+1) or comes back from (-1) the user."""
        self.cases.with_user.add(delta, now)

    def interim_reply(self, now: float) -> None:
        self.cases.interim_reply(now)

    def overdue_change(self, group: str, delta: int, now: float, owner: int = -1) -> None:
        self.overdue[group].add(delta, now)
        self.overdue_total.add(delta, now)
        if owner >= 0:
            self.org.overdue[owner].add(delta, now)

    # --- organisation (see officeq.measure.organisation) -----------------------------
    def overdue_owner(self, owner: int, delta: int, now: float) -> None:
        self.org.overdue_owner(owner, delta, now)

    def unassigned_change(self, delta: int, now: float) -> None:
        self.org.unassigned.add(delta, now)

    def session_by(self, user: User, worker: int, now: float, away: bool) -> None:
        self.org.session(user, worker, now)
        if self.org.own and worker != user.owner:
            self.table.today[SESSIONS_BY_COVER] += 1
        if user.owner >= 0:
            self.org.gap_closed(user, now, away)

    def appointment_booked(self, meeting: Meeting, rebooking: bool) -> None:
        self.org.booked(meeting, rebooking)

    def appointment_ended(self, meeting: Meeting, outcome: str, now: float, why: str = "") -> None:
        self.org.ended(meeting, outcome, now, why)
        today = self.table.today
        if outcome == "held":
            today[MEETINGS_HELD] += 1
        elif outcome == "no_show":
            today[MEETINGS_NO_SHOW] += 1
        elif why != "user_left":
            today[MEETINGS_CANCELLED] += 1

    def worker_day(self, day: int, worker: int, absent: bool, directed: bool) -> None:
        if day * HOURS_PER_DAY >= self.warmup:
            self.org.day_away(worker, absent, directed)

    def session_started(self, task: Task, now: float) -> None:
        user = task.user
        assert user is not None
        self.table.today[SESSIONS] += 1
        self._contacted(user)
        if now >= self.warmup:
            self.sessions[user.group] += 1
            self.lateness[user.group] += now - task.arrival
        self.steer.session(user, now, self.table, self.month_now)

    def short_contact_started(self, task: Task) -> None:
        assert task.user is not None
        self.table.today[SHORT_CONTACTS] += 1
        self._contacted(task.user)

    def _contacted(self, user: User) -> None:
        """Any contact: the first of the month counts for the follow-up indicator."""
        if user.last_contact_month != self.month_now:
            user.last_contact_month = self.month_now
            self.table.today[FIRST_CONTACT] += 1

    def count_today(self, column: int, n: int = 1) -> None:
        """Add ``n`` to today's daily counter ``column`` (an index from
        :mod:`officeq.model.observer`)."""
        self.table.today[column] += n

    def directive(self, indicator: str, now: float) -> None:
        """Management issued a directive for ``indicator``."""
        self.steer.directive(indicator, now)

    def user_joined(self, user: User, now: float, initial: bool) -> None:
        self.caseload[user.group].add(1, now)
        if not initial and now >= self.warmup:
            self.users_entered += 1

    def user_left(self, user: User, now: float) -> None:
        group, to_work = user.group, user.exit_to_work
        self.caseload[group].add(-1, now)
        if to_work:
            self.table.today[EXITS_TO_WORK] += 1
        if now >= self.warmup:
            if to_work:
                self.exits_to_work[group] += 1
            else:
                self.exits_other += 1

    def cancelled(self, task: Task) -> None:
        self.cancelled_n[task.kind] += 1

    def scheduled(self, start: float, end: float) -> None:
        self.scheduled_hours += max(0.0, end - max(start, self.warmup))

    def idled(self, start: float, end: float) -> None:
        if end > self.warmup:
            self.idle_hours += end - max(start, self.warmup)

    def overtime(self, hours: float, now: float, worker: int = -1) -> None:
        self.table.add_overtime(int(now // HOURS_PER_DAY), hours)
        if now >= self.warmup:
            measured = min(hours, now - self.warmup)
            self.overtime_hours += measured
            self.org.overtime_worked(worker, measured)

    def mark_warmup(self, now: float, in_service: Iterable[Task]) -> None:
        for level in (self.overdue_total, *self.overdue.values(), *self.caseload.values()):
            level.mark(now)
        self.org.mark(now)
        self.cases.mark(now)
        for t in in_service:  # started in the warm-up, partly worked after it
            self.client_hours += t.start + t.duration - now

    def close_day(
        self, day: int, now: float, waiting: dict[str, int], present: int, directed: int = 0
    ) -> None:
        """Take the end-of-day row of ``daily.csv`` and start the next day."""
        client, self._day_client_hours = self._day_client_hours, 0.0
        levels = [
            waiting[INQUIRY],
            waiting[INCOME_SUPPORT],
            self.overdue_total.value,
            sum(lv.value for lv in self.caseload.values()),
            present,
            directed,
            self.org.unassigned.value,
            max((lv.value for lv in self.org.overdue), default=0) if self.org.own else 0,
            self.cases.open.value,
            self.cases.open.value - self.cases.with_user.value,
            self.cases.with_user.value,
            *(self.overdue[g].value for g in self.groups),
        ]
        self.table.close_day(day, levels, client)
        self.org.close_day(now)
        self._rows = day + 1
        if day + 1 < self.days:
            self.month_now = int(self.table.month_of_day[day + 1])

    # --- end of run -----------------------------------------------------------
    @property
    def rows(self) -> int:
        """Days whose row has been taken."""
        return self._rows

    def close_open_tasks(self, open_tasks: Iterable[Task], now: float) -> dict[str, int]:
        """Count open deadline work at the end: past its deadline it is a miss."""
        self.open_n = {INQUIRY: 0, INCOME_SUPPORT: 0}
        self.open_late_n = {INQUIRY: 0, INCOME_SUPPORT: 0}
        for t in open_tasks:
            if t.start <= now:  # in service: only the part before the end counts
                self.client_hours -= max(0.0, t.start + t.duration - max(now, self.warmup))
            if t.user is not None or t.case is not None:  # no deadline of its own
                continue
            self.open_n[t.kind] += 1
            if t.deadline <= now:
                self.open_late_n[t.kind] += 1
                if t.arrival >= self.warmup:
                    self.classes[t.queue].open_late += 1
        return self.open_n

    def close_open_cases(self, cases: Iterable[Case], now: float) -> None:
        """Count the income-support cases still open at the end (past the deadline: a miss)."""
        for c in cases:
            self.open_n[INCOME_SUPPORT] += 1
            if c.deadline <= now:
                self.open_late_n[INCOME_SUPPORT] += 1
                self.classes[c.queue].open_late += 1
