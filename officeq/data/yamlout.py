"""Writing a calibrated config as commented YAML.

Block mappings for sections, flow style (one line) for distributions, lists
and weekday profiles, so each number has one line and one comment: a fitted
number says its estimate, 95% interval and method, and the data it came from;
a section or value taken from ``--base`` says so. Scalars are written by
PyYAML, so the text reads back as exactly the data it was made from.
"""

from __future__ import annotations

from typing import Any

import yaml

from officeq.data.calibrate import CANNOT, Calibration
from officeq.data.fitting import DistFit, Estimate

INDENT = "  "


def _flow(value: Any) -> str:
    text = yaml.safe_dump(
        value, default_flow_style=True, width=10**9, allow_unicode=True, sort_keys=False
    )
    return text.strip().removesuffix("...").strip()


def _num(v: float) -> str:
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    a = abs(v)
    if a >= 100:
        return f"{v:,.1f}"
    if a >= 1:
        return f"{v:.3g}" if a < 10 else f"{v:.1f}"
    return f"{v:.3f}"


def estimate_note(e: Estimate) -> str:
    if e.method == "count":
        return f"fitted: {_num(e.value)} (counted) from {e.source}"
    if e.method.startswith("range"):
        return (
            f"fitted: {_num(e.value)} (daily counts {_num(e.low)}–{_num(e.high)}, "
            f"time average) from {e.source}"
        )
    return f"fitted: {_num(e.value)} (95% {_num(e.low)}–{_num(e.high)}, {e.method}) from {e.source}"


def dist_note(d: DistFit) -> str:
    cens = f", {d.censored:,} censored" if d.censored else ""
    if d.dist == "fixed":
        return f"fitted: fixed {_num(d.mean.value)} (every observed value) from {d.mean.source}"
    aic = ", ".join(f"{k} {v:,.0f}" for k, v in sorted(d.aic.items(), key=lambda kv: kv[1]))
    return (
        f"fitted: {d.dist} mean {_num(d.mean.value)} (95% {_num(d.mean.low)}–"
        f"{_num(d.mean.high)}, {d.mean.method}), cv {d.cv:.2f}; KS {d.ks:.3f}; "
        f"AIC {aic}; from {d.mean.source}{cens}"
    )


def notes(cal: Calibration) -> dict[str, str]:
    """Dotted path -> comment for every fitted value."""
    out = {p: estimate_note(e) for p, e in cal.estimates.items()}
    out |= {p: dist_note(d) for p, d in cal.dists.items()}
    out |= cal.notes
    for name, s in cal.streams.items():
        out[f"{name}.arrivals_per_day"] = estimate_note(s.arrivals_per_day)
        out[f"{name}.digital_share"] = estimate_note(s.digital_share)
        src = s.arrivals_per_day.source
        out[f"{name}.weekday_profile"] = (
            f"fitted: Poisson log-linear MLE, mean 1 over open days, from {src}"
        )
        out[f"{name}.hour_profile"] = f"fitted: phone arrivals per open hour, mean 1, from {src}"
        out[f"{name}.digital_hour_profile"] = (
            f"fitted: digital arrivals per hour, mean 1, from {src}"
        )
    return out


def _has_fitted(path: str, fitted: set[str]) -> bool:
    return any(f == path or f.startswith(path + ".") for f in fitted)


def render(cal: Calibration, command: str = "officeq calibrate") -> str:
    """The calibrated config as YAML text with a comment on every number."""
    comments = notes(cal)
    fitted = set(comments)
    base = cal.base
    lines = [
        f"# Calibrated by `{command}` from {cal.rows:,} event-log rows, {cal.period}.",
        "# Each fitted number's comment gives its estimate, 95% interval and source;",
        f"# the rest comes from --base {base}: {CANNOT}.",
    ]
    if cal.dropped:
        lines.append(
            "# Rows left out of some fits: "
            + "; ".join(f"{k}: {v:,}" for k, v in cal.dropped.items())
        )

    def from_base(path: str) -> str:
        why = cal.base_notes.get(path)
        return f"from --base {base}: {why or CANNOT}"

    def walk(node: dict, prefix: str, depth: int) -> None:
        pad = INDENT * depth
        for key, value in node.items():
            path = f"{prefix}{key}"
            is_dist = isinstance(value, dict) and "dist" in value
            if isinstance(value, dict) and value and not is_dist and not _weekdays(value):
                if _has_fitted(path, fitted):
                    note = f"  # {from_base(path)}" if path in cal.base_notes else ""
                    lines.append(f"{pad}{key}:{note}")
                    walk(value, path + ".", depth + 1)
                else:
                    lines.append(f"{pad}{key}:  # {from_base(path)}")
                    _plain(value, depth + 1, lines)
                continue
            text = f"{pad}{key}: {_flow(value)}"
            if path in comments:
                text += f"  # {comments[path]}"
            elif depth > 0 and _has_fitted(prefix.rstrip("."), fitted):
                text += f"  # {from_base(path)}"
            lines.append(text)

    walk(cal.config, "", 0)
    return "\n".join(lines) + "\n"


def _weekdays(value: dict) -> bool:
    return bool(value) and set(value) <= {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def _plain(node: dict, depth: int, lines: list[str]) -> None:
    """A section from the base, uncommented."""
    pad = INDENT * depth
    for key, value in node.items():
        is_dist = isinstance(value, dict) and "dist" in value
        if isinstance(value, dict) and value and not is_dist and not _weekdays(value):
            lines.append(f"{pad}{key}:")
            _plain(value, depth + 1, lines)
        else:
            lines.append(f"{pad}{key}: {_flow(value)}")
