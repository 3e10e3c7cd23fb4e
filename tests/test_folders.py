"""Output folders are whole or absent, and readers refuse anything else in one line.

Every folder officeq writes ends with ``manifest.json``; readers check it,
the files against it and the files against each other. Bad results folders
give one line naming the file and exit 2 in plot, report and table; bad
``--out`` paths are refused before anything runs; a SIGKILL between two
renames leaves the old folder, no folder, or the new one, never a mix.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from cli_helpers import invoke, one_line_error

import officeq
from officeq.experiments.folders import ResultsError, load_results
from officeq.measure.files import OutputError, atomic_write
from officeq.measure.manifest import sha256

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
SHORT = ("--days", "20", "--warmup-days", "5")


def write_spec(folder: Path, reps: int = 2) -> Path:
    spec = folder / "spec.yaml"
    spec.write_text(
        f"name: tiny\nbase: {BASELINE}\nreplications: {reps}\nseed: 3\nhorizon_days: 20\n"
        "warmup_days: 5\ngrid:\n  staff.caseworkers: [14, 17]\n",
        encoding="utf-8",
    )
    return spec


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two runs (seeds 1 and 2), a sweep of 4 runs and the same sweep resumed to 6."""
    tmp = tmp_path_factory.mktemp("made")
    for seed in (1, 2):
        r = invoke("run", BASELINE, *SHORT, "--seed", seed, "--out", tmp / f"run{seed}")
        assert r.exit_code == 0, r.output
    spec = write_spec(tmp)
    assert invoke("sweep", spec, "--workers", 1, "--out", tmp / "sweep").exit_code == 0
    shutil.copytree(tmp / "sweep", tmp / "sweep6")
    args = ("--resume", "--replications", 3, "--workers", 1, "--out", tmp / "sweep6")
    r = invoke("sweep", spec, *args)
    assert r.exit_code == 0, r.output
    return {
        "run": tmp / "run1",
        "run2": tmp / "run2",
        "sweep": tmp / "sweep",
        "sweep6": tmp / "sweep6",
        "spec": spec,
    }


def copy(made: dict[str, Path], name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(made[name], tmp_path / name))


def restamp(folder: Path, **fields: object) -> None:
    """Make manifest.json match the files as they are now (a manifest that lies)."""
    path = folder / "manifest.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for name in doc["files"]:
        f = folder / name
        doc["files"][name] = {"bytes": f.stat().st_size, "sha256": sha256(f)}
    doc.update(fields)
    path.write_text(json.dumps(doc), encoding="utf-8")


# --- the manifest -----------------------------------------------------------


def test_every_folder_ends_with_a_manifest_of_its_files(made: dict[str, Path]) -> None:
    run = json.loads((made["run"] / "manifest.json").read_text(encoding="utf-8"))
    assert run["kind"] == "run" and run["runs"] == 1 and run["seed"] == 1
    assert run["officeq"] == officeq.__version__
    assert set(run["files"]) == {
        "summary.json",
        "daily.csv",
        "monthly.csv",
        "caseworkers.csv",
        "decision_times.csv",
        "config.resolved.yaml",
    }
    for name, entry in run["files"].items():
        assert entry["sha256"] == sha256(made["run"] / name)
    sweep = json.loads((made["sweep6"] / "manifest.json").read_text(encoding="utf-8"))
    assert sweep["kind"] == "sweep" and sweep["runs"] == 6 and sweep["fingerprint"]
    assert set(sweep["files"]) == {
        "runs.parquet",
        "daily.parquet",
        "summary.csv",
        "spec.resolved.yaml",
        "monthly.parquet",
    }
    other = json.loads((made["run2"] / "manifest.json").read_text(encoding="utf-8"))
    assert other["id"] != run["id"]
    assert len(load_results(made["sweep6"]).runs) == 6


# --- broken results folders: one line, exit 2, in plot, report and table ----

GARBAGE = b"\xff\xfe\x00 not text \x81\x82"


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _garbage(p: Path) -> None:
    p.write_bytes(GARBAGE)


