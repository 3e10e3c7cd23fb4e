"""Calibrating from a planner's data, for notebooks and the ``officeq calibrate`` command.

:func:`calibrate` fits a config to an event log (and optional caseload and
staff files) over a base config, and writes the commented YAML and the HTML
fit report. Both texts are made, and the YAML checked to load as a config,
before anything is written; each file is written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from officeq.data.calibrate import Calibration


def calibrate(
    events: str | Path,
    caseload: str | Path | None = None,
    staff: str | Path | None = None,
    base: str | Path | None = None,
    out: str | Path | None = None,
    report: str | Path | None = None,
    command: str = "officeq calibrate",
) -> Calibration:
    """Fit a config to the files, and write it to ``out`` and its fit report to ``report``.

    Args:
        events: the event log (``.csv`` or ``.parquet``), one row per task.
        caseload: optional ``caseload.csv``: caseload size, group shares, exit rates.
        staff: optional ``staff.csv``: caseworkers, absence rate and spell length.
        base: the config supplying what the data cannot give; default the
            package's ``configs/baseline.yaml``.
        out: where to write the calibrated YAML (optional).
        report: where to write the HTML fit report (optional).

    Returns:
        A :class:`~officeq.data.calibrate.Calibration`: ``.config`` (plain data),
        ``.estimates``, ``.dists`` and ``.streams`` (each fit with its interval),
        ``.dropped`` (rows left out, by reason).

    Raises:
        DataError: bad data, one line naming the file, column and line.
        ConfigError: a bad base config, or (a bug) a fitted config that does not load.
        OutputError: an output that cannot be written.
    """
    from officeq.config.loading import ConfigError, validate
    from officeq.config.yamlfile import load_yaml
    from officeq.data.calibrate import calibrate as fit
    from officeq.data.yamlout import render
    from officeq.measure.files import check_file, write_text

    for target in (out, report):
        if target is not None:
            check_file(target)
    cal = fit(events, caseload, staff, base)
    if out is not None:  # `extends` (none is written) would be relative to the output
        cal.config.pop("extends", None)
    text = render(cal, command)
    if load_yaml(text) != cal.config:
        raise ConfigError(str(out or "<calibrated>"), None, "the written YAML does not read back")
    validate(load_yaml(text), str(out or "<calibrated>"))
    page = None
    if report is not None:
        from officeq.figures.fit import render as render_report

        page = render_report(cal, text, Path(events).name)
    if out is not None:
        write_text(out, text)
    if report is not None and page is not None:
        write_text(report, page)
    return cal
