"""Forecasts: weekly bands from a snapshot, checked for coverage, and the command."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from cli_helpers import invoke

from officeq.api import load_config, run
from officeq.experiments.forecast import FORECAST_COLUMNS, forecast, metric_names, weekly

SMALL = [
    "staff.caseworkers=6",
    "work.inquiry.arrivals_per_day=40",
    "work.income_support.arrivals_per_day=5",
    "work.followup.caseload=350",
]
D, WEEKS = 42, 8
SETS = [w for s in SMALL for w in ("--set", s)]


def test_weekly_values_are_end_of_week_levels_and_weekly_shares() -> None:
    groups = ("a",)
    days = 14
    daily = pd.DataFrame(
        {
            "followup_overdue": np.arange(days),
            "followup_overdue_a": np.arange(days),
            "inquiries_waiting": np.arange(days) * 2,
            "income_support_open": np.ones(days),
            "inquiries_answered": [10] * 7 + [0] * 7,
            "inquiries_answered_on_time": [9] * 7 + [0] * 7,
            "income_support_decided": [2] * days,
            "income_support_decided_on_time": [1] * days,
            "overtime_hours": [0.5] * days,
        }
    )
    out = weekly(daily, groups, 2)
    names = metric_names(groups)
    got = {n: out[i] for i, n in enumerate(names)}
    assert list(got["followup_backlog"]) == [6, 13]
    assert list(got["inquiries_open"]) == [12, 26]
    assert got["inquiry_sla_hit_rate"][0] == 0.9 and np.isnan(got["inquiry_sla_hit_rate"][1])
    assert list(got["income_support_on_time_rate"]) == [0.5, 0.5]
    assert list(got["overtime_hours"]) == [3.5, 3.5]


def test_the_band_covers_the_continued_run_about_as_often_as_it_says() -> None:
    """Run D days, snapshot, forecast 8 weeks, continue the original: the actual
    end-of-week backlog lies inside the 5-95% band in about 90% of weeks. With 24
    replications per forecast the band's expected coverage is about 0.9 x 23/25;
    weeks of one seed are correlated, so the interval is over seeds."""
    inside = []
    for s in range(12):
        cfg = load_config("configs/baseline.yaml", SMALL, horizon_days=D + 7 * WEEKS)
        cfg = load_config(cfg, seed=500 + s, warmup_days=0)
        original = run(cfg, snapshot_at=D)
        start = cfg.start_date + dt.timedelta(days=D)
        later = load_config(cfg, horizon_days=7 * WEEKS, start_date=start)
        table = forecast({"plan": later}, original.snapshot, WEEKS, 24, seed=77 + s)
        band = table[table["metric"] == "followup_backlog"].sort_values("week")
        actual = original.daily["followup_overdue"].to_numpy()[D + 6 :: 7][:WEEKS]
        ok = (band["p5"].to_numpy() <= actual) & (actual <= band["p95"].to_numpy())
        inside.append(ok.mean())
    inside = np.array(inside)
    mean = inside.mean()
    half = 2.7 * inside.std(ddof=1) / np.sqrt(len(inside)) + 0.05
    assert mean - half <= 0.9 <= mean + half + 0.05, (mean, inside)
    assert mean >= 0.6


def test_forecast_command_writes_a_table_and_a_fan_chart(tmp_path) -> None:
    base = ["run", "configs/baseline.yaml", *SETS]
    res = invoke(*base, "--days", "60", "--warmup-days", "0", "--snapshot-at", "40")
    assert res.exit_code == 2  # --snapshot-at needs --out
    res = invoke(*base, "--days", "60", "--warmup-days", "0", "--snapshot-at", "40",
                 "--events", "--out", tmp_path / "run")  # fmt: skip
    assert res.exit_code == 0, res.output
    snap, events = tmp_path / "run" / "snapshot", tmp_path / "run" / "events.parquet"
    args = ["forecast", "configs/baseline.yaml", "--from", snap, "--weeks", "3"]
    args += ["--replications", "4", "--workers", "1", "--history", events]
    args += SETS
    res = invoke(*args, "--compare", "one more: --set staff.caseworkers=7", "--out", tmp_path / "f")
    assert res.exit_code == 0, res.output
    table = pd.read_csv(tmp_path / "f" / "forecast.csv")
    assert list(table.columns) == list(FORECAST_COLUMNS)
    assert set(table["plan"]) == {"baseline", "one more"}
    assert len(table) == 2 * 3 * len(metric_names(("standard",) * 4))
    assert (table["p5"] <= table["p95"]).all()
    assert (tmp_path / "f" / "forecast.png").stat().st_size > 10_000
    hist = pd.read_csv(tmp_path / "f" / "history.csv")
    assert (pd.to_datetime(hist["week_start"]) < pd.Timestamp("2025-02-15")).all()
    bad = invoke(*args, "--compare", "no colon", "--out", tmp_path / "g")
    assert bad.exit_code == 2 and "--compare" in bad.output


def test_the_shipped_example_office_forecasts_from_its_snapshot() -> None:
    from officeq.api import forecast as api_forecast

    result = api_forecast(
        "examples/my_office/office.yaml",
        "examples/my_office/snapshot",
        weeks=2,
        replications=2,
        history="examples/my_office/events.parquet",
        workers=1,
    )
    assert set(result.table["week"]) == {1, 2}
    assert str(result.table["week_start"].iloc[0]) == "2026-10-31"
    past = result.history
    assert past is not None and len(set(past["week_start"])) == 13
    backlog = past[past["metric"] == "followup_backlog"]["value"]
    assert (backlog > 0).all()
    assert result.figure() is not None
