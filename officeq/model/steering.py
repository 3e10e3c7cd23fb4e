"""Target steering on the floor: the policy a steered caseworker follows.

:class:`SteeredPolicy` wraps the office's policy. Management
(:mod:`officeq.model.management`) sets its state; the policy only reads it:

- ``directed``: caseworkers under a directive take the lagging indicator's
  work first (short contacts first, when gaming makes them), then what the
  office's policy says: they do what is measured.
- ``pressure``: while any indicator is projected to miss its target, every
  caseworker follows the office's policy; with the pressure off they follow
  their ``preference`` (e.g. needs-based: the most vulnerable first).
- ``relaxed``: Hood's threshold effect. Work whose indicator is safely met
  waits behind due follow-up.

Like every policy here it knows nothing about SimPy and is work-conserving
over the office's queues (short contacts are only for directed caseworkers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from officeq.config.schema import Config
from officeq.model.policies import DEADLINE_QUEUES, POLICIES, Policy, followup_keys, pick_cover
from officeq.model.tasks import (
    INCOME_SUPPORT,
    INCOME_SUPPORT_URGENT,
    INQUIRY,
    SHORT_CONTACT_QUEUE,
    Queues,
    group_keys,
)

DEADLINE_WORK = {
    "inquiry_sla_hit_rate": (INQUIRY,),
    "income_support_on_time_rate": (INCOME_SUPPORT_URGENT, INCOME_SUPPORT),
}
"""Indicators whose work is deadline work, and its queues."""
RELAXABLE = {
    "inquiry_sla_hit_rate": (INQUIRY,),
    "income_support_on_time_rate": (INCOME_SUPPORT,),  # emergency help is never put off
}


class SteeredView(Protocol):
    index: int
    followup_hours_today: float
    client_hours_today: float


@dataclass
class SteeredPolicy:
    """The office's policy under target steering (state set by management)."""

    work_conserving = True

    base: Policy
    """The office's policy: what management asks for."""
    preference: Policy | None
    """What caseworkers do with the pressure off; None: the office's policy."""
    need_keys: tuple[str, ...]
    """Follow-up queues, most vulnerable first."""
    creaming_share: float = 0.0
    """Share of directed follow-up picks that take the users closest to work first."""
    relaxed_slack_hours: float = 0.0
    """Relaxed work is still taken first once its deadline is this close."""
    pressure: bool = False
    relaxed: frozenset[str] = frozenset()
    directed: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Caseworker index → queue keys of the directive's work."""
    _picks: int = 0
    _creamed: int = 0

    @property
    def cream_keys(self) -> tuple[str, ...]:
        """Follow-up queues, closest to work first."""
        return tuple(reversed(self.need_keys))

    def choose(self, queues: Queues, worker: SteeredView) -> str | None:
        keys = self.directed.get(worker.index)
        if keys is not None:
            key = self._directed(queues, keys)
            return key if key is not None else self.base.choose(queues, worker)
        policy = self.base if self.pressure or self.preference is None else self.preference
        key = policy.choose(queues, worker)
        if key is not None and key in self.relaxed and not self._pressing(queues, key):
            for k in self.need_keys:
                if queues.ready(k):
                    return k
        return key

    def _pressing(self, queues: Queues, key: str) -> bool:
        if self.relaxed_slack_hours <= 0:
            return False
        head = queues.head(key)
        return head is not None and head.deadline - queues.now < self.relaxed_slack_hours

    def _directed(self, queues: Queues, keys: tuple[str, ...]) -> str | None:
        if keys[0] in DEADLINE_QUEUES:
            return queues.earliest(keys, by_deadline=True)
        if SHORT_CONTACT_QUEUE in keys and queues.ready(SHORT_CONTACT_QUEUE):
            return SHORT_CONTACT_QUEUE
        if not any(queues.ready(k) for k in self.need_keys):
            return None
        self._picks += 1
        if self._creamed < self.creaming_share * self._picks:
            self._creamed += 1
            order = self.cream_keys
        else:
            order = self.need_keys
        for k in order:
            if queues.ready(k):
                return k
        return None  # pragma: no cover


def directive_keys(indicator: str, need_keys: tuple[str, ...], short: bool) -> tuple[str, ...]:
    """The queues a directive for ``indicator`` sends caseworkers to."""
    if indicator in DEADLINE_WORK:
        return DEADLINE_WORK[indicator]
    if indicator == "followup_contact_rate" and short:
        return (SHORT_CONTACT_QUEUE, *need_keys)
    return need_keys


@dataclass(frozen=True)
class Projection:
    """One indicator at a review: its month-end projection against the target."""

    indicator: str
    value: float
    target: float

    @property
    def ratio(self) -> float:
        return self.value / self.target if self.target > 0 else float("inf")


def project_rate(done_on_time: int, done: int, late_waiting: int) -> float | None:
    """A rate indicator at month end: month-to-date, counting work already past its
    deadline as missed. None without any resolved work yet."""
    resolved = done + late_waiting
    return done_on_time / resolved if resolved else None


def project_count(count: int, per_user: int, days_done: int, days_in_month: int) -> float | None:
    """A per-user count at month end: month-to-date, extrapolated by working days."""
    if per_user <= 0 or days_done <= 0:
        return None
    return count / per_user * days_in_month / days_done


def steered_policy(cfg: Config, base: Policy) -> SteeredPolicy:
    """Wrap the office's policy ``base`` for the steering in ``cfg``."""
    pref = cfg.steering.preference
    preference = POLICIES[pref](cfg, followup_keys(cfg)) if pref is not None else None
    gaming = cfg.steering.gaming
    need_keys = group_keys(cfg.need_order(), pick_cover(cfg))
    return SteeredPolicy(
        base,
        preference,
        need_keys,
        gaming.creaming_share * gaming.creaming,
        cfg.steering.review.relaxed_slack_hours,
    )
