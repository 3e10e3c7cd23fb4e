"""Target steering, mechanism by mechanism: config, policy, management, outcomes,
failure demand. Stochastic checks compare with theory inside a 99% interval."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from scipy import stats

from officeq.config.loading import ConfigError, load_config
from officeq.measure.run import run
from officeq.model.policies import DEADLINE_QUEUES, DeadlineFirst, NeedsBased
from officeq.model.steering import SteeredPolicy, directive_keys, project_count, project_rate
from officeq.model.tasks import (
    FOLLOWUP,
    INCOME_SUPPORT,
    INQUIRY,
    SHORT_CONTACT,
    SHORT_CONTACT_QUEUE,
    Queues,
    Task,
    User,
    followup_queue,
)

ROOT = Path(__file__).resolve().parent.parent
REGIMES = ROOT / "configs" / "regimes"
GROUPS = ("specially_adapted", "situational", "standard")
NEED = tuple(followup_queue(g) for g in GROUPS)
KEYS = DEADLINE_QUEUES + NEED + (SHORT_CONTACT_QUEUE,)


# --- config -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "override, field, words",
    [
        ("steering.indicators=[{name: hit_rate, target: 0.9}]", "name", "unknown indicator"),
        ("steering.indicators=[{name: exits_to_work_rate, target: 1.5}]", "target", "less than"),
        ("steering.preference=needy", "steering.preference", "unknown policy"),
        ("steering.review.cadence=hourly", "steering.review.cadence", "daily"),
        ("steering.review.redirect_caseworkers=-2", "redirect_caseworkers", "from 0 to"),
        ("work.followup.outcomes.session_effect=-1", "session_effect", "greater than"),
    ],
)
def test_bad_steering_config_names_the_field(override: str, field: str, words: str) -> None:
    with pytest.raises(ConfigError) as e:
        load_config(REGIMES / "strong_targets.yaml", [override])
    assert field in str(e.value) and words in str(e.value)


def test_an_indicator_listed_twice_is_refused() -> None:
    twice = "steering.indicators=[{name: exits_to_work_rate, target: 0.1}, "
    twice += "{name: exits_to_work_rate, target: 0.2}]"
    with pytest.raises(ConfigError, match="listed twice"):
        load_config(REGIMES / "strong_targets.yaml", [twice])


def test_extends_merges_sections_field_by_field(tmp_path: Path) -> None:
    cfg = load_config(REGIMES / "strong_targets.yaml")
    base = load_config(ROOT / "configs" / "baseline.yaml")
    assert cfg.work.followup.outcomes.session_effect == 0.5  # from office.yaml
    assert cfg.work.inquiry == base.work.inquiry  # from baseline.yaml, untouched
    assert cfg.name == "strong_targets" and len(cfg.steering.indicators) == 4


def test_extends_cycle_and_missing_parent_are_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    with pytest.raises(ConfigError, match="cycle"):
        load_config(tmp_path / "a.yaml")
    (tmp_path / "c.yaml").write_text("extends: nowhere.yaml\n")
    with pytest.raises(ConfigError, match=r"c\.yaml: extends: config 'nowhere.yaml' not found"):
        load_config(tmp_path / "c.yaml")


# --- the steered policy, on hand-built queues ---------------------------------------------
class View:
    def __init__(self, index: int = 0) -> None:
        self.index = index
        self.followup_hours_today = 0.0
        self.client_hours_today = 4.0


def _queues(*tasks: Task, now: float = 10.0) -> Queues:
    return Queues.of(tasks, KEYS, now)


def _due(group: str, since: float) -> Task:
    user = User(0, group, None, math.inf, False)
    return Task(FOLLOWUP, followup_queue(group), since, math.inf, 1.0, user)


def _policy(**state) -> SteeredPolicy:
    base = DeadlineFirst(DEADLINE_QUEUES, NEED)
    pref = NeedsBased(8.0, DEADLINE_QUEUES, NEED)
    return SteeredPolicy(base, pref, NEED, **state)


def test_pressure_off_follows_the_preference_and_pressure_on_the_office_policy() -> None:
    q = _queues(Task(INQUIRY, INQUIRY, 0.0, 48.0, 0.1), _due("standard", 1.0))
    assert _policy().choose(q, View()) == followup_queue("standard")  # slack 38 h > 8 h
    assert _policy(pressure=True).choose(q, View()) == INQUIRY


def test_a_directed_caseworker_takes_the_directive_work_first() -> None:
    q = _queues(
        Task(INQUIRY, INQUIRY, 0.0, 48.0, 0.1), Task(INCOME_SUPPORT, INCOME_SUPPORT, 5, 20, 1)
    )
    keys = directive_keys("inquiry_sla_hit_rate", NEED, short=False)
    p = _policy(pressure=True, directed={3: keys})
    assert p.choose(q, View(3)) == INQUIRY  # though the application is due first
    assert p.choose(q, View(1)) == INCOME_SUPPORT  # the others: earliest deadline


def test_a_contact_directive_with_gaming_takes_short_contacts_then_follow_up() -> None:
    user = User(1, "specially_adapted", None, math.inf, False)
    short = Task(SHORT_CONTACT, SHORT_CONTACT_QUEUE, 3.0, math.inf, 0.2, user)
    q = _queues(_due("specially_adapted", 1.0), short)
    keys = directive_keys("followup_contact_rate", NEED, short=True)
    p = _policy(directed={0: keys})
    assert p.choose(q, View(0)) == SHORT_CONTACT_QUEUE
    assert p.choose(q, View(1)) == followup_queue("specially_adapted")  # never short


def test_creaming_share_sets_how_often_the_closest_to_work_go_first() -> None:
    q = _queues(_due("specially_adapted", 1.0), _due("standard", 2.0))
    keys = directive_keys("exits_to_work_rate", NEED, short=False)
    for share, expected in ((0.0, 0), (0.5, 50), (1.0, 100)):
        p = _policy(directed={0: keys}, creaming_share=share)
        picks = [p.choose(q, View(0)) for _ in range(100)]
        assert picks.count(followup_queue("standard")) == expected


def test_threshold_effect_puts_relaxed_work_behind_due_follow_up() -> None:
    q = _queues(Task(INQUIRY, INQUIRY, 0.0, 48.0, 0.1), _due("situational", 1.0))
    p = _policy(pressure=True, relaxed=frozenset({INQUIRY}))
    assert p.choose(q, View()) == followup_queue("situational")
    only_inquiry = _queues(Task(INQUIRY, INQUIRY, 0.0, 48.0, 0.1))
    assert p.choose(only_inquiry, View()) == INQUIRY  # still work-conserving


def test_mild_threshold_effect_takes_relaxed_work_near_its_deadline() -> None:
    q = _queues(Task(INQUIRY, INQUIRY, 0.0, 48.0, 0.1), _due("situational", 1.0), now=42.0)
    strong = _policy(pressure=True, relaxed=frozenset({INQUIRY}))
    mild = _policy(pressure=True, relaxed=frozenset({INQUIRY}), relaxed_slack_hours=8.0)
    assert strong.choose(q, View()) == followup_queue("situational")
    assert mild.choose(q, View()) == INQUIRY  # 6 h of slack left < 8 h
    q.now = 30.0
    assert mild.choose(q, View()) == followup_queue("situational")  # 18 h left


def test_projections() -> None:
    assert project_rate(80, 90, 10) == pytest.approx(0.8)  # late and waiting: missed
    assert project_rate(0, 0, 0) is None
    assert project_count(30, 1000, 5, 20) == pytest.approx(0.12)  # 30 in 5 of 20 days
    assert project_count(30, 0, 5, 20) is None


# --- management in a run ------------------------------------------------------------
def strong(*overrides: str, days: float = 150, warmup: float = 30):
    return load_config(
        REGIMES / "strong_targets.yaml", overrides, horizon_days=days, warmup_days=warmup
    )


GAMING_RURAL = [
    "steering.indicators=[{name: followup_contact_rate, target: 0.95}]",
    "steering.review.redirect_caseworkers=all",
    "steering.review.cadence=daily",
    "steering.gaming.short_contacts=true",
]


def test_a_longer_run_repeats_a_shorter_one_up_to_its_horizon() -> None:
    """Management judges the last month by its whole length, not by the part inside
    the horizon, so extending a run never changes what happened before its end."""
    rural = ROOT / "configs" / "small_rural.yaml"
    daily = [
        run(load_config(rural, GAMING_RURAL, horizon_days=d, warmup_days=10)).daily
        for d in (66, 69)
    ]
    cols = ["directives_issued", "followup_contacts_short", "users_first_contact_of_month"]
    n = len(daily[0]) - 1  # the shorter run's last row is cut at its horizon
    assert daily[0][cols].iloc[:n].equals(daily[1][cols].iloc[:n])
    assert daily[0]["followup_contacts_short"].sum() > 0


def test_weekly_review_acts_only_after_its_weekday_and_conserves_tasks() -> None:
    result = run(strong("staff.caseworkers=14", "steering.review.weekday=wed"))
    issued = result.daily[result.daily["directives_issued"] > 0]
    assert len(issued) > 0
    assert set(issued["weekday"]) == {"Thu"}  # reviewed after Wednesday, counted next day
    for kind, c in result.counts.items():
        assert c["arrived"] == c["finished"] + c["waiting"] + c["in_service"] + c["cancelled"], kind
    assert result.counts[SHORT_CONTACT]["arrived"] > 0


def test_no_redirection_means_no_directives_cancellations_or_short_contacts() -> None:
    s = run(strong("staff.caseworkers=14", "steering.review.redirect_caseworkers=0")).summary
    assert s["directives_issued"] == 0
    assert s["followup_sessions_cancelled"] == 0 and s["followup_contacts_short"] == 0
    assert s["indicator_followup_users"] == s["substantive_followup_users"]


def test_the_indicator_counts_every_user_with_substantive_follow_up() -> None:
    lagging = "steering.indicators=[{name: followup_contact_rate, target: 0.9}]"
    result = run(strong(lagging))
    m = result.monthly
    assert (m["followup_users_contacted"] >= m["followup_users_substantive"]).all()
    assert (
        m["followup_users_contacted"]
        <= m["followup_users_substantive"] + m["followup_contacts_short"]
    ).all()
    s = result.summary
    assert s["indicator_substantive_ratio"] > 1
    assert s["followup_sessions_substantive"] == s["followup_sessions"]


def test_a_target_that_is_always_met_never_triggers_anything() -> None:
    ok = "steering.indicators=[{name: inquiry_sla_hit_rate, target: 0.0}]"
    s = run(strong(ok, "steering.review.threshold_effect=false")).summary
    assert s["directives_issued"] == 0 and s["plan_changes_per_caseworker_month"] == 0
    # with the threshold effect, a safely met target relaxes the office each month
    relaxing = run(strong(ok)).summary
    assert relaxing["directives_issued"] == 0 and relaxing["plan_changes_per_caseworker_month"] > 0


# --- outcomes and failure demand, against theory ------------------------------------------
def _one_group(effect: float, interval: float, days: float, warmup: float) -> dict:
    group = (
        f"work.followup.groups={{g: {{share: 1, interval_days: {interval:g}, "
        "duration_minutes: {dist: fixed, value: 1}, exit_to_work_per_year: 2.0, "
        "exit_other_per_year: 0}}"
    )
    cfg = load_config(
        ROOT / "configs" / "baseline.yaml",
        [
            group,
            "policy.need_order=null",
            "calendar.always_open=true",
            "staff.admin_share=0",
            "staff.absence_rate=0",
            "work.inquiry.arrivals_per_day=0",
            "work.income_support.arrivals_per_day=0",
            "work.followup.caseload=2000",
            "work.followup.assignment=pooled",  # sessions without waiting: no bookings
            "work.followup.appointments.enabled=false",
            f"work.followup.outcomes.session_effect={effect}",
            "work.followup.outcomes.effect_days=10",
        ],
        horizon_days=days,
        warmup_days=warmup,
    )
    return run(cfg).summary


@pytest.mark.parametrize("effect, interval", [(0.0, 20.0), (1.0, 20.0), (3.0, 40.0)])
def test_exit_to_work_rate_rises_by_the_boosted_share_of_time(effect: float, interval: float):
    """Each session (no waiting, at least 10 days apart) raises the rate by ``effect``
    for 10 days, so the mean rate is base x (1 + effect x sessions per user-year x 10 /
    365). New users have a session on joining, so sessions come a little more often
    than every ``interval``; the count is measured, the exits are the check."""
    s = _one_group(effect, interval, interval + 120, interval)
    user_years = s["followup_caseload_mean"] * 120 / 365
    boosted = s["followup_sessions_per_user_year_g"] * 10 / 365
    expected = 2.0 * (1 + effect * boosted) * user_years
    lo, hi = stats.poisson.ppf([0.005, 0.995], expected)
    assert lo <= s["exits_to_work"] <= hi
    if effect > 0:  # and not the rate without the effect
        plain = stats.poisson.ppf(0.995, 2.0 * user_years)
        assert s["exits_to_work"] > plain


def test_failure_demand_matches_rate_times_overdue_time_past_grace() -> None:
    """No one does follow-up (0 caseworkers): every user is due from day ~0 and chases
    at 0.5 a week after 7 days' grace, so expected = users x 0.5 x (days - 7) / 7."""
    no_one = [
        "staff.caseworkers=0",
        "work.followup.appointments.enabled=false",  # a booked user waits for the date
        "work.followup.assignment=pooled",
        "work.followup.caseload=300",
        "work.followup.failure_demand.grace_days=7",
    ]
    for g in ("standard", "situational", "specially_adapted", "permanently_adapted"):
        no_one += [
            f"work.followup.groups.{g}.interval_days=0.001",
            f"work.followup.groups.{g}.exit_other_per_year=0",
            f"work.followup.groups.{g}.exit_to_work_per_year=0",
        ]

    def go(rate: float):
        chase = f"work.followup.failure_demand.inquiries_per_user_week={rate}"
        cfg = load_config(
            ROOT / "configs" / "baseline.yaml", [*no_one, chase], horizon_days=63, warmup_days=0.001
        )
        return run(cfg)

    result, quiet = go(0.5), go(0.0)
    expected = 300 * 0.5 * (63 - 7) / 7
    lo, hi = stats.poisson.ppf([0.005, 0.995], expected)
    assert lo <= result.summary["failure_demand_inquiries"] <= hi
    extra = result.counts[INQUIRY]["arrived"] - quiet.counts[INQUIRY]["arrived"]
    assert extra == result.daily["failure_demand_inquiries"].sum()
    assert quiet.summary["failure_demand_inquiries"] == 0


