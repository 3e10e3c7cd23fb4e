"""Tasks, follow-up users, and the queues they wait in.

Pure data, no SimPy: policies read a :class:`Queues` and tests build one by
hand. Each queue keeps its tasks in arrival order, and within a queue the
deadlines never decrease, so the head of a queue is both its oldest and its
most urgent task.
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
    last_contact_month: int = -1
    """Month index of the last contact of any kind (the indicator's view)."""
    last_substantive_month: int = -1
    last_session: float = 0.0
    """Hours: start of the last substantive session (the join time before the first)."""
    work_hazard_left: float = math.inf
    """With outcomes on: exit-to-work hazard still to accumulate before the user leaves."""
    hazard_since: float = 0.0
    boost_until: float = -math.inf
    exit_version: int = 0


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


@dataclass(slots=True)
class Queues:
    """Waiting tasks per queue key, with the current time for policies."""

    keys: tuple[str, ...]
    now: float = 0.0
    total: int = 0
    """Tasks waiting in all queues."""
    _q: dict[str, deque[Task]] = field(default_factory=dict)
    _n: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._q = {k: deque() for k in self.keys}
        self._n = dict.fromkeys(self.keys, 0)

    @classmethod
    def of(cls, tasks: Iterable[Task], keys: Iterable[str], now: float = 0.0) -> Queues:
        """Build queues from tasks (sorted by arrival), for tests and tools."""
        q = cls(tuple(keys), now)
        for t in sorted(tasks, key=lambda t: t.arrival):
            q.push(t)
        return q

    def push(self, task: Task) -> None:
        self._q[task.queue].append(task)
        self._n[task.queue] += 1
        self.total += 1

    def head(self, key: str) -> Task | None:
        """The next task of queue ``key``, or None when it is empty."""
        q = self._q[key]
        while q and q[0].cancelled:
            q.popleft()
        return q[0] if q else None

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
        ``by_deadline``); ties go to the first key. None when all are empty."""
        best, best_value = None, math.inf
        queues = self._q
        for key in keys:
            q = queues[key]
            if not q:
                continue
            head = q[0]
            if head.cancelled:
                head = self.head(key)
                if head is None:
                    continue
            value = head.deadline if by_deadline else head.arrival
            if best is None or value < best_value:
                best, best_value = key, value
        return best

    def size(self, key: str) -> int:
        return self._n[key]

    def late(self, key: str, now: float) -> int:
        """Waiting tasks of queue ``key`` already past their deadline at ``now``."""
        n = 0
        for t in self._q[key]:  # deadlines never decrease along a queue
            if t.deadline > now:
                break
            n += not t.cancelled
        return n

    def waiting(self) -> Iterator[Task]:
        """Every task still waiting, in no particular order."""
        for q in self._q.values():
            yield from (t for t in q if not t.cancelled)
