"""Refusing runs this machine cannot do in reasonable time, before they start.

The size comes from :func:`officeq.model.size.estimate`; the limits are an
hour per run, half the machine's memory, and (for a sweep on this machine)
a day of work for its processes. ``force=True`` (``--force``) runs anyway.
"""

from __future__ import annotations

import os

from officeq.config.loading import ConfigError
from officeq.config.schema import Config
from officeq.model.size import Size, estimate

MAX_RUN_SECONDS = 3600.0
"""Longest single run started without ``force``."""
MAX_SWEEP_SECONDS = 24 * 3600.0
"""Longest local sweep (wall clock with its workers) started without ``force``."""
MEMORY_SHARE = 0.5
"""Share of the machine's memory one run may be estimated to use."""


class TooBigError(ConfigError):
    """A run or sweep beyond what this machine does in reasonable time."""


def machine_memory() -> float:
    """Physical memory in bytes (16 GiB when the platform cannot say)."""
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not Linux/macOS
        return 16 * 2.0**30


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:,.0f} days"


def _gib(n: float) -> str:
    return f"{n / 2**30:,.1f} GiB"


def check_run(
    cfg: Config, source: str = "<config>", force: bool = False, events: bool = False
) -> Size:
    """The run's size (``events``: with an event log); raises :class:`TooBigError`
    naming the field when it is too big."""
    size = estimate(cfg, events)
    if force:
        return size
    memory = machine_memory()
    if size.memory_bytes > MEMORY_SHARE * memory or size.seconds > MAX_RUN_SECONDS:
        raise TooBigError(
            source,
            size.driver,
            f"this run would take about {_duration(size.seconds)} and "
            f"{_gib(size.memory_bytes)} of memory ({size.tasks:.2g} tasks over "
            f"{cfg.horizon_days:g} days; this machine has {_gib(memory)}): lower it or "
            "horizon_days, or add --force to run it anyway",
        )
    return size


def check_sweep(
    configs: list[tuple[str, Config]],
    replications: int,
    workers: int | None,
    source: str,
    force: bool = False,
) -> float:
    """Check every scenario's run, and the whole sweep on ``workers`` local processes.

    ``configs`` are (scenario name, config); ``workers`` None skips the total
    (a cluster). Returns the estimated run time of the whole sweep on one core.
    """
    total = 0.0
    for name, cfg in configs:
        try:
            total += check_run(cfg, source, force).seconds * replications
        except TooBigError as e:
            where = f"scenario {name!r}: {e.field}" if len(configs) > 1 else e.field
            raise TooBigError(source, where, e.message) from None
    if not force and workers is not None and total / workers > MAX_SWEEP_SECONDS:
        raise TooBigError(
            source,
            "replications",
            f"{len(configs)} scenarios x {replications} replications would take about "
            f"{_duration(total / workers)} on {workers} processes: fewer replications or "
            "grid values, a Dask cluster (--scheduler), or add --force to run it anyway",
        )
    return total
