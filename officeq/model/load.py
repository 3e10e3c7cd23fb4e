"""Offered load against capacity, computed from the config before a run.

A planner should hear before the run when the office cannot keep up: the
offered work hours per week of each work type against the client hours the
staff can give after admin and absence.
"""

from __future__ import annotations

from dataclasses import dataclass

from officeq.config.changes import configs_of
from officeq.config.schema import Config
from officeq.model.arrivals import open_weekdays, weekly_opening


@dataclass(frozen=True)
class Load:
    """Offered work and capacity, in caseworker hours per week."""

    inquiry: float
    income_support: float
    followup: float
    capacity: float
    planned: bool = False
    """True when this is the busiest config of a plan over time (``changes:``)."""

    @property
    def offered(self) -> float:
        return self.inquiry + self.income_support + self.followup

    @property
    def utilization(self) -> float:
        """Offered load over capacity (infinite when there is work but no capacity)."""
        if self.capacity > 0:
            return self.offered / self.capacity
        return float("inf") if self.offered > 0 else 0.0


def offered_load(cfg: Config) -> Load:
    """The office's offered load per week (follow-up at its planned intervals).

    With a plan over time (``changes:``), the load of its busiest config (the
    highest utilisation), marked ``planned``.
    """
    if cfg.changes and cfg.plan():
        loads = [_offered_load(c) for c in configs_of(cfg)]
        busiest = max(loads, key=lambda x: x.utilization)
        return Load(
            busiest.inquiry, busiest.income_support, busiest.followup, busiest.capacity, True
        )
    return _offered_load(cfg)


def _offered_load(cfg: Config) -> Load:
    """The offered load of one config (no plan).

    Follow-up counts one session per interval per user, the most the caseload
    asks for; waiting stretches intervals, so the realised load is lower. An
    income-support case counts its expected minutes over all its steps.
    """
    opening = weekly_opening(cfg.calendar)
    open_days = open_weekdays(cfg.calendar)
    open_hours = sum(o[1] - o[0] for o in opening if o is not None)
    w = cfg.work

    def stream(spec, minutes: float) -> float:  # type: ignore[no-untyped-def]
        return spec.arrivals_per_day * open_days * minutes / 60.0

    inc = w.income_support
    case_minutes = (
        inc.duration_minutes.mean_value()
        if inc.process is None
        else inc.process.handling_minutes(inc.urgent_share)
    )

    fu = w.followup
    per_week = 0.0
    for g in fu.groups.values():
        users = fu.caseload * g.share
        sessions_per_week = users * 7.0 / g.interval_days.mean_value()
        per_week += sessions_per_week * g.duration_minutes.mean_value() / 60.0
    s = cfg.staff
    capacity = s.caseworkers * open_hours * (1 - s.admin_share) * (1 - s.absence_rate)
    return Load(
        stream(w.inquiry, w.inquiry.duration_minutes.mean_value()),
        stream(inc, case_minutes),
        per_week,
        capacity,
    )


def describe(load: Load) -> str:
    """One line for the planner."""
    u = load.utilization
    text = (
        f"offered load {load.offered:.0f} h/week against {load.capacity:.0f} h/week "
        f"of client time: utilisation {u:.0%}"
    )
    if load.planned:
        text += " at the busiest point of the plan over time"
    if u >= 1:
        text += " — more work arrives than the staff can do; the backlog will grow"
    return text
