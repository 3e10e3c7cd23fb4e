"""The Python API for notebooks and scripts; the ``officeq`` command uses it too.

Seven calls cover what the command line does:

- :func:`load_config`: a file, a dict or a :class:`~officeq.config.schema.Config`,
  with ``--set``-style overrides, validated;
- :func:`run`: one office, one replication, as a :class:`~officeq.measure.run.RunResult`;
- :func:`sweep`: an experiment spec over scenarios × replications, as a :class:`SweepResult`;
- :func:`staff`: the fewest caseworkers meeting targets, as a :class:`StaffingAnswer`;
- :func:`plot`: any figure of ``officeq plot``, as a matplotlib ``Figure``;
- :func:`forecast`: replications from a snapshot, as a :class:`ForecastResult`
  (``run(..., events=True, snapshot_at=DAY)`` gives the event log and the snapshot).
- :func:`calibrate`: a config fitted to an office's event log (``officeq calibrate``).
- :func:`export_xlsx`, :func:`export_csv`, :func:`export_tables`: spreadsheets of
  results (``officeq export``).

Heavy libraries (pandas, matplotlib, dask) are imported inside the calls that
need them. This room sits above figures and below the CLI in the flow.
"""

from officeq.api.basics import ConfigLike, load_config, run
from officeq.api.calibrating import calibrate
from officeq.api.exporting import export_csv, export_tables, export_xlsx
from officeq.api.forecasting import ForecastResult, forecast
from officeq.api.plotting import plot
from officeq.api.staffing import StaffingAnswer, StaffingError, staff
from officeq.api.sweeping import SweepError, SweepInterrupted, SweepResult, sweep
from officeq.measure.files import OutputError

__all__ = [
    "ConfigLike",
    "ForecastResult",
    "OutputError",
    "StaffingAnswer",
    "StaffingError",
    "SweepError",
    "SweepInterrupted",
    "SweepResult",
    "calibrate",
    "export_csv",
    "export_tables",
    "export_xlsx",
    "forecast",
    "load_config",
    "plot",
    "run",
    "staff",
    "sweep",
]
