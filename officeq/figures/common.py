"""Shared pieces of the figures: scenario styles, labels with units, Student-t bands."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from scipy import stats

CONTEXT = ("scenario_id", "scenario", "replication", "seed", "metric")
DASHES: tuple[Any, ...] = ("-", "--", ":", "-.", (0, (6, 2)), (0, (3, 1, 1, 1, 1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
COLUMN_LABELS = {
    "staff_caseworkers": "caseworkers (headcount)",
    "policy_name": "scheduling policy",
    "variant": "named scenario",
    "work_inquiry_arrivals_per_day": "inquiries per working day",
    "work_income_support_arrivals_per_day": "applications per working day",
    "work_followup_caseload": "follow-up caseload (users)",
    "staff_admin_share": "admin share of the day (%)",
    "staff_absence_rate": "sickness absence (% of days)",
    "work_income_support_process_documentation_share": "applications needing more documents",
}
METRIC_LABELS = {
    "inquiry_sla_hit_rate": "48-hour SLA hit rate (%)",
    "income_support_decision_days_mean": "income-support decision time, mean (days)",
    "followup_backlog_mean": "follow-up backlog, mean overdue users",
    "followup_backlog_end": "follow-up backlog at end (overdue users)",
    "income_support_on_time_rate": "income-support decisions on time (%)",
    "caseworker_utilization": "caseworker utilisation (%)",
    "indicator_substantive_ratio": "users with any contact ÷ users with a session (ratio)",
    "indicator_followup_users": "users with any follow-up contact, per month",
    "substantive_followup_users": "users with a substantive session, per month",
    "directives_issued": "directives issued per year",
    "followup_sessions_cancelled": "follow-up sessions cancelled per year",
    "plan_changes_per_caseworker_month": "plan changes per caseworker-month",
    "followup_contacts_short": "short contacts per year",
    "failure_demand_inquiries": "failure-demand inquiries per year",
    "exits_to_work": "exits to work per year",
}


def swept_columns(table: pd.DataFrame, spec_grid: Mapping[str, Any] | None = None) -> list[str]:
    """The swept-parameter columns of a runs, daily or summary table.

    Args:
        table: ``runs.parquet``, ``daily.parquet`` or ``summary.csv`` of a sweep.
        spec_grid: the ``grid:`` mapping of ``spec.resolved.yaml`` (dotted paths); when None
            the columns between ``scenario`` and ``replication``/``metric`` are taken.

    Returns:
        Column names in spec order, ``variant`` first when the sweep has named scenarios.
    """
    cols = list(table.columns)
    if spec_grid is not None:
        wanted = ["variant"] + [p.replace(".", "_") for p in spec_grid]
        return [c for c in wanted if c in cols]
    if "scenario" not in cols:
        return []
    start = cols.index("scenario") + 1
    stop = next((i for i, c in enumerate(cols) if c in ("replication", "metric")), len(cols))
    return [c for c in cols[start:stop] if c not in CONTEXT]


def scenario_palette(scenarios: Sequence[str]) -> dict[str, tuple]:
    """One colour per scenario, in the given order (that of ``scenario_id``).

    Args:
        scenarios: scenario names in ``scenario_id`` order.

    Returns:
        Scenario name → RGB tuple: seaborn "colorblind" up to 10 scenarios, a cubehelix ramp
        (monotone lightness, legible in greyscale) beyond.
    """
    names = list(dict.fromkeys(scenarios))
    n = len(names)
    colours = sns.color_palette("colorblind", n) if n <= 10 else sns.cubehelix_palette(n, 0.3)
    return {name: tuple(c) for name, c in zip(names, colours, strict=True)}


def scenario_styles(scenarios: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Colour, line style and marker per scenario, so figures read in greyscale too.

    Args:
        scenarios: scenario (or policy) names in ``scenario_id`` order.

    Returns:
        Name → ``{"color", "linestyle", "marker"}`` keyword arguments for ``Axes.plot``.
    """
    palette = scenario_palette(scenarios)
    return {
        name: {"color": c, "linestyle": DASHES[i % len(DASHES)], "marker": MARKERS[i % 8]}
        for i, (name, c) in enumerate(palette.items())
    }


