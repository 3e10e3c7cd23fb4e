"""Plans over time: dated changes to a config during a run, and which day gets which config.

A config's ``changes:`` is a list of :class:`Change`. Each sets dotted config
paths from a date on (``set``), or moves numbers linearly, day by day, from a
first to a second value between ``from`` and ``to`` and keeps the second after
``to`` (``ramp``); one change may do both, for different paths. Changes take
effect at 00:00 of their date. Where two changes touch the same path, the one
with the later ``from`` wins from its date on (the later in the list on the
same date).

Only the paths in :data:`MUTABLE` (and the fields under them) may change: what
the model can truly swap mid-run. Everything else (the calendar, start date,
seed, horizon, the caseload's structure ...) is fixed for a run, and a change
to it is refused at load time with the reason from :data:`FIXED`.

The functions here are pure: :func:`resolve_plan` turns a config into the days
on which its config changes and the (validated) config from each of them on;
the model applies them (:mod:`officeq.model.plans`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from officeq.config.base import StrictModel, excerpt
from officeq.config.suggest import did_you_mean, field_names

MAX_CHANGES = 1_000
"""Most changes in one plan."""

MUTABLE: dict[str, str] = {
    "work.inquiry.arrivals_per_day": "inquiry arrivals, from the day on",
    "work.inquiry.weekday_profile": "inquiry arrivals, from the day on",
    "work.inquiry.hour_profile": "inquiry arrivals, from the day on",
    "work.inquiry.digital_share": "inquiry arrivals, from the day on",
    "work.inquiry.digital_hour_profile": "inquiry arrivals, from the day on",
    "work.inquiry.duration_minutes": "inquiries arriving from the day on",
    "work.inquiry.sla_hours": "inquiries arriving from the day on",
    "work.income_support.arrivals_per_day": "applications, from the day on",
    "work.income_support.weekday_profile": "applications, from the day on",
    "work.income_support.hour_profile": "applications, from the day on",
    "work.income_support.digital_share": "applications, from the day on",
    "work.income_support.digital_hour_profile": "applications, from the day on",
    "work.income_support.duration_minutes": "applications arriving from the day on (one-touch)",
    "work.income_support.deadline_days": "applications arriving from the day on",
    "work.income_support.urgent_share": "applications arriving from the day on",
    "work.income_support.urgent_deadline_hours": "applications arriving from the day on",
    "work.followup.new_users_per_year": "the rate of new users, from the day on",
    "staff.caseworkers": "head-count: caseworkers 0..n-1 are employed on the day",
    "staff.admin_share": "client time per day, from the day on",
    "staff.absence_rate": "each caseworker's absence chain, from the day on",
    "policy": "the policy (name and parameters) caseworkers follow from the day on",
    "steering.indicators": "the scorecard management reviews from the day on",
    "steering.preference": "what caseworkers prefer with the pressure off, from the day on",
}
"""Paths a change may set (and any field under them), and what changing it does."""

WHOLE = frozenset({"staff.caseworkers"})
"""Paths of whole numbers: a ramp over them is rounded to the nearest (half up)."""

FIXED: dict[str, str] = {
    "name": "it names the run",
    "seed": "it fixes the random numbers of the whole run",
    "start_date": "it is day 0 of the run, the plan's dates count from it",
    "horizon_days": "it is the length of the run",
    "warmup_days": "it is what the metrics leave out",
    "changes": "a change cannot change the plan",
    "calendar": "the calendar (opening hours, holidays) is built once for the run",
    "staff.absence_spell_days_mean": "absence spells are drawn once for the run",
    "staff.overtime": "overtime caps are ledgers kept over the whole run",
    "work.inquiry.sla_clock": "the SLA clock is fixed for the run (its hours may change)",
    "work.income_support.process": "the steps of a case are fixed for the run",
    "work.followup": "the caseload's structure (size, groups, assignment, meetings) is "
    "fixed for the run; only new_users_per_year may change",
    "steering": "management's rules are fixed for the run; only indicators and "
    "preference may change",
}
"""Paths that are fixed for a run, and why (the longest matching prefix is quoted)."""


def _covers(prefix: str, path: str) -> bool:
    return path == prefix or path.startswith(prefix + ".")


def refusal(path: str) -> str | None:
    """Why ``path`` may not change mid-run, or None when it may."""
    if any(_covers(p, path) for p in MUTABLE):
        return None
    if any(_covers(path, p) for p in MUTABLE):
        return "name the fields to change, not a whole section"
    reasons = [(p, why) for p, why in FIXED.items() if _covers(p, path)]
    if reasons:
        return max(reasons, key=lambda r: len(r[0]))[1] + " (see the README: Plans over time)"
    return "not a config path that may change during a run (see the README: Plans over time)"


class Change(StrictModel):
    """One dated change: ``{from: 2025-09-01, set: {path: value}}`` and/or a ``ramp``."""

    model_config = ConfigDict(serialize_by_alias=True)

    from_: dt.date = Field(alias="from")
    """The first day the change is in force (from 00:00)."""
    to: dt.date | None = None
    """With ``ramp``: the day the ramp reaches its second value."""
    set_: dict[str, Any] = Field(default_factory=dict, alias="set")
    """Dotted config path → value from ``from`` on."""
    ramp: dict[str, tuple[float, float]] = Field(default_factory=dict)
    """Dotted config path → [value on ``from``, value on ``to`` and after]."""

    @field_validator("ramp", mode="before")
    @classmethod
    def _pairs(cls, v: Any) -> Any:
        if not isinstance(v, Mapping):
            return v
        for path, pair in v.items():
            if (
                not isinstance(pair, list | tuple)
                or len(pair) != 2
                or any(isinstance(x, bool) or not isinstance(x, int | float) for x in pair)
            ):
                raise ValueError(
                    f"{path}: a ramp needs two numbers [first, last], got {excerpt(pair)}"
                )
            if not all(math.isfinite(x) for x in pair):
                raise ValueError(f"{path}: ramp values must be finite")
        return v

    @model_validator(mode="after")
    def _shape(self) -> Change:
        if not self.set_ and not self.ramp:
            raise ValueError("a change needs `set` or `ramp` (or both)")
        if self.ramp and self.to is None:
            raise ValueError("a ramp needs `to`, the day it reaches its last value")
        if self.to is not None and not self.ramp:
            raise ValueError("`to` is only for a ramp")
        if self.to is not None and self.to <= self.from_:
            raise ValueError(f"`to` ({self.to}) must be after `from` ({self.from_})")
        both = sorted(set(self.set_) & set(self.ramp))
        if both:
            raise ValueError(f"{both[0]} is both set and ramped in one change")
        return self

    def values_on(self, start: dt.date, day: int) -> dict[str, Any]:
        """The values this change gives on simulated ``day`` (empty before ``from``)."""
        first = (self.from_ - start).days
        if day < first:
            return {}
        out = dict(self.set_)
        if self.ramp:
            last = (self.to - start).days  # type: ignore[operator]
            share = min(1.0, (day - first) / (last - first))
            for path, (a, b) in self.ramp.items():
                v = a + (b - a) * share
                out[path] = math.floor(v + 0.5) if path in WHOLE else v
        return out

    def days(self, start: dt.date) -> range:
        """The days on which this change gives new values."""
        first = (self.from_ - start).days
        last = first if self.to is None else (self.to - start).days
        return range(first, last + 1)


def _error(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("plan_change", "{message}", {"message": message, "field": field})


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set dotted ``path`` in nested ``data`` (a number indexes a list)."""
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(parts[-1])] = value
    else:
        node[parts[-1]] = value


