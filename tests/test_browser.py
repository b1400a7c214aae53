"""Main flows in a real headless Chromium (Playwright) against a running dashboard."""

import pytest

from ipdata import service
from tests.browser import (
    chromium,
    have_chromium,
    resume_session,
    streamlit_server,
)

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not have_chromium(), reason="needs Debian's chromium (make setup installs it as root)")


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


PASSWORD = "tongzhou-stat-2025"


@pytest.fixture
def demo_server(tmp_path):
    from ipdata.auth import STATISTICIAN, Users, local_operator

    db = tmp_path / "demo.duckdb"
    service.load_demo(service.open_store(db))
    Users(db).add(local_operator("root"), "王统计", STATISTICIAN, PASSWORD)
    with streamlit_server(db, tmp_path / "streamlit.log") as url:
        yield url


def test_overview_tile_opens_the_goal_page(browser, demo_server, tmp_path):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(demo_server)
    # the tile: its face and the in-app link laid over it (pages/components.tiles)
    tile = page.locator("[class*=st-key-ip-tile-]", has_text="新增贯标单位")
    tile.wait_for(timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('div.ip-tile').length >= 20", timeout=30_000)
    assert page.locator("div.ip-tile").count() == 20
    assert page.get_by_text("示例数据").first.is_visible()
    # A leader's 1366x768 laptop shows every goal without scrolling, demo banner included.
    page.wait_for_timeout(500)
    bottoms = page.evaluate("() => [...document.querySelectorAll('div.ip-tile')].map(t => t.getBoundingClientRect().bottom)")
    assert max(bottoms) <= 768, max(bottoms)
    page.screenshot(path=tmp_path / "overview.png")
    tile.click()
    page.wait_for_url("**/goal?code=ip_standard_units_new&plan=tongzhou-2022-2025", timeout=30_000)
    page.get_by_text("2022年以来累计59家").wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.screenshot(path=tmp_path / "goal.png", full_page=True)


def test_overview_fits_a_tablet_without_horizontal_scrolling(browser, demo_server):
    page = browser.new_page(viewport={"width": 820, "height": 1180})  # iPad Air portrait
    page.goto(demo_server)
    page.locator("div.ip-tile").first.wait_for(timeout=30_000)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_upload_preview_confirm_then_rollback(browser, demo_server, tmp_path):
    from ipdata.catalogue import load_plan
    from ipdata.template import write_template
    from tests.test_cli import fill_template

    workbook = tmp_path / "2025年报.xlsx"
    write_template(workbook, load_plan())
    fill_template(workbook, {("万人高价值发明专利拥有量", "全区"): {2025: 18.6}})

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{demo_server}/data")  # the first request to a fresh server is a deep link
    page.get_by_text("需要以统计人员身份登录").first.wait_for(timeout=30_000)  # viewers cannot upload
    assert page.get_by_test_id("stTopNavLink").count() == 9  # served through the router, not alone
    assert page.locator("input[type=file]").count() == 0
    page.get_by_role("link", name="去登录").click()
    page.get_by_label("用户名").fill("王统计")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("已登录：王统计（统计人员）").wait_for(timeout=30_000)
    page.get_by_role("link", name="数据管理").click()  # in-app navigation keeps the session
    page.locator("input[type=file]").set_input_files(str(workbook))
    page.get_by_text("将要发生的变化").wait_for(timeout=30_000)
    page.get_by_role("button", name="确认导入（操作人：王统计）").click()
    page.get_by_text("已保存为第 2 版").wait_for(timeout=30_000)
    page.screenshot(path=tmp_path / "imported.png", full_page=True)

    page.get_by_role("link", name="总览").click()
    tile = page.locator("div.ip-tile", has_text="万人高价值发明专利拥有量")
    tile.wait_for(timeout=30_000)
    # 2025 is the target year: the overview is the final evaluation now, and the tile gives its verdict
    assert "18.6件" in tile.inner_text() and "达成" in tile.inner_text() and "未达成" not in tile.inner_text()
    assert page.get_by_text("终期评估").first.is_visible()

    page.get_by_role("link", name="数据管理").click()
    page.get_by_role("button", name="查看回滚会改变什么").click()
    page.get_by_role("button", name="确认回滚到第 1 版（操作人：王统计）").click()
    page.get_by_text("已恢复到第 1 版").wait_for(timeout=30_000)

    page.goto(demo_server)
    tile = page.locator("div.ip-tile", has_text="万人高价值发明专利拥有量")
    tile.wait_for(timeout=30_000)
    assert "14.9件" in tile.inner_text()
    assert page.get_by_text("终期评估").count() == 0  # back before the target year: the progress view


def test_a_town_table_from_calc_with_a_warning_on_a_phone(browser, demo_server, tmp_path):
    """A statistician on a 390 px phone uploads a town table saved by LibreOffice Calc whose 0.8 % is
    warned: the warning says both readings, confirming needs the tick, and the official figures
    replace the demo (its banner goes)."""
    from tests.conftest import ROOT

    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{demo_server}/account")
    page.get_by_label("用户名").fill("王统计")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("已登录：王统计（统计人员）").wait_for(timeout=30_000)
    page.get_by_test_id("stExpandSidebarButton").click()  # on a phone the pages sit in the side menu
    page.get_by_test_id("stSidebarNavLink").filter(has_text="数据管理").click()
    page.get_by_text("示例数据").first.wait_for(timeout=30_000)
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    page.locator("input[type=file]").set_input_files(str(ROOT / "tests/data/calc/percent-typed.xlsx"))
    page.get_by_text("0 个错误，1 个警告").wait_for(timeout=30_000)  # the table itself is drawn on a canvas
    page.get_by_text("将删除示例数据").first.wait_for(timeout=30_000)
    confirm = page.get_by_role("button", name="确认导入（操作人：王统计）")
    assert confirm.is_disabled()
    page.get_by_test_id("stCheckbox").filter(has_text="已核对以上警告中的数据").locator("label").click()
    confirm.wait_for(state="visible")
    page.wait_for_function("""() => [...document.querySelectorAll('button')]
        .some(b => b.innerText.includes('确认导入') && !b.disabled)""", timeout=30_000)
    confirm.click()
    page.get_by_text("已保存为第 2 版").wait_for(timeout=30_000)
    page.screenshot(path=tmp_path / "phone-import.png", full_page=True)
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_test_id("stSidebarNavLink").filter(has_text="总览").click()
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    page.locator("div.ip-tile").first.wait_for(timeout=30_000)
    assert page.get_by_text("当前显示的数字是虚构的示例数据").count() == 0


def test_a_login_is_a_cookie_not_a_session_id(browser, demo_server, tmp_path):
    """The issue: a fresh browser given a statistician's session id (it is in every upload URL)
    was logged in. Now the login is an HttpOnly cookie: a reload keeps it, a fresh browser that
    resumes the very session is a visitor, and logging out ends it."""
    mine = browser.new_context(viewport={"width": 1366, "height": 900})
    page = mine.new_page()
    uploads = []
    page.on("request", lambda r: uploads.append(r.url) if "/_stcore/upload_file/" in r.url else None)
    page.goto(f"{demo_server}/account")
    page.get_by_role("button", name="登录").wait_for(timeout=60_000)  # a fresh server's first page
    page.get_by_label("用户名").fill("王统计")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("用户名或密码不正确。").wait_for(timeout=30_000)
    page.get_by_label("用户名").fill("王统计")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("已登录：王统计（统计人员）").wait_for(timeout=30_000)
    [cookie] = [c for c in mine.cookies() if c["name"] == "ipdata_login"]
    assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Strict")
    assert page.evaluate("document.cookie").find("ipdata_login") == -1  # no page script can read it
    page.reload()
    page.get_by_text("已登录：王统计（统计人员）").wait_for(timeout=30_000)  # a reload keeps the login

    page.get_by_role("link", name="数据管理").click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "空.xlsx", "mimeType": "application/octet-stream", "buffer": b"not a workbook"}])
    for _ in range(60):
        if uploads:
            break
        page.wait_for_timeout(500)
    session_id = uploads[0].split("/_stcore/upload_file/")[1].split("/")[0]

    theirs = browser.new_context(viewport={"width": 1366, "height": 900})
    thief = theirs.new_page()
    thief.add_init_script(resume_session(session_id))
    received = []
    thief.on("websocket", lambda ws: ws.on("framereceived", lambda f: received.append(f if isinstance(f, bytes) else f.encode())))
    thief.goto(f"{demo_server}/data")
    thief.get_by_text("仅统计人员和管理员登录后可见").wait_for(timeout=30_000)  # the end of the page
    assert any(session_id.encode() in f for f in received)  # the server did resume that very session
    assert thief.get_by_text("需要以统计人员身份登录").count() == 1  # the upload (one version: no rollback yet)
    assert thief.locator("input[type=file]").count() == 0 and thief.get_by_text("已登录").count() == 0
    assert thief.get_by_text("操作记录（导入、回滚").count() == 0
    thief.goto(f"{demo_server}/account")
    thief.get_by_role("button", name="登录").wait_for(timeout=30_000)
    assert thief.get_by_text("已登录").count() == 0

    page.goto(f"{demo_server}/account")  # a new session: the old one now talks to the other browser
    page.get_by_role("button", name="退出登录").click()
    page.get_by_text("已退出登录。").wait_for(timeout=30_000)
    assert [c["name"] for c in mine.cookies() if c["name"] == "ipdata_login"] == []
    page.reload()
    page.get_by_role("button", name="登录").wait_for(timeout=30_000)
    assert page.get_by_text("已登录").count() == 0
    page.screenshot(path=tmp_path / "logged-out.png", full_page=True)

