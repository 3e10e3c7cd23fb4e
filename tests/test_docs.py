"""The repository stands alone: its docs hold the facts the configs cite."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [
    ROOT / "README.md",
    ROOT / "experiments" / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "configs").rglob("*.yaml")),
    *sorted((ROOT / "experiments").glob("*.yaml")),
    *sorted((ROOT / "officeq").rglob("*.py")),
]
ROWS = {
    int(m)
    for m in re.findall(
        r"^\| (\d+) \|", (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8"), re.M
    )
}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_points_outside_the_repository(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"(\.\./)?shared/[A-Za-z]", text), f"{path} points at shared/"


def test_the_row_check_reads_every_row() -> None:
    assert {1, 17, 36, 37, 54} <= ROWS and 16 not in ROWS  # the table has no row 16


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cited_calibration_row_is_in_the_docs(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    cited = {
        int(n)
        for phrase in re.findall(r"calibration (#\d+(?:,? #\d+)*)", text)
        for n in re.findall(r"\d+", phrase)
    }
    assert cited <= ROWS, f"{path} cites rows {sorted(cited - ROWS)} not in docs/calibration.md"


def test_relative_links_in_the_docs_resolve() -> None:
    for doc in [
        ROOT / "README.md",
        ROOT / "experiments" / "README.md",
        *(ROOT / "docs").glob("*.md"),
    ]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"
