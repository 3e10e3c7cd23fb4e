"""Tidy tables of a sweep: one row per run, daily series, and scenario CIs.

Every row carries its context (``scenario_id``, ``scenario``, the swept
parameters, ``replication``, ``seed``), so pandas and seaborn read the
tables directly. Rows are sorted by run key, never by finishing order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from officeq.experiments.spec import Experiment
from officeq.validation.stats import t_interval

SUMMARY_COLUMNS = ("metric", "mean", "sd", "ci_low", "ci_high", "half_width", "n")


def _context(exp: Experiment) -> dict[int, dict[str, Any]]:
    return {s.id: {"scenario_id": s.id, "scenario": s.name, **s.params} for s in exp.scenarios}


def runs_table(
    exp: Experiment, runs: Iterable[tuple[int, int, int, dict[str, Any]]]
) -> pd.DataFrame:
    """One row per scenario × replication: context, seed, every summary metric."""
    ctx = _context(exp)
    rows = [
        {**ctx[sid], "replication": rep, "seed": seed, **summary}
        for sid, rep, seed, summary in runs
    ]
    df = pd.DataFrame(rows)
    if not df.empty:
        df = df.sort_values(["scenario_id", "replication"], kind="stable", ignore_index=True)
    return df


def daily_table(exp: Experiment, dailies: Iterable[tuple[int, int, pd.DataFrame]]) -> pd.DataFrame:
    """Every run's daily series, with the run's context in front."""
    ctx = _context(exp)
    frames = []
    for sid, rep, daily in dailies:
        front = pd.DataFrame({**ctx[sid], "replication": rep}, index=daily.index)
        frames.append(pd.concat([front, daily], axis=1))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def monthly_table(
    exp: Experiment, monthlies: Iterable[tuple[int, int, pd.DataFrame | None]]
) -> pd.DataFrame | None:
    """Every run's monthly scorecard, with the run's context in front; None when a run
    has none (recorded by an officeq that kept no monthly tables)."""
    runs = list(monthlies)
    if any(m is None for _sid, _rep, m in runs):
        return None
    return daily_table(exp, runs)  # type: ignore[arg-type]  # no None left


def summarise(runs: pd.DataFrame, context: list[str], level: float = 0.95) -> pd.DataFrame:
    """Per scenario (``scenario_id``) and metric: the ``context`` columns, then mean, sd,
    Student-t CI at ``level``, half-width and n. Metrics: every other column."""
    skip = {*context, "replication", "seed"}
    metrics = [c for c in runs.columns if c not in skip]
    rows = []
    for _sid, group in runs.groupby("scenario_id", sort=True):
        ctx = {c: group[c].iloc[0] for c in context}
        for m in metrics:
            ci = t_interval(pd.to_numeric(group[m], errors="coerce").to_numpy(), level)
            rows.append(
                {
                    **ctx,
                    "metric": m,
                    "mean": ci.mean,
                    "sd": ci.sd,
                    "ci_low": ci.low,
                    "ci_high": ci.high,
                    "half_width": ci.half_width,
                    "n": ci.n,
                }
            )
    return pd.DataFrame(rows)


def summary_table(runs: pd.DataFrame, exp: Experiment, level: float = 0.95) -> pd.DataFrame:
    """Per scenario and metric of a sweep: mean, sd, Student-t CI, half-width, n."""
    return summarise(runs, ["scenario_id", "scenario", *exp.param_columns], level)
