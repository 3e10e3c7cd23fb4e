"""The ``officeq calibrate`` command: fit a config to an office's own data."""

from __future__ import annotations

import click
from rich.markup import escape

from officeq.cli.common import console, fail


@click.command("calibrate")
@click.argument("events", metavar="EVENTS")
@click.option("--caseload", metavar="CASELOAD", help="caseload.csv: size, group shares, exits.")
@click.option("--staff", metavar="STAFF", help="staff.csv: caseworkers and absence spells.")
@click.option(
    "--base",
    metavar="CONFIG",
    help="Config for what the data cannot give (admin share, calendar, policy); "
    "default: the package's configs/baseline.yaml.",
)
@click.option("--out", required=True, metavar="FILE", help="The calibrated config (YAML).")
@click.option("--report", metavar="FILE", help="Also write the fit report (HTML, with figures).")
def calibrate_cmd(
    events: str,
    caseload: str | None,
    staff: str | None,
    base: str | None,
    out: str,
    report: str | None,
) -> None:
    """Fit an office config to EVENTS (an event log, .csv or .parquet).

    Fits arrivals per working day, weekday and hour profiles, digital shares,
    duration and interval distributions (exponential, lognormal or gamma by
    AIC), the caseload, group shares, exit and absence rates; each number in
    the written YAML carries its 95% interval and the data it came from.
    Bad data: one line naming the file, column and line, exit code 2.
    """
    from officeq.api.calibrating import calibrate
    from officeq.config.loading import ConfigError
    from officeq.data.tables import DataError
    from officeq.measure.files import OutputError

    try:
        cal = calibrate(events, caseload, staff, base, out, report)
    except (DataError, ConfigError, OutputError) as e:
        fail(str(e))
    fitted = len(cal.estimates) + len(cal.dists) + 2 * len(cal.streams)
    console.print(
        f"fitted {fitted} numbers from {cal.rows:,} rows ({escape(cal.period)}); "
        f"the rest from {escape(cal.base)}"
    )
    for reason, n in cal.dropped.items():
        console.print(f"  left out: {n:,} rows ({escape(reason)})")
    console.print(f"wrote {escape(out)}" + (f" and {escape(report)}" if report else ""))
