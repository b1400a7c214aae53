"""Regenerate the screenshots used by README.md and docs/使用说明.md from the demo data.

    .venv/bin/python docs/screenshots.py

Starts the dashboard on a temporary database with the demo workbook and photographs pages in
Debian's headless Chromium (Playwright), so the pictures always match the code.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from ipdata import service  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

OUT = ROOT / "docs" / "images"
SHOTS = [  # file, path, viewport, full page
    ("overview.png", "", (1366, 900), False),
    ("goal.png", "goal?code=hv_invention_per10k", (1366, 900), True),
    ("regions.png", "regions", (1366, 900), False),
    ("tasks.png", "tasks", (1366, 900), False),
    ("data.png", "data", (1366, 900), False),
    ("overview-tablet.png", "", (820, 1180), False),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        service.load_demo(service.open_store(db))
        with streamlit_server(db, Path(tmp) / "streamlit.log") as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path, (w, h), full in SHOTS:
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto(f"{url}/{path}")
                page.wait_for_selector("[data-testid=stMainBlockContainer] [data-testid=stMarkdown]", timeout=30_000)
                page.wait_for_timeout(3_000)  # let charts and tables finish drawing
                page.screenshot(path=OUT / name, full_page=full)
                page.close()
                print(f"wrote {OUT / name}")
            browser.close()


if __name__ == "__main__":
    main()
