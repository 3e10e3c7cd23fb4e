"""What a page serves: its first config, the configs to pick from, where results go.

Pure: paths and files only. The shipped configs are the ``configs/`` folder
next to the package (a clone installed with ``pip install -e``) and the one
in the working directory, when there are such folders; the steering regimes
are the configs among them with a ``steering`` block.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_CONFIGS = Path(__file__).resolve().parent.parent.parent / "configs"
"""``configs/`` of the clone the package runs from (absent in a wheel install)."""

MAX_UPLOAD_BYTES = 2_000_000
"""Largest config or snapshot upload (a config is a few kB; an empirical distribution more)."""


@dataclass(frozen=True)
class Settings:
    """One server's settings (shared by every browser session)."""

    config: Path
    """The office the page starts with."""
    results: Path
    """Where each run, staffing search and forecast gets its own folder."""
    workers: int | None = None
    """Processes per job (None: every core)."""
    configs: dict[str, str] = field(default_factory=dict)
    """Path → label of the configs to pick from."""
    regimes: dict[str, str] = field(default_factory=dict)
    """Path → label of the steering regimes."""


def config_roots() -> list[Path]:
    """The ``configs/`` folders to list: the working directory's and the package's."""
    roots = []
    for root in (Path.cwd() / "configs", PACKAGE_CONFIGS):
        if root.is_dir() and all(root.resolve() != r.resolve() for r in roots):
            roots.append(root)
    return roots


def find_configs(first: Path | None = None) -> dict[str, str]:
    """Path → label of every office config under the ``configs/`` folders (validation
    configs last), with ``first`` at the top."""
    found: dict[str, str] = {}
    if first is not None:
        found[str(first.resolve())] = _label(first)
    for root in config_roots():
        files = sorted(root.rglob("*.yaml"), key=lambda p: ("validation" in p.parts, str(p)))
        for p in files:
            found.setdefault(str(p.resolve()), _label(p, root))
    return found


def find_regimes(configs: dict[str, str]) -> dict[str, str]:
    """Path → label of the configs that set a steering regime (a ``steering:`` block)."""
    out = {}
    for path, label in configs.items():
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError:
            continue
        if re.search(r"^steering:", text, re.MULTILINE):
            out[path] = Path(path).stem.replace("_", " ") + f" ({label})"
    return out


def _label(path: Path, root: Path | None = None) -> str:
    if root is not None:
        return str(path.relative_to(root.parent))
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def job_folder(results: Path, what: str) -> Path:
    """A new folder for one job: ``results/<time>-<what>-<n>``."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", what).strip("-")[:40] or "job"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 10_000):
        path = results / f"{stamp}-{slug}-{n}"
        try:
            path.mkdir(parents=True)
            return path
        except FileExistsError:
            continue
    raise OSError(f"{results}: no free folder name for {what}")


def default_workers() -> int:
    """Processes per job: every core the machine gives this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


EXAMPLE_SNAPSHOT = PACKAGE_CONFIGS.parent / "examples" / "my_office" / "snapshot"
"""The example office's snapshot of the clone (README: Your own office), if there is one."""
