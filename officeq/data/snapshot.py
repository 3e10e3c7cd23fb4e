"""Snapshots: the office's state at a moment, as a folder of files a planner can fill.

A snapshot folder holds

- ``snapshot.yaml``: ``at``, the moment it describes (local midnight, ISO 8601),
  and what wrote it;
- ``inquiries_open.csv``: ``arrived``, ``channel`` (phone, digital), ``deadline``
  (optional: arrival plus the config's SLA);
- ``income_support_open.csv``: ``received``, ``urgent``, ``step`` (the next step:
  intake, first_meeting, review, decision, interim_reply) and optionally
  ``state`` (queued, with_user, meeting_booked), ``since`` (when documents were
  asked for, or the booked meeting), ``deadline``, ``channel``, ``first_time``,
  ``rounds_left``, ``interim_sent``, ``touches``, ``handling_minutes``,
  ``waiting_on_user_days``;
- ``caseload.csv``: ``user_id``, ``group``, ``owner``, ``entered``,
  ``last_session``, ``next_due`` and optionally ``next_meeting`` and
  ``session_minutes`` (the booked meeting and its length; rows with a
  ``left`` date are users no longer on the caseload and are skipped);
- ``staff.csv``: ``caseworker``, ``absent_from``, ``absent_to``: every
  caseworker, with the absence running at the moment, if any.

:func:`write_snapshot` writes an :class:`~officeq.model.state.OfficeState`
this way and :func:`read_snapshot` reads one back (from officeq or from a
planner), checking every column.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from officeq.config.schema import Config
from officeq.data.eventlog import read_staff
from officeq.data.tables import (
    DataError,
    parse_bools,
    parse_choice,
    parse_ints,
    parse_numbers,
    parse_times,
    read_table,
    where,
)
from officeq.model.calendar import HOURS_PER_DAY
from officeq.model.state import CASE_STATES, OfficeState, OpenCase, OpenInquiry, UserState
from officeq.model.tasks import STEP_NAMES

if TYPE_CHECKING:
    import pandas as pd

FILES = (
    "snapshot.yaml",
    "inquiries_open.csv",
    "income_support_open.csv",
    "caseload.csv",
    "staff.csv",
)
ISO = "%Y-%m-%dT%H:%M:%S"


def _stamp(at: dt.datetime, hours: float) -> str:
    if hours is None or not math.isfinite(hours):
        return ""
    return (at + dt.timedelta(hours=round(hours * 3600) / 3600)).strftime(ISO)


def write_snapshot(state: OfficeState, folder: Path, at: dt.date, source: str) -> list[str]:
    """Write ``state`` (its moment: ``at`` 00:00) into ``folder``; returns the names."""
    import pandas as pd

    t0 = dt.datetime.combine(at, dt.time())
    meta = {"at": t0.strftime(ISO), "written_by": source, "caseworkers": state.caseworkers}
    (folder / "snapshot.yaml").write_text(
        "# officeq snapshot: the office's state at `at` (README: Your own office)\n"
        + yaml.safe_dump(meta, sort_keys=False),
        encoding="utf-8",
    )
    inq = pd.DataFrame(
        [
            (_stamp(t0, i.arrived), "digital" if i.digital else "phone", _stamp(t0, i.deadline))
            for i in state.inquiries
        ],
        columns=["arrived", "channel", "deadline"],
    )
    inq.to_csv(folder / "inquiries_open.csv", index=False)
    cases = pd.DataFrame(
        [
            {
                "received": _stamp(t0, c.received),
                "urgent": c.urgent,
                "step": c.step,
                "state": c.state,
                "since": _stamp(t0, c.since),
                "deadline": _stamp(t0, c.deadline),
                "channel": "digital" if c.digital else "phone",
                "first_time": c.first_time,
                "rounds_left": c.rounds_left,
                "interim_sent": c.interim_sent,
                "touches": c.touches,
                "handling_minutes": round(c.handling_hours * 60, 2),
                "waiting_on_user_days": round(c.user_hours / HOURS_PER_DAY, 3),
            }
            for c in state.cases
        ],
        columns=CASE_COLUMNS,
    )
    cases.to_csv(folder / "income_support_open.csv", index=False)
    users = pd.DataFrame(
        [
            (
                u.id,
                u.group,
                u.owner if u.owner >= 0 else "",
                _stamp(t0, u.entered),
                _stamp(t0, u.last_session),
                _stamp(t0, u.next_due),
                "",
                "",
                _stamp(t0, u.next_meeting),
                round(u.session_minutes, 3) if u.session_minutes == u.session_minutes else "",
            )
            for u in state.users
        ],
        columns=[*CASELOAD_COLUMNS, "left", "exit_reason", "next_meeting", "session_minutes"],
    )
    users.to_csv(folder / "caseload.csv", index=False)
    since = state.absent_since or (0,) * len(state.absent_until)
    staff = pd.DataFrame(
        [
            (
                w,
                (at + dt.timedelta(days=s)).isoformat(),
                (at + dt.timedelta(days=u)).isoformat(),
            )
            if u >= 0
            else (w, "", "")
            for w, (u, s) in enumerate(zip(state.absent_until, since, strict=True))
        ],
        columns=list(STAFF_COLUMNS),
    )
    staff.to_csv(folder / "staff.csv", index=False)
    return list(FILES)


CASE_COLUMNS = [
    "received",
    "urgent",
    "step",
    "state",
    "since",
    "deadline",
    "channel",
    "first_time",
    "rounds_left",
    "interim_sent",
    "touches",
    "handling_minutes",
    "waiting_on_user_days",
]
CASELOAD_COLUMNS = ["user_id", "group", "owner", "entered", "last_session", "next_due"]
STAFF_COLUMNS = ["caseworker", "absent_from", "absent_to"]


def snapshot_moment(folder: str | Path) -> dt.date:
    """The date of the moment a snapshot folder describes (from ``snapshot.yaml``)."""
    path = Path(folder) / "snapshot.yaml"
    if not path.is_file():
        raise DataError(f"{path}: not found (is {folder} a snapshot folder?)")
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: is not YAML ({type(e).__name__})") from None
    if not isinstance(meta, dict) or "at" not in meta:
        raise DataError(f"{path}: field 'at' is missing (the moment, e.g. 2025-09-01T00:00:00)")
    raw = meta["at"]
    try:
        moment = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(str(raw))
    except ValueError:
        raise DataError(f"{path}: field 'at': {raw!r} is not a timestamp") from None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if moment.tzinfo is not None:
        raise DataError(f"{path}: field 'at': give local time, without a time zone")
    if moment.time() != dt.time():
        raise DataError(f"{path}: field 'at': a snapshot is taken at midnight (00:00)")
    return moment.date()


def _times(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    return parse_times(frame[column], str(path), column)


def _choice(frame: pd.DataFrame, column: str, path: Path, allowed: tuple[str, ...]) -> pd.Series:
    return parse_choice(frame[column], str(path), column, allowed, required=True)


def _flags(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    return parse_bools(frame[column], str(path), column).fillna(False).astype(bool)


def _numbers(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    return parse_numbers(frame[column], str(path), column)


def _ints(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    return parse_ints(frame[column], str(path), column, required=False).astype(float)


def _hours(series: pd.Series, at: dt.date) -> list[float]:
    import pandas as pd

    delta = (series - pd.Timestamp(at)) / pd.Timedelta(hours=1)
    return [float(x) if x == x else math.nan for x in delta]


def read_snapshot(folder: str | Path, cfg: Config) -> tuple[OfficeState, dt.date]:
    """The state a snapshot folder describes, and its date; ``cfg`` gives what an
    optional column leaves out (deadlines) and the need groups users may be in."""
    root = Path(folder)
    at = snapshot_moment(root)
    inquiries = _inquiries(root / "inquiries_open.csv", at, cfg)
    cases = _cases(root / "income_support_open.csv", at, cfg)
    users = _users(root / "caseload.csv", at, cfg)
    absent_until, caseworkers = _staff(root / "staff.csv", at)
    state = OfficeState(inquiries, cases, users, absent_until, caseworkers)
    return state, at


def _inquiries(path: Path, at: dt.date, cfg: Config) -> tuple[OpenInquiry, ...]:
    frame = read_table(path, ("arrived",), ("channel", "deadline"))
    arrived = _hours(_times(frame, "arrived", path), at)
    _not_after(arrived, path, "arrived")
    digital = [False] * len(frame)
    if "channel" in frame:
        digital = list(_choice(frame, "channel", path, ("phone", "digital")) == "digital")
    sla = cfg.work.inquiry.sla_hours
    deadline = [a + sla for a in arrived]
    if "deadline" in frame:
        given = _hours(_times(frame, "deadline", path), at)
        deadline = [g if g == g else d for g, d in zip(given, deadline, strict=True)]
    return tuple(
        OpenInquiry(a, d, g) for a, d, g in sorted(zip(arrived, deadline, digital, strict=True))
    )


def _not_after(values: list[float], path: Path, column: str) -> None:
    for i, v in enumerate(values):
        if v != v:
            raise DataError(f"{where(path, column, i)}: is empty")
        if v > 0:
            raise DataError(f"{where(path, column, i)}: is after the snapshot's moment")


def _cases(path: Path, at: dt.date, cfg: Config) -> tuple[OpenCase, ...]:
    frame = read_table(path, ("received", "urgent", "step"), tuple(CASE_COLUMNS[3:]))
    n = len(frame)
    received = _hours(_times(frame, "received", path), at)
    _not_after(received, path, "received")
    urgent = list(_flags(frame, "urgent", path))
    step = list(_choice(frame, "step", path, STEP_NAMES))
    state = list(_choice(frame, "state", path, CASE_STATES)) if "state" in frame else ["queued"] * n
    since = _hours(_times(frame, "since", path), at) if "since" in frame else [math.nan] * n
    for i, (s, t) in enumerate(zip(state, since, strict=True)):
        if s != "queued" and t != t:
            raise DataError(f"{where(path, 'since', i)}: a case {s} needs the time")
    inc = cfg.work.income_support
    deadline = [
        r + (inc.urgent_deadline_hours if u else inc.deadline_days * HOURS_PER_DAY)
        for r, u in zip(received, urgent, strict=True)
    ]
    if "deadline" in frame:
        given = _hours(_times(frame, "deadline", path), at)
        deadline = [g if g == g else d for g, d in zip(given, deadline, strict=True)]

    def optional(column: str, kind: str, default: float | bool) -> list:
        if column not in frame:
            return [default] * n
        if kind == "flag":
            return list(_flags(frame, column, path))
        values = _ints(frame, column, path) if kind == "int" else _numbers(frame, column, path)
        if (values < 0).any():
            i = int((values < 0).to_numpy().argmax())
            raise DataError(f"{where(path, column, i)}: must not be negative")
        return [default if v != v else (int(v) if kind == "int" else v) for v in values]

    digital = [False] * n
    if "channel" in frame:
        digital = list(_choice(frame, "channel", path, ("phone", "digital")) == "digital")
    first = optional("first_time", "flag", False)
    rounds = optional("rounds_left", "int", 0)
    sent = optional("interim_sent", "flag", False)
    touches = optional("touches", "int", 0)
    minutes = optional("handling_minutes", "num", 0.0)
    user_days = optional("waiting_on_user_days", "num", 0.0)
    return tuple(
        OpenCase(
            received[i],
            deadline[i],
            urgent[i],
            step[i],
            state[i],
            since[i],
            digital[i],
            first[i],
            rounds[i],
            sent[i],
            touches[i],
            minutes[i] / 60,
            user_days[i] * HOURS_PER_DAY,
        )
        for i in sorted(range(n), key=received.__getitem__)
    )


def _users(path: Path, at: dt.date, cfg: Config) -> tuple[UserState, ...]:
    optional = ("left", "exit_reason", "next_meeting", "session_minutes")
    frame = read_table(path, tuple(CASELOAD_COLUMNS), optional)
    if "left" in frame:
        frame = frame[_times(frame, "left", path).isna()].reset_index(drop=True)
    ids = _ints(frame, "user_id", path)
    if ids.isna().any() or (ids < 0).any():
        i = int((ids.isna() | (ids < 0)).to_numpy().argmax())
        raise DataError(f"{where(path, 'user_id', i)}: must be a whole number, 0 or more")
    if ids.duplicated().any():
        i = int(ids.duplicated().to_numpy().argmax())
        raise DataError(f"{where(path, 'user_id', i)}: user {int(ids.iloc[i])} is listed twice")
    group = _choice(frame, "group", path, tuple(cfg.work.followup.groups))
    owner = _ints(frame, "owner", path).fillna(-1)
    entered = _hours(_times(frame, "entered", path), at)
    last = _hours(_times(frame, "last_session", path), at)
    due = _hours(_times(frame, "next_due", path), at)
    meeting = [math.nan] * len(frame)
    if "next_meeting" in frame:
        meeting = _hours(_times(frame, "next_meeting", path), at)
    minutes = [math.nan] * len(frame)
    if "session_minutes" in frame:
        values = _numbers(frame, "session_minutes", path)
        if (values <= 0).any():
            i = int((values <= 0).to_numpy().argmax())
            raise DataError(f"{where(path, 'session_minutes', i)}: must be positive")
        minutes = list(values)
    return tuple(
        UserState(
            int(ids.iloc[i]),
            str(group.iloc[i]),
            int(owner.iloc[i]),
            entered[i] if entered[i] == entered[i] else 0.0,
            last[i],
            due[i],
            meeting[i],
            minutes[i],
        )
        for i in range(len(frame))
    )


def _staff(path: Path, at: dt.date) -> tuple[tuple[int, ...], int]:
    import pandas as pd

    t = read_staff(path)
    count = int(t["caseworker"].max()) + 1
    until = [-1] * count
    running = t[(t["absent_from"] <= pd.Timestamp(at)) & (t["absent_to"] >= pd.Timestamp(at))]
    for w, end in zip(running["caseworker"], running["absent_to"], strict=True):
        until[int(w)] = max(until[int(w)], (end.date() - at).days)
    return tuple(until), count
