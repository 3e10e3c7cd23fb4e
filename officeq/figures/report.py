"""A one-page, self-contained HTML report of a results folder.

The question (the spec), the scenario table (means with 95% intervals), the
figures that fit the results (embedded as PNG data, no network needed), a
few plain-language findings computed from the numbers, and the resolved
config. This module builds the text; :mod:`officeq.measure.output` writes it.
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any

import pandas as pd
import yaml
from matplotlib.figure import Figure

from officeq.experiments.folders import Results
from officeq.figures.common import swept_columns

HEADLINE = (
    ("inquiry_sla_hit_rate", "48-hour hit rate", True),
    ("income_support_on_time_rate", "decisions on time", True),
    ("followup_backlog_mean", "users overdue for follow-up", False),
    ("followup_backlog_mean_specially_adapted", "of them specially adapted", False),
    ("caseworker_utilization", "utilisation", True),
)
STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#222;line-height:1.45}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;
text-align:right}th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}
figure{margin:1.5rem 0}img{max-width:100%}figcaption{font-size:.9rem;color:#444}
pre{background:#f7f7f7;padding:.75rem;overflow:auto;font-size:.8rem;max-height:30rem}
"""
SELF_CHECK = """
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var ok = imgs.every(function (i) { return i.complete && i.naturalWidth > 0; });
  document.body.setAttribute('data-images', String(imgs.length));
  document.body.setAttribute('data-images-ok', ok ? 'yes' : 'no');
});
"""


