"""Reading a planner's files: the event log, the caseload and the staff absences.

Each reader checks its file strictly and raises :class:`DataError`, one line
naming the file, the column and the first bad row, for a missing column, an
unparsable or zoned timestamp, a mix of time zones, a task finished before it
arrived or started, an unknown kind, step or channel, a repeated ``task_id``,
or an empty period. Nothing can exhaust memory: files are read by
:func:`officeq.data.tables.read_table`, which refuses one too big before it is
read in full. Rows are named by their line as in a
spreadsheet: the header is line 1, the first data row line 2 (as in
:mod:`officeq.data.tables`, whose :class:`DataError` this raises).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from officeq.data.tables import DataError, parse_ints, parse_times, read_table
from officeq.data.tables import first_line as _first
from officeq.data.tables import parse_bools as _bools
from officeq.data.tables import parse_choice as _choice
from officeq.measure.events import EVENT_COLUMNS, STAFF_COLUMNS
from officeq.measure.events import TIMESTAMP_COLUMNS as EVENT_TIMES
from officeq.model.tasks import STEP_NAMES

KINDS = ("inquiry", "income_support", "followup", "short_contact")
STEPS = STEP_NAMES
CHANNELS = ("phone", "digital")
CASELOAD_COLUMNS = ("user_id", "group", "owner", "entered", "last_session", "next_due")


@dataclass
class EventLog:
    """The checked event log and the period it covers (whole days, inclusive)."""

    path: str
    table: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp
    dropped: dict[str, int] = field(default_factory=dict)
    """Rows left out of some fit, by stated reason."""

    @property
    def days(self) -> int:
        return int((self.end - self.start).days) + 1

    @property
    def period(self) -> str:
        return f"{self.start.date()}..{self.end.date()}"


def _before(t: pd.DataFrame, name: str, later: str, earlier: str) -> None:
    bad = (t[later] < t[earlier]).fillna(False).to_numpy()
    if bad.any():
        row = _first(bad)
        raise DataError(
            f"{name}: column '{later}', line {row}: {later} {t[later].iloc[row - 2]} is before "
            f"{earlier} {t[earlier].iloc[row - 2]}"
        )


def read_events(path: str | Path) -> EventLog:
    """Read and check an event log (CSV or Parquet)."""
    name = str(path)
    raw = read_table(path, EVENT_COLUMNS)
    if raw.empty:
        raise DataError(f"{name}: column 'arrived' has no rows: the period is empty")
    t = pd.DataFrame(index=raw.index)
    t["task_id"] = parse_ints(raw["task_id"], name, "task_id", required=True)
    dup = t["task_id"].duplicated().to_numpy()
    if dup.any():
        row = _first(dup)
        raise DataError(
            f"{name}: column 'task_id', line {row}: {t['task_id'].iloc[row - 2]} repeats"
        )
    kind = _choice(raw["kind"], name, "kind", KINDS)
    if kind.isna().any():
        raise DataError(f"{name}: column 'kind', line {_first(kind.isna())}: empty")
    t["kind"] = kind
    t["step"] = _choice(raw["step"], name, "step", STEPS)
    t["channel"] = _choice(raw["channel"], name, "channel", CHANNELS)
    t["urgent"] = _bools(raw["urgent"], name, "urgent")
    t["group"] = raw["group"].astype("string").str.strip()
    for c in ("case_id", "user_id", "caseworker"):
        t[c] = parse_ints(raw[c], name, c, required=False)
    for c in EVENT_TIMES:
        t[c] = parse_times(raw[c], name, c)
    if t["arrived"].isna().any():
        raise DataError(f"{name}: column 'arrived', line {_first(t['arrived'].isna())}: empty")
    _before(t, name, "started", "arrived")
    _before(t, name, "finished", "arrived")
    _before(t, name, "finished", "started")
    lone = (t["finished"].notna() & t["started"].isna()).to_numpy()
    if lone.any():
        raise DataError(
            f"{name}: column 'started', line {_first(lone)}: empty but the task finished"
        )
    needs = {
        "channel": t["kind"].isin(["inquiry", "income_support"]),
        "group": t["kind"].isin(["followup", "short_contact"]),
        "user_id": t["kind"].isin(["followup", "short_contact"]),
    }
    for column, mask in needs.items():
        bad = (mask & t[column].isna()).to_numpy()
        if bad.any():
            row = _first(bad)
            raise DataError(
                f"{name}: column '{column}', line {row}: empty for a {t['kind'].iloc[row - 2]} task"
            )
    stepped = t["kind"].eq("income_support") & t["step"].notna()
    bad = (stepped & t["case_id"].isna()).to_numpy()
    if bad.any():
        raise DataError(f"{name}: column 'case_id', line {_first(bad)}: empty for a case step")
    streams = t[t["kind"].isin(["inquiry", "income_support"])]
    if streams.empty:
        raise DataError(
            f"{name}: column 'kind' has no inquiry or income_support rows: empty period"
        )
    start = streams["arrived"].min().normalize()
    end = streams["arrived"].max().normalize()
    return EventLog(name, t, start, end)


def read_caseload(path: str | Path) -> pd.DataFrame:
    """Read and check a caseload file (one row per user)."""
    name = str(path)
    raw = read_table(path, CASELOAD_COLUMNS, ("left", "exit_reason"))
    if raw.empty:
        raise DataError(f"{name}: column 'user_id' has no rows")
    t = pd.DataFrame(index=raw.index)
    t["user_id"] = parse_ints(raw["user_id"], name, "user_id", required=True)
    t["group"] = raw["group"].astype("string").str.strip()
    if t["group"].isna().any():
        raise DataError(f"{name}: column 'group', line {_first(t['group'].isna())}: empty")
    t["owner"] = parse_ints(raw["owner"], name, "owner", required=False)
    for c in ("entered", "last_session", "next_due", "left"):
        t[c] = parse_times(raw[c], name, c) if c in raw else pd.Series(pd.NaT, index=raw.index)
    if t["entered"].isna().any():
        raise DataError(f"{name}: column 'entered', line {_first(t['entered'].isna())}: empty")
    _before(t, name, "left", "entered")
    reason = raw["exit_reason"] if "exit_reason" in raw else pd.Series(None, index=raw.index)
    t["exit_reason"] = _choice(reason, name, "exit_reason", ("work", "other"))
    bad = (t["left"].notna() & t["exit_reason"].isna()).to_numpy()
    if bad.any():
        raise DataError(
            f"{name}: column 'exit_reason', line {_first(bad)}: empty for a user who left"
        )
    t.attrs["has_exits"] = "left" in raw
    return t


def read_staff(path: str | Path) -> pd.DataFrame:
    """Read and check a staff file (one row per absence spell; blank dates: none)."""
    name = str(path)
    raw = read_table(path, STAFF_COLUMNS)
    if raw.empty:
        raise DataError(f"{name}: column 'caseworker' has no rows")
    t = pd.DataFrame(index=raw.index)
    t["caseworker"] = parse_ints(raw["caseworker"], name, "caseworker", required=True)
    negative = (t["caseworker"] < 0).to_numpy(dtype=bool, na_value=False)
    if negative.any():
        raise DataError(f"{name}: column 'caseworker', line {_first(negative)}: is negative")
    for c in ("absent_from", "absent_to"):
        t[c] = parse_times(raw[c], name, c, dates=True).dt.normalize()
    half = (t["absent_from"].isna() != t["absent_to"].isna()).to_numpy()
    if half.any():
        raise DataError(
            f"{name}: column 'absent_to', line {_first(half)}: give both dates or neither"
        )
    _before(t, name, "absent_to", "absent_from")
    return t
