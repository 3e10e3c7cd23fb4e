"""A sweep from Python: an experiment spec run over an executor, as DataFrames."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from officeq.experiments.spec import Experiment


@dataclass(frozen=True)
class SweepResult:
    """The tables of a sweep (the same as ``officeq sweep`` writes).

    Attributes:
        experiment: the expanded spec (its scenarios and fingerprint).
        runs: one row per scenario × replication: context columns and every metric.
        daily: every run's daily series with the same context columns.
        summary: per scenario and metric: mean, sd, 95% interval, half-width, n.
        out: the folder written, or None.
        monthly: every run's monthly scorecard with the same context columns (None
            when resumed from runs stored by an officeq that kept none).
    """

    experiment: Experiment
    runs: pd.DataFrame
    daily: pd.DataFrame
    summary: pd.DataFrame
    out: Path | None = None
    monthly: pd.DataFrame | None = None

    def means(self, metric: str) -> pd.DataFrame:
        """One row per scenario: ``metric``'s mean and 95% interval."""
        s = self.summary
        return s[s["metric"] == metric].drop(columns="metric").reset_index(drop=True)


class SweepError(ValueError):
    """Arguments of :func:`sweep` that cannot work together (said in one line)."""


class SweepInterrupted(KeyboardInterrupt):
    """A sweep stopped by Ctrl-C; ``stored`` runs are kept in ``out`` for ``resume=True``.

    Its worker processes are stopped at once (the runs in flight are lost);
    they also die on their own if this process is killed.
    """

    def __init__(self, stored: int, out: Path | None) -> None:
        super().__init__(f"interrupted: {stored} runs stored")
        self.stored, self.out = stored, out


def sweep(
    spec: str | Path | Mapping[str, Any] | Experiment,
    workers: int | None = 1,
    executor: Executor | str | None = None,
    out: str | Path | None = None,
    *,
    replications: int | None = None,
    resume: bool = False,
    scheduler: str | None = None,
    target_half_width: float | None = None,
    metric: str | None = None,
    max_replications: int = 200,
    progress: Callable[[int, int], None] | None = None,
    force: bool = False,
) -> SweepResult:
    """Run an experiment spec: every scenario × replication, with common random numbers.

    Args:
        spec: the experiment spec file (YAML), a dict of its fields (paths
            relative to the working directory), or one already loaded
            (:func:`officeq.experiments.spec.load_spec`).
        workers: processes for the local executor (1: in this process; None: all cores).
        executor: a ``concurrent.futures.Executor`` to run on (e.g. a Dask client's
            ``get_executor()``), or ``"local"``/``"dask"``; default local.
        out: a folder to keep the run store and write the tables to (resumable);
            None keeps everything in memory.
        replications: replaces the spec's count.
        resume: continue a sweep stored in ``out``.
        scheduler: an existing Dask scheduler address (``tcp://host:port``).
        target_half_width, metric: add replications per scenario until ``metric``'s
            relative 95% half-width is at most this (capped by ``max_replications``).
        progress: called with (runs done, runs planned) at the start and after each run.
        force: run even when a run is estimated to take more than an hour or half
            the machine's memory, or a local sweep more than a day
            (:mod:`officeq.api.sizing`).

    Results are the same whatever the executor and the number of workers.

    Raises:
        officeq.ConfigError: a spec that does not validate, or (``TooBigError``)
            a sweep too big to run without ``force``, naming the field.
        SweepError: a target without a metric, or an unknown metric.
        officeq.experiments.store.StoreError: ``out`` holds another sweep, or one
            already (without ``resume``).
        officeq.measure.files.OutputError: ``out`` cannot be written (a file in the
            way, no permission) or holds another kind of results; raised before any run.
        SweepInterrupted: on Ctrl-C; the runs done so far stay in ``out``.
    """
    from officeq.api.sizing import check_sweep
    from officeq.experiments.results import (
        daily_table,
        monthly_table,
        runs_table,
        summary_table,
    )
    from officeq.experiments.spec import MAX_REPLICATIONS, Experiment, load_spec
    from officeq.experiments.store import Store
    from officeq.experiments.sweep import Target, execute, more_replications, plan
    from officeq.measure.summary import summary_keys

    exp = spec if isinstance(spec, Experiment) else load_spec(spec, replications)
    if replications is not None and not 1 <= replications <= MAX_REPLICATIONS:
        raise SweepError(f"--replications: {replications} is not from 1 to {MAX_REPLICATIONS:,}")
    if not 2 <= max_replications <= MAX_REPLICATIONS:
        raise SweepError(
            f"--max-replications: {max_replications} is not from 2 to {MAX_REPLICATIONS:,}"
        )
    local = executor in (None, "local") and scheduler is None
    check_sweep(
        [(s.name, s.config) for s in exp.scenarios],
        exp.replications(replications),
        (workers or os.cpu_count() or 1) if local else None,
        exp.source,
        force,
    )
    target = None
    if target_half_width is not None or metric is not None:
        if target_half_width is None or metric is None:
            raise SweepError("--target-half-width and --metric go together")
        known = summary_keys(exp.scenarios[0].config.work.followup.groups)
        if metric not in known:
            from officeq.config.suggest import did_you_mean

            raise SweepError(
                f"--metric: unknown metric {metric!r} (summary.json has the names)"
                + did_you_mean(metric, known)
            )
        target = Target(metric, target_half_width, max_replications)
    out_dir = Path(out) if out is not None else None
    if out_dir is not None:
        from officeq.experiments.output import check_sweep_folder

        check_sweep_folder(out_dir)  # before anything runs
    store = Store(out_dir / "store.sqlite" if out_dir else None, exp.fingerprint, resume)
    reps = exp.replications(replications)
    todo = plan(exp, reps, store.done())
    total = len(exp.scenarios) * reps
    counter = _Counter(total, total - len(todo), progress)
    counter.report_now()
    try:
        with _executor(executor, workers, scheduler) as ex:
            execute(todo, ex, store, counter.step)
            while target is not None:
                need = more_replications(exp, store, target)
                if not need:
                    break
                todo = plan(exp, reps, store.done(), upto=need)
                counter.total += len(todo)
                execute(todo, ex, store, counter.step)
        runs = runs_table(exp, store.runs())
        daily = daily_table(exp, store.daily())
        monthly = monthly_table(exp, store.monthly())
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM where the caller made it one (the CLI)
        stored = len(store.done())
        store.close()
        raise SweepInterrupted(stored, out_dir) from None
    store.close()
    summary = summary_table(runs, exp)
    if out_dir is not None:
        from officeq.experiments.output import write_sweep

        resolved = dict(exp.resolved, spec_file=exp.source, fingerprint=exp.fingerprint)
        write_sweep(out_dir, runs, daily, summary, resolved, monthly)
    return SweepResult(exp, runs, daily, summary, out_dir, monthly)


@dataclass
class _Counter:
    total: int
    done: int
    report: Callable[[int, int], None] | None

    def step(self) -> None:
        self.done += 1
        self.report_now()

    def report_now(self) -> None:
        if self.report is not None:
            self.report(self.done, self.total)


def _executor(
    executor: Executor | str | None, workers: int | None, scheduler: str | None
) -> contextlib.AbstractContextManager[Executor]:
    """A context manager yielding the executor to use (one given is not shut down)."""
    from officeq.experiments.sweep import make_executor

    if isinstance(executor, Executor):
        return contextlib.nullcontext(executor)
    return make_executor(executor or "local", workers, scheduler)
