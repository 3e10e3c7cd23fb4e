"""Which figure fits which results, and the figures of a report.

The bridge between a results folder (:mod:`officeq.experiments.folders`) and the
plotting functions (:mod:`officeq.figures.plots`): it picks the columns a kind
needs and, when the results cannot support a kind, says what is missing
and what would work.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from officeq.config.suggest import did_you_mean
from officeq.experiments.folders import Results, ResultsError
from officeq.figures import cases as plots_cases
from officeq.figures import organisation as plots_org
from officeq.figures import plots
from officeq.figures import steering as plots_steering
from officeq.figures.common import drawing_into, swept_columns
from officeq.figures.select import choose, keep_scenarios

KINDS = (*plots.KINDS, "overview", "steering", *plots_org.KINDS, *plots_cases.KINDS)
STAFF = "staff_caseworkers"
POLICY = "policy_name"


@dataclass(frozen=True)
class FigureOptions:
    metric: str | None = None
    target: float | None = None
    x: str | None = None
    y: str | None = None
    by_group: bool = False
    only: tuple[str, ...] = ()
    """``COLUMN=VALUE[,VALUE...]`` choices: draw only the scenarios matching them all."""
    highlight: tuple[str, ...] = ()
    """Choices as for ``only``: these scenarios in colour, the others grey."""


HIGHLIGHTED = ("backlog", "scorecard")
"""Kinds that draw the scenarios not highlighted in grey."""
DAILY = ("backlog", "scorecard")
"""Kinds of a sweep that read the daily series."""


def staffing_answer(results: Results) -> tuple[dict[str, int | None], str] | None:
    """The advisor's answer per policy and its rule, when ``results`` come from
    ``officeq staff --out`` (its ``spec.resolved.yaml`` holds them), else None."""
    spec = results.spec or {}
    advisor = spec.get("advisor") or {}
    answer = advisor.get("answer")
    if not isinstance(answer, dict):
        return None
    targets = ", ".join(map(str, spec.get("targets") or [])) or "every target"
    level = advisor.get("confidence")
    bound = f" at {level:.0%} one-sided bounds" if isinstance(level, int | float) else ""
    return answer, f"{targets}{bound}"


def _first_target(results: Results) -> tuple[str, float] | None:
    """The metric and value of the first target of a staffing advisor's results."""
    for text in (results.spec or {}).get("targets") or []:
        for op in (">=", "<="):
            metric, sep, value = str(text).partition(op)
            if sep:
                try:
                    return metric.strip(), float(value)
                except ValueError:
                    return None
    return None


def _select(results: Results, kind: str, opts: FigureOptions) -> tuple[Results, list[str]]:
    """``results`` cut to ``--only``'s scenarios, and the ``--highlight``-ed names."""
    if not (opts.only or opts.highlight):
        return results, []
    word = "--only" if opts.only else "--highlight"
    if results.kind != "sweep":
        raise ResultsError(f"{word}: chooses among a sweep's scenarios; these are one run's")
    if opts.highlight and kind not in HIGHLIGHTED:
        raise ResultsError(
            f"--highlight: --kind {kind} has no grey context; use it with "
            f"{' or '.join(HIGHLIGHTED)} (or cut the scenarios with --only)"
        )
    table = results.runs if results.runs is not None else results.daily
    try:
        if opts.only:
            names = choose(table, opts.only, "--only")
            results = replace(
                results,
                daily=keep_scenarios(results.daily, names),
                runs=keep_scenarios(results.runs, names),
                summary=keep_scenarios(results.summary, names),
            )
            table = results.runs if results.runs is not None else results.daily
        chosen = choose(table, opts.highlight, "--highlight") if opts.highlight else []
    except ValueError as e:
        raise ResultsError(str(e)) from None
    return results, chosen


def _need_daily(results: Results, kind: str) -> None:
    if results.daily.empty or "day" not in results.daily.columns:
        raise ResultsError(
            f"{results.folder}: --kind {kind} needs daily series, and these results have "
            "none (officeq staff --out keeps only each run's summary); try --kind staffing "
            "or frontier, or officeq sweep for the daily curves"
        )


def _swept(results: Results) -> list[str]:
    table = results.runs if results.runs is not None else results.daily
    return swept_columns(table, results.grid or None)


def _need_sweep(results: Results, kind: str) -> None:
    if results.kind != "sweep":
        raise ResultsError(
            f"{results.folder}: --kind {kind} needs the results of officeq sweep; "
            "these are one run's (try --kind backlog, scorecard or overview)"
        )


def _need_staffing(results: Results, kind: str) -> None:
    _need_sweep(results, kind)
    if STAFF not in _swept(results):
        raise ResultsError(
            f"{results.folder}: --kind {kind} needs a sweep over staff.caseworkers; this one "
            f"varies {', '.join(_swept(results)) or 'nothing'} (try --kind backlog or heatmap)"
        )


