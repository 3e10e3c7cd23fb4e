"""Writing run results to a folder: the one place the run's files are written.

Files are first written to a temporary folder beside the target and moved in
only when all are complete, so an interrupted or failed write leaves nothing
half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

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
