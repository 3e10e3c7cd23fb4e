"""Own caseloads, booked meetings and capped overtime (issue 12).

Stochastic checks compare with queueing theory or a distribution test; the
rest are invariants that must hold in every run (caps, conservation, no
double-booked caseworker, meetings inside their slots).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cli_helpers import with_
from scipy import stats

from officeq.config.loading import load_config
from officeq.config.schema import Config
from officeq.measure.recorder import Recorder
from officeq.measure.run import recorder_for, run
from officeq.model.appointments import CANCEL_REASONS
from officeq.model.calendar import HOURS_PER_DAY
from officeq.model.owners import Owners
from officeq.model.simulate import Simulation
from officeq.model.tasks import User
from officeq.validation import theory
from officeq.validation.checks import check_finite_source, check_own_caseloads, with_interval

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
OWN = ROOT / "configs" / "validation" / "own_caseloads.yaml"


class Tracing(Recorder):
    """A recorder that also keeps every booking and every meeting held."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bookings: list[tuple[float, float, int, float, bool]] = []
        self.held: list[tuple[int, float, float]] = []

    def appointment_booked(self, meeting: Any, rebooking: bool) -> None:
        super().appointment_booked(meeting, rebooking)
        self.bookings.append(
            (meeting.start, meeting.end, meeting.worker, meeting.booked_at, rebooking)
        )

    def appointment_ended(self, meeting: Any, outcome: str, now: float, why: str = "") -> None:
        super().appointment_ended(meeting, outcome, now, why)
        if outcome == "held":
            self.held.append((meeting.worker, now, now + meeting.length))


def simulate(cfg: Config) -> Simulation:
    sim = Simulation(cfg, recorder_for(cfg, Tracing))
    sim.run()
    return sim


# --- own caseloads against theory ---------------------------------------------------
@pytest.mark.parametrize("interval", [1.0, 0.6])
def test_own_caseload_is_machine_repair_per_caseworker(interval: float) -> None:
    cfg = with_interval(load_config(OWN, horizon_days=120), interval)
    (check,) = check_own_caseloads(cfg, replications=6)
    assert check.passed, check
    due = 1 / (interval * 24)
    wrong = theory.finite_source(13, due, 1.0, 1).queue_mean  # one user more each
    assert not check.low <= wrong <= check.high


def test_pooling_the_same_users_gives_the_smaller_backlog() -> None:
    own = with_interval(load_config(OWN, horizon_days=120), 0.6)
    pooled = with_(own, work__followup__assignment="pooled")
    (mine,) = check_own_caseloads(own, replications=6)
    (pool,) = check_finite_source(pooled, replications=6)
    assert pool.passed, pool  # M/M/c//cK
    c = own.staff.caseworkers
    assert pool.high < c * mine.low  # the whole office's backlog, pooled vs own
    assert pool.theory < c * mine.theory


def test_owners_deal_initial_users_in_turn_and_new_users_to_the_fewest() -> None:
    owners = Owners(3, cap=2)
    users = [User(i, "g", None, np.inf, False) for i in range(8)]
    placed = [owners.join(u, initial=True) for u in users[:7]]
    assert [u.owner for u in users[:6]] == [0, 1, 2, 0, 1, 2]
    assert placed == [True] * 6 + [False]  # everyone at the cap: the 7th waits
    users[1].active = False
    taken = owners.leave(users[1])  # caseworker 1 has room again
    assert taken is users[6] and users[6].owner == 1
    owners2 = Owners(3, cap=None)
    for u in users[:2]:
        owners2.join(u, initial=True)
    owners2.join(users[2], initial=False)
    assert users[2].owner == 2  # the one with the fewest users


def test_users_past_the_cap_wait_unassigned_and_count_in_the_backlog() -> None:
    cfg = with_(
        load_config(OWN, horizon_days=30),
        work__followup__caseload=60,
        work__followup__caseload_cap=12,
    )
    r = run(cfg)
    # 4 caseworkers x 12: 12 users wait unassigned all run (a closed caseload)
    assert r.summary["followup_unassigned_mean"] == pytest.approx(12.0)
    # they fall due within days and nobody serves them: the backlog holds them
    assert r.summary["followup_backlog_end"] >= 12


def test_cover_rule_lets_colleagues_take_users_of_absent_caseworkers() -> None:
    base = with_(
        load_config(BASELINE, horizon_days=150),
        staff__absence_rate=0.2,
        work__followup__appointments__enabled=False,
    )
    none = run(base).summary
    covered = run(with_(base, work__followup__cover={"after_days": 3})).summary
    assert none["followup_sessions_by_cover"] == 0
    assert covered["followup_sessions_by_cover"] > 0
    assert covered["followup_gap_days_mean_owner_away"] < none["followup_gap_days_mean_owner_away"]


