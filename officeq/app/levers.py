"""The page's levers: the config fields a planner changes, with units and ranges.

Pure: no web framework here. A lever maps one control to one config path.
The page shows a lever's value as the config has it (percent levers ×100),
and turns the controls back into ``--set``-style overrides, only for the
levers that differ from the config, so everything else stays as the config
file has it and ``officeq run CONFIG --set ...`` gives the same office.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from officeq.config.assumptions import value_at
from officeq.config.base import MAX_CASELOAD, MAX_CASEWORKERS
from officeq.config.loading import ConfigError, read_yaml
from officeq.config.schema import Config
from officeq.config.steering import POLICY_NAMES
from officeq.experiments.labels import words


@dataclass(frozen=True)
class Lever:
    """One control: its input id, config path, plain label and range."""

    id: str
    path: str
    label: str
    kind: str = "number"
    """number, integer, percent (the config holds a fraction), choice, switch."""
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    choices: Mapping[str, str] = field(default_factory=dict)
    show_if: tuple[str, str] | None = None
    """(lever id, value): shown only while that lever has that value."""
    help: str = ""
    optional: bool = False
    """A blank control means null (no cap) rather than a missing number."""
    group: str = "staff"
    """staff (staff and demand) or policy (policy and organisation): where the page shows it."""

    def shown(self, cfg: Mapping[str, Any]) -> Any:
        """The value the control shows for a resolved config (a dict)."""
        value = value_at(cfg, self.path)
        if self.kind == "percent" and value is not None:
            value = round(100 * float(value), 6)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    def stored(self, value: Any) -> Any:
        """The config value for what the control holds."""
        if self.kind == "percent":
            return None if value is None else float(value) / 100
        if self.kind == "integer" and isinstance(value, float) and value.is_integer():
            return int(value)
        return value


POLICY_CHOICES = {p: words(p) for p in POLICY_NAMES}
POLICY_CHOICES["strict_priority"] = "strict priority"

LEVERS: tuple[Lever, ...] = (
    Lever(
        "caseworkers",
        "staff.caseworkers",
        "Caseworkers (veiledere), headcount",
        "integer",
        1,
        MAX_CASEWORKERS,
        1,
    ),
    Lever(
        "inquiries",
        "work.inquiry.arrivals_per_day",
        "Inquiries per working day (henvendelser)",
        "number",
        0,
        100_000,
        5,
    ),
    Lever(
        "applications",
        "work.income_support.arrivals_per_day",
        "Income-support applications per working day (økonomisk sosialhjelp)",
        "number",
        0,
        10_000,
        1,
    ),
    Lever(
        "caseload",
        "work.followup.caseload",
        "Users in follow-up (caseload)",
        "integer",
        0,
        MAX_CASELOAD,
        10,
    ),
    Lever(
        "admin_share",
        "staff.admin_share",
        "Admin share of working time (%)",
        "percent",
        0,
        95,
        5,
        help="time not available for users or applications",
    ),
    Lever(
        "absence_rate",
        "staff.absence_rate",
        "Sickness absence (% of working days)",
        "percent",
        0,
        60,
        1,
    ),
    Lever(
        "policy",
        "policy.name",
        "What caseworkers do first (policy)",
        "choice",
        choices=POLICY_CHOICES,
        group="policy",
    ),
    Lever(
        "followup_share",
        "policy.followup_share",
        "Client time kept for follow-up (%)",
        "percent",
        0,
        100,
        5,
        show_if=("policy", "protected_followup"),
        group="policy",
    ),
    Lever(
        "slack_margin",
        "policy.slack_margin_hours",
        "Deadline work first when less than this is left (hours)",
        "number",
        0,
        500,
        1,
        show_if=("policy", "needs_based"),
        group="policy",
    ),
    Lever(
        "sla_hours",
        "work.inquiry.sla_hours",
        "Inquiry answer deadline (hours)",
        "number",
        1,
        10_000,
        1,
        group="policy",
    ),
    Lever(
        "sla_clock",
        "work.inquiry.sla_clock",
        "The deadline counts",
        "choice",
        choices={"calendar": "clock hours (calendar)", "business": "opening hours (business)"},
        group="policy",
    ),
    Lever(
        "assignment",
        "work.followup.assignment",
        "Who follows up a user",
        "choice",
        choices={"own": "their own caseworker (egen veileder)", "pooled": "whoever is free"},
        group="policy",
    ),
    Lever(
        "caseload_cap",
        "work.followup.caseload_cap",
        "Most users per caseworker (blank: no cap)",
        "integer",
        1,
        MAX_CASELOAD,
        5,
        show_if=("assignment", "own"),
        help="more wait unassigned",
        optional=True,
        group="policy",
    ),
    Lever(
        "appointments",
        "work.followup.appointments.enabled",
        "Follow-up meetings are booked ahead",
        "switch",
        group="policy",
    ),
    Lever(
        "overtime_week",
        "staff.overtime.max_hours_per_week",
        "Overtime cap, hours per week (blank: no cap)",
        "number",
        0,
        168,
        1,
        help="needs the start rule 'finish or defer' in the config",
        optional=True,
        group="policy",
    ),
)
"""The levers in the order the page shows them."""

BY_ID = {lever.id: lever for lever in LEVERS}


def initial_values(cfg: Config) -> dict[str, Any]:
    """Lever id → the value its control shows for this config."""
    data = cfg.model_dump(mode="json")
    return {lever.id: lever.shown(data) for lever in LEVERS}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def _override_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def overrides(cfg: Config, values: Mapping[str, Any]) -> list[str]:
    """``path=value`` overrides for the levers whose value differs from the config's.

    Raises:
        ConfigError: a control left empty that needs a number (named by its path).
    """
    start = initial_values(cfg)
    out = []
    for lever in LEVERS:
        if lever.id not in values:
            continue
        value = values[lever.id]
        if value is None and lever.kind in ("integer", "number", "percent") and not lever.optional:
            raise ConfigError("the page", f"--set {lever.path}", "give a number")
        if _same(value, start[lever.id]):
            continue
        out.append(f"{lever.path}={_override_text(lever.stored(value))}")
    return out


def regime_steering(path: str | Path) -> dict[str, Any]:
    """The ``steering`` block of a regime config (its ``extends`` chain not followed)."""
    data = read_yaml(path)
    steering = data.get("steering")
    if not isinstance(steering, Mapping):
        raise ConfigError(str(path), "steering", "this config has no steering block")
    return dict(steering)


def office_config(
    source: str | Path,
    values: Mapping[str, Any],
    regime: str | Path | None = None,
    name: str | None = None,
) -> tuple[Config, list[str]]:
    """The office on the page: ``source`` with the levers' overrides (and a regime's
    ``steering`` block, or none for ``regime="none"``), validated.

    Returns the config and the overrides (``officeq run source --set ...``);
    errors name the file as ``name`` (default: ``source``).

    Raises:
        ConfigError: one line naming the file and field (the CLI's message).
    """
    from officeq.config.loading import apply_overrides, parse_override, read_config, validate

    name = name or str(source)
    try:
        data = read_config(source)
    except ConfigError as e:
        raise ConfigError(name, e.field, e.message) from None
    base = validate(data, name)
    sets = overrides(base, values)
    data = base.model_dump(mode="json")
    if regime:
        data["steering"] = {} if str(regime) == "none" else regime_steering(regime)
    if not sets and not regime:
        return base, sets
    pairs = [parse_override(o, name) for o in sets]
    data = apply_overrides(data, pairs, name)
    return validate(data, name, {p: "--set" for p, _ in pairs}), sets


def lever_of(error: ConfigError) -> str | None:
    """The id of the lever a config error is about (None: not one of the levers): the
    lever at the field, or under it, or (an error about a whole block, such as
    ``staff.overtime``) the one lever in it."""
    named = (error.field or "").removeprefix("--set ").strip()
    for lever in LEVERS:
        if named == lever.path or named.startswith(lever.path + "."):
            return lever.id
    inside = [lever.id for lever in LEVERS if named and lever.path.startswith(named + ".")]
    return inside[0] if len(inside) == 1 else None
