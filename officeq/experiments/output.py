"""Writing a sweep's tables to its folder, each file replaced atomically."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from officeq.measure.output import atomic_write

SWEEP_FILES = ("runs.parquet", "daily.parquet", "summary.csv", "spec.resolved.yaml")


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
    writers = (
        lambda p: runs.to_parquet(p, index=False),
        lambda p: daily.to_parquet(p, index=False),
        lambda p: summary.to_csv(p, index=False),
        lambda p: p.write_text(
            yaml.safe_dump(resolved_spec, sort_keys=False, allow_unicode=True), encoding="utf-8"
        ),
    )
    return [atomic_write(out / n, w) for n, w in zip(SWEEP_FILES, writers, strict=True)]
