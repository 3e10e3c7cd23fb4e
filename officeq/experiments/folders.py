"""Reading result folders back: a sweep's tables or one run's files.

Plots and reports read these tables only; they never run the model. A folder
is read only when it is whole: its ``manifest.json`` (written last, see
:mod:`officeq.measure.manifest`) is valid, every file read matches it, and
the files agree with each other (the same runs). Anything else, and any file
that does not parse, is a :class:`ResultsError`: one line naming the file
and what is wrong with it, and what would work.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
import yaml

from officeq.experiments.output import MONTHLY_FILE, STAFFING_FILES, SWEEP_FILES
from officeq.measure.manifest import (
    MANIFEST,
    ManifestError,
    check_files,
    one_line,
    read_manifest,
)
from officeq.measure.output import RUN_FILES

if TYPE_CHECKING:
    from officeq.measure.run import RunResult

STORE = "store.sqlite"
REQUIRED = {
    "runs.parquet": ("scenario_id", "scenario", "replication"),
    "daily.parquet": ("scenario_id", "scenario", "replication", "day", "date", "followup_overdue"),
    "summary.csv": ("scenario_id", "scenario", "metric", "mean", "ci_low", "ci_high", "n"),
    "daily.csv": ("day", "date", "warmup", "followup_overdue"),
    "monthly.csv": ("month",),
    MONTHLY_FILE: ("scenario_id", "scenario", "replication", "month"),
    "caseworkers.csv": ("caseworker",),
    "decision_times.csv": ("application", "days_from", "days_to", "decisions"),
}
OPTIONAL_RUN_FILES = ("caseworkers.csv", "decision_times.csv")
"""Files of a run folder that older versions did not write (0.12, 0.13)."""


def _run_files(manifest: dict[str, Any]) -> tuple[str, ...]:
    """A run folder's files; the optional ones only where the manifest lists them (runs
    written before version 0.12 have no caseworkers.csv, before 0.13 no decision_times.csv)."""
    listed = manifest.get("files", {})
    return tuple(f for f in RUN_FILES if f not in OPTIONAL_RUN_FILES or f in listed)


def _files(kind: str, manifest: dict[str, Any]) -> tuple[str, ...]:
    """The files a folder of ``kind`` must hold: monthly.parquet only where the manifest
    lists it (sweeps written before it existed, or resumed from runs stored without
    monthly tables); an advisor's folder written by an older officeq also lists an empty
    daily.parquet, which is then checked too."""
    if kind == "run":
        return _run_files(manifest)
    listed = manifest.get("files", {})
    if kind == "staffing" and "daily.parquet" not in listed:
        return STAFFING_FILES
    return (*SWEEP_FILES, *((MONTHLY_FILE,) if MONTHLY_FILE in listed else ()))


class ResultsError(ValueError):
    """A results folder that cannot be used for what was asked."""


@dataclass(frozen=True)
class Results:
    """The tables of one results folder."""

    folder: Path
    kind: Literal["sweep", "run"]
    daily: pd.DataFrame
    runs: pd.DataFrame | None = None
    summary: pd.DataFrame | None = None
    """Sweep: per scenario and metric (summary.csv)."""
    run_summary: dict[str, Any] | None = None
    """Run: metric → value (summary.json)."""
    monthly: pd.DataFrame | None = None
    """Run: monthly.csv; sweep: monthly.parquet (every run's), None in older sweeps."""
    spec: dict[str, Any] | None = None
    config: dict[str, Any] | None = None
    caseworkers: pd.DataFrame | None = None
    """Run: one row per caseworker (caseworkers.csv); None for runs written without it."""
    decision_times: pd.DataFrame | None = None
    """Run: income-support decisions by days from receipt (decision_times.csv), or None."""

    @property
    def grid(self) -> dict[str, list[Any]]:
        return dict((self.spec or {}).get("grid") or {})

    @property
    def groups(self) -> list[str]:
        """The office's need groups, in order (from the resolved config)."""
        config = (self.spec or {}).get("base_config") or self.config or {}
        return list(((config.get("work") or {}).get("followup") or {}).get("groups") or {})


def run_results(result: RunResult, folder: str | Path | None = None) -> Results:
    """The tables of a run in memory, as a folder would give them (for figures)."""
    return Results(
        Path(folder) if folder is not None else Path(f"run of {result.config.name}"),
        "run",
        result.daily,
        run_summary=result.summary,
        monthly=result.monthly,
        config=result.config.model_dump(mode="json"),
        caseworkers=result.caseworkers,
        decision_times=result.decision_times,
    )


def load_results(folder: str | Path) -> Results:
    """Load a folder written by ``officeq sweep``, ``officeq run --out`` or
    ``officeq staff --out``; :class:`ResultsError` unless it is whole."""
    path = Path(folder)
    if not path.is_dir():
        what = "a file, not a folder" if path.exists() else "no such folder"
        raise ResultsError(
            f"{path}: {what} (give the --out folder of officeq sweep or officeq run)"
        )
    if not (path / MANIFEST).exists():
        raise ResultsError(_without_manifest(path))
    kind = manifest_kind(path)
    try:
        manifest = read_manifest(path)
        kind = manifest["kind"]
        if kind == "export":
            raise ResultsError(
                f"{path}: holds CSV files of officeq export; give the results folder "
                "they were exported from"
            )
        check_files(path, manifest, _files(kind, manifest))
    except ManifestError as e:
        raise ResultsError(f"{e}; {_redo(path, kind)}") from None
    return _load_run(path, manifest) if kind == "run" else _load_sweep(path, manifest)


def manifest_kind(path: Path) -> str:
    """What a folder looks like it holds, for the advice in messages."""
    if (path / STORE).exists() or any((path / f).exists() for f in SWEEP_FILES):
        return "sweep"
    return "run"


def _redo(path: Path, kind: str) -> str:
    if kind == "sweep":
        return f"run the same officeq sweep with --resume --out {path} to write it again"
    command = "officeq staff" if kind == "staffing" else "officeq run"
    return f"run {command} again with --out {path}"


def _without_manifest(path: Path) -> str:
    kind = manifest_kind(path)
    if kind == "run" and not any((path / f).exists() for f in RUN_FILES):
        return (
            f"{path}: holds no officeq results (expected {', '.join(SWEEP_FILES[:3])} from "
            f"officeq sweep, or {', '.join(RUN_FILES[:2])} from officeq run --out)"
        )
    return (
        f"{path}: incomplete (no {MANIFEST}: the write was interrupted, or an officeq "
        f"without manifests wrote it); {_redo(path, kind)}"
    )


def _read(path: Path, what: str, reader: Callable[[Path], Any]) -> Any:
    """``reader(path)``, or :class:`ResultsError` naming the file and what is wrong."""
    import pyarrow as pa

    try:
        return reader(path)
    except (OSError, ValueError, TypeError, yaml.YAMLError, pa.ArrowException) as e:
        reason = one_line(e, drop=f"Could not open Parquet input source '{path}': ")
        raise ResultsError(f"{path}: not a readable {what} ({reason})") from None


def _table(path: Path, what: str, reader: Callable[[Path], Any], empty_ok: bool = False):  # type: ignore[no-untyped-def]
    df = _read(path, what, reader)
    if not isinstance(df, pd.DataFrame):
        raise ResultsError(f"{path}: not a table")
    if empty_ok and df.empty:
        return df
    missing = [c for c in REQUIRED.get(path.name, ()) if c not in df.columns]
    if missing:
        raise ResultsError(f"{path}: missing column{'s' * (len(missing) > 1)} {', '.join(missing)}")
    return df


def _mapping(path: Path, what: str, reader: Callable[[Path], Any]) -> dict[str, Any]:
    doc = _read(path, what, reader)
    if not isinstance(doc, dict):
        raise ResultsError(f"{path}: not a {what} (the top level is not a mapping)")
    return doc


def _json(p: Path) -> Any:
    return json.loads(p.read_text(encoding="utf-8"))


def _yaml(p: Path) -> Any:
    return yaml.safe_load(p.read_text(encoding="utf-8"))


def _csv(p: Path) -> pd.DataFrame:
    return pd.read_csv(p)


def _load_run(path: Path, manifest: dict[str, Any]) -> Results:
    summary = _mapping(path / "summary.json", "JSON object of metrics", _json)
    bad = [k for k, v in summary.items() if not (v is None or _is_number(v))]
    if bad:
        raise ResultsError(f"{path / 'summary.json'}: {bad[0]!r} is not a number or null")
    config = _mapping(path / "config.resolved.yaml", "YAML config", _yaml)
    if "seed" in manifest and config.get("seed") != manifest["seed"]:
        raise ResultsError(
            f"{path / 'config.resolved.yaml'}: seed {config.get('seed')!r}, {MANIFEST} says "
            f"{manifest['seed']}: the files are from different runs; {_redo(path, 'run')}"
        )
    daily = _table(path / "daily.csv", "CSV table", _csv)
    if daily.empty:
        raise ResultsError(f"{path / 'daily.csv'}: no days")
    caseworkers = None
    if "caseworkers.csv" in _run_files(manifest):
        caseworkers = _table(path / "caseworkers.csv", "CSV table", _csv)
    decision_times = None
    if "decision_times.csv" in _run_files(manifest):
        decision_times = _table(path / "decision_times.csv", "CSV table", _csv)
    return Results(
        path,
        "run",
        daily,
        run_summary=summary,
        monthly=_table(path / "monthly.csv", "CSV table", _csv),
        config=config,
        caseworkers=caseworkers,
        decision_times=decision_times,
    )


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _load_sweep(path: Path, manifest: dict[str, Any]) -> Results:
    runs = _table(path / "runs.parquet", "Parquet file", pd.read_parquet)
    daily = pd.DataFrame()  # the staffing advisor keeps no daily series
    if "daily.parquet" in manifest.get("files", {}):
        daily = _table(path / "daily.parquet", "Parquet file", pd.read_parquet, empty_ok=True)
    summary = _table(path / "summary.csv", "CSV table", _csv)
    spec = _mapping(path / "spec.resolved.yaml", "YAML spec", _yaml)
    _check_runs_agree(path, manifest, runs, daily, summary)
    monthly = None
    if MONTHLY_FILE in _files("sweep", manifest):
        monthly = _table(path / MONTHLY_FILE, "Parquet file", pd.read_parquet, empty_ok=True)
        _check_same_runs(path / MONTHLY_FILE, runs, monthly, _redo(path, "sweep"))
    return Results(path, "sweep", daily, runs=runs, summary=summary, monthly=monthly, spec=spec)


def _check_runs_agree(
    path: Path,
    manifest: dict[str, Any],
    runs: pd.DataFrame,
    daily: pd.DataFrame,
    summary: pd.DataFrame,
) -> None:
    """The three tables describe the same runs (a mix of two writes would not)."""
    redo = _redo(path, manifest["kind"])
    keys = ["scenario_id", "replication"]
    if len(runs) != manifest["runs"]:
        raise ResultsError(
            f"{path / 'runs.parquet'}: {len(runs)} runs, {MANIFEST} says {manifest['runs']}; {redo}"
        )
    if runs.duplicated(keys).any():
        raise ResultsError(f"{path / 'runs.parquet'}: a run appears twice; {redo}")
    _check_same_runs(path / "daily.parquet", runs, daily, redo)
    per_scenario = runs.groupby("scenario_id").size()
    n = pd.to_numeric(summary["n"], errors="coerce").groupby(summary["scenario_id"]).max()
    if set(n.index) != set(per_scenario.index) or not (n == per_scenario.reindex(n.index)).all():
        raise ResultsError(
            f"{path / 'summary.csv'}: its n per scenario ({_counts(n)}) is not the runs in "
            f"runs.parquet ({_counts(per_scenario)}): the files are from different writes; {redo}"
        )


def _check_same_runs(file: Path, runs: pd.DataFrame, table: pd.DataFrame, redo: str) -> None:
    """A per-run series (daily, monthly) holds the runs of runs.parquet (or is empty)."""
    if table.empty:
        return
    keys = ["scenario_id", "replication"]
    in_table = set(map(tuple, table[keys].drop_duplicates().to_numpy().tolist()))
    in_runs = set(map(tuple, runs[keys].to_numpy().tolist()))
    if in_table != in_runs:
        raise ResultsError(
            f"{file}: series of {len(in_table)} runs, runs.parquet has "
            f"{len(in_runs)} (other runs): the files are from different writes; {redo}"
        )


def _counts(s: pd.Series) -> str:
    values = sorted({int(v) if pd.notna(v) else -1 for v in s})
    return "/".join(str(v) if v >= 0 else "?" for v in values)
