"""The follow-up caseload: users who become due, get sessions, and leave.

Each user belongs to a need group and carries their own random stream, so a
user's session lengths and intervals are the same in every scenario of a
replication. A user becomes due at their next follow-up date and joins the
group's queue; due and not yet in session is *overdue* (the follow-up
backlog). After a session the next due date is the session end plus a fresh
interval. Users leave (to work, or otherwise) at their group's rates; new
users arrive and are due for a first meeting at once.

With ``outcomes.session_effect`` > 0 the exit-to-work rate rises for
``effect_days`` after each session (each user draws the Exp(1) hazard to
accumulate before leaving). With ``failure_demand`` on, an overdue user past the
grace period sends inquiries until seen (with meetings: only if the office
cancelled theirs).

Due dates and exits are timeouts with a callback: no process per user.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import simpy

from officeq.config.schema import FollowupConfig, FollowupGroup
from officeq.model.calendar import HOURS_PER_DAY
from officeq.model.observer import FAILURE_DEMAND, Recorder
from officeq.model.restore import populate, restore_users
from officeq.model.sampling import choice_cdf
from officeq.model.state import UserState
from officeq.model.streams import Streams
from officeq.model.tasks import FOLLOWUP, Queues, Task, User, cover_queue, followup_queue
from officeq.model.userrng import user_rng

if TYPE_CHECKING:
    from officeq.model.appointments import Appointments
    from officeq.model.owners import Owners

HOURS_PER_YEAR = HOURS_PER_DAY * 365.0


class Caseload:
    """The users on follow-up and the events that move them."""

    def __init__(
        self,
        env: simpy.Environment,
        cfg: FollowupConfig,
        streams: Streams,
        submit: Callable[[Task], None],
        queues: Queues,
        recorder: Recorder,
        horizon: float,
        failure_inquiry: Callable[[float], Task] | None = None,
        owners: Owners | None = None,
        appointments: Appointments | None = None,
        users: Iterable[UserState] | None = None,
    ) -> None:
        """``users``: a snapshot's caseload (:func:`restore_users`); None: drawn."""
        self.env = env
        self.owners = owners
        self.meetings = appointments
        self.first_due = cfg.first_session_days * HOURS_PER_DAY
        self.away_days: list[int] = [0] * (len(owners.count) if owners is not None else 0)
        """Per caseworker: days absent or under a directive so far (for gaps)."""
        self.cfg = cfg
        self.submit = submit
        self.queues = queues
        self.rec = recorder
        self.horizon = horizon
        self.groups: dict[str, FollowupGroup] = dict(cfg.groups)
        self._queue = {g: followup_queue(g) for g in self.groups}
        self._next_id = 0
        self.users: dict[int, User] = {}
        """Users on the caseload now, by id, in order of joining."""
        self.effect = cfg.outcomes.session_effect
        self.effect_hours = cfg.outcomes.effect_days * HOURS_PER_DAY
        fd = cfg.failure_demand
        self._chase_rate = fd.inquiries_per_user_week / (7 * HOURS_PER_DAY)
        self._chase_grace = fd.grace_days * HOURS_PER_DAY
        self._failure_inquiry = failure_inquiry
        self._chase_rng = streams.rng("failure_demand", 0)
        self._new_rng = streams.rng("caseload.new_users")
        if users is None:
            populate(self, streams.rng("caseload.initial"))
        else:
            restore_users(self, users, streams.rng("caseload.initial"))
        rates = self._new_user_rates()
        self._arrivals_proc: simpy.Process | None = None
        if sum(rates) > 0:
            self._arrivals_proc = env.process(self._arrivals(rates))

    # --- users ---------------------------------------------------------------
    def _exit_rate(self, g: FollowupGroup) -> float:
        return g.exit_to_work_per_year + g.exit_other_per_year

    def _new_user_rates(self) -> list[float]:
        """New users per hour, per group."""
        if self.cfg.new_users_per_year is None:
            per_year = [
                self.cfg.caseload * g.share * self._exit_rate(g) for g in self.groups.values()
            ]
        else:
            per_year = [self.cfg.new_users_per_year * g.share for g in self.groups.values()]
        return [r / HOURS_PER_YEAR for r in per_year]

    def add_user(
        self,
        group: str,
        seed: int,
        exit_u: float,
        work_u: float,
        first_due: float,
        initial: bool,
        known: UserState | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        """``rng``: the user's stream made already (``userrng.user_rngs``), else from ``seed``."""
        g = self.groups[group]
        now = self.env.now
        # with outcomes on, exit_at is the exit for other reasons; exits to work follow
        # the user's follow-up (below). Off: one exit, to work with the group's odds.
        per_year = g.exit_other_per_year if self.effect > 0 else self._exit_rate(g)
        rate = per_year / HOURS_PER_YEAR
        exit_at = now - math.log1p(-exit_u) / rate if rate > 0 else math.inf
        to_work = self.effect == 0 and rate > 0 and work_u * per_year < g.exit_to_work_per_year
        if rng is None:
            rng = user_rng(seed)  # np.random.default_rng(seed), made faster
        user = User(self._next_id, group, rng, exit_at, to_work)
        user.last_session = user.joined = now
        if known is not None:
            user.joined = known.entered
            user.last_session = (
                known.entered if math.isnan(known.last_session) else known.last_session
            )
        if self.effect > 0:
            user.work_hazard_left = -math.log1p(-work_u)
            user.hazard_since = now
            self._schedule_work_exit(user)
        self._next_id += 1
        self.users[user.id] = user
        self.rec.user_joined(user, now, initial)
        if self.owners is not None:
            placed = (
                self.owners.join(user, initial)
                if known is None
                else self.owners.place(user, known.owner)
            )
            if placed:
                user.away_mark = self.away_days[user.owner]
            else:
                self.rec.unassigned_change(1, now)
        if exit_at < self.horizon:
            self.env.timeout(exit_at - now).callbacks.append(partial(self._exit, user))
        if known is None:
            self._schedule_due(user, first_due)
        else:
            self._schedule_due(user, first_due, known, overdue=True)

    # --- outcomes: exit to work as an accumulated hazard -----------------------------
    def _work_rates(self, user: User) -> tuple[float, float]:
        """Exit-to-work rate per hour: normal, and in the weeks after a session."""
        base = self.groups[user.group].exit_to_work_per_year / HOURS_PER_YEAR
        return base, base * (1 + self.effect)

    def _accumulate(self, user: User, now: float) -> None:
        base, boosted = self._work_rates(user)
        since = user.hazard_since
        high = max(0.0, min(now, user.boost_until) - since)
        user.work_hazard_left -= high * boosted + (now - since - high) * base
        user.hazard_since = now

    def _schedule_work_exit(self, user: User) -> None:
        now = self.env.now
        base, boosted = self._work_rates(user)
        left = user.work_hazard_left
        at = math.inf
        if user.boost_until > now and boosted > 0:
            cap = (user.boost_until - now) * boosted
            at = now + left / boosted if left <= cap else user.boost_until + (left - cap) / base
        elif base > 0:
            at = now + left / base
        user.exit_version += 1
        if at < self.horizon:
            callback = partial(self._work_exit, user, user.exit_version)
            self.env.timeout(max(0.0, at - now)).callbacks.append(callback)

    def _work_exit(self, user: User, version: int, _event: simpy.Event) -> None:
        if user.active and version == user.exit_version:
            user.exit_to_work = True
            self._exit(user)

    def _arrivals(self, rates: list[float]):  # type: ignore[no-untyped-def]
        rng = self._new_rng
        names = list(self.groups)
        while True:  # a Poisson stream; a new rate (an interrupt) restarts it, memoryless
            total = sum(rates)
            # the group is rng.choice(len(names), p=rates / total), without its checks
            cdf = choice_cdf(np.asarray(rates) / total).tolist() if total > 0 else None
            try:
                while True:
                    if cdf is None:
                        yield self.env.event()  # no new users until the rate changes
                    yield self.env.timeout(rng.exponential(1.0 / total))
                    group = names[bisect_right(cdf, rng.random())]
                    seed, exit_u, work_u = int(rng.integers(0, 2**63)), rng.random(), rng.random()
                    self.add_user(group, seed, exit_u, work_u, self.first_due, False)
            except simpy.Interrupt as change:
                rates = change.cause

    def set_new_users(self, per_year: float | None) -> None:
        """From now on new users join at ``per_year`` (None: replacing exits)."""
        self.cfg = self.cfg.model_copy(update={"new_users_per_year": per_year})
        rates = self._new_user_rates()
        if self._arrivals_proc is not None:
            self._arrivals_proc.interrupt(rates)
        elif sum(rates) > 0:
            self._arrivals_proc = self.env.process(self._arrivals(rates))

    # --- events ------------------------------------------------------------------
    def _schedule_due(
        self, user: User, delay: float, known: UserState | None = None, overdue: bool = False
    ) -> None:
        """Set ``user``'s next due date ``delay`` hours ahead; the session's length is
        drawn now, and with appointments the meeting is booked now (at ``meeting``
        when it is known). ``overdue``: a negative delay is a due date in the past."""
        now = self.env.now
        beyond = now + delay >= self.horizon  # set (a snapshot reads it), not scheduled
        g = self.groups[user.group]
        minutes = float(g.duration_minutes.one(user.rng))
        if known is not None and not math.isnan(known.session_minutes):
            minutes = known.session_minutes
        due = now + (delay if overdue else max(delay, 0.0))
        task = Task(FOLLOWUP, self._queue[user.group], due, math.inf, minutes / 60.0, user)
        user.next = task
        if self.meetings is not None:
            # booked even past the horizon: the booking draws from the shared lead
            # stream, so a longer run must make it too to repeat a shorter one
            if known is None or math.isnan(known.next_meeting):
                self.meetings.book(user, task, due)
            else:
                self.meetings.book_at(user, task, known.next_meeting)
        if beyond:
            return
        if delay <= 0:
            self._due(user, task)
        else:
            self.env.timeout(delay).callbacks.append(partial(self._due, user, task))

    def _due(self, user: User, task: Task, _event: simpy.Event | None = None) -> None:
        """``user`` is due: overdue from now, until a session starts."""
        if not user.active or user.next is not task or task.announced:
            return
        self._announce(user, task)
        if self.meetings is None and (self.owners is None or user.owner >= 0):
            self.submit(task)

    def _announce(self, user: User, task: Task) -> None:
        task.announced = True
        user.waiting = task
        now = self.env.now
        self.rec.arrived_task(task)
        self.rec.overdue_change(user.group, 1, now, user.owner)
        if self._chase_rate > 0 and self._failure_inquiry is not None:
            self._schedule_chase(user, task, self._chase_grace)

    # --- failure demand -----------------------------------------------------------
    def _schedule_chase(self, user: User, task: Task, after: float) -> None:
        delay = after + self._chase_rng.exponential(1.0 / self._chase_rate)
        if self.env.now + delay < self.horizon:
            self.env.timeout(delay).callbacks.append(partial(self._chase, user, task))

    def _chase(self, user: User, task: Task, _event: simpy.Event) -> None:
        """An overdue user gets in touch: one more inquiry, while still not seen."""
        if user.waiting is None or user.waiting.arrival != task.arrival:
            return  # seen since (a task moved to the cover queue is the same episode)
        if self.meetings is not None and not user.let_down:
            self._schedule_chase(user, task, 0.0)  # a booked user waits for the date
            return
        inquiry = self._failure_inquiry(self.env.now)  # type: ignore[misc]
        self.rec.arrived_task(inquiry)
        self.rec.count_today(FAILURE_DEMAND)
        self.submit(inquiry)
        self._schedule_chase(user, task, 0.0)

    def session_started(self, task: Task, worker: int) -> None:
        user = task.user
        assert user is not None
        if not task.announced:  # a meeting at the very moment the user falls due
            self._announce(user, task)
        user.waiting = None
        user.next = None
        user.let_down = False
        now = self.env.now
        self.rec.overdue_change(user.group, -1, now, user.owner)
        owned = self.owners is not None and user.owner >= 0
        away = owned and self.away_days[user.owner] > user.away_mark
        self.rec.session_by(user, worker, now, away)  # before the session resets the gap
        if owned:
            user.away_mark = self.away_days[user.owner]
        self.rec.session_started(task, now)
        if self.effect > 0 and user.active:
            self._accumulate(user, now)
            user.boost_until = now + self.effect_hours
            self._schedule_work_exit(user)

    def short_contact_started(self, task: Task) -> None:
        self.rec.short_contact_started(task)

    def session_done(self, task: Task) -> None:
        user = task.user
        assert user is not None
        if user.active:
            g = self.groups[user.group]
            days = float(g.interval_days.one(user.rng))
            self._schedule_due(user, days * HOURS_PER_DAY)

    def _exit(self, user: User, _event: simpy.Event | None = None) -> None:
        if not user.active:
            return
        user.active = False
        del self.users[user.id]
        now = self.env.now
        if self.meetings is not None:
            self.meetings.user_left(user)
        if user.waiting is not None:
            waiting = user.waiting
            if self.meetings is None and (self.owners is None or user.owner >= 0):
                self.queues.cancel(waiting)  # it waits in a queue
            self.rec.cancelled(waiting)
            self.rec.overdue_change(user.group, -1, now, user.owner)
            user.waiting = None
        user.next = None
        self.rec.user_left(user, now)
        if self.owners is not None:
            if user.owner < 0:
                self.rec.unassigned_change(-1, now)
            taken = self.owners.leave(user)
            if taken is not None:
                self.taken_on(taken, now)

    # --- own caseloads -------------------------------------------------------------
    def taken_on(self, user: User, now: float) -> None:
        """An unassigned user gets an owner: their waiting (or next) session moves to them."""
        self.rec.unassigned_change(-1, now)
        user.away_mark = self.away_days[user.owner]
        if user.waiting is not None:
            self.rec.overdue_owner(-1, -1, now)
            self.rec.overdue_owner(user.owner, 1, now)
        task = user.next
        if task is None:
            return
        if self.meetings is not None:
            self.meetings.book(user, task, task.arrival)
        elif task.announced:
            self.submit(task)

    def end_of_day(self, away_tomorrow: list[bool], cover_hours: float | None) -> None:
        """After a day: count days away, and move users of caseworkers away tomorrow
        who are ``cover_hours`` overdue to the cover queues (cover by picking)."""
        if self.owners is None:
            return
        for w, away in enumerate(away_tomorrow):
            if away:
                self.away_days[w] += 1
        if cover_hours is None or self.meetings is not None:
            return
        limit = self.env.now - cover_hours
        moved = []
        for w, away in enumerate(away_tomorrow):
            if away:
                moved += [t for t in self.queues.owned_by(w) if t.arrival <= limit]
        for t in moved:
            user = t.user
            assert user is not None
            self.queues.cancel(t)
            copy = Task(t.kind, cover_queue(user.group), t.arrival, t.deadline, t.duration, user)
            copy.announced = True
            user.waiting = user.next = copy
            self.submit(copy)
