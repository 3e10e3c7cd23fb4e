"""What a sweep found, in plain words, each statement from the numbers.

The headline answers the planner's question: with targets (the spec's
``targets:`` or ``officeq report --target``) and staffing swept, the fewest
caseworkers meeting every target by the staffing advisor's rule (each
target's one-sided 95% bound on the right side), per value of the other
swept columns; without targets, what the swept range does to the two
headline metrics. Findings are effects of one swept column, each a paired
difference over replications (common random numbers: replication *r* of
every scenario saw the same arrivals), averaged over the other swept
columns, with its 95% Student-t interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from officeq.experiments.advisor import Level, TargetSpec, parse_target
from officeq.validation.stats import t_interval

STAFF = "staff_caseworkers"
KEY_METRICS = ("inquiry_sla_hit_rate", "followup_backlog_mean")
WORDS = {
    # metric: (words, a share drawn in points, higher is better)
    "inquiry_sla_hit_rate": ("the 48-hour hit rate", True, True),
    "followup_backlog_mean": ("the users overdue for follow-up", False, False),
    "followup_backlog_end": ("the users overdue at the end", False, False),
    "income_support_on_time_rate": ("the decisions on time", True, True),
    "income_support_decision_days_mean": ("the mean decision time (days)", False, False),
    "caseworker_utilization": ("utilisation", True, None),
    "inquiry_wait_hours_mean": ("the mean inquiry wait (hours)", False, False),
    "exits_to_work": ("the exits to work", False, True),
    "overtime_hours": ("the overtime hours", False, False),
}


@dataclass(frozen=True)
class Effect:
    """The paired difference of ``metric`` between two values of one swept column."""

    column: str
    path: str
    start: Any
    end: Any
    metric: str
    difference: float
    low: float
    high: float
    n: int
    over: str
    """What the difference is averaged over (the other swept columns), in words."""

    @property
    def clear(self) -> bool:
        return self.n >= 2 and (self.low > 0 or self.high < 0)


def _digits(v: float) -> str:
    """One decimal, two below 0.1 (so a small difference does not read as 0.0)."""
    return f"{v:.2f}" if 0 < abs(v) < 0.095 else f"{v:.1f}"


def amount(metric: str, value: float, signed: bool = False) -> str:
    """A metric's value or difference in its unit: points for shares, counts otherwise."""
    share = WORDS.get(metric, ("", "rate" in metric or "share" in metric, None))[1]
    v = 100 * value if share else value
    text = _digits(abs(v))
    if signed:
        text = ("−" if v < 0 else "+") + text
    return f"{text} points" if share else text


def level_text(metric: str, value: float) -> str:
    share = WORDS.get(metric, ("", "rate" in metric, None))[1]
    return f"{100 * value:.1f}%" if share else f"{value:,.1f}"


def plural(words: str) -> bool:
    return words.startswith(("the users", "the exits", "the decisions", "the overtime"))


def change_words(e: Effect) -> str:
    """``the 48-hour hit rate rises by 12.3 points (95% CI +11.0 to +13.6)``."""
    words = WORDS.get(e.metric, (e.metric.replace("_", " "), False, None))[0]
    many = plural(words)
    low, high = amount(e.metric, e.low, True), amount(e.metric, e.high, True)
    ci = f"95% CI {low.removesuffix(' points')} to {high.removesuffix(' points')}"
    if e.n >= 2 and e.low == e.high == e.difference == 0:
        return f"{words} {'are' if many else 'is'} the same in every replication"
    if not e.clear:
        verb = "do" if many else "does"
        return f"{words} {verb} not change clearly ({amount(e.metric, e.difference, True)}; {ci})"
    up = e.difference > 0
    verb = ("rise" if up else "fall") if many else ("rises" if up else "falls")
    return f"{words} {verb} by {amount(e.metric, e.difference)} ({ci})"


def values_of(runs: pd.DataFrame, column: str, grid: dict[str, list[Any]]) -> list[Any]:
    """A swept column's values in spec order (the grid's, else as they first appear)."""
    present = list(dict.fromkeys(runs[column].dropna()))
    for path, values in grid.items():
        if path.replace(".", "_") == column:
            ordered = [v for v in values if v in present]
            return ordered + [v for v in present if v not in ordered]
    return present


