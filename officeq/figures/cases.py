"""Figures of income-support cases: how long a decision takes, against what offices measure.

- :func:`decision_times`: one run's decisions by days from receipt (``decision_times.csv``),
  with the run's mean and Stavanger's measured range of yearly means as a band;
- :func:`decision_time_sweep`: per scenario of a sweep, the mean and 90th percentile
  decision time (``summary.csv``) against the same band.

Like :mod:`officeq.figures.plots`, every function takes tidy tables and returns a
:class:`matplotlib.figure.Figure`; nothing runs the model or reads files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from officeq.figures.common import (
    column_label,
    legend_outside,
    new_figure,
    scenario_palette,
    styled,
    wide_summary,
)

__all__ = ["KINDS", "MEASURED_MEAN_DAYS", "decision_time_sweep", "decision_times"]

KINDS = ("decision_times",)
MEASURED_MEAN_DAYS = (7.4, 10.2)
"""Stavanger's yearly mean decision times, lowest and highest (docs/calibration.md #17, #45)."""
BAND_LABEL = "Stavanger's measured yearly means, 7.4–10.2 days (#17, #45)"
MEAN = "income_support_decision_days_mean"
P90 = "income_support_decision_days_p90"


def _band(ax, vertical: bool) -> None:  # type: ignore[no-untyped-def]
    low, high = MEASURED_MEAN_DAYS
    span = ax.axvspan if vertical else ax.axhspan
    span(low, high, color="tab:green", alpha=0.18, lw=0, label=BAND_LABEL, gid="measured")


def _verdict(mean: float) -> str:
    low, high = MEASURED_MEAN_DAYS
    if low <= mean <= high:
        return "inside"
    return "below" if mean < low else "above"


@styled
def decision_times(
    table: pd.DataFrame, on_time_days: float | None = None, mean: float | None = None
) -> Figure:
    """One run's income-support decisions by days from receipt.

    Args:
        table: ``decision_times.csv`` (``application``, ``days_from``, ``days_to``,
            ``decisions``).
        on_time_days: the regular deadline in days, drawn as a line (None: not drawn).
        mean: the run's exact mean (``summary.json``); None: from the whole-day bins.

    Returns:
        Stacked bars per whole day (regular and urgent applications), the run's mean as a
        dashed line, and Stavanger's range of measured yearly means as a green band; the
        title says whether the mean lies inside it.

    Raises:
        ValueError: the table has no decisions.
    """
    counts = table.pivot_table(
        index="days_from", columns="application", values="decisions", aggfunc="sum", fill_value=0
    )
    total = float(counts.to_numpy().sum())
    if total <= 0:
        raise ValueError("no income-support decisions after the warm-up")
    days = counts.index.to_numpy(float)
    if mean is None:
        mean = float((counts.sum(axis=1).to_numpy() * (days + 0.5)).sum() / total)
    colours = scenario_palette(["regular", "urgent"])
    fig, axes = new_figure(size=(10, 5.5))
    ax = axes[0, 0]
    _band(ax, vertical=True)
    bottom = np.zeros(len(days))
    for name in ("urgent", "regular"):
        if name in counts.columns:
            share = counts[name].to_numpy(float) / total
            ax.bar(
                days + 0.5,
                share,
                width=1.0,
                bottom=bottom,
                color=colours[name],
                edgecolor="white",
                lw=0.3,
                label=f"{name} applications",
                gid=name,
            )
            bottom += share
    ax.axvline(mean, color="0.2", ls="--", lw=1.2, label=f"this run's mean: {mean:.1f} days")
    if on_time_days is not None:
        ax.axvline(on_time_days, color="tab:red", ls=":", lw=1.2, label="deadline (on time)")
    shown = days[bottom > 0.0005]
    ax.set_xlim(0, max(float(shown.max()) + 1 if shown.size else 1, MEASURED_MEAN_DAYS[1] + 2))
    ax.set_xlabel("days from receipt to decision (the user's time included)")
    ax.set_ylabel("share of decisions")
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(
        f"Mean decision time {mean:.1f} days: {_verdict(mean)} the range offices measure\n"
        f"({int(total):,} decisions after the warm-up)"
    )
    return fig


@styled
def decision_time_sweep(summary: pd.DataFrame, x: str, series: str | None) -> Figure:
    """Per scenario of a sweep: mean and 90th-percentile decision time against the band.

    Args:
        summary: ``summary.csv`` of a sweep, with the swept columns.
        x: the swept column on the x axis.
        series: another swept column, one line each (None: one line).

    Returns:
        Mean decision time (solid, 95% interval over the replications) and its 90th
        percentile (dotted) against ``x``, a line per value of ``series``, with
        Stavanger's range of measured yearly means as a green band.

    Raises:
        ValueError: the summary has no decision times.
    """
    metrics = [m for m in (MEAN, P90) if m in set(summary["metric"])]
    if MEAN not in metrics:
        raise ValueError(f"no {MEAN} in the summary (a sweep made before version 0.13?)")
    wide = wide_summary(summary, metrics)
    if x not in wide.columns:
        raise ValueError(f"{x} is not a swept column")
    groups = [(None, wide)] if series is None else list(wide.groupby(series, sort=True))
    names = [str(k) for k, _ in groups]
    colours = scenario_palette(names)
    fig, axes = new_figure(size=(9.5, 5.5))
    ax = axes[0, 0]
    _band(ax, vertical=False)
    for (key, part), name in zip(groups, names, strict=True):
        part = part.sort_values(x)
        xs = part[x].to_numpy(float)
        if key is None:
            label = ""
        elif series == "staff_caseworkers":
            label = f"{key:g} caseworkers: "
        else:
            label = f"{column_label(series)} = {key}: "  # type: ignore[arg-type]
        mean = part[MEAN].to_numpy(float)
        ax.fill_between(
            xs,
            part[f"{MEAN}_low"].to_numpy(float),
            part[f"{MEAN}_high"].to_numpy(float),
            color=colours[name],
            alpha=0.2,
            lw=0,
        )
        ax.plot(xs, mean, "o-", color=colours[name], label=f"{label}mean", gid=f"mean:{name}")
        if P90 in part.columns:
            ax.plot(
                xs,
                part[P90].to_numpy(float),
                "s:",
                color=colours[name],
                ms=4,
                label=f"{label}90th percentile",
                gid=f"p90:{name}",
            )
    ax.set_xlabel(column_label(x))
    ax.set_ylabel("days from receipt to decision")
    values = wide[[c for c in (MEAN, P90) if c in wide.columns]].to_numpy(float)
    values = values[np.isfinite(values) & (values > 0)]
    if values.size and values.max() / values.min() > 8:  # a collapsed office beside the rest
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}")
    else:
        ax.set_ylim(bottom=0)
    legend_outside(ax, fontsize=8)
    inside = wide[MEAN].between(*MEASURED_MEAN_DAYS)
    ax.set_title(
        f"Mean decision time lies in the measured range in {int(inside.sum())} of "
        f"{len(wide)} scenarios\n(mean of the replications with 95% band; dotted: 90th "
        "percentile)"
    )
    return fig
