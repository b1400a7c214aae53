"""The PowerPoint deck, opened again with python-pptx and lxml as a reader would: sizes of every
text, the overview split over slides, milestones as a dated line, label geometry recomputed from
the chart's own XML, East Asian faces; then rendered by LibreOffice and read back with pdftotext."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches
from store_helpers import new_store, upload

from ipdata import service
from ipdata.errors import IpdataError
from ipdata.outputs.deck import Inputs, build_deck
from ipdata.outputs.deck.chart import target_label
from ipdata.outputs.report.pdf import soffice, to_pdf

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MILESTONES = ("建成区级重点产业知识产权运营平台", "建成省级知识产权保护示范区", "建成知识产权公共服务平台")
TABLES = 3  # 20 goals with a progress row (21 less the rank goal): 7 + 7 + 6


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    store = service.open_store(tmp_path_factory.mktemp("deck") / "demo.duckdb")
    service.load_demo(store)
    return store


@pytest.fixture(scope="module")
def deck_bytes(demo_store):
    return build_deck(demo_store, today=dt.date(2025, 3, 1))


@pytest.fixture(scope="module")
def deck(deck_bytes):
    return Presentation(io.BytesIO(deck_bytes))


@pytest.fixture(scope="module")
def final_deck(tmp_path_factory):
    """Target-year data: the latest value and the target fall on the same year, 2025."""
    store = new_store(tmp_path_factory.mktemp("final") / "final.duckdb")
    rows = [("hv_invention_per10k", y, v) for y, v in ((2021, 8.2), (2022, 10.5), (2023, 12.6), (2024, 14.9),
                                                        (2025, 18.2))]
    rows += [("case_closure_rate", y, v) for y, v in ((2021, 86.5), (2022, 88.0), (2023, 91.2), (2024, 92.4),
                                                      (2025, 89.9))]
    rows += [("public_service_platform", y, v) for y, v in ((2022, 0), (2023, 0), (2024, 1), (2025, 1))]
    store.apply(upload("series,region,year,value\n" + "\n".join(f"{c},全区,{y},{v}" for c, y, v in rows)),
                user="张三")
    return Presentation(io.BytesIO(build_deck(store, goals=["hv_invention_per10k", "case_closure_rate",
                                                            "public_service_platform"])))


def slide_text(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def title(slide) -> str:
    return next(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def charts(slide):
    return [s.chart for s in slide.shapes if s.has_chart]


def series(chart) -> dict[str, tuple]:
    return {s.name: s.values for s in chart.plots[0].series}


def goal_slide(deck, name):
    return next(s for s in deck.slides if title(s) == name)


def tables(deck, prefix="指标完成情况总览（"):
    return [(title(s), next(sh.table for sh in s.shapes if sh.has_table)) for s in deck.slides
            if title(s).startswith(prefix)]


def test_slide_count_size_and_title(deck, demo_store):
    # title, the overview's counts, its table over 3 slides, 21 goals
    assert len(deck.slides) == 1 + 1 + TABLES + len(demo_store.plan.goals) == 26
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    text = slide_text(deck.slides[0])
    assert demo_store.plan.title in text
    assert "数据截至 2024年" in text and "示例数据" in text and "生成日期 2025年03月01日" in text


def test_overview_counts_slide(deck):
    slide = deck.slides[1]
    assert title(slide) == "指标完成情况总览"
    text = slide_text(slide)
    assert "19 项有目标的指标中：已完成 2 项，已建成 2 项" in text
    tiles = [s.text_frame.text for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE]
    assert tiles == ["2 项\n✔ 已完成", "2 项\n✔ 已建成", "6 项\n▲ 快于预期", "3 项\n● 基本符合预期", "4 项\n▼ 滞后",
                     "1 项\n✖ 倒退", "1 项\n○ 未建成", "1 项\n↗ 增长"]
    assert "排名目标：知识产权产出主要指标全省排名数据不足：尚未上传排名。" in text
    assert "需重点关注：建成省级知识产权保护示范区" in text


def test_overview_table_split_over_slides_every_goal_once(deck, demo_store):
    found = tables(deck)
    assert [t for t, _ in found] == ["指标完成情况总览（1/3）", "指标完成情况总览（2/3）", "指标完成情况总览（3/3）"]
    assert [len(t.rows) - 1 for _, t in found] == [7, 7, 6]
    names = [r.cells[0].text for _, t in found for r in list(t.rows)[1:]]
    numeric = [g.name for g in demo_store.plan.goals if g.kind != "rank"]
    assert names == numeric and len(set(names)) == 20  # every goal exactly once, in plan order
    for _, t in found:
        assert [c.text for c in t.rows[0].cells] == ["指标", "2025年目标", "完成值", "完成进度", "序时进度", "状态"]
    first = found[0][1]
    assert [c.text for c in first.rows[1].cells] == ["万人高价值发明专利拥有量", "≥18件", "14.9件（2024年）", "68.4%",
                                                     "75%", "● 基本符合预期"]
    assert str(first.rows[1].cells[5].fill.fore_color.rgb) == "56B4E9"  # coloured and worded
    rows = {r.cells[0].text: [c.text for c in r.cells] for _, t in found for r in list(t.rows)[1:]}
    assert rows["建成区级重点产业知识产权运营平台"][1:3] == ["建成", "2023年建成"]  # the milestone, dated, in the report's words
    assert rows["建成省级知识产权保护示范区"][2] == "尚未建成（2024年）"
    # a milestone is built or not: no percentages (as the 自评报告's table); 完成进度, 序时进度 and
    # status the same as the report's for every goal
    assert rows["建成区级重点产业知识产权运营平台"][3:5] == ["—", "—"]
    from docx import Document

    from ipdata.outputs.report import build_report

    report = Document(io.BytesIO(build_report(demo_store, today=dt.date(2025, 3, 1), charts=False)))
    summary = next(t for t in report.tables if [c.text for c in t.rows[0].cells][:2] == ["指标", "目标"])
    said = {r.cells[0].text: [c.text for c in r.cells] for r in list(summary.rows)[1:]}
    assert said.keys() >= rows.keys()
    for name, row in rows.items():
        assert row[3:5] == said[name][3:5] and row[5].split(" ", 1)[1] == said[name][5], name
    built = "建成区级重点产业知识产权运营平台"
    assert rows[built][2] == said[built][2] == "2023年建成"


def _sizes(root) -> list[int]:
    return [int(el.get("sz")) for el in root.iter(qn("a:rPr"), qn("a:defRPr"), qn("a:endParaRPr"))
            if el.get("sz") is not None]


def test_nothing_under_14_pt(deck, final_deck):
    for prs in (deck, final_deck):
        for slide in prs.slides:
            root = slide.shapes._spTree
            for r in root.iter(qn("a:r")):  # every run says its size: nothing left to a default
                rpr = r.find(qn("a:rPr"))
                assert rpr is not None and int(rpr.get("sz")) >= 1400, (title(slide), etree.tostring(r)[:120])
            assert min(_sizes(root)) >= 1400, title(slide)
            for chart in charts(slide):
                space = chart._chartSpace
                assert min(_sizes(space)) >= 1400, title(slide)
                # the chart's own text: default, both axes' ticks, the legend, every data label
                assert int(space.find(f"{qn('c:txPr')}//{qn('a:defRPr')}").get("sz")) >= 1400
                for part in ("c:valAx", "c:catAx", "c:legend"):
                    el = space.find(f".//{qn(part)}/{qn('c:txPr')}//{qn('a:defRPr')}")
                    assert el is not None and int(el.get("sz")) >= 1400, part
                for label in space.iter(qn("c:dLbl")):
                    runs = label.findall(f".//{qn('a:r')}")
                    assert runs and all(int(r.find(qn("a:rPr")).get("sz")) >= 1600 for r in runs)


def test_every_goal_with_a_line_holds_a_native_chart_not_a_picture(deck):
    for slide in list(deck.slides)[1 + 1 + TABLES:]:
        assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(charts(slide)) == (0 if title(slide) in MILESTONES else 1), title(slide)


def _dated_line(slide) -> tuple[list[str], list[str]]:
    """The year labels and the state labels of a milestone's dated line, left to right."""
    boxes = [s.text_frame.text for s in slide.shapes if s.has_text_frame and len(s.text_frame.text) < 20]
    return ([b for b in boxes if b.endswith("年")],
            [b for b in boxes if b.split("\n")[0] in ("○ 未建成", "✔ 已建成", "无数据")])


