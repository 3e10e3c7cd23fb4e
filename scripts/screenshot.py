"""Screenshot of an HTML page's first screen with headless Chromium.

    python scripts/screenshot.py results/staffing/report.html docs/images/report_first_screen.png

The README's picture of the report's first screen is made this way (a laptop
screen, 1366 × 900 CSS pixels).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from officeq.figures.pdf import find_browser


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    browser = find_browser()
    if browser is None:
        print("needs Chromium (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={args.width},{args.height}",
                f"--screenshot={args.png.resolve()}",
                args.page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
