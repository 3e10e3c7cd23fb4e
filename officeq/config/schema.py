"""The validated office configuration.

One frozen pydantic model tree, checked once at the edge (``extra="forbid"``).
Field names carry their unit (``sla_hours``, ``interval_days``,
``duration_minutes``). Defaults follow ``docs/calibration.md``; the row is
named beside each default. Reading YAML files lives in :mod:`officeq.config.loading`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, PrivateAttr, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

from officeq.config.base import (
    MAX_ARRIVALS_PER_DAY,
    MAX_CASELOAD,
    MAX_CASEWORKERS,
    MAX_DAYS,
    MAX_HOURS,
    MAX_INTERVAL_DAYS,
    MAX_NAME,
    MAX_PER_YEAR,
    MAX_SEED,
    StrictModel,
    parse_hours,
)
from officeq.config.changes import MAX_CHANGES, Change, resolve_plan
from officeq.config.distributions import (
    Distribution,
    Duration,
    Exponential,
    Fixed,
    LogNormal,
    capped_mean,
    number_as_fixed,
)
from officeq.config.holidays import HolidayRules, check_dates, uncovered_years, years_text
from officeq.config.income_support import CaseProcessConfig
from officeq.config.organisation import AppointmentsConfig, Cover, OvertimeConfig, parse_cover
from officeq.config.steering import (
    POLICY_NAMES,
    WEEKDAYS,
    FailureDemandConfig,
    OutcomesConfig,
    SteeringConfig,
    known_policy,
)

__all__ = ["POLICY_NAMES", "WEEKDAYS", "Config"]

QUEUE_CLASSES = ("income_support_urgent", "inquiry", "income_support", "followup")
"""Work classes a policy can order: urgent applications are their own class."""

MIN_START, MAX_START = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


class _Model(StrictModel):
    pass


class OpeningHours(_Model):
    """Opening hours per weekday, ``"HH:MM-HH:MM"``, or null when closed (calibration #24)."""

    mon: str | None = "08:00-15:30"
    tue: str | None = "08:00-15:30"
    wed: str | None = "08:00-15:30"
    thu: str | None = "08:00-15:30"
    fri: str | None = "08:00-15:30"
    sat: str | None = None
    sun: str | None = None

    @field_validator(*WEEKDAYS)
    @classmethod
    def _valid(cls, v: str | None) -> str | None:
        if v is not None:
            parse_hours(v)
        return v

    def interval(self, weekday: int) -> tuple[float, float] | None:
        """Opening and closing hour on weekday 0 (Monday) … 6, or None."""
        text = getattr(self, WEEKDAYS[weekday])
        return None if text is None else parse_hours(text)


class CalendarConfig(_Model):
    always_open: bool = False
    opening_hours: OpeningHours = OpeningHours()
    holidays: Annotated[
        Annotated[HolidayRules, Tag("dict")] | Annotated[tuple[str, ...], Tag("list")],
        Discriminator(lambda v: "dict" if isinstance(v, dict | HolidayRules) else "list"),
    ] = HolidayRules()
    """A country's public holidays and office practice (:class:`HolidayRules`), or a
    hand-written list of closed dates: ``YYYY-MM-DD`` once, ``MM-DD`` every year."""
    allow_missing_holiday_years: bool = False
    """Run even when a hand-written list has no ``YYYY-MM-DD`` date in some year
    the run covers (else refused: such a run would miss Easter)."""

    @field_validator("holidays", mode="before")
    @classmethod
    def _dates(cls, values: Any) -> Any:
        if isinstance(values, dict | HolidayRules):
            return values
        if not isinstance(values, list | tuple):
            raise ValueError("must be {country: NO, ...} or a list of dates")
        return check_dates(values)

    @model_validator(mode="after")
    def _some_day_open(self) -> CalendarConfig:
        if not self.always_open and all(self.opening_hours.interval(w) is None for w in range(7)):
            raise ValueError("opening_hours: the office is never open (set at least one weekday)")
        return self


class StaffConfig(_Model):
    caseworkers: int = Field(18, ge=0, le=MAX_CASEWORKERS)
    admin_share: float = Field(0.5, ge=0, lt=1)
    """Share of working time on admin and meetings, not client work (calibration #27)."""
    absence_rate: float = Field(0.07, ge=0, lt=1)
    """Share of days lost to sickness absence (calibration #25)."""
    absence_spell_days_mean: float = Field(6.0, ge=1, le=MAX_DAYS)
    """Mean length of one absence spell in calendar days (assumption)."""
    overtime: OvertimeConfig = OvertimeConfig()


def _profile(values: Any, n: int, names: tuple[str, ...] | None) -> tuple[float, ...] | None:
    if values is None:
        return None
    if isinstance(values, dict) and names is not None:
        unknown = set(values) - set(names)
        if unknown:
            raise ValueError(f"unknown weekday {sorted(unknown)[0]!r}; use {', '.join(names)}")
        values = [values.get(k, 0.0) for k in names]
    if not isinstance(values, list | tuple) or len(values) != n:
        raise ValueError(
            f"must be a list of {n} non-negative weights"
            + (" or a mapping mon..sun" if names else "")
        )
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
        raise ValueError("weights must be numbers")
    out = tuple(float(v) for v in values)
    if any(not 0 <= v <= 1e9 for v in out):
        raise ValueError("weights must be finite, non-negative and at most 1e9")
    if sum(out) <= 0:
        raise ValueError("at least one weight must be positive")
    return out


class ArrivalStream(_Model):
    """A Poisson arrival stream with weekday and hour-of-day profiles."""

    arrivals_per_day: float = Field(0.0, ge=0, le=MAX_ARRIVALS_PER_DAY)
    """Mean arrivals per working day; a week brings this times its open weekdays."""
    weekday_profile: tuple[float, ...] | None = None
    """Relative volume Mon..Sun (7 weights or a mapping); null: flat."""
    hour_profile: tuple[float, ...] | None = None
    """Relative volume per hour 0..23 for arrivals in opening hours; null: flat."""
    digital_share: float = Field(0.0, ge=0, le=1)
    """Share arriving digitally, at any hour of any day, also when closed."""
    digital_hour_profile: tuple[float, ...] | None = None
    """Relative volume per hour 0..23 of digital arrivals; null: flat."""
    duration_minutes: Duration = Exponential(mean=10)

    @field_validator("weekday_profile", mode="before")
    @classmethod
    def _weekday(cls, v: Any) -> tuple[float, ...] | None:
        return _profile(v, 7, WEEKDAYS)

    @field_validator("hour_profile", "digital_hour_profile", mode="before")
    @classmethod
    def _hours(cls, v: Any) -> tuple[float, ...] | None:
        return _profile(v, 24, None)


class InquiryConfig(ArrivalStream):
    """Phone callbacks and digital messages that must be answered within an SLA."""

    arrivals_per_day: float = Field(120.0, ge=0, le=MAX_ARRIVALS_PER_DAY)
    duration_minutes: Duration = LogNormal(mean=8, cv=0.6)  # calibration #11, #23
    sla_hours: float = Field(48.0, gt=0, le=MAX_HOURS)  # calibration #9
    sla_clock: Literal["calendar", "business"] = "calendar"


class IncomeSupportConfig(ArrivalStream):
    """Applications for financial social assistance that need a decision."""

    arrivals_per_day: float = Field(14.0, ge=0, le=MAX_ARRIVALS_PER_DAY)  # calibration #13, #18
    duration_minutes: Duration = LogNormal(mean=45, cv=0.4)  # calibration #23
    deadline_days: float = Field(21.0, gt=0, le=MAX_DAYS)  # calibration #15
    urgent_share: float = Field(0.1, ge=0, le=1)  # assumption
    urgent_deadline_hours: float = Field(48.0, gt=0, le=MAX_HOURS)  # calibration #15
    process: CaseProcessConfig | None = None
    """The steps of a case (:mod:`officeq.config.income_support`); null: one task of
    ``duration_minutes`` per application."""


class FollowupGroup(_Model):
    """One need group (innsatsgruppe) of the follow-up caseload."""

    share: float = Field(ge=0, le=1)
    interval_days: Distribution
    duration_minutes: Duration
    exit_to_work_per_year: float = Field(0.0, ge=0, le=MAX_PER_YEAR)
    exit_other_per_year: float = Field(0.0, ge=0, le=MAX_PER_YEAR)

    @field_validator("interval_days", mode="before")
    @classmethod
    def _number_is_fixed(cls, v: Any) -> Any:
        return number_as_fixed(v, "interval_days", positive=True)

    @field_validator("interval_days")
    @classmethod
    def _positive_mean(cls, v: Any) -> Any:
        if v.mean_value() <= 0:
            raise ValueError("interval_days must have a positive mean")
        return capped_mean(v, MAX_INTERVAL_DAYS, "days")


def _default_groups() -> dict[str, FollowupGroup]:
    # shares: calibration #21; intervals: #22; durations: #23; exit rates: assumption
    spec = {
        "standard": (0.45, 135, 30, 1.2, 0.4),
        "situational": (0.20, 42, 60, 0.8, 0.3),
        "specially_adapted": (0.30, 28, 75, 0.4, 0.3),
        "permanently_adapted": (0.05, 180, 60, 0.05, 0.15),
    }
    return {
        name: FollowupGroup(
            share=share,
            interval_days=Fixed(value=interval),
            duration_minutes=LogNormal(mean=minutes, cv=0.4),
            exit_to_work_per_year=to_work,
            exit_other_per_year=other,
        )
        for name, (share, interval, minutes, to_work, other) in spec.items()
    }


class FollowupConfig(_Model):
    """The caseload of users in need groups, each due for follow-up at intervals."""

    caseload: int = Field(1000, ge=0, le=MAX_CASELOAD)  # calibration #5
    new_users_per_year: float | None = Field(None, ge=0, le=MAX_CASELOAD)
    """New users per year, split by group share; null: replace exits (a steady caseload)."""
    groups: dict[str, FollowupGroup] = Field(default_factory=_default_groups)
    assignment: Literal["own", "pooled"] = "pooled"
    """own: every user has their own caseworker; pooled: any caseworker takes any user."""
    caseload_cap: int | None = Field(None, ge=1, le=MAX_CASELOAD)
    """own: most users per caseworker; a new user past it waits unassigned. null: no cap."""
    first_session_days: float = Field(0.0, ge=0, le=MAX_DAYS)
    """A new user is due for a first session this many days after joining."""
    cover: Cover = Cover()
    """own: ``none``, or ``{after_days: N}``: colleagues take an absent or directed
    caseworker's users once N days overdue."""
    appointments: AppointmentsConfig = AppointmentsConfig()
    outcomes: OutcomesConfig = OutcomesConfig()
    failure_demand: FailureDemandConfig = FailureDemandConfig()

    @field_validator("cover", mode="before")
    @classmethod
    def _cover(cls, v: Any) -> Any:
        return parse_cover(v)

    @model_validator(mode="after")
    def _shares(self) -> FollowupConfig:
        if not self.groups:
            raise ValueError("groups: at least one need group is required")
        total = sum(g.share for g in self.groups.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"groups: shares sum to {total:g}, they must sum to 1")
        for name in self.groups:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"groups: name {name!r} must be snake_case")
        return self


