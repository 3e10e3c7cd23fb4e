"""The ``officeq plot`` and ``officeq report`` commands: read results, draw, write."""

from __future__ import annotations

from pathlib import Path

import click

from officeq.cli import _fail, console, main

FORMATS = (".png", ".svg")


@main.command("plot")
@click.argument("results")
@click.option(
    "--kind",
    required=True,
    help="backlog, frontier, staffing, heatmap, scorecard or overview (one run).",
)
@click.option("--out", help="Image file, .png or .svg (default: RESULTS/<kind>.png).")
@click.option("--metric", help="staffing and heatmap: the metric (a summary.json name).")
@click.option(
    "--target",
    type=float,
    help="staffing: the target line; scorecard: the target hit rate (default 0.9).",
)
@click.option("--x", "x", help="heatmap: swept column on the x axis.")
@click.option("--y", "y", help="heatmap: swept column on the y axis.")
@click.option("--by-group", is_flag=True, help="backlog: one panel per need group.")
def plot_cmd(
    results: str,
    kind: str,
    out: str | None,
    metric: str | None,
    target: float | None,
    x: str | None,
    y: str | None,
    by_group: bool,
) -> None:
    """Draw a figure from a results folder (of officeq sweep or officeq run --out)."""
    from officeq.figures import KINDS, FigureOptions, make_figure
    from officeq.output import write_figure
    from officeq.resultsio import ResultsError, load_results

    if kind not in KINDS:
        _fail(f"--kind: unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    path = Path(out) if out else Path(results) / f"{kind}.png"
    if path.suffix.lower() not in FORMATS:
        _fail(f"--out: {path} must end in .png or .svg")
    try:
        fig = make_figure(
            load_results(results), kind, FigureOptions(metric, target, x, y, by_group)
        )
    except ResultsError as e:
        _fail(str(e))
    write_figure(fig, path)
    console.print(f"wrote {path}", highlight=False)


@main.command("report")
@click.argument("results")
@click.option("--out", help="HTML file (default: RESULTS/report.html).")
def report_cmd(results: str, out: str | None) -> None:
    """Write a self-contained one-page HTML report of a results folder."""
    from officeq.figures import report_figures
    from officeq.output import write_text
    from officeq.report import render
    from officeq.resultsio import ResultsError, load_results

    try:
        res = load_results(results)
    except ResultsError as e:
        _fail(str(e))
    path = Path(out) if out else Path(results) / "report.html"
    write_text(path, render(res, report_figures(res)))
    console.print(f"wrote {path}", highlight=False)
