"""A report as PDF, printed by headless Chromium where it is installed.

Chromium prints the page with its print CSS (A4, page break before the
details). The PDF is written next to its target and moved into place only
when Chromium succeeded, so a failed print leaves nothing behind; Chromium's
own processes are ended with it (it runs in its own process group).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from officeq.measure.files import OutputError, atomic_write

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
TIMEOUT_SECONDS = 120


def find_browser() -> str | None:
    """The first Chromium on PATH (``OFFICEQ_CHROMIUM`` overrides), or None."""
    own = os.environ.get("OFFICEQ_CHROMIUM")
    if own:
        return shutil.which(own)
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def print_pdf(html_file: Path, pdf: Path, browser: str | None = None) -> Path:
    """Print ``html_file`` to ``pdf``; :class:`OutputError` in one line on failure."""
    exe = browser or find_browser()
    if exe is None:
        raise OutputError(
            "--pdf needs Chromium (Debian: apt-get install chromium); the HTML report is "
            f"written, print it from a browser: {html_file}"
        )

    def write(tmp: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="officeq-chromium-") as profile:
            args = [
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                "--virtual-time-budget=5000",
                f"--print-to-pdf={tmp}",
                html_file.resolve().as_uri(),
            ]
            proc = subprocess.Popen(
                args,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            try:
                _, err = proc.communicate(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                _, err = b"", b"timed out"
            finally:
                _end(proc)
        if not tmp.is_file() or tmp.stat().st_size == 0:
            last = (err or b"").decode(errors="replace").strip().splitlines()[-1:] or [""]
            raise OutputError(f"{pdf}: Chromium did not print the report ({last[0][:200]})")

    return atomic_write(pdf, write)


def _end(proc: subprocess.Popen[bytes]) -> None:
    """End Chromium and every process it started (its own process group)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # helpers left behind after the main process
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
