"""The overview and the regions page once the plan's target year has data (终期评估), and before it:
AppTest on a real DuckDB file holding a workbook imported as a statistician would (the data of
tests/test_evaluation.py, verdicts computed by hand there)."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from ipdata import service, settings
from tests.conftest import ROOT
from tests.test_evaluation import import_workbook

TIMEOUT = 60


def app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def markdown(at) -> list[str]:
    return [str(m.value) for m in at.markdown]


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def tiles(at) -> str:
    """Every tile's face (one markdown element each)."""
    return "".join(m for m in markdown(at) if 'class="ip-tile"' in m)


def section(at, title: str) -> str:
    [text] = [m for m in markdown(at) if m.startswith(f"##### {title}")]
    return text


@pytest.fixture
def final_db(db_path, tmp_path):
    import_workbook(db_path, tmp_path)
    return db_path


def test_overview_headline_is_achieved_over_judged(final_db):
    at = app()
    [metric] = at.metric
    assert (metric.label, metric.value) == ("2025年终期评估（有量化目标的指标）", "达成 4 / 19")
    assert ("**终期评估：19 项有目标的指标中达成 4 项，未达成 4 项；1 项2024年已达到目标、2025年数据尚未上传，"
            "不计入达成；10 项尚无2025年数据。**") in markdown(at)
    assert not any("序时进度" in m for m in markdown(at) + [str(c.value) for c in at.caption])


def test_overview_lists_the_missed_goals_with_gaps_and_units(final_db):
    missed = section(app(), "未达成（4 项）").split("\n")[2:]
    # markdown-escaped brackets: the units are shown as written in the plan
    assert missed == [
        r"- ✖ 万人高价值发明专利拥有量：2025年为17.6件，未达到目标≥18件，差0.4件。责任单位：区市场监管局\(知识产权局\)、"
        r"区科技局、南通高新区、各镇\(街道\)（二.1 实施高价值专利培育工程）",
        "- ✖ 新增海外专利授权：2022—2025年累计27件，未达到目标≥30件，差3件。责任单位：规划未列出相关任务",
        "- ✖ 建成省级知识产权保护示范区：截至2025年尚未建成。责任单位：规划未列出相关任务",
        r"- ✖ 全社会知识产权满意度：2025年为85.0%，未达到目标\>85%，恰为目标值，尚未超过。责任单位：规划未列出相关任务"]


def test_overview_marks_a_goal_met_only_earlier_and_lists_ranks_apart(final_db):
    at = app()
    pending = section(at, "待定（11 项）")
    assert "- … 马德里商标注册量累计：2024年已达到目标，2025年数据尚未上传。" in pending
    met = section(at, "达成（4 项）")
    assert "马德里" not in met and "- ✔ 案件结案率：2025年为92.4%，达到目标≥90%，超出2.4个百分点。" in met
    [ranks] = [m for m in markdown(at) if m.startswith("**排名目标**")]
    assert "- ✔ 知识产权产出主要指标全省排名：2025年在全省县\\(市、区\\)中排第8名" in ranks
    [table] = at.dataframe
    rows = table.value.set_index("指标")
    assert rows.loc["万人高价值发明专利拥有量", "责任单位"] == "区市场监管局(知识产权局)、区科技局、南通高新区、各镇(街道)"
    assert rows.loc["马德里商标注册量累计", ["结论", "最新年份"]].tolist() == ["待定", "2024"]


def test_overview_draws_no_schedule(final_db):
    at = app()
    for chart in charts(at):  # the wide figure and the phone's
        assert chart["layout"]["title"]["text"] == "终期完成进度"
        assert [t["name"] for t in chart["data"]] == ["完成进度", "状态"]  # no 序时进度 trace
    tile_html = tiles(at)
    assert '<i style="left:' not in tile_html  # no 序时进度 marker on any tile
    assert "待定" in tile_html and "2025年数据尚未上传" in tile_html


