"""Fitting the people: the follow-up caseload (size, group shares, intervals, exits) and staff.

Caseload (``caseload.csv``): a user counts from ``entered`` until ``left``
(or the end of the period). The caseload is the time-average number of users
(its interval is the range of the daily counts, not a confidence interval);
a group's share is its share of user-time (Clopper–Pearson with the number of
distinct users); exit rates per year are exits by reason over user-years at
risk in the period (exact Poisson). Follow-up intervals (event log): the time
from a session's ``finished`` to the user's next ``arrived``; a user's last
session is right-censored at the end of the period (or when they left).

Staff (``staff.csv``): absence is the model's two-state Markov chain over
calendar days, fitted by its transition counts: ``p_in`` (present → absent)
and ``p_out`` (absent → present) with Clopper–Pearson intervals at 97.5%
each, so the absence rate ``p_in / (p_in + p_out)`` has a conservative 95%
interval; the mean spell length is ``1 / p_out`` (95% Clopper–Pearson).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from officeq.data.fitting import DistFit, Estimate, fit_distribution, rate, share, share_ci

DAYS_PER_YEAR = 365.25
DAY = pd.Timedelta(days=1)


def followup_intervals(
    rows: pd.DataFrame, end: pd.Timestamp, left: pd.Series | None, source: str
) -> DistFit | None:
    """Interval days from one session's end to the next due date, per user of ``rows``."""
    rows = rows.sort_values(["user_id", "arrived"])
    same = rows["user_id"].to_numpy()[1:] == rows["user_id"].to_numpy()[:-1]
    prev_end = rows["finished"].to_numpy()[:-1]
    next_due = rows["arrived"].to_numpy()[1:]
    ok = same & ~pd.isna(prev_end)
    gaps = (next_due[ok] - prev_end[ok]) / np.timedelta64(1, "D")
    last = rows.drop_duplicates("user_id", keep="last")
    last = last[last["finished"].notna()]
    stop = pd.Series(end, index=last.index)
    if left is not None:
        gone = last["user_id"].map(left)
        stop = stop.where(gone.isna() | (gone > end), gone)
    cens = ((stop - last["finished"]) / DAY).to_numpy(dtype=float)
    cens = cens[cens > 0]
    values = np.concatenate([gaps, cens])
    flags = np.concatenate([np.zeros(gaps.size, bool), np.ones(cens.size, bool)])
    if (gaps > 0).sum() < 5:
        return None
    return fit_distribution(values, flags, f"{int((gaps > 0).sum()):,} repeat {source}")


def fit_caseload(
    cl: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, path: str
) -> dict[str, object]:
    """Caseload size, group shares and exit rates from a caseload file over [start, end]."""
    stop = end + DAY
    since = cl["entered"].clip(lower=start)
    until = cl["left"].fillna(stop).clip(upper=stop)
    years = ((until - since) / DAY).clip(lower=0) / DAYS_PER_YEAR
    days = (stop - start) / DAY
    period = f"{start.date()}..{end.date()}"
    present = years > 0
    grid = pd.date_range(start, end, freq="D")
    entered = np.sort(cl["entered"].to_numpy())
    gone = np.sort(cl["left"].dropna().to_numpy())
    counts = np.searchsorted(entered, grid.to_numpy(), "right") - np.searchsorted(
        gone, grid.to_numpy(), "right"
    )
    mean = float(years.sum() * DAYS_PER_YEAR / days)
    n_users = int(present.sum())
    size = Estimate(
        mean,
        float(counts.min()),
        float(counts.max()),
        "range of daily counts",
        f"{path}: {n_users:,} users, {period}",
    )
    groups: dict[str, dict[str, Estimate]] = {}
    total_years = float(years.sum())
    exits = cl["left"].notna() & (cl["left"] >= start) & (cl["left"] < stop)
    for g, idx in cl[present].groupby("group").groups.items():
        y = float(years[idx].sum())
        users = len(idx)
        est = y / total_years
        lo, hi = share_ci(round(est * n_users), n_users)  # width from distinct users
        src = f"{path}: {users:,} users, {y:,.1f} user-years, {period}"
        fit = {"share": Estimate(est, lo, hi, "Clopper-Pearson (user-time share, n = users)", src)}
        if cl.attrs.get("has_exits"):
            for reason, key in (
                ("work", "exit_to_work_per_year"),
                ("other", "exit_other_per_year"),
            ):
                k = int((exits[idx] & (cl.loc[idx, "exit_reason"] == reason)).sum())
                fit[key] = rate(k, y, f"{path}: {k} exits over {y:,.1f} user-years, {period}")
        groups[str(g)] = fit
    return {"caseload": size, "groups": groups}


def absence_days(
    staff: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp
) -> dict[int, np.ndarray]:
    """Per caseworker, a boolean array: absent on each calendar day of the period."""
    days = int((end - start) / DAY) + 1
    out: dict[int, np.ndarray] = {}
    for cw, spells in staff.groupby("caseworker"):
        absent = np.zeros(days, bool)
        for a, b in zip(spells["absent_from"], spells["absent_to"], strict=True):
            if pd.isna(a):
                continue
            lo = max(int((a - start) / DAY), 0)
            hi = min(int((b - start) / DAY), days - 1)
            if hi >= lo:
                absent[lo : hi + 1] = True
        out[int(cw)] = absent
    return out


def fit_staff(staff: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, path: str) -> dict:
    """Caseworkers, absence rate and mean spell length from a staff file."""
    days = absence_days(staff, start, end)
    period = f"{start.date()}..{end.date()}"
    n_in = n_out = at_present = at_absent = absent_total = spells = 0
    for a in days.values():
        today, tomorrow = a[:-1], a[1:]
        at_present += int((~today).sum())
        at_absent += int(today.sum())
        n_in += int((~today & tomorrow).sum())
        n_out += int((today & ~tomorrow).sum())
        absent_total += int(a.sum())
        spells += int(a[0]) + int((~today & tomorrow).sum())
    person_days = sum(a.size for a in days.values())
    src = f"{path}: {spells} spells, {absent_total:,} of {person_days:,} caseworker-days, {period}"
    p_in = n_in / at_present if at_present else 0.0
    p_out = n_out / at_absent if at_absent else 1.0
    in_lo, in_hi = share_ci(n_in, at_present, 0.975)
    out_lo, out_hi = share_ci(n_out, at_absent, 0.975)
    r = p_in / (p_in + p_out) if p_in + p_out > 0 else 0.0
    r_lo = in_lo / (in_lo + out_hi) if in_lo + out_hi > 0 else 0.0
    r_hi = in_hi / (in_hi + out_lo) if in_hi + out_lo > 0 else 1.0
    o_lo, o_hi = share_ci(n_out, at_absent)
    spell = Estimate(
        1 / p_out if p_out > 0 else float("nan"),
        1 / o_hi if o_hi > 0 else float("nan"),
        1 / o_lo if o_lo > 0 else float("inf"),
        "Markov chain, Clopper-Pearson",
        src,
    )
    n = len(days)
    return {
        "caseworkers": Estimate(float(n), float(n), float(n), "count", f"{path}: {n} caseworkers"),
        "absence_rate": Estimate(
            r, r_lo, r_hi, "Markov chain, Clopper-Pearson (conservative)", src
        ),
        "absence_spell_days_mean": spell,
        "spells": spells,
    }


def share_of(mask: pd.Series, source: str) -> Estimate:
    """The share of True in ``mask``, Clopper–Pearson."""
    return share(int(mask.sum()), int(mask.size), source)
