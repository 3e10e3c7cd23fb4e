"""The daily table and the monthly scorecard built from it.

One row per simulated day, kept in preallocated numpy columns (no Python
object per row), so a long run costs a few bytes per day. The monthly
scorecard is the sum of its days: a month's hit rate is that of the
inquiries answered in the month. Column names are defined here once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.model.observer import COUNTER_COLUMNS, LEVEL_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

HOUR_COLUMNS = ("client_hours", "overtime_hours")
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHLY_SUMS = (
    "followup_contacts_short",
    "exits_to_work",
    "directives_issued",
    "followup_sessions_cancelled",
    "plan_changes",
    "failure_demand_inquiries",
    "appointments_held",
    "appointments_no_show",
    "appointments_cancelled_by_office",
    "followup_sessions_by_cover",
)
"""Daily counters the monthly scorecard carries as they are, summed."""
MONTHLY_COLUMNS = (
    "month",
    "warmup",
    "inquiries_arrived",
    "inquiries_answered",
    "inquiry_sla_hit_rate",
    "income_support_decisions",
    "income_support_on_time_rate",
    "followup_users_contacted",
    "followup_users_substantive",
    "followup_sessions_substantive",
    *MONTHLY_SUMS,
    "followup_backlog_mean",
    "followup_backlog_end",
)
"""Columns of ``monthly.csv`` before the per-group backlog (:func:`monthly_columns`)."""


def monthly_columns(groups: Iterable[str]) -> tuple[str, ...]:
    """Columns of ``monthly.csv``, in order: the scorecard, then the follow-up backlog
    (users overdue) as the mean of the month's end-of-day values and the last day's
    value, in total and per need group."""
    per_group = tuple(f"followup_backlog_{s}_{g}" for g in groups for s in ("mean", "end"))
    return (*MONTHLY_COLUMNS, *per_group)


def daily_columns(groups: Iterable[str]) -> tuple[str, ...]:
    """Columns of ``daily.csv``, in order."""
    return (
        "day",
        "date",
        "weekday",
        "open",
        "warmup",
        *COUNTER_COLUMNS,
        *LEVEL_COLUMNS,
        *HOUR_COLUMNS,
        *tuple(f"followup_overdue_{g}" for g in groups),
    )


class DailyTable:
    """End-of-day values for ``days`` days."""

    def __init__(self, cal: OfficeCalendar, days: int, groups: Iterable[str], warmup: float):
        self.cal = cal
        self.days = days
        self.groups = tuple(groups)
        self.warmup = warmup
        self.today = [0] * len(COUNTER_COLUMNS)
        self._counts = np.zeros((days, len(COUNTER_COLUMNS)), dtype=np.int32)
        self._levels = np.zeros((days, len(LEVEL_COLUMNS) + len(self.groups)), dtype=np.int32)
        self._hours = np.zeros((days, len(HOUR_COLUMNS)))
        self.month_of_day = np.zeros(days, dtype=np.int16)
        self.month_labels: list[str] = []
        for d in range(days):
            label = cal.date(d).strftime("%Y-%m")
            if not self.month_labels or self.month_labels[-1] != label:
                self.month_labels.append(label)
            self.month_of_day[d] = len(self.month_labels) - 1

    def add_overtime(self, day: int, hours: float) -> None:
        self._hours[min(day, self.days - 1), 1] += hours

    def close_day(self, day: int, levels: Iterable[int], client_hours: float) -> None:
        """Store today's counters and the end-of-day levels; start a new day."""
        self._counts[day] = self.today
        self._levels[day] = list(levels)
        self._hours[day, 0] = client_hours
        self.today = [0] * len(COUNTER_COLUMNS)

    def month_to_date(self, day: int) -> np.ndarray:
        """Counter sums of ``day``'s month up to and including ``day`` (a closed day)."""
        month = self.month_of_day[day]
        first = day
        while first > 0 and self.month_of_day[first - 1] == month:
            first -= 1
        return self._counts[first : day + 1].sum(axis=0)

    def window(self, first: int, last: int, counter: int, level: str) -> tuple[int, int]:
        """Sums over days ``first`` to ``last - 1`` of a counter and of a level column."""
        i = LEVEL_COLUMNS.index(level)
        return int(self._counts[first:last, counter].sum()), int(self._levels[first:last, i].sum())

    def measured_sum(self, column: int, rows: int) -> int:
        """Sum of counter ``column`` over the closed days after the warm-up."""
        first = min(rows, int(np.ceil(self.warmup / HOURS_PER_DAY)))
        return int(self._counts[first:rows, column].sum())

    def frame(self, rows: int) -> pd.DataFrame:
        """The first ``rows`` days as a tidy table."""
        import pandas as pd

        days = np.arange(rows)
        dates = pd.date_range(self.cal.start, periods=rows, freq="D")
        out = {
            "day": days,
            "date": dates,  # datetime64: 8 bytes a day; CSV writes it as YYYY-MM-DD
            "weekday": pd.Categorical(dates.strftime("%a"), categories=WEEKDAY_NAMES),
            "open": [self.cal.is_open_day(int(d)) for d in days],
            "warmup": days * HOURS_PER_DAY < self.warmup,
        }
        for i, name in enumerate(COUNTER_COLUMNS):
            out[name] = self._counts[:rows, i]
        level_names = LEVEL_COLUMNS + tuple(f"followup_overdue_{g}" for g in self.groups)
        levels = {name: self._levels[:rows, i] for i, name in enumerate(level_names)}
        out.update({k: levels[k] for k in LEVEL_COLUMNS})
        for i, name in enumerate(HOUR_COLUMNS):
            out[name] = np.round(self._hours[:rows, i], 6)
        out.update({k: levels[k] for k in level_names[len(LEVEL_COLUMNS) :]})
        return pd.DataFrame(out, columns=list(daily_columns(self.groups)))

    def monthly(self, daily: pd.DataFrame, open_late: tuple[int, int]) -> pd.DataFrame:
        """The monthly scorecard; ``open_late`` (inquiries, applications) still open past
        their deadline at the end count as misses in the last month."""
        import pandas as pd

        month = self.month_of_day[: len(daily)]
        g = daily.groupby(month)
        sums = g[list(COUNTER_COLUMNS)].sum()
        inq_resolved = sums["inquiries_answered"].astype(float).copy()
        is_resolved = sums["income_support_decided"].astype(float).copy()
        if len(sums):
            inq_resolved.iloc[-1] += open_late[0]
            is_resolved.iloc[-1] += open_late[1]
        with np.errstate(invalid="ignore", divide="ignore"):
            hit = sums["inquiries_answered_on_time"] / inq_resolved.where(inq_resolved > 0)
            on_time = sums["income_support_decided_on_time"] / is_resolved.where(is_resolved > 0)
        out = pd.DataFrame(
            {
                "month": [self.month_labels[i] for i in sums.index],
                "warmup": g["warmup"].any().to_numpy(),
                "inquiries_arrived": sums["inquiries_arrived"].to_numpy(),
                "inquiries_answered": sums["inquiries_answered"].to_numpy(),
                "inquiry_sla_hit_rate": hit.to_numpy(),
                "income_support_decisions": sums["income_support_decided"].to_numpy(),
                "income_support_on_time_rate": on_time.to_numpy(),
                "followup_users_contacted": sums["users_first_contact_of_month"].to_numpy(),
                "followup_users_substantive": sums["users_first_substantive_of_month"].to_numpy(),
                "followup_sessions_substantive": sums["followup_sessions"].to_numpy(),
                **{k: sums[k].to_numpy() for k in MONTHLY_SUMS},
            }
        )
        for level, suffix in [
            ("followup_overdue", ""),
            *((f"followup_overdue_{x}", f"_{x}") for x in self.groups),
        ]:
            out[f"followup_backlog_mean{suffix}"] = g[level].mean().to_numpy()
            out[f"followup_backlog_end{suffix}"] = g[level].last().to_numpy()
        return out[list(monthly_columns(self.groups))]