def test_run_prints_the_steering_rows_for_a_steered_office() -> None:
    from click.testing import CliRunner

    from officeq.cli import main

    args = ["run", str(REGIMES / "strong_targets.yaml"), "--days", "60", "--warmup-days", "5"]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 0, out.output
    for words in ("directives issued", "sessions cancelled", "indicator / substantive"):
        assert words in out.output
    plain = CliRunner().invoke(
        main, ["run", str(ROOT / "configs" / "baseline.yaml"), "--days", "30"]
    )
    assert "directives issued" not in plain.output


def test_daily_review_with_everyone_redirected_runs_one_directive_at_a_time() -> None:
    result = run(
        strong(
            "staff.caseworkers=14",
            "steering.review.cadence=daily",
            "steering.review.redirect_caseworkers=all",
            "steering.review.directive_days=3",
        )
    )
    daily = result.daily
    issued = daily[daily["directives_issued"] > 0]
    assert issued["weekday"].nunique() > 1  # reviewed after every working day
    open_days = int(daily["open"].sum())
    assert 0 < len(issued) <= open_days // 3 + 1  # each lasts 3 working days, one at a time
    assert (daily["directives_issued"] <= 1).all()


def test_steering_an_office_without_staff_or_without_caseload() -> None:
    nobody = run(strong("staff.caseworkers=0", days=60, warmup=5)).summary
    assert nobody["directives_issued"] == 0  # no one to redirect
    assert nobody["inquiry_sla_hit_rate"] == 0
    no_users = run(strong("work.followup.caseload=0", days=60, warmup=5)).summary
    assert no_users["followup_contacts_short"] == 0  # per-user indicators are not judged
    assert no_users["indicator_followup_users"] == 0


