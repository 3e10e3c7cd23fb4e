"""Benchmark officeq's speed and memory against a plain SimPy model.

Run from anywhere with the project's virtualenv:

    python bench/bench_model.py            # full: 3 repeats, ~200,000 inquiries, 1 and 10 years
    python bench/bench_model.py --quick    # 1 repeat, smaller sizes (~20 s)

Timings are medians of the repeats (time.perf_counter). Figures:

(a) officeq s      officeq's M/M/c reduction (configs/validation/mmc.yaml): 20 caseworkers,
                   utilisation 0.85, exponential handling with mean 10 min, ~200,000 inquiries.
(b) plain s        the same queue as a textbook SimPy model (Resource, one process per customer).
    ratio          officeq s / plain s; goal <= 0.5. Both models' mean waits are printed
                   beside the Erlang C mean wait, to show they compute the same queue.
(c) s / sim year   wall time of the baseline office (configs/baseline.yaml) per simulated year.
(e) steering       the strong_targets regime (configs/regimes/strong_targets.yaml: the baseline
                   office with outcomes, failure demand, weekly review, directives and gaming)
                   per simulated year, and its ratio to (c): the cost of steering; goal <= 1.5.
(d) memory         peak memory of the baseline office for 365 and 3650 days (quick: 120 and 365),
                   each in a fresh subprocess: tracemalloc peak of run() alone and the process's
                   maximum resident set size (ru_maxrss; VmHWM beside it). Goal: the process
                   peak's long/short ratio < 1.2. The tracemalloc figure is stricter: it is the
                   Python heap of run() alone, including the one-row-a-day output table, and
                   its growth per simulated day is printed. The children run first: on Linux
                   a child's ru_maxrss starts at its parent's peak RSS, so a grown parent
                   would mask theirs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import simpy

from officeq.configio import load_config
from officeq.model import run
from officeq.theory import mmc

ROOT = Path(__file__).resolve().parent.parent
MMC_YAML = ROOT / "configs" / "validation" / "mmc.yaml"
BASELINE_YAML = ROOT / "configs" / "baseline.yaml"
STRONG_YAML = ROOT / "configs" / "regimes" / "strong_targets.yaml"
SERVERS, UTILISATION, MU = 20, 0.85, 6.0  # service rate per hour (mean 10 minutes)
LAM = UTILISATION * SERVERS * MU  # arrivals per hour
WARMUP_DAYS = 60


def timed(fn, repeats):
    """Median wall time of ``fn()`` over ``repeats`` calls, and the last return value."""
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def officeq_mmc(horizon_days):
    overrides = [f"staff.caseworkers={SERVERS}", f"work.inquiry.arrivals_per_day={LAM * 24}"]
    cfg = load_config(MMC_YAML, overrides, horizon_days=horizon_days, warmup_days=0)
    return lambda: run(cfg).summary


def plain_mmc(horizon_hours, seed=11):
    """The M/M/c queue as a textbook SimPy model; returns the list of waits (hours)."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    res = simpy.Resource(env, capacity=SERVERS)
    waits = []

    def customer(service):
        arrived = env.now
        with res.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(service)

    def source():
        while True:
            yield env.timeout(rng.exponential(1 / LAM))
            env.process(customer(rng.exponential(1 / MU)))

    env.process(source())
    env.run(until=horizon_hours)
    return waits


