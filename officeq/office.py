"""The office floor: queues, the policy, and caseworkers who pull work.

A caseworker is a SimPy process (:func:`caseworker`) that walks through its
client-work segments; when free it asks the office for a task, and the office
asks the policy. An idle caseworker waits on one event that the next arrival
(or the end of its segment) triggers, so an arrival costs one event, not a
process of its own.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING

import simpy

from officeq.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.policies import Policy
from officeq.staff import Segment
from officeq.tasks import FOLLOWUP, Queues, Task

if TYPE_CHECKING:
    from officeq.caseload import Caseload
    from officeq.metrics import Recorder


class Caseworker:
    """What the policy may know of a caseworker, and what it is doing."""

    __slots__ = (
        "client_hours_today",
        "current",
        "day",
        "followup_hours_today",
        "idle_since",
        "index",
    )

    def __init__(self, index: int) -> None:
        self.index = index
        self.day = -1
        self.followup_hours_today = 0.0
        self.client_hours_today = 0.0
        self.current: Task | None = None
        self.idle_since: float | None = None


class Office:
    """Queues, policy and the hand-off of tasks to caseworkers."""

    def __init__(
        self,
        env: simpy.Environment,
        cal: OfficeCalendar,
        queues: Queues,
        policy: Policy,
        recorder: Recorder,
        admin_share: float,
        horizon: float,
    ) -> None:
        self.env = env
        self.cal = cal
        self.queues = queues
        self.policy = policy
        self.rec = recorder
        self.admin_share = admin_share
        self.horizon = horizon
        self.caseload: Caseload | None = None
        self.workers: list[Caseworker] = []
        self._idle: deque[simpy.Event] = deque()

    def submit(self, task: Task) -> None:
        """A task joins its queue; one idle caseworker (if any) is woken."""
        self.queues.push(task)
        idle = self._idle
        while idle:
            ev = idle.popleft()
            if not ev.triggered:
                ev.succeed()
                return

    def take(self, worker: Caseworker) -> Task | None:
        """The policy's pick for ``worker`` now, taken out of its queue, or None."""
        now = self.env.now
        queues = self.queues
        queues.now = now
        day = int(now // HOURS_PER_DAY)
        if worker.day != day:
            worker.day = day
            worker.followup_hours_today = 0.0
            worker.client_hours_today = self.cal.open_hours(day) * (1 - self.admin_share)
        key = self.policy.choose(queues, worker)
        if key is None:
            return None
        task = queues.pop(key)
        task.start = now
        worker.current = task
        self.rec.started(task, now)
        if task.kind == FOLLOWUP:
            self.caseload.session_started(task)  # type: ignore[union-attr]
        return task

    def finish(self, worker: Caseworker, task: Task) -> None:
        """``worker`` has finished ``task``."""
        now = self.env.now
        worker.current = None
        self.rec.finished(task, now)
        if task.kind == FOLLOWUP:
            worker.followup_hours_today += task.duration
            self.caseload.session_done(task)  # type: ignore[union-attr]

    def idle(self, until: float) -> simpy.Event:
        """An event that fires on the next arrival, or at ``until`` at the latest."""
        ev = self.env.event()
        self._idle.append(ev)
        if until < self.horizon:
            timer = self.env.timeout(until - self.env.now)
            timer.callbacks.append(lambda _t: None if ev.triggered else ev.succeed())
        return ev

    def in_service(self) -> Iterable[Task]:
        return (w.current for w in self.workers if w.current is not None)


def caseworker(
    env: simpy.Environment, office: Office, worker: Caseworker, segments: Iterable[Segment]
):  # type: ignore[no-untyped-def]
    """The caseworker process: work each segment, pulling tasks until it ends.

    A task that runs past the end of a segment is finished; the admin block
    after it moves later by as much, and an overrun past closing is overtime.
    """
    rec = office.rec
    for seg in segments:
        start = max(seg.start, env.now + seg.admin_before)
        if start >= office.horizon:
            return
        if start > env.now:
            yield env.timeout(start - env.now)
        end = seg.end
        if end > start:
            rec.scheduled(start, min(end, office.horizon))
        while env.now < end:
            task = office.take(worker)
            if task is None:
                worker.idle_since = env.now
                yield office.idle(end)
                rec.idled(worker.idle_since, env.now)
                worker.idle_since = None
                continue
            yield env.timeout(task.duration)
            office.finish(worker, task)
        if seg.closes and env.now > end and not math.isinf(end):
            rec.overtime(env.now - end, env.now)