def path_of(column: str, grid: dict[str, list[Any]]) -> str:
    for path in grid:
        if path.replace(".", "_") == column:
            return path
    return column


def effect(
    runs: pd.DataFrame,
    column: str,
    start: Any,
    end: Any,
    metric: str,
    others: Sequence[str],
    grid: dict[str, list[Any]],
) -> Effect:
    """Paired difference ``metric(column=end) − metric(column=start)`` per replication,
    averaged over the combinations of ``others`` both values share."""
    keys = [*others, "replication"]
    a = runs[runs[column] == start].set_index(keys)[metric]
    b = runs[runs[column] == end].set_index(keys)[metric]
    d = (pd.to_numeric(b, errors="coerce") - pd.to_numeric(a, errors="coerce")).dropna()
    per_rep = d.groupby(level="replication").mean().to_numpy(dtype=float)
    ci = t_interval(per_rep, 0.95)
    combos = len(d.index.droplevel("replication").unique()) if others else 1
    over = ""
    if others and combos > 1:
        names = " and ".join(_over_words(o) for o in others)
        over = (
            f"averaged over {combos} combinations of {names}"
            if len(others) > 1
            else (f"averaged over {combos} {names}")
        )
    return Effect(
        column, path_of(column, grid), start, end, metric, ci.mean, ci.low, ci.high, ci.n, over
    )


def _over_words(column: str) -> str:
    return {
        STAFF: "staffing levels",
        "policy_name": "policies",
        "variant": "named scenarios",
    }.get(column, column.replace("_", " ") + " values")


def parse_targets(texts: Sequence[str], groups: Sequence[str]) -> list[TargetSpec]:
    """Targets as the advisor reads them; ValueError names a bad one."""
    return [parse_target(t, groups) for t in texts]


def target_words(t: TargetSpec) -> str:
    words = WORDS.get(t.metric, (t.metric.replace("_", " "), "rate" in t.metric, None))
    value = f"{100 * t.value:g}%" if words[1] else f"{t.value:g}"
    side = "at least" if t.op == ">=" else "at most"
    return f"{words[0].removeprefix('the ')} {side} {value}"


def fewest_meeting(
    runs: pd.DataFrame, targets: Sequence[TargetSpec], where: dict[str, Any]
) -> tuple[int | None, list[int]]:
    """The fewest swept caseworkers meeting every target by the advisor's rule, among
    the runs matching ``where``; and the staffing levels looked at."""
    table = runs
    for c, v in where.items():
        table = table[table[c] == v]
    levels = sorted(int(c) for c in table[STAFF].dropna().unique())
    for c in levels:
        rows = table[table[STAFF] == c]
        level = Level(c, {t.metric: list(pd.to_numeric(rows[t.metric])) for t in targets})
        if level.verdict(targets, 0.95) is True:
            return c, levels
    return None, levels


def headline_effects(
    runs: pd.DataFrame, columns: Sequence[str], grid: dict[str, list[Any]]
) -> list[list[Effect]]:
    """Per swept column, its effect on the key metrics: first to last value for
    numbers, the first value against each other one for names."""
    out = []
    for c in columns:
        values = values_of(runs, c, grid)
        if len(values) < 2:
            continue
        others = [o for o in columns if o != c]
        numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        ends = [(values[0], values[-1])] if numeric else [(values[0], v) for v in values[1:]]
        for start, end in ends:
            metrics = [m for m in KEY_METRICS if m in runs.columns]
            out.append([effect(runs, c, start, end, m, others, grid) for m in metrics])
    return out


def spread_by_staff(
    runs: pd.DataFrame, column: str, start: Any, end: Any, metric: str, grid: dict
) -> tuple[Effect, Effect] | None:
    """The effect of ``column`` (start → end) at the lowest and at the highest staffing."""
    if STAFF not in runs.columns or column == STAFF:
        return None
    levels = sorted(runs[STAFF].dropna().unique())
    if len(levels) < 2:
        return None
    swept = [p.replace(".", "_") for p in grid if p.replace(".", "_") in runs.columns]
    rest = [c for c in swept if c not in (column, STAFF)]
    low, high = (
        effect(runs[runs[STAFF] == lvl], column, start, end, metric, rest, grid)
        for lvl in (levels[0], levels[-1])
    )
    return low, high
