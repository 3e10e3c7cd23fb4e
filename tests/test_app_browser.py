"""``officeq app`` in a real browser: the page's numbers are the engine's, bad input
is refused in the CLI's words, a run can be cancelled, and the server stops clean.

Each test starts ``officeq app`` on a free port of 127.0.0.1 and drives headless
Chromium with Selenium; without Chromium, chromedriver, Selenium or Shiny they
skip and say why.
"""

from __future__ import annotations

import signal
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from app_helpers import (
    ROOT,
    browser,
    cli_error,
    cmdline,
    descendants,
    needs_browser,
    open_tab,
    running_app,
    set_value,
    settle,
    wait_for,
)

pytestmark = needs_browser()

RUN_SECONDS = 240


def jobs(pid: int) -> list[int]:
    """The processes below ``pid`` that do work (multiprocessing's resource tracker,
    a helper that lives as long as the server, left out)."""
    return [p for p in descendants(pid) if "resource_tracker" not in cmdline(p)]


def _cell(driver, metric: str):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return driver.find_element(
        By.CSS_SELECTOR, f"#run_summary table.summary:not(.so-far) td[data-metric={metric}]"
    )


def test_the_pages_numbers_are_the_engines(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from officeq.api import sweep
    from officeq.config.loading import dump_config, load_config
    from officeq.figures.findings import level_text

    with running_app(tmp_path / "results") as app:
        d = browser()
        try:
            d.get(app.url)
            wait_for(d, lambda d: d.find_element(By.ID, "lever_caseworkers").is_displayed())
            set_value(d, "lever_caseworkers", 15)
            open_tab(d, "run")
            set_value(d, "run_replications", 3)
            set_value(d, "run_seed", 11)
            settle()
            d.find_element(By.ID, "run_start").click()
            final = "#run_summary table.summary:not(.so-far) td"
            wait_for(d, lambda d: d.find_elements(By.CSS_SELECTOR, final), RUN_SECONDS)
            shown = {
                m: (_cell(d, m).find_element(By.CLASS_NAME, "value").text, _cell(d, m))
                for m in ("inquiry_sla_hit_rate", "followup_backlog_mean")
            }
            values = {m: float(cell.get_attribute("data-value")) for m, (_, cell) in shown.items()}
            texts = {m: text for m, (text, _) in shown.items()}
        finally:
            d.quit()
    # the engine, from the same inputs given independently of the page
    cfg = load_config(ROOT / "configs/baseline.yaml", ["staff.caseworkers=15"])
    (tmp_path / "office.yaml").write_text(dump_config(cfg), encoding="utf-8")
    spec = {"name": "check", "base": "office.yaml", "replications": 3, "seed": 11}
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    engine = sweep(tmp_path / "spec.yaml", workers=2)
    for metric in ("inquiry_sla_hit_rate", "followup_backlog_mean"):
        mean = float(engine.means(metric)["mean"].iloc[0])
        assert values[metric] == mean
        assert texts[metric] == level_text(metric, mean)


def test_bad_input_gets_the_clis_line_and_runs_nothing(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    bad = tmp_path / "not_a_config.yaml"
    bad.write_text("staff:\n  caseworkers: 12\n  coffee_breaks: 3\n", encoding="utf-8")
    expected_upload = cli_error("run", bad.name, cwd=tmp_path)
    expected_rate = cli_error(
        "run", "configs/baseline.yaml", "--set", "work.inquiry.arrivals_per_day=-5"
    )
    results = tmp_path / "results"
    with running_app(results) as app:
        d = browser()
        try:
            d.get(app.url)
            wait_for(d, lambda d: d.find_element(By.ID, "lever_inquiries").is_displayed())
            set_value(d, "lever_inquiries", -5)
            err = wait_for(d, lambda d: d.find_element(By.ID, "err_inquiries").text)
            assert err == expected_rate
            open_tab(d, "run")
            d.find_element(By.ID, "run_start").click()
            assert wait_for(d, lambda d: d.find_element(By.ID, "run_status").text) == err
            open_tab(d, "office")
            upload = d.find_element(By.CSS_SELECTOR, "#office_upload")
            upload.send_keys(str(bad))
            assert wait_for(d, lambda d: d.find_element(By.ID, "err_upload").text) == (
                expected_upload
            )
        finally:
            d.quit()
    ran = [p for p in results.iterdir() if p.name != "uploads"] if results.exists() else []
    assert ran == [], "a run was started from bad input"


def test_cancel_stops_a_long_run_and_its_processes(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    with running_app(tmp_path / "results") as app:
        d = browser()
        try:
            d.get(app.url)
            open_tab(d, "run")
            set_value(d, "run_replications", 200)
            settle()
            d.find_element(By.ID, "run_start").click()
            wait_for(d, lambda d: "of 200 replications" in d.find_element(By.ID, "run_status").text)
            assert jobs(app.proc.pid), "the run has no process of its own"
            d.find_element(By.ID, "run_cancel").click()
            status = wait_for(
                d, lambda d: "cancelled" in (t := d.find_element(By.ID, "run_status").text) and t
            )
            assert status.startswith("cancelled after")
            deadline = time.monotonic() + 10
            while jobs(app.proc.pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert jobs(app.proc.pid) == []
            assert not d.find_elements(By.CSS_SELECTOR, "#run_summary td")
        finally:
            d.quit()
        assert app.stop(signal.SIGTERM) == 0


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stopping_the_server_mid_run_leaves_no_process(tmp_path: Path, sig: int) -> None:
    from selenium.webdriver.common.by import By

    with running_app(tmp_path / "results") as app:
        d = browser()
        try:
            d.get(app.url)
            open_tab(d, "run")
            set_value(d, "run_replications", 200)
            settle()
            d.find_element(By.ID, "run_start").click()
            wait_for(d, lambda d: "of 200 replications" in d.find_element(By.ID, "run_status").text)
            working = descendants(app.proc.pid)
            assert working
            assert app.stop(sig) == 0
        finally:
            d.quit()
    assert app.lines[-1].startswith("officeq app stopped by"), app.lines
    assert not any("leaked" in line or "Traceback" in line for line in app.lines), app.lines
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{p}").exists() for p in working) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [p for p in working if Path(f"/proc/{p}").exists()]
    assert alive == [], f"processes left behind: {alive}"


def test_the_page_fetches_nothing_from_the_internet(tmp_path: Path) -> None:
    with running_app(tmp_path / "results") as app:
        html = urllib.request.urlopen(app.url, timeout=30).read().decode()
    assert 'src="http' not in html and "src='http" not in html
    assert 'href="http' not in html.split("<body", 1)[0]
    for tab in ("Office", "Run", "Compare", "Staffing", "Forecast", "Download"):
        assert f">{tab}<" in html


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_every_tab_fits_the_screen_and_every_control_has_a_label(
    tmp_path: Path, width: int, height: int
) -> None:
    from selenium.webdriver.common.by import By

    with running_app(tmp_path / "results") as app:
        d = browser(width, height)
        try:
            d.get(app.url)
            wait_for(d, lambda d: d.find_element(By.ID, "lever_caseworkers").is_displayed())
            for tab in ("office", "run", "compare", "staffing", "forecast", "download"):
                open_tab(d, tab)
                settle(0.3)
                wide = d.execute_script(
                    "return document.documentElement.scrollWidth - window.innerWidth"
                )
                assert wide <= 0, f"{tab}: {wide} px wider than the window"
                pane = d.find_element(By.CSS_SELECTOR, f".tab-pane[data-value={tab}]")
                for e in pane.find_elements(By.CSS_SELECTOR, "input, select"):
                    shown = e.is_displayed() and e.get_attribute("type") not in ("file", "hidden")
                    if not shown or e.get_attribute("readonly"):  # a file input's name box
                        continue
                    eid = e.get_attribute("id")
                    labels = (
                        d.find_elements(By.CSS_SELECTOR, f"label[for='{eid}']")
                        if eid
                        else e.find_elements(By.XPATH, "ancestor::label")  # wrapped: a checkbox
                    )
                    assert any(lab.text.strip() for lab in labels), f"{tab}: #{eid} has no label"
        finally:
            d.quit()


def test_the_office_can_be_set_and_run_from_the_keyboard(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    with running_app(tmp_path / "results") as app:
        d = browser()
        try:
            d.get(app.url)
            wait_for(d, lambda d: d.find_element(By.ID, "lever_caseworkers").is_displayed())
            box = d.find_element(By.ID, "lever_caseworkers")
            box.click()
            box.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.TAB)  # 17 -> 15
            wait_for(
                d, lambda d: "staff.caseworkers=15" in d.find_element(By.ID, "office_changes").text
            )
            focused = d.switch_to.active_element
            assert focused.get_attribute("id") == "lever_inquiries"  # Tab moves on in order
        finally:
            d.quit()


def test_the_forecast_tab_shows_the_apis_forecast(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from officeq.api import forecast

    example = ROOT / "examples" / "my_office" / "snapshot"
    with running_app(tmp_path / "results") as app:
        d = browser()
        try:
            d.get(app.url)
            open_tab(d, "forecast")
            d.find_element(By.ID, "forecast_example").click()
            wait_for(d, lambda d: "2026-10-31" in d.find_element(By.ID, "forecast_snapshot").text)
            set_value(d, "forecast_weeks", 2)
            set_value(d, "forecast_replications", 3)
            settle()
            d.find_element(By.ID, "forecast_start").click()
            cell = "#forecast_headline td[data-metric=followup_backlog]"
            shown = wait_for(d, lambda d: d.find_elements(By.CSS_SELECTOR, cell), RUN_SECONDS)
            value = float(shown[0].get_attribute("data-value"))
        finally:
            d.quit()
    table = forecast(ROOT / "configs" / "baseline.yaml", example, 2, 3, workers=1).table
    last = table[(table["week"] == table["week"].max()) & (table["metric"] == "followup_backlog")]
    assert value == float(last["p50"].iloc[0])