def _caseworkers(results: Results) -> Figure:
    """``--kind caseworkers``: one run's own backlog per caseworker."""
    where = results.folder
    if results.kind != "run":
        raise ResultsError(
            f"{where}: --kind caseworkers is for one run's results (officeq run --out); "
            "for a sweep try --kind spread"
        )
    table = results.caseworkers
    if table is None:
        raise ResultsError(
            f"{where}: --kind caseworkers needs caseworkers.csv, which runs written by an "
            "older officeq lack; run officeq run CONFIG --out DIR again"
        )
    missing = [c for c in plots_org.CASEWORKER_COLUMNS if c not in table.columns]
    if missing:
        raise ResultsError(f"{where}/caseworkers.csv: missing column {', '.join(missing)}")
    if table.empty or table["backlog_user_days"].isna().all():
        raise ResultsError(
            f"{where}: --kind caseworkers needs own caseloads, and this office pooled its "
            "follow-up users (no backlog per caseworker); run a config with "
            "work.followup.assignment: own (e.g. configs/baseline.yaml)"
        )
    config = results.config or {}
    try:
        days = float(config["horizon_days"]) - float(config["warmup_days"])
    except (KeyError, TypeError, ValueError):
        days = float((~results.daily["warmup"].astype(bool)).sum())
    if not days > 0:
        raise ResultsError(f"{where}: --kind caseworkers needs measured days after the warm-up")
    return plots_org.caseworkers(table, days)


def _decision_times(results: Results, opts: FigureOptions) -> Figure:
    """``--kind decision_times``: a run's decisions by days, or a sweep's means."""
    where = results.folder
    if results.kind == "run":
        table = results.decision_times
        if table is None:
            raise ResultsError(
                f"{where}: --kind decision_times needs decision_times.csv, which runs written "
                "by an older officeq lack; run officeq run CONFIG --out DIR again"
            )
        deadline = ((results.config or {}).get("work") or {}).get("income_support") or {}
        try:
            mean = (results.run_summary or {}).get(plots_cases.MEAN)
            return plots_cases.decision_times(table, deadline.get("deadline_days"), mean)
        except ValueError as e:
            raise ResultsError(f"{where}: --kind decision_times: {e}") from None
    swept = _swept(results)
    table = results.runs if results.runs is not None else results.summary
    numeric = [c for c in swept if c != "variant" and pd.api.types.is_numeric_dtype(table[c])]
    # x: a swept parameter other than staffing (e.g. the documentation share), else staffing
    x = opts.x or next((c for c in numeric if c != STAFF), numeric[0] if numeric else None)
    if x is None:
        raise ResultsError(
            f"{where}: --kind decision_times needs a swept number for the x axis; this sweep "
            f"varies {', '.join(swept) or 'nothing'}"
        )
    others = [c for c in swept if c != x]
    series = STAFF if STAFF in others else (others[0] if others else None)
    try:
        return plots_cases.decision_time_sweep(results.summary, x, series)
    except ValueError as e:
        raise ResultsError(f"{where}: --kind decision_times: {e}") from None


def _organisation(results: Results, kind: str, opts: FigureOptions) -> Figure:
    """``--kind spread`` and ``--kind gaps``: a sweep's organisation metrics."""
    where = results.folder
    if results.kind != "sweep":
        raise ResultsError(
            f"{where}: --kind {kind} needs the results of officeq sweep; these are one "
            "run's (for one run's caseworkers try --kind caseworkers)"
        )
    if kind == "spread":
        if opts.metric:
            raise ResultsError(
                "--metric: --kind spread has none (the largest own backlog is not split by "
                "need group); for one need group try --kind gaps --metric GROUP"
            )
        runs = results.runs
        cols = (plots_org.BACKLOG, plots_org.LARGEST)
        if runs is None or any(c not in runs.columns for c in cols):
            raise ResultsError(
                f"{where}: --kind spread needs {' and '.join(cols)} in runs.parquet "
                "(a sweep made before own caseloads lacks them); run the sweep again"
            )
        try:
            staff = plots_org.caseworkers_per_run(runs, results.spec)
        except ValueError as e:
            raise ResultsError(f"{where}: --kind spread: {e}") from None
        return plots_org.spread(runs, staff)
    try:
        return plots_org.gaps(results.summary, opts.metric or plots_org.DEFAULT_GROUP)
    except ValueError as e:
        raise ResultsError(f"{where}: --kind gaps: {e}") from None


def make_figure(
    results: Results, kind: str, opts: FigureOptions = FigureOptions(), ax: Any = None
) -> Figure:
    """The figure ``kind`` from ``results``, or :class:`ResultsError` saying why not.

    With ``ax`` (a matplotlib Axes), a single-panel kind draws into it and
    returns its figure; a kind with several panels raises ``ValueError``.
    """
    if ax is None:
        return _make_figure(results, kind, opts)
    with drawing_into(ax):
        return _make_figure(results, kind, opts)