def test_milestones_are_a_dated_line_not_a_0_1_chart(deck, final_deck):
    slide = goal_slide(deck, "建成区级重点产业知识产权运营平台")  # 0, 0, 1, 1 in 2021-2024
    assert charts(slide) == []
    years, states = _dated_line(slide)
    assert years == ["2021年", "2022年", "2023年", "2024年", "目标：2025年前建成\n2025年"]
    assert states == ["○ 未建成", "○ 未建成", "✔ 已建成\n首次填报建成", "✔ 已建成", "无数据"]
    assert "最新值：2023年建成" in slide_text(slide) and "目标：2025年前建成" in slide_text(slide)
    final = goal_slide(final_deck, "建成知识产权公共服务平台")  # 0, 0, 1, 1 in 2022-2025
    text = slide_text(final)
    _, states = _dated_line(final)
    assert charts(final) == [] and states == ["无数据", "○ 未建成", "○ 未建成", "✔ 已建成\n首次填报建成", "✔ 已建成"]
    assert "最新值：2024年建成" in text
    for prs in (deck, final_deck):  # no milestone anywhere is drawn as a (0/1) chart
        assert not [title(s) for s in prs.slides if charts(s) and title(s) in MILESTONES]


# --- label geometry, recomputed from the chart XML as a renderer lays it out -------------------

