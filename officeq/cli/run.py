"""The ``officeq run`` and ``officeq validate`` commands: parse, call the library, print."""

from __future__ import annotations

import sys
from collections.abc import Callable
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
    load_from,
    progress_bar,
    run_with_progress,
    set_option,
    snapshot_day,
)
from officeq.cli.summary import summary_table

if TYPE_CHECKING:
    from officeq.config.schema import Config
    from officeq.measure.run import RunResult


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
@click.option(
    "--events",
    type=click.Choice(["parquet", "csv"]),
    is_flag=False,
    flag_value="parquet",
    default=None,
    help="With --out: also write the event log (events.parquet, or events.csv with "
    "--events csv), caseload.csv and staff.csv, the files officeq calibrate reads.",
)
@click.option(
    "--snapshot-at",
    metavar="DAY",
    help="With --out: also write the office's state at the start of DAY (a day number "
    "from 0, or a date YYYY-MM-DD) to DIR/snapshot, a folder --from reads.",
)
@click.option(
    "--from",
    "start_from",
    metavar="SNAPSHOT",
    help="Start the office in the state of a snapshot folder, on its date (no warm-up "
    "unless --warmup-days is given).",
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
    events: str | None,
    snapshot_at: str | None,
    start_from: str | None,
    force: bool,
) -> None:
    """Simulate the office in CONFIG and print its summary."""
    state = None
    if start_from is not None:
        cfg, state = load_from(config, overrides, start_from, seed, days, warmup_days)
    else:
        cfg = load(config, overrides, seed=seed, horizon_days=days, warmup_days=warmup_days)
    check_size(cfg, config, force, bool(events))
    day = None
    if snapshot_at is not None:
        if out is None:
            fail("--snapshot-at needs --out (the folder the snapshot goes to)")
        day = snapshot_day(snapshot_at, cfg)
    if plots and out is None:
        fail("--plots needs --out (the folder the figures go to)")
    if events and out is None:
        fail("--events needs --out (the folder the event log goes to)")
    if out is not None:
        from officeq.measure.output import OutputError, check_replaceable

        try:
            check_replaceable(out, "run")  # before the run, not after it
        except OutputError as e:
            fail(str(e))
    from officeq.model.load import describe, offered_load

    offered = offered_load(cfg)
    style = "bold yellow" if offered.utilization >= 1 else "dim"
    # a result of the config (stdout: `officeq run ... > out.txt` keeps it), not progress
    console.print(f"[{style}]{escape(describe(offered))}[/]", highlight=False, soft_wrap=True)
    if offered.utilization >= 1:  # and a warning, where warnings go
        err_console.print(
            f"[bold yellow]warning:[/] utilisation {offered.utilization:.0%}: more work arrives "
            "than the staff can do; the backlog will grow",
            highlight=False,
            soft_wrap=True,
        )
    result = run_with_progress(
        cfg, cfg.name, events=bool(events), snapshot_at=day, start_from=state
    )
    console.print(summary_table(result, overrides))
    if out is not None:
        _write(result, out, plots, events)


def _write(result: RunResult, out: str, plots: bool, events: str | None) -> None:
    """The run's folder, with its figures and event log when asked, written whole."""
    from officeq.measure.output import OutputError, write_run

    def extra(folder: Path) -> list[str]:
        names = _figures(result, out, folder) if plots else []
        if result.snapshot is not None:
            names += _snapshot(result, folder)
        return names

    try:
        paths = write_run(result, out, extra, events)
    except OutputError as e:
        fail(str(e))
    console.print(f"wrote {', '.join(p.name for p in paths)} to {out}", highlight=False)


def _snapshot(result: RunResult, folder: Path) -> list[str]:
    import datetime as dt

    from officeq.data.snapshot import write_snapshot

    state = result.snapshot
    assert state is not None
    at = result.config.start_date + dt.timedelta(days=result.snapshot_day)
    (folder / "snapshot").mkdir()
    source = f"officeq run of {result.config.name!r}, seed {result.config.seed}"
    names = write_snapshot(state, folder / "snapshot", at, source)
    return [f"snapshot/{n}" for n in names]


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
