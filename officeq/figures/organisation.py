"""Figures of the organisation: own caseloads and what happens when a caseworker is away.

- :func:`caseworkers`: one run's follow-up backlog, caseworker by caseworker
  (``caseworkers.csv``), against the days each was absent or under a directive;
- :func:`spread`: per scenario of a sweep, the backlog per caseworker on average
  against the largest own backlog (``runs.parquet``);
- :func:`gaps`: per scenario of a sweep, the days between sessions of users whose
  caseworker was away during the gap against the others (``summary.csv``).

Like :mod:`officeq.figures.plots`, every function takes tidy tables and returns a
:class:`matplotlib.figure.Figure`; nothing runs the model or reads files.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from officeq.config.loading import apply_overrides
from officeq.experiments.spec import CONFIG_KEY, column_name
from officeq.figures.common import (
    legend_outside,
    new_figure,
    replications_note,
    scenario_order,
    scenario_palette,
    short_labels,
    styled,
    t_band,
    wide_summary,
)

__all__ = [
    "CASEWORKER_COLUMNS",
    "KINDS",
    "caseworkers",
    "caseworkers_per_run",
    "gap_groups",
    "gaps",
    "spread",
]

KINDS = ("caseworkers", "spread", "gaps")
BACKLOG = "followup_backlog_mean"
LARGEST = "followup_backlog_max_caseworker_mean"
GAP = "followup_gap_days_mean_owner_"
STAFF = "staff_caseworkers"
DEFAULT_GROUP = "specially_adapted"
ALL_USERS = "all"
CASEWORKER_COLUMNS = ("caseworker", "backlog_user_days", "days_absent", "days_directed")
"""The columns of ``caseworkers.csv`` that :func:`caseworkers` reads."""


def own_backlog(table: pd.DataFrame, measured_days: float) -> pd.DataFrame:
    """Per caseworker, largest first: ``backlog`` (mean overdue own users over the measured
    days), ``days_away`` (absent or under a directive) and ``away`` (any such day)."""
    t = table.assign(
        backlog=table["backlog_user_days"] / measured_days,
        days_away=table["days_absent"] + table["days_directed"],
    )
    t["away"] = t["days_away"] > 0
    return t.sort_values(["backlog", "caseworker"], ascending=[False, True], kind="stable")


def _headline(backlog: pd.Series) -> str:
    largest, smallest = backlog.max(), backlog.min()
    if not largest > 0:
        return "No caseworker has overdue own users"
    if smallest > 0:
        return f"Largest own backlog is {largest / smallest:.1f}× the smallest"
    return f"Largest own backlog is {largest:.1f} overdue users; the smallest is none"


@styled
def caseworkers(table: pd.DataFrame, measured_days: float) -> Figure:
    """One run's follow-up backlog per caseworker, and the days each was away.

    Args:
        table: one run's ``caseworkers.csv`` (own caseloads: ``backlog_user_days`` filled).
        measured_days: the days after the warm-up (``backlog_user_days`` sums over them).

    Returns:
        A figure of two panels sharing the caseworkers, sorted by backlog, largest first:
        one bar per caseworker (mean overdue own users; hatched when the caseworker was
        absent or under a directive on some measured day) with the office mean per
        caseworker as a line, and below, each one's days absent and under a directive.
    """
    t = own_backlog(table, measured_days)
    colours = scenario_palette(["present", "away", "absent", "directed"])
    fig, axes = new_figure(
        2, 1, (max(8.0, 0.45 * len(t) + 3), 7), sharex=True, height_ratios=[3, 1.3]
    )
    ax, low = axes[0, 0], axes[1, 0]
    pos = np.arange(len(t))
    for away, name in ((False, "never away"), (True, "away on some day")):
        sel = (t["away"] == away).to_numpy()
        if sel.any():
            label = f"{name} ({sel.sum()}: mean {t['backlog'][sel].mean():.1f})"
            ax.bar(
                pos[sel],
                t["backlog"][sel],
                color=colours["away" if away else "present"],
                hatch="//" if away else None,
                edgecolor="white",
                label=label,
                gid="away" if away else "present",
            )
    office = float(t["backlog"].mean())
    ax.axhline(
        office, color="0.3", ls="--", lw=1, label=f"office mean per caseworker ({office:.1f})"
    )
    ax.set_ylabel("overdue own users\n(mean over measured days)")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(
        f"{_headline(t['backlog'])}\n(follow-up backlog per caseworker over "
        f"{measured_days:g} measured days; away: absent or under a directive)"
    )
    absent, directed = t["days_absent"].to_numpy(), t["days_directed"].to_numpy()
    low.bar(pos, absent, color=colours["absent"], label="absent")
    low.bar(pos, directed, bottom=absent, color=colours["directed"], hatch="..", label="directed")
    low.set_ylabel("days away\n(measured days)")
    low.set_xlabel("caseworker (sorted by own backlog, largest first)")
    low.set_xticks(pos, [str(c) for c in t["caseworker"]])
    low.legend(loc="upper right", fontsize=8)
    return fig


def caseworkers_per_run(runs: pd.DataFrame, spec: Mapping[str, Any] | None) -> pd.Series:
    """Each run's number of caseworkers: the swept column, else its scenario's config.

    Args:
        runs: ``runs.parquet`` of a sweep.
        spec: ``spec.resolved.yaml`` (its ``base_config``, named ``scenarios`` with any
            ``scenario_configs``, and ``grid``), used when staffing was not swept.

    Raises:
        ValueError: neither the runs nor the spec give the number.
    """
    if STAFF in runs.columns:
        return runs[STAFF].astype(float)
    spec = spec or {}
    base = spec.get("base_config") or {}
    bases = spec.get("scenario_configs") or {}
    named = spec.get("scenarios") or {}
    grid = [p for p in spec.get("grid") or {} if column_name(p) in runs.columns]
    counts: dict[Any, float] = {}
    for _, row in runs.drop_duplicates("scenario_id").iterrows():
        variant = row.get("variant")
        overrides = named.get(variant) or {}
        pairs = [(k, v) for k, v in overrides.items() if k != CONFIG_KEY]
        pairs += [(p, row[column_name(p)]) for p in grid]
        start = bases.get(variant, base)
        n = (apply_overrides(start, pairs, "spec").get("staff") or {}).get("caseworkers")
        n = n if n is not None else (start.get("staff") or {}).get("caseworkers")
        if n is None:
            raise ValueError(f"no number of caseworkers for scenario {row['scenario']!r}")
        counts[row["scenario_id"]] = float(n)
    return runs["scenario_id"].map(counts).astype(float)


@styled
def spread(runs: pd.DataFrame, staff: pd.Series) -> Figure:
    """Per scenario: the follow-up backlog per caseworker against the largest own backlog.

    Args:
        runs: ``runs.parquet`` of a sweep (``followup_backlog_mean`` and
            ``followup_backlog_max_caseworker_mean`` per replication).
        staff: the number of caseworkers of each run (aligned with ``runs``).

    Returns:
        A dumbbell per scenario, 95% Student-t intervals over the replications: the
        backlog ÷ caseworkers (unassigned users included), and the mean over days of the
        largest caseworker's own backlog. A pooled office has no owners: it shows the
        first point only. Points carry the gids ``mean:<scenario>``, ``largest:<scenario>``.
    """
    per_run = runs.assign(
        per_caseworker=runs[BACKLOG] / staff.to_numpy(),
        largest=runs[LARGEST].astype(float),
    )
    band = t_band(per_run, ["scenario"], ["per_caseworker", "largest"]).set_index("scenario")
    names = scenario_order(runs)
    labels = short_labels(runs, names)
    colours = scenario_palette(["mean", "largest"])
    fig, axes = new_figure(size=(9, 1.0 + 0.55 * len(names) + 2.5))
    ax = axes[0, 0]
    ratios = []
    for y, name in enumerate(names):
        b = band.loc[name]
        mean, largest = b["per_caseworker"], b["largest"]
        if pd.notna(largest):
            ax.plot([mean, largest], [y, y], color="0.6", lw=2, zorder=1)
            if mean > 0:
                ratios.append(largest / mean)
        points = [("mean", "per_caseworker", "o"), ("largest", "largest", "D")]
        for key, col, marker in points:
            if pd.isna(b[col]):
                continue
            err = [[b[col] - max(b[f"{col}_low"], 0)], [b[f"{col}_high"] - b[col]]]
            ax.errorbar([b[col]], [y], xerr=np.nan_to_num(err), fmt="none", ecolor="0.3")
            ax.plot([b[col]], [y], marker, color=colours[key], ms=8, zorder=3, gid=f"{key}:{name}")
        if pd.isna(largest):
            right = max(mean, b["per_caseworker_high"]) if pd.notna(mean) else 0
            ax.annotate(
                "pooled: no owners", (right, y), xytext=(8, -4), textcoords="offset points", size=9
            )
    ax.plot([], [], "o", color=colours["mean"], label="backlog ÷ caseworkers (office average)")
    ax.plot([], [], "D", color=colours["largest"], label="largest own backlog (mean over days)")
    ax.set_yticks(range(len(names)), [labels[n] for n in names])
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.set_xlabel("overdue follow-up users per caseworker (mean over measured days)")
    legend_outside(ax, fontsize=8)
    head = "Follow-up backlog per caseworker: the office average against the largest own backlog"
    if ratios:
        lo, hi = min(ratios), max(ratios)
        spread_ = f"{lo:.1f}×" if round(lo, 1) == round(hi, 1) else f"{lo:.1f}–{hi:.1f}×"
        head = f"The largest own backlog is {spread_} the office average per caseworker"
    ax.set_title(f"{head}\n({replications_note(runs)})")
    return fig


def gap_groups(summary: pd.DataFrame) -> list[str]:
    """The need groups with gap metrics in a sweep's ``summary.csv``."""
    prefix = f"{GAP}away_"
    metrics = pd.unique(summary["metric"])
    return [str(m).removeprefix(prefix) for m in metrics if str(m).startswith(prefix)]


