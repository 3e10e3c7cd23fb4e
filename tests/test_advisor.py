"""The staffing advisor: decisions, Erlang C agreement, monotone answers, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from officeq.cli import main
from officeq.config.loading import load_config
from officeq.experiments.advisor import Level, TargetSpec, advise, analytic_baseline, parse_target
from officeq.measure.run import run
from officeq.validation import theory

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ("standard", "situational", "specially_adapted", "permanently_adapted")


def runner(configs):  # type: ignore[no-untyped-def]
    return [run(c).summary for c in configs]


def test_parse_target() -> None:
    t = parse_target("inquiry_sla_hit_rate>=0.9", GROUPS)
    assert (t.metric, t.op, t.value) == ("inquiry_sla_hit_rate", ">=", 0.9)
    assert parse_target(" followup_backlog_mean <= 50 ", GROUPS).op == "<="
    with pytest.raises(ValueError, match="unknown metric 'hit_rate'"):
        parse_target("hit_rate>=0.9", GROUPS)
    with pytest.raises(ValueError, match="must look like"):
        parse_target("inquiry_sla_hit_rate > 0.9", GROUPS)


def test_verdict_uses_one_sided_bounds() -> None:
    t = TargetSpec("x", ">=", 0.9)
    clear = Level(10, {"x": [0.95, 0.96, 0.94, 0.95]})
    close = Level(10, {"x": [0.91, 0.89, 0.92, 0.88]})
    short = Level(10, {"x": [0.5, 0.52, 0.51, 0.49]})
    assert clear.verdict([t], 0.95) is True
    assert close.verdict([t], 0.95) is None  # needs more replications
    assert short.verdict([t], 0.95) is False
    assert Level(1, {"x": [0.99]}).verdict([t], 0.95) is None  # one run decides nothing
    both = [t, TargetSpec("y", "<=", 10)]
    assert Level(1, {"x": [0.95] * 4, "y": [20, 21, 19, 20]}).verdict(both, 0.95) is False


@pytest.mark.parametrize("target", [0.05, 0.02, 0.01])
def test_mmc_answer_is_the_erlang_c_minimum(target: float) -> None:
    cfg = load_config(
        ROOT / "configs/validation/mmc.yaml",
        ["work.inquiry.arrivals_per_day=648"],
        horizon_days=30,
        warmup_days=3,
    )
    lam, mu = 27.0, 6.0
    c_star = theory.erlang_c_min_servers(lam, mu, target)
    a = advise(
        cfg, [TargetSpec("inquiry_wait_hours_mean", "<=", target)], runner, lo=5, hi=12, cap=30
    )
    assert a.caseworkers is not None
    if a.caseworkers != c_star:
        # one more only where the target lies inside the confidence interval at c*
        assert a.caseworkers == c_star + 1
        _mean, low, high = a.levels[c_star].interval("inquiry_wait_hours_mean")
        assert low <= target <= high
    assert (
        analytic_baseline(cfg, [TargetSpec("inquiry_wait_hours_mean", "<=", target)]).erlang_c
        == c_star
    )


def test_loosening_a_target_never_asks_for_more_staff() -> None:
    cfg = load_config(ROOT / "configs/small_rural.yaml", horizon_days=80, warmup_days=10)
    answers = []
    for limit in (2.0, 5.0, 20.0):  # looser and looser
        a = advise(
            cfg, [TargetSpec("followup_backlog_mean", "<=", limit)], runner, lo=1, hi=8, cap=12
        )
        answers.append(a.caseworkers if a.caseworkers is not None else 99)
    assert answers == sorted(answers, reverse=True), answers


def test_unreachable_target_is_reported_with_the_best_level() -> None:
    cfg = load_config(ROOT / "configs/small_rural.yaml", horizon_days=30, warmup_days=5)
    a = advise(cfg, [TargetSpec("inquiry_sla_hit_rate", ">=", 0.999)], runner, lo=3, hi=5, cap=6)
    assert a.caseworkers is None and a.best == 5 and 5 in a.levels


def test_staff_command_json_and_errors(tmp_path: Path) -> None:
    cli = CliRunner()
    args = [
        "staff",
        str(ROOT / "configs/small_rural.yaml"),
        "--set",
        "horizon_days=40",
        "--set",
        "warmup_days=5",
        "--min",
        "2",
        "--max",
        "6",
        "--workers",
        "1",
        "--max-replications",
        "8",
        "--policy",
        "deadline_first",
        "--policy",
        "needs_based",
    ]
    result = cli.invoke(main, [*args, "--target", "followup_backlog_mean<=20", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output[result.output.index("{") :])
    assert set(doc) == {"deadline_first", "needs_based"}
    for v in doc.values():
        assert set(v) == {"caseworkers", "metrics", "runs"} and v["runs"] > 0
        assert v["caseworkers"] is None or 2 <= v["caseworkers"] <= 6
    bad = cli.invoke(main, [*args, "--target", "hit_rate>=0.9"])
    assert bad.exit_code == 2 and "hit_rate" in bad.output
    # targets from a spec's targets: block
    spec = tmp_path / "s.yaml"
    spec.write_text(
        f"base: {ROOT / 'configs/small_rural.yaml'}\nhorizon_days: 30\n"
        "warmup_days: 5\ntargets: ['followup_backlog_mean<=50']\n"
    )
    result = cli.invoke(
        main,
        [
            "staff",
            str(spec),
            "--min",
            "3",
            "--max",
            "5",
            "--workers",
            "1",
            "--max-replications",
            "6",
            "--json",
            "--out",
            str(tmp_path / "staff"),
        ],
    )
    assert result.exit_code == 0, result.output
    # its folder: the levels it ran and its answer, no daily series; plot reads it
    answer = json.loads(result.output[result.output.index("{") :])
    assert not (tmp_path / "staff" / "daily.parquet").exists()
    spec = yaml.safe_load((tmp_path / "staff" / "spec.resolved.yaml").read_text())
    assert spec["advisor"]["answer"] == {k: v["caseworkers"] for k, v in answer.items()}
    png = tmp_path / "staffing.png"
    drawn = cli.invoke(
        main, ["plot", str(tmp_path / "staff"), "--kind", "staffing", "--out", str(png)]
    )
    assert drawn.exit_code == 0, drawn.output
    assert png.stat().st_size > 0
    refused = cli.invoke(main, ["plot", str(tmp_path / "staff"), "--kind", "backlog"])
    assert refused.exit_code == 2 and "no" in refused.output and "daily" in refused.output
