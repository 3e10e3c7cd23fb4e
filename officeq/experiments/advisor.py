"""The staffing advisor: the fewest caseworkers that meet every target.

A target is a metric, a direction and a value (``inquiry_sla_hit_rate>=0.9``).
A staffing level *meets* the targets when, for each, the one-sided
confidence bound of its mean over replications lies on the right side
(the lower bound for ``>=``, the upper bound for ``<=``). The search assumes
the metrics improve with staff, and spends replications where the decision
is close: a level gets replications in batches until every target is
decided either way (or a cap is reached, which counts as not met), so levels
far from the answer cost one small batch. Every level uses the same
replication seeds (common random numbers). Beside the answer,
the analytic baseline a call-centre calculator would give: Erlang C's
minimum for the inquiry stream alone, and the square-root staffing rule.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from officeq.config.schema import Config
from officeq.config.suggest import did_you_mean
from officeq.experiments.spec import replication_seed
from officeq.measure.summary import summary_keys
from officeq.model.arrivals import weekly_opening
from officeq.validation.stats import t_interval
from officeq.validation.theory import erlang_c_min_servers, square_root_staffing

_TARGET = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(>=|<=)\s*([-+0-9.eE]+)\s*$")


@dataclass(frozen=True)
class TargetSpec:
    """``metric >= value`` or ``metric <= value``."""

    metric: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.metric}{self.op}{self.value:g}"


def parse_target(text: str, groups: Sequence[str]) -> TargetSpec:
    """Parse ``metric>=value``; raise ValueError naming an unknown metric."""
    m = _TARGET.match(text)
    if not m:
        raise ValueError(f"target {text!r} must look like metric>=value or metric<=value")
    metric, op, value = m.group(1), m.group(2), float(m.group(3))
    if metric not in summary_keys(groups):
        known = summary_keys(groups)
        raise ValueError(
            f"target {text!r}: unknown metric {metric!r}" + did_you_mean(metric, known)
        )
    return TargetSpec(metric, op, value)


@dataclass
class Level:
    """What the search knows about one staffing level."""

    caseworkers: int
    values: dict[str, list[float]] = field(default_factory=dict)
    summaries: list[dict[str, float | None]] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return len(next(iter(self.values.values()), []))

    def bound(self, target: TargetSpec, confidence: float) -> float:
        """The one-sided confidence bound on the target's side."""
        # a one-sided bound at `confidence` is one end of the two-sided 2·confidence − 1 interval
        ci = t_interval(self.values[target.metric], 2 * confidence - 1)
        if ci.n < 2:
            return -math.inf if target.op == ">=" else math.inf
        return ci.low if target.op == ">=" else ci.high

    def interval(self, metric: str, level: float = 0.95) -> tuple[float, float, float]:
        """Mean and two-sided Student-t interval of ``metric`` at this level."""
        ci = t_interval(self.values[metric], level)
        return ci.mean, ci.low, ci.high

    def verdict(self, targets: Sequence[TargetSpec], confidence: float) -> bool | None:
        """True: every target met with confidence; False: some target surely missed;
        None: not yet decided."""
        undecided = False
        for t in targets:
            meets = self.bound(t, confidence)
            other = TargetSpec(t.metric, "<=" if t.op == ">=" else ">=", t.value)
            fails = self.bound(other, confidence)
            if (t.op == ">=" and fails < t.value) or (t.op == "<=" and fails > t.value):
                return False
            if not ((t.op == ">=" and meets >= t.value) or (t.op == "<=" and meets <= t.value)):
                undecided = True
        return None if undecided else True


@dataclass(frozen=True)
class Advice:
    """The advisor's answer for one policy."""

    policy: str
    caseworkers: int | None
    levels: dict[int, Level]
    runs: int
    best: int
    """The level with the best values reached (the top of the range if none meets)."""


Runner = Callable[[list[Config]], list[dict[str, float | None]]]


def advise(
    cfg: Config,
    targets: Sequence[TargetSpec],
    runner: Runner,
    *,
    lo: int = 1,
    hi: int = 60,
    confidence: float = 0.95,
    seed: int = 2025,
    first: int = 4,
    batch: int = 5,
    cap: int = 40,
    progress: Callable[[int], None] | None = None,
) -> Advice:
    """The smallest ``staff.caseworkers`` in [lo, hi] meeting every target.

    Args:
        cfg: the office (its policy is used as is).
        targets: the targets, all to be met.
        runner: runs a list of configs, returns their summaries (in order).
        confidence: level of each one-sided bound.
        first, batch, cap: replications per level: first, then per step, at most.
    """
    levels: dict[int, Level] = {}
    total = 0

    def evaluate(c: int) -> bool:
        nonlocal total
        level = levels.setdefault(c, Level(c, {t.metric: [] for t in targets}))
        while True:
            verdict = level.verdict(targets, confidence)
            if verdict is not None or level.runs >= cap:
                if progress is not None:
                    progress(c, verdict, level.runs)
                return bool(verdict)  # undecided at the cap: not shown to meet the targets
            k = first if level.runs == 0 else min(batch, cap - level.runs)
            reps = range(level.runs, level.runs + k)
            configs = [
                cfg.model_copy(
                    update={
                        "seed": replication_seed(seed, r),
                        "staff": cfg.staff.model_copy(update={"caseworkers": c}),
                    }
                )
                for r in reps
            ]
            for summary in runner(configs):
                level.summaries.append(summary)
                for t in targets:
                    v = summary.get(t.metric)
                    level.values[t.metric].append(math.nan if v is None else float(v))
            total += k

    # Scan upward: the answer is the first level shown to meet every target. Levels far
    # below it fail on their first batch; replications pile up only near the boundary.
    # Scanning (not bisecting) keeps the answer monotone: a looser target is met at
    # every level where a tighter one is, so it is never met later.
    for c in range(lo, hi + 1):
        if evaluate(c):
            return Advice(cfg.policy.name, c, levels, total, c)
    return Advice(cfg.policy.name, None, levels, total, hi)


@dataclass(frozen=True)
class Analytic:
    """What a call-centre calculator says for the inquiry stream alone."""

    erlang_c: int | None
    square_root: int | None
    offered_load: float
    note: str


def analytic_baseline(cfg: Config, targets: Sequence[TargetSpec]) -> Analytic:
    """Erlang C's minimum and the square-root rule, calendar-free, for inquiries only.

    The inquiry stream as a call-centre calculator sees it: arrivals spread
    evenly over the open hours of a week, exponential handling with the
    configured mean, caseworkers on the phones all open hours. A wait target
    is taken from ``inquiry_wait_hours_mean``; otherwise Erlang C is sized
    for a mean wait of 1 hour (stated in the note).
    """
    inq = cfg.work.inquiry
    opening = [o for o in weekly_opening(cfg.calendar) if o is not None]
    weekly_open = sum(close - open_ for open_, close in opening)
    open_days = len(opening)
    lam = inq.arrivals_per_day * open_days / weekly_open if weekly_open else 0.0
    mu = 60.0 / inq.duration_minutes.mean_value()
    if lam <= 0:
        return Analytic(None, None, 0.0, "no inquiries arrive")
    wait = next(
        (t.value for t in targets if t.metric == "inquiry_wait_hours_mean" and t.op == "<="), None
    )
    note = "inquiries only, arrivals even over open hours, exponential handling"
    if wait is None:
        wait = 1.0
        note += "; sized for a mean wait of 1 hour (no wait target given)"
    return Analytic(
        erlang_c_min_servers(lam, mu, wait), square_root_staffing(lam, mu), lam / mu, note
    )
