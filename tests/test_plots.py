"""Figures from real sweep and run folders: labels, series, markers, values, valid images."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import matplotlib.colors as mcolors
import matplotlib.image as mimage
import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.figure import Figure

from officeq.figures import plots

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SPEC = """name: {name}
base: {base}
replications: 3
seed: 2025
horizon_days: 60
warmup_days: 10
grid:
  staff.caseworkers: [14, 17]
  {second}
"""


@pytest.fixture(scope="session")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two small sweeps and one run, made once, side by side in three processes."""
    tmp = tmp_path_factory.mktemp("plots")
    specs = {
        "policy": "policy.name: [deadline_first, needs_based]",
        "demand": "work.inquiry.arrivals_per_day: [120, 150]",
    }
    cmds = []
    for name, second in specs.items():
        spec = tmp / f"{name}.yaml"
        spec.write_text(SPEC.format(name=name, base=BASELINE, second=second))
        cmds.append(["sweep", str(spec), "--workers", "1", "--out", str(tmp / name)])
    cmds.append(["run", str(BASELINE), "--days", "60", "--warmup-days", "10"])
    cmds[-1] += ["--out", str(tmp / "run")]
    run = [sys.executable, "-m", "officeq"]
    logs = [(tmp / f"log{i}.txt").open("w") for i in range(len(cmds))]
    procs = [
        subprocess.Popen([*run, *c], stdout=log, stderr=subprocess.STDOUT)
        for c, log in zip(cmds, logs, strict=True)
    ]
    for p, log in zip(procs, logs, strict=True):
        code = p.wait(timeout=180)
        log.close()
        assert code == 0, Path(log.name).read_text()
    return {"policy": tmp / "policy", "demand": tmp / "demand", "run": tmp / "run"}


@pytest.fixture(scope="session")
def policy(folders: dict[str, Path]) -> dict[str, pd.DataFrame]:
    f = folders["policy"]
    return {
        "daily": pd.read_parquet(f / "daily.parquet"),
        "summary": pd.read_csv(f / "summary.csv"),
    }


def check_image(fig: Figure, tmp_path: Path, name: str = "fig") -> None:
    """The figure saves as PNG and SVG; the PNG is a real image of the figure's size."""
    assert fig.get_suptitle() or any(ax.get_title() for ax in fig.axes), "figure has no title"
    png, svg = tmp_path / f"{name}.png", tmp_path / f"{name}.svg"
    fig.savefig(png, dpi=40)
    fig.savefig(svg)
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    w, h = fig.get_size_inches() * 40
    img = mimage.imread(png)
    assert img.shape[:2] == (round(h), round(w)) and img.shape[2] in (3, 4)
    assert img.std() > 0.01  # not blank
    head = svg.read_text()[:500]
    assert "<svg" in head


def visible(fig: Figure):
    return [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]


def test_palette_and_styles_are_stable_and_distinct() -> None:
    names = [f"s{i}" for i in range(12)]
    styles = plots.scenario_styles(names)
    assert list(styles) == names
    assert plots.scenario_styles(names) == styles  # deterministic
    few = plots.scenario_styles(names[:6])
    assert plots.scenario_styles(names[:4]) == {n: few[n] for n in names[:4]}
    combos = {(str(s["linestyle"]), s["marker"]) for s in styles.values()}
    assert len(combos) == len(names)  # distinct without colour: legible in greyscale
    few = plots.scenario_palette(names[:5])
    assert len(set(few.values())) == 5
    many = plots.scenario_palette(names)
    grey = [np.dot(mcolors.to_rgb(c), [0.299, 0.587, 0.114]) for c in many.values()]
    assert np.all(np.diff(grey) != 0) and len(set(np.round(grey, 3))) == len(names)


