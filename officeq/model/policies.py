"""Scheduling policies: which queue a free caseworker takes work from.

A policy is a small object with one pure decision function,
``choose(queues, worker) -> queue key | None``, over a read-only view of the
queues (:class:`officeq.model.tasks.Queues`) and of the caseworker (anything with
``followup_hours_today`` and ``client_hours_today``). It knows nothing about
SimPy, so it is tested on hand-built states. Policies are built by name from
one registry, :data:`POLICIES`.

Every policy here is work-conserving (``work_conserving = True``): when any
task waits, it picks one. The office relies on that to hand an arriving task
straight to an idle caseworker, since then every queue is empty and the
task is the only choice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from officeq.config.schema import POLICY_NAMES, Config
from officeq.model.tasks import (
    FOLLOWUP,
    INCOME_SUPPORT,
    INCOME_SUPPORT_URGENT,
    INQUIRY,
    Queues,
    group_keys,
)

DEADLINE_QUEUES = (INCOME_SUPPORT_URGENT, INQUIRY, INCOME_SUPPORT)


class WorkerView(Protocol):
    followup_hours_today: float
    client_hours_today: float


class Policy(Protocol):
    work_conserving: bool

    def choose(self, queues: Queues, worker: WorkerView) -> str | None: ...


@dataclass(frozen=True)
class Fifo:
    """First come, first served across all work (follow-up: by due time)."""

    work_conserving = True

    keys: tuple[str, ...]

    def choose(self, queues: Queues, worker: WorkerView) -> str | None:
        return queues.earliest(self.keys)


@dataclass(frozen=True)
class DeadlineFirst:
    """Earliest deadline first; follow-up (no deadline) only when no deadline work waits."""

    work_conserving = True

    deadline_keys: tuple[str, ...]
    followup_keys: tuple[str, ...]

    def choose(self, queues: Queues, worker: WorkerView) -> str | None:
        key = queues.earliest(self.deadline_keys, by_deadline=True)
        if key is None:
            key = queues.earliest(self.followup_keys)
        return key


@dataclass(frozen=True)
class StrictPriority:
    """A fixed order of work classes; within follow-up, the longest overdue first."""

    work_conserving = True

    levels: tuple[tuple[str, ...], ...]

    def choose(self, queues: Queues, worker: WorkerView) -> str | None:
        for keys in self.levels:
            key = queues.earliest(keys)
            if key is not None:
                return key
        return None


@dataclass(frozen=True)
class ProtectedFollowup:
    """A share of each caseworker's client time is kept for follow-up.

    While the caseworker's follow-up hours today are below ``share`` of their
    planned client hours, due follow-up comes first; otherwise (or when no one
    is due) deadline-first.
    """

    work_conserving = True

    share: float
    fallback: DeadlineFirst

    def choose(self, queues: Queues, worker: WorkerView) -> str | None:
        if worker.followup_hours_today < self.share * worker.client_hours_today:
            key = queues.earliest(self.fallback.followup_keys)
            if key is not None:
                return key
        return self.fallback.choose(queues, worker)


@dataclass(frozen=True)
class NeedsBased:
    """Follow-up by need, most vulnerable group first.

    Deadline work is taken first only when the most urgent task's slack
    (deadline minus now) is below ``margin_hours``; when no one is due for
    follow-up, deadline work is done earliest deadline first.
    """

    work_conserving = True

    margin_hours: float
    deadline_keys: tuple[str, ...]
    need_keys: tuple[str, ...]
    """Follow-up queues, most vulnerable group first."""

    def choose(self, queues: Queues, worker: WorkerView) -> str | None:
        urgent = queues.earliest(self.deadline_keys, by_deadline=True)
        if urgent is not None:
            head = queues.head(urgent)
            assert head is not None
            if head.deadline - queues.now < self.margin_hours:
                return urgent
        for key in self.need_keys:
            if queues.ready(key):
                return key
        return urgent


def _build_fifo(cfg: Config, followup_keys: tuple[str, ...]) -> Policy:
    return Fifo(DEADLINE_QUEUES + followup_keys)


def _build_deadline_first(cfg: Config, followup_keys: tuple[str, ...]) -> Policy:
    return DeadlineFirst(DEADLINE_QUEUES, followup_keys)


def _build_strict_priority(cfg: Config, followup_keys: tuple[str, ...]) -> Policy:
    return StrictPriority(tuple(followup_keys if c == FOLLOWUP else (c,) for c in cfg.policy.order))


def _build_protected(cfg: Config, followup_keys: tuple[str, ...]) -> Policy:
    return ProtectedFollowup(
        cfg.policy.followup_share, DeadlineFirst(DEADLINE_QUEUES, followup_keys)
    )


def _build_needs_based(cfg: Config, followup_keys: tuple[str, ...]) -> Policy:
    need_keys = group_keys(cfg.need_order(), pick_cover(cfg))
    return NeedsBased(cfg.policy.slack_margin_hours, DEADLINE_QUEUES, need_keys)


POLICIES: dict[str, Callable[[Config, tuple[str, ...]], Policy]] = {
    "fifo": _build_fifo,
    "deadline_first": _build_deadline_first,
    "strict_priority": _build_strict_priority,
    "protected_followup": _build_protected,
    "needs_based": _build_needs_based,
}
"""The policy registry: ``policy.name`` → builder(config, follow-up queue keys)."""


def pick_cover(cfg: Config) -> bool:
    """True when colleagues cover users by picking them from a shared queue
    (own caseloads, a cover rule, and sessions not booked)."""
    fu = cfg.work.followup
    return fu.assignment == "own" and fu.cover.after_days is not None and not booked(cfg)


def booked(cfg: Config) -> bool:
    """True when follow-up sessions are booked meetings."""
    return cfg.work.followup.appointments.enabled


def followup_keys(cfg: Config) -> tuple[str, ...]:
    """The follow-up queue keys, one per need group (and its cover queue)."""
    return group_keys(cfg.work.followup.groups, pick_cover(cfg))


def queue_keys(cfg: Config) -> tuple[str, ...]:
    """Every queue key of an office: deadline classes, then one per need group."""
    return DEADLINE_QUEUES + followup_keys(cfg)


def build_policy(cfg: Config) -> Policy:
    """The policy named in ``cfg.policy.name``."""
    followup_keys_ = followup_keys(cfg)
    return POLICIES[cfg.policy.name](cfg, followup_keys_)


if set(POLICIES) != set(POLICY_NAMES):  # the config's list of names and the registry agree
    raise ImportError("policy registry and config.POLICY_NAMES disagree")
