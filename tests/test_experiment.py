"""Experiment specs: pure expansion, seeds, and errors that name the spec and path."""

from __future__ import annotations

from pathlib import Path

import pytest

from officeq.config.loading import ConfigError, read_yaml
from officeq.experiments.spec import Spec, expand, load_spec, replication_seed

ROOT = Path(__file__).resolve().parent.parent
BASE = read_yaml(ROOT / "configs" / "baseline.yaml")


def spec(**kw: object) -> Spec:
    return Spec.model_validate({"base": "x.yaml", **kw})


def test_grid_is_a_full_factorial_with_a_column_per_path() -> None:
    exp = expand(
        spec(grid={"staff.caseworkers": [12, 14, 16], "policy.name": ["fifo", "needs_based"]}),
        BASE,
        "s.yaml",
    )
    assert len(exp.scenarios) == 6
    assert exp.param_columns == ["staff_caseworkers", "policy_name"]
    first = exp.scenarios[0]
    assert first.params == {"staff_caseworkers": 12, "policy_name": "fifo"}
    assert first.config.staff.caseworkers == 12 and first.config.policy.name == "fifo"
    assert [s.id for s in exp.scenarios] == list(range(6))
    assert len({s.name for s in exp.scenarios}) == 6


def test_named_scenarios_cross_the_grid() -> None:
    exp = expand(
        spec(
            grid={"staff.caseworkers": [12, 14]},
            scenarios={"now": {}, "next_year": {"work.inquiry.arrivals_per_day": 150}},
        ),
        BASE,
        "s.yaml",
    )
    assert len(exp.scenarios) == 4
    assert exp.param_columns == ["variant", "staff_caseworkers"]
    busy = [s for s in exp.scenarios if s.params["variant"] == "next_year"]
    assert all(s.config.work.inquiry.arrivals_per_day == 150 for s in busy)


def test_expansion_leaves_the_base_untouched_and_applies_run_length() -> None:
    before = repr(BASE)
    exp = expand(
        spec(grid={"staff.caseworkers": [3]}, horizon_days=50, warmup_days=5), BASE, "s.yaml"
    )
    assert repr(BASE) == before
    assert exp.scenarios[0].config.horizon_days == 50


def test_replication_seed_is_shared_by_scenarios_and_differs_between_replications() -> None:
    seeds = [replication_seed(2025, r) for r in range(50)]
    assert len(set(seeds)) == 50
    assert replication_seed(2025, 3) == replication_seed(2025, 3)
    assert replication_seed(2026, 3) != replication_seed(2025, 3)


def test_fingerprint_ignores_replications_but_not_the_question() -> None:
    a = expand(spec(grid={"staff.caseworkers": [12]}), BASE, "s")
    b = expand(spec(grid={"staff.caseworkers": [12]}, replications=50), BASE, "s")
    c = expand(spec(grid={"staff.caseworkers": [13]}), BASE, "s")
    assert a.fingerprint == b.fingerprint != c.fingerprint


@pytest.mark.parametrize(
    "body, field",
    [
        (
            "base: ../configs/baseline.yaml\ngrid: {staff.casewrkers: [1, 2]}\n",
            "grid.staff.casewrkers",
        ),
        (
            "base: ../configs/baseline.yaml\ngrid: {staff.caseworkers: [-1]}\n",
            "grid.staff.caseworkers",
        ),
        (
            "base: ../configs/baseline.yaml\nscenarios: {busy: {work.inquiry.rate: 3}}\n",
            "scenarios.busy.work.inquiry.rate",
        ),
        ("base: ../configs/baseline.yaml\ngrids: {}\n", "grids"),
        ("base: ../configs/nope.yaml\n", "base"),
        ("base: ../configs/baseline.yaml\ngrid: {staff.caseworkers: []}\n", "grid"),
    ],
)
def test_bad_specs_name_the_file_and_the_path(tmp_path: Path, body: str, field: str) -> None:
    d = tmp_path / "experiments"
    d.mkdir()
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "baseline.yaml").write_text(
        (ROOT / "configs" / "baseline.yaml").read_text()
    )
    path = d / "bad.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError) as e:
        load_spec(path)
    assert str(path) in str(e.value)
    assert field in str(e.value)


@pytest.mark.parametrize(
    "path", sorted((ROOT / "experiments").glob("*.yaml")), ids=lambda p: p.name
)
def test_shipped_experiments_expand(path: Path) -> None:
    exp = load_spec(path)
    assert len(exp.scenarios) >= 2
    assert exp.spec.replications >= 2
