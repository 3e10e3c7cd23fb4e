"""Strict YAML for every file officeq reads (configs, experiment specs).

PyYAML's safe loader, with two changes so a file cannot load silently wrong:

- a key given twice in one mapping is an error naming the key and both lines
  (plain YAML keeps the last one without a word);
- dates stay text (``2025-02-30`` would otherwise crash the loader, and
  ``2025-01-06T10:00`` would become a datetime); the config's own date
  fields parse and check them.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

from officeq.config.base import excerpt


class DuplicateKeyError(yaml.YAMLError):
    """A mapping names the same key twice."""

    def __init__(self, key: Any, first_line: int, line: int) -> None:
        self.line = line
        super().__init__(f"line {line}: duplicate key {excerpt(key)} (first on line {first_line})")


class StrictLoader(yaml.SafeLoader):
    """Safe loading that refuses duplicate keys and keeps dates as text."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            self.flatten_mapping(node)
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    first = seen.get(key)
                except TypeError:  # an unhashable key: the base class says so
                    break
                line = key_node.start_mark.line + 1
                if first is not None:
                    raise DuplicateKeyError(key, first, line)
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


# dates stay strings: drop the timestamp resolver (a copy, so PyYAML's own loaders keep theirs)
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> Any:
    """Parse YAML text strictly; raises ``yaml.YAMLError`` (with a line where known)."""
    return yaml.load(text, Loader=StrictLoader)


def describe_error(e: yaml.YAMLError) -> str:
    """One short line for a YAML error: ``line N: what``."""
    if isinstance(e, DuplicateKeyError):
        return str(e)
    mark = getattr(e, "problem_mark", None)
    line = f"line {mark.line + 1}: " if mark is not None else ""
    problem = str(getattr(e, "problem", None) or e)
    if isinstance(e, ConstructorError) and "unhashable" in problem:
        problem = "a key must be a plain value"
    if len(problem) > 120:
        problem = problem[:119] + "…"
    return f"{line}not valid YAML ({problem})"