def vmhwm_kib():
    """This process's own peak RSS (Linux /proc; unlike ru_maxrss, not inherited)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def memory_child(days):
    """Run the baseline office for ``days``; print tracemalloc peak and ru_maxrss as JSON."""
    cfg = load_config(BASELINE_YAML, horizon_days=days, warmup_days=WARMUP_DAYS)
    tracemalloc.start()
    run(cfg)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"tracemalloc_peak_bytes": peak, "maxrss_kib": maxrss_kib, "vmhwm_kib": vmhwm_kib()}
        )
    )


def memory(days):
    cmd = [sys.executable, __file__, "--memory-child", str(days)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def goal(ok, text):
    return f"goal {text}  {'PASS' if ok else 'MISS'}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 repeat and smaller sizes (~20 s)")
    ap.add_argument("--repeats", type=int, default=None, help="timing repeats (default 3)")
    ap.add_argument("--memory-child", type=float, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child is not None:
        memory_child(args.memory_child)
        return

    repeats = args.repeats or (1 if args.quick else 3)
    inquiries = 50_000 if args.quick else 200_000
    short_days, long_days = (120, 365) if args.quick else (365, 3650)
    horizon_days = inquiries / (LAM * 24)
    theory = mmc(LAM, MU, SERVERS)

    print(f"officeq benchmark ({'quick' if args.quick else 'full'}; timings: median of {repeats})")
    print(
        f"(a) officeq M/M/c reduction, (b) plain SimPy M/M/c: c={SERVERS}, rho={UTILISATION}, "
        f"lambda={LAM:g}/h, mu={MU:g}/h, {horizon_days:.2f} days (~{inquiries:,} arrivals);"
        "\n    goal: officeq time / plain time <= 0.5; mean waits should match Erlang C"
    )
    print("(c) baseline office (configs/baseline.yaml): wall seconds per simulated year; no goal")
    print("(e) strong_targets regime per simulated year; goal: <= 1.5 x the baseline office")
    print(
        f"(d) baseline office, {short_days} and {long_days} days in fresh processes: "
        "tracemalloc peak of run() and maxrss;\n    goal: process peak (maxrss) ratio "
        "long/short < 1.2\n"
    )
    # first, while this process is small: on Linux a child's ru_maxrss starts at the parent's peak
    mem = {days: memory(days) for days in (short_days, long_days)}
    t_oq, summary = timed(officeq_mmc(horizon_days), repeats)
    t_plain, waits = timed(lambda: plain_mmc(horizon_days * 24), repeats)
    ratio, arrived = t_oq / t_plain, summary["inquiries_arrived"]
    rows = [
        ("(a) officeq M/M/c, s", f"{t_oq:.3f}", ""),
        ("    inquiries arrived", f"{arrived:,}", f"{arrived / inquiries - 1:+.1%} vs target"),
        ("(b) plain SimPy M/M/c, s", f"{t_plain:.3f}", ""),
        ("    customers arrived", f"{len(waits):,}", "(started service)"),
        ("    ratio officeq / plain", f"{ratio:.3f}", goal(ratio <= 0.5, "<= 0.5")),
        ("    mean wait h, Erlang C", f"{theory.wait_mean:.5f}", ""),
        (
            "    mean wait h, officeq",
            f"{summary['inquiry_wait_hours_mean']:.5f}",
            f"{summary['inquiry_wait_hours_mean'] / theory.wait_mean - 1:+.1%} vs Erlang C",
        ),
        (
            "    mean wait h, plain",
            f"{statistics.fmean(waits):.5f}",
            f"{statistics.fmean(waits) / theory.wait_mean - 1:+.1%} vs Erlang C",
        ),
    ]

    base = load_config(BASELINE_YAML, horizon_days=365 + WARMUP_DAYS, warmup_days=WARMUP_DAYS)
    t_base, _ = timed(lambda: run(base), repeats)
    t_year = t_base * 365 / base.horizon_days
    rows.append(
        (
            "(c) baseline s / simulated year",
            f"{t_year:.3f}",
            f"(run of {base.horizon_days:g} days: {t_base:.3f} s)",
        )
    )

    strong = load_config(STRONG_YAML, horizon_days=365 + WARMUP_DAYS, warmup_days=WARMUP_DAYS)
    t_strong, s_strong = timed(lambda: run(strong), repeats)
    cost = t_strong / t_base
    rows.append(
        (
            "(e) strong_targets s / simulated year",
            f"{t_strong * 365 / strong.horizon_days:.3f}",
            f"({s_strong.summary['directives_issued']} directives, "
            f"{s_strong.summary['followup_contacts_short']} short contacts)",
        )
    )
    rows.append(("    ratio strong_targets / baseline", f"{cost:.3f}", goal(cost <= 1.5, "<= 1.5")))

    for key, label, scale in (
        ("tracemalloc_peak_bytes", "tracemalloc peak of run()", 1024 * 1024),
        ("maxrss_kib", "maxrss of the process", 1024),
    ):
        for days in (short_days, long_days):
            tag = "(d)" if key == "tracemalloc_peak_bytes" and days == short_days else "   "
            hwm = mem[days]["vmhwm_kib"]
            note = f"(VmHWM {hwm / 1024:.2f})" if key == "maxrss_kib" and hwm else ""
            rows.append((f"{tag} {label}, {days} d, MiB", f"{mem[days][key] / scale:.2f}", note))
        r = mem[long_days][key] / mem[short_days][key]
        if key == "maxrss_kib":
            rows.append(
                (f"    ratio {long_days} d / {short_days} d", f"{r:.3f}", goal(r < 1.2, "< 1.2"))
            )
        else:  # the Python heap of run() alone: what grows is the one-row-a-day output table
            per_day = (mem[long_days][key] - mem[short_days][key]) / (long_days - short_days)
            rows.append(
                (
                    f"    ratio {long_days} d / {short_days} d",
                    f"{r:.3f}",
                    "no goal: heap of run() incl. its daily table",
                )
            )
            rows.append(
                (
                    "    heap growth per simulated day, bytes",
                    f"{per_day:.0f}",
                    "daily.csv row + calendar day; the simulation state is flat",
                )
            )

    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'value':>12}  note")
    print("-" * (width + 40))
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>12}  {note}")


if __name__ == "__main__":
    main()
