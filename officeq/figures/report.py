"""A self-contained HTML report of a results folder, for a director first.

The first screen answers: the headline (:mod:`officeq.figures.story`), the
trade-off in one figure and the three or four findings that matter, each
with its paired difference and interval. Below the fold: the full table,
the paired comparisons, every figure, the assumptions the results depend
on, the commands that reproduce them and the resolved config. Figures are
embedded as PNG data (no network needed); the page prints to A4 cleanly.
This module builds the text; :mod:`officeq.measure.files` writes it.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import yaml
from matplotlib.figure import Figure

from officeq.experiments.advisor import TargetSpec
from officeq.experiments.folders import Results
from officeq.figures.report_parts import (
    advisor_section,
    assumptions_section,
    effects_table,
    esc,
    reproduce,
    scenario_table,
)
from officeq.figures.story import Story, story

STYLE = """
:root{--ink:#1d2430;--muted:#5b6472;--line:#d5d9e0;--accent:#1f5fa8}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:72rem;margin:0 auto;
padding:1.25rem 1.5rem;color:var(--ink);line-height:1.45}
header{border-bottom:1px solid var(--line);margin-bottom:1rem}
h1{font-size:1.5rem;margin:.2rem 0}.sub{color:var(--muted);margin:.2rem 0 .6rem;font-size:.9rem}
.headline{font-size:1.3rem;font-weight:600;margin:.6rem 0 1rem;border-left:4px solid var(--accent);
padding-left:.75rem}
.first{display:grid;grid-template-columns:minmax(0,1.15fr) minmax(0,1fr);gap:1.25rem;
align-items:start}
.first ul{margin:0;padding-left:1.1rem}.first li{margin-bottom:.6rem}
.first.single{grid-template-columns:1fr}
@media (max-width:900px){.first{grid-template-columns:1fr}}
.fold{margin-top:1.5rem;padding-top:.5rem;border-top:2px solid var(--line)}
nav{font-size:.9rem;color:var(--muted)}nav a{margin-right:.8rem}
h2{font-size:1.15rem;margin-top:1.8rem}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid var(--line);
padding:.25rem .5rem;text-align:right;vertical-align:top}th{background:#f2f4f7}
td:first-child,th:first-child{text-align:left}.ci{color:var(--muted);font-size:.78rem}
.wide{overflow-x:auto}.note{font-size:.85rem;color:var(--muted)}
figure{margin:1rem 0}img{max-width:100%;height:auto}figcaption{font-size:.85rem;
color:var(--muted)}
pre{background:#f6f7f9;padding:.75rem;overflow:auto;font-size:.78rem;max-height:28rem}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;padding:0;font-size:10.5pt}nav{display:none}
.first{grid-template-columns:1fr 1fr}.fold{break-before:page;border:0}
figure,tr,.headline{break-inside:avoid}h2{break-after:avoid}
pre{max-height:none;overflow:visible;white-space:pre-wrap;word-break:break-word}
.wide{overflow:visible}a{color:inherit;text-decoration:none}}
"""
NAV = (
    ("levels", "staffing levels"),
    ("table", "all scenarios"),
    ("comparisons", "paired comparisons"),
    ("figures", "figures"),
    ("assumptions", "assumptions"),
    ("reproduce", "reproduce"),
    ("config", "configuration"),
)
"""The details' sections, linked from the fold when present."""
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


def findings(results: Results, targets: Sequence[TargetSpec] = ()) -> list[str]:
    """The headline and the findings, as plain sentences."""
    s = story(results, targets)
    return [s.headline, *s.findings]


def _figure(caption: str, fig: Figure) -> str:
    return (
        f'<figure><img alt="{esc(caption)}" src="{png_data(fig)}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )


def _title(results: Results) -> tuple[str, str]:
    spec: dict[str, Any] = results.spec or {}
    if results.kind == "run":
        cfg = results.config or {}
        return f"One run of {cfg.get('name', 'the office')}", _office_line(cfg)
    base = spec.get("base_config") or {}
    if spec.get("advisor"):
        return f"Staffing advice for {base.get('name', 'the office')}", _office_line(base)
    name = str(spec.get("name") or results.folder.name).replace("_", " ")
    runs = results.runs
    n = runs["scenario_id"].nunique() if runs is not None else 0
    reps = spec.get("replications")
    size = f"{n} scenarios" + (f" × {reps} replications" if reps else "")
    return name[:1].upper() + name[1:], f"{size}; {_office_line(base)}"


def _office_line(cfg: dict[str, Any]) -> str:
    start = cfg.get("start_date")
    horizon, warmup = cfg.get("horizon_days"), cfg.get("warmup_days") or 0
    text = f"office: {cfg.get('name', '?')}"
    if start and horizon:
        first = dt.date.fromisoformat(str(start)) + dt.timedelta(days=float(warmup))
        last = dt.date.fromisoformat(str(start)) + dt.timedelta(days=float(horizon) - 1)
        text += f", measured {first:%d %b %Y} to {last:%d %b %Y}"
    return text


def render(
    results: Results,
    figures: list[tuple[str, Figure]],
    title: str | None = None,
    *,
    lead: tuple[str, Figure] | None = None,
    targets: Sequence[TargetSpec] = (),
    made: dt.date | None = None,
) -> str:
    """The whole report as one HTML document.

    Args:
        results: a results folder (:func:`officeq.experiments.folders.load_results`).
        figures: every figure for the details, with captions.
        lead: the trade-off figure of the first screen (else the first of ``figures``).
        targets: the targets the headline answers (the spec's when empty).
        made: the date printed on the report (today).
    """
    spec: dict[str, Any] = results.spec or {}
    heading, sub = _title(results)
    heading = title or heading
    made = made or dt.date.today()
    s: Story = story(results, targets)
    if lead is None and figures:
        lead, figures = figures[0], figures[1:]
    first = ['<section class="first">' if lead else '<section class="first single">']
    if lead:
        first.append(_figure(*lead))
    items = "".join(f"<li>{esc(f)}</li>" for f in s.findings)
    first.append(f"<div><h2>What the numbers say</h2><ul>{items}</ul></div></section>")
    details = [advisor_section(results, targets)]
    if results.summary is not None and not results.summary.empty:
        details.append("<h2 id=table>All scenarios</h2>" + scenario_table(results.summary))
    details.append(effects_table(s.effects, dict(spec.get("labels") or {})))
    if figures:
        details.append("<h2 id=figures>Figures</h2>" + "".join(_figure(*f) for f in figures))
    swept = list(spec.get("grid") or {})
    details.append(assumptions_section(spec.get("assumptions") or [], swept))
    details.append(reproduce(results))
    config = spec.get("base_config") if results.kind != "run" else results.config
    if config:
        details.append(
            "<h2 id=config>Resolved configuration</h2><pre>"
            + esc(yaml.safe_dump(config, sort_keys=False))
            + "</pre>"
        )
    body = "".join(details)
    links = "".join(
        f'<a href="#{key}">{words}</a>' for key, words in NAV if f"<h2 id={key}>" in body
    )
    parts = [
        f"<header><h1>{esc(heading)}</h1><p class=sub>{esc(sub)}. "
        f"Made with officeq on {made:%d %B %Y}.</p></header>",
        f'<p class="headline">{esc(s.headline)}</p>',
        *first,
        f'<div class="fold"><nav>Details: {links}</nav>{body}',
    ]
    parts.append("</div>")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(heading)}: officeq</title><style>{STYLE}</style>"
        f"<script>{SELF_CHECK}</script></head><body>{''.join(parts)}</body></html>\n"
    )


