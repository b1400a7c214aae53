"""A 390 px phone, checked without a browser: every chart holds still under a swipe, every table
keeps 状态 in view, tiles open their goal page within the session (the browser side is in
tests/test_browser_phone.py)."""

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ipdata import service
from ipdata.views import STATUS_COLUMNS, status_first
from pages.components import PINNED_BUDGET
from tests.conftest import ROOT
from tests.test_evaluation import import_workbook

PAGES = ["pages/overview.py", "pages/goal.py", "pages/category.py", "pages/regions.py", "pages/tasks.py"]


def app(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception and not at.error
    return at


@pytest.fixture(params=["demo", "final"])
def db(request, db_path, tmp_path):
    """The demo (progress view) and a store with the target year's data (the final evaluation)."""
    if request.param == "demo":
        service.load_demo(service.open_store(db_path))
    else:
        import_workbook(db_path, tmp_path)
    return db_path


@pytest.mark.parametrize("columns, order, lead", [
    (["类别", "指标", "类型", "最新值", "状态", "性质"], ["指标", "状态", "类别", "类型", "最新值", "性质"], ["指标", "状态"]),
    (["排名", "地区", "最新值", "分解目标", "状态"], ["地区", "状态", "排名", "最新值", "分解目标"], ["地区", "状态"]),
    (["地区", "指标", "结论", "数值"], ["指标", "结论", "地区", "数值"], ["指标", "结论"]),
    (["地区", "最新值", "分解目标", "终期结论", "说明"], ["地区", "终期结论", "最新值", "分解目标", "说明"], ["地区", "终期结论"]),
    (["编号", "任务", "内容", "状态"], ["任务", "状态", "编号", "内容"], ["任务", "状态"]),
    (["日期", "版本", "类型", "状态", "变化及原因"], ["日期", "状态", "版本", "类型", "变化及原因"], ["日期", "状态"]),
    (["年份", "数值", "来源"], ["年份", "数值", "来源"], []),  # no status: as it was, nothing pinned
])
def test_status_comes_right_after_the_rows_name(columns, order, lead):
    table = pd.DataFrame([range(len(columns))], columns=columns)
    got, pinned = status_first(table)
    assert (list(got.columns), pinned) == (order, lead)
    assert got.iloc[0].to_dict() == table.iloc[0].to_dict()  # cells move with their column


def charts(at) -> list[tuple[dict, dict]]:
    return [(json.loads(c.proto.spec), json.loads(c.proto.config)) for c in at.get("plotly_chart")]


@pytest.mark.parametrize("page", PAGES)
def test_no_chart_zooms_or_pans(db, page):
    """Plotly leaves a touch to the browser (the page scrolls) only when dragmode is False; fixed
    axes and this config leave nothing to zoom by wheel, double-click or button."""
    shown = charts(app(page))
    assert shown or page == "pages/tasks.py"
    for spec, config in shown:
        layout = spec["layout"]
        axes = [k for k in layout if k.startswith(("xaxis", "yaxis"))]
        assert layout["dragmode"] is False and axes
        assert all(layout[a]["fixedrange"] is True for a in axes), axes
        assert config["scrollZoom"] is False and config["doubleClick"] is False
        assert {"zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d"} <= set(
            config["modeBarButtonsToRemove"])
        assert config["toImageButtonOptions"]["width"] == 960  # the camera stays (1920×1080 at scale 2)


@pytest.mark.parametrize("page", PAGES)
def test_every_status_is_among_the_first_two_columns_and_pinned(db, page):
    at = app(page)
    judged = 0
    for table in at.dataframe:
        columns = list(table.value.columns)
        status = [c for c in columns if c in STATUS_COLUMNS]
        if not status:
            continue
        judged += 1
        assert status[0] in columns[:2], columns
        config = json.loads(table.proto.columns)
        pinned = {c: v for c, v in config.items() if v.get("pinned")}
        assert list(pinned) == columns[:2]  # the row's name and its status
        assert sum(v["width"] for v in pinned.values()) <= PINNED_BUDGET
    assert judged
