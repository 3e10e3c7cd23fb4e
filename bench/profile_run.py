"""Where a run's time goes: sampled shares of run() by part of the model.

    python bench/profile_run.py                       # M/M/20 reduction, baseline, large_urban
    python bench/profile_run.py configs/small_rural.yaml --days 200
    python bench/profile_run.py --top 25              # also the busiest functions

Each office runs in a fresh process sampled from outside by py-spy (in the dev extra), 500
times a second, pausing the process to read each sample: unlike cProfile it does not inflate
small calls, and unlike a signal handler inside Python it is not biased to where Python checks
for signals. Only the samples inside the timed run() count (not imports, config or the warm-up
run). Each sample's innermost Python function is put in one part of the model by its file (and a
few by name); time inside a C call (a numpy draw, a heap push) counts to the Python function
that made it.

Below the table, from a second, unsampled run of each office: SimPy events scheduled per task
finished (every timeout, process resume and wake-up is one event), and the wall time.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MMC = (
    "configs/validation/mmc.yaml",
    ["staff.caseworkers=20", "work.inquiry.arrivals_per_day=2448"],
)
DEFAULT = {
    "M/M/20 reduction": (*MMC, 81.7, 0.0),
    "baseline": ("configs/baseline.yaml", [], None, None),
    "large_urban": ("configs/large_urban.yaml", [], None, None),
}
# (part, keys): a key is a piece of the file's path, or path:function; the first match wins
PARTS = [
    ("random numbers", ("model/sampling.py", "config/distributions.py", "numpy/random")),
    ("arrival source", ("model/arrivals.py", "model/sources.py", "simulate.py:_ArrivalSource")),
    ("arrival source", ("simulate.py:Simulation._inquiry_factory", "simulate.py:_CaseSource")),
    ("arrival source", ("simulate.py:Simulation._application_factory",)),
    ("SimPy core (step, schedule, events)", ("simpy/", "model/engine.py", "model/ticks.py")),
    ("metrics (recorder, histograms)", ("officeq/measure/",)),
    ("caseworker process (take, submit, finish, idle)", ("model/office.py",)),
    ("queues + policy", ("model/tasks.py", "model/policies.py")),
    (
        "caseload, follow-up, meetings",
        ("model/caseload.py", "model/owners.py", "model/diary.py", "model/appointments.py"),
    ),
    ("income-support cases", ("model/cases.py",)),
    ("staff, calendar, overtime", ("model/staff.py", "model/calendar.py", "model/overtime.py")),
    (
        "steering, plans, organisation",
        ("model/management.py", "model/steering.py", "model/plans.py", "model/organise.py"),
    ),
]
OTHER = "other (simulation loop, numpy, Python)"


def part_of(file: str, function: str) -> str:
    for part, keys in PARTS:
        for key in keys:
            path, _, fn = key.partition(":")
            if path in file and function.startswith(fn):
                return part
    return OTHER


def timed_run(run, cfg):  # type: ignore[no-untyped-def]
    """The run whose samples count (found by this name in each sampled stack)."""
    return run(cfg)


def child(path: str, overrides: list[str], days: float | None, warmup: float | None) -> None:
    from officeq import load_config
    from officeq.measure.run import recorder_for, run
    from officeq.model.simulate import Simulation

    cfg = load_config(ROOT / path, overrides, horizon_days=days, warmup_days=warmup)
    run(load_config(ROOT / path, overrides, horizon_days=7, warmup_days=0))  # lazy imports
    t0 = time.perf_counter()
    timed_run(run, cfg)
    wall = time.perf_counter() - t0
    sim = Simulation(cfg, recorder_for(cfg), None)
    sim.run(None, None)
    scheduled = int(repr(sim.env._eid)[6:-1])  # itertools.count(N): the next event id
    finished = sum(sim.rec.finished_n.values())
    print(json.dumps({"wall": wall, "days": cfg.horizon_days, "events": scheduled / finished}))


def sample(office: tuple, pyspy: str) -> tuple[collections.Counter, dict]:
    """(innermost function -> samples inside timed_run, the unsampled run's figures)."""
    cmd = [sys.executable, __file__, "--child", json.dumps(list(office))]
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.txt"
        spy = [pyspy, "record", "-r", "500", "--format", "raw", "-o", str(raw)]
        proc = subprocess.run([*spy, "--", *cmd], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode or not raw.is_file():
            sys.exit(f"profile_run: py-spy failed:\n{proc.stderr.strip()}")
        functions: collections.Counter = collections.Counter()
        for line in raw.read_text().splitlines():
            stack, _, n = line.rpartition(" ")
            frames = stack.split(";")
            if not any(f.startswith("timed_run ") for f in frames):
                continue
            name, _, where = frames[-1].partition(" (")
            functions[(where.rsplit(":", 1)[0], name)] += int(n)
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)  # unsampled
    if proc.returncode:
        sys.exit(f"profile_run: the run failed:\n{proc.stderr.strip()}")
    return functions, json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "configs", nargs="*", help="config files (default: M/M/20, baseline, large_urban)"
    )
    ap.add_argument("--days", type=float, default=None, help="horizon (default: the config's)")
    ap.add_argument("--top", type=int, default=0, help="also list the N busiest functions")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        child(*json.loads(args.child))
        return
    pyspy = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if pyspy is None:
        sys.exit("profile_run: needs py-spy (pip install -e '.[dev]' installs it)")
    offices = (
        {Path(c).stem: (c, [], args.days, 0.0 if args.days else None) for c in args.configs}
        if args.configs
        else DEFAULT
    )
    shares, figures, busiest = {}, {}, {}
    for name, office in offices.items():
        functions, figures[name] = sample(office, pyspy)
        total = sum(functions.values()) or 1
        parts: collections.Counter = collections.Counter()
        for (file, fn), n in functions.items():
            parts[part_of(file, fn)] += n
        shares[name] = {part: n / total for part, n in parts.items()}
        busiest[name] = [(n / total, file, fn) for (file, fn), n in functions.most_common(args.top)]
        figures[name]["samples"] = total
    names = list(shares)
    order = [*dict.fromkeys(p for p, _ in PARTS), OTHER]
    width = max(len(p) for p in order) + 2
    print("Sampled shares of run() (py-spy, 500 samples a second)\n")
    print(f"{'':<{width}}" + "".join(f"{n:>18}" for n in names))
    for part in order:
        if any(part in s for s in shares.values()):
            row = "".join(f"{shares[n].get(part, 0.0):>18.0%}" for n in names)
            print(f"{part:<{width}}{row}")
    print()
    rows = [
        ("SimPy events per task", lambda f: f"{f['events']:.2f}"),
        ("run() wall time, s (unsampled)", lambda f: f"{f['wall']:.2f}"),
        ("s per simulated year", lambda f: f"{f['wall'] * 365 / f['days']:.2f}"),
        ("samples", lambda f: f"{f['samples']:,}"),
    ]
    for label, fmt in rows:
        print(f"{label:<{width}}" + "".join(f"{fmt(figures[n]):>18}" for n in names))
    for name in names if args.top else ():
        print(f"\n{name}: the {args.top} busiest functions (self time incl. C calls)")
        for share, file, fn in busiest[name]:
            short = "/".join(Path(file).parts[-2:])
            print(f"  {share:6.1%}  {short}:{fn}  [{part_of(file, fn)}]")


if __name__ == "__main__":
    main()
