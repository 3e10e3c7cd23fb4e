"""What the page shows of a results folder: plain-named tables and the figures.

Pure functions of the tables ``officeq sweep`` writes (pandas in, HTML text
or matplotlib figures out), so the page shows the same numbers, formatted
the way the report formats them. Each number's cell carries the unrounded
value in ``data-value`` for anyone (and the browser tests) to check.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officeq.figures.findings import level_text
from officeq.figures.report_parts import TABLE_METRICS

if TYPE_CHECKING:
    import pandas as pd

    from officeq.experiments.folders import Results

HEADLINE = ("inquiry_sla_hit_rate", "followup_backlog_mean")
"""The two numbers the page leads with: the 48-hour SLA against the follow-up backlog."""


def _esc(x: Any) -> str:
    return html.escape(str(x))


def _value_cell(metric: str, row: pd.Series | None, tag: str = "td") -> str:
    import pandas as pd

    if row is None or pd.isna(row["mean"]):
        return f"<{tag}>–</{tag}>"
    value = level_text(metric, float(row["mean"]))
    ci = ""
    if row["n"] >= 2 and not pd.isna(row["ci_low"]):
        low, high = level_text(metric, row["ci_low"]), level_text(metric, row["ci_high"])
        ci = f'<div class="ci">95% CI {low} to {high}</div>'
    return (
        f'<{tag} class="metric" data-metric="{metric}" data-value="{float(row["mean"])!r}">'
        f'<span class="value">{value}</span>{ci}</{tag}>'
    )


def rows_of(summary: pd.DataFrame, scenario_id: int = 0) -> dict[str, pd.Series]:
    """Metric → its summary row, for one scenario."""
    s = summary[summary["scenario_id"] == scenario_id]
    return {str(r["metric"]): r for _, r in s.iterrows()}


def summary_html(summary: pd.DataFrame, scenario_id: int = 0, so_far: bool = False) -> str:
    """The headline metrics of one scenario, each with its 95% interval, as an HTML table
    (``so_far``: of a run still going, marked with the class ``so-far``)."""
    rows = rows_of(summary, scenario_id)
    body = "".join(
        f"<tr><th scope=row>{_esc(label)}</th>{_value_cell(m, rows[m])}</tr>"
        for m, label in TABLE_METRICS
        if m in rows
    )
    n = int(max((r["n"] for r in rows.values()), default=0))
    return (
        f'<table class="table table-sm summary{" so-far" if so_far else ""}" '
        f'data-replications="{n}">'
        f"<thead><tr><th>metric</th><th>mean over {n} replications</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def groups_html(summary: pd.DataFrame, groups: Sequence[str], scenario_id: int = 0) -> str:
    """Who waits: per need group, the mean overdue users and the days they are overdue."""
    rows = rows_of(summary, scenario_id)
    body = []
    for g in groups:
        backlog, days = f"followup_backlog_mean_{g}", f"followup_overdue_days_mean_{g}"
        body.append(
            f"<tr><th scope=row>{_esc(g.replace('_', ' '))}</th>"
            f"{_value_cell(backlog, rows.get(backlog))}{_value_cell(days, rows.get(days))}</tr>"
        )
    return (
        '<table class="table table-sm groups"><thead><tr><th>need group (innsatsgruppe)</th>'
        "<th>users overdue, mean</th><th>days overdue, mean</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


SCORECARD = {
    "month": "month",
    "inquiries_arrived": "inquiries",
    "inquiry_sla_hit_rate": "48-hour hit rate (%)",
    "income_support_decisions": "decisions",
    "income_support_on_time_rate": "decisions on time (%)",
    "followup_users_contacted": "users contacted",
    "followup_users_substantive": "users with a session",
    "followup_backlog_mean": "users overdue, mean",
    "followup_backlog_end": "users overdue at month end",
    "exits_to_work": "exits to work",
    "directives_issued": "directives",
}
"""The monthly scorecard's columns on the page, in plain words."""


def scorecard_table(results: Results) -> pd.DataFrame:
    """The monthly scorecard after the warm-up: per month, the mean over replications."""
    import pandas as pd

    monthly = results.monthly
    if monthly is None or monthly.empty:
        return pd.DataFrame(columns=["month"])
    if "warmup" in monthly.columns:
        monthly = monthly[~monthly["warmup"].astype(bool)]
    columns = [c for c in SCORECARD if c in monthly.columns and c != "month"]
    table = monthly.groupby("month", sort=True)[columns].mean()
    for c in columns:
        if c.endswith("_rate"):
            table[c] = 100 * table[c]
    table = table.round(1).reset_index()
    return table.rename(columns=SCORECARD)


def figure(results: Results, kind: str, **options: Any) -> Any:
    """One of ``officeq plot``'s figures of a results folder."""
    from officeq.figures.kinds import FigureOptions, make_figure

    return make_figure(results, kind, FigureOptions(**options))


def figure_file(results: Results, folder: Path, kind: str, **options: Any) -> Path:
    """The PNG ``officeq plot --kind KIND`` writes, drawn once into ``folder`` (the
    page shows the file, so it looks exactly as the command's)."""
    import matplotlib.pyplot as plt

    from officeq.figures.output import write_figure

    name = "-".join([kind, *(f"{k}-{v}" for k, v in sorted(options.items()))]) + ".png"
    path = folder / name
    if not path.is_file():
        fig = figure(results, kind, **options)
        try:
            write_figure(fig, path)
        finally:
            plt.close(fig)
    return path
