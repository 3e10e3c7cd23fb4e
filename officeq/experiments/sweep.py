"""Running an experiment: every scenario × replication, on any executor.

Runs are independent, so a sweep is a list of :class:`RunSpec` handed to a
``concurrent.futures.Executor``: in-process (one worker), a local process
pool (whose workers die with the sweep, :mod:`officeq.experiments.workers`),
or a Dask cluster. :func:`run_one` is top-level and picklable; a
run's numbers depend only on its config and seed, so results are the same
whatever executes them. Each finished run goes to the store at once.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from dataclasses import dataclass
from typing import Any

import pandas as pd

from officeq.config.schema import Config
from officeq.experiments.spec import Experiment, replication_seed
from officeq.experiments.store import Store
from officeq.experiments.workers import process_pool, stop_cluster_now
from officeq.measure.run import run
from officeq.validation.stats import t_interval


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep."""

    scenario_id: int
    replication: int
    seed: int
    config: Config


def run_one(
    spec: RunSpec,
) -> tuple[int, int, int, dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """Run one scenario × replication (in whatever process the executor chose): its
    keys, seed, summary, daily table and monthly scorecard."""
    result = run(spec.config.model_copy(update={"seed": spec.seed}))
    return (
        spec.scenario_id,
        spec.replication,
        spec.seed,
        result.summary,
        result.daily,
        result.monthly,
    )


class InlineExecutor(Executor):
    """Runs each task in the calling process when it is submitted (``--workers 1``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as e:  # handed to the caller through the future
            future.set_exception(e)
        return future


@contextlib.contextmanager
def make_executor(
    kind: str = "local", workers: int | None = None, scheduler: str | None = None
) -> Iterator[Executor]:
    """The executor for a sweep.

    Args:
        kind: ``local`` (process pool, or in-process with one worker) or ``dask``.
        workers: processes to use (default: all cores); for dask, local workers to start.
        scheduler: a Dask scheduler address (``tcp://host:port``); implies ``dask``.
    """
    if scheduler is not None or kind == "dask":
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - depends on the extra
            raise RuntimeError(
                "the dask executor needs the dask extra: pip install 'officeq[dask]'"
            ) from None
        cluster = None
        if scheduler is not None:
            client = Client(scheduler)
        else:  # its worker processes exit on their own when this process dies
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
        try:
            yield client.get_executor()
        except BaseException:
            if cluster is not None:
                stop_cluster_now(cluster)
            raise
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return
    n = workers or os.cpu_count() or 1
    if n == 1:
        yield InlineExecutor()
        return
    with process_pool(n) as pool:  # workers that die with this process
        yield pool


@dataclass(frozen=True)
class Target:
    """Add replications until ``metric``'s relative 95% half-width is at most ``width``."""

    metric: str
    width: float
    max_replications: int


def plan(
    exp: Experiment,
    replications: int,
    done: set[tuple[int, int]],
    upto: dict[int, int] | None = None,
) -> list[RunSpec]:
    """The runs still missing, in key order: replication r of scenario s for r < n(s)."""
    out = []
    for s in exp.scenarios:
        n = (upto or {}).get(s.id, replications)
        for r in range(n):
            if (s.id, r) not in done:
                out.append(RunSpec(s.id, r, replication_seed(exp.spec.seed, r), s.config))
    return out


def execute(
    runs: list[RunSpec],
    executor: Executor,
    store: Store,
    progress: Callable[[], None] | None = None,
    window: int | None = None,
) -> None:
    """Run ``runs`` on ``executor``; record each in ``store`` as it finishes.

    At most ``window`` runs are in flight (default: one in-process, twice the
    pool's workers locally, 1,024 on a cluster), so each finished run is stored
    while later ones still run and an interrupted sweep loses only the runs in flight.
    """
    if window is None:
        if isinstance(executor, InlineExecutor):
            window = 1
        elif isinstance(executor, ProcessPoolExecutor):
            window = 2 * (getattr(executor, "_max_workers", None) or os.cpu_count() or 1)
        else:  # a cluster: let its scheduler see plenty of work
            window = 1024
    todo = iter(runs)
    in_flight: set[Future] = set()
    try:
        while True:
            for spec in todo:
                in_flight.add(executor.submit(run_one, spec))
                if len(in_flight) >= window:
                    break
            if not in_flight:
                return
            finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                sid, rep, seed, summary, daily, monthly = future.result()
                store.add(sid, rep, seed, summary, daily, monthly)
                if progress is not None:
                    progress()
    finally:
        for f in in_flight:
            f.cancel()


def more_replications(exp: Experiment, store: Store, target: Target) -> dict[int, int]:
    """How many replications each scenario needs next to reach ``target`` (empty: done)."""
    values: dict[int, list[float]] = {s.id: [] for s in exp.scenarios}
    for sid, _rep, _seed, summary in store.runs():
        v = summary.get(target.metric)
        values[sid].append(math.nan if v is None else float(v))
    need = {}
    for sid, vals in values.items():
        n = len(vals)
        if n >= target.max_replications:
            continue
        ci = t_interval(vals)
        if ci.n < 2 or ci.relative_half_width > target.width:
            # the half-width shrinks like 1/sqrt(n): aim for the n that would meet it
            ratio = ci.relative_half_width / target.width if ci.n >= 2 else 2.0
            wanted = math.ceil(n * min(max(ratio**2, 1.25), 4.0))
            need[sid] = min(max(wanted, n + 1), target.max_replications)
    return need


def summary_of(cfg: Config) -> dict[str, Any]:
    """Run one config and return its summary (top-level, so process pools can pickle it)."""
    return run(cfg).summary
