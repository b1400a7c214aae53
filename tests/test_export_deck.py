"""The PowerPoint deck: opened again with python-pptx, checked against the store by hand."""

import datetime as dt
import io

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Inches

from ipdata import service
from ipdata.errors import IpdataError
from ipdata.outputs.deck import Inputs, build_deck


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    store = service.open_store(tmp_path_factory.mktemp("deck") / "demo.duckdb")
    service.load_demo(store)
    return store


@pytest.fixture(scope="module")
def deck(demo_store):
    return Presentation(io.BytesIO(build_deck(demo_store, today=dt.date(2025, 3, 1))))


def slide_text(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def charts(slide):
    return [s.chart for s in slide.shapes if s.has_chart]


def series(chart) -> dict[str, tuple]:
    return {s.name: s.values for s in chart.plots[0].series}


def goal_slide(deck, name):
    return next(s for s in list(deck.slides)[2:] if slide_text(s).startswith(name))


def test_slide_count_size_and_title(deck, demo_store):
    assert len(deck.slides) == 1 + 1 + len(demo_store.plan.goals)  # title, overview, 20 goals
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    title = slide_text(deck.slides[0])
    assert demo_store.plan.title in title
    assert "数据截至 2024年" in title and "示例数据" in title and "生成日期 2025年03月01日" in title


def test_every_goal_slide_holds_a_native_chart_not_a_picture(deck):
    for slide in list(deck.slides)[2:]:
        assert len(charts(slide)) == 1, slide_text(slide)[:30]
        assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_chart_series_equal_the_stored_values(deck):
    chart = charts(goal_slide(deck, "万人高价值发明专利拥有量"))[0]
    assert list(chart.plots[0].categories) == ["2021", "2022", "2023", "2024", "2025"]
    s = series(chart)
    assert list(s) == ["实际值", "目标", "达标所需路径"]
    assert s["实际值"] == (8.2, 10.1, 12.0, 14.9, None)
    assert s["目标"] == (None, None, None, None, 18.0)
    assert s["达标所需路径"] == pytest.approx((8.2, 10.65, 13.1, 15.55, 18.0))
    # the data are embedded in the chart's own workbook, so PowerPoint/WPS can edit them
    assert chart.part.chart_workbook.xlsx_part is not None


def test_cumulative_goal_shows_running_totals(deck):
    slide = goal_slide(deck, "新增贯标单位")
    s = series(charts(slide)[0])
    assert s["实际值"][:4] == (0.0, 18.0, 38.0, 59.0)
    assert s["目标"][4] == 80.0
    text = slide_text(slide)
    assert "基本符合预期" in text and "2022年以来累计59家" in text  # status and narrative
    assert "规划原文：“" in text and "新增贯标单位80家" in text and "数据版本：第1版" in text


def test_overview_table_with_coloured_status_cells(deck):
    [table] = [s.table for s in deck.slides[1].shapes if s.has_table]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["指标", "最新值", "2025年目标", "完成进度", "序时进度", "状态"]
    first = [c.text for c in table.rows[1].cells]
    assert first == ["万人高价值发明专利拥有量", "14.9件（2024年）", "≥18件", "68.4%", "75%", "● 基本符合预期"]
    status_cell = table.rows[1].cells[5]
    assert str(status_cell.fill.fore_color.rgb) == "56B4E9"


def test_every_text_run_has_an_east_asian_face(deck):
    roots = []
    for slide in deck.slides:
        roots.append(slide.shapes._spTree)
        roots += [c._chartSpace for c in charts(slide)]
    runs = 0
    for root in roots:
        for el in root.iter(qn("a:r"), qn("a:defRPr")):
            props = el if el.tag == qn("a:defRPr") else el.find(qn("a:rPr"))
            ea = None if props is None else props.find(qn("a:ea"))
            assert ea is not None and ea.get("typeface"), etree.tostring(el, encoding="unicode")[:200]
            runs += 1
    assert runs > 300
    chart_xml = etree.tostring(charts(deck.slides[2])[0]._chartSpace, encoding="unicode")
    assert "<c:txPr>" in chart_xml and 'a:ea typeface="Microsoft YaHei"' in chart_xml


def test_selection_by_category_and_region(demo_store):
    deck = Presentation(io.BytesIO(build_deck(demo_store, categories=["创造"], regions=["川姜镇"])))
    texts = [slide_text(s) for s in deck.slides]
    creation = [g for g in demo_store.plan.goals if g.category == "创造"]
    # title, overview, the category's goals, then 川姜镇: its table and its 2 goals with data in 创造
    assert len(deck.slides) == 2 + len(creation) + 1 + 1
    assert texts[2 + len(creation)].startswith("川姜镇指标完成情况")
    chart = charts(deck.slides[-1])[0]
    assert texts[-1].startswith("万人高价值发明专利拥有量（川姜镇）")
    assert series(chart)["实际值"][:4] == (4.1, 4.9, 5.8, 6.6)


def test_unknown_goal_category_or_region_is_refused(demo_store):
    with pytest.raises(IpdataError, match="没有这些指标代码：nope"):
        build_deck(demo_store, goals=["nope"])
    with pytest.raises(IpdataError, match="没有这些类别"):
        build_deck(demo_store, categories=["外星"])
    with pytest.raises(IpdataError, match="没有这些地区：火星"):
        build_deck(demo_store, regions=["火星"])


def test_empty_store_still_gives_a_deck(tmp_path):
    store = service.open_store(tmp_path / "empty.duckdb")
    deck = Presentation(io.BytesIO(build_deck(Inputs.from_store(store))))
    assert len(deck.slides) == 2 + len(store.plan.goals)
    assert "暂无数据" in slide_text(deck.slides[0]) and "示例数据" not in slide_text(deck.slides[0])
    assert all(v is None for v in series(charts(deck.slides[2])[0])["实际值"])


def test_every_shape_lies_on_the_slide(deck):
    for i, slide in enumerate(deck.slides):
        for s in slide.shapes:
            assert s.left >= 0 and s.top >= 0, (i, s.name)
            assert s.left + s.width <= deck.slide_width and s.top + s.height <= deck.slide_height, (i, s.name)
