"""officeq plot and report from real results, and their bad inputs."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from officeq.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"


def cli(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("sweep")
    spec = d / "spec.yaml"
    spec.write_text(
        f"name: small\nbase: {BASELINE}\nreplications: 2\nhorizon_days: 45\n"
        "warmup_days: 5\ngrid:\n  staff.caseworkers: [14, 17]\n"
        "  policy.name: [deadline_first, needs_based]\n"
    )
    result = cli("sweep", str(spec), "--workers", "2", "--out", str(d / "out"))
    assert result.exit_code == 0, result.output
    return d / "out"


@pytest.fixture(scope="module")
def one_param_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("sweep1")
    spec = d / "spec.yaml"
    spec.write_text(
        f"name: one\nbase: {BASELINE}\nreplications: 2\nhorizon_days: 20\n"
        "warmup_days: 5\ngrid:\n  staff.caseworkers: [14, 17]\n"
    )
    assert cli("sweep", str(spec), "--workers", "1", "--out", str(d / "out")).exit_code == 0
    return d / "out"


@pytest.mark.parametrize("kind", ["backlog", "frontier", "staffing", "heatmap", "scorecard"])
def test_every_kind_from_a_real_sweep(sweep_dir: Path, tmp_path: Path, kind: str) -> None:
    for suffix, magic in ((".png", b"\x89PNG\r\n\x1a\n"), (".svg", b"<?xml")):
        out = tmp_path / f"{kind}{suffix}"
        result = cli("plot", str(sweep_dir), "--kind", kind, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(magic)


def test_run_plots_draw_queues_and_backlog(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = cli(
        "run", str(BASELINE), "--days", "30", "--warmup-days", "5", "--out", str(out), "--plots"
    )
    assert result.exit_code == 0, result.output
    for name in ("overview.png", "backlog.png", "scorecard.png", "decision_times.png"):
        assert (out / name).read_bytes().startswith(b"\x89PNG")
    assert cli("run", str(BASELINE), "--days", "5", "--plots").exit_code == 2
    # no applications, no decision-time figure (and no failure for want of one)
    none = tmp_path / "none"
    set_none = ("--set", "work.income_support.arrivals_per_day=0")
    args = ("--days", "30", "--warmup-days", "5", *set_none, "--out", str(none), "--plots")
    assert cli("run", str(BASELINE), *args).exit_code == 0
    assert (none / "overview.png").exists() and not (none / "decision_times.png").exists()


@pytest.mark.parametrize(
    "args, words",
    [
        (["--kind", "pie"], "unknown kind"),
        (["--kind", "heatmap"], "two swept parameters"),
        (["--kind", "overview"], "one run"),
        (["--kind", "staffing", "--metric", "nope"], "nope"),
        (["--kind", "backlog", "--out", "x.jpg"], ".png or .svg"),
    ],
)
def test_plot_refuses_what_the_results_cannot_support(
    one_param_sweep: Path, tmp_path: Path, args: list[str], words: str
) -> None:
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "fig.png")]
    result = cli("plot", str(one_param_sweep), *args)
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and words in lines[0]
    assert not list(tmp_path.glob("fig*"))


def test_plot_and_report_on_a_folder_without_results(tmp_path: Path) -> None:
    for args in (["plot", str(tmp_path), "--kind", "backlog"], ["report", str(tmp_path)]):
        result = cli(*args)
        assert result.exit_code == 2
        assert "holds no officeq results" in result.output
    assert list(tmp_path.iterdir()) == []


def test_report_is_self_contained_with_findings(sweep_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = cli("report", str(sweep_dir), "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing fetched from a network
    assert page.count("data:image/png;base64,") >= 4
    # the first screen: headline, then the trade-off figure and the findings, then the fold
    head, fold = page.index('class="headline"'), page.index('class="fold"')
    first = page[head:fold]
    assert first.count("data:image/png;base64,") == 1 and "<li>" in first
    # a finding with a paired difference and its interval, in plain words
    assert re.search(r"going from 14 to 17 caseworkers, the 48-hour hit rate", first, re.I)
    assert re.search(r"95% CI [+−]\d+\.\d+ to [+−]\d+\.\d+", first)
    # details below the fold, with plain scenario names
    for section in (
        "All scenarios",
        "Paired comparisons",
        "Assumptions the results depend",
        "How to reproduce",
        "Resolved configuration",
    ):
        assert page.index(section) > fold
    assert "14 caseworkers, needs-based" in page
    assert "staff.caseworkers=14" not in page
    assert "staff.admin_share" in page  # an assumption marked (A) in baseline.yaml
    assert "@media print" in page


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    _chromium() is None,
    reason="Chromium is not installed (Debian package chromium; .ci/run installs it)",
)
def test_report_loads_in_headless_chromium(sweep_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert cli("report", str(sweep_dir), "--out", str(out)).exit_code == 0
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [
                _chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=5000",
                "--dump-dom",
                out.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    body = re.search(r"<body[^>]*>", proc.stdout)
    assert body, proc.stderr[-2000:]
    n = int(re.search(r'data-images="(\d+)"', body.group(0)).group(1))
    assert n >= 4
    assert 'data-images-ok="yes"' in body.group(0)  # every image decoded
    assert ":CONSOLE" not in proc.stderr  # no console errors (or messages at all)
