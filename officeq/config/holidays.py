"""Holidays: the config's two forms and the dates they give for a stretch of days.

``calendar.holidays`` is either the rules of a country (public holidays from the
`holidays <https://pypi.org/project/holidays/>`_ package, for any year, plus
office practice on Christmas Eve and New Year's Eve, ``extra`` closed dates and
``remove``\\ d ones) or a hand-written list of dates (``MM-DD`` every year,
``YYYY-MM-DD`` one date). :func:`holiday_dates` turns either into the closed
dates and half days of a date range; the model gets only those dates.

The package is imported lazily (about 0.2 s), only for the rules form.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from officeq.config.base import StrictModel, excerpt

MAX_HOLIDAYS = 100_000
"""Most dates in a hand-written list (or in ``extra``/``remove``)."""

DayRule = Literal["closed", "half_day", "open"]
"""What the office does on Christmas Eve or New Year's Eve."""

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def check_dates(values: Any, what: str = "holiday") -> tuple[str, ...]:
    """A list of ``YYYY-MM-DD`` or ``MM-DD`` dates, as strings, or ValueError."""
    if not isinstance(values, list | tuple):
        raise ValueError("must be a list of dates")
    if len(values) > MAX_HOLIDAYS:
        raise ValueError(f"more than {MAX_HOLIDAYS:,} dates")
    for v in values:
        if not isinstance(v, str | dt.date) or isinstance(v, bool):
            raise ValueError(f"{what} {excerpt(v)} is not YYYY-MM-DD or MM-DD")
        text = str(v)
        try:
            if len(text) == 5:
                dt.date(2000, int(text[:2]), int(text[3:]))
            else:
                dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{what} {excerpt(text)} is not YYYY-MM-DD or MM-DD") from None
    return tuple(str(v) for v in values)


def _split(dates: tuple[str, ...]) -> tuple[set[dt.date], set[tuple[int, int]]]:
    """One-off dates and (month, day) pairs of every year."""
    once, yearly = set(), set()
    for h in dates:
        if len(h) == 5:
            yearly.add((int(h[:2]), int(h[3:])))
        else:
            once.add(dt.date.fromisoformat(h))
    return once, yearly


@functools.cache
def _countries() -> dict[str, str]:
    """The country codes the ``holidays`` package supports (ISO alpha-2 and alpha-3)
    and its country names (upper case), each to the country's alpha-2 code."""
    import holidays

    try:  # the registry is fast; list_supported_countries() imports every country
        from holidays.registry import COUNTRIES

        out = {}
        for name, (cls, *codes) in COUNTRIES.items():
            codes = [c for c in codes if re.fullmatch(r"[A-Z]{2,3}", c)]
            out |= dict.fromkeys(codes, codes[0] if codes else "")
            if codes:
                out[name.replace("_", " ").upper()] = out[cls.upper()] = codes[0]
        return out
    except (ImportError, AttributeError, TypeError, ValueError):  # pragma: no cover
        return {c: c for c in holidays.list_supported_countries()}