def _drop(column: str):  # type: ignore[no-untyped-def]
    def drop(p: Path) -> None:
        pd.read_csv(p).drop(columns=column).to_csv(p, index=False)

    return drop


def _text(text: str):  # type: ignore[no-untyped-def]
    return lambda p: p.write_text(text, encoding="utf-8")


def _header_only(p: Path) -> None:
    p.write_text(p.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


# (folder, file, how it is broken, what the line says once the manifest matches it)
BROKEN = {
    "runs-truncated": ("sweep", "runs.parquet", _truncate, "not a readable Parquet file"),
    "runs-empty": ("sweep", "runs.parquet", _empty, "not a readable Parquet file"),
    "daily-parquet-truncated": ("sweep", "daily.parquet", _truncate, "Parquet"),
    "daily-parquet-garbage": ("sweep", "daily.parquet", _garbage, "Parquet"),
    "summary-csv-garbage": ("sweep", "summary.csv", _garbage, "not a readable CSV table"),
    "summary-csv-empty": ("sweep", "summary.csv", _empty, "not a readable CSV table"),
    "summary-csv-no-n": ("sweep", "summary.csv", _drop("n"), "missing column n"),
    "spec-yaml-broken": ("sweep", "spec.resolved.yaml", _text("grid: [a\n"), "YAML"),
    "spec-yaml-list": ("sweep", "spec.resolved.yaml", _text("- 1\n"), "not a mapping"),
    "spec-yaml-garbage": ("sweep", "spec.resolved.yaml", _garbage, "YAML"),
    "summary-json-broken": ("run", "summary.json", _text('{"a": 1,'), "not a readable JSON"),
    "summary-json-garbage": ("run", "summary.json", _garbage, "not a readable JSON"),
    "summary-json-list": ("run", "summary.json", _text("[1, 2]"), "not a mapping"),
    "summary-json-text-value": ("run", "summary.json", _text('{"a": "x"}'), "'a' is not a number"),
    "daily-csv-garbage": ("run", "daily.csv", _garbage, "CSV"),
    "daily-csv-empty": ("run", "daily.csv", _empty, "not a readable CSV table"),
    "daily-csv-no-days": ("run", "daily.csv", _header_only, "no days"),
    "daily-csv-no-day-column": ("run", "daily.csv", _drop("day"), "missing column day"),
    "monthly-csv-empty": ("run", "monthly.csv", _empty, "not a readable CSV table"),
    "config-yaml-broken": ("run", "config.resolved.yaml", _text("staff: [\n"), "YAML"),
    "config-yaml-scalar": ("run", "config.resolved.yaml", _text("17\n"), "not a mapping"),
}


def _commands(folder: Path, kind: str) -> list[tuple[str, ...]]:
    cmds = [("plot", str(folder), "--kind", "backlog"), ("report", str(folder))]
    if kind == "sweep":
        cmds.append(("table", str(folder), "--metric", "inquiry_sla_hit_rate"))
    return cmds


@pytest.mark.parametrize("restamped", [False, True], ids=["manifest-intact", "manifest-lies"])
@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_file_is_one_line_naming_it(
    made: dict[str, Path], tmp_path: Path, case: str, restamped: bool
) -> None:
    kind, name, damage, words = BROKEN[case]
    folder = copy(made, kind, tmp_path)
    damage(folder / name)
    if restamped:
        restamp(folder)
    else:
        words = "manifest.json"  # the file no longer matches the manifest written with it
    with pytest.raises(ResultsError) as e:
        load_results(folder)
    assert name in str(e.value) and words in str(e.value)
    assert "\n" not in str(e.value)
    before = sorted(p.name for p in folder.iterdir())
    for cmd in _commands(folder, kind):
        one_line_error(invoke(*cmd), str(folder / name), words)
    assert sorted(p.name for p in folder.iterdir()) == before  # no figure, no report


def test_the_api_plot_of_a_broken_folder_raises_results_error(
    made: dict[str, Path], tmp_path: Path
) -> None:
    folder = copy(made, "run", tmp_path)
    _truncate(folder / "daily.csv")
    with pytest.raises(ResultsError, match=r"daily\.csv"):
        officeq.plot(folder, kind="overview")


@pytest.mark.parametrize("kind", ["run", "sweep"])
def test_a_folder_without_its_manifest_is_incomplete(
    made: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    folder = copy(made, kind, tmp_path)
    (folder / "manifest.json").unlink()
    for cmd in _commands(folder, kind):
        line = one_line_error(invoke(*cmd), str(folder), "incomplete", "manifest.json")
        assert ("--resume" in line) == (kind == "sweep")


@pytest.mark.parametrize(
    "text, words",
    [
        ("{", "not valid JSON"),
        ("[]", "not a JSON object"),
        ('{"format": 99}', "format 99"),
        ('{"format": 1, "kind": "pie"}', "kind 'pie'"),
    ],
)
def test_an_invalid_manifest_is_refused(
    made: dict[str, Path], tmp_path: Path, text: str, words: str
) -> None:
    folder = copy(made, "sweep", tmp_path)
    (folder / "manifest.json").write_text(text, encoding="utf-8")
    for cmd in _commands(folder, "sweep"):
        one_line_error(invoke(*cmd), "manifest.json", words)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_in_place_of_a_file_does_not_hang(made: dict[str, Path], tmp_path: Path) -> None:
    folder = copy(made, "run", tmp_path)
    for name in ("manifest.json", "daily.csv"):
        (folder / name).unlink()
        os.mkfifo(folder / name)
        one_line_error(invoke("report", folder), str(folder / name))
        (folder / name).unlink()
        shutil.copy(made["run"] / name, folder / name)


def test_files_of_two_runs_are_refused(made: dict[str, Path], tmp_path: Path) -> None:
    folder = copy(made, "run", tmp_path)
    for name in ("summary.json", "daily.csv"):  # seed 2's beside seed 1's monthly and config
        shutil.copy(made["run2"] / name, folder / name)
    for cmd in _commands(folder, "run"):
        one_line_error(invoke(*cmd), "summary.json", "manifest.json", "another write")
    # even with a manifest made to match, the config's seed gives the mix away
    shutil.copy(made["run2"] / "config.resolved.yaml", folder / "config.resolved.yaml")
    restamp(folder)
    with pytest.raises(ResultsError, match=r"seed 2, manifest\.json says 1"):
        load_results(folder)


@pytest.mark.parametrize(
    "mixed, words",
    [
        ({"runs.parquet": "sweep6"}, "runs.parquet: 6 runs, manifest.json says 4"),
        ({"runs.parquet": "sweep6", "runs": 6}, "daily.parquet: series of 4 runs"),
        ({"daily.parquet": "sweep6"}, "daily.parquet: series of 6 runs, runs.parquet has 4"),
        ({"summary.csv": "sweep6"}, "summary.csv: its n per scenario (3)"),
    ],
)
def test_tables_of_two_sweep_writes_are_refused(
    made: dict[str, Path], tmp_path: Path, mixed: dict, words: str
) -> None:
    folder = copy(made, "sweep", tmp_path)
    runs = mixed.pop("runs", None)
    for name, source in mixed.items():
        shutil.copy(made[source] / name, folder / name)
    one_line_error(invoke("table", folder, "--metric", "inquiry_sla_hit_rate"), "manifest.json")
    restamp(folder, **({"runs": runs} if runs else {}))
    for cmd in _commands(folder, "sweep"):
        one_line_error(invoke(*cmd), words, "--resume")


def test_extra_files_beside_the_manifest_are_left_alone(
    made: dict[str, Path], tmp_path: Path
) -> None:
    folder = copy(made, "sweep", tmp_path)
    assert invoke("plot", folder, "--kind", "backlog").exit_code == 0
    assert invoke("report", folder).exit_code == 0
    assert {"backlog.png", "report.html", "store.sqlite"} <= {p.name for p in folder.iterdir()}
    assert len(load_results(folder).runs) == 4


# --- where the output goes --------------------------------------------------


def _no_temporaries(folder: Path) -> None:
    left = [p for p in folder.rglob("*") if p.name.endswith((".tmp", ".new", ".old"))]
    assert left == []


@pytest.mark.parametrize("command", ["report", "plot"])
def test_report_and_plot_onto_an_existing_folder(
    made: dict[str, Path], tmp_path: Path, command: str
) -> None:
    target = tmp_path / ("existing.png" if command == "plot" else "existing")
    target.mkdir()
    extra = ("--kind", "backlog") if command == "plot" else ()
    one_line_error(invoke(command, made["sweep"], *extra, "--out", target), str(target), "folder")
    assert list(target.iterdir()) == []
    _no_temporaries(tmp_path)
    _no_temporaries(made["sweep"])


def test_report_into_a_path_under_a_file(made: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    one_line_error(invoke("report", made["run"], "--out", tmp_path / "afile" / "r.html"), "afile")
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "x"


def test_atomic_write_never_leaves_its_temporary_file(tmp_path: Path) -> None:
    seen: list[Path] = []

    def fails(p: Path) -> None:
        seen.append(p)
        p.write_text("half", encoding="utf-8")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        atomic_write(tmp_path / "a.txt", fails)
    (tmp_path / "d").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        atomic_write(tmp_path / "d", lambda p: p.write_text("x"))
    for _ in range(2):
        atomic_write(tmp_path / "b.txt", lambda p: (seen.append(p), p.write_text("x"))[1])
    assert len(set(seen)) == 3  # a fresh temporary name each time: two writers never share one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.txt", "d"]
    assert list((tmp_path / "d").iterdir()) == []


def _never_run(*_: object, **__: object) -> None:
    raise AssertionError("the run started although --out cannot be written")


def _blocked_outs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    afile = tmp_path / "afile"
    afile.write_text("keep me", encoding="utf-8")
    return {"under-a-file": (afile / "sub", "afile is a file"), "a-file": (afile, "is a file")}


@pytest.mark.parametrize("where", ["under-a-file", "a-file"])
@pytest.mark.parametrize("command", ["run", "sweep", "staff"])
def test_an_out_that_cannot_be_written_is_refused_before_running(
    made: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    where: str,
) -> None:
    import officeq.api
    import officeq.cli.run

    monkeypatch.setattr(officeq.cli.run, "run_with_progress", _never_run)
    monkeypatch.setattr(officeq.api, "staff", _never_run)
    monkeypatch.setattr("officeq.experiments.sweep.execute", _never_run)
    out, words = _blocked_outs(tmp_path)[where]
    args = {
        "run": ("run", BASELINE, *SHORT),
        "sweep": ("sweep", made["spec"], "--workers", 1),
        "staff": ("staff", BASELINE, "--target", "inquiry_sla_hit_rate>=0.9", "--max", 20),
    }[command]
    one_line_error(invoke(*args, "--out", out), str(out), words)
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def _unwritable(tmp_path: Path) -> Path:
    """A folder this process cannot write in (a read-only one; /sys when running as root)."""
    if os.name != "nt" and os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        return ro
    sys_dir = Path("/sys")
    try:
        (sys_dir / "officeq-probe").mkdir()
    except OSError:
        return sys_dir
    pytest.skip("no unwritable folder to try")


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_an_unwritable_folder_is_refused_before_running(
    made: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    import officeq.cli.run

    monkeypatch.setattr(officeq.cli.run, "run_with_progress", _never_run)
    monkeypatch.setattr("officeq.experiments.sweep.execute", _never_run)
    out = _unwritable(tmp_path) / "out"
    args = ("run", BASELINE, *SHORT) if command == "run" else ("sweep", made["spec"])
    one_line_error(invoke(*args, "--out", out), str(out), "cannot write")


def test_a_rerun_replaces_the_folder_whole(made: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("run", BASELINE, *SHORT, "--out", out, "--plots").exit_code == 0
    assert (out / "overview.png").is_file()
    assert invoke("report", out).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "overview.png" in manifest["files"]
    assert invoke("run", BASELINE, *SHORT, "--seed", 2, "--out", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "caseworkers.csv",
        "config.resolved.yaml",
        "daily.csv",
        "decision_times.csv",
        "manifest.json",
        "monthly.csv",
        "summary.json",
    ]  # the earlier run's figures and report are gone with it
    assert (out / "summary.json").read_bytes() == (made["run2"] / "summary.json").read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("command", ["run", "staff"])
def test_a_folder_of_other_files_is_not_replaced(
    made: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    import officeq.api
    import officeq.cli.run

    monkeypatch.setattr(officeq.cli.run, "run_with_progress", _never_run)
    monkeypatch.setattr(officeq.api, "staff", _never_run)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    sweep = copy(made, "sweep", tmp_path)
    args = {
        "run": ("run", BASELINE, *SHORT),
        "staff": ("staff", BASELINE, "--target", "inquiry_sla_hit_rate>=0.9"),
    }[command]
    one_line_error(invoke(*args, "--out", mine), str(mine), "officeq did not write")
    one_line_error(invoke(*args, "--out", sweep), str(sweep), "officeq sweep")
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert len(load_results(sweep).runs) == 4


def test_a_sweep_into_a_run_folder_is_refused(made: dict[str, Path], tmp_path: Path) -> None:
    run = copy(made, "run", tmp_path)
    one_line_error(invoke("sweep", made["spec"], "--out", run), str(run), "officeq run --out")
    assert not (run / "store.sqlite").exists()


# --- SIGKILL between two renames --------------------------------------------

WRAPPER = """\
import os, signal, sys

kill_after = int(sys.argv[1])
log = open(sys.argv[2], "a", encoding="utf-8")
calls = 0


def killing(real):
    def call(src, dst, *args, **kwargs):
        global calls
        real(src, dst, *args, **kwargs)
        calls += 1
        print(os.fspath(src), "->", os.fspath(dst), file=log, flush=True)
        if calls >= kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    return call


os.replace = killing(os.replace)
os.rename = killing(os.rename)
from officeq.cli import main

main(sys.argv[3:], prog_name="officeq")
"""


def killed(tmp_path: Path, after: int, *args: object) -> list[str]:
    """Run officeq with a SIGKILL after the ``after``-th rename; the renames made."""
    wrapper = tmp_path / "kill_wrapper.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    log = tmp_path / "renames.log"
    proc = subprocess.run(
        [sys.executable, str(wrapper), str(after), str(log), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stderr)
    return log.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("after", [1, 2, 3])
def test_a_run_killed_between_renames_leaves_one_run_or_none(
    made: dict[str, Path], tmp_path: Path, after: int
) -> None:
    out = tmp_path / "out"
    shutil.copytree(made["run"], out)  # seed 1's run; seed 2's is written over it
    renames = killed(tmp_path, after, "run", BASELINE, *SHORT, "--seed", 2, "--out", out)
    assert all(str(tmp_path) in r for r in renames), renames
    try:
        res = load_results(out)
    except ResultsError as e:
        assert "no such folder" in str(e)
    else:
        seed = res.config["seed"]
        assert seed == json.loads((out / "manifest.json").read_text())["seed"]
        for name in ("summary.json", "daily.csv", "monthly.csv", "config.resolved.yaml"):
            assert (out / name).read_bytes() == (
                made[f"run{'' if seed == 1 else 2}"] / name
            ).read_bytes()
    visible = [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert set(visible) - {"out"} == {"kill_wrapper.py", "renames.log"}
    # the same command again gives seed 2's folder whole
    assert invoke("run", BASELINE, *SHORT, "--seed", 2, "--out", out).exit_code == 0
    assert load_results(out).config["seed"] == 2


@pytest.mark.parametrize("after", [1, 2, 3, 4, 5, 6])
def test_a_resumed_sweep_killed_between_renames_is_refused_or_whole(
    made: dict[str, Path], tmp_path: Path, after: int
) -> None:
    out = copy(made, "sweep", tmp_path)  # 4 runs; resumed to 6
    resume = ("sweep", made["spec"], "--resume", "--replications", 3, "--workers", 1)
    renames = killed(tmp_path, after, *resume, "--out", out)
    assert all(str(out) in r for r in renames), renames
    try:
        res = load_results(out)
    except ResultsError as e:
        assert "incomplete" in str(e) and "--resume" in str(e)
        assert after < 6
    else:
        assert after == 6  # killed after the manifest (5 tables, then it): the new folder is whole
        assert len(res.runs) == 6 and res.summary["n"].max() == 3
        assert res.daily.groupby(["scenario_id", "replication"]).ngroups == 6
    for cmd in _commands(out, "sweep"):
        result = invoke(*cmd)
        assert result.exit_code == (0 if after == 6 else 2), result.output
    code = invoke(*resume, "--out", out).exit_code  # what the message says to do
    assert code == 0
    res = load_results(out)
    assert len(res.runs) == 6
    pd.testing.assert_frame_equal(res.runs, load_results(made["sweep6"]).runs)
    assert yaml.safe_load((out / "spec.resolved.yaml").read_text()) == res.spec


# --- monthly.parquet ------------------------------------------------------------


def test_a_sweep_keeps_every_runs_monthly_scorecard(made: dict[str, Path]) -> None:
    res = load_results(made["sweep6"])
    assert res.monthly is not None
    keys = ["scenario_id", "replication"]
    assert set(map(tuple, res.monthly[keys].drop_duplicates().to_numpy().tolist())) == set(
        map(tuple, res.runs[keys].to_numpy().tolist())
    )
    # each run's monthly inquiries are the sums of its days
    daily = res.daily.assign(month=pd.to_datetime(res.daily["date"]).dt.strftime("%Y-%m"))
    sums = daily.groupby([*keys, "month"])["inquiries_arrived"].sum()
    got = res.monthly.set_index([*keys, "month"])["inquiries_arrived"]
    pd.testing.assert_series_equal(got.sort_index(), sums.sort_index(), check_dtype=False)


def test_a_sweep_folder_without_monthly_parquet_still_loads(
    made: dict[str, Path], tmp_path: Path
) -> None:
    folder = copy(made, "sweep", tmp_path)
    (folder / "monthly.parquet").unlink()
    doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    del doc["files"]["monthly.parquet"]
    (folder / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    res = load_results(folder)
    assert res.monthly is None and len(res.runs) == 4


def test_a_monthly_parquet_of_other_runs_is_refused(made: dict[str, Path], tmp_path: Path) -> None:
    folder = copy(made, "sweep", tmp_path)
    shutil.copy(made["sweep6"] / "monthly.parquet", folder / "monthly.parquet")
    restamp(folder)
    with pytest.raises(ResultsError, match=r"monthly\.parquet.*different writes"):
        load_results(folder)


def test_resuming_a_store_without_monthly_tables_writes_none(
    made: dict[str, Path], tmp_path: Path
) -> None:
    """A store of an officeq that kept no monthly tables: the column is added, the old
    runs have none, so the resumed sweep writes no monthly.parquet (not a partial one)."""
    import sqlite3

    folder = copy(made, "sweep", tmp_path)
    db = sqlite3.connect(folder / "store.sqlite")
    with db:
        db.execute("ALTER TABLE runs DROP COLUMN monthly")
    db.close()
    args = ("--resume", "--replications", 3, "--workers", 1, "--out", folder)
    r = invoke("sweep", made["spec"], *args)
    assert r.exit_code == 0, r.output
    assert "monthly.parquet" not in r.output
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "monthly.parquet" not in manifest["files"]
    assert not (folder / "monthly.parquet").exists()  # no stale table of the earlier write
    res = load_results(folder)
    assert res.monthly is None and len(res.runs) == 6
