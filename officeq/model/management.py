"""Management: the monthly scorecard, reviewed, and the directives it issues.

After each working day (``review.cadence: daily``) or once a week, management
projects every indicator of ``steering.indicators`` to month end:

- a rate (48-hour hit rate, decisions on time) by its month-to-date value,
  counting work already past its deadline as missed;
- a per-user count (users contacted, exits to work) by its month-to-date value
  per user on the caseload, scaled up by working days left.

Any indicator projected below target puts the office under pressure (the
caseworkers follow the office's policy instead of their preference). If
``review.redirect_caseworkers`` > 0 and no directive runs, the indicator
furthest below target gets a directive: that many caseworkers (in turn) take
its work first for ``directive_days`` working days. With booked meetings, a
directive for a deadline figure cancels the directed caseworkers' meetings on
its days (they are rebooked, and the days are closed for booking); one for a
follow-up figure keeps them. Without bookings, the follow-up they had
planned in that time counts as cancelled: the plan is the office's recent
follow-up sessions per caseworker-day times the days each directed
caseworker is at work; sessions they still hold count against it. Under a
follow-up-contact directive with gaming on, management also books short
contacts with users not yet contacted this month, enough to cover the
projected shortfall (creaming: users closest to work first).

Plan changes count one per directed caseworker per directive, and one per
caseworker whenever the whole office switches (pressure on or off with a
preference set; a target becoming safely met or no longer so with the
threshold effect). A new month starts a new scorecard: pressure and
relaxation are lifted until the next review.
"""

from __future__ import annotations

import math
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from officeq.config.schema import WEEKDAYS, Config
from officeq.model.appointments import Appointments
from officeq.model.arrivals import weekly_opening
from officeq.model.calendar import OfficeCalendar
from officeq.model.caseload import Caseload
from officeq.model.observer import (
    CANCELLED,
    DIRECTIVES,
    EXITS_TO_WORK,
    FIRST_CONTACT,
    INQ_ANSWERED,
    INQ_ON_TIME,
    IS_DECIDED,
    IS_ON_TIME,
    PLAN_CHANGES,
    SESSIONS,
    Recorder,
)
from officeq.model.office import Office
from officeq.model.steering import (
    DEADLINE_WORK,
    RELAXABLE,
    Projection,
    SteeredPolicy,
    directive_keys,
    project_count,
    project_rate,
)
from officeq.model.tasks import (
    INCOME_SUPPORT,
    INCOME_SUPPORT_URGENT,
    INQUIRY,
    SHORT_CONTACT,
    SHORT_CONTACT_QUEUE,
    Task,
)

PLAN_WINDOW_DAYS = 28
"""Calendar days of recent follow-up that make a caseworker's plan."""


@dataclass
class Directive:
    workers: tuple[int, ...]
    days: tuple[int, ...]
    """The working days it covers."""
    sessions_at_start: dict[int, int]
    rate: float
    """Planned follow-up sessions per caseworker-day."""