def values_on(changes: tuple[Change, ...], start: dt.date, day: int) -> dict[str, Any]:
    """Every path the plan sets on ``day`` and its value: the latest ``from`` wins."""
    out: dict[str, Any] = {}
    for c in sorted(changes, key=lambda c: c.from_):  # stable: list order on a tie
        out.update(c.values_on(start, day))
    return out


def plan_days(changes: tuple[Change, ...], start: dt.date) -> list[int]:
    """The days on which some value of the plan may change, in order."""
    return sorted({d for c in changes for d in c.days(start)})


def _check_paths(cfg: Any) -> None:
    appointments = cfg.work.followup.appointments.enabled
    for i, c in enumerate(cfg.changes):
        if c.from_ < cfg.start_date:
            raise _error(f"changes.{i}.from", f"{c.from_} is before start_date ({cfg.start_date})")
        for kind, paths in (("set", c.set_), ("ramp", c.ramp)):
            for path in paths:
                field = f"changes.{i}.{kind}.{path}"
                why = refusal(path)
                if why is None and path == "staff.admin_share" and appointments:
                    why = "meeting windows are set from admin_share once (appointments are on)"
                if why is None and path.startswith("steering.") and not cfg.steering.active:
                    why = "steering is off in this config; it cannot be switched on mid-run"
                if (
                    why is None
                    and _covers("work.income_support.duration_minutes", path)
                    and cfg.work.income_support.process is not None
                ):
                    why = "unused with a case process (its steps have their own minutes)"
                if why is not None:
                    raise _error(field, f"cannot change during a run: {why}")


