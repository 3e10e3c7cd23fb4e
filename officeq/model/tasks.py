"""Tasks, follow-up users, and the queues they wait in.

Pure data, no SimPy: policies read a :class:`Queues` and tests build one by
hand. Each queue keeps its tasks in arrival order, and within a queue the
deadlines never decrease, so the head of a queue is both its oldest and its
most urgent task. The steps of income-support cases are the exception: a later
step keeps its case's deadline from receipt, so it goes in before the tasks due
after it (the head is still the most urgent).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

INQUIRY = "inquiry"
INCOME_SUPPORT = "income_support"
INCOME_SUPPORT_URGENT = "income_support_urgent"
FOLLOWUP = "followup"
SHORT_CONTACT = "short_contact"
"""A brief contact that counts for the follow-up indicator but is not follow-up."""
SHORT_CONTACT_QUEUE = "followup_short"


def followup_queue(group: str) -> str:
    """The queue key of a need group's due users."""
    return f"followup.{group}"


def cover_queue(group: str) -> str:
    """The queue key of a need group's users whom any colleague may cover."""
    return f"followup.{group}.cover"


def group_keys(groups: Iterable[str], cover: bool) -> tuple[str, ...]:
    """Follow-up queue keys of ``groups`` in their order; with ``cover``, each
    group's cover queue right after its own queue."""
    out: list[str] = []
    for g in groups:
        out.append(followup_queue(g))
        if cover:
            out.append(cover_queue(g))
    return tuple(out)


@dataclass(slots=True, eq=False)
class User:
    """A user on the follow-up caseload."""

    id: int
    group: str
    rng: np.random.Generator | None
    """Own stream for session durations and intervals (same user, same draws)."""
    exit_at: float
    exit_to_work: bool
    active: bool = True
    waiting: Task | None = None
    """The session the user is overdue for (due, not started)."""
    next: Task | None = None
    """The user's next session, from when its due date is set until it starts."""
    last_contact_month: int = -1
    """Month index of the last contact of any kind (the indicator's view)."""
    last_substantive_month: int = -1
    last_session: float = 0.0
    """Hours: start of the last substantive session (the join time before the first)."""
    joined: float = 0.0
    """Hours: when the user joined the caseload."""
    work_hazard_left: float = math.inf
    """With outcomes on: exit-to-work hazard still to accumulate before the user leaves."""
    hazard_since: float = 0.0
    boost_until: float = -math.inf
    exit_version: int = 0
    owner: int = -1
    """With own caseloads: the caseworker's index, or -1 while unassigned."""
    away_mark: int = 0
    """The owner's count of days away (absent or directed) at the last session."""
    meeting: object = None
    """With appointments: the booked :class:`~officeq.model.diary.Meeting`, or None."""
    let_down: bool = False
    """With appointments: the office cancelled a meeting of this user since their last
    session (such a user chases, failure demand; a user with a date waits for it)."""


@dataclass(slots=True, eq=False)
class Task:
    """One unit of work: an inquiry, an application, or a due follow-up session."""

    kind: str
    queue: str
    arrival: float
    """Hours; for follow-up, the time the user became due."""
    deadline: float
    duration: float
    """Hours of caseworker time, drawn when the task is created."""
    user: User | None = None
    start: float = math.nan
    cancelled: bool = False
    deferred: bool = False
    """Left once for the next opening because it did not fit the rest of the day."""
    announced: bool = False
    """Follow-up: the user's due date has passed (they count as overdue)."""
    case: object = None
    """A step of an income-support :class:`~officeq.model.cases.Case`, or None."""
    worker: int = -1
    """The caseworker who started it (their index), or -1."""
    digital: bool = False
    """Arrived through the digital channel (else by phone or at the desk)."""


INTAKE, MEETING, REVIEW, DECISION, INTERIM = range(5)
STEP_NAMES = ("intake", "first_meeting", "review", "decision", "interim_reply")

NO_INTERIM, INTERIM_DUE, INTERIM_CARRIED, INTERIM_SENT = range(4)


@dataclass(slots=True, eq=False)
class Case:
    """One income-support application, from receipt to decision (moved on by
    :class:`~officeq.model.cases.Cases`)."""

    id: int
    receipt: float
    deadline: float
    queue: str
    """``income_support`` or ``income_support_urgent``."""
    first_time: bool
    rounds_left: int
    """Documentation rounds the office will still ask for."""
    step: int = INTAKE
    """The step of ``task`` (or the last one done)."""
    task: Task | None = None
    """The step queued or in service, or None."""
    resume: int = -1
    """A step that came up while ``task`` was busy: queued when it is done."""
    touches: int = 0
    handling: float = 0.0
    """Caseworker hours spent on the case."""
    user_hours: float = 0.0
    """Hours waiting on the user (documents asked for)."""
    user_since: float = math.nan
    interim: int = NO_INTERIM
    decided: bool = False
    steps: list[int] = field(default_factory=list)
    """The steps done, in order (for checks; a few bytes a case)."""
    digital: bool = False
    """The application came through the digital channel."""
    meeting_at: float = math.nan
    """A first meeting's booked time while the case waits for it."""

    @property
    def urgent(self) -> bool:
        return self.queue == INCOME_SUPPORT_URGENT

    @property
    def with_user(self) -> bool:
        return not math.isnan(self.user_since)


