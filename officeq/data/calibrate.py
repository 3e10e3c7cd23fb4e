"""Calibration: an office config fitted to a planner's event log, caseload and staff files.

:func:`calibrate` reads the files (:mod:`officeq.data.eventlog`), fits every
number the data can give (:mod:`officeq.data.arrivals`,
:mod:`officeq.data.fitting`, :mod:`officeq.data.people`) and lays them over
the ``--base`` config, which supplies what the data cannot give (calendar,
admin share, overtime rules, deadlines, policy, documentation requests that
the log does not show). The result keeps, for each fitted field, its estimate,
95% interval and source, so the YAML writer can comment every number and the
report can draw the fits. Rows left out of a fit are counted with their reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from officeq.config.base import MAX_NAME
from officeq.config.loading import ConfigError, read_config, validate
from officeq.data.arrivals import StreamFit, fit_stream
from officeq.data.eventlog import DataError, EventLog, read_caseload, read_events, read_staff
from officeq.data.fitting import DistFit, Estimate, fit_distribution
from officeq.data.people import DAY, fit_caseload, fit_staff, followup_intervals, share_of

BASELINE = Path(__file__).resolve().parent.parent.parent / "configs" / "baseline.yaml"
"""The package's baseline config, the default ``--base``."""
MATURE_DAYS = 60
"""Cases received this long before the end of the log count for step shares."""
STEP_FIELDS = {
    "intake": "intake_minutes",
    "first_meeting": "first_meeting_minutes",
    "review": "documentation.review_minutes",
    "decision": "decision_minutes",
    "interim_reply": "interim_reply_minutes",
}
CANNOT = "the data cannot give it"


@dataclass
class Calibration:
    """A fitted config (plain data) with what each number came from."""

    config: dict[str, Any]
    base: str
    period: str
    rows: int
    estimates: dict[str, Estimate] = field(default_factory=dict)
    """Dotted config path -> fitted scalar."""
    dists: dict[str, DistFit] = field(default_factory=dict)
    """Dotted config path -> fitted distribution."""
    streams: dict[str, StreamFit] = field(default_factory=dict)
    base_notes: dict[str, str] = field(default_factory=dict)
    """Dotted path -> why it comes from the base although the section was fitted."""
    notes: dict[str, str] = field(default_factory=dict)
    """Dotted path -> a structural choice read from the data (e.g. one-touch applications)."""
    dropped: dict[str, int] = field(default_factory=dict)


