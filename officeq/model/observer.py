"""What the office reports as it works: the model's one interface to measurement.

The model does not measure anything itself. It reports each event (a task
arrived, started, finished; a user became overdue, joined, left; a day
closed) to a :class:`Recorder`, and management reads the month-to-date
scorecard back from it, as a real office's management reads its own
statistics. :mod:`officeq.measure.recorder` implements this interface; the
model only knows the protocol below and the names of the daily counters, so
``officeq.model`` imports nothing from ``officeq.measure``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np

    from officeq.model.diary import Meeting
    from officeq.model.tasks import Case, Task, User

# counters of the current day, by index (kept in a list for speed)
INQ_ARRIVED, INQ_ANSWERED, INQ_ON_TIME = 0, 1, 2
IS_ARRIVED, IS_DECIDED, IS_ON_TIME = 3, 4, 5
SESSIONS, FIRST_CONTACT, EXITS_TO_WORK = 6, 7, 8
SHORT_CONTACTS, FIRST_SUBSTANTIVE, DIRECTIVES, CANCELLED, FAILURE_DEMAND = 9, 10, 11, 12, 13
PLAN_CHANGES = 14
MEETINGS_HELD, MEETINGS_NO_SHOW, MEETINGS_CANCELLED, SESSIONS_BY_COVER = 15, 16, 17, 18
COUNTER_COLUMNS = (
    "inquiries_arrived",
    "inquiries_answered",
    "inquiries_answered_on_time",
    "income_support_arrived",
    "income_support_decided",
    "income_support_decided_on_time",
    "followup_sessions",
    "users_first_contact_of_month",
    "exits_to_work",
    "followup_contacts_short",
    "users_first_substantive_of_month",
    "directives_issued",
    "followup_sessions_cancelled",
    "failure_demand_inquiries",
    "plan_changes",
    "appointments_held",
    "appointments_no_show",
    "appointments_cancelled_by_office",
    "followup_sessions_by_cover",
)
LEVEL_COLUMNS = (
    "inquiries_waiting",
    "income_support_waiting",
    "followup_overdue",
    "caseload",
    "caseworkers_present",
    "caseworkers_directed",
    "followup_unassigned",
    "followup_backlog_max_caseworker",
    "income_support_open",
    "income_support_waiting_on_office",
    "income_support_waiting_on_user",
)


class Scorecard(Protocol):
    """The daily counters so far, as management reads them."""

    month_of_day: np.ndarray
    """Month index (0, 1, ...) of every simulated day."""

    def month_to_date(self, day: int) -> np.ndarray:
        """Counter sums of ``day``'s month up to and including ``day`` (a closed day)."""
        ...

    def window(self, first: int, last: int, counter: int, level: str) -> tuple[int, int]:
        """Sums over days ``first`` to ``last - 1`` of a counter and of a level column."""
        ...


class Recorder(Protocol):
    """Receives every event the model reports (see :mod:`officeq.measure.recorder`)."""

    warmup: float
    month_now: int
    table: Scorecard

    def arrived_task(self, task: Task) -> None: ...
    def carried_over(self, kind: str, now: float, task: Task | None = None) -> None: ...
    def case_received(self, queue: str, now: float) -> None: ...
    def step_queued(self, task: Task) -> None: ...
    def case_decided(self, case: Case, now: float) -> None: ...
    def case_with_user(self, delta: int, now: float) -> None: ...
    def interim_reply(self, now: float) -> None: ...
    def started(self, task: Task, now: float) -> None: ...
    def finished(self, task: Task, now: float) -> None: ...
    def cancelled(self, task: Task) -> None: ...
    def overdue_change(self, group: str, delta: int, now: float, owner: int = -1) -> None: ...
    def overdue_owner(self, owner: int, delta: int, now: float) -> None: ...
    def unassigned_change(self, delta: int, now: float) -> None: ...
    def session_by(self, user: User, worker: int, now: float, away: bool) -> None: ...
    def appointment_booked(self, meeting: Meeting, rebooking: bool) -> None: ...
    def appointment_ended(
        self, meeting: Meeting, outcome: str, now: float, why: str = ""
    ) -> None: ...
    def worker_day(self, day: int, worker: int, absent: bool, directed: bool) -> None: ...
    def session_started(self, task: Task, now: float) -> None: ...
    def short_contact_started(self, task: Task) -> None: ...
    def count_today(self, column: int, n: int = 1) -> None: ...
    def directive(self, indicator: str, now: float) -> None: ...
    def user_joined(self, user: User, now: float, initial: bool) -> None: ...
    def user_left(self, user: User, now: float) -> None: ...
    def scheduled(self, start: float, end: float) -> None: ...
    def idled(self, start: float, end: float) -> None: ...
    def overtime(self, hours: float, now: float, worker: int = -1) -> None: ...
    def mark_warmup(self, now: float, in_service: Iterable[Task]) -> None: ...
    def close_day(
        self, day: int, now: float, waiting: dict[str, int], present: int, directed: int = 0
    ) -> None: ...
