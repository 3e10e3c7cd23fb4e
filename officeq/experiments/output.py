"""Writing a sweep's tables to its folder, and the staffing advisor's folder.

A sweep's folder also holds its resumable run store (``store.sqlite``), so
it is rewritten in place: the old ``manifest.json`` is removed first, each
table is replaced atomically, and the new manifest comes last. A sweep
killed between two files leaves a folder without a manifest, which readers
refuse until ``--resume`` writes the tables again. Files the manifest does
not list (figures and reports drawn into the folder, the store) are left
alone. The staffing advisor's folder has no store and is written whole
(:func:`officeq.measure.output.write_folder`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from officeq.measure.files import OutputError, atomic_write, check_folder
from officeq.measure.manifest import (
    COMMANDS,
    ManifestError,
    read_manifest,
    remove_manifest,
    write_manifest,
)
from officeq.measure.output import write_folder

SWEEP_FILES = ("runs.parquet", "daily.parquet", "summary.csv", "spec.resolved.yaml")
MONTHLY_FILE = "monthly.parquet"
"""Every run's monthly scorecard; written when every run has one (sweeps stored before
it was kept have none), so readers load it only where the manifest lists it."""
STAFFING_FILES = tuple(f for f in SWEEP_FILES if f != "daily.parquet")
"""The staffing advisor's folder: a sweep's files without daily series (it keeps none)."""


def _writers(
    runs: pd.DataFrame, daily: pd.DataFrame, summary: pd.DataFrame, spec: dict[str, Any]
) -> tuple[Callable[[Path], None], ...]:
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    return (
        lambda p: runs.to_parquet(p, index=False),
        lambda p: daily.to_parquet(p, index=False),
        lambda p: summary.to_csv(p, index=False),
        lambda p: p.write_text(text, encoding="utf-8"),
    )


def check_sweep_folder(out: str | Path) -> None:
    """Raise :class:`OutputError` unless a sweep may write into ``out`` (before it runs):
    a writable folder, not holding another kind of officeq results."""
    path = Path(out)
    check_folder(path)
    try:
        kind = read_manifest(path)["kind"] if path.is_dir() else "sweep"
    except ManifestError:
        kind = "sweep"
    if kind != "sweep":
        raise OutputError(
            f"{path}: holds the results of {COMMANDS[kind]}; choose another --out for a sweep"
        )


def write_sweep(
    out_dir: str | Path,
    runs: pd.DataFrame,
    daily: pd.DataFrame,
    summary: pd.DataFrame,
    resolved_spec: dict,
    monthly: pd.DataFrame | None = None,
) -> list[Path]:
    """Write ``runs.parquet``, ``daily.parquet``, ``summary.csv``, ``spec.resolved.yaml``
    and, when given, ``monthly.parquet`` into ``out_dir``, then ``manifest.json`` (the
    old one is removed first)."""
    out = Path(out_dir)
    check_sweep_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    remove_manifest(out)
    writers = _writers(runs, daily, summary, resolved_spec)
    paths = [atomic_write(out / n, w) for n, w in zip(SWEEP_FILES, writers, strict=True)]
    names = list(SWEEP_FILES)
    if monthly is None:  # not one of an earlier write, which the manifest would not list
        (out / MONTHLY_FILE).unlink(missing_ok=True)
    else:
        paths.append(atomic_write(out / MONTHLY_FILE, lambda p: monthly.to_parquet(p, index=False)))
        names.append(MONTHLY_FILE)
    info = {"fingerprint": resolved_spec["fingerprint"]} if "fingerprint" in resolved_spec else {}
    write_manifest(out, "sweep", names, len(runs), **info)
    return paths


def write_staffing(
    out_dir: str | Path, runs: pd.DataFrame, summary: pd.DataFrame, spec: dict[str, Any]
) -> list[Path]:
    """The staffing advisor's levels as a sweep's tables, written whole. The advisor keeps
    each run's summary only, so the folder has no ``daily.parquet`` (an empty one would
    claim daily series that were never kept)."""
    writers = dict(zip(SWEEP_FILES, _writers(runs, pd.DataFrame(), summary, spec), strict=True))

    def build(folder: Path) -> list[str]:
        for name in STAFFING_FILES:
            writers[name](folder / name)
        return list(STAFFING_FILES)

    return write_folder(out_dir, build, "staffing", len(runs))
