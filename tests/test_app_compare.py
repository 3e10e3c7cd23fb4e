"""The Compare and Download tabs' numbers and files, against real small page runs.

Each run is made as the page makes it (:func:`officeq.app.tasks.prepare_run`,
then a sweep of its ``experiment.yaml``): two with the same seed and
replications (paired by replication), one with another seed (not paired).
"""

from __future__ import annotations

import io
import math
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_helpers import invoke
from scipy import stats

from officeq.api import sweep
from officeq.app import comparing, downloads
from officeq.app.tasks import OFFICE_FILE, RESULTS, SPEC_FILE, prepare_run
from officeq.config.loading import load_config
from officeq.experiments.folders import Results, load_results
from officeq.figures.report_parts import TABLE_METRICS

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
SMALL = ["horizon_days=60", "warmup_days=10"]
REPS = 3


@dataclass
class Kept:
    """What the Compare tab reads of a kept ``Outcome``."""

    name: str
    folder: Path
    results: Results
    seed: int
    replications: int


def page_run(folder: Path, name: str, sets: list[str], seed: int) -> Kept:
    cfg = load_config(BASELINE, [*SMALL, *sets])
    spec = prepare_run(folder, cfg, REPS, seed)
    sweep(spec, workers=1, out=folder / RESULTS)
    return Kept(name, folder, load_results(folder / RESULTS), seed, REPS)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Kept]:
    tmp = tmp_path_factory.mktemp("app_compare")
    base = load_config(BASELINE).staff.caseworkers
    return {
        "base": page_run(tmp / "base", "base", [], 5),
        "more": page_run(tmp / "more", "four more", [f"staff.caseworkers={base + 4}"], 5),
        "other": page_run(tmp / "other", "other seed", [], 9),
    }


def by_replication(k: Kept, metric: str) -> pd.Series:
    return k.results.runs.set_index("replication")[metric].astype(float).sort_index()


# --- comparing --------------------------------------------------------------


def test_runs_table_stacks_the_kept_runs_under_their_names(runs: dict[str, Kept]) -> None:
    kept = [runs["base"], runs["more"], runs["base"]]
    c = comparing.runs_table(kept)
    assert c.names == ["base", "four more", "base (2)"]
    assert list(c.runs.groupby("scenario_id")["scenario"].first()) == c.names
    assert c.runs.groupby("scenario_id").size().tolist() == [REPS] * 3
    assert len(c.runs) == sum(len(k.results.runs) for k in kept)
    assert comparing.runs_table([]).names == []


def test_means_are_each_runs_own_summary(runs: dict[str, Kept]) -> None:
    kept = [runs["base"], runs["more"]]
    c = comparing.runs_table(kept)
    table = comparing.means(c)
    for k in kept:
        own = k.results.summary.set_index("metric")
        mine = table[table["scenario"] == k.name].set_index("metric")
        assert set(mine.index) == {m for m, _ in TABLE_METRICS if m in own.index}
        for m in mine.index:
            for col in ("mean", "ci_low", "ci_high", "n"):
                assert mine.loc[m, col] == pytest.approx(own.loc[m, col], nan_ok=True)


def test_same_seed_and_replications_are_paired_by_replication(runs: dict[str, Kept]) -> None:
    base, more = runs["base"], runs["more"]
    c = comparing.runs_table([base, more])
    assert c.method == comparing.PAIRED and "seed 5" in c.why
    diffs = comparing.differences(c, "base").set_index("metric")
    assert set(diffs["scenario"]) == {"four more"}
    for m in diffs.index:
        d = (by_replication(more, m) - by_replication(base, m)).to_numpy()
        assert diffs.loc[m, "n"] == REPS
        assert diffs.loc[m, "difference"] == pytest.approx(d.mean())
        half = stats.t.ppf(0.975, REPS - 1) * d.std(ddof=1) / math.sqrt(REPS)
        assert diffs.loc[m, "ci_low"] == pytest.approx(d.mean() - half)
        assert diffs.loc[m, "ci_high"] == pytest.approx(d.mean() + half)
    # against the other reference, every difference turns round
    back = comparing.differences(c, "four more").set_index("metric")
    assert np.allclose(back["difference"], -diffs.loc[back.index, "difference"])


