"""Income support as a case of steps (issue 13): theory, invariants, conservation.

The theory check compares the mean decision time with ample staff against the
one-round formula (:func:`officeq.validation.theory.case_times`) inside a
confidence interval, and shows the check has teeth: the formula without the
user's deadline falls outside it. The invariants are watched on every step of
busy offices: a case never has two steps in the queues at once, a decided case
never comes back, and received = decided + open, day by day.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cli_helpers import with_

from officeq.config.loading import ConfigError, load_config
from officeq.config.schema import Config
from officeq.measure.recorder import Recorder
from officeq.measure.run import RunResult, recorder_for, run
from officeq.model.calendar import HOURS_PER_DAY
from officeq.model.simulate import Simulation
from officeq.model.tasks import (
    DECISION,
    INCOME_SUPPORT,
    INTAKE,
    INTERIM,
    MEETING,
    REVIEW,
    Case,
    Queues,
    Task,
)
from officeq.validation import theory
from officeq.validation.checks import check_case_times, check_priority
from officeq.validation.stats import t_interval

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
VALIDATION = ROOT / "configs" / "validation"


# --- against theory ----------------------------------------------------------------
def test_decision_time_with_ample_staff_matches_the_one_round_formula() -> None:
    cfg = load_config(VALIDATION / "income_support_case.yaml", horizon_days=150)
    decision, office = check_case_times(cfg, replications=6)
    assert decision.passed, decision
    assert office.passed, office
    # teeth: the same formula without the user's deadline (every reply waited for)
    d = cfg.work.income_support.process.documentation  # type: ignore[union-attr]
    no_cutoff = office.theory + d.share * (
        (1 - d.no_reply_share) * d.reply_days.mean + d.no_reply_share * d.deadline_days
    )
    assert not decision.low <= no_cutoff <= decision.high
    # and the user's time is the difference
    assert decision.mean - office.mean > 2.0


def test_one_step_case_still_matches_cobham() -> None:
    """With documentation off and one step (intake at 0 minutes is no task), the case
    is today's one-touch task: the priority reduction holds unchanged."""
    base = load_config(VALIDATION / "priority.yaml", horizon_days=60)
    one_step = {
        "intake_minutes": {"dist": "fixed", "value": 0},
        "first_time_share": 0,
        "documentation": {"share": 0},
        "decision_minutes": {"dist": "exponential", "mean": 10},
    }
    cfg = with_(base, work__income_support__process=one_step)
    for check in check_priority(cfg, replications=6):
        assert check.passed, check
    result = run(cfg)
    assert result.summary["income_support_touches_mean"] == 1
    assert result.summary["income_support_waiting_on_user_days_mean"] == 0


def test_case_times_formula_limits() -> None:
    # no documents: only the handling
    t = theory.case_times(30, 0.0, 8, 14, 0.1, 15)
    assert t.decision_mean == pytest.approx(30 / 1440)
    # a deadline far beyond the replies: the full exponential mean
    t = theory.case_times(0, 1.0, 8, 1e6, 0.0, 0)
    assert t.decision_mean == pytest.approx(8)


