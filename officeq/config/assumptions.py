"""The assumptions a config rests on: the fields its comments mark ``(A)``.

The shipped configs mark every number that is an assumption, not a
measurement, with ``(A)`` in the comment on its line (``docs/calibration.md``
has the sources). A report lists them, with the value the run used, so a
reader sees what to sweep before trusting a conclusion.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MARK = "(A)"
MAX_EXTENDS = 20
"""Files an ``extends`` chain is followed through (the loader refuses cycles)."""
_KEY = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:")


def _split_comment(line: str) -> tuple[str, str]:
    """Code and comment of a YAML line (a ``#`` inside quotes is not a comment)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i], line[i + 1 :].strip()
    return line, ""


def marked(text: str) -> list[tuple[str, str]]:
    """``(dotted path, comment)`` of every mapping key whose line (or the
    continuation lines of its value) carries the ``(A)`` mark, in file order."""
    return [(p, note) for p, note in _walk(text).items() if note is not None]


def _walk(text: str) -> dict[str, str | None]:
    """Every mapping key's dotted path, with its ``(A)`` note (None: not marked)."""
    stack: list[tuple[int, str]] = []
    path = ""
    out: dict[str, str | None] = {}
    for line in text.splitlines():
        code, comment = _split_comment(line)
        m = _KEY.match(code)
        if m:
            indent = len(m.group(1))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, m.group(2)))
            path = ".".join(k for _, k in stack)
            out.setdefault(path, None)
        elif not code.strip():
            continue  # a comment line on its own belongs to no field
        if MARK in comment and path:
            note = re.sub(r"\s*\(A\)", "", comment).strip(" ;,")
            out[path] = note or out.get(path) or ""
    return out


def marked_file(path: str | Path, depth: int = 0) -> list[tuple[str, str]]:
    """:func:`marked` of a config file and of the files it ``extends``: a field the
    file sets again without the mark is no longer an assumption of it."""
    path = Path(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    fields = _walk(text)
    parent = re.search(r"^extends:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(#.*)?$", text, re.M)
    inherited: dict[str, str] = {}
    if parent and depth < MAX_EXTENDS:
        other = path.parent / parent.group(1).strip()
        if other.is_file():
            inherited = dict(marked_file(other, depth + 1))
    out = {p: n for p, n in inherited.items() if not _set_here(p, fields)}
    out.update({p: n for p, n in fields.items() if n is not None})
    return list(out.items())


def _set_here(path: str, fields: Mapping[str, str | None]) -> bool:
    """Whether a file sets ``path`` itself (or a value above it, e.g. a whole section)."""
    parts = path.split(".")
    return any(
        ".".join(parts[: i + 1]) in fields and not _is_section(parts[: i + 1], path, fields)
        for i in range(len(parts))
    )


def _is_section(prefix: list[str], path: str, fields: Mapping[str, str | None]) -> bool:
    """A key with keys below it is a section: setting it sets only what it lists."""
    key = ".".join(prefix)
    return key != path and any(f.startswith(key + ".") for f in fields)


def value_at(config: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of a resolved config (None when absent)."""
    node: Any = config
    for key in path.split("."):
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def assumptions(path: str | Path, config: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The marked fields of a config file (and of those it extends), with the resolved
    config's value and the comment."""
    return [
        {"field": p, "value": value_at(config, p), "note": note} for p, note in marked_file(path)
    ]
