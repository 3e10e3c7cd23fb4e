"""The app's parts without a browser: levers, background jobs, settings, the command."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import app_tasks
import pytest
import yaml
from app_helpers import cli_error

from officeq.app.jobs import CANCELLED, DONE, FAILED, Job, stop_all
from officeq.app.levers import BY_ID, LEVERS, initial_values, lever_of, office_config, overrides
from officeq.app.settings import find_configs, find_regimes, job_folder
from officeq.config.loading import ConfigError, dump_config, load_config

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "officeq", *args], cwd=cwd, capture_output=True, text=True
    )


# --- levers ---------------------------------------------------------------------------


def test_untouched_levers_change_nothing() -> None:
    cfg = load_config(BASELINE)
    assert overrides(cfg, initial_values(cfg)) == []
    page, sets = office_config(BASELINE, initial_values(cfg))
    assert sets == [] and page == cfg


def test_moved_levers_give_the_office_officeq_run_set_gives(tmp_path: Path) -> None:
    cfg = load_config(BASELINE)
    values = initial_values(cfg) | {
        "caseworkers": 14,
        "admin_share": 40,
        "absence_rate": 9.5,
        "policy": "protected_followup",
        "followup_share": 35,
        "sla_clock": "business",
        "appointments": False,
    }
    page, sets = office_config(BASELINE, values)
    assert sets == [
        "staff.caseworkers=14",
        "staff.admin_share=0.4",
        "staff.absence_rate=0.095",
        "policy.name=protected_followup",
        "policy.followup_share=0.35",
        "work.inquiry.sla_clock=business",
        "work.followup.appointments.enabled=false",
    ]
    assert dump_config(page) == dump_config(load_config(BASELINE, sets))
    (tmp_path / "office.yaml").write_text(dump_config(page))  # the page's download
    assert load_config(tmp_path / "office.yaml") == page


@pytest.mark.parametrize(
    ("lever", "value", "path"),
    [
        ("inquiries", -5, "work.inquiry.arrivals_per_day"),
        ("caseworkers", -1, "staff.caseworkers"),
        ("admin_share", 120, "staff.admin_share"),
        ("sla_hours", 0, "work.inquiry.sla_hours"),
    ],
)
def test_a_bad_lever_gets_the_clis_line_and_is_named(lever: str, value: float, path: str) -> None:
    values = initial_values(load_config(BASELINE)) | {lever: value}
    with pytest.raises(ConfigError) as e:
        office_config(BASELINE, values, name="configs/baseline.yaml")
    stored = BY_ID[lever].stored(value)
    assert str(e.value) == cli_error("run", "configs/baseline.yaml", "--set", f"{path}={stored}")
    assert lever_of(e.value) == lever


def test_an_empty_number_is_named() -> None:
    values = initial_values(load_config(BASELINE)) | {"caseworkers": None}
    with pytest.raises(ConfigError, match=r"staff\.caseworkers: give a number"):
        office_config(BASELINE, values)


def test_percent_levers_show_and_store_fractions() -> None:
    lever = BY_ID["absence_rate"]
    assert lever.stored(7) == pytest.approx(0.07)
    assert initial_values(load_config(BASELINE))["absence_rate"] == pytest.approx(7)


def test_a_steering_regime_replaces_the_steering_block() -> None:
    regime = ROOT / "configs" / "regimes" / "strong_targets.yaml"
    values = initial_values(load_config(BASELINE))
    cfg, _ = office_config(BASELINE, values, regime)
    own = yaml.safe_load(regime.read_text())["steering"]
    assert [i.name for i in cfg.steering.indicators] == [i["name"] for i in own["indicators"]]
    plain, _ = office_config(ROOT / "configs/regimes/strong_targets.yaml", values, "none")
    assert plain.steering.indicators == ()


def test_every_lever_reaches_a_field_of_the_baseline() -> None:
    shown = initial_values(load_config(BASELINE))
    for lever in LEVERS:
        if not lever.optional:
            assert shown[lever.id] is not None, lever.path


# --- settings --------------------------------------------------------------------------


def test_configs_and_regimes_are_found(tmp_path: Path) -> None:
    found = find_configs(BASELINE)
    assert next(iter(found)) == str(BASELINE.resolve())
    assert found[str(BASELINE.resolve())] == "configs/baseline.yaml"
    regimes = find_regimes(found)
    assert any("strong_targets" in p for p in regimes)
    assert not any(p.endswith("baseline.yaml") for p in regimes)
    a, b = job_folder(tmp_path, "two more"), job_folder(tmp_path, "two more")
    assert a != b and a.is_dir() and b.is_dir() and "two-more" in a.name


# --- background jobs -------------------------------------------------------------------


def test_a_job_reports_progress_and_its_answer() -> None:
    job = Job(app_tasks.count, {"n": 5, "pause": 0.01}, "count")
    assert job.wait(60) == DONE
    assert job.value == 15 and job.progress == (5, 5) and job.error == ""


def test_a_failing_job_says_why_in_one_line() -> None:
    job = Job(app_tasks.refuse, {"message": "office.yaml: staff.caseworkers: too few"})
    assert job.wait(60) == FAILED
    assert job.error == "office.yaml: staff.caseworkers: too few"
    crashed = Job(app_tasks.crash, {})
    assert crashed.wait(60) == FAILED
    assert crashed.error == "internal error: ZeroDivisionError: division by zero"


def test_cancel_stops_the_work_at_once() -> None:
    job = Job(app_tasks.forever, {})
    while job.progress != (0, 1):
        time.sleep(0.02)
    pid = job._proc.pid
    job.cancel()
    assert job.state == CANCELLED and job.value is None
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    job.cancel()  # twice is harmless
    assert job.state == CANCELLED


def test_stop_all_cancels_every_running_job() -> None:
    jobs = [Job(app_tasks.forever, {}) for _ in range(2)]
    assert stop_all() >= 2
    assert all(j.state == CANCELLED for j in jobs)
    assert stop_all() == 0


def test_a_pages_run_folder_reproduces_with_officeq_sweep(tmp_path: Path) -> None:
    from officeq.app.tasks import RESULTS, prepare_run, run_office

    cfg = load_config(ROOT / "configs/validation/mmc.yaml", ["horizon_days=30", "warmup_days=5"])
    spec = prepare_run(tmp_path, cfg, 2, 7)
    job = Job(run_office, {"spec": str(spec), "out": str(tmp_path / RESULTS), "workers": 1})
    assert job.wait(300) == DONE, job.error
    out = cli("sweep", "experiment.yaml", "--out", "again", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    page = (tmp_path / RESULTS / "summary.csv").read_text()
    assert page == (tmp_path / "again" / "summary.csv").read_text()


# --- the command -----------------------------------------------------------------------


def test_a_bad_config_stops_the_app_before_it_serves(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("staff: {caseworkers: -1}\n")
    line = cli_error("app", "bad.yaml", "--no-browser", cwd=tmp_path)
    assert line == cli_error("run", "bad.yaml", cwd=tmp_path)


def test_a_taken_port_is_said_in_one_line() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        line = cli_error("app", "--no-browser", "--port", str(port))
    assert line.startswith(f"--port: {port} on 127.0.0.1:")


def test_results_that_cannot_be_written_are_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    line = cli_error("app", "--no-browser", "--results", str(tmp_path / "file" / "x"))
    assert line.startswith("--results: ")


def test_the_summary_so_far_is_the_final_one_once_every_replication_is_in(
    tmp_path: Path,
) -> None:
    import pandas as pd

    from officeq.api import sweep
    from officeq.app.partial import finished_runs, summary_so_far
    from officeq.app.tasks import prepare_run
    from officeq.experiments.spec import load_spec

    cfg = load_config(ROOT / "configs/validation/mmc.yaml", ["horizon_days=30", "warmup_days=5"])
    spec = prepare_run(tmp_path, cfg, 3, 5)
    experiment = load_spec(spec)
    store = tmp_path / "results" / "store.sqlite"
    assert finished_runs(store) == [] and summary_so_far(experiment, store) is None
    final = sweep(spec, out=tmp_path / "results").summary
    so_far = summary_so_far(experiment, store)
    assert so_far is not None
    pd.testing.assert_frame_equal(so_far.reset_index(drop=True), final.reset_index(drop=True))
    assert [r[1] for r in finished_runs(store)] == [0, 1, 2]


def test_the_pages_tables_hold_the_sweeps_numbers(tmp_path: Path) -> None:
    import re

    from officeq.api import sweep
    from officeq.app import views
    from officeq.app.tasks import prepare_run
    from officeq.experiments.folders import load_results
    from officeq.figures.findings import level_text

    cfg = load_config(BASELINE, ["horizon_days=150", "warmup_days=40", "staff.caseworkers=15"])
    spec = prepare_run(tmp_path, cfg, 2, 3)
    sweep(spec, out=tmp_path / "results")
    results = load_results(tmp_path / "results")
    html = views.summary_html(results.summary)
    cells = dict(re.findall(r'data-metric="(\w+)" data-value="([^"]+)"', html))
    means = results.summary.set_index("metric")["mean"]
    assert cells and all(float(v) == means[m] for m, v in cells.items())
    hit = means["inquiry_sla_hit_rate"]
    assert f'<span class="value">{level_text("inquiry_sla_hit_rate", hit)}</span>' in html
    groups = results.groups
    assert groups == list(cfg.work.followup.groups)
    assert all(g.replace("_", " ") in views.groups_html(results.summary, groups) for g in groups)
    table = views.scorecard_table(results)
    measured = results.monthly[~results.monthly["warmup"].astype(bool)]
    assert list(table["month"]) == sorted(measured["month"].unique())
    first = measured[measured["month"] == table["month"].iloc[0]]
    assert table["inquiries"].iloc[0] == round(first["inquiries_arrived"].mean(), 1)


def test_a_blank_cap_means_no_cap() -> None:
    values = initial_values(load_config(BASELINE)) | {"caseload_cap": None}
    cfg, sets = office_config(BASELINE, values)
    assert sets == ["work.followup.caseload_cap=null"]
    assert cfg.work.followup.caseload_cap is None


def test_an_error_about_a_levers_block_is_shown_at_the_lever() -> None:
    mmc = ROOT / "configs/validation/mmc.yaml"
    values = initial_values(load_config(mmc)) | {"overtime_week": 5}
    with pytest.raises(ConfigError, match="start_rule: finish_or_defer") as e:
        office_config(mmc, values)
    assert lever_of(e.value) == "overtime_week"
