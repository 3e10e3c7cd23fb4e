"""Reading result folders back: a sweep's tables or one run's files.

Plots and reports read these tables only; they never run the model. A folder
that holds neither kind gets one clear message saying what would work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
import yaml

if TYPE_CHECKING:
    from officeq.measure.run import RunResult

SWEEP_FILES = ("runs.parquet", "daily.parquet", "summary.csv")
RUN_FILES = ("summary.json", "daily.csv")


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
    spec: dict[str, Any] | None = None
    config: dict[str, Any] | None = None

    @property
    def grid(self) -> dict[str, list[Any]]:
        return dict((self.spec or {}).get("grid") or {})


def run_results(result: RunResult, folder: str | Path | None = None) -> Results:
    """The tables of a run in memory, as a folder would give them (for figures)."""
    return Results(
        Path(folder) if folder is not None else Path(f"run of {result.config.name}"),
        "run",
        result.daily,
        run_summary=result.summary,
        monthly=result.monthly,
        config=result.config.model_dump(mode="json"),
    )


def load_results(folder: str | Path) -> Results:
    """Load a folder written by ``officeq sweep`` or ``officeq run --out``."""
    path = Path(folder)
    if not path.is_dir():
        raise ResultsError(
            f"{path}: no such folder (give the --out folder of officeq sweep or officeq run)"
        )
    if all((path / f).is_file() for f in SWEEP_FILES):
        spec_file = path / "spec.resolved.yaml"
        spec = (
            yaml.safe_load(spec_file.read_text(encoding="utf-8")) if spec_file.is_file() else None
        )
        return Results(
            path,
            "sweep",
            pd.read_parquet(path / "daily.parquet"),
            runs=pd.read_parquet(path / "runs.parquet"),
            summary=pd.read_csv(path / "summary.csv"),
            spec=spec,
        )
    if all((path / f).is_file() for f in RUN_FILES):
        monthly = path / "monthly.csv"
        config = path / "config.resolved.yaml"
        return Results(
            path,
            "run",
            pd.read_csv(path / "daily.csv"),
            run_summary=json.loads((path / "summary.json").read_text(encoding="utf-8")),
            monthly=pd.read_csv(monthly) if monthly.is_file() else None,
            config=yaml.safe_load(config.read_text(encoding="utf-8")) if config.is_file() else None,
        )
    raise ResultsError(
        f"{path}: holds no officeq results (expected {', '.join(SWEEP_FILES)} from officeq "
        f"sweep, or {', '.join(RUN_FILES)} from officeq run --out)"
    )
