"""Holidays of any year from the holidays package, half days, and the hand-written list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from cli_helpers import invoke
from test_architecture import loaded_after
from test_bad_input import refused

import officeq
from officeq.config.holidays import HolidayRules, holiday_dates, uncovered_years
from officeq.config.loading import ConfigError, load_config
from officeq.config.schema import CalendarConfig
from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
D = dt.date.fromisoformat

EASTER_2027 = ("2027-03-25", "2027-03-26", "2027-03-29")  # Maundy Thursday, Good Friday, Monday
ASCENSION_2027 = "2027-05-06"
WHIT_MONDAY_2027 = "2027-05-17"  # also Constitution Day
OLD_LIST_2025 = ("01-01", "05-01", "05-17", "12-25", "12-26")
OLD_DATED_2025 = ("2025-04-17", "2025-04-18", "2025-04-21", "2025-05-29", "2025-06-09")
OLD_DATED_2026 = ("2026-04-02", "2026-04-03", "2026-04-06", "2026-05-14", "2026-05-25")
OLD_BASELINE = (*OLD_LIST_2025, *OLD_DATED_2025, *OLD_DATED_2026)
"""The hand-written list the baseline had before the holidays package."""


def new_arrivals(events: pd.DataFrame, channel: str) -> pd.DataFrame:
    """Inquiries and applications as they arrive (not a case's later steps)."""
    first = (events["kind"] == "inquiry") | (
        (events["kind"] == "income_support") & events["step"].isin(["intake"]).fillna(True)
    )
    return events[first & (events["channel"] == channel)]


def on(events: pd.DataFrame, column: str, *dates: str) -> pd.DataFrame:
    return events[events[column].dt.date.isin([D(d) for d in dates])]


# --- the library form -------------------------------------------------------


def test_a_run_from_2026_09_gets_easter_and_ascension_2027() -> None:
    cfg = load_config(BASELINE, start_date="2026-09-01")
    assert isinstance(cfg.calendar.holidays, HolidayRules)
    days = (D("2027-06-01") - cfg.start_date).days
    cal = OfficeCalendar(cfg.calendar, cfg.start_date, days)
    day = {cal.date(d): d for d in range(days)}
    for date in (*EASTER_2027, ASCENSION_2027, WHIT_MONDAY_2027):
        assert not cal.is_open_day(day[D(date)]), date
    for date in ("2027-03-24", "2027-03-30", "2027-05-05", "2027-05-07"):  # the weekdays around
        assert cal.is_open_day(day[D(date)]), date


def test_no_phone_arrivals_on_easter_and_ascension_2027() -> None:
    cfg = load_config(BASELINE, start_date="2026-09-01", horizon_days=260, warmup_days=0)
    events = officeq.run(cfg, events=True).log["events"]
    closed = (*EASTER_2027, ASCENSION_2027)
    assert on(new_arrivals(events, "phone"), "arrived", *closed).empty
    assert len(on(new_arrivals(events, "digital"), "arrived", *closed)) > 0  # the days are run
    assert len(on(new_arrivals(events, "phone"), "arrived", "2027-03-24", "2027-05-05")) > 0


def test_library_agrees_with_the_old_hand_written_list_for_2025() -> None:
    """The old baseline listed 2025's holidays by hand; the package gives the same
    weekdays closed (and 24 and 31 December as half days on top)."""
    first, last = D("2025-01-01"), D("2025-12-31")
    old = holiday_dates((*OLD_LIST_2025, *OLD_DATED_2025), first, last)
    new = holiday_dates(HolidayRules(), first, last)

    def weekdays(dates: frozenset[dt.date]) -> set[dt.date]:
        return {d for d in dates if d.weekday() < 5}

    assert weekdays(new.closed) == weekdays(old.closed)
    assert new.half_days == {D("2025-12-24"), D("2025-12-31")}


# --- half days --------------------------------------------------------------


def half_day_run(rule: str) -> pd.DataFrame:
    cfg = load_config(
        BASELINE,
        [
            f"calendar.holidays.christmas_eve={rule}",
            f"calendar.holidays.new_years_eve={rule}",
            "calendar.holidays.half_day_closes=12:00",
            "staff.overtime.max_hours_per_day=0",  # no work past closing at all
        ],
        start_date="2026-12-14",
        horizon_days=24,
        warmup_days=0,
    )
    return officeq.run(cfg, events=True).log["events"]


def test_half_days_close_at_noon_for_calls_and_for_work() -> None:
    events = half_day_run("half_day")
    eves = ("2026-12-24", "2026-12-31")
    phone = on(new_arrivals(events, "phone"), "arrived", *eves)
    assert len(phone) > 0 and (phone["arrived"].dt.hour < 12).all()
    worked = on(events.dropna(subset=["started"]), "started", *eves)
    assert len(worked) > 0
    assert (worked["started"].dt.hour < 12).all()
    noon = pd.to_datetime(worked["started"].dt.date) + pd.Timedelta(hours=12)
    assert (worked["finished"].dropna() <= noon[worked["finished"].notna()]).all()
    # the digital channel is open all day
    assert (on(new_arrivals(events, "digital"), "arrived", *eves)["arrived"].dt.hour >= 12).any()


@pytest.mark.parametrize(
    ("rule", "phone_after_noon", "phone_at_all"),
    [("open", True, True), ("closed", False, False)],
)
def test_christmas_eve_open_or_closed(
    rule: str, phone_after_noon: bool, phone_at_all: bool
) -> None:
    phone = on(new_arrivals(half_day_run(rule), "phone"), "arrived", "2026-12-24")
    assert (len(phone) > 0) == phone_at_all
    assert (phone["arrived"].dt.hour >= 12).any() == phone_after_noon


def test_the_business_clock_counts_a_half_day_as_its_hours() -> None:
    cal_cfg = CalendarConfig.model_validate({"holidays": {"country": "NO"}})
    start = D("2026-12-21")  # Monday; the 24th is a Thursday, the 25th a holiday
    cal = OfficeCalendar(cal_cfg, start, 30)
    assert cal.open_hours(3) == pytest.approx(4.0)  # 08:00-12:00
    assert cal.close_at[3] == pytest.approx(3 * HOURS_PER_DAY + 12.0)
    wed_close = 2 * HOURS_PER_DAY + 15.5
    # 5 opening hours after Wednesday's closing: 4 on the 24th, then 1 on Monday the 28th
    assert cal.add_business_hours(wed_close, 5.0) == pytest.approx(7 * HOURS_PER_DAY + 9.0)
    assert not cal.is_open(3 * HOURS_PER_DAY + 12.5)


def test_a_half_day_closing_before_opening_closes_the_day() -> None:
    rules = HolidayRules(half_day_closes="07:00")
    cal = OfficeCalendar(CalendarConfig(holidays=rules), D("2026-12-21"), 14)
    assert not cal.is_open_day(3)
    assert cal.is_open_day(2)


# --- extra and remove -------------------------------------------------------


def test_extra_closes_and_remove_opens() -> None:
    rules = HolidayRules(
        extra=["2027-03-24", "11-11"], remove=["05-17", "12-24"], christmas_eve="half_day"
    )
    got = holiday_dates(rules, D("2026-09-01"), D("2027-10-30"))
    plain = holiday_dates(HolidayRules(), D("2026-09-01"), D("2027-10-30"))
    assert {D("2027-03-24"), D("2026-11-11")} <= got.closed
    assert D("2027-03-24") not in plain.closed and D("2026-11-11") not in plain.closed
    assert D("2027-05-17") in plain.closed and D("2027-05-17") not in got.closed
    assert D("2026-12-24") in plain.half_days
    assert D("2026-12-24") not in got.half_days | got.closed
    assert got.closed - {D("2027-03-24"), D("2026-11-11")} == plain.closed - {D("2027-05-17")}


def test_extra_on_a_half_day_closes_it() -> None:
    got = holiday_dates(HolidayRules(extra=["12-31"]), D("2026-12-01"), D("2026-12-31"))
    assert D("2026-12-31") in got.closed and D("2026-12-31") not in got.half_days


# --- the hand-written list --------------------------------------------------


def test_the_old_list_form_still_works() -> None:
    cfg = load_config(BASELINE, [f"calendar.holidays=[{', '.join(OLD_BASELINE)}]"])
    assert cfg.calendar.holidays == OLD_BASELINE
    cal = OfficeCalendar(cfg.calendar, cfg.start_date, 300)
    day = {cal.date(d): d for d in range(300)}
    assert not cal.is_open_day(day[D("2025-04-18")])
    assert not cal.is_open_day(day[D("2025-05-01")])
    assert cal.is_open_day(day[D("2025-04-16")])
    assert cal.open_hours(day[D("2025-06-10")]) == pytest.approx(7.5)


def test_a_list_missing_a_year_is_refused() -> None:
    line = refused(
        invoke("run", BASELINE, "--set", "calendar.holidays=[01-01, 2025-04-18]"),
        "calendar.holidays",
        "2026",
        "{country: NO}",
    )
    assert "2025" not in line.split("covers")[0]


def test_the_old_baseline_list_refuses_a_run_into_2027() -> None:
    old = ", ".join(OLD_BASELINE)
    with pytest.raises(ConfigError) as info:
        load_config(BASELINE, [f"calendar.holidays=[{old}]"], start_date="2026-09-01")
    assert info.value.field == "--set calendar.holidays"
    assert "2027" in info.value.message and "2026," not in info.value.message


def test_fixed_dates_only_or_told_otherwise_run() -> None:
    mm_dd = load_config(BASELINE, [f"calendar.holidays=[{', '.join(OLD_LIST_2025)}]"])
    assert mm_dd.calendar.holidays == OLD_LIST_2025
    told = load_config(
        BASELINE,
        ["calendar.holidays=[2025-04-18]", "calendar.allow_missing_holiday_years=true"],
    )
    assert told.calendar.holidays == ("2025-04-18",)
    assert uncovered_years(("2025-04-18",), D("2025-01-01"), D("2027-01-01")) == [2026, 2027]
    assert uncovered_years((), D("2025-01-01"), D("2027-01-01")) == []


# --- bad input --------------------------------------------------------------


@pytest.mark.parametrize("country", ["NOO", "Norway", "norge"])
def test_bad_country_suggests_a_close_match(country: str) -> None:
    refused(
        invoke("run", BASELINE, "--set", f"calendar.holidays.country={country}"),
        "calendar.holidays.country",
        "did you mean 'NO'?",
    )


def test_bad_subdivision_and_day_rule(tmp_path: Path) -> None:
    refused(
        invoke("run", BASELINE, "--set", "calendar.holidays.subdivision=Osloo"),
        "calendar.holidays.subdivision",
        "did you mean 'Oslo'?",
    )
    refused(
        invoke("run", BASELINE, "--set", "calendar.holidays.christmas_eve=shut"),
        "calendar.holidays.christmas_eve",
    )
    refused(
        invoke("run", BASELINE, "--set", "calendar.holidays.half_day_closes=25:00"),
        "calendar.holidays.half_day_closes",
    )


def test_unquoted_no_in_yaml_is_norway(tmp_path: Path) -> None:
    """YAML 1.1 reads a bare NO as false; the country field takes it as Norway."""
    path = tmp_path / "office.yaml"
    path.write_text(
        "calendar:\n  holidays:\n    country: NO\n    subdivision: '03'\n"
        "    half_day_closes: 12:30\n"  # and a bare 12:30 is 750 (base 60) in YAML 1.1
    )
    cfg = load_config(path)
    assert cfg.calendar.holidays.country == "NO"  # type: ignore[union-attr]
    assert cfg.calendar.holidays.closes_at() == 12.5  # type: ignore[union-attr]
    with pytest.raises(ConfigError, match=r"calendar\.holidays\.country"):
        load_config(path, ["calendar.holidays.country=true"])


def test_the_holidays_package_loads_only_for_the_rules_form() -> None:
    code = (
        "import officeq.model.simulate\n"
        "from officeq.config.loading import load_config\n"
        "cfg = load_config({'calendar': {'holidays': ['01-01']}})\n"
        "officeq.model.calendar.OfficeCalendar(cfg.calendar, cfg.start_date, 400)\n"
    )
    assert "holidays" not in loaded_after(code)
    assert "holidays" in loaded_after(code.replace("['01-01']", "{'country': 'NO'}"))


def test_a_plan_may_not_change_the_holidays() -> None:
    change = "changes=[{from: 2025-06-01, set: {calendar.holidays.christmas_eve: closed}}]"
    with pytest.raises(ConfigError, match="cannot change during a run"):
        load_config(BASELINE, [change])


def test_calibrate_refuses_a_base_list_that_misses_the_logs_years(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(
        f"extends: {BASELINE.as_posix()}\nhorizon_days: 300\nwarmup_days: 10\n"
        'calendar:\n  holidays: ["01-01", "2025-04-18"]\n'  # valid for its own run, in 2025
    )
    log = ROOT / "examples" / "my_office" / "events.parquet"  # May to October 2026
    refused(
        invoke("calibrate", log, "--base", base, "--out", tmp_path / "fit.yaml"),
        "calendar.holidays",
        "2026",
        "the log",
    )
