"""Reading configs: YAML files, ``--set`` overrides, and one-line errors.

Every problem becomes a :class:`ConfigError` that names the file and the
field path, e.g. ``configs/baseline.yaml: work.inquiry.arrivals_per_day:
Input should be greater than or equal to 0 (got -3)``.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from officeq.config.base import excerpt
from officeq.config.distributions import DIST_NAMES
from officeq.config.schema import Config
from officeq.config.suggest import did_you_mean, field_names
from officeq.config.yamlfile import describe_error, load_yaml

MAX_FILE_BYTES = 20_000_000
"""Largest config or spec file read (a long empirical distribution fits many times over)."""
MAX_MESSAGE = 300
"""Longest message of a :class:`ConfigError`, in characters."""


class ConfigError(ValueError):
    """A config that cannot be used, with the file and field it concerns."""

    def __init__(self, source: str, field: str | None, message: str) -> None:
        self.source = source
        self.field = field
        if len(message) > MAX_MESSAGE:  # one readable line, whatever the input held
            message = message[: MAX_MESSAGE - 1] + "…"
        self.message = message
        where = f"{source}: {field}" if field else source
        super().__init__(f"{where}: {message}")


def read_yaml(path: str | Path, what: str = "config") -> dict[str, Any]:
    """Load a YAML mapping strictly, or raise :class:`ConfigError` naming the file.

    ``what`` names the kind of file in the messages (``config``, ``spec``).
    """
    p = Path(path)
    if p.is_dir():
        raise ConfigError(str(path), None, f"is a directory (give a {what} file)")
    if not p.is_file():
        raise ConfigError(str(path), None, "no such file")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise ConfigError(
            str(path),
            None,
            f"is {p.stat().st_size:,} bytes; a {what} file is at most "
            f"{MAX_FILE_BYTES:,} (is this the right file?)",
        )
    try:
        data = load_yaml(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise ConfigError(str(path), None, describe_error(e)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(str(path), None, f"cannot be read ({e})") from None
    except RecursionError:
        raise ConfigError(str(path), None, "not valid YAML (nested too deeply)") from None
    if not isinstance(data, dict | None):
        raise ConfigError(str(path), None, "must be a mapping of fields at the top level")
    if not data:
        raise ConfigError(str(path), None, f"empty {what} (no fields in it)")
    return data


def merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` updated by ``over``, section by section (lists and values replace)."""
    out = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def read_config(path: str | Path, _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """A config file's fields, with ``extends: other.yaml`` resolved.

    A config may start from another (its path relative to this file) and
    change only what differs; sections merge field by field.
    """
    here = (*_chain, Path(path).resolve())
    return _extend(read_yaml(path), str(path), Path(path).parent, here)


def _extend(
    data: dict[str, Any], source: str, root: Path, chain: tuple[Path, ...]
) -> dict[str, Any]:
    """``data`` merged over the config its ``extends`` names (relative to ``root``)."""
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ConfigError(source, "extends", "must be the path of another config file")
    parent_path = (root / parent).resolve()
    if parent_path in chain:
        raise ConfigError(source, "extends", f"{parent!r} extends this file again (a cycle)")
    if not parent_path.is_file():
        raise ConfigError(source, "extends", f"config {parent!r} not found")
    return merge(read_config(parent_path, chain), data)


def parse_override(text: str, source: str = "--set") -> tuple[str, Any]:
    """Split ``dotted.path=value``; the value is parsed as YAML (``12``, ``null``, ``[1, 2]``)."""
    path, _, raw = text.partition("=")
    path = path.strip()
    if "=" not in text or not path or any(not part for part in path.split(".")):
        raise ConfigError(source, f"--set {text}", "must look like dotted.path=value")
    try:
        value = load_yaml(raw) if raw.strip() else None
    except yaml.YAMLError as e:
        message = describe_error(e).removeprefix("line 1: ")
        raise ConfigError(source, f"--set {path}", f"the value is {message}") from None
    except RecursionError:
        raise ConfigError(source, f"--set {path}", "the value is nested too deeply") from None
    return path, value


def apply_overrides(
    data: Mapping[str, Any], overrides: Iterable[tuple[str, Any]], source: str
) -> dict[str, Any]:
    """A deep copy of ``data`` with each ``(dotted.path, value)`` set."""
    out = copy.deepcopy(dict(data))
    for path, value in overrides:
        node: Any = out
        parts = path.split(".")
        for i, part in enumerate(parts[:-1]):
            if isinstance(node, list):
                child = _item(node, part, source, path, ".".join(parts[:i]))
            else:
                child = node.get(part)
            if child is None:
                child = node[part] = {}
            elif not isinstance(child, dict | list):
                raise ConfigError(
                    source, f"--set {path}", f"{'.'.join(parts[: i + 1])} is a value, not a section"
                )
            node = child
        if isinstance(node, list):
            _item(node, parts[-1], source, path, ".".join(parts[:-1]))
            node[int(parts[-1])] = value
        else:
            node[parts[-1]] = value
    return out


def _item(items: list[Any], part: str, source: str, path: str, where: str) -> Any:
    """``items[part]`` for a list index in a dotted path (``changes.0.from``)."""
    if not part.isdigit() or int(part) >= len(items):
        raise ConfigError(
            source,
            f"--set {path}",
            f"{where} is a list of {len(items)}: {part!r} is not an index of it",
        )
    return items[int(part)]


_TYPE_TAGS = {"int", "float", "str", "bool", "none", "list", "dict", "tuple", "date"}


def _field_path(loc: tuple[Any, ...]) -> str:
    """The user's dotted field path, without pydantic's internal union and type tags."""
    parts = []
    for item in loc:
        text = str(item)
        # pydantic puts the union member tried ('lognormal', 'int', "literal['all']",
        # 'function-after[...]', 'tuple[float, ...]') in the path
        if text in DIST_NAMES or text in _TYPE_TAGS:
            continue
        if "[" in text or text.startswith(("function-", "literal")):
            continue
        parts.append(text if len(text) <= 40 else f"{text[:40]}…")
    return ".".join(parts)


def validate(
    data: Mapping[str, Any], source: str, set_paths: Iterable[str] | Mapping[str, str] = ()
) -> Config:
    """Validate raw data into a :class:`Config` or raise :class:`ConfigError`.

    ``set_paths`` are the fields the user set on the command line; an error in
    one is named as they typed it: ``--set path`` by default, or the label a
    mapping gives (``{"horizon_days": "--days"}``).
    """
    labels = set_paths if isinstance(set_paths, Mapping) else {p: "--set" for p in set_paths}
    try:
        return Config.model_validate(dict(data))
    except ValidationError as e:
        errors = e.errors()
        first = errors[0]
        loc = tuple(first["loc"])
        if first["type"] == "strict_kind":  # found by a model-level check: add the field
            loc += (first["ctx"]["field"],)
        field = _field_path(loc)
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] in ("plan_change", "named_field"):  # a model-level check names its field
            field, message = first["ctx"]["field"], first["ctx"]["message"]
        if first["type"] == "extra_forbidden":
            message = "unknown field (not in the config schema; check the spelling)"
            message += did_you_mean(loc[-1], field_names(Config, loc[:-1]))
        elif first["type"] == "missing":
            message = "required field is missing"
        elif first["type"] in ("model_type", "model_attributes_type", "dict_type"):
            # pydantic names its classes here (WorkConfig); say what the user can act on
            message = "must be a section of fields (a mapping), not a single value"
            if field.endswith(("duration_minutes", "interval_days")):
                message = "must be a distribution, e.g. {dist: fixed, value: 5}"
            message += f" (got {excerpt(first.get('input'))})"
        elif (
            "input" in first
            and not isinstance(first["input"], dict | list)
            and repr(first["input"]) not in message
        ):
            message += f" (got {excerpt(first['input'])})"
        for p, label in labels.items():
            if field == p or field.startswith(p + ".") or p.startswith(field + "."):
                if label == "--set":
                    field = f"--set {field or p}"
                else:
                    field = label if field in (p, "") or p.startswith(field + ".") else field
                break
        if len(errors) > 1:
            message += f" (+{len(errors) - 1} more)"
        raise ConfigError(source, field or None, message) from None