class WorkConfig(_Model):
    inquiry: InquiryConfig = InquiryConfig()
    income_support: IncomeSupportConfig = IncomeSupportConfig()
    followup: FollowupConfig = FollowupConfig()


class PolicyConfig(_Model):
    """How a free caseworker picks the next task."""

    name: str = "deadline_first"
    order: tuple[str, ...] = QUEUE_CLASSES
    """strict_priority: work classes, highest priority first; missing ones come last."""
    followup_share: float = Field(0.3, ge=0, le=1)
    """protected_followup: share of each caseworker's client time reserved for follow-up."""
    slack_margin_hours: float = Field(8.0, ge=0, le=MAX_HOURS)
    """needs_based: deadline work is taken first once its slack is below this."""
    need_order: tuple[str, ...] | None = None
    """needs_based: need groups, most vulnerable first; null: specially_adapted,
    permanently_adapted, situational, standard (then any others)."""

    @field_validator("name")
    @classmethod
    def _known(cls, v: str) -> str:
        return known_policy(v)

    @field_validator("order")
    @classmethod
    def _order(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for item in v:
            if item not in QUEUE_CLASSES:
                raise ValueError(f"unknown work class {item!r}; use {', '.join(QUEUE_CLASSES)}")
        if len(set(v)) != len(v):
            raise ValueError("order names a work class twice")
        return v + tuple(c for c in QUEUE_CLASSES if c not in v)


DEFAULT_NEED_ORDER = ("specially_adapted", "permanently_adapted", "situational", "standard")


class Config(_Model):
    """One office, one run: everything the model needs."""

    name: str = Field("office", max_length=MAX_NAME)
    seed: int = Field(1, ge=0, le=MAX_SEED)
    start_date: dt.date = Field(dt.date(2025, 1, 6), ge=MIN_START, le=MAX_START)
    """Date of simulated day 0 (sets weekdays, holidays and months)."""
    horizon_days: float = Field(365.0, gt=0, le=MAX_DAYS)
    """Length of the whole run, warm-up included."""
    warmup_days: float = Field(60.0, ge=0, le=MAX_DAYS)
    """Days at the start that metrics leave out."""
    calendar: CalendarConfig = CalendarConfig()
    staff: StaffConfig = StaffConfig()
    work: WorkConfig = WorkConfig()
    policy: PolicyConfig = PolicyConfig()
    steering: SteeringConfig = SteeringConfig()
    changes: tuple[Change, ...] = Field((), max_length=MAX_CHANGES)
    """Dated changes during the run (:mod:`officeq.config.changes`); empty: none."""
    _plan: tuple[tuple[int, Config], ...] = PrivateAttr(())

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        if self.warmup_days >= self.horizon_days:
            raise ValueError(
                f"warmup_days ({self.warmup_days:g}) must be shorter than "
                f"horizon_days ({self.horizon_days:g})"
            )
        need = self.policy.need_order
        groups = self.work.followup.groups
        if need is not None:
            for g in need:
                if g not in groups:
                    raise ValueError(f"policy.need_order: {g!r} is not a group in work.followup")
        self._holidays_cover_run()
        if self.changes:
            days = math.ceil(self.horizon_days)
            self._plan = resolve_plan(self, Config.model_validate, days)
        return self

    def _holidays_cover_run(self) -> None:
        cal = self.calendar
        if cal.always_open or cal.allow_missing_holiday_years:
            return
        last = self.start_date + dt.timedelta(days=math.ceil(self.horizon_days) - 1)
        missing = uncovered_years(cal.holidays, self.start_date, last)
        if missing:
            years = years_text(missing)
            raise PydanticCustomError(
                "named_field",
                "{message}",
                {
                    "field": "calendar.holidays",
                    "message": f"the list has no dated holidays in {years}, which the run "
                    f"covers ({self.start_date} to {last}); use `holidays: {{country: NO}}` "
                    "for every year's holidays (or set calendar.allow_missing_holiday_years)",
                },
            )

    def plan(self) -> tuple[tuple[int, Config], ...]:
        """The days the config changes on (within the run) and the config from each on."""
        return self._plan

    def need_order(self) -> tuple[str, ...]:
        """Need groups, most vulnerable first, covering every configured group."""
        groups = tuple(self.work.followup.groups)
        first = self.policy.need_order or tuple(g for g in DEFAULT_NEED_ORDER if g in groups)
        return tuple(first) + tuple(g for g in groups if g not in first)
