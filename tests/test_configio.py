"""Reading configs: YAML files, ``--set`` overrides and one-line ConfigErrors."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from officeq.config.loading import ConfigError, apply_overrides, load_config, parse_override
from officeq.config.schema import Config

ROOT = Path(__file__).resolve().parents[1]
CONFIG_FILES = sorted(p for ext in ("yaml", "yml") for p in (ROOT / "configs").rglob(f"*.{ext}"))


def write(tmp_path: Path, text: str, name: str = "office.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- parse_override ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("staff.caseworkers=12", "staff.caseworkers", 12),
        ("staff.admin_share=0.45", "staff.admin_share", 0.45),
        ("work.inquiry.weekday_profile=null", "work.inquiry.weekday_profile", None),
        ("work.inquiry.weekday_profile=", "work.inquiry.weekday_profile", None),
        ("policy.order=[inquiry, followup]", "policy.order", ["inquiry", "followup"]),
        ("policy.name=fifo", "policy.name", "fifo"),
        ("name='12'", "name", "12"),
        ("work.inquiry.duration_minutes={dist: fixed, value: 5}", "work.inquiry.duration_minutes",
         {"dist": "fixed", "value": 5}),
        ("calendar.always_open=true", "calendar.always_open", True),
        ("name=a=b", "name", "a=b"),  # split on the first '=' only
        (" staff.caseworkers = 7", "staff.caseworkers", 7),
    ],
)  # fmt: skip
def test_parse_override_parses_yaml_values(text: str, path: str, value: object) -> None:
    assert parse_override(text) == (path, value)


def test_parse_override_value_types() -> None:
    assert type(parse_override("a=3")[1]) is int
    assert type(parse_override("a=3.0")[1]) is float
    assert type(parse_override("a=three")[1]) is str


@pytest.mark.parametrize("text", ["novalue", "=3", "a..b=1", ".a=1", "a.=1"])
def test_parse_override_rejects_malformed(text: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_override(text)
    assert info.value.source == "--set"
    assert text in str(info.value)


# --- apply_overrides --------------------------------------------------------


def test_apply_overrides_does_not_mutate_input() -> None:
    data = {"staff": {"caseworkers": 3}, "calendar": {"holidays": ["01-01"]}}
    before = copy.deepcopy(data)
    out = apply_overrides(data, [("staff.caseworkers", 5), ("calendar.always_open", True)], "f")
    assert data == before
    assert out == {
        "staff": {"caseworkers": 5},
        "calendar": {"holidays": ["01-01"], "always_open": True},
    }
    # a deep copy: nothing inside is shared with the input
    assert out["staff"] is not data["staff"]
    out["calendar"]["holidays"].append("12-25")
    assert data["calendar"]["holidays"] == ["01-01"]


def test_apply_overrides_without_overrides_is_a_copy() -> None:
    data = {"staff": {"caseworkers": 3}}
    out = apply_overrides(data, [], "f")
    assert out == data
    assert out is not data
    assert out["staff"] is not data["staff"]


def test_apply_overrides_creates_intermediate_sections() -> None:
    out = apply_overrides({"name": "x"}, [("work.inquiry.duration_minutes.mean", 12)], "f")
    assert out == {"name": "x", "work": {"inquiry": {"duration_minutes": {"mean": 12}}}}


def test_apply_overrides_replaces_null_section() -> None:
    out = apply_overrides({"staff": None}, [("staff.caseworkers", 4)], "f")
    assert out == {"staff": {"caseworkers": 4}}


def test_apply_overrides_later_override_wins() -> None:
    out = apply_overrides({}, [("staff.caseworkers", 4), ("staff.caseworkers", 6)], "f")
    assert out == {"staff": {"caseworkers": 6}}


@pytest.mark.parametrize(
    ("data", "path", "scalar"),
    [
        ({"staff": {"caseworkers": 3}}, "staff.caseworkers.x", "staff.caseworkers"),
        ({"name": "office"}, "name.first.last", "name"),
        ({"calendar": {"holidays": ["01-01"]}}, "calendar.holidays.x", "calendar.holidays"),
    ],
)
def test_apply_overrides_refuses_to_descend_into_a_value(
    data: dict, path: str, scalar: str
) -> None:
    before = copy.deepcopy(data)
    with pytest.raises(ConfigError) as info:
        apply_overrides(data, [(path, 1)], "office.yaml")
    err = info.value
    assert err.source == "office.yaml"
    assert path in err.field
    assert scalar in err.message
    assert data == before


# --- load_config ------------------------------------------------------------


def test_load_config_override_reaches_default_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "name: small\nwork:\n  inquiry:\n    arrivals_per_day: 50\n")
    cfg = load_config(path, ["work.inquiry.duration_minutes.mean=12"])
    dur = cfg.work.inquiry.duration_minutes
    assert dur.mean == 12
    # the rest of the default lognormal survives
    default = Config().work.inquiry.duration_minutes
    assert dur.dist == default.dist == "lognormal"
    assert dur.cv == default.cv
    assert cfg.work.inquiry.arrivals_per_day == 50
    assert cfg.name == "small"


def test_load_config_override_reaches_default_group(tmp_path: Path) -> None:
    path = write(tmp_path, "name: small\n")
    cfg = load_config(path, ["work.followup.groups.standard.exit_to_work_per_year=2"])
    assert cfg.work.followup.groups["standard"].exit_to_work_per_year == 2
    assert set(cfg.work.followup.groups) == set(Config().work.followup.groups)


def test_load_config_fields_replace_top_level(tmp_path: Path) -> None:
    path = write(tmp_path, "seed: 3\nhorizon_days: 100\nwarmup_days: 10\n")
    cfg = load_config(path, (), seed=9, horizon_days=None, warmup_days=2)
    assert (cfg.seed, cfg.horizon_days, cfg.warmup_days) == (9, 100, 2)


def test_load_config_refuses_an_empty_file(tmp_path: Path) -> None:
    for text in ("", "# only a comment\n", "{}\n"):
        with pytest.raises(ConfigError, match="empty config"):
            load_config(write(tmp_path, text))


def test_load_config_override_repairs_invalid_file(tmp_path: Path) -> None:
    path = write(tmp_path, "staff:\n  caseworkers: many\n")
    assert load_config(path, ["staff.caseworkers=4"]).staff.caseworkers == 4


def test_load_config_override_error_names_set(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, ["staff.caseworkers=-1"])
    assert str(path) in str(info.value)
    assert "--set staff.caseworkers" in str(info.value)


def test_config_error_attributes_and_message() -> None:
    err = ConfigError("a.yaml", "staff.caseworkers", "too few")
    assert (err.source, err.field, err.message) == ("a.yaml", "staff.caseworkers", "too few")
    assert str(err) == "a.yaml: staff.caseworkers: too few"
    assert str(ConfigError("a.yaml", None, "no such file")) == "a.yaml: no such file"
    assert isinstance(err, ValueError)


_GROUPS_NOT_SUMMING = """\
work:
  followup:
    groups:
      standard:
        share: 0.5
        interval_days: 90
        duration_minutes: {dist: fixed, value: 30}
      situational:
        share: 0.4
        interval_days: 30
        duration_minutes: {dist: fixed, value: 60}