@dataclass(slots=True)
class Queues:
    """Waiting tasks per queue key, with the current time for policies.

    With own caseloads (:meth:`set_owners`) the keys in ``owned`` hold one queue
    per caseworker: :meth:`select` makes a caseworker's own queues the ones the
    policy sees. ``limit`` is the longest task that may start now (the rest of
    the working day, or the time to the next meeting): a queue whose head is
    longer is passed over, as if empty.
    """

    keys: tuple[str, ...]
    now: float = 0.0
    total: int = 0
    """Tasks waiting in all queues."""
    limit: float = math.inf
    day_bound: bool = False
    """True while ``limit`` is the end of the working day (for counting deferrals)."""
    deferred: int = 0
    """Tasks passed over at least once because they did not fit the working day."""
    longest: float = math.inf
    """Longest task that fits any working day from its start; a longer one is shortened
    to it when it is queued, so it cannot block its queue for ever."""
    shortened: int = 0
    owned: frozenset[str] = frozenset()
    _q: dict[str, deque[Task]] = field(default_factory=dict)
    _shared: dict[str, deque[Task]] = field(default_factory=dict)
    _views: list[dict[str, deque[Task]]] = field(default_factory=list)
    _n: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._shared = {k: deque() for k in self.keys}
        self._q = self._shared
        self._n = dict.fromkeys(self.keys, 0)

    @classmethod
    def of(cls, tasks: Iterable[Task], keys: Iterable[str], now: float = 0.0) -> Queues:
        """Build queues from tasks (sorted by arrival), for tests and tools."""
        q = cls(tuple(keys), now)
        for t in sorted(tasks, key=lambda t: t.arrival):
            q.push(t)
        return q

    def set_owners(self, owned: Iterable[str], caseworkers: int) -> None:
        """Keep the queues ``owned`` per caseworker (own caseloads)."""
        self.owned = frozenset(owned)
        self._views = [
            {k: deque() if k in self.owned else q for k, q in self._shared.items()}
            for _ in range(caseworkers)
        ]

    def select(self, worker: int) -> None:
        """Show caseworker ``worker``'s own queues (with own caseloads)."""
        if self._views:
            self._q = self._views[worker]

    def queue_of(self, task: Task) -> deque[Task]:
        if task.queue in self.owned:
            return self._views[task.user.owner][task.queue]  # type: ignore[union-attr]
        return self._shared[task.queue]

    def push(self, task: Task) -> None:
        """Queue ``task`` behind the tasks due no later than it (at the back, unless an
        income-support step is due before tasks that came earlier)."""
        if task.duration > self.longest:
            task.duration = self.longest
            self.shortened += 1
        q = self.queue_of(task)
        if q and q[-1].deadline > task.deadline and task.case is not None:
            i = len(q) - 1
            while i > 0 and q[i - 1].deadline > task.deadline:
                i -= 1
            q.insert(i, task)
        else:
            q.append(task)
        self._n[task.queue] += 1
        self.total += 1

    def head(self, key: str) -> Task | None:
        """The next task of queue ``key``, or None when it is empty."""
        q = self._q[key]
        while q and q[0].cancelled:
            q.popleft()
        return q[0] if q else None

    def ready(self, key: str) -> bool:
        """True when queue ``key`` has a next task that may start now."""
        head = self.head(key)
        if head is None:
            return False
        if head.duration > self.limit:
            self._defer(head)
            return False
        return True

    def _defer(self, task: Task) -> None:
        if self.day_bound and not task.deferred:
            task.deferred = True
            self.deferred += 1

    def pop(self, key: str) -> Task:
        """Remove and return the head of queue ``key``."""
        self.head(key)
        self._n[key] -= 1
        self.total -= 1
        return self._q[key].popleft()

    def cancel(self, task: Task) -> None:
        """Take a waiting task out (it is skipped when it reaches the head)."""
        task.cancelled = True
        self._n[task.queue] -= 1
        self.total -= 1

    def earliest(self, keys: Iterable[str], by_deadline: bool = False) -> str | None:
        """The key among ``keys`` whose head arrived first (or is due first, with
        ``by_deadline``); ties go to the first key. None when all are empty (or
        no head fits ``limit``)."""
        best, best_value = None, math.inf
        queues = self._q
        limit = self.limit
        for key in keys:
            q = queues[key]
            if not q:
                continue
            head = q[0]
            if head.cancelled:
                head = self.head(key)
                if head is None:
                    continue
            if head.duration > limit:
                self._defer(head)
                continue
            value = head.deadline if by_deadline else head.arrival
            if best is None or value < best_value:
                best, best_value = key, value
        return best

    def size(self, key: str) -> int:
        """Tasks waiting in queue ``key``, over every caseworker's own queue."""
        return self._n[key]

    def late(self, key: str, now: float) -> int:
        """Waiting tasks of queue ``key`` already past their deadline at ``now``."""
        n = 0
        for t in self._shared[key]:  # deadlines never decrease along a queue
            if t.deadline > now:
                break
            n += not t.cancelled
        return n

    def waiting(self) -> Iterator[Task]:
        """Every task still waiting, in no particular order."""
        for q in self._shared.values():
            yield from (t for t in q if not t.cancelled)
        for view in self._views:
            for key in self.owned:
                yield from (t for t in view[key] if not t.cancelled)

    def owned_by(self, worker: int) -> Iterator[Task]:
        """Tasks waiting in caseworker ``worker``'s own queues."""
        if self._views:
            for key in self.owned:
                yield from (t for t in self._views[worker][key] if not t.cancelled)
