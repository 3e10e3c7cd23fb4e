"""Time an optimisation: the same offices under two versions of officeq, runs alternating.

    python bench/versus.py --before a40aab5                      # the three offices below
    python bench/versus.py --before a40aab5 --after HEAD~1 configs/large_urban.yaml
    python bench/versus.py --before /path/to/checkout --repeats 9 --days 200

``--before`` and ``--after`` are each a git revision of this repository (checked out into a
temporary worktree, removed at the end) or a folder holding an ``officeq`` package; ``--after``
defaults to the working tree. Each run is a fresh process that imports that version (PYTHONPATH
first), reads the config (the file named, the same for both sides), runs a week untimed and then
times ``run()`` alone (with ``--inner K``, K times, the fastest counted: a virtual machine's
noise only ever slows a run down), so imports, start-up and output writing are left out. Runs
alternate before, after, before, after ..., so drift in the machine's speed falls on both sides
alike.

For each office it prints the median seconds per simulated year on each side with the spread
(min-max), the ratio of the medians after / before, and the range of the per-pair ratios. It also
says whether both versions computed the same summary (to 1e-9): an optimisation should not
change results (bench/golden.py checks every table of every shipped config).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MMC = ["configs/validation/mmc.yaml", "staff.caseworkers=20", "work.inquiry.arrivals_per_day=2448"]
DEFAULT_OFFICES = {
    "M/M/20 (200k inquiries)": (MMC[0], MMC[1:], 81.7, 0.0),
    "baseline": ("configs/baseline.yaml", [], None, None),
    "large_urban": ("configs/large_urban.yaml", [], None, None),
}


def child(
    config: str, overrides: list[str], days: float | None, warmup: float | None, inner: int = 1
) -> None:
    """In a fresh process: time run() of the office ``inner`` times; print the fastest
    seconds, days and the summary."""
    from officeq import load_config
    from officeq.measure.run import run

    fields = {"horizon_days": days, "warmup_days": warmup}
    cfg = load_config(config, overrides, **fields)
    run(load_config(config, overrides, horizon_days=7, warmup_days=0))  # lazy imports, caches
    seconds = float("inf")
    for _ in range(inner):
        t0 = time.perf_counter()
        result = run(cfg)
        seconds = min(seconds, time.perf_counter() - t0)
    print(json.dumps({"seconds": seconds, "days": cfg.horizon_days, "summary": result.summary}))


def timed(folder: Path, office: tuple, inner: int = 1) -> dict:
    config, overrides, days, warmup = office
    env = dict(os.environ, PYTHONPATH=str(folder))
    spec = json.dumps([config, overrides, days, warmup, inner])
    cmd = [sys.executable, __file__, "--child", spec]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode:
        sys.exit(f"versus: a run under {folder} failed:\n{proc.stderr.strip()}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def version(spec: str | None):
    """A folder holding the officeq package of ``spec`` (a folder, a revision, or the tree)."""
    if spec is None:
        yield ROOT
        return
    if Path(spec, "officeq", "__init__.py").is_file():
        yield Path(spec).resolve()
        return
    with tempfile.TemporaryDirectory(prefix="officeq-versus-") as tmp:
        where = Path(tmp) / "tree"
        add = ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(where), spec]
        if subprocess.run(add, capture_output=True).returncode:
            sys.exit(f"versus: {spec!r} is neither a folder with officeq/ nor a git revision")
        try:
            yield where
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)])


def same_summary(a: dict, b: dict) -> bool:
    if a.keys() != b.keys():
        return False
    for k in a:
        x, y = a[k], b[k]
        if isinstance(x, float) and isinstance(y, float):
            if not (math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) or (x != x and y != y)):
                return False
        elif x != y:
            return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "configs", nargs="*", help="config files (default: M/M/20, baseline, large_urban)"
    )
    ap.add_argument("--before", required=False, help="git revision or folder (the old version)")
    ap.add_argument("--after", default=None, help="git revision or folder (default: this tree)")
    ap.add_argument("--repeats", type=int, default=5, help="runs on each side (default 5)")
    ap.add_argument("--days", type=float, default=None, help="horizon in days (default: config's)")
    ap.add_argument(
        "--warmup-days", type=float, default=None, help="warm-up (default: config's; 0 with --days)"
    )
    ap.add_argument(
        "--inner",
        type=int,
        default=1,
        help="runs in each process, the fastest counted (default 1; more: less noise)",
    )
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        child(*json.loads(args.child))
        return
    if args.before is None:
        ap.error("--before is required")
    warmup = args.warmup_days if args.warmup_days is not None else (0.0 if args.days else None)
    offices = (
        {Path(c).stem: (c, [], args.days, warmup) for c in args.configs}
        if args.configs
        else {
            name: (c, o, args.days or d, w if args.days is None else warmup)
            for name, (c, o, d, w) in DEFAULT_OFFICES.items()
        }
    )
    with version(args.before) as before, version(args.after) as after:
        print(f"before: {args.before} ({before})\nafter:  {args.after or 'working tree'} ({after})")
        inner = f", each the fastest of {args.inner} in its process" if args.inner > 1 else ""
        print(f"{args.repeats} alternating runs per side{inner}; seconds per simulated year\n")
        header = f"{'office':<26} {'before':>8} {'min-max':<13} {'after':>8} {'min-max':<13}"
        print(f"{header} {'after/before':>12}  pair ratios  same summary")
        for name, office in offices.items():
            old, new, same = [], [], True
            for _ in range(args.repeats):
                a, b = timed(before, office, args.inner), timed(after, office, args.inner)
                per_year = 365 / a["days"]
                old.append(a["seconds"] * per_year)
                new.append(b["seconds"] * per_year)
                same = same and same_summary(a["summary"], b["summary"])
            pairs = [n / o for n, o in zip(new, old, strict=True)]
            mo, mn = statistics.median(old), statistics.median(new)
            print(
                f"{name:<26} {mo:8.3f} {min(old):.3f}-{max(old):<7.3f} {mn:8.3f} "
                f"{min(new):.3f}-{max(new):<7.3f} {mn / mo:12.3f}  "
                f"{min(pairs):.3f}-{max(pairs):.3f}  {'yes' if same else 'NO'}",
                flush=True,
            )


if __name__ == "__main__":
    main()
