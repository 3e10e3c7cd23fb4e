"""Benchmark officeq's speed and memory against a textbook SimPy model.

Run from anywhere with the project's virtualenv:

    python bench/bench_model.py            # full: 5 repeats, ~200,000 inquiries, 1 and 10 years
    python bench/bench_model.py --quick    # 3 repeats, smaller sizes (~40 s)

Every timing is wall time (time.perf_counter), repeated; the table prints the median and the
spread (min-max) of the repeats, and every ratio is of two medians from the same run. When two
things are compared their repeats are interleaved (A B A B ...), so drift in the machine's speed
falls on both sides alike. Figures:

The speed baseline, bench/plain_mmc.py: the M/M/c queue as a user would write it with SimPy:
the standard library's random (random.Random(seed).expovariate), simpy.Resource, one process per
customer and one generating the arrivals; no numpy and no logging. Its queue is officeq's M/M/c
reduction (configs/validation/mmc.yaml) with 20 caseworkers, utilisation 0.85 and exponential
handling with mean 10 min, run from empty for ~200,000 arrivals (quick: ~30,000).

(a) in-process     officeq's run() of the M/M/c reduction (the config loaded outside the timing)
                   against plain_mmc.simulate(), both imported and warmed up once in this
                   process; ratio officeq / plain, goal <= 0.35. Both models' mean waits are
                   printed beside the Erlang C mean wait (officeq's theory function), to show
                   they compute the same queue.
(b) whole process  the same two runs as commands in fresh processes, start-up, imports, config
                   and output included: `python -m officeq run configs/validation/mmc.yaml --set
                   staff.caseworkers=20 --set work.inquiry.arrivals_per_day=2448 --days N
                   --warmup-days 0` against `python bench/plain_mmc.py` with the same queue and
                   length; ratio officeq / plain, goal <= 0.5. The plain script's printed mean
                   wait is checked against (a)'s (same seed, so the same number).
(f) CLI start      `python -m officeq --help` against `python -c "import numpy, simpy"` (the
                   libraries any officeq command needs), each a fresh process, 15 runs each
                   (quick: 5); ratio of the medians, goal <= 2.0.
(c) s / sim year   wall time of the baseline office (configs/baseline.yaml, 365 days after a
                   60-day warm-up; quick: 120) per simulated year; no goal.
(e) steering       the strong_targets regime (configs/regimes/strong_targets.yaml: the baseline
                   office with outcomes, failure demand, weekly review, directives and gaming)
                   per simulated year, interleaved with (c), and its ratio to (c): the cost of
                   steering; goal <= 1.5.
(g) organisation   the pooled office (configs/variants/pooled.yaml: the baseline office with a
                   pooled caseload, no booked meetings and unlimited overtime, as before issue 12)
                   per simulated year, interleaved with (c), and the baseline's ratio to it: the
                   cost of own caseloads, diaries and overtime caps; goal <= 1.5.
(h) case           the one-touch office (configs/variants/one_touch.yaml: the baseline office with
                   income support as one task per application, as before issue 13) per simulated
                   year, interleaved with (c), and the baseline's ratio to it: the cost of income
                   support as a case of steps that waits on the user; goal <= 1.3.
(i) before       the hot path against the code before issue 17 (--before, default a40aab5; a git
                   revision, checked out into a temporary worktree, or a folder with officeq/),
                   each run a fresh process timing run() alone (bench/versus.py), the two
                   versions alternating: the baseline office now against the pooled, one-touch
                   office (pooled.yaml with income support as one task: the office before issues
                   12 and 13) then, goal <= 0.75 (the richer office for less than the simpler one
                   cost); large_urban now against then, goal <= 0.67. --before none skips it.
(d) memory         peak memory of the baseline office for 365 and 3650 days (quick: 120 and 365),
                   each once in a fresh subprocess: tracemalloc peak of run() alone and the
                   process's maximum resident set size (ru_maxrss; VmHWM beside it). Goal: the
                   process peak's long/short ratio < 1.2. The tracemalloc figure is stricter: it
                   is the Python heap of run() alone, including the one-row-a-day output table,
                   and its growth per simulated day is printed. The children run first: on Linux
                   a child's ru_maxrss starts at its parent's peak RSS, so a grown parent would
                   mask theirs.

Untimed warm-ups come first, so neither side pays a cold cache: each CLI start command runs once
before (f) (which warms the file and bytecode caches for (b) too), and both (a) models and both
offices run a few simulated days in this process before they are timed (lazy imports).
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

from officeq import load_config, run

try:
    from officeq.validation.theory import mmc
except ImportError:  # the layout before the package was split into sub-packages
    from officeq.theory import mmc

sys.path.insert(0, str(Path(__file__).resolve().parent))
import versus
from plain_mmc import simulate  # bench/ is not a package

ROOT = Path(__file__).resolve().parent.parent
PLAIN_PY = Path(__file__).resolve().parent / "plain_mmc.py"
MMC_YAML = ROOT / "configs" / "validation" / "mmc.yaml"
BASELINE_YAML = ROOT / "configs" / "baseline.yaml"
STRONG_YAML = ROOT / "configs" / "regimes" / "strong_targets.yaml"
POOLED_YAML = ROOT / "configs" / "variants" / "pooled.yaml"
ONE_TOUCH_YAML = ROOT / "configs" / "variants" / "one_touch.yaml"
SERVERS, UTILISATION, MU = 20, 0.85, 6.0  # service rate per hour (mean 10 minutes)
LAM = UTILISATION * SERVERS * MU  # arrivals per hour
SEED = 11  # the plain model's seed (officeq uses mmc.yaml's, also 11)
WARMUP_DAYS = 60
GOAL_IN_PROCESS, GOAL_WHOLE, GOAL_START, GOAL_STEERING, GOAL_MEMORY = 0.35, 0.5, 2.0, 1.5, 1.2
GOAL_ORGANISATION, GOAL_CASE = 1.5, 1.3
GOAL_BASE_THEN, GOAL_URBAN_THEN = 0.75, 0.67
BEFORE = "a40aab5"  # main before issue 17 (the hot path)
POOLED_ONE_TOUCH = ("configs/variants/pooled.yaml", ["work.income_support.process=null"])


def interleaved(fns, repeats, warmup=False):
    """Time the callables in ``fns`` (name -> fn) in turns, A B A B ..., ``repeats`` each.

    Returns name -> (list of wall times, the last call's return value). With ``warmup``,
    each is called once untimed first.
    """
    if warmup:
        for fn in fns.values():
            fn()
    times = {name: [] for name in fns}
    out = dict.fromkeys(fns)
    for _ in range(repeats):
        for name, fn in fns.items():
            out[name] = None  # free the previous result before the next call
            t0 = time.perf_counter()
            out[name] = fn()
            times[name].append(time.perf_counter() - t0)
    return {name: (times[name], out[name]) for name in fns}


def command(cmd):
    """A callable running ``cmd`` in a fresh process; it returns the process's stdout."""

    def call():
        return checked(cmd)

    return call


def checked(cmd):
    """Run ``cmd`` in ROOT and return its stdout; on failure, stop with its stderr."""
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return proc.stdout


def spread(times, scale=1.0, digits=3):
    """``min-max`` of ``times`` (times ``scale``)."""
    return f"{min(times) * scale:.{digits}f}-{max(times) * scale:.{digits}f}"


def officeq_mmc_config(horizon_days):
    overrides = [f"staff.caseworkers={SERVERS}", f"work.inquiry.arrivals_per_day={LAM * 24!r}"]
    return load_config(MMC_YAML, overrides, horizon_days=horizon_days, warmup_days=0)


def officeq_mmc_command(horizon_days):
    return [
        sys.executable,
        "-m",
        "officeq",
        "run",
        str(MMC_YAML),
        "--set",
        f"staff.caseworkers={SERVERS}",
        "--set",
        f"work.inquiry.arrivals_per_day={LAM * 24!r}",
        "--days",
        repr(horizon_days),
        "--warmup-days",
        "0",
    ]


def plain_mmc_command(horizon_days):
    return [
        sys.executable,
        str(PLAIN_PY),
        "--servers",
        str(SERVERS),
        "--lam",
        repr(LAM),
        "--mu",
        repr(MU),
        "--hours",
        repr(horizon_days * 24),
        "--seed",
        str(SEED),
    ]


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
    return json.loads(checked(cmd).strip().splitlines()[-1])


def before_rows(spec, repeats, year_days):
    """(i): the baseline and large_urban now against the code ``spec`` (fresh processes)."""
    days, warmup = year_days + WARMUP_DAYS, WARMUP_DAYS
    offices = {
        "base": ("configs/baseline.yaml", [], days, warmup),
        "simple": (*POOLED_ONE_TOUCH, days, warmup),
        "urban": ("configs/large_urban.yaml", [], days, warmup),
    }
    try:
        with versus.version(spec) as before:
            times = {"base": [], "simple": [], "urban": [], "urban_then": []}
            for _ in range(repeats):  # now, then, now, then ...
                for key, where, office in (
                    ("base", versus.ROOT, offices["base"]),
                    ("simple", before, offices["simple"]),
                    ("urban", versus.ROOT, offices["urban"]),
                    ("urban_then", before, offices["urban"]),
                ):
                    times[key].append(versus.timed(where, office)["seconds"] * 365 / days)
    except SystemExit as stop:
        return [(f"(i) against {spec}", "", "", f"skipped: {stop}")]
    med = {k: statistics.median(v) for k, v in times.items()}
    r_base, r_urban = med["base"] / med["simple"], med["urban"] / med["urban_then"]
    return [
        ("(i) baseline now, s / simulated year", f"{med['base']:.3f}", spread(times["base"]), ""),
        (
            f"    pooled one-touch office at {spec}",
            f"{med['simple']:.3f}",
            spread(times["simple"]),
            "the office before issues 12-13, as the code before issue 17 ran it",
        ),
        (
            "    ratio baseline now / pooled one-touch then",
            f"{r_base:.3f}",
            "",
            goal(r_base <= GOAL_BASE_THEN, f"<= {GOAL_BASE_THEN}"),
        ),
        (
            "    large_urban now, s / simulated year",
            f"{med['urban']:.3f}",
            spread(times["urban"]),
            "",
        ),
        (
            f"    large_urban at {spec}",
            f"{med['urban_then']:.3f}",
            spread(times["urban_then"]),
            "",
        ),
        (
            "    ratio large_urban now / then",
            f"{r_urban:.3f}",
            "",
            goal(r_urban <= GOAL_URBAN_THEN, f"<= {GOAL_URBAN_THEN}"),
        ),
    ]


def goal(ok, text):
    return f"goal {text}  {'PASS' if ok else 'MISS'}"


def vs(value, reference):
    return f"{value / reference - 1:+.1%} vs Erlang C"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 repeats and smaller sizes (~40 s)")
    ap.add_argument("--repeats", type=int, default=None, help="timing repeats (default 5)")
    ap.add_argument(
        "--start-runs", type=int, default=None, help="runs of each CLI start (default 15)"
    )
    ap.add_argument(
        "--before",
        default=BEFORE,
        help=f"code to compare against in (i): git revision or folder (default {BEFORE}; none)",
    )
    ap.add_argument("--memory-child", type=float, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child is not None:
        memory_child(args.memory_child)
        return

    repeats = args.repeats or (3 if args.quick else 5)
    start_runs = args.start_runs or (5 if args.quick else 15)
    inquiries = 30_000 if args.quick else 200_000
    short_days, long_days = (120, 365) if args.quick else (365, 3650)
    year_days = 120 if args.quick else 365
    horizon_days = inquiries / (LAM * 24)
    theory = mmc(LAM, MU, SERVERS)

    print(
        f"officeq benchmark ({'quick' if args.quick else 'full'}; timings: median and min-max "
        f"of {repeats} interleaved repeats, CLI start of {start_runs})"
    )
    print(
        f"M/M/c queue: c={SERVERS}, rho={UTILISATION}, lambda={LAM:g}/h, mu={MU:g}/h, "
        f"{horizon_days:.2f} days from empty (~{inquiries:,} arrivals)\n"
        "(a) in-process: officeq run() vs plain_mmc.simulate() (stdlib random, simpy.Resource);"
        f"\n    goal: officeq / plain <= {GOAL_IN_PROCESS}; mean waits should match Erlang C\n"
        "(b) whole process: `python -m officeq run ...` vs `python bench/plain_mmc.py ...`; "
        f"goal: officeq / plain <= {GOAL_WHOLE}\n"
        '(f) CLI start: `python -m officeq --help` vs `python -c "import numpy, simpy"`; '
        f"goal: ratio <= {GOAL_START}\n"
        f"(c) baseline office (configs/baseline.yaml), {year_days} days after a "
        f"{WARMUP_DAYS}-day warm-up: wall seconds per simulated year; no goal\n"
        f"(e) strong_targets regime per simulated year; goal: <= {GOAL_STEERING} x the "
        "baseline office\n"
        f"(g) pooled office (configs/variants/pooled.yaml) per simulated year; goal: baseline "
        f"<= {GOAL_ORGANISATION} x pooled\n"
        f"(h) one-touch office (configs/variants/one_touch.yaml) per simulated year; goal: "
        f"baseline <= {GOAL_CASE} x one-touch\n"
        f"(i) against {args.before}: baseline now / pooled one-touch office then, goal <= "
        f"{GOAL_BASE_THEN}; large_urban now / then, goal <= {GOAL_URBAN_THEN}\n"
        f"(d) baseline office, {short_days} and {long_days} days in fresh processes: "
        "tracemalloc peak of run() and maxrss;\n"
        f"    goal: process peak (maxrss) ratio long/short < {GOAL_MEMORY}\n"
    )
    rows = []

    # first, while this process is small: on Linux a child's ru_maxrss starts at the parent's peak
    mem = {days: memory(days) for days in (short_days, long_days)}

    # (f) and (b): fresh processes, before this process imports much or grows
    start = interleaved(
        {
            "officeq": command([sys.executable, "-m", "officeq", "--help"]),
            "libs": command([sys.executable, "-c", "import numpy, simpy"]),
        },
        start_runs,
        warmup=True,
    )
    whole = interleaved(
        {
            "officeq": command(officeq_mmc_command(horizon_days)),
            "plain": command(plain_mmc_command(horizon_days)),
        },
        repeats,
    )

    # (a): in this process, after a warm-up of one simulated day each
    run(officeq_mmc_config(1.0))
    simulate(SERVERS, LAM, MU, 24.0, SEED)
    cfg = officeq_mmc_config(horizon_days)
    inproc = interleaved(
        {
            "officeq": lambda: run(cfg).summary,
            "plain": lambda: simulate(SERVERS, LAM, MU, horizon_days * 24, SEED),
        },
        repeats,
    )

    (t_oq, summary), (t_plain, waits) = inproc["officeq"], inproc["plain"]
    m_oq, m_plain = statistics.median(t_oq), statistics.median(t_plain)
    ratio, arrived = m_oq / m_plain, summary["inquiries_arrived"]
    wait_oq, wait_plain = summary["inquiry_wait_hours_mean"], sum(waits) / len(waits)
    rows += [
        ("(a) in-process, officeq run(), s", f"{m_oq:.3f}", spread(t_oq), ""),
        ("    inquiries arrived", f"{arrived:,}", "", f"{arrived / inquiries - 1:+.1%} vs target"),
        ("    in-process, plain simulate(), s", f"{m_plain:.3f}", spread(t_plain), ""),
        ("    customers started service", f"{len(waits):,}", "", ""),
        (
            "    ratio officeq / plain",
            f"{ratio:.3f}",
            "",
            goal(ratio <= GOAL_IN_PROCESS, f"<= {GOAL_IN_PROCESS}"),
        ),
        ("    mean wait h, Erlang C", f"{theory.wait_mean:.5f}", "", ""),
        ("    mean wait h, officeq", f"{wait_oq:.5f}", "", vs(wait_oq, theory.wait_mean)),
        ("    mean wait h, plain", f"{wait_plain:.5f}", "", vs(wait_plain, theory.wait_mean)),
    ]

    (w_oq, _), (w_plain, plain_out) = whole["officeq"], whole["plain"]
    mw_oq, mw_plain = statistics.median(w_oq), statistics.median(w_plain)
    same = f"mean wait {wait_plain:.6f} h over {len(waits)} customers" == plain_out.strip()
    rows += [
        ("(b) whole process, officeq run, s", f"{mw_oq:.3f}", spread(w_oq), ""),
        (
            "    whole process, plain_mmc.py, s",
            f"{mw_plain:.3f}",
            spread(w_plain),
            "prints the same mean wait as (a)" if same else f"MISMATCH: {plain_out.strip()}",
        ),
        (
            "    ratio officeq / plain",
            f"{mw_oq / mw_plain:.3f}",
            "",
            goal(mw_oq / mw_plain <= GOAL_WHOLE, f"<= {GOAL_WHOLE}"),
        ),
    ]

    (s_oq, _), (s_libs, _) = start["officeq"], start["libs"]
    ms_oq, ms_libs = statistics.median(s_oq), statistics.median(s_libs)
    r_start = ms_oq / ms_libs
    rows += [
        ("(f) CLI start, officeq --help, s", f"{ms_oq:.3f}", spread(s_oq), ""),
        ("    import numpy, simpy, s", f"{ms_libs:.3f}", spread(s_libs), ""),
        (
            "    ratio officeq / numpy+simpy",
            f"{r_start:.3f}",
            "",
            goal(r_start <= GOAL_START, f"<= {GOAL_START}"),
        ),
    ]

    base = load_config(BASELINE_YAML, horizon_days=year_days + WARMUP_DAYS, warmup_days=WARMUP_DAYS)
    strong = load_config(STRONG_YAML, horizon_days=year_days + WARMUP_DAYS, warmup_days=WARMUP_DAYS)
    pooled = load_config(POOLED_YAML, horizon_days=year_days + WARMUP_DAYS, warmup_days=WARMUP_DAYS)
    one_touch = load_config(
        ONE_TOUCH_YAML, horizon_days=year_days + WARMUP_DAYS, warmup_days=WARMUP_DAYS
    )
    for path in (BASELINE_YAML, STRONG_YAML, POOLED_YAML, ONE_TOUCH_YAML):  # warm-up
        run(load_config(path, horizon_days=7, warmup_days=0))
    offices = interleaved(
        {
            "base": lambda: run(base),
            "strong": lambda: run(strong),
            "pooled": lambda: run(pooled),
            "one_touch": lambda: run(one_touch),
        },
        repeats,
    )
    (t_base, _), (t_strong, r_strong) = offices["base"], offices["strong"]
    t_pooled, t_one = offices["pooled"][0], offices["one_touch"][0]
    m_pooled, m_one = statistics.median(t_pooled), statistics.median(t_one)
    m_base, m_strong = statistics.median(t_base), statistics.median(t_strong)
    per_year = 365 / base.horizon_days
    cost = m_strong / m_base
    rows += [
        (
            "(c) baseline s / simulated year",
            f"{m_base * per_year:.3f}",
            spread(t_base, per_year),
            f"(run of {base.horizon_days:g} days: {m_base:.3f} s)",
        ),
        (
            "(e) strong_targets s / simulated year",
            f"{m_strong * per_year:.3f}",
            spread(t_strong, per_year),
            f"({r_strong.summary['directives_issued']} directives, "
            f"{r_strong.summary['followup_contacts_short']} short contacts)",
        ),
        (
            "    ratio strong_targets / baseline",
            f"{cost:.3f}",
            "",
            goal(cost <= GOAL_STEERING, f"<= {GOAL_STEERING}"),
        ),
        (
            "(g) pooled office s / simulated year",
            f"{m_pooled * per_year:.3f}",
            spread(t_pooled, per_year),
            "",
        ),
        (
            "    ratio baseline / pooled",
            f"{m_base / m_pooled:.3f}",
            "",
            goal(m_base / m_pooled <= GOAL_ORGANISATION, f"<= {GOAL_ORGANISATION}"),
        ),
        (
            "(h) one-touch office s / simulated year",
            f"{m_one * per_year:.3f}",
            spread(t_one, per_year),
            "",
        ),
        (
            "    ratio baseline / one-touch",
            f"{m_base / m_one:.3f}",
            "",
            goal(m_base / m_one <= GOAL_CASE, f"<= {GOAL_CASE}"),
        ),
    ]

    if args.before != "none":
        rows += before_rows(args.before, repeats, year_days)

    for key, label, scale in (
        ("tracemalloc_peak_bytes", "tracemalloc peak of run()", 1024 * 1024),
        ("maxrss_kib", "maxrss of the process", 1024),
    ):
        for days in (short_days, long_days):
            tag = "(d)" if key == "tracemalloc_peak_bytes" and days == short_days else "   "
            hwm = mem[days]["vmhwm_kib"]
            note = f"(VmHWM {hwm / 1024:.2f})" if key == "maxrss_kib" and hwm else ""
            rows.append(
                (f"{tag} {label}, {days} d, MiB", f"{mem[days][key] / scale:.2f}", "", note)
            )
        r = mem[long_days][key] / mem[short_days][key]
        if key == "maxrss_kib":
            rows.append(
                (
                    f"    ratio {long_days} d / {short_days} d",
                    f"{r:.3f}",
                    "",
                    goal(r < GOAL_MEMORY, f"< {GOAL_MEMORY}"),
                )
            )
        else:  # the Python heap of run() alone: what grows is the one-row-a-day output table
            per_day = (mem[long_days][key] - mem[short_days][key]) / (long_days - short_days)
            rows.append(
                (
                    f"    ratio {long_days} d / {short_days} d",
                    f"{r:.3f}",
                    "",
                    "no goal: heap of run() incl. its daily table",
                )
            )
            rows.append(
                (
                    "    heap growth per simulated day, bytes",
                    f"{per_day:.0f}",
                    "",
                    "daily.csv row + calendar day; the simulation state is flat",
                )
            )

    width = max(len(r[0]) for r in rows)
    spread_width = max(len("min-max"), *(len(r[2]) for r in rows))
    print(f"{'figure':<{width}}  {'median':>12}  {'min-max':<{spread_width}}  note")
    print("-" * (width + spread_width + 50))
    for name, value, rng, note in rows:
        print(f"{name:<{width}}  {value:>12}  {rng:<{spread_width}}  {note}".rstrip())


if __name__ == "__main__":
    main()
