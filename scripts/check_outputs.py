"""Check that every shipped config gives the same run outputs as a reference.

A refactoring tool: it runs each config in ``configs/`` (recursively) through
``officeq run --out`` and either stores ``summary.json`` and ``daily.csv``
under a reference folder (``--save``) or compares them byte for byte with the
stored ones. Use it around a change that must not change behaviour:

    python scripts/check_outputs.py --save /tmp/ref      # on the commit before
    python scripts/check_outputs.py /tmp/ref             # after the change

Exits 1 when any file differs, naming it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ("summary.json", "daily.csv")


def configs() -> list[Path]:
    return sorted(p for p in (ROOT / "configs").rglob("*.yaml"))


def run_one(cfg: Path, out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "officeq", "run", str(cfg), "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reference", type=Path)
    ap.add_argument("--save", action="store_true", help="store the reference instead")
    args = ap.parse_args()
    bad = 0
    for cfg in configs():
        name = cfg.relative_to(ROOT / "configs").with_suffix("").as_posix().replace("/", "__")
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "run"
            run_one(cfg, out)
            for f in FILES:
                ref = args.reference / name / f
                if args.save:
                    ref.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(out / f, ref)
                elif (out / f).read_bytes() != ref.read_bytes():
                    print(f"DIFFERS  {name}/{f}")
                    bad += 1
                else:
                    print(f"same     {name}/{f}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
