"""The report's detail sections: the full table, the paired comparisons, the
assumptions the results rest on and the commands that reproduce them."""

from __future__ import annotations

import html
import shlex
from collections.abc import Sequence
from typing import Any

import pandas as pd
import yaml

from officeq.experiments.folders import Results
from officeq.experiments.labels import phrase
from officeq.figures.findings import Effect, amount, level_text

TABLE_METRICS = (
    ("inquiry_sla_hit_rate", "48-hour hit rate"),
    ("inquiry_wait_hours_mean", "inquiry wait, mean (hours)"),
    ("income_support_on_time_rate", "decisions on time"),
    ("income_support_decision_days_mean", "decision time, mean (days)"),
    ("followup_backlog_mean", "users overdue for follow-up, mean"),
    ("followup_backlog_end", "users overdue at the end"),
    ("caseworker_utilization", "utilisation"),
    ("overtime_hours", "overtime (hours)"),
    ("exits_to_work", "exits to work"),
)
"""The full table's columns: metric and its plain name."""


def esc(x: Any) -> str:
    return html.escape(str(x))


def _cell(row: pd.Series | None, metric: str) -> str:
    if row is None or pd.isna(row["mean"]):
        return "–"
    value = level_text(metric, row["mean"])
    if row["n"] < 2 or pd.isna(row["ci_low"]):
        return value
    low, high = level_text(metric, row["ci_low"]), level_text(metric, row["ci_high"])
    return f'{value}<br><span class="ci">{low} to {high}</span>'


def scenario_table(summary: pd.DataFrame) -> str:
    """One row per scenario, the plain-named metrics with 95% intervals."""
    have = set(summary["metric"])
    metrics = [(m, label) for m, label in TABLE_METRICS if m in have]
    rows: dict[int, dict[str, pd.Series]] = {}
    for _, r in summary.iterrows():
        rows.setdefault(int(r["scenario_id"]), {})[r["metric"]] = r
    names = summary.groupby("scenario_id")["scenario"].first()
    head = "".join(f"<th>{esc(label)}</th>" for _, label in metrics)
    body = []
    for sid, name in names.items():
        cells = "".join(f"<td>{_cell(rows[sid].get(m), m)}</td>" for m, _ in metrics)
        n = int(max(r["n"] for r in rows[sid].values()))
        body.append(f"<tr><td>{esc(name)}</td><td>{n}</td>{cells}</tr>")
    return (
        '<div class="wide"><table><thead><tr><th>scenario</th><th>runs</th>'
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        "<p class=note>Means over replications; below each, its 95% confidence interval.</p>"
    )


