"""Sweeps of named scenarios with their own config files, `officeq table`, and the
staffing figures with named scenarios as series."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from officeq.cli import main
from officeq.config.loading import ConfigError
from officeq.experiments.compare import CompareError, metric_table, paired_differences, parse_where
from officeq.experiments.folders import load_results
from officeq.experiments.spec import load_spec
from officeq.figures.kinds import make_figure
from officeq.validation.stats import t_interval

ROOT = Path(__file__).resolve().parent.parent


def write_spec(tmp: Path, scenarios: str) -> Path:
    regimes = ROOT / "configs" / "regimes"
    spec = tmp / "spec.yaml"
    spec.write_text(
        f"""name: tiny_regimes
base: {regimes / "few_targets.yaml"}
replications: 3
seed: 7
horizon_days: 70
warmup_days: 10
scenarios:
{scenarios.format(regimes=regimes)}
grid:
  staff.caseworkers: [14, 17]
"""
    )
    return spec


SCENARIOS = """  strong: {{config: {regimes}/strong_targets.yaml}}
  few: {{}}
  professional: {{config: {regimes}/professional.yaml}}"""


@pytest.fixture(scope="module")
def regimes_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("regimes")
    out = tmp / "out"
    result = CliRunner().invoke(
        main, ["sweep", str(write_spec(tmp, SCENARIOS)), "--workers", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def test_a_named_scenario_starts_from_its_own_config(tmp_path: Path) -> None:
    exp = load_spec(write_spec(tmp_path, SCENARIOS))
    by_variant = {s.params["variant"]: s.config for s in exp.scenarios}
    assert by_variant["strong"].name == "strong_targets"
    assert len(by_variant["strong"].steering.indicators) == 4
    assert by_variant["professional"].policy.name == "needs_based"
    assert by_variant["few"].name == "few_targets"  # the spec's base
    assert all(c.horizon_days == 70 for c in by_variant.values())  # spec overrides reach all
    assert "scenario_configs" in exp.resolved  # part of the fingerprint for --resume


def test_a_missing_scenario_config_names_the_scenario(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"scenarios\.gone\.config: config 'nowhere\.yaml'"):
        load_spec(write_spec(tmp_path, "  gone: {{config: nowhere.yaml}}"))


def test_paired_differences_equal_the_interval_of_the_per_replication_differences(
    regimes_sweep: Path,
) -> None:
    runs = pd.read_parquet(regimes_sweep / "runs.parquet")
    params = ["variant", "staff_caseworkers"]
    metric = "followup_backlog_mean"
    table = paired_differences(runs, params, [metric], {"variant": "few"})
    assert set(table["variant"]) == {"strong", "professional"}
    row = table[(table["variant"] == "strong") & (table["staff_caseworkers"] == 14)].iloc[0]
    a = runs[(runs.variant == "strong") & (runs.staff_caseworkers == 14)].sort_values("replication")
    b = runs[(runs.variant == "few") & (runs.staff_caseworkers == 14)].sort_values("replication")
    expected = t_interval(a[metric].to_numpy() - b[metric].to_numpy())
    assert row["difference"] == pytest.approx(expected.mean)
    assert row["ci_low"] == pytest.approx(expected.low) and row["n"] == 3
    means = metric_table(runs, params, [metric], {"staff_caseworkers": 17})
    assert len(means) == 3 and np.isclose(
        means.loc[means.variant == "strong", "mean"].iloc[0],
        runs[(runs.variant == "strong") & (runs.staff_caseworkers == 17)][metric].mean(),
    )


def test_table_command_prints_markdown_and_tidy_csv(regimes_sweep: Path) -> None:
    r = CliRunner().invoke(
        main,
        ["table", str(regimes_sweep), "--metric", "directives_issued", "--format", "markdown"],
    )
    assert r.exit_code == 0, r.output
    assert r.output.startswith("| variant | staff_caseworkers | directives_issued |")
    assert len(r.output.strip().splitlines()) == 2 + 6
    r = CliRunner().invoke(
        main,
        [
            *("table", str(regimes_sweep), "--metric", "inquiry_sla_hit_rate"),
            *("--versus", "variant=few", "--where", "staff_caseworkers=14", "--format", "csv"),
        ],
    )
    assert r.exit_code == 0, r.output
    lines = r.output.strip().splitlines()
    assert lines[0] == "variant,staff_caseworkers,metric,difference,ci_low,ci_high,n"
    assert len(lines) == 3


@pytest.mark.parametrize(
    "args, words",
    [
        (["--metric", "nope"], "'nope' is not a column"),
        (["--metric", "inquiry_sla_hit_rate", "--where", "staff_caseworkers=16"], "no value '16'"),
        (["--metric", "inquiry_sla_hit_rate", "--versus", "colour=red"], "COLUMN=VALUE"),
    ],
)
def test_table_command_bad_input_is_one_line_and_exit_2(
    regimes_sweep: Path, args: list[str], words: str
) -> None:
    r = CliRunner().invoke(main, ["table", str(regimes_sweep), *args])
    assert r.exit_code == 2
    assert words in r.output and len(r.output.strip().splitlines()) == 1


def test_parse_where_types_values_from_the_table() -> None:
    t = pd.DataFrame({"staff_caseworkers": [14, 17], "variant": ["a", "b"]})
    assert parse_where(["staff_caseworkers=17"], t) == {"staff_caseworkers": 17}
    with pytest.raises(CompareError):
        parse_where(["variant"], t)


@pytest.mark.parametrize("kind", ["frontier", "staffing"])
def test_staffing_figures_draw_one_series_per_named_scenario(regimes_sweep: Path, kind: str):
    fig = make_figure(load_results(regimes_sweep), kind)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["strong", "few", "professional"]
    assert ax.get_legend().get_title().get_text() == "named scenario"


def test_where_on_the_compared_column_keeps_the_reference(regimes_sweep: Path) -> None:
    runs = pd.read_parquet(regimes_sweep / "runs.parquet")
    params = ["variant", "staff_caseworkers"]
    table = paired_differences(
        runs, params, ["inquiry_sla_hit_rate"], {"variant": "few"}, {"variant": "strong"}
    )
    assert set(table["variant"]) == {"strong"} and len(table) == 2


def test_report_effects_are_paired_differences_averaged_over_the_other_columns(
    regimes_sweep: Path,
) -> None:
    from scipy import stats

    from officeq.figures.story import story

    res = load_results(regimes_sweep)
    runs = res.runs
    metric = "followup_backlog_mean"
    effect = next(
        e for e in story(res).effects if e.column == "staff_caseworkers" and e.metric == metric
    )
    assert (effect.start, effect.end) == (14, 17)
    # by hand: per replication, the 17-minus-14 difference averaged over the named scenarios
    wide = runs.pivot_table(
        index=["replication", "variant"], columns="staff_caseworkers", values=metric
    )
    per_rep = (wide[17] - wide[14]).groupby(level="replication").mean().to_numpy()
    half = stats.t.ppf(0.975, len(per_rep) - 1) * per_rep.std(ddof=1) / len(per_rep) ** 0.5
    assert effect.difference == pytest.approx(per_rep.mean())
    assert (effect.low, effect.high) == pytest.approx(
        (per_rep.mean() - half, per_rep.mean() + half)
    )
    # and the same as the mean of officeq table's paired differences, one per named scenario
    table = paired_differences(
        runs, ["variant", "staff_caseworkers"], [metric], {"staff_caseworkers": 14}
    )
    assert effect.difference == pytest.approx(table["difference"].mean())
    assert "averaged over 3 named scenarios" in effect.over


def test_steering_figure_of_one_run_and_one_line_errors_otherwise(
    tmp_path: Path, regimes_sweep: Path
) -> None:
    regimes = ROOT / "configs" / "regimes"
    out = tmp_path / "run"
    args = ["run", str(regimes / "strong_targets.yaml"), "--days", "90", "--out", str(out)]
    assert CliRunner().invoke(main, [*args, "--plots"]).exit_code == 0
    assert (out / "steering.png").stat().st_size > 0  # --plots draws it for a steered office
    fig = make_figure(load_results(out), "steering")
    top, middle, bottom = (ax for ax in fig.axes)
    assert [t.get_text() for t in top.get_legend().get_texts()][-1] == "target 90%"
    daily = pd.read_csv(out / "daily.csv")
    assert max(bottom.lines[0].get_ydata()) == daily["caseworkers_directed"].max() > 0
    assert len(middle.lines) == 2
    for folder, words in ((regimes_sweep, "one run's results"), (tmp_path / "plain", "steering")):
        if folder.name == "plain":
            plain = [
                "run",
                str(ROOT / "configs" / "baseline.yaml"),
                "--days",
                "30",
                "--warmup-days",
                "5",
            ]
            assert CliRunner().invoke(main, [*plain, "--out", str(folder)]).exit_code == 0
        r = CliRunner().invoke(main, ["plot", str(folder), "--kind", "steering"])
        assert r.exit_code == 2 and words in r.output
        assert not (folder / "steering.png").exists()
