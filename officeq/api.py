"""The Python API for notebooks and scripts; the ``officeq`` command uses it too.

Five calls cover what the command line does:

- :func:`load_config`: a file, a dict or a :class:`~officeq.config.schema.Config`,
  with ``--set``-style overrides, validated;
- :func:`run`: one office, one replication, as a :class:`~officeq.measure.run.RunResult`;
- :func:`sweep`: an experiment spec over scenarios × replications, as a :class:`SweepResult`;
- :func:`staff`: the fewest caseworkers meeting targets, as a :class:`StaffingAnswer`;
- :func:`plot`: any figure of ``officeq plot``, as a matplotlib ``Figure``.

Heavy libraries (pandas, matplotlib, dask) are imported inside the calls that
need them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officeq.config.loading import load_config as _load_config
from officeq.config.schema import Config

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from officeq.experiments.advisor import Advice, Analytic, TargetSpec
    from officeq.experiments.spec import Experiment
    from officeq.measure.run import RunResult

ConfigLike = str | Path | Mapping[str, Any] | Config


def load_config(
    source: ConfigLike, overrides: Iterable[str] = (), **fields: Any
) -> Config:
    """Read, override and validate a config.

    Args:
        source: a YAML file, a dict of config fields, or a ``Config`` to change.
        overrides: ``dotted.path=value`` strings, exactly as ``--set`` takes them,
            e.g. ``["staff.caseworkers=15", "policy.name=needs_based"]``.
        fields: top-level fields to replace when not None (``seed``,
            ``horizon_days``, ``warmup_days``).

    Returns:
        A frozen, validated :class:`~officeq.config.schema.Config`.

    Raises:
        officeq.ConfigError: one line naming the source and the field.
    """
    return _load_config(source, overrides, **fields)


def run(
    config: ConfigLike,
    seed: int | None = None,
    *,
    overrides: Iterable[str] = (),
    progress: Callable[[float], None] | None = None,
) -> RunResult:
    """Simulate one office to its horizon.

    Args:
        config: a ``Config``, a YAML file or a dict (see :func:`load_config`).
        seed: replaces the config's seed.
        overrides: ``--set``-style overrides applied first.
        progress: called with the fraction done after each simulated month.

    Returns:
        A :class:`~officeq.measure.run.RunResult`: ``.summary`` (dict),
        ``.daily`` and ``.monthly`` (DataFrames, built on first use).
    """
    from officeq.measure.run import run as _run

    overrides = tuple(overrides)
    if not isinstance(config, Config) or overrides or seed is not None:
        config = _load_config(config, overrides, seed=seed)
    return _run(config, progress)


@dataclass(frozen=True)
class SweepResult:
    """The tables of a sweep (the same as ``officeq sweep`` writes).

    Attributes:
        experiment: the expanded spec (its scenarios and fingerprint).
        runs: one row per scenario × replication: context columns and every metric.
        daily: every run's daily series with the same context columns.
        summary: per scenario and metric: mean, sd, 95% interval, half-width, n.
        out: the folder written, or None.
    """

    experiment: Experiment
    runs: pd.DataFrame
    daily: pd.DataFrame
    summary: pd.DataFrame
    out: Path | None = None

    def means(self, metric: str) -> pd.DataFrame:
        """One row per scenario: ``metric``'s mean and 95% interval."""
        s = self.summary
        return s[s["metric"] == metric].drop(columns="metric").reset_index(drop=True)


class SweepInterrupted(KeyboardInterrupt):
    """A sweep stopped by Ctrl-C; ``stored`` runs are kept in ``out`` for ``resume=True``."""

    def __init__(self, stored: int, out: Path | None) -> None:
        super().__init__(f"interrupted: {stored} runs stored")
        self.stored, self.out = stored, out


def sweep(
    spec: str | Path,
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
) -> SweepResult:
    """Run an experiment spec: every scenario × replication, with common random numbers.

    Args:
        spec: the experiment spec file (YAML).
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
        progress: called with (runs done, runs planned) after each run.

    Raises:
        officeq.ConfigError: a spec that does not validate.
        SweepInterrupted: on Ctrl-C; the runs done so far stay in ``out``.
    """
    from officeq.experiments.results import daily_table, runs_table, summary_table
    from officeq.experiments.spec import load_spec
    from officeq.experiments.store import Store
    from officeq.experiments.sweep import Target, execute, make_executor, more_replications, plan

    exp = load_spec(spec, replications)
    target = None
    if target_half_width is not None or metric is not None:
        if target_half_width is None or metric is None:
            raise ValueError("target_half_width and metric go together")
        target = Target(metric, target_half_width, max_replications)
    out_dir = Path(out) if out is not None else None
    store = Store(out_dir / "store.sqlite" if out_dir else None, exp.fingerprint, resume)
    reps = exp.replications(replications)
    todo = plan(exp, reps, store.done())
    counter = _Counter(len(exp.scenarios) * reps, len(exp.scenarios) * reps - len(todo), progress)
    try:
        with _executor(executor, workers, scheduler, make_executor) as ex:
            execute(todo, ex, store, counter.step)
            while target is not None:
                need = more_replications(exp, store, target)
                if not need:
                    break
                todo = plan(exp, reps, store.done(), upto=need)
                counter.total += len(todo)
                execute(todo, ex, store, counter.step)
    except KeyboardInterrupt:
        stored = len(store.done())
        store.close()
        raise SweepInterrupted(stored, out_dir) from None
    runs = runs_table(exp, store.runs())
    result = SweepResult(exp, runs, daily_table(exp, store.daily()), summary_table(runs, exp))
    store.close()
    if out_dir is not None:
        from officeq.experiments.output import write_sweep

        resolved = dict(exp.resolved, spec_file=str(spec), fingerprint=exp.fingerprint)
        write_sweep(out_dir, result.runs, result.daily, result.summary, resolved)
        result = SweepResult(exp, result.runs, result.daily, result.summary, out_dir)
    return result


