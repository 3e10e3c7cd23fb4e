"""How the office is organised: own caseloads, booked meetings, capped overtime.

Three sections of the config, kept apart from :mod:`officeq.config.schema` so
each module stays one concept:

- ``work.followup.assignment``, ``caseload_cap``, ``first_session_days`` and
  ``cover`` (in :class:`~officeq.config.schema.FollowupConfig`): who follows up
  whom (:class:`Cover` is the rule for an absent or directed caseworker's users);
- ``work.followup.appointments`` (:class:`AppointmentsConfig`): sessions as
  meetings booked ahead in each caseworker's diary;
- ``staff.overtime`` (:class:`OvertimeConfig`): the Working Environment Act's
  caps and the rule for starting a task late in the day.

The defaults keep the simple office (a pooled caseload, sessions started when a
caseworker picks a due user, overtime unlimited); the shipped office configs set
the organisation explicitly (``docs/calibration.md`` rows 37-40, 53, 55-59).
"""

from __future__ import annotations

import itertools
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from officeq.config.base import MAX_DAYS, StrictModel, excerpt, parse_hours
from officeq.config.distributions import (
    Distribution,
    Fixed,
    capped_mean,
    number_as_fixed,
)

MAX_OVERTIME_HOURS = 8_784.0
"""Largest overtime cap in hours (a year of clock hours: certainly a typo above)."""


class Cover(StrictModel):
    """Who follows up the users of an absent or directed caseworker.

    ``after_days`` null (written ``cover: none``): nobody, they wait for their own
    caseworker. A number N: a colleague may take such a user once the user is N
    days overdue.
    """

    after_days: float | None = Field(None, ge=0, le=MAX_DAYS)


def parse_cover(value: Any) -> Any:
    """``none`` / null → no cover; ``{after_days: N}`` → cover after N days."""
    if value is None or value == "none":
        return Cover()
    if isinstance(value, str):
        raise ValueError(f"cover must be 'none' or {{after_days: N}}, got {excerpt(value)}")
    return value


def _parse_window(text: Any) -> tuple[float, float]:
    if not isinstance(text, str):
        raise ValueError(f"a slot must look like '09:00-14:30', got {excerpt(text)}")
    return parse_hours(text)


class AppointmentsConfig(StrictModel):
    """Follow-up sessions as meetings booked ahead (calibration #39, #40, #55, #56, #57, #58)."""

    enabled: bool = False
    """false: a session starts when a caseworker picks a due user (no booking)."""
    lead_days: Distribution = Fixed(value=0.0)
    """How far ahead a meeting is booked: a meeting booked at time t is at least
    a draw of this after t, and never before the user is due."""
    slots: tuple[str, ...] = ("09:00-14:30",)
    """Hours of a caseworker's working day that can hold meetings."""
    no_show_rate: float = Field(0.0, ge=0, lt=1)
    """Share of meetings the user does not come to (then rebooked)."""
    rebook_min_days: float = Field(7.0, ge=0, le=MAX_DAYS)
    """A cancelled or missed meeting is rebooked at the next free slot at least this
    many days ahead."""

    @field_validator("lead_days", mode="before")
    @classmethod
    def _number_is_fixed(cls, v: Any) -> Any:
        return number_as_fixed(v, "lead_days", positive=False)

    @field_validator("lead_days")
    @classmethod
    def _bounded(cls, v: Any) -> Any:
        return capped_mean(v, MAX_DAYS, "days")

    @field_validator("slots", mode="before")
    @classmethod
    def _windows(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list | tuple) or not v:
            raise ValueError("slots must be one or more ranges like '09:00-14:30'")
        windows = sorted(_parse_window(t) for t in v)
        for (_a, b), (c, _d) in itertools.pairwise(windows):
            if c < b:
                raise ValueError("slots overlap")
        return tuple(v)

    def windows(self) -> tuple[tuple[float, float], ...]:
        """The slots as (start hour, end hour), in order."""
        return tuple(sorted(_parse_window(t) for t in self.slots))


class OvertimeConfig(StrictModel):
    """Overtime caps (arbeidsmiljøloven § 10-6, calibration #53) and the start rule.

    A cap of null is no cap. The week, 4-week and year caps are rolling windows
    of 7, 28 and 364 days (52 weeks), as the Act counts them.
    """

    max_hours_per_day: float | None = Field(None, ge=0, le=MAX_OVERTIME_HOURS)
    max_hours_per_week: float | None = Field(None, ge=0, le=MAX_OVERTIME_HOURS)
    max_hours_per_4_weeks: float | None = Field(None, ge=0, le=MAX_OVERTIME_HOURS)
    max_hours_per_year: float | None = Field(None, ge=0, le=MAX_OVERTIME_HOURS)
    start_rule: Literal["finish_or_defer", "always_start"] = "always_start"
    """finish_or_defer: a task starts only if it fits into the rest of the working
    day plus the overtime still allowed; always_start: any task starts while the
    caseworker is at work (overtime unlimited)."""

    @model_validator(mode="after")
    def _caps_need_rule(self) -> OvertimeConfig:
        if self.capped and self.start_rule == "always_start":
            raise ValueError(
                "overtime caps need start_rule: finish_or_defer "
                "(always_start starts every task, so no cap can hold)"
            )
        return self

    @property
    def capped(self) -> bool:
        return any(
            c is not None
            for c in (
                self.max_hours_per_day,
                self.max_hours_per_week,
                self.max_hours_per_4_weeks,
                self.max_hours_per_year,
            )
        )

    def caps(self) -> tuple[tuple[int, float], ...]:
        """(window in days, cap in hours) for every cap set."""
        pairs = (
            (1, self.max_hours_per_day),
            (7, self.max_hours_per_week),
            (28, self.max_hours_per_4_weeks),
            (364, self.max_hours_per_year),
        )
        return tuple((days, cap) for days, cap in pairs if cap is not None)
