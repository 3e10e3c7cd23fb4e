"""The steering figure: one run's month-to-date scorecard and management's switches.

Insight 2 of the calibration notes: a manager reacting to the month-to-date
score gives abrupt switching and a sawtooth over each month. This figure
shows it for one run: the month-to-date 48-hour hit rate against its target,
the month-to-date users with any follow-up contact against those with a
substantive session (the Goodhart gap opening within each month), and the
caseworkers under a directive day by day. Drawn from ``daily.csv`` only.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from officeq.figures.common import new_figure, scenario_palette, shade_warmup, styled


def month_to_date(daily: pd.DataFrame, column: str) -> pd.Series:
    """Running sum of ``column`` within each calendar month."""
    month = pd.to_datetime(daily["date"]).dt.strftime("%Y-%m")
    return daily.groupby(month, sort=False)[column].cumsum()


@styled
def steering(daily: pd.DataFrame, target: float | None = None) -> Figure:
    """One run's month-to-date scorecard and directives.

    Args:
        daily: one run's ``daily.csv``.
        target: the 48-hour target as a fraction, drawn as a line (None: none).

    Raises:
        ValueError: the table holds more than one run, or no steering columns.
    """
    keys = [c for c in ("scenario", "replication") if c in daily.columns]
    if keys and len(daily[keys].drop_duplicates()) > 1:
        raise ValueError(
            "the steering figure draws one run: filter to one scenario and replication"
        )
    if "caseworkers_directed" not in daily.columns:
        raise ValueError("these results have no steering columns (made before officeq 0.2?)")
    d = daily.reset_index(drop=True)
    on_time = month_to_date(d, "inquiries_answered_on_time")
    answered = month_to_date(d, "inquiries_answered")
    hit = 100 * on_time / answered.where(answered > 0)
    contacted = month_to_date(d, "users_first_contact_of_month")
    substantive = month_to_date(d, "users_first_substantive_of_month")
    colours = scenario_palette(["hit", "contact", "substantive", "directed"])

    fig, axes = new_figure(3, 1, (10, 8), sharex=True)
    ax = axes[0, 0]
    shade_warmup(ax, d)
    ax.plot(d["day"], hit, color=colours["hit"], lw=1.2, label="month to date")
    if target is not None:
        ax.axhline(100 * target, color="0.3", ls="--", lw=1, label=f"target {target:.0%}")
    ax.set_ylabel("48-hour hit rate,\nmonth to date (%)")
    ax.legend(loc="lower right", fontsize=8)

    ax = axes[1, 0]
    shade_warmup(ax, d)
    ax.plot(d["day"], contacted, color=colours["contact"], lw=1.2, label="any contact (indicator)")
    ax.plot(
        d["day"],
        substantive,
        color=colours["substantive"],
        lw=1.2,
        ls="--",
        label="a substantive session",
    )
    ax.set_ylabel("users followed up,\nmonth to date")
    ax.legend(loc="upper left", fontsize=8)

    ax = axes[2, 0]
    shade_warmup(ax, d)
    ax.step(d["day"], d["caseworkers_directed"], where="post", color=colours["directed"], lw=1.2)
    ax.set_ylabel("caseworkers under\na directive")
    ax.set_ylim(bottom=0)
    ax.set_xlabel("simulated day")
    fig.suptitle(
        "One run under target steering: the month-to-date scorecard and the directives it "
        "triggers\n(grey: warm-up, not measured)"
    )
    return fig