@dataclass
class _Counter:
    total: int
    done: int
    report: Callable[[int, int], None] | None

    def step(self) -> None:
        self.done += 1
        if self.report is not None:
            self.report(self.done, self.total)


def _executor(executor, workers, scheduler, make_executor):  # type: ignore[no-untyped-def]
    """A context manager yielding the executor to use."""
    import contextlib

    if isinstance(executor, Executor):
        return contextlib.nullcontext(executor)
    return make_executor(executor or "local", workers, scheduler)


@dataclass(frozen=True)
class StaffingAnswer:
    """The staffing advisor's answer.

    Attributes:
        targets: the targets, parsed.
        confidence: the level of each one-sided bound.
        advice: per policy, the :class:`~officeq.experiments.advisor.Advice`
            (``caseworkers`` is None when no level in the range met every target).
        analytic: Erlang C and the square-root rule for the inquiry stream alone.
        config: the office that was sized.
    """

    targets: list[TargetSpec]
    confidence: float
    advice: dict[str, Advice]
    analytic: Analytic
    config: Config
    range: tuple[int, int] = field(default=(1, 60))

    @property
    def caseworkers(self) -> dict[str, int | None]:
        """Per policy: the fewest caseworkers meeting every target (None: none in range)."""
        return {name: a.caseworkers for name, a in self.advice.items()}

    def curve(self) -> pd.DataFrame:
        """Every level the advisor ran, one row per replication (for plots and tables)."""
        import pandas as pd

        rows = []
        for name, a in self.advice.items():
            for c in sorted(a.levels):
                ctx = {"staff_caseworkers": c, "policy_name": name}
                rows += [
                    {**ctx, "replication": r, **s} for r, s in enumerate(a.levels[c].summaries)
                ]
        return pd.DataFrame(rows)


def staff(
    config: ConfigLike,
    targets: Sequence[str],
    *,
    policies: Sequence[str] | None = None,
    lo: int = 1,
    hi: int = 60,
    confidence: float = 0.95,
    workers: int | None = 1,
    max_replications: int = 40,
    seed: int = 2025,
    progress: Callable[[str, int, bool | None, int], None] | None = None,
) -> StaffingAnswer:
    """The fewest ``staff.caseworkers`` for which every target holds, per policy.

    Args:
        config: the office (see :func:`load_config`).
        targets: e.g. ``["inquiry_sla_hit_rate>=0.9", "followup_backlog_mean<=50"]``.
        policies: policies to size (default: the config's).
        lo, hi: the staffing range searched.
        confidence: level of each one-sided Student-t bound.
        workers: processes (1: in this process; None: all cores).
        max_replications: replications per level at most.
        seed: the replications' base seed (common random numbers across levels).
        progress: called with (policy, caseworkers, verdict, replications) per level.

    Raises:
        ValueError: a target that cannot be parsed, an unknown policy, ``lo > hi``.
    """
    from officeq.config.schema import POLICY_NAMES
    from officeq.experiments.advisor import advise, analytic_baseline, parse_target
    from officeq.experiments.sweep import make_executor, summary_of

    cfg = config if isinstance(config, Config) else _load_config(config)
    if lo > hi:
        raise ValueError(f"lo {lo} is above hi {hi}")
    groups = tuple(cfg.work.followup.groups)
    parsed = [parse_target(t, groups) for t in targets]
    if not parsed:
        raise ValueError("give at least one target (e.g. 'inquiry_sla_hit_rate>=0.9')")
    for p in policies or ():
        if p not in POLICY_NAMES:
            raise ValueError(f"unknown policy {p!r}; choose one of {', '.join(POLICY_NAMES)}")
    advice = {}
    with make_executor("local", workers) as executor:

        def runner(configs: list[Config]) -> list[dict[str, float | None]]:
            return list(executor.map(summary_of, configs))

        for name in list(policies or [cfg.policy.name]):
            policy_cfg = cfg.model_copy(
                update={"policy": cfg.policy.model_copy(update={"name": name})}
            )

            def report(c: int, verdict: bool | None, runs: int, name: str = name) -> None:
                if progress is not None:
                    progress(name, c, verdict, runs)

            advice[name] = advise(
                policy_cfg,
                parsed,
                runner,
                lo=lo,
                hi=hi,
                confidence=confidence,
                seed=seed,
                cap=max_replications,
                progress=report,
            )
    return StaffingAnswer(parsed, confidence, advice, analytic_baseline(cfg, parsed), cfg, (lo, hi))


def plot(
    result: RunResult | SweepResult | StaffingAnswer | str | Path,
    kind: str = "overview",
    ax: Axes | None = None,
    **options: Any,
) -> Figure:
    """Draw one of ``officeq plot``'s figures and return it (Jupyter shows it inline).

    Args:
        result: a run, a sweep, a staffing answer, or a results folder.
        kind: ``overview``, ``backlog``, ``scorecard``, ``steering`` (one run);
            ``frontier``, ``staffing``, ``heatmap``, ``backlog``, ``scorecard`` (a sweep
            or a staffing answer).
        ax: draw into this matplotlib Axes (single-panel kinds only).
        options: ``metric``, ``target``, ``x``, ``y``, ``by_group`` as on the command line.

    Raises:
        officeq.experiments.folders.ResultsError: the kind does not fit the result.
    """
    from officeq.figures.kinds import FigureOptions, make_figure
    from officeq.figures.tables import as_results

    return make_figure(as_results(result), kind, FigureOptions(**options), ax=ax)
