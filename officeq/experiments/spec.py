"""Experiment specs and their expansion into scenarios (pure: nothing runs).

A spec names a base config, a ``grid`` of dotted config paths to lists of
values (full factorial), optional named ``scenarios`` (sets of overrides,
crossed with the grid; one may start from a ``config:`` file of its own), the
number of replications and a seed. Expansion
validates every scenario's config up front: a wrong path names the spec file
and the path. The base config is never mutated.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field, ValidationError, field_validator

from officeq.config.assumptions import assumptions
from officeq.config.base import MAX_DAYS, MAX_SEED, StrictModel, excerpt
from officeq.config.loading import ConfigError, apply_overrides, read_config, read_yaml, validate
from officeq.config.schema import Config
from officeq.config.suggest import did_you_mean, field_names
from officeq.experiments.labels import check_labels, scenario_name

MAX_REPLICATIONS = 10_000
MAX_SCENARIOS = 100_000
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
"""A spec name is a plain folder name: it becomes ``results/<name>``."""


class Spec(StrictModel):
    """An experiment spec as written in ``experiments/*.yaml``."""

    name: str = "experiment"
    base: str
    """Config path, relative to the spec file."""
    replications: int = Field(10, ge=1, le=MAX_REPLICATIONS)
    seed: int = Field(2025, ge=0, le=MAX_SEED)
    horizon_days: float | None = Field(None, gt=0, le=MAX_DAYS)
    warmup_days: float | None = Field(None, ge=0, le=MAX_DAYS)
    grid: dict[str, list[Any]] = Field(default_factory=dict)
    scenarios: dict[str, dict[str, Any]] = Field(default_factory=dict)
    targets: list[str] = Field(default_factory=list)
    """Targets for ``officeq staff`` and the report, e.g. ``inquiry_sla_hit_rate>=0.9``."""
    labels: dict[str, Any] = Field(default_factory=dict)
    """Plain words for swept values (:mod:`officeq.experiments.labels`)."""

    @field_validator("name")
    @classmethod
    def _plain(cls, name: str) -> str:
        if not NAME.fullmatch(name) or ".." in name:
            raise ValueError(
                f"{excerpt(name)} must be a plain name (letters, digits, '-', '_', '.'; "
                "at most 100): it names the results folder"
            )
        return name

    @field_validator("grid")
    @classmethod
    def _non_empty(cls, grid: dict[str, list[Any]]) -> dict[str, list[Any]]:
        size = 1
        for path, values in grid.items():
            if not values:
                raise ValueError(f"{path}: give at least one value")
            seen: set[str] = set()
            for v in values:
                key = json.dumps(v, sort_keys=True, default=str)
                if key in seen:
                    raise ValueError(f"{path}: value {excerpt(v)} is listed twice")
                seen.add(key)
            size *= len(values)
        if size > MAX_SCENARIOS:
            raise ValueError(f"{size:,} grid points; at most {MAX_SCENARIOS:,}")
        return grid


CONFIG_KEY = "config"
"""A named scenario's key for a config file of its own (instead of ``base``)."""


def column_name(path: str) -> str:
    """The runs-table column of a swept path: ``staff.caseworkers`` → ``staff_caseworkers``."""
    return path.replace(".", "_")


@dataclass(frozen=True)
class Scenario:
    """One point of the experiment: a validated config and what set it."""

    id: int
    name: str
    params: dict[str, Any]
    """Swept values by column name (and ``variant`` for a named scenario)."""
    config: Config


@dataclass(frozen=True)
class Experiment:
    """A spec expanded: scenarios in a fixed order, and a fingerprint for resuming."""

    spec: Spec
    source: str
    scenarios: list[Scenario]
    param_columns: list[str]
    fingerprint: str
    resolved: dict[str, Any] = field(repr=False)

    def replications(self, override: int | None = None) -> int:
        return override if override is not None else self.spec.replications


def replication_seed(seed: int, replication: int) -> int:
    """The model seed of replication ``r``: the same for every scenario (common random numbers)."""
    state = np.random.SeedSequence([seed, replication]).generate_state(2, np.uint32)
    return int(state[0]) << 31 | int(state[1]) >> 1


def load_spec(path: str | Path | Mapping[str, Any], replications: int | None = None) -> Experiment:
    """Read and expand a spec; raise :class:`ConfigError` naming file and field.

    ``path`` is a spec file, or a dict of its fields (then ``base`` and any
    scenario ``config`` are relative to the working directory).
    """
    if isinstance(path, Mapping):
        source, raw, root = "<dict>", dict(path), Path.cwd()
    else:
        source, raw, root = str(path), read_yaml(path, "spec"), Path(path).parent
    try:
        spec = Spec.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        if err["type"] == "strict_kind":
            loc = ".".join([*(str(x) for x in err["loc"]), err["ctx"]["field"]])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            where = tuple(err["loc"])
            names = field_names(Spec, where[:-1])
            msg = f"unknown field (a spec has {', '.join(names)})" + did_you_mean(where[-1], names)
        raise ConfigError(source, loc or None, msg) from None
    base_path = (root / spec.base).resolve()
    if not base_path.is_file():
        raise ConfigError(source, "base", f"config {spec.base!r} not found (looked at {base_path})")
    variant_bases: dict[str, tuple[str, dict[str, Any]]] = {}
    for variant, overrides in spec.scenarios.items():
        other = overrides.get(CONFIG_KEY)
        if other is None:
            continue
        field = f"scenarios.{variant}.{CONFIG_KEY}"
        if not isinstance(other, str):
            raise ConfigError(source, field, "must be the path of a config file")
        other_path = (root / other).resolve()
        if not other_path.is_file():
            raise ConfigError(source, field, f"config {other!r} not found (looked at {other_path})")
        variant_bases[variant] = (str(other_path), read_config(other_path))
    exp = expand(spec, read_config(base_path), source, str(base_path), replications, variant_bases)
    # after the fingerprint: the marks are comments, they change no number
    exp.resolved["assumptions"] = assumptions(base_path, exp.resolved["base_config"])
    return exp


def expand(
    spec: Spec,
    base: Mapping[str, Any],
    source: str,
    base_name: str = "base",
    replications: int | None = None,
    variant_bases: Mapping[str, tuple[str, Mapping[str, Any]]] | None = None,
) -> Experiment:
    """Expand ``spec`` over the raw ``base`` config into validated scenarios.

    ``variant_bases`` maps a named scenario to (file name, raw config) when the
    scenario names its own ``config:`` instead of the spec's base.
    """
    top: list[tuple[str, Any]] = []
    if spec.horizon_days is not None:
        top.append(("horizon_days", spec.horizon_days))
    if spec.warmup_days is not None:
        top.append(("warmup_days", spec.warmup_days))

    def resolve(raw: Mapping[str, Any], name: str, field: str) -> dict[str, Any]:
        try:
            return validate(apply_overrides(raw, top, name), name).model_dump(mode="json")
        except ConfigError as e:
            raise ConfigError(source, field, str(e)) from None

    resolved_base = resolve(base, base_name, "base")
    bases = {
        v: resolve(raw, name, f"scenarios.{v}.{CONFIG_KEY}")
        for v, (name, raw) in (variant_bases or {}).items()
    }
    variants = list(spec.scenarios.items()) or [("", {})]
    grid_paths = list(spec.grid)
    problem = check_labels(spec.labels, grid_paths, list(spec.scenarios))
    if problem:
        field, _, message = problem.partition(": ")
        raise ConfigError(source, field, message)
    combos = list(itertools.product(*(spec.grid[p] for p in grid_paths)))
    scenarios: list[Scenario] = []
    for variant, overrides in variants:
        for combo in combos:
            pairs = [(k, v) for k, v in overrides.items() if k != CONFIG_KEY]
            pairs += list(zip(grid_paths, combo, strict=True))
            start = bases.get(variant, resolved_base)
            try:
                cfg = validate(apply_overrides(start, pairs, source), source, [])
            except ConfigError as e:
                field = _spec_field(e.field, variant, grid_paths)
                raise ConfigError(source, field, e.message) from None
            params: dict[str, Any] = {}
            if spec.scenarios:
                params["variant"] = variant
            params.update({column_name(p): v for p, v in zip(grid_paths, combo, strict=True)})
            swept = list(zip(grid_paths, combo, strict=True))
            name = scenario_name(variant, swept, spec.labels) or cfg.name
            scenarios.append(Scenario(len(scenarios), name, params, cfg))
    resolved = {
        "name": spec.name,
        "base": spec.base,
        "seed": spec.seed,
        "replications": replications if replications is not None else spec.replications,
        "grid": spec.grid,
        "scenarios": spec.scenarios,
        "base_config": resolved_base,
    }
    if spec.labels:
        resolved["labels"] = spec.labels
    if bases:
        resolved["scenario_configs"] = bases
    fingerprint_src = {k: v for k, v in resolved.items() if k != "replications"}
    fingerprint = hashlib.sha256(
        json.dumps(fingerprint_src, sort_keys=True, default=str).encode()
    ).hexdigest()[:16]
    if spec.targets:  # after the fingerprint: a target changes no number
        resolved["targets"] = list(spec.targets)
    columns = (["variant"] if spec.scenarios else []) + [column_name(p) for p in grid_paths]
    return Experiment(spec, source, scenarios, columns, fingerprint, resolved)


def _spec_field(field_path: str | None, variant: str, grid_paths: list[str]) -> str:
    """Map a config field path back to where the spec set it."""
    path = (field_path or "").removeprefix("--set ")
    for p in grid_paths:
        if path == p or path.startswith(p + ".") or p.startswith(path + "."):
            return f"grid.{p}"
    if variant:
        return f"scenarios.{variant}.{path}"
    return path
