"""The organisation figures (caseworkers, spread, gaps) from real run and sweep folders."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_helpers import invoke, older_run, run_commands
from matplotlib.figure import Figure

import officeq
from officeq.experiments.folders import Results, ResultsError, load_results
from officeq.figures import organisation as org
from officeq.figures.kinds import KINDS, FigureOptions, make_figure

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
POOLED = ROOT / "configs" / "variants" / "pooled.yaml"
SPEC = """name: organisation
base: {base}
replications: 2
seed: 2025
horizon_days: 60
warmup_days: 10
scenarios:
  pooled:
    work.followup.assignment: pooled
    work.followup.appointments.enabled: false
    staff.overtime: {{start_rule: always_start}}
  own: {{}}
  own_unbooked: {{work.followup.appointments.enabled: false}}
"""
MEASURED_DAYS = 50


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A sweep (pooled, own, own unbooked), an own run and a pooled run, side by side;
    and the own run as an older officeq wrote it (no caseworkers.csv)."""
    tmp = tmp_path_factory.mktemp("organisation")
    spec = tmp / "spec.yaml"
    spec.write_text(SPEC.format(base=BASELINE))
    days = ["--days", "60", "--warmup-days", "10"]
    cmds = [
        ["sweep", str(spec), "--workers", "1", "--out", str(tmp / "sweep")],
        ["run", str(BASELINE), *days, "--out", str(tmp / "run")],
        ["run", str(POOLED), *days, "--out", str(tmp / "pooled")],
    ]
    run_commands(cmds, tmp)
    old = older_run(tmp / "run", tmp / "old", "caseworkers.csv")
    return {"sweep": tmp / "sweep", "run": tmp / "run", "pooled": tmp / "pooled", "old": old}


@pytest.fixture(scope="module")
def run(folders: dict[str, Path]) -> Results:
    return load_results(folders["run"])


@pytest.fixture(scope="module")
def sweep(folders: dict[str, Path]) -> Results:
    return load_results(folders["sweep"])


def check_image(fig: Figure, tmp_path: Path) -> None:
    assert any(ax.get_title() for ax in fig.axes), "figure has no title"
    png = tmp_path / "fig.png"
    fig.savefig(png, dpi=40)
    assert png.read_bytes()[:4] == b"\x89PNG"


def gids(ax, prefix: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        str(ln.get_gid()).removeprefix(prefix): ln
        for ln in ax.get_lines()
        if str(ln.get_gid()).startswith(prefix)
    }


def test_the_kinds_are_listed() -> None:
    assert {"caseworkers", "spread", "gaps"} <= set(KINDS)
    help_text = invoke("plot", "--help").output
    for kind in ("caseworkers", "spread", "gaps"):
        assert kind in help_text


def test_caseworkers_one_bar_per_caseworker_largest_first(run: Results, tmp_path: Path) -> None:
    table = run.caseworkers
    assert table is not None and len(table) == 17
    fig = make_figure(run, "caseworkers")
    top, low = fig.axes
    want = (table["backlog_user_days"] / MEASURED_DAYS).sort_values(ascending=False)
    assert len(top.patches) == len(table)  # one bar per caseworker
    bars = sorted(top.patches, key=lambda p: p.get_x())
    np.testing.assert_allclose([b.get_height() for b in bars], want.to_numpy())
    away = table["days_absent"] + table["days_directed"] > 0
    assert sum(b.get_gid() == "away" for b in bars) == away.sum()
    assert sum(bool(b.get_hatch()) for b in bars) == away.sum()  # legible in greyscale
    (office,) = top.get_lines()
    assert office.get_ydata()[0] == pytest.approx(want.mean())
    ratio = want.max() / want.min()
    assert top.get_title().startswith(f"Largest own backlog is {ratio:.1f}× the smallest")
    assert len(low.patches) == 2 * len(table)  # days absent, and under a directive on top
    order = [t.get_text() for t in low.get_xticklabels()]
    assert order == [str(table.at[i, "caseworker"]) for i in want.index]
    assert "sorted by own backlog" in low.get_xlabel()
    check_image(fig, tmp_path)


def test_caseworkers_through_the_api_and_cli(folders: dict[str, Path], tmp_path: Path) -> None:
    assert len(officeq.plot(folders["run"], kind="caseworkers").axes) == 2
    out = tmp_path / "caseworkers.svg"
    result = invoke("plot", folders["run"], "--kind", "caseworkers", "--out", out)
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_caseworkers_refuses_a_pooled_run_an_old_run_and_a_sweep(
    folders: dict[str, Path], tmp_path: Path
) -> None:
    cases = [
        ("pooled", "pooled its follow-up users", "work.followup.assignment: own"),
        ("old", "needs caseworkers.csv", "run officeq run CONFIG --out DIR again"),
        ("sweep", "is for one run's results", "try --kind spread"),
    ]
    for name, what, fix in cases:
        res = load_results(folders[name])
        with pytest.raises(ResultsError) as e:
            make_figure(res, "caseworkers")
        message = str(e.value)
        assert what in message and fix in message and "\n" not in message
        out = tmp_path / f"{name}.png"
        result = invoke("plot", folders[name], "--kind", "caseworkers", "--out", out)
        assert result.exit_code == 2 and what in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and not out.exists()
    old = load_results(folders["old"])  # an older run still loads for the other kinds
    assert old.caseworkers is None and make_figure(old, "backlog")