def test_swept_columns(folders: dict[str, Path], policy: dict[str, pd.DataFrame]) -> None:
    runs = pd.read_parquet(folders["policy"] / "runs.parquet")
    spec = yaml.safe_load((folders["policy"] / "spec.resolved.yaml").read_text())
    want = ["staff_caseworkers", "policy_name"]
    assert plots.swept_columns(runs) == want
    assert plots.swept_columns(policy["summary"]) == want
    assert plots.swept_columns(policy["daily"]) == want
    assert plots.swept_columns(runs, spec["grid"]) == want
    assert plots.swept_columns(pd.read_csv(folders["run"] / "daily.csv")) == []
    assert set(plots.KINDS) == {"backlog", "frontier", "staffing", "heatmap", "scorecard"}


def test_backlog_one_line_per_scenario_mean_of_replications(policy, tmp_path: Path) -> None:
    daily = policy["daily"]
    fig = plots.backlog(daily)
    (ax,) = visible(fig)
    assert ax.get_xlabel() == "date (simulated)"
    assert ax.get_ylabel() == "overdue users (follow-up backlog)"
    lines = ax.get_lines()
    assert len(lines) == daily["scenario_id"].nunique() == 4
    assert len(ax.collections) == 4  # one 95% band per scenario
    first = daily[daily["scenario_id"] == 0]
    assert lines[0].get_gid() == first["scenario"].iloc[0]
    want = first.groupby("date")["followup_overdue"].mean()
    np.testing.assert_allclose(lines[0].get_ydata(), want.to_numpy())
    assert "caseworkers" in fig.get_suptitle() and "policy" in fig.get_suptitle()
    check_image(fig, tmp_path)


def test_backlog_by_group_one_facet_per_need_group(policy, tmp_path: Path) -> None:
    fig = plots.backlog(policy["daily"], by_group=True)
    axes = visible(fig)
    assert len(axes) == 4
    titles = {ax.get_title() for ax in axes}
    assert "need group: specially adapted" in titles
    assert all(len(ax.get_lines()) == 4 for ax in axes)
    assert axes[0].get_ylabel() == "overdue users (follow-up backlog)"
    assert axes[-1].get_xlabel() == "date (simulated)"
    check_image(fig, tmp_path)


def test_backlog_is_fast_for_a_big_sweep() -> None:
    rng = np.random.default_rng(1)
    runs, days = 200, 425
    daily = pd.DataFrame(
        {
            "scenario_id": np.repeat(np.arange(10), 20 * days),
            "scenario": np.repeat([f"s{i}" for i in range(10)], 20 * days),
            "replication": np.tile(np.repeat(np.arange(20), days), 10),
            "day": np.tile(np.arange(days), runs),
            "warmup": np.tile(np.arange(days) < 60, runs),
            "followup_overdue": rng.poisson(20, runs * days),
        }
    )
    start = time.perf_counter()
    fig = plots.backlog(daily)
    assert time.perf_counter() - start < 5
    axes = visible(fig)  # ten scenarios: one panel each, the others grey behind
    assert len(axes) == 10 and all(len(ax.get_lines()) == 1 for ax in axes)


def test_frontier_one_joined_line_per_policy(policy, tmp_path: Path) -> None:
    summary = policy["summary"]
    fig = plots.frontier(summary, "policy_name")
    (ax,) = visible(fig)
    assert ax.get_xlabel() == "follow-up backlog, mean overdue users"
    assert ax.get_ylabel().startswith("48-hour SLA hit rate")
    lines = ax.get_lines()
    assert [ln.get_gid() for ln in lines] == ["deadline_first", "needs_based"]
    for ln in lines:
        s = summary[summary["policy_name"] == ln.get_gid()].sort_values("staff_caseworkers")
        backlog = s[s["metric"] == "followup_backlog_mean"]["mean"].to_numpy()
        hit = s[s["metric"] == "inquiry_sla_hit_rate"]["mean"].to_numpy()
        np.testing.assert_allclose(ln.get_xdata(), backlog)
        np.testing.assert_allclose(ln.get_ydata(), 100 * hit)
    labels = sorted(t.get_text() for t in ax.texts)
    assert labels == ["14", "14", "17", "17"]
    check_image(fig, tmp_path)


