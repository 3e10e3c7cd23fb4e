"""Benchmark officeq's sweep machinery: parallel speed-up, per-run overhead, common random numbers.

Run from anywhere with the project's virtualenv:

    python bench/bench_sweep.py            # full: 3 repeats, R=20 for (c) (~2-3 minutes, 2 cores)
    python bench/bench_sweep.py --quick    # 1 repeat, R=8 for (c) (~1 minute)

Timings are medians of the repeats (wall: perf_counter; CPU: getrusage of this process and its
reaped pool workers), interleaved in alternating order. Other work on the machine shows in every
figure: the load average is printed first and last. Figures:

(a) speed-up   a 16-run sweep (baseline office, caseworkers 16 and 18 × 8 replications, 120 days)
               by plan() + execute() into a fresh Store, make_executor("local", workers=1) (in
               process) vs workers=2 (process pool), store creation and pool start-up included.
               Goal: 1-worker s / 2-worker s >= 1.7 on 2 cores. Beside it, to tell a slow pool
               from a slow machine: cores used (CPU s / wall s), the pool's CPU s over the
               in-process CPU s (> 1: a run costs more CPU when two run at once), start-up alone.
(b) overhead   8 one-year baseline runs (425 days) through the sweep with workers=1, with run()
               wrapped in a timer: overhead per run = (sweep s - s inside run()) / 8, as % of the
               median run(); goal < 5%. Beside it, the same runs (same seeds) as a plain run()
               loop: (sweep s - loop s) / 8 means the same but drowns in run-to-run noise. Parts
               alone: store.add() (parquet + SQLite commit); pickling (process pool only).
(c) CRN        var of the 15 - 17 caseworker difference of two metrics (150 days) over R
               replications, common random numbers (both levels seeded replication_seed(2025, r))
               vs independent streams (seeds 7777 and 9999, runs of their own so the variances
               are independent). Goal: var independent / var CRN >= 2 and one-sided F-test p <
               0.05; the F-test assumes normal differences, so Brown-Forsythe's p is beside it.
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import stats

import officeq.experiments.sweep
from officeq.config.loading import load_config, read_yaml
from officeq.experiments.spec import Spec, expand, replication_seed
from officeq.experiments.store import Store
from officeq.experiments.sweep import RunSpec, execute, make_executor, plan, run_one
from officeq.measure.run import run

BASELINE_YAML = Path(__file__).resolve().parent.parent / "configs" / "baseline.yaml"
METRICS = ("followup_backlog_mean", "inquiry_wait_hours_mean")
N = 8  # runs of (b)


def experiment(name, replications, horizon_days, warmup_days, grid=None):
    fields = {"horizon_days": horizon_days, "warmup_days": warmup_days, "grid": grid or {}}
    spec = Spec(name=name, base="baseline.yaml", replications=replications, **fields)
    return expand(spec, read_yaml(BASELINE_YAML), "bench")


def clock():
    """(wall s, CPU s of this process and its reaped children: the pool's workers)."""
    ru = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return time.perf_counter(), sum(r.ru_utime + r.ru_stime for r in ru)


def sweep_seconds(exp, workers):
    """(wall s, CPU s, wall s outside run() per run, median run() s) of a whole sweep of ``exp``
    into a fresh store, pool start-up included; the last two need workers=1 (else 0)."""
    inside = []

    def timed_run(cfg, progress=None):
        t0 = time.perf_counter()
        try:
            return run(cfg, progress)
        finally:
            inside.append(time.perf_counter() - t0)

    officeq.experiments.sweep.run = (
        timed_run  # run_one looks run up in officeq.experiments.sweep at each call
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            (w0, c0), n = clock(), len(exp.scenarios) * exp.replications()
            store = Store(Path(tmp) / "store.sqlite", exp.fingerprint, resume=False)
            with make_executor("local", workers=workers) as executor:
                execute(plan(exp, exp.replications(), set()), executor, store)
            (w1, c1), done = clock(), len(store.done())  # the pool's workers are reaped by now
            store.close()
    finally:
        officeq.experiments.sweep.run = run
    assert done == n, done
    if len(inside) < n:  # the runs happened in pool workers
        return w1 - w0, c1 - c0, 0.0, 0.0
    return w1 - w0, c1 - c0, (w1 - w0 - sum(inside)) / n, statistics.median(inside)


def direct_seconds(cfg, seeds):
    """(wall s, CPU s) of plain run() calls in a loop."""
    start = clock()
    for seed in seeds:
        run(cfg.model_copy(update={"seed": seed}))
    return tuple(b - a for a, b in zip(start, clock(), strict=True))


def machinery_parts(spec):
    """Median ms of store.add(), of a pickle round trip of a RunSpec and its result, and of
    starting a 2-process pool, running a no-op on it and shutting it down."""
    out, times = run_one(spec), {"add": [], "pickle": [], "pool": []}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store.sqlite", "parts", resume=False)
        for r in range(N):
            t0 = time.perf_counter()
            store.add(out[0], r, out[2], out[3], out[4])
            t1 = time.perf_counter()
            pickle.loads(pickle.dumps(spec))
            pickle.loads(pickle.dumps(out))
            t2 = time.perf_counter()
            with make_executor("local", workers=2) as executor:
                list(executor.map(abs, range(2)))
            for key, dt in zip(times, (t1 - t0, t2 - t1, time.perf_counter() - t2), strict=True):
                times[key].append(dt)
        store.close()
    return [1000 * statistics.median(x) for x in times.values()]


def metrics(cfg):
    """The (c) metrics of one run (top level, so a process pool can pickle it)."""
    summary = run(cfg).summary
    return [float(summary[m]) for m in METRICS]


def crn(replications):
    """Differences 15 - 17 caseworkers, as [design (common, independent), replication, metric]."""
    levels = {
        c: load_config(BASELINE_YAML, [f"staff.caseworkers={c}"], horizon_days=150, warmup_days=30)
        for c in (15, 17)
    }
    jobs = [
        levels[c].model_copy(update={"seed": replication_seed(base, r)})
        for seeds in ((2025, 2025), (7777, 9999))  # common, independent
        for r in range(replications)
        for c, base in zip((15, 17), seeds, strict=True)
    ]
    with make_executor("local", workers=2) as executor:
        res = np.array(list(executor.map(metrics, jobs))).reshape(2, replications, 2, len(METRICS))
    return res[:, :, 0, :] - res[:, :, 1, :]


def goal(ok, text):
    return f"goal {text}  {'PASS' if ok else 'MISS'}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 repeat, R=8 for (c) (~1 minute)")
    ap.add_argument("--repeats", type=int, default=None, help="timing repeats (default 3)")
    args = ap.parse_args()
    repeats = args.repeats or (1 if args.quick else 3)
    reps_crn = 8 if args.quick else 20
    load = "/".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"officeq sweep benchmark ({'quick' if args.quick else 'full'}; timings: median of "
        f"{repeats}; os.cpu_count() = {os.cpu_count()}; load average at start {load})\n"
        "(a) 16-run sweep (2 scenarios x 8 replications, 120 days), workers=1 vs workers=2, "
        "pool start-up included;\n    goal: speed-up 1-worker / 2-worker >= 1.7 on 2 cores\n"
        f"(b) {N} one-year baseline runs (425 days) through the sweep (workers=1): wall time "
        "outside run() per run;\n    goal: < 5% of the median run (beside it: vs a plain loop)\n"
        f"(c) caseworkers 15 vs 17 (150 days), R={reps_crn}: var(diff) with common vs "
        "independent random numbers;\n    goal: ratio independent / CRN >= 2, "
        "one-sided F-test p < 0.05\n"
    )
    exp16 = experiment("bench", 8, 120, 20, {"staff.caseworkers": [16, 18]})
    exp8 = experiment("overhead", N, 425, 60)
    cfg = exp8.scenarios[0].config
    seeds = [replication_seed(exp8.spec.seed, r) for r in range(N)]
    tasks = {
        "a1": lambda: sweep_seconds(exp16, 1),
        "a2": lambda: sweep_seconds(exp16, 2),
        "loop": lambda: direct_seconds(cfg, seeds),
        "b1": lambda: sweep_seconds(exp8, 1),
        "b2": lambda: sweep_seconds(exp8, 2),
    }
    samples = {k: [] for k in tasks}
    for i in range(repeats):  # interleaved, in alternating order
        for key in list(tasks)[:: 1 if i % 2 == 0 else -1]:
            samples[key].append(tasks[key]())
    med = {k: [statistics.median(col) for col in zip(*v, strict=True)] for k, v in samples.items()}
    w, c = {k: v[0] for k, v in med.items()}, {k: v[1] for k, v in med.items()}  # wall s, CPU s
    speedup = w["a1"] / w["a2"]
    over, per_run = med["b1"][2], med["b1"][3]
    vs_loop = (w["b1"] - w["loop"]) / N
    loops = [s[0] for s in samples["loop"]]
    spread = f"loop's spread (max - min) / median {(max(loops) - min(loops)) / w['loop']:.1%}"
    spread = spread if repeats > 1 else "(one repeat: no spread to show the noise)"
    add_ms, pickle_ms, start_ms = machinery_parts(RunSpec(0, 0, seeds[0], cfg))
    busy = "" if c["a2"] / w["a2"] >= 1.8 else "; other work held a core: rerun when idle"
    note_b = f"{over / per_run:.2%} of a run; " + goal(over / per_run < 0.05, "< 5%")
    rows = [
        ("(a) 16-run sweep, workers=1, s", f"{w['a1']:.3f}", f"CPU s {c['a1']:.3f}"),
        ("    16-run sweep, workers=2, s", f"{w['a2']:.3f}", f"CPU s {c['a2']:.3f}"),
        ("    speed-up 1-worker / 2-worker", f"{speedup:.3f}", goal(speedup >= 1.7, ">= 1.7")),
        (
            "    cores used by workers=2 (CPU s / s)",
            f"{c['a2'] / w['a2']:.2f}",
            "2.00 = both" + busy,
        ),
        ("    CPU s workers=2 / workers=1", f"{c['a2'] / c['a1']:.3f}", "1.00 = no extra work"),
        ("    2-process pool start-up + no-op, ms", f"{start_ms:.1f}", "(inside the 2-worker s)"),
        (f"(b) {N}-run sweep, workers=1, s", f"{w['b1']:.3f}", f"CPU s {c['b1']:.3f}"),
        ("    median run() inside it, s", f"{per_run:.3f}", "(425 days)"),
        ("    overhead per run, ms", f"{1000 * over:.1f}", note_b),
        (f"    {N} run() calls in a plain loop, s", f"{w['loop']:.3f}", f"CPU s {c['loop']:.3f}"),
        ("    (sweep s - loop s) / run, ms", f"{1000 * vs_loop:.1f}", spread),
        ("    parts: store.add(), ms", f"{add_ms:.1f}", "(parquet + SQLite commit, fsync)"),
        ("    parts: pickle round trip, ms", f"{pickle_ms:.1f}", "(RunSpec + result; pool only)"),
        (f"    {N}-run sweep, workers=2, s", f"{w['b2']:.3f}", f"information; CPU s {c['b2']:.3f}"),
    ]

    diffs = crn(reps_crn)
    for i, metric in enumerate(METRICS):
        (v_crn, v_ind), d_mean = diffs[:, :, i].var(axis=1, ddof=1), diffs[0, :, i].mean()
        ratio = v_ind / v_crn
        p = stats.f.sf(ratio, reps_crn - 1, reps_crn - 1)
        bf = stats.levene(*diffs[:, :, i], center="median").pvalue
        note = f"F-test p = {p:.2g}; " + goal(ratio >= 2 and p < 0.05, ">= 2, p < 0.05")
        note += f" (Brown-Forsythe p = {bf:.2g})"
        rows += [
            (f"{'(c)' if i == 0 else '   '} {metric}", "", ""),
            (
                "    var diff, common random numbers",
                f"{v_crn:.4g}",
                f"mean diff 15-17 {d_mean:.4g}",
            ),
            ("    var diff, independent streams", f"{v_ind:.4g}", ""),
            ("    ratio independent / CRN", f"{ratio:.2f}", note),
        ]

    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'value':>10}  note")
    print("-" * (width + 40))
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    print("load average at end " + "/".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
