"""How big a run is, estimated from the config before it starts.

A run's cost grows with the tasks it simulates (arrivals of every kind,
follow-up sessions, failure-demand inquiries), the users on the caseload and
the caseworkers, each over the horizon. The per-item costs below were
measured on a 2-core laptop (``python bench/bench_size.py`` prints the
estimate beside the measured time and memory for a range of offices); they
err on the large side, so a refused run is certainly too big, and an
accepted one may finish sooner.
"""

from __future__ import annotations

from dataclasses import dataclass

from officeq.config.changes import configs_of
from officeq.config.schema import Config
from officeq.model.arrivals import open_weekdays

SECONDS_PER_TASK = 3e-5
"""Simulating one task: arrival, queueing, service, records."""
SECONDS_PER_USER_YEAR = 5e-4
"""One user on the caseload for a year: due dates, exits, bookkeeping."""
SECONDS_PER_CASEWORKER_YEAR = 0.03
"""One caseworker for a year: days, absence, breaks, choices."""
BYTES_BASE = 80e6
"""The interpreter, numpy, SimPy and the daily table."""
BYTES_PER_TASK = 400.0
"""A waiting task; at worst every task of the run waits at once (an office that cannot keep up)."""
BYTES_PER_LOGGED_TASK = 2_000.0
"""With an event log (``--events``): a task's row while the run goes, and in the tables."""
BYTES_PER_USER = 4_000.0
BYTES_PER_CASEWORKER = 200_000.0


@dataclass(frozen=True)
class Size:
    """The estimated size of one run."""

    tasks: float
    """Tasks simulated over the whole horizon (arrivals, sessions, failure demand)."""
    seconds: float
    """Estimated run time on one core."""
    memory_bytes: float
    """Estimated peak memory (with every task still waiting at the end)."""
    driver: str
    """The config field that adds most to the estimate."""


def estimate(cfg: Config, events: bool = False) -> Size:
    """The size of a run of ``cfg``, and the field that drives it.

    With a plan over time (``changes:``), the largest estimate of its configs, each
    as if it held for the whole run: on the large side, like the rest.
    """
    return max((_estimate(c, events) for c in configs_of(cfg)), key=lambda s: s.seconds)


def _estimate(cfg: Config, events: bool = False) -> Size:
    days = cfg.horizon_days
    years = days / 365.0
    open_days = open_weekdays(cfg.calendar)
    w = cfg.work
    fu = w.followup
    users = fu.caseload + (fu.new_users_per_year or 0.0) * years
    sessions = sum(
        fu.caseload * g.share * days / max(g.interval_days.mean_value(), 1e-3)
        for g in fu.groups.values()
    )
    tasks = {
        "work.inquiry.arrivals_per_day": w.inquiry.arrivals_per_day * open_days / 7 * days,
        "work.income_support.arrivals_per_day": (
            w.income_support.arrivals_per_day * open_days / 7 * days
        ),
        "work.followup.caseload": sessions,
        "work.followup.failure_demand.inquiries_per_user_week": (
            fu.failure_demand.inquiries_per_user_week * users * days / 7
        ),
    }
    seconds = {k: v * SECONDS_PER_TASK for k, v in tasks.items()}
    seconds["work.followup.caseload"] += users * years * SECONDS_PER_USER_YEAR
    seconds["staff.caseworkers"] = cfg.staff.caseworkers * years * SECONDS_PER_CASEWORKER_YEAR
    n_tasks = sum(tasks.values())
    memory = (
        BYTES_BASE
        + n_tasks * (BYTES_PER_TASK + (BYTES_PER_LOGGED_TASK if events else 0.0))
        + users * BYTES_PER_USER
        + cfg.staff.caseworkers * BYTES_PER_CASEWORKER
    )
    driver = max(seconds, key=lambda k: seconds[k])
    return Size(n_tasks, sum(seconds.values()), memory, driver)
