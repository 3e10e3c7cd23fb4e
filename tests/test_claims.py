"""The op-ed's claims, as statistical tests on the shipped configs.

Each claim compares two scenarios over the same replications (common random
numbers) and asserts on the 95% Student-t interval of the paired difference,
never on one seeded number. Where the model does not give what the op-ed
expects, the test asserts what it does give and the docstring says so (see
``experiments/README.md`` for the full table).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from officeq.config.loading import load_config
from officeq.experiments.spec import replication_seed
from officeq.measure.run import run
from officeq.validation.stats import Interval, t_interval

ROOT = Path(__file__).resolve().parent.parent
REPS = 8
HORIZON, WARMUP = 425, 60  # the shipped run length: a year after the warm-up


@cache
def summaries(config: str, overrides: tuple[str, ...], reps: int = REPS) -> tuple[dict, ...]:
    out = []
    for r in range(reps):
        cfg = load_config(
            ROOT / "configs" / config,
            overrides,
            seed=replication_seed(2025, r),
            horizon_days=HORIZON,
            warmup_days=WARMUP,
        )
        out.append(run(cfg).summary)
    return tuple(out)


def diff(a: tuple[dict, ...], b: tuple[dict, ...], metric: str) -> Interval:
    """95% interval of the mean paired difference a - b."""
    d = np.array([x[metric] - y[metric] for x, y in zip(a, b, strict=True)], dtype=float)
    return t_interval(d, 0.95)


STRONG = "regimes/strong_targets.yaml"
FEW = "regimes/few_targets.yaml"
AT_15 = ("staff.caseworkers=15",)
POOLED = (
    "work.followup.assignment=pooled",
    "work.followup.caseload_cap=null",
    "work.followup.appointments.enabled=false",
    "staff.overtime={start_rule: always_start}",
)
"""The office as officeq modelled it before issue 12 (configs/variants/pooled.yaml)."""


def test_at_high_load_deadline_first_keeps_the_hit_rate_and_the_vulnerable_wait() -> None:
    """Claims 2-3, in the pooled office (sessions start when a caseworker picks a due
    user): deadline work first holds the 48-hour figure; the most vulnerable
    (specially adapted) carry the follow-up backlog. Needs-based does the opposite."""
    high_load = ("staff.caseworkers=14", *POOLED)
    df = summaries("baseline.yaml", (*high_load, "policy.name=deadline_first"))
    nb = summaries("baseline.yaml", (*high_load, "policy.name=needs_based"))
    hit = diff(df, nb, "inquiry_sla_hit_rate")
    backlog = diff(df, nb, "followup_backlog_mean_specially_adapted")
    assert hit.low > 0, hit
    assert backlog.low > 0, backlog


def test_with_booked_meetings_the_policy_no_longer_decides_who_waits() -> None:
    """Claims 2-3 in the baseline office: meetings are booked, so a caseworker's pick
    between deadline work and follow-up no longer exists; the two policies give the
    same follow-up (the organisation, not the policy, decides), and at high load the
    meetings hold while the 48-hour figure falls far below the pooled office's."""
    high_load = ("staff.caseworkers=14",)
    df = summaries("baseline.yaml", (*high_load, "policy.name=deadline_first"))
    nb = summaries("baseline.yaml", (*high_load, "policy.name=needs_based"))
    for a, b in zip(df, nb, strict=True):
        assert a["followup_backlog_mean_specially_adapted"] == pytest.approx(
            b["followup_backlog_mean_specially_adapted"]
        )
    pooled = summaries("baseline.yaml", (*high_load, *POOLED, "policy.name=deadline_first"))
    assert diff(pooled, df, "inquiry_sla_hit_rate").low > 0


def test_strong_targets_redirect_and_cancel_sessions_few_targets_do_not() -> None:
    """Claim 4, at high load (14 caseworkers): under strong targets management issues
    directives, the directed caseworkers' booked meetings are cancelled, and the
    specially adapted wait longer; the 2016 regime (no mid-month redirection) cancels
    none. (At 15 caseworkers the deadline figures rarely lag, and the directives,
    mostly for follow-up figures, cancel few meetings.)"""
    at_14 = ("staff.caseworkers=14",)
    strong, few = summaries(STRONG, at_14), summaries(FEW, at_14)
    assert diff(strong, few, "directives_issued").low > 0
    assert diff(strong, few, "followup_sessions_cancelled").low > 0
    assert diff(strong, few, "plan_changes_per_caseworker_month").low > 0
    assert diff(strong, few, "followup_backlog_mean_specially_adapted").low > 0
    assert all(s["followup_sessions_cancelled"] == 0 for s in few)
    assert all(s["directives_issued"] == 0 for s in few)


