"""Synthetic planner files for the calibration tests, drawn from a known config.

Arrivals come from the model's own :class:`~officeq.model.arrivals.ArrivalPattern`
(the office and digital pieces sampled separately, so each arrival has its
channel), durations and intervals from the config's distributions, absences
from the model's Markov chain. No queueing: a task starts a random wait after
it arrives, so the estimators are tested on exactly known truths.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from officeq.config.loading import load_config
from officeq.config.schema import Config
from officeq.model.arrivals import ArrivalPattern, weekly_opening
from officeq.model.calendar import OfficeCalendar
from officeq.model.staff import absence_days

TRUE = {
    "start_date": "2025-01-06",
    "staff": {"caseworkers": 12, "absence_rate": 0.1, "absence_spell_days_mean": 4},
    "work": {
        "inquiry": {
            "arrivals_per_day": 90,
            "digital_share": 0.4,
            "duration_minutes": {"dist": "gamma", "mean": 11, "cv": 0.7},
        },
        "income_support": {
            "arrivals_per_day": 9,
            "digital_share": 0.7,
            "urgent_share": 0.2,
            "process": None,
            "duration_minutes": {"dist": "lognormal", "mean": 38, "cv": 0.5},
        },
        "followup": {
            "caseload": 300,
            "groups": {
                "standard": {
                    "share": 0.6,
                    "interval_days": {"dist": "gamma", "mean": 30, "cv": 0.4},
                    "duration_minutes": {"dist": "lognormal", "mean": 25, "cv": 0.4},
                    "exit_to_work_per_year": 1.0,
                    "exit_other_per_year": 0.5,
                },
                "situational": {
                    "share": 0.4,
                    "interval_days": {"dist": "lognormal", "mean": 20, "cv": 0.5},
                    "duration_minutes": {"dist": "gamma", "mean": 50, "cv": 0.5},
                    "exit_to_work_per_year": 0.6,
                    "exit_other_per_year": 0.3,
                },
            },
        },
    },
}


def true_config(**over) -> Config:  # type: ignore[no-untyped-def]
    return load_config({**TRUE, **over})


def _stream(cfg: Config, spec, days: int, rng: np.random.Generator):  # type: ignore[no-untyped-def]
    cal = OfficeCalendar(cfg.calendar, cfg.start_date, days)
    pattern = ArrivalPattern(spec, cal, weekly_opening(cfg.calendar))
    times, digital = [], []
    for day in range(days):
        p = pattern.pieces(day)
        n = rng.poisson(p.total)
        if n == 0:
            continue
        n_office = pattern._office[cal.weekday(day)].start.size if cal.is_open_day(day) else 0
        idx = rng.choice(p.expected.size, size=n, p=p.expected / p.total)
        times.append(day * 24 + p.start[idx] + rng.random(n) * p.length[idx])
        digital.append(idx >= n_office)
    return np.concatenate(times), np.concatenate(digital)


def _stamp(start: dt.date, hours: np.ndarray) -> pd.Series:
    base = pd.Timestamp(start)
    return pd.Series(base + pd.to_timedelta(np.round(hours * 3600), unit="s"))


def event_log(
    cfg: Config, days: int, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(events, caseload, staff) tables drawn from ``cfg`` over ``days`` days."""
    rng = np.random.default_rng(seed)
    end = days * 24.0
    frames = []
    for kind in ("inquiry", "income_support"):
        spec = getattr(cfg.work, kind)
        t, dig = _stream(cfg, spec, days, rng)
        dur = spec.duration_minutes.sample(rng, t.size) / 60
        start = t + rng.exponential(4.0, t.size)
        fin = start + dur
        open_ = fin > end
        frames.append(
            pd.DataFrame(
                {
                    "kind": kind,
                    "channel": np.where(dig, "digital", "phone"),
                    "urgent": (rng.random(t.size) < spec.urgent_share)
                    if kind == "income_support"
                    else None,
                    "a": t,
                    "s": np.where(start > end, np.nan, start),
                    "f": np.where(open_, np.nan, fin),
                }
            )
        )
    users, sessions = [], []
    uid = 0
    groups = cfg.work.followup.groups
    for name, g in groups.items():
        exit_rate = g.exit_to_work_per_year + g.exit_other_per_year
        n0 = round(cfg.work.followup.caseload * g.share)
        entries = list(np.full(n0, -1.0)) + list(
            np.cumsum(rng.exponential(365 * 24 / (n0 * exit_rate), 400))
        )
        for entered in entries:
            if entered >= end:
                break
            left = max(entered, 0) + rng.exponential(365 * 24 / exit_rate)
            reason = "work" if rng.random() < g.exit_to_work_per_year / exit_rate else "other"
            due = max(entered, 0) + rng.random() * 24 * g.interval_days.mean_value()
            while due < min(end, left):
                s = due + rng.exponential(24.0)
                f = s + g.duration_minutes.sample(rng, 1)[0] / 60
                sessions.append(
                    (name, uid, due, s if s < end else np.nan, f if f < end else np.nan)
                )
                due = f + g.interval_days.sample(rng, 1)[0] * 24
            users.append((uid, name, entered, left if left < end else np.nan, reason))
            uid += 1
    s = pd.DataFrame(sessions, columns=["group", "user_id", "a", "s", "f"])
    s["kind"] = "followup"
    frames.append(s)
    ev = pd.concat(frames, ignore_index=True).sort_values("a", ignore_index=True)
    start = cfg.start_date
    events = pd.DataFrame(
        {
            "task_id": np.arange(len(ev)),
            "kind": ev["kind"],
            "step": None,
            "case_id": None,
            "urgent": ev["urgent"],
            "channel": ev.get("channel"),
            "group": ev.get("group"),
            "user_id": ev.get("user_id").astype("Int64"),
            "arrived": _stamp(start, ev["a"].to_numpy()),
            "started": _stamp(start, ev["s"].to_numpy()),
            "finished": _stamp(start, ev["f"].to_numpy()),
            "deadline": None,
            "caseworker": None,
        }
    )
    u = pd.DataFrame(users, columns=["user_id", "group", "entered", "left", "exit_reason"])
    caseload = pd.DataFrame(
        {
            "user_id": u["user_id"],
            "group": u["group"],
            "owner": None,
            "entered": _stamp(start, np.maximum(u["entered"].to_numpy(), -24.0)),
            "last_session": None,
            "next_due": None,
            "left": _stamp(start, u["left"].to_numpy()),
            "exit_reason": np.where(u["left"].notna(), u["exit_reason"], None),
        }
    )
    rows = []
    for cw in range(cfg.staff.caseworkers):
        absent = absence_days(cfg.staff, np.random.default_rng([seed, cw]), days)
        edges = np.diff(np.concatenate([[0], absent.astype(int), [0]]))
        starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
        if starts.size == 0:
            rows.append((cw, None, None))
        for a, b in zip(starts, stops, strict=True):
            rows.append((cw, start + dt.timedelta(days=int(a)), start + dt.timedelta(days=int(b))))
    staff = pd.DataFrame(rows, columns=["caseworker", "absent_from", "absent_to"])
    return events, caseload, staff


