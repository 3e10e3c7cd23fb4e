"""The Compare tab's numbers: the kept runs side by side (pure pandas, HTML and a figure).

Each kept run is a one-scenario sweep folder. :func:`runs_table` stacks their
``runs`` tables into one, as if one sweep had run them all, so
:func:`officeq.experiments.compare.metric_table` gives the means and 95%
intervals and :func:`officeq.experiments.compare.paired_differences` the
differences against a reference. Pairing replication *r* of two runs is only
right when both used the same random days, i.e. the same seed and the same
replications (common random numbers); otherwise the differences are of the
means, with a Welch interval (:func:`welch_differences`), and the page says so.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from officeq.experiments.compare import RUN_KEYS, metric_table, paired_differences
from officeq.figures.findings import amount, level_text
from officeq.figures.report_parts import TABLE_METRICS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

SLA, BACKLOG = "inquiry_sla_hit_rate", "followup_backlog_mean"
LABELS = dict(TABLE_METRICS)
PAIRED = "paired"
WELCH = "welch"


@dataclass(frozen=True)
class Comparison:
    """The kept runs as one table, and how their differences are computed."""

    runs: pd.DataFrame
    names: list[str]
    method: str
    """``paired`` (common random numbers) or ``welch`` (independent runs)."""
    why: str
    """One line saying which, and why."""


def unique_names(names: Sequence[str]) -> list[str]:
    """The names as given, a repeated one numbered: ``a``, ``a (2)``."""
    out: list[str] = []
    for name in names:
        candidate, k = name, 2
        while candidate in out:
            candidate, k = f"{name} ({k})", k + 1
        out.append(candidate)
    return out


def _draws(runs: pd.DataFrame) -> tuple[tuple[int, int], ...]:
    """The random days a run saw: its (replication, seed) pairs."""
    pairs = runs[["replication", "seed"]].drop_duplicates().sort_values("replication")
    return tuple((int(r), int(s)) for r, s in pairs.itertuples(index=False))


def runs_table(kept: Sequence[Any]) -> Comparison:
    """One runs table of the kept runs (``Outcome``s: ``name``, ``results``, ``seed``,
    ``replications``): ``scenario`` is each run's name, ``scenario_id`` its place."""
    import pandas as pd

    names = unique_names([str(k.name) for k in kept])
    parts = [
        k.results.runs.assign(scenario_id=i, scenario=name)
        for i, (k, name) in enumerate(zip(kept, names, strict=True))
    ]
    runs = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=RUN_KEYS)
    draws = {_draws(k.results.runs) for k in kept}
    seeds = sorted({int(k.seed) for k in kept})
    reps = sorted({int(k.replications) for k in kept})
    if len(kept) < 2:
        method, why = PAIRED, ""
    elif len(draws) == 1:
        n = next(iter(draws))
        method = PAIRED
        why = (
            f"Paired by replication: every kept run used seed {seeds[0]} and the same "
            f"{len(n)} replications (the same random days), so each difference is "
            "taken replication by replication."
        )
    else:
        method = WELCH
        said = "seeds " + ", ".join(map(str, seeds)) if len(seeds) > 1 else f"seed {seeds[0]}"
        said += "; replications " + ", ".join(map(str, reps)) if len(reps) > 1 else ""
        why = (
            f"Not paired: the kept runs saw different random days ({said}), so the "
            "differences are of the means, with a Welch interval (wider). For paired "
            "differences, run every scenario with the same seed and replications."
        )
    return Comparison(runs, names, method, why)


def metrics_of(runs: pd.DataFrame) -> list[str]:
    """The table's headline metrics that every kept run has."""
    return [m for m, _ in TABLE_METRICS if m in runs.columns and runs[m].notna().any()]


def means(c: Comparison) -> pd.DataFrame:
    """Per kept run and headline metric: mean, ci_low, ci_high, n (95%, Student t)."""
    return metric_table(c.runs, ["scenario"], metrics_of(c.runs))


