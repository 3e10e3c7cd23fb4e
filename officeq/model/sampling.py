"""Drawing from configured distributions inside the simulation.

The distributions themselves (their parameters, means and one-call draws)
are config objects in :mod:`officeq.config.distributions`; this module holds
the ways the model consumes them: block sampling for hot loops, the
stationary residual for a caseload's first due dates, and the lookup table of a
weighted choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pydantic import BaseModel

from officeq.config.distributions import Exponential, Fixed


def choice_cdf(p: np.ndarray) -> np.ndarray:
    """The table ``rng.choice(len(p), size, p=p)`` looks its draws up in (numpy's own
    steps): ``cdf.searchsorted(rng.random(size), side="right")``, or ``bisect_right`` on
    its list for one draw, gives the same indices from the same random numbers without
    ``choice``'s checks on every call."""
    cdf = p.cumsum()
    cdf /= cdf[-1]
    return cdf


def residual_sample(dist: BaseModel, rng: np.random.Generator, n: int) -> np.ndarray:
    """Draw the stationary residual time of a renewal process with this spacing.

    Used to spread a caseload's first due dates over one interval the way a
    process that has run for ever would: a length-biased interval times a
    uniform fraction. Exponential spacing is memoryless, so its residual is the
    distribution itself.
    """
    if n == 0:
        return np.empty(0)
    if isinstance(dist, Exponential):
        return dist.sample(rng, n)
    if isinstance(dist, Fixed):
        return dist.value * rng.random(n)
    pool = dist.sample(rng, max(4096, 4 * n))  # type: ignore[attr-defined]
    total = pool.sum()
    if total <= 0:
        return np.zeros(n)
    picked = pool[rng.choice(pool.size, size=n, p=pool / total)]
    return picked * rng.random(n)


class BlockSampler:
    """Draws from a distribution in blocks and hands out one value at a time.

    Block draws keep the hot loop cheap; the order of values is the order of
    the stream, so two runs that consume the stream in the same order see the
    same values (common random numbers).
    """

    __slots__ = ("_block", "_buf", "_dist", "_i", "_rng", "_scale")

    def __init__(
        self, dist: BaseModel, rng: np.random.Generator, scale: float = 1.0, block: int = 1024
    ) -> None:
        self._dist = dist
        self._rng = rng
        self._scale = scale
        self._block = block
        self._buf: list[float] = []
        self._i = 0

    def next(self) -> float:
        """Return the next draw, in scaled units."""
        if self._i >= len(self._buf):
            draws = self._dist.sample(self._rng, self._block)  # type: ignore[attr-defined]
            self._buf = (draws * self._scale).tolist()
            self._i = 0
        value = self._buf[self._i]
        self._i += 1
        return value


class Unit:
    """Uniform(0, 1) draws for Bernoulli flags (a distribution for :class:`BlockSampler`)."""

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.random(n)