def write_csvs(folder: Path, tables) -> tuple[Path, Path, Path]:  # type: ignore[no-untyped-def]
    paths = tuple(folder / n for n in ("events.csv", "caseload.csv", "staff.csv"))
    for table, path in zip(tables, paths, strict=True):
        out = table.copy()
        for c in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[c]):
                out[c] = out[c].dt.strftime("%Y-%m-%dT%H:%M:%S")
        out.to_csv(path, index=False)
    return paths  # type: ignore[return-value]


def _true_value(data: dict, path: str) -> float | None:
    node = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, dict):  # a distribution: its mean
        return node.get("mean", node.get("value"))
    return node


def coverage_rows(cal, cfg: Config) -> list[tuple[str, float, float, float, float, bool]]:  # type: ignore[no-untyped-def]
    """(path, true, estimate, low, high, covered) for every fitted scalar and mean."""
    data = cfg.model_dump(mode="json")
    found = dict(cal.estimates)
    found |= {p: d.mean for p, d in cal.dists.items()}
    for name, s in cal.streams.items():
        found[f"{name}.arrivals_per_day"] = s.arrivals_per_day
        found[f"{name}.digital_share"] = s.digital_share
    rows = []
    for path, e in sorted(found.items()):
        true = _true_value(data, path)
        if true is None or e.method in ("count", "range of daily counts"):
            continue
        rows.append((path, float(true), e.value, e.low, e.high, e.low <= true <= e.high))
    return rows


def table_text(rows) -> str:  # type: ignore[no-untyped-def]
    lines = [f"{'parameter':58} {'true':>9} {'fitted':>9} {'95% interval':>21}  covered"]
    for path, true, est, lo, hi, ok in rows:
        lines.append(
            f"{path:58} {true:9.4g} {est:9.4g} {lo:10.4g}–{hi:<10.4g}  {'yes' if ok else 'NO'}"
        )
    return "\n".join(lines)