def _gap_metrics(group: str) -> tuple[str, str]:
    suffix = "" if group == ALL_USERS else f"_{group}"
    return f"{GAP}away{suffix}", f"{GAP}present{suffix}"


@styled
def gaps(summary: pd.DataFrame, group: str = DEFAULT_GROUP) -> Figure:
    """Days between follow-up sessions when the user's caseworker was away, per scenario.

    Args:
        summary: ``summary.csv`` of a sweep.
        group: a need group (``standard``, ``specially_adapted``, ...), or ``all``.

    Returns:
        Two bars per scenario with 95% intervals: the mean days between sessions of users
        whose caseworker was absent or under a directive during the gap, and of the others.
        Scenarios without both values (a pooled office, or no such gaps) are left out and
        named in the title.

    Raises:
        ValueError: an unknown group, or no scenario has both values.
    """
    groups = gap_groups(summary)
    if group != ALL_USERS and group not in groups:
        known = ", ".join([*groups, ALL_USERS]) if groups else "none: made before own caseloads"
        raise ValueError(f"need group {group!r} has no gap metrics (groups: {known})")
    away, present = _gap_metrics(group)
    owners = [LARGEST] if LARGEST in set(summary["metric"]) else []
    wide = wide_summary(summary, [away, present, *owners])
    if not owners:
        wide[LARGEST] = np.nan
    ok = wide[away].notna() & wide[present].notna()
    if not ok.any():
        raise ValueError(
            f"no scenario has gaps between sessions with the caseworker away and present "
            f"({'all users' if group == ALL_USERS else group}): they need own caseloads "
            "(work.followup.assignment: own)"
        )
    shown, skipped = wide[ok], wide[~ok]
    names = list(shown["scenario"])
    labels = short_labels(summary, names)
    colours = scenario_palette(["away", "present"])
    fig, axes = new_figure(size=(9.0, max(4.0, 0.55 * len(names) + 2)))
    ax = axes[0, 0]
    pos, height = np.arange(len(names))[::-1], 0.38  # the first scenario on top
    bars = (
        (away, "away", height / 2, "caseworker absent or under a directive", "//"),
        (present, "present", -height / 2, "caseworker present", None),
    )
    top = 0.0
    for metric, key, offset, label, hatch in bars:
        mean = shown[metric].to_numpy(float)
        low = np.nan_to_num(mean - shown[f"{metric}_low"].clip(lower=0).to_numpy(float))
        high = np.nan_to_num(shown[f"{metric}_high"].to_numpy(float) - mean)
        drawn = ax.barh(
            pos + offset,
            mean,
            height,
            xerr=[low, high],
            capsize=3,
            color=colours[key],
            hatch=hatch,
            edgecolor="white",
            label=label,
            gid=key,
        )
        ax.bar_label(drawn, fmt="%.1f", padding=6, fontsize=8)
        top = max(top, float(np.nanmax(mean + high)))
    ax.set_yticks(pos, [labels[n] for n in names])
    ax.set_xlabel("days between follow-up sessions (mean)")
    ax.set_xlim(0, 1.25 * top)
    legend_outside(ax, fontsize=8)
    who = "all users" if group == ALL_USERS else f"{group.replace('_', ' ')} users"
    n = summary[(summary["metric"] == away) & summary["scenario"].isin(names)]["n"]
    runs = f"{n.min():g}" if n.min() == n.max() else f"{n.min():g}–{n.max():g}"
    note = f"mean of {runs} replications, 95% CI"
    if not skipped.empty:
        pooled = int(skipped[LARGEST].isna().sum())
        other = len(skipped) - pooled
        parts = [f"{pooled} pooled (no owners)"] if pooled else []
        parts += [f"{other} with no such gaps"] if other else []
        note += "; not shown: " + ", ".join(parts)
    ax.set_title(
        f"Days between follow-up sessions of {who}: caseworker away against present\n"
        + "\n".join(textwrap.wrap(f"({note})", 100))
    )
    return fig