"""


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        pytest.param("staff:\n  caseworkerz: 3\n", ["staff.caseworkerz"], id="extra-field"),
        pytest.param(
            "work:\n  inquiry:\n    arival_per_day: 100\n",
            ["work.inquiry.arival_per_day"],
            id="extra-nested-field",
        ),
        pytest.param(
            "work:\n  inquiry:\n    arrivals_per_day: -3\n",
            ["work.inquiry.arrivals_per_day"],
            id="negative-rate",
        ),
        pytest.param(
            "work:\n  income_support:\n    deadline_days: -1\n",
            ["work.income_support.deadline_days"],
            id="negative-deadline",
        ),
        pytest.param(
            _GROUPS_NOT_SUMMING, ["work.followup", "work.followup.groups"], id="shares-sum"
        ),
        pytest.param(
            "work:\n  inquiry:\n    duration_minutes: {dist: weibull, mean: 8}\n",
            ["work.inquiry.duration_minutes"],
            id="unknown-dist",
        ),
        pytest.param(
            "calendar:\n  opening_hours:\n    mon: '8-15'\n",
            ["calendar.opening_hours.mon"],
            id="opening-hours",
        ),
        pytest.param(
            "calendar:\n  holidays: ['2025-13-01']\n", ["calendar.holidays"], id="bad-holiday"
        ),
        pytest.param("policy:\n  name: round_robin\n", ["policy.name"], id="unknown-policy"),
        pytest.param("staff:\n  caseworkers: many\n", ["staff.caseworkers"], id="wrong-type"),
    ],
)
def test_config_error_names_file_and_field(tmp_path: Path, text: str, fields: list[str]) -> None:
    path = write(tmp_path, text, "my_office.yaml")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    err = info.value
    message = str(err)
    assert "my_office.yaml" in message
    assert err.source == str(path)
    assert err.field in fields
    assert f": {err.field}: " in message
    assert "\n" not in message


def test_config_error_shares_mentions_sum(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"sum"):
        load_config(write(tmp_path, _GROUPS_NOT_SUMMING))


def test_config_error_unknown_dist_mentions_weibull(tmp_path: Path) -> None:
    text = "work:\n  inquiry:\n    duration_minutes: {dist: weibull, mean: 8}\n"
    with pytest.raises(ConfigError, match="weibull"):
        load_config(write(tmp_path, text))


def test_config_error_bad_holiday_names_the_date(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="2025-13-01"):
        load_config(write(tmp_path, "calendar:\n  holidays: ['2025-13-01']\n"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("staff: [\n", "not valid YAML", id="yaml-syntax"),
        pytest.param("- a\n- b\n", "mapping", id="top-level-list"),
        pytest.param("horizon_days: 10\nwarmup_days: 10\n", "warmup_days", id="warmup"),
    ],
)
def test_config_error_without_field(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.field is None
    assert str(info.value).startswith(f"{path}: ")
    assert expected in str(info.value)


def test_config_error_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}: no such file"


def test_unquoted_holiday_date_is_accepted(tmp_path: Path) -> None:
    text = "start_date: 2025-12-01\nhorizon_days: 30\nwarmup_days: 0\n"  # within 2025
    path = write(tmp_path, text + "calendar:\n  holidays:\n    - 2025-12-24\n")
    cfg = load_config(path)
    assert cfg.calendar.holidays == ("2025-12-24",)


# --- every shipped config ---------------------------------------------------


def test_configs_folder_is_not_empty() -> None:
    assert ROOT / "configs" / "baseline.yaml" in CONFIG_FILES


@pytest.mark.parametrize("path", CONFIG_FILES, ids=[str(p.relative_to(ROOT)) for p in CONFIG_FILES])
def test_every_shipped_config_loads(path: Path) -> None:
    assert isinstance(load_config(path), Config)
