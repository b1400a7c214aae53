"""A leader's 390 px phone (and a 1280 px laptop) in Debian's headless Chromium: a swipe over any
chart scrolls the page, 状态 is in view in every table, the menu says 菜单, and a tile opens its
goal page within the session (no new connection, the login kept)."""

import time

import pytest

from ipdata import service
from tests.browser import chromium, have_chromium, streamlit_server

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not have_chromium(), reason="needs Debian's chromium (make setup installs it as root)")

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
PASSWORD = "tongzhou-stat-2025"
# Streamlit scrolls its main section, not the window: count both.
SCROLLED = "() => (document.querySelector('.stMain')?.scrollTop || 0) + window.scrollY"
TILE = "[class*=st-key-ip-tile-]"  # a tile: its face and the link laid over it


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from ipdata.auth import STATISTICIAN, Users, local_operator

    tmp = tmp_path_factory.mktemp("phone")
    db = tmp / "demo.duckdb"
    service.load_demo(service.open_store(db))
    Users(db).add(local_operator("root"), "王统计", STATISTICIAN, PASSWORD)
    with streamlit_server(db, tmp / "streamlit.log") as url:
        yield url


def opened(browser, url: str, size: dict):
    page = browser.new_page(**size)
    page.goto(url)
    page.locator(".stMain [data-testid=stElementContainer]").first.wait_for(timeout=60_000)
    return page


def swipe_up(page, x: float, y: float, distance: float = 300) -> None:
    """A finger put on (x, y) and moved up: real touch events through Chromium's input pipeline."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - distance * step / 10}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(700)


CHART_PAGES = [("", "完成进度与序时进度对比图"), ("goal?code=hv_invention_per10k", None), ("regions", None)]


@pytest.mark.parametrize("path, expander", CHART_PAGES)
def test_a_swipe_over_a_chart_scrolls_the_page(browser, server, path, expander):
    page = opened(browser, f"{server}/{path}", PHONE)
    if expander:
        page.get_by_text(expander).click()
    # the plot area, where plotly zooms on a drag (of the figure shown: the overview sends a phone's too)
    plot = page.locator(".js-plotly-plot .nsewdrag").filter(visible=True).first
    plot.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # the plot drawn, its drag layer ready
    # its top at 400 px: the finger starts on the plot and moves 300 px up without leaving the screen
    page.evaluate("y => document.querySelector('.stMain').scrollBy(0, y)", plot.bounding_box()["y"] - 400)
    page.wait_for_timeout(300)
    box = plot.bounding_box()
    ranges = ("() => { const l = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.offsetParent)._fullLayout;"
              " return [l.xaxis.range, l.yaxis.range]; }")
    before, axes = page.evaluate(SCROLLED), page.evaluate(ranges)
    swipe_up(page, box["x"] + box["width"] / 2, box["y"] + 10)
    assert page.evaluate(SCROLLED) - before > 150  # the page moved with the finger
    assert page.evaluate(ranges) == axes  # the chart did not zoom or pan
    assert page.get_by_text("Double-click to zoom back out").count() == 0
    page.close()


def test_a_mouse_drag_over_a_chart_zooms_nothing_on_a_laptop(browser, server):
    page = opened(browser, f"{server}/goal?code=hv_invention_per10k", LAPTOP)
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    box = chart.bounding_box()
    ranges = "() => { const l = document.querySelector('.js-plotly-plot')._fullLayout; return [l.xaxis.range, l.yaxis.range]; }"
    axes = page.evaluate(ranges)
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.7, steps=8)
    page.mouse.up()
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(500)
    assert page.evaluate(ranges) == axes
    assert page.locator(".modebar-btn[data-title*='oom'], .modebar-btn[data-title*='Pan']").count() == 0
    assert page.locator(".modebar-btn[data-title*='png'], .modebar-btn[data-title*='PNG']").count() == 1  # the camera
    page.close()


STATUS = ("状态", "结论", "终期结论")
# page → how many of its tables have a status (the 明细表 is in an expander on the overview)
TABLES = [("", 1), ("goal?code=hv_invention_per10k", 1), ("category", 1), ("regions", 2), ("tasks", 6)]


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("path, judged", TABLES)
def test_every_table_shows_its_status_without_scrolling_sideways(browser, server, size, path, judged):
    page = opened(browser, f"{server}/{path}", size)
    if not path:
        page.get_by_text("明细表").click()
    page.locator("[data-testid=stDataFrame] th").first.wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(2500)  # every table drawn at its width
    width = size["viewport"]["width"]
    # The grid renders (for screen readers) only the columns in view: the status must be among them.
    tables = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stDataFrame]')].map(t => ({
        right: t.getBoundingClientRect().right, headers: [...t.querySelectorAll('th')].map(h => h.textContent)}))""")
    shown = [t for t in tables if any(h in STATUS for h in t["headers"])]
    assert len(shown) == judged, tables
    for t in shown:
        assert t["right"] <= width, t
        assert [h for h in t["headers"] if h in STATUS][0] in t["headers"][:2], t
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # no page-wide sideways scroll
    page.close()


