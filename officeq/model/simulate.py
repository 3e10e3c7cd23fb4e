"""Build one office from a config and run it to its horizon.

:class:`Simulation` wires the calendar, arrival streams, caseload,
caseworkers, policy and management into one SimPy environment and runs it.
Everything it observes goes to a :class:`~officeq.model.observer.Recorder`
it is given (made by ``make_recorder`` once the calendar is known), so this
room measures nothing itself; :func:`officeq.measure.run.run` pairs the two
and returns the results. It reads and writes no files.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import simpy

from officeq.config.changes import configs_of
from officeq.config.schema import Config
from officeq.model.arrivals import ArrivalPattern, weekly_opening
from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.model.caseload import Caseload
from officeq.model.cases import Cases
from officeq.model.engine import Engine
from officeq.model.management import Management
from officeq.model.observer import Recorder
from officeq.model.office import Caseworker, Office, caseworker
from officeq.model.organise import Organisation
from officeq.model.overtime import OvertimeLedger
from officeq.model.plans import Plan
from officeq.model.policies import booked, build_policy, queue_keys
from officeq.model.restore import capture, open_work
from officeq.model.sampling import BlockSampler, Unit
from officeq.model.sources import ArrivalSource, CaseSource
from officeq.model.staff import absence_days, segments
from officeq.model.state import OfficeState
from officeq.model.steering import steered_policy
from officeq.model.streams import Streams
from officeq.model.tasks import (
    INCOME_SUPPORT,
    INCOME_SUPPORT_URGENT,
    INQUIRY,
    SHORT_CONTACT_QUEUE,
    Queues,
    Task,
)


def calendar_margin_days(cfg: Config) -> int:
    """Days of calendar kept past the horizon, enough for any business-clock deadline."""
    opening = weekly_opening(cfg.calendar)
    weekly_hours = sum(o[1] - o[0] for o in opening if o is not None)
    sla = max(c.work.inquiry.sla_hours for c in configs_of(cfg))  # the longest of the plan
    weeks = sla / weekly_hours if weekly_hours > 0 else 0.0
    return 30 + math.ceil(1.5 * 7 * weeks)


class Simulation:
    """One office, built from ``cfg``, reporting to the recorder ``make_recorder`` makes."""

    def __init__(
        self,
        cfg: Config,
        make_recorder: Callable[[OfficeCalendar], Recorder],
        start: OfficeState | None = None,
    ) -> None:
        """``start``: the state to start in (a snapshot), its moment at time 0;
        None: an empty office and a caseload drawn from the config."""
        self.cfg = cfg
        self.start = start
        self.captured: OfficeState | None = None
        self.env = Engine()
        self.horizon = cfg.horizon_days * HOURS_PER_DAY
        self.days = math.ceil(cfg.horizon_days)
        self.cal = OfficeCalendar(
            cfg.calendar, cfg.start_date, self.days + calendar_margin_days(cfg)
        )
        self.streams = Streams(cfg.seed)
        self.deferred_base = 0
        self.shortened_base = 0
        self.rec = make_recorder(self.cal)
        self.plan = Plan(cfg, self.days) if cfg.plan() else None
        policy = build_policy(cfg)
        keys = queue_keys(cfg)
        steered = None
        if cfg.steering.active:
            steered = policy = steered_policy(cfg, policy)
            keys += (SHORT_CONTACT_QUEUE,)
        self.office = Office(
            self.env,
            self.cal,
            Queues(keys),
            policy,
            self.rec,
            cfg.staff.admin_share,
            self.horizon,
            cfg.staff.overtime.start_rule == "finish_or_defer",
        )
        if self.office.finish_or_defer and not cfg.calendar.always_open:
            days = [o for o in weekly_opening(cfg.calendar) if o is not None]
            admin = max(c.staff.admin_share for c in configs_of(cfg))  # the most of the plan
            client = min(c - o for o, c in days) * (1 - admin)
            self.office.queues.longest = client  # a whole working day's client time
        self._start_staff()
        self.org = Organisation(self)
        if self.plan is not None:
            self.plan.start(self)
        failure = None
        if cfg.work.followup.failure_demand.inquiries_per_user_week > 0:
            failure = self._planned_inquiries(self.streams.rng("failure_demand", 1))
        self.caseload = Caseload(
            self.env,
            cfg.work.followup,
            self.streams,
            self.office.submit,
            self.office.queues,
            self.rec,
            self.horizon,
            failure,
            self.org.owners,
            self.org.meetings,
            start.users if start is not None else None,
        )
        self.office.caseload = self.caseload
        self.management = None
        if steered is not None:
            self.management = Management(
                cfg,
                self.office,
                self.caseload,
                self.rec,
                steered,
                self.absent,
                self.streams.rng("steering"),
            )
            self.management.meetings = self.org.meetings
        self.cases: Cases | None = None
        if cfg.work.income_support.process is not None:
            self.cases = Cases(
                self.env,
                cfg.work.income_support,
                self.streams,
                self.office.submit,
                self.rec,
                booked(cfg),
                lambda: self.office.queues.longest,
            )
            self.office.step_done = self.cases.step_done
            if self.management is not None:
                self.management.late_cases = self.cases.late
        if start is not None:
            self._open_work(start)
        self._start_arrivals()
        if self.plan is not None:
            self.plan.begin()
        self.env.process(self._daily())
        if self.rec.warmup > 0:
            self.env.timeout(self.rec.warmup).callbacks.append(self._mark_warmup)

    def _open_work(self, start: OfficeState) -> None:
        """Queue the open work of the state the office starts in."""
        w = self.cfg.work
        rng = self.streams.rng("snapshot")
        inquiry = BlockSampler(w.inquiry.duration_minutes, rng, 1 / 60)
        one_touch = None
        if self.cases is None:
            one_touch = BlockSampler(w.income_support.duration_minutes, rng, 1 / 60)
        else:
            for case in start.cases:
                self.cases.restore(case)
        open_work(start, inquiry, one_touch, self.office.submit, self.rec.carried_over)

    def capture(self) -> OfficeState:
        """The office's state now (at the start of a day)."""
        now = self.env.now
        tasks = [*self.office.queues.waiting(), *self.office.in_service()]
        cases = self.cases.open if self.cases is not None else ()
        day = int(now // HOURS_PER_DAY)
        return capture(now, tasks, cases, self.caseload.users.values(), self.absent, day)

    def _mark_warmup(self, _event: simpy.Event) -> None:
        self.rec.mark_warmup(self.env.now, self.office.in_service())
        self.deferred_base = self.office.queues.deferred
        self.shortened_base = self.office.queues.shortened

    def _start_staff(self) -> None:
        s = self.cfg.staff
        plan = self.plan
        self.present = np.zeros(self.days, dtype=int)
        self.absent: list[np.ndarray] = []
        for i in range(s.caseworkers if plan is None else plan.caseworkers):
            known = None  # from a snapshot: absent until a day, or present
            if self.start is not None and i < len(self.start.absent_until):
                known = self.start.absent_until[i]
            if plan is None:
                absent = off = absence_days(s, self.streams.rng("absence", i), self.days, known)
            else:  # off: absent or not employed
                absent, off = plan.absence(self.streams.rng, s, i)
                if known is not None and known >= 0:
                    absent[: known + 1] = off[: known + 1] = True
            self.absent.append(absent)
            for d in range(self.days):
                if self.cal.is_open_day(d) and not off[d]:
                    self.present[d] += 1
            ledger = OvertimeLedger(s.overtime.caps(), self.days) if s.overtime.capped else None
            worker = Caseworker(i, ledger)
            self.office.workers.append(worker)
            staff_on = None if plan is None else plan.staff_on
            segs = segments(self.cal, s, i, off, self.days, booked(self.cfg), staff_on)
            self.env.process(caseworker(self.env, self.office, worker, segs))

    def _start_arrivals(self) -> None:
        w = self.cfg.work
        opening = weekly_opening(self.cfg.calendar)
        plan = self.plan

        def arrives(stream: str) -> bool:
            return getattr(w, stream).arrivals_per_day > 0 if plan is None else plan.arrives(stream)

        def pattern(stream: str) -> ArrivalPattern:
            if plan is None:
                return ArrivalPattern(getattr(w, stream), self.cal, opening)
            return plan.pattern(stream, self.cal, opening)  # type: ignore[return-value]

        if arrives("inquiry"):
            make = self._planned_inquiries(self.streams.rng("inquiry.durations"))
            ArrivalSource(self, pattern("inquiry"), self.streams.rng("inquiry.arrivals"), make)
        if arrives("income_support") and self.cases is not None:
            CaseSource(self, pattern("income_support"), self.streams.rng("income_support.arrivals"))
        elif arrives("income_support"):
            rngs = (
                self.streams.rng("income_support.durations"),
                self.streams.rng("income_support.urgent"),
            )
            make = self._application_factory(self.cfg, rngs)
            if plan is not None:
                make = plan.per_day(lambda c: self._application_factory(c, rngs), "income_support")
            ArrivalSource(
                self, pattern("income_support"), self.streams.rng("income_support.arrivals"), make
            )

    def _planned_inquiries(self, rng: np.random.Generator) -> Callable[[float], Task]:
        """Inquiries as each day's config says (the plan over time), from ``rng``."""
        if self.plan is None:
            return self._inquiry_factory(rng)
        return self.plan.per_day(lambda c: self._inquiry_factory(rng, c), "inquiry")

    def _inquiry_factory(
        self, rng: np.random.Generator, cfg: Config | None = None
    ) -> Callable[[float], Task]:
        """Inquiries with durations drawn from ``rng`` (each source its own stream)."""
        inq = (cfg or self.cfg).work.inquiry
        durations = BlockSampler(inq.duration_minutes, rng, 1 / 60)
        sla, cal = inq.sla_hours, self.cal
        business = inq.sla_clock == "business"

        def make_inquiry(t: float) -> Task:
            deadline = cal.add_business_hours(t, sla) if business else t + sla
            return Task(INQUIRY, INQUIRY, t, deadline, durations.next())

        return make_inquiry

    def _application_factory(
        self, cfg: Config, rngs: tuple[np.random.Generator, np.random.Generator]
    ) -> Callable[[float], Task]:
        inc = cfg.work.income_support
        durations = BlockSampler(inc.duration_minutes, rngs[0], 1 / 60)
        urgent = BlockSampler(Unit(), rngs[1])
        regular_h = inc.deadline_days * HOURS_PER_DAY
        urgent_h, share = inc.urgent_deadline_hours, inc.urgent_share

        def make_application(t: float) -> Task:
            if urgent.next() < share:
                return Task(
                    INCOME_SUPPORT, INCOME_SUPPORT_URGENT, t, t + urgent_h, durations.next()
                )
            return Task(INCOME_SUPPORT, INCOME_SUPPORT, t, t + regular_h, durations.next())

        return make_application

    def _daily(self):  # type: ignore[no-untyped-def]
        for day in range(self.days):
            end = (day + 1) * HOURS_PER_DAY
            if end >= self.horizon:
                return  # the last day's row is taken when the run stops
            yield self.env.timeout(end - self.env.now)
            self._snapshot(day, end)
            if self.management is not None:
                self.management.end_of_day(day)
            self.org.end_of_day(day)
            if self.plan is not None:
                self.plan.end_of_day(day)

    def _snapshot(self, day: int, end: float) -> None:
        q = self.office.queues
        waiting = {
            INQUIRY: q.size(INQUIRY),
            INCOME_SUPPORT: q.size(INCOME_SUPPORT) + q.size(INCOME_SUPPORT_URGENT),
        }
        directed = len(self.management.policy.directed) if self.management else 0
        self.rec.close_day(day, end, waiting, int(self.present[day]), directed)

    def run(
        self, progress: Callable[[float], None] | None = None, capture_day: int | None = None
    ) -> None:
        """Run to the horizon and take the last day's row.

        Args:
            progress: called with the fraction done after each simulated month.
            capture_day: take the state at the start of this day (:attr:`captured`).
        """
        chunk = 30 * HOURS_PER_DAY
        t = 0.0
        at = math.inf if capture_day is None else capture_day * HOURS_PER_DAY
        while t < self.horizon:
            t = min(t + chunk, self.horizon, at)
            self.env.run(until=t)
            if t == at:
                self.captured = self.capture()
                at = math.inf
            if progress is not None:
                progress(t / self.horizon)
        self._snapshot(self.days - 1, self.horizon)
