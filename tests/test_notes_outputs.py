"""Notes where a leader sees them (issue 14 item 6): on the goal chart (a year's note marked at
its year, every note in the caption), in the chart data export (sheet 备注) and on the deck's
goal slide; a note's text is drawn and written as typed, never as markup or a formula."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pptx import Presentation
from store_helpers import new_store, upload

from ipdata import notes
from ipdata.auth import STATISTICIAN, User
from ipdata.figures import goal_chart
from ipdata.figures.data import chart_notes
from ipdata.figures.goal import NOTE_CAPTION, NOTE_MARK
from ipdata.outputs.charts import chart_workbook, selection_figures
from ipdata.outputs.deck import Inputs, build_deck

HV = "hv_invention_per10k"
WANG = User("王五", STATISTICIAN)


@pytest.fixture
def noted(tmp_path):
    s = new_store(tmp_path / "n.duckdb")
    s.apply(upload("series,region,year,value\n" + "\n".join(
        f"hv_invention_per10k,全区,{y},{v}" for y, v in ((2021, 8.2), (2022, 10.5), (2023, 12.6), (2024, 14.9)))),
        user="张三")
    notes.add_note(s, WANG, HV, 2023, "口径变化", "2023年起按新口径统计")
    notes.add_note(s, WANG, HV, 0, "政策事件", "<b>资助</b>办法出台")
    notes.add_note(s, WANG, HV, 2024, "不完整年份", "=截至11月")
    return s


def _chart(store, **kw):
    inputs = Inputs.from_store(store)
    return goal_chart(store.plan, HV, inputs.values, inputs.row(HV), notes=inputs.notes_of(HV), **kw)


def _annotations(fig, name):
    return [a for a in fig.layout.annotations if a.name == name]


def test_the_chart_marks_each_noted_year_and_says_every_note_in_its_caption(noted):
    fig = _chart(noted)
    marks = _annotations(fig, NOTE_MARK)
    assert [(a.x, a.text, a.hovertext) for a in marks] == [
        (2023, "注1", "2023年 口径变化：2023年起按新口径统计"), (2024, "注2", "2024年 不完整年份：=截至11月")]
    assert [(s.x0, s.line.dash) for s in fig.layout.shapes] == [(2023, "dot"), (2024, "dot")]
    [caption] = _annotations(fig, NOTE_CAPTION)
    # a whole-goal note first; markup typed into a note is shown as typed (entities), not drawn
    assert caption.text.split("<br>") == ["备注 政策事件：&lt;b&gt;资助&lt;/b&gt;办法出台",
                                          "注1 2023年 口径变化：2023年起按新口径统计",
                                          "注2 2024年 不完整年份：=截至11月"]
    assert chart_notes(fig, chinese_headers=True).values.tolist() == [
        ["万人高价值发明专利拥有量", "全区", "指标整体", "政策事件", "<b>资助</b>办法出台"],
        ["万人高价值发明专利拥有量", "全区", "2023年", "口径变化", "2023年起按新口径统计"],
        ["万人高价值发明专利拥有量", "全区", "2024年", "不完整年份", "=截至11月"]]


def test_a_chart_without_notes_has_no_note_marks_and_its_usual_size(noted):
    inputs = Inputs.from_store(noted)
    fig = goal_chart(noted.plan, HV, inputs.values, inputs.row(HV))
    assert not _annotations(fig, NOTE_MARK) and not _annotations(fig, NOTE_CAPTION)
    assert fig.layout.height is None and chart_notes(fig).empty


def test_a_year_outside_the_chart_and_many_notes_are_still_said(noted):
    notes.add_note(noted, WANG, HV, 2005, "口径变化", "历史口径")
    for kind in ("其他", "政策事件"):
        notes.add_note(noted, WANG, HV, 2022, kind, f"{kind}说明")
    fig = _chart(noted)
    assert [a.x for a in _annotations(fig, NOTE_MARK)] == [2022, 2023, 2024]  # 2005 is off the axis
    [caption] = _annotations(fig, NOTE_CAPTION)
    lines = caption.text.split("<br>")
    assert lines[:3] == ["备注 政策事件：&lt;b&gt;资助&lt;/b&gt;办法出台", "注1 2005年 口径变化：历史口径",
                         "注2 2022年 政策事件：政策事件说明"]
    assert lines[3] == "……另有 3 条备注，见图表数据的“备注”表"  # 6 notes, 3 shown
    assert len(chart_notes(fig)) == 6


def test_the_chart_data_export_has_a_notes_sheet(noted):
    figs = selection_figures(Inputs.from_store(noted), goals=[HV])
    wb = openpyxl.load_workbook(io.BytesIO(chart_workbook(figs)))
    assert wb.sheetnames == ["万人高价值发明专利拥有量_全区", "备注"]
    sheet = wb["备注"]
    assert [[c.value for c in r] for r in sheet.iter_rows()] == [
        ["图表", "指标", "地区", "年份", "类别", "备注"],
        ["万人高价值发明专利拥有量_全区", "万人高价值发明专利拥有量", "全区", "指标整体", "政策事件", "<b>资助</b>办法出台"],
        ["万人高价值发明专利拥有量_全区", "万人高价值发明专利拥有量", "全区", "2023年", "口径变化", "2023年起按新口径统计"],
        ["万人高价值发明专利拥有量_全区", "万人高价值发明专利拥有量", "全区", "2024年", "不完整年份", "=截至11月"]]
    assert sheet["F4"].data_type == "s" and sheet["F4"].quotePrefix  # text, never a formula


def test_chart_data_without_notes_has_no_notes_sheet(tmp_path):
    s = new_store(tmp_path / "plain.duckdb")
    figs = selection_figures(Inputs.from_store(s), goals=[HV])
    assert openpyxl.load_workbook(io.BytesIO(chart_workbook(figs))).sheetnames == ["万人高价值发明专利拥有量_全区"]


def test_the_deck_s_goal_slide_carries_the_notes(noted):
    prs = Presentation(io.BytesIO(build_deck(noted, goals=[HV])))
    [slide] = [s for s in prs.slides if any(sh.has_text_frame and sh.text_frame.text == "万人高价值发明专利拥有量"
                                             for sh in s.shapes)]
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    [facts] = [t for t in texts if "备注" in t]
    assert facts.split("\n")[-4:] == ["备注", "政策事件：<b>资助</b>办法出台", "2023年 口径变化：2023年起按新口径统计",
                                      "2024年 不完整年份：=截至11月"]
