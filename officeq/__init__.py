"""officeq: a discrete-event simulation of a welfare office.

Inquiries with a 48-hour SLA, income-support decisions and long follow-up
sessions compete for caseworker time; the model reports SLA hit rates against
the follow-up backlog.

>>> from officeq import load_config, run
>>> result = run(load_config("configs/baseline.yaml"))  # doctest: +SKIP
>>> result.summary["inquiry_sla_hit_rate"]  # doctest: +SKIP
"""

from officeq.config import Config
from officeq.configio import ConfigError, load_config
from officeq.model import RunResult, run

__version__ = "0.1.0"
__all__ = ["Config", "ConfigError", "RunResult", "__version__", "load_config", "run"]
