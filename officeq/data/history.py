"""The weeks before "today" from an event log: what the forecast's fan chart shows
to the left of the snapshot's moment (``officeq forecast --history EVENTS``).

Per week ending before the moment: the follow-up backlog (users due and not
yet seen at the week's end, in all and per group), open inquiries and open
applications at the week's end, the share of the week's answers within their
deadline and of its decisions on time. Overtime is not in an event log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from officeq.data.eventlog import read_events

if TYPE_CHECKING:
    import pandas as pd


def weekly_history(
    path: str | Path, at: dt.date, groups: tuple[str, ...], weeks: int = 13
) -> pd.DataFrame:
    """Columns ``week_start``, ``metric``, ``value``: the ``weeks`` weeks before ``at``
    that the log covers (the log is read and checked by
    :func:`~officeq.data.eventlog.read_events`)."""
    import pandas as pd

    ev = read_events(path).table
    first = ev["arrived"].min()
    moment = pd.Timestamp(at)
    rows = []
    for w in range(weeks, 0, -1):
        start = moment - pd.Timedelta(days=7 * w)
        end = start + pd.Timedelta(days=7)
        if start < first.normalize():
            continue
        rows += [(start.date(), m, v) for m, v in _week(ev, start, end, groups).items()]
    return pd.DataFrame(rows, columns=["week_start", "metric", "value"])


def _open_at(rows: pd.DataFrame, t: pd.Timestamp, until: str) -> int:
    return int(((rows["arrived"] <= t) & ~(rows[until] <= t)).sum())


def _week(ev: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, groups) -> dict:
    out: dict[str, float] = {}
    fu = ev[ev["kind"] == "followup"]
    out["followup_backlog"] = _open_at(fu, end, "started")
    for g in groups:
        out[f"followup_backlog_{g}"] = _open_at(fu[fu["group"] == g], end, "started")
    inq = ev[ev["kind"] == "inquiry"]
    out["inquiries_open"] = _open_at(inq, end, "finished")
    apps = ev[ev["kind"] == "income_support"]
    steps = apps["step"].notna() if "step" in apps else apps["kind"].isna()
    one_touch = apps[~steps]
    cases = apps[steps]
    decided = one_touch
    open_n = _open_at(one_touch, end, "finished")
    if not cases.empty:
        by_case = cases.groupby("case_id")
        received = by_case["arrived"].min()
        dec = cases[cases["step"] == "decision"].set_index("case_id")["finished"]
        done = dec.reindex(received.index)
        open_n += int(((received <= end) & ~(done <= end)).sum())
        decided = cases[cases["step"] == "decision"]
    out["income_support_open"] = open_n
    answered = inq[(inq["finished"] > start) & (inq["finished"] <= end)]
    if len(answered):
        out["inquiry_sla_hit_rate"] = float((answered["finished"] <= answered["deadline"]).mean())
    made = decided[(decided["finished"] > start) & (decided["finished"] <= end)]
    if len(made):
        out["income_support_on_time_rate"] = float((made["finished"] <= made["deadline"]).mean())
    return out
