"""Writing output folders whole: one run's results, or any folder built at once.

A run's folder (and the staffing advisor's) is built complete under a
temporary name beside the target, ``manifest.json`` last, and swapped in
with renames (:func:`write_folder`): a reader sees the old folder, no
folder, or the new one, never a mix, and nothing of an earlier run (stale
figures included) survives. Such a folder replaces only a folder of the
same kind, so a user's own files are never deleted. Sweeps, whose folder
holds the resumable run store, rewrite their tables in place instead
(:mod:`officeq.experiments.output`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officeq.config.loading import dump_config
from officeq.measure.files import (
    OutputError,
    atomic_write,
    check_folder,
    new_sibling,
    swap_in,
    write_text,
)
from officeq.measure.manifest import (
    COMMANDS,
    MANIFEST,
    ManifestError,
    read_manifest,
    write_manifest,
)

if TYPE_CHECKING:
    from officeq.measure.run import RunResult

__all__ = ["RUN_FILES", "OutputError", "atomic_write", "write_folder", "write_run", "write_text"]

RUN_FILES = (
    "summary.json",
    "daily.csv",
    "monthly.csv",
    "caseworkers.csv",
    "decision_times.csv",
    "config.resolved.yaml",
)


def summary_json(summary: dict[str, float | None]) -> str:
    """``summary.json`` text: a flat object, metric name to number (null: undefined)."""
    return json.dumps(summary, indent=2, allow_nan=False) + "\n"


def check_replaceable(out: str | Path, kind: str) -> None:
    """Raise :class:`OutputError` unless a folder of ``kind`` may be written at ``out``:
    its place is writable, and it is absent, empty, or a folder of the same kind."""
    path = Path(out)
    check_folder(path, inside=False)
    if path.is_dir() and Path.cwd().resolve().is_relative_to(path.resolve()):
        raise OutputError(f"{path}: is the current folder or holds it; choose another --out")
    if not path.is_dir() or not any(path.iterdir()):
        return
    try:
        found = read_manifest(path)["kind"]
    except ManifestError:
        found = None
    if found != kind:
        what = (
            f"the results of {COMMANDS[found]}"
            if found
            else f"files officeq did not write (no valid {MANIFEST})"
        )
        raise OutputError(
            f"{path}: holds {what}; refusing to replace them with those of {COMMANDS[kind]}: "
            "choose another --out, or empty the folder"
        )


def write_folder(
    out: str | Path,
    build: Callable[[Path], Iterable[str]],
    kind: str,
    runs: int,
    **info: Any,
) -> list[Path]:
    """Build a folder with ``build`` (which writes into the folder it is given and
    returns the names it wrote), add its manifest, and swap it in at ``out``."""
    path = Path(out)
    check_replaceable(path, kind)
    tmp = new_sibling(path)
    try:
        names = list(build(tmp))
        write_manifest(tmp, kind, names, runs, **info)
        swap_in(tmp, path)
    except OSError as e:
        raise OutputError(f"{path}: cannot write it ({e.strerror or e})") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [path / n for n in names]


ISO_SECONDS = "%Y-%m-%dT%H:%M:%S"
"""Timestamps in the CSV files a planner's data comes in: ISO 8601, local time."""


def write_log(log: dict[str, Any], folder: Path, fmt: str = "parquet") -> list[str]:
    """Write a run's event log (``events.parquet`` or ``events.csv``), ``caseload.csv``
    and ``staff.csv`` into ``folder``; returns the names written."""
    events = log["events"]
    if fmt == "csv":
        events.to_csv(folder / "events.csv", index=False, date_format=ISO_SECONDS)
    else:
        events.to_parquet(folder / "events.parquet", index=False)
    log["caseload"].to_csv(folder / "caseload.csv", index=False, date_format=ISO_SECONDS)
    log["staff"].to_csv(folder / "staff.csv", index=False)
    return [f"events.{fmt}", "caseload.csv", "staff.csv"]


def write_run(
    result: RunResult,
    out_dir: str | Path,
    extra: Callable[[Path], Iterable[str]] | None = None,
    events: str | None = None,
) -> list[Path]:
    """Write ``summary.json``, ``daily.csv``, ``monthly.csv``, ``caseworkers.csv``,
    ``decision_times.csv``, ``config.resolved.yaml``, with ``events`` (``parquet`` or
    ``csv``) the event log (:func:`write_log`), and whatever ``extra`` writes into the
    folder (e.g. figures), as one whole folder."""

    def build(folder: Path) -> list[str]:
        (folder / "summary.json").write_text(summary_json(result.summary), encoding="utf-8")
        result.daily.to_csv(folder / "daily.csv", index=False)
        result.monthly.to_csv(folder / "monthly.csv", index=False)
        result.caseworkers.to_csv(folder / "caseworkers.csv", index=False)
        result.decision_times.to_csv(folder / "decision_times.csv", index=False)
        (folder / "config.resolved.yaml").write_text(dump_config(result.config), encoding="utf-8")
        logged = write_log(result.log, folder, events) if events and result.log else []
        return [*RUN_FILES, *logged, *(extra(folder) if extra else ())]

    return write_folder(out_dir, build, "run", 1, seed=result.config.seed)
