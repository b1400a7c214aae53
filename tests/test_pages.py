"""Pages driven by streamlit.testing.v1.AppTest on a real DuckDB file: demo data and empty store."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from ipdata import service
from tests.conftest import ROOT

TIMEOUT = 60
PAGES = ["pages/overview.py", "pages/goal.py", "pages/category.py", "pages/regions.py",
         "pages/tasks.py", "pages/export.py", "pages/data.py", "pages/brief.py"]


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


def shown(at) -> str:
    """texts(at) and the HTML a page puts on screen (the brief's card is st.html)."""
    return "\n".join([texts(at), *(h.proto.body for h in at.html)])


def tile_count(at) -> int:
    return sum(str(m.value).count('class="ip-tile"') for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_demo_data(demo_db, page):
    at = app(page)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "示例数据" in shown(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_store(db_path, page):
    at = app(page)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "示例数据" not in "\n".join(w.value for w in at.warning)


def test_overview_scorecard_tiles_and_filters(demo_db):
    at = app()
    assert "截至2024年（序时进度75%），19 项有目标的指标中" in texts(at)
    assert tile_count(at) == 20  # the numeric goals; the rank goal (issue 13) is listed apart
    assert ("**排名目标**（名次，不计入上面的进度和计数）\n\n- ？ 数据不足｜知识产权产出主要指标全省排名：尚未上传排名"
            in texts(at))
    # a tile links to its goal page within the session, naming the plan in the URL (a link sent on opens it)
    [link] = [k.proto for k in at.get("page_link") if k.proto.query_string.startswith("code=hv_invention_per10k&")]
    assert link.query_string == "code=hv_invention_per10k&plan=tongzhou-2022-2025" and link.page == "goal"
    assert link.label.startswith("万人高价值发明专利拥有量：基本符合预期，14.9件 2024年，目标 ≥18件")
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
    [methods, data, changes] = at.dataframe
    # the running totals as the sentence prints them: whole 家, the base year said, no None
    assert list(data.value["2022年以来累计"]) == ["基期，不计入", "18", "38", "59"]
    assert "第1版" in data.value["版本"].iloc[0]
    assert "新增贯标单位80家" in texts(at)  # the plan sentence
    assert "None" not in data.value.to_string() and "nan" not in data.value.to_string()


def test_overview_tiles_print_the_rounded_figures(demo_db):
    """What the tiles say, as a leader reads them (demo data, ipdata/demo.py): a count is whole,
    a gap of a percentage is in points, a per-10,000 figure the plan rounds to 0 has no .0."""
    at = app()
    tile_html = "".join(str(m.value) for m in at.markdown if 'class="ip-tile"' in str(m.value))  # one element a tile
    # 正版正货 1 of ≥2: 差1个
    assert ('<div class="ip-val">1个 <small>2024年</small></div>'
            '<div class="ip-tgt">目标 ≥2个 <small>差1个</small></div>') in tile_html
    # 结案率 92.4 % of ≥90 %: 2.4 points over
    assert ('<div class="ip-val">92.4% <small>2024年</small></div>'
            '<div class="ip-tgt">目标 ≥90% <small>超出2.4个百分点</small></div>') in tile_html
    # 87710 / 125.3 = 700.0 works per 10,000 residents, decimals: 0 in the plan; 800 − 700 = 100
    assert '<div class="ip-val">700件 <small>2024年</small></div>' in tile_html and "差100件" in tile_html
    assert "700.0件" not in tile_html and "1350.0家" not in tile_html and "None" not in tile_html


def test_goal_page_sentence_never_rounds_a_miss_into_a_hit(demo_db):
    """正版正货: running total 1 of ≥2, the trend line gives 1.5 in 2025 — shown as 1.5个 with
    0.5个 to go (2个 would read as reached, 差0个 as nothing to do)."""
    at = app("pages/goal.py", code="genuine_goods_demo_new")
    assert ("截至2024年，新增省级“正版正货”示范街区和行业2022年以来累计1个，完成目标进度的50%，序时进度75%，"
            "滞后；按2021年以来趋势，预计2025年达到1.5个，距目标尚差0.5个。") in texts(at)
    [methods, data, changes] = at.dataframe
    assert list(methods.value["数值"])[:3] == ["50%", "75%", "0.67"]  # 1/2, 3/4, 0.5/0.75
    # its 变化记录: the demo load (no file name for a visitor), 1 + 0 + 0 = 1 new since 2021
    assert changes.value[["版本", "类型", "状态"]].values.tolist() == [["第1版", "示例数据", "数据不足 → 滞后"]]
    assert changes.value["变化及原因"][0].startswith("载入示例数据；新报2021—2024年新增数（2024年为0个）；")


def test_milestone_goal_page_gives_its_rule_not_percentages(demo_db):
    """建成省级知识产权保护示范区 is built or not: no 完成进度 0% against 序时进度 75% on its page."""
    at = app("pages/goal.py", code="protection_demo_zone")
    assert "**建设类目标**" in texts(at)
    assert "2025年前建成即达成，建成后一直计为已建成；只看是否建成，不计算完成进度、序时进度和趋势预测。" in texts(at)
    assert "**两种方法的评估**" not in texts(at)
    assert len(at.dataframe) == 2  # the data and its 变化记录; no methods table


def test_goal_page_region_switch(demo_db):
    at = app("pages/goal.py", code="hv_invention_per10k")
    at.selectbox(key="goal_region").set_value("南通高新区").run()
    assert "南通高新区" in texts(at) and "24.1件" in texts(at)


def test_category_page_switches_category(demo_db):
    at = app("pages/category.py")
    assert tile_count(at) == 5  # 创造: 4 numeric goals and the rank goal (issue 13), a tile each
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


def elements(node) -> list:
    """The page's elements in the order they are shown (containers opened)."""
    out = []
    for child in getattr(node, "children", {}).values():
        out += elements(child) if getattr(child, "children", None) else [child]
    return out


def test_overview_lists_the_goals_needing_attention_above_the_tiles(demo_db):
    """A leader on a phone sees which goals lag and by how much right under the headline, not in
    grey small print below 20 tiles (four screens down); worst first, as the brief and the report
    list them (ipdata/attention.py; demo data, ipdata/demo.py). A laptop is sent the same list below
    the tiles, which fill its first screen (CSS shows one: tests/test_browser_phone.py)."""
    at = app()
    shown = elements(at.main)
    lists = [i for i, e in enumerate(shown) if "ip-attn-goal" in str(getattr(e.proto, "body", ""))]
    tiles_at = [i for i, e in enumerate(shown) if 'class="ip-tile"' in str(getattr(e, "value", ""))]
    headline = next(i for i, e in enumerate(shown) if "截至2024年（序时进度75%）" in str(getattr(e, "value", "")))
    [phone, laptop] = lists
    assert headline < phone < tiles_at[0] and tiles_at[-1] < laptop
    assert texts(at).count("**需重点关注：滞后、倒退或未完成（6 项，最落后的在前）**") == 2
    body = shown[phone].proto.body
    assert shown[laptop].proto.body == body
    goals = re.findall(r'<span class="ip-attn-name">(.*?)</span>.*?>(. \S+)</span><div class="ip-attn-facts">(.*?)</div>',
                       body)
    assert goals == [
        ("建成省级知识产权保护示范区", "○ 未建成", "截至2024年尚未建成"),
        ("知识产权服务机构从业人员", "✖ 倒退", "2024年116人，目标≥200人，差84人"),
        ("新增省级“正版正货”示范街区和行业", "▼ 滞后", "2024年1个，目标≥2个，差1个"),
        ("新增国家知识产权优势示范企业", "▼ 滞后", "2024年3家，目标≥6家，差3家"),
        ("专利密集型产业增加值占GDP比重", "▼ 滞后", "2024年14.2%，目标≥16%，差1.8个百分点"),
        ("万人作品著作权登记量", "▼ 滞后", "2024年700件，目标≥800件，差100件")]
    # the reason and who answers for it, on hover
    assert 'title="完成进度-5%为负：2024年值116人比2021年基期值120人更远离目标；责任单位：区市场监管局(知识产权局)、南通高新区、川姜镇"' in body
    assert not [c.value for c in at.caption if "需重点关注" in c.value]  # said once, not again below the tiles


def test_overview_counts_the_goals_needing_attention_past_six(demo_db, monkeypatch):
    from ipdata.attention import Attention

    many = tuple(Attention(f"g{i}", f"指标{i}", "滞后", f"差{i}件", "") for i in range(9))
    monkeypatch.setattr("ipdata.attention.attention", lambda plan, frame: many)
    at = app()
    assert texts(at).count("**需重点关注：滞后、倒退或未完成（9 项，最落后的在前）**　另有 3 项，见色块") == 2
    for body in [h.proto.body for h in at.html if "ip-attn-goal" in h.proto.body]:
        assert body.count('class="ip-attn-goal"') == 6


def test_the_login_hint_says_where_the_phone_keeps_the_account(demo_db):
    """On a phone the top bar's 账户 is in the 菜单: the hint must be true on both."""
    at = app("pages/data.py")
    assert any("身份登录：页面顶部的“账户”（手机上在“菜单”中）。" in i.value for i in at.info)


def _page_with_a_bug() -> None:
    from pages import components as ui

    ui.guarded(lambda: {}["任务进度"])


def test_a_page_that_fails_for_a_bug_says_so_in_chinese_with_a_reference():
    """No English class name (KeyError) reaches the user: six digits the maintainer finds in the log."""
    import re

    at = AppTest.from_function(_page_with_a_bug, default_timeout=60).run()
    assert not at.exception
    (error,) = at.error
    assert re.fullmatch(r"页面出现内部错误（错误编号 \d{6}），请刷新重试；如仍出现，请把错误编号告诉维护人员。", error.value)
