"""No English a user can see: every page, as a visitor and as a statistician, on a 1280-px laptop
and a 390-px phone, with Streamlit's own strings brought out (the uploader, input hints, chart and
table toolbars and their tooltips, select lists, the page-not-found and connection-lost dialogs),
read in Chromium: visible text, tooltips (title, plotly's data-title), screen-reader labels
(aria-label) and placeholders. Then what takes a few clicks: a table's column menu with its
statistics (a text and a number column, the histogram's bars) and its list of columns, the main
menu's dialogs (clearing the cache, recording the screen and the video after it), and a page's
uncaught error. The page declares zh-CN, in the HTML the server sends and in the browser."""

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


# What Streamlit 1.67 draws for an uncaught exception with client.showErrorDetails = "none" (seen
# with a script that raises): the redacted message, a copy button and two links that search for it.
# Every page runs inside ui.guarded, so the dashboard itself cannot be made to show it.
REDACTED_ERROR = (
    '<div class="stException" data-testid="stException"><div data-testid="stAlertContainer" role="alert">'
    '<div data-testid="stAlertContentError"><div><div data-testid="stExceptionMessage"><span></span>'
    "This app has encountered an error. The original error message is redacted to prevent data leaks. Full error "
    "details have been recorded in the logs (if you're on Streamlit Cloud, click on 'Manage app' in the lower right "
    "of your app).</div><div><button>Copy</button><a href=\"#\">Ask Google</a><a href=\"#\">Ask ChatGPT</a>"
    "</div></div></div></div></div>")


def test_error_and_connection_lost_dialog_in_chinese(browser, server):
    """An uncaught error as Streamlit draws it (its markup, put into the live page); then the server
    stops under the open page: the status and the dialog Streamlit then shows come from the page
    already loaded, so they are in Chinese too."""
    url, proc = server
    with urllib.request.urlopen(url) as response:  # the raw page, before any script ran
        html = response.read().decode("utf-8")
    reader = Reader(browser.new_page(viewport={"width": 1280, "height": 900}))
    reader.page.goto(url)
    reader.settle()
    lang = reader.page.evaluate("document.documentElement.lang")
    reader.page.evaluate("""markup => { const box = document.createElement('div');
        document.querySelector('[data-testid="stMainBlockContainer"]').prepend(box); box.innerHTML = markup; }""",
                         REDACTED_ERROR)
    error = reader.page.get_by_test_id("stException")
    error.get_by_text("复制", exact=True).wait_for(timeout=10_000)
    reader.read("redacted error")
    message = error.get_by_test_id("stExceptionMessage").inner_text()
    proc.terminate()
    proc.wait(10)
    reader.page.get_by_text(re.compile("^(连接中断|Connection error)$")).wait_for(timeout=60_000)
    reader.read("server stopped")
    assert not reader.seen, f"English on screen (an error, the server stopped):\n{reader.report()}"
    assert message.startswith("页面出现内部错误")
    assert reader.page.get_by_text("连接中断", exact=True).count() == 1
    assert '<html lang="zh-CN">' in html and "zh-cn.js" in html
    assert lang == "zh-CN"


@pytest.fixture(params=["viewer", "developer"])
def toolbar_server(request, tmp_path, monkeypatch):
    """The dashboard with Streamlit's toolbar shown: its main menu and the running status ("viewer":
    a deployment may set it so; "developer", as on the developer's own machine, adds 重新运行 and
    清除缓存)."""
    monkeypatch.setenv("STREAMLIT_CLIENT_TOOLBAR_MODE", request.param)
    db = tmp_path / "demo.duckdb"
    service.load_demo(service.open_store(db))
    with streamlit_process(db, tmp_path / "streamlit.log") as (url, _):
        yield url, request.param


@pytest.fixture
def recording_browser():
    """Chromium that records the screen without asking (a fake camera picture stands in for it)."""
    with chromium("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream") as b:
        yield b


def _column_menu(page, table, name: str):
    """Open the column menu of the column `name`. Its button is drawn on the table's canvas at the
    right end of the header cell: click along the header, left to right, until it is that column's."""
    box = table.bounding_box()
    menu = page.get_by_test_id("stDataFrameColumnMenu")
    x = box["x"] + 10
    while x < box["x"] + box["width"]:
        page.mouse.click(x, box["y"] + 17)
        try:
            menu.wait_for(timeout=300)
        except playwright.TimeoutError:
            x += 8
            continue
        if menu.locator("[title]").nth(1).get_attribute("title") == name:  # [0] is the kind's icon
            return menu
        page.keyboard.press("Escape")
        menu.wait_for(state="detached", timeout=5_000)
        x += 24  # past this column's button
    raise AssertionError(f"no column menu for {name}")