def test_fewer_targets_cost_hit_rate() -> None:
    """Claim 6: the 2016 regime costs 48-hour compliance. In the booked office this
    holds with and without the threshold effect: at high load (14 caseworkers) no
    target is safely met, so nothing is relaxed, and directives to the lagging figure
    raise the hit rate well above few_targets'. (In the pooled office the threshold
    effect had reversed it; see experiments/README.md.)"""
    at_14 = ("staff.caseworkers=14",)
    few = summaries(FEW, at_14)
    no_threshold = summaries(STRONG, (*at_14, "steering.review.threshold_effect=false"))
    gain = diff(no_threshold, few, "inquiry_sla_hit_rate")
    assert gain.low > 0, gain
    shipped = diff(summaries(STRONG, at_14), few, "inquiry_sla_hit_rate")
    assert shipped.low > 0, shipped


def test_gaming_raises_the_indicator_while_the_vulnerable_get_less() -> None:
    """Claim 1 (Goodhart), at high load in the pooled office: with short contacts and
    creaming the 'users with follow-up' figure rises, while the specially adapted get
    fewer sessions, a longer backlog and longer gaps. (Substantive users in total hardly
    move: creaming serves more of the quick, close-to-work users.) Since income support
    is a case of steps (issue 13) the loss to the specially adapted is about half as
    large and noisier (0.28 sessions a user-year instead of 0.43), so this claim takes
    20 replications; with 8 the interval reached zero."""
    at_14 = ("staff.caseworkers=14", *POOLED)
    gaming = summaries(STRONG, at_14, 20)
    honest = summaries(
        STRONG,
        (*at_14, "steering.gaming.short_contacts=false", "steering.gaming.creaming=false"),
        20,
    )
    indicator = diff(gaming, honest, "indicator_followup_users")
    assert indicator.low > 0, indicator
    sessions = diff(gaming, honest, "followup_sessions_per_user_year_specially_adapted")
    assert sessions.high < 0, sessions
    backlog = diff(gaming, honest, "followup_backlog_mean_specially_adapted")
    assert backlog.low > 0, backlog
    assert all(s["indicator_substantive_ratio"] > 1 for s in gaming)
    assert all(s["indicator_substantive_ratio"] == pytest.approx(1) for s in honest)


def test_gaming_in_the_booked_office_inflates_the_indicator_and_costs_meetings() -> None:
    """Claim 1 in the baseline office, at high load: short contacts raise the indicator
    above the users really followed up; and since they take caseworker time, the
    deadline figures lag more, so more deadline directives cancel more meetings.
    (Creaming has no pick to bend when meetings are booked.)"""
    at_14 = ("staff.caseworkers=14",)
    gaming = summaries(STRONG, at_14)
    honest = summaries(
        STRONG, (*at_14, "steering.gaming.short_contacts=false", "steering.gaming.creaming=false")
    )
    assert diff(gaming, honest, "indicator_followup_users").low > 0
    assert diff(gaming, honest, "followup_sessions_cancelled").low > 0
    assert all(s["indicator_substantive_ratio"] > 1 for s in gaming)


def test_a_decisions_figure_the_office_cannot_reach_cancels_meetings_for_nothing() -> None:
    """Issue 13, at normal staffing (17 caseworkers): with income support as a case of
    steps, about 9% of decisions come after 21 days because of the user's time
    (documents, a meeting booked ahead), so 'decisions on time' lags its 95% target
    whatever the office does. Strong targets direct caseworkers to it (none with
    one-touch applications), cancel their meetings and raise the specially adapted
    backlog, while decisions on time do not improve on few_targets'."""
    at_17 = ("staff.caseworkers=17",)
    strong, few = summaries(STRONG, at_17), summaries(FEW, at_17)
    one_touch = summaries(STRONG, (*at_17, "work.income_support.process=null"))
    directed = diff(strong, one_touch, "directives_income_support_on_time_rate")
    assert directed.low > 0, directed
    cancelled = diff(strong, one_touch, "followup_sessions_cancelled")
    assert cancelled.low > 0, cancelled
    backlog = diff(strong, few, "followup_backlog_mean_specially_adapted")
    assert backlog.low > 0, backlog
    gain = diff(strong, few, "income_support_on_time_rate")
    assert gain.high < 0.01, gain  # not even one point better
