"""What income-support cases measure: decision times, the office's own time, touches.

One-touch applications and multi-step cases (:mod:`officeq.model.cases`) are
measured alike: a one-touch application is a case of one touch that never
waits on the user. Decisions count when they are made after the warm-up, as
an office counts the decisions of its year (counting by receipt instead would
leave out the long cases still open at the end and bias the mean down); the
open cases and those waiting on the user are levels over time.
"""

from __future__ import annotations

from collections.abc import Mapping

from officeq.measure.levels import Level, LogHistogram
from officeq.model.calendar import HOURS_PER_DAY
from officeq.model.tasks import INCOME_SUPPORT, INCOME_SUPPORT_URGENT

CLASSES = {"urgent": INCOME_SUPPORT_URGENT, "regular": INCOME_SUPPORT}
DECISION_TIME_COLUMNS = ("application", "days_from", "days_to", "decisions")
"""The columns of ``decision_times.csv``: decisions after the warm-up by whole days
from receipt (``days_from`` <= time < ``days_to``), urgent and regular applications."""


def case_keys() -> tuple[str, ...]:
    """The summary keys of :meth:`CaseStats.summary`, in order."""
    return (
        "income_support_decision_days_p90",
        *(f"income_support_{c}_decision_days_{s}" for c in CLASSES for s in ("mean", "p90")),
        "income_support_office_days_mean",
        "income_support_waiting_on_user_days_mean",
        "income_support_touches_mean",
        "income_support_handling_minutes_mean",
        "income_support_open_mean",
        "income_support_waiting_on_user_mean",
        "income_support_interim_replies",
    )


class CaseStats:
    """Sums over decided cases, and the open cases as levels."""

    def __init__(self, warmup: float) -> None:
        self.warmup = warmup
        self.open = Level()
        """Cases received and not yet decided (any step, or waiting on the user)."""
        self.with_user = Level()
        """Open cases waiting on the user (documents asked for)."""
        self.hist = {q: LogHistogram() for q in CLASSES.values()}
        """Decision times in days."""
        self.by_day: dict[str, list[int]] = {q: [] for q in CLASSES.values()}
        """Decisions by whole days from receipt (at most the run's length in days)."""
        self.user_days = 0.0
        self.touches = 0
        self.handling_hours = 0.0
        self.interim_replies = 0

    def received(self, now: float) -> None:
        self.open.add(1, now)

    def decision(
        self,
        queue: str,
        receipt: float,
        now: float,
        touches: int,
        handling: float,
        user_hours: float,
    ) -> None:
        """A case received at ``receipt`` is decided at ``now``."""
        self.open.add(-1, now)
        if now < self.warmup:
            return
        days = (now - receipt) / HOURS_PER_DAY
        self.hist[queue].add(days)
        counts, i = self.by_day[queue], int(days)
        if i >= len(counts):
            counts.extend([0] * (i + 1 - len(counts)))
        counts[i] += 1
        self.user_days += user_hours / HOURS_PER_DAY
        self.touches += touches
        self.handling_hours += handling

    def interim_reply(self, now: float) -> None:
        if now >= self.warmup:
            self.interim_replies += 1

    def mark(self, now: float) -> None:
        self.open.mark(now)
        self.with_user.mark(now)

    def summary(
        self, now: float, decided: Mapping[str, tuple[int, float]]
    ) -> dict[str, float | None]:
        """The values of :func:`case_keys`; ``decided``: per queue, the decisions after the
        warm-up and the sum of their hours from receipt (the recorder's class counts)."""
        n = sum(k for k, _ in decided.values())
        span = now - self.warmup
        both = self.hist[INCOME_SUPPORT].merged(self.hist[INCOME_SUPPORT_URGENT])
        out: dict[str, float | None] = {"income_support_decision_days_p90": both.quantile(0.9)}
        for name, q in CLASSES.items():
            k, hours = decided[q]
            out[f"income_support_{name}_decision_days_mean"] = (
                hours / HOURS_PER_DAY / k if k else None
            )
            out[f"income_support_{name}_decision_days_p90"] = self.hist[q].quantile(0.9)
        total_days = sum(hours for _, hours in decided.values()) / HOURS_PER_DAY
        out["income_support_office_days_mean"] = (total_days - self.user_days) / n if n else None
        out["income_support_waiting_on_user_days_mean"] = self.user_days / n if n else None
        out["income_support_touches_mean"] = self.touches / n if n else None
        out["income_support_handling_minutes_mean"] = self.handling_hours * 60 / n if n else None
        out["income_support_open_mean"] = self.open.measured(now) / span if span > 0 else None
        out["income_support_waiting_on_user_mean"] = (
            self.with_user.measured(now) / span if span > 0 else None
        )
        out["income_support_interim_replies"] = self.interim_replies
        return out

    def rows(self) -> list[tuple[str, int, int, int]]:
        """The rows of ``decision_times.csv`` (every whole day up to the longest decision)."""
        days = max((len(c) for c in self.by_day.values()), default=0)
        out = []
        for name, q in CLASSES.items():
            counts = self.by_day[q] + [0] * (days - len(self.by_day[q]))
            out += [(name, d, d + 1, n) for d, n in enumerate(counts)]
        return out
