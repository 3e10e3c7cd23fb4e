"""The staffing advisor from Python: the fewest caseworkers meeting targets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officeq.api.basics import ConfigLike
from officeq.config.loading import load_config as _load_config
from officeq.config.schema import Config

if TYPE_CHECKING:
    import pandas as pd

    from officeq.experiments.advisor import Advice, Analytic, TargetSpec


class StaffingError(ValueError):
    """Arguments of :func:`staff` that cannot work (said in one line)."""


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
        range: the staffing levels searched (lowest, highest).
    """

    targets: list[TargetSpec]
    confidence: float
    advice: dict[str, Advice]
    analytic: Analytic
    config: Config
    range: tuple[int, int] = (1, 60)
    assumptions: tuple[dict[str, Any], ...] = ()
    """The config's fields marked ``(A)`` (:mod:`officeq.config.assumptions`)."""
    seed: int = 2025
    max_replications: int = 40

    @property
    def caseworkers(self) -> dict[str, int | None]:
        """Per policy: the fewest caseworkers meeting every target (None: none in range)."""
        return {name: a.caseworkers for name, a in self.advice.items()}

    def tables(self) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
        """The levels the advisor ran as a sweep's tables: runs (one row per
        replication), summary (per level and metric, 95% intervals) and the spec."""
        import pandas as pd

        from officeq.experiments.labels import scenario_name
        from officeq.experiments.results import summarise

        rows: list[dict[str, Any]] = []
        for name, a in self.advice.items():
            for c in sorted(a.levels):
                ctx = {
                    "scenario_id": len({r["scenario_id"] for r in rows}),
                    "scenario": scenario_name(
                        "", [("staff.caseworkers", c), ("policy.name", name)]
                    ),
                    "staff_caseworkers": c,
                    "policy_name": name,
                }
                rows += [
                    {**ctx, "replication": r, **s} for r, s in enumerate(a.levels[c].summaries)
                ]
        runs = pd.DataFrame(rows)
        context = ["scenario_id", "scenario", "staff_caseworkers", "policy_name"]
        spec = {
            "name": "staffing advisor",
            "grid": {"staff.caseworkers": [], "policy.name": []},
            "targets": [str(t) for t in self.targets],
            "base_config": self.config.model_dump(mode="json"),
            # the advisor's rule, answer and cost: figures and the report read them
            "advisor": {
                "answer": dict(self.caseworkers),
                "confidence": self.confidence,
                "range": list(self.range),
                "seed": self.seed,
                "max_replications": self.max_replications,
                "runs": {name: a.runs for name, a in self.advice.items()},
                "erlang_c": self.analytic.erlang_c,
                "square_root": self.analytic.square_root,
                "analytic_note": self.analytic.note,
            },
            "assumptions": list(self.assumptions),
        }
        return runs, summarise(runs, context), spec


def check_staffing(
    cfg: Config,
    targets: Sequence[str],
    policies: Sequence[str] | None = None,
    lo: int = 1,
    hi: int = 60,
    max_replications: int = 40,
    source: str = "<config>",
    force: bool = False,
) -> list[TargetSpec]:
    """What :func:`staff` checks before anything runs; the targets, parsed.

    Raises:
        StaffingError: as :func:`staff` says.
        officeq.api.sizing.TooBigError: a run at ``hi`` too big without ``force``.
    """
    from officeq.api.sizing import check_run
    from officeq.config.base import MAX_CASEWORKERS
    from officeq.config.schema import POLICY_NAMES
    from officeq.experiments.advisor import parse_target
    from officeq.experiments.spec import MAX_REPLICATIONS

    if lo > hi:
        raise StaffingError(f"lo (--min) {lo} is above hi (--max) {hi}")
    if hi > MAX_CASEWORKERS:
        raise StaffingError(f"hi (--max) {hi} is above {MAX_CASEWORKERS:,} caseworkers")
    if not 2 <= max_replications <= MAX_REPLICATIONS:
        raise StaffingError(
            f"max_replications {max_replications} is not from 2 to {MAX_REPLICATIONS:,}"
        )
    largest = cfg.model_copy(update={"staff": cfg.staff.model_copy(update={"caseworkers": hi})})
    check_run(largest, source, force)
    groups = tuple(cfg.work.followup.groups)
    try:
        parsed = [parse_target(t, groups) for t in targets]
    except ValueError as e:
        raise StaffingError(str(e)) from None
    if not parsed:
        raise StaffingError("give at least one target (e.g. 'inquiry_sla_hit_rate>=0.9')")
    for p in policies or ():
        if p not in POLICY_NAMES:
            raise StaffingError(
                f"unknown policy {p!r} (--policy); choose one of {', '.join(POLICY_NAMES)}"
            )
    return parsed


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
    force: bool = False,
    assumptions_from: str | Path | None = None,
) -> StaffingAnswer:
    """The fewest ``staff.caseworkers`` for which every target holds, per policy.

    A level meets the targets when each metric's one-sided Student-t bound
    over replications lies on the right side of its target; levels are
    scanned upward from ``lo`` with replications added where undecided.

    Args:
        config: the office (see :func:`officeq.load_config`).
        targets: e.g. ``["inquiry_sla_hit_rate>=0.9", "followup_backlog_mean<=50"]``.
        policies: policies to size (default: the config's).
        lo, hi: the staffing range searched.
        confidence: level of each one-sided Student-t bound.
        workers: processes (1: in this process; None: all cores).
        max_replications: replications per level at most.
        seed: the replications' base seed (common random numbers across levels).
        progress: called with (policy, caseworkers, verdict, replications) per level.
        force: search even when a run at ``hi`` caseworkers is estimated to take
            more than an hour or half the machine's memory.
        assumptions_from: the config file whose ``(A)``-marked fields the answer lists
            (default: ``config`` when it is a file).

    Raises:
        StaffingError: a target that cannot be parsed, no target, an unknown
            policy, ``lo > hi`` (a ValueError, checked before anything runs).
        officeq.api.sizing.TooBigError: a run at ``hi`` too big without ``force``.
    """
    from officeq.experiments.advisor import advise, analytic_baseline
    from officeq.experiments.sweep import make_executor, summary_of

    cfg = config if isinstance(config, Config) else _load_config(config)
    source = str(config) if isinstance(config, str | Path) else "<config>"
    parsed = check_staffing(cfg, targets, policies, lo, hi, max_replications, source, force)
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
    analytic = analytic_baseline(cfg, parsed)
    marked: tuple[dict[str, Any], ...] = ()
    source_file = assumptions_from or (config if isinstance(config, str | Path) else None)
    if source_file is not None:
        from officeq.config.assumptions import assumptions

        marked = tuple(assumptions(source_file, cfg.model_dump(mode="json")))
    return StaffingAnswer(
        parsed, confidence, advice, analytic, cfg, (lo, hi), marked, seed, max_replications
    )
