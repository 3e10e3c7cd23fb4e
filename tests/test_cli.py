"""The ``officeq`` command line: run, validate, and one-line errors on bad input."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from cli_helpers import invoke
from click.testing import Result

from officeq.config.loading import load_config
from officeq.measure.output import RUN_FILES

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "configs" / "baseline.yaml"
SHORT = ("--days", "20", "--warmup-days", "5")
GROUPS = ("standard", "situational", "specially_adapted", "permanently_adapted")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

SUMMARY_KEYS = (
    "inquiry_sla_hit_rate",
    "inquiry_wait_hours_mean",
    "inquiry_response_hours_mean",
    "inquiry_wait_hours_p90",
    "inquiries_arrived",
    "inquiries_answered",
    "income_support_wait_hours_mean",
    "income_support_on_time_rate",
    "income_support_decision_days_mean",
    "followup_backlog_mean",
    "followup_backlog_end",
    *(f"followup_backlog_mean_{g}" for g in GROUPS),
    *(f"followup_sessions_per_user_year_{g}" for g in GROUPS),
    "caseworker_utilization",
    "overtime_hours",
)
DAILY_COLUMNS = (
    "inquiries_waiting",
    "income_support_waiting",
    "followup_overdue",
    *(f"followup_overdue_{g}" for g in GROUPS),
    "caseworkers_present",
    "client_hours",
)
MONTHLY_COLUMNS = (
    "month",
    "inquiry_sla_hit_rate",
    "income_support_on_time_rate",
    "followup_users_contacted",
    "followup_sessions_substantive",
    "exits_to_work",
)


def plain(text: str) -> str:
    return ANSI.sub("", text)


def run_baseline(out: Path, *extra: object) -> Result:
    result = invoke("run", BASELINE, *SHORT, "--out", out, *extra)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def summary_bytes(out: Path) -> bytes:
    return (out / "summary.json").read_bytes()


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    parent = tmp_path_factory.mktemp("baseline")
    out = parent / "out"
    return run_baseline(out), out


# --- a successful run -------------------------------------------------------


def test_run_prints_summary_table(baseline_run: tuple[Result, Path]) -> None:
    result, _ = baseline_run
    text = plain(result.stdout)
    assert "SLA hit rate" in text
    assert "backlog" in text
    assert "baseline" in text
    for g in GROUPS:
        assert g in text
    assert "Traceback" not in result.output


def test_run_writes_the_six_files_and_their_manifest(baseline_run: tuple[Result, Path]) -> None:
    _, out = baseline_run
    assert sorted(p.name for p in out.iterdir()) == sorted([*RUN_FILES, "manifest.json"])
    assert set(RUN_FILES) == {
        "summary.json",
        "daily.csv",
        "monthly.csv",
        "caseworkers.csv",
        "decision_times.csv",
        "config.resolved.yaml",
    }
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == set(RUN_FILES) and manifest["kind"] == "run"
    # the temporary folder the run was written in is gone
    assert [p.name for p in out.parent.iterdir()] == ["out"]


def test_summary_json_is_flat_metric_to_number(baseline_run: tuple[Result, Path]) -> None:
    _, out = baseline_run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert isinstance(summary, dict)
    for key, value in summary.items():
        assert isinstance(key, str)
        assert value is None or (
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        ), (key, value)
    missing = [k for k in SUMMARY_KEYS if k not in summary]
    assert not missing
    assert summary["inquiries_arrived"] > 0
    assert 0 <= summary["inquiry_sla_hit_rate"] <= 1
    assert isinstance(summary["inquiries_arrived"], int)


def test_daily_csv_one_row_per_day(baseline_run: tuple[Result, Path]) -> None:
    _, out = baseline_run
    daily = pd.read_csv(out / "daily.csv")
    assert len(daily) == 20
    missing = [c for c in DAILY_COLUMNS if c not in daily.columns]
    assert not missing
    assert list(daily["day"]) == list(range(20))
    group_sum = sum(daily[f"followup_overdue_{g}"] for g in GROUPS)
    assert (group_sum == daily["followup_overdue"]).all()


def test_monthly_csv_columns(baseline_run: tuple[Result, Path]) -> None:
    _, out = baseline_run
    monthly = pd.read_csv(out / "monthly.csv")
    assert len(monthly) >= 1
    missing = [c for c in MONTHLY_COLUMNS if c not in monthly.columns]
    assert not missing


def test_resolved_config_loads_back_equal(baseline_run: tuple[Result, Path]) -> None:
    _, out = baseline_run
    resolved = load_config(out / "config.resolved.yaml")
    assert resolved == load_config(BASELINE, horizon_days=20, warmup_days=5)
    assert (resolved.horizon_days, resolved.warmup_days) == (20, 5)


def test_resolved_config_reproduces_the_run(
    baseline_run: tuple[Result, Path], tmp_path: Path
) -> None:
    _, out = baseline_run
    again = tmp_path / "again"
    result = invoke("run", out / "config.resolved.yaml", "--out", again)
    assert result.exit_code == 0, result.output
    assert summary_bytes(again) == summary_bytes(out)
    assert (again / "config.resolved.yaml").read_bytes() == (
        out / "config.resolved.yaml"
    ).read_bytes()


def test_same_seed_gives_identical_summary(
    baseline_run: tuple[Result, Path], tmp_path: Path
) -> None:
    _, out = baseline_run
    run_baseline(tmp_path / "second")
    assert summary_bytes(tmp_path / "second") == summary_bytes(out)


def test_other_seed_gives_other_summary(baseline_run: tuple[Result, Path], tmp_path: Path) -> None:
    _, out = baseline_run
    run_baseline(tmp_path / "seed2", "--seed", "2")
    assert summary_bytes(tmp_path / "seed2") != summary_bytes(out)
    assert load_config(tmp_path / "seed2" / "config.resolved.yaml").seed == 2


# --- --set ------------------------------------------------------------------


def test_set_changes_resolved_config_and_result(
    baseline_run: tuple[Result, Path], tmp_path: Path
) -> None:
    _, out = baseline_run
    five = tmp_path / "five"
    run_baseline(five, "--set", "staff.caseworkers=5")
    assert load_config(five / "config.resolved.yaml").staff.caseworkers == 5
    assert load_config(out / "config.resolved.yaml").staff.caseworkers == 17
    assert summary_bytes(five) != summary_bytes(out)
    s5 = json.loads(summary_bytes(five))
    s17 = json.loads(summary_bytes(out))
    assert s5["followup_backlog_mean"] > s17["followup_backlog_mean"]


def test_set_values_are_yaml(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_baseline(
        out,
        "--set",
        "work.inquiry.weekday_profile=null",
        "--set",
        "policy.order=[inquiry, followup]",
        "--set",
        "name=yaml_set",
    )
    resolved = yaml.safe_load((out / "config.resolved.yaml").read_text(encoding="utf-8"))
    assert resolved["work"]["inquiry"]["weekday_profile"] is None
    assert resolved["policy"]["order"][:2] == ["inquiry", "followup"]
    cfg = load_config(out / "config.resolved.yaml")
    assert cfg.work.inquiry.weekday_profile is None
    assert cfg.policy.order == ("inquiry", "followup", "income_support_urgent", "income_support")
    assert cfg.name == "yaml_set"
    # untouched fields keep the file's values
    assert cfg.work.inquiry.hour_profile == load_config(BASELINE).work.inquiry.hour_profile


def test_overloaded_office_warns_and_still_runs(tmp_path: Path) -> None:
    result = run_baseline(tmp_path / "out", "--set", "staff.caseworkers=3")
    stderr = plain(result.stderr)
    match = re.search(r"utilisation\s+(\d+(?:\.\d+)?)\s*%", stderr)
    assert match, stderr
    assert float(match.group(1)) >= 100
    # the load line is a result: on stdout, before the run's summary
    output = plain(result.stdout)
    assert output.index("utilisation") < output.index("SLA hit rate")


def test_normal_office_has_no_overload_warning(baseline_run: tuple[Result, Path]) -> None:
    result, _ = baseline_run
    match = re.search(r"utilisation\s+(\d+)\s*%", plain(result.stdout))
    assert match  # `officeq run ... > out.txt` keeps the load line
    assert int(match.group(1)) < 100
    assert "backlog will grow" not in plain(result.stderr)
    assert "utilisation" not in plain(result.stderr)


# --- bad input: exit 2, one line, nothing written ---------------------------

_SHARES = """\
work:
  followup:
    groups:
      standard: {share: 0.5, interval_days: 90, duration_minutes: {dist: fixed, value: 30}}
      situational: {share: 0.4, interval_days: 30, duration_minutes: {dist: fixed, value: 60}}
