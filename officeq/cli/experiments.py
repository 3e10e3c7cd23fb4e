"""The ``officeq sweep`` and ``officeq warmup`` commands: parse, call the library, print."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.table import Table

from officeq.cli.common import (
    Finite,
    Interruption,
    console,
    err_console,
    fail,
    force_option,
    load,
    progress_bar,
    set_option,
    workers_option,
)

if TYPE_CHECKING:
    from officeq.experiments.spec import Experiment

TABLE_METRICS = ("inquiry_sla_hit_rate", "followup_backlog_mean")


class _Progress:
    """A progress bar on a terminal, plain lines (about every 5%) elsewhere.

    Called with (runs done, runs planned): first when the sweep starts, then
    after each run.
    """

    def __init__(self, label: str = "sweep") -> None:
        self.label = label
        self.total = self.done = 0
        self.start = time.monotonic()
        self._bar: Any = None
        self._started = False
        self._next_line = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self._started:
            self._started = True
            if err_console.is_terminal:
                self._bar = progress_bar()
                self._bar.start()
                self._task = self._bar.add_task(self.label, total=total, completed=done)
            elif done:
                err_console.print(f"resuming: {done} of {total} runs already stored")
            self.done, self.total = done, total
            return
        self.done, self.total = done, total
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=total)
            return
        frac = done / total
        if frac >= self._next_line or done == total:
            elapsed = time.monotonic() - self.start
            left = elapsed / max(done, 1) * (total - done)
            err_console.print(
                f"{self.label}: {done}/{total} runs done, {elapsed:.0f} s "
                f"elapsed, about {left:.0f} s left",
                highlight=False,
            )
            self._next_line = frac + 0.05

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def scenario_table(exp: Experiment, summary, extra: str | None) -> Table:  # type: ignore[no-untyped-def]
    """Scenario means with 95% confidence intervals for the headline metrics."""
    metrics = list(TABLE_METRICS) + ([extra] if extra and extra not in TABLE_METRICS else [])
    table = Table(
        title=f"{escape(exp.spec.name)}: means with 95% confidence intervals", title_justify="left"
    )
    table.add_column("scenario")
    table.add_column("n", justify="right")
    for m in metrics:
        table.add_column(m, justify="right")
    for s in exp.scenarios:
        rows = summary[(summary["scenario_id"] == s.id)].set_index("metric")
        cells = []
        for m in metrics:
            if m not in rows.index or rows.loc[m, "n"] == 0:
                cells.append("–")
                continue
            r = rows.loc[m]
            cells.append(f"{r['mean']:.3f} ({r['ci_low']:.3f}–{r['ci_high']:.3f})")
        n = int(rows["n"].max()) if len(rows) else 0
        table.add_row(escape(s.name), str(n), *cells)
    return table


@click.command("sweep")
@click.argument("spec")
@workers_option
@click.option(
    "--executor", "kind", type=click.Choice(["local", "dask"]), default="local", show_default=True
)
@click.option("--scheduler", metavar="ADDRESS", help="An existing Dask scheduler, tcp://host:port.")
@click.option("--out", metavar="DIR", help="Results folder (default: results/<spec name>).")
@click.option("--resume", is_flag=True, help="Continue a sweep in --out: run only what is missing.")
@click.option(
    "--replications", type=click.IntRange(min=1, max=10_000), help="Replace the spec's count."
)
@click.option(
    "--target-half-width",
    type=Finite(min=0, min_open=True),
    help="Add replications until METRIC's relative 95% half-width is at most this.",
)
@click.option("--metric", help="The metric for --target-half-width.")
@click.option(
    "--max-replications",
    type=click.IntRange(min=2),
    default=200,
    show_default=True,
    help="Cap on replications per scenario with --target-half-width.",
)
@force_option
def sweep_cmd(
    spec: str,
    workers: int | None,
    kind: str,
    scheduler: str | None,
    out: str | None,
    resume: bool,
    replications: int | None,
    target_half_width: float | None,
    metric: str | None,
    max_replications: int,
    force: bool,
) -> None:
    """Run every scenario × replication of the experiment in SPEC."""
    from officeq.api import SweepError, SweepInterrupted, sweep
    from officeq.config.loading import ConfigError
    from officeq.experiments.output import MONTHLY_FILE, SWEEP_FILES
    from officeq.experiments.spec import load_spec
    from officeq.experiments.store import StoreError
    from officeq.measure.files import OutputError

    try:
        exp = load_spec(spec, replications)
    except ConfigError as e:
        fail(str(e))
    out_dir = Path(out or Path("results") / exp.spec.name)
    progress = _Progress()
    stop = Interruption()
    try:
        with stop.sigterm_like_ctrl_c():
            result = sweep(
                exp,
                workers=workers,
                executor=kind,
                out=out_dir,
                replications=replications,
                resume=resume,
                scheduler=scheduler,
                target_half_width=target_half_width,
                metric=metric,
                max_replications=max_replications,
                progress=progress,
                force=force,
            )
    except (ConfigError, SweepError, StoreError, OutputError) as e:
        progress.close()
        fail(str(e))
    except KeyboardInterrupt as e:  # SweepInterrupted, or one before the store opened
        progress.close()
        kept = (
            f"{e.stored} runs are stored in {out_dir}"
            if isinstance(e, SweepInterrupted)
            else f"the runs stored in {out_dir} are kept"
        )
        err_console.print(
            f"{stop.word}: {kept}; run the same command with --resume to finish", highlight=False
        )
        sys.exit(stop.exit_code)
    progress.close()
    console.print(scenario_table(result.experiment, result.summary, metric))
    files = [*SWEEP_FILES, *((MONTHLY_FILE,) if result.monthly is not None else ())]
    console.print(
        f"{len(result.runs)} runs; wrote {', '.join(files)}, manifest.json to {out_dir}",
        highlight=False,
    )


@click.command("warmup")
@click.argument("config")
@click.option(
    "--replications",
    type=click.IntRange(min=1, max=10_000),
    default=5,
    show_default=True,
    help="Pilot replications.",
)
@click.option(
    "--days",
    type=Finite(min=0, min_open=True),
    help="Pilot length in days (default: the config's horizon_days).",
)
@click.option(
    "--series",
    default="followup_overdue",
    show_default=True,
    help="Daily column to settle (any numeric column of daily.csv).",
)
@set_option
@force_option
def warmup_cmd(
    config: str,
    replications: int,
    days: float | None,
    series: str,
    overrides: tuple[str, ...],
    force: bool,
) -> None:
    """Suggest a warm-up length for CONFIG (MSER-5 on pilot replications)."""
    from officeq.api.sizing import TooBigError, check_sweep
    from officeq.experiments.warmup import suggest_warmup
    from officeq.measure.daily import daily_columns
    from officeq.measure.run import run

    cfg = load(config, overrides, horizon_days=days, warmup_days=0)
    columns = daily_columns(cfg.work.followup.groups)
    if series not in columns[5:]:  # day, date, weekday, open, warmup are not series
        fail(
            f"--series: {series!r} is not a daily column; try followup_overdue, "
            "inquiries_waiting or income_support_waiting"
        )
    try:  # the pilots run one after another in this process
        check_sweep([(cfg.name, cfg)], replications, 1, config, force)
    except TooBigError as e:
        fail(str(e))
    err_console.print(
        f"running {replications} pilot replications of {cfg.horizon_days:g} days", highlight=False
    )
    runs = []
    for r in range(replications):
        result = run(cfg.model_copy(update={"seed": cfg.seed + r}))
        runs.append(result.daily[series].to_numpy(dtype=float))
    try:
        s = suggest_warmup(runs)
    except ValueError as e:
        fail(f"{config}: {e}")
    console.print(f"suggested warmup_days: {s.days}", highlight=False)
    console.print(s.reason, highlight=False)
