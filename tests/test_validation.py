"""The model against queueing theory (small sizes; `officeq validate` runs larger).

Each check compares the replications' confidence interval with the closed-form
value, and also shows the check has teeth: a nearby wrong theory (one
caseworker fewer, or 25% more load) falls outside the interval.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from officeq.config.loading import load_config
from officeq.validation import theory
from officeq.validation.checks import (
    check_finite_source,
    check_mmc,
    check_priority,
    confidence_interval,
    with_utilization,
)

VALIDATION = Path(__file__).resolve().parent.parent / "configs" / "validation"


def cfg(name: str, days: float):  # type: ignore[no-untyped-def]
    return load_config(VALIDATION / f"{name}.yaml", horizon_days=days)


@pytest.mark.parametrize("rho, days", [(0.7, 40), (0.9, 80)])
def test_mmc_matches_erlang_c(rho: float, days: float) -> None:
    c = with_utilization(cfg("mmc", days), rho)
    checks = check_mmc(c, replications=6)
    for check in checks:
        assert check.passed, check
    wait = checks[0]
    lam = c.work.inquiry.arrivals_per_day / 24
    wrong = theory.mmc(lam, 6.0, c.staff.caseworkers - 1).wait_mean  # one server fewer
    assert not wait.low <= wrong <= wait.high


def test_priority_classes_match_cobham() -> None:
    c = cfg("priority", 60)
    checks = check_priority(c, replications=6)
    assert [ch.metric for ch in checks] == [
        "income_support_urgent_wait_hours_mean",
        "inquiry_wait_hours_mean",
        "income_support_regular_wait_hours_mean",
    ]
    for check in checks:
        assert check.passed, check
    # FIFO's single mean wait lies outside the lowest class's interval
    fifo = theory.mmc(19.2, 6.0, 4).wait_mean
    assert not checks[-1].low <= fifo <= checks[-1].high


def test_finite_source_matches_machine_repair() -> None:
    c = cfg("finite_source", 80)
    (check,) = check_finite_source(c, replications=6)
    assert check.passed, check
    heavier = theory.finite_source(55, 1.25 / 24, 1.0, 3).queue_mean  # 25% more load
    assert not check.low <= heavier <= check.high


def test_confidence_interval_covers_at_its_level() -> None:
    import numpy as np

    rng = np.random.default_rng(5)
    covered = 0
    trials = 2000
    for _ in range(trials):
        _mean, low, high = confidence_interval(rng.normal(3.0, 2.0, 8), level=0.9)
        covered += low <= 3.0 <= high
    # binomial sd of the coverage count at p=0.9: sqrt(2000*0.9*0.1) = 13.4
    assert abs(covered - 0.9 * trials) < 4 * 13.4
