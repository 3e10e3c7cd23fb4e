"""'Did you mean ...?' for misspelt config and spec fields, metrics and plot kinds:
one line, exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import invoke, one_line_error

from officeq.config.schema import Config
from officeq.config.suggest import did_you_mean, field_names
from officeq.experiments.advisor import parse_target

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"


def test_the_closest_name_or_nothing() -> None:
    assert did_you_mean("casewrokers", ["caseworkers", "admin_share"]) == (
        "; did you mean 'caseworkers'?"
    )
    assert did_you_mean("zzzz", ["caseworkers", "admin_share"]) == ""


def test_field_names_follow_the_schema_into_sections_mappings_and_lists() -> None:
    assert "caseworkers" in field_names(Config, ("staff",))
    assert set(Config.model_fields) <= set(field_names(Config, ()))
    group = field_names(Config, ("work", "followup", "groups", "standard"))
    assert "interval_days" in group and "share" in group
    assert field_names(Config, ("no_such_section",)) == []


@pytest.mark.parametrize(
    ("setting", "suggestion"),
    [
        ("staff.casewrokers=3", "caseworkers"),
        ("work.followup.groups.standard.shaer=0.5", "share"),
        ("horizon_dayz=30", "horizon_days"),
    ],
)
def test_a_misspelt_config_field_is_named_with_the_right_one(setting: str, suggestion: str) -> None:
    line = one_line_error(invoke("run", BASELINE, "--set", setting), "unknown field")
    assert line.endswith(f"did you mean {suggestion!r}?"), line


def test_a_misspelt_field_in_a_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"extends: {BASELINE}\nstaff:\n  casworkers: 12\n", encoding="utf-8")
    one_line_error(invoke("run", cfg), "c.yaml", "staff.casworkers", "did you mean 'caseworkers'?")


def test_a_misspelt_spec_field(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(f"base: {BASELINE}\nreplication: 3\n", encoding="utf-8")
    one_line_error(invoke("sweep", spec, "--out", tmp_path / "o"), "did you mean 'replications'?")
    assert not (tmp_path / "o").exists()


def test_a_misspelt_metric_or_kind(tmp_path: Path) -> None:
    one_line_error(invoke("plot", tmp_path, "--kind", "frontiers"), "did you mean 'frontier'?")
    with pytest.raises(ValueError, match="did you mean 'inquiry_sla_hit_rate'"):
        parse_target("inquiry_sla_hit_rat>=0.9", ["standard"])
    spec = tmp_path / "s.yaml"
    spec.write_text(f"base: {BASELINE}\nreplications: 2\n", encoding="utf-8")
    r = invoke(
        "sweep",
        spec,
        "--metric",
        "followup_backlog_meen",
        "--target-half-width",
        0.1,
        "--out",
        tmp_path / "o",
    )
    one_line_error(r, "did you mean 'followup_backlog_mean'?")
