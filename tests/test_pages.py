"""Pages driven by streamlit.testing.v1.AppTest on a real DuckDB file."""

from streamlit.testing.v1 import AppTest

from ipdata import service
from tests.conftest import ROOT

TIMEOUT = 30


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)


def test_overview_on_demo_data(db_path):
    service.load_demo(service.open_store(db_path))
    at = app().run()
    assert not at.exception
    assert any("示例数据" in w.value for w in at.warning)
    [table] = at.dataframe
    assert len(table.value) == 20
    row = table.value.set_index("指标").loc["万人高价值发明专利拥有量"]
    assert (row["最新年份"], row["最新值"], row["2025年目标"], row["完成进度"], row["状态"]) == (
        2024, "14.9", "≥18件", "68.4%", "基本符合预期")  # (14.9-8.2)/(18-8.2)
    assert table.value.set_index("指标").loc["新增贯标单位", "最新值"] == "59"  # 18+20+21 since 2021


def test_overview_on_empty_store(db_path):
    at = app().run()
    assert not at.exception
    assert any("还没有数据" in i.value for i in at.info)
    assert not any("示例数据" in w.value for w in at.warning)
    assert len(at.dataframe[0].value) == 20
