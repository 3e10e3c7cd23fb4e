"""Tidy tables of a sweep: one row per run, daily series, and scenario CIs.

Every row carries its context (``scenario_id``, ``scenario``, the swept
parameters, ``replication``, ``seed``), so pandas and seaborn read the
tables directly. Rows are sorted by run key, never by finishing order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from officeq.experiment import Experiment
from officeq.stats import t_interval

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


def metric_columns(runs: pd.DataFrame, exp: Experiment) -> list[str]:
    context = {"scenario_id", "scenario", "replication", "seed", *exp.param_columns}
    return [c for c in runs.columns if c not in context]


def summary_table(runs: pd.DataFrame, exp: Experiment, level: float = 0.95) -> pd.DataFrame:
    """Per scenario and metric: mean, sd, Student-t CI (``level``), half-width, n."""
    ctx = _context(exp)
    rows = []
    metrics = metric_columns(runs, exp)
    for sid, group in runs.groupby("scenario_id", sort=True):
        for m in metrics:
            ci = t_interval(pd.to_numeric(group[m], errors="coerce").to_numpy(), level)
            rows.append(
                {
                    **ctx[int(sid)],
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
