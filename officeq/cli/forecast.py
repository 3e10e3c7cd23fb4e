"""The ``officeq forecast`` command: replications from a snapshot, a fan chart per metric."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
from rich.table import Table

from officeq.cli.common import (
    console,
    fail,
    force_option,
    set_option,
    workers_option,
)


def _compare(text: str) -> tuple[str, tuple[str, ...]]:
    """``"name: --set a=1 --set b=2"`` -> (name, overrides)."""
    name, sep, rest = text.partition(":")
    name = name.strip()
    if not sep or not name:
        fail(f'--compare {text!r}: write it as "name: --set PATH=VALUE ..."')
    try:
        words = shlex.split(rest)
    except ValueError as e:
        fail(f"--compare {name}: {e}")
    sets = []
    it = iter(words)
    for w in it:
        if w == "--set":
            value = next(it, None)
            if value is None:
                fail(f"--compare {name}: --set needs PATH=VALUE")
            sets.append(value)
        elif w.startswith("--set="):
            sets.append(w.removeprefix("--set="))
        else:
            fail(f"--compare {name}: {w!r} is not --set PATH=VALUE")
    return name, tuple(sets)


@click.command("forecast")
@click.argument("config")
@click.option("--from", "start_from", required=True, metavar="SNAPSHOT", help="Snapshot folder.")
@click.option("--weeks", type=click.IntRange(1, 104), default=13, show_default=True)
@click.option("--replications", type=click.IntRange(2, 10_000), default=100, show_default=True)
@click.option("--seed", type=click.IntRange(min=0), help="Seed of the replications.")
@set_option
@click.option(
    "--compare",
    multiple=True,
    metavar='"NAME: --set PATH=VALUE ..."',
    help="An alternative plan drawn on the same chart with the same random numbers "
    '(repeatable), e.g. "two more: --set staff.caseworkers=19".',
)
@click.option("--history", metavar="EVENTS", help="Event log: the actual weeks before today.")
@workers_option
@click.option("--out", required=True, metavar="DIR", help="Folder for forecast.csv and .png.")
@force_option
def forecast_cmd(
    config: str,
    start_from: str,
    weeks: int,
    replications: int,
    seed: int | None,
    overrides: tuple[str, ...],
    compare: tuple[str, ...],
    history: str | None,
    workers: int | None,
    out: str,
    force: bool,
) -> None:
    """Forecast the office in CONFIG from a snapshot: weekly bands per metric."""
    from officeq.api.forecasting import forecast
    from officeq.cli.experiments import _Progress
    from officeq.config.loading import ConfigError
    from officeq.data.tables import DataError
    from officeq.measure.output import OutputError, check_replaceable, write_folder

    try:
        check_replaceable(out, "forecast")
    except OutputError as e:
        fail(str(e))
    plans = dict(_compare(text) for text in compare)
    if len(plans) < len(compare):
        fail("--compare: two plans have the same name; give each its own")
    progress = _Progress("forecast")
    try:
        result = forecast(
            config,
            start_from,
            weeks,
            replications,
            overrides=overrides,
            compare=plans,
            seed=seed,
            history=history,
            workers=workers,
            progress=progress,
            force=force,
        )
    except (ConfigError, DataError) as e:
        fail(str(e))
    finally:
        progress.close()
    table, past = result.table, result.history
    console.print(headline(table))

    def build(folder: Path) -> list[str]:
        from officeq.figures.output import write_figure
        from officeq.measure.output import ISO_SECONDS

        table.to_csv(folder / "forecast.csv", index=False, date_format=ISO_SECONDS[:8])
        names = ["forecast.csv"]
        if past is not None:
            past.to_csv(folder / "history.csv", index=False)
            names.append("history.csv")
        write_figure(result.figure(), folder / "forecast.png")
        return [*names, "forecast.png"]

    try:
        runs = replications * (1 + len(plans))
        paths = write_folder(out, build, "forecast", runs, seed=seed)
    except OutputError as e:
        fail(str(e))
    console.print(f"wrote {', '.join(p.name for p in paths)} to {out}", highlight=False)


def headline(table) -> Table:  # type: ignore[no-untyped-def]
    """The last week's medians and 90% bands per plan, the few metrics a director reads."""
    last = table[table["week"] == table["week"].max()]
    week_end = last["week_start"].iloc[0]
    out = Table(title=f"forecast for the week from {week_end} (median, 90% band)")
    out.add_column("metric")
    plans = list(dict.fromkeys(last["plan"]))
    for p in plans:
        out.add_column(p, justify="right")
    from officeq.experiments.forecast import HEADLINE

    for metric, label in HEADLINE:
        cells = []
        for p in plans:
            r = last[(last["metric"] == metric) & (last["plan"] == p)].iloc[0]
            pct = metric.endswith("_rate")
            f = (lambda v: f"{v:.0%}") if pct else (lambda v: f"{v:,.0f}")
            cells.append(
                f"{f(r['p50'])} ({f(r['p5'])}–{f(r['p95'])})" if r["p50"] == r["p50"] else "–"
            )
        out.add_row(label, *cells)
    return out
