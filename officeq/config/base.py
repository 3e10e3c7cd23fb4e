"""What every config model shares: frozen, no unknown fields, finite numbers, strict kinds.

Every number in a config is finite (``.inf`` and ``.nan`` are refused where
they are read), an integer or number field refuses ``true``/``false`` (YAML
would otherwise turn ``seed: true`` into seed 1), and a true/false field
refuses anything but ``true`` or ``false``. The upper bounds below are where
a value is certainly a typo, not a model limit; the README's configuration
reference lists them.
"""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

MAX_DAYS = 36_525.0
"""Longest run, warm-up or spell in days: a hundred years."""
MAX_HOURS = 8_784.0
"""Longest SLA, deadline or slack in hours: a (leap) year."""
MAX_MINUTES = 10_080.0
"""Longest mean handling time of one task in minutes: a week."""
MAX_INTERVAL_DAYS = 3_660.0
"""Longest mean follow-up interval in days: ten years."""
MAX_ARRIVALS_PER_DAY = 100_000.0
"""Most arrivals per working day of one work type (all of Norway's NAV offices together
get far fewer)."""
MAX_CASEWORKERS = 10_000
MAX_CASELOAD = 1_000_000
MAX_PER_YEAR = 365.0
"""Most exits per user-year: one a day."""
MAX_SEED = 2**63 - 1
"""Seeds are stored as 64-bit integers."""
MAX_NAME = 200
"""Longest name, in characters."""
MAX_DIST_PARAMETER = 1e9
"""Largest parameter of any distribution (means, values, bounds)."""
MAX_CV = 100.0
"""Largest coefficient of variation of a distribution."""


MAX_SHOWN = 60
"""Characters of a bad value shown in an error line (the rest is cut)."""


def excerpt(value: Any, limit: int = MAX_SHOWN) -> str:
    """``repr(value)``, cut to about ``limit`` characters so an error stays one short line."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 15]}… ({len(text):,} characters)"


def _allows_bool(annotation: Any) -> bool:
    return annotation is bool or any(_allows_bool(a) for a in typing.get_args(annotation))


class StrictModel(BaseModel):
    """A frozen config model with the checks every section shares."""

    # The field docstrings are the meanings in the README's configuration reference, which
    # scripts/config_reference.py reads from the source itself: pydantic's
    # use_attribute_docstrings would read every model's source at every start (0.2 s a command).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _strict_kinds(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for name, value in data.items():
            field = cls.model_fields.get(name) if isinstance(name, str) else None
            if field is None:
                continue
            if isinstance(value, bool) and not _allows_bool(field.annotation):
                raise PydanticCustomError(
                    "strict_kind",
                    "true/false is not allowed here",
                    {"field": name},
                )
            if field.annotation is bool and not isinstance(value, bool):
                raise PydanticCustomError("strict_kind", "must be true or false", {"field": name})
        return data


_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def parse_hours(text: str) -> tuple[float, float]:
    """Parse ``"08:00-15:30"`` into opening and closing hour (8.0, 15.5)."""
    m = _HOURS.match(text.strip())
    if not m:
        raise ValueError(f"opening hours must look like '08:00-15:30', got {text!r}")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    start, end = h1 + m1 / 60, h2 + m2 / 60
    if m1 >= 60 or m2 >= 60 or not 0 <= start < end <= 24:
        raise ValueError(f"opening hours {text!r} must be a range within one day")
    return start, end
