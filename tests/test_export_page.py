"""The 导出 page and the download buttons under every chart (AppTest, real DuckDB file)."""

import pytest

from ipdata import service
from tests.test_pages import app, texts


@pytest.fixture
def demo_db(db_path):
    service.load_demo(service.open_store(db_path))
    return db_path


def labels(at) -> dict[str, str]:
    return {b.key: b.proto.label for b in at.get("download_button")}


def test_export_page_on_demo_data_offers_deck_data_and_zip(demo_db):
    at = app("pages/export.py")
    assert not at.exception and not at.error
    assert "示例数据" in texts(at)
    assert labels(at) == {"export_deck": "演示文稿 (.pptx)", "export_report": "自评报告 (.docx)",
                          "export_data": "图表数据 (.xlsx)", "export_zip": "全部图片 (.zip)"}
    assert "已选 21 项指标" in texts(at)  # 20 numeric goals + the rank goal (issue 13), a slide each
    at.multiselect(key="export_categories").set_value(["创造"]).run()
    at.multiselect(key="export_regions").set_value(["川姜镇"]).run()
    assert not at.exception
    assert "已选 5 项指标、1 个镇(街道)" in texts(at)  # 创造: 4 numeric goals + the rank goal (issue 13)
    assert "各镇(街道)的总览和图表" in texts(at)
    assert all(b.proto.deferred_file_id for b in at.get("download_button"))  # made on click only


def test_export_page_on_an_empty_store(db_path):
    at = app("pages/export.py")
    assert not at.exception and not at.error
    assert "还没有数据" in texts(at)
    assert at.multiselect(key="export_regions").options == []
    assert len(at.get("download_button")) == 4  # deck, report, chart data, images


@pytest.mark.parametrize(("page", "keys"), [
    ("pages/goal.py", ["goal_chart"]),
    ("pages/category.py", ["category_chart"]),
    ("pages/regions.py", ["region_rank", "region_trend"]),
    ("pages/overview.py", ["overview_progress"]),
])
def test_every_chart_has_png_svg_and_data_downloads(demo_db, page, keys):
    at = app(page)
    got = labels(at)
    for key in keys:
        assert (got[f"{key}_dl_png"], got[f"{key}_dl_svg"], got[f"{key}_dl_xlsx"]) == ("PNG", "SVG", "数据")
    # lazy: nothing is rendered until a button is clicked
    assert all(b.proto.deferred_file_id for b in at.get("download_button"))
