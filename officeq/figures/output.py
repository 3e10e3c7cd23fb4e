"""Saving figures: one to a file, atomically, or a run's set into a folder being built."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from officeq.experiments.folders import Results
from officeq.measure.files import atomic_write

RUN_KINDS = ("overview", "backlog", "scorecard")


def _save(fig: Figure, path: Path, fmt: str) -> None:
    fig.savefig(path, format=fmt, dpi=130, bbox_inches="tight")


def write_figure(fig: Figure, path: str | Path) -> Path:
    """Save a figure (format from the suffix: .png or .svg), atomically."""
    fmt = Path(path).suffix.lstrip(".").lower()
    return atomic_write(path, lambda p: _save(fig, p, fmt))


def run_figures(results: Results, folder: Path, steering: bool) -> list[str]:
    """Draw every kind that fits one run (``steering`` too when it steers, and
    ``decision_times`` when income support was decided) as PNGs
    into ``folder`` (a folder being built); the names written."""
    from officeq.figures.kinds import make_figure

    names = []
    kinds = (*RUN_KINDS, "steering") if steering else RUN_KINDS
    if (results.run_summary or {}).get("income_support_decided"):
        kinds = (*kinds, "decision_times")
    for kind in kinds:
        _save(make_figure(results, kind), folder / f"{kind}.png", "png")
        names.append(f"{kind}.png")
    return names
