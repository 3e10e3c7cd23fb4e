"""Forecasts: many replications from today's state, weekly quantiles per metric.

:func:`forecast` runs ``replications`` copies of each plan from one
:class:`~officeq.model.state.OfficeState` (a snapshot) for ``weeks`` weeks,
reduces each run's daily table to weekly values (:func:`weekly`), and
returns the tidy table of ``forecast.csv``: one row per plan × week × metric
with the mean and the 5, 25, 50, 75 and 95% quantiles over replications.
Replication ``r`` has the same seed in every plan (common random numbers),
so plans differ by their changes, not by luck.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from officeq.config.schema import Config
from officeq.experiments.spec import replication_seed
from officeq.model.state import OfficeState

if TYPE_CHECKING:
    import pandas as pd

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
FORECAST_COLUMNS = (
    "plan",
    "week",
    "week_start",
    "metric",
    "mean",
    "p5",
    "p25",
    "p50",
    "p75",
    "p95",
    "replications",
)
LEVELS = {
    "followup_backlog": "followup_overdue",
    "inquiries_open": "inquiries_waiting",
    "income_support_open": "income_support_open",
}
"""Weekly metrics that are levels (at the end of the week), from daily columns."""
RATES = {
    "inquiry_sla_hit_rate": ("inquiries_answered_on_time", "inquiries_answered"),
    "income_support_on_time_rate": ("income_support_decided_on_time", "income_support_decided"),
}
"""Weekly metrics that are shares of the week's answers and decisions."""


OFFICE_METRICS = (
    "followup_backlog",
    "inquiry_sla_hit_rate",
    "income_support_on_time_rate",
    "inquiries_open",
    "income_support_open",
    "overtime_hours",
)
"""The office-wide metrics (the fan chart's panels); the backlog per group comes too."""


HEADLINE = (
    ("followup_backlog", "users overdue for follow-up"),
    ("inquiry_sla_hit_rate", "inquiries answered within 48 h"),
    ("income_support_on_time_rate", "decisions on time"),
    ("inquiries_open", "open inquiries"),
    ("income_support_open", "open applications"),
)
"""The few metrics of a forecast's last week a director reads (``officeq forecast``
prints them; the page's Forecast tab shows them)."""


def metric_names(groups: tuple[str, ...]) -> tuple[str, ...]:
    """The forecast's metrics, in order."""
    first, *rest = OFFICE_METRICS
    return (first, *(f"followup_backlog_{g}" for g in groups), *rest)


def weekly(daily: pd.DataFrame, groups: tuple[str, ...], weeks: int) -> np.ndarray:
    """Weekly values of one run (a metrics × weeks array; NaN where a rate has no
    answers that week)."""
    names = metric_names(groups)
    out = np.full((len(names), weeks), np.nan)
    for w in range(weeks):
        part = daily.iloc[w * 7 : (w + 1) * 7]
        if part.empty:
            continue
        last = part.iloc[-1]
        values = {k: last[col] for k, col in LEVELS.items()}
        values |= {f"followup_backlog_{g}": last[f"followup_overdue_{g}"] for g in groups}
        for k, (hit, total) in RATES.items():
            n = part[total].sum()
            values[k] = part[hit].sum() / n if n > 0 else np.nan
        values["overtime_hours"] = part["overtime_hours"].sum()
        out[:, w] = [values[k] for k in names]
    return out


def one_forecast_run(args: tuple[Config, OfficeState, int]) -> np.ndarray:
    """One replication (a worker's task): the weekly values of ``cfg`` from ``state``."""
    from officeq.measure.run import run

    cfg, state, weeks = args
    result = run(cfg, start=state)
    return weekly(result.daily, tuple(cfg.work.followup.groups), weeks)


def forecast(
    plans: Mapping[str, Config],
    state: OfficeState,
    weeks: int,
    replications: int,
    seed: int,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """The forecast table of every plan (each a config starting at the snapshot's
    date, ``weeks`` weeks long, no warm-up)."""
    import pandas as pd

    jobs = []
    for name, cfg in plans.items():
        for r in range(replications):
            run_cfg = cfg.model_copy(update={"seed": replication_seed(seed, r)})
            jobs.append((name, (run_cfg, state, weeks)))
    results: list[np.ndarray] = []
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(jobs))

    if progress is not None:
        progress(0, len(jobs))
    if workers <= 1:
        for _name, job in jobs:
            results.append(one_forecast_run(job))
            tick()
    else:
        from officeq.experiments.workers import process_pool

        with process_pool(workers) as pool:
            for arr in pool.map(one_forecast_run, [j for _n, j in jobs], chunksize=4):
                results.append(arr)
                tick()
    rows = []
    first = next(iter(plans.values()))
    names = metric_names(tuple(first.work.followup.groups))
    for name in plans:
        stack = np.stack([a for (n, _j), a in zip(jobs, results, strict=True) if n == name])
        for w in range(weeks):
            start = first.start_date + dt.timedelta(days=7 * w)
            for m, metric in enumerate(names):
                values = stack[:, m, w]
                values = values[~np.isnan(values)]
                if values.size == 0:
                    q = [np.nan] * len(QUANTILES)
                    mean = np.nan
                else:
                    q = list(np.quantile(values, QUANTILES))
                    mean = float(values.mean())
                rows.append((name, w + 1, start, metric, mean, *q, int(values.size)))
    return pd.DataFrame(rows, columns=list(FORECAST_COLUMNS))
