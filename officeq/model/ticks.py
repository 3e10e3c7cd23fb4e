"""A light stand-in for ``simpy.Timeout`` on the hot path.

:class:`Tick` is what SimPy's ``Environment.step`` and ``Process._resume`` read
of an event (``callbacks``, ``_ok``, ``_value``) and nothing else, in slots. Its
owner schedules it with ``env.schedule(tick, NORMAL, delay)``, exactly as
``Timeout.__init__`` schedules itself (same priority, same ``now + delay``, one
event id), so a run that uses ticks processes its events in the same order as with
timeouts; the owner makes sure the delay is not negative.
One tick may be scheduled again once it has been processed (its owner waits
on one thing at a time), which saves making an object per wait.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


class Tick:
    """A reusable timeout: set ``callbacks`` (a fresh list for a process to append
    to, or a fixed tuple) and schedule it."""

    __slots__ = ("_ok", "_value", "callbacks")

    def __init__(self) -> None:
        self._ok = True
        self._value: Any = None
        self.callbacks: Sequence[Callable[[Any], None]] | list | None = None
