"""officeq: a discrete-event simulation of a welfare office.

Inquiries with a 48-hour SLA, income-support decisions and long follow-up
sessions compete for caseworker time; the model reports SLA hit rates against
the follow-up backlog.

>>> import officeq
>>> cfg = officeq.load_config("configs/baseline.yaml", overrides=["staff.caseworkers=15"])
>>> result = officeq.run(cfg)                                    # doctest: +SKIP
>>> result.summary["inquiry_sla_hit_rate"]                       # doctest: +SKIP
>>> sweep = officeq.sweep("experiments/staffing.yaml", workers=2)  # doctest: +SKIP
>>> officeq.plot(sweep, kind="frontier")                         # doctest: +SKIP

The names below are imported on first use, so ``import officeq`` is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = {
    "load_config": "officeq.api",
    "run": "officeq.api",
    "sweep": "officeq.api",
    "staff": "officeq.api",
    "plot": "officeq.api",
    "forecast": "officeq.api",
    "ForecastResult": "officeq.api",
    "calibrate": "officeq.api",
    "export_xlsx": "officeq.api",
    "export_csv": "officeq.api",
    "export_tables": "officeq.api",
    "SweepResult": "officeq.api",
    "SweepInterrupted": "officeq.api",
    "StaffingAnswer": "officeq.api",
    "Config": "officeq.config.schema",
    "ConfigError": "officeq.config.loading",
    "RunResult": "officeq.measure.run",
}
__all__ = ["__version__", *_API]

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ imports them
    from officeq.api import ForecastResult as ForecastResult
    from officeq.api import StaffingAnswer as StaffingAnswer
    from officeq.api import SweepResult as SweepResult
    from officeq.api import calibrate as calibrate
    from officeq.api import export_csv as export_csv
    from officeq.api import export_tables as export_tables
    from officeq.api import export_xlsx as export_xlsx
    from officeq.api import forecast as forecast
    from officeq.api import load_config as load_config
    from officeq.api import plot as plot
    from officeq.api import run as run
    from officeq.api import staff as staff
    from officeq.api import sweep as sweep
    from officeq.config.loading import ConfigError as ConfigError
    from officeq.config.schema import Config as Config
    from officeq.measure.run import RunResult as RunResult


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'officeq' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
