"""The summary of one run: every metric of ``summary.json``, computed once at the end.

The keys are listed once, in :func:`summary_keys`; :func:`summarise` fills
them from a finished :class:`~officeq.measure.recorder.Recorder`. Numbers
are plain Python numbers rounded to 12 significant digits, and ``None``
where a metric is undefined.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from officeq.measure.cases import case_keys
from officeq.measure.organisation import organisation_keys
from officeq.measure.recorder import Recorder
from officeq.measure.steering import steering_keys
from officeq.model.calendar import HOURS_PER_DAY
from officeq.model.tasks import INCOME_SUPPORT, INCOME_SUPPORT_URGENT, INQUIRY

if TYPE_CHECKING:
    from officeq.model.diary import Meeting


def _mean(total: float, n: int) -> float | None:
    return total / n if n else None


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


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
        *case_keys(),
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
        *steering_keys(groups),
        *organisation_keys(groups),
        "caseworker_utilization",
        "client_hours",
        "scheduled_client_hours",
        "overtime_hours",
    )


def summarise(
    rec: Recorder, now: float, open_n: dict[str, int], open_meetings: Iterable[Meeting] = ()
) -> dict[str, float | None]:
    """The summary of a finished run: every key of :func:`summary_keys`, in order;
    ``open_meetings`` are the bookings still in the diaries at the end."""
    inq = rec.classes[INQUIRY]
    urg, reg = rec.classes[INCOME_SUPPORT_URGENT], rec.classes[INCOME_SUPPORT]
    span = now - rec.warmup
    is_done = urg.done + reg.done
    is_resolved = is_done + urg.open_late + reg.open_late
    out: dict[str, float | None] = {
        "inquiries_arrived": rec.measured_arrivals[INQUIRY],
        "inquiries_answered": inq.done,
        "inquiries_open_end": open_n[INQUIRY],
        "inquiry_sla_hit_rate": _ratio(inq.on_time, inq.done + inq.open_late),
        "inquiry_wait_hours_mean": _mean(inq.wait_sum, inq.started),
        "inquiry_wait_hours_p90": inq.hist.quantile(0.9) if inq.hist else None,
        "inquiry_waited_share": _ratio(inq.waited, inq.started),
        "inquiry_response_hours_mean": _mean(inq.response_sum, inq.done),
        "income_support_arrived": rec.measured_arrivals[INCOME_SUPPORT],
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
        **rec.cases.summary(
            now,
            {
                INCOME_SUPPORT_URGENT: (urg.done, urg.response_sum),
                INCOME_SUPPORT: (reg.done, reg.response_sum),
            },
        ),
        "followup_caseload_mean": _ratio(
            sum(lv.measured(now) for lv in rec.caseload.values()), span
        ),
        "followup_sessions": sum(rec.sessions.values()),
        "followup_backlog_mean": _ratio(rec.overdue_total.measured(now), span),
        "followup_backlog_end": rec.overdue_total.value,
        "followup_overdue_days_mean": _mean(
            sum(rec.lateness.values()) / HOURS_PER_DAY, sum(rec.sessions.values())
        ),
        "users_entered": rec.users_entered,
        "exits_to_work": sum(rec.exits_to_work.values()),
        "exits_other": rec.exits_other,
    }
    for g in rec.groups:
        out[f"followup_backlog_mean_{g}"] = _ratio(rec.overdue[g].measured(now), span)
    for g in rec.groups:
        user_years = rec.caseload[g].measured(now) / (HOURS_PER_DAY * 365.0)
        out[f"followup_sessions_per_user_year_{g}"] = _ratio(rec.sessions[g], user_years)
    for g in rec.groups:
        out[f"followup_overdue_days_mean_{g}"] = _mean(
            rec.lateness[g] / HOURS_PER_DAY, rec.sessions[g]
        )
    out.update(
        rec.steer.summary(rec.table, rec._rows, now, sum(rec.sessions.values()), rec.exits_to_work)
    )
    out.update(rec.org.summary(now, open_meetings))
    client = rec.client_hours
    out["caseworker_utilization"] = _ratio(client, client + rec.idle_hours)
    out["client_hours"] = client
    out["scheduled_client_hours"] = rec.scheduled_hours
    out["overtime_hours"] = rec.overtime_hours
    return {k: _clean(v) for k, v in out.items()}


def _clean(v: float | None) -> float | None:
    """Plain Python numbers, rounded to 12 significant digits for stable output;
    None where a metric is undefined (also for a NaN or infinite value)."""
    if v is None:
        return None
    if isinstance(v, int | np.integer) and not isinstance(v, bool):
        return int(v)
    f = float(v)
    return float(f"{f:.12g}") if math.isfinite(f) else None
