"""A level over time (a piecewise-constant count and its time integral), and a
fixed-size histogram for quantiles."""

from __future__ import annotations

import math


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


class LogHistogram:
    """Counts of positive values in log-spaced bins (0.5% wide), zeros apart."""

    LOW = 1e-3
    RATIO = 1.01
    BINS = 2000

    def __init__(self) -> None:
        self.counts = [0] * (self.BINS + 1)
        self._log_low = math.log(self.LOW)
        self._log_ratio = math.log(self.RATIO)

    def add(self, value: float) -> None:
        if value <= 0:
            self.counts[0] += 1
            return
        i = int((math.log(value) - self._log_low) / self._log_ratio) + 1
        self.counts[min(max(i, 1), self.BINS)] += 1

    def quantile(self, q: float) -> float | None:
        total = sum(self.counts)
        if total == 0:
            return None
        rank = q * total
        run = 0
        for i, c in enumerate(self.counts):
            run += c
            if run >= rank and c:
                if i == 0:
                    return 0.0
                return self.LOW * self.RATIO ** (i - 0.5)
        return None  # pragma: no cover

    def merged(self, other: LogHistogram) -> LogHistogram:
        """A histogram of both samples."""
        out = LogHistogram()
        out.counts = [a + b for a, b in zip(self.counts, other.counts, strict=True)]
        return out


LOG_LOW = math.log(LogHistogram.LOW)
LOG_RATIO = math.log(LogHistogram.RATIO)
BINS = LogHistogram.BINS
"""LogHistogram's bins, for callers that inline :meth:`LogHistogram.add` (the Recorder)."""