def welch_differences(
    runs: pd.DataFrame, metrics: Sequence[str], versus: str, level: float = 0.95
) -> pd.DataFrame:
    """Per scenario other than ``versus`` and metric: the difference of the means and its
    Welch (unequal variances) Student-t interval; ``n`` is the scenario's replications."""
    import numpy as np
    import pandas as pd
    from scipy import stats

    ref = runs[runs["scenario"] == versus]
    rows = []
    for _sid, g in runs[runs["scenario"] != versus].groupby("scenario_id", sort=True):
        for m in metrics:
            a = pd.to_numeric(g[m], errors="coerce").dropna().to_numpy(float)
            b = pd.to_numeric(ref[m], errors="coerce").dropna().to_numpy(float)
            d = float(a.mean() - b.mean()) if len(a) and len(b) else math.nan
            low = high = math.nan
            if len(a) >= 2 and len(b) >= 2:
                va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
                se = math.sqrt(va + vb)
                if se == 0:
                    low = high = d
                else:
                    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
                    half = float(stats.t.ppf(0.5 + level / 2, df)) * se
                    low, high = d - half, d + half
            rows.append(
                {"scenario": g["scenario"].iloc[0], "metric": m, "difference": d}
                | {"ci_low": low, "ci_high": high, "n": len(a)}
            )
    cols = ["scenario", "metric", "difference", "ci_low", "ci_high", "n"]
    return pd.DataFrame(rows, columns=cols).replace([np.inf, -np.inf], np.nan)


def differences(c: Comparison, versus: str) -> pd.DataFrame:
    """Each other kept run minus ``versus``, per headline metric, with its 95% interval:
    paired by replication when the runs share their random days, else Welch."""
    metrics = metrics_of(c.runs)
    if c.method == PAIRED:
        return paired_differences(c.runs, ["scenario"], metrics, {"scenario": versus})
    return welch_differences(c.runs, metrics, versus)


def difference_words(metric: str, d: float, low: float, high: float) -> str:
    """``+2.1 points (95% CI +1.5 to +2.7)``: a difference in the metric's unit."""
    if math.isnan(d):
        return "–"
    text = amount(metric, d, True)
    if d == low == high == 0:
        return "the same in every replication (0)"
    if math.isnan(low) or math.isinf(low) or math.isnan(high) or math.isinf(high):
        return f"{text} (no interval)"
    lo = amount(metric, low, True).removesuffix(" points")
    hi = amount(metric, high, True).removesuffix(" points")
    return f"{text} (95% CI {lo} to {hi})"


def _esc(x: Any) -> str:
    return html.escape(str(x))


def _mean_cell(metric: str, name: str, row: Any) -> str:
    if row is None or row["mean"] != row["mean"]:
        return "<td>–</td>"
    ci = ""
    if row["n"] >= 2 and math.isfinite(row["ci_low"]) and math.isfinite(row["ci_high"]):
        low, high = level_text(metric, row["ci_low"]), level_text(metric, row["ci_high"])
        ci = f'<div class="ci">95% CI {low} to {high}</div>'
    return (
        f'<td class="metric" data-metric="{metric}" data-scenario="{_esc(name)}" '
        f'data-value="{float(row["mean"])!r}"><span class="value">'
        f"{level_text(metric, float(row['mean']))}</span>{ci}</td>"
    )


