"""The ``officeq run`` and ``officeq validate`` commands: parse, call the library, print."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape
from rich.table import Table

from officeq.cli.common import (
    Finite,
    check_size,
    console,
    err_console,
    fail,
    force_option,
    load,
    progress_bar,
    run_with_progress,
    set_option,
)

if TYPE_CHECKING:
    from officeq.config.schema import Config
    from officeq.measure.run import RunResult


def _fmt(value: float | None, kind: str = "num") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "pct":
        return f"{100 * value:.1f}%"
    if kind == "int":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def summary_table(result: RunResult) -> Table:
    """The readable summary of one run: SLA hit rates against follow-up backlog."""
    s = result.summary
    cfg = result.config
    inq = cfg.work.inquiry
    measured = cfg.horizon_days - cfg.warmup_days
    table = Table(
        title=f"{escape(cfg.name)}: {cfg.staff.caseworkers} caseworkers, policy "
        f"{cfg.policy.name}, {measured:g} days measured (seed {cfg.seed})",
        title_justify="left",
    )
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("", style="dim")
    rows: list[tuple[str, str, str] | None] = [
        (
            "inquiries arrived / answered",
            f"{_fmt(s['inquiries_arrived'], 'int')} / {_fmt(s['inquiries_answered'], 'int')}",
            "",
        ),
        (
            "inquiry SLA hit rate",
            _fmt(s["inquiry_sla_hit_rate"], "pct"),
            f"answered within {inq.sla_hours:g} h ({inq.sla_clock} clock)",
        ),
        (
            "inquiry wait, mean / p90",
            f"{_fmt(s['inquiry_wait_hours_mean'])} / {_fmt(s['inquiry_wait_hours_p90'])}",
            "hours, arrival to start",
        ),
        (
            "inquiry response, mean",
            _fmt(s["inquiry_response_hours_mean"]),
            "hours, arrival to answer",
        ),
        None,
        (
            "income-support decisions on time",
            _fmt(s["income_support_on_time_rate"], "pct"),
            f"within {cfg.work.income_support.deadline_days:g} days (urgent "
            f"{cfg.work.income_support.urgent_deadline_hours:g} h)",
        ),
        (
            "income-support decision time, mean",
            _fmt(s["income_support_decision_days_mean"]),
            "days",
        ),
        None,
        ("follow-up backlog, mean", _fmt(s["followup_backlog_mean"]), "overdue users"),
        ("follow-up backlog at end", _fmt(s["followup_backlog_end"], "int"), "overdue users"),
    ]
    for g in cfg.work.followup.groups:
        rows.append(
            (
                f"  {g}: backlog / sessions per user-year",
                f"{_fmt(s[f'followup_backlog_mean_{g}'])} / "
                f"{_fmt(s[f'followup_sessions_per_user_year_{g}'])}",
                f"every {cfg.work.followup.groups[g].interval_days.mean_value():g} days planned",
            )
        )
    rows += [
        ("follow-up overdue at session, mean", _fmt(s["followup_overdue_days_mean"]), "days"),
        None,
        (
            "caseworker utilisation",
            _fmt(s["caseworker_utilization"], "pct"),
            "client-work time spent on tasks",
        ),
        ("overtime", _fmt(s["overtime_hours"], "int"), _overtime_note(cfg)),
    ]
    if cfg.staff.overtime.start_rule == "finish_or_defer":
        rows.append(
            (
                "tasks left for the next opening",
                _fmt(s["tasks_deferred_end_of_day"], "int"),
                "did not fit the day plus overtime left",
            )
        )
    rows += _organisation_rows(cfg, s)
    rows += _steering_rows(cfg, s)
    for row in rows:
        if row is None:
            table.add_section()
        else:
            table.add_row(*row)
    return table


def _overtime_note(cfg: Config) -> str:
    caps = cfg.staff.overtime.caps()
    if not caps:
        return "hours past closing (no cap)"
    names = {1: "day", 7: "week", 28: "4 weeks", 364: "year"}
    return "hours past closing; caps " + ", ".join(f"{c:g} h/{names[d]}" for d, c in caps)


def _organisation_rows(cfg: Config, s: dict) -> list[tuple[str, str, str] | None]:
    """Rows for own caseloads and booked meetings, when the config has them."""
    fu = cfg.work.followup
    rows: list[tuple[str, str, str] | None] = []
    if fu.assignment == "own":
        vulnerable = cfg.need_order()[0]
        rows += [
            None,
            (
                "largest caseworker backlog, mean",
                _fmt(s["followup_backlog_max_caseworker_mean"]),
                f"overdue users of one caseworker (office mean "
                f"{_fmt((s['followup_backlog_mean'] or 0) / max(cfg.staff.caseworkers, 1))})",
            ),
            ("users without a caseworker, mean", _fmt(s["followup_unassigned_mean"]), ""),
            (
                f"  {vulnerable}: gap, caseworker away / not",
                f"{_fmt(s[f'followup_gap_days_mean_owner_away_{vulnerable}'])} / "
                f"{_fmt(s[f'followup_gap_days_mean_owner_present_{vulnerable}'])}",
                "days between sessions",
            ),
            (
                "sessions held by a colleague (cover)",
                _fmt(s["followup_sessions_by_cover"], "int"),
                "none" if fu.cover.after_days is None else f"after {fu.cover.after_days:g} days",
            ),
        ]
    if fu.appointments.enabled:
        rows += [
            None,
            (
                "meetings booked / held",
                f"{_fmt(s['appointments_booked'], 'int')} / {_fmt(s['appointments_held'], 'int')}",
                f"{_fmt(s['appointments_no_show'], 'int')} no-shows, "
                f"{_fmt(s['appointments_open_end'], 'int')} still booked at the end",
            ),
            (
                "meetings cancelled",
                _fmt(s["appointments_cancelled"], "int"),
                f"caseworker off sick {_fmt(s['appointments_cancelled_absent'], 'int')}, "
                f"directive {_fmt(s['appointments_cancelled_directive'], 'int')}, "
                f"user left {_fmt(s['appointments_cancelled_user_left'], 'int')}",
            ),
            (
                "due to meeting / rebooked after, mean",
                f"{_fmt(s['followup_lead_days_mean'])} / {_fmt(s['followup_rebook_days_mean'])}",
                "days",
            ),
        ]
    return rows


def _steering_rows(cfg: Config, s: dict) -> list[tuple[str, str, str] | None]:
    """Rows for steering and its effects, when the config switches any of them on."""
    fu = cfg.work.followup
    rows: list[tuple[str, str, str] | None] = []
    if cfg.steering.active:
        n = len(cfg.steering.indicators)
        rows += [
            None,
            (
                "directives issued",
                _fmt(s["directives_issued"], "int"),
                f"{n} indicator{'' if n == 1 else 's'} on the monthly scorecard",
            ),
            (
                "follow-up sessions cancelled",
                _fmt(s["followup_sessions_cancelled"], "int"),
                "booked meetings cancelled for a directive"
                if fu.appointments.enabled
                else "planned, dropped for a directive",
            ),
            (
                "plan changes per caseworker-month",
                _fmt(s["plan_changes_per_caseworker_month"]),
                "",
            ),
            (
                "users with follow-up, indicator / substantive",
                f"{_fmt(s['indicator_followup_users'])} / {_fmt(s['substantive_followup_users'])}",
                f"per month; {_fmt(s['followup_contacts_short'], 'int')} short contacts",
            ),
        ]
    if cfg.steering.active or fu.outcomes.session_effect > 0:
        vulnerable = cfg.need_order()[0]
        rows += [
            None,
            ("exits to work", _fmt(s["exits_to_work"], "int"), "users, after the warm-up"),
            (
                f"  {vulnerable}: longest gap",
                _fmt(s[f"max_gap_days_substantive_{vulnerable}"]),
                "days between substantive sessions",
            ),
        ]
    if fu.failure_demand.inquiries_per_user_week > 0:
        rows.append(
            (
                "failure-demand inquiries",
                _fmt(s["failure_demand_inquiries"], "int"),
                "from overdue users",
            )
        )
    return rows


@click.command("run")
@click.argument("config")
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (replaces the config's).")
@click.option(
    "--days",
    type=Finite(min=0, min_open=True),
    help="Run length in days, warm-up included (horizon_days).",
)
@click.option("--warmup-days", type=Finite(min=0), help="Days left out of metrics.")
@set_option
@click.option(
    "--plots",
    is_flag=True,
    help="With --out: also draw overview.png, backlog.png, scorecard.png (and steering.png "
    "when the config steers).",
)
@click.option(
    "--out",
    metavar="DIR",
    help="Folder for summary.json, daily.csv, monthly.csv, caseworkers.csv and "
    "config.resolved.yaml (replaced "
    "whole).",
)
@force_option
def run_cmd(
    config: str,
    seed: int | None,
    days: float | None,
    warmup_days: float | None,
    overrides: tuple[str, ...],
    plots: bool,
    out: str | None,
    force: bool,
) -> None:
    """Simulate the office in CONFIG and print its summary."""
    cfg = load(config, overrides, seed=seed, horizon_days=days, warmup_days=warmup_days)
    check_size(cfg, config, force)
    if plots and out is None:
        fail("--plots needs --out (the folder the figures go to)")
    if out is not None:
        from officeq.measure.output import OutputError, check_replaceable

        try:
            check_replaceable(out, "run")  # before the run, not after it
        except OutputError as e:
            fail(str(e))
    from officeq.model.load import describe, offered_load

    offered = offered_load(cfg)
    style = "bold yellow" if offered.utilization >= 1 else "dim"
    err_console.print(f"[{style}]{escape(describe(offered))}[/]", highlight=False, soft_wrap=True)
    result = run_with_progress(cfg, cfg.name)
    console.print(summary_table(result))
    if out is not None:
        _write(result, out, plots)


def _write(result: RunResult, out: str, plots: bool) -> None:
    """The run's folder, with its figures when asked, written whole."""
    from officeq.measure.output import OutputError, write_run

    try:
        paths = write_run(result, out, partial(_figures, result, out) if plots else None)
    except OutputError as e:
        fail(str(e))
    console.print(f"wrote {', '.join(p.name for p in paths)} to {out}", highlight=False)


