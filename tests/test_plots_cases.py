"""The decision-time figure (``--kind decision_times``) and ``decision_times.csv``, from real
run and sweep folders."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_helpers import invoke, older_run, run_commands

from officeq.experiments.folders import Results, ResultsError, load_results
from officeq.figures import cases as plots_cases
from officeq.figures.kinds import KINDS, make_figure

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
SPEC = """name: income_support
base: {base}
replications: 2
seed: 2025
horizon_days: 60
warmup_days: 20
grid:
  work.income_support.process.documentation.share: [0.2, 0.6]
  staff.caseworkers: [15, 17]
"""


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("cases")
    spec = tmp / "spec.yaml"
    spec.write_text(SPEC.format(base=BASELINE))
    cmds = [
        ["sweep", str(spec), "--workers", "1", "--out", str(tmp / "sweep")],
        ["run", str(BASELINE), "--days", "120", "--warmup-days", "20", "--out", str(tmp / "run")],
    ]
    run_commands(cmds, tmp)
    old = older_run(tmp / "run", tmp / "old", "decision_times.csv")
    return {"sweep": tmp / "sweep", "run": tmp / "run", "old": old}


@pytest.fixture(scope="module")
def run(folders: dict[str, Path]) -> Results:
    return load_results(folders["run"])


def test_decision_times_csv_adds_up_to_the_decisions(run: Results) -> None:
    table = run.decision_times
    assert table is not None
    assert list(table.columns) == ["application", "days_from", "days_to", "decisions"]
    assert set(table["application"]) == {"urgent", "regular"}
    assert (table["days_to"] - table["days_from"] == 1).all()
    assert table["decisions"].sum() == run.run_summary["income_support_decided"]  # type: ignore[index]
    # the whole-day bins bound the exact mean
    w = table.groupby("days_from")["decisions"].sum()
    lower = (w.index * w).sum() / w.sum()
    mean = run.run_summary["income_support_decision_days_mean"]  # type: ignore[index]
    assert lower <= mean <= lower + 1
    # urgent applications are decided within their 48 hours in this office, mostly
    urgent = table[table["application"] == "urgent"]
    assert urgent[urgent["days_from"] < 2]["decisions"].sum() > 0.8 * urgent["decisions"].sum()


def test_run_figure_shows_the_share_per_day_and_the_measured_band(run: Results) -> None:
    assert "decision_times" in KINDS
    fig = make_figure(run, "decision_times")
    (ax,) = fig.axes
    bars = [p for p in ax.patches if p.get_gid() in ("urgent", "regular")]
    assert sum(b.get_height() for b in bars) == pytest.approx(1.0)
    bands = [p for p in ax.patches if p.get_gid() == "measured"]
    assert len(bands) == 1
    mean = run.run_summary["income_support_decision_days_mean"]  # type: ignore[index]
    assert f"{mean:.1f} days" in ax.get_title()
    verdict = "inside" if 7.4 <= mean <= 10.2 else ("below" if mean < 7.4 else "above")
    assert verdict in ax.get_title()


def test_sweep_figure_draws_mean_and_p90_per_series(folders: dict[str, Path]) -> None:
    sweep = load_results(folders["sweep"])
    fig = make_figure(sweep, "decision_times")
    (ax,) = fig.axes
    means = {
        str(ln.get_gid()): ln for ln in ax.get_lines() if str(ln.get_gid()).startswith("mean:")
    }
    assert len(means) == 2  # one per value of the other swept column
    summary = sweep.summary
    assert summary is not None
    for line in means.values():
        ys = line.get_ydata()
        assert len(ys) == 2 and np.all(np.isfinite(ys))
    # more applications needing documents: longer decisions, in every series
    for line in means.values():
        xs, ys = line.get_xdata(), line.get_ydata()
        assert ys[np.argmax(xs)] > ys[np.argmin(xs)]


def test_refusals_name_what_is_missing(folders: dict[str, Path]) -> None:
    with pytest.raises(ResultsError, match=r"decision_times\.csv"):
        make_figure(load_results(folders["old"]), "decision_times")
    empty = pd.DataFrame(
        {"application": ["regular"], "days_from": [0], "days_to": [1], "decisions": [0]}
    )
    with pytest.raises(ValueError, match="no income-support decisions"):
        plots_cases.decision_times(empty)
    result = invoke("plot", folders["old"], "--kind", "decision_times")
    assert result.exit_code == 2 and "decision_times.csv" in result.output
