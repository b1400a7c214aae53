"""The 示例数据 banner, chart mark and file names: shown exactly while demo data is, on every page;
gone after an official upload; back after rolling back to the demo (AppTest, real DuckDB file)."""

import json

import pytest

from ipdata import service
from ipdata.auth import STATISTICIAN, User
from ipdata.demo import DEMO_BANNER
from tests.test_manage import GOOD, filled_template
from tests.test_pages import PAGES, app

BANNER = ("**示例数据**：当前显示的数字是虚构的示例数据，仅供演示，不代表官方统计。"
          "统计人员在“数据管理”导入正式数据时，示例数据会在同一版本中全部删除，此提示随之消失。")


def banners(at) -> list[str]:
    """The demo banner(s) shown; the brief says it inside its card (the PNG sent on must say it too)."""
    card = [BANNER for h in at.html if DEMO_BANNER in h.proto.body]
    return [w.value for w in at.warning if "示例数据" in w.value] + card


def chart_files(at) -> list[str]:
    """The camera button's file name of every chart on the page."""
    return [json.loads(c.proto.config)["toImageButtonOptions"]["filename"] for c in at.get("plotly_chart")]


def marks(at) -> list[bool]:
    """Whether each chart carries the 示例数据 mark."""
    return [any(a.get("text") == "示例数据" for a in json.loads(c.proto.spec)["layout"].get("annotations", []))
            for c in at.get("plotly_chart")]


@pytest.fixture
def store(db_path):
    store = service.open_store(db_path)
    service.load_demo(store)  # 1
    return store


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_demo_exactly_while_it_is_shown(store, page):
    at = app(page)
    assert not at.exception and not at.error
    assert banners(at) == [BANNER]
    service.import_file(store, filled_template(store, GOOD), file_name="年报.xlsx", user=User("张三", STATISTICIAN))  # 2
    at = app(page)
    assert not at.exception and not at.error
    assert banners(at) == []


def test_charts_and_their_file_names_carry_the_mark_only_on_demo_data(store):
    at = app("pages/goal.py", code="overseas_patents_new")
    assert chart_files(at) == ["新增海外专利授权_全区_示例数据"] and marks(at) == [True]
    service.import_file(store, filled_template(store, GOOD), file_name="年报.xlsx", user=User("张三", STATISTICIAN))  # 2
    at = app("pages/goal.py", code="overseas_patents_new")
    assert chart_files(at) == ["新增海外专利授权_全区"] and marks(at) == [False]
    store.rollback(1, user="张三")  # 3: exact history, the demo is back and says so again
    at = app("pages/goal.py", code="overseas_patents_new")
    assert banners(at) == [BANNER]
    assert chart_files(at) == ["新增海外专利授权_全区_示例数据"] and marks(at) == [True]
