"""Applying a plan over time: the office changes at 00:00 of each planned day.

The config's plan (:meth:`officeq.config.schema.Config.plan`, resolved by
:mod:`officeq.config.changes`) says which config holds from which day. What a
task or day is given is looked up by its day, so it does not matter when the
change is applied: arrivals of a day come from that day's pattern
(:class:`PlannedPattern`), a task's duration and deadline from the config of
the day it arrives (:class:`PerDay`), and a caseworker's working days and
admin time from the day's head-count and admin share. The rest is state that
is swapped at the change (:meth:`Plan.apply`): the policy, management's
scorecard, the rate of new users, income-support deadlines, and the owners of
users when the head-count changes.

Head-count: the model builds the plan's largest staff; caseworker ``i`` is
employed on the days the plan has more than ``i`` caseworkers (so a cut lets
the most recently hired go first). Not employed, a caseworker has no working
time, is not present and holds no meetings. Absences are drawn per caseworker
from its own stream whatever the plan (common random numbers). With own
caseloads a new caseworker starts with no users and takes the unassigned ones
(and, having the fewest, the next new users); a leaving caseworker's users go
to the colleagues with the fewest users, or wait unassigned when all are full;
their queued sessions move along, their booked meetings are cancelled (as if
the caseworker were absent) and rebooked with the new owner.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable
from typing import Any, Protocol

import numpy as np

from officeq.config.schema import Config, StaffConfig
from officeq.model.arrivals import ArrivalPattern
from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.model.policies import build_policy
from officeq.model.staff import absence_days
from officeq.model.steering import steered_policy
from officeq.model.tasks import Task, User


class Simulation(Protocol):
    """What the plan reads and changes of :class:`officeq.model.simulate.Simulation`."""

    cfg: Config
    env: Any
    office: Any
    caseload: Any
    management: Any
    cases: Any
    org: Any
    rec: Any


class Plan:
    """The configs of one run by day, and the changes they make to the office."""

    def __init__(self, cfg: Config, days: int) -> None:
        self.cfg = cfg
        self.days = days
        entries = cfg.plan()
        self.starts = [d for d, _ in entries]
        self.configs = [cfg, *(c for _, c in entries)]
        self._index = np.asarray([self.index_on(d) for d in range(days)], dtype=int)
        heads = [c.staff.caseworkers for c in self.configs]
        self.heads = np.asarray(heads)[self._index]
        """Caseworkers employed, per day."""
        self.caseworkers = max(heads)
        """Caseworkers built: the largest head-count of the plan."""
        self.sim: Simulation | None = None

    def index_on(self, day: int) -> int:
        return bisect.bisect_right(self.starts, day)

    def config_on(self, day: int) -> Config:
        """The config in force on simulated ``day``."""
        return self.configs[self.index_on(day)]

    def staff_on(self, day: int) -> StaffConfig:
        return self.config_on(day).staff

    # --- staff -------------------------------------------------------------------
    def absence(
        self, rng: Callable[[str, int], np.random.Generator], staff: StaffConfig, i: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Caseworker ``i``: absent days (employed and off sick), and days off (absent
        or not employed). One absence chain per absence rate of the plan, each from
        the caseworker's own stream, taken on the days its rate is in force."""
        rates = [c.staff.absence_rate for c in self.configs]
        chains: dict[float, np.ndarray] = {}
        for r in dict.fromkeys(rates):
            chains[r] = absence_days(
                staff.model_copy(update={"absence_rate": r}), rng("absence", i), self.days
            )
        per_day = np.asarray(rates)[self._index]
        absent = np.zeros(self.days, dtype=bool)
        for r, chain in chains.items():
            absent |= chain & (per_day == r)
        employed = self.heads > i
        return absent & employed, absent | ~employed

    def employed(self, i: int) -> np.ndarray:
        return self.heads > i

    def head_count(self, day: int) -> int:
        return int(self.heads[min(day, self.days - 1)])

    # --- arrivals and tasks ----------------------------------------------------------
    def pattern(self, stream: str, cal: OfficeCalendar, opening: list) -> PlannedPattern:
        return PlannedPattern(
            self, lambda c: ArrivalPattern(_stream(c, stream), cal, opening), stream
        )

    def arrives(self, stream: str) -> bool:
        """Some config of the plan has arrivals of ``stream``."""
        return any(_stream(c, stream).arrivals_per_day > 0 for c in self.configs)

    def per_day(self, build: Callable[[Config], Any], section: str) -> PerDay:
        """Task factories per config, keyed by the config ``section`` they read."""
        return PerDay(self, build, lambda c: _stream(c, section).model_dump_json())

    # --- state swapped at a change ------------------------------------------------------
    def start(self, sim: Simulation) -> None:
        """Before the caseload is dealt out: own caseloads go to day 0's staff."""
        self.sim = sim
        owners = sim.org.owners
        if owners is not None:
            owners.staff = self.head_count(0)

    def begin(self) -> None:
        """Once the office is built: hook management, apply a change dated day 0."""
        sim = self.sim
        assert sim is not None
        if sim.management is not None:
            sim.management.head_count = self.head_count
        if self.starts and self.starts[0] == 0:
            self.apply(0, self.cfg, self.configs[1])

    def end_of_day(self, day: int) -> None:
        """After ``day``: apply the change dated ``day + 1``, if any."""
        i = bisect.bisect_left(self.starts, day + 1)
        if i < len(self.starts) and self.starts[i] == day + 1:
            self.apply(day + 1, self.configs[i], self.configs[i + 1])

    def apply(self, day: int, old: Config, new: Config) -> None:
        sim = self.sim
        assert sim is not None
        office = sim.office
        office.admin_share = new.staff.admin_share
        if new.policy != old.policy or new.steering != old.steering:
            policy = build_policy(new)
            if sim.management is None:
                office.policy = policy
            else:
                now = steered_policy(new, policy)
                steered = sim.management.policy
                steered.base, steered.preference = now.base, now.preference
                steered.need_keys = now.need_keys
                sim.management.steering = new.steering
        fu_old, fu_new = old.work.followup, new.work.followup
        if fu_new.new_users_per_year != fu_old.new_users_per_year:
            sim.caseload.set_new_users(fu_new.new_users_per_year)
        if sim.cases is not None:
            inc = new.work.income_support
            sim.cases.urgent_share = inc.urgent_share
            sim.cases.urgent_hours = inc.urgent_deadline_hours
            sim.cases.regular_hours = inc.deadline_days * HOURS_PER_DAY
        n_old, n_new = old.staff.caseworkers, new.staff.caseworkers
        if n_new != n_old and sim.org.owners is not None:
            restaff(sim.caseload, sim.org.owners, n_new, sim.env.now)


