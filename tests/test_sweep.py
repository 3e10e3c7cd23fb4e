"""Sweeps: same results on every executor, a store that loses nothing, CIs, CRN."""

from __future__ import annotations

import math
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats

from officeq.cli import main
from officeq.config.loading import read_yaml
from officeq.experiments.results import runs_table
from officeq.experiments.spec import Spec, expand, replication_seed
from officeq.experiments.store import Store
from officeq.experiments.sweep import Target, execute, make_executor, more_replications, plan
from officeq.measure.run import run

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"


def write_spec(tmp: Path, days: int = 30, reps: int = 3, caseworkers=(14, 17), **extra) -> Path:
    lines = [
        f"name: t\nbase: {BASELINE}\nreplications: {reps}\nseed: 7",
        f"horizon_days: {days}\nwarmup_days: 5",
        f"grid:\n  staff.caseworkers: {list(caseworkers)}",
    ]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    path = tmp / "spec.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def small_experiment(reps: int, days: int, caseworkers: tuple[int, int]):  # type: ignore[no-untyped-def]
    """The baseline office over two staffing levels, expanded in memory."""
    spec = Spec(
        base="b",
        replications=reps,
        horizon_days=days,
        warmup_days=5,
        grid={"staff.caseworkers": list(caseworkers)},
    )
    return expand(spec, read_yaml(BASELINE), "s")


def sweep(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["sweep", *args])
    return result.exit_code, result.output


def test_sweep_writes_tidy_tables_with_context(tmp_path: Path) -> None:
    code, out = sweep(str(write_spec(tmp_path)), "--workers", "1", "--out", str(tmp_path / "o"))
    assert code == 0, out
    assert "95% confidence intervals" in out
    runs = pd.read_parquet(tmp_path / "o" / "runs.parquet")
    assert len(runs) == 6
    for col in (
        "scenario",
        "replication",
        "seed",
        "staff_caseworkers",
        "inquiry_sla_hit_rate",
        "followup_backlog_mean",
    ):
        assert col in runs.columns
    # common random numbers: replication r has the same seed in every scenario
    assert runs.groupby("replication")["seed"].nunique().eq(1).all()
    daily = pd.read_parquet(tmp_path / "o" / "daily.parquet")
    assert len(daily) == 6 * 30 and {"scenario", "replication", "followup_overdue"} <= set(daily)
    summary = pd.read_csv(tmp_path / "o" / "summary.csv")
    assert list(summary.columns[-7:]) == [
        "metric",
        "mean",
        "sd",
        "ci_low",
        "ci_high",
        "half_width",
        "n",
    ]
    row = summary[(summary.scenario_id == 0) & (summary.metric == "followup_backlog_mean")].iloc[0]
    values = runs[runs.scenario_id == 0]["followup_backlog_mean"]
    assert math.isclose(row["mean"], values.mean())
    t = stats.t.ppf(0.975, 2)
    assert math.isclose(row["half_width"], t * values.std(ddof=1) / math.sqrt(3))
    assert (tmp_path / "o" / "spec.resolved.yaml").exists()


def test_results_equal_whatever_the_executor(tmp_path: Path) -> None:
    exp = small_experiment(reps=2, days=25, caseworkers=(13, 16))
    tables = []
    for i, (kind, workers) in enumerate([("local", 1), ("local", 2)]):
        store = Store(tmp_path / f"{i}.sqlite", exp.fingerprint, resume=False)
        with make_executor(kind, workers) as ex:
            execute(plan(exp, 2, set()), ex, store)
        tables.append(runs_table(exp, store.runs()))
    pd.testing.assert_frame_equal(tables[0], tables[1])
    # and equal to a direct run with the replication's seed
    cfg = exp.scenarios[1].config.model_copy(update={"seed": replication_seed(2025, 1)})
    direct = run(cfg).summary["followup_backlog_mean"]
    assert tables[0].iloc[3]["followup_backlog_mean"] == direct


def test_resume_against_a_changed_spec_refuses(tmp_path: Path) -> None:
    out = str(tmp_path / "o")
    assert sweep(str(write_spec(tmp_path, reps=2)), "--workers", "1", "--out", out)[0] == 0
    code, text = sweep(str(write_spec(tmp_path, reps=2)), "--workers", "1", "--out", out)
    assert code == 2 and "--resume" in text
    code, text = sweep(
        str(write_spec(tmp_path, reps=2, caseworkers=(14, 18))),
        "--resume",
        "--workers",
        "1",
        "--out",
        out,
    )
    assert code == 2 and "different experiment" in text
    # more replications of the same question is not a change
    code, text = sweep(
        str(write_spec(tmp_path, reps=3)), "--resume", "--workers", "1", "--out", out
    )
    assert code == 0, text
    assert len(pd.read_parquet(Path(out) / "runs.parquet")) == 6


