"""Run one office and collect what it measured: :func:`run` and :class:`RunResult`.

This is where the model meets measurement: a :class:`~officeq.measure.recorder.Recorder`
is handed to :class:`~officeq.model.simulate.Simulation`, the office runs to its
horizon, and the recorder's counters become the summary. The daily table and
the monthly scorecard are pandas DataFrames built only when first asked for,
so a run that needs only its summary (a sweep's replication, the staffing
advisor) never imports pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from officeq.config.changes import max_caseworkers
from officeq.config.schema import Config
from officeq.measure.daily import DailyTable
from officeq.measure.recorder import Recorder
from officeq.measure.summary import summarise
from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.model.simulate import Simulation
from officeq.model.state import OfficeState
from officeq.model.tasks import FOLLOWUP, INCOME_SUPPORT, INQUIRY

if TYPE_CHECKING:
    import pandas as pd


class RunResult:
    """What one run measured.

    Attributes:
        config: the configuration that ran.
        summary: metric name to number (``None`` where undefined); the keys of
            :func:`officeq.measure.summary.summary_keys`, in order.
        counts: all-time task counts per kind (arrived, finished, cancelled,
            waiting, in_service), for conservation checks.
    """

    def __init__(
        self,
        config: Config,
        summary: dict[str, float | None],
        counts: dict[str, dict[str, int]],
        table: DailyTable,
        rows: int,
        open_late: tuple[int, int],
        caseworker_rows: list[dict[str, float | int | None]] | None = None,
        decision_rows: list[tuple[str, int, int, int]] | None = None,
    ) -> None:
        self.config = config
        self.summary = summary
        self.counts = counts
        self._table = table
        self._rows = rows
        self._open_late = open_late
        self._caseworker_rows = caseworker_rows or []
        self._decision_rows = decision_rows or []
        self.snapshot: OfficeState | None = None
        self.snapshot_day = -1
        """With ``run(..., snapshot_at=DAY)``: the office's state at the start of DAY."""
        self.log: dict[str, pd.DataFrame] | None = None
        """With ``run(..., events=True)``: the tables ``events``, ``caseload`` and
        ``staff`` (:mod:`officeq.measure.events`)."""

    @cached_property
    def daily(self) -> pd.DataFrame:
        """One row per simulated day (the columns of ``daily.csv``)."""
        return self._table.frame(self._rows)

    @cached_property
    def monthly(self) -> pd.DataFrame:
        """The office's monthly scorecard (the columns of ``monthly.csv``)."""
        return self._table.monthly(self.daily, self._open_late)

    @cached_property
    def caseworkers(self) -> pd.DataFrame:
        """One row per caseworker (the columns of ``caseworkers.csv``)."""
        import pandas as pd

        from officeq.measure.organisation import CASEWORKER_COLUMNS

        return pd.DataFrame(self._caseworker_rows, columns=list(CASEWORKER_COLUMNS))

    @cached_property
    def decision_times(self) -> pd.DataFrame:
        """Income-support decisions by whole days from receipt (``decision_times.csv``)."""
        import pandas as pd

        from officeq.measure.cases import DECISION_TIME_COLUMNS

        return pd.DataFrame(self._decision_rows, columns=list(DECISION_TIME_COLUMNS))

    def __repr__(self) -> str:
        return f"RunResult({self.config.name!r}, {len(self.summary)} metrics, {self._rows} days)"


def recorder_for(
    cfg: Config, kind: type[Recorder] = Recorder
) -> Callable[[OfficeCalendar], Recorder]:
    """What makes the recorder of a run of ``cfg`` once its calendar is known (``kind``:
    a :class:`Recorder` or a subclass that keeps more, e.g. in tests)."""

    def make_recorder(cal: OfficeCalendar) -> Recorder:
        return kind(
            cal,
            tuple(cfg.work.followup.groups),
            cfg.warmup_days * HOURS_PER_DAY,
            cfg.horizon_days * HOURS_PER_DAY,
            max_caseworkers(cfg),
        )

    return make_recorder


def run(
    cfg: Config,
    progress: Callable[[float], None] | None = None,
    events: bool = False,
    snapshot_at: int | None = None,
    start: OfficeState | None = None,
) -> RunResult:
    """Simulate the office in ``cfg`` to its horizon and measure it.

    Args:
        cfg: a validated configuration.
        progress: called with the fraction done after each simulated month.
        events: also keep the event log, the caseload and the absence spells
            (:attr:`RunResult.log`; the same run, the same random numbers).
        snapshot_at: take the office's state at the start of this simulated day
            (:attr:`RunResult.snapshot`).
        start: start the office in this state (a snapshot's) instead of empty.
    """
    from officeq.measure.events import EventRecorder

    sim = Simulation(cfg, recorder_for(cfg, EventRecorder if events else Recorder), start)
    sim.run(progress, snapshot_at)
    rec: Recorder = sim.rec  # type: ignore[assignment]
    now = sim.horizon
    queued = list(sim.office.queues.waiting())
    serving = list(sim.office.in_service())
    log = None
    if isinstance(rec, EventRecorder):
        rec.open_tasks(queued + serving)
        log = rec.frames(cfg.start_date, sim.caseload.users.values(), sim.absent)
    open_n = rec.close_open_tasks(queued + serving, now)
    cases = sim.cases
    if cases is not None:
        rec.close_open_cases(cases.open, now)
    for w in sim.office.workers:
        if w.idle_since is not None:
            rec.idled(w.idle_since, now)
    rec.steer.close_gaps(sim.caseload.users.values(), now)
    rec.org.deferred = sim.office.queues.deferred - sim.deferred_base
    rec.org.shortened = sim.office.queues.shortened - sim.shortened_base
    meetings = sim.org.meetings
    summary = summarise(rec, now, open_n, meetings.open_meetings() if meetings else ())
    owners = sim.org.owners
    caseworkers = rec.org.rows(now, owners.count if owners is not None else None)
    counts: dict[str, dict[str, int]] = {}
    for kind in rec.arrived:
        counts[kind] = {
            "arrived": rec.arrived[kind],
            "finished": rec.finished_n[kind],
            "cancelled": rec.cancelled_n[kind],
            "waiting": (
                sum(u.waiting is not None for u in sim.caseload.users.values())
                if kind == FOLLOWUP
                else sum(t.kind == kind for t in queued)
            ),
            "in_service": sum(t.kind == kind for t in serving),
        }
    if cases is not None:  # cases, not steps: open ones wait in a queue or on the user
        c = counts[INCOME_SUPPORT]
        c["waiting"] = len(cases.open) - c["in_service"]
    late = (rec.open_late_n[INQUIRY], rec.open_late_n[INCOME_SUPPORT])
    result = RunResult(
        cfg, summary, counts, rec.table, rec.rows, late, caseworkers, rec.cases.rows()
    )
    result.log = log
    result.snapshot = sim.captured
    result.snapshot_day = snapshot_at if snapshot_at is not None else -1
    return result
