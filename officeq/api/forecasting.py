"""Forecast an office from a snapshot (the notebook face of ``officeq forecast``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from officeq.api.basics import ConfigLike
from officeq.config.loading import ConfigError
from officeq.config.loading import load_config as _load_config

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class ForecastResult:
    """``table``: the rows of ``forecast.csv``; ``history``: the actual weeks before
    the snapshot (``week_start``, ``metric``, ``value``) when an event log was given."""

    table: pd.DataFrame
    history: pd.DataFrame | None = None

    def figure(self) -> Figure:
        """The fan chart of ``forecast.png``."""
        from officeq.figures.fan import fan_chart

        return fan_chart(self.table, self.history)


def forecast(
    config: ConfigLike,
    start_from: str | Path,
    weeks: int = 13,
    replications: int = 100,
    *,
    overrides: Iterable[str] = (),
    compare: Mapping[str, Iterable[str]] | None = None,
    seed: int | None = None,
    history: str | Path | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    force: bool = False,
) -> ForecastResult:
    """Replications of the office in ``config`` from the snapshot folder ``start_from``.

    Args:
        config: the office (its ``start_date``, horizon and warm-up are replaced:
            the snapshot's date, ``weeks`` weeks, none).
        weeks, replications: the forecast's length and its replications per plan.
        overrides: ``--set``-style overrides of every plan.
        compare: alternative plans, name to their own overrides (e.g.
            ``{"two more": ["staff.caseworkers=19"]}``), run with the same seeds.
        seed: the replications' seed (default: the config's).
        history: an event log; its weeks before the snapshot are the fan chart's
            actual values.
        workers: processes (default: all cores).
        force: run even when one replication is estimated to take more than an
            hour or half the machine's memory.

    Raises:
        officeq.ConfigError: a config that does not validate;
        officeq.data.tables.DataError: a bad snapshot or event log (one line naming
            the file, column and line).
    """
    from officeq.data.history import weekly_history
    from officeq.data.snapshot import read_snapshot, snapshot_moment
    from officeq.experiments.forecast import forecast as _forecast

    if not 1 <= weeks <= 104:
        raise ValueError(f"weeks must be 1 to 104, not {weeks}")
    if replications < 2:
        raise ValueError("replications must be at least 2 (a band needs several runs)")
    at = snapshot_moment(start_from)
    fields = {"start_date": at, "horizon_days": 7 * weeks, "warmup_days": 0, "seed": seed}

    def plan(extra: Iterable[str]):  # type: ignore[no-untyped-def]
        return _load_config(config, [*overrides, *extra], labels={"seed": "seed"}, **fields)

    from officeq.api.sizing import check_run

    base = plan(())
    check_run(base, str(config) if isinstance(config, str | Path) else "<config>", force)
    plans = {base.name: base}
    for name, sets in (compare or {}).items():
        if name in plans:
            raise ConfigError("--compare", name, "that plan name is taken; give each its own")
        plans[name] = plan(tuple(sets))
    state = read_snapshot(start_from, base)[0]
    past = None
    if history is not None:
        past = weekly_history(history, at, tuple(base.work.followup.groups))
    table = _forecast(
        plans, state, weeks, replications, base.seed, workers or os.cpu_count() or 1, progress
    )
    return ForecastResult(table, past)
