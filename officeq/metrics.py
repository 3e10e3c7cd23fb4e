"""Streaming measurement: counters, time-weighted levels, daily and monthly tables.

Nothing is logged per event: the recorder keeps sums, a fixed-size histogram
and one row per simulated day, so memory stays flat however long the run.
Task metrics count tasks that arrived after the warm-up; level metrics
(backlog, caseload, busy caseworkers) are time averages after the warm-up.
This module defines every output column name (:data:`DAILY_COLUMNS`,
:data:`MONTHLY_COLUMNS`, :func:`summary_keys`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from officeq.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.tasks import FOLLOWUP, INCOME_SUPPORT, INCOME_SUPPORT_URGENT, INQUIRY, Task


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


class ClassStats:
    """Waiting and response times of one class of deadline work."""

    __slots__ = (
        "done",
        "hist",
        "on_time",
        "open_late",
        "response_sum",
        "started",
        "wait_sum",
        "waited",
    )

    def __init__(self, histogram: bool = False) -> None:
        self.started = 0
        self.wait_sum = 0.0
        self.waited = 0
        self.done = 0
        self.response_sum = 0.0
        self.on_time = 0
        self.open_late = 0
        self.hist = LogHistogram() if histogram else None


def _mean(total: float, n: int) -> float | None:
    return total / n if n else None


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


DAILY_BASE = (
    "day",
    "date",
    "weekday",
    "open",
    "warmup",
    "inquiries_arrived",
    "inquiries_answered",
    "inquiries_waiting",
    "income_support_arrived",
    "income_support_decided",
    "income_support_waiting",
    "followup_sessions",
    "followup_overdue",
    "caseload",
    "caseworkers_present",
    "client_hours",
    "overtime_hours",
)
MONTHLY_COLUMNS = (
    "month",
    "warmup",
    "inquiries_arrived",
    "inquiry_sla_hit_rate",
    "income_support_decisions",
    "income_support_on_time_rate",
    "followup_users_contacted",
    "followup_sessions_substantive",
    "exits_to_work",
)


def daily_columns(groups: Iterable[str]) -> tuple[str, ...]:
    """Columns of ``daily.csv``: the base columns, then overdue users per group."""
    return DAILY_BASE + tuple(f"followup_overdue_{g}" for g in groups)


def summary_keys(groups: Iterable[str]) -> tuple[str, ...]:
    """Every key of ``summary.json``, in order."""
    groups = tuple(groups)
    return (
        "inquiries_arrived",
        "inquiries_answered",
        "inquiries_open_end",
        "inquiry_sla_hit_rate",
        "inquiry_wait_hours_mean",
        "inquiry_wait_hours_p90",
        "inquiry_waited_share",
        "inquiry_response_hours_mean",
        "income_support_arrived",
        "income_support_decided",
        "income_support_open_end",
        "income_support_wait_hours_mean",
        "income_support_urgent_wait_hours_mean",
        "income_support_regular_wait_hours_mean",
        "income_support_on_time_rate",
        "income_support_decision_days_mean",
        "followup_caseload_mean",
        "followup_sessions",
        "followup_backlog_mean",
        "followup_backlog_end",
        "followup_overdue_days_mean",
        "users_entered",
        "exits_to_work",
        "exits_other",
        *(f"followup_backlog_mean_{g}" for g in groups),
        *(f"followup_sessions_per_user_year_{g}" for g in groups),
        *(f"followup_overdue_days_mean_{g}" for g in groups),
        "caseworker_utilization",
        "client_hours",
        "scheduled_client_hours",
        "overtime_hours",
    )


class Recorder:
    """Everything the run measures, updated by the model as events happen."""

    def __init__(
        self, cal: OfficeCalendar, groups: Iterable[str], warmup: float, horizon: float
    ) -> None:
        self.cal = cal
        self.groups = tuple(groups)
        self.warmup = warmup
        self.horizon = horizon
        self.classes = {
            INQUIRY: ClassStats(histogram=True),
            INCOME_SUPPORT: ClassStats(),
            INCOME_SUPPORT_URGENT: ClassStats(),
        }
        # all-time counts per kind, for conservation
        self.arrived = dict.fromkeys((INQUIRY, INCOME_SUPPORT, FOLLOWUP), 0)
        self.started_n = dict.fromkeys((INQUIRY, INCOME_SUPPORT, FOLLOWUP), 0)
        self.finished_n = dict.fromkeys((INQUIRY, INCOME_SUPPORT, FOLLOWUP), 0)
        self.cancelled_n = dict.fromkeys((INQUIRY, INCOME_SUPPORT, FOLLOWUP), 0)
        self.measured_arrivals = dict.fromkeys((INQUIRY, INCOME_SUPPORT), 0)
        self.overdue = {g: Level() for g in self.groups}
        self.overdue_total = Level()
        self.caseload = {g: Level() for g in self.groups}
        self.busy = Level()
        self.sessions = dict.fromkeys(self.groups, 0)
        self.lateness = dict.fromkeys(self.groups, 0.0)
        self.exits_to_work = 0
        self.exits_other = 0
        self.users_entered = 0
        self.scheduled_hours = 0.0
        self.idle_hours = 0.0
        self.overtime_hours = 0.0
        # months and days
        days = math.ceil(horizon / HOURS_PER_DAY)
        labels, index, first_day = [], [], []
        for d in range(days):
            label = cal.date(d).strftime("%Y-%m")
            if not labels or labels[-1] != label:
                labels.append(label)
                first_day.append(d)
            index.append(len(labels) - 1)
        self.month_first_day = first_day
        self.month_labels = labels
        self.month_of_day = index
        self.monthly = {
            c: np.zeros(len(labels))
            for c in (
                "arrived",
                "resolved",
                "hits",
                "decided",
                "decided_on_time",
                "open_late",
                "contacted",
                "sessions",
                "exits_to_work",
            )
        }
        self._daily_overtime = np.zeros(days + 1)
        self._day_counts = dict.fromkeys(
            ("inq_arr", "inq_done", "is_arr", "is_done", "sessions"), 0
        )
        self.daily_rows: list[tuple] = []

    def _month(self, t: float) -> int:
        d = min(int(t // HOURS_PER_DAY), len(self.month_of_day) - 1)
        return self.month_of_day[d]

    # --- events -----------------------------------------------------------
    def arrived_task(self, task: Task) -> None:
        kind = task.kind
        self.arrived[kind] += 1
        if kind == INQUIRY:
            self._day_counts["inq_arr"] += 1
            self.monthly["arrived"][self._month(task.arrival)] += 1
        elif kind == INCOME_SUPPORT:
            self._day_counts["is_arr"] += 1
        if kind != FOLLOWUP and task.arrival >= self.warmup:
            self.measured_arrivals[kind] += 1

    def started(self, task: Task, now: float) -> None:
        self.started_n[task.kind] += 1
        self.busy.add(1, now)
        if task.kind == FOLLOWUP:
            return
        if task.arrival >= self.warmup:
            s = self.classes[task.queue]
            wait = now - task.arrival
            s.started += 1
            s.wait_sum += wait
            if wait > 0:
                s.waited += 1
            if s.hist is not None:
                s.hist.add(wait)

    def finished(self, task: Task, now: float) -> None:
        kind = task.kind
        self.finished_n[kind] += 1
        self.busy.add(-1, now)
        if kind == FOLLOWUP:
            return
        hit = now <= task.deadline
        m = self._month(task.arrival)
        if kind == INQUIRY:
            self._day_counts["inq_done"] += 1
            self.monthly["resolved"][m] += 1
            self.monthly["hits"][m] += hit
        else:
            self._day_counts["is_done"] += 1
            self.monthly["decided"][m] += 1
            self.monthly["decided_on_time"][m] += hit
        if task.arrival >= self.warmup:
            s = self.classes[task.queue]
            s.done += 1
            s.response_sum += now - task.arrival
            s.on_time += hit

    def overdue_change(self, group: str, delta: int, now: float) -> None:
        self.overdue[group].add(delta, now)
        self.overdue_total.add(delta, now)

    def session_started(self, task: Task, now: float) -> None:
        user = task.user
        assert user is not None
        m = self._month(now)
        self.monthly["sessions"][m] += 1
        if user.last_contact_month != m:
            user.last_contact_month = m
            self.monthly["contacted"][m] += 1
        self._day_counts["sessions"] += 1
        if now >= self.warmup:
            self.sessions[user.group] += 1
            self.lateness[user.group] += now - task.arrival

    def user_joined(self, group: str, now: float, initial: bool) -> None:
        self.caseload[group].add(1, now)
        if not initial and now >= self.warmup:
            self.users_entered += 1

    def user_left(self, group: str, to_work: bool, now: float) -> None:
        self.caseload[group].add(-1, now)
        if to_work:
            self.monthly["exits_to_work"][self._month(now)] += 1
        if now >= self.warmup:
            if to_work:
                self.exits_to_work += 1
            else:
                self.exits_other += 1

    def cancelled(self, task: Task) -> None:
        self.cancelled_n[task.kind] += 1

    def scheduled(self, start: float, end: float) -> None:
        self.scheduled_hours += max(0.0, end - max(start, self.warmup))

    def idled(self, start: float, end: float) -> None:
        if end > self.warmup:
            self.idle_hours += end - max(start, self.warmup)

    def overtime(self, hours: float, now: float) -> None:
        self._daily_overtime[int(now // HOURS_PER_DAY)] += hours
        if now >= self.warmup:
            self.overtime_hours += min(hours, now - self.warmup)

    def mark_warmup(self, now: float) -> None:
        for level in (
            self.overdue_total,
            self.busy,
            *self.overdue.values(),
            *self.caseload.values(),
        ):
            level.mark(now)

    def snapshot(self, day: int, now: float, waiting: dict[str, int], present: int) -> None:
        """The end-of-day row of ``daily.csv``."""
        c = self._day_counts
        busy_area = self.busy.area_until(now)
        client = busy_area - getattr(self, "_busy_mark", 0.0)
        self._busy_mark = busy_area
        cal = self.cal
        self.daily_rows.append(
            (
                day,
                cal.date(day).isoformat(),
                cal.date(day).strftime("%a"),
                cal.is_open_day(day),
                now <= self.warmup,
                c["inq_arr"],
                c["inq_done"],
                waiting[INQUIRY],
                c["is_arr"],
                c["is_done"],
                waiting[INCOME_SUPPORT],
                c["sessions"],
                self.overdue_total.value,
                sum(lv.value for lv in self.caseload.values()),
                present,
                round(client, 6),
                round(float(self._daily_overtime[day]), 6),
                *(self.overdue[g].value for g in self.groups),
            )
        )
        for k in c:
            c[k] = 0

    # --- end of run -----------------------------------------------------------
    def close_open_tasks(self, open_tasks: Iterable[Task], now: float) -> dict[str, int]:
        """Count open deadline work at the end: past its deadline it is a miss."""
        open_n = {INQUIRY: 0, INCOME_SUPPORT: 0}
        for t in open_tasks:
            if t.kind == FOLLOWUP:
                continue
            open_n[t.kind] += 1
            if t.deadline <= now:
                m = self._month(t.arrival)
                self.monthly["resolved" if t.kind == INQUIRY else "open_late"][m] += 1
                if t.arrival >= self.warmup:
                    self.classes[t.queue].open_late += 1
        return open_n

    def summary(self, now: float, open_n: dict[str, int]) -> dict[str, float | None]:
        inq = self.classes[INQUIRY]
        urg, reg = self.classes[INCOME_SUPPORT_URGENT], self.classes[INCOME_SUPPORT]
        span = now - self.warmup
        is_done = urg.done + reg.done
        is_resolved = is_done + urg.open_late + reg.open_late
        out: dict[str, float | None] = {
            "inquiries_arrived": self.measured_arrivals[INQUIRY],
            "inquiries_answered": inq.done,
            "inquiries_open_end": open_n[INQUIRY],
            "inquiry_sla_hit_rate": _ratio(inq.on_time, inq.done + inq.open_late),
            "inquiry_wait_hours_mean": _mean(inq.wait_sum, inq.started),
            "inquiry_wait_hours_p90": inq.hist.quantile(0.9) if inq.hist else None,
            "inquiry_waited_share": _ratio(inq.waited, inq.started),
            "inquiry_response_hours_mean": _mean(inq.response_sum, inq.done),
            "income_support_arrived": self.measured_arrivals[INCOME_SUPPORT],
            "income_support_decided": is_done,
            "income_support_open_end": open_n[INCOME_SUPPORT],
            "income_support_wait_hours_mean": _mean(
                urg.wait_sum + reg.wait_sum, urg.started + reg.started
            ),
            "income_support_urgent_wait_hours_mean": _mean(urg.wait_sum, urg.started),
            "income_support_regular_wait_hours_mean": _mean(reg.wait_sum, reg.started),
            "income_support_on_time_rate": _ratio(urg.on_time + reg.on_time, is_resolved),
            "income_support_decision_days_mean": _mean(
                (urg.response_sum + reg.response_sum) / HOURS_PER_DAY, is_done
            ),
            "followup_caseload_mean": _ratio(
                sum(lv.measured(now) for lv in self.caseload.values()), span
            ),
            "followup_sessions": sum(self.sessions.values()),
            "followup_backlog_mean": _ratio(self.overdue_total.measured(now), span),
            "followup_backlog_end": self.overdue_total.value,
            "followup_overdue_days_mean": _mean(
                sum(self.lateness.values()) / HOURS_PER_DAY, sum(self.sessions.values())
            ),
            "users_entered": self.users_entered,
            "exits_to_work": self.exits_to_work,
            "exits_other": self.exits_other,
        }
        for g in self.groups:
            out[f"followup_backlog_mean_{g}"] = _ratio(self.overdue[g].measured(now), span)
        for g in self.groups:
            user_years = self.caseload[g].measured(now) / (HOURS_PER_DAY * 365.0)
            out[f"followup_sessions_per_user_year_{g}"] = _ratio(self.sessions[g], user_years)
        for g in self.groups:
            out[f"followup_overdue_days_mean_{g}"] = _mean(
                self.lateness[g] / HOURS_PER_DAY, self.sessions[g]
            )
        client = self.busy.measured(now)
        out["caseworker_utilization"] = _ratio(client, client + self.idle_hours)
        out["client_hours"] = client
        out["scheduled_client_hours"] = self.scheduled_hours
        out["overtime_hours"] = self.overtime_hours
        return {k: (None if v is None else _clean(v)) for k, v in out.items()}

    def monthly_rows(self) -> list[tuple]:
        m = self.monthly
        rows = []
        for i, label in enumerate(self.month_labels):
            rows.append(
                (
                    label,
                    self.month_first_day[i] * HOURS_PER_DAY < self.warmup,
                    int(m["arrived"][i]),
                    _ratio(m["hits"][i], m["resolved"][i]),
                    int(m["decided"][i]),
                    _ratio(m["decided_on_time"][i], m["decided"][i] + m["open_late"][i]),
                    int(m["contacted"][i]),
                    int(m["sessions"][i]),
                    int(m["exits_to_work"][i]),
                )
            )
        return rows


def _clean(v: float) -> float:
    """Plain Python numbers, rounded to 12 significant digits for stable output."""
    if isinstance(v, int | np.integer) and not isinstance(v, bool):
        return int(v)
    return float(f"{float(v):.12g}")