# --- invariants on every step ---------------------------------------------------------
class Watching(Recorder):
    """A recorder that keeps every decided case."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decided: list[tuple[Case, float]] = []

    def case_decided(self, case: Any, now: float) -> None:
        super().case_decided(case, now)
        self.decided.append((case, now))


def watched(cfg: Config) -> tuple[Simulation, Watching, dict[str, int]]:
    """Run ``cfg``, asserting on every submitted and finished step that the case has
    no other step queued or in service and is not decided."""
    sim = Simulation(cfg, recorder_for(cfg, Watching))
    cases = sim.cases
    assert cases is not None
    busy: dict[int, Task] = {}
    seen = {"submitted": 0, "finished": 0}
    submit, done = cases.submit, sim.office.step_done

    def checked_submit(task: Task) -> None:
        case = task.case
        assert isinstance(case, Case) and not case.decided
        assert id(case) not in busy, "a case with two steps in the queues"
        assert task.deadline == case.deadline
        busy[id(case)] = task
        seen["submitted"] += 1
        submit(task)

    def checked_done(task: Task) -> None:
        assert busy.pop(id(task.case)) is task
        seen["finished"] += 1
        done(task)  # type: ignore[misc]

    cases.submit = checked_submit
    sim.office.step_done = checked_done
    sim.run()
    return sim, sim.rec, seen  # type: ignore[return-value]


def busy_office() -> Config:
    """The baseline with fewer caseworkers and long replies: queues, interim replies."""
    cfg = load_config(BASELINE, horizon_days=150)
    cfg = with_(cfg, staff__caseworkers=13, warmup_days=20)
    return with_(
        cfg,
        work__income_support__process__documentation__reply_days={
            "dist": "lognormal",
            "mean": 20,
            "cv": 0.8,
        },
        work__income_support__process__documentation__deadline_days=40,
        work__income_support__process__documentation__rounds={
            "dist": "empirical",
            "values": [1, 2, 3],
        },
    )


def test_a_case_has_one_step_at_a_time_and_a_decided_case_never_returns() -> None:
    sim, rec, seen = watched(busy_office())
    assert seen["submitted"] > 1000
    ids = [id(c) for c, _ in rec.decided]
    assert len(ids) == len(set(ids)), "a case decided twice"
    interim_days = sim.cfg.work.income_support.process.interim_reply_days  # type: ignore[union-attr]
    rounds_seen = 0
    for case, when in rec.decided:
        steps = case.steps
        assert steps[0] == INTAKE and steps[-1] == DECISION
        assert steps.count(DECISION) == 1 and steps.count(INTAKE) == 1
        assert steps.count(MEETING) == (1 if case.first_time else 0)
        assert steps.count(INTERIM) <= 1
        if case.urgent:
            assert set(steps) <= {INTAKE, DECISION, INTERIM}
        rounds_seen = max(rounds_seen, steps.count(REVIEW))
        assert case.task is None and case.decided and not case.with_user
        assert when - case.receipt >= case.user_hours
        # a case open past the interim day got its reply (unless a step it rode on was
        # in service then and the case was decided with it)
        if INTERIM in steps:
            assert when - case.receipt > interim_days * HOURS_PER_DAY
    assert rounds_seen >= 2
    assert sim.rec.cases.interim_replies > 0
    for case in sim.cases.open:  # type: ignore[union-attr]
        assert not case.decided


@pytest.fixture(scope="module")
def busy() -> RunResult:
    """One run of the busy office, shared by the tests that only read its results."""
    return run(busy_office())


def test_received_equals_decided_plus_open_every_day(busy: RunResult) -> None:
    daily = busy.daily
    arrived = daily["income_support_arrived"].to_numpy()
    decided = daily["income_support_decided"].to_numpy()
    open_ = daily["income_support_open"].to_numpy()
    assert (np.cumsum(arrived) - np.cumsum(decided) == open_).all()
    on_office = daily["income_support_waiting_on_office"].to_numpy()
    on_user = daily["income_support_waiting_on_user"].to_numpy()
    assert (on_office + on_user == open_).all() and (on_user > 0).any()
    c = busy.counts[INCOME_SUPPORT]
    assert c["arrived"] == c["finished"] + c["waiting"] + c["in_service"]
    assert c["arrived"] == arrived.sum() and c["finished"] == decided.sum()


def test_deadline_is_from_receipt_and_counts_the_users_time(busy: RunResult) -> None:
    s = busy.summary
    assert s["income_support_decision_days_mean"] == pytest.approx(
        s["income_support_office_days_mean"] + s["income_support_waiting_on_user_days_mean"]
    )
    assert s["income_support_touches_mean"] > 2
    assert s["income_support_decision_days_p90"] > s["income_support_decision_days_mean"]
    assert (
        s["income_support_urgent_decision_days_mean"]
        < s["income_support_regular_decision_days_mean"]
    )
    # a regular case decided after its 21 days counts as late, whatever the reason
    assert s["income_support_on_time_rate"] < 1


def test_queued_steps_keep_the_most_urgent_at_the_head() -> None:
    q = Queues((INCOME_SUPPORT,))
    case = Case(0, 0.0, 10.0, INCOME_SUPPORT, False, 0)
    for arrival, deadline in ((0.0, 100.0), (1.0, 200.0), (2.0, 50.0), (3.0, 150.0)):
        t = Task(INCOME_SUPPORT, INCOME_SUPPORT, arrival, deadline, 1.0)
        t.case = case
        q.push(t)
    order = [q.pop(INCOME_SUPPORT).deadline for _ in range(4)]
    assert order == sorted(order)


# --- the baseline and its handling -------------------------------------------------------
def test_expected_handling_matches_the_simulated_minutes() -> None:
    """The load estimate's minutes per case (``handling_minutes``) against the simulated
    handling, with the interim replies the run wrote added: inside a 99% interval."""
    cfg = load_config(BASELINE, horizon_days=200)
    cfg = with_(cfg, staff__caseworkers=40, warmup_days=30)  # no queueing to speak of
    inc = cfg.work.income_support
    expected = inc.process.handling_minutes(inc.urgent_share)  # type: ignore[union-attr]
    interim = inc.process.interim_reply_minutes.mean_value()  # type: ignore[union-attr]
    gaps = []
    for seed in range(1, 6):
        s = run(cfg.model_copy(update={"seed": seed})).summary
        extra = interim * s["income_support_interim_replies"] / s["income_support_decided"]
        gaps.append(s["income_support_handling_minutes_mean"] - extra - expected)
    ci = t_interval(gaps, 0.99)
    assert ci.low <= 0 <= ci.high, ci


def test_one_touch_variant_is_the_earlier_model() -> None:
    cfg = load_config(ROOT / "configs" / "variants" / "one_touch.yaml", horizon_days=120)
    assert cfg.work.income_support.process is None
    s = run(cfg).summary
    assert s["income_support_touches_mean"] == 1
    assert s["income_support_waiting_on_user_days_mean"] == 0
    assert s["income_support_interim_replies"] == 0
    assert s["income_support_office_days_mean"] == s["income_support_decision_days_mean"]


@pytest.mark.parametrize(
    "text, field",
    [
        ("{documentation: {share: 1.5}}", "work.income_support.process.documentation.share"),
        ("{documentation: {rounds: 0}}", "work.income_support.process.documentation.rounds"),
        ("{intake_minutes: -3}", "work.income_support.process.intake_minutes"),
        ("{steps: 3}", "work.income_support.process.steps"),
        ("{interim_reply_days: 0}", "work.income_support.process.interim_reply_days"),
    ],
)
def test_bad_process_fields_are_named(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "office.yaml"
    path.write_text(f"work:\n  income_support:\n    process: {text}\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert field in str(err.value)


def test_directives_by_indicator_add_up() -> None:
    """Every directive is counted once, under the indicator it was for."""
    cfg = load_config(
        ROOT / "configs" / "regimes" / "strong_targets.yaml",
        ("staff.caseworkers=14",),
        horizon_days=150,
        warmup_days=30,
    )
    s = run(cfg).summary
    per_indicator = [
        v for k, v in s.items() if k.startswith("directives_") and k != "directives_issued"
    ]
    assert len(per_indicator) == 4
    assert sum(per_indicator) == s["directives_issued"] > 0
