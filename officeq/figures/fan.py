"""The forecast's fan chart: per metric, the 5–95% and 25–75% bands and the median
per week, each plan in its own colour, with the actual weeks before "today"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from officeq.experiments.forecast import OFFICE_METRICS
from officeq.figures.common import metric_label, new_figure, scenario_palette, styled

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

TITLES = {
    "followup_backlog": "Follow-up backlog (users overdue, end of week)",
    "inquiry_sla_hit_rate": "Inquiries answered within 48 hours",
    "income_support_on_time_rate": "Income-support decisions on time",
    "inquiries_open": "Open inquiries (end of week)",
    "income_support_open": "Open applications (end of week)",
    "overtime_hours": "Overtime (hours per week)",
}


@styled
def fan_chart(table: pd.DataFrame, history: pd.DataFrame | None = None) -> Figure:
    """Draw ``forecast.csv`` (and ``history``: ``week_start``, ``metric``, ``value``)."""
    import matplotlib.dates as mdates
    import pandas as pd
    from matplotlib.ticker import PercentFormatter

    metrics = [m for m in OFFICE_METRICS if m in set(table["metric"])]
    plans = list(dict.fromkeys(table["plan"]))
    colours = scenario_palette(plans)
    ncols = 2
    nrows = (len(metrics) + 1) // 2
    fig, axes = new_figure(nrows, ncols, size=(12.0, 3.4 * nrows))
    today = pd.Timestamp(table["week_start"].min())
    for ax, metric in zip(axes.flat, metrics, strict=False):
        part = table[table["metric"] == metric]
        for plan in plans:
            p = part[part["plan"] == plan]
            x = pd.to_datetime(p["week_start"]) + pd.Timedelta(days=7)
            c = colours[plan]
            ax.fill_between(x, p["p5"], p["p95"], color=c, alpha=0.15, lw=0)
            ax.fill_between(x, p["p25"], p["p75"], color=c, alpha=0.3, lw=0)
            ax.plot(x, p["p50"], color=c, lw=2, label=f"{plan} (median, 50% and 90% bands)")
        if history is not None:
            h = history[history["metric"] == metric]
            if not h.empty:
                hx = pd.to_datetime(h["week_start"]) + pd.Timedelta(days=7)
                ax.plot(hx, h["value"], color="black", lw=1.5, marker="o", ms=3, label="actual")
        ax.axvline(today, color="grey", ls="--", lw=1)
        ax.annotate("today", (today, 1), xycoords=("data", "axes fraction"), ha="right", va="top")
        ax.set_title(TITLES.get(metric, metric_label(metric)), loc="left", fontsize=11)
        if metric.endswith("_rate"):
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
        ax.tick_params(axis="x", labelrotation=30)
    for ax in list(axes.flat)[len(metrics) :]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(
        handles, labels, loc="outside lower center", ncols=min(3, len(labels)), frameon=False
    )
    n = int(table["replications"].max())
    fig.suptitle(
        f"Forecast from {today:%d %B %Y}: {n} replications per plan, weeks ending on the date",
        x=0.01,
        ha="left",
    )
    return fig
