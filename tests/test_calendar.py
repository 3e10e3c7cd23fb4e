"""Opening hours, holidays and the two SLA clocks."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given
from hypothesis import strategies as st

from officeq.config.schema import CalendarConfig
from officeq.model.calendar import OfficeCalendar

MONDAY = dt.date(2025, 1, 6)


def cal(**kw: object) -> OfficeCalendar:
    return OfficeCalendar(CalendarConfig.model_validate(kw), MONDAY, 60)


def test_default_hours_and_weekends() -> None:
    c = cal()
    assert c.open_at[0] == 8.0 and c.close_at[0] == 15.5
    assert c.is_open(8.0) and c.is_open(15.49) and not c.is_open(15.5) and not c.is_open(7.99)
    assert not c.is_open_day(5) and not c.is_open_day(6)  # Saturday, Sunday
    assert c.open_hours(0) == 7.5 and c.open_hours(5) == 0.0


def test_holidays_by_date_and_every_year() -> None:
    c = cal(holidays=["2025-01-07", "01-08"])
    assert not c.is_open_day(1) and not c.is_open_day(2) and c.is_open_day(3)


def test_friday_afternoon_inquiry_under_both_clocks() -> None:
    """An inquiry at Friday 15:00 with a 48-hour SLA."""
    c = cal()
    friday_15 = 4 * 24 + 15.0
    # calendar clock: Sunday 15:00, when the office is closed
    assert friday_15 + 48 == 6 * 24 + 15.0
    # business clock: 0.5 h on Friday, then 7.5 h a day: next week's Mon..Fri
    # give 37.5 h, so 10 h remain: Monday after 7.5 h, and 2.5 h on Tuesday
    deadline = c.add_business_hours(friday_15, 48)
    assert math.isclose(deadline, 15 * 24 + 8.0 + 2.5)
    assert math.isclose(c.business_hours(deadline) - c.business_hours(friday_15), 48)


def test_business_clock_starts_at_opening_for_arrivals_when_closed() -> None:
    c = cal()
    saturday_noon = 5 * 24 + 12.0
    assert math.isclose(c.add_business_hours(saturday_noon, 2), 7 * 24 + 10.0)
    assert c.business_hours(saturday_noon) == c.business_hours(7 * 24 + 8.0)


def test_always_open_business_clock_is_the_calendar_clock() -> None:
    c = cal(always_open=True)
    assert c.is_open(3.0) and c.is_open(5 * 24 + 2)
    for t in (0.0, 13.7, 100.25):
        assert math.isclose(c.add_business_hours(t, 48), t + 48)
    assert not c.closes_for_the_night(0)


@given(st.floats(0, 40 * 24), st.floats(0.01, 80))
def test_add_business_hours_inverts_business_hours(t: float, h: float) -> None:
    c = cal(holidays=["2025-01-10"])
    d = c.add_business_hours(t, h)
    assert d >= t
    assert math.isclose(c.business_hours(d) - c.business_hours(t), h, abs_tol=1e-9)
    # it is the earliest such time: a moment earlier, less has passed
    assert c.business_hours(d - 1e-6) - c.business_hours(t) < h
