"""The 规划 switcher on every page: it lists the store's plans and the plan files, the chosen plan is
kept in the session (moving between pages) and in the URL (?plan=ID: a link opens the same plan),
and the old plan's final scorecard, deck and exports are a choice away (AppTest, real DuckDB file)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ipdata import service, settings
from tests.conftest import ROOT, browser_cookies
from tests.second_plan import VARIANTS, use_plan

TONGZHOU, COUNTY = "tongzhou-2022-2025", "qingxi-2026-2030"
LABELS = {COUNTY: "青溪县知识产权发展监测（2026—2030年）", TONGZHOU: "通州区知识产权强县建设监测（2022—2025年）"}
PAGES = ["pages/overview.py", "pages/goal.py", "pages/category.py", "pages/regions.py", "pages/tasks.py",
         "pages/export.py", "pages/data.py", "pages/account.py"]


def app(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    return at


def texts(at) -> str:
    return "\n".join(str(m.value) for m in [*at.title, *at.markdown, *at.caption, *at.info, *at.warning])


def switcher(at):
    [box] = [s for s in at.selectbox if s.label == "规划"]  # at the page's top right
    return box


@pytest.fixture
def two_plans(monkeypatch, tmp_path):
    """Tongzhou's plan and the county's in one store, each with its demo; no IPDATA_PLAN, so the
    newest plan (the county's, 2030) is the default."""
    tongzhou = (settings.DATA_DIR / "plans" / f"{TONGZHOU}.yaml").read_text(encoding="utf-8")
    use_plan(monkeypatch, tmp_path, VARIANTS[COUNTY], tongzhou)
    monkeypatch.delenv("IPDATA_PLAN")
    browser_cookies()
    for plan_id in (TONGZHOU, COUNTY):
        service.load_demo(service.open_store(plan=plan_id))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_the_switcher_with_every_plan(two_plans, page):
    at = app(page)
    box = switcher(at)
    assert box.options == [LABELS[COUNTY], LABELS[TONGZHOU]]  # newest first
    assert box.value == COUNTY and at.query_params["plan"] == COUNTY


def test_choosing_a_plan_shows_it_on_every_page_and_in_the_url(two_plans):
    at = app()
    assert "青溪县知识产权发展监测 · 2030年目标总览" in texts(at)
    switcher(at).set_value(TONGZHOU).run()
    assert "通州区知识产权强县建设监测 · 2025年目标总览" in texts(at)  # the old plan's final scorecard
    assert at.query_params["plan"] == TONGZHOU
    links = [k.proto.query_string for k in at.get("page_link")]
    assert "code=overseas_patents_new&plan=tongzhou-2022-2025" in links  # a tile opens the same plan
    for page, said in (("pages/export.py", "只导出全区"), ("pages/tasks.py", "“四、重点任务”"),
                       ("pages/regions.py", "南通高新区")):
        at.switch_page(page).run()
        assert switcher(at).value == TONGZHOU and at.query_params["plan"] == TONGZHOU
        shown = texts(at) + "".join(str(m.placeholder) for m in at.multiselect) + str(at.dataframe[0].value if
                                                                                       at.dataframe else "")
        assert said in shown, page
    switcher(at).set_value(COUNTY).run()
    at.switch_page("pages/tasks.py").run()
    assert "主要任务" in texts(at) and "四、重点任务" not in texts(at)


def test_a_link_with_the_plan_opens_that_plan(two_plans):
    at = app("pages/goal.py", plan=TONGZHOU, code="overseas_patents_new")
    assert switcher(at).value == TONGZHOU
    assert at.selectbox(key="goal_code").value == "overseas_patents_new"
    at = app("pages/export.py", plan=TONGZHOU)
    assert at.multiselect(key="export_regions").placeholder == "只导出全区"
    at = app("pages/export.py", plan=COUNTY)
    assert at.multiselect(key="export_regions").placeholder == "只导出全县"


def test_an_unknown_plan_in_the_url_is_said_and_the_default_shown(two_plans):
    at = app(plan="no-such-plan")
    [warning] = [w.value for w in at.warning if "没有编号为" in w.value]
    assert warning.replace("\\", "") == ("没有编号为“no-such-plan”的规划，显示的是“青溪县知识产权发展监测（2026—2030年）”。"
                                         "请在页面右上方的规划列表中选择。")
    assert switcher(at).value == COUNTY and at.query_params["plan"] == COUNTY
    at.run()  # said once
    assert "no-such-plan" not in texts(at)


def test_each_plans_demo_and_pending_import_stay_its_own(two_plans):
    """Data page: the template and export are named after the plan shown."""
    at = app("pages/data.py", plan=TONGZHOU)
    names = {b.proto.label: b for b in at.get("download_button")}
    assert set(names) == {"下载填报模板", "导出全部数据"}
    at = app("pages/data.py", plan=COUNTY)
    assert "示例数据" in texts(at)