def test_regions_page_gives_each_region_its_final_verdict(final_db):
    at = app("pages/regions.py")
    by_goal, summary = [d.value for d in at.dataframe]  # the first region, 兴仁镇, has no target: no card
    assert by_goal[["地区", "终期结论"]].values.tolist() == [
        ["南通高新区", "达成"], ["金沙街道", "未达成"], ["川姜镇", "待定"], ["兴仁镇", "无分解目标"]]
    assert "完成进度" not in by_goal.columns
    assert summary[["地区", "终期结论"]].values.tolist() == [
        ["南通高新区", "达成 1 / 1"], ["川姜镇", "达成 0 / 1"], ["金沙街道", "达成 0 / 1"]]
    assert "#### 各镇(街道)终期评估（对照各自的分解目标）" in markdown(at)
    bars = charts(at)[0]
    labels = next(t for t in bars["data"] if t["name"] == "标注")["text"]
    assert labels == [" 28.3件<br> ✔ 达成", " 9.5件<br> ✖ 未达成", " 8.1件<br> … 待定", " 4.0件"]  # status on its own line
    at.selectbox(key="region_card").set_value("金沙街道").run()
    card = at.dataframe[-1].value
    assert card[["指标", "结论", "差距"]].values.tolist() == [["万人高价值发明专利拥有量", "未达成", "差0.5件"]]
    assert not at.info
    at.selectbox(key="region_card").set_value("兴仁镇").run()
    assert [i.value for i in at.info] == ["兴仁镇没有分解目标，终期不单独评价。"]


def test_goal_page_gives_the_verdict_its_tile_gave(final_db):
    """A leader taps the 待定 tile of 马德里商标注册量累计 (met in 2024, no 2025 value): the goal page
    says 待定 and why, not the engine's 已完成; a goal missed says 未达成; a trend goal keeps its own."""
    at = app("pages/goal.py")
    for code, verdict, reason in (
            ("madrid_marks_total", "… 待定", "**终期结论：待定**（2024年已达到目标，2025年数据尚未上传）"),
            ("hv_invention_per10k", "✖ 未达成", "**终期结论：未达成**（2025年为17.6件，未达到目标≥18件，差0.4件）")):
        at.selectbox(key="goal_code").set_value(code).run()
        assert not at.exception
        [header] = [m for m in markdown(at) if m.startswith("### ")]
        assert verdict in header and "已完成" not in header
        assert reason in markdown(at)
    at.selectbox(key="goal_code").set_value("license_trade").run()
    assert not any(m.startswith("**终期结论") for m in markdown(at))


def test_before_the_target_year_the_overview_stays_as_it_is(db_path, tmp_path):
    import_workbook(db_path, tmp_path, last_year=2024)
    at = app()
    assert not at.metric
    headline = next(m for m in markdown(at) if "截至2024年" in m)
    assert "截至2024年（序时进度75%），19 项有目标的指标中：" in headline and "终期结论待定" in headline
    wide, narrow = charts(at)  # the phone's figure shown below 640 px
    assert "序时进度" in [t["name"] for t in wide["data"]] and "序时进度" in [t["name"] for t in narrow["data"]]
    assert narrow["layout"]["yaxis"]["showticklabels"] is False
    assert '<i style="left:' in tiles(at)
    assert not any(m.startswith("##### 未达成") for m in markdown(at))
    goal = app("pages/goal.py")
    assert not any(m.startswith("**终期结论") for m in markdown(goal))
    regions = app("pages/regions.py")
    assert "完成进度" in regions.dataframe[0].value.columns
    assert not any("终期评估" in m for m in markdown(regions))


def test_category_page_tiles_give_verdicts_without_schedule(final_db):
    at = app("pages/category.py")
    tile_html = tiles(at)
    assert '<i style="left:' not in tile_html  # no 序时进度 marker, as on the overview
    assert "未达成" in tile_html and "差0.4件" in tile_html  # 万人高价值发明专利拥有量 in 创造


def test_a_plan_without_key_tasks_names_no_units_under_its_missed_goals(db_path, tmp_path, monkeypatch):
    """As the brief and the 自评报告 say it (ipdata/attention.py): once, not 责任单位：规划未列出相关任务
    under every missed goal."""
    from tests.second_plan import VARIANTS, use_plan
    from tests.store_helpers import upload

    store = service.open_store(settings.db_path(), use_plan(monkeypatch, tmp_path, VARIANTS["qingxi-no-tasks"]))
    # 办案天数 90 → 95 days in 2030 against ≤60; PCT 5 a year, 20 of 120: both missed in the target year
    pct = "".join(f"\nqx_pct_new,全县,{year},5" for year in range(2027, 2031))
    store.apply(upload("series,region,year,value\nqx_case_days,全县,2026,90\nqx_case_days,全县,2030,95" + pct),
                "王统计")
    text = section(app(), "未达成（2 项）")
    assert text.count("规划未列出重点任务，不列责任单位。") == 1
    assert "责任单位：" not in text
    assert "- ✖ 专利侵权纠纷平均办案天数：" in text and "- ✖ 新增PCT国际专利申请：" in text
