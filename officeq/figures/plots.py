"""Figures a planner reads, from the tidy result tables.

Every function takes a table of a sweep (``daily.parquet``, ``summary.csv``) or of one run
(``daily.csv``) and returns a :class:`matplotlib.figure.Figure`; nothing runs the model,
reads or writes files, or touches pyplot's global state. Means over replications carry
95% Student-t intervals, drawn clipped to the metric's range (no negative counts, no rate
above 100%). The same scenario (or policy) gets the same colour, line style and
marker in every figure, so the figures also read in greyscale.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from officeq.figures.common import (
    column_label,
    compared,
    draw_lines,
    fmt_target,
    is_fraction,
    metric_higher_is_better,
    metric_label,
    new_figure,
    plain,
    replications_note,
    scenario_order,
    scenario_palette,
    scenario_styles,
    series_by,
    shade_warmup,
    short_labels,
    styled,
    swept_columns,
    t_band,
    with_run_keys,
)

__all__ = [
    "KINDS",
    "backlog",
    "frontier",
    "heatmap",
    "run_overview",
    "scenario_palette",
    "scenario_styles",
    "scorecard",
    "staffing",
    "swept_columns",
]

KINDS = ("backlog", "frontier", "staffing", "heatmap", "scorecard")
SLA = "inquiry_sla_hit_rate"
BACKLOG = "followup_backlog_mean"


@styled
def backlog(daily: pd.DataFrame, by_group: bool = False) -> Figure:
    """Daily follow-up backlog (overdue users) per scenario over time.

    Args:
        daily: ``daily.parquet`` of a sweep, or one run's ``daily.csv``.
        by_group: one facet per need group (the ``followup_overdue_<group>`` columns).

    Returns:
        A figure with one line per scenario (mean across replications) and a 95% band.
    """
    d = with_run_keys(daily)
    prefix = "followup_overdue_"
    cols = [c for c in d.columns if c.startswith(prefix)] if by_group else ["followup_overdue"]
    if not cols:
        raise ValueError("backlog: the daily table has no followup_overdue columns")
    band = t_band(d, ["scenario", "day"], cols)
    names = scenario_order(d)
    styles, labels = scenario_styles(names), short_labels(d, names)
    ncols = 2 if len(cols) > 1 else 1
    nrows = math.ceil(len(cols) / ncols)
    fig, axes = new_figure(nrows, ncols, (12, 3.6 * nrows + 1.4), sharex=True, sharey=True)
    for k, ax in enumerate(axes.flat):
        if k >= len(cols):
            ax.set_visible(False)
            continue
        shade_warmup(ax, d)
        draw_lines(ax, band, "day", cols[k], styles, labels)
        if by_group:
            ax.set_title(f"need group: {cols[k].removeprefix(prefix).replace('_', ' ')}")
        if k % ncols == 0:
            ax.set_ylabel("overdue users (follow-up backlog)")
        if k + ncols >= len(cols):
            ax.set_xlabel("simulated day")
        ax.set_ylim(bottom=0)
    what = "per need group, " if by_group else ""
    fig.suptitle(
        f"Follow-up backlog {what}by {compared(d)}\n({replications_note(d)}; grey: warm-up)"
    )
    handles, labs = axes.flat[0].get_legend_handles_labels()
    keep = [i for i, lab in enumerate(labs) if lab != "warm-up"]
    fig.legend(
        [handles[i] for i in keep],
        [labs[i] for i in keep],
        loc="outside lower center",
        ncols=min(4, len(keep)),
    )
    return fig


@styled
def frontier(
    summary: pd.DataFrame, policy_col: str | None, staff_col: str = "staff_caseworkers"
) -> Figure:
    """The trade-off: 48-hour SLA hit rate against the follow-up backlog, per scenario.

    Args:
        summary: ``summary.csv`` of a sweep.
        policy_col: column whose values are series (e.g. ``policy_name``); None: one series.
        staff_col: the staffing column; a policy's points are joined in this order.

    Returns:
        A figure with one joined line per policy, 95% CI bars on both axes, and every
        point labelled with its number of caseworkers.
    """
    series = series_by(summary, [BACKLOG, SLA], policy_col, staff_col)
    styles = scenario_styles(list(series))
    fig, axes = new_figure(size=(9, 6))
    ax = axes[0, 0]
    for i, (name, s) in enumerate(series.items()):
        x, y = s[BACKLOG], 100 * s[SLA]
        xerr = [x - s[f"{BACKLOG}_low"].clip(0), s[f"{BACKLOG}_high"] - x]  # CIs clipped
        yerr = [y - 100 * s[f"{SLA}_low"].clip(0), (100 * s[f"{SLA}_high"]).clip(0, 100) - y]
        st = styles[name]
        ax.errorbar(x, y, yerr=yerr, xerr=xerr, fmt="none", ecolor=st["color"], alpha=0.5)
        ax.plot(x, y, label=name, ms=7, **st, gid=name)
        for xi, yi, n in zip(x, y, s[staff_col], strict=True):
            offset = (6, 6 if i % 2 == 0 else -14)
            ax.annotate(f"{n}", (xi, yi), xytext=offset, textcoords="offset points", size=9)
    ax.set_xlabel("follow-up backlog, mean overdue users")
    ax.set_ylabel("48-hour SLA hit rate (%)")
    by = f"{column_label(policy_col).split(' (')[0]} and staffing" if policy_col else "staffing"
    ax.set_title(
        f"48-hour SLA hit rate against follow-up backlog, by {by}\n"
        "(numbers: caseworkers; bars: 95% CI; up and left is better)"
    )
    if policy_col:
        ax.legend(title=column_label(policy_col))
    return fig


@styled
def staffing(
    summary: pd.DataFrame,
    metric: str,
    target: float | None,
    policy_col: str | None,
    staff_col: str = "staff_caseworkers",
    higher_is_better: bool | None = None,
) -> Figure:
    """A metric against staffing per policy, with the target and where it is first met.

    Args:
        summary: ``summary.csv`` of a sweep.
        metric: a summary metric, in its own units (rates as fractions).
        target: the target value (same units), or None for no target.
        policy_col: column whose values are series; None: one series.
        staff_col: the staffing column (x axis).
        higher_is_better: whether meeting means ≥ target; None: inferred from the name
            (``rate`` or ``share`` in it: higher is better; otherwise lower is better).

    Returns:
        The figure; ``fig.officeq_meets`` maps each policy to the smallest staffing whose
        mean meets the target (None if none does, and ``{}`` without a target).
    """
    if higher_is_better is None:
        higher_is_better = metric_higher_is_better(metric)
    series = series_by(summary, [metric], policy_col, staff_col)
    styles = scenario_styles(list(series))
    scale = 100.0 if is_fraction(metric) else 1.0
    fig, axes = new_figure(size=(9, 5.5))
    ax = axes[0, 0]
    meets: dict[str, Any] = {}
    for i, (name, s) in enumerate(series.items()):
        st, x = styles[name], s[staff_col]
        ax.plot(x, scale * s[metric], label=name, **st, gid=name)
        cap = 100.0 if scale == 100 else None
        lo, hi = ((scale * s[f"{metric}_{e}"]).clip(0, cap) for e in ("low", "high"))
        ax.fill_between(x, lo, hi, color=st["color"], alpha=0.2, lw=0)
        if target is None:
            continue
        ok = s[metric] >= target if higher_is_better else s[metric] <= target
        meets[name] = plain(x[ok].iloc[0]) if ok.any() else None
        if meets[name] is not None:
            y = scale * s.loc[ok, metric].iloc[0]
            ax.scatter(
                [meets[name]],
                [y],
                s=260,
                marker="*",
                color=st["color"],
                zorder=5,
                edgecolor="black",
                gid=f"meets:{name}",
            )
            ax.annotate(
                f"meets at {meets[name]}",
                (meets[name], y),
                xytext=(8, -14 - 12 * i),
                textcoords="offset points",
                size=9,
            )
    if target is not None:
        rel = "≥" if higher_is_better else "≤"
        ax.axhline(
            scale * target,
            color="0.3",
            ls="--",
            lw=1,
            label=f"target {rel} {fmt_target(target, scale)}",
        )
    ax.set_xlabel(column_label(staff_col))
    ax.set_ylabel(metric_label(metric))
    ax.set_xticks(sorted({v for s in series.values() for v in s[staff_col]}))
    goal = "; star: fewest caseworkers meeting the target" if target is not None else ""
    name = metric_label(metric).split(" (")[0]
    ax.set_title(f"{name[0].upper()}{name[1:]} against staffing\n(mean, 95% CI{goal})")
    ax.legend(title=column_label(policy_col) if policy_col else None)
    fig.officeq_meets = meets  # type: ignore[attr-defined]
    return fig


@styled
def heatmap(summary: pd.DataFrame, x: str, y: str, metric: str) -> Figure:
    """A metric's mean over two swept columns, annotated with the values.

    Args:
        summary: ``summary.csv`` of a sweep.
        x: swept column along the horizontal axis.
        y: swept column along the vertical axis.
        metric: summary metric (rates drawn as %).

    Raises:
        ValueError: ``x``, ``y`` or ``metric`` is missing, or the cells are not a full grid
            with one scenario each.
    """
    import seaborn as sns

    for c in (x, y):
        if c not in summary.columns:
            raise ValueError(f"heatmap: {c!r} is not a column; swept: {swept_columns(summary)}")
    sub = summary[summary["metric"] == metric]
    if sub.empty:
        raise ValueError(f"heatmap: metric {metric!r} is not in the summary table")
    counts = sub.groupby([y, x]).size()
    if (counts > 1).any():
        other = [c for c in swept_columns(summary) if c not in (x, y)]
        raise ValueError(
            f"heatmap: not a full grid of {x} × {y}: cells hold several "
            f"scenarios (also swept: {other}); filter the table first"
        )
    scale = 100.0 if is_fraction(metric) else 1.0
    grid = (scale * sub.set_index([y, x])["mean"]).unstack(x)
    if grid.isna().to_numpy().any():
        missing = [f"{x}={c}, {y}={r}" for r in grid.index for c in grid if pd.isna(grid.at[r, c])]
        raise ValueError(f"heatmap: not a full grid of {x} × {y}; missing {missing}")
    grid = grid.sort_index(ascending=False)
    fig, axes = new_figure(size=(1.6 * grid.shape[1] + 4, 0.9 * grid.shape[0] + 3))
    ax = axes[0, 0]
    fmt = ".1f" if scale == 100 or grid.abs().max().max() < 100 else ".0f"
    cmap = "mako" if metric_higher_is_better(metric) else "mako_r"
    sns.heatmap(
        grid,
        ax=ax,
        annot=True,
        fmt=fmt,
        cmap=cmap,
        linewidths=0.5,
        cbar_kws={"label": metric_label(metric)},
    )
    ax.set_xlabel(column_label(x))
    ax.set_ylabel(column_label(y))
    name = metric_label(metric).split(" (")[0]
    ax.set_title(f"{name[0].upper()}{name[1:]}: mean over replications (dark: worse)")
    return fig


@styled
def scorecard(daily: pd.DataFrame, target: float = 0.9) -> Figure:
    """Monthly 48-hour SLA hit rate per scenario: the month-to-month noise a target meets.

    Hit rate per run and month = answered on time ÷ answered (warm-up days excluded); then
    the mean and 95% band over replications. Unlike ``monthly.csv``, inquiries still open
    at the end are not counted.

    Args:
        daily: ``daily.parquet`` of a sweep, or one run's ``daily.csv``.
        target: the hit-rate target as a fraction.
    """
    d = with_run_keys(daily)
    if "warmup" in d.columns:
        d = d[~d["warmup"].astype(bool)]
    d = d.assign(month=pd.to_datetime(d["date"]).dt.strftime("%Y-%m"))
    cols = ["inquiries_answered_on_time", "inquiries_answered"]
    per_run = d.groupby(["scenario", "replication", "month"], as_index=False)[cols].sum()
    per_run["rate"] = 100 * per_run[cols[0]] / per_run[cols[1]].where(per_run[cols[1]] > 0)
    band = t_band(per_run, ["scenario", "month"], ["rate"])
    months = sorted(band["month"].unique())
    band["pos"] = band["month"].map({m: i for i, m in enumerate(months)})
    names = scenario_order(d)
    what = f"by {compared(d)}" if "scenario" in daily.columns else "of one run"
    fig, axes = new_figure(size=(10, 5.5))
    ax = axes[0, 0]
    draw_lines(ax, band, "pos", "rate", scenario_styles(names), short_labels(d, names), 100.0)
    ax.axhline(100 * target, color="0.3", ls="--", lw=1, label=f"target {target:.0%}")
    ax.set_xticks(range(len(months)), months, rotation=45 if len(months) > 8 else 0)
    ax.set_xlabel("calendar month (measured days only)")
    ax.set_ylabel("48-hour SLA hit rate (%)")
    ax.set_title(
        f"Monthly 48-hour SLA hit rate {what} against the "
        f"{target:.0%} target\n({replications_note(d)}; partial months at the ends)"
    )
    ax.legend(loc="best", fontsize=8)
    return fig


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
    panels = [
        ("inquiries_waiting", "inquiries waiting\n(count, end of day)"),
        ("income_support_waiting", "applications waiting\n(count, end of day)"),
        ("followup_overdue", "overdue users\n(count, end of day)"),
    ]
    fig, axes = new_figure(3, 1, (10, 7.5), sharex=True)
    colours = scenario_palette([p for p, _ in panels])
    for ax, (col, label) in zip(axes[:, 0], panels, strict=True):
        shade_warmup(ax, daily)
        ax.plot(daily["day"], daily[col], color=colours[col], lw=1.2)
        ax.set_ylabel(label)
        ax.set_ylim(bottom=0)
    axes[-1, 0].set_xlabel("simulated day")
    fig.suptitle("One run: queues at the end of each day (grey: warm-up, not measured)")
    return fig
