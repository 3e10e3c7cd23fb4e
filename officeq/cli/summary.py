"""The readable summary of one run, as ``officeq run`` prints it: a headline table of
SLA hit rates, income-support decision times and the follow-up backlog, with rows for
the organisation and the steering where the office has them."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from officeq.config.schema import Config
    from officeq.measure.run import RunResult


def _fmt(value: float | None, kind: str = "num") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "pct":
        return f"{100 * value:.1f}%"
    if kind == "int":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def summary_table(result: RunResult, overrides: tuple[str, ...] = ()) -> Table:
    """The readable summary of one run: SLA hit rates against follow-up backlog;
    ``overrides`` (``--set`` items) are named in the title, as the config's name is
    the unchanged file's."""
    s = result.summary
    cfg = result.config
    inq = cfg.work.inquiry
    measured = cfg.horizon_days - cfg.warmup_days
    modified = f" (modified: {', '.join(overrides)})" if overrides else ""
    table = Table(
        title=f"{escape(cfg.name)}{escape(modified)}: {cfg.staff.caseworkers} caseworkers, policy "
        f"{cfg.policy.name}, {measured:g} days measured (seed {cfg.seed})",
        title_justify="left",
    )
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("", style="dim")
    rows: list[tuple[str, str, str] | None] = [
        (
            "inquiries arrived / answered",
            f"{_fmt(s['inquiries_arrived'], 'int')} / {_fmt(s['inquiries_answered'], 'int')}",
            "",
        ),
        (
            "inquiry SLA hit rate",
            _fmt(s["inquiry_sla_hit_rate"], "pct"),
            f"answered within {inq.sla_hours:g} h ({inq.sla_clock} clock)",
        ),
        (
            "inquiry wait, mean / p90",
            f"{_fmt(s['inquiry_wait_hours_mean'])} / {_fmt(s['inquiry_wait_hours_p90'])}",
            "hours, arrival to start",
        ),
        (
            "inquiry response, mean",
            _fmt(s["inquiry_response_hours_mean"]),
            "hours, arrival to answer",
        ),
        None,
        (
            "income-support decisions on time",
            _fmt(s["income_support_on_time_rate"], "pct"),
            f"within {cfg.work.income_support.deadline_days:g} days (urgent "
            f"{cfg.work.income_support.urgent_deadline_hours:g} h)",
        ),
        (
            "income-support decision time, mean / p90",
            f"{_fmt(s['income_support_decision_days_mean'])} / "
            f"{_fmt(s['income_support_decision_days_p90'])}",
            "days from receipt, the user's time included",
        ),
        *_case_rows(cfg, s),
        None,
        ("follow-up backlog, mean", _fmt(s["followup_backlog_mean"]), "overdue users"),
        ("follow-up backlog at end", _fmt(s["followup_backlog_end"], "int"), "overdue users"),
    ]
    for g in cfg.work.followup.groups:
        rows.append(
            (
                f"  {g}: backlog / sessions per user-year",
                f"{_fmt(s[f'followup_backlog_mean_{g}'])} / "
                f"{_fmt(s[f'followup_sessions_per_user_year_{g}'])}",
                f"every {cfg.work.followup.groups[g].interval_days.mean_value():g} days planned",
            )
        )
    rows += [
        ("follow-up overdue at session, mean", _fmt(s["followup_overdue_days_mean"]), "days"),
        None,
        (
            "caseworker utilisation",
            _fmt(s["caseworker_utilization"], "pct"),
            "client-work time spent on tasks",
        ),
        ("overtime", _fmt(s["overtime_hours"], "int"), _overtime_note(cfg)),
    ]
    if cfg.staff.overtime.start_rule == "finish_or_defer":
        rows.append(
            (
                "tasks left for the next opening",
                _fmt(s["tasks_deferred_end_of_day"], "int"),
                "did not fit the day plus overtime left",
            )
        )
    rows += _organisation_rows(cfg, s)
    rows += _steering_rows(cfg, s)
    for row in rows:
        if row is None:
            table.add_section()
        else:
            table.add_row(*row)
    return table


def _overtime_note(cfg: Config) -> str:
    caps = cfg.staff.overtime.caps()
    if not caps:
        return "hours past closing (no cap)"
    names = {1: "day", 7: "week", 28: "4 weeks", 364: "year"}
    return "hours past closing; caps " + ", ".join(f"{c:g} h/{names[d]}" for d, c in caps)


