"""No English a user can see: every page, as a visitor and as a statistician, on a 1280-px laptop
and a 390-px phone, with Streamlit's own strings brought out (the uploader, input hints, chart and
table toolbars and their tooltips, select lists, the page-not-found and connection-lost dialogs),
read in Chromium: visible text, tooltips (title, plotly's data-title), screen-reader labels
(aria-label) and placeholders. The page declares zh-CN, in the HTML the server sends and in the
browser."""

from __future__ import annotations

import re
import urllib.request

import pytest

from ipdata import service
from ipdata.ui_strings import english_words
from tests.browser import chromium, have_chromium, streamlit_process

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not have_chromium(), reason="needs Debian's chromium (make setup installs it as root)")

PASSWORD = "tongzhou-stat-2025"
PAGES = ["", "goal", "category", "regions", "tasks", "export", "data", "account"]

# Every text node shown on screen (material icons are glyphs, not words) and every element's
# tooltip / label / placeholder, in the page and in its same-origin frames.
SCAN = """() => {
  const out = [];
  const attrs = ['title', 'aria-label', 'placeholder', 'data-title', 'alt', 'aria-description',
                 'aria-valuetext', 'aria-roledescription'];
  const rendered = el => { for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e); if (s.display === 'none' || s.visibility === 'hidden') return false; }
    return true; };
  const icon = el => el.closest('[data-testid="stIconMaterial"]')
    || /Material (Symbols|Icons)/.test(getComputedStyle(el).fontFamily);
  const docs = [document, ...[...document.querySelectorAll('iframe')].map(f => {
    try { return f.contentDocument; } catch (e) { return null; } }).filter(Boolean)];
  for (const doc of docs) {
    const walk = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      const n = walk.currentNode, p = n.parentElement, t = n.nodeValue.trim();
      if (!t || !/[A-Za-z]/.test(t) || !p || p.closest('script,style,noscript') || icon(p) || !rendered(p)) continue;
      const r = p.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) out.push(['text', t]);
    }
    for (const el of doc.querySelectorAll(attrs.map(a => `[${a}]`).join(',')))
      if (rendered(el)) for (const a of attrs) { const v = el.getAttribute(a); if (v) out.push([a, v]); }
    if (doc.title) out.push(['title of the document', doc.title]);
  }
  return out;
}"""


def english(found: list[list[str]]) -> set[tuple[str, str]]:
    return {(kind, text) for kind, text in found
            if english_words(text)}


class Reader:
    """A page and every English string it has shown so far, with where it was seen."""

    def __init__(self, page) -> None:
        self.page, self.seen = page, {}

    def read(self, where: str) -> None:
        self.page.wait_for_timeout(300)
        for kind, text in english(self.page.evaluate(SCAN)):
            self.seen.setdefault((kind, text), where)

    def settle(self, timeout: float = 30_000) -> None:
        """Until the page's script has run and the page has drawn what it got."""
        self.page.wait_for_function("""() => { const a = document.querySelector('[data-testid="stApp"]');
            return a && a.dataset.testScriptState === 'notRunning' && a.dataset.testConnectionState === 'CONNECTED'; }""",
                                    timeout=timeout)
        self.page.wait_for_timeout(800)

    def report(self) -> str:
        return "\n".join(f"{where}: {kind} {text!r}" for (kind, text), where in sorted(self.seen.items()))


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def server(tmp_path):
    from ipdata.auth import STATISTICIAN, Users, local_operator

    db = tmp_path / "demo.duckdb"
    service.load_demo(service.open_store(db))
    Users(db).add(local_operator("root"), "王统计", STATISTICIAN, PASSWORD)
    with streamlit_process(db, tmp_path / "streamlit.log") as (url, proc):
        yield url, proc


def _visible(within, selector: str) -> list:
    return [el for el in within.locator(selector).all() if el.is_visible()]


def _centre(element) -> None:
    """Its top a third down the screen: a toolbar above an element at the top hides under the header."""
    element.evaluate("""el => { el.scrollIntoView({block: 'start'});
        for (let p = el.parentElement; p; p = p.parentElement)
            if (p.scrollHeight > p.clientHeight && getComputedStyle(p).overflowY !== 'visible') {
                p.scrollTop -= window.innerHeight / 3; break; } }""")


def _hover(page, element) -> None:
    """The mouse over an element where it is (Playwright's hover would scroll it under the header)."""
    box = element.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _toolbars(reader: Reader, where: str) -> None:
    """Hover the first chart and the first table: their toolbars, each button's tooltip, the
    table's search box."""
    page = reader.page
    for chart in _visible(page, ".js-plotly-plot")[:1]:
        _centre(chart)
        _hover(page, chart)
        for button in _visible(page, ".modebar-btn"):
            _hover(page, button)
            reader.read(f"{where}, chart toolbar")
    for table in _visible(page, '[data-testid="stElementContainer"]:has([data-testid="stDataFrame"])')[:1]:
        _centre(table)
        _hover(page, table)
        buttons = _visible(table, '[data-testid="stElementToolbarButton"] button')
        for button in buttons:
            _hover(page, button)
            reader.read(f"{where}, table toolbar tooltip")
        search = [b for b in buttons if b.get_attribute("aria-label") == "搜索"]
        if search:
            _hover(page, search[0])
            page.mouse.down()
            page.mouse.up()
            reader.read(f"{where}, table search")
            page.keyboard.press("Escape")


