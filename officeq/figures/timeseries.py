"""Figures over calendar time: the follow-up backlog, the monthly scorecard, one run's queues.

Each takes a sweep's ``daily.parquet`` or one run's ``daily.csv`` and returns a figure
(see :mod:`officeq.figures.plots` for the conventions). More than
:data:`~officeq.figures.series.MAX_SERIES` scenarios are drawn as small multiples, or
with the ``highlight``-ed ones in colour and the rest grey.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from officeq.figures.common import (
    compared,
    draw_lines,
    new_figure,
    replications_note,
    scenario_order,
    scenario_palette,
    scenario_styles,
    shade_warmup,
    short_labels,
    styled,
    t_band,
    warmup_note,
    with_run_keys,
)
from officeq.figures.series import (
    MAX_SERIES,
    draw_chosen,
    draw_facets,
    facet_figure,
    time_axis,
    time_column,
    with_dates,
)

BACKLOG_LABEL = "overdue users (follow-up backlog)"


def _chosen(names: list[str], highlight: Sequence[str] | None) -> list[str] | None:
    if not highlight:
        return None
    unknown = [h for h in highlight if h not in names]
    if unknown:
        raise ValueError(f"highlight: no scenario {unknown[0]!r} in the table")
    return [n for n in names if n in set(highlight)]


def _legend_below(fig: Figure, ax: Any) -> None:
    """The legend of ``ax`` under the panels, without the warm-up entry."""
    handles, labs = ax.get_legend_handles_labels()
    keep = [i for i, lab in enumerate(labs) if lab != "warm-up"]
    if keep:
        fig.legend(
            [handles[i] for i in keep],
            [labs[i] for i in keep],
            loc="outside lower center",
            ncols=min(3, len(keep)),
        )


@styled
def backlog(
    daily: pd.DataFrame, by_group: bool = False, highlight: Sequence[str] | None = None
) -> Figure:
    """Daily follow-up backlog (overdue users) per scenario over calendar time.

    Args:
        daily: ``daily.parquet`` of a sweep, or one run's ``daily.csv``.
        by_group: one panel per need group (the ``followup_overdue_<group>`` columns).
        highlight: scenario names to draw in colour, the others grey; None: all in colour
            up to six scenarios, one panel per scenario beyond.

    Returns:
        A figure with one line per scenario (mean across replications) and a 95% band.

    Raises:
        ValueError: no backlog columns, or ``by_group`` with more than six scenarios and
            none highlighted.
    """
    d = with_dates(with_run_keys(daily))
    x = time_column(d)
    prefix = "followup_overdue_"
    cols = [c for c in d.columns if c.startswith(prefix)] if by_group else ["followup_overdue"]
    if not cols:
        raise ValueError("backlog: the daily table has no followup_overdue columns")
    band = t_band(d, ["scenario", x], cols)
    names = scenario_order(d)
    labels = short_labels(d, names)
    chosen = _chosen(names, highlight)
    note = f"{replications_note(d)}{warmup_note(d)}"
    if chosen is None and len(names) > MAX_SERIES:
        if by_group:
            raise ValueError(
                f"backlog --by-group: {len(names)} scenarios are too many to tell apart; "
                f"choose up to {MAX_SERIES} with --only or --highlight"
            )
        fig, axes = facet_figure(len(names))
        for ax in axes:
            shade_warmup(ax, d, x)
        draw_facets(axes, band, x, cols[0], scenario_styles(names), labels)
        for ax in axes:
            time_axis(ax, x, compact=True)
            ax.set_ylim(bottom=0)
        fig.supylabel(BACKLOG_LABEL, fontsize=10)
        fig.supxlabel(time_axis(axes[0], x, compact=True), fontsize=10)
        fig.suptitle(
            f"Follow-up backlog by {compared(d)}: one panel per scenario, the others grey "
            f"behind it\n({note}; shared y axis)"
        )
        return fig
    styles = scenario_styles(chosen if chosen is not None else names)
    ncols = 2 if len(cols) > 1 else 1
    nrows = math.ceil(len(cols) / ncols)
    fig, axes = new_figure(nrows, ncols, (12, 3.6 * nrows + 1.4), sharex=True, sharey=True)
    for k, ax in enumerate(axes.flat):
        if k >= len(cols):
            ax.set_visible(False)
            continue
        shade_warmup(ax, d, x)
        if chosen is None:
            draw_lines(ax, band, x, cols[k], styles, labels)
        else:
            draw_chosen(ax, band, x, cols[k], names, chosen, styles, labels)
        if by_group:
            ax.set_title(f"need group: {cols[k].removeprefix(prefix).replace('_', ' ')}")
        if k % ncols == 0:
            ax.set_ylabel(BACKLOG_LABEL)
        label = time_axis(ax, x)
        if k + ncols >= len(cols):
            ax.set_xlabel(label)
        ax.set_ylim(bottom=0)
    what = "per need group, " if by_group else ""
    fig.suptitle(f"Follow-up backlog {what}by {compared(d)}\n({note})")
    _legend_below(fig, axes.flat[0])
    return fig


@styled
def scorecard(
    daily: pd.DataFrame, target: float = 0.9, highlight: Sequence[str] | None = None
) -> Figure:
    """Monthly 48-hour SLA hit rate per scenario: the month-to-month noise a target meets.

    Hit rate per run and month = answered on time ÷ answered (warm-up days excluded); then
    the mean and 95% band over replications. Unlike ``monthly.csv``, inquiries still open
    at the end are not counted.

    Args:
        daily: ``daily.parquet`` of a sweep, or one run's ``daily.csv``.
        target: the hit-rate target as a fraction.
        highlight: scenario names in colour, the others grey (as in :func:`backlog`).
    """
    d = with_dates(with_run_keys(daily))
    if "warmup" in d.columns:
        d = d[~d["warmup"].astype(bool)]
    d = d.assign(month=d["date"].dt.strftime("%Y-%m"))
    cols = ["inquiries_answered_on_time", "inquiries_answered"]
    per_run = d.groupby(["scenario", "replication", "month"], as_index=False)[cols].sum()
    per_run["rate"] = 100 * per_run[cols[0]] / per_run[cols[1]].where(per_run[cols[1]] > 0)
    band = t_band(per_run, ["scenario", "month"], ["rate"])
    months = sorted(band["month"].unique())
    band["pos"] = band["month"].map({m: i for i, m in enumerate(months)})
    names = scenario_order(d)
    labels = short_labels(d, names)
    chosen = _chosen(names, highlight)
    ticks = [pd.Timestamp(f"{m}-01").strftime("%b %Y") for m in months]
    what = f"by {compared(d)}" if "scenario" in daily.columns else "of one run"
    title = (
        f"Monthly 48-hour SLA hit rate {what} against the {target:.0%} target\n"
        f"({replications_note(d)}; partial months at the ends"
    )
    if chosen is None and len(names) > MAX_SERIES:
        fig, axes = facet_figure(len(names), title_room=1.8)
        draw_facets(axes, band, "pos", "rate", scenario_styles(names), labels, 100.0)
        for ax in axes:
            ax.axhline(100 * target, color="0.3", ls="--", lw=1)
            ax.set_xticks(range(len(months)), [t[:3] for t in ticks])
            ax.xaxis.set_major_locator(_every_nth(len(months), 4))
        fig.supylabel("48-hour SLA hit rate (%)", fontsize=10)
        years = (
            ticks[0][-4:]
            if ticks[0][-4:] == ticks[-1][-4:]
            else f"{ticks[0][-4:]}–{ticks[-1][-4:]}"
        )
        fig.supxlabel(f"calendar month, {years} (measured days only)")
        fig.suptitle(f"{title}; dashed: target; one panel per scenario)")
        return fig
    fig, axes = new_figure(size=(11, 5.5))
    ax = axes[0, 0]
    styles = scenario_styles(chosen if chosen is not None else names)
    if chosen is None:
        draw_lines(ax, band, "pos", "rate", styles, labels, 100.0)
    else:
        draw_chosen(ax, band, "pos", "rate", names, chosen, styles, labels, 100.0)
    ax.axhline(100 * target, color="0.3", ls="--", lw=1, label=f"target {target:.0%}")
    ax.set_xticks(range(len(months)), ticks, rotation=45 if len(months) > 8 else 0)
    ax.set_xlabel("calendar month (measured days only)")
    ax.set_ylabel("48-hour SLA hit rate (%)")
    ax.set_title(f"{title})")
    # outside the axes, so it never covers a line
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, fontsize=8)
    return fig


def _every_nth(n: int, most: int) -> Any:
    """A locator showing at most ``most`` of ``n`` category ticks."""
    from matplotlib.ticker import FixedLocator

    step = max(1, math.ceil(n / most))
    return FixedLocator(list(range(0, n, step)))


@styled
def run_overview(daily: pd.DataFrame) -> Figure:
    """One run's queues over time: waiting inquiries, waiting applications, overdue users.

    Args:
        daily: one run's ``daily.csv`` (or a sweep's daily table filtered to one run).

    Raises:
        ValueError: the table holds more than one run.
    """
    keys = [c for c in ("scenario", "replication") if c in daily.columns]
    if keys and len(daily[keys].drop_duplicates()) > 1:
        raise ValueError("run_overview draws one run: filter to one scenario and replication")
    d = with_dates(daily)
    x = time_column(d)
    panels = [
        ("inquiries_waiting", "inquiries waiting\n(count, end of day)"),
        ("income_support_waiting", "applications waiting\n(count, end of day)"),
        ("followup_overdue", "overdue users\n(count, end of day)"),
    ]
    fig, axes = new_figure(3, 1, (10, 7.5), sharex=True)
    colours = scenario_palette([p for p, _ in panels])
    for ax, (col, label) in zip(axes[:, 0], panels, strict=True):
        shade_warmup(ax, d, x)
        ax.plot(d[x], d[col], color=colours[col], lw=1.2)
        ax.set_ylabel(label)
        ax.set_ylim(bottom=0)
        xlabel = time_axis(ax, x)
    axes[-1, 0].set_xlabel(xlabel)
    note = warmup_note(d).removeprefix("; ")
    fig.suptitle(f"One run: queues at the end of each day{f' ({note})' if note else ''}")
    return fig