def _make_figure(results: Results, kind: str, opts: FigureOptions) -> Figure:
    if kind not in KINDS:
        raise ResultsError(f"unknown --kind {kind!r}; choose one of {', '.join(KINDS)}")
    results, chosen = _select(results, kind, opts)
    if kind in DAILY:
        _need_daily(results, kind)
    swept = _swept(results) if results.kind == "sweep" else []
    others = [c for c in swept if c != STAFF]
    # series of the staffing figures: the one other swept column, else the policy
    policy = others[0] if len(others) == 1 else (POLICY if POLICY in others else None)
    summary = results.summary
    if kind == "caseworkers":
        return _caseworkers(results)
    if kind in plots_cases.KINDS:
        return _decision_times(results, opts)
    if kind in plots_org.KINDS:
        return _organisation(results, kind, opts)
    if kind == "backlog":
        try:
            return plots.backlog(results.daily, by_group=opts.by_group, highlight=chosen)
        except ValueError as e:
            raise ResultsError(f"{results.folder}: {e}") from None
    if kind == "scorecard":
        target = opts.target if opts.target else 0.9
        return plots.scorecard(results.daily, target=target, highlight=chosen)
    if kind in ("overview", "steering"):
        if results.kind != "run":
            raise ResultsError(
                f"{results.folder}: --kind {kind} is for one run's results "
                "(officeq run --out); for a sweep try --kind backlog"
            )
        if kind == "overview":
            return plots.run_overview(results.daily)
        steering = (results.config or {}).get("steering") or {}
        if not steering.get("indicators"):
            raise ResultsError(
                f"{results.folder}: --kind steering needs a run with steering.indicators "
                "(e.g. officeq run configs/regimes/strong_targets.yaml --out DIR)"
            )
        target = opts.target
        if target is None:
            named = {i["name"]: i["target"] for i in steering["indicators"]}
            target = named.get("inquiry_sla_hit_rate")
        try:
            return plots_steering.steering(results.daily, target)
        except ValueError as e:
            raise ResultsError(f"{results.folder}: {e}") from None
    if kind in ("frontier", "staffing"):
        _need_staffing(results, kind)
        advised = staffing_answer(results)
        first = _first_target(results) if advised else None
        metric = opts.metric or (first[0] if first else "followup_backlog_mean")
        target = opts.target
        if target is None and first and first[0] == metric:
            target = first[1]
        if kind == "staffing" and metric not in set(summary["metric"]):
            raise ResultsError(
                f"--metric: {metric!r} is not in {results.folder}/summary.csv"
                + did_you_mean(metric, summary["metric"].unique())
            )
        try:
            if kind == "frontier":
                return plots.frontier(summary, policy, STAFF)
            answer, rule = advised if advised else (None, None)
            return plots.staffing(summary, metric, target, policy, STAFF, answer=answer, rule=rule)
        except ValueError as e:
            raise ResultsError(f"{results.folder}: --kind {kind}: {e}") from None
    # heatmap
    _need_sweep(results, kind)
    if len(swept) < 2 and not (opts.x and opts.y):
        raise ResultsError(
            f"{results.folder}: --kind heatmap needs two swept parameters; this sweep varies "
            f"only {', '.join(swept) or 'nothing'} (try --kind staffing or backlog)"
        )
    x, y = opts.x or swept[0], opts.y or swept[1]
    metric = opts.metric or "inquiry_sla_hit_rate"
    if metric not in set(summary["metric"]):
        raise ResultsError(
            f"--metric: {metric!r} is not in {results.folder}/summary.csv"
            + did_you_mean(metric, summary["metric"].unique())
        )
    try:
        return plots.heatmap(summary, x, y, metric)
    except ValueError as e:
        raise ResultsError(f"{results.folder}: {e}") from None


def report_figures(results: Results) -> list[tuple[str, Figure]]:
    """Every figure that fits ``results``, with a caption, for a report."""
    out = []
    candidates = (
        ["overview", "steering", "backlog", "scorecard", "decision_times"]
        if results.kind == "run"
        else ["frontier", "staffing", "backlog", "heatmap", "scorecard"]
    )
    captions = {
        "overview": "Queues and follow-up backlog over the run.",
        "steering": "The month-to-date scorecard and the caseworkers under a directive.",
        "backlog": "Follow-up backlog (overdue users) over time: mean of the replications "
        "with a 95% band.",
        "frontier": "The trade-off: 48-hour hit rate against follow-up backlog, one point per "
        "scenario with 95% intervals, labelled with the number of caseworkers.",
        "staffing": "Follow-up backlog against staffing, with 95% bands.",
        "heatmap": "Two swept parameters against the 48-hour hit rate.",
        "scorecard": "The monthly 48-hour scorecard: how much month-to-month movement is noise.",
        "decision_times": "Income-support decisions by days from receipt, against the range "
        "of yearly means Stavanger measured.",
    }
    for kind in candidates:
        try:
            out.append((captions[kind], make_figure(results, kind)))
        except ResultsError:
            continue
    return out