def test_table_menus_in_chinese(browser, server):
    """A table's column menu: sorting, pinning, the column's kind (its icon's tooltip), 统计 with a
    text column's top values and a number column's histogram (its bars as Vega reads them aloud and
    their tooltip), and 显示/隐藏列 listing the hidden index."""
    url, _ = server
    reader = Reader(browser.new_page(viewport={"width": 1280, "height": 900}))
    page = reader.page
    page.goto(f"{url}/regions")
    reader.settle()
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=30_000)
    _centre(table)
    _hover(page, table)
    seen = []
    for column in ("地区", "排名"):  # text, then number
        menu = _column_menu(page, table, column)
        reader.read(f"column menu of {column}")
        seen.append(menu.inner_text())
        icons = menu.get_by_test_id("stIconMaterial").all_inner_texts()  # a name drawn as its glyph
        assert "bar_chart" in icons and all(re.fullmatch("[a-z_]+", i) for i in icons), icons
        statistics = menu.locator('[role=menuitem][aria-haspopup="true"]')  # its one submenu
        _hover(page, statistics)
        page.get_by_test_id("stDataFrameStatisticsMenu").wait_for(timeout=10_000)
        reader.read(f"statistics of {column}")
        chart = page.get_by_test_id("stDataFrameStatisticsChart")
        seen.append(chart.get_attribute("aria-label") or "")
        for bar in _visible(chart, "path[aria-label]")[:1]:  # the number column's histogram
            seen.append(bar.get_attribute("aria-label"))
            _hover(page, bar)
            page.locator("#vg-tooltip-element").wait_for(timeout=10_000)
            reader.read(f"histogram bar of {column}")
            seen.append(page.locator("#vg-tooltip-element").inner_text())
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
        menu.wait_for(state="detached", timeout=5_000)
    _centre(table)
    _hover(page, table)
    page.wait_for_timeout(300)
    columns = [b for b in _visible(table, '[data-testid="stElementToolbarButton"] button')
               if b.get_attribute("aria-label") in ("显示/隐藏列", "Show/hide columns")][0]
    _hover(page, columns)
    page.mouse.down()
    page.mouse.up()
    page.get_by_test_id("stDataFrameColumnVisibilityMenu").wait_for(timeout=10_000)
    reader.read("list of columns")
    seen.append(page.get_by_test_id("stDataFrameColumnVisibilityMenu").inner_text())
    assert not reader.seen, f"English in a table's menus:\n{reader.report()}"
    text = "\n".join(seen)
    assert "统计" in text and "升序排列" in text and "（行号）" in text
    assert "常见值频数图：" in text and "范围：" in text and "计数" in text


def _menu(page, item: str) -> None:
    page.get_by_test_id("stMainMenu").locator("button").click()
    page.get_by_test_id("stMainMenuPopover").get_by_text(item, exact=True).click()


def test_menu_status_and_dialogs_in_chinese(recording_browser, toolbar_server):
    """The running status, the main menu and its dialogs: clearing the cache (developer), recording
    the screen, and the video made by it."""
    url, mode = toolbar_server
    reader = Reader(recording_browser.new_page(viewport={"width": 1280, "height": 900}))
    page = reader.page
    page.goto(f"{url}/regions", wait_until="commit")  # the first visitor of a fresh server
    page.get_by_test_id("stStatusWidget").wait_for(timeout=30_000)  # while the page runs
    reader.read("running")
    reader.settle()
    page.get_by_test_id("stMainMenu").locator("button").click()
    page.get_by_test_id("stMainMenuPopover").wait_for(timeout=10_000)
    reader.read("main menu")
    items = page.get_by_test_id("stMainMenuPopover").inner_text()
    page.keyboard.press("Escape")
    seen = []
    if mode == "developer":
        _menu(page, "清除缓存")
        dialog = page.get_by_role("dialog")  # in a portal, outside stClearCacheDialog
        dialog.get_by_role("button", name="取消").wait_for(timeout=10_000)
        reader.read("clear cache")
        seen.append(dialog.inner_text())
        dialog.get_by_role("button", name="取消").click()
    _menu(page, "录制屏幕")
    dialog = page.get_by_role("dialog")
    dialog.get_by_test_id("stScreencastAudioCheckbox").wait_for(timeout=10_000)
    reader.read("before recording")
    seen.append(dialog.inner_text())
    dialog.get_by_role("button", name=re.compile("^(开始录制|Start recording!)$")).click()
    page.wait_for_timeout(4_000)  # a countdown, then a few seconds of video
    reader.read("recording")
    page.keyboard.press("Escape")  # stops it
    page.get_by_test_id("stVideoRecordedDialog").wait_for(timeout=30_000)
    reader.read("video recorded")
    seen.append(page.get_by_role("dialog").inner_text())
    assert not reader.seen, f"English in the menu, status or dialogs ({mode}):\n{reader.report()}"
    assert "打印" in items and "录制屏幕" in items
    text = "\n".join(seen)
    assert "同时录制声音" in text and "键可随时停止录制" in text and "保存视频" in text
    if mode == "developer":
        assert "重新运行" in items and "确定要清除缓存吗" in text
