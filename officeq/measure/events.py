"""The event log: one row per task, as an office's case system would export it.

:class:`EventRecorder` is a :class:`~officeq.measure.recorder.Recorder` that
also keeps every task it hears of (an inquiry, an application or a step of
one, a follow-up session, a short contact) and every user who joined or left
the caseload. :meth:`EventRecorder.frames` turns them, with the caseworkers'
absence spells, into the three tables officeq writes with ``--events`` and
reads back with ``officeq calibrate``:

- ``events``: :data:`EVENT_COLUMNS`, timestamps in local time from the
  config's ``start_date``;
- ``caseload``: :data:`CASELOAD_COLUMNS`, one row per user on the caseload at
  any time in the run;
- ``staff``: :data:`STAFF_COLUMNS`, one row per absence spell (a caseworker
  never absent has one row with no dates).

The README's "Your own office" documents the columns. Memory grows with the
run (a few hundred bytes a task); the size estimate counts it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from officeq.measure.recorder import Recorder
from officeq.model.tasks import FOLLOWUP, INCOME_SUPPORT, STEP_NAMES, Task, User

if TYPE_CHECKING:
    import pandas as pd

EVENT_COLUMNS = (
    "task_id",
    "kind",
    "step",
    "case_id",
    "urgent",
    "channel",
    "group",
    "user_id",
    "arrived",
    "started",
    "finished",
    "deadline",
    "caseworker",
)
CASELOAD_COLUMNS = (
    "user_id",
    "group",
    "owner",
    "entered",
    "last_session",
    "next_due",
    "left",
    "exit_reason",
)
STAFF_COLUMNS = ("caseworker", "absent_from", "absent_to")
TIMESTAMP_COLUMNS = ("arrived", "started", "finished", "deadline")


def timestamps(start: dt.date, hours: Iterable[float]) -> np.ndarray:
    """Hours since ``start`` 00:00 as local timestamps to the second (NaT for NaN or inf)."""
    h = np.asarray(list(hours), dtype=float)
    ok = np.isfinite(h)
    seconds = np.where(ok, np.round(h * 3600.0), 0).astype("int64")
    out = np.datetime64(start, "s") + seconds.astype("timedelta64[s]")
    out[~ok] = np.datetime64("NaT")
    return out


class EventRecorder(Recorder):
    """A recorder that also keeps the event log (``officeq run --events``)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._open: dict[Task, None] = {}
        self._log_rows: list[tuple] = []
        self._users: dict[int, list] = {}
        self._last_session: dict[int, float] = {}

    # --- hooks ----------------------------------------------------------------
    def arrived_task(self, task: Task) -> None:
        super().arrived_task(task)
        self._open[task] = None

    def carried_over(self, kind: str, now: float, task: Task | None = None) -> None:
        super().carried_over(kind, now, task)
        if task is not None:
            self._open[task] = None

    def step_queued(self, task: Task) -> None:
        self._open[task] = None

    def cancelled(self, task: Task) -> None:
        super().cancelled(task)
        self._open.pop(task, None)

    def finished(self, task: Task, now: float) -> None:
        self._open.pop(task, None)
        self._log_rows.append(self._row(task, now))
        if task.kind == FOLLOWUP and task.user is not None:
            self._last_session[task.user.id] = task.start
        super().finished(task, now)

    def user_joined(self, user: User, now: float, initial: bool) -> None:
        super().user_joined(user, now, initial)
        self._users[user.id] = [user, now, math.nan, ""]

    def user_left(self, user: User, now: float) -> None:
        entry = self._users[user.id]
        entry[2] = now
        entry[3] = "work" if user.exit_to_work else "other"
        entry.append(user.owner)  # the owner as they left
        super().user_left(user, now)

    # --- rows -----------------------------------------------------------------
    @staticmethod
    def _row(task: Task, finished: float) -> tuple:
        case = task.case
        user = task.user
        applied = task.kind == INCOME_SUPPORT
        return (
            task.kind,
            STEP_NAMES[case.step] if case is not None else "",  # type: ignore[attr-defined]
            case.id if case is not None else -1,  # type: ignore[attr-defined]
            task.queue.endswith("urgent") if applied else None,
            ("digital" if task.digital else "phone") if user is None else "",
            user.group if user is not None else "",
            user.id if user is not None else -1,
            task.arrival,
            task.start,
            finished,
            task.deadline,
            task.worker,
        )

    def open_tasks(self, in_queues: Iterable[Task]) -> None:
        """Log the tasks still open at the end (``in_queues``: waiting or in service)."""
        for task in in_queues:
            self._open.setdefault(task, None)
        for task in self._open:
            if not task.cancelled:
                self._log_rows.append(self._row(task, math.nan))
        self._open.clear()

    def frames(
        self, start: dt.date, users: Iterable[User], absent: list[np.ndarray]
    ) -> dict[str, pd.DataFrame]:
        """The event log, the caseload and the staff table (call :meth:`open_tasks` first).

        ``users``: the users on the caseload at the end; ``absent``: per
        caseworker, a flag per simulated day.
        """
        import pandas as pd

        rows = sorted(self._log_rows, key=lambda r: (r[7], r[2], r[6]))
        cols = list(zip(*rows, strict=True)) if rows else [()] * 12
        events = pd.DataFrame({"task_id": np.arange(len(rows), dtype="int64")})
        for name, values in zip(EVENT_COLUMNS[1:], cols, strict=True):
            events[name] = list(values)
        for name in TIMESTAMP_COLUMNS:
            events[name] = timestamps(start, events[name])
        for name in ("case_id", "user_id", "caseworker"):
            events[name] = events[name].astype("Int64").where(events[name] >= 0)
        events["urgent"] = events["urgent"].astype("boolean")
        for name in ("step", "channel", "group"):
            events[name] = events[name].astype("string").replace("", pd.NA)
        events.loc[events["started"].isna(), "caseworker"] = pd.NA
        return {
            "events": events,
            "caseload": self._caseload(start, users),
            "staff": staff_frame(start, absent),
        }

    def _caseload(self, start: dt.date, users: Iterable[User]) -> pd.DataFrame:
        import pandas as pd

        now_due = {}
        owner_now = {}
        for u in users:
            task = u.waiting or u.next
            now_due[u.id] = task.arrival if task is not None else math.nan
            owner_now[u.id] = u.owner
        rows = []
        for uid, entry in self._users.items():
            user, entered, left, reason = entry[:4]
            owner = entry[4] if len(entry) > 4 else owner_now.get(uid, -1)
            rows.append(
                (
                    uid,
                    user.group,
                    owner,
                    entered,
                    self._last_session.get(uid, math.nan),
                    now_due.get(uid, math.nan),
                    left,
                    reason,
                )
            )
        frame = pd.DataFrame(rows, columns=list(CASELOAD_COLUMNS))
        for name in ("entered", "last_session", "next_due", "left"):
            frame[name] = timestamps(start, frame[name])
        frame["owner"] = frame["owner"].astype("Int64").where(frame["owner"] >= 0)
        frame["exit_reason"] = frame["exit_reason"].astype("string").replace("", pd.NA)
        return frame


def staff_frame(start: dt.date, absent: list[np.ndarray]) -> pd.DataFrame:
    """One row per absence spell (consecutive absent days), dates inclusive."""
    import pandas as pd

    rows = []
    for worker, days in enumerate(absent):
        flags = np.concatenate([[False], np.asarray(days, dtype=bool), [False]])
        edges = np.flatnonzero(np.diff(flags.astype(int)))
        spells = list(zip(edges[::2], edges[1::2] - 1, strict=True))
        if not spells:
            rows.append((worker, None, None))
        for a, b in spells:
            rows.append(
                (worker, start + dt.timedelta(days=int(a)), start + dt.timedelta(days=int(b)))
            )
    return pd.DataFrame(rows, columns=list(STAFF_COLUMNS))