# --- overtime caps --------------------------------------------------------------------
CAPS = {
    "max_hours_per_day": (1, 0.5),
    "max_hours_per_week": (7, 1.5),
    "max_hours_per_4_weeks": (28, 4.0),
    "max_hours_per_year": (364, 6.0),
}


@pytest.mark.parametrize("field", list(CAPS))
def test_overtime_cap_is_never_exceeded(field: str) -> None:
    window, cap = CAPS[field]
    heavy = with_(
        load_config(BASELINE, horizon_days=120),
        staff__caseworkers=12,  # heavily loaded: overtime every day if it could
        work__followup__appointments__enabled=False,
        staff__overtime={field: cap, "start_rule": "finish_or_defer"},
    )
    sim = simulate(heavy)
    worst = max(w.overtime.worst_window(window) for w in sim.office.workers)  # type: ignore[union-attr]
    assert worst <= cap + 1e-9
    assert worst > 0.5 * cap  # the cap is reached, not idle
    # without the cap the same office works past it
    free = simulate(with_(heavy, staff__overtime={"start_rule": "always_start"}))
    daily = free.rec.table.frame(free.rec.rows)  # type: ignore[attr-defined]
    assert daily["overtime_hours"].rolling(window, min_periods=1).sum().max() > cap


def test_finish_or_defer_leaves_long_tasks_for_the_next_opening() -> None:
    cfg = with_(
        load_config(BASELINE, horizon_days=90),
        staff__overtime={"max_hours_per_day": 0.0, "start_rule": "finish_or_defer"},
    )
    r = run(cfg).summary
    assert r["overtime_hours"] == 0
    assert r["tasks_deferred_end_of_day"] > 0


# --- appointments -----------------------------------------------------------------------
def booked_office(**extra: Any) -> Config:
    return with_(load_config(BASELINE, horizon_days=150), **extra)


def test_bookings_are_conserved() -> None:
    s = run(booked_office()).summary
    parts = ("held", "cancelled", "no_show", "open_end")
    assert s["appointments_booked"] == sum(s[f"appointments_{p}"] for p in parts)
    assert s["appointments_held"] > 0 and s["appointments_no_show"] > 0
    assert s["appointments_cancelled"] > 0 and s["appointments_open_end"] > 0
    assert s["appointments_cancelled"] == sum(
        s[f"appointments_cancelled_{w}"] for w in CANCEL_REASONS
    )