def test_spread_one_dumbbell_per_scenario(sweep: Results, tmp_path: Path) -> None:
    runs = sweep.runs
    assert runs is not None and "staff_caseworkers" not in runs.columns
    fig = make_figure(sweep, "spread")
    (ax,) = fig.axes
    mean, largest = gids(ax, "mean:"), gids(ax, "largest:")
    assert list(mean) == ["pooled", "own", "own unbooked"]
    assert list(largest) == ["own", "own unbooked"]  # a pooled office has no owners
    by = runs.groupby("scenario")
    per_caseworker = by["followup_backlog_mean"].mean() / 17  # the baseline's caseworkers
    for name, line in mean.items():
        assert line.get_xdata()[0] == pytest.approx(per_caseworker[name])
    for name, line in largest.items():
        want = by["followup_backlog_max_caseworker_mean"].mean()[name]
        assert line.get_xdata()[0] == pytest.approx(want)
        assert want > per_caseworker[name]
    assert [t.get_text() for t in ax.texts] == ["pooled: no owners"]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(mean)
    assert ax.get_title().startswith("The largest own backlog is")
    check_image(fig, tmp_path)


def test_spread_draws_into_an_axes(sweep: Results) -> None:
    fig = Figure()
    ax = fig.subplots()
    assert make_figure(sweep, "spread", ax=ax) is fig
    assert len(gids(ax, "mean:")) == 3
    with pytest.raises(ValueError, match="several panels"):
        make_figure(load_results(sweep.folder.parent / "run"), "caseworkers", ax=ax)


def test_caseworkers_per_run_from_the_swept_column_or_each_scenario() -> None:
    runs = pd.DataFrame(
        {
            "scenario_id": [0, 0, 1, 2, 3],
            "scenario": ["a", "a", "b", "c", "d"],
            "variant": ["a", "a", "b", "c", "d"],
            "replication": [0, 1, 0, 0, 0],
        }
    )
    spec = {
        "grid": {},
        "scenarios": {
            "a": {},
            "b": {"staff.caseworkers": 12},
            "c": {"staff": {"caseworkers": 9}},
            "d": {"config": "other.yaml"},
        },
        "base_config": {"staff": {"caseworkers": 17}},
        "scenario_configs": {"d": {"staff": {"caseworkers": 30}}},
    }
    assert org.caseworkers_per_run(runs, spec).tolist() == [17, 17, 12, 9, 30]
    swept = runs.assign(staff_caseworkers=[14, 14, 15, 16, 17])
    assert org.caseworkers_per_run(swept, spec).tolist() == [14, 14, 15, 16, 17]
    with pytest.raises(ValueError, match="no number of caseworkers"):
        org.caseworkers_per_run(runs, None)


def test_gaps_two_bars_per_scenario_with_values(sweep: Results, tmp_path: Path) -> None:
    summary = sweep.summary
    assert summary is not None
    fig = make_figure(sweep, "gaps")
    (ax,) = fig.axes
    assert len(ax.patches) == 2 * 2  # own and own_unbooked; pooled is left out
    assert [t.get_text() for t in ax.get_yticklabels()] == ["own", "own unbooked"]
    assert "not shown: 1 pooled" in ax.get_title()
    assert "specially adapted users" in ax.get_title()
    means = summary.set_index(["scenario", "metric"])["mean"]
    for gid, who in (("away", "away"), ("present", "present")):
        metric = f"followup_gap_days_mean_owner_{who}_specially_adapted"
        heights = [p.get_width() for p in ax.patches if p.get_gid() == gid]
        want = [means[(s, metric)] for s in ("own", "own unbooked")]
        np.testing.assert_allclose(heights, want)
    check_image(fig, tmp_path)
    for group, words in (("standard", "standard users"), ("all", "all users")):
        title = make_figure(sweep, "gaps", FigureOptions(metric=group)).axes[0].get_title()
        assert words in title


def test_gaps_refusals(folders: dict[str, Path], sweep: Results) -> None:
    summary = sweep.summary
    assert summary is not None
    with pytest.raises(ResultsError, match=r"need group 'nope' has no gap metrics .*standard"):
        make_figure(sweep, "gaps", FigureOptions(metric="nope"))
    pooled_only = dataclasses.replace(sweep, summary=summary[summary["scenario"] == "pooled"])
    with pytest.raises(ResultsError, match=r"no scenario has gaps.*own caseloads"):
        make_figure(pooled_only, "gaps")
    run = load_results(folders["run"])
    for kind in ("gaps", "spread"):
        with pytest.raises(ResultsError, match=r"needs the results of officeq sweep.*caseworkers"):
            make_figure(run, kind)
    with pytest.raises(ResultsError, match="--kind spread has none"):
        make_figure(sweep, "spread", FigureOptions(metric="standard"))
