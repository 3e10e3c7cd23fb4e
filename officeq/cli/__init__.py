"""The ``officeq`` command line: one module per command group.

Each module defines its commands with ``click`` and imports the library
inside them, so ``officeq --help`` loads no pandas, plotting, pydantic or
simulation code. :mod:`officeq.cli.common` holds what they share; this
module only gathers them into the ``officeq`` group (no module imports it
back, so there is no import circle).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from officeq import __version__
from officeq.cli import app, calibrate, experiments, export, forecast, results, run, staff
from officeq.cli.common import fail

_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click >= 8.2


class _OneLineErrors(click.Group):
    """Usage errors (a bad option value, a missing argument) as one line and exit code 2."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except _NO_ARGS as e:  # bare `officeq`: the help, as click shows it
            e.show()
            sys.exit(e.exit_code)
        except click.UsageError as e:
            where = e.ctx.command_path if e.ctx is not None else "officeq"
            fail(f"{where}: {e.format_message()} (see {where} --help)")
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
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
    app.app_cmd,
    export.export_cmd,
    forecast.forecast_cmd,
    calibrate.calibrate_cmd,
):
    main.add_command(_command)

__all__ = ["main"]