def means_html(c: Comparison, table: pd.DataFrame) -> str:
    """The kept runs side by side: a row per headline metric, a column per run."""
    rows = {(str(r["scenario"]), str(r["metric"])): r for _, r in table.iterrows()}
    reps = c.runs.groupby("scenario")["replication"].nunique()
    head = "".join(
        f'<th scope=col data-scenario="{_esc(n)}">{_esc(n)}'
        f'<div class="ci">{int(reps.get(n, 0))} replications</div></th>'
        for n in c.names
    )
    body = "".join(
        f"<tr><th scope=row>{_esc(LABELS[m])}</th>"
        + "".join(_mean_cell(m, n, rows.get((n, m))) for n in c.names)
        + "</tr>"
        for m in metrics_of(c.runs)
    )
    return (
        '<table class="table table-sm summary compare">'
        f"<thead><tr><th>metric (mean)</th>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def differences_html(c: Comparison, versus: str, diffs: pd.DataFrame) -> str:
    """Each other run minus the reference, metric by metric, in words with intervals."""
    if diffs.empty:
        return ""
    method = "paired" if c.method == PAIRED else "difference of means, Welch"
    head = "".join(
        f'<th scope=col data-scenario="{_esc(n)}">{_esc(n)} − {_esc(versus)}</th>'
        for n in c.names
        if n != versus
    )
    cells = {(str(r["scenario"]), str(r["metric"])): r for _, r in diffs.iterrows()}
    body = []
    for m in metrics_of(c.runs):
        tds = []
        for n in c.names:
            if n == versus:
                continue
            r = cells.get((n, m))
            if r is None:
                tds.append("<td>–</td>")
                continue
            d, lo, hi = (float(r[k]) for k in ("difference", "ci_low", "ci_high"))
            tds.append(
                f'<td class="difference" data-metric="{m}" data-scenario="{_esc(n)}" '
                f'data-value="{d!r}" data-low="{lo!r}" data-high="{hi!r}" '
                f'data-n="{int(r["n"])}" data-method="{c.method}">'
                f"{_esc(difference_words(m, d, lo, hi))}</td>"
            )
        body.append(f"<tr><th scope=row>{_esc(LABELS[m])}</th>{''.join(tds)}</tr>")
    return (
        f'<table class="table table-sm differences" data-method="{c.method}">'
        f"<thead><tr><th>metric ({method}; shares in percentage points)</th>{head}</tr>"
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )


def frontier(c: Comparison, table: pd.DataFrame) -> Figure:
    """Each kept run as one point: users overdue for follow-up against the 48-hour hit
    rate, with 95% intervals on both axes and the runs' names as labels."""
    from officeq.figures.common import new_figure, scenario_styles, styled
    from officeq.figures.labels import place_labels

    @styled
    def draw() -> Figure:
        fig, axes = new_figure(size=(9, 5.5))
        fig.set_layout_engine("tight")  # Shiny resizes it; a constrained layout would not follow
        ax = axes[0, 0]
        styles = scenario_styles(c.names)
        points = []
        for name in c.names:
            got = table[table["scenario"] == name].set_index("metric")
            if not {SLA, BACKLOG} <= set(got.index):
                continue
            x, y = got.loc[BACKLOG], got.loc[SLA]
            xv, yv = float(x["mean"]), 100 * float(y["mean"])
            st = styles[name]
            if int(x["n"]) >= 2:
                xerr = [[xv - max(0.0, float(x["ci_low"]))], [float(x["ci_high"]) - xv]]
                ylo, yhi = max(0.0, 100 * float(y["ci_low"])), min(100.0, 100 * y["ci_high"])
                yerr = [[yv - ylo], [yhi - yv]]
                ax.errorbar(xv, yv, xerr=xerr, yerr=yerr, fmt="none", ecolor=st["color"])
            ax.plot([xv], [yv], ms=8, color=st["color"], marker=st["marker"], ls="", gid=name)
            points.append((xv, yv, name, st["color"]))
        ax.set_xlabel("users overdue for follow-up, mean")
        ax.set_ylabel("48-hour hit rate (%)")
        ax.margins(0.25)
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        ax.set_xlim(max(x0, 0.0), x1)  # no negative users, no rate above 100%
        ax.set_ylim(y0, min(y1, 100.5))
        title = "The kept runs: 48-hour hit rate against users overdue for follow-up"
        note = "bars: 95% CI; up and left is better"
        _, skipped = place_labels(ax, points)
        if skipped:
            note = f"{skipped} of {len(points)} names left out where points bunch; " + note
        ax.set_title(f"{title}\n({note})")
        return fig

    return draw()