def test_no_caseworker_is_in_two_meetings_and_every_meeting_is_inside_the_slots() -> None:
    cfg = booked_office(work__followup__appointments__slots=["09:00-11:00", "12:30-14:30"])
    sim = simulate(cfg)
    rec: Tracing = sim.rec  # type: ignore[assignment]
    windows = cfg.work.followup.appointments.windows()
    for start, end, _w, _at, _re in rec.bookings:
        day = int(start // HOURS_PER_DAY) * HOURS_PER_DAY
        assert any(day + a - 1e-9 <= start and end <= day + b + 1e-9 for a, b in windows)
    by_worker: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for w, start, end in rec.held:
        by_worker[w].append((start, end))
    assert len(by_worker) == cfg.staff.caseworkers
    for meetings in by_worker.values():
        meetings.sort()
        for (_s1, e1), (s2, _e2) in itertools.pairwise(meetings):
            assert s2 >= e1 - 1e-9


def test_realised_lead_times_follow_lead_days_when_there_is_room() -> None:
    cfg = with_(
        load_config(OWN, horizon_days=200),
        staff__caseworkers=8,
        work__followup__caseload=16,  # two users each: a diary with plenty of room
        work__followup__groups={
            "standard": {
                "share": 1.0,
                "interval_days": 0.001,  # due again at once: the lead sets the next meeting
                "duration_minutes": {"dist": "fixed", "value": 6},
            }
        },
        work__followup__appointments={
            "enabled": True,
            "lead_days": {"dist": "uniform", "low": 2, "high": 10},
            "slots": ["00:00-24:00"],
        },
    )
    rec: Tracing = simulate(cfg).rec  # type: ignore[assignment]
    notice = np.array([(s - at) / HOURS_PER_DAY for s, _e, _w, at, re in rec.bookings if not re])
    notice = notice[notice > 0]  # initial users booked before they fall due
    assert len(notice) > 400
    result = stats.kstest(notice, stats.uniform(loc=2, scale=8).cdf)
    assert result.pvalue > 0.001, result
    # and the test has teeth: a lead of 3-11 days is rejected
    assert stats.kstest(notice, stats.uniform(loc=3, scale=8).cdf).pvalue < 1e-6


def test_directives_cancel_and_rebook_the_directed_caseworkers_meetings() -> None:
    cfg = load_config(ROOT / "configs" / "regimes" / "strong_targets.yaml", horizon_days=150)
    r = run(cfg).summary
    assert r["directives_issued"] > 0
    # counted by the day of cancelling, and by the day of booking: both after the warm-up
    assert r["followup_sessions_cancelled"] > 0 and r["appointments_cancelled_directive"] > 0
    assert r["followup_rebook_days_mean"] >= cfg.work.followup.appointments.rebook_min_days


def test_caseworkers_table_adds_up_to_the_summary(tmp_path: Path) -> None:
    r = run(load_config(BASELINE, horizon_days=120))
    table = r.caseworkers
    assert len(table) == r.config.staff.caseworkers
    assert table["followup_sessions"].sum() == r.summary["followup_sessions"]
    assert table["overtime_hours"].sum() == pytest.approx(r.summary["overtime_hours"])
    assert r.summary["followup_unassigned_mean"] == 0  # so every user has an owner
    assert table["users_owned_end"].sum() == r.daily["caseload"].iloc[-1]
    backlog_days = table["backlog_user_days"].sum()
    span_days = r.config.horizon_days - r.config.warmup_days
    assert backlog_days / span_days == pytest.approx(r.summary["followup_backlog_mean"], rel=1e-6)


def test_a_directive_for_a_follow_up_figure_keeps_the_meetings() -> None:
    cfg = load_config(
        ROOT / "configs" / "regimes" / "strong_targets.yaml",
        ["steering.indicators=[{name: followup_contact_rate, target: 0.95}]"],
        horizon_days=150,
    )
    r = run(cfg).summary
    assert r["directives_issued"] > 0
    assert r["appointments_cancelled_directive"] == 0
    assert r["followup_sessions_cancelled"] == 0


def test_a_task_longer_than_a_working_day_is_shortened_not_left_for_ever() -> None:
    """finish_or_defer starts a task only if it fits the day; one longer than a whole
    day's client time never would, and would block its queue: it is shortened."""
    cfg = with_(
        load_config(BASELINE, horizon_days=90),
        work__followup__appointments__enabled=False,
        work__followup__assignment="pooled",
        work__followup__groups={
            "long": {
                "share": 1.0,
                "interval_days": 60,
                "duration_minutes": {"dist": "fixed", "value": 420},  # 7 h: more than a day
            }
        },
        policy__need_order=None,
    )
    s = run(cfg).summary
    assert s["tasks_shortened_to_a_day"] > 0
    assert s["followup_sessions_per_user_year_long"] > 0


def test_with_bookings_only_users_let_down_by_the_office_chase() -> None:
    """Failure demand: a booked user waits for the date; one whose meeting the office
    cancelled (here: the caseworker's sick days) gets in touch."""
    office = ROOT / "configs" / "regimes" / "office.yaml"
    healthy = run(load_config(office, ["staff.absence_rate=0"], horizon_days=150)).summary
    sick = run(load_config(office, ["staff.absence_rate=0.15"], horizon_days=150)).summary
    assert healthy["appointments_cancelled_absent"] == 0
    assert healthy["failure_demand_inquiries"] == 0
    assert sick["appointments_cancelled_absent"] > 0
    assert sick["failure_demand_inquiries"] > 0


def test_daily_and_monthly_tables_carry_the_organisation() -> None:
    r = run(load_config(BASELINE, horizon_days=120))
    d, m, s = r.daily, r.monthly, r.summary
    measured = d[~d["warmup"]]
    # the daily table counts meetings by the day held; the summary only those booked
    # after the warm-up (so that bookings conserve)
    assert measured["appointments_held"].sum() >= s["appointments_held"] > 0
    assert m["appointments_held"].sum() == d["appointments_held"].sum()
    assert (d["followup_backlog_max_caseworker"] <= d["followup_overdue"]).all()
    assert (
        d["followup_backlog_max_caseworker"] * r.config.staff.caseworkers >= d["followup_overdue"]
    ).all()
    mean_max = measured["followup_backlog_max_caseworker"].mean()
    assert mean_max == pytest.approx(s["followup_backlog_max_caseworker_mean"], rel=0.02)
