"""The model against queueing theory, with confidence intervals.

Three reductions of the office have closed-form answers:

1. inquiries only, always open, exponential, ``fifo``: M/M/c (Erlang C);
2. three classes under ``strict_priority`` with equal exponential service:
   M/M/c with non-preemptive priorities (Cobham);
3. follow-up only, exponential intervals and sessions: the finite-source
   M/M/c//K queue (machine repair); overdue users are its waiting line;
4. the same with own caseloads: each caseworker with K own users is an
   M/M/1//K queue (and pooling them gives the smaller M/M/c//cK backlog).

Each check runs independent replications, forms a Student-t confidence
interval of the replication means, and passes when the theoretical value
lies inside it. The configs come from the caller (``configs/validation/``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from officeq.config.distributions import Exponential
from officeq.config.schema import Config
from officeq.measure.run import run
from officeq.validation import theory
from officeq.validation.stats import t_interval

LEVEL = 0.99
"""Confidence level of each check (several checks run; 99% keeps false alarms rare)."""


@dataclass(frozen=True)
class Check:
    """One simulated metric beside its theoretical value."""

    case: str
    metric: str
    theory: float
    mean: float
    low: float
    high: float
    replications: int

    @property
    def passed(self) -> bool:
        return self.low <= self.theory <= self.high


def confidence_interval(
    values: Sequence[float], level: float = LEVEL
) -> tuple[float, float, float]:
    """Mean and two-sided Student-t interval of independent replication values."""
    ci = t_interval(values, level)
    return ci.mean, ci.low, ci.high


def _replicate(
    cfg: Config, replications: int, metrics: Sequence[str], progress: Callable[[], None] | None
) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {m: [] for m in metrics}
    for r in range(replications):
        result = run(cfg.model_copy(update={"seed": cfg.seed + r}))
        for m in metrics:
            value = result.summary[m]
            if value is None:
                raise ValueError(f"{cfg.name}: metric {m} is undefined in replication {r}")
            out[m].append(value)
        if progress is not None:
            progress()
    return out


def _rate_per_hour(arrivals_per_day: float) -> float:
    return arrivals_per_day / 24.0  # always open: every day is a working day


def _exp_rate(dist: object, unit_hours: float, where: str) -> float:
    if not isinstance(dist, Exponential):
        raise ValueError(f"{where} must be exponential for this theory check")
    return 1.0 / (dist.mean * unit_hours)


def _require_reduction(cfg: Config) -> None:
    if not cfg.calendar.always_open or cfg.staff.admin_share or cfg.staff.absence_rate:
        raise ValueError(f"{cfg.name}: theory checks need always_open, no admin, no absence")
    if cfg.plan():
        raise ValueError(f"{cfg.name}: theory checks need one config for the run (no changes:)")


def with_utilization(cfg: Config, rho: float) -> Config:
    """The M/M/c config with the inquiry rate set for utilisation ``rho``."""
    mu = _exp_rate(cfg.work.inquiry.duration_minutes, 1 / 60, "work.inquiry.duration_minutes")
    per_day = rho * cfg.staff.caseworkers * mu * 24.0
    inquiry = cfg.work.inquiry.model_copy(update={"arrivals_per_day": per_day})
    work = cfg.work.model_copy(update={"inquiry": inquiry})
    return cfg.model_copy(update={"work": work, "name": f"{cfg.name} rho={rho:g}"})


def check_mmc(
    cfg: Config, replications: int, progress: Callable[[], None] | None = None
) -> list[Check]:
    """Mean wait and probability of waiting against Erlang C."""
    _require_reduction(cfg)
    lam = _rate_per_hour(cfg.work.inquiry.arrivals_per_day)
    mu = _exp_rate(cfg.work.inquiry.duration_minutes, 1 / 60, "work.inquiry.duration_minutes")
    q = theory.mmc(lam, mu, cfg.staff.caseworkers)
    sims = _replicate(
        cfg, replications, ["inquiry_wait_hours_mean", "inquiry_waited_share"], progress
    )
    return [
        Check(
            cfg.name,
            "inquiry_wait_hours_mean",
            q.wait_mean,
            *confidence_interval(sims["inquiry_wait_hours_mean"]),
            replications,
        ),
        Check(
            cfg.name,
            "inquiry_waited_share",
            q.wait_probability,
            *confidence_interval(sims["inquiry_waited_share"]),
            replications,
        ),
    ]


def check_priority(
    cfg: Config, replications: int, progress: Callable[[], None] | None = None
) -> list[Check]:
    """Mean wait per class against Cobham's formula (non-preemptive, equal service)."""
    _require_reduction(cfg)
    w = cfg.work
    mu = _exp_rate(w.inquiry.duration_minutes, 1 / 60, "work.inquiry.duration_minutes")
    mu2 = _exp_rate(
        w.income_support.duration_minutes, 1 / 60, "work.income_support.duration_minutes"
    )
    if not math.isclose(mu, mu2):
        raise ValueError(f"{cfg.name}: Cobham's formula needs equal service rates")
    lam_is = _rate_per_hour(w.income_support.arrivals_per_day)
    rates = {
        "inquiry": (_rate_per_hour(w.inquiry.arrivals_per_day), "inquiry_wait_hours_mean"),
        "income_support_urgent": (
            lam_is * w.income_support.urgent_share,
            "income_support_urgent_wait_hours_mean",
        ),
        "income_support": (
            lam_is * (1 - w.income_support.urgent_share),
            "income_support_regular_wait_hours_mean",
        ),
    }
    order = [c for c in cfg.policy.order if c in rates and rates[c][0] > 0]
    waits = theory.priority_waits([rates[c][0] for c in order], mu, cfg.staff.caseworkers)
    metrics = [rates[c][1] for c in order]
    sims = _replicate(cfg, replications, metrics, progress)
    return [
        Check(cfg.name, m, wq, *confidence_interval(sims[m]), replications)
        for m, wq in zip(metrics, waits, strict=True)
    ]


