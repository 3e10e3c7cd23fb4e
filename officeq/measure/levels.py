"""A level over time: a piecewise-constant count and its time integral."""

from __future__ import annotations


class Level:
    """A piecewise-constant quantity and its integral over time."""

    __slots__ = ("area", "base", "last", "value")

    def __init__(self) -> None:
        self.value = 0
        self.area = 0.0
        self.last = 0.0
        self.base = 0.0

    def add(self, delta: int, now: float) -> None:
        self.area += self.value * (now - self.last)
        self.last = now
        self.value += delta

    def area_until(self, now: float) -> float:
        return self.area + self.value * (now - self.last)

    def mark(self, now: float) -> None:
        """Start measuring here (the end of the warm-up)."""
        self.base = self.area_until(now)

    def measured(self, now: float) -> float:
        return self.area_until(now) - self.base