def png_data(fig: Figure, dpi: int = 110) -> str:
    """The figure as a base64 PNG data URL."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _pct(v: float) -> str:
    return f"{100 * v:.1f}%"


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.1f}"


def _value(row: pd.Series, as_pct: bool) -> str:
    f = _pct if as_pct else _num
    if pd.isna(row["mean"]):
        return "–"
    if row["n"] < 2 or pd.isna(row["ci_low"]):
        return f(row["mean"])
    return f"{f(row['mean'])} ({f(row['ci_low'])}–{f(row['ci_high'])})"


def _wide(summary: pd.DataFrame) -> dict[int, dict[str, pd.Series]]:
    out: dict[int, dict[str, pd.Series]] = {}
    for _, row in summary.iterrows():
        out.setdefault(int(row["scenario_id"]), {})[row["metric"]] = row
    return out


def scenario_table(summary: pd.DataFrame) -> str:
    """HTML table: one row per scenario, headline metrics with 95% intervals."""
    wide = _wide(summary)
    names = summary.groupby("scenario_id")["scenario"].first()
    metrics = [(m, label, pct) for m, label, pct in HEADLINE if m in set(summary["metric"])]
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label, _ in metrics)
    rows = []
    for sid, name in names.items():
        cells = "".join(f"<td>{_value(wide[sid][m], pct)}</td>" for m, _, pct in metrics)
        n = int(max(r["n"] for r in wide[sid].values()))
        rows.append(f"<tr><td>{html.escape(str(name))}</td><td>{n}</td>{cells}</tr>")
    return (
        f"<table><tr><th>scenario</th><th>n</th>{head}</tr>{''.join(rows)}</table>"
        "<p>Means over replications, with 95% confidence intervals in brackets.</p>"
    )


def findings(results: Results, limit: int = 8) -> list[str]:
    """Plain-language statements computed from the numbers."""
    if results.kind == "run":
        s = results.run_summary or {}
        out = []
        if s.get("inquiry_sla_hit_rate") is not None:
            out.append(
                f"The 48-hour hit rate was {_pct(s['inquiry_sla_hit_rate'])}, with a "
                f"mean wait of {s['inquiry_wait_hours_mean']:.1f} hours."
            )
        if s.get("followup_backlog_mean") is not None:
            out.append(
                f"On average {_num(s['followup_backlog_mean'])} users were overdue for "
                f"follow-up; {_num(s['followup_backlog_end'])} at the end of the run."
            )
        if s.get("caseworker_utilization") is not None:
            out.append(
                f"Caseworkers spent {_pct(s['caseworker_utilization'])} of their client "
                f"time on tasks and worked {_num(s['overtime_hours'])} hours of overtime."
            )
        return out
    summary = results.summary
    assert summary is not None
    wide = _wide(summary)
    names = summary.groupby("scenario_id")["scenario"].first()
    out = []
    for sid, name in list(names.items())[:limit]:
        m = wide[sid]
        if "inquiry_sla_hit_rate" in m and "followup_backlog_mean" in m:
            out.append(
                f"With {name}, the 48-hour hit rate is "
                f"{_value(m['inquiry_sla_hit_rate'], True)} and "
                f"{_value(m['followup_backlog_mean'], False)} users are overdue for "
                "follow-up."
            )
    out += _comparisons(results)
    return out


def _comparisons(results: Results) -> list[str]:
    """Lowest vs highest staffing per policy, and which policy leaves fewer overdue."""
    runs = results.runs
    if runs is None or "staff_caseworkers" not in runs:
        return []
    summary = results.summary
    assert summary is not None
    backlog = summary[summary["metric"] == "followup_backlog_mean"]
    others = [c for c in swept_columns(runs, results.grid or None) if c != "staff_caseworkers"]
    if len(others) > 1:  # comparing along staffing would mix the other columns
        return []
    key = others[0] if others else None  # the series: policy, named scenario, ...
    out = []
    groups = backlog.groupby(key) if key else [("", backlog)]
    for policy, g in groups:
        g = g.sort_values("staff_caseworkers")
        if len(g) < 2:
            continue
        lo, hi = g.iloc[0], g.iloc[-1]
        who = f"Under {policy}, going" if key else "Going"
        out.append(
            f"{who} from {lo['staff_caseworkers']} to {hi['staff_caseworkers']} "
            f"caseworkers changes the mean follow-up backlog from {_num(lo['mean'])} to "
            f"{_num(hi['mean'])} overdue users."
        )
    if key:
        for n, g in backlog.groupby("staff_caseworkers"):
            if len(g) < 2:
                continue
            best, worst = g.sort_values("mean").iloc[0], g.sort_values("mean").iloc[-1]
            clear = best["ci_high"] < worst["ci_low"]
            out.append(
                f"At {n} caseworkers, {best[key]} leaves fewer users overdue than "
                f"{worst[key]} ({_num(best['mean'])} vs {_num(worst['mean'])}; "
                + (
                    "the 95% intervals do not overlap)."
                    if clear
                    else "the 95% intervals overlap, so the difference is not clear)."
                )
            )
    return out


def render(results: Results, figures: list[tuple[str, Figure]], title: str | None = None) -> str:
    """The whole report as one HTML document."""
    spec: dict[str, Any] = results.spec or {}
    name = title or spec.get("name") or results.folder.name
    parts = [f"<h1>officeq: {html.escape(str(name))}</h1>"]
    if results.kind == "sweep":
        question = {
            k: spec.get(k)
            for k in ("base", "replications", "seed", "grid", "scenarios")
            if spec.get(k)
        }
        parts.append(
            "<h2>The question</h2><pre>"
            + html.escape(yaml.safe_dump(question, sort_keys=False))
            + "</pre>"
        )
        parts.append("<h2>Scenarios</h2>" + scenario_table(results.summary))
    parts.append(
        "<h2>Findings</h2><ul>"
        + "".join(f"<li>{html.escape(f)}</li>" for f in findings(results))
        + "</ul>"
    )
    parts.append("<h2>Figures</h2>")
    for caption, fig in figures:
        parts.append(
            f'<figure><img alt="{html.escape(caption)}" src="{png_data(fig)}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        )
    config = spec.get("base_config") if results.kind == "sweep" else results.config
    if config:
        parts.append(
            "<h2>Resolved configuration</h2><pre>"
            + html.escape(yaml.safe_dump(config, sort_keys=False))
            + "</pre>"
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>officeq: {html.escape(str(name))}</title><style>{STYLE}</style>"
        f"<script>{SELF_CHECK}</script></head><body>{''.join(parts)}</body></html>\n"
    )
