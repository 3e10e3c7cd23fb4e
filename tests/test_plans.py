"""Plans over time: dated changes in a config, resolved per day and applied in the model."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from officeq.config.changes import Change, values_on
from officeq.config.loading import ConfigError, dump_config, load_config
from officeq.config.schema import Config
from officeq.experiments.spec import Spec, expand
from officeq.measure.recorder import Recorder
from officeq.measure.run import recorder_for, run
from officeq.model.arrivals import ArrivalPattern, weekly_opening
from officeq.model.calendar import HOURS_PER_DAY, OfficeCalendar
from officeq.model.policies import DeadlineFirst, Fifo
from officeq.model.simulate import Simulation

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
START = dt.date(2025, 1, 6)  # the baseline's start_date (a Monday)


def date(day: int) -> str:
    return str(START + dt.timedelta(days=day))


def office(*changes: dict[str, Any], days: float = 70, **fields: Any) -> Config:
    data: dict[str, Any] = {"extends": str(BASELINE), "changes": list(changes)}
    return load_config(data, horizon_days=days, warmup_days=5, **fields)


def refused(*changes: dict[str, Any], **fields: Any) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        office(*changes, **fields)
    return info.value


# --- config ---------------------------------------------------------------------


def test_changes_parse_and_survive_a_round_trip() -> None:
    cfg = office(
        {"from": date(20), "set": {"work.inquiry.arrivals_per_day": 144}},
        {"from": date(30), "to": date(40), "ramp": {"staff.admin_share": [0.5, 0.4]}},
        **{"work.followup.appointments.enabled": False},
    )
    assert cfg.changes[0].from_ == START + dt.timedelta(days=20)
    assert cfg.changes[1].ramp == {"staff.admin_share": (0.5, 0.4)}
    dumped = cfg.model_dump(mode="json")["changes"]
    assert dumped[0]["from"] == date(20) and dumped[0]["set"] == {
        "work.inquiry.arrivals_per_day": 144
    }
    again = load_config(dict(cfg.model_dump(mode="json")))
    assert again.changes == cfg.changes and "from:" in dump_config(cfg)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"set": {"seed": 3}}, "changes.0.set.seed", "random numbers"),
        ({"set": {"start_date": "2025-02-01"}}, "changes.0.set.start_date", "day 0"),
        ({"set": {"horizon_days": 10}}, "changes.0.set.horizon_days", "length of the run"),
        ({"set": {"calendar.always_open": True}}, "changes.0.set.calendar.always_open", "calendar"),
        (
            {"set": {"work.followup.caseload": 5}},
            "changes.0.set.work.followup.caseload",
            "caseload",
        ),
        (
            {"set": {"work.followup.groups.standard.share": 0.5}},
            "changes.0.set.work.followup.groups.standard.share",
            "caseload",
        ),
        ({"set": {"work.inquiry": {}}}, "changes.0.set.work.inquiry", "name the fields"),
        ({"set": {"work.inquiry.arrivals": 3}}, "changes.0.set.work.inquiry.arrivals", "not a"),
        ({"set": {"staff.caseworkers": -1}}, "changes.0.set.staff.caseworkers", "greater"),
        ({"set": {"policy.name": "nope"}}, "changes.0.set.policy.name", "unknown policy"),
        ({"set": {"staff.admin_share": 0.4}}, "changes.0.set.staff.admin_share", "appointments"),
        ({"set": {"steering.indicators": []}}, "changes.0.set.steering.indicators", "steering"),
        ({"set": {"work.income_support.duration_minutes.mean": 30}}, None, "case process"),
    ],
)
def test_a_change_to_a_fixed_or_invalid_path_is_refused_naming_it(
    change: dict[str, Any], field: str | None, words: str
) -> None:
    err = refused({"from": date(10), **change})
    if field is not None:
        assert err.field == field
    else:
        assert err.field.startswith("changes.0.set.work.income_support.duration_minutes")
    assert words in err.message


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"from": "2024-12-31", "set": {"staff.caseworkers": 3}}, "changes.0.from", "before"),
        ({"from": "2025-13-01", "set": {"staff.caseworkers": 3}}, "changes.0.from", "date"),
        ({"from": date(5)}, "changes.0", "set"),
        ({"from": date(5), "ramp": {"staff.caseworkers": [1, 2]}}, "changes.0", "to"),
        (
            {"from": date(5), "to": date(4), "ramp": {"staff.caseworkers": [1, 2]}},
            "changes.0",
            "after",
        ),
        (
            {"from": date(5), "to": date(9), "ramp": {"policy.name": ["fifo", "needs_based"]}},
            "changes.0.ramp",
            "two numbers",
        ),
        (
            {"from": date(5), "to": date(9), "ramp": {"staff.caseworkers": [1, True]}},
            "changes.0.ramp",
            "two numbers",
        ),
        (
            {"from": date(5), "set": {"staff.caseworkers": 3}, "when": 1},
            "changes.0.when",
            "unknown",
        ),
    ],
)
def test_bad_dates_and_shapes_are_refused(change: dict[str, Any], field: str, words: str) -> None:
    err = refused(change)
    assert err.field == field
    assert words in err.message


def test_the_change_that_breaks_a_config_is_named_among_several() -> None:
    err = refused(
        {"from": date(5), "set": {"staff.caseworkers": 20}},
        {"from": date(9), "to": date(19), "ramp": {"work.inquiry.digital_share": [0.6, 1.5]}},
    )
    assert err.field == "changes.1.ramp.work.inquiry.digital_share"
    assert "less than or equal to 1" in err.message


def test_set_paths_with_a_list_index_on_the_command_line() -> None:
    base = {
        "extends": str(BASELINE),
        "changes": [{"from": date(5), "set": {"staff.caseworkers": 19}}],
    }
    cfg = load_config(base, [f"changes.0.from={date(40)}"], horizon_days=70, warmup_days=5)
    assert [d for d, _ in cfg.plan()] == [40]
    with pytest.raises(ConfigError) as info:
        load_config(base, [f"changes.3.from={date(40)}"], horizon_days=70, warmup_days=5)
    assert info.value.field == "--set changes.3.from" and "not an index" in info.value.message


# --- resolution ---------------------------------------------------------------------


def test_values_per_day_for_set_and_ramp_are_exact() -> None:
    changes = (
        Change.model_validate({"from": date(10), "set": {"a": 1}}),
        Change.model_validate({"from": date(20), "to": date(30), "ramp": {"b": [100, 200]}}),
        Change.model_validate({"from": date(25), "set": {"a": 2, "b": 7}}),
    )
    assert values_on(changes, START, 9) == {}
    assert values_on(changes, START, 10) == {"a": 1}
    assert values_on(changes, START, 20) == {"a": 1, "b": 100}
    assert values_on(changes, START, 23) == {"a": 1, "b": pytest.approx(130)}
    assert values_on(changes, START, 25) == {"a": 2, "b": 7}  # the later `from` wins
    assert values_on(changes, START, 40) == {"a": 2, "b": 7}
    alone = changes[1:2]
    assert values_on(alone, START, 30) == {"b": 200}
    assert values_on(alone, START, 300) == {"b": 200}  # stays at the last value


def test_plan_gives_each_day_its_config_and_rounds_head_counts() -> None:
    cfg = office(
        {"from": date(10), "set": {"work.inquiry.sla_hours": 24}},
        {"from": date(20), "to": date(24), "ramp": {"staff.caseworkers": [17, 21]}},
        {"from": date(30), "to": date(33), "ramp": {"work.inquiry.arrivals_per_day": [120, 150]}},
    )
    plan = {d: c for d, c in cfg.plan()}
    assert sorted(plan) == [10, 21, 22, 23, 24, 31, 32, 33]  # day 20 equals day 10
    assert plan[10].work.inquiry.sla_hours == 24 and plan[10].staff.caseworkers == 17
    assert [plan[d].staff.caseworkers for d in (21, 22, 23, 24)] == [18, 19, 20, 21]
    assert [plan[d].work.inquiry.arrivals_per_day for d in (31, 32, 33)] == [130, 140, 150]
    assert all(not c.changes for c in plan.values())
    assert cfg.work.inquiry.sla_hours == 48  # the base config is day 0's


def test_a_change_past_the_horizon_is_checked_but_has_no_effect() -> None:
    assert office({"from": date(200), "set": {"staff.caseworkers": 3}}).plan() == ()
    err = refused({"from": date(200), "set": {"staff.caseworkers": -3}})
    assert err.field == "changes.0.set.staff.caseworkers"


# --- the model ------------------------------------------------------------------------


def test_no_plan_an_empty_plan_and_a_plan_past_the_horizon_run_identically() -> None:
    plain = run(load_config(BASELINE, horizon_days=40, warmup_days=5))
    empty = run(office(days=40))
    late = run(office({"from": date(40), "set": {"staff.caseworkers": 30}}, days=40))
    for other in (empty, late):
        assert other.summary == plain.summary
        assert other.daily.equals(plain.daily)


def _expected(cfg: Config, first: int, last: int) -> float:
    cal = OfficeCalendar(cfg.calendar, cfg.start_date, last + 1)
    pattern = ArrivalPattern(cfg.work.inquiry, cal, weekly_opening(cfg.calendar))
    return sum(pattern.expected(d) for d in range(first, last))


def test_an_arrival_rate_change_shows_in_daily_arrivals() -> None:
    cfg = office({"from": date(35), "set": {"work.inquiry.arrivals_per_day": 240}})
    day_35 = dict(cfg.plan())[35]
    daily = run(cfg).daily
    for first, last, c in ((0, 35, cfg), (35, 70, day_35)):
        seen = daily["inquiries_arrived"].iloc[first:last].sum()
        mean = _expected(c, first, last)
        assert abs(seen - mean) < 4 * math.sqrt(mean), (first, seen, mean)
    assert _expected(day_35, 35, 70) == pytest.approx(2 * _expected(cfg, 35, 70))


def test_a_staffing_change_shows_in_caseworkers_present_and_owners() -> None:
    cfg = office(
        {"from": date(21), "set": {"staff.caseworkers": 21}},
        {"from": date(49), "set": {"staff.caseworkers": 12}},
    )
    result = run(cfg)
    present = result.daily["caseworkers_present"].to_numpy()
    open_ = result.daily["open"].to_numpy().astype(bool)
    assert present[:21].max() <= 17 and present[21:49].max() <= 21 and present[49:].max() <= 12
    assert present[21:49][open_[21:49]].mean() > present[:21][open_[:21]].max()
    # 7% absence: present ≈ head-count x 0.93 on open days
    assert present[49:][open_[49:]].mean() > 12 * 0.75
    rows = result.caseworkers
    assert len(rows) == 21
    assert (rows["users_owned_end"].iloc[12:] == 0).all()  # those who left handed users on
    assert rows["users_owned_end"].iloc[:12].sum() > 0
    for kind, c in result.counts.items():
        assert c["arrived"] == c["finished"] + c["waiting"] + c["in_service"] + c["cancelled"], kind


def test_new_caseworkers_take_unassigned_users() -> None:
    cfg = office(
        {"from": date(20), "set": {"staff.caseworkers": 19}},
        **{"work.followup.caseload_cap": 50, "work.followup.appointments.enabled": False},
    )
    daily = run(cfg).daily
    unassigned = daily["followup_unassigned"].to_numpy()
    assert unassigned[19] > 100  # 17 x 50 < 1000 users: the rest waits unassigned
    assert unassigned[21] <= max(0, unassigned[19] - 100)  # two more caseworkers take 100


def _deadlines(cfg: Config) -> list[tuple[float, float]]:
    class Keeping(Recorder):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.inquiries: list[tuple[float, float]] = []

        def arrived_task(self, task: Any) -> None:
            super().arrived_task(task)
            if task.kind == "inquiry":
                self.inquiries.append((task.arrival, task.deadline))

    sim = Simulation(cfg, recorder_for(cfg, Keeping))
    sim.run()
    return sim.rec.inquiries  # type: ignore[attr-defined]


def test_an_sla_change_applies_to_inquiries_arriving_from_its_day() -> None:
    cfg = office({"from": date(10), "set": {"work.inquiry.sla_hours": 24}}, days=20)
    tasks = _deadlines(cfg)
    change = 10 * HOURS_PER_DAY
    before = [d - a for a, d in tasks if a < change]
    after = [d - a for a, d in tasks if a >= change]
    assert before and after
    assert np.allclose(before, 48) and np.allclose(after, 24)


def test_a_policy_change_swaps_the_policy_on_its_day() -> None:
    cfg = office({"from": date(10), "set": {"policy.name": "fifo"}}, days=20)
    sim = Simulation(cfg, recorder_for(cfg))
    sim.env.run(until=10 * HOURS_PER_DAY - 1)
    assert isinstance(sim.office.policy, DeadlineFirst)
    sim.env.run(until=10 * HOURS_PER_DAY + 1)
    assert isinstance(sim.office.policy, Fifo)


def test_a_policy_change_under_steering_changes_what_management_steers() -> None:
    steering = {"steering.indicators": [{"name": "inquiry_sla_hit_rate", "target": 0.9}]}
    cfg = office(
        {"from": date(10), "set": {"policy.name": "fifo"}},
        {"from": date(12), "set": {"steering.indicators.0.target": 0.5}},
        days=20,
        **steering,
    )
    sim = Simulation(cfg, recorder_for(cfg))
    sim.env.run(until=13 * HOURS_PER_DAY)
    assert sim.management is not None and sim.office.policy is sim.management.policy
    assert isinstance(sim.management.policy.base, Fifo)
    assert sim.management.steering.indicators[0].target == 0.5


def test_new_users_per_year_changes_the_caseload_growth() -> None:
    cfg = office(
        {"from": date(20), "set": {"work.followup.new_users_per_year": 0}},
        {"from": date(40), "set": {"work.followup.new_users_per_year": 3650}},
    )
    caseload = run(cfg).daily["caseload"].to_numpy()
    assert caseload[39] < caseload[20]  # exits only: the caseload shrinks
    # 10 new users a day for 29 days against ~4 exits a day
    assert caseload[69] - caseload[40] > 100


def test_plans_that_differ_after_a_day_give_the_same_days_before_it() -> None:
    a = run(office({"from": date(30), "set": {"staff.caseworkers": 20}}))
    b = run(office({"from": date(45), "set": {"staff.caseworkers": 20}}))
    assert a.daily.iloc[:30].equals(b.daily.iloc[:30])
    assert not a.daily.iloc[30:45].equals(b.daily.iloc[30:45])


# --- sweeps and the shipped variant ------------------------------------------------------


def test_a_sweep_can_vary_the_date_of_a_change() -> None:
    cfg = office({"from": date(20), "set": {"staff.caseworkers": 21}}, days=40)
    dates = [dt.date.fromisoformat(date(d)) for d in (10, 20, 30)]
    spec = Spec(name="t", base="x.yaml", replications=1, grid={"changes.0.from": dates})
    exp = expand(spec, cfg.model_dump(mode="json"), "spec.yaml")
    assert exp.param_columns == ["changes_0_from"]
    assert [s.params["changes_0_from"] for s in exp.scenarios] == dates
    assert [s.config.plan()[0][0] for s in exp.scenarios] == [10, 20, 30]
    present = [run(s.config).daily["caseworkers_present"].iloc[10:20].max() for s in exp.scenarios]
    assert present[0] > 17 >= present[1] and present[2] <= 17


def test_the_new_staff_variant_plans_what_it_says() -> None:
    cfg = load_config(ROOT / "configs" / "variants" / "new_staff_october.yaml")
    plan = dict(cfg.plan())
    sep = (dt.date(2025, 9, 1) - cfg.start_date).days
    october = (dt.date(2025, 10, 1) - cfg.start_date).days
    assert plan[sep].work.inquiry.arrivals_per_day == pytest.approx(
        1.2 * cfg.work.inquiry.arrivals_per_day
    )
    assert plan[october].staff.caseworkers == cfg.staff.caseworkers + 2
