"""Income support as a case: the steps from receipt to decision (``work.income_support.process``).

Without a ``process`` (or with ``process: null``) an application is one task of
``duration_minutes``, as in the theory reductions. With one, it is a case of
several tasks, each with the case's deadline, and the time the user takes to
send documents in between (:mod:`officeq.model.cases`):

1. intake (``intake_minutes``);
2. for a first-time applicant (``first_time_share``), a meeting
   (``first_meeting_minutes``), held ``first_meeting_lead_days`` after intake
   where the office books its meetings (``work.followup.appointments.enabled``),
   otherwise a task at once;
3. for an application that needs more documents (``documentation.share``),
   up to ``documentation.rounds`` rounds: the office asks, the user replies after
   ``reply_days`` (never, for ``no_reply_share``; a reply after ``deadline_days``
   comes too late), and a reply is reviewed (``review_minutes``); without a reply
   the case is decided on what is there once the user's deadline has passed;
4. the decision (``decision_minutes``).

A case still open ``interim_reply_days`` after receipt gets an interim reply
(``interim_reply_minutes``). An urgent application goes straight from intake to
decision. A step whose minutes are fixed at 0 is not a task. Which numbers are
measured and which are assumptions: ``docs/calibration.md`` rows 63-70.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field, field_validator

from officeq.config.base import MAX_DAYS, StrictModel
from officeq.config.distributions import (
    Distribution,
    Duration,
    Empirical,
    Fixed,
    LogNormal,
    capped_mean,
    number_as_fixed,
)

MAX_ROUNDS = 20.0
"""Largest mean number of documentation rounds (more is certainly a typo)."""


def rounds_of(draw: float) -> int:
    """The number of documentation rounds a draw of ``rounds`` stands for (at least 1)."""
    return max(1, round(draw))


class DocumentationConfig(StrictModel):
    """More documents asked of the user: how often, how long they take, how many rounds."""

    share: float = Field(0.5, ge=0, le=1)
    """Applications that need more documents (assumption: not published)."""
    reply_days: Distribution = LogNormal(mean=10.0, cv=0.8)
    """Days the user takes to send the documents (assumption)."""
    deadline_days: float = Field(14.0, ge=0, le=MAX_DAYS)
    """The user's deadline: after it the case is decided on what is there."""
    no_reply_share: float = Field(0.1, ge=0, le=1)
    """Users asked for documents who never send them (assumption)."""
    review_minutes: Duration = LogNormal(mean=15.0, cv=0.5)
    """Handling the documents when they arrive (assumption)."""
    rounds: Distribution = Empirical(values=(1.0, 1.0, 1.0, 2.0))
    """Rounds for an application that needs documents: a distribution (each draw
    rounded, at least 1) or a number (assumption: not published)."""

    @field_validator("reply_days", "rounds", "review_minutes", mode="before")
    @classmethod
    def _number_is_fixed(cls, v: Any, info: Any) -> Any:
        return number_as_fixed(v, info.field_name, positive=info.field_name == "rounds")

    @field_validator("reply_days")
    @classmethod
    def _reply(cls, v: Any) -> Any:
        return capped_mean(v, MAX_DAYS, "days")

    @field_validator("rounds")
    @classmethod
    def _rounds(cls, v: Any) -> Any:
        return capped_mean(v, MAX_ROUNDS, "rounds")

    def replied_share(self, samples: int = 20_000) -> float:
        """Share of requests answered by the deadline (estimated from the distribution
        with a fixed seed, so the same config always gives the same number)."""
        draws = self.reply_days.sample(np.random.default_rng(0), samples)
        return (1 - self.no_reply_share) * float(np.mean(draws <= self.deadline_days))

    def reviews_mean(self) -> float:
        """Expected reviews of an application that needs documents: round k happens only
        if the user answered the k-1 rounds before it."""
        q = self.replied_share()
        draws = self.rounds.sample(np.random.default_rng(1), 20_000)
        counts = np.maximum(1, np.rint(draws)).astype(int)
        # sum_{k=1..R} q^k, averaged over the drawn R
        if q == 1.0:
            return float(counts.mean())
        return float(np.mean(q * (1 - q**counts) / (1 - q)))


class CaseProcessConfig(StrictModel):
    """The steps of an income-support case (see the module docstring)."""

    intake_minutes: Duration = LogNormal(mean=10.0, cv=0.5)
    """Registration and reading the application (assumption)."""
    first_time_share: float = Field(0.25, ge=0, le=1)
    """Applications from first-time applicants, who are called to a meeting (assumption)."""
    first_meeting_minutes: Duration = LogNormal(mean=45.0, cv=0.4)
    first_meeting_lead_days: Distribution = LogNormal(mean=7.0, cv=0.5)
    """Days from intake to the meeting where the office books meetings (assumption)."""
    documentation: DocumentationConfig = DocumentationConfig()
    decision_minutes: Duration = LogNormal(mean=20.0, cv=0.4)
    """Writing the decision (assumption; with the other steps about 45 minutes a case,
    calibration #23)."""
    interim_reply_days: float = Field(30.0, gt=0, le=MAX_DAYS)
    """A case open this long after receipt gets an interim reply (calibration #15, #69)."""
    interim_reply_minutes: Duration = Fixed(value=10.0)

    @field_validator(
        "intake_minutes",
        "first_meeting_minutes",
        "first_meeting_lead_days",
        "decision_minutes",
        "interim_reply_minutes",
        mode="before",
    )
    @classmethod
    def _number_is_fixed(cls, v: Any, info: Any) -> Any:
        """A bare number is a fixed value (0 minutes: the step is not a task)."""
        return number_as_fixed(v, info.field_name, positive=False)

    @field_validator("first_meeting_lead_days")
    @classmethod
    def _lead_cap(cls, v: Any) -> Any:
        return capped_mean(v, MAX_DAYS, "days")

    def handling_minutes(self, urgent_share: float) -> float:
        """Expected caseworker minutes per case (interim replies left out: they are rare
        and depend on the queues)."""
        intake = self.intake_minutes.mean_value()
        decision = self.decision_minutes.mean_value()
        d = self.documentation
        regular = (
            intake
            + self.first_time_share * self.first_meeting_minutes.mean_value()
            + d.share * d.reviews_mean() * d.review_minutes.mean_value()
            + decision
        )
        return urgent_share * (intake + decision) + (1 - urgent_share) * regular
