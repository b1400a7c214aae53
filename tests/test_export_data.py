"""The data behind exported charts as .xlsx: one sheet per chart, text never run as a formula."""

import io

import plotly.graph_objects as go
from openpyxl import load_workbook

from ipdata.figures.data import attach, row
from ipdata.outputs.charts import chart_workbook, file_stem, selection_figures
from ipdata.outputs.deck import Inputs


def test_one_sheet_per_chart_with_the_plotted_values(db_path):
    from ipdata import service

    store = service.open_store(db_path)
    service.load_demo(store)
    figs = selection_figures(Inputs.from_store(store), goals=["ip_standard_units_new"], regions=["川姜镇"])
    assert list(figs) == ["新增贯标单位_全区", "新增贯标单位_川姜镇"]
    wb = load_workbook(io.BytesIO(chart_workbook(figs)))
    assert wb.sheetnames == ["新增贯标单位_全区", "新增贯标单位_川姜镇"]
    ws = wb["新增贯标单位_全区"]
    assert ws["A1"].value == "示例数据（虚构，仅供演示）"
    assert [c.value for c in ws[2]] == ["指标", "地区", "系列", "年份", "数值", "单位"]
    actual = [(r[3], r[4]) for r in ws.iter_rows(min_row=3, values_only=True) if r[2] == "实际值"]
    assert actual == [(2021, 0), (2022, 18), (2023, 38), (2024, 59)]


def test_formula_looking_text_is_stored_as_a_string():
    fig = attach(go.Figure(), [row("=HYPERLINK(\"http://x\")", "+镇", "@系列", 2024, -3.5, "-件")])
    ws = load_workbook(io.BytesIO(chart_workbook({"图": fig})))["图"]
    cells = list(ws[2])
    assert [c.value for c in cells] == ['=HYPERLINK("http://x")', "+镇", "@系列", 2024, -3.5, "-件"]
    assert [c.data_type for c in cells] == ["s", "s", "s", "n", "n", "s"]


def test_sheet_and_file_names_are_made_safe():
    figs = {"a/b:c*?[x]" * 5: go.Figure(), "a/b:c*?[x]" * 5 + "2": go.Figure()}
    wb = load_workbook(io.BytesIO(chart_workbook(figs)))
    assert len(wb.sheetnames) == 2 and all(len(n) <= 31 and "/" not in n for n in wb.sheetnames)
    assert file_stem('万人/高价值:"专利"?') == "万人_高价值__专利__"