def test_sigkill_halfway_then_resume_loses_nothing_and_repeats_nothing(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, days=150, reps=4)
    full = tmp_path / "full"
    assert sweep(str(spec), "--workers", "1", "--out", str(full))[0] == 0
    killed = tmp_path / "killed"
    cmd = [
        sys.executable,
        "-m",
        "officeq",
        "sweep",
        str(spec),
        "--workers",
        "1",
        "--out",
        str(killed),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = killed / "store.sqlite"
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db) as con:
                    stored = con.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
            if stored >= 3:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (killed / "runs.parquet").exists()
    with sqlite3.connect(db) as con:
        before = con.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    assert 3 <= before < 8
    code, text = sweep(str(spec), "--resume", "--workers", "1", "--out", str(killed))
    assert code == 0, text
    assert f"resuming: {before} of 8" in text
    a = pd.read_parquet(full / "runs.parquet")
    b = pd.read_parquet(killed / "runs.parquet")
    pd.testing.assert_frame_equal(a, b)
    assert not b.duplicated(["scenario_id", "replication"]).any()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dask_scheduler_and_worker_processes_give_the_local_results(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        pytest.skip("the dask command is not installed next to this Python")
    spec = write_spec(tmp_path, days=20, reps=2)
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        subprocess.Popen(
            [str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        time.sleep(2)
        procs.append(
            subprocess.Popen(
                [
                    str(dask),
                    "worker",
                    address,
                    "--nworkers",
                    "1",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        code, text = sweep(str(spec), "--scheduler", address, "--out", str(tmp_path / "dask"))
        assert code == 0, text
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    assert sweep(str(spec), "--workers", "1", "--out", str(tmp_path / "local"))[0] == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "dask" / "runs.parquet"),
        pd.read_parquet(tmp_path / "local" / "runs.parquet"),
    )


def test_target_half_width_adds_replications_until_met_or_capped(tmp_path: Path) -> None:
    spec = str(write_spec(tmp_path, days=20, reps=2))
    code, text = sweep(
        spec,
        "--workers",
        "1",
        "--out",
        str(tmp_path / "a"),
        "--target-half-width",
        "0.5",
        "--metric",
        "inquiry_sla_hit_rate",
        "--max-replications",
        "6",
    )
    assert code == 0, text
    summary = pd.read_csv(tmp_path / "a" / "summary.csv")
    hit = summary[summary.metric == "inquiry_sla_hit_rate"]
    assert (hit.half_width / hit["mean"].abs() <= 0.5).all()
    # an unreachable target stops at the cap
    code, text = sweep(
        spec,
        "--workers",
        "1",
        "--out",
        str(tmp_path / "b"),
        "--target-half-width",
        "0.0001",
        "--metric",
        "followup_backlog_mean",
        "--max-replications",
        "5",
    )
    assert code == 0, text
    runs = pd.read_parquet(tmp_path / "b" / "runs.parquet")
    assert runs.groupby("scenario_id").size().eq(5).all()


def test_target_needs_a_known_metric(tmp_path: Path) -> None:
    code, text = sweep(
        str(write_spec(tmp_path)),
        "--target-half-width",
        "0.1",
        "--metric",
        "hit_rate",
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 2 and "hit_rate" in text
    assert not (tmp_path / "o").exists()


def test_more_replications_targets_the_noisy_scenarios(tmp_path: Path) -> None:
    exp = small_experiment(reps=3, days=20, caseworkers=(14, 30))
    store = Store(tmp_path / "s.sqlite", exp.fingerprint, resume=False)
    with make_executor("local", 1) as ex:
        execute(plan(exp, 3, set()), ex, store)
    need = more_replications(exp, store, Target("inquiries_arrived", 0.5, 10))
    assert need == {}  # arrivals are known to within far less than 50%
    need = more_replications(exp, store, Target("followup_backlog_mean", 1e-6, 10))
    assert set(need) == {0, 1} and all(3 < n <= 10 for n in need.values())


def test_common_random_numbers_sharpen_a_staffing_comparison() -> None:
    """Var(mean inquiry wait at 15 − at 17 caseworkers), common vs independent streams.

    (The follow-up backlog gains less, about 2-3x: its variance at 15 caseworkers is
    many times that at 17, and CRN cannot remove a difference in spread.)"""
    from concurrent.futures import ProcessPoolExecutor

    cfg = read_yaml(BASELINE)
    # the pooled office: with own caseloads every user changes owner when the staff
    # changes, which weakens common random numbers for the follow-up
    cfg["work"]["followup"].update(assignment="pooled", appointments={"enabled": False})
    cfg["staff"]["overtime"] = {"start_rule": "always_start"}
    exp = expand(
        Spec(base="b", horizon_days=90, warmup_days=20, grid={"staff.caseworkers": [15, 17]}),
        cfg,
        "s",
    )
    low, high = (s.config for s in exp.scenarios)
    reps = 10
    jobs = []
    for r in range(reps):
        jobs.append(low.model_copy(update={"seed": replication_seed(1, r)}))
        jobs.append(high.model_copy(update={"seed": replication_seed(1, r)}))
        jobs.append(high.model_copy(update={"seed": replication_seed(2, r)}))
    with ProcessPoolExecutor(2) as pool:
        waits = [res.summary["inquiry_wait_hours_mean"] for res in pool.map(run, jobs)]
    b = np.asarray(waits).reshape(reps, 3)
    var_crn = np.var(b[:, 0] - b[:, 1], ddof=1)
    var_ind = np.var(b[:, 0] - b[:, 2], ddof=1)
    # one-sided F-test: independent streams give the larger variance (p < 1%)
    p = stats.f.sf(var_ind / var_crn, reps - 1, reps - 1)
    assert var_ind > 4 * var_crn and p < 0.01, (var_ind, var_crn, p)


def test_warmup_command_suggests_a_length() -> None:
    result = CliRunner().invoke(
        main, ["warmup", str(BASELINE), "--replications", "2", "--days", "120"]
    )
    assert result.exit_code == 0, result.output
    assert "suggested warmup_days:" in result.output and "MSER-5" in result.output
    result = CliRunner().invoke(
        main, ["warmup", str(BASELINE), "--series", "nope", "--days", "30", "--replications", "1"]
    )
    assert result.exit_code == 2
