"""How many runs the staffing advisor needs, against a full grid, on the shipped offices.

    python bench/bench_advisor.py [--quick]

For each office (small rural, baseline, large urban) and each policy
(deadline_first, protected_followup) it asks `officeq staff`'s question with
the targets ``inquiry_sla_hit_rate>=0.9`` and ``followup_backlog_mean<=50``,
and prints the answer, the runs it took, and the runs a full grid at 20
replications over the same range would take. Run counts do not depend on the
machine; wall times are printed for information.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from officeq.config.loading import load_config
from officeq.experiments.advisor import advise, analytic_baseline, parse_target
from officeq.experiments.sweep import summary_of

ROOT = Path(__file__).resolve().parent.parent
OFFICES = {"small_rural": (1, 10), "baseline": (8, 26), "large_urban": (40, 90)}
POLICIES = ("deadline_first", "protected_followup")
TARGETS = ("inquiry_sla_hit_rate>=0.9", "followup_backlog_mean<=50")
GRID_REPLICATIONS = 20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the small rural office only")
    args = ap.parse_args()
    offices = {"small_rural": OFFICES["small_rural"]} if args.quick else OFFICES
    print(
        f"targets: {', '.join(TARGETS)}; 95% one-sided bounds; full grid = levels x "
        f"{GRID_REPLICATIONS} replications"
    )
    print(
        f"{'office':<12} {'policy':<19} {'answer':>6} {'runs':>5} {'grid':>5} "
        f"{'ratio':>6} {'erlang_c':>8} {'sqrt':>5} {'wall s':>7}"
    )
    with ProcessPoolExecutor() as pool:

        def runner(configs):  # type: ignore[no-untyped-def]
            return list(pool.map(summary_of, configs))

        for office, (lo, hi) in offices.items():
            cfg = load_config(ROOT / "configs" / f"{office}.yaml")
            targets = [parse_target(t, tuple(cfg.work.followup.groups)) for t in TARGETS]
            analytic = analytic_baseline(cfg, targets)
            for policy in POLICIES:
                pcfg = cfg.model_copy(
                    update={"policy": cfg.policy.model_copy(update={"name": policy})}
                )
                t0 = time.perf_counter()
                a = advise(pcfg, targets, runner, lo=lo, hi=hi)
                wall = time.perf_counter() - t0
                grid = (hi - lo + 1) * GRID_REPLICATIONS
                answer = "none" if a.caseworkers is None else str(a.caseworkers)
                print(
                    f"{office:<12} {policy:<19} {answer:>6} {a.runs:>5} {grid:>5} "
                    f"{grid / a.runs:>6.1f} {analytic.erlang_c!s:>8} "
                    f"{analytic.square_root!s:>5} {wall:>7.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
