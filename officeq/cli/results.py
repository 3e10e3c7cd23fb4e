"""The ``officeq plot`` and ``officeq report`` commands: read results, draw, write."""

from __future__ import annotations

from pathlib import Path

import click

from officeq.cli.common import Finite, console, fail

FORMATS = (".png", ".svg")


@click.command("plot")
@click.argument("results")
@click.option(
    "--kind",
    required=True,
    help="A sweep: backlog, frontier, staffing, heatmap, scorecard, spread (backlog per "
    "caseworker against the largest own backlog) or gaps (days between sessions, caseworker "
    "away against present). One run: overview, backlog, scorecard, steering or caseworkers "
    "(the own backlog of each caseworker).",
)
@click.option("--out", help="Image file, .png or .svg (default: RESULTS/<kind>.png).")
@click.option(
    "--metric",
    help="staffing and heatmap: the metric (a summary.json name); gaps: the need group "
    "(standard, situational, specially_adapted (default), permanently_adapted, or all).",
)
@click.option(
    "--target",
    type=Finite(),
    help="staffing: the target line; scorecard, steering: the target hit rate (default 0.9; "
    "steering: the config's).",
)
@click.option("--x", "x", help="heatmap: swept column on the x axis.")
@click.option("--y", "y", help="heatmap: swept column on the y axis.")
@click.option("--by-group", is_flag=True, help="backlog: one panel per need group.")
@click.option(
    "--only",
    multiple=True,
    metavar="COLUMN=VALUE[,VALUE...]",
    help="A sweep: draw only the scenarios with these values, e.g. "
    "'staff_caseworkers=20,24' (repeatable: all must match).",
)
@click.option(
    "--highlight",
    multiple=True,
    metavar="COLUMN=VALUE[,VALUE...]",
    help="backlog, scorecard: these scenarios in colour, the others grey (repeatable: "
    "all must match). Without it, more than 6 scenarios get one panel each.",
)
def plot_cmd(
    results: str,
    kind: str,
    out: str | None,
    metric: str | None,
    target: float | None,
    x: str | None,
    y: str | None,
    by_group: bool,
    only: tuple[str, ...],
    highlight: tuple[str, ...],
) -> None:
    """Draw a figure from a results folder (of officeq sweep or officeq run --out)."""
    from officeq.experiments.folders import ResultsError, load_results
    from officeq.figures.kinds import KINDS, FigureOptions, make_figure
    from officeq.figures.output import write_figure
    from officeq.measure.files import OutputError, check_file

    if kind not in KINDS:
        from officeq.config.suggest import did_you_mean

        fail(
            f"--kind: unknown kind {kind!r}; choose one of {', '.join(KINDS)}"
            + did_you_mean(kind, KINDS)
        )
    path = Path(out) if out else Path(results) / f"{kind}.png"
    if path.suffix.lower() not in FORMATS:
        fail(f"--out: {path} must end in .png or .svg")
    try:
        res = load_results(results)
        check_file(path)
        opts = FigureOptions(metric, target, x, y, by_group, only, highlight)
        fig = make_figure(res, kind, opts)
        write_figure(fig, path)
    except (ResultsError, OutputError) as e:
        fail(str(e))
    console.print(f"wrote {path}", highlight=False)


@click.command("report")
@click.argument("results")
@click.option("--out", help="HTML file (default: RESULTS/report.html).")
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="METRIC>=VALUE",
    help="A target the headline answers, e.g. 'followup_backlog_mean<=30' (repeatable; "
    "default: the spec's targets).",
)
@click.option("--title", help="The report's title (default: from the spec's name).")
@click.option(
    "--pdf",
    is_flag=True,
    help="Also print it to PDF beside the HTML file (needs Chromium).",
)
def report_cmd(
    results: str, out: str | None, targets: tuple[str, ...], title: str | None, pdf: bool
) -> None:
    """Write a self-contained HTML report of a results folder: the answer first,
    the details below."""
    from officeq.experiments.folders import ResultsError, load_results
    from officeq.figures.pdf import print_pdf
    from officeq.figures.report import report_html
    from officeq.measure.files import OutputError, check_file, write_text

    path = Path(out) if out else Path(results) / "report.html"
    try:
        res = load_results(results)
        check_file(path)
        if pdf:
            check_file(path.with_suffix(".pdf"))
        write_text(path, report_html(res, targets, title))
        if pdf:
            print_pdf(path, path.with_suffix(".pdf"))
    except (ResultsError, OutputError) as e:
        fail(str(e))
    console.print(
        f"wrote {path}" + (f" and {path.with_suffix('.pdf')}" if pdf else ""), highlight=False
    )


@click.command("table")
@click.argument("results")
@click.option(
    "--metric", "metrics", multiple=True, required=True, help="A summary metric (repeatable)."
)
@click.option("--where", multiple=True, help="Keep scenarios with COLUMN=VALUE (repeatable).")
@click.option(
    "--versus",
    multiple=True,
    help="Paired differences against the scenario with COLUMN=VALUE (repeatable), "
    "matched on every other swept column and on the replication.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "csv"]),
    default="text",
    show_default=True,
    help="csv: the tidy table (one row per scenario and metric).",
)
def table_cmd(
    results: str,
    metrics: tuple[str, ...],
    where: tuple[str, ...],
    versus: tuple[str, ...],
    fmt: str,
) -> None:
    """Scenario means with 95% intervals, or paired differences, from a sweep's results."""
    import sys

    from officeq.experiments.compare import (
        CompareError,
        markdown,
        metric_table,
        paired_differences,
        parse_where,
        wide,
    )
    from officeq.experiments.folders import ResultsError, load_results
    from officeq.figures.common import swept_columns

    try:
        res = load_results(results)
        if res.kind != "sweep" or res.runs is None:
            raise ResultsError(f"{results}: officeq table needs the results of officeq sweep")
        runs = res.runs
        params = swept_columns(runs, res.grid or None) or ["scenario"]
        filters = parse_where(where, runs)
        if versus:
            ref = parse_where(versus, runs)
            table = paired_differences(runs, params, metrics, ref, filters)
            value = "difference"
        else:
            table = metric_table(runs, params, metrics, filters)
            value = "mean"
    except (ResultsError, CompareError) as e:
        fail(f"{results}: {e}" if isinstance(e, CompareError) else str(e))
    if table.empty:
        fail(f"{results}: no scenarios match {' '.join(where)}")
    if fmt == "csv":
        table.to_csv(sys.stdout, index=False)
        return
    shown = wide(table, params, value)
    if fmt == "markdown":
        click.echo(markdown(shown))
    else:
        click.echo(shown.to_string(index=False))
