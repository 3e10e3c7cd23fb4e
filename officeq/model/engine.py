"""SimPy's environment with its event loop in one function: :class:`Engine`.

``simpy.Environment.run`` calls ``step()`` once per event; :meth:`Engine.run` does
what ``step`` does inside its own loop (pop the earliest event, run its callbacks,
crash on an undefused failure, hand a ``StopSimulation`` back with the callbacks
it did not reach), so each event costs one method call less. Everything else,
and the order in which events are processed, is SimPy's own.
"""

from __future__ import annotations

from heapq import heappop
from typing import Any

import simpy
from simpy.core import EmptySchedule, StopSimulation
from simpy.events import URGENT, Event, EventPriority


class Engine(simpy.Environment):
    """A ``simpy.Environment`` whose :meth:`run` steps through events inline."""

    def run(self, until: float | Event | None = None) -> Any:
        if until is not None:  # as simpy.Environment.run sets it up
            if not isinstance(until, Event):
                at = until if isinstance(until, int) else float(until)
                if at <= self._now:
                    raise ValueError(
                        f"until ({at}) must be greater than the current simulation time"
                    )
                until = Event(self)
                until._ok = True
                until._value = None
                self.schedule(until, URGENT, at - self._now)
            elif until.callbacks is None:
                return until.value
            until.callbacks.append(StopSimulation.callback)
        queue = self._queue
        try:
            while True:
                try:
                    self._now, _, _, event = heappop(queue)
                except IndexError:
                    raise EmptySchedule from None
                callbacks, event.callbacks = event.callbacks, None
                try:
                    for callback in callbacks:
                        callback(event)
                except StopSimulation:
                    event.callbacks = callbacks[callbacks.index(callback) + 1 :]
                    self.schedule(event, EventPriority(-1))
                    raise
                if not event._ok and not hasattr(event, "_defused"):
                    exc = type(event._value)(*event._value.args)
                    exc.__cause__ = event._value
                    raise exc
        except StopSimulation as stop:
            return stop.args[0]
        except EmptySchedule:
            if until is not None:
                raise RuntimeError(
                    f'No scheduled events left but "until" event was not triggered: {until}'
                ) from None
        return None
