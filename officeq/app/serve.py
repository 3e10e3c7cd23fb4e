"""Serve the page on this machine until Ctrl-C or SIGTERM; nothing is left running after.

Uvicorn serves the Shiny app. Its signal handling is kept (Ctrl-C or
SIGTERM starts a graceful shutdown, a second Ctrl-C forces it), but the
signal is not raised again afterwards, so the server's own clean-up runs:
every background job is cancelled (its worker processes follow it), and a
temporary results folder is removed.
"""

from __future__ import annotations

import shutil
import signal
import threading
import time
import webbrowser
from collections.abc import Callable
from types import FrameType

from officeq.app.jobs import stop_all
from officeq.app.settings import Settings

SHUTDOWN_SECONDS = 3
"""How long open pages get to close on shutdown before they are dropped."""


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8050,
    open_browser: bool = True,
    say: Callable[[str], None] = print,
    temporary: bool = False,
) -> str:
    """Serve until stopped; the words saying why it stopped.

    ``port`` 0 takes a free port (the address said shows which). With
    ``temporary``, ``settings.results`` is removed at the end.
    """
    import uvicorn

    from officeq.app.page import make_app

    class Server(uvicorn.Server):
        stopped_by: int | None = None

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            self.stopped_by = sig
            if self.should_exit and sig == signal.SIGINT:
                self.force_exit = True
            else:
                self.should_exit = True

    config = uvicorn.Config(
        make_app(settings),
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
    )
    server = Server(config)

    def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            time.sleep(0.05)
        sock = server.servers[0].sockets[0].getsockname()
        shown = f"[{sock[0]}]" if ":" in sock[0] else sock[0]
        url = f"http://{shown}:{sock[1]}/"
        say(f"officeq app: open {url}  (Ctrl-C stops it)")
        if open_browser:
            webbrowser.open(url)

    threading.Thread(target=announce, daemon=True, name="officeq-app-announce").start()
    try:
        server.run()
    finally:
        cancelled = stop_all()
        if temporary:
            shutil.rmtree(settings.results, ignore_errors=True)
    why = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}.get(server.stopped_by, "")
    jobs = f"; {cancelled} running job(s) cancelled" if cancelled else ""
    return f"officeq app stopped{' by ' + why if why else ''}{jobs}"
