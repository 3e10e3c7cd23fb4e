"""From pressing Run on the page to the first numbers and to the whole result, against
the same sweep from the command line.

    python bench/bench_app.py [--repeats 5] [--replications 10]

Starts ``officeq app`` (baseline office) and drives headless Chromium
(Debian's ``chromium`` and ``chromium-driver``, through Selenium): each
repeat presses Run and times, from the click, (a) the first numbers on the
page (the summary of the first finished replications) and (b) the whole
result (final table, figures drawn). The baseline is what a planner with a
terminal would do instead: ``officeq sweep experiment.yaml --out DIR`` of the
same spec (the page's own ``experiment.yaml``), timed as a command, start to
exit, with as many worker processes as the page uses. Prints the medians,
the spread (min–max), and the ratio page / command measured in this run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from app_helpers import browser, open_tab, running_app, set_value  # noqa: E402

FINAL = "#run_summary table.summary:not(.so-far) td"
FIRST = "#run_summary table.summary td"


WATCH = """
const [first, final, image] = arguments;
const before = new Set(document.querySelectorAll(`${first}, ${image}`));
const fresh = (sel) => [...document.querySelectorAll(sel)].some(e => !before.has(e));
if (window.__oqWatch) window.__oqWatch.disconnect();
window.__oq = {t0: performance.now(), first: null, whole: null};
const seen = () => {
  const now = performance.now() - window.__oq.t0;
  if (window.__oq.first === null && fresh(first)) window.__oq.first = now;
  if (window.__oq.whole === null && fresh(final) && fresh(image)) window.__oq.whole = now;
};
window.__oqWatch = new MutationObserver(seen);
window.__oqWatch.observe(document.body, {subtree: true, childList: true, attributes: true});
document.getElementById("run_start").click();
"""
"""Press Run and note, in the page itself, when the first numbers and the whole result
appear (a MutationObserver: no polling that would take the cores the run needs)."""


def page_times(
    url: str, replications: int, repeats: int
) -> tuple[list[float], list[float], list[float]]:
    from selenium.webdriver.common.by import By

    first, whole, job = [], [], []
    d = browser()
    try:
        d.get(url)
        open_tab(d, "run")
        set_value(d, "run_replications", replications)
        time.sleep(0.5)
        for _ in range(repeats):
            d.execute_script(WATCH, FIRST, FINAL, "#run_backlog img")
            while True:
                time.sleep(1.0)
                got = d.execute_script("return window.__oq")
                if got["whole"] is not None and d.find_elements(By.CSS_SELECTOR, FINAL):
                    break
            first.append(got["first"] / 1000)
            whole.append(got["whole"] / 1000)
            status = d.find_element(By.ID, "run_status").text  # "done in 21 s"
            job.append(float(status.split()[2]))
            time.sleep(2)
    finally:
        d.quit()
    return first, whole, job


def command_times(folder: Path, workers: int, repeats: int) -> list[float]:
    times = []
    for i in range(repeats):
        out = folder / f"cli-{i}"
        t0 = time.monotonic()
        cmd = [sys.executable, "-m", "officeq", "sweep", "experiment.yaml", "--out", str(out)]
        subprocess.run(
            [*cmd, "--workers", str(workers)],
            cwd=folder,
            check=True,
            capture_output=True,
        )
        times.append(time.monotonic() - t0)
        shutil.rmtree(out)
    return times


def line(name: str, xs: list[float]) -> str:
    return (
        f"{name:<44} median {statistics.median(xs):6.1f} s   (min {min(xs):.1f}, max {max(xs):.1f})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--replications", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="officeq-bench-app-") as tmp:
        results = Path(tmp) / "results"
        with running_app(results, workers=args.workers) as app:
            first, whole, job = page_times(app.url, args.replications, args.repeats)
        folder = next(p for p in sorted(results.iterdir()) if (p / "experiment.yaml").is_file())
        cli = command_times(folder, args.workers, args.repeats)
    print(
        f"baseline office, {args.replications} replications, {args.workers} workers, "
        f"{args.repeats} repeats"
    )
    print(line("page: Run pressed -> first numbers", first))
    print(line("page: Run pressed -> whole result, figures", whole))
    print(line("  of which the background job (status line)", job))
    print(line("command: officeq sweep (start to exit)", cli))
    ratios = [w / c for w, c in zip(whole, cli, strict=True)]
    print(
        f"ratio page whole result / command: median {statistics.median(ratios):.2f} "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f})"
    )


if __name__ == "__main__":
    main()
