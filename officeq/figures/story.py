"""The report's first screen in words: the headline and the findings that matter.

Every sentence is computed from a results folder's tables by
:mod:`officeq.figures.findings`; nothing is written by hand. The order is the
planner's: the answer (the fewest caseworkers that meet the targets, or what
the swept range does), then the effect of each lever with its paired
difference, then where the effect is largest, then who waits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from officeq.experiments.advisor import TargetSpec
from officeq.experiments.folders import Results
from officeq.experiments.labels import phrase
from officeq.figures.common import swept_columns
from officeq.figures.findings import (
    STAFF,
    WORDS,
    Effect,
    change_words,
    fewest_meeting,
    headline_effects,
    level_text,
    path_of,
    plural,
    spread_by_staff,
    target_words,
    values_of,
)


@dataclass(frozen=True)
class Story:
    headline: str
    findings: list[str]
    effects: list[Effect] = field(default_factory=list)
    """Every effect computed (the report's details table)."""


def _join(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def story(results: Results, targets: Sequence[TargetSpec] = ()) -> Story:
    """The headline and the findings of a results folder."""
    if results.kind == "run":
        return _run_story(results)
    spec = results.spec or {}
    if spec.get("advisor"):
        return _advisor_story(results, targets)
    runs = results.runs
    if runs is None or runs.empty:
        return Story("The results hold no runs.", [])
    grid = results.grid
    labels = dict(spec.get("labels") or {})
    columns = swept_columns(runs, grid or None)
    effects = headline_effects(runs, columns, grid)
    flat = [e for group in effects for e in group]
    staffing = [g for g in effects if g[0].column == STAFF]
    levers = sorted((g for g in effects if g[0].column != STAFF), key=_weight, reverse=True)
    lines = [_effect_line(group, labels) for group in [*staffing, *levers]]
    if targets and STAFF in columns:
        head = _staffing_answer(runs, columns, targets, labels, grid)
    elif lines:
        head = lines.pop(0)
    else:
        head = _best(results)
    findings = lines[:3]
    spread = _spread(runs, columns, grid, labels)
    if spread:
        findings = [*findings[:2], spread]
    who = _who_waits(results, labels)
    if who:
        findings.append(who)
    return Story(head, findings[:4], flat)


def _weight(group: list[Effect]) -> tuple[int, float]:
    """Clear effects first, then the larger ones (in units of their interval)."""
    sizes = [abs(e.difference) / max(e.high - e.low, 1e-12) for e in group if e.clear]
    return len(sizes), max(sizes, default=0.0)


def _effect_line(group: list[Effect], labels: dict[str, Any]) -> str:
    e = group[0]
    start, end = phrase(e.path, e.start, labels), phrase(e.path, e.end, labels)
    if e.column == STAFF:
        start = str(e.start)  # "from 13 to 21 caseworkers"
    lead = f"going from {start} to {end}" if e.column == STAFF else f"with {end} instead of {start}"
    changes = _join([change_words(x) for x in group])
    over = f", {e.over}" if e.over else ""
    return _sentence(f"{lead}, {changes}{over}")


def _staffing_answer(
    runs: pd.DataFrame,
    columns: list[str],
    targets: Sequence[TargetSpec],
    labels: dict,
    grid: dict[str, list[Any]],
) -> str:
    """The fewest caseworkers meeting every target, per value of the other swept columns;
    where none does, how far the best level swept falls short."""
    others = [c for c in columns if c != STAFF]
    keys = runs[others].drop_duplicates().itertuples(index=False, name=None) if others else [()]
    answers: dict[int | None, list[str]] = {}
    short: dict[str, list[str]] = {}
    for key in keys:
        where = dict(zip(others, key, strict=True))
        c, levels = fewest_meeting(runs, targets, where)
        who = ", ".join(phrase(path_of(k, grid), v, labels) for k, v in where.items())
        answers.setdefault(c, []).append(who)
        if c is None and levels:
            short.setdefault(_shortfall(runs, where, levels[-1], targets), []).append(who)
    goal = _join([target_words(t) for t in targets])
    met = [(c, whos) for c, whos in answers.items() if c is not None]
    parts = [f"{c} caseworkers" + (f" under {_join(w)}" if any(w) else "") for c, w in met]
    if None in answers:
        lo, hi = runs[STAFF].min(), runs[STAFF].max()
        whos = answers[None]
        under = f" under {_join(whos)}" if any(whos) else ""
        parts.append(f"none of {lo} to {hi} caseworkers does{under}")
    text = f"The fewest caseworkers that keep {goal}: {'; '.join(parts)}"
    for miss, whos in short.items():
        under = f" ({_join(whos)})" if any(whos) and len(answers) > 1 else ""
        text += f". At {runs[STAFF].max()} caseworkers{under}, {miss}"
    return _sentence(text)


def _shortfall(
    runs: pd.DataFrame, where: dict[str, Any], level: int, targets: Sequence[TargetSpec]
) -> str:
    """``the users overdue for follow-up average 105.2`` at ``level`` (or why none is
    shown to hold)."""
    rows = runs[runs[STAFF] == level]
    for c, v in where.items():
        rows = rows[rows[c] == v]
    misses = []
    for t in targets:
        mean = float(pd.to_numeric(rows[t.metric]).mean())
        if (t.op == ">=" and mean < t.value) or (t.op == "<=" and mean > t.value):
            words = WORDS.get(t.metric, (t.metric.replace("_", " "),))[0]
            verb = "average" if plural(words) else "averages"
            misses.append(f"{words} {verb} {level_text(t.metric, mean)}")
    if not misses:
        return "the targets hold on average, but not with 95% confidence"
    return _join(misses)


def _spread(runs: pd.DataFrame, columns: list[str], grid: dict, labels: dict) -> str | None:
    """Where a named lever's effect on the backlog is largest and smallest."""
    named = [c for c in columns if c != STAFF]
    if STAFF not in columns or not named:
        return None
    col = named[0]
    path, ordered = path_of(col, grid), values_of(runs, col, grid)
    if len(ordered) < 2 or "followup_backlog_mean" not in runs.columns:
        return None
    pair = spread_by_staff(runs, col, ordered[0], ordered[1], "followup_backlog_mean", grid)
    if pair is None:
        return None
    low, high = pair
    if not (low.clear or high.clear):
        return None
    lo_n, hi_n = runs[STAFF].min(), runs[STAFF].max()
    return _sentence(
        f"with {phrase(path, ordered[1], labels)} instead of "
        f"{phrase(path, ordered[0], labels)}, at {lo_n} caseworkers "
        f"{change_words(low)}; at {hi_n}, {change_words(high)}"
    )


def _who_waits(results: Results, labels: dict) -> str | None:
    """Which need group makes up most of the overdue users, per scenario extreme."""
    summary = results.summary
    if summary is None:
        return None
    rows = summary[summary["metric"].str.startswith("followup_backlog_mean_")]
    if rows.empty:
        return None
    total = summary[summary["metric"] == "followup_backlog_mean"].set_index("scenario_id")["mean"]
    rows = rows.assign(group=rows["metric"].str.removeprefix("followup_backlog_mean_"))
    mid = sorted(total.index)[len(total) // 2]
    at = rows[rows["scenario_id"] == mid]
    if at.empty or not total.get(mid):
        return None
    top = at.sort_values("mean").iloc[-1]
    share = top["mean"] / total[mid]
    name = str(at["scenario"].iloc[0])
    group = str(top["group"]).replace("_", " ")
    return _sentence(
        f"who waits: with {name}, {share:.0%} of the users overdue for follow-up are in the "
        f"{group} group ({level_text('followup_backlog_mean', top['mean'])} of "
        f"{level_text('followup_backlog_mean', total[mid])})"
    )


def _best(results: Results) -> str:
    summary = results.summary
    if summary is None or summary.empty:
        return "The results hold no scenarios."
    backlog = summary[summary["metric"] == "followup_backlog_mean"]
    if backlog.empty:
        return f"{summary['scenario'].nunique()} scenarios were run."
    best = backlog.sort_values("mean").iloc[0]
    return _sentence(
        f"of {len(backlog)} scenarios, {best['scenario']} leaves the fewest users overdue "
        f"for follow-up ({level_text('followup_backlog_mean', best['mean'])} on average)"
    )


def _advisor_story(results: Results, targets: Sequence[TargetSpec]) -> Story:
    adv = (results.spec or {})["advisor"]
    goal = _join([target_words(t) for t in targets]) if targets else "every target"
    answers = adv.get("answer") or {}
    lo, hi = (adv.get("range") or [None, None])[:2]
    by_answer: dict[int | None, list[str]] = {}
    for policy, c in answers.items():
        by_answer.setdefault(c, []).append(phrase("policy.name", policy, {}))
    parts = [
        f"{c} caseworkers under {_join(words)}"
        if c is not None
        else f"none from {lo} to {hi} caseworkers under {_join(words)}"
        for c, words in by_answer.items()
    ]
    head = _sentence(f"The fewest caseworkers that keep {goal}: {'; '.join(parts)}")
    runs = adv.get("runs") or {}
    notes = [
        _sentence(
            f"the advisor ran {sum(runs.values())} simulated years; a level meets the targets "
            f"when each target's one-sided {adv.get('confidence', 0.95):.0%} confidence bound "
            "lies on the right side"
        )
    ]
    if adv.get("erlang_c") is not None:
        notes.append(
            _sentence(
                f"for comparison, Erlang C for the inquiries alone asks for "
                f"{adv['erlang_c']} caseworkers (square-root rule: {adv.get('square_root')}); "
                "it ignores follow-up and income support"
            )
        )
    return Story(head, notes)


def _run_story(results: Results) -> Story:
    s = results.run_summary or {}
    hit, backlog = s.get("inquiry_sla_hit_rate"), s.get("followup_backlog_mean")
    head = "The run produced no inquiries."
    if hit is not None and backlog is not None:
        head = _sentence(
            f"the 48-hour hit rate was {level_text('inquiry_sla_hit_rate', hit)}, and "
            f"{level_text('followup_backlog_mean', backlog)} users were overdue for "
            "follow-up on average"
        )
    out = []
    if s.get("followup_backlog_end") is not None:
        out.append(f"At the end of the run, {s['followup_backlog_end']:,.0f} users were overdue.")
    if s.get("caseworker_utilization") is not None:
        out.append(
            f"Caseworkers spent {100 * s['caseworker_utilization']:.1f}% of their client time "
            f"on tasks and worked {s.get('overtime_hours') or 0:,.0f} hours of overtime."
        )
    if s.get("income_support_on_time_rate") is not None:
        out.append(
            f"Income-support decisions on time: {100 * s['income_support_on_time_rate']:.1f}%."
        )
    out.append(
        "This is one replication: a run with other random numbers gives other figures. "
        "Compare options with officeq sweep, which repeats each and gives 95% intervals."
    )
    return Story(head, out)
