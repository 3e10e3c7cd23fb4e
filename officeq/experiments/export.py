"""The tables of a results folder for spreadsheet users, and their CSV dialects.

:func:`export_tables` turns a loaded folder (:class:`~officeq.experiments.folders.Results`)
into named tables, the same for the workbook (:mod:`officeq.experiments.workbook`) and
the CSV files:

- a sweep (or the staffing advisor's folder): ``scenarios``, the mean and 95%
  interval of every metric per scenario (:func:`~officeq.experiments.compare.metric_table`,
  what ``officeq table`` shows); ``monthly``, each scenario's monthly scorecard
  averaged over its replications; ``daily``, each scenario's daily values averaged
  over its replications;
- one run: ``summary`` (metric, value), ``monthly`` and ``daily`` as written.

Tables without rows (a staffing folder has no daily series) are left out. The CSV
dialects (:data:`DIALECTS`): ``plain`` is what pandas writes (``,`` between
fields, ``.`` in numbers, UTF-8); ``excel-no`` is what Excel set to Norwegian
opens by double-click as numbers: ``;`` between fields, ``,`` in numbers, UTF-8
with a byte-order mark (so ``æøå`` survive), true/false as 1/0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from officeq.experiments.compare import metric_table
from officeq.experiments.folders import Results

RUN_KEYS = ("scenario_id", "scenario", "replication", "seed")
SHARE_SUFFIXES = ("_hit_rate", "_on_time_rate", "_share", "_utilization")
"""Metric and column names that are shares (shown as percentages)."""
NOT_SHARES = ("directives_",)
"""...except counts named after the indicator they were for (directives_inquiry_sla_hit_rate)."""


def is_share(name: str) -> bool:
    """Whether a metric or column is a share of 0 to 1 (a hit rate, a utilisation)."""
    return name.endswith(SHARE_SUFFIXES) and not name.startswith(NOT_SHARES)


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is written: field separator, decimal mark, encoding."""

    sep: str
    decimal: str
    encoding: str
    bools_as_numbers: bool


DIALECTS = {
    "plain": Dialect(",", ".", "utf-8", False),
    "excel-no": Dialect(";", ",", "utf-8-sig", True),
}


def sweep_params(runs: pd.DataFrame) -> list[str]:
    """The swept columns of a runs table: those between ``scenario`` and ``replication``."""
    cols = list(runs.columns)
    if "scenario" not in cols or "replication" not in cols:
        return []
    return cols[cols.index("scenario") + 1 : cols.index("replication")]


def sweep_metrics(runs: pd.DataFrame) -> list[str]:
    """Every numeric metric column of a runs table."""
    context = {*RUN_KEYS, *sweep_params(runs)}
    return [c for c in runs.columns if c not in context and pd.api.types.is_numeric_dtype(runs[c])]


def scenario_table(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario and metric: mean, 95% interval and replications (n)."""
    params = ["scenario", *sweep_params(runs)]
    return metric_table(runs, params, sweep_metrics(runs))


def scenario_means(table: pd.DataFrame, by: list[str], params: list[str]) -> pd.DataFrame:
    """Means over replications per scenario and ``by`` of a per-run series (monthly,
    daily); ``warmup`` is true where any replication's row is, ``replications`` is n."""
    keys = ["scenario_id", "scenario", *params, *by]
    skip = {*keys, "replication", "seed", "warmup"}
    numeric = [
        c
        for c in table.columns
        if c not in skip
        and pd.api.types.is_numeric_dtype(table[c])
        and not pd.api.types.is_bool_dtype(table[c])
    ]
    g = table.groupby(keys, sort=True, dropna=False)
    out = g[numeric].mean()
    if "warmup" in table.columns:
        out.insert(0, "warmup", g["warmup"].any())
    out.insert(0, "replications", g["replication"].nunique())
    return out.reset_index().drop(columns="scenario_id")


def export_tables(res: Results) -> dict[str, pd.DataFrame]:
    """The folder's tables for spreadsheets, by sheet name (see the module's doc)."""
    if res.kind == "run":
        summary = res.run_summary or {}
        tables = {
            "summary": pd.DataFrame(
                {
                    "metric": list(summary),
                    "value": [np.nan if v is None else v for v in summary.values()],
                }
            ),
            "monthly": res.monthly if res.monthly is not None else pd.DataFrame(),
            "daily": res.daily,
        }
    else:
        runs = res.runs if res.runs is not None else pd.DataFrame()
        params = sweep_params(runs)
        tables = {"scenarios": scenario_table(runs) if not runs.empty else pd.DataFrame()}
        if res.monthly is not None and not res.monthly.empty:
            tables["monthly"] = scenario_means(res.monthly, ["month"], params)
        if not res.daily.empty:
            daily = res.daily.drop(columns=["weekday", "open"], errors="ignore")
            tables["daily"] = scenario_means(daily, ["day", "date"], params)
    return {name: t.reset_index(drop=True) for name, t in tables.items() if not t.empty}


def csv_text(table: pd.DataFrame, dialect: Dialect) -> pd.DataFrame:
    """``table`` ready for ``to_csv`` in ``dialect`` (true/false as 1/0 where asked)."""
    if not dialect.bools_as_numbers:
        return table
    out = table.copy()
    for c in out.columns:
        if pd.api.types.is_bool_dtype(out[c]):
            out[c] = out[c].astype(int)
    return out


def write_csvs(tables: dict[str, pd.DataFrame], folder: Path, dialect: Dialect) -> list[str]:
    """Write each table as ``<name>.csv`` into ``folder``; returns the names written."""
    names = []
    for name, table in tables.items():
        csv_text(table, dialect).to_csv(
            folder / f"{name}.csv",
            sep=dialect.sep,
            decimal=dialect.decimal,
            encoding=dialect.encoding,
            index=False,
            date_format="%Y-%m-%d",
        )
        names.append(f"{name}.csv")
    return names


def write_export_folder(res: Results, out: str | Path, dialect: str = "plain") -> list[Path]:
    """Write the tables of ``res`` as CSV files in ``dialect`` into the folder ``out``,
    whole (built beside it and swapped in, with a manifest); a folder holding anything
    but an earlier export is refused (:class:`~officeq.measure.files.OutputError`)."""
    from officeq.measure.output import write_folder

    if dialect not in DIALECTS:
        raise ValueError(f"--csv-dialect: {dialect!r} is not one of {', '.join(DIALECTS)}")
    tables = export_tables(res)
    return write_folder(
        out,
        lambda folder: write_csvs(tables, folder, DIALECTS[dialect]),
        "export",
        len(res.runs) if res.runs is not None else 1,
        dialect=dialect,
    )