class Management:
    """Reviews the scorecard and steers the floor through a :class:`SteeredPolicy`."""

    def __init__(
        self,
        cfg: Config,
        office: Office,
        caseload: Caseload,
        rec: Recorder,
        policy: SteeredPolicy,
        absent: list[np.ndarray],
        rng: np.random.Generator,
    ) -> None:
        self.steering = cfg.steering
        self.office = office
        self.caseload = caseload
        self.rec = rec
        self.policy = policy
        self.absent = absent
        self.rng = rng
        self.cal: OfficeCalendar = office.cal
        self.directive: Directive | None = None
        self.meetings: Appointments | None = None
        """With booked meetings: a directive cancels the directed caseworkers' meetings."""
        self.short_tasks: list[Task] = []
        self.late_cases: Callable[[float], int] | None = None
        """With income-support cases: open cases past their deadline at a time."""
        self._next_worker = 0
        self.head_count: Callable[[int], int] | None = None
        """With a plan over time: caseworkers employed on a day (0 .. n-1)."""
        months = rec.table.month_of_day
        self.days = len(months)
        self.open_rank = np.zeros(self.days, dtype=int)  # open days so far in the month
        self.open_in_month: dict[int, int] = {}  # open days of the whole month
        weekday_open = [o is not None for o in weekly_opening(cfg.calendar)]
        is_open = self.cal.is_open_day
        for d in range(self.days):
            m = int(months[d])
            rank = (self.open_rank[d - 1] if d and months[d - 1] == m else 0) + is_open(d)
            self.open_rank[d] = rank
            if m not in self.open_in_month:  # the month to its end, past the horizon too
                date = self.cal.date(d)
                end = d + monthrange(date.year, date.month)[1] - date.day + 1
                self.open_in_month[m] = sum(
                    is_open(x) if x < self.cal.days else weekday_open[self.cal.weekday(x)]
                    for x in range(d, end)
                )

    # --- the daily hook ------------------------------------------------------------
    def end_of_day(self, day: int) -> None:
        """Called after day ``day`` is closed in the daily table."""
        now = self.office.env.now
        if self.directive is not None and self.directive.days[-1] <= day:
            self._end_directive(now)
        months = self.rec.table.month_of_day
        if day + 1 < self.days and months[day + 1] != months[day]:
            self._drop_short_contacts()
            self._switch(False, frozenset())
        if self._review_day(day):
            self.review(day, now)

    def _review_day(self, day: int) -> bool:
        r = self.steering.review
        if not self.cal.is_open_day(day) or self.open_rank[day] <= r.grace_days:
            return False
        if r.cadence == "weekly":
            return WEEKDAYS[self.cal.date(day).weekday()] == r.weekday
        return True

    # --- review --------------------------------------------------------------------
    def projections(self, day: int, now: float) -> list[Projection]:
        """Every indicator projected to the end of ``day``'s month."""
        mtd = self.rec.table.month_to_date(day)
        q = self.office.queues
        users = len(self.caseload.users)
        done = int(self.open_rank[day])
        in_month = self.open_in_month[int(self.rec.table.month_of_day[day])]
        out = []
        for ind in self.steering.indicators:
            if ind.name == "inquiry_sla_hit_rate":
                v = project_rate(mtd[INQ_ON_TIME], mtd[INQ_ANSWERED], q.late(INQUIRY, now))
            elif ind.name == "income_support_on_time_rate":
                if self.late_cases is not None:  # also cases waiting on the user
                    late = self.late_cases(now)
                else:
                    late = q.late(INCOME_SUPPORT, now) + q.late(INCOME_SUPPORT_URGENT, now)
                v = project_rate(mtd[IS_ON_TIME], mtd[IS_DECIDED], late)
            elif ind.name == "followup_contact_rate":
                v = project_count(mtd[FIRST_CONTACT], users, done, in_month)
            else:
                v = project_count(mtd[EXITS_TO_WORK], users, done, in_month)
            if v is not None:
                out.append(Projection(ind.name, float(v), ind.target))
        return out

    def review(self, day: int, now: float) -> None:
        r = self.steering.review
        proj = self.projections(day, now)
        below = [p for p in proj if p.value < p.target]
        relaxed: frozenset[str] = frozenset()
        if r.threshold_effect:
            safe = [p for p in proj if p.ratio >= 1 + r.safe_margin]
            relaxed = frozenset(k for p in safe for k in RELAXABLE.get(p.indicator, ()))
        self._switch(bool(below), relaxed)
        if below and self.directive is None and r.redirect_caseworkers != 0:
            worst = min(below, key=lambda p: p.ratio)
            self._issue(worst, day, now)

    def _switch(self, pressure: bool, relaxed: frozenset[str]) -> None:
        p = self.policy
        changed = relaxed != p.relaxed or (pressure != p.pressure and p.preference is not None)
        p.pressure, p.relaxed = pressure, relaxed
        if changed:
            self._plan_changes(len(self.office.workers))

    def _plan_changes(self, n: int) -> None:
        self.rec.count_today(PLAN_CHANGES, n)

    # --- directives ----------------------------------------------------------------
    def _issue(self, proj: Projection, day: int, now: float) -> None:
        r = self.steering.review
        workers = self.office.workers
        if self.head_count is not None:  # a plan over time: only those employed tomorrow
            workers = workers[: self.head_count(day + 1)]
        n = len(workers)
        k = n if r.redirect_caseworkers == "all" else min(int(r.redirect_caseworkers), n)
        if k == 0:
            return
        chosen = tuple(workers[(self._next_worker + i) % n].index for i in range(k))
        self._next_worker = (self._next_worker + k) % n
        days = tuple(d for d in range(day + 1, self.days) if self.cal.is_open_day(d))
        days = days[: r.directive_days]
        if not days:
            return
        gaming = self.steering.gaming
        keys = directive_keys(proj.indicator, self.policy.need_keys, gaming.short_contacts)
        self.directive = Directive(
            chosen,
            days,
            {w.index: w.sessions for w in workers if w.index in chosen},
            self._recent_session_rate(day),
        )
        self.policy.directed = dict.fromkeys(chosen, keys)
        if self.meetings is not None and proj.indicator in DEADLINE_WORK:
            # deadline work displaces the directed caseworkers' meetings; a directive for
            # a follow-up figure keeps them (its short contacts come on top)
            self.meetings.direct(chosen, days)
        self.rec.count_today(DIRECTIVES)
        self.rec.directive(proj.indicator, now)
        self._plan_changes(k)
        if proj.indicator == "followup_contact_rate" and gaming.short_contacts:
            shortfall = (proj.target - proj.value) * len(self.caseload.users)
            self._book_short_contacts(math.ceil(gaming.short_contact_share * shortfall), now)

    def _recent_session_rate(self, day: int) -> float:
        first = max(0, day + 1 - PLAN_WINDOW_DAYS)
        sessions, present = self.rec.table.window(first, day + 1, SESSIONS, "caseworkers_present")
        return sessions / present if present else 0.0

    def _end_directive(self, now: float) -> None:
        d = self.directive
        assert d is not None
        if self.meetings is not None:  # real cancellations were counted as they happened
            self.meetings.release(d.workers, d.days)
            self.policy.directed = {}
            self.directive = None
            self._drop_short_contacts()
            return
        workers = {w.index: w for w in self.office.workers}
        cancelled = 0.0
        for i in d.workers:
            at_work = sum(1 for day in d.days if not self.absent[i][day])
            held = workers[i].sessions - d.sessions_at_start[i]
            cancelled += max(0.0, d.rate * at_work - held)
        self.rec.count_today(CANCELLED, round(cancelled))
        self.policy.directed = {}
        self.directive = None
        self._drop_short_contacts()

    # --- gaming: short contacts -------------------------------------------------------
    def _book_short_contacts(self, n: int, now: float) -> None:
        if n <= 0:
            return
        month = self.rec.month_now
        users = [u for u in self.caseload.users.values() if u.last_contact_month != month]
        self.rng.shuffle(users)  # type: ignore[arg-type]
        gaming = self.steering.gaming
        creamed = round(gaming.creaming_share * n) if gaming.creaming else 0
        if creamed:
            rank = {k.removeprefix("followup."): i for i, k in enumerate(self.policy.cream_keys)}
            by_closeness = sorted(users, key=lambda u: rank[u.group])
            picked = by_closeness[:creamed]
            taken = {u.id for u in picked}
            picked += [u for u in users if u.id not in taken][: n - creamed]
        else:
            picked = users[:n]
        hours = gaming.short_contact_minutes / 60.0
        tasks = [Task(SHORT_CONTACT, SHORT_CONTACT_QUEUE, now, math.inf, hours, u) for u in picked]
        for t in tasks:
            self.rec.arrived_task(t)
        self.short_tasks = tasks
        self.office.add(tasks)

    def _drop_short_contacts(self) -> None:
        for t in self.short_tasks:
            if not t.cancelled and math.isnan(t.start):
                self.office.queues.cancel(t)
                self.rec.cancelled(t)
        self.short_tasks = []
