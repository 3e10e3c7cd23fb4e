"""Probability distributions for durations and intervals.

A distribution is a small frozen config object (chosen by its ``dist`` field)
that knows its mean and how to draw from a ``numpy.random.Generator``. The
unit is whatever the config field names (``duration_minutes``,
``interval_days``); callers scale the draws.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import AfterValidator, Field, field_validator

from officeq.config.base import MAX_CV, MAX_DIST_PARAMETER, MAX_MINUTES, StrictModel

_BIG = MAX_DIST_PARAMETER
MAX_EMPIRICAL_VALUES = 1_000_000


class Exponential(StrictModel):
    """Exponential with the given mean (coefficient of variation 1)."""

    dist: Literal["exponential"] = "exponential"
    mean: float = Field(gt=0, le=_BIG)

    def mean_value(self) -> float:
        return self.mean

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.exponential(self.mean, n)

    def one(self, rng: np.random.Generator) -> float:
        """One draw: the value ``sample(rng, 1)[0]`` would give, without the array."""
        return rng.exponential(self.mean)


class LogNormal(StrictModel):
    """Lognormal given by its mean and coefficient of variation (sd / mean)."""

    dist: Literal["lognormal"] = "lognormal"
    mean: float = Field(gt=0, le=_BIG)
    cv: float = Field(gt=0, le=MAX_CV)

    def mean_value(self) -> float:
        return self.mean

    def _params(self) -> tuple[float, float]:
        """numpy's (mean, sigma) of the underlying normal."""
        sigma2 = math.log1p(self.cv**2)
        return math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.lognormal(*self._params(), n)

    def one(self, rng: np.random.Generator) -> float:
        """One draw: the value ``sample(rng, 1)[0]`` would give, without the array."""
        return rng.lognormal(*self._params())


class Gamma(StrictModel):
    """Gamma given by its mean and coefficient of variation (shape = 1/cv²)."""

    dist: Literal["gamma"] = "gamma"
    mean: float = Field(gt=0, le=_BIG)
    cv: float = Field(gt=0, le=MAX_CV)

    def mean_value(self) -> float:
        return self.mean

    def _params(self) -> tuple[float, float]:
        """numpy's (shape, scale)."""
        shape = 1.0 / self.cv**2
        return shape, self.mean / shape

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.gamma(*self._params(), n)

    def one(self, rng: np.random.Generator) -> float:
        """One draw: the value ``sample(rng, 1)[0]`` would give, without the array."""
        return rng.gamma(*self._params())


class Fixed(StrictModel):
    """Always the same value."""

    dist: Literal["fixed"] = "fixed"
    value: float = Field(ge=0, le=_BIG)

    def mean_value(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value)

    def one(self, rng: np.random.Generator) -> float:
        """One draw (the value; the stream is not used, as in :meth:`sample`)."""
        return self.value


class Uniform(StrictModel):
    """Uniform between ``low`` and ``high``."""

    dist: Literal["uniform"] = "uniform"
    low: float = Field(ge=0, le=_BIG)
    high: float = Field(ge=0, le=_BIG)

    @field_validator("high")
    @classmethod
    def _ordered(cls, high: float, info) -> float:  # type: ignore[no-untyped-def]
        low = info.data.get("low")
        if low is not None and high < low:
            raise ValueError(f"high ({high}) must be at least low ({low})")
        return high

    def mean_value(self) -> float:
        return (self.low + self.high) / 2

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)

    def one(self, rng: np.random.Generator) -> float:
        """One draw: the value ``sample(rng, 1)[0]`` would give, without the array."""
        return rng.uniform(self.low, self.high)


class Empirical(StrictModel):
    """Resamples uniformly from a list of observed values."""

    dist: Literal["empirical"] = "empirical"
    values: tuple[float, ...] = Field(min_length=1, max_length=MAX_EMPIRICAL_VALUES)

    @field_validator("values")
    @classmethod
    def _non_negative(cls, values: tuple[float, ...]) -> tuple[float, ...]:
        if any(not 0 <= v <= _BIG for v in values):
            raise ValueError(f"values must be finite, non-negative and at most {_BIG:g}")
        return values

    @field_validator("values", mode="before")
    @classmethod
    def _numbers(cls, values: object) -> object:
        if isinstance(values, list | tuple) and any(isinstance(v, bool) for v in values):
            raise ValueError("values must be numbers, not true/false")
        return values

    def mean_value(self) -> float:
        return sum(self.values) / len(self.values)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.asarray(self.values)[rng.integers(0, len(self.values), n)]

    def one(self, rng: np.random.Generator) -> float:
        """One draw: the value ``sample(rng, 1)[0]`` would give, without the array."""
        return self.values[int(rng.integers(0, len(self.values)))]


KINDS = (Exponential, LogNormal, Gamma, Fixed, Uniform, Empirical)
DIST_NAMES = tuple(k.model_fields["dist"].default for k in KINDS)
"""The values of ``dist``: exponential, lognormal, gamma, fixed, uniform, empirical."""

Distribution = Annotated[
    Exponential | LogNormal | Gamma | Fixed | Uniform | Empirical,
    Field(discriminator="dist"),
]
"""Any supported distribution, chosen by its ``dist`` field."""


def number_as_fixed(value: Any, name: str, positive: bool) -> Any:
    """A bare number where a distribution belongs is ``{dist: fixed, value: ...}``;
    it must be positive (``positive``) or at least not negative."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0 or (positive and value == 0):
            raise ValueError(f"{name} must be {'positive' if positive else 'at least 0'}")
        return Fixed(value=float(value))
    return value


def capped_mean(dist: Any, cap: float, unit: str) -> Any:
    """``dist`` if its mean is at most ``cap`` (a larger mean is certainly a typo)."""
    if dist.mean_value() > cap:
        raise ValueError(f"mean {dist.mean_value():g} {unit} is more than {cap:g} {unit}")
    return dist


Duration = Annotated[Distribution, AfterValidator(lambda d: capped_mean(d, MAX_MINUTES, "minutes"))]
"""A task's handling time in minutes: a distribution whose mean is at most a week."""