def test_frontier_single_series_and_ambiguous_series(folders: dict[str, Path]) -> None:
    summary = pd.read_csv(folders["demand"] / "summary.csv")
    one = summary[summary["work_inquiry_arrivals_per_day"] == 120]
    fig = plots.frontier(one, None)
    assert len(fig.axes[0].get_lines()) == 1
    assert len(plots.frontier(summary, "work_inquiry_arrivals_per_day").axes[0].lines) == 2
    with pytest.raises(ValueError, match="work_inquiry_arrivals_per_day"):
        plots.frontier(summary, None)
    with pytest.raises(ValueError, match="not a column"):
        plots.frontier(summary, "policy_name")


def expected_meets(summary: pd.DataFrame, metric: str, target: float, higher: bool) -> dict:
    out = {}
    s = summary[summary["metric"] == metric].sort_values("staff_caseworkers")
    for pol, g in s.groupby("policy_name"):
        ok = g["mean"] >= target if higher else g["mean"] <= target
        out[pol] = int(g.loc[ok, "staff_caseworkers"].iloc[0]) if ok.any() else None
    return out


def star_positions(fig: Figure) -> dict[str, float]:
    stars = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    return {c.get_gid().removeprefix("meets:"): c.get_offsets()[0][0] for c in stars}


def test_staffing_marks_smallest_staffing_meeting_target(policy, tmp_path: Path) -> None:
    summary = policy["summary"]
    backlog = summary[summary["metric"] == "followup_backlog_mean"]
    # a target between the two policies' means at 14 caseworkers: they must differ there
    at14 = backlog[backlog["staff_caseworkers"] == 14].set_index("policy_name")["mean"]
    target = float(at14.mean())
    want = expected_meets(summary, "followup_backlog_mean", target, higher=False)
    assert 14 in want.values()  # the better policy at 14 meets the midpoint
    fig = plots.staffing(summary, "followup_backlog_mean", target, "policy_name")
    assert fig.officeq_meets == want
    assert star_positions(fig) == {k: v for k, v in want.items() if v is not None}
    ax = fig.axes[0]
    assert ax.get_xlabel() == "caseworkers (headcount)"
    assert ax.get_ylabel() == "follow-up backlog, mean overdue users"
    assert len(ax.get_lines()) == 3  # two policies and the target line
    assert ax.get_lines()[-1].get_ydata()[0] == pytest.approx(target)
    check_image(fig, tmp_path)


def test_staffing_hit_rate_is_higher_is_better_and_may_be_unmet(policy) -> None:
    summary = policy["summary"]
    hit = summary[summary["metric"] == "inquiry_sla_hit_rate"]["mean"]
    target = float(hit.median())
    want = expected_meets(summary, "inquiry_sla_hit_rate", target, higher=True)
    fig = plots.staffing(summary, "inquiry_sla_hit_rate", target, "policy_name")
    assert fig.officeq_meets == want
    assert fig.axes[0].get_ylabel() == "48-hour SLA hit rate (%)"
    never = plots.staffing(summary, "inquiry_sla_hit_rate", 1.01, "policy_name")
    assert never.officeq_meets == {"deadline_first": None, "needs_based": None}
    assert star_positions(never) == {}
    one = summary[summary["policy_name"] == "needs_based"]
    want = expected_meets(one, "inquiry_sla_hit_rate", target, higher=False)
    lower = plots.staffing(one, "inquiry_sla_hit_rate", target, None, higher_is_better=False)
    assert lower.officeq_meets == {"all scenarios": want["needs_based"]}
    assert plots.staffing(summary, "followup_backlog_mean", None, "policy_name").officeq_meets == {}