def plain(value: Any) -> Any:
    """``value`` with numpy numbers as Python numbers (for YAML)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _set(data: dict, path: str, value: Any) -> None:
    value = plain(value)
    node = data
    parts = path.split(".")
    for p in parts[:-1]:
        if not isinstance(node.get(p), dict):
            node[p] = {}
        node = node[p]
    node[parts[-1]] = value


def _minutes(rows: pd.DataFrame) -> np.ndarray:
    done = rows[rows["finished"].notna()]
    return ((done["finished"] - done["started"]) / pd.Timedelta(minutes=1)).to_numpy(dtype=float)


class _Builder:
    def __init__(self, log: EventLog, base_data: dict, cal: Calibration) -> None:
        self.log, self.data, self.cal = log, base_data, cal
        self.t = log.table

    def duration(self, path: str, rows: pd.DataFrame, what: str) -> None:
        x = _minutes(rows)
        open_ = int(rows["finished"].isna().sum())
        if open_:
            self.cal.dropped[f"{what}: still open at the end (no duration)"] = open_
        zero = int((x <= 0).sum())
        if zero:
            self.cal.dropped[f"{what}: zero duration"] = zero
        if (x > 0).sum() < 2:
            self.cal.base_notes[path] = f"fewer than 2 finished {what} in the data"
            return
        fit = fit_distribution(
            x, source=f"{int((x > 0).sum()):,} finished {what}, {self.log.period}"
        )
        self.cal.dists[path] = fit
        _set(self.data, path, fit.as_config())

    def stream(self, path: str, arrived: pd.Series, digital: np.ndarray, what: str) -> None:
        from officeq.config.holidays import uncovered_years, years_text
        from officeq.config.schema import CalendarConfig

        cal_cfg = CalendarConfig.model_validate(self.data.get("calendar") or {})
        first = self.log.start.date()
        last = first + pd.Timedelta(days=self.log.days - 1)
        missing = uncovered_years(cal_cfg.holidays, first, last)
        if missing and not (cal_cfg.always_open or cal_cfg.allow_missing_holiday_years):
            years = years_text(missing)
            raise ConfigError(
                self.cal.base,
                "calendar.holidays",
                f"the list has no dated holidays in {years}, which the log covers; "
                "use `holidays: {country: NO}` for every year's holidays",
            )
        s = fit_stream(arrived, digital, cal_cfg, self.log.start, self.log.days, what)
        s.arrivals_per_day.source += f", {self.log.period}"
        s.digital_share.source += f", {self.log.period}"
        self.cal.streams[path] = s
        outside = int(s.observed.get("phone_outside", [0])[0])
        if outside:  # counted in the volume, not in the hour profile
            self.cal.dropped[
                f"{what}: phone arrivals outside --base opening hours (hour profile)"
            ] = outside
        _set(self.data, f"{path}.arrivals_per_day", round(s.arrivals_per_day.value, 3))
        _set(self.data, f"{path}.digital_share", round(s.digital_share.value, 4))
        _set(self.data, f"{path}.weekday_profile", s.weekday_profile)
        if s.hour_profile is not None:
            _set(self.data, f"{path}.hour_profile", s.hour_profile)
        if s.digital_hour_profile is not None:
            _set(self.data, f"{path}.digital_hour_profile", s.digital_hour_profile)

    def estimate(self, path: str, est: Estimate, digits: int = 4) -> None:
        self.cal.estimates[path] = est
        _set(self.data, path, round(est.value, digits))

    def inquiries(self) -> None:
        rows = self.t[self.t["kind"] == "inquiry"]
        if rows.empty:
            self.cal.base_notes["work.inquiry"] = "no inquiries in the data"
            return
        self.stream(
            "work.inquiry", rows["arrived"], (rows["channel"] == "digital").to_numpy(), "inquiries"
        )
        self.duration("work.inquiry.duration_minutes", rows, "inquiries")

    def income_support(self) -> None:
        rows = self.t[self.t["kind"] == "income_support"]
        if rows.empty:
            self.cal.base_notes["work.income_support"] = "no applications in the data"
            return
        stepped = rows[rows["step"].notna()]
        if stepped.empty:  # one task per application
            apps = rows
            _set(self.data, "work.income_support.process", None)
            self.cal.notes["work.income_support.process"] = (
                "from the data: no case steps in the log, so one task per application"
            )
            self.duration("work.income_support.duration_minutes", rows, "applications")
        else:
            one_touch = int(rows["step"].isna().sum())
            if one_touch:
                self.cal.dropped["income support rows without a step in a log of cases"] = one_touch
            apps = stepped[stepped["step"] == "intake"]
            if apps.empty:
                raise DataError(
                    f"{self.log.path}: column 'step' has case steps but no 'intake' row: "
                    "the applications' arrivals are unknown"
                )
            self.cal.base_notes["work.income_support.duration_minutes"] = (
                "unused: the log has case steps (process)"
            )
            self.cases(stepped, apps)
        self.stream(
            "work.income_support",
            apps["arrived"],
            (apps["channel"] == "digital").to_numpy(),
            "applications",
        )
        urgent = apps["urgent"].fillna(False).astype(bool)
        src = f"{len(apps):,} applications, {self.log.period}"
        self.estimate("work.income_support.urgent_share", share_of(urgent, src))

    def cases(self, steps: pd.DataFrame, apps: pd.DataFrame) -> None:
        base = "work.income_support.process"
        if not isinstance(self.data["work"]["income_support"].get("process"), dict):
            _set(self.data, base, {})
        for step, name in STEP_FIELDS.items():
            self.duration(f"{base}.{name}", steps[steps["step"] == step], f"{step} steps")
        cutoff = self.log.end + DAY - pd.Timedelta(days=MATURE_DAYS)
        mature = apps.loc[
            (apps["arrived"] < cutoff) & ~apps["urgent"].fillna(False).astype(bool), "case_id"
        ]
        young = len(apps) - len(mature)
        if young:
            self.cal.dropped[
                f"intake rows of urgent cases or cases received in the last {MATURE_DAYS} days "
                "(not in first_time_share)"
            ] = young
        met = set(steps.loc[steps["step"] == "first_meeting", "case_id"].dropna())
        if len(mature):
            src = f"{len(mature):,} non-urgent cases received before {cutoff.date()}"
            self.estimate(f"{base}.first_time_share", share_of(mature.isin(met), src))
        for path in ("documentation.share", "documentation.rounds", "documentation.no_reply_share"):
            self.cal.base_notes[f"{base}.{path}"] = (
                "the log shows reviews, not requests for documents"
            )

    def followup(self, cl: pd.DataFrame | None, cl_path: str | None) -> None:
        rows = self.t[self.t["kind"] == "followup"]
        groups = self.data["work"]["followup"].setdefault("groups", {})
        left = None
        if cl is not None:
            fit = fit_caseload(cl, self.log.start, self.log.end, str(cl_path))
            self.estimate("work.followup.caseload", fit["caseload"], 0)
            self.data["work"]["followup"]["caseload"] = round(fit["caseload"].value)
            fitted = fit["groups"]
            for g in list(groups):
                if g not in fitted:
                    del groups[g]
            self._need_order(set(fitted))
            for g, ests in fitted.items():
                groups.setdefault(g, {})
                for key, est in ests.items():
                    self.estimate(f"work.followup.groups.{g}.{key}", est)
            self._shares_sum_to_one(groups)
            left = (
                cl.dropna(subset=["left"]).drop_duplicates("user_id").set_index("user_id")["left"]
            )
        for g in groups:
            mine = rows[rows["group"] == g]
            path = f"work.followup.groups.{g}"
            if mine.empty:
                self.cal.base_notes[path] = "no sessions of this group in the data"
                continue
            self.duration(f"{path}.duration_minutes", mine, f"{g} sessions")
            fit = followup_intervals(
                mine, self.log.end + DAY, left, f"{g} sessions, {self.log.period}"
            )
            if fit is None:
                self.cal.base_notes[f"{path}.interval_days"] = "fewer than 5 repeat sessions"
            else:
                self.cal.dists[f"{path}.interval_days"] = fit
                _set(self.data, f"{path}.interval_days", fit.as_config())
        unknown = set(rows["group"].dropna()) - set(groups)
        if unknown:
            self.cal.dropped["follow-up rows of groups not in the config"] = int(
                rows["group"].isin(unknown).sum()
            )

    def _need_order(self, groups: set[str]) -> None:
        policy = self.data.get("policy")
        order = policy.get("need_order") if isinstance(policy, dict) else None
        if order:
            kept = [g for g in order if g in groups]
            policy["need_order"] = kept or None
            if kept != list(order):
                self.cal.base_notes["policy"] = "need_order keeps the groups in the caseload file"

    def _shares_sum_to_one(self, groups: dict) -> None:
        shares = {g: float(v.get("share", 0.0)) for g, v in groups.items()}
        total = sum(shares.values())
        if total <= 0:
            return
        rounded = {g: round(s / total, 4) for g, s in shares.items()}
        big = max(rounded, key=rounded.__getitem__)
        rounded[big] = round(1.0 - sum(v for g, v in rounded.items() if g != big), 4)
        for g, s in rounded.items():
            groups[g]["share"] = s

    def staff(self, st: pd.DataFrame | None, st_path: str | None) -> None:
        if st is None:
            workers = self.t["caseworker"].dropna().unique()
            if len(workers):
                src = f"{len(workers)} distinct caseworkers in the event log"
                self.estimate(
                    "staff.caseworkers",
                    Estimate(len(workers), len(workers), len(workers), "count", src),
                    0,
                )
                self.data["staff"]["caseworkers"] = len(workers)
            for k in ("absence_rate", "absence_spell_days_mean"):
                self.cal.base_notes[f"staff.{k}"] = "no --staff file"
            return
        fit = fit_staff(st, self.log.start, self.log.end, str(st_path))
        self.estimate("staff.caseworkers", fit["caseworkers"], 0)
        self.data["staff"]["caseworkers"] = int(fit["caseworkers"].value)
        self.estimate("staff.absence_rate", fit["absence_rate"])
        if fit["spells"] >= 1:
            est = fit["absence_spell_days_mean"]
            est.value = max(est.value, 1.0)
            self.estimate("staff.absence_spell_days_mean", est, 2)
        else:
            self.cal.base_notes["staff.absence_spell_days_mean"] = "no absence spells in the data"


def calibrate(
    events: str | Path,
    caseload: str | Path | None = None,
    staff: str | Path | None = None,
    base: str | Path | None = None,
) -> Calibration:
    """Fit a config to the files; raise :class:`DataError` (one line) on bad data."""
    base_path = Path(base) if base is not None else BASELINE
    base_data = read_config(base_path)
    validate(base_data, str(base_path))  # a bad base is the base's error, before any fitting
    log = read_events(events)
    if log.days < 7:
        raise DataError(
            f"{events}: column 'arrived' spans {log.days} days; at least a week is needed"
        )
    cl = read_caseload(caseload) if caseload is not None else None
    st = read_staff(staff) if staff is not None else None
    for key in ("staff", "work"):
        base_data.setdefault(key, {})
    for key in ("inquiry", "income_support", "followup"):
        base_data["work"].setdefault(key, {})
    shown = str(base) if base is not None else "configs/baseline.yaml (the package's)"
    cal = Calibration(base_data, shown, log.period, len(log.table))
    b = _Builder(log, base_data, cal)
    b.inquiries()
    b.income_support()
    b.followup(cl, str(caseload) if caseload is not None else None)
    b.staff(st, str(staff) if staff is not None else None)
    if cl is None:
        cal.base_notes["work.followup.caseload"] = "no --caseload file"
    base_data["name"] = f"calibrated from {Path(events).name}"[:MAX_NAME]
    base_data["start_date"] = (log.end + pd.Timedelta(days=1)).date().isoformat()
    cal.notes["start_date"] = (
        f"the day after the log ({log.period}): a run is the office from then on"
    )
    try:
        validate(base_data, "<calibrated config>")
    except ConfigError as e:  # a fitted number the model cannot take: the data's fault
        raise DataError(f"{events}: the fitted config is not valid ({e})") from None
    return cal
