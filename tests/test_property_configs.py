"""Issue 11's property: any config either is refused cleanly or runs soundly.

Hypothesis writes config files, valid and invalid, within and beyond the
bounds, with short horizons. ``officeq run FILE --out DIR`` must either exit
2 with one line and write nothing, or finish with every task accounted for
(arrived = finished + waiting + in service + cancelled, per work type) and a
``summary.json`` without NaN or infinity.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

import yaml
from cli_helpers import invoke
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import officeq

BAD_NUMBERS = st.sampled_from([math.inf, -math.inf, math.nan, -1, -0.5, 1e12, True, "x", None])


def number(lo: float, hi: float, integer: bool = False) -> st.SearchStrategy[Any]:
    """Mostly a valid number in [lo, hi]; about one in ten a bad one."""
    good = st.integers(int(lo), int(hi)) if integer else st.floats(lo, hi)
    pick = st.integers(0, 9)
    return pick.flatmap(lambda i: BAD_NUMBERS if i == 9 else good)


def distribution(hi: float) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(lambda m: {"dist": "exponential", "mean": m}, number(0.1, hi)),
        st.builds(
            lambda m, cv: {"dist": "lognormal", "mean": m, "cv": cv},
            number(0.1, hi),
            number(0.05, 3),
        ),
        st.builds(lambda v: {"dist": "fixed", "value": v}, number(0, hi)),
        st.builds(
            lambda lo, width: {"dist": "uniform", "low": lo, "high": lo + width},
            st.floats(0, hi / 2),
            st.floats(0, hi / 2),
        ),
        st.builds(
            lambda vs: {"dist": "empirical", "values": vs},
            st.lists(st.floats(0, hi), min_size=0, max_size=4),
        ),
    )


FIELDS: dict[tuple[str, ...], st.SearchStrategy[Any]] = {
    ("seed",): number(0, 2**40, integer=True),
    ("start_date",): st.sampled_from(
        ["2025-01-06", "2024-02-29", "2025-02-30", "9999-12-01", "1850-01-01", "soon", 20250106]
    ),
    ("staff", "caseworkers"): number(0, 25, integer=True),
    ("staff", "admin_share"): number(0, 0.95),
    ("staff", "absence_rate"): number(0, 0.9),
    ("staff", "absence_spell_days_mean"): number(1, 30),
    ("work", "inquiry", "arrivals_per_day"): number(0, 300),
    ("work", "inquiry", "digital_share"): number(0, 1),
    ("work", "inquiry", "sla_hours"): number(0.5, 200),
    ("work", "inquiry", "sla_clock"): st.sampled_from(["calendar", "business", "lunar"]),
    ("work", "inquiry", "duration_minutes"): distribution(60),
    ("work", "income_support", "arrivals_per_day"): number(0, 60),
    ("work", "income_support", "urgent_share"): number(0, 1),
    ("work", "income_support", "duration_minutes"): distribution(120),
    ("work", "followup", "caseload"): number(0, 300, integer=True),
    ("work", "followup", "new_users_per_year"): st.one_of(st.none(), number(0, 500)),
    ("work", "followup", "failure_demand", "inquiries_per_user_week"): number(0, 5),
    ("work", "followup", "outcomes", "session_effect"): number(0, 2),
    ("policy", "name"): st.sampled_from(
        ["fifo", "deadline_first", "strict_priority", "protected_followup", "needs_based", "x"]
    ),
    ("steering", "indicators"): st.sampled_from(
        [[], [{"name": "inquiry_sla_hit_rate", "target": 0.9}], [{"name": "nope", "target": 1}]]
    ),
    ("steering", "review", "redirect_caseworkers"): st.one_of(
        number(0, 5, integer=True), st.just("all")
    ),
    ("steering", "review", "cadence"): st.sampled_from(["daily", "weekly"]),
    ("steering", "gaming", "short_contacts"): st.sampled_from([True, False, 1, "yes"]),
}


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    horizon = draw(number(1, 15))
    warmup = draw(
        st.integers(0, 3).flatmap(lambda i: number(0, 20) if i == 3 else st.floats(0, 0.9))
    )
    data: dict[str, Any] = {"name": "prop", "horizon_days": horizon, "warmup_days": warmup}
    chosen = draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=6, unique=True))
    for path in chosen:
        node = data
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = draw(FIELDS[path])
    return data


def _no_constants(text: str) -> None:
    raise AssertionError(f"summary.json holds {text}")


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(configs())
def test_any_config_is_refused_cleanly_or_runs_soundly(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "office.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        out = Path(tmp) / "out"
        result = invoke("run", path, "--out", out)
        if result.exit_code == 2:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
            assert not out.exists()
            event("refused")
            return
        event("ran")
        assert result.exit_code == 0, (result.output, result.exception)
        summary = json.loads(
            (out / "summary.json").read_text(encoding="utf-8"), parse_constant=_no_constants
        )
        assert all(v is None or math.isfinite(v) for v in summary.values())
        run = officeq.run(path)
        assert run.summary == summary
        for kind, c in run.counts.items():
            assert c["arrived"] == (
                c["finished"] + c["waiting"] + c["in_service"] + c["cancelled"]
            ), kind