def test_heatmap_from_two_parameter_sweep(folders: dict[str, Path], tmp_path: Path) -> None:
    summary = pd.read_csv(folders["demand"] / "summary.csv")
    x, y = "staff_caseworkers", "work_inquiry_arrivals_per_day"
    fig = plots.heatmap(summary, x, y, "followup_backlog_mean")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "caseworkers (headcount)"
    assert ax.get_ylabel() == "inquiries per working day"
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    cells = summary[summary["metric"] == "followup_backlog_mean"]
    assert sorted(np.asarray(mesh.get_array()).ravel()) == pytest.approx(sorted(cells["mean"]))
    assert len(ax.texts) == 4
    assert fig.axes[1].get_ylabel() == "follow-up backlog, mean overdue users"  # colour bar
    check_image(fig, tmp_path)
    with pytest.raises(ValueError, match="'policy_name' is not a column"):
        plots.heatmap(summary, x, "policy_name", "followup_backlog_mean")
    with pytest.raises(ValueError, match="not a full grid"):
        plots.heatmap(summary[summary["scenario_id"] != 3], x, y, "followup_backlog_mean")
    with pytest.raises(ValueError, match="not a full grid"):
        plots.heatmap(summary.assign(k=0), x, "k", "followup_backlog_mean")
    with pytest.raises(ValueError, match="metric"):
        plots.heatmap(summary, x, y, "no_such_metric")


def test_scorecard_from_sweep(policy, tmp_path: Path) -> None:
    daily = policy["daily"]
    fig = plots.scorecard(daily, target=0.95)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "48-hour SLA hit rate (%)"
    assert "month" in ax.get_xlabel()
    lines = ax.get_lines()
    assert len(lines) == 4 + 1  # scenarios and the target line
    assert lines[-1].get_ydata()[0] == pytest.approx(95)
    d = daily[(daily["scenario_id"] == 0) & ~daily["warmup"]]
    d = d.assign(month=d["date"].dt.strftime("%Y-%m"))
    g = d.groupby(["replication", "month"])[["inquiries_answered_on_time", "inquiries_answered"]]
    rate = g.sum().eval("inquiries_answered_on_time / inquiries_answered")
    want = 100 * rate.groupby("month").mean()
    np.testing.assert_allclose(lines[0].get_ydata(), want.to_numpy())
    months = [pd.Timestamp(f"{m}-01").strftime("%b %Y") for m in want.index]
    assert [t.get_text() for t in ax.get_xticklabels()] == months
    check_image(fig, tmp_path)


def test_scorecard_and_overview_from_single_run(folders: dict[str, Path], tmp_path: Path) -> None:
    daily = pd.read_csv(folders["run"] / "daily.csv")
    fig = plots.scorecard(daily)
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 2
    monthly = pd.read_csv(folders["run"] / "monthly.csv")
    measured = [
        pd.Timestamp(f"{m}-01").strftime("%b %Y") for m in monthly[~monthly["warmup"]]["month"]
    ]
    shown = [t.get_text() for t in ax.get_xticklabels()]
    assert set(measured) <= set(shown)
    check_image(fig, tmp_path, "scorecard")

    fig = plots.run_overview(daily)
    axes = visible(fig)
    assert len(axes) == 3 and all(len(ax.get_lines()) == 1 for ax in axes)
    assert [ax.get_ylabel().split("\n")[0] for ax in axes] == [
        "inquiries waiting",
        "applications waiting",
        "overdue users",
    ]
    assert axes[-1].get_xlabel() == "date (simulated)"
    np.testing.assert_array_equal(axes[2].get_lines()[0].get_ydata(), daily["followup_overdue"])
    check_image(fig, tmp_path, "overview")


def test_run_overview_refuses_many_runs(policy) -> None:
    with pytest.raises(ValueError, match="one run"):
        plots.run_overview(policy["daily"])
    one = policy["daily"].query("scenario_id == 1 and replication == 2")
    assert len(visible(plots.run_overview(one))) == 3


def test_figures_stay_out_of_pyplot(policy) -> None:
    plots.backlog(policy["daily"])
    plots.frontier(policy["summary"], "policy_name")
    if "matplotlib.pyplot" in sys.modules:
        assert sys.modules["matplotlib.pyplot"].get_fignums() == []