"""

# id -> (config file text, or None for the baseline; extra args; texts the line must name)
BAD_INPUT: dict[str, tuple[str | None, tuple[str, ...], tuple[str, ...]]] = {
    "typo-top-level": ("staf:\n  caseworkers: 3\n", (), ("staf",)),
    "typo-nested": (
        "work:\n  inquiry:\n    arival_per_day: 100\n",
        (),
        ("work.inquiry.arival_per_day",),
    ),
    "wrong-type": ("staff:\n  caseworkers: many\n", (), ("staff.caseworkers",)),
    "negative-rate": (
        "work:\n  inquiry:\n    arrivals_per_day: -3\n",
        (),
        ("work.inquiry.arrivals_per_day",),
    ),
    "shares-not-one": (_SHARES, (), ("work.followup",)),
    "unknown-policy": ("policy:\n  name: round_robin\n", (), ("policy.name", "round_robin")),
    "yaml-syntax": ("staff: [\n  caseworkers: 3\n", (), ("YAML",)),
    "set-unknown-field": (
        None,
        ("--set", "work.inquiry.nonexistent=1"),
        ("work.inquiry.nonexistent",),
    ),
    "set-into-value": (None, ("--set", "staff.caseworkers.x=1"), ("staff.caseworkers",)),
    "set-wrong-type": (None, ("--set", "staff.caseworkers=many"), ("staff.caseworkers",)),
    "set-negative": (
        None,
        ("--set", "work.inquiry.arrivals_per_day=-3"),
        ("work.inquiry.arrivals_per_day",),
    ),
    "set-unknown-policy": (None, ("--set", "policy.name=bogus"), ("policy.name",)),
    "warmup-flags": (None, ("--days", "20", "--warmup-days", "30"), ("warmup_days",)),
}


def _check_one_line_error(result: Result, out: Path, *names: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in plain(result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    for name in names:
        assert name in line, (name, line)
    assert not out.exists(), "nothing may be written on bad input"
    return line


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_one_line_exit_2_nothing_written(tmp_path: Path, case: str) -> None:
    text, extra, names = BAD_INPUT[case]
    if text is None:
        config = BASELINE
    else:
        config = tmp_path / "bad_office.yaml"
        config.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = SHORT if "--days" not in extra else ()
    result = invoke("run", config, *args, *extra, "--out", out)
    _check_one_line_error(result, out, config.name, *names)
    assert result.stdout.strip() == ""


def test_missing_config_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("run", tmp_path / "no_such_office.yaml", *SHORT, "--out", out)
    _check_one_line_error(result, out, "no_such_office.yaml")


def test_warmup_not_shorter_than_horizon_in_file(tmp_path: Path) -> None:
    config = tmp_path / "bad_office.yaml"
    config.write_text("horizon_days: 10\nwarmup_days: 10\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", config, "--out", out)
    _check_one_line_error(result, out, "bad_office.yaml", "warmup_days", "horizon_days")


def test_malformed_set_without_equals(tmp_path: Path) -> None:
    # the line names the offending --set argument (the config file itself is fine)
    out = tmp_path / "out"
    result = invoke("run", BASELINE, *SHORT, "--set", "staff.caseworkers", "--out", out)
    _check_one_line_error(result, out, "--set", "staff.caseworkers")


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("keep me", encoding="utf-8")
    result = invoke("run", BASELINE, *SHORT, "--out", out)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    ("config_name", "extra", "name"),
    [
        pytest.param(None, ("--set", "novalue[/x]"), "novalue[/x]", id="closing-tag-in-set"),
        pytest.param("office[red].yaml", (), "office[red].yaml", id="tag-in-file-name"),
    ],
)
def test_error_line_is_printed_literally(
    tmp_path: Path, config_name: str | None, extra: tuple[str, ...], name: str
) -> None:
    if config_name is None:
        config = BASELINE
    else:
        config = tmp_path / config_name
        config.write_text("staff:\n  caseworkers: many\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", config, *SHORT, *extra, "--out", out)
    _check_one_line_error(result, out, name)


def test_config_name_with_brackets_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("run", BASELINE, *SHORT, "--set", "name='a[/]b'", "--out", out)
    assert result.exit_code == 0, result.output
    assert "a[/]b" in plain(result.stdout)
    assert out.is_dir()


# --- python -m officeq ------------------------------------------------------


def _subprocess(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "officeq", *(str(a) for a in args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_python_m_officeq_help(tmp_path: Path) -> None:
    proc = _subprocess("--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^\s+run\b", proc.stdout, re.MULTILINE)
    assert re.search(r"^\s+validate\b", proc.stdout, re.MULTILINE)


def test_python_m_officeq_bad_input_is_one_line(tmp_path: Path) -> None:
    # a long path and message: the real stderr (not a terminal) must not wrap the line
    folder = tmp_path / ("a_rather_long_folder_name_" * 3)
    folder.mkdir()
    config = folder / "office_with_bad_shares.yaml"
    config.write_text(_SHARES, encoding="utf-8")
    out = tmp_path / "out"
    proc = _subprocess("run", config, *SHORT, "--out", out, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in plain(proc.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert str(config) in lines[0]
    assert "work.followup" in lines[0]
    assert not out.exists()


# --- validate ---------------------------------------------------------------


def test_validate_prints_theory_table(tmp_path: Path) -> None:
    configs = tmp_path / "validation"
    shutil.copytree(ROOT / "configs" / "validation", configs)
    result = invoke("validate", "--configs", configs, "--replications", "2", "--days", "15")
    assert result.exit_code in (0, 1), (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    text = plain(result.stdout)
    assert "theory" in text
    for case in ("mmc", "priority", "finite_source"):
        assert re.search(rf"^\W*{case}\b", text, re.MULTILINE), case
    assert ("outside" in text) == (result.exit_code == 1)


def test_validate_missing_config_dir(tmp_path: Path) -> None:
    result = invoke("validate", "--configs", tmp_path / "nowhere", "--replications", "2")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "mmc.yaml" in plain(result.stderr)


def test_the_title_names_the_overrides(tmp_path: Path) -> None:
    result = invoke("run", BASELINE, *SHORT, "--set", "staff.caseworkers=25")
    assert result.exit_code == 0, result.output
    title = plain(result.stdout).splitlines()[1]
    assert title.startswith("baseline (modified: staff.caseworkers=25): 25 caseworkers"), title
    plain_run = invoke("run", BASELINE, *SHORT)
    assert "modified" not in plain(plain_run.stdout)


def test_no_help_text_shows_a_doubled_percent_sign() -> None:
    from officeq.cli import main

    for name in main.commands:
        result = invoke(name, "--help")
        assert result.exit_code == 0, (name, result.output)
        assert "%%" not in result.output, name
    assert "95% half-width" in " ".join(invoke("sweep", "--help").output.split())
