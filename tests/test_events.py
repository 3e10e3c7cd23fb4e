"""The event log: one row per task, consistent with the run that wrote it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from cli_helpers import invoke
from scipy import stats

from officeq.api import load_config, run
from officeq.measure.events import CASELOAD_COLUMNS, EVENT_COLUMNS, STAFF_COLUMNS, staff_frame

HOUR = pd.Timedelta(hours=1)


@pytest.fixture(scope="module")
def logged():
    cfg = load_config(
        "configs/baseline.yaml",
        ["work.followup.groups.situational.interval_days=21"],
        horizon_days=60,
        warmup_days=10,
        seed=7,
    )
    return cfg, run(cfg), run(cfg, events=True)


def test_logging_changes_nothing_the_run_measures(logged) -> None:
    _cfg, plain, with_log = logged
    assert plain.summary == with_log.summary
    assert plain.log is None
    assert list(with_log.log["events"].columns) == list(EVENT_COLUMNS)
    assert list(with_log.log["caseload"].columns) == list(CASELOAD_COLUMNS)
    assert list(with_log.log["staff"].columns) == list(STAFF_COLUMNS)


def test_every_task_is_one_row(logged) -> None:
    _cfg, _plain, result = logged
    ev = result.log["events"]
    assert ev["task_id"].is_unique
    for kind in ("inquiry", "followup"):
        c = result.counts[kind]
        rows = ev[ev["kind"] == kind]
        assert len(rows) == c["arrived"] - c["cancelled"]
        assert rows["finished"].notna().sum() == c["finished"]
    # applications: every decided case has one decision row, every case one intake row
    cases = ev[ev["kind"] == "income_support"]
    assert (cases["step"] == "intake").sum() == result.counts["income_support"]["arrived"]
    decided = cases[(cases["step"] == "decision") & cases["finished"].notna()]
    assert len(decided) == result.counts["income_support"]["finished"]


def test_times_are_ordered_and_deadlines_follow_the_config(logged) -> None:
    cfg, _plain, result = logged
    ev = result.log["events"]
    done = ev[ev["finished"].notna()]
    assert (done["started"] >= done["arrived"]).all()
    assert (done["finished"] >= done["started"]).all()
    assert done["caseworker"].between(0, cfg.staff.caseworkers - 1).all()
    assert ev.loc[ev["started"].isna(), "caseworker"].isna().all()
    inq = ev[ev["kind"] == "inquiry"]
    assert ((inq["deadline"] - inq["arrived"]) / HOUR).sub(48).abs().max() < 1e-3
    assert ev.loc[ev["kind"] == "followup", "deadline"].isna().all()
    assert ev["arrived"].min() >= pd.Timestamp(cfg.start_date)


def test_the_digital_share_is_the_configured_one(logged) -> None:
    cfg, _plain, result = logged
    ev = result.log["events"]
    inq = ev[ev["kind"] == "inquiry"]
    digital = int((inq["channel"] == "digital").sum())
    ci = stats.binomtest(digital, len(inq)).proportion_ci(0.999)
    assert ci.low <= cfg.work.inquiry.digital_share <= ci.high
    # phone arrivals only in opening hours, digital ones around the clock
    phone = inq[inq["channel"] == "phone"]
    hours = phone["arrived"].dt.hour + phone["arrived"].dt.minute / 60
    assert hours.between(8, 15.5).all()
    assert (phone["arrived"].dt.day_of_week < 5).all()
    assert (inq.loc[inq["channel"] == "digital", "arrived"].dt.hour < 8).any()


def test_a_users_next_due_date_is_the_last_session_end_plus_the_interval(logged) -> None:
    _cfg, _plain, result = logged
    ev = result.log["events"]
    sessions = ev[(ev["kind"] == "followup") & (ev["group"] == "situational")]
    sessions = sessions.sort_values(["user_id", "arrived"])
    nxt = sessions.groupby("user_id")["arrived"].shift(-1)
    gaps = ((nxt - sessions["finished"]) / pd.Timedelta(days=1)).dropna()
    assert len(gaps) > 20
    assert np.allclose(gaps, 21, atol=1 / 86400 * 2)


def test_case_steps_run_in_order(logged) -> None:
    _cfg, _plain, result = logged
    ev = result.log["events"]
    steps = ev[ev["step"].notna()].sort_values(["case_id", "arrived", "task_id"])
    first = steps.groupby("case_id")["step"].first()
    assert (first == "intake").all()
    decided = steps[steps["step"] == "decision"]
    assert decided["case_id"].is_unique
    last = steps[steps["finished"].notna()].groupby("case_id")["finished"].max()
    at = decided.set_index("case_id")["finished"].dropna()
    assert (last.loc[at.index] == at).all()


def test_the_caseload_and_staff_tables_agree_with_the_run(logged) -> None:
    cfg, _plain, result = logged
    caseload = result.log["caseload"]
    assert caseload["user_id"].is_unique
    present = caseload["left"].isna().sum()
    assert present == round(result.daily["caseload"].iloc[-1])
    left = caseload[caseload["left"].notna()]
    assert set(left["exit_reason"]) <= {"work", "other"}
    assert (left["left"] >= left["entered"]).all()
    staff = result.log["staff"]
    assert set(staff["caseworker"]) == set(range(cfg.staff.caseworkers))


def test_absence_spells_are_runs_of_absent_days() -> None:
    start = dt.date(2025, 1, 6)
    frame = staff_frame(start, [np.array([0, 1, 1, 0, 1]), np.zeros(5)])
    assert frame.values.tolist() == [
        [0, dt.date(2025, 1, 7), dt.date(2025, 1, 8)],
        [0, dt.date(2025, 1, 10), dt.date(2025, 1, 10)],
        [1, None, None],
    ]


def test_run_writes_the_log_as_parquet_or_csv(tmp_path) -> None:
    for fmt in ("parquet", "csv"):
        out = tmp_path / fmt
        args = ["run", "configs/baseline.yaml", "--days", "20", "--warmup-days", "0"]
        res = invoke(*[*args, "--events", *([fmt] if fmt == "csv" else []), "--out", out])
        assert res.exit_code == 0, res.output
        assert (out / f"events.{fmt}").is_file()
        assert (out / "caseload.csv").is_file() and (out / "staff.csv").is_file()
    parquet = pd.read_parquet(tmp_path / "parquet" / "events.parquet")
    text = (tmp_path / "csv" / "events.csv").read_text().splitlines()
    assert text[0] == ",".join(EVENT_COLUMNS)
    assert "T" in text[1].split(",")[8]  # ISO 8601
    csv = pd.read_csv(tmp_path / "csv" / "events.csv", parse_dates=["arrived", "finished"])
    assert len(csv) == len(parquet)
    assert (csv["arrived"].values == parquet["arrived"].values).all()


def test_events_without_out_is_refused() -> None:
    res = invoke(*["run", "configs/baseline.yaml", "--days", "5", "--warmup-days", "0", "--events"])
    assert res.exit_code == 2
    assert "--events needs --out" in res.output
