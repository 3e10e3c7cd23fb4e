"""Start ``officeq app`` for a test and drive it in headless Chromium (Selenium).

The browser tests skip, saying why, where Shiny, Selenium, Chromium or
chromedriver is missing (Debian: ``apt-get install chromium chromium-driver``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"open (http://\S+/)")
START_SECONDS = 90


def missing_for_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for module in ("shiny", "selenium"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -e '.[dev,app]')"
    if chromium() is None:
        return "no chromium on PATH (Debian: apt-get install chromium)"
    if shutil.which("chromedriver") is None:
        return "no chromedriver on PATH (Debian: apt-get install chromium-driver)"
    return None


def chromium() -> str | None:
    from officeq.figures.pdf import find_browser

    return find_browser()


def descendants(pid: int) -> list[int]:
    """Every living process below ``pid`` (Linux /proc; empty elsewhere)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[-1].split()
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def cli_error(*args: str, cwd: Path = ROOT) -> str:
    """The one line ``officeq ARGS`` prints for bad input (exit 2), without ``error:``."""
    out = subprocess.run(
        [sys.executable, "-m", "officeq", *args], cwd=cwd, capture_output=True, text=True
    )
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    return lines[0].removeprefix("error: ")


def cmdline(pid: int) -> str:
    """A process's command line ('' once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class App:
    """A running ``officeq app`` process: its address and what it printed."""

    def __init__(self, proc: subprocess.Popen[str], url: str, lines: list[str]) -> None:
        self.proc, self.url, self.lines = proc, url, lines

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout)


@contextlib.contextmanager
def running_app(results: Path, *args: str, workers: int = 2) -> Iterator[App]:
    """``officeq app --no-browser --port 0 --results RESULTS ...`` until the block ends."""
    cmd = [sys.executable, "-m", "officeq", "app", "--no-browser", "--port", "0"]
    cmd += ["--results", str(results), "--workers", str(workers), *args]
    env = dict(os.environ, COLUMNS="200")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if URL.search(line):
                found.set()

    threading.Thread(target=read, daemon=True).start()
    if not found.wait(START_SECONDS):
        proc.kill()
        raise AssertionError("officeq app did not start:\n" + "\n".join(lines))
    url = next(m.group(1) for line in lines if (m := URL.search(line)))
    app = App(proc, url, lines)
    try:
        yield app
    finally:
        if proc.poll() is None:
            app.stop()


def browser(width: int = 1366, height: int = 768) -> Any:
    """Headless Chromium under Selenium, at a laptop's screen size."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium() or "chromium"
    for a in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={width},{height}",
    ):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)


def wait_for(driver: Any, what: Any, timeout: float = 60) -> Any:
    """``WebDriverWait(driver, timeout).until(what)``."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(what)


def set_value(driver: Any, element_id: str, value: Any) -> None:
    """Type ``value`` into a numeric or text input and leave it (Shiny sees the change)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    e = driver.find_element(By.ID, element_id)
    e.send_keys(Keys.CONTROL, "a")
    e.send_keys(Keys.DELETE)
    e.send_keys(str(value))
    e.send_keys(Keys.TAB)


def open_tab(driver: Any, value: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, f"a[data-value={value}]").click()


def needs_browser() -> Any:
    reason = missing_for_browser()
    return pytest.mark.skipif(reason is not None, reason=reason or "")


def settle(seconds: float = 0.5) -> None:
    """Let Shiny's round trip finish (a changed input reaches the server)."""
    time.sleep(seconds)