def _label_boxes(frame) -> list[tuple[str, int, float, str, tuple[float, float, float, float]]]:
    """(series, point, value, position, box in pt) of every value label of a chart frame: the plot
    area from its manual layout, the value axis from its fixed scale, points centred in their
    category slots, a label's width from its text (CJK 1 em, others 0.6 em) and its height 1.2
    lines, above or below its marker."""
    space = frame.chart._chartSpace
    width, height = Emu(frame.width).pt, Emu(frame.height).pt
    ml = space.find(f".//{qn('c:plotArea')}/{qn('c:layout')}/{qn('c:manualLayout')}")
    x, y, w, h = (float(ml.find(qn(f"c:{k}")).get("val")) for k in ("x", "y", "w", "h"))
    assert ml.find(qn("c:layoutTarget")).get("val") == "inner"
    px0, py0, pw, ph = x * width, y * height, w * width, h * height
    scaling = space.find(f".//{qn('c:valAx')}/{qn('c:scaling')}")
    lo, hi = (float(scaling.find(qn(f"c:{k}")).get("val")) for k in ("min", "max"))
    assert space.find(f".//{qn('c:crossBetween')}").get("val") == "between"
    out = []
    for ser in space.iter(qn("c:ser")):
        name = ser.find(f"{qn('c:tx')}//{qn('c:v')}").text
        values = {int(p.get("idx")): float(p.find(qn("c:v")).text) for p in ser.find(qn("c:val")).iter(qn("c:pt"))}
        count = int(ser.find(f"{qn('c:cat')}//{qn('c:ptCount')}").get("val"))
        marker = ser.find(f"{qn('c:marker')}/{qn('c:size')}")
        radius = int(marker.get("val")) / 2 if marker is not None else 0
        for label in ser.iter(qn("c:dLbl")):
            i = int(label.find(qn("c:idx")).get("val"))
            text = "".join(t.text for t in label.iter(qn("a:t")))
            size = int(label.find(f".//{qn('a:rPr')}").get("sz")) / 100
            pos = label.find(qn("c:dLblPos")).get("val")
            cx = px0 + (i + 0.5) * pw / count
            cy = py0 + ph - (values[i] - lo) / (hi - lo) * ph
            tw = sum(size if ord(c) > 0x2E80 else 0.6 * size for c in text)
            th = 1.2 * size
            top = cy - radius - 2 - th if pos == "t" else cy + radius + 2
            out.append((name, i, values[i], pos, (cx - tw / 2, top, cx + tw / 2, top + th)))
            assert py0 - 2 <= top and top + th <= py0 + ph + 2, (name, i, text)  # inside the plot
            # on one line (a viewer wraps a label at its own width otherwise: 目标≥3200亿 / 元),
            # within the frame's width (a label past its edge is wrapped or cut)
            assert label.find(f".//{qn('a:bodyPr')}").get("wrap") == "none", (name, i, text)
            assert cx - tw / 2 >= 0 and cx + tw / 2 <= width, (name, i, text, cx + tw / 2, width)
    return out


