"""Figures a planner reads, from the tidy result tables.

Every function takes a table of a sweep (``daily.parquet``, ``summary.csv``) or of one run
(``daily.csv``) and returns a :class:`matplotlib.figure.Figure`; nothing runs the model,
reads or writes files, or touches pyplot's global state. Means over replications carry
95% Student-t intervals, drawn clipped to the metric's range (no negative counts, no rate
above 100%). The same scenario (or policy) gets the same colour, line style and
marker in every figure, so the figures also read in greyscale.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from officeq.figures.common import (
    column_label,
    fmt_target,
    is_fraction,
    metric_higher_is_better,
    metric_label,
    new_figure,
    plain,
    scenario_palette,
    scenario_styles,
    series_by,
    series_words,
    styled,
    swept_columns,
)
from officeq.figures.labels import place_labels
from officeq.figures.timeseries import backlog, run_overview, scorecard

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
def frontier(
    summary: pd.DataFrame, policy_col: str | None, staff_col: str = "staff_caseworkers"
) -> Figure:
    """The trade-off: 48-hour SLA hit rate against the follow-up backlog, per scenario.

    Args:
        summary: ``summary.csv`` of a sweep.
        policy_col: column whose values are series (e.g. ``policy_name``); None: one series.
        staff_col: the staffing column; a policy's points are joined in this order.

    Returns:
        A figure with one joined line per policy, 95% CI bars on both axes, and the
        points labelled with their number of caseworkers where a label overlaps nothing
        (the title counts those left out).
    """
    series = series_by(summary, [BACKLOG, SLA], policy_col, staff_col)
    styles = scenario_styles(list(series))
    fig, axes = new_figure(size=(10, 6))
    ax = axes[0, 0]
    points: list[tuple[Any, ...]] = []
    for name, s in series.items():
        x, y = s[BACKLOG], 100 * s[SLA]
        xerr = [x - s[f"{BACKLOG}_low"].clip(0), s[f"{BACKLOG}_high"] - x]  # CIs clipped
        yerr = [y - 100 * s[f"{SLA}_low"].clip(0), (100 * s[f"{SLA}_high"]).clip(0, 100) - y]
        st = styles[name]
        ax.errorbar(x, y, yerr=yerr, xerr=xerr, fmt="none", ecolor=st["color"], alpha=0.5)
        ax.plot(x, y, label=series_words(policy_col, name), ms=7, **st, gid=name)
        names = [f"{plain(n)}" for n in s[staff_col]]
        own = list(zip(x, y, names, [st["color"]] * len(s), strict=True))
        # the ends of each line first: they say where the staffing range starts and stops
        points += [*own[:1], *own[-1:], *own[1:-1]] if len(own) > 1 else own
    ax.set_xlabel("follow-up backlog, mean overdue users")
    ax.set_ylabel("48-hour SLA hit rate (%)")
    by = f"{column_label(policy_col).split(' (')[0]} and staffing" if policy_col else "staffing"
    if policy_col:  # outside the axes: it never covers a point
        ax.legend(
            title=column_label(policy_col),
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            borderaxespad=0,
        )
    title = f"48-hour SLA hit rate against follow-up backlog, by {by}"
    ax.set_title(f"{title}\n(numbers: caseworkers; bars: 95% CI; up and left is better)")
    _, skipped = place_labels(ax, points)
    if skipped:
        ax.set_title(
            f"{title}\n(numbers: caseworkers, {skipped} of {len(points)} left out where points "
            "bunch; bars: 95% CI; up and left is better)"
        )
    return fig


@styled
def staffing(
    summary: pd.DataFrame,
    metric: str,
    target: float | None,
    policy_col: str | None,
    staff_col: str = "staff_caseworkers",
    higher_is_better: bool | None = None,
    answer: dict[str, int | None] | None = None,
    rule: str | None = None,
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
        answer: policy → the staffing advisor's answer (``officeq staff``): the stars mark
            it instead of where the mean first meets ``target``.
        rule: how ``answer`` was decided, for the title.

    Returns:
        The figure; ``fig.officeq_meets`` maps each policy to the starred staffing: the
        advisor's ``answer``, else the smallest staffing whose mean meets the target (None
        if none does, and ``{}`` without a target or answer).
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
        ax.plot(x, scale * s[metric], label=series_words(policy_col, name), **st, gid=name)
        cap = 100.0 if scale == 100 else None
        lo, hi = ((scale * s[f"{metric}_{e}"]).clip(0, cap) for e in ("low", "high"))
        ax.fill_between(x, lo, hi, color=st["color"], alpha=0.2, lw=0)
        if answer is not None:
            meets[name] = answer.get(name)
            ok = x == meets[name]
        elif target is not None:
            ok = s[metric] >= target if higher_is_better else s[metric] <= target
            meets[name] = plain(x[ok].iloc[0]) if ok.any() else None
        else:
            continue
        if meets[name] is not None and ok.any():
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
                f"{'advisor: ' if answer is not None else 'meets at '}{meets[name]}"
                + (f" ({name})" if len(series) > 1 else ""),
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
    if answer is not None:
        goal = f"\nstar: the advisor's answer, {rule or 'every target met'}"
    elif target is not None:
        goal = "\nstar: fewest caseworkers whose mean meets this target (means only, no bounds)"
    else:
        goal = ""
    name = metric_label(metric).split(" (")[0]
    ax.set_title(f"{name[0].upper()}{name[1:]} against staffing (mean, 95% CI){goal}")
    ax.legend(
        title=column_label(policy_col) if policy_col else None,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0,
    )
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
    fmt = ".1f" if scale == 100 or grid.abs().max().max() < 100 else ".0f"
    # sized to the grid: a cell fits its number and the widest column value, plus room
    # for the axis labels, the colour bar and the title
    longest = max(len(format(float(v), fmt)) for v in grid.to_numpy().ravel())
    widest = max(longest, *(len(str(c)) for c in grid.columns))
    cell_w = max(0.5, 0.09 * widest + 0.15)
    ylabels = max(len(str(r)) for r in grid.index)
    width = max(6.5, cell_w * grid.shape[1] + 0.08 * ylabels + 2.6)
    height = 0.42 * grid.shape[0] + 2.4
    fig, axes = new_figure(size=(round(4 * width) / 4, round(4 * height) / 4))  # whole pixels
    ax = axes[0, 0]
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
    ax.set_title(f"{name[0].upper()}{name[1:]}\n(mean over replications; dark: worse)")
    return fig
