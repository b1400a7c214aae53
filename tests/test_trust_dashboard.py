"""The CLI works while the real dashboard runs: the dashboard holds the database only during an
operation, so an import and a backup from another process succeed and the dashboard shows them."""

import json
import subprocess
import sys
import urllib.request
from contextlib import ExitStack, contextmanager

from ipdata import service
from tests.browser import CHROMIUM, CHROMIUM_ARGS, have_chromium, streamlit_server
from tests.conftest import ROOT
from tests.test_cli import fill_template


def _cli(db, *args):
    return subprocess.run([sys.executable, "-m", "ipdata", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.read().decode("utf-8", "replace")


@contextmanager
def _overview(url):
    """The overview open in headless Chromium (a live session on the dashboard), if available."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        yield None
        return
    if not have_chromium():
        yield None
        return
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(url)
        page.locator("div.ip-tile").first.wait_for(timeout=30_000)
        try:
            yield page
        finally:
            browser.close()


def test_cli_import_and_backup_while_the_dashboard_runs(tmp_path):
    db, xlsx = tmp_path / "demo.duckdb", tmp_path / "2025.xlsx"
    service.load_demo(service.open_store(db))
    assert _cli(db, "template", xlsx).returncode == 0
    # every year of a cumulative goal: an official import removes the demo's own 2022-2024 figures
    fill_template(xlsx, {("新增贯标单位", "全区"): {2022: 18, 2023: 20, 2024: 21, 2025: 77}})
    with ExitStack() as stack:
        url = stack.enter_context(streamlit_server(db, tmp_path / "streamlit.log"))
        for _ in range(3):
            assert _get(f"{url}/_stcore/health") == (200, "ok")
            status, html = _get(url)
            assert status == 200 and "<noscript>" in html
        page = stack.enter_context(_overview(url))

        proc = _cli(db, "import", xlsx, "--user", "张三", "--comment", "2025年年报")
        assert proc.returncode == 0, proc.stderr
        assert "第 2 版" in proc.stdout and "Traceback" not in proc.stderr
        proc = _cli(db, "backup", tmp_path / "backup")
        assert proc.returncode == 0, proc.stderr
        values = json.loads(_cli(db, "values", "--json").stdout)
        assert {"code": "ip_standard_units_new", "year": 2025, "value": 77.0} in [
            {k: v[k] for k in ("code", "year", "value")} for v in values]

        assert _get(f"{url}/_stcore/health") == (200, "ok")
        if page is not None:  # the running dashboard shows the new revision on reload: 18 + 20 + 21 + 77
            page.goto(f"{url}/goal?code=ip_standard_units_new")
            page.get_by_text("2022年以来累计136家").first.wait_for(timeout=30_000)
    assert "Traceback" not in (tmp_path / "streamlit.log").read_text(encoding="utf-8")
