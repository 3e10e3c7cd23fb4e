"""The office's state at a moment: what is open, who is on the caseload, who is away.

An :class:`OfficeState` is what a snapshot holds (:mod:`officeq.data.snapshot`
reads and writes it as files). Times are hours relative to the snapshot's
moment, so a task that arrived yesterday has ``arrived = -24``.
:meth:`~officeq.model.simulate.Simulation.capture` takes one from a running
office, and ``Simulation(cfg, ..., start=state)`` starts an office in it:
open inquiries and case steps queued with their real arrival times and
deadlines, users with their due dates, meetings and owners, absences
running. What a state does not hold (random streams, the future draws of a
user) is drawn afresh, so a run started from a snapshot continues the
original in distribution, not event by event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CASE_STATES = ("queued", "with_user", "meeting_booked")
"""Where an open case is: a step waits in a queue, the office waits on the user's
documents, or the case waits for its booked first meeting."""


@dataclass(frozen=True, slots=True)
class OpenInquiry:
    arrived: float
    deadline: float
    digital: bool = False


@dataclass(frozen=True, slots=True)
class OpenCase:
    received: float
    deadline: float
    urgent: bool
    step: str
    """The next step (``intake``, ``first_meeting``, ``review``, ``decision``,
    ``interim_reply``)."""
    state: str = "queued"
    """One of :data:`CASE_STATES`."""
    since: float = math.nan
    """``with_user``: when the documents were asked for; ``meeting_booked``: the
    meeting's time."""
    digital: bool = False
    first_time: bool = False
    rounds_left: int = 0
    """Documentation rounds the office will still ask for after this one."""
    interim_sent: bool = False
    touches: int = 0
    handling_hours: float = 0.0
    user_hours: float = 0.0


@dataclass(frozen=True, slots=True)
class UserState:
    id: int
    group: str
    owner: int = -1
    """The caseworker's index, or -1 when unassigned (or pooled)."""
    entered: float = 0.0
    last_session: float = math.nan
    next_due: float = math.nan
    """When the user is (or was, if overdue) due for a session; NaN: not set."""
    next_meeting: float = math.nan
    """The booked meeting's start, if any."""
    session_minutes: float = math.nan
    """The next session's booked length; NaN: drawn."""


@dataclass(frozen=True, slots=True)
class OfficeState:
    """Everything open at a moment (hours relative to it)."""

    inquiries: tuple[OpenInquiry, ...] = ()
    cases: tuple[OpenCase, ...] = ()
    users: tuple[UserState, ...] = ()
    absent_until: tuple[int, ...] = ()
    """Per caseworker: the last day (0 = the snapshot's day) of an absence running at
    the moment, or -1."""
    absent_since: tuple[int, ...] = ()
    """Per caseworker: the first day (0 or earlier) of that absence (for the record)."""
    caseworkers: int = 0
