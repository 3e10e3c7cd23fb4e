"""Taking an :class:`~officeq.model.state.OfficeState` from a running office, and
putting the open tasks of one into a new office.

:func:`capture` reads the queues, the open cases, the caseload and the absence
plan at a moment; :func:`open_work` makes the open inquiries (and one-touch
applications) of a state into tasks; :func:`populate` draws a caseload when there is
no state to restore. The caseload and the cases restore
themselves (:meth:`~officeq.model.caseload.Caseload.restore`,
:meth:`~officeq.model.cases.Cases.restore`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np

from officeq.model.calendar import HOURS_PER_DAY
from officeq.model.sampling import BlockSampler, residual_sample
from officeq.model.state import OfficeState, OpenCase, OpenInquiry, UserState
from officeq.model.tasks import (
    INCOME_SUPPORT,
    INCOME_SUPPORT_URGENT,
    INQUIRY,
    INTERIM_CARRIED,
    INTERIM_SENT,
    STEP_NAMES,
    Case,
    Task,
    User,
)
from officeq.model.userrng import user_rngs


def _case(case: Case, t: float) -> OpenCase:
    sent = case.interim in (INTERIM_SENT, INTERIM_CARRIED)
    common = {
        "received": case.receipt - t,
        "deadline": case.deadline - t,
        "urgent": case.urgent,
        "digital": case.digital,
        "first_time": case.first_time,
        "rounds_left": case.rounds_left,
        "interim_sent": sent,
        "touches": case.touches,
        "handling_hours": case.handling,
        "user_hours": case.user_hours,
    }
    if case.task is not None:
        return OpenCase(step=STEP_NAMES[case.step], **common)
    if case.with_user:
        return OpenCase(step="review", state="with_user", since=case.user_since - t, **common)
    return OpenCase(
        step="first_meeting", state="meeting_booked", since=case.meeting_at - t, **common
    )


def _user(user: User, t: float) -> UserState:
    task = user.waiting or user.next
    meeting = user.meeting
    return UserState(
        id=user.id,
        group=user.group,
        owner=user.owner,
        entered=user.joined - t,
        last_session=user.last_session - t if user.last_session != user.joined else math.nan,
        next_due=task.arrival - t if task is not None else math.nan,
        next_meeting=meeting.start - t if meeting is not None else math.nan,  # type: ignore[attr-defined]
        session_minutes=task.duration * 60 if task is not None else math.nan,
    )


def capture(
    t: float,
    tasks: Iterable[Task],
    cases: Iterable[Case],
    users: Iterable[User],
    absent: list[np.ndarray],
    day: int,
) -> OfficeState:
    """The state at ``t`` (the start of simulated ``day``): ``tasks`` waiting or in
    service, the open ``cases``, the ``users`` on the caseload, each caseworker's
    absence flags per day."""
    inquiries = []
    one_touch = []
    for task in tasks:
        if task.kind == INQUIRY:
            inquiries.append(OpenInquiry(task.arrival - t, task.deadline - t, task.digital))
        elif task.kind == INCOME_SUPPORT and task.case is None:
            one_touch.append(
                OpenCase(
                    task.arrival - t,
                    task.deadline - t,
                    task.queue == INCOME_SUPPORT_URGENT,
                    "decision",
                    digital=task.digital,
                )
            )
    until, since = [], []
    for flags in absent:
        end = first = day
        while end < len(flags) and flags[end]:
            end += 1
        while end > day and first > 0 and flags[first - 1]:
            first -= 1
        until.append(end - 1 - day if end > day else -1)
        since.append(first - day)
    return OfficeState(
        inquiries=tuple(sorted(inquiries, key=lambda x: x.arrived)),
        cases=tuple(sorted([*one_touch, *(_case(c, t) for c in cases)], key=_received)),
        users=tuple(_user(u, t) for u in users),
        absent_until=tuple(until),
        absent_since=tuple(since),
        caseworkers=len(absent),
    )


def _received(c: OpenCase) -> float:
    return c.received


def open_work(
    state: OfficeState,
    inquiry_minutes: BlockSampler,
    application_minutes: BlockSampler | None,
    submit: Callable[[Task], None],
    carried_over: Callable[[str, float, Task | None], None],
) -> None:
    """Queue the state's open inquiries (and, without a case process, its open
    applications as one-touch tasks), oldest first; their lengths are drawn anew."""
    for inq in state.inquiries:
        task = Task(INQUIRY, INQUIRY, inq.arrived, inq.deadline, inquiry_minutes.next())
        task.digital = inq.digital
        carried_over(INQUIRY, 0.0, task)
        submit(task)
    if application_minutes is None:
        return
    for c in state.cases:
        queue = INCOME_SUPPORT_URGENT if c.urgent else INCOME_SUPPORT
        task = Task(INCOME_SUPPORT, queue, c.received, c.deadline, application_minutes.next())
        task.digital = c.digital
        carried_over(INCOME_SUPPORT, 0.0, task)
        submit(task)


def allocate(total: int, shares: list[float]) -> list[int]:
    """Split ``total`` by ``shares`` into whole numbers (largest remainder)."""
    raw = [total * s for s in shares]
    counts = [math.floor(r) for r in raw]
    rest = total - sum(counts)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[:rest]:
        counts[i] += 1
    return counts


def populate(caseload, rng: np.random.Generator) -> None:  # type: ignore[no-untyped-def]
    """Put a drawn caseload of ``caseload.cfg.caseload`` users on ``caseload`` (a
    :class:`~officeq.model.caseload.Caseload` started without a snapshot), split over
    the need groups by share, each due first at the residual of their interval."""
    groups = caseload.groups
    names = list(groups)
    counts = allocate(caseload.cfg.caseload, [groups[g].share for g in names])
    for name, n in zip(names, counts, strict=True):
        seeds = rng.integers(0, 2**63, n)
        exit_u, work_u = rng.random(n), rng.random(n)
        first_due = residual_sample(groups[name].interval_days, rng, n) * HOURS_PER_DAY
        streams = user_rngs(seeds)  # each np.random.default_rng(seeds[i]), made together
        for i in range(n):
            caseload.add_user(
                name, int(seeds[i]), exit_u[i], work_u[i], first_due[i], True, rng=streams[i]
            )


def restore_users(caseload, users: Iterable[UserState], rng: np.random.Generator) -> None:  # type: ignore[no-untyped-def]
    """Put the users of a snapshot on ``caseload`` (a
    :class:`~officeq.model.caseload.Caseload`), with their owners, due dates and booked
    meetings; what the snapshot does not say (their exit times, the next due date of
    a user without one) is drawn from ``rng``."""
    for known in users:
        g = caseload.groups[known.group]
        seed, exit_u, work_u = int(rng.integers(0, 2**63)), rng.random(), rng.random()
        due = known.next_due
        if math.isnan(due):
            due = float(residual_sample(g.interval_days, rng, 1)[0]) * HOURS_PER_DAY
        caseload._next_id = known.id
        caseload.add_user(known.group, seed, exit_u, work_u, due, True, known)
    caseload._next_id = max(caseload.users, default=-1) + 1
