"""Snapshots: the office's state written, read back, and continued in distribution.

A run started from a snapshot cannot repeat the original event by event: a
snapshot holds what an office knows (open work, due dates, booked meetings,
absences), not the random streams' positions or the users' future draws. So
the check is in distribution: over paired replications, the original run
after day D and runs started from its snapshot at D agree within confidence
intervals.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from cli_helpers import invoke
from scipy import stats

from officeq.api import load_config, run
from officeq.data.snapshot import read_snapshot, write_snapshot
from officeq.data.tables import DataError

D, W = 70, 28
LEVELS = ("followup_overdue", "inquiries_waiting", "income_support_open")


def _cfg(**fields):
    return load_config("configs/baseline.yaml", horizon_days=D + W, warmup_days=0, **fields)


@pytest.fixture(scope="module")
def taken():
    cfg = _cfg(seed=3)
    return cfg, run(cfg, snapshot_at=D)


def test_the_snapshot_holds_the_open_work_of_that_day(taken) -> None:
    cfg, result = taken
    state = result.snapshot
    day = result.daily.iloc[D - 1]  # the levels at the end of the day before
    assert len(state.inquiries) == day["inquiries_waiting"]
    assert len(state.cases) == day["income_support_open"]
    overdue = sum(u.next_due <= 0 and not math.isnan(u.next_due) for u in state.users)
    assert overdue == day["followup_overdue"]
    assert len(state.users) == day["caseload"]
    assert all(i.arrived <= 0 for i in state.inquiries)
    assert len(state.absent_until) == cfg.staff.caseworkers


def test_written_and_read_back_it_is_the_same_state(taken, tmp_path) -> None:
    cfg, result = taken
    state = result.snapshot
    at = cfg.start_date + dt.timedelta(days=D)
    write_snapshot(state, tmp_path, at, "test")
    back, when = read_snapshot(tmp_path, cfg)
    assert when == at
    assert back.absent_until == state.absent_until
    assert len(back.inquiries) == len(state.inquiries)
    assert len(back.cases) == len(state.cases) and len(back.users) == len(state.users)
    for a, b in zip(state.inquiries, back.inquiries, strict=True):
        assert abs(a.arrived - b.arrived) < 1 / 3600 and a.digital == b.digital
    by_id = {u.id: u for u in back.users}
    for u in state.users:
        v = by_id[u.id]
        assert (u.group, u.owner) == (v.group, v.owner)
        for x, y in ((u.next_due, v.next_due), (u.next_meeting, v.next_meeting)):
            assert (math.isnan(x) and math.isnan(y)) or abs(x - y) < 1 / 3600
    for a, b in zip(state.cases, back.cases, strict=True):
        assert (a.step, a.state, a.urgent, a.rounds_left) == (
            b.step,
            b.state,
            b.urgent,
            b.rounds_left,
        )


def test_a_run_from_the_snapshot_continues_the_original_in_distribution() -> None:
    """Paired by replication: the original's mean levels over days D..D+W minus those of
    a run from its snapshot at D (another seed); the mean difference's 99% interval
    holds 0 for every level."""
    diffs = []
    for r in range(12):
        cfg = _cfg(seed=100 + r)
        original = run(cfg, snapshot_at=D)
        start = cfg.start_date + dt.timedelta(days=D)
        later = load_config(cfg, horizon_days=W, start_date=start, seed=900 + r)
        restored = run(later, start_from=original.snapshot)
        a = original.daily.iloc[D:][list(LEVELS)].mean()
        b = restored.daily[list(LEVELS)].mean()
        diffs.append((a - b).to_numpy())
    diffs = np.array(diffs)
    for j, level in enumerate(LEVELS):
        d = diffs[:, j]
        half = stats.t.ppf(0.995, len(d) - 1) * d.std(ddof=1) / math.sqrt(len(d))
        assert abs(d.mean()) <= half, (level, d.mean(), half)


def test_a_restored_office_starts_with_the_snapshots_open_work(taken) -> None:
    """In the first hour after midnight nobody works: the restored office holds exactly
    the snapshot's open work, plus what falls due or arrives in that hour."""
    cfg, result = taken
    state = result.snapshot
    start = cfg.start_date + dt.timedelta(days=D)
    later = load_config(cfg, horizon_days=1 / 24, start_date=start)
    restored = run(later, start_from=state)
    row = restored.daily.iloc[0]
    overdue = sum(u.next_due <= 0 for u in state.users)
    due_soon = sum(0 < u.next_due <= 1 for u in state.users)
    assert overdue <= row["followup_overdue"] <= overdue + due_soon
    arrived = restored.daily.iloc[0]["inquiries_arrived"]
    assert row["inquiries_waiting"] == len(state.inquiries) + arrived
    assert row["income_support_open"] >= len(state.cases)
    assert restored.counts["inquiry"]["finished"] == 0


def test_cli_writes_a_snapshot_and_starts_from_it(tmp_path) -> None:
    base = ["run", "configs/baseline.yaml", "--days", "40", "--warmup-days", "0"]
    res = invoke(*base, "--snapshot-at", "2025-02-03", "--out", tmp_path / "a")
    assert res.exit_code == 0, res.output
    snap = tmp_path / "a" / "snapshot"
    assert (snap / "snapshot.yaml").is_file()
    res = invoke("run", "configs/baseline.yaml", "--from", snap, "--days", "14")
    assert res.exit_code == 0, res.output
    assert "14 days measured" in res.output


@pytest.mark.parametrize(
    ("file", "edit", "message"),
    [
        ("inquiries_open.csv", lambda t: t.replace(":", "x", 3), "column 'arrived', line 2"),
        ("caseload.csv", lambda t: t.replace("standard", "nobody", 1), "column 'group', line"),
        ("inquiries_open.csv", lambda t: "channel\nphone\n", "column 'arrived' is missing"),
        ("snapshot.yaml", lambda t: "at: 2025-02-03T10:00:00\n", "at midnight"),
        (
            "income_support_open.csv",
            lambda t: t.replace(",review,", ",nonsense,", 1),
            "column 'step', line",
        ),
    ],
)
def test_bad_snapshot_files_are_refused_in_one_line(tmp_path, file, edit, message) -> None:
    cfg = _cfg(seed=3)
    result = run(cfg, snapshot_at=20)
    write_snapshot(result.snapshot, tmp_path, cfg.start_date + dt.timedelta(days=20), "t")
    path = tmp_path / file
    path.write_text(edit(path.read_text()))
    with pytest.raises(DataError, match=message):
        read_snapshot(tmp_path, cfg)
    res = invoke("run", "configs/baseline.yaml", "--from", tmp_path, "--days", "5")
    assert res.exit_code == 2
    assert str(path.name) in res.output and len(res.output.strip().splitlines()) == 1
