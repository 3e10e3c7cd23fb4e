"""Arrival streams fed into the office, a day of arrivals at a time.

:class:`ArrivalSource` submits tasks (inquiries, one-touch applications);
:class:`CaseSource` opens income-support cases. Both are driven by one reusable
:class:`~officeq.model.ticks.Tick` each, not by a SimPy process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
import simpy
from simpy.events import NORMAL

from officeq.model.arrivals import ArrivalPattern
from officeq.model.tasks import Task
from officeq.model.ticks import Tick


class Host(Protocol):
    """What a source reads of its :class:`~officeq.model.simulate.Simulation`."""

    env: simpy.Environment
    horizon: float
    days: int
    office: Any
    rec: Any
    cases: Any


class ArrivalSource:
    """Feeds one arrival stream into the office, a day of arrivals at a time.

    Each arrival is one :class:`~officeq.model.ticks.Tick` (a light timeout, the same
    one each time) whose callback submits the task and schedules the next: no
    process, so no generator to resume.
    """

    def __init__(
        self,
        model: Host,
        pattern: ArrivalPattern,
        rng: np.random.Generator,
        make: Callable[[float], Task],
    ) -> None:
        self.env = model.env
        self.submit = model.office.submit
        self.arrived = model.rec.arrived_task
        self.horizon = model.horizon
        self.days = model.days
        self.pattern = pattern
        self.rng = rng
        self.make = make
        self.day = -1
        self.times: list[float] = []
        self.channels: list[bool] = []
        self.i = 0
        self.t = 0.0
        self.digital = False
        self._tick = Tick()  # one at a time: the next arrival
        self._callbacks = (self._arrive,)
        self._put = self.env.schedule
        self._next()

    def _next(self) -> None:
        i = self.i
        times = self.times
        while i >= len(times):
            self.day += 1
            if self.day >= self.days:
                return
            sampled, digital = self.pattern.sample_day(self.day, self.rng)
            times = self.times = sampled.tolist()
            self.channels = digital.tolist()
            i = 0
        t = times[i]
        self.digital = self.channels[i]
        self.i = i + 1
        if t < self.horizon:
            self.t = t
            tick = self._tick
            tick.callbacks = self._callbacks
            # as env.timeout(t - now) schedules itself; the times are sorted and each day's
            # come after the last, so the delay is never negative
            self._put(tick, NORMAL, t - self.env._now)

    def _arrive(self, event: simpy.Event) -> None:
        task = self.make(self.t)
        task.digital = self.digital
        self.arrived(task)
        self.submit(task)
        self._next()


class CaseSource(ArrivalSource):
    """Feeds applications into the income-support cases (each arrival opens a case)."""

    def __init__(self, model: Host, pattern: ArrivalPattern, rng: np.random.Generator) -> None:
        self.receive = model.cases.receive  # type: ignore[union-attr]
        super().__init__(model, pattern, rng, None)  # type: ignore[arg-type]

    def _arrive(self, event: simpy.Event) -> None:
        self.receive(self.t, self.digital)
        self._next()
