"""Writing one run's results to a folder, and the atomic writes every room uses.

Files are first written to a temporary folder (or file) beside the target
and moved in only when complete, so an interrupted or failed write leaves
nothing half-written. Sweeps (:mod:`officeq.experiments.output`) and figures
(:mod:`officeq.figures.output`) write through :func:`atomic_write`.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from officeq.config.loading import dump_config

if TYPE_CHECKING:
    from officeq.measure.run import RunResult

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


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write`` on a temporary file beside ``path``, then move it into place."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def write_text(path: str | Path, text: str) -> Path:
    """Write a text file atomically."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
