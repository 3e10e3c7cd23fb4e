"""The assumptions a config rests on: the fields its comments mark ``(A)``.

The shipped configs mark every number that is an assumption, not a
measurement, with ``(A)`` in the comment on its line (``docs/calibration.md``
has the sources). A report lists them, with the value the run used, so a
reader sees what to sweep before trusting a conclusion.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MARK = "(A)"
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
    stack: list[tuple[int, str]] = []
    path = ""
    out: dict[str, str] = {}
    for line in text.splitlines():
        code, comment = _split_comment(line)
        m = _KEY.match(code)
        if m:
            indent = len(m.group(1))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, m.group(2)))
            path = ".".join(k for _, k in stack)
        elif not code.strip():
            continue  # a comment line on its own belongs to no field
        if MARK in comment and path:
            note = re.sub(r"\s*\(A\)", "", comment).strip(" ;,")
            out[path] = note or out.get(path, "")
    return list(out.items())


def value_at(config: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of a resolved config (None when absent)."""
    node: Any = config
    for key in path.split("."):
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def assumptions(text: str, config: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The marked fields with the resolved config's value and the comment."""
    return [{"field": p, "value": value_at(config, p), "note": note} for p, note in marked(text)]