def load_config(
    source: str | Path | Mapping[str, Any] | Config,
    overrides: Iterable[str] = (),
    *,
    labels: Mapping[str, str] | None = None,
    **fields: Any,
) -> Config:
    """Read, override and validate a config.

    Args:
        source: a YAML file, a dict of config fields (``extends`` relative to
            the working directory), or a :class:`Config` to change.
        overrides: ``dotted.path=value`` strings, as from ``--set``.
        labels: how errors name a field of ``fields`` (the CLI passes its option,
            ``{"horizon_days": "--days"}``); default ``--set field``.
        fields: top-level fields to replace when not None (``seed``, ``horizon_days`` …).

    Raises:
        ConfigError: one line naming the source and the field.
    """
    if not isinstance(source, str | Path | Mapping | Config):
        raise TypeError(
            f"a config is a YAML file's path, a dict of fields or a Config, "
            f"not {type(source).__name__}"
        )
    if isinstance(source, Config):
        name, data = "<config>", source.model_dump(mode="json")
    elif isinstance(source, Mapping):
        name, data = "<dict>", _extend(copy.deepcopy(dict(source)), "<dict>", Path.cwd(), ())
    else:
        name, data = str(source), read_config(source)
    pairs = [parse_override(o, name) for o in overrides]
    pairs += [(k, v) for k, v in fields.items() if v is not None]
    if not pairs:
        return validate(data, name)
    # override the resolved file, so --set reaches fields left at their default;
    # an invalid file may be repaired by the overrides (the error below will say)
    with contextlib.suppress(ConfigError):
        data = validate(data, name).model_dump(mode="json")
    data = apply_overrides(data, pairs, name)
    named = {p: "--set" for p, _ in pairs}
    named |= {k: v for k, v in (labels or {}).items() if fields.get(k) is not None}
    return validate(data, name, named)


def dump_config(cfg: Config) -> str:
    """The resolved config as YAML (every field, defaults included)."""
    return yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
