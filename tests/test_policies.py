"""Each policy's decision on hand-built queue states (no SimPy)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from officeq.config.schema import Config
from officeq.model.policies import build_policy, queue_keys
from officeq.model.tasks import (
    FOLLOWUP,
    INCOME_SUPPORT,
    INCOME_SUPPORT_URGENT,
    INQUIRY,
    Queues,
    Task,
    User,
    followup_queue,
)


@dataclass
class Worker:
    followup_hours_today: float = 0.0
    client_hours_today: float = 3.75


def inquiry(arrival: float, sla: float = 48.0) -> Task:
    return Task(INQUIRY, INQUIRY, arrival, arrival + sla, 0.1)


def application(arrival: float, urgent: bool = False) -> Task:
    queue = INCOME_SUPPORT_URGENT if urgent else INCOME_SUPPORT
    return Task(INCOME_SUPPORT, queue, arrival, arrival + (48.0 if urgent else 21 * 24.0), 0.75)


def due(group: str, since: float) -> Task:
    user = User(0, group, None, math.inf, False)
    return Task(FOLLOWUP, followup_queue(group), since, math.inf, 1.0, user)


def policy(name: str, **policy_fields: object):  # type: ignore[no-untyped-def]
    cfg = Config.model_validate({"policy": {"name": name, **policy_fields}})
    return build_policy(cfg), queue_keys(cfg)


def choose(name: str, tasks: list[Task], now: float, worker: Worker | None = None, **kw: object):
    pol, keys = policy(name, **kw)
    return pol.choose(Queues.of(tasks, keys, now), worker or Worker())


def test_every_policy_returns_none_on_empty_queues() -> None:
    for name in ("fifo", "deadline_first", "strict_priority", "protected_followup", "needs_based"):
        assert choose(name, [], now=0.0) is None


def test_fifo_takes_the_oldest_task_of_any_kind() -> None:
    tasks = [inquiry(10.0), application(5.0), due("standard", 7.0)]
    assert choose("fifo", tasks, now=20.0) == INCOME_SUPPORT
    tasks = [inquiry(10.0), application(15.0), due("standard", 7.0)]
    assert choose("fifo", tasks, now=20.0) == followup_queue("standard")


def test_deadline_first_takes_the_earliest_deadline() -> None:
    # the application arrived first but its deadline is weeks away
    tasks = [application(0.0), inquiry(10.0), due("specially_adapted", 0.0)]
    assert choose("deadline_first", tasks, now=11.0) == INQUIRY
    # an urgent application due sooner than the inquiry wins
    tasks = [inquiry(0.0), application(1.0, urgent=True)]
    assert choose("deadline_first", tasks, now=2.0) == INQUIRY  # 48 < 49
    tasks = [inquiry(5.0), application(1.0, urgent=True)]
    assert choose("deadline_first", tasks, now=6.0) == INCOME_SUPPORT_URGENT


def test_deadline_first_does_follow_up_only_when_no_deadline_work_waits() -> None:
    tasks = [due("standard", 0.0), due("situational", 3.0)]
    assert choose("deadline_first", tasks, now=100.0) == followup_queue("standard")
    tasks.append(application(90.0))
    assert choose("deadline_first", tasks, now=100.0) == INCOME_SUPPORT


def test_strict_priority_follows_the_configured_order() -> None:
    tasks = [inquiry(0.0), application(1.0), due("standard", 0.0)]
    order = ["followup", "income_support", "inquiry"]
    assert choose("strict_priority", tasks, 5.0, order=order) == followup_queue("standard")
    order = ["income_support", "followup"]  # inquiry left out: comes after the listed ones
    assert choose("strict_priority", tasks, 5.0, order=order) == INCOME_SUPPORT
    assert choose("strict_priority", [inquiry(0.0)], 5.0, order=order) == INQUIRY


def test_protected_followup_keeps_its_share_then_falls_back_to_deadlines() -> None:
    tasks = [inquiry(0.0), due("standard", 1.0)]
    fresh = Worker(followup_hours_today=0.0, client_hours_today=4.0)
    spent = Worker(followup_hours_today=1.5, client_hours_today=4.0)
    assert choose("protected_followup", tasks, 2.0, fresh, followup_share=0.3) == (
        followup_queue("standard")
    )
    assert choose("protected_followup", tasks, 2.0, spent, followup_share=0.3) == INQUIRY
    # reserved time is not wasted when no one is due
    assert choose("protected_followup", [inquiry(0.0)], 2.0, fresh, followup_share=0.3) == INQUIRY
    # after the reserve, follow-up still gets time when no deadline work waits
    only_due = [due("standard", 1.0)]
    assert choose("protected_followup", only_due, 2.0, spent) == followup_queue("standard")


def test_needs_based_serves_the_most_vulnerable_first() -> None:
    tasks = [
        due("standard", 0.0),
        due("situational", 1.0),
        due("specially_adapted", 50.0),
        inquiry(60.0),
    ]
    assert choose("needs_based", tasks, 61.0) == followup_queue("specially_adapted")
    order = ["situational", "standard", "specially_adapted", "permanently_adapted"]
    assert choose("needs_based", tasks, 61.0, need_order=order) == followup_queue("situational")


def test_needs_based_takes_deadline_work_when_slack_is_short() -> None:
    tasks = [due("specially_adapted", 0.0), inquiry(0.0)]  # inquiry deadline at 48 h
    assert choose("needs_based", tasks, 39.0, slack_margin_hours=8) == (
        followup_queue("specially_adapted")
    )  # slack 9 h > 8 h
    assert choose("needs_based", tasks, 41.0, slack_margin_hours=8) == INQUIRY  # slack 7 h
    # with no one due, deadline work is done earliest deadline first
    assert choose("needs_based", [application(0.0), inquiry(5.0)], 6.0) == INQUIRY


def test_cancelled_tasks_are_skipped() -> None:
    pol, keys = policy("deadline_first")
    first, second = inquiry(0.0), inquiry(1.0)
    q = Queues.of([first, second, application(0.5)], keys, 2.0)
    q.cancel(first)
    assert q.size(INQUIRY) == 1
    assert pol.choose(q, Worker()) == INQUIRY
    assert q.pop(INQUIRY) is second


@pytest.mark.parametrize(
    "name", ["fifo", "deadline_first", "strict_priority", "protected_followup", "needs_based"]
)
def test_policies_are_work_conserving(name: str) -> None:
    for tasks in (
        [inquiry(0.0)],
        [application(0.0)],
        [application(0.0, urgent=True)],
        [due("permanently_adapted", 0.0)],
    ):
        key = choose(name, tasks, now=1.0, worker=Worker(5.0, 4.0))
        assert key == tasks[0].queue
