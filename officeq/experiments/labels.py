"""Scenario names in plain words: ``18 caseworkers, needs-based`` instead of
``staff.caseworkers=18, policy.name=needs_based``.

A name is built from the swept values, one phrase per swept path: known paths
have a phrase of their own (:data:`PHRASES`), any other path reads as its last
word and the value (``caseload 1200``). A spec's ``labels:`` overrides either:

.. code-block:: yaml

    labels:
      staff.caseworkers: "{} in post"           # a template, {} is the value
      policy.name: {needs_based: "by need"}     # words for single values
      variant: {strong_targets: "strong targets, 2016"}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

VARIANT = "variant"
"""The labels key of a spec's named scenarios."""

PHRASES: dict[str, str] = {
    "staff.caseworkers": "{} caseworkers",
    "staff.admin_share": "admin share {:.0%}",
    "staff.absence_rate": "absence {:.0%}",
    "work.inquiry.arrivals_per_day": "{} inquiries a day",
    "work.income_support.arrivals_per_day": "{} applications a day",
    "work.followup.caseload": "caseload {}",
    "work.income_support.process.documentation.share": "{:.0%} asked for documents",
    "sla.hours": "{}-hour SLA",
    "horizon_days": "{} days",
    "seed": "seed {}",
}
"""Templates for the paths planners sweep most."""

WORDS: dict[str, str] = {
    "deadline_first": "deadline first",
    "needs_based": "needs-based",
    "protected_followup": "protected follow-up",
    "fifo": "first come, first served",
    "own": "own caseworker",
    "pooled": "pooled follow-up",
    "finish_or_defer": "finish or defer",
    "always_start": "always start",
}
"""Plain words for values that are identifiers."""


def words(value: Any) -> str:
    """A single value in words: identifiers as :data:`WORDS` or with spaces."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        return WORDS.get(value, value.replace("_", " "))
    if isinstance(value, list | dict):
        return str(value)
    return f"{value}"


def _generic(path: str, value: Any) -> str:
    """``work.followup.caseload`` = 1200 → ``caseload 1200``; a named value stands alone."""
    if isinstance(value, str):
        return words(value)
    last = path.split(".")[-1]
    if last == "name":
        last = path.split(".")[-2] if "." in path else last
    return f"{last.replace('_', ' ')} {words(value)}"


def phrase(path: str, value: Any, labels: Mapping[str, Any] | None = None) -> str:
    """The words for one swept value; ``labels`` as in a spec's ``labels:``."""
    own = (labels or {}).get(path)
    if isinstance(own, Mapping):
        key = value if not isinstance(value, float) or not value.is_integer() else int(value)
        for k in (value, key, str(value)):
            if k in own:
                return str(own[k])
        own = None
    template = own if isinstance(own, str) else PHRASES.get(path)
    if template is not None and not isinstance(value, bool | str | list | dict):
        try:
            return template.format(int(value) if float(value).is_integer() else value)
        except (ValueError, TypeError):
            pass
    if isinstance(own, str):
        return own.format(words(value))
    return _generic(path, value)


def scenario_name(
    variant: str, pairs: list[tuple[str, Any]], labels: Mapping[str, Any] | None = None
) -> str:
    """The plain name of one scenario: the variant's words, then each swept value's."""
    own = (labels or {}).get(VARIANT) or {}
    parts = [str(own.get(variant, variant.replace("_", " ")))] if variant else []
    parts += [phrase(p, v, labels) for p, v in pairs]
    return ", ".join(parts)


def check_labels(labels: Mapping[str, Any], paths: list[str], variants: list[str]) -> str | None:
    """A one-line problem with a spec's ``labels:``, or None."""
    known = [*paths, VARIANT] if variants else paths
    for key, value in labels.items():
        if key not in known:
            hint = f"; swept here: {', '.join(known)}" if known else ""
            return f"labels.{key}: not a swept path{hint}"
        if isinstance(value, str):
            if key == VARIANT:
                return f"labels.{key}: give words per scenario, e.g. {{name: words}}"
            try:
                value.format(0)
            except (IndexError, KeyError, ValueError):
                return f"labels.{key}: a template takes one {{}} for the value"
        elif not isinstance(value, Mapping):
            return f"labels.{key}: a template string or a mapping of value to words"
        elif key == VARIANT:
            extra = [k for k in value if k not in variants]
            if extra:
                return f"labels.variant.{extra[0]}: no such scenario"
    return None