def _culprit(cfg: Any, day: int, loc: str) -> str:
    """The change that set the field at ``loc`` last by ``day`` (as ``changes.i.set.path``)."""
    start = cfg.start_date
    best = None
    for i, c in enumerate(cfg.changes):
        if (c.from_ - start).days > day:
            continue
        for kind, paths in (("set", c.set_), ("ramp", c.ramp)):
            for path in paths:
                overlap = _covers(path, loc) or _covers(loc, path)
                if overlap and (best is None or c.from_ >= best[0]):
                    best = (c.from_, f"changes.{i}.{kind}.{path}")
    return best[1] if best is not None else "changes"


def resolve_plan(cfg: Any, validate: Callable[[dict[str, Any]], Any], days: int) -> tuple:
    """The plan of ``cfg`` as ((day, config from that day on), ...), days 1 .. ``days``-1
    (day 0 too when a change starts on ``start_date``), each config validated by
    ``validate`` and free of ``changes``. Every change is validated, also one dated
    past the horizon (it has no effect on the run). Raises a ``plan_change`` error
    naming the change's field."""
    _check_paths(cfg)
    base = cfg.model_dump(mode="json", exclude={"changes"})
    out: list[tuple[int, Any]] = []
    last: dict[str, Any] = {}
    start = validate(_copy(base))
    for day in plan_days(cfg.changes, cfg.start_date):
        values = values_on(cfg.changes, cfg.start_date, day)
        if values == last:
            continue
        last = values
        data = _copy(base)
        for path, value in values.items():
            try:
                set_path(data, path, value)
            except (KeyError, IndexError, ValueError, TypeError, AttributeError):
                raise _error(_culprit(cfg, day, path), "no such place in the config") from None
        try:
            day_cfg = validate(data)
        except ValidationError as e:
            first = e.errors()[0]
            loc = ".".join(str(x) for x in first["loc"])
            msg = first["msg"].removeprefix("Value error, ")
            if first["type"] == "extra_forbidden":
                msg = "unknown field (not in the config schema; check the spelling)"
                where = tuple(first["loc"])
                msg += did_you_mean(where[-1], field_names(type(cfg), where[:-1]))
            raise _error(_culprit(cfg, day, loc), f"{msg} (on {day_date(cfg, day)})") from None
        if day_cfg.steering.active != cfg.steering.active:
            raise _error(_culprit(cfg, day, "steering"), "steering cannot be switched off mid-run")
        previous = out[-1][1] if out else start
        if day < days and day_cfg != previous:
            out.append((day, day_cfg))
    return tuple(out)


def day_date(cfg: Any, day: int) -> dt.date:
    return cfg.start_date + dt.timedelta(days=day)


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


def configs_of(cfg: Any) -> list[Any]:
    """The config and every config of its plan (within the run)."""
    return [cfg, *(c for _, c in cfg.plan())]


def max_caseworkers(cfg: Any) -> int:
    """The largest head-count of the plan: caseworkers the model builds."""
    return max(c.staff.caseworkers for c in configs_of(cfg))