def _organisation_rows(cfg: Config, s: dict) -> list[tuple[str, str, str] | None]:
    """Rows for own caseloads and booked meetings, when the config has them."""
    fu = cfg.work.followup
    rows: list[tuple[str, str, str] | None] = []
    if fu.assignment == "own":
        vulnerable = cfg.need_order()[0]
        rows += [
            None,
            (
                "largest caseworker backlog, mean",
                _fmt(s["followup_backlog_max_caseworker_mean"]),
                f"overdue users of one caseworker (office mean "
                f"{_fmt((s['followup_backlog_mean'] or 0) / max(cfg.staff.caseworkers, 1))})",
            ),
            ("users without a caseworker, mean", _fmt(s["followup_unassigned_mean"]), ""),
            (
                f"  {vulnerable}: gap, caseworker away / not",
                f"{_fmt(s[f'followup_gap_days_mean_owner_away_{vulnerable}'])} / "
                f"{_fmt(s[f'followup_gap_days_mean_owner_present_{vulnerable}'])}",
                "days between sessions",
            ),
            (
                "sessions held by a colleague (cover)",
                _fmt(s["followup_sessions_by_cover"], "int"),
                "none" if fu.cover.after_days is None else f"after {fu.cover.after_days:g} days",
            ),
        ]
    if fu.appointments.enabled:
        rows += [
            None,
            (
                "meetings booked / held",
                f"{_fmt(s['appointments_booked'], 'int')} / {_fmt(s['appointments_held'], 'int')}",
                f"{_fmt(s['appointments_no_show'], 'int')} no-shows, "
                f"{_fmt(s['appointments_open_end'], 'int')} still booked at the end",
            ),
            (
                "meetings cancelled",
                _fmt(s["appointments_cancelled"], "int"),
                f"caseworker off sick {_fmt(s['appointments_cancelled_absent'], 'int')}, "
                f"directive {_fmt(s['appointments_cancelled_directive'], 'int')}, "
                f"user left {_fmt(s['appointments_cancelled_user_left'], 'int')}",
            ),
            (
                "due to meeting / rebooked after, mean",
                f"{_fmt(s['followup_lead_days_mean'])} / {_fmt(s['followup_rebook_days_mean'])}",
                "days",
            ),
        ]
    return rows


def _steering_rows(cfg: Config, s: dict) -> list[tuple[str, str, str] | None]:
    """Rows for steering and its effects, when the config switches any of them on."""
    fu = cfg.work.followup
    rows: list[tuple[str, str, str] | None] = []
    if cfg.steering.active:
        n = len(cfg.steering.indicators)
        rows += [
            None,
            (
                "directives issued",
                _fmt(s["directives_issued"], "int"),
                f"{n} indicator{'' if n == 1 else 's'} on the monthly scorecard",
            ),
            (
                "follow-up sessions cancelled",
                _fmt(s["followup_sessions_cancelled"], "int"),
                "booked meetings cancelled for a directive"
                if fu.appointments.enabled
                else "planned, dropped for a directive",
            ),
            (
                "plan changes per caseworker-month",
                _fmt(s["plan_changes_per_caseworker_month"]),
                "",
            ),
            (
                "users with follow-up, indicator / substantive",
                f"{_fmt(s['indicator_followup_users'])} / {_fmt(s['substantive_followup_users'])}",
                f"per month; {_fmt(s['followup_contacts_short'], 'int')} short contacts",
            ),
        ]
    if cfg.steering.active or fu.outcomes.session_effect > 0:
        vulnerable = cfg.need_order()[0]
        rows += [
            None,
            ("exits to work", _fmt(s["exits_to_work"], "int"), "users, after the warm-up"),
            (
                f"  {vulnerable}: longest gap",
                _fmt(s[f"max_gap_days_substantive_{vulnerable}"]),
                "days between substantive sessions",
            ),
        ]
    if fu.failure_demand.inquiries_per_user_week > 0:
        rows.append(
            (
                "failure-demand inquiries",
                _fmt(s["failure_demand_inquiries"], "int"),
                "from overdue users",
            )
        )
    return rows


def _case_rows(cfg: Config, s: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The rows of income support as a case of steps (none for one-touch applications)."""
    if cfg.work.income_support.process is None:
        return []
    return [
        (
            "  office's own time / waiting on the user",
            f"{_fmt(s['income_support_office_days_mean'])} / "
            f"{_fmt(s['income_support_waiting_on_user_days_mean'])}",
            "days per decided case",
        ),
        (
            "  tasks / caseworker minutes per case",
            f"{_fmt(s['income_support_touches_mean'])} / "
            f"{_fmt(s['income_support_handling_minutes_mean'])}",
            f"{_fmt(s['income_support_interim_replies'], 'int')} interim replies",
        ),
        (
            "  cases open, mean",
            _fmt(s["income_support_open_mean"]),
            f"of which waiting on the user {_fmt(s['income_support_waiting_on_user_mean'])}",
        ),
    ]
