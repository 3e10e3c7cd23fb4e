"""Running ``officeq`` commands in-process in tests, with stderr kept apart."""

from __future__ import annotations

from click.testing import CliRunner, Result

from officeq.cli import main


def runner() -> CliRunner:
    """A CliRunner whose result has ``stderr`` apart from ``output``."""
    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


def invoke(*args: object) -> Result:
    """``officeq ARGS...`` (each argument made a string)."""
    return runner().invoke(main, [str(a) for a in args])