def test_another_seed_gives_differences_of_means_with_a_welch_interval(
    runs: dict[str, Kept],
) -> None:
    base, other = runs["base"], runs["other"]
    c = comparing.runs_table([base, other])
    assert c.method == comparing.WELCH
    assert "seeds 5, 9" in c.why and "Welch" in c.why
    diffs = comparing.differences(c, "base").set_index("metric")
    for m in diffs.index:
        a, b = by_replication(other, m).to_numpy(), by_replication(base, m).to_numpy()
        assert diffs.loc[m, "difference"] == pytest.approx(a.mean() - b.mean())
        if a.std() == 0 and b.std() == 0:
            continue
        ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
        assert diffs.loc[m, "ci_low"] == pytest.approx(ci.low)
        assert diffs.loc[m, "ci_high"] == pytest.approx(ci.high)


def test_differences_in_words_carry_the_unit() -> None:
    words = comparing.difference_words
    assert words("inquiry_sla_hit_rate", 0.021, 0.015, 0.027) == (
        "+2.1 points (95% CI +1.5 to +2.7)"
    )
    assert words("followup_backlog_mean", -3.44, -5.0, -1.8) == "−3.4 (95% CI −5.0 to −1.8)"
    assert words("exits_to_work", 0.0, 0.0, 0.0) == "the same in every replication (0)"
    assert words("exits_to_work", 2.0, -math.inf, math.inf) == "+2.0 (no interval)"


def cells(text: str, cls: str) -> dict[tuple[str, str], float]:
    pattern = (
        rf'<td class="{cls}" data-metric="([^"]+)" data-scenario="([^"]+)" data-value="([^"]+)"'
    )
    return {(s, m): float(v) for m, s, v in re.findall(pattern, text)}


def test_the_tables_cells_hold_the_numbers(runs: dict[str, Kept]) -> None:
    c = comparing.runs_table([runs["base"], runs["more"], runs["other"]])
    table = comparing.means(c)
    got = cells(comparing.means_html(c, table), "metric")
    want = {(r.scenario, r.metric): r.mean for r in table.itertuples()}
    assert got.keys() == want.keys()
    assert all(got[k] == pytest.approx(want[k]) for k in want)
    diffs = comparing.differences(c, "four more")
    text = comparing.differences_html(c, "four more", diffs)
    got = cells(text, "difference")
    assert {s for s, _ in got} == {"base", "other seed"}
    for r in diffs.itertuples():
        assert got[(r.scenario, r.metric)] == pytest.approx(r.difference)
    assert 'data-method="welch"' in text


def test_the_frontier_has_one_labelled_point_per_run(runs: dict[str, Kept]) -> None:
    c = comparing.runs_table([runs["base"], runs["more"], runs["other"]])
    table = comparing.means(c).set_index(["scenario", "metric"])
    fig = comparing.frontier(c, comparing.means(c))
    ax = fig.axes[0]
    points = {ln.get_gid(): ln for ln in ax.get_lines() if ln.get_gid() in c.names}
    assert set(points) == set(c.names)
    for name, line in points.items():
        assert line.get_xdata()[0] == pytest.approx(
            table.loc[(name, "followup_backlog_mean")]["mean"]
        )
        sla = table.loc[(name, "inquiry_sla_hit_rate")]["mean"]
        assert line.get_ydata()[0] == pytest.approx(100 * sla)
    labels = {t.get_text() for t in ax.texts}
    skipped = re.search(r"(\d+) of \d+ names left out", ax.get_title())
    assert len(labels & set(c.names)) == len(c.names) - (int(skipped[1]) if skipped else 0)
    assert "%" in ax.get_ylabel() and ax.get_xlim()[0] >= 0


