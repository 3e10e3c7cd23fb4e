"""The layout's rules: rooms by role, one-way flow, no import circles, small modules.

The rooms, in the order data flows: config -> model -> measure -> data ->
validation -> experiments -> figures -> api -> app -> cli. A module may import its own room and
the rooms before it, never one after (function-level imports included). The
model and the ``--help`` path import none of the heavy libraries.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "officeq"
ROOMS = (
    "config",
    "model",
    "measure",
    "data",
    "validation",
    "experiments",
    "figures",
    "api",
    "app",
    "cli",
)
HEAVY = (
    "pandas",
    "matplotlib",
    "seaborn",
    "pyarrow",
    "dask",
    "distributed",
    "scipy.stats",
    "shiny",
    "uvicorn",
)
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """Every officeq module ``path`` imports, at any level (TYPE_CHECKING included)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("officeq")}
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").startswith("officeq")
        ):
            known = modules()
            for a in node.names:  # `from officeq.figures import plots` imports a module
                sub = f"{node.module}.{a.name}"
                out.add(sub if sub in known else str(node.module))
    return out


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else None


def test_every_module_lives_in_a_room() -> None:
    loose = [m for m in modules() if room(m) is None and m not in ("officeq", "officeq.__main__")]
    assert loose == []


@pytest.mark.parametrize("module", sorted(modules()))
def test_imports_flow_one_way(module: str) -> None:
    here = room(module)
    if here is None:
        return  # the package's front door and __main__ may import anything
    rank = ROOMS.index(here)
    for target in imports(modules()[module]):
        there = room(target)
        if there is None:
            assert target == "officeq", f"{module} imports {target}"
            continue
        assert ROOMS.index(there) <= rank, f"{module} ({here}) imports {target} ({there})"


def find_circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle in ``graph`` (module -> modules it imports), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return [*stack[stack.index(n) :], n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_import_circles() -> None:
    graph = {m: imports(p) & set(modules()) for m, p in modules().items()}
    circle = find_circle(graph)
    assert circle is None, "import circle: " + " -> ".join(circle or [])


def test_the_circle_check_has_teeth() -> None:
    assert find_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_circle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


@pytest.mark.parametrize("module", sorted(modules()))
def test_modules_stay_small(module: str) -> None:
    lines = modules()[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it along a concept"


def loaded_after(code: str) -> set[str]:
    """Top-level module names loaded by a fresh interpreter running ``code``."""
    probe = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def heavy_in(loaded: set[str]) -> list[str]:
    return [h for h in HEAVY if h in loaded]


def test_the_model_imports_no_heavy_library() -> None:
    code = "\n".join(f"import {m}" for m in sorted(modules()) if room(m) == "model")
    loaded = loaded_after(code)
    assert heavy_in(loaded) == []
    assert "click" not in loaded and "rich" not in loaded
    assert not any(
        m.startswith(("officeq.measure", "officeq.cli", "officeq.figures")) for m in loaded
    )


def test_a_run_imports_no_pandas_until_a_table_is_asked_for() -> None:
    code = (
        "import officeq\n"
        "r = officeq.run({'horizon_days': 20, 'warmup_days': 5})\n"
        "assert r.summary['inquiries_arrived'] > 0\n"
    )
    loaded = loaded_after(code)
    assert heavy_in(loaded) == []
    loaded = loaded_after(code + "r.daily\n")
    assert "pandas" in loaded  # and the probe can tell


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["sweep", "--help"]])
def test_help_imports_no_heavy_library(argv: list[str]) -> None:
    code = (
        "import contextlib, io\n"
        "from officeq.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({argv!r}, standalone_mode=False)\n"
    )
    loaded = loaded_after(code)
    assert heavy_in(loaded) == []
    assert "pydantic" not in loaded and "officeq.model.simulate" not in loaded
