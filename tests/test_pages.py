"""Pages driven by streamlit.testing.v1.AppTest on a real DuckDB file: demo data and empty store."""

import pytest
from streamlit.testing.v1 import AppTest

from ipdata import service
from tests.conftest import ROOT

TIMEOUT = 60
PAGES = ["pages/overview.py", "pages/goal.py", "pages/category.py", "pages/regions.py",
         "pages/tasks.py", "pages/export.py", "pages/data.py"]


def app(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


@pytest.fixture
def demo_db(db_path):
    service.load_demo(service.open_store(db_path))
    return db_path


def texts(at) -> str:
    return "\n".join(str(m.value) for m in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error])


def tile_count(at) -> int:
    return sum(str(m.value).count('class="ip-tile"') for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_demo_data(demo_db, page):
    at = app(page)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "示例数据" in texts(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_store(db_path, page):
    at = app(page)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "示例数据" not in "\n".join(w.value for w in at.warning)


def test_overview_scorecard_tiles_and_filters(demo_db):
    at = app()
    assert "截至2024年（序时进度75%），19 项有目标的指标中" in texts(at)
    assert tile_count(at) == 20
    tile_html = next(str(m.value) for m in at.markdown if "ip-grid" in str(m.value))
    assert 'href="goal?code=hv_invention_per10k"' in tile_html and "14.9件" in tile_html
    at.pills(key="overview_status").set_value(["滞后"]).run()
    assert tile_count(at) == 4  # 作品著作权, 专利密集型, 正版正货, 优势示范企业
    at.pills(key="overview_cat").set_value(["保护"]).run()
    assert tile_count(at) == 1  # only 正版正货 is both 滞后 and 保护
    [table] = at.dataframe
    assert list(table.value["指标"]) == ["新增省级“正版正货”示范街区和行业"]


def test_overview_on_empty_store_explains_what_to_do(db_path):
    at = app()
    assert "还没有数据" in texts(at)
    assert "尚无数据" in texts(at)


def test_goal_page_from_query_param(demo_db):
    at = app("pages/goal.py", code="ip_standard_units_new")
    assert at.selectbox(key="goal_code").value == "ip_standard_units_new"
    assert "2022年以来累计59家" in texts(at)
    [methods, data] = at.dataframe
    assert list(data.value["2022年以来累计"].dropna()) == [18.0, 38.0, 59.0]
    assert "第1版" in data.value["版本"].iloc[0]
    assert "新增贯标单位80家" in texts(at)  # the plan sentence


def test_goal_page_region_switch(demo_db):
    at = app("pages/goal.py", code="hv_invention_per10k")
    at.selectbox(key="goal_region").set_value("南通高新区").run()
    assert "南通高新区" in texts(at) and "24.1件" in texts(at)


def test_category_page_switches_category(demo_db):
    at = app("pages/category.py")
    assert tile_count(at) == 4  # 创造
    at.segmented_control(key="category").set_value("人才").run()
    assert tile_count(at) == 2


def test_regions_page_ranking_and_scorecard(demo_db):
    at = app("pages/regions.py")
    at.selectbox(key="region_goal").set_value("hv_invention_per10k").run()
    ranking = at.dataframe[0].value
    assert list(ranking["地区"]) == ["南通高新区", "金沙街道", "川姜镇", "兴仁镇"]
    at.selectbox(key="region_card").set_value("川姜镇").run()
    card = at.dataframe[1].value
    assert set(card["指标"]) == {"万人高价值发明专利拥有量", "新增贯标单位", "培训各类知识产权人才"}
