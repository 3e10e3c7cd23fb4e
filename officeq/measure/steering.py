"""What steering does, measured: indicator against substance, directives, outcomes.

Kept apart from :mod:`officeq.measure.recorder` (which owns queues and waits) so each
module stays one concept. The :class:`Recorder` owns one
:class:`SteeringStats` and merges its summary into ``summary.json``.

The Goodhart gap is ``indicator_followup_users`` (users with any contact in
the month, what the scorecard counts) against ``substantive_followup_users``
(users who had a real session that month); both are means per month after
the warm-up.
"""

from __future__ import annotations

from collections.abc import Iterable

from officeq.config.steering import INDICATORS
from officeq.measure.daily import DailyTable
from officeq.model.calendar import HOURS_PER_DAY
from officeq.model.observer import (
    CANCELLED,
    DIRECTIVES,
    FAILURE_DEMAND,
    FIRST_CONTACT,
    FIRST_SUBSTANTIVE,
    PLAN_CHANGES,
    SHORT_CONTACTS,
)
from officeq.model.tasks import User

DAYS_PER_MONTH = 365.25 / 12


def steering_keys(groups: Iterable[str]) -> tuple[str, ...]:
    """The summary keys this module adds, in order."""
    groups = tuple(groups)
    return (
        "directives_issued",
        *(f"directives_{i}" for i in INDICATORS),
        "followup_sessions_cancelled",
        "plan_changes_per_caseworker_month",
        "followup_contacts_short",
        "followup_sessions_substantive",
        "indicator_followup_users",
        "substantive_followup_users",
        "indicator_substantive_ratio",
        "failure_demand_inquiries",
        *(f"exits_to_work_{g}" for g in groups),
        *(f"max_gap_days_substantive_{g}" for g in groups),
    )


class SteeringStats:
    """What only steering adds to the recorder: substantive months and contact gaps."""

    def __init__(self, groups: Iterable[str], warmup: float, caseworkers: int) -> None:
        self.groups = tuple(groups)
        self.warmup = warmup
        self.caseworkers = caseworkers
        self.max_gap = dict.fromkeys(self.groups, 0.0)
        self.directives = dict.fromkeys(INDICATORS, 0)
        """Directives after the warm-up, by the indicator they were for."""

    def directive(self, indicator: str, now: float) -> None:
        if now >= self.warmup:
            self.directives[indicator] += 1

    def session(self, user: User, now: float, table: DailyTable, month: int) -> None:
        """A substantive session starts."""
        if user.last_substantive_month != month:
            user.last_substantive_month = month
            table.today[FIRST_SUBSTANTIVE] += 1
        if now >= self.warmup:
            self._gap(user, now)
        user.last_session = now

    def _gap(self, user: User, now: float) -> None:
        gap = now - user.last_session
        if gap > self.max_gap[user.group]:
            self.max_gap[user.group] = gap

    def close_gaps(self, users: Iterable[User], now: float) -> None:
        """Users still waiting at the end: their open gap counts too."""
        for u in users:
            self._gap(u, now)

    def summary(
        self,
        table: DailyTable,
        rows: int,
        now: float,
        substantive: int,
        exits_to_work: dict[str, int],
    ) -> dict[str, float | None]:
        """The keys of :func:`steering_keys`; ``substantive`` sessions and exits to work
        per group are the recorder's own counts after the warm-up."""
        months = (now - self.warmup) / HOURS_PER_DAY / DAYS_PER_MONTH
        indicator = table.measured_sum(FIRST_CONTACT, rows) / months if months > 0 else None
        users = table.measured_sum(FIRST_SUBSTANTIVE, rows) / months if months > 0 else None
        ratio = indicator / users if indicator is not None and users else None
        cw_months = self.caseworkers * months
        changes = table.measured_sum(PLAN_CHANGES, rows)
        out: dict[str, float | None] = {
            "directives_issued": table.measured_sum(DIRECTIVES, rows),
            **{f"directives_{i}": n for i, n in self.directives.items()},
            "followup_sessions_cancelled": table.measured_sum(CANCELLED, rows),
            "plan_changes_per_caseworker_month": changes / cw_months if cw_months > 0 else None,
            "followup_contacts_short": table.measured_sum(SHORT_CONTACTS, rows),
            "followup_sessions_substantive": substantive,
            "indicator_followup_users": indicator,
            "substantive_followup_users": users,
            "indicator_substantive_ratio": ratio,
            "failure_demand_inquiries": table.measured_sum(FAILURE_DEMAND, rows),
        }
        for g in self.groups:
            out[f"exits_to_work_{g}"] = exits_to_work[g]
        for g in self.groups:
            out[f"max_gap_days_substantive_{g}"] = self.max_gap[g] / HOURS_PER_DAY
        return out