# --- downloads ----------------------------------------------------------------


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("officeq-download-*")}


def test_the_csv_zip_holds_what_officeq_export_csv_writes(
    runs: dict[str, Kept], tmp_path: Path
) -> None:
    k = runs["base"]
    before = leftovers()
    files = unzip(downloads.csv_zip(k.folder))
    r = invoke("export", k.folder / RESULTS, "--csv", tmp_path / "csv")
    assert r.exit_code == 0, r.output
    written = {p.name: p.read_bytes() for p in (tmp_path / "csv").iterdir()}
    assert set(files) == set(written) and "scenarios.csv" in files
    for name in written:
        if name.endswith(".csv"):
            assert files[name] == written[name], name
    assert leftovers() == before


def test_the_workbook_has_the_export_sheets(runs: dict[str, Kept]) -> None:
    from openpyxl import load_workbook

    from officeq.api.exporting import export_tables

    data = downloads.xlsx(runs["base"].folder)
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == list(export_tables(runs["base"].folder / RESULTS))


def test_the_figures_zip_holds_pngs_of_the_run(runs: dict[str, Kept]) -> None:
    files = unzip(downloads.figures_zip(runs["base"].results))
    assert {"backlog.png", "backlog_by_group.png", "scorecard.png"} <= set(files)
    assert all(data.startswith(b"\x89PNG\r\n\x1a\n") for data in files.values())


def test_the_report_is_self_contained(runs: dict[str, Kept]) -> None:
    text = downloads.report(runs["base"].results).decode("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"""src\s*=\s*["']?https?:""", text)
    assert not re.search(r"""<link[^>]+href\s*=\s*["']?https?:""", text)
    assert text.count('src="data:image/png;base64,') >= 2
    assert "Resolved configuration" in text


def test_the_office_yaml_is_the_office_that_ran(runs: dict[str, Kept], tmp_path: Path) -> None:
    k = runs["more"]
    path = tmp_path / "office.yaml"
    path.write_bytes(downloads.office_yaml(k.folder))
    cfg = load_config(path)
    assert cfg.staff.caseworkers == load_config(BASELINE).staff.caseworkers + 4
    assert cfg.horizon_days == 60


def test_the_spec_zip_reproduces_the_run(runs: dict[str, Kept], tmp_path: Path) -> None:
    k = runs["more"]
    files = unzip(downloads.spec_zip(k.folder))
    assert set(files) == {SPEC_FILE, OFFICE_FILE}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    sweep(tmp_path / SPEC_FILE, workers=1, out=tmp_path / RESULTS)
    again = load_results(tmp_path / RESULTS)
    key = ["scenario_id", "metric"]
    one = k.results.summary.sort_values(key).reset_index(drop=True)
    two = again.summary.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(k.results.runs, again.runs)


def test_file_stems_are_safe() -> None:
    assert downloads.stem("two more, 15 caseworkers") == "two-more-15-caseworkers"
    assert downloads.stem("økt bemanning") == "økt-bemanning"
    assert downloads.stem("../../etc") == "etc"
    assert downloads.stem("///") == "officeq-run"


def test_the_tabs_have_the_ids_the_browser_tests_use(tmp_path: Path) -> None:
    pytest.importorskip("shiny")
    from officeq.app.settings import Settings
    from officeq.app.tabs import compare, download
    from officeq.app.tabs.common import State

    state = State(Settings(BASELINE, tmp_path))
    page = str(compare.panel(state).content) + str(download.panel(state).content)
    ids = ["compare_table", "compare_versus", "compare_diffs", "compare_frontier"]
    ids += ["compare_remove", "compare_remove_button", "compare_clear"]
    ids += ["dl_which", "dl_csv", "dl_xlsx", "dl_figures", "dl_report", "dl_office", "dl_spec"]
    for id in ids:
        assert f'id="{id}"' in page, id
