"""Issue 11: no config, spec or option crashes, hangs or eats the machine.

One test per class of bad input: each must end with exit code 2, one short
line naming the file and the field as the user wrote it, no traceback and
nothing written.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from cli_helpers import invoke
from click.testing import Result

from officeq.api.sizing import TooBigError, check_run, check_sweep
from officeq.config.base import MAX_CASEWORKERS
from officeq.config.loading import ConfigError, load_config
from officeq.model.size import estimate

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "configs" / "baseline.yaml"
STRONG = ROOT / "configs" / "regimes" / "strong_targets.yaml"
SHORT = ("--days", "20", "--warmup-days", "5")


def refused(result: Result, *words: str) -> str:
    """The error line of a refused command: exit 2, one short line, no traceback."""
    assert result.exit_code == 2, (result.output, result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("error: ") and "Traceback" not in line, line
    assert len(line) < 400, f"{len(line)} characters: {line[:200]}"
    for w in words:
        assert w in line, line
    return line


def write(tmp_path: Path, text: str, name: str = "office.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- numbers that are infinite or absurd ----------------------------------------

INFINITE_FIELDS = (
    "work.inquiry.arrivals_per_day",
    "work.inquiry.duration_minutes.mean",
    "work.inquiry.duration_minutes.cv",
    "work.inquiry.sla_hours",
    "work.income_support.deadline_days",
    "horizon_days",
    "staff.absence_spell_days_mean",
    "work.followup.groups.standard.exit_to_work_per_year",
    "work.followup.new_users_per_year",
    "work.followup.outcomes.effect_days",
    "steering.gaming.short_contact_minutes",
    "work.followup.failure_demand.inquiries_per_user_week",
)


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
@pytest.mark.parametrize("field", INFINITE_FIELDS)
def test_infinite_and_nan_numbers_are_refused(tmp_path: Path, field: str, value: str) -> None:
    out = tmp_path / "out"
    short = SHORT if field != "horizon_days" else SHORT[2:]  # --days would replace it
    result = invoke("run", BASELINE, *short, "--set", f"{field}={value}", "--out", out)
    refused(result, "baseline.yaml", f"--set {field}")
    assert not out.exists()


def test_infinite_number_in_a_file_names_the_file_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "work:\n  inquiry:\n    sla_hours: .inf\n")
    refused(invoke("run", path, *SHORT), str(path), "work.inquiry.sla_hours", "finite")


def test_infinite_failure_demand_on_strong_targets_is_refused_at_once() -> None:
    # it used to hang and grow past 2.6 GB
    field = "work.followup.failure_demand.inquiries_per_user_week"
    refused(invoke("run", STRONG, "--set", f"{field}=.inf"), field)


@pytest.mark.parametrize(
    ("setting", "field"),
    [
        ("work.inquiry.arrivals_per_day=1e9", "work.inquiry.arrivals_per_day"),
        ("work.followup.caseload=100000000", "work.followup.caseload"),
        ("staff.caseworkers=1000000", "staff.caseworkers"),
        ("horizon_days=1000000", "horizon_days"),
        ("horizon_days=10000000", "horizon_days"),
        ("start_date=9999-12-01", "start_date"),
        ("start_date=0001-01-01", "start_date"),
        ("seed=100000000000000000000", "seed"),
        ("work.inquiry.duration_minutes={dist: fixed, value: 1e6}", "duration_minutes"),
        ("work.followup.groups.standard.interval_days=1e6", "interval_days"),
        ("steering.review.redirect_caseworkers=1000000", "redirect_caseworkers"),
    ],
)
def test_absurd_values_are_refused_by_their_bound(setting: str, field: str) -> None:
    refused(invoke("run", BASELINE, "--set", setting), field)


def test_the_upper_bounds_are_where_typos_start_not_below_the_shipped_offices() -> None:
    for path in sorted((ROOT / "configs").rglob("*.yaml")):
        load_config(path)  # every shipped office is well inside the bounds
    assert load_config(BASELINE, ["staff.caseworkers=1000"]).staff.caseworkers == 1000
    with pytest.raises(ConfigError, match=r"staff\.caseworkers"):
        load_config(BASELINE, [f"staff.caseworkers={MAX_CASEWORKERS + 1}"])


# --- the size estimate and --force ------------------------------------------------


def test_a_run_too_big_for_the_machine_is_refused_naming_the_field(tmp_path: Path) -> None:
    out = tmp_path / "out"
    line = refused(
        invoke(
            "run",
            BASELINE,
            "--days",
            "3650",
            "--set",
            "work.inquiry.arrivals_per_day=100000",
            "--out",
            out,
        ),
        "work.inquiry.arrivals_per_day",
        "--force",
    )
    assert "GiB" in line
    assert not out.exists()


def test_the_driver_named_is_what_makes_the_run_big() -> None:
    base = load_config(BASELINE)
    assert estimate(base).seconds < 60  # the baseline office is small
    cases = {
        "staff.caseworkers": ["staff.caseworkers=10000", "horizon_days=36525"],
        "work.followup.caseload": ["work.followup.caseload=1000000", "horizon_days=3650"],
        "work.income_support.arrivals_per_day": [
            "work.income_support.arrivals_per_day=100000",
            "horizon_days=3650",
        ],
    }
    for field, overrides in cases.items():
        cfg = load_config(BASELINE, overrides)
        with pytest.raises(TooBigError) as e:
            check_run(cfg, "x.yaml")
        assert e.value.field == field
        assert check_run(cfg, "x.yaml", force=True).driver == field  # --force runs it


def test_estimated_tasks_match_the_arrivals_a_run_simulates() -> None:
    """Without holidays the estimate's task count is the Poisson mean of the arrivals
    (a 4-sigma band); with them (which it ignores) it errs on the large side."""
    import officeq

    inquiries_only = [
        "work.followup.caseload=0",
        "work.income_support.arrivals_per_day=0",
        "work.inquiry.digital_share=0.3",
    ]
    plain = load_config(
        BASELINE, [*inquiries_only, "calendar.holidays=[]"], horizon_days=120, warmup_days=0
    )
    expected = estimate(plain).tasks
    arrived = officeq.run(plain).summary["inquiries_arrived"]
    assert abs(arrived - expected) < 4 * math.sqrt(expected)

    with_holidays = load_config(BASELINE, inquiries_only, horizon_days=120, warmup_days=0)
    assert estimate(with_holidays).tasks == expected
    assert officeq.run(with_holidays).summary["inquiries_arrived"] < expected + 4 * math.sqrt(
        expected
    )


def test_a_sweep_too_long_for_local_processes_is_refused_unless_forced() -> None:
    cfg = load_config(BASELINE, horizon_days=3650)
    configs = [(f"s{i}", cfg) for i in range(50)]
    with pytest.raises(TooBigError) as e:
        check_sweep(configs, 1000, 2, "spec.yaml")
    assert e.value.field == "replications"
    assert check_sweep(configs, 1000, 2, "spec.yaml", force=True) > 0
    assert check_sweep(configs, 1000, None, "spec.yaml") > 0  # a cluster: no total limit


def test_sweep_cli_refuses_a_too_big_scenario_before_writing(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        f"name: big\nbase: {BASELINE}\nhorizon_days: 3650\nreplications: 2\n"
        "grid:\n  work.inquiry.arrivals_per_day: [100, 100000]\n",
        "spec.yaml",
    )
    out = tmp_path / "out"
    refused(invoke("sweep", spec, "--out", out), "work.inquiry.arrivals_per_day", "--force")
    assert not out.exists()


def test_summary_has_no_nan_or_infinity_even_when_nothing_happens() -> None:
    import officeq

    cfg = load_config(
        BASELINE,
        [
            "staff.caseworkers=0",
            "work.inquiry.arrivals_per_day=0",
            "work.income_support.arrivals_per_day=0",
            "work.followup.caseload=0",
        ],
        horizon_days=10,
        warmup_days=2,
    )
    summary = officeq.run(cfg).summary
    assert all(v is None or math.isfinite(v) for v in summary.values())
    json.dumps(summary, allow_nan=False)


# --- dates and YAML that loaded silently wrong ------------------------------------


def test_impossible_dates_are_refused_in_files_and_set(tmp_path: Path) -> None:
    path = write(tmp_path, "start_date: 2025-02-30\n")
    refused(invoke("run", path, *SHORT), "start_date", "2025-02-30")
    refused(invoke("run", BASELINE, "--set", "start_date=2025-02-30"), "--set start_date")
    refused(invoke("run", BASELINE, "--set", "calendar.holidays=[2025-13-01]"), "holidays")
    assert load_config(BASELINE, ["start_date=2024-02-29"]).start_date.day == 29


def test_duplicate_keys_are_refused_naming_key_and_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\nstaff:\n  caseworkers: 15\n  caseworkers: 3\n")
    refused(invoke("run", path), "duplicate key 'caseworkers'", "line 4", "line 3")
    nested = write(tmp_path, "work:\n  inquiry: {sla_hours: 4}\nwork:\n  followup: {}\n", "b.yaml")
    refused(invoke("run", nested), "duplicate key 'work'")


def test_an_empty_config_is_refused_unless_it_extends_another(tmp_path: Path) -> None:
    for text in ("", "# nothing here\n", "{}\n"):
        refused(invoke("run", write(tmp_path, text)), "empty config")
    child = write(tmp_path, f"extends: {BASELINE}\n", "child.yaml")
    assert load_config(child) == load_config(BASELINE)


def test_a_set_value_that_is_not_yaml_is_an_error() -> None:
    refused(invoke("run", BASELINE, "--set", "name={oops"), "--set name", "not valid YAML")
    refused(invoke("run", BASELINE, "--set", "staff=[1, 2"), "--set staff")


@pytest.mark.parametrize(
    ("setting", "field"),
    [
        ("seed=true", "seed"),
        ("staff.caseworkers=false", "staff.caseworkers"),
        ("work.inquiry.arrivals_per_day=true", "arrivals_per_day"),
        ("calendar.always_open=1", "calendar.always_open"),
        ("calendar.always_open=yes_please", "calendar.always_open"),
        ("steering.review.redirect_caseworkers=true", "redirect_caseworkers"),
        ("work.inquiry.weekday_profile=[1, 1, true, 1, 1, 0, 0]", "weekday_profile"),
        ("work.inquiry.duration_minutes={dist: empirical, values: [1, true]}", "values"),
    ],
)
def test_numbers_and_flags_have_strict_kinds(setting: str, field: str) -> None:
    refused(invoke("run", BASELINE, "--set", setting), field)


def test_a_directory_is_not_a_config() -> None:
    refused(invoke("run", ROOT / "configs"), "is a directory")
    refused(invoke("sweep", ROOT / "experiments"), "is a directory")


@pytest.mark.parametrize(
    ("option", "value", "shown"),
    [("--days", "nan", "--days"), ("--days", "inf", "--days"), ("--warmup-days", "nan", "--warm")],
)
def test_options_are_named_as_typed(option: str, value: str, shown: str) -> None:
    line = refused(invoke("run", BASELINE, option, value), shown)
    assert "--set" not in line


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("run",), "Missing argument 'CONFIG'"),
        (("runn", BASELINE), "No such command"),
        (("run", BASELINE, "--days", "-3"), "--days"),
        (("run", BASELINE, "--seed", "x"), "--seed"),
        (("staff", BASELINE, "--confidence", "nan"), "--confidence"),
        (
            ("sweep", ROOT / "experiments" / "staffing.yaml", "--target-half-width", "inf"),
            "--target",
        ),
    ],
)
def test_usage_errors_are_one_line_too(args: tuple[object, ...], shown: str) -> None:
    refused(invoke(*args), shown)


def test_error_lines_are_short_and_free_of_internal_names(tmp_path: Path) -> None:
    huge = write(tmp_path, "calendar:\n  holidays: '" + "2025-01-01 " * 350_000 + "'\n")
    assert huge.stat().st_size > 3_800_000
    refused(invoke("run", huge), "calendar.holidays")
    bad_date = write(tmp_path, "calendar:\n  holidays: ['" + "9" * 100_000 + "']\n", "b.yaml")
    refused(invoke("run", bad_date), "calendar.holidays")
    for setting in ("steering.review.redirect_caseworkers=some", "steering.review.grace_days=x"):
        line = refused(invoke("run", BASELINE, "--set", setting))
        for internal in (".int", "literal", "function-", "policy_col"):
            assert internal not in line, line


# --- specs ------------------------------------------------------------------------


def spec_file(tmp_path: Path, body: str) -> Path:
    return write(
        tmp_path,
        f"base: {BASELINE}\nhorizon_days: 20\nwarmup_days: 5\nreplications: 2\n{body}",
        "s.yaml",
    )


def test_two_scenarios_with_one_name_are_refused(tmp_path: Path) -> None:
    spec = spec_file(
        tmp_path,
        "scenarios:\n  a: {staff.caseworkers: 10}\n  a: {staff.caseworkers: 20}\n",
    )
    refused(invoke("sweep", spec, "--out", tmp_path / "o"), "duplicate key 'a'")
    assert not (tmp_path / "o").exists()


def test_duplicate_grid_values_are_refused(tmp_path: Path) -> None:
    spec = spec_file(tmp_path, "grid:\n  staff.caseworkers: [14, 16, 14]\n")
    refused(invoke("sweep", spec, "--out", tmp_path / "o"), "staff.caseworkers", "twice")


@pytest.mark.parametrize("name", ["../../escape", "/tmp/abs", "a/b", "..", "", "x" * 101])
def test_spec_names_are_plain_names(tmp_path: Path, name: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    spec = spec_file(tmp_path, f"name: '{name}'\n")
    refused(invoke("sweep", spec), "name")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_an_infinite_grid_value_leaves_nothing_behind(tmp_path: Path) -> None:
    spec = spec_file(tmp_path, "grid:\n  work.inquiry.sla_hours: [24, .inf]\n")
    refused(invoke("sweep", spec, "--out", tmp_path / "o"), "grid.work.inquiry.sla_hours")
    assert not (tmp_path / "o").exists()


def test_an_empty_spec_is_refused(tmp_path: Path) -> None:
    refused(invoke("sweep", write(tmp_path, "", "s.yaml")), "empty spec")


# --- the README's limits are the schema's -----------------------------------------


def _bounds(model: type, prefix: str = "") -> list[tuple[str, float]]:
    """(dotted path, upper bound) of every bounded config field, outside distributions."""
    import typing

    import annotated_types as at
    from pydantic import BaseModel

    from officeq.config.distributions import Exponential

    out = []
    for name, f in model.model_fields.items():
        path = f"{prefix}{name}"
        for m in f.metadata:
            if isinstance(m, at.Le | at.Lt) and isinstance(m, at.Le) and m.le not in (1,):
                out.append((path, m.le))
        for a in (f.annotation, *typing.get_args(f.annotation)):
            inner = typing.get_args(a) or (a,)
            for t in inner:
                if isinstance(t, type) and issubclass(t, BaseModel) and t is not Exponential:
                    if t.__module__.endswith("distributions"):
                        continue
                    group = ".<group>" if name == "groups" else ""
                    out += _bounds(t, f"{path}{group}.")
    return out


def test_readme_limits_table_lists_every_bound_of_the_schema() -> None:
    import datetime as dt

    from officeq.config.base import MAX_INTERVAL_DAYS, MAX_MINUTES
    from officeq.config.schema import Config

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Limits", 1)[1].split("## Bad input", 1)[0]
    rows = [r for r in section.splitlines() if r.startswith("| ") and "`" in r]
    bounds = [(p, b) for p, b in _bounds(Config) if p not in ("seed", "start_date")]
    bounds += [("duration_minutes", MAX_MINUTES), ("interval_days", MAX_INTERVAL_DAYS)]
    assert len(bounds) > 20
    for path, bound in bounds:
        if isinstance(bound, dt.date):
            shown = bound.isoformat()
        else:
            shown = f"{int(bound):,}" if float(bound).is_integer() else f"{bound:g}"
        matching = [r for r in rows if _row_names(r, path)]
        assert matching, f"README's Limits table does not list {path}"
        assert any(f"| {shown} " in r or f"| {shown};" in r for r in matching), (path, shown)


def _row_names(row: str, path: str) -> bool:
    """True when a Limits row names ``path`` (in full, or by its last part beside a sibling)."""
    parent, _, last = path.rpartition(".")
    first = row.split("`")[1]
    same_parent = first.rpartition(".")[0] == parent
    return f"`{path}`" in row or (f"`{last}`" in row and same_parent) or path in first


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("work=3", "must be a section of fields"),
        ("calendar.opening_hours=x", "must be a section of fields"),
        ("work.inquiry.duration_minutes=5", "must be a distribution"),
    ],
)
def test_a_value_where_a_section_belongs_says_so_without_class_names(
    setting: str, words: str
) -> None:
    line = refused(invoke("run", BASELINE, "--set", setting), words)
    assert "Config" not in line and "instance of" not in line


def test_the_python_api_names_fields_as_passed_and_refuses_non_configs() -> None:
    import officeq

    with pytest.raises(ConfigError) as e:
        officeq.run(BASELINE, seed=-1)
    assert e.value.field == "seed"
    with pytest.raises(ConfigError) as e:
        officeq.load_config(BASELINE, horizon_days=math.nan)
    assert e.value.field == "horizon_days"
    with pytest.raises(TypeError, match="YAML file's path, a dict of fields or a Config"):
        officeq.run(None)  # type: ignore[arg-type]


def test_warmup_checks_its_series_and_size_before_any_pilot_runs(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import officeq.measure.run as measure_run

    def no_run(*_a: object, **_k: object) -> None:
        raise AssertionError("a pilot ran")

    monkeypatch.setattr(measure_run, "run", no_run)
    refused(invoke("warmup", BASELINE, "--series", "nope"), "--series", "'nope'")
    refused(invoke("warmup", BASELINE, "--series", "date"), "--series")
    refused(
        invoke(
            "warmup", BASELINE, "--days", "3650", "--set", "work.inquiry.arrivals_per_day=100000"
        ),
        "work.inquiry.arrivals_per_day",
        "--force",
    )
