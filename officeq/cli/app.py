"""The ``officeq app`` command: the what-if page for planners, served on this machine."""

from __future__ import annotations

import socket
import sys
import tempfile
from pathlib import Path

import click

from officeq.cli.common import console, fail

INSTALL_HINT = 'officeq app needs the app extra: pip install -e ".[app]"'


@click.command("app")
@click.argument("config", required=False, default=None)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8050,
    show_default=True,
    help="Port to serve on (0: any free port; the address printed says which).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (127.0.0.1: this machine only).",
)
@click.option(
    "--results",
    "results",
    metavar="DIR",
    default=None,
    help="Keep each run, staffing search and forecast in its own folder here "
    "(default: a temporary folder removed when the app stops).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 512),
    default=None,
    help="Processes per run (default: every core).",
)
@click.option("--no-browser", is_flag=True, help="Do not open a browser.")
def app_cmd(
    config: str | None,
    port: int,
    host: str,
    results: str | None,
    workers: int | None,
    no_browser: bool,
) -> None:
    """Start the what-if page (Office, Run, Compare, Staffing, Forecast, Download) and
    print its address. CONFIG is the office it starts with (default: the shipped
    baseline). Ctrl-C or SIGTERM stops it and every run it started."""
    try:
        import shiny  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        fail(INSTALL_HINT)
    from officeq.app.settings import Settings, default_workers, find_configs, find_regimes
    from officeq.config.loading import ConfigError, load_config

    first = Path(config) if config else _baseline()
    if first is None:
        fail("officeq app: give a CONFIG (no configs/baseline.yaml here or in the package)")
    try:
        load_config(first)
    except ConfigError as e:
        fail(str(e))
    _check_port(host, port)
    temporary = results is None
    root = Path(tempfile.mkdtemp(prefix="officeq-app-")) if temporary else Path(results)
    if not temporary:
        try:
            root.mkdir(parents=True, exist_ok=True)
            probe = root / ".officeq-write-test"
            probe.write_text("")
            probe.unlink()
        except OSError as e:
            fail(f"--results: {results}: cannot write there ({e.strerror or e})")
    configs = find_configs(first)
    settings = Settings(first, root, workers or default_workers(), configs, find_regimes(configs))
    from officeq.app.serve import serve

    said = serve(
        settings,
        host,
        port,
        open_browser=not no_browser,
        say=lambda line: console.print(line, highlight=False, soft_wrap=True),
        temporary=temporary,
    )
    console.print(said, highlight=False)
    sys.stdout.flush()


def _baseline() -> Path | None:
    from officeq.app.settings import config_roots

    for root in config_roots():
        if (root / "baseline.yaml").is_file():
            return root / "baseline.yaml"
    return None


def _check_port(host: str, port: int) -> None:
    """Fail in one line when the port cannot be listened on (taken, or not allowed)."""
    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        fail(f"--host: {host}: {e.strerror}")
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as e:
            fail(
                f"--port: {port} on {host}: {e.strerror} "
                "(another app there? --port 0 takes a free one)"
            )
