"""What the office's organisation does, measured: own caseloads, bookings, cover.

Kept apart from :mod:`officeq.measure.recorder` (queues and waits) and
:mod:`officeq.measure.steering` (indicators): the :class:`Recorder` owns one
:class:`OrganisationStats` and merges its summary into ``summary.json``; its
per-caseworker rows are ``caseworkers.csv``.

Bookings count by when they were made: a booking made after the warm-up ends
in exactly one of held, cancelled, no-show, or open at the end, so
``appointments_booked`` is the sum of the other four.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from officeq.measure.levels import Level
from officeq.model.appointments import CANCEL_REASONS
from officeq.model.calendar import HOURS_PER_DAY

if TYPE_CHECKING:
    from officeq.model.diary import Meeting
    from officeq.model.tasks import User

CASEWORKER_COLUMNS = (
    "caseworker",
    "users_owned_end",
    "followup_sessions",
    "followup_sessions_for_colleagues",
    "backlog_user_days",
    "overtime_hours",
    "days_absent",
    "days_directed",
)
"""The columns of ``caseworkers.csv``, one row per caseworker."""


def organisation_keys(groups: Iterable[str]) -> tuple[str, ...]:
    """The summary keys this module adds, in order."""
    groups = tuple(groups)
    return (
        "followup_unassigned_mean",
        "followup_backlog_max_caseworker_mean",
        "followup_sessions_by_cover",
        "appointments_booked",
        "appointments_held",
        "appointments_cancelled",
        "appointments_no_show",
        "appointments_open_end",
        "appointments_cancelled_absent",
        "appointments_cancelled_directive",
        "appointments_cancelled_not_held",
        "appointments_cancelled_user_left",
        "followup_lead_days_mean",
        "followup_rebook_days_mean",
        "followup_gap_days_mean_owner_away",
        "followup_gap_days_mean_owner_present",
        *(f"followup_gap_days_mean_owner_away_{g}" for g in groups),
        *(f"followup_gap_days_mean_owner_present_{g}" for g in groups),
        "tasks_deferred_end_of_day",
        "tasks_shortened_to_a_day",
    )


class OrganisationStats:
    """Per-caseworker backlog, unassigned users, bookings and gaps between sessions."""

    def __init__(self, groups: Sequence[str], warmup: float, caseworkers: int) -> None:
        self.groups = tuple(groups)
        self.warmup = warmup
        self.own = False
        self.booked_mode = False
        self.overdue = [Level() for _ in range(caseworkers)]
        """Overdue users per owner."""
        self.unassigned = Level()
        self.max_sum = 0.0
        self.max_days = 0
        self.outcomes = {"booked": 0, "held": 0, "cancelled": 0, "no_show": 0}
        self.why = dict.fromkeys(CANCEL_REASONS, 0)
        self.lead = [0.0, 0]
        self.rebook = [0.0, 0]
        self.gap = {(g, away): [0.0, 0] for g in self.groups for away in (True, False)}
        self.sessions = [0] * caseworkers
        self.for_colleagues = [0] * caseworkers
        self.overtime = [0.0] * caseworkers
        self.absent = [0] * caseworkers
        self.directed = [0] * caseworkers
        self.deferred = 0
        self.shortened = 0

    # --- events ---------------------------------------------------------------------
    def overdue_owner(self, owner: int, delta: int, now: float) -> None:
        if owner >= 0:
            self.overdue[owner].add(delta, now)

    def session(self, user: User, worker: int, now: float) -> None:
        if now < self.warmup or worker < 0:
            return
        self.sessions[worker] += 1
        if self.own and worker != user.owner:
            self.for_colleagues[worker] += 1

    def gap_closed(self, user: User, now: float, away: bool) -> None:
        if now >= self.warmup:
            cell = self.gap[(user.group, away)]
            cell[0] += now - user.last_session
            cell[1] += 1

    def booked(self, meeting: Meeting, rebooking: bool) -> None:
        if not meeting.measured:
            return
        self.outcomes["booked"] += 1
        if rebooking:
            self.rebook[0] += meeting.start - meeting.booked_at
            self.rebook[1] += 1

    def ended(self, meeting: Meeting, outcome: str, now: float, why: str = "") -> None:
        if meeting.measured:
            self.outcomes[outcome] += 1
            if why:
                self.why[why] += 1
        if outcome == "held" and now >= self.warmup:
            self.lead[0] += now - meeting.task.arrival
            self.lead[1] += 1

    def overtime_worked(self, worker: int, hours: float) -> None:
        if worker >= 0:
            self.overtime[worker] += hours

    def day_away(self, worker: int, absent: bool, directed: bool) -> None:
        self.absent[worker] += absent
        self.directed[worker] += directed

    def close_day(self, now: float) -> None:
        if self.own and self.overdue and now > self.warmup:
            self.max_sum += max(level.value for level in self.overdue)
            self.max_days += 1

    def mark(self, now: float) -> None:
        for level in (self.unassigned, *self.overdue):
            level.mark(now)

    # --- end of run -----------------------------------------------------------------
    def summary(self, now: float, open_meetings: Iterable[Meeting]) -> dict[str, float | None]:
        span = now - self.warmup
        o = self.outcomes
        booked = self.booked_mode
        open_end = sum(1 for m in open_meetings if m.measured)
        out: dict[str, float | None] = {
            "followup_unassigned_mean": self.unassigned.measured(now) / span if self.own else None,
            "followup_backlog_max_caseworker_mean": (
                self.max_sum / self.max_days if self.own and self.max_days else None
            ),
            "followup_sessions_by_cover": sum(self.for_colleagues) if self.own else None,
            "appointments_booked": o["booked"] if booked else None,
            "appointments_held": o["held"] if booked else None,
            "appointments_cancelled": o["cancelled"] if booked else None,
            "appointments_no_show": o["no_show"] if booked else None,
            "appointments_open_end": open_end if booked else None,
            **{f"appointments_cancelled_{w}": n if booked else None for w, n in self.why.items()},
            "followup_lead_days_mean": _days(self.lead),
            "followup_rebook_days_mean": _days(self.rebook),
        }
        for away, name in ((True, "away"), (False, "present")):
            cells = [self.gap[(g, away)] for g in self.groups]
            total = [sum(c[0] for c in cells), sum(c[1] for c in cells)]
            out[f"followup_gap_days_mean_owner_{name}"] = _days(total) if self.own else None
        for away, name in ((True, "away"), (False, "present")):
            for g in self.groups:
                cell = self.gap[(g, away)]
                out[f"followup_gap_days_mean_owner_{name}_{g}"] = _days(cell) if self.own else None
        out["tasks_deferred_end_of_day"] = self.deferred
        out["tasks_shortened_to_a_day"] = self.shortened
        return out

    def rows(self, now: float, owned: Sequence[int] | None) -> list[dict[str, float | int | None]]:
        """One row per caseworker (the columns of :data:`CASEWORKER_COLUMNS`)."""
        out: list[dict[str, float | int | None]] = []
        for w in range(len(self.sessions)):
            out.append(
                {
                    "caseworker": w + 1,
                    "users_owned_end": owned[w] if owned is not None else None,
                    "followup_sessions": self.sessions[w],
                    "followup_sessions_for_colleagues": self.for_colleagues[w],
                    "backlog_user_days": (
                        self.overdue[w].measured(now) / HOURS_PER_DAY if self.own else None
                    ),
                    "overtime_hours": self.overtime[w],
                    "days_absent": self.absent[w],
                    "days_directed": self.directed[w],
                }
            )
        return out


def _days(cell: Sequence[float]) -> float | None:
    return cell[0] / cell[1] / HOURS_PER_DAY if cell[1] else None
