"""Forecast speed and coverage (issue 14).

Speed: 100 replications x 13 weeks of the baseline from a snapshot, on the
machine's cores, against the goal of a minute. Coverage: run the baseline for
D days, snapshot, forecast 8 weeks, continue the original run, and count the
weeks whose actual follow-up backlog lies inside the 5-95% band (goal: about
90%); the interval is over seeds (weeks of one seed are correlated).

    .venv/bin/python bench/bench_forecast.py [--seeds 20] [--replications 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

import numpy as np

from officeq.api import load_config, run
from officeq.experiments.forecast import forecast

D = 100


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--replications", type=int, default=100)
    args = ap.parse_args()
    workers = os.cpu_count() or 1
    cfg = load_config("configs/baseline.yaml", horizon_days=D + 91, warmup_days=0)
    snap = run(cfg, snapshot_at=D).snapshot
    start = cfg.start_date + dt.timedelta(days=D)
    later = load_config(cfg, horizon_days=91, start_date=start)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        forecast({"baseline": later}, snap, 13, args.replications, 1, workers)
        times.append(time.perf_counter() - t)
    med = float(np.median(times))
    verdict = "met" if med < 60 else "MISSED"
    print(
        f"speed: {args.replications} replications x 13 weeks on {workers} cores: median "
        f"{med:.1f} s (min {min(times):.1f}, max {max(times):.1f}); goal < 60 s: {verdict}",
        flush=True,
    )
    inside = []
    for s in range(args.seeds):
        c = load_config(cfg, seed=1000 + s, horizon_days=D + 56)
        original = run(c, snapshot_at=D)
        lat = load_config(c, horizon_days=56, start_date=start)
        table = forecast({"p": lat}, original.snapshot, 8, args.replications, 7 + s, workers)
        band = table[table["metric"] == "followup_backlog"].sort_values("week")
        actual = original.daily["followup_overdue"].to_numpy()[D + 6 :: 7][:8]
        ok = (band["p5"].to_numpy() <= actual) & (actual <= band["p95"].to_numpy())
        inside.append(ok.mean())
    inside_a = np.array(inside)
    m = inside_a.mean()
    half = 1.96 * inside_a.std(ddof=1) / np.sqrt(len(inside_a))
    print(
        f"coverage of the 5-95% band, follow-up backlog, {args.seeds} seeds x 8 weeks: "
        f"{m:.1%} (95% interval {m - half:.1%} to {m + half:.1%})"
    )


if __name__ == "__main__":
    main()
