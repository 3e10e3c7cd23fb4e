"""A screenshot of each tab of ``officeq app``, for the README.

    python examples/app_screenshots.py [--out docs/images/app]

Starts ``officeq app`` on a free port, drives headless Chromium (Debian's
``chromium`` and ``chromium-driver``, through Selenium) the way a planner
would: runs the baseline office with 10 replications, keeps it, runs it
again with two caseworkers fewer, compares the two, asks the staffing
advisor, forecasts 13 weeks from a snapshot, and opens the downloads. Each
tab is saved as ``<tab>.png`` at a laptop's width (1366 px). Takes a few
minutes on two cores; stops the app and everything it started at the end.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, MAX_HEIGHT = 1366, 2600


def start_app(results: Path) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "officeq", "app", "--no-browser", "--port", "0"]
    proc = subprocess.Popen(
        [*cmd, "--results", str(results)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if m := re.search(r"open (http://\S+/)", line):
                found.append(m.group(1))
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(90):
        proc.kill()
        sys.exit("officeq app did not start")
    return proc, found[0]


def browser():  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars"):
        opts.add_argument(a)
    opts.add_argument(f"--window-size={WIDTH},768")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)


def snapshot_zip(folder: Path) -> Path:
    """A snapshot of the baseline office on 1 September (as ``officeq run --snapshot-at``)."""
    out = folder / "run"
    run = [sys.executable, "-m", "officeq", "run", "configs/baseline.yaml", "--out", str(out)]
    subprocess.run(
        [*run, "--snapshot-at", "2025-09-01", "--days", "250"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    zipped = folder / "snapshot.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        for f in sorted((out / "snapshot").rglob("*")):
            z.write(f, f.relative_to(out / "snapshot"))
    return zipped


class Page:
    def __init__(self, driver, out: Path) -> None:  # type: ignore[no-untyped-def]
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.d, self.out, self.by = driver, out, By
        self.wait = lambda what, t=600: WebDriverWait(driver, t, 0.3).until(what)

    def tab(self, value: str) -> None:
        self.d.set_window_size(WIDTH, 768)
        self.d.find_element(self.by.CSS_SELECTOR, f"a[data-value={value}]").click()
        time.sleep(0.5)

    def type(self, element_id: str, value: object) -> None:
        from selenium.webdriver.common.keys import Keys

        e = self.d.find_element(self.by.ID, element_id)
        e.send_keys(Keys.CONTROL, "a")
        e.send_keys(Keys.DELETE)
        e.send_keys(str(value), Keys.TAB)
        time.sleep(0.4)

    def click(self, element_id: str) -> None:
        self.d.find_element(self.by.ID, element_id).click()

    def text_has(self, element_id: str, words: str, seconds: float = 600) -> None:
        self.wait(lambda d: words in d.find_element(self.by.ID, element_id).text, seconds)

    def shot(self, name: str) -> None:
        time.sleep(1.5)  # plots drawn
        height = self.d.execute_script("return document.documentElement.scrollHeight")
        self.d.set_window_size(WIDTH, min(max(768, height), MAX_HEIGHT))
        time.sleep(1.0)
        path = self.out / f"{name}.png"
        self.d.save_screenshot(str(path))
        print(f"wrote {path}")


def tour(page: Page, snapshot: Path) -> None:
    page.wait(lambda d: d.find_element(page.by.ID, "lever_caseworkers").is_displayed(), 60)
    page.shot("office")
    page.tab("run")
    page.type("run_name", "baseline, 17 caseworkers")
    page.click("run_start")
    page.text_has("run_status", "done in")
    page.click("run_keep")
    page.shot("run")
    page.tab("office")
    page.type("lever_caseworkers", 15)
    page.tab("run")
    page.type("run_name", "two caseworkers fewer")
    page.click("run_start")
    page.text_has("run_status", "done in")
    page.click("run_keep")
    page.tab("compare")
    page.shot("compare")
    page.tab("office")
    page.type("lever_caseworkers", 17)
    page.tab("staffing")
    page.type("staff_backlog", 140)
    page.type("staff_min", 13)
    page.type("staff_max", 19)
    page.type("staff_max_replications", 10)
    page.click("staff_start")
    page.text_has("staff_status", "done in", 1200)
    page.shot("staffing")
    page.tab("forecast")
    page.d.find_element(page.by.ID, "forecast_upload").send_keys(str(snapshot))
    time.sleep(2)
    page.click("forecast_start")
    page.text_has("forecast_status", "done in", 1200)
    page.shot("forecast")
    page.tab("download")
    page.shot("download")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "images" / "app"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="officeq-shots-") as tmp:
        snapshot = snapshot_zip(Path(tmp))
        proc, url = start_app(Path(tmp) / "results")
        driver = browser()
        try:
            driver.get(url)
            tour(Page(driver, out), snapshot)
        finally:
            driver.quit()
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)


if __name__ == "__main__":
    main()