def _meet(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _all_labels(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                yield title(slide), _label_boxes(shape)


def test_no_two_value_labels_meet_and_latest_and_target_are_labelled(deck, final_deck):
    checked = 0
    for prs in (deck, final_deck):
        for name, labels in _all_labels(prs):
            for k, a in enumerate(labels):
                for b in labels[k + 1:]:
                    assert not _meet(a[4], b[4]), (name, a[:4], b[:4])
            chart = charts(goal_slide(prs, name))[0]
            actual = series(chart)["实际值"]
            if any(v is not None for v in actual):
                latest = max(i for i, v in enumerate(actual) if v is not None)
                assert ("实际值", latest) in [(s, i) for s, i, *_ in labels], name
            if "目标" in series(chart):
                assert "目标" in [s for s, *_ in labels], name
            checked += 1
    assert checked >= 17


@pytest.fixture(scope="module")
def national_deck(tmp_path_factory):
    """The national plan's demo: six years on the axis, so the target sits nearer the frame's edge."""
    store = service.open_store(tmp_path_factory.mktemp("national") / "n.duckdb", plan="national-ip-2021-2025")
    service.load_demo(store)
    return Presentation(io.BytesIO(build_deck(store)))


def test_labels_of_the_national_plan_stay_on_one_line_inside_the_frame(national_deck):
    found = dict(_all_labels(national_deck))  # _label_boxes checks one line and the frame's width
    pledge = found["知识产权质押融资登记金额"]  # 目标≥3200亿元 beside 2025, the sixth year
    assert [(s, i) for s, i, *_ in pledge if s == "目标"] == [("目标", 5)]


def test_target_label_is_short_where_the_written_target_is_long(deck):
    assert target_label("≥18件") == "目标≥18件"
    assert target_label("≥31.47亿元（年均增长12%）") == "目标≥31.47亿元"  # the full target is beside the chart
    chart = charts(goal_slide(deck, "知识产权产出主要指标全省排名"))[0]
    texts = ["".join(t.text for t in lbl.iter(qn("a:t"))) for lbl in chart._chartSpace.iter(qn("c:dLbl"))]
    assert texts == ["目标前10名"]  # not 目标全省县（市、区）第一方阵（前10名） over four lines
    assert "目标：全省县(市、区)第一方阵（前10名）" in slide_text(goal_slide(deck, "知识产权产出主要指标全省排名"))


def _ticks(chart) -> list[str]:
    """The value axis's tick labels as a viewer prints them (its scale and number format)."""
    va = chart.value_axis
    fmt = va._element.find(qn("c:numFmt")).get("formatCode")
    decimals = len(fmt.split(".")[1]) if "." in fmt else 0
    count = round((va.maximum_scale - va.minimum_scale) / va.major_unit)
    return [f"{va.minimum_scale + k * va.major_unit:.{decimals}f}" for k in range(count + 1)]


def test_value_ticks_are_distinct_and_carry_no_idle_decimals(deck, national_deck):
    for prs in (deck, national_deck):
        for slide in prs.slides:
            for chart in charts(slide):
                ticks = _ticks(chart)
                assert len(set(ticks)) == len(ticks), (title(slide), ticks)  # not 0, 1, 1, 2, 2, 3
                assert not all(t.endswith("0") and "." in t for t in ticks), (title(slide), ticks)  # not 25.00
    # a count of 2 goals: whole ticks (the step was 0.5, printed in the goal's format as 0, 1, 1, 2, 2, 3)
    assert _ticks(charts(goal_slide(deck, "新增省级“正版正货”示范街区和行业"))[0]) == ["0", "1", "2", "3"]
    assert _ticks(charts(goal_slide(deck, "知识产权质押登记担保金额"))[0]) == ["0", "5", "10", "15", "20", "25"]


def test_no_chart_is_titled_with_its_series_name(deck):
    for slide in deck.slides:
        for chart in charts(slide):
            space = chart._chartSpace
            assert space.find(f"{qn('c:chart')}/{qn('c:autoTitleDeleted')}").get("val") == "1", title(slide)
            assert space.find(f"{qn('c:chart')}/{qn('c:title')}") is None
    trend = charts(goal_slide(deck, "知识产权许可转让贸易额"))[0]  # one series: 实际值 was shown as a title
    assert list(series(trend)) == ["实际值"]


def test_latest_value_and_target_on_the_same_year_go_above_and_below(final_deck):
    def labels(name):
        [(_, boxes)] = [(n, b) for n, b in _all_labels(final_deck) if n == name]
        return {(s, i): (v, p) for s, i, v, p, _ in boxes}

    hv = labels("万人高价值发明专利拥有量")  # 18.2 over the target 18: 18.2 above, 目标 below
    assert hv[("实际值", 4)] == (18.2, "t") and hv[("目标", 4)] == (18.0, "b")
    closure = labels("案件结案率")  # 89.9 under the target 90: 目标 above, 89.9 below
    assert closure[("目标", 4)] == (90.0, "t") and closure[("实际值", 4)] == (89.9, "b")
    chart = charts(goal_slide(final_deck, "万人高价值发明专利拥有量"))[0]
    texts = ["".join(t.text for t in lbl.iter(qn("a:t"))) for lbl in chart._chartSpace.iter(qn("c:dLbl"))]
    assert "目标≥18件" in texts and "18.2" in texts


# --- charts' data and the rest ------------------------------------------------------------------

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
    va = chart.value_axis
    assert (va.minimum_scale, va.maximum_scale, va.major_unit) == (0.0, 25.0, 5.0)  # room over 18 for its label
    assert "单位：件" in slide_text(goal_slide(deck, "万人高价值发明专利拥有量"))


def test_cumulative_goal_shows_running_totals(deck):
    slide = goal_slide(deck, "新增贯标单位")
    s = series(charts(slide)[0])
    assert s["实际值"][:4] == (0.0, 18.0, 38.0, 59.0)
    assert s["目标"][4] == 80.0
    text = slide_text(slide)
    assert "基本符合预期" in text and "2022年以来累计59家" in text  # status and narrative
    assert "规划原文：“" in text and "新增贯标单位80家" in text and "数据版本：第1版" in text


def test_every_text_run_has_the_east_asian_face_and_the_theme_declares_it(deck, deck_bytes):
    roots = []
    for slide in deck.slides:
        roots.append(slide.shapes._spTree)
        roots += [c._chartSpace for c in charts(slide)]
    runs = 0
    for root in roots:
        for el in root.iter(qn("a:r"), qn("a:defRPr"), qn("a:endParaRPr")):
            props = el if el.tag != qn("a:r") else el.find(qn("a:rPr"))
            ea = None if props is None else props.find(qn("a:ea"))
            assert ea is not None, etree.tostring(el, encoding="unicode")[:200]
            assert (ea.get("typeface"), ea.get("charset"), ea.get("pitchFamily")) == ("微软雅黑", "-122", "34")
            assert props.find(qn("a:latin")).get("typeface") == "微软雅黑" and props.get("lang") == "zh-CN"
            runs += 1
    assert runs > 500
    master = deck.slide_masters[0].part
    theme = next(r.target_part for r in master.rels.values() if r.reltype.endswith("/theme"))
    root = etree.fromstring(theme.blob)
    for which in ("a:majorFont", "a:minorFont"):
        fonts = root.find(f".//{qn(which)}")
        assert fonts.find(qn("a:ea")).get("typeface") == "微软雅黑"
        hans = [f.get("typeface") for f in fonts.iter(qn("a:font")) if f.get("script") == "Hans"]
        assert hans == ["微软雅黑"]


def test_selection_by_category_and_region(demo_store):
    deck = Presentation(io.BytesIO(build_deck(demo_store, categories=["创造"], regions=["川姜镇"])))
    texts = [title(s) for s in deck.slides]
    creation = [g.name for g in demo_store.plan.goals if g.category == "创造"]
    # title, counts, one table slide (4 goals, not split), the category's goals, then 川姜镇: its
    # table and its one goal with data in 创造
    assert texts[1:3] == ["指标完成情况总览", "指标完成情况总览"] and texts[3:3 + len(creation)] == creation
    assert texts[3 + len(creation)] == "川姜镇指标完成情况" and len(texts) == 3 + len(creation) + 1 + 1
    [hv] = [s for s in deck.slides if title(s) == "万人高价值发明专利拥有量（川姜镇）"]
    assert series(charts(hv)[0])["实际值"][:4] == (4.1, 4.9, 5.8, 6.6)


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
    assert len(deck.slides) == 1 + 1 + TABLES + len(store.plan.goals)
    assert "暂无数据" in slide_text(deck.slides[0]) and "示例数据" not in slide_text(deck.slides[0])
    assert all(v is None for v in series(charts(goal_slide(deck, "万人高价值发明专利拥有量"))[0])["实际值"])


def test_every_shape_lies_on_the_slide(deck, final_deck):
    for prs in (deck, final_deck):
        for i, slide in enumerate(prs.slides):
            for s in slide.shapes:
                assert s.left >= 0 and s.top >= 0, (i, s.name)
                assert s.left + s.width <= prs.slide_width and s.top + s.height <= prs.slide_height, (i, s.name)


# --- as LibreOffice renders it ------------------------------------------------------------------

@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_the_deck_renders_in_libreoffice(tmp_path, deck_bytes, deck):
    pptx = tmp_path / "汇报.pptx"
    pptx.write_bytes(deck_bytes)
    pdf = to_pdf(pptx)  # needs LibreOffice Impress (make sysdeps: libreoffice-impress-nogui)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdftotext, pdfinfo) not installed")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(next(x.split()[-1] for x in info.splitlines() if x.startswith("Pages:"))) == len(deck.slides)

    def page(n: int) -> str:
        out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                             text=True, check=True).stdout
        return "".join(out.split())

    assert "指标完成情况总览（1/3）" in page(3) and "万人高价值发明专利拥有量" in page(3)
    assert "组织各类知识产权培训" in page(5)
    hv = page(6)  # the chart's ticks and labels are drawn as text
    assert "单位：件" in hv and "目标≥18件" in hv and "14.9" in hv and "2021" in hv
    milestone = page(1 + 1 + TABLES + 5)
    assert "建成区级重点产业知识产权运营平台" in milestone and "首次填报建成" in milestone


# --- long names, regions without a target of their own -------------------------------------------

LONG_NAME = "每万人口高价值发明专利拥有量（不含港澳台地区及外国来华申请人，按国家知识产权局统计口径核算的年末有效量）"
LONGER = "规模以上工业企业知识产权管理规范贯标认证通过数量"


def long_names_plan(goals: int = 8) -> str:
    """A plan whose goals' names are long: the first 52 characters, the others 30."""
    body = "".join(f"""  - code: g{k}
    name: {LONG_NAME if k == 0 else f"第{k}项指标：{LONGER}"}
    unit: 件
    category: 创造
    kind: level
    comparator: ">="
    target: {30 + k}
    source: 达到{30 + k}件
    section: 主要目标
""" for k in range(goals))
    return f"""plan:
  id: long-names
  title: 某市知识产权强市建设规划(2026-2030年)
  short_title: 知识产权强市建设规划
  base_year: 2025
  target_year: 2030
  district: 全区
  region_level: 镇(街道)
categories: [创造]
goals:
{body}"""


@pytest.fixture(scope="module")
def long_deck(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long")
    (folder / "long-names.yaml").write_text(long_names_plan(), encoding="utf-8")
    store = service.open_store(folder / "long.duckdb", plan=folder / "long-names.yaml")
    service.load_demo(store)
    return Presentation(io.BytesIO(build_deck(store)))


def _lines(words: str, size: float, width: float) -> int:
    """Lines a text takes in a box `width` pt wide (CJK one em, others 0.6; a line breaks at 95 %)."""
    return -(-int(sum(size if ord(c) > 0x2E80 else 0.6 * size for c in words)) // int(width * 0.95))


def test_a_long_name_fits_its_title_and_its_table_row(long_deck):
    content_top = Inches(1.1)
    for slide in list(long_deck.slides)[1:]:
        box = next(s for s in slide.shapes if s.has_text_frame)
        p = box.text_frame.paragraphs[0]
        size = p.runs[0].font.size.pt
        assert size >= 20, title(slide)  # still a title at projector distance
        lines = _lines(p.text, size, Emu(box.width).pt - Inches(0.1) / 12700)
        line = p.line_spacing.pt if p.line_spacing is not None else size * 1.45  # exact, or the face's own
        assert lines * line + 7.2 <= Emu(box.height).pt, (title(slide), lines, size)
        assert box.top + box.height <= content_top, title(slide)
        below = [s for s in slide.shapes if s.shape_id != box.shape_id and s.top < content_top
                 and not (s.has_text_frame and s.text_frame.text == "示例数据")]
        assert not below, [s.text_frame.text for s in below]
    first = goal_slide(long_deck, LONG_NAME)  # whole, in two lines of 20 pt
    assert first.shapes[0].text_frame.paragraphs[0].runs[0].font.size.pt == 20
    rows = 0
    for name, table in tables(long_deck):
        shape = next(s for s in goal_slide(long_deck, name).shapes if s.has_table)
        assert shape.top + sum(r.height for r in table.rows) <= long_deck.slide_height - Inches(0.3), name
        width = Emu(table.columns[0].width).pt - 0.12 * 72
        for row in list(table.rows)[1:]:
            cell = row.cells[0]
            lines = _lines(cell.text, 16, width)
            assert lines <= 2 and Emu(row.height).pt >= lines * 16 * 1.45 + 5.8, (cell.text, lines)
            rows += 1
    assert rows == 8
    cut = [r.cells[0].text for _, t in tables(long_deck) for r in list(t.rows)[1:] if r.cells[0].text.endswith("…")]
    assert len(cut) == 1 and LONG_NAME.startswith(cut[0][:-1])  # the 52 characters, cut in the table only


def test_a_region_without_its_own_target_says_so_not_the_districts(demo_store):
    deck = Presentation(io.BytesIO(build_deck(demo_store, regions=["兴仁镇"])))
    text = slide_text(goal_slide(deck, "新增贯标单位（兴仁镇）"))  # 7 of the district's 80: no target of its own
    assert "无分解目标" in text and "目标：无分解目标（全区≥80家）" in text
    assert "目标：≥80家" not in text
    own = slide_text(goal_slide(deck, "万人高价值发明专利拥有量（兴仁镇）"))  # its own 分解目标
    assert "目标：≥6件" in own


# --- colours --------------------------------------------------------------------------------------

def _contrast(a: str, b: str) -> float:
    def lum(h: str) -> float:
        c = [int(h[k:k + 2], 16) / 255 for k in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _fill(el) -> str:
    """The solid fill behind a run: its table cell's or shape's, else the white slide."""
    for parent in el.iterancestors():
        if parent.tag in (qn("a:tc"), qn("p:sp")):
            props = parent.find(qn("a:tcPr")) if parent.tag == qn("a:tc") else parent.find(qn("p:spPr"))
            srgb = None if props is None else props.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}")
            if srgb is not None:
                return srgb.get("val")
    return "FFFFFF"


def test_every_coloured_text_reads_on_its_background(deck, demo_store, evaluated):
    """WCAG AA: 4.5 : 1, or 3 : 1 for large text (18 pt, or 14 pt bold). White on the sky blue of
    基本符合预期 or the orange of 滞后 is 2.3 : 1, the sky blue as text on white as little."""
    prs = Presentation(io.BytesIO(build_deck(demo_store, regions=["兴仁镇"])))
    checked = 0
    for p in (deck, prs, evaluated[1]):  # the final deck: verdicts' fills and words
        for slide in p.slides:
            roots = [slide.shapes._spTree] + [c._chartSpace for c in charts(slide)]
            for root in roots:
                for rpr in root.iter(qn("a:rPr")):
                    srgb = rpr.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}")
                    if srgb is None:
                        continue
                    size, bold = int(rpr.get("sz")) / 100, rpr.get("b") == "1"
                    needed = 3.0 if size >= 18 or (bold and size >= 14) else 4.5
                    words = "".join(t.text for t in rpr.getparent().iter(qn("a:t")))
                    ratio = _contrast(srgb.get("val"), _fill(rpr))
                    assert ratio >= needed, (title(slide), words, srgb.get("val"), _fill(rpr), round(ratio, 2))
                    checked += 1
    assert checked > 300


# --- the final evaluation (the target year's data are in) ------------------------------------------

@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    """tests/test_evaluation.py's workbook with 2025 data: 达成 4 / 19, hand-checked there."""
    from tests.test_evaluation import import_workbook

    tmp = tmp_path_factory.mktemp("evaluated")
    store = import_workbook(tmp / "final.duckdb", tmp)
    return store, Presentation(io.BytesIO(build_deck(store, regions=["川姜镇", "金沙街道"],
                                                     today=dt.date(2026, 3, 1))))


def _deck_text(prs) -> str:
    """Every word of the deck: text boxes, tiles and table cells."""
    return "\n".join([slide_text(s) for s in prs.slides]
                     + [c.text for s in prs.slides for sh in s.shapes if sh.has_table
                        for r in sh.table.rows for c in r.cells])


def test_final_counts_slide_gives_the_verdicts_and_the_missed_goals_with_their_units(evaluated):
    from ipdata.outputs.brief import brief

    store, prs = evaluated
    slide = prs.slides[1]
    text = slide_text(slide)
    assert title(slide) == "指标完成情况总览"
    assert "2025年终期评估：达成 4 / 19" in text
    assert ("终期评估：19 项有目标的指标中达成 4 项，未达成 4 项；1 项2024年已达到目标、2025年数据尚未上传，"
            "不计入达成；10 项尚无2025年数据。") in text
    # by verdict, as the brief counts them: 马德里 (met in 2024 only) is 待定, not a fifth 已完成
    tiles = [s.text_frame.text for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE]
    assert tiles == ["4 项\n✔ 达成", "4 项\n✖ 未达成", "11 项\n… 待定"]
    assert tiles == [f"{n} 项\n{s}" for s, n in zip(["✔ 达成", "✖ 未达成", "… 待定"], brief(store).counts.values(),
                                                      strict=True)]
    assert [str(f.fill.fore_color.rgb) for f in slide.shapes if f.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE] == [
        "009E73", "D55E00", "999999"]
    # the missed goals in plan order, each with its figures and who answers for it (ipdata/attention.py)
    missed = text[text.index("未达成（4 项）"):].split("\n")[1:5]
    assert missed == [
        "✖ 万人高价值发明专利拥有量：2025年为17.6件，未达到目标≥18件，差0.4件。"
        "责任单位：区市场监管局(知识产权局)、区科技局、南通高新区、各镇(街道)（二.1 实施高价值专利培育工程）",
        "✖ 新增海外专利授权：2022—2025年累计27件，未达到目标≥30件，差3件。责任单位：规划未列出相关任务",
        "✖ 建成省级知识产权保护示范区：截至2025年尚未建成。责任单位：规划未列出相关任务",
        "✖ 全社会知识产权满意度：2025年为85.0%，未达到目标>85%，恰为目标值，尚未超过。责任单位：规划未列出相关任务",
    ]
    assert "排名目标：达成｜知识产权产出主要指标全省排名：2025年在全省县(市、区)中排第8名" in text  # apart
    assert "无量化目标：知识产权许可转让贸易额：比2021年增长71.9%。" in text
    for gone in ("需重点关注", "已完成", "数据不足", "序时进度", "马德里"):
        assert gone not in text, gone


def test_final_tables_give_the_verdict_and_no_schedule(evaluated):
    _, prs = evaluated
    found = tables(prs)
    assert [len(t.rows) - 1 for _, t in found] == [7, 7, 6]
    rows = {r.cells[0].text: r.cells for _, t in found for r in list(t.rows)[1:]}
    for _, t in found:
        assert [c.text for c in t.rows[0].cells] == ["指标", "2025年目标", "完成值", "完成进度", "终期结论"]
    said = {name: [c.text for c in cells] for name, cells in rows.items()}
    assert said["万人高价值发明专利拥有量"] == ["万人高价值发明专利拥有量", "≥18件", "17.6件（2025年）", "95.9%", "✖ 未达成"]
    assert said["马德里商标注册量累计"] == ["马德里商标注册量累计", "≥70件", "71件（2024年）", "103.3%", "… 待定"]
    # a milestone: its verdict and the year built, no completion percentage (100 % / 序时进度 50 % before)
    assert said["建成区级重点产业知识产权运营平台"][2:] == ["2023年建成", "—", "✔ 达成"]
    assert said["建成省级知识产权保护示范区"][2:] == ["尚未建成（2025年）", "—", "✖ 未达成"]
    assert said["知识产权许可转让贸易额"][4] == "↗ 增长"  # a trend goal is not judged
    assert {s[4] for s in said.values()} == {"✔ 达成", "✖ 未达成", "… 待定", "↗ 增长"}
    assert [str(rows[n][4].fill.fore_color.rgb) for n in ("万人高价值发明专利拥有量", "马德里商标注册量累计",
                                                          "案件结案率")] == ["D55E00", "999999", "009E73"]
    region = {title(s): [[c.text for c in r.cells] for r in list(t.rows)[1:]] for s in prs.slides
              for t in [sh.table for sh in s.shapes if sh.has_table] if "镇" in title(s) or "街道" in title(s)}
    assert region == {  # each town judged against its own target: 8.1 ≥ 8 in 2024 only; 9.5 < 10 in 2025
        "川姜镇指标完成情况": [["万人高价值发明专利拥有量", "≥8件", "8.1件（2024年）", "103.3%", "… 待定"]],
        "金沙街道指标完成情况": [["万人高价值发明专利拥有量", "≥10件", "9.5件（2025年）", "87.5%", "✖ 未达成"]]}
    assert "序时进度" not in _deck_text(prs)


def test_final_goal_slides_give_the_verdict_and_its_reason(evaluated):
    _, prs = evaluated

    def facts(name):
        return next(s.text_frame.text for s in goal_slide(prs, name).shapes
                    if s.has_text_frame and "\n目标：" in s.text_frame.text)  # not a dated line's node

    assert facts("万人高价值发明专利拥有量").split("\n")[:5] == [
        "✖ 未达成", "终期结论：2025年为17.6件，未达到目标≥18件，差0.4件", "目标：≥18件", "最新值：17.6件（2025年）",
        "完成进度 95.9%"]
    assert facts("马德里商标注册量累计").split("\n")[:2] == ["… 待定", "终期结论：2024年已达到目标，2025年数据尚未上传"]
    assert facts("建成区级重点产业知识产权运营平台").split("\n")[:2] == ["✔ 达成", "终期结论：2023年已建成"]
    assert facts("建成省级知识产权保护示范区").split("\n")[:2] == ["✖ 未达成", "终期结论：截至2025年尚未建成"]
    assert facts("全社会知识产权满意度").split("\n")[:2] == [
        "✖ 未达成", "终期结论：2025年为85.0%，未达到目标>85%，恰为目标值，尚未超过"]
    assert facts("万人高价值发明专利拥有量（川姜镇）").split("\n")[:2] == [
        "… 待定", "终期结论：2024年已达到分解目标，2025年数据尚未上传"]
    assert facts("万人高价值发明专利拥有量（金沙街道）").split("\n")[:2] == [
        "✖ 未达成", "终期结论：2025年为9.5件，未达到分解目标≥10件，差0.5件"]
    rank_facts = facts("知识产权产出主要指标全省排名")  # its reason is its narrative: said once
    assert rank_facts.startswith("✔ 达成\n目标：") and rank_facts.count("进入第一方阵（前10名）。") == 1
    # the verdict's colour: 未达成 vermillion darkened to read on white
    run = goal_slide(prs, "万人高价值发明专利拥有量").shapes
    colour = next(s.text_frame.paragraphs[0].runs[0].font.color.rgb for s in run
                  if s.has_text_frame and s.text_frame.text.startswith("✖"))
    assert _contrast(str(colour), "FFFFFF") >= 4.5
    # the path the schedule is measured on is gone once the target year's value is in, not before
    assert list(series(charts(goal_slide(prs, "万人高价值发明专利拥有量"))[0])) == ["实际值", "目标"]
    assert "达标所需路径" in series(charts(goal_slide(prs, "马德里商标注册量累计"))[0])


def test_the_missed_goals_that_do_not_fit_are_counted():
    from ipdata.attention import Attention
    from ipdata.outputs.deck.slides import LIST_PT, _height, _missed_lines

    many = [Attention(f"g{k}", f"第{k}项指标的一个很长的名称", "未达成", "2025年为1件，未达到目标≥2件，差1件",
                      "2025年为1件，未达到目标≥2件，差1件", ("区市场监管局(知识产权局)", "区科技局")) for k in range(12)]
    room = 200.0  # pt
    lines = _missed_lines(many, room)
    shown = [t for t, *_ in lines if t.startswith("✖")]
    assert lines[-1][0] == f"……另有 {12 - len(shown)} 项未达成，见各指标页" and 0 < len(shown) < 12
    assert sum(_height(t, LIST_PT, 4) for t, *_ in lines) <= room
    assert _missed_lines(many[:2], room) == [(f"✖ {a.line}", LIST_PT, False, lines[0][3], 4) for a in many[:2]]