@functools.cache
def _subdivisions(country: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A country's subdivision codes, and their other names."""
    import holidays

    entity = holidays.country_holidays(country)
    return tuple(entity.subdivisions), tuple(getattr(entity, "subdivisions_aliases", {}))


def _suggest(value: str, known: dict[str, str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
    return f" (did you mean {known[close[0]]!r}?)" if close else ""


class HolidayRules(StrictModel):
    """Public holidays of a country from the ``holidays`` package, and office practice."""

    country: str = "NO"
    """ISO 3166 code of a country the ``holidays`` package supports (NO: Norway)."""
    subdivision: str | None = None
    """A region with holidays of its own (the package's code, e.g. a fylke); null: none."""
    christmas_eve: DayRule = "half_day"
    """24 December: ``closed``, ``half_day`` (closes at ``half_day_closes``) or ``open``."""
    new_years_eve: DayRule = "half_day"
    """31 December: as ``christmas_eve``."""
    half_day_closes: str = "12:00"
    """When the office closes on a half day (``HH:MM``; never later than usual)."""
    extra: tuple[str, ...] = Field((), max_length=MAX_HOLIDAYS)
    """More closed dates: ``YYYY-MM-DD`` once, ``MM-DD`` every year."""
    remove: tuple[str, ...] = Field((), max_length=MAX_HOLIDAYS)
    """Dates the office opens as usual although the rules above close it (same forms)."""

    @classmethod
    def _strict_kinds(cls, data: Any) -> Any:
        # YAML 1.1 reads a bare NO (Norway) as false: no other country is false
        if isinstance(data, dict) and data.get("country") is False:
            data = {**data, "country": "NO"}
        return super()._strict_kinds(data)

    @field_validator("extra", "remove", mode="before")
    @classmethod
    def _dates(cls, values: Any) -> tuple[str, ...]:
        return check_dates(values, "date")

    @field_validator("half_day_closes", mode="before")
    @classmethod
    def _time(cls, v: Any) -> str:
        if isinstance(v, int) and not isinstance(v, bool) and 60 <= v <= 24 * 60:
            v = f"{v // 60:02d}:{v % 60:02d}"  # YAML 1.1 reads a bare 12:00 as 720 (base 60)
        if not isinstance(v, str):
            raise ValueError(f"must be a time of day like '12:00', got {excerpt(v)}")
        m = _TIME.match(v.strip())
        if not m or int(m[2]) >= 60 or not 0 <= int(m[1]) + int(m[2]) / 60 <= 24:
            raise ValueError(f"must be a time of day like '12:00', got {excerpt(v)}")
        return v.strip()

    @field_validator("country")
    @classmethod
    def _country(cls, v: str) -> str:
        code = v.strip().upper()
        known = _countries()
        if code not in known or len(code) > 3:
            raise ValueError(
                f"{excerpt(v)} is not a country code the holidays package knows"
                f"{_suggest(code, known)}; give an ISO code such as NO"
            )
        return code

    @field_validator("subdivision")
    @classmethod
    def _subdivision(cls, v: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")
        if v is None or country is None:
            return v
        codes, aliases = _subdivisions(country)
        if v not in codes and v not in aliases:
            known = {c: c for c in (*codes, *aliases)}
            raise ValueError(
                f"{excerpt(v)} is not a subdivision of {country}{_suggest(v, known)}; "
                f"its codes: {', '.join(codes) or 'none'}"
            )
        return v

    def closes_at(self) -> float:
        """``half_day_closes`` in hours after midnight."""
        h, m = self.half_day_closes.split(":")
        return int(h) + int(m) / 60


@dataclass(frozen=True)
class HolidayDates:
    """The holidays of a date range: closed all day, or open until ``half_day_closes``."""

    closed: frozenset[dt.date]
    half_days: frozenset[dt.date] = frozenset()
    half_day_closes: float = 12.0
    """Hours after midnight."""


@functools.lru_cache(maxsize=64)
def _public(country: str, subdivision: str | None, years: tuple[int, ...]) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=years))


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def holiday_dates(
    holidays: HolidayRules | tuple[str, ...], first: dt.date, last: dt.date
) -> HolidayDates:
    """The closed dates and half days from ``first`` to ``last`` (both included)."""
    if last < first:
        return HolidayDates(frozenset())
    if not isinstance(holidays, HolidayRules):
        once, yearly = _split(holidays)
        return HolidayDates(
            frozenset(d for d in _days(first, last) if d in once or (d.month, d.day) in yearly)
        )
    r = holidays
    years = tuple(range(first.year, last.year + 1))
    closed = {d for d in _public(r.country, r.subdivision, years) if first <= d <= last}
    half: set[dt.date] = set()
    for year in years:
        for date, rule in (
            (dt.date(year, 12, 24), r.christmas_eve),
            (dt.date(year, 12, 31), r.new_years_eve),
        ):
            if not first <= date <= last:
                continue
            closed.discard(date)  # office practice decides these two days
            if rule == "closed":
                closed.add(date)
            elif rule == "half_day":
                half.add(date)
    once, yearly = _split(r.extra)
    added = {d for d in _days(first, last) if d in once or (d.month, d.day) in yearly}
    closed |= added
    half -= added
    once, yearly = _split(r.remove)
    opened = {d for d in closed | half if d in once or (d.month, d.day) in yearly}
    return HolidayDates(frozenset(closed - opened), frozenset(half - opened), r.closes_at())


def uncovered_years(
    holidays: HolidayRules | tuple[str, ...], first: dt.date, last: dt.date
) -> list[int]:
    """Years from ``first`` to ``last`` a hand-written list has no dated holiday in.

    Empty for the rules form, an empty list (no holidays, deliberately) and a list
    of only ``MM-DD`` dates (the same every year).
    """
    if isinstance(holidays, HolidayRules):
        return []
    once, _yearly = _split(holidays)
    if not once:
        return []
    listed = {d.year for d in once}
    return [y for y in range(first.year, last.year + 1) if y not in listed]


def years_text(years: list[int]) -> str:
    """``[2026, 2027, 2028, 2030]`` as ``2026-2028, 2030`` (a short line for many years)."""
    parts: list[str] = []
    for y in years:
        if parts and parts[-1].split("-")[-1] == str(y - 1):
            parts[-1] = f"{parts[-1].split('-')[0]}-{y}"
        else:
            parts.append(str(y))
    return ", ".join(parts)
