"""The README's configuration reference is generated from the schema and up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from pydantic import BaseModel, Field

from officeq.config.base import StrictModel
from officeq.config.schema import Config

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "config_reference", ROOT / "scripts" / "config_reference.py"
)
assert _spec is not None and _spec.loader is not None
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)


def test_the_readme_table_is_the_generated_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ref.START in readme and ref.END in readme
    assert ref.with_table(readme) == readme, (
        "README.md's configuration reference is out of date: run python scripts/config_reference.py"
    )


def test_every_meaning_in_the_script_is_of_an_undocumented_schema_field() -> None:
    assert ref.stale_meanings() == []


def test_every_schema_field_has_a_row_with_the_schema_default() -> None:
    table = ref.table()
    cfg = Config()
    assert f"| `staff.caseworkers` | whole number | `{cfg.staff.caseworkers}` |" in table
    for path, _field in ref.rows(Config):
        assert f"| `{path}` |" in table or ref.kind(_field.annotation) == "section"
    assert "| `steering.indicators[].name` |" in table
    assert "| `work.followup.groups.<name>.share` |" in table


class _Leaf(StrictModel):
    size: int = 3
    """How big."""


class _Root(BaseModel):
    label: str = "x"
    section: _Leaf = _Leaf()
    optional: _Leaf | None = None
    named: dict[str, _Leaf] = Field(default_factory=dict)
    listed: tuple[_Leaf, ...] = ()
    mode: str | None = None


def test_the_walk_is_generic_over_sections_mappings_and_lists() -> None:
    paths = [p for p, _ in ref.rows(_Root)]
    assert paths == [
        "label",
        "section",
        "section.size",
        "optional",
        "optional.size",
        "named",
        "named.<name>.size",
        "listed",
        "listed[].size",
        "mode",
    ]
    fields = dict(ref.rows(_Root))
    assert ref.kind(fields["optional"].annotation) == "section or null"
    assert ref.kind(fields["named"].annotation) == "mapping of sections"
    assert ref.kind(fields["mode"].annotation) == "text or null"
    assert ref.default_text(fields["section.size"]) == "`3`"
    assert fields["section.size"].description == "How big."  # docstrings are the meanings


class _Wider(_Leaf):
    size: int = 5
    colour: str = "red"
    """Which colour."""


def test_field_docstrings_are_read_from_the_source_as_pydantic_would() -> None:
    # the schema no longer collects them at import (0.2 s a command); the script does, with
    # pydantic's rules: a subclass inherits a docstring, and loses it by declaring the field again
    assert ref.field_docs(_Leaf) == {"size": "How big."}
    assert ref.field_docs(_Wider) == {"colour": "Which colour."}
    assert StrictModel.model_fields == {} and _Leaf.model_fields["size"].description is None