def _stream(cfg: Config, name: str) -> Any:
    return getattr(cfg.work, name)


class PlannedPattern:
    """An arrival pattern that follows the plan: each day sampled from its day's config."""

    def __init__(self, plan: Plan, build: Callable[[Config], ArrivalPattern], stream: str) -> None:
        self.plan = plan
        self.by_index: list[ArrivalPattern] = []
        made: dict[str, ArrivalPattern] = {}
        for c in plan.configs:
            key = _stream(c, stream).model_dump_json()
            if key not in made:
                made[key] = build(c)
            self.by_index.append(made[key])

    def sample_day(self, day: int, rng: np.random.Generator) -> np.ndarray:
        return self.by_index[self.plan.index_on(day)].sample_day(day, rng)

    def expected(self, day: int) -> float:
        return self.by_index[self.plan.index_on(day)].expected(day)


class PerDay:
    """A task factory that makes each task as the config of its arrival day says.

    Factories are built when first needed, one per distinct config section, and
    share their random streams, so the tasks before a change are the same in
    every plan.
    """

    def __init__(
        self, plan: Plan, build: Callable[[Config], Any], key: Callable[[Config], Hashable]
    ) -> None:
        self.plan = plan
        self.build = build
        self.keys = [key(c) for c in plan.configs]
        self.made: dict[Hashable, Callable[[float], Task]] = {}

    def __call__(self, t: float) -> Task:
        i = self.plan.index_on(int(t // HOURS_PER_DAY))
        make = self.made.get(self.keys[i])
        if make is None:
            make = self.made[self.keys[i]] = self.build(self.plan.configs[i])
        return make(t)


class EmployedWindows:
    """A caseworker's meeting windows, empty on the days they are not employed."""

    def __init__(self, windows: Any, employed: np.ndarray) -> None:
        self.windows = windows
        self.employed = employed
        self.days = windows.days
        self.any = windows.any

    def __call__(self, day: int) -> tuple[tuple[float, float], ...]:
        if day < len(self.employed) and not self.employed[day]:
            return ()
        return self.windows(day)


def restaff(caseload: Any, owners: Any, n: int, now: float) -> None:
    """Own caseloads when the head-count becomes ``n``: new caseworkers take unassigned
    users; those leaving hand their users to colleagues (or to the unassigned queue)."""
    before = owners.staff
    owners.staff = n
    if n > before:
        while (user := owners.take_unassigned()) is not None:
            caseload.taken_on(user, now)
        return
    for user in list(caseload.users.values()):
        if user.owner >= n:
            _hand_over(caseload, owners, user, now)


def _hand_over(caseload: Any, owners: Any, user: User, now: float) -> None:
    rec, queues, meetings = caseload.rec, caseload.queues, caseload.meetings
    old = user.owner
    task = user.waiting
    queued = (
        task is not None
        and meetings is None
        and task.queue in queues.owned
        and not task.cancelled
        and task.start != task.start  # not in service (start is nan until then)
    )
    if queued:
        queues.cancel(task)
    assigned = owners.move(user)
    if task is not None:
        rec.overdue_owner(old, -1, now)
        rec.overdue_owner(user.owner, 1, now)
    if not assigned:
        rec.unassigned_change(1, now)
    else:
        user.away_mark = caseload.away_days[user.owner]
    if queued:
        assert task is not None
        copy = Task(task.kind, task.queue, task.arrival, task.deadline, task.duration, user)
        copy.announced = True
        user.waiting = user.next = copy
        if assigned:
            caseload.submit(copy)
    if meetings is not None and user.meeting is not None:
        meetings.cancel(user.meeting, "absent")  # rebooked with the new owner
