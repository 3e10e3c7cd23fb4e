"""Wire the office's organisation into a simulation: owners, diaries, the day's turn.

:class:`Organisation` builds what ``work.followup.assignment`` and
``work.followup.appointments`` ask for (an :class:`~officeq.model.owners.Owners`
and an :class:`~officeq.model.appointments.Appointments` with one diary per
caseworker) and, after each day, tells them about tomorrow: who is off sick or
under a directive (their meetings are cancelled; with cover by picking, their
long-overdue users move to the cover queues).
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import simpy

from officeq.config.schema import Config
from officeq.model.appointments import Appointments
from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.model.diary import Diary
from officeq.model.office import Office
from officeq.model.owners import Owners
from officeq.model.plans import EmployedWindows, Plan
from officeq.model.policies import booked
from officeq.model.staff import MeetingWindows
from officeq.model.streams import Streams
from officeq.model.tasks import followup_queue


class Simulation(Protocol):
    """What the organisation reads of :class:`officeq.model.simulate.Simulation`."""

    cfg: Config
    env: simpy.Environment
    cal: OfficeCalendar
    office: Office
    rec: Any
    streams: Streams
    absent: list[np.ndarray]
    days: int
    caseload: Any
    plan: Plan | None


class Organisation:
    """Own caseloads and booked meetings of one simulated office."""

    def __init__(self, sim: Simulation) -> None:
        cfg = sim.cfg
        fu = cfg.work.followup
        c = len(sim.office.workers)  # a plan over time builds its largest staff
        self.sim = sim
        self.owners: Owners | None = None
        if fu.assignment == "own":
            self.owners = Owners(c, fu.caseload_cap)
            sim.office.queues.set_owners((followup_queue(g) for g in fu.groups), c)
        self.cover_hours = (
            fu.cover.after_days * HOURS_PER_DAY if fu.cover.after_days is not None else None
        )
        self.meetings: Appointments | None = None
        if booked(cfg):
            slots = fu.appointments.windows()
            windows: list[Any] = [MeetingWindows(sim.cal, cfg.staff, i, slots) for i in range(c)]
            if sim.plan is not None:  # no meetings on days a caseworker is not employed
                windows = [EmployedWindows(w, sim.plan.employed(i)) for i, w in enumerate(windows)]
            diaries = [Diary(w, w.days, w.any) for w in windows]
            env = sim.env
            self.meetings = Appointments(
                fu,
                diaries,
                sim.streams.rng("appointments.lead"),
                sim.streams.rng("appointments.no_show"),
                sim.rec,
                lambda: env.now,
                sim.office.wake,
            )
            self.meetings.away = self.away_today
            sim.office.use_meetings(self.meetings)
        org = getattr(sim.rec, "org", None)
        if org is not None:
            org.own = self.owners is not None
            org.booked_mode = self.meetings is not None
        self._record(0)

    def _directed(self) -> dict[int, object]:
        m = getattr(self.sim, "management", None)
        return m.policy.directed if m is not None else {}  # type: ignore[return-value]

    def away_today(self, worker: int) -> bool:
        """Is ``worker`` off sick or under a directive today?"""
        day = int(self.sim.env.now // HOURS_PER_DAY)
        absent = self.sim.absent[worker]
        return (day < len(absent) and bool(absent[day])) or worker in self._directed()

    def _away(self, day: int) -> tuple[list[bool], list[bool]]:
        """Per caseworker on open day ``day``: absent, and under a directive."""
        sim = self.sim
        n = len(sim.absent)
        if day >= sim.days or not sim.cal.is_open_day(day):
            return [False] * n, [False] * n
        directed = self._directed()
        return [bool(a[day]) for a in sim.absent], [w in directed for w in range(n)]

    def _record(self, day: int) -> tuple[list[bool], list[bool]]:
        absent, directed = self._away(day)
        for w, (a, d) in enumerate(zip(absent, directed, strict=True)):
            if a or d:
                self.sim.rec.worker_day(day, w, a, d)
        return absent, directed

    def end_of_day(self, day: int) -> None:
        """After day ``day`` (management has reviewed it): prepare tomorrow."""
        absent, directed = self._record(day + 1)
        if self.meetings is not None:
            self.meetings.end_of_day(day, absent)
        away = [a or d for a, d in zip(absent, directed, strict=True)]
        self.sim.caseload.end_of_day(away, self.cover_hours)