def test_monthly_scorecard_sums_the_steering_counters_of_the_days() -> None:
    result = run(strong("staff.caseworkers=14"))
    m, d = result.monthly, result.daily
    for col in ("directives_issued", "followup_sessions_cancelled", "plan_changes"):
        assert m[col].sum() == d[col].sum() > 0, col
    measured = d[~d["warmup"]]
    assert measured["directives_issued"].sum() == result.summary["directives_issued"]


def test_a_preference_without_a_scorecard_is_followed_all_the_time() -> None:
    """No indicators means no pressure, ever: caseworkers do as they prefer, which
    for needs_based is the same office as policy.name=needs_based."""
    base = ROOT / "configs" / "baseline.yaml"
    prefer = load_config(
        base, ["steering.preference=needs_based"], horizon_days=120, warmup_days=20
    )
    plain = load_config(base, ["policy.name=needs_based"], horizon_days=120, warmup_days=20)
    a, b = run(prefer).summary, run(plain).summary
    for k in ("inquiry_sla_hit_rate", "followup_backlog_mean", "followup_sessions"):
        assert a[k] == b[k], k
    assert a["directives_issued"] == 0 and a["plan_changes_per_caseworker_month"] == 0


def test_a_run_that_ends_with_short_contacts_waiting_closes_cleanly() -> None:
    """Regression: short contacts still queued at the horizon are open tasks too."""
    cfg = load_config(
        ROOT / "configs" / "small_rural.yaml",
        [  # the pooled office, where this case was found
            *GAMING_RURAL,
            "work.followup.appointments.enabled=false",
            "work.followup.assignment=pooled",
            "staff.overtime={start_rule: always_start}",
        ],
        horizon_days=122.5,  # ends at noon, with short contacts still booked
        warmup_days=10,
    )
    result = run(cfg)
    c = result.counts[SHORT_CONTACT]
    assert c["waiting"] + c["in_service"] > 0  # the case this test is for
    assert c["arrived"] == c["finished"] + c["waiting"] + c["in_service"] + c["cancelled"]


@pytest.mark.parametrize("config", ["baseline.yaml", "regimes/strong_targets.yaml"])
def test_summary_has_exactly_the_listed_keys_in_order(config: str) -> None:
    from officeq.measure.summary import summary_keys

    cfg = load_config(ROOT / "configs" / config, horizon_days=60, warmup_days=10)
    assert list(run(cfg).summary) == list(summary_keys(cfg.work.followup.groups))