def _closed_group(cfg: Config) -> tuple[float, float]:
    """Due and service rates (per hour) of a one-group, closed caseload."""
    _require_reduction(cfg)
    fu = cfg.work.followup
    if len(fu.groups) != 1:
        raise ValueError(f"{cfg.name}: the finite-source check needs exactly one group")
    group = next(iter(fu.groups.values()))
    if group.exit_to_work_per_year or group.exit_other_per_year or fu.new_users_per_year:
        raise ValueError(f"{cfg.name}: the finite-source check needs a closed caseload")
    due = _exp_rate(group.interval_days, 24.0, "interval_days")
    return due, _exp_rate(group.duration_minutes, 1 / 60, "duration_minutes")


def check_finite_source(
    cfg: Config, replications: int, progress: Callable[[], None] | None = None
) -> list[Check]:
    """Mean number of overdue users against the M/M/c//K stationary solution."""
    due, mu = _closed_group(cfg)
    fs = theory.finite_source(cfg.work.followup.caseload, due, mu, cfg.staff.caseworkers)
    sims = _replicate(cfg, replications, ["followup_backlog_mean"], progress)
    return [
        Check(
            cfg.name,
            "followup_backlog_mean",
            fs.queue_mean,
            *confidence_interval(sims["followup_backlog_mean"]),
            replications,
        )
    ]


def with_interval(cfg: Config, days: float) -> Config:
    """The one-group config with its exponential follow-up interval set to ``days``."""
    fu = cfg.work.followup
    name, group = next(iter(fu.groups.items()))
    group = group.model_copy(update={"interval_days": Exponential(mean=days)})
    fu = fu.model_copy(update={"groups": {name: group}})
    work = cfg.work.model_copy(update={"followup": fu})
    return cfg.model_copy(update={"work": work, "name": f"{cfg.name} interval={days:g}d"})


def check_own_caseloads(
    cfg: Config, replications: int, progress: Callable[[], None] | None = None
) -> list[Check]:
    """Mean overdue users per caseworker against M/M/1//K, with K users each."""
    due, mu = _closed_group(cfg)
    fu = cfg.work.followup
    c = cfg.staff.caseworkers
    if fu.assignment != "own" or c == 0 or fu.caseload % c or fu.appointments.enabled:
        raise ValueError(
            f"{cfg.name}: the own-caseload check needs assignment: own, no appointments, "
            "and a caseload that divides evenly among the caseworkers"
        )
    fs = theory.finite_source(fu.caseload // c, due, mu, 1)
    sims = _replicate(cfg, replications, ["followup_backlog_mean"], progress)
    per_caseworker = [v / c for v in sims["followup_backlog_mean"]]
    return [
        Check(
            cfg.name,
            "followup_backlog_mean per caseworker",
            fs.queue_mean,
            *confidence_interval(per_caseworker),
            replications,
        )
    ]


def check_case_times(
    cfg: Config, replications: int, progress: Callable[[], None] | None = None
) -> list[Check]:
    """Mean decision time and the office's own time of income-support cases, with ample
    staff, against the one-round formula (:func:`~officeq.validation.theory.case_times`)."""
    _require_reduction(cfg)
    inc = cfg.work.income_support
    p = inc.process
    if p is None or inc.urgent_share or p.first_time_share:
        raise ValueError(
            f"{cfg.name}: the case check needs a process, no urgent and no first-time cases"
        )
    d = p.documentation
    if not isinstance(d.reply_days, Exponential) or d.rounds.mean_value() != 1:
        raise ValueError(f"{cfg.name}: the case check needs exponential reply_days, one round")
    t = theory.case_times(
        p.intake_minutes.mean_value() + p.decision_minutes.mean_value(),
        d.share,
        d.reply_days.mean,
        d.deadline_days,
        d.no_reply_share,
        d.review_minutes.mean_value(),
    )
    metrics = ["income_support_decision_days_mean", "income_support_office_days_mean"]
    sims = _replicate(cfg, replications, metrics, progress)
    return [
        Check(cfg.name, m, value, *confidence_interval(sims[m]), replications)
        for m, value in zip(metrics, (t.decision_mean, t.office_mean), strict=True)
    ]


CASES: dict[str, Callable[[Config, int, Callable[[], None] | None], list[Check]]] = {
    "mmc": check_mmc,
    "priority": check_priority,
    "finite_source": check_finite_source,
    "own_caseloads": check_own_caseloads,
    "income_support_case": check_case_times,
}
"""Check functions by the name of their config file in ``configs/validation/``."""
