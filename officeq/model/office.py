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
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

import simpy
from simpy.events import NORMAL, PENDING

from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.model.overtime import OvertimeLedger
from officeq.model.policies import Policy
from officeq.model.staff import Segment
from officeq.model.tasks import FOLLOWUP, Queues, Task
from officeq.model.ticks import Tick

if TYPE_CHECKING:
    from officeq.model.appointments import Appointments
    from officeq.model.observer import Recorder


class ContactHooks(Protocol):
    """What the office tells the follow-up caseload (:class:`~officeq.model.caseload.Caseload`).

    The office knows the caseload only through these three calls, and the
    caseload knows the office only through ``submit`` and the queues, so the
    two modules do not import each other.
    """

    def session_started(self, task: Task, worker: int) -> None: ...
    def short_contact_started(self, task: Task) -> None: ...
    def session_done(self, task: Task) -> None: ...


class Caseworker:
    """What the policy may know of a caseworker, and what it is doing."""

    __slots__ = (
        "admin_after",
        "client_hours_today",
        "current",
        "day",
        "day_close",
        "followup_hours_today",
        "idle_ev",
        "idle_since",
        "index",
        "overtime",
        "overtime_left",
        "sessions",
    )

    def __init__(self, index: int, overtime: OvertimeLedger | None = None) -> None:
        self.index = index
        self.overtime = overtime
        """The caseworker's overtime so far, against the caps (None: no caps)."""
        self.overtime_left = math.inf
        self.day_close = math.inf
        self.admin_after = 0.0
        self.idle_ev: simpy.Event | None = None
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
        finish_or_defer: bool = False,
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
        self.finish_or_defer = finish_or_defer
        """Start a task only if it fits the rest of the working day plus overtime left."""
        self.meetings: Appointments | None = None
        self._fit = finish_or_defer
        self.step_done: Callable[[Task], None] | None = None
        """With income-support cases: told when a step of a case is done."""
        self._started = recorder.started
        self._finished = recorder.finished

    def use_meetings(self, meetings: Appointments) -> None:
        """Caseworkers hold booked meetings and start no task that runs into one."""
        self.meetings = meetings
        self._fit = True

    def submit(self, task: Task) -> None:
        """A task arrives: straight to an idle caseworker, or into its queue.

        With a work-conserving policy an idle caseworker means every queue it sees
        is empty (or holds nothing that fits before its next meeting or the end of
        its day), so the arriving task, if it fits, is the policy's only possible
        choice: it is handed over without asking, and the caseworker's wait event
        is scheduled for the moment the task is done, so the caseworker process
        resumes once per task instead of twice. A follow-up task of an own
        caseload goes only to its owner.
        """
        queues = self.queues
        if task.queue in queues.owned:
            worker = self.workers[task.user.owner]  # type: ignore[union-attr]
            ev = worker.idle_ev
            if (
                ev is not None
                and not ev.triggered
                and self._handoff
                and self._can_hand(worker, task)
            ):
                self._hand(worker, ev, task)
                return
            queues.push(task)
            return
        idle = self._idle
        while idle and idle[0][1]._value is not PENDING:  # not ev.triggered, inlined
            idle.popleft()  # stale: its segment ended
        if not idle:
            queues.push(task)
            return
        if not self._handoff:
            queues.push(task)
            idle.popleft()[1].succeed(None)
            return
        if not self._fit and not queues.owned:
            worker, ev = idle.popleft()
            self._hand(worker, ev, task)
            return
        for i, (worker, ev) in enumerate(idle):
            if not ev.triggered and self._can_hand(worker, task):
                del idle[i]
                self._hand(worker, ev, task)
                return
        queues.push(task)

    def _can_hand(self, worker: Caseworker, task: Task) -> bool:
        """``worker`` (idle) may take ``task`` now: nothing waits ahead of it in the
        queue this caseworker sees, and it fits."""
        queues = self.queues
        queues.select(worker.index)
        if queues.head(task.queue) is not None:
            return False
        return not self._fit or task.duration <= self._limit(worker, self.env.now)[0]

    def _hand(self, worker: Caseworker, ev: simpy.Event, task: Task) -> None:
        env = self.env
        now = env._now  # env.now without the property call (hot path)
        self.rec.idled(worker.idle_since, now)  # type: ignore[arg-type]
        worker.idle_since = None
        worker.idle_ev = None
        self._start(worker, task, now)
        # Event.succeed() with a delay: SimPy 4 has no public call for it
        ev._ok = True
        ev._value = task
        env.schedule(ev, NORMAL, task.duration)

    def _limit(self, worker: Caseworker, now: float) -> tuple[float, bool]:
        """The longest task ``worker`` may start now, and whether the end of the
        working day (not the next meeting) sets it."""
        limit, day_bound = math.inf, False
        if self.finish_or_defer:
            limit = worker.day_close - worker.admin_after - now + worker.overtime_left
            day_bound = True
        if self.meetings is not None:
            to_meeting = self.meetings.next_start(worker.index, int(now // HOURS_PER_DAY)) - now
            if to_meeting < limit:
                limit, day_bound = to_meeting, False
        return limit, day_bound

    def take(self, worker: Caseworker) -> Task | None:
        """The next task for ``worker`` now, taken out of its queue, or None: a
        meeting due now, else the policy's pick among the tasks that fit."""
        now = self.env._now  # env.now without the property call
        if worker.day != int(now // HOURS_PER_DAY):
            self._new_day(worker, now)
        if self.meetings is not None:
            task = self.meetings.due_now(worker.index, now)
            if task is not None:
                self._start(worker, task, now)
                return task
        queues = self.queues
        if not queues.total:
            return None
        queues.now = now
        if queues._views:  # queues.select(worker.index), inlined
            queues._q = queues._views[worker.index]
        if self._fit:
            queues.limit, queues.day_bound = self._limit(worker, now)
        key = self.policy.choose(queues, worker)
        if key is None:
            return None
        task = queues.pop(key)
        self._start(worker, task, now)
        return task

    def begin_segment(self, worker: Caseworker, seg: Segment) -> None:
        """``worker`` starts client segment ``seg``: the day's end and overtime left."""
        worker.day_close = seg.day_close
        worker.admin_after = seg.admin_after
        if worker.overtime is not None:
            worker.overtime_left = worker.overtime.left(int(seg.start // HOURS_PER_DAY))

    def wake(self, worker_index: int) -> None:
        """A meeting was booked for today: an idle caseworker looks again."""
        ev = self.workers[worker_index].idle_ev
        if ev is not None and not ev.triggered:
            ev.succeed(None)

    def _new_day(self, worker: Caseworker, now: float) -> None:
        day = int(now // HOURS_PER_DAY)
        worker.day = day
        worker.followup_hours_today = 0.0
        worker.client_hours_today = self.cal.open_hours(day) * (1 - self.admin_share)

    def _start(self, worker: Caseworker, task: Task, now: float) -> None:
        task.start = now
        task.worker = worker.index
        worker.current = task
        self._started(task, now)
        if task.user is not None:
            self._contact(worker, task)

    def _contact(self, worker: Caseworker, task: Task) -> None:
        """A follow-up session or a short contact starts."""
        if task.kind == FOLLOWUP:
            worker.sessions += 1
            self.caseload.session_started(task, worker.index)  # type: ignore[union-attr]
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
        now = self.env._now
        worker.current = None
        self._finished(task, now)
        if task.kind == FOLLOWUP:
            if worker.day != int(task.start // HOURS_PER_DAY):
                self._new_day(worker, task.start)
            worker.followup_hours_today += task.duration
            self.caseload.session_done(task)  # type: ignore[union-attr]
        elif task.case is not None:
            self.step_done(task)  # type: ignore[misc]

    def idle(self, worker: Caseworker, until: float) -> simpy.Event:
        """An event that fires with a task handed over on arrival (or None to look
        again), or with None at ``until`` at the latest."""
        ev = self.env.event()
        worker.idle_ev = ev
        self._idle.append((worker, ev))
        if self.meetings is not None:
            nxt = self.meetings.next_start(worker.index, worker.day)
            if math.isinf(nxt) and until > (worker.day + 1) * HOURS_PER_DAY:
                nxt = self.meetings.next_start_from(worker.index, worker.day + 1)  # 24/7 office
            until = min(until, nxt)
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
    take, finish, idle, put = office.take, office.finish, office.idle, env.schedule
    tick = Tick()  # the wait for the task in hand (one at a time)
    for seg in segments:
        start = max(seg.start, env.now + seg.admin_before)
        if start >= office.horizon:
            return
        if start > env.now:
            yield env.timeout(start - env.now)
        end = seg.end
        office.begin_segment(worker, seg)
        if end > start:
            rec.scheduled(start, min(end, office.horizon))
        while env._now < end:  # env.now, read directly
            task = take(worker)
            if task is None:
                worker.idle_since = env._now
                task = yield idle(worker, end)
                worker.idle_ev = None
                if task is None:  # woken without a task: look again (or the segment ended)
                    rec.idled(worker.idle_since, env.now)
                    worker.idle_since = None
                    continue
                # handed a task on arrival; the wait lasted until it was done
            else:
                tick.callbacks = []
                put(tick, NORMAL, task.duration)  # as env.timeout(duration): duration >= 0
                yield tick
            finish(worker, task)
        if seg.closes and env.now > end and not math.isinf(end):
            rec.overtime(env.now - end, env.now, worker.index)
            if worker.overtime is not None:
                worker.overtime.add(int(seg.start // HOURS_PER_DAY), env.now - end)
