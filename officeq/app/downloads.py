"""The Download tab's files, built from a finished run's folder (pure: bytes out).

A page run's folder holds ``office.yaml``, ``experiment.yaml`` and the
``results`` folder ``officeq sweep`` wrote (:mod:`officeq.app.tasks`). Each
function here builds its file in a temporary folder that is removed
afterwards, and returns the whole file's bytes, so a download is never half
a file and nothing is left behind. The files are those the commands write:
``officeq export --csv`` and ``--xlsx``, ``officeq plot``, ``officeq report``.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officeq.app.tasks import OFFICE_FILE, RESULTS, SPEC_FILE

if TYPE_CHECKING:
    from officeq.experiments.folders import Results

FIGURES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("backlog", "backlog", {}),
    ("backlog_by_group", "backlog", {"by_group": True}),
    ("scorecard", "scorecard", {}),
    ("spread", "spread", {}),
    ("gaps", "gaps", {}),
)
"""The PNGs of a run, as ``officeq plot --kind``: file stem, kind, options; a kind that
does not fit the run (e.g. no need groups) is left out."""


def stem(name: str) -> str:
    """A file name's stem from a run's name: ``økt bemanning, 15`` → ``økt-bemanning-15``."""
    return re.sub(r"[^\w.-]+", "-", name).strip("-.")[:60] or "officeq-run"


def _zip(folder: Path, names: list[str] | None = None) -> bytes:
    """The files of ``folder`` (or the given ones, in order) as a zip archive's bytes."""
    buf = io.BytesIO()
    chosen = names if names is not None else sorted(p.name for p in folder.iterdir())
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in chosen:
            z.write(folder / name, name)
    return buf.getvalue()


def _built(make: Callable[[Path], Path]) -> bytes:
    """Build a file with ``make(temporary folder)`` and return its bytes."""
    with tempfile.TemporaryDirectory(prefix="officeq-download-") as tmp:
        return make(Path(tmp)).read_bytes()


def csv_zip(folder: Path, dialect: str = "plain") -> bytes:
    """``officeq export RESULTS --csv DIR``'s files (and its manifest), zipped."""
    from officeq.api.exporting import export_csv

    def make(tmp: Path) -> Path:
        export_csv(folder / RESULTS, tmp / "csv", dialect)
        (tmp / "tables.zip").write_bytes(_zip(tmp / "csv"))
        return tmp / "tables.zip"

    return _built(make)


def xlsx(folder: Path) -> bytes:
    """``officeq export RESULTS --xlsx FILE``: the Excel workbook."""
    from officeq.api.exporting import export_xlsx

    return _built(lambda tmp: export_xlsx(folder / RESULTS, tmp / "tables.xlsx"))


def figures(results: Results) -> list[tuple[str, Any]]:
    """The figures that fit the run: (file stem, figure)."""
    from officeq.experiments.folders import ResultsError
    from officeq.figures.kinds import FigureOptions, make_figure

    out = []
    for name, kind, options in FIGURES:
        try:
            out.append((name, make_figure(results, kind, FigureOptions(**options))))
        except (ResultsError, ValueError):
            continue
    return out


def figures_zip(results: Results) -> bytes:
    """The run's figures as PNGs (as ``officeq plot --out NAME.png`` saves them), zipped."""
    from officeq.figures.output import write_figure

    def make(tmp: Path) -> Path:
        names = []
        for name, fig in figures(results):
            write_figure(fig, tmp / f"{name}.png")
            names.append(f"{name}.png")
        (tmp / "figures.zip").write_bytes(_zip(tmp, names))
        return tmp / "figures.zip"

    return _built(make)


def report_html(results: Results) -> str:
    """The self-contained HTML report ``officeq report RESULTS`` writes of a page run
    (figures embedded, the spec's targets answered)."""
    from officeq.figures.report import report_html as whole_report

    return whole_report(results)


def report(results: Results) -> bytes:
    return report_html(results).encode("utf-8")


def office_yaml(folder: Path) -> bytes:
    """The office the run simulated: every field, resolved (``office.yaml``)."""
    return (folder / OFFICE_FILE).read_bytes()


def spec_zip(folder: Path) -> bytes:
    """``experiment.yaml`` and ``office.yaml``: ``officeq sweep experiment.yaml``
    in the unzipped folder reproduces the run exactly."""
    return _zip(folder, [SPEC_FILE, OFFICE_FILE])