def lead_kind(results: Results) -> str:
    """The first screen's figure: the trade-off of a sweep, the staffing curve of
    the advisor's results, the queues and backlog of one run."""
    if results.kind == "run":
        return "overview"
    if (results.spec or {}).get("advisor"):
        return "staffing"
    return "frontier"


_LEAD = {
    "frontier": "the trade-off",
    "staffing": "follow-up backlog against staffing",
    "overview": "queues and follow-up",
}
"""How the caption of each lead figure starts among :func:`report_figures`'s."""


def report_html(results: Results, targets: Sequence[str] = (), title: str | None = None) -> str:
    """The whole report of a results folder (what ``officeq report`` writes).

    ``targets`` (e.g. ``followup_backlog_mean<=30``) replace the spec's.

    Raises:
        ResultsError: a target that cannot be parsed, named by where it came from.
    """
    from officeq.experiments.folders import ResultsError
    from officeq.figures.findings import parse_targets
    from officeq.figures.kinds import make_figure, report_figures

    spec = results.spec or {}
    try:
        parsed = parse_targets(list(targets) or list(spec.get("targets") or []), results.groups)
    except ValueError as e:
        where = "--target" if targets else "spec.resolved.yaml: targets"
        raise ResultsError(f"{where}: {e}") from None
    name = lead_kind(results)
    try:
        lead: tuple[str, Figure] | None = ("", make_figure(results, name))
    except ResultsError:
        lead = None
    figures = report_figures(results)
    if lead is not None:
        caption = next((c for c, _ in figures if c.lower().startswith(_LEAD[name])), "")
        lead = (caption, lead[1])
        figures = [f for f in figures if f[0] != caption]
    return render(results, figures, title, lead=lead, targets=parsed)
