"""Warm-up detection: the MSER-5 truncation rule.

Pilot replications start empty and idle, so their first days are biased. The
MSER-m rule (White 1997; MSER-5 with batches of five) averages the output in
non-overlapping batches and cuts the prefix that minimises the squared standard
error of the mean of what is left. With several pilot replications the rule is
applied to their point-by-point mean.

Reference: White, K. P. (1997), "An effective truncation heuristic for bias
reduction in simulation output", Simulation 69(6), 323-334.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MserResult:
    """Outcome of the MSER-m rule on one series.

    Attributes:
        truncation: Observations to cut (``d* * batch``).
        batches: Number of complete batches ``k``.
        statistic: MSER(d*), the minimised value.
        at_limit: ``d*`` is the largest candidate: the series may not have settled.
        statistics: MSER(d) for every candidate ``d = 0 .. floor(max_fraction * k)``.
    """

    truncation: int
    batches: int
    statistic: float
    at_limit: bool
    statistics: tuple[float, ...]


@dataclass(frozen=True)
class WarmupSuggestion:
    """A warm-up length suggested from pilot replications.

    Attributes:
        days: Days to discard at the start of each replication.
        replications: Number of pilot replications averaged.
        series_length: Days per replication used (the shortest replication).
        at_limit: The minimum is at the truncation limit: run longer pilots.
        reason: One plain-English sentence explaining the suggestion.
    """

    days: int
    replications: int
    series_length: int
    at_limit: bool
    reason: str


def _check_parameters(batch: int, max_fraction: float) -> None:
    if isinstance(batch, bool) or not isinstance(batch, int | np.integer) or batch < 1:
        raise ValueError(f"batch must be a positive integer, got {batch!r}")
    if not 0.0 < max_fraction < 1.0:
        raise ValueError(f"max_fraction must be strictly between 0 and 1, got {max_fraction!r}")


def mser(
    series: Sequence[float] | np.ndarray, batch: int = 5, max_fraction: float = 0.5
) -> MserResult:
    """Apply the MSER-m truncation rule to one output series.

    Args:
        series: Observations in time order (e.g. one value per day).
        batch: Batch size ``m``; 5 gives MSER-5.
        max_fraction: Largest fraction of the batches that may be cut.

    Returns:
        The truncation (in observations) minimising MSER(d), with the statistics.

    Raises:
        ValueError: If the series is not 1-D, not finite, or shorter than ``2 * batch``,
            or if ``batch`` or ``max_fraction`` is out of range.
    """
    _check_parameters(batch, max_fraction)
    x = np.asarray(series, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"series must be one-dimensional, got shape {x.shape}")
    if x.size < 2 * batch:
        raise ValueError(
            f"series needs at least {2 * batch} observations (two batches of {batch}), got {x.size}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("series contains NaN or infinite values")
    k = x.size // batch
    z = x[: k * batch].reshape(k, batch).mean(axis=1)
    # Keep at least two batches so the variance of the rest is meaningful.
    limit = min(int(np.floor(max_fraction * k)), k - 2)
    stats = np.array([np.var(z[d:]) / (k - d) for d in range(limit + 1)])
    best = int(np.argmin(stats))
    return MserResult(
        truncation=best * batch,
        batches=k,
        statistic=float(stats[best]),
        at_limit=limit > 0 and best == limit,
        statistics=tuple(float(s) for s in stats),
    )


def suggest_warmup(
    series_per_replication: Sequence[Sequence[float]],
    batch: int = 5,
    max_fraction: float = 0.5,
) -> WarmupSuggestion:
    """Suggest a warm-up length in days from daily series of pilot replications.

    The replications are cut to the shortest, averaged day by day, and MSER-m
    is applied to the mean series.

    Args:
        series_per_replication: One daily series per pilot replication.
        batch: Batch size ``m``; 5 gives MSER-5.
        max_fraction: Largest fraction of the series that may be cut.

    Returns:
        The suggested warm-up with a one-sentence explanation.

    Raises:
        ValueError: If there are no replications or a series is invalid (see `mser`).
    """
    arrays = [np.asarray(s, dtype=float) for s in series_per_replication]
    if not arrays:
        raise ValueError("need at least one pilot replication")
    if any(a.ndim != 1 for a in arrays):
        raise ValueError("each replication must be a one-dimensional series")
    length = min(a.size for a in arrays)
    result = mser(np.mean([a[:length] for a in arrays], axis=0), batch, max_fraction)
    n = len(arrays)
    source = (
        f"the mean of {n} pilot replications ({length} days each)"
        if n > 1
        else f"1 pilot replication ({length} days)"
    )
    cut = f"cutting the first {result.truncation} days" if result.truncation else "cutting nothing"
    reason = f"MSER-{batch} on {source}: {cut} minimises the standard error of the mean of the rest"
    if result.at_limit:
        reason += (
            f"; the minimum is at the {max_fraction:.0%} limit, so the series may not have "
            "settled: run longer pilots"
        )
    return WarmupSuggestion(
        days=result.truncation,
        replications=n,
        series_length=length,
        at_limit=result.at_limit,
        reason=reason + ".",
    )
