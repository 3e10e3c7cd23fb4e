"""Spreadsheets of results from Python: ``officeq export`` as calls."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from officeq.api.plotting import _as_results
from officeq.api.staffing import StaffingAnswer
from officeq.api.sweeping import SweepResult

if TYPE_CHECKING:
    import pandas as pd

    from officeq.measure.run import RunResult


def export_tables(
    result: RunResult | SweepResult | StaffingAnswer | str | Path,
) -> dict[str, pd.DataFrame]:
    """The tables ``officeq export`` writes, by sheet name: for a sweep ``scenarios``
    (means and 95% intervals per scenario and metric), ``monthly`` and ``daily``
    (per scenario, means over replications); for one run ``summary``, ``monthly``
    and ``daily``."""
    from officeq.experiments.export import export_tables as tables

    return tables(_as_results(result))


def export_xlsx(
    result: RunResult | SweepResult | StaffingAnswer | str | Path, path: str | Path
) -> Path:
    """Write :func:`export_tables` as one Excel workbook (a sheet each, real numbers and
    dates with number formats, frozen headers) to ``path``, whole or not at all.

    Raises:
        officeq.experiments.folders.ResultsError: a folder that is not whole.
        officeq.measure.files.OutputError: ``path`` cannot be written.
    """
    from officeq.experiments.workbook import write_workbook

    return write_workbook(_as_results(result), path)


def export_csv(
    result: RunResult | SweepResult | StaffingAnswer | str | Path,
    folder: str | Path,
    dialect: str = "plain",
) -> list[Path]:
    """Write :func:`export_tables` as ``<sheet>.csv`` files into ``folder`` (written
    whole, with a manifest). ``dialect``: ``plain`` (``,`` and decimal points, UTF-8)
    or ``excel-no`` (``;`` and decimal commas, UTF-8 with a byte-order mark, 1/0 for
    true/false: what Norwegian Excel opens as numbers)."""
    from officeq.experiments.export import write_export_folder

    return write_export_folder(_as_results(result), folder, dialect)