def test_the_phone_menu_says_what_it_is(browser, server):
    page = opened(browser, server, PHONE)
    button = page.get_by_test_id("stExpandSidebarButton")
    button.wait_for(timeout=60_000)
    # The word is in the page's head (ui_strings.MENU_CSS), so it is there as soon as the button is.
    label = button.evaluate("b => getComputedStyle(b, '::after').content")
    assert label == '"菜单"'
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["width"] >= 40  # the word is on screen
    button.click()
    page.get_by_test_id("stSidebarNavLink").filter(has_text="指标详情").wait_for(timeout=30_000)
    page.close()


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390px", "1280px"])
def test_a_tile_opens_its_goal_page_within_the_session_and_keeps_the_login(browser, server, size):
    page = browser.new_page(**size)
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(f"{server}/account")
    page.get_by_label("用户名").fill("王统计")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("已登录：王统计（统计人员）").wait_for(timeout=30_000)
    page.goto(server)  # the overview, signed in
    tile = page.locator(TILE, has_text="新增贯标单位")
    tile.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    page.evaluate("() => { window.ipMarker = 'same page' }")
    opened_sockets = len(sockets)
    tile.scroll_into_view_if_needed()
    start = time.monotonic()
    tile.tap() if size.get("has_touch") else tile.click()
    page.wait_for_url("**/goal?code=ip_standard_units_new&plan=tongzhou-2022-2025", timeout=30_000)
    page.get_by_text("2022年以来累计59家").wait_for(timeout=30_000)
    seconds = time.monotonic() - start
    print(f"tile → goal page at {size['viewport']['width']} px: {seconds:.2f} s")
    assert page.evaluate("() => window.ipMarker") == "same page"  # no reload
    assert len(sockets) == opened_sockets  # no new connection: the same Streamlit session
    page.get_by_text("添加或删除备注（统计人员）").click()
    page.get_by_label("备注内容").wait_for(timeout=30_000)  # still signed in as the statistician
    assert page.get_by_text("需要以统计人员身份登录").count() == 0
    assert seconds < 10, seconds
    page.close()


def test_a_tile_is_a_link_the_keyboard_opens(browser, server):
    page = opened(browser, server, LAPTOP)
    link = page.locator(TILE, has_text="新增贯标单位").get_by_role("link")
    link.wait_for(timeout=60_000)
    assert link.get_attribute("href").endswith("goal?code=ip_standard_units_new&plan=tongzhou-2022-2025")
    assert link.inner_text().startswith("新增贯标单位：")  # its name for a screen reader: the tile's sentence
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/goal?code=ip_standard_units_new&plan=tongzhou-2022-2025", timeout=30_000)
    page.get_by_text("2022年以来累计59家").wait_for(timeout=30_000)
    page.close()


# Every word a chart draws (titles, status line, labels, notes) as on-screen boxes: plotly cuts what
# passes the figure's edge, so a box past the screen's edge is text the leader cannot read.
CHART_WORDS = """() => [...document.querySelectorAll('.js-plotly-plot text')].map(t => {
    const r = t.getBoundingClientRect(); return {text: t.textContent, left: r.left, right: r.right, width: r.width};
}).filter(t => t.width > 0 && t.text.trim())"""


@pytest.mark.parametrize("path", ["goal?code=hv_invention_per10k", "goal?code=ip_output_rank",
                                  "goal?code=protection_demo_zone", "category", "regions"])
