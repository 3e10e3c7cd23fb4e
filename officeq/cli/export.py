"""The ``officeq export`` command: a results folder as an Excel workbook or CSV files."""

from __future__ import annotations

from pathlib import Path

import click

from officeq.cli.common import console, fail


@click.command("export")
@click.argument("results")
@click.option(
    "--xlsx",
    "xlsx",
    metavar="FILE",
    help="Write one Excel workbook (.xlsx): per-scenario means with 95% intervals, "
    "monthly and daily tables, numbers as numbers.",
)
@click.option(
    "--csv",
    "csv_dir",
    metavar="DIR",
    help="Write the same tables as CSV files into this folder (written whole).",
)
@click.option(
    "--csv-dialect",
    type=click.Choice(["plain", "excel-no"]),
    default="plain",
    show_default=True,
    help="plain: comma-separated, decimal points, UTF-8. excel-no: semicolons, decimal "
    "commas, UTF-8 with a byte-order mark, 1/0 for true/false (Norwegian Excel).",
)
def export_cmd(results: str, xlsx: str | None, csv_dir: str | None, csv_dialect: str) -> None:
    """Export a results folder (of officeq sweep, officeq run --out or officeq staff
    --out) for spreadsheets."""
    from officeq.experiments.export import write_export_folder
    from officeq.experiments.folders import ResultsError, load_results
    from officeq.experiments.workbook import write_workbook
    from officeq.measure.files import OutputError, check_file
    from officeq.measure.output import check_replaceable

    if not xlsx and not csv_dir:
        fail("officeq export: give --xlsx FILE, --csv DIR, or both")
    if xlsx and Path(xlsx).suffix.lower() != ".xlsx":
        fail(f"--xlsx: {xlsx} must end in .xlsx")
    try:
        res = load_results(results)
        if xlsx:
            check_file(xlsx)
        if csv_dir:
            check_replaceable(csv_dir, "export")
        written = []
        if xlsx:
            written.append(str(write_workbook(res, xlsx)))
        if csv_dir:
            write_export_folder(res, csv_dir, csv_dialect)
            written.append(f"{csv_dir} ({csv_dialect} CSV)")
    except (ResultsError, OutputError) as e:
        fail(str(e))
    console.print(f"wrote {', '.join(written)}", highlight=False)
