"""Scenario tables and paired comparisons of a sweep (pure pandas).

``metric_table`` is the per-scenario mean and 95% interval of chosen metrics.
``paired_differences`` compares every scenario with a reference scenario
replication by replication: with common random numbers, replication *r* of
two scenarios saw the same arrivals, users and absences, so the interval of
the mean paired difference is far narrower than the two scenarios' own
intervals suggest. Scenarios are paired with the reference that has the same
values of every other swept column (e.g. the same staffing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from officeq.config.suggest import did_you_mean
from officeq.experiments.results import summarise
from officeq.validation.stats import t_interval

RUN_KEYS = ("scenario_id", "scenario", "replication", "seed")


class CompareError(ValueError):
    """A comparison that the table cannot answer (names the column or value)."""


def parse_where(items: Sequence[str], table: pd.DataFrame) -> dict[str, Any]:
    """``["staff_caseworkers=17", "variant=few_targets"]`` → typed filters."""
    out: dict[str, Any] = {}
    for item in items:
        col, sep, raw = item.partition("=")
        if not sep or col not in table.columns:
            choices = ", ".join(c for c in table.columns if c not in RUN_KEYS)
            raise CompareError(f"{item!r}: expected COLUMN=VALUE with COLUMN one of {choices}")
        values = table[col].dropna().unique()
        match = [v for v in values if str(v) == raw]
        if not match:
            shown = ", ".join(str(v) for v in values)
            raise CompareError(f"{item!r}: {col} has no value {raw!r} (it has {shown})")
        out[col] = match[0]
    return out


def _filter(table: pd.DataFrame, where: Mapping[str, Any]) -> pd.DataFrame:
    mask = np.ones(len(table), dtype=bool)
    for col, value in where.items():
        mask &= (table[col] == value).to_numpy()
    return table[mask]


def _check_metrics(runs: pd.DataFrame, metrics: Sequence[str]) -> None:
    for m in metrics:
        if m not in runs.columns:
            raise CompareError(
                f"--metric: {m!r} is not a column of runs.parquet" + did_you_mean(m, runs.columns)
            )


def metric_table(
    runs: pd.DataFrame,
    params: Sequence[str],
    metrics: Sequence[str],
    where: Mapping[str, Any] = {},
    level: float = 0.95,
) -> pd.DataFrame:
    """Tidy: one row per scenario and metric with mean, ci_low, ci_high, n."""
    _check_metrics(runs, metrics)
    context = list(dict.fromkeys(["scenario_id", *params]))
    table = _filter(runs, where)[[*context, "replication", *metrics]]
    columns = [*params, "metric", "mean", "ci_low", "ci_high", "n"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    return summarise(table, context, level)[columns].reset_index(drop=True)


def paired_differences(
    runs: pd.DataFrame,
    params: Sequence[str],
    metrics: Sequence[str],
    versus: Mapping[str, Any],
    where: Mapping[str, Any] = {},
    level: float = 0.95,
) -> pd.DataFrame:
    """Tidy: per scenario (other than the reference) and metric, the mean paired
    difference scenario − reference with its Student-t interval and n."""
    _check_metrics(runs, metrics)
    table = _filter(runs, where)
    others = [p for p in params if p not in versus]
    # the reference obeys the filters except where --versus names the same column
    ref = _filter(runs, {**{c: v for c, v in where.items() if c not in versus}, **versus})
    if ref.empty:
        raise CompareError(f"--versus: no runs match {dict(versus)}")
    rows = []
    for _sid, g in table.groupby("scenario_id", sort=True):
        if all(g[c].iloc[0] == v for c, v in versus.items()):
            continue
        ctx = {c: g[c].iloc[0] for c in params}
        match = ref
        for c in others:
            match = match[match[c] == ctx[c]]
        pairs = g.merge(match, on="replication", suffixes=("", "_ref"))
        for m in metrics:
            d = pd.to_numeric(pairs[m], errors="coerce") - pd.to_numeric(
                pairs[f"{m}_ref"], errors="coerce"
            )
            ci = t_interval(d.to_numpy(), level)
            rows.append(
                {**ctx, "metric": m, "difference": ci.mean, "ci_low": ci.low}
                | {"ci_high": ci.high, "n": ci.n}
            )
    cols = [*params, "metric", "difference", "ci_low", "ci_high", "n"]
    return pd.DataFrame(rows, columns=cols)


def _number(x: float) -> str:
    if pd.isna(x):
        return "–"
    return f"{x:,.1f}" if abs(x) >= 100 else f"{x:.3f}"


def wide(table: pd.DataFrame, params: Sequence[str], value: str) -> pd.DataFrame:
    """One row per scenario, one column per metric: ``mean (low to high)``."""
    if table.empty:
        return table

    def cell(r: pd.Series) -> str:
        if pd.isna(r["ci_low"]) or not np.isfinite(r["ci_low"]):
            return _number(r[value])
        return f"{_number(r[value])} ({_number(r['ci_low'])} to {_number(r['ci_high'])})"

    t = table.assign(cell=table.apply(cell, axis=1))
    order = list(dict.fromkeys(t["metric"]))
    out = t.pivot_table(
        index=list(params), columns="metric", values="cell", aggfunc="first", sort=False
    )
    return out[order].reset_index()


def markdown(table: pd.DataFrame) -> str:
    """A pipe table of ``table`` (every cell as text)."""
    head = "| " + " | ".join(str(c) for c in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([head, rule, *body])