def column_label(col: str) -> str:
    """Axis label of a swept column."""
    return COLUMN_LABELS.get(col, col.replace("_", " "))


def metric_label(metric: str) -> str:
    """Axis label of a summary metric, with its unit."""
    if metric in METRIC_LABELS:
        return METRIC_LABELS[metric]
    if metric.startswith("followup_backlog_mean_"):
        return f"follow-up backlog, {metric[22:]}, mean overdue users"
    text = metric.replace("_", " ")
    for key, unit in (("hours", "hours"), ("days", "days"), ("per_user_year", "per user-year")):
        if key in metric:
            return f"{text} ({unit})"
    return f"{text} (%)" if is_fraction(metric) else f"{text} (count)"


def is_fraction(metric: str) -> bool:
    """Whether a metric is a share in [0, 1] (drawn as %)."""
    return any(k in metric for k in ("rate", "share", "utilization"))


def short_labels(table: pd.DataFrame, names: Sequence[str]) -> dict[str, str]:
    """Legend labels: the scenario names, which are plain words already
    (``17 caseworkers, needs-based``, or the spec's ``labels:``;
    :mod:`officeq.experiments.labels`)."""
    return {n: str(n) for n in names}


def compared(table: pd.DataFrame) -> str:
    """What a figure compares, for its title."""
    cols = swept_columns(table)
    return " × ".join(column_label(c).split(" (")[0] for c in cols) or "scenario"


def scenario_order(table: pd.DataFrame) -> list[str]:
    """Scenario names in ``scenario_id`` order."""
    if "scenario_id" in table.columns:
        pairs = table[["scenario_id", "scenario"]].drop_duplicates().sort_values("scenario_id")
        return [str(s) for s in pairs["scenario"]]
    return [str(s) for s in pd.unique(table["scenario"])]


def t_band(df: pd.DataFrame, keys: list[str], values: list[str], level: float = 0.95):
    """Mean and Student-t interval of ``values`` over the rows of each ``keys`` group.

    Returns:
        One row per group: the keys, then ``<v>``, ``<v>_low``, ``<v>_high`` per value
        (the interval is NaN for groups of fewer than two rows).
    """
    g = df.groupby(keys, sort=True)[values]
    mean, sd, n = g.mean(), g.std(ddof=1), g.count()
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)
    half = pd.DataFrame(half, index=mean.index, columns=values)
    out = mean.copy()
    for v in values:
        out[f"{v}_low"] = mean[v] - half[v]
        out[f"{v}_high"] = mean[v] + half[v]
    return out.reset_index()


TARGET_AXES: ContextVar[Any] = ContextVar("TARGET_AXES", default=None)
"""An Axes to draw the next single-panel figure into (set by :func:`drawing_into`)."""


@contextlib.contextmanager
def drawing_into(ax: Any) -> Iterator[None]:
    """Within this block, single-panel figures draw into ``ax`` instead of a new figure."""
    token = TARGET_AXES.set(ax)
    try:
        yield
    finally:
        TARGET_AXES.reset(token)