def _figures(result: RunResult, out: str, folder: Path) -> list[str]:
    """Every figure that fits the run, drawn from memory into the folder being built."""
    from officeq.experiments.folders import run_results
    from officeq.figures.output import run_figures

    return run_figures(run_results(result, out), folder, result.config.steering.active)


@click.command("validate")
@click.option(
    "--configs",
    "config_dir",
    default="configs/validation",
    show_default=True,
    type=click.Path(),
    help="Folder with mmc.yaml, priority.yaml, finite_source.yaml, own_caseloads.yaml, "
    "income_support_case.yaml.",
)
@click.option("--replications", type=click.IntRange(min=2), default=10, show_default=True)
@click.option(
    "--days",
    type=Finite(min=0, min_open=True),
    help="Run length per replication (default: each config's horizon_days).",
)
def validate_cmd(config_dir: str, replications: int, days: float | None) -> None:
    """Check the model against queueing theory (Erlang C, Cobham, M/M/c//K, M/M/1//K)
    and income-support case times."""
    from officeq.validation.checks import CASES, LEVEL, Check, with_interval, with_utilization

    jobs: list[tuple[Config, Callable[..., list[Check]]]] = []
    for name, check in CASES.items():
        cfg = load(str(Path(config_dir) / f"{name}.yaml"), (), horizon_days=days)
        if name == "mmc":
            jobs += [(with_utilization(cfg, rho), check) for rho in (0.7, 0.9)]
        elif name == "own_caseloads":
            jobs += [(with_interval(cfg, days), check) for days in (1.0, 0.6)]
        else:
            jobs.append((cfg, check))
    checks: list[Check] = []
    if err_console.is_terminal:
        with progress_bar() as bar:
            task = bar.add_task("validate", total=len(jobs) * replications)
            for cfg, check in jobs:
                checks += check(cfg, replications, lambda: bar.advance(task))
    else:
        for cfg, check in jobs:
            err_console.print(f"running {cfg.name} ({replications} replications)", highlight=False)
            checks += check(cfg, replications, None)
    table = Table(
        title=f"simulation vs theory ({LEVEL:.0%} confidence intervals, "
        f"{replications} replications)",
        title_justify="left",
    )
    for col in ("case", "metric", "theory", "simulated", "CI low", "CI high", ""):
        table.add_column(col, justify="left" if col in ("case", "metric") else "right")
    for c in checks:
        table.add_row(
            c.case,
            c.metric,
            f"{c.theory:.4f}",
            f"{c.mean:.4f}",
            f"{c.low:.4f}",
            f"{c.high:.4f}",
            "[green]ok[/]" if c.passed else "[red]OUTSIDE[/]",
        )
    console.print(table)
    failed = [c for c in checks if not c.passed]
    if failed:
        console.print(
            f"[red]{len(failed)} of {len(checks)} theoretical values lie outside "
            f"the simulation's confidence interval[/]"
        )
        sys.exit(1)
    console.print(f"all {len(checks)} theoretical values lie inside the confidence intervals")
