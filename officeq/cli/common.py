"""What every ``officeq`` command shares: consoles, one-line errors, progress, config loading.

Bad input (a config that does not validate, a missing file, a ``--set`` on
a path that does not exist) prints one line naming the file and field and
exits with code 2; nothing is written. This module imports no pandas, no
plotting and no pydantic at import time, so ``officeq --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import math
import signal
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from rich.progress import Progress

    from officeq.config.schema import Config
    from officeq.measure.run import RunResult
    from officeq.model.state import OfficeState

console = Console()
if not console.is_terminal:  # files and pipes: wide enough that tables keep whole names
    console = Console(width=140)
err_console = Console(stderr=True)
if not err_console.is_terminal:  # one message, one line, also in logs
    err_console = Console(stderr=True, width=1000)


def fail(message: str) -> NoReturn:
    """Print one error line and exit with code 2."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(2)


class Interruption:
    """What stopped a long command: Ctrl-C (SIGINT) or SIGTERM, said and exited with.

    Inside :meth:`sigterm_like_ctrl_c`, SIGTERM raises ``KeyboardInterrupt``
    like Ctrl-C does, so the same clean path runs: stored work is kept,
    worker processes are stopped, one line says what happened. A second
    SIGTERM ends the process at once (its workers still follow it).
    """

    def __init__(self) -> None:
        self.signal = signal.SIGINT

    @property
    def word(self) -> str:
        return "terminated" if self.signal == signal.SIGTERM else "interrupted"

    @property
    def exit_code(self) -> int:
        """130 after Ctrl-C, 143 after SIGTERM (128 + the signal's number, as shells do)."""
        return 128 + int(self.signal)

    @contextlib.contextmanager
    def sigterm_like_ctrl_c(self) -> Iterator[Interruption]:
        def on_sigterm(signum: int, _frame: object) -> None:
            self.signal = signal.Signals(signum)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second one: stop now
            raise KeyboardInterrupt

        try:
            previous = signal.signal(signal.SIGTERM, on_sigterm)
        except ValueError:  # not on the main thread (an embedding app): leave SIGTERM alone
            yield self
            return
        try:
            yield self
        finally:
            signal.signal(signal.SIGTERM, previous)


def progress_bar() -> Progress:
    """A transient progress bar on stderr."""
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )


def check_size(cfg: Config, source: str, force: bool, events: bool = False) -> None:
    """Fail with one line naming the field when the run is too big (unless ``force``)."""
    from officeq.api.sizing import TooBigError, check_run

    try:
        check_run(cfg, source, force, events)
    except TooBigError as e:
        fail(str(e))


def load_from(
    config: str,
    overrides: tuple[str, ...],
    snapshot: str,
    seed: int | None,
    days: float | None,
    warmup_days: float | None,
) -> tuple[Config, OfficeState]:
    """A config started from a snapshot folder (its date; no warm-up unless given),
    and the snapshot's state; or fail in one line."""
    from officeq.data.snapshot import read_snapshot, snapshot_moment
    from officeq.data.tables import DataError

    try:
        at = snapshot_moment(snapshot)
    except DataError as e:
        fail(str(e))
    warmup = 0.0 if warmup_days is None else warmup_days
    cfg = load(config, overrides, seed=seed, horizon_days=days, warmup_days=warmup, start_date=at)
    try:
        return cfg, read_snapshot(snapshot, cfg)[0]
    except DataError as e:
        fail(str(e))


def snapshot_day(text: str, cfg: Config) -> int:
    """``--snapshot-at``: a day number, or a date within the run; or fail."""
    import datetime as dt

    try:
        day = int(text)
    except ValueError:
        try:
            day = (dt.date.fromisoformat(text) - cfg.start_date).days
        except ValueError:
            fail(f"--snapshot-at: {text!r} is neither a day number nor a date YYYY-MM-DD")
    if not 0 < day <= cfg.horizon_days:
        fail(
            f"--snapshot-at: day {day} is not inside the run (1 to "
            f"{math.floor(cfg.horizon_days)}, the end; from {cfg.start_date})"
        )
    return day


def run_with_progress(cfg: Config, label: str, **options: Any) -> RunResult:
    """Run one office (its size already checked), with a progress bar on a terminal;
    ``options`` go to :func:`officeq.api.run`."""
    from officeq.api import run

    if not err_console.is_terminal:
        return run(cfg, force=True, **options)
    with progress_bar() as bar:
        task = bar.add_task(label, total=1.0)
        return run(cfg, progress=lambda f: bar.update(task, completed=f), force=True, **options)


OPTION_NAMES = {"seed": "--seed", "horizon_days": "--days", "warmup_days": "--warmup-days"}
"""The command-line option that sets each top-level field (named in errors)."""


def load(config: str, overrides: tuple[str, ...], **fields: object) -> Config:
    """Load and validate a config, or fail with one line naming the file and field."""
    from officeq.config.loading import ConfigError, load_config

    try:
        return load_config(config, overrides, labels=OPTION_NAMES, **fields)
    except ConfigError as e:
        fail(str(e))


class Finite(click.FloatRange):
    """A float option that refuses ``nan`` and ``inf`` (click's FloatRange lets them through)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        rv = super().convert(value, param, ctx)
        if not math.isfinite(rv):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return rv


set_option = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="PATH=VALUE",
    help="Override a config field, e.g. --set staff.caseworkers=14 (repeatable).",
)
force_option = click.option(
    "--force",
    is_flag=True,
    help="Run even when the size estimate says it would take more than an hour per run "
    "(a day per local sweep) or half the machine's memory.",
)
workers_option = click.option(
    "--workers", type=click.IntRange(min=1), help="Processes (default: all cores)."
)
