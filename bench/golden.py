"""Results unchanged? Write every shipped config's tables, then compare another version's.

An optimisation of the hot path must not change what the model computes. This script runs
every config under ``configs/`` (each to a shortened horizon, so the whole set takes about a
minute), plus a run started from a snapshot, a run with the event log, and a run with plans
over time (``changes:``), and writes each run's summary, daily table, monthly scorecard,
caseworker table and decision times. ``compare`` runs them again with the code as it is now and
checks every number against the written ones to a relative tolerance of 1e-9:

    python bench/golden.py write /tmp/golden-before      # on the code before the change
    python bench/golden.py compare /tmp/golden-before    # on the code after it

It prints one line per run (``same`` or the first differing column) and exits 1 if any differ.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from officeq import load_config
from officeq.measure.run import run

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "configs"
DAYS, WARMUP = 150, 30  # shorter than the configs' own year: every mechanism still runs
TOL = 1e-9


def cases():
    """name -> a callable returning the RunResult to fingerprint."""
    out = {}
    for path in sorted(CONFIGS.rglob("*.yaml")):
        name = str(path.relative_to(CONFIGS).with_suffix(""))

        def one(path=path):
            return run(load_config(path, horizon_days=DAYS, warmup_days=WARMUP))

        out[name] = one
    baseline = CONFIGS / "baseline.yaml"

    def from_snapshot():
        cfg = load_config(baseline, horizon_days=DAYS, warmup_days=WARMUP)
        first = run(cfg, snapshot_at=90)
        later = load_config(baseline, horizon_days=60, warmup_days=0, seed=7)
        return run(later, start=first.snapshot)

    def with_events():
        return run(load_config(baseline, horizon_days=60, warmup_days=10), events=True)

    out["(snapshot start)"] = from_snapshot
    out["(event log)"] = with_events
    return out


def tables(result):
    """table name -> list of rows (each a list of plain values)."""
    out = {"summary": [[k, v] for k, v in result.summary.items()]}
    for name in ("daily", "monthly", "caseworkers", "decision_times"):
        frame = getattr(result, name)
        out[name] = [list(map(str, frame.columns))] + [
            [plain(v) for v in row] for row in frame.itertuples(index=False)
        ]
    if result.log is not None:
        for name, frame in result.log.items():
            out[f"log.{name}"] = [list(map(str, frame.columns))] + [
                [plain(v) for v in row] for row in frame.itertuples(index=False)
            ]
    return out


def plain(v):
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float | int | bool | str) or v is None:
        return v
    return str(v)


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is None and b is None
        if isinstance(a, str) or isinstance(b, str):
            return a == b
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=TOL, abs_tol=TOL)
    return a == b


def first_difference(old, new):
    for name in old.keys() | new.keys():
        a, b = old.get(name), new.get(name)
        if a is None or b is None:
            return f"table {name} only on one side"
        if len(a) != len(b):
            return f"{name}: {len(a)} rows before, {len(b)} now"
        header = a[0] if name != "summary" else None
        for i, (ra, rb) in enumerate(zip(a, b, strict=True)):
            if len(ra) != len(rb):
                return f"{name} row {i}: {len(ra)} cells before, {len(rb)} now"
            for j, (x, y) in enumerate(zip(ra, rb, strict=True)):
                if not same(x, y):
                    col = header[j] if header else ra[0]
                    return f"{name} row {i} {col}: {x!r} before, {y!r} now"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("write", "compare"))
    ap.add_argument("folder", type=Path)
    ap.add_argument("--only", default=None, help="only runs whose name contains this")
    args = ap.parse_args()
    if args.action == "write":
        args.folder.mkdir(parents=True, exist_ok=True)
    bad = 0
    for name, make in cases().items():
        if args.only and args.only not in name:
            continue
        file = args.folder / (name.replace("/", "__").strip("()").replace(" ", "_") + ".json")
        got = json.loads(json.dumps(tables(make()), default=str))
        if args.action == "write":
            file.write_text(json.dumps(got))
            print(f"{name:<36} written")
            continue
        diff = first_difference(json.loads(file.read_text()), got)
        bad += diff is not None
        print(f"{name:<36} {'same' if diff is None else 'DIFFERS: ' + diff}", flush=True)
    if bad:
        sys.exit(1)


if __name__ == "__main__":
    main()
