"""The Staffing tab's form as ``officeq staff`` arguments, checked as the command checks them.

Pure: the controls' values in, the targets (the strings ``--target`` takes)
and the range out, or one line naming the control that is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from officeq.config.schema import Config

DEFAULT_HIT_RATE = 90
DEFAULT_BACKLOG = None
"""No backlog target unless the planner sets one: the baseline's own caseloads keep over
100 users overdue on average even at 23 caseworkers (136 at 17), so a low target is met by
no staffing in a sensible range and the answer would only say so."""
SPAN = 6
"""The range searched by default: the office's caseworkers ± this."""


class FormError(ValueError):
    """A control's value that cannot work: ``where`` is ``targets`` or ``range``."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where


@dataclass(frozen=True)
class StaffingForm:
    targets: list[str]
    policies: list[str]
    lo: int
    hi: int
    max_replications: int


def default_range(cfg: Config) -> tuple[int, int]:
    c = cfg.staff.caseworkers
    return max(1, c - SPAN), c + SPAN


def _share(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    if not 0 <= value <= 100:
        raise FormError("targets", f"{name}: {value:g}% is not from 0 to 100%")
    return value / 100


def form(
    cfg: Config,
    hit_rate: float | None,
    backlog: float | None,
    on_time: float | None,
    policies: Sequence[str],
    lo: int | None,
    hi: int | None,
    max_replications: int | None,
) -> StaffingForm:
    """The advisor's arguments from the form, checked by :func:`officeq.api.staffing.
    check_staffing` (the command's own checks and words) before anything runs.

    Raises:
        FormError: one line, and which part of the form it is about.
    """
    from officeq.api.sizing import TooBigError
    from officeq.api.staffing import StaffingError, check_staffing

    targets = []
    share = _share("48-hour hit rate at least", hit_rate)
    if share is not None:
        targets.append(f"inquiry_sla_hit_rate>={share:g}")
    if backlog is not None:
        if backlog < 0:
            raise FormError("targets", f"users overdue at most: {backlog:g} is below 0")
        targets.append(f"followup_backlog_mean<={backlog:g}")
    share = _share("decisions on time at least", on_time)
    if share is not None:
        targets.append(f"income_support_on_time_rate>={share:g}")
    if not targets:
        raise FormError("targets", "give at least one target")
    for name, v in (("fewest caseworkers", lo), ("most caseworkers", hi)):
        if not isinstance(v, int) or v < 1:
            raise FormError("range", f"{name}: give a whole number from 1")
    if not isinstance(max_replications, int):
        raise FormError("range", "replications per level: give a whole number")
    assert isinstance(lo, int) and isinstance(hi, int)
    chosen = list(policies) or [cfg.policy.name]
    try:
        check_staffing(cfg, targets, chosen, lo, hi, max_replications)
    except StaffingError as e:
        where = "targets" if "target" in str(e) else "range"
        raise FormError(where, str(e)) from None
    except TooBigError as e:
        raise FormError("range", str(e)) from None
    return StaffingForm(targets, chosen, lo, hi, max_replications)


METRIC_WORDS = {
    "inquiry_sla_hit_rate": "48-hour hit rate",
    "followup_backlog_mean": "users overdue for follow-up (mean)",
    "income_support_on_time_rate": "income-support decisions on time",
}


def _value(metric: str, v: float) -> str:
    return f"{100 * v:.0f}%" if metric.endswith("_rate") else f"{v:,.1f}".removesuffix(".0")


def target_words(target: str) -> str:
    """``inquiry_sla_hit_rate>=0.9`` as '48-hour hit rate at least 90%'."""
    op = ">=" if ">=" in target else "<="
    metric, value = target.split(op)
    side = "at least" if op == ">=" else "at most"
    return f"{METRIC_WORDS.get(metric, metric)} {side} {_value(metric, float(value))}"


def shortfall(rows: list[dict[str, Any]]) -> str:
    """How far the top of the range falls short, from :func:`officeq.app.tasks.at_best`'s
    rows: ': at 23 caseworkers, 48-hour hit rate 82% (target at least 90%)'; only the
    targets missed on average (all of them, if each is met on average)."""
    missed = [
        r for r in rows if (r["mean"] < r["value"] if r["op"] == ">=" else r["mean"] > r["value"])
    ]
    shown = missed or rows
    if not shown:
        return ""
    parts = [
        f"{METRIC_WORDS.get(r['metric'], r['metric'])} {_value(r['metric'], r['mean'])} "
        f"(target {'at least' if r['op'] == '>=' else 'at most'} "
        f"{_value(r['metric'], r['value'])})"
        for r in shown
    ]
    note = "" if missed else ", met on average but not with 95% confidence"
    return f": at {shown[0]['at']} caseworkers, " + "; ".join(parts) + note