def _inputs(reader: Reader, where: str) -> None:
    """Open every expander, type into a text input, one in a form and a text area (the hint under
    each), and open a select list (its options, the screen reader's count)."""
    page = reader.page
    closed = '[data-testid="stExpander"] details:not([open]) > summary'
    for _ in range(10):  # one at a time: opening one renumbers the rest
        if not (shut := _visible(page, closed)):
            break
        shut[0].click()
    if _visible(page, '[data-testid="stExpander"]'):
        reader.settle()
        reader.read(f"{where}, expanders open")
    boxes = ('[data-testid="stTextInput"] input', '[data-testid="stForm"] [data-testid="stTextInput"] input',
             '[data-testid="stTextArea"] textarea')
    for selector in boxes:
        for box in _visible(page, selector)[:1]:
            _centre(box)
            box.click()
            page.keyboard.type("示例")
            reader.read(f"{where}, typing")
            page.keyboard.press("Tab")
    for select in _visible(page, '[data-testid="stSelectbox"]')[:1]:
        _centre(select)
        select.click()
        reader.read(f"{where}, select list")
        page.keyboard.type("zz")
        reader.read(f"{where}, select list without a match")
        page.keyboard.press("Escape")


def _walk(reader: Reader, url: str, who: str) -> None:
    page = reader.page
    for path in PAGES:
        where = f"{who} /{path}"
        page.goto(f"{url}/{path}")
        reader.settle()
        reader.read(where)
        _toolbars(reader, where)
        _inputs(reader, where)
    # client.toolbarMode = "minimal" (.streamlit/config.toml) shows no main menu and no status
    # widget: test_menu_and_status_in_chinese reads them with the toolbar shown.
    assert page.get_by_test_id("stMainMenu").count() == 0


def _sign_in(page, url: str) -> None:
    page.goto(f"{url}/account")
    page.get_by_label("用户名").fill("王统计")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("已登录：王统计（统计人员）").wait_for(timeout=30_000)


def _uploader(reader: Reader, url: str, who: str) -> None:
    """The statistician's uploader: the drop zone, then a file that is no workbook (its name,
    size and remove button, and the refusal)."""
    page = reader.page
    page.goto(f"{url}/data")
    reader.settle()
    page.locator('[data-testid="stFileUploaderDropzone"]').hover()
    reader.read(f"{who} uploader")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "空.xlsx", "mimeType": "application/octet-stream", "buffer": b"not a workbook"}])
    page.get_by_test_id("stFileChip").wait_for(timeout=30_000)
    reader.settle()
    reader.read(f"{who} uploader with a file")


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_and_dialog_in_chinese(browser, server, width):
    url, _ = server
    phone = width < 600
    context = browser.new_context(viewport={"width": width, "height": 844 if phone else 900},
                                  is_mobile=phone, has_touch=phone)
    reader = Reader(context.new_page())
    _walk(reader, url, "visitor")
    reader.page.goto(f"{url}/no-such-page")
    reader.page.get_by_text(re.compile("^(页面不存在|Page not found)$")).wait_for(timeout=30_000)
    reader.read("unknown address")
    not_found = reader.page.get_by_text("页面不存在", exact=True).count()
    reader.page.keyboard.press("Escape")

    _sign_in(reader.page, url)
    _walk(reader, url, "statistician")
    _uploader(reader, url, "statistician")
    assert not reader.seen, f"English on screen at {width} px:\n{reader.report()}"
    assert reader.page.evaluate("document.documentElement.lang") == "zh-CN"
    assert not_found == 1


def test_connection_lost_dialog_in_chinese(browser, server):
    """The server stops under an open page: the status and the dialog Streamlit then shows come
    from the page already loaded, so they are in Chinese too."""
    url, proc = server
    with urllib.request.urlopen(url) as response:  # the raw page, before any script ran
        html = response.read().decode("utf-8")
    reader = Reader(browser.new_page(viewport={"width": 1280, "height": 900}))
    reader.page.goto(url)
    reader.settle()
    lang = reader.page.evaluate("document.documentElement.lang")
    proc.terminate()
    proc.wait(10)
    reader.page.get_by_text(re.compile("^(连接中断|Connection error)$")).wait_for(timeout=60_000)
    reader.read("server stopped")
    assert not reader.seen, f"English on screen with the server stopped:\n{reader.report()}"
    assert reader.page.get_by_text("连接中断", exact=True).count() == 1
    assert '<html lang="zh-CN">' in html and "zh-cn.js" in html
    assert lang == "zh-CN"


@pytest.fixture
def viewer_server(tmp_path, monkeypatch):
    """The dashboard with Streamlit's toolbar in "viewer" mode: its main menu and the running
    status shown (a deployment may set it so)."""
    monkeypatch.setenv("STREAMLIT_CLIENT_TOOLBAR_MODE", "viewer")
    db = tmp_path / "demo.duckdb"
    service.load_demo(service.open_store(db))
    with streamlit_process(db, tmp_path / "streamlit.log") as (url, _):
        yield url


def test_menu_and_status_in_chinese(browser, viewer_server):
    reader = Reader(browser.new_page(viewport={"width": 1280, "height": 900}))
    page = reader.page
    page.goto(f"{viewer_server}/regions", wait_until="commit")  # the first visitor of a fresh server
    page.get_by_test_id("stStatusWidget").wait_for(timeout=30_000)  # while the page runs
    reader.read("running")
    reader.settle()
    page.get_by_test_id("stMainMenu").locator("button").click()
    page.get_by_test_id("stMainMenuPopover").wait_for(timeout=10_000)
    reader.read("main menu")
    items = page.get_by_test_id("stMainMenuPopover").inner_text()
    assert "打印" in items and "录制屏幕" in items
    assert not reader.seen, f"English in the menu or status:\n{reader.report()}"
