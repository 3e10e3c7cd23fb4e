"""Load a config and run one office."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officeq.config.loading import load_config as _load_config
from officeq.config.schema import Config
from officeq.model.state import OfficeState

if TYPE_CHECKING:
    from officeq.measure.run import RunResult

ConfigLike = str | Path | Mapping[str, Any] | Config
"""What the API accepts as an office: a YAML file, a dict of fields, or a Config."""


def load_config(source: ConfigLike, overrides: Iterable[str] = (), **fields: Any) -> Config:
    """Read, override and validate a config.

    Args:
        source: a YAML file, a dict of config fields, or a ``Config`` to change.
        overrides: ``dotted.path=value`` strings, exactly as ``--set`` takes them,
            e.g. ``["staff.caseworkers=15", "policy.name=needs_based"]``.
        fields: top-level fields to replace when not None (``seed``,
            ``horizon_days``, ``warmup_days``).

    Returns:
        A frozen, validated :class:`~officeq.config.schema.Config`.

    Raises:
        officeq.ConfigError: one line naming the source and the field.
    """
    return _load_config(source, overrides, labels={k: k for k in fields}, **fields)


def run(
    config: ConfigLike,
    seed: int | None = None,
    *,
    overrides: Iterable[str] = (),
    progress: Callable[[float], None] | None = None,
    force: bool = False,
    events: bool = False,
    snapshot_at: int | None = None,
    start_from: str | Path | OfficeState | None = None,
) -> RunResult:
    """Simulate one office to its horizon.

    Args:
        config: a ``Config``, a YAML file or a dict (see :func:`load_config`).
        seed: replaces the config's seed.
        overrides: ``--set``-style overrides applied first.
        progress: called with the fraction done after each simulated month.
        force: run even when the run is estimated to take more than an hour or
            half the machine's memory (:mod:`officeq.api.sizing`).
        events: also keep the event log, the caseload and the absence spells
            (``.log``: DataFrames ``events``, ``caseload``, ``staff``; the same run).
        snapshot_at: also take the office's state at the start of this simulated
            day (``.snapshot``; write it with :func:`officeq.data.snapshot.write_snapshot`).
        start_from: a snapshot folder: start the office in its state, on its date,
            with no warm-up unless the config's ``warmup_days`` is set by ``overrides``
            (or an ``OfficeState``: start in it, the config's date as it is).

    Returns:
        A :class:`~officeq.measure.run.RunResult`: ``.summary`` (dict),
        ``.daily`` and ``.monthly`` (DataFrames, built on first use).

    Raises:
        officeq.ConfigError: a config that does not validate, or (``TooBigError``)
            one too big to run without ``force``, naming the field.
    """
    from officeq.api.sizing import check_run
    from officeq.measure.run import run as _run

    overrides = tuple(overrides)
    source = str(config) if isinstance(config, str | Path) else "<config>"
    state = start_from if isinstance(start_from, OfficeState) else None
    if isinstance(start_from, OfficeState):
        if not isinstance(config, Config) or overrides or seed is not None:
            config = _load_config(config, overrides, labels={"seed": "seed"}, seed=seed)
    elif start_from is not None:
        from officeq.data.snapshot import read_snapshot, snapshot_moment

        warm = any(o.split("=")[0].strip() == "warmup_days" for o in overrides)
        fields = {"start_date": snapshot_moment(start_from)} | ({} if warm else {"warmup_days": 0})
        config = _load_config(config, overrides, labels={"seed": "seed"}, seed=seed, **fields)
        state = read_snapshot(start_from, config)[0]
    elif not isinstance(config, Config) or overrides or seed is not None:
        config = _load_config(config, overrides, labels={"seed": "seed"}, seed=seed)
    check_run(config, source, force, events)
    return _run(config, progress, events, snapshot_at, state)