def effects_table(effects: Sequence[Effect], labels: dict[str, Any]) -> str:
    """Every paired comparison the findings rest on."""
    if not effects:
        return ""
    body = []
    for e in effects:
        what = f"{phrase(e.path, e.end, labels)} vs {phrase(e.path, e.start, labels)}"
        ci = f"{amount(e.metric, e.low, True)} to {amount(e.metric, e.high, True)}"
        body.append(
            f"<tr><td>{esc(what)}</td><td>{esc(_metric_name(e.metric))}</td>"
            f"<td>{esc(amount(e.metric, e.difference, True))}</td><td>{esc(ci)}</td>"
            f"<td>{e.n}</td><td>{esc(e.over or '–')}</td></tr>"
        )
    return (
        "<h2 id=comparisons>Paired comparisons</h2><p>Each difference is taken replication "
        "by replication (every scenario's replication <i>r</i> saw the same arrivals, users "
        "and absences), so its interval is much narrower than the two scenarios' own "
        "intervals suggest. Shares are in percentage points.</p>"
        '<div class="wide"><table><thead><tr><th>comparison</th><th>metric</th>'
        "<th>difference</th><th>95% CI</th><th>runs</th><th>averaged over</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _metric_name(metric: str) -> str:
    return dict(TABLE_METRICS).get(metric, metric.replace("_", " "))


def assumptions_section(items: Sequence[dict[str, Any]], swept: Sequence[str]) -> str:
    """The config's fields marked (A): what to sweep before trusting a conclusion."""
    if not items:
        return ""
    body = []
    for a in items:
        value = a.get("value")
        shown = "swept" if a["field"] in swept else _short(value)
        body.append(
            f"<tr><td><code>{esc(a['field'])}</code></td><td>{esc(shown)}</td>"
            f"<td>{esc(a.get('note') or '')}</td></tr>"
        )
    return (
        "<h2 id=assumptions>Assumptions the results depend on</h2><p>These numbers are "
        "assumptions, not measurements (marked (A) in the config; sources in the "
        "project's docs/calibration.md). A conclusion that changes when one of them is "
        "swept over its plausible range is not yet a conclusion.</p>"
        '<div class="wide"><table><thead><tr><th>field</th><th>value used</th>'
        f"<th>note</th></tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _short(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()
    text = text.removesuffix("...").strip()
    return text if len(text) <= 80 else text[:77] + "…"


def reproduce(results: Results) -> str:
    """The commands, and the spec, that make these results again."""
    spec = results.spec or {}
    folder = str(results.folder)
    lines: list[str] = []
    extra = ""
    if results.kind == "run":
        lines = [
            "# save the resolved configuration below as office.yaml, then:",
            f"officeq run office.yaml --out {shlex.quote(folder)}",
        ]
    elif spec.get("advisor"):
        adv = spec["advisor"]
        lo, hi = (adv.get("range") or [1, 60])[:2]
        args = ["officeq", "staff", "office.yaml"]
        for t in spec.get("targets") or []:
            args += ["--target", t]
        for p in adv.get("answer") or {}:
            args += ["--policy", p]
        args += ["--min", str(lo), "--max", str(hi)]
        if adv.get("max_replications"):
            args += ["--max-replications", str(adv["max_replications"])]
        args += ["--confidence", f"{adv.get('confidence', 0.95):g}", "--out", folder]
        lines = [
            "# save the resolved configuration below as office.yaml, then:",
            shlex.join(args),
        ]
    else:
        again = {
            k: spec[k]
            for k in ("name", "replications", "seed", "grid", "scenarios", "labels", "targets")
            if spec.get(k)
        }
        again = {"name": again.pop("name", "experiment"), "base": "office.yaml", **again}
        source = spec.get("spec_file")
        if source:
            lines.append(f"officeq sweep {shlex.quote(str(source))} --out {shlex.quote(folder)}")
            lines.append("# or, anywhere, from this report alone:")
        lines += [
            "# save the spec below as spec.yaml and the resolved configuration as office.yaml",
            f"officeq sweep spec.yaml --out {shlex.quote(folder)}",
        ]
        extra = "<pre>" + esc(yaml.safe_dump(again, sort_keys=False)) + "</pre>"
    lines.append(f"officeq report {shlex.quote(folder)}")
    return (
        "<h2 id=reproduce>How to reproduce</h2><p>The same config, seed and replications give "
        "the same numbers on any machine.</p>"
        f"<pre>{esc(chr(10).join(lines))}</pre>{extra}"
    )


def advisor_section(results: Results, targets: Sequence[Any]) -> str:
    """The staffing advisor's levels: replications spent and each target's interval."""
    from officeq.experiments.advisor import Level

    adv = (results.spec or {}).get("advisor")
    runs = results.runs
    if not adv or runs is None or runs.empty or not targets:
        return ""
    confidence = float(adv.get("confidence", 0.95))
    head = "".join(f"<th>{esc(_metric_name(t.metric))}</th>" for t in targets)
    body = []
    for (policy, c), rows in runs.groupby(["policy_name", "staff_caseworkers"], sort=True):
        level = Level(int(c), {t.metric: list(pd.to_numeric(rows[t.metric])) for t in targets})
        verdict = {True: "meets", False: "misses"}.get(
            level.verdict(targets, confidence), "not decided"
        )
        cells = []
        for t in targets:
            mean, low, high = level.interval(t.metric)
            text = level_text(t.metric, mean)
            if len(rows) >= 2:
                span = f"{level_text(t.metric, low)} to {level_text(t.metric, high)}"
                text += f'<br><span class="ci">{span}</span>'
            cells.append(f"<td>{text}</td>")
        answer = (adv.get("answer") or {}).get(policy)
        mark = " ★" if answer is not None and int(c) == int(answer) else ""
        body.append(
            f"<tr><td>{esc(phrase('policy.name', policy, {}))}</td><td>{int(c)}{mark}</td>"
            f"<td>{len(rows)}</td>{''.join(cells)}<td>{verdict}</td></tr>"
        )
    return (
        "<h2 id=levels>The staffing levels the advisor ran</h2><p>Levels far from the answer "
        "stop after a few replications; levels near it get more until every target is "
        f"decided (each target's one-sided {confidence:.0%} bound), at most "
        f"{adv.get('max_replications', 40)}. ★ marks the answer. Means with 95% intervals.</p>"
        '<div class="wide"><table><thead><tr><th>policy</th><th>caseworkers</th>'
        f"<th>runs</th>{head}<th>verdict</th></tr></thead><tbody>{''.join(body)}</tbody>"
        "</table></div>"
    )