def test_no_chart_word_is_cut_at_the_phone_screen_edge(browser, server, path):
    """At 390 px the goal chart's status line (… 完成进度68.4%，序时进度75%) ran 80 px past the
    right edge, the rank's target label past the left, the region bars' labels past the right, and
    the category's three charts in a row overlapped their titles."""
    page = opened(browser, f"{server}/{path}", PHONE)
    page.locator(".js-plotly-plot text").first.wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(2500)  # every chart drawn at its width
    words = page.evaluate(CHART_WORDS)
    assert len(words) > 10
    cut = [w for w in words if w["left"] < 0 or w["right"] > 390]
    assert not cut, cut
    if path == "category":  # the one-column figure, not three charts in a row
        shown = page.locator(".js-plotly-plot").filter(visible=True)
        assert shown.count() == 1
        widths = shown.first.evaluate("p => Object.keys(p._fullLayout).filter(k => /^xaxis/.test(k)).map(k => p._fullLayout[k].domain)")
        assert widths and all(d == [0, 1] for d in widths), widths
    page.close()


def test_the_category_page_shows_its_goals_side_by_side_on_a_laptop(browser, server):
    page = opened(browser, f"{server}/category", LAPTOP)
    page.locator(".js-plotly-plot text").first.wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(2500)
    shown = page.locator(".js-plotly-plot").filter(visible=True)
    assert shown.count() == 1
    domains = shown.first.evaluate("p => Object.keys(p._fullLayout).filter(k => /^xaxis/.test(k)).map(k => p._fullLayout[k].domain[0])")
    assert len(set(domains)) == 3  # three in a row
    page.close()


def test_the_overview_on_a_phone_says_on_its_first_screen_which_goals_lag(browser, server):
    """需重点关注 was a grey caption below the 20 tiles, screens down: now the goals, their status
    and figures are under the headline, on the first screen, in the page's own type."""
    page = opened(browser, server, PHONE)
    goals = page.locator(".ip-attn-goal").filter(visible=True)
    goals.first.wait_for(timeout=60_000)
    page.locator(TILE).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    assert goals.count() == 6
    assert goals.first.inner_text().startswith("建成省级知识产权保护示范区")
    last, tile = goals.nth(5).bounding_box(), page.locator(TILE).first.bounding_box()
    assert last["y"] + last["height"] <= 844 < tile["y"]  # all six on the first screen, the tiles after
    facts = goals.first.locator(".ip-attn-facts").evaluate(
        "e => { const s = getComputedStyle(e); return [parseFloat(s.fontSize), s.color]; }")
    assert facts[0] >= 14 and facts[1] == "rgb(31, 31, 31)"  # not small grey print
    page.close()


def test_a_laptop_lists_the_goals_needing_attention_below_its_tiles(browser, server):
    """Every tile stays on a laptop's first screen (tests/test_browser.py, 1366 × 768): there the
    same list follows the tiles, in two rows."""
    page = opened(browser, server, LAPTOP)
    page.locator(TILE).first.wait_for(timeout=60_000)
    page.locator(TILE).nth(19).wait_for(timeout=60_000)
    goals = page.locator(".ip-attn-goal").filter(visible=True)
    goals.first.wait_for(timeout=60_000)
    page.wait_for_timeout(2500)  # the page laid out
    assert goals.count() == 6
    tops, tiles_end = page.evaluate("""() => [
        [...document.querySelectorAll('.ip-attn-goal')].filter(g => g.offsetParent).map(g => Math.round(g.getBoundingClientRect().top)),
        Math.max(...[...document.querySelectorAll('div.ip-tile')].map(t => t.getBoundingClientRect().bottom))]""")
    assert len(set(tops)) == 2 and min(tops) > tiles_end, (tops, tiles_end)
    page.close()


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390px", "1280px"])
def test_the_overview_progress_chart_fits_the_screen(browser, server, size):
    """At 390 px the goal names took two thirds of the chart and labels such as '68.4%' were cut at
    the right edge: the phone is sent a figure with each name and status above its bar; a laptop
    keeps the names beside the bars."""
    page = opened(browser, server, size)
    page.get_by_text("完成进度与序时进度对比图").click()
    page.locator(".js-plotly-plot text").first.wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(2500)  # the charts drawn at their widths
    shown = page.locator(".js-plotly-plot").filter(visible=True)
    assert shown.count() == 1
    names_on_axis = shown.first.evaluate("p => p._fullLayout.yaxis.showticklabels")
    width = size["viewport"]["width"]
    words = page.evaluate(CHART_WORDS)
    assert any("● 基本符合预期　68.4%" in w["text"] for w in words)  # the label that was cut
    cut = [w for w in words if w["left"] < 0 or w["right"] > width]
    assert not cut, cut
    assert names_on_axis is (width > 640)
    page.close()
