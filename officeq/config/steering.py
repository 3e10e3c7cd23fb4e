"""Config sections for target steering and its effects on users.

``steering`` is how the office is managed: the monthly indicators and their
targets, management's review of them (directives that redirect caseworkers),
gaming of the diffuse follow-up indicator, and what caseworkers prefer to do
when no one is pushing. ``outcomes`` and ``failure_demand`` (under
``work.followup``) are what follow-up does for users and what missing it
costs the office. Everything is off by default: a config without these
sections runs the office as before.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from officeq.config.base import MAX_CASEWORKERS, MAX_DAYS, MAX_HOURS, StrictModel

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
POLICY_NAMES = ("fifo", "deadline_first", "strict_priority", "protected_followup", "needs_based")


def known_policy(name: str) -> str:
    """``name`` if it is a policy, else a ValueError listing them."""
    if name not in POLICY_NAMES:
        raise ValueError(f"unknown policy {name!r}; choose one of {', '.join(POLICY_NAMES)}")
    return name


INDICATORS = {
    "inquiry_sla_hit_rate": "share of inquiries answered within the SLA this month",
    "income_support_on_time_rate": "share of income-support decisions on time this month",
    "followup_contact_rate": "users with any follow-up contact this month, per user",
    "exits_to_work_rate": "exits to work this month, per user on the caseload",
}
"""Indicator names a scorecard can hold, and what each measures."""

MAX_FAILURE_DEMAND = 50.0
"""Most extra inquiries per overdue user per week (seven a day)."""


class _Model(StrictModel):
    pass


class Indicator(_Model):
    """One line of the monthly scorecard (målekort) and its target (calibration #28)."""

    name: str
    target: float = Field(ge=0, le=1)
    """All indicators are shares (per inquiry, decision or user on the caseload)."""

    @field_validator("name")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in INDICATORS:
            raise ValueError(f"unknown indicator {v!r}; choose one of {', '.join(INDICATORS)}")
        return v


class ReviewConfig(_Model):
    """Management's review of the month-to-date scorecard (insight 2)."""

    cadence: Literal["daily", "weekly"] = "weekly"
    """Review after every working day, or after the working day named by ``weekday``."""
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "fri"
    grace_days: int = Field(3, ge=0, le=31)
    """Working days into a month before a projection is trusted."""
    redirect_caseworkers: int | Literal["all"] = 0
    """Caseworkers a directive moves to the lagging work; 0: no mid-month redirection."""
    directive_days: int = Field(5, ge=1, le=261)
    """Working days a directive lasts; planned follow-up in that time is cancelled."""
    threshold_effect: bool = False
    """Hood's threshold effect: work whose indicator is safely met waits behind follow-up."""
    safe_margin: float = Field(0.03, ge=0, le=1)
    """Safely met: projected at least target x (1 + safe_margin)."""
    relaxed_slack_hours: float = Field(0.0, ge=0, le=MAX_HOURS)
    """Relaxed work still comes first once its deadline is this close (0: it always
    waits behind due follow-up, the strong form of the threshold effect)."""

    @field_validator("redirect_caseworkers", mode="before")
    @classmethod
    def _count_or_all(cls, v: object) -> object:
        if isinstance(v, str) and v != "all":
            raise ValueError(f"must be a count or 'all' (got {v[:40]!r})")
        if isinstance(v, float) and not v.is_integer():
            raise ValueError(f"must be a whole number or 'all' (got {v:g})")
        return v

    @field_validator("redirect_caseworkers")
    @classmethod
    def _non_negative(cls, v: int | str) -> int | str:
        if isinstance(v, int) and not 0 <= v <= MAX_CASEWORKERS:
            raise ValueError(f"must be from 0 to {MAX_CASEWORKERS}, or 'all'")
        return v


class GamingConfig(_Model):
    """Ways to satisfy a lagging follow-up indicator without substantive follow-up."""

    short_contacts: bool = False
    """Meet a contact-rate shortfall with short contacts that count but are not follow-up."""
    short_contact_minutes: float = Field(10.0, gt=0, le=480)
    short_contact_share: float = Field(1.0, ge=0, le=1)
    """Share of the projected shortfall (in users) turned into short contacts."""
    creaming: bool = False
    """Under a follow-up directive, take the users closest to work first (calibration #33)."""
    creaming_share: float = Field(1.0, ge=0, le=1)
    """Share of directed follow-up picks (and short contacts) that cream."""


class SteeringConfig(_Model):
    """How the office is steered: indicators, review, gaming, preference."""

    indicators: tuple[Indicator, ...] = ()
    """The monthly scorecard; empty: no targets (and no pressure)."""
    review: ReviewConfig = ReviewConfig()
    gaming: GamingConfig = GamingConfig()
    preference: str | None = None
    """Policy caseworkers follow when no indicator is projected to miss and they are under no
    directive (e.g. ``needs_based``); null: always ``policy.name`` (insight 3)."""

    @field_validator("preference")
    @classmethod
    def _policy(cls, v: str | None) -> str | None:
        return v if v is None else known_policy(v)

    @model_validator(mode="after")
    def _unique(self) -> SteeringConfig:
        names = [i.name for i in self.indicators]
        if len(set(names)) != len(names):
            raise ValueError("indicators: an indicator is listed twice")
        return self

    @property
    def active(self) -> bool:
        """True when there is a scorecard to steer by, or a preference to follow."""
        return bool(self.indicators) or self.preference is not None


class OutcomesConfig(_Model):
    """Substantive follow-up raises a user's chance of moving into work for a while.

    Assumption (A), with direction but not size from calibration #34: extra
    caseworkers and more meetings gave faster exits to work (Germany; an
    Austrian RCT). 0 leaves exits to work independent of follow-up.
    """

    session_effect: float = Field(0.0, ge=0, le=100)
    """Relative rise of the exit-to-work rate after a substantive session (0.5: +50%)."""
    effect_days: float = Field(90.0, gt=0, le=MAX_DAYS)
    """How long the rise lasts after each session."""


class FailureDemandConfig(_Model):
    """Overdue users call and write: extra inquiries (calibration insight 5, #35; A)."""

    inquiries_per_user_week: float = Field(0.0, ge=0, le=MAX_FAILURE_DEMAND)
    """Extra inquiries per overdue user per week, once past ``grace_days``; 0: off."""
    grace_days: float = Field(7.0, ge=0, le=MAX_DAYS)
    """Days overdue before a user starts to chase."""
