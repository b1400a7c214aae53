"""Write the red-team corpus: workbooks from the QA pass on issue 11, each a shape that once made
the reader store wrong figures, drop a sheet silently or refuse good data.

Run by hand (CI has no LibreOffice and only reads the committed files):

    .venv/bin/python tests/data/redteam/make_redteam.py

Every case but one is written as Flat ODS with the helpers of tests/data/calc/make_corpus.py and
converted by `soffice --headless --convert-to`, so the files are as LibreOffice Calc saves them.
`formula-no-cache.xlsx` is written with openpyxl (hence the project's venv): a formula saved
without its result is what a script writes and what no spreadsheet program would.

The expected outcomes are written by hand in tests/test_ingest_redteam.py; change both together.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
CALC = HERE.parent / "calc" / "make_corpus.py"


def _load_calc() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_corpus", CALC)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


calc = _load_calc()
Case, Cell, Sheet = calc.Case, calc.Cell, calc.Sheet
span, formula, date, title = calc.span, calc.formula, calc.date, calc.title
T = calc.DISTRICT_TITLE
H = ["序号", "指标名称", "单位", "2023年", "2024年"]


# Two cell kinds make_corpus does not write: a formula whose result is formatted as a percentage,
# and a number shown with a literal % sign (a format "0.0%" typed as text, so 92.5 shows 92.5%).
def percent_formula(text: str) -> Cell:
    return Cell(text, "percent-formula")


def literal_percent(number: float) -> Cell:
    return Cell(number, "literal-percent")


def _cell(value: Any) -> str:
    if isinstance(value, Cell) and value.kind == "percent-formula":
        return f'<table:table-cell table:style-name="pct" table:formula={calc.quoteattr(value.value)}/>'
    if isinstance(value, Cell) and value.kind == "literal-percent":
        return (f'<table:table-cell table:style-name="litpct" office:value-type="float" '
                f'office:value="{value.value!r}"><text:p>{value.value}%</text:p></table:table-cell>')
    return _calc_cell(value)


_calc_cell = calc._cell
calc._cell = _cell  # make_corpus's table writer looks its cell writer up in its module
calc.STYLES = calc.STYLES.replace("</office:automatic-styles>", (
    '<number:number-style style:name="N11"><number:number number:decimal-places="1" '
    'number:min-decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text>'
    '</number:number-style><style:style style:name="litpct" style:family="table-cell" '
    'style:data-style-name="N11"/></office:automatic-styles>'))


CASES: list[Case] = [
    # ---- which region a table without a region column belongs to ------------------------------
    Case("footnote-one-town", ("xlsx",), [Sheet("Sheet1", [
        title(T, 5), H,
        [1, "万人高价值发明专利拥有量", "件", 13.9, 16.5],
        [2, "新增贯标单位", "家", 18, 21],
        [3, "知识产权质押登记担保金额", "亿元", 15.8, 18.9],
        ["注：川姜镇数据为初步统计数，待年报后更新。"],
    ])]),
    Case("footnote-gaoxin-source", ("xlsx",), [Sheet("Sheet1", [
        title(T, 5), H,
        [1, "万人高价值发明专利拥有量", "件", 13.9, 16.5],
        [2, "新增贯标单位", "家", 18, 21],
        ["注：数据来源于区市场监管局、区科技局、高新区管委会。"],
    ])]),
    Case("title-district-incl-gaoxin", ("xlsx",), [Sheet("Sheet1", [
        title("2024年通州区（含南通高新区）知识产权主要指标完成情况", 5), H,
        [1, "万人高价值发明专利拥有量", "件", 13.9, 16.5],
        [2, "新增贯标单位", "家", 18, 21],
    ])]),
    Case("fill-unit-line-baosong", ("xlsx",), [Sheet("Sheet1", [
        title("知识产权主要指标完成情况", 4),
        ["报送单位：金沙街道", None, None, "报送日期：2025年1月8日"],
        ["指标名称", "单位", "2023年", "2024年"],
        ["新增贯标单位", "家", 4, 5],
        ["万人高价值发明专利拥有量", "件", 9.8, 11.2],
        ["注：川姜镇数据另行报送。"],
    ])]),
    Case("sheet-named-town-only", ("xls",), [Sheet("川姜镇", [
        ["知识产权主要指标完成情况"],
        ["指标名称", "单位", "2023年", "2024年"],
        ["新增贯标单位", "家", 3, 3],
        ["万人高价值发明专利拥有量", "件", 6.4, 7.1],
    ])]),
    Case("sheets-per-town", ("xlsx",), [
        Sheet("川姜镇", [["指标名称", "单位", "2023年", "2024年"],
                      ["新增贯标单位", "家", 3, 3], ["万人高价值发明专利拥有量", "件", 6.4, 7.1]]),
        Sheet("金沙街道", [["指标名称", "单位", "2023年", "2024年"],
                       ["新增贯标单位", "家", 4, 5], ["万人高价值发明专利拥有量", "件", 9.8, 11.2]]),
    ]),
    Case("sheet-town-title-other-town", ("xlsx",), [Sheet("川姜镇", [
        title("金沙街道知识产权主要指标完成情况", 4),
        ["指标名称", "单位", "2023年", "2024年"],
        ["新增贯标单位", "家", 3, 3],
    ])]),
    Case("responsible-unit-column", ("xlsx",), [Sheet("Sheet1", [
        title(T, 6), ["序号", "指标名称", "单位", "2023年", "2024年", "责任单位"],
        [1, "万人高价值发明专利拥有量", "件", 13.9, 16.5, "区市场监管局"],
        [2, "知识产权质押登记担保金额", "亿元", 15.8, 18.9, "区金融监管局"],
        [3, "版权产业增加值占GDP比重", "%", 7.6, 8.1, "区委宣传部"],
        [4, "新增国家知识产权优势示范企业", "家", 1, 2, "南通高新区"],
        [5, "新增贯标单位", "家", 18, 21, "区市场监管局"],
    ])]),
    Case("responsible-unit-gezhen", ("xlsx",), [Sheet("Sheet1", [
        title(T, 6), ["序号", "指标名称", "单位", "2023年", "2024年", "牵头单位"],
        [1, "万人高价值发明专利拥有量", "件", 13.9, 16.5, "区市场监管局"],
        [2, "新增贯标单位", "家", 18, 21, "各镇（街道）"],
        [3, "知识产权质押登记担保金额", "亿元", 15.8, 18.9, "区金融监管局"],
    ])]),
    # ---- region names in a region column -------------------------------------------------------
    Case("subtotals", ("xlsx",), [Sheet("Sheet1", [
        title("2024年各镇（街道）新增贯标单位", 5), ["序号", "乡镇（街道）", "指标名称", "单位", "2024年"],
        [1, "金沙街道", "新增贯标单位", "家", 5], [2, "金新街道", "新增贯标单位", "家", 2],
        [None, "街道小计", "新增贯标单位", "家", 7],
        [3, "川姜镇", "新增贯标单位", "家", 3], [4, "石港镇", "新增贯标单位", "家", 2],
        [None, "镇小计", "新增贯标单位", "家", 5],
        [None, "合计", "新增贯标单位", "家", 12],
    ])]),
    Case("district-spellings", ("xlsx",), [Sheet("Sheet1", [
        ["地区", "指标名称", "单位", "2024年"],
        ["通州区合计", "新增贯标单位", "家", 21], ["全区总计", "新增海外专利授权", "件", 9],
        ["通州区（全区）", "案件结案率", "%", 93.1], ["川姜镇", "新增贯标单位", "家", 3],
    ])]),
    Case("region-spellings", ("xlsx",), [Sheet("Sheet1", [
        ["地区", "指标名称", "单位", "2024年"],
        ["川姜镇人民政府", "新增贯标单位", "家", 3],
        ["金沙街道办", "新增贯标单位", "家", 5],
        ["其中：高新区", "新增贯标单位", "家", 7],
        ["兴仁镇\u3000", "新增贯标单位", "家", 4],
        ["平 潮", "新增贯标单位", "家", 2],
        ["石港镇（含原东社）", "新增贯标单位", "家", 2],
    ])]),
    Case("region-header-unknown", ("xlsx",), [Sheet("Sheet1", [
        ["所在镇区", "指标名称", "单位", "2024年"],
        ["川姜镇", "新增贯标单位", "家", 3], ["全区", "新增贯标单位", "家", 21],
    ])]),
    Case("region-merged-down-xls", ("xls", "ods"), [Sheet("Sheet1", [
        ["镇(街道)", "指标名称", "单位", "2024年"],
        [span("川姜镇", rows=2), "新增贯标单位", "家", 3],
        [None, "新增海外专利授权", "件", 1],
        [span("金沙街道", rows=2), "新增贯标单位", "家", 5],
        [None, "新增海外专利授权", "件", 3],
    ])]),
    # ---- units -----------------------------------------------------------------------------
    Case("unit-line-wanyuan", ("xlsx",), [Sheet("Sheet1", [
        title("通州区知识产权质押融资情况", 4),
        [None, None, None, "单位：万元"],
        ["序号", "指标名称", "2023年", "2024年"],
        [1, "知识产权质押登记担保金额", 158000, 189000],
    ])]),
    Case("header-unit-wanyuan", ("xlsx",), [Sheet("Sheet1", [
        title("通州区知识产权质押融资情况", 4),
        ["序号", "指标名称", "2023年（万元）", "2024年（万元）"],
        [1, "知识产权质押登记担保金额", 158000, 189000],
    ])]),
    Case("unit-column-wanyuan", ("xlsx",), [Sheet("Sheet1", [
        ["指标名称", "单位", "2024年"], ["知识产权质押登记担保金额", "万元", 189000],
    ])]),
    # ---- which year ------------------------------------------------------------------------
    Case("same-period-last-year", ("xlsx",), [Sheet("Sheet1", [
        ["通州区知识产权主要指标（2025年1-10月）"],
        ["指标名称", "单位", "2025年1-10月", "2024年同期", "增长%"],
        ["新增贯标单位", "家", 15, 13, 15.4],
        ["培训各类知识产权人才", "人次", 540, 500, 8.0],
    ])]),
    Case("title-partial-year", ("xlsx",), [Sheet("Sheet1", [
        ["2025年1-10月通州区知识产权主要指标完成情况"],
        ["指标名称", "单位", "2025年", "2024年同期"],
        ["新增贯标单位", "家", 15, 13], ["新增海外专利授权", "件", 6, 5],
    ])]),
    Case("across-title-partial-year", ("xlsx",), [Sheet("Sheet1", [
        ["2025年上半年各镇（街道）知识产权主要指标"],
        ["指标名称", "单位", "川姜镇", "金沙街道", "全区"],
        ["新增贯标单位", "家", 1, 2, 9],
    ])]),
    Case("long-partial-year", ("xlsx",), [Sheet("数据", [
        ["指标", "地区", "年份", "数值"],
        ["新增贯标单位", "全区", "2024年", 21], ["新增贯标单位", "全区", "2025年1-6月", 9],
        ["新增海外专利授权", "全区", "2025年上半年", 4],
    ])]),
    Case("across-date-line", ("xlsx",), [Sheet("Sheet1", [
        title("各镇（街道）知识产权主要指标完成情况", 5),
        ["填报日期：2025年1月10日"],
        ["指标名称", "单位", "川姜镇", "金沙街道", "合计"],
        ["新增贯标单位", "家", 3, 5, 23],
        ["万人高价值发明专利拥有量", "件", 7.1, 11.2, 16.5],
    ])]),
    Case("across-title-and-date", ("xlsx",), [Sheet("Sheet1", [
        title("2024年各镇（街道）知识产权主要指标完成情况", 5),
        [None, None, None, None, "2025年1月"],
        ["指标名称", "单位", "川姜镇", "金沙街道", "合计"],
        ["新增贯标单位", "家", 3, 5, 23],
        ["万人高价值发明专利拥有量", "件", 7.1, 11.2, 16.5],
    ])]),
    Case("target-period-header", ("xlsx",), [Sheet("Sheet1", [
        title(T, 6), ["序号", "指标名称", "单位", "2022-2025年目标", "2023年", "2024年"],
        [1, "新增贯标单位", "家", 80, 18, 21], [2, "新增海外专利授权", "件", 30, 8, 9],
    ])]),
    Case("date-headers", ("xls", "ods"), [Sheet("Sheet1", [
        ["指标名称", "单位", "2021年末", "二〇二二年", "2023年度", date("2024-12-31")],
        ["全社会知识产权满意度", "%", 83.5, 84.2, 85.6, 86.3],
        ["知识产权服务机构从业人员", "人", 120, 145, 168, 190],
    ])]),
    Case("years-text-dates", ("xlsx",), [Sheet("Sheet1", [
        ["指标名称", "单位", "2022.12", "2023-12-31", "2024年12月31日", "2025年6月30日"],
        ["新增贯标单位", "家", 16, 18, 21, 10],
    ])]),
    # ---- tables and sheets the reader must find ----------------------------------------------
    Case("two-tables-one-sheet", ("xlsx",), [Sheet("Sheet1", [
        title("表1 知识产权创造指标", 5), H,
        [1, "万人高价值发明专利拥有量", "件", 13.9, 16.5],
        [2, "新增海外专利授权", "件", 8, 9],
        [], [],
        title("表2 知识产权运用指标（2025年）", 5),
        ["序号", "指标名称", "单位", "2025年目标", "2025年"],
        [1, "知识产权质押登记担保金额", "亿元", 20, 21.3],
        [2, "新增贯标单位", "家", 20, 22],
    ])]),
    Case("two-tables-district-then-towns", ("xlsx",), [Sheet("Sheet1", [
        title("表1 全区", 5), H,
        [1, "新增贯标单位", "家", 18, 21],
        [], [],
        title("表2 各镇（街道）", 5),
        ["序号", "镇(街道)", "指标名称", "单位", "2024年"],
        [1, "川姜镇", "新增贯标单位", "家", 3],
        [2, "金沙街道", "新增贯标单位", "家", 5],
    ])]),
    Case("second-sheet-year-in-name", ("xlsx",), [
        Sheet("2024年", [["指标名称", "单位", "2024年"], ["新增贯标单位", "家", 21]]),
        Sheet("2025年", [[span("2025年通州区知识产权主要指标", 3)], ["指标名称", "单位", "完成值"],
                        ["新增贯标单位", "家", 22], ["新增海外专利授权", "件", 10]]),
    ]),
    Case("second-sheet-kaohe-zhibiao", ("xlsx",), [
        Sheet("创造", [["指标名称", "单位", "2024年"], ["新增海外专利授权", "件", 9]]),
        Sheet("管理", [["考核指标", "单位", "2023年", "2024年"], ["新增贯标单位", "家", 18, 21],
                     ["新增国家知识产权优势示范企业", "家", 1, 2]]),
    ]),
    Case("second-sheet-unrecognised", ("xlsx",), [
        Sheet("指标数据", [["指标名称", "单位", "2024年"], ["新增贯标单位", "家", 21]]),
        Sheet("附表", [["季度", "申请量", "授权量"], ["一季度", 520, 310], ["二季度", 610, 355]]),
    ]),
    Case("kaohe-zhibiao-only", ("xlsx",), [Sheet("Sheet1", [
        title(T, 4), ["考核指标", "单位", "2023年", "2024年"],
        ["新增贯标单位", "家", 18, 21], ["新增海外专利授权", "件", 8, 9],
    ])]),
    Case("year-in-title-value-col", ("xlsx",), [Sheet("Sheet1", [
        title("2024年通州区知识产权主要指标完成情况", 4), ["序号", "指标名称", "单位", "完成值"],
        [1, "新增贯标单位", "家", 21], [2, "新增海外专利授权", "件", 9],
    ])]),
    Case("one-indicator-in-title", ("xlsx",), [Sheet("Sheet1", [
        title("各镇（街道）新增贯标单位情况（单位：家）", 4), ["序号", "镇(街道)", "2023年", "2024年"],
        [1, "川姜镇", 3, 3], [2, "金沙街道", 4, 5], [3, "合计", 18, 21],
    ])]),
    Case("header-split-unmerged", ("xlsx",), [Sheet("Sheet1", [
        ["指标名称", "单位", "完成情况", None],
        [None, None, "2023年", "2024年"],
        ["新增贯标单位", "家", 18, 21], ["新增海外专利授权", "件", 8, 9],
    ])]),
    Case("transposed-regions-rows", ("xlsx",), [Sheet("Sheet1", [
        title("2024年各镇（街道）知识产权主要指标", 4),
        ["序号", "镇(街道)", "新增贯标单位（家）", "万人高价值发明专利拥有量（件）"],
        [1, "川姜镇", 3, 7.1], [2, "金沙街道", 5, 11.2], [3, "合计", 23, 16.5],
    ])]),
    Case("transposed-years-rows", ("xlsx",), [Sheet("Sheet1", [
        title(T, 3), ["年份", "新增贯标单位", "万人高价值发明专利拥有量"],
        [2023, 18, 13.9], [2024, 21, 16.5],
    ])]),
    Case("lanci-row", ("xlsx",), [Sheet("Sheet1", [
        ["通州区知识产权主要指标"],
        ["指标名称", "计量单位", "2023年", "2024年"], ["甲", "乙", 1, 2],
        ["新增贯标单位", "家", 18, 21],
    ])]),
    # ---- two-row headers -------------------------------------------------------------------
    Case("across-two-row-years", ("xlsx",), [Sheet("Sheet1", [
        title("各镇（街道）新增贯标单位", 7),
        [span("指标名称", rows=2), span("单位", rows=2), span("2023年", cols=2), None,
         span("2024年", cols=2), None],
        [None, None, "川姜镇", "金沙街道", "川姜镇", "金沙街道"],
        ["新增贯标单位", "家", 3, 4, 3, 5],
        ["新增海外专利授权", "件", 1, 2, 1, 3],
    ])]),
    Case("year-over-half-full", ("xlsx",), [Sheet("Sheet1", [
        [span("指标名称", rows=2), span("单位", rows=2), span("2024年", cols=2), None],
        [None, None, "上半年", "全年"],
        ["新增贯标单位", "家", 9, 21], ["新增海外专利授权", "件", 4, 9],
    ])]),
    Case("year-over-count-share", ("xlsx",), [Sheet("Sheet1", [
        [span("镇(街道)", rows=2), span("指标名称", rows=2), span("2024年", cols=2), None],
        [None, None, "数量", "占全区比重"],
        ["川姜镇", "新增贯标单位", 3, 14.3], ["金沙街道", "新增贯标单位", 5, 23.8],
    ])]),
    Case("done-over-years", ("xlsx",), [Sheet("Sheet1", [
        [span("指标名称", rows=2), span("单位", rows=2), span("实际完成", cols=3), None, None, "目标"],
        [None, None, "2022年", "2023年", "2024年", "2025年"],
        ["新增贯标单位", "家", 16, 18, 21, 80], ["新增海外专利授权", "件", 6, 8, 9, 30],
    ])]),
    Case("two-row-target-actual-xls", ("xls",), [Sheet("目标完成", [
        [span("镇(街道)", rows=2), span("指标名称", rows=2), span("单位", rows=2),
         span("2024年", cols=2), None],
        [None, None, None, "目标", "实际"],
        ["金沙街道", "新增贯标单位", "家", 4, 5],
        ["川姜镇", "新增贯标单位", "家", 3, 3],
    ])]),
    # ---- cells -----------------------------------------------------------------------------
    Case("name-footnote-marks", ("xlsx",), [Sheet("Sheet1", [
        ["指标名称", "单位", "2024年"], ["新增贯标单位*", "家", 21], ["新增海外专利授权①", "件", 9],
        ["万人高价值发明专利拥有量（注1）", "件", 16.5], ["案件结案率[1]", "%", 93.1],
    ])]),
    Case("blank-looking", ("xlsx",), [Sheet("Sheet1", [
        title(T, 6), ["序号", "指标名称", "单位", "2022年", "2023年", "2024年"],
        [1, "新增贯标单位", "家", " ", "\u3000", 21],
        [2, "新增海外专利授权", "件", "\u00a0", "－", 9],
        [3, "培训各类知识产权人才", "人次", "\u200b", "—", 620],
        [4, "组织各类知识产权培训", "次", "未统计", "暂缺", 5],
        [5, "知识产权服务机构从业人员", "人", "\u2060", "待统计", 190],
    ])]),
    Case("numbers-as-text", ("xlsx",), [Sheet("Sheet1", [
        ["指标名称", "单位", "2023年", "2024年"],
        ["知识产权质押登记担保金额", "亿元", "15.8 ", "１８．９"],
        ["培训各类知识产权人才", "人次", "1,250", "1 320"],
        ["案件结案率", "%", "92.5%", "93.1％"], ["新增贯标单位", "家", "18家", "＋21"],
    ])]),
    Case("merged-value-across-years", ("xlsx",), [Sheet("Sheet1", [
        ["指标名称", "单位", "2023年", "2024年", "2025年"],
        ["建成省级知识产权保护示范区", "项", 0, span(1, cols=2), None],
        ["新增贯标单位", "家", 18, span("该指标2024年起不再统计", cols=2), None],
    ])]),
    Case("target-2025-town-text", ("xlsx",), [Sheet("Sheet1", [
        ["镇(街道)", "指标名称", "单位", "2025年目标", "2024年"],
        ["川姜镇", "万人高价值发明专利拥有量", "件", "≥8件/万人", 7.1],
        ["川姜镇", "知识产权质押登记担保金额", "亿元", "力争达到2亿元", 1.8],
        ["全区", "知识产权质押登记担保金额", "亿元", "突破20亿元", 18.9],
    ])]),
    Case("hidden-row-col-xls", ("xls",), [Sheet("指标数据", [
        ["序号", "指标名称", "单位", "2021年", "2022年", "2023年", "2024年"],
        [1, "新增海外专利授权", "件", 5, 6, 8, 9],
        [2, "新增贯标单位", "家", 16, 18, 21, 23],
    ], hidden_rows=(3,), hidden_cols=("D",))]),
    # ---- percentages -----------------------------------------------------------------------
    Case("percent-formula", ("xlsx", "xls", "ods"), [Sheet("Sheet1", [
        ["指标名称", "单位", "2024年", "结案数", "受理数"],
        ["案件结案率", "%", formula("of:=[.D2]/[.E2]"), 185, 200],
    ])]),
    Case("percent-formula-formatted", ("xlsx", "xls", "ods"), [Sheet("Sheet1", [
        ["指标名称", "单位", "2024年", "结案数", "受理数"],
        ["案件结案率", "%", percent_formula("of:=[.D2]/[.E2]"), 185, 200],
    ])]),
    Case("literal-percent-format", ("xlsx", "xls", "ods"), [Sheet("Sheet1", [
        ["指标名称", "单位", "2023年", "2024年"],
        ["案件结案率", "%", literal_percent(92.5), literal_percent(93.1)],
        ["全社会知识产权满意度", "%", literal_percent(85.6), literal_percent(86.3)],
    ])]),
]

# Written by openpyxl: a formula saved without its cached result (no spreadsheet program does that).
OPENPYXL = {
    "formula-no-cache.xlsx": [
        ["镇(街道)", "指标名称", "单位", "2024年"],
        ["川姜镇", "新增贯标单位", "家", 3], ["金沙街道", "新增贯标单位", "家", 5],
        ["合计", "新增贯标单位", "家", "=SUM(D2:D3)"],
    ],
}


def write_openpyxl(path: Path, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Sheet1"
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        if re.search(r"</f><v>[^<]", zf.read("xl/worksheets/sheet1.xml").decode()):
            sys.exit(f"{path.name}: the formula has a cached result")  # openpyxl writes <v></v>


def main() -> None:
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: install LibreOffice Calc (Debian: libreoffice-calc-nogui)")
    written = []
    with tempfile.TemporaryDirectory(prefix="ipdata-redteam-") as tmp:
        work = Path(tmp)
        profile = work / "profile"
        sources = {}
        for case in CASES:
            sources[case.stem] = work / f"{case.stem}.fods"
            sources[case.stem].write_text(calc.fods(case.sheets), encoding="utf-8")
        for fmt in ("xlsx", "xls", "ods"):
            wanted = [sources[c.stem] for c in CASES if fmt in c.formats]
            calc.soffice(profile, fmt, work / fmt, wanted)
            for source in wanted:
                target = HERE / f"{source.stem}.{fmt}"
                shutil.copyfile(work / fmt / target.name, target)
                written.append(target)
    for path in written:
        if path.suffix == ".xlsx":
            calc.check_cached_results(path)
    for name, rows in OPENPYXL.items():
        write_openpyxl(HERE / name, rows)
        written.append(HERE / name)
    for path in sorted(written):
        print(f"{path.stat().st_size:>7}  {path.relative_to(HERE.parent.parent.parent)}")


if __name__ == "__main__":
    main()
