"""The Python API: what a notebook user calls, checked against the CLI's own outputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure

import officeq
from officeq.experiments.folders import ResultsError

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
SHORT = {"horizon_days": 40, "warmup_days": 10}


def test_load_config_from_file_dict_and_config_agree() -> None:
    from_file = officeq.load_config(BASELINE, ["staff.caseworkers=15"], **SHORT)
    from_dict = officeq.load_config(from_file.model_dump(mode="json"))
    from_cfg = officeq.load_config(from_file)
    assert from_file == from_dict == from_cfg
    assert from_file.staff.caseworkers == 15


def test_a_dict_may_extend_a_file() -> None:
    extended = officeq.load_config({"extends": str(BASELINE), "staff": {"caseworkers": 15}})
    assert extended == officeq.load_config(BASELINE, ["staff.caseworkers=15"])
    with pytest.raises(officeq.ConfigError, match="extends"):
        officeq.load_config({"extends": "no/such.yaml"})


def test_bad_input_names_the_field() -> None:
    with pytest.raises(officeq.ConfigError, match=r"staff\.caseworkers"):
        officeq.load_config({"staff": {"caseworkers": -1}})
    with pytest.raises(officeq.ConfigError, match=r"--set staff\.nope"):
        officeq.load_config(BASELINE, ["staff.nope=1"])


def test_run_equals_the_command_line(tmp_path: Path) -> None:
    """officeq.run gives the summary the CLI writes, byte for byte."""
    cfg = officeq.load_config(BASELINE, **SHORT)
    result = officeq.run(cfg, seed=7)
    out = tmp_path / "run"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "officeq",
            "run",
            str(BASELINE),
            "--seed",
            "7",
            "--days",
            "40",
            "--warmup-days",
            "10",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    from officeq.measure.output import summary_json

    assert summary_json(result.summary) == (out / "summary.json").read_text()
    assert len(result.daily) == 40 and result.monthly["month"].iloc[0] == "2025-01"


def test_run_accepts_overrides_and_a_dict() -> None:
    a = officeq.run(
        BASELINE, overrides=["staff.caseworkers=15", "horizon_days=30", "warmup_days=5"]
    )
    fields = officeq.load_config(BASELINE).model_dump(mode="json")
    fields.update(horizon_days=30, warmup_days=5)
    fields["staff"]["caseworkers"] = 15
    b = officeq.run(fields)
    assert a.summary == b.summary


def spec(tmp_path: Path, reps: int = 3) -> dict:
    return {
        "name": "api",
        "base": str(BASELINE),
        "replications": reps,
        "seed": 11,
        "grid": {"staff.caseworkers": [14, 17]},
        **SHORT,
    }


def test_sweep_in_memory_equals_the_written_sweep(tmp_path: Path) -> None:
    memory = officeq.sweep(spec(tmp_path))
    written = officeq.sweep(spec(tmp_path), out=tmp_path / "s")
    assert memory.out is None and written.out == tmp_path / "s"
    assert (tmp_path / "s" / "runs.parquet").is_file()
    assert memory.runs.equals(written.runs)
    assert list(memory.runs["staff_caseworkers"]) == [14, 14, 14, 17, 17, 17]
    means = memory.means("followup_backlog_mean")
    by_hand = memory.runs.groupby("staff_caseworkers")["followup_backlog_mean"].mean()
    assert list(means["staff_caseworkers"]) == [14, 17]
    assert means["mean"].to_numpy() == pytest.approx(by_hand.to_numpy())
    assert (means["ci_low"] <= means["mean"]).all() and (means["mean"] <= means["ci_high"]).all()


def test_sweep_reports_progress_and_refuses_bad_arguments(tmp_path: Path) -> None:
    seen = []
    officeq.sweep(spec(tmp_path, 2), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    with pytest.raises(officeq.api.SweepError, match="unknown metric"):
        officeq.sweep(spec(tmp_path), target_half_width=0.1, metric="nope")


def test_staff_answers_like_the_command_line(tmp_path: Path) -> None:
    cfg = officeq.load_config(BASELINE, **SHORT)
    answer = officeq.staff(cfg, ["inquiry_sla_hit_rate>=0.9"], lo=12, hi=20, max_replications=6)
    n = answer.caseworkers[cfg.policy.name]
    assert n is not None and 12 <= n <= 20
    runs, _summary, _spec = answer.tables()
    assert set(runs["staff_caseworkers"]) <= set(range(12, 21))
    assert isinstance(officeq.plot(answer, kind="staffing", metric="followup_backlog_mean"), Figure)
    with pytest.raises(ValueError, match="unknown policy"):
        officeq.staff(cfg, ["followup_backlog_mean<=60"], policies=["nope"])


def test_plot_returns_figures_and_draws_into_an_axes(tmp_path: Path) -> None:
    result = officeq.run(BASELINE, overrides=["horizon_days=40", "warmup_days=10"])
    assert isinstance(officeq.plot(result, kind="overview"), Figure)
    fig = Figure()
    ax = fig.subplots()
    assert officeq.plot(result, kind="scorecard", ax=ax) is fig
    assert ax.get_title()  # drawn into the given axes
    with pytest.raises(ValueError, match="several panels"):
        officeq.plot(result, kind="overview", ax=ax)
    with pytest.raises(ResultsError, match="frontier"):
        officeq.plot(result, kind="frontier")
    sweep = officeq.sweep(spec(tmp_path, 2))
    assert isinstance(officeq.plot(sweep, kind="frontier"), Figure)


def test_the_example_notebook_runs_top_to_bottom() -> None:
    env = {**os.environ, "OFFICEQ_QUICK": "1", "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "notebook_quickstart.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "48-hour hit rate" in done.stdout
