"""Writing results to a folder: the one place run and sweep files are written.

Files are first written to a temporary folder beside the target and moved in
only when all are complete, so an interrupted or failed write leaves nothing
half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import yaml
from matplotlib.figure import Figure

from officeq.configio import dump_config
from officeq.model import RunResult

RUN_FILES = ("summary.json", "daily.csv", "monthly.csv", "config.resolved.yaml")


def summary_json(summary: dict[str, float | None]) -> str:
    """``summary.json`` text: a flat object, metric name to number (null: undefined)."""
    return json.dumps(summary, indent=2, allow_nan=False) + "\n"


def write_run(result: RunResult, out_dir: str | Path) -> list[Path]:
    """Write ``summary.json``, ``daily.csv``, ``monthly.csv`` and ``config.resolved.yaml``."""
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (tmp / "summary.json").write_text(summary_json(result.summary), encoding="utf-8")
        result.daily.to_csv(tmp / "daily.csv", index=False)
        result.monthly.to_csv(tmp / "monthly.csv", index=False)
        (tmp / "config.resolved.yaml").write_text(dump_config(result.config), encoding="utf-8")
        out.mkdir(exist_ok=True)
        for name in RUN_FILES:
            os.replace(tmp / name, out / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / name for name in RUN_FILES]


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_sweep(
    out_dir: str | Path,
    runs: pd.DataFrame,
    daily: pd.DataFrame,
    summary: pd.DataFrame,
    resolved_spec: dict,
) -> list[Path]:
    """Write ``runs.parquet``, ``daily.parquet``, ``summary.csv`` and ``spec.resolved.yaml``,
    each replaced atomically."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "runs.parquet": lambda p: runs.to_parquet(p, index=False),
        "daily.parquet": lambda p: daily.to_parquet(p, index=False),
        "summary.csv": lambda p: summary.to_csv(p, index=False),
        "spec.resolved.yaml": lambda p: p.write_text(
            yaml.safe_dump(resolved_spec, sort_keys=False, allow_unicode=True), encoding="utf-8"
        ),
    }
    for name, write in files.items():
        _atomic(out / name, write)
    return [out / name for name in files]


def write_figure(fig: Figure, path: str | Path) -> Path:
    """Save a figure (format from the suffix: .png or .svg), atomically."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fmt = out.suffix.lstrip(".").lower()
    _atomic(out, lambda p: fig.savefig(p, format=fmt, dpi=130, bbox_inches="tight"))
    return out


def write_text(path: str | Path, text: str) -> Path:
    """Write a text file atomically."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    _atomic(out, lambda p: p.write_text(text, encoding="utf-8"))
    return out