def new_figure(nrows: int = 1, ncols: int = 1, size=(9.0, 5.0), **kw: Any):
    """A pyplot-free figure (no global state) and its axes.

    Inside :func:`drawing_into`, a single panel is the given Axes and its figure.
    """
    ax = TARGET_AXES.get()
    if ax is not None:
        if nrows * ncols != 1:
            raise ValueError("this figure has several panels: draw it without ax=")
        return ax.figure, np.array([[ax]], dtype=object)
    fig = Figure(figsize=size, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, axes


def styled(func: Callable[..., Figure]) -> Callable[..., Figure]:
    """Draw under the seaborn whitegrid style and a readable font scale."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with sns.axes_style("whitegrid"), sns.plotting_context("notebook", font_scale=0.9):
            return func(*args, **kwargs)

    return wrapper


def has_warmup(daily: pd.DataFrame) -> bool:
    """Whether the table holds warm-up days (a run with ``warmup_days: 0`` has none)."""
    return "warmup" in daily.columns and bool(daily["warmup"].astype(bool).any())


def shade_warmup(ax: Any, daily: pd.DataFrame, x: str = "day") -> None:
    """Grey out the warm-up days (left out of every metric), only when there are any."""
    if has_warmup(daily):
        last = daily.loc[daily["warmup"].astype(bool), x].max()
        half = pd.Timedelta(hours=12) if x == "date" else 0.5
        ax.axvspan(daily[x].min(), last + half, color="0.9", zorder=0, label="warm-up")


def warmup_note(daily: pd.DataFrame) -> str:
    """``"; grey: warm-up"`` for a title when the table has warm-up days, else nothing."""
    return "; grey: warm-up, not measured" if has_warmup(daily) else ""


def legend_outside(ax: Any, **kw: Any) -> Any:
    """The legend right of the axes, top-aligned: it never covers what is drawn."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, **kw)


def with_run_keys(daily: pd.DataFrame) -> pd.DataFrame:
    """A daily table with run keys, one run's ``daily.csv`` included."""
    out = daily if "scenario" in daily.columns else daily.assign(scenario="this run")
    return out if "replication" in out.columns else out.assign(replication=0)


def replications_note(df: pd.DataFrame) -> str:
    n = df.groupby("scenario")["replication"].nunique()
    r = f"{n.min()}" if n.min() == n.max() else f"{n.min()}–{n.max()}"
    return f"mean of {r} replications, 95% CI" if n.max() > 1 else "one replication"


def draw_lines(ax: Any, band: pd.DataFrame, x: str, y: str, styles: dict, labels: dict, cap=None):
    """One mean line per scenario with its Student-t band (clipped to [0, cap]), sparse markers."""
    step = max(1, band[x].nunique() // 10)
    for i, (name, st) in enumerate(styles.items()):
        b = band[band["scenario"] == name]
        if b.empty:
            continue
        ax.plot(b[x], b[y], label=labels[name], markevery=(i % step, step), **st, gid=name)
        lo, hi = b[f"{y}_low"].clip(0, cap), b[f"{y}_high"].clip(0, cap)
        ax.fill_between(b[x], lo, hi, color=st["color"], alpha=0.2, lw=0)


def wide_summary(summary: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """One row per scenario: context, then ``<m>``, ``<m>_low``, ``<m>_high`` per metric."""
    ctx = ["scenario_id", "scenario", *swept_columns(summary)]
    out = summary[ctx].drop_duplicates("scenario_id").set_index("scenario_id")
    for m in metrics:
        s = summary[summary["metric"] == m].set_index("scenario_id")
        if s.empty:
            raise ValueError(f"metric {m!r} is not in the summary table")
        out[m], out[f"{m}_low"], out[f"{m}_high"] = s["mean"], s["ci_low"], s["ci_high"]
    return out.replace([np.inf, -np.inf], np.nan).sort_index().reset_index()


def series_by(summary: pd.DataFrame, metrics: list[str], policy_col: str | None, staff_col: str):
    """Scenarios split by policy, each sorted by staffing; one staffing per point."""
    swept = swept_columns(summary)
    for c in (policy_col, staff_col):
        if c is not None and c not in summary.columns:
            raise ValueError(f"{c!r} is not a column; swept columns: {swept}")
    wide = wide_summary(summary, metrics)
    key = policy_col or "_all"
    w = wide.assign(_all="all scenarios")
    out = {}
    for name in pd.unique(w[key]):
        s = w[w[key] == name].sort_values(staff_col)
        if s[staff_col].duplicated().any():
            other = [c for c in swept if c not in (policy_col, staff_col)]
            raise ValueError(
                f"several scenarios share one {staff_col} value within {name!r}: "
                f"pass one of {other} as policy_col or filter the table first"
            )
        out[str(name)] = s
    return out


def series_words(column: str | None, value: Any) -> str:
    """A series' legend entry in words: ``needs_based`` → ``needs-based``."""
    from officeq.experiments.labels import words

    return words(str(value)) if column else str(value)


def metric_higher_is_better(metric: str) -> bool:
    return "rate" in metric or "share" in metric


def plain(v: Any) -> Any:
    return v.item() if hasattr(v, "item") else v


def fmt_target(value: float, scale: float) -> str:
    return f"{value * scale:.1f}%" if scale == 100 else f"{value:g}"
