"""Saving a figure to a file, atomically."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from officeq.measure.output import atomic_write


def write_figure(fig: Figure, path: str | Path) -> Path:
    """Save a figure (format from the suffix: .png or .svg), atomically."""
    fmt = Path(path).suffix.lstrip(".").lower()
    return atomic_write(path, lambda p: fig.savefig(p, format=fmt, dpi=130, bbox_inches="tight"))
