"""The office floor: queues, the policy, and caseworkers who pull work.

A caseworker is a SimPy process (:func:`caseworker`) that walks through its
client-work segments; when free it asks the office for a task, and the office
asks the policy. An idle caseworker waits on one event that the next arrival
(or the end of its segment) triggers, and the arriving task comes with it, so
an arrival costs one event, not a process of its own.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import simpy

from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.model.policies import Policy
from officeq.model.staff import Segment
from officeq.model.tasks import FOLLOWUP, Queues, Task

if TYPE_CHECKING:
    from officeq.model.observer import Recorder


class ContactHooks(Protocol):
    """What the office tells the follow-up caseload (:class:`~officeq.model.caseload.Caseload`).

    The office knows the caseload only through these three calls, and the
    caseload knows the office only through ``submit`` and the queues, so the
    two modules do not import each other.
    """

    def session_started(self, task: Task) -> None: ...
    def short_contact_started(self, task: Task) -> None: ...
    def session_done(self, task: Task) -> None: ...


class Caseworker:
    """What the policy may know of a caseworker, and what it is doing."""

    __slots__ = (
        "client_hours_today",
        "current",
        "day",
        "followup_hours_today",
        "idle_since",
        "index",
        "sessions",
    )

    def __init__(self, index: int) -> None:
        self.index = index
        self.sessions = 0
        """Follow-up sessions started (for management's plan of a directive)."""
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
        self.caseload: ContactHooks | None = None
        self.workers: list[Caseworker] = []
        self._idle: deque[tuple[Caseworker, simpy.Event]] = deque()
        self._handoff = bool(getattr(policy, "work_conserving", False))

    def submit(self, task: Task) -> None:
        """A task arrives: straight to an idle caseworker, or into its queue.

        With a work-conserving policy an idle caseworker means every queue is
        empty, so the arriving task is the policy's only possible choice: it is
        handed over without asking, and the caseworker's wait event is
        scheduled for the moment the task is done, so the caseworker process
        resumes once per task instead of twice.
        """
        idle = self._idle
        while idle:
            worker, ev = idle.popleft()
            if ev.triggered:
                continue  # stale: its segment ended
            if not self._handoff:
                self.queues.push(task)
                ev.succeed(None)
                return
            env = self.env
            now = env.now
            self.rec.idled(worker.idle_since, now)  # type: ignore[arg-type]
            worker.idle_since = None
            task.start = now
            worker.current = task
            self.rec.started(task, now)
            if task.user is not None:
                self._contact(worker, task)
            # Event.succeed() with a delay: SimPy 4 has no public call for it
            ev._ok = True
            ev._value = task
            env.schedule(ev, delay=task.duration)
            return
        self.queues.push(task)

    def take(self, worker: Caseworker) -> Task | None:
        """The policy's pick for ``worker`` now, taken out of its queue, or None."""
        queues = self.queues
        if not queues.total:
            return None
        now = self.env.now
        queues.now = now
        if worker.day != int(now // HOURS_PER_DAY):
            self._new_day(worker, now)
        key = self.policy.choose(queues, worker)
        if key is None:
            return None
        task = queues.pop(key)
        self._start(worker, task, now)
        return task

    def _new_day(self, worker: Caseworker, now: float) -> None:
        day = int(now // HOURS_PER_DAY)
        worker.day = day
        worker.followup_hours_today = 0.0
        worker.client_hours_today = self.cal.open_hours(day) * (1 - self.admin_share)

    def _start(self, worker: Caseworker, task: Task, now: float) -> None:
        task.start = now
        worker.current = task
        self.rec.started(task, now)
        if task.user is not None:
            self._contact(worker, task)

    def _contact(self, worker: Caseworker, task: Task) -> None:
        """A follow-up session or a short contact starts."""
        if task.kind == FOLLOWUP:
            worker.sessions += 1
            self.caseload.session_started(task)  # type: ignore[union-attr]
        else:
            self.caseload.short_contact_started(task)  # type: ignore[union-attr]

    def add(self, tasks: Iterable[Task]) -> None:
        """Put tasks made by management into their queues and wake idle caseworkers
        to look again (a work-conserving policy may not see these queues)."""
        for task in tasks:
            self.queues.push(task)
        while self._idle:
            _worker, ev = self._idle.popleft()
            if not ev.triggered:
                ev.succeed(None)

    def finish(self, worker: Caseworker, task: Task) -> None:
        """``worker`` has finished ``task``."""
        now = self.env.now
        worker.current = None
        self.rec.finished(task, now)
        if task.kind == FOLLOWUP:
            if worker.day != int(task.start // HOURS_PER_DAY):
                self._new_day(worker, task.start)
            worker.followup_hours_today += task.duration
            self.caseload.session_done(task)  # type: ignore[union-attr]

    def idle(self, worker: Caseworker, until: float) -> simpy.Event:
        """An event that fires with a task handed over on arrival (or None to look
        again), or with None at ``until`` at the latest."""
        ev = self.env.event()
        self._idle.append((worker, ev))
        if until < self.horizon:
            timer = self.env.timeout(until - self.env.now)
            timer.callbacks.append(lambda _t: None if ev.triggered else ev.succeed(None))
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
                task = yield office.idle(worker, end)
                if task is None:  # woken without a task: look again (or the segment ended)
                    rec.idled(worker.idle_since, env.now)
                    worker.idle_since = None
                    continue
                # handed a task on arrival; the wait lasted until it was done
            else:
                yield env.timeout(task.duration)
            office.finish(worker, task)
        if seg.closes and env.now > end and not math.isinf(end):
            rec.overtime(env.now - end, env.now)
