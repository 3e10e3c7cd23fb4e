"""The ``officeq`` command line: one module per command group.

Each module defines its commands with ``click`` and imports the library
inside them, so ``officeq --help`` loads no pandas, plotting, pydantic or
simulation code. :mod:`officeq.cli.common` holds what they share; this
module only gathers them into the ``officeq`` group (no module imports it
back, so there is no import circle).
"""

from __future__ import annotations

import click

from officeq import __version__
from officeq.cli import experiments, results, run, staff


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="officeq")
def main() -> None:
    """officeq: simulate a welfare office's inquiries, decisions and follow-up."""


for _command in (
    run.run_cmd,
    run.validate_cmd,
    experiments.sweep_cmd,
    experiments.warmup_cmd,
    staff.staff_cmd,
    results.table_cmd,
    results.plot_cmd,
    results.report_cmd,
):
    main.add_command(_command)

__all__ = ["main"]
