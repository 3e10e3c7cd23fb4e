"""A light stand-in for ``simpy.Timeout`` on the hot path.

:class:`Tick` is what SimPy's ``Environment.step`` and ``Process._resume`` read
of an event (``callbacks``, ``_ok``, ``_value``) and nothing else, in slots. It
is scheduled with :func:`schedule`, which calls ``env.schedule`` exactly as
``Timeout.__init__`` does (same priority, same ``now + delay``, one event id), so
a run that uses ticks processes its events in the same order as with timeouts.
One tick may be scheduled again once it has been processed (its owner waits
on one thing at a time), which saves making an object per wait.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import simpy
from simpy.events import NORMAL


class Tick:
    """A reusable timeout: set ``callbacks`` (a fresh list for a process to append
    to, or a fixed tuple) and :func:`schedule` it."""

    __slots__ = ("_ok", "_value", "callbacks")

    def __init__(self) -> None:
        self._ok = True
        self._value: Any = None
        self.callbacks: Sequence[Callable[[Any], None]] | list | None = None


def schedule(env: simpy.Environment, tick: Tick, delay: float) -> None:
    """Process ``tick`` after ``delay`` hours, as ``env.timeout(delay)`` would be."""
    if delay < 0:
        raise ValueError(f"Negative delay {delay}")
    env.schedule(tick, NORMAL, delay)  # type: ignore[arg-type]
