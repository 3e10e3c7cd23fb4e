"""The size estimate beside what runs really take.

For a range of offices (the shipped ones, and each driver of the estimate
pushed up), runs each in a fresh process and prints the estimated and the
measured run time and peak memory, and their ratios. The estimate should
err on the large side (ratios ≥ 1): it refuses runs, so a run it accepts
must not be much bigger than it said.

    python bench/bench_size.py           # about two minutes
    python bench/bench_size.py --quick   # short horizons, a smoke run
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from officeq.config.loading import load_config
from officeq.model.size import estimate

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "configs" / "baseline.yaml")

CASES = [
    ("baseline", BASELINE, []),
    ("small rural", str(ROOT / "configs" / "small_rural.yaml"), []),
    ("large urban", str(ROOT / "configs" / "large_urban.yaml"), []),
    ("strong targets", str(ROOT / "configs" / "regimes" / "strong_targets.yaml"), []),
    ("2,000 inquiries/day", BASELINE, ["work.inquiry.arrivals_per_day=2000"]),
    ("caseload 30,000", BASELINE, ["work.followup.caseload=30000"]),
    ("500 caseworkers", BASELINE, ["staff.caseworkers=500"]),
    (
        "failure demand 5/week, 8 caseworkers",
        BASELINE,
        ["work.followup.failure_demand.inquiries_per_user_week=5", "staff.caseworkers=8"],
    ),
]

CHILD = """
import json, resource, sys, time
import officeq
days = float(sys.argv[3])
over = json.loads(sys.argv[2])
cfg = officeq.load_config(sys.argv[1], over, horizon_days=days, warmup_days=days / 6)
t = time.perf_counter()
officeq.run(cfg, force=True)
seconds = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "bytes": rss}))
"""


def measure(path: str, overrides: list[str], days: float) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, path, json.dumps(overrides), str(days)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60-day runs")
    args = parser.parse_args()
    days = 60.0 if args.quick else 365.0
    head = ("est s", "real s", "ratio", "est MB", "real MB", "ratio")
    print(f"{'office':38} " + " ".join(f"{h:>7}" for h in head))
    time_ratios, memory_ratios = [], []
    for name, path, overrides in CASES:
        cfg = load_config(path, overrides, horizon_days=days, warmup_days=days / 6)
        size = estimate(cfg)
        real = measure(path, overrides, days)
        rt, rm = size.seconds / real["seconds"], size.memory_bytes / real["bytes"]
        time_ratios.append(rt)
        memory_ratios.append(rm)
        print(
            f"{name:38} {size.seconds:7.1f} {real['seconds']:7.1f} {rt:7.2f} "
            f"{size.memory_bytes / 1e6:7.0f} {real['bytes'] / 1e6:7.0f} {rm:7.2f}"
        )
    for label, r in (("time", time_ratios), ("memory", memory_ratios)):
        print(
            f"estimate / measured, {label}: median {statistics.median(r):.2f} "
            f"(min {min(r):.2f}, max {max(r):.2f}) over {len(r)} offices, {days:g}-day runs"
        )


if __name__ == "__main__":
    main()
