"""Income-support cases: steps in the queues, and waiting on the user in between.

With ``work.income_support.process`` an application is a :class:`Case`. Each
step (intake, first meeting, document review, decision, interim reply) is a
:class:`~officeq.model.tasks.Task` with the case's deadline (receipt plus the
deadline, as the offices measure it), in the income-support queue of its class,
so the policies and management see it. Between steps the case waits on the
user (documents asked for: a timer, in no queue) or on the booked date of its
first meeting. A case has at most one task at a time: work that comes up while
a task is queued or in service (a reply arriving during an interim reply, an
interim reply falling due) waits for it or rides with it. A decided case is
closed and never returns.

The steps follow :mod:`officeq.config.income_support`. This room reports to
the recorder when a case arrives, goes to or comes back from the user, is
decided, and when an interim reply is written; it measures nothing itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import simpy

from officeq.config.distributions import Fixed
from officeq.config.income_support import rounds_of
from officeq.config.schema import IncomeSupportConfig
from officeq.model.calendar import HOURS_PER_DAY
from officeq.model.observer import Recorder
from officeq.model.sampling import BlockSampler, Unit
from officeq.model.state import OpenCase
from officeq.model.streams import Streams
from officeq.model.tasks import (
    DECISION,
    INCOME_SUPPORT,
    INCOME_SUPPORT_URGENT,
    INTAKE,
    INTERIM,
    INTERIM_CARRIED,
    INTERIM_DUE,
    INTERIM_SENT,
    MEETING,
    REVIEW,
    STEP_NAMES,
    Case,
    Task,
)


def _skipped(dist: object) -> bool:
    """A step whose minutes are fixed at 0 is not a task."""
    return isinstance(dist, Fixed) and dist.value == 0


class Cases:
    """Every open income-support case and the rules that move it on."""

    def __init__(
        self,
        env: simpy.Environment,
        cfg: IncomeSupportConfig,
        streams: Streams,
        submit: Callable[[Task], None],
        recorder: Recorder,
        booked: bool,
        cap: Callable[[], float],
    ) -> None:
        """``booked``: the office books meetings (the first meeting waits for its date);
        ``cap``: the longest task a queue takes (an interim reply riding on a queued
        step never makes it longer)."""
        p = cfg.process
        assert p is not None
        self.env = env
        self.submit = submit
        self.rec = recorder
        self.cap = cap
        d = p.documentation
        dists = (
            p.intake_minutes,
            p.first_meeting_minutes,
            d.review_minutes,
            p.decision_minutes,
            p.interim_reply_minutes,
        )
        self.skip = tuple(_skipped(x) for x in dists)
        self.minutes = tuple(
            BlockSampler(x, streams.rng("income_support.steps", i), 1 / 60)
            for i, x in enumerate(dists)
        )
        flags = streams.rng("income_support.case", 0)
        self.flag = BlockSampler(Unit(), flags)
        self.urgent = BlockSampler(Unit(), streams.rng("income_support.urgent"))
        self.reply = BlockSampler(
            d.reply_days,
            streams.rng("income_support.case", 1),
            HOURS_PER_DAY,
        )
        self.rounds = BlockSampler(d.rounds, streams.rng("income_support.case", 2))
        self.lead = (
            BlockSampler(
                p.first_meeting_lead_days,
                streams.rng("income_support.case", 3),
                HOURS_PER_DAY,
            )
            if booked
            else None
        )
        self.urgent_share = cfg.urgent_share
        self.urgent_hours = cfg.urgent_deadline_hours
        self.regular_hours = cfg.deadline_days * HOURS_PER_DAY
        self.first_time_share = p.first_time_share
        self.doc_share = d.share
        self.no_reply_share = d.no_reply_share
        self.user_deadline = d.deadline_days * HOURS_PER_DAY
        self.interim_hours = p.interim_reply_days * HOURS_PER_DAY
        self.open: set[Case] = set()
        self._ids = 0

    # --- arrival -------------------------------------------------------------------
    def receive(self, t: float, digital: bool = False) -> None:
        """An application arrives at ``t`` (now), digitally or not."""
        # every draw is made for every case, so a case's draws do not depend on others
        urgent = self.urgent.next() < self.urgent_share
        first = self.flag.next() < self.first_time_share
        needs = self.flag.next() < self.doc_share
        rounds = rounds_of(self.rounds.next())
        if urgent:
            case = Case(self._ids, t, t + self.urgent_hours, INCOME_SUPPORT_URGENT, False, 0)
        else:
            case = Case(
                self._ids, t, t + self.regular_hours, INCOME_SUPPORT, first, rounds if needs else 0
            )
        case.digital = digital
        self._ids += 1
        self.open.add(case)
        self.rec.case_received(case.queue, t)
        timer = self.env.timeout(self.interim_hours)
        timer.callbacks.append(lambda _e: self._interim(case))
        self._queue(case, INTAKE)

    def restore(self, c: OpenCase) -> None:
        """Open a case from a snapshot where it stands now; a user who has not
        replied yet replies (or not) as the reply distribution says, given the wait
        so far (drawn again until it is later than now)."""
        now = self.env.now
        queue = INCOME_SUPPORT_URGENT if c.urgent else INCOME_SUPPORT
        case = Case(self._ids, c.received, c.deadline, queue, c.first_time, c.rounds_left)
        case.digital, case.touches = c.digital, c.touches
        case.handling, case.user_hours = c.handling_hours, c.user_hours
        self._ids += 1
        self.open.add(case)
        self.rec.carried_over(INCOME_SUPPORT, now)
        if c.interim_sent:
            case.interim = INTERIM_SENT
        elif c.received + self.interim_hours > now:
            timer = self.env.timeout(c.received + self.interim_hours - now)
            timer.callbacks.append(lambda _e: self._interim(case))
        else:
            case.interim = INTERIM_DUE  # overdue: written with the next step
        if c.state == "with_user":
            case.user_since = c.since
            self.rec.case_with_user(+1, now)
            waited = now - c.since
            replied, wait = False, self.user_deadline
            for _ in range(100):
                reply = self.reply.next()
                replied = self.flag.next() >= self.no_reply_share and reply <= self.user_deadline
                if not replied or reply > waited:
                    wait = reply if replied else self.user_deadline
                    break
            delay = max(0.0, wait - waited)
            self.env.timeout(delay).callbacks.append(lambda _e: self._back(case, replied))
        elif c.state == "meeting_booked":
            case.meeting_at = c.since
            delay = max(0.0, c.since - now)
            self.env.timeout(delay).callbacks.append(lambda _e: self._queue(case, MEETING))
        else:
            self._queue(case, STEP_NAMES.index(c.step))

    # --- steps ---------------------------------------------------------------------
    def _queue(self, case: Case, step: int) -> None:
        """Put ``step`` of ``case`` in its queue (or do it at once if it takes no time)."""
        if case.task is not None:
            case.resume = step
            return
        if self.skip[step]:
            case.step = step
            case.steps.append(step)
            self._after(case, step)
            return
        duration = self.minutes[step].next()
        if case.interim == INTERIM_DUE and step != INTERIM:
            duration += self.minutes[INTERIM].next()
            case.interim = INTERIM_CARRIED
        now = self.env.now
        task = Task(INCOME_SUPPORT, case.queue, now, case.deadline, duration)
        task.case = case
        task.digital = case.digital
        case.task = task
        case.step = step
        self.rec.step_queued(task)
        self.submit(task)

    def step_done(self, task: Task) -> None:
        """The office finished ``task``, a step of its case."""
        case: Case = task.case  # type: ignore[assignment]
        case.task = None
        case.touches += 1
        case.handling += task.duration
        case.steps.append(case.step)
        if case.interim == INTERIM_CARRIED:
            case.interim = INTERIM_SENT
            self.rec.interim_reply(self.env.now)
        self._after(case, case.step)

    def _after(self, case: Case, step: int) -> None:
        """What follows ``step``, just done."""
        if step == INTAKE:
            if case.first_time:
                self._meeting(case)
            else:
                self._documents(case)
        elif step in (MEETING, REVIEW):
            self._documents(case)
        elif step == DECISION:
            self._decided(case)
        else:  # INTERIM: back to the user, or on with what came up meanwhile
            if case.interim != INTERIM_SENT:
                case.interim = INTERIM_SENT
                self.rec.interim_reply(self.env.now)
            if case.resume >= 0:
                nxt, case.resume = case.resume, -1
                self._queue(case, nxt)

    def _meeting(self, case: Case) -> None:
        if self.lead is None:
            self._queue(case, MEETING)
            return
        lead = self.lead.next()
        case.meeting_at = self.env.now + lead
        self.env.timeout(lead).callbacks.append(lambda _e: self._queue(case, MEETING))

    def _documents(self, case: Case) -> None:
        """Ask the user for documents if a round is left, else decide."""
        if case.rounds_left <= 0:
            self._queue(case, DECISION)
            return
        case.rounds_left -= 1
        now = self.env.now
        case.user_since = now
        self.rec.case_with_user(+1, now)
        reply = self.reply.next()
        replied = self.flag.next() >= self.no_reply_share and reply <= self.user_deadline
        wait = reply if replied else self.user_deadline
        self.env.timeout(wait).callbacks.append(lambda _e: self._back(case, replied))

    def _back(self, case: Case, replied: bool) -> None:
        """The user sent the documents (``replied``) or the deadline passed."""
        now = self.env.now
        case.user_hours += now - case.user_since
        case.user_since = math.nan
        self.rec.case_with_user(-1, now)
        if not replied:
            case.rounds_left = 0
        self._queue(case, REVIEW if replied else DECISION)

    def _interim(self, case: Case) -> None:
        """The case is ``interim_reply_days`` old: if still open, it gets an interim reply."""
        if case.decided:
            return
        task = case.task
        if task is None:
            case.interim = INTERIM_DUE
            self._queue(case, INTERIM)
        elif math.isnan(task.start):  # queued: written along with that step
            task.duration = min(task.duration + self.minutes[INTERIM].next(), self.cap())
            case.interim = INTERIM_CARRIED
        else:  # in service: written with the next step
            case.interim = INTERIM_DUE

    def _decided(self, case: Case) -> None:
        case.decided = True
        self.open.discard(case)
        self.rec.case_decided(case, self.env.now)

    # --- reading -------------------------------------------------------------------
    def late(self, now: float) -> int:
        """Open cases already past their deadline (for management's projection)."""
        return sum(c.deadline <= now for c in self.open)
