"""Write the LibreOffice corpus: statisticians' workbooks as LibreOffice Calc saves them.

Run by hand (CI has no LibreOffice and only reads the committed files):

    /usr/bin/python3 tests/data/calc/make_corpus.py

Each case below is written as a Flat ODS document (ODF XML as text: values, percent cells, formulas,
merges, hidden rows, columns and sheets) and converted by `soffice --headless --convert-to` into
.xlsx, .xls or .ods in this directory. Formulas are written without a result, so LibreOffice computes
them on load and the saved file holds the cached values (#DIV/0!, #N/A, ...). The encrypted workbook
is stored through LibreOffice's UNO API (a password cannot be given to --convert-to), which needs
Debian's python3-uno: hence /usr/bin/python3. Each run uses a fresh LibreOffice profile.

The expected values are written by hand in tests/test_ingest_calc.py; change both together.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"  # the interpreter Debian's python3-uno belongs to


# ---------------------------------------------------------------------------------------------
# A small description of a sheet: one list per row, one item per column.


@dataclass(frozen=True)
class Cell:
    value: Any = None
    kind: str = "auto"  # auto (text or number) | percent | formula | date
    cols: int = 1  # merged across this many columns ...
    rows: int = 1  # ... and rows; the covered positions are None in the rows below


def pct(fraction: float) -> Cell:
    """A number shown as a percentage (0.008 shown 0.8%)."""
    return Cell(fraction, "percent")


def formula(text: str) -> Cell:
    """An OpenFormula formula (of:=...), written without a result for LibreOffice to compute."""
    return Cell(text, "formula")


def date(iso: str) -> Cell:
    return Cell(iso, "date")


def span(value: Any, cols: int = 1, rows: int = 1) -> Cell:
    return Cell(value, "auto", cols, rows)


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    hidden_rows: tuple[int, ...] = ()  # 1-based row numbers
    hidden_cols: tuple[str, ...] = ()  # column letters
    hidden: bool = False


@dataclass
class Case:
    stem: str
    formats: tuple[str, ...]
    sheets: list[Sheet]


# ---------------------------------------------------------------------------------------------
# The cases. Names, units and regions are the plan's (data/plans/tongzhou-2022-2025.yaml) unless a
# case is about a name the plan does not know.

DISTRICT_TITLE = "通州区知识产权强县建设主要指标完成情况"


def title(text: str, width: int) -> list[Any]:
    return [span(text, width)]


CASES: list[Case] = [
    # Region columns under the headers towns and departments use.
    Case("town-xiangzhen-jiedao", ("xlsx",), [Sheet("Sheet1", [
        title("2024年各镇（街道）知识产权主要指标完成情况", 6),
        ["填报单位：区市场监管局（知识产权局）", None, None, None, None, "2025年1月"],
        ["序号", "乡镇（街道）", "指标名称", "单位", "2023年", "2024年"],
        [1, "南通高新区", "万人高价值发明专利拥有量", "件", 21.3, 24.6],
        [2, "金沙街道", "万人高价值发明专利拥有量", "件", 9.8, 11.2],
        [3, "川姜镇", "万人高价值发明专利拥有量", "件", 6.4, 7.1],
        [4, "合计", "万人高价值发明专利拥有量", "件", 14.2, 16.5],
        [5, "南通高新区", "新增贯标单位", "家", 9, 11],
        [6, "金沙街道", "新增贯标单位", "家", 4, 5],
        [7, "川姜镇", "新增贯标单位", "家", 3, 3],
        [8, "合计", "新增贯标单位", "家", 21, 23],
        ["注：高价值发明专利按国家知识产权局统计口径。"],
    ])]),
    Case("town-xiangzhen", ("xlsx",), [Sheet("表1", [
        title("各乡镇知识产权指标统计表", 7),
        ["序号", "指标名称", "乡镇", "计量单位", "2022年", "2023年", "2024年"],
        [span("一、知识产权创造", 7)],
        [1, "马德里商标注册量累计", "张芝山镇", "件", 3, 4, 6],
        [2, "马德里商标注册量累计", "五接镇", "件", 1, 2, 2],
        [3, "马德里商标注册量累计", "平潮镇", "件", 5, 6, 8],
        [span("二、知识产权运用", 7)],
        [4, "知识产权质押登记担保金额", "张芝山镇", "亿元", 1.2, 1.5, 1.8],
        [5, "知识产权质押登记担保金额", "五接镇", "亿元", 0.6, 0.8, 0.9],
        [6, "知识产权质押登记担保金额", "平潮镇", "亿元", 2.1, 2.4, 2.6],
    ])]),
    Case("town-jiedao", ("xls",), [Sheet("街道汇总", [
        title("各街道知识产权人才培训及海外专利情况", 6),
        ["序号", "街道", "指标名称", "单位", "2023年", "2024年"],
        [1, "金沙街道", "培训各类知识产权人才", "人次", 120, 135],
        [2, "金新街道", "培训各类知识产权人才", "人次", 80, 96],
        [3, "兴东街道", "培训各类知识产权人才", "人次", 64, 70],
        [4, "先锋街道", "培训各类知识产权人才", "人次", 45, 52],
        [5, "金沙街道", "新增海外专利授权", "件", 2, 3],
        [6, "金新街道", "新增海外专利授权", "件", 1, 1],
        [7, "兴东街道", "新增海外专利授权", "件", 0, 2],
        [8, "先锋街道", "新增海外专利授权", "件", 1, 0],
    ])]),
    Case("town-zhen-jiedao-yuanqu", ("xlsx",), [Sheet("Sheet1", [
        title("各镇(街道、园区)商标及质押融资情况", 6),
        ["序号", "镇(街道、园区)", "指标", "单位", "2024年", "2025年"],
        [1, "南通高新区", "万企有效注册商标企业数", "家", 1520, 1610],
        [2, "石港镇", "万企有效注册商标企业数", "家", 1180, 1265],
        [3, "西亭镇", "万企有效注册商标企业数", "家", 1230, 1302],
        [4, "二甲镇", "万企有效注册商标企业数", "家", 1090, 1175],
        [5, "南通高新区", "知识产权质押登记担保金额", "亿元", 6.5, 7.2],
        [6, "石港镇", "知识产权质押登记担保金额", "亿元", 0.9, 1.1],
    ])]),
    Case("town-no-header", ("xlsx",), [Sheet("贯标", [
        title("2024年度各镇新增贯标单位情况", 6),
        ["序号", None, "指标名称", "单位", "2023年", "2024年"],
        [1, "东社镇", "新增贯标单位", "家", 2, 3],
        [2, "十总镇", "新增贯标单位", "家", 1, 2],
        [3, "刘桥镇", "新增贯标单位", "家", 3, 2],
        [4, "三余镇", "新增贯标单位", "家", 2, 4],
    ])]),
    Case("town-danwei-mingcheng", ("ods",), [Sheet("汇总表", [
        title("各单位知识产权工作指标完成情况", 5),
        ["单位名称", "指标", "计量单位", "2023年", "2024年"],
        ["兴仁镇", "新增海外专利授权", "件", 2, 4],
        ["平潮镇", "新增海外专利授权", "件", 3, 2],
        ["南通高新区", "新增海外专利授权", "件", 6, 7],
        ["合计", "新增海外专利授权", "件", 15, 17],
        ["兴仁镇", "培训各类知识产权人才", "人次", 150, 160],
        ["平潮镇", "培训各类知识产权人才", "人次", 110, 130],
        ["南通高新区", "培训各类知识产权人才", "人次", 300, 320],
        ["合计", "培训各类知识产权人才", "人次", 820, 870],
    ])]),
    # The same region under its full name, short name and alias, on two sheets.
    Case("region-aliases", ("xlsx",), [
        Sheet("高新区报送", [
            ["地区", "指标名称", "单位", "2023年"],
            ["南通高新区", "万人高价值发明专利拥有量", "件", 21.3],
            ["金沙街道", "万人高价值发明专利拥有量", "件", 9.8],
        ]),
        Sheet("镇街汇总", [
            ["镇(街道)", "指标名称", "单位", "2024年"],
            ["高新区", "万人高价值发明专利拥有量", "件", 24.6],
            ["金沙", "万人高价值发明专利拥有量", "件", 11.2],
            ["南通高新技术产业开发区", "新增贯标单位", "家", 11],
        ]),
    ]),
    Case("region-unknown", ("xlsx",), [Sheet("Sheet1", [
        title("各镇（街道）万人高价值发明专利拥有量", 5),
        ["序号", "乡镇（街道）", "指标名称", "单位", "2024年"],
        [1, "金沙街道", "万人高价值发明专利拥有量", "件", 11.2],
        [2, "崇川区", "万人高价值发明专利拥有量", "件", 35.4],
        [3, "川姜镇", "万人高价值发明专利拥有量", "件", 7.1],
    ])]),
    # One town named only in the title, or in a 填报单位 line; two different towns named.
    Case("title-one-town", ("xlsx",), [Sheet("Sheet1", [
        title("川姜镇知识产权工作主要指标完成情况", 5),
        ["单位：件、个", None, None, None, "填报日期：2025年1月10日"],
        ["序号", "指标名称", "单位", "2023年", "2024年"],
        [1, "万人作品著作权登记量", "件", 620, 700],
        [2, "新增省级“正版正货”示范街区和行业", "个", 1, 0],
        [3, "新增贯标单位", "家", 3, 3],
    ])]),
    Case("fill-unit-one-town", ("xls",), [Sheet("Sheet1", [
        title("知识产权强县建设主要指标完成情况表", 4),
        ["填报单位：兴仁镇", None, None, "2025年1月"],
        ["指标名称", "单位", "2024年", "2025年"],
        ["新增贯标单位", "家", 4, 5],
        ["培训各类知识产权人才", "人次", 160, 175],
        ["万企有效注册商标企业数", "家", 1210, 1290],
        ["填表人：李明", None, "审核人：王芳"],
    ])]),
    Case("title-fill-unit-differ", ("xlsx",), [Sheet("Sheet1", [
        title("石港镇知识产权主要指标完成情况", 4),
        ["填报单位：西亭镇", None, None, "2025年1月"],
        ["指标名称", "单位", "2023年", "2024年"],
        ["新增贯标单位", "家", 2, 3],
        ["知识产权质押登记担保金额", "亿元", 0.8, 0.9],
    ])]),
    # Year headers as offices write them.
    Case("years-wording", ("xlsx",), [Sheet("Sheet1", [
        title(DISTRICT_TITLE, 7),
        ["序号", "指标名称", "单位", "2022年完成值", "2023年实际完成", "2024年1-12月", "截至2025年底"],
        [1, "万人高价值发明专利拥有量", "件", 11.6, 13.9, 16.5, 18.6],
        [2, "马德里商标注册量累计", "件", 41, 52, 63, 72],
        [3, "知识产权质押登记担保金额", "亿元", 12.5, 15.8, 18.9, 21.3],
        [4, "案件结案率", "%", 91.2, 92.5, 93.1, 94],
    ])]),
    Case("years-numerals-date", ("xlsx",), [Sheet("Sheet1", [
        title("知识产权保护与服务指标", 6),
        ["指标名称", "单位", "2021年末", "二〇二二年", "2023年度", date("2024-12-31")],
        ["全社会知识产权满意度", "%", 83.5, 84.2, 85.6, 86.3],
        ["知识产权服务机构从业人员", "人", 120, 145, 168, 190],
    ])]),
    Case("bad-year", ("xlsx",), [Sheet("Sheet1", [
        title(DISTRICT_TITLE, 5),
        [None, None, None, None, "单位：件"],
        ["指标名称", "单位", "2021年", "2022-2023年", "2024年"],
        ["新增海外专利授权", "件", 4, 14, 9],
        ["马德里商标注册量累计", "件", 30, 52, 63],
    ])]),
    Case("growth-rate-column", ("xlsx",), [Sheet("Sheet1", [
        title("2024年知识产权管理服务指标", 7),
        ["单位：家、人", None, None, None, None, None, None],
        ["序号", "指标名称", "单位", "2023年", "2024年", "增长率(%)", "较上年增减"],
        [1, "新增贯标单位", "家", 18, 21, formula("of:=ROUND(([.E4]-[.D4])/[.D4]*100;1)"), formula("of:=[.E4]-[.D4]")],
        [2, "知识产权服务机构从业人员", "人", 168, 190, formula("of:=ROUND(([.E5]-[.D5])/[.D5]*100;1)"),
         formula("of:=[.E5]-[.D5]")],
    ])]),
    # Two-row headers: a year merged over 目标 | 实际 (计划 | 完成).
    Case("two-row-target-actual", ("xlsx",), [Sheet("目标完成", [
        title("2023-2024年各镇（街道）知识产权目标完成情况", 8),
        [span("序号", rows=2), span("镇(街道)", rows=2), span("指标名称", rows=2), span("单位", rows=2),
         span("2023年", cols=2), None, span("2024年", cols=2)],
        [None, None, None, None, "目标", "实际", "目标", "实际"],
        [1, "金沙街道", "万人高价值发明专利拥有量", "件", 9.5, 9.8, 11, 11.2],
        [2, "川姜镇", "万人高价值发明专利拥有量", "件", 6, 6.4, 7, 7.1],
        [3, "金沙街道", "新增贯标单位", "家", 4, 4, 5, 5],
        [4, "川姜镇", "新增贯标单位", "家", 3, 3, 3, 3],
    ])]),
    Case("two-row-plan-done", ("ods",), [Sheet("计划完成", [
        [span("指标名称", rows=2), span("镇街", rows=2), span("计量单位", rows=2),
         span("2024年", cols=2), None, span("2025年", cols=2)],
        [None, None, None, "计划", "完成", "计划", "完成"],
        ["马德里商标注册量累计", "合计", "件", None, 63, 70, 72],
        ["马德里商标注册量累计", "平潮镇", "件", 7, 8, 9, 10],
        ["知识产权质押登记担保金额", "合计", "亿元", None, 18.9, 25, 21.3],
        ["知识产权质押登记担保金额", "平潮镇", "亿元", 2.4, 2.6, 3, 2.9],
    ])]),
    # Formula results that are errors, beside one that is a number.
    Case("formula-errors", ("xlsx", "xls", "ods"), [Sheet("指标数据", [
        title(DISTRICT_TITLE, 5),
        ["单位：见各行", None, None, None, "填报日期：2025年1月"],
        ["序号", "指标名称", "单位", "2023年", "2024年"],
        [1, "万人高价值发明专利拥有量", "件", formula("of:=ROUND(1668/120.2;1)"), formula("of:=1985/[.H4]")],
        [2, "知识产权质押登记担保金额", "亿元", 15.8, formula("of:=VLOOKUP(\"质押\";[.H1:.I2];2;0)")],
        [3, "案件结案率", "%", formula("of:=92.5*\"—\""), 93.1],
        [4, "全社会知识产权满意度", "%", 85.6, formula("of:=[.#REF!]")],
    ])]),
    # Numbers in a hidden row (6) and a hidden column (D).
    Case("hidden-row-col", ("xlsx", "ods"), [Sheet("指标数据", [
        title(DISTRICT_TITLE, 8),
        [None, None, None, None, None, None, None, "单位：见各行"],
        ["序号", "指标名称", "单位", "2021年", "2022年", "2023年", "2024年", "备注"],
        [1, "新增海外专利授权", "件", 5, 6, 8, 9, None],
        [2, "新增贯标单位", "家", 16, 18, 21, 23, None],
        [3, "组织各类知识产权培训", "次", 3, 4, 4, 5, None],
        [4, "知识产权服务机构从业人员", "人", 120, 145, 168, 190, None],
    ], hidden_rows=(6,), hidden_cols=("D",))]),
    # 0.8 typed in a % row, and the same share in a cell formatted as a percentage.
    Case("percent-typed", ("xlsx",), [Sheet("Sheet1", [
        title("2024年各镇版权产业增加值占GDP比重", 5),
        ["序号", "乡镇（街道）", "指标名称", "单位", "2024年"],
        [1, "川姜镇", "版权产业增加值占GDP比重", "%", 9.2],
        [2, "石港镇", "版权产业增加值占GDP比重", "%", 0.8],
        [3, "合计", "版权产业增加值占GDP比重", "%", 8.1],
    ])]),
    Case("percent-formatted", ("xlsx", "xls", "ods"), [Sheet("Sheet1", [
        title("2024年版权产业及案件结案情况", 5),
        ["序号", "乡镇（街道）", "指标名称", "单位", "2024年"],
        [1, "川姜镇", "版权产业增加值占GDP比重", "%", pct(0.092)],
        [2, "石港镇", "版权产业增加值占GDP比重", "%", pct(0.008)],
        [3, "合计", "版权产业增加值占GDP比重", "%", pct(0.081)],
        [4, "合计", "案件结案率", "%", pct(0.925)],
    ])]),
    # A 2025年目标 column copied from the plan's sentences.
    Case("plan-target-column", ("xlsx",), [Sheet("Sheet1", [
        title(DISTRICT_TITLE, 7),
        ["序号", "指标名称", "单位", "2025年目标", "2023年", "2024年", "2025年"],
        [1, "万人高价值发明专利拥有量", "件", "≥18", 13.9, 16.5, 18.6],
        [2, "马德里商标注册量累计", "件", "70以上", 52, 63, 72],
        [3, "知识产权质押登记担保金额", "亿元", "突破20", 15.8, 18.9, 21.3],
        [4, "建成省级知识产权保护示范区", None, "建成", 0, 0, 1],
        [5, "版权产业增加值占GDP比重", "%", "8.6%", 7.6, 8.1, 8.7],
    ])]),
    Case("units-variants", ("xlsx",), [Sheet("Sheet1", [
        title(DISTRICT_TITLE, 5),
        ["序号", "指标名称", "单位", "2023年", "2024年"],
        [1, "万人高价值发明专利拥有量", "件/万人", 13.9, 16.5],
        [2, "万企有效注册商标企业数", "家/万户", 1280, 1350],
        [3, "案件结案率", "％", 92.5, 93.1],
        [4, "专利密集型产业增加值占GDP比重", "个百分点", 14.2, 15.1],
        [5, "知识产权质押登记担保金额（亿元）", None, 15.8, 18.9],
    ])]),
    # Rows the plan does not track: beside plan rows, and alone.
    Case("extra-rows", ("xlsx",), [Sheet("Sheet1", [
        title("通州区知识产权主要统计指标", 5),
        ["序号", "指标名称", "单位", "2023年", "2024年"],
        [1, "专利授权量", "件", 2100, 2350],
        [2, "万人高价值发明专利拥有量", "件", 13.9, 16.5],
        [3, "商标注册量", "件", 3200, 3500],
        [4, "新增贯标单位", "家", 18, 21],
    ])]),
    Case("no-plan-rows", ("xlsx",), [Sheet("Sheet1", [
        title("通州区专利商标统计", 5),
        ["序号", "指标名称", "单位", "2023年", "2024年"],
        [1, "专利授权量", "件", 2100, 2350],
        [2, "发明专利授权量", "件", 420, 510],
        [3, "商标注册量", "件", 3200, 3500],
    ])]),
    # A data table on a sheet whose name ends in 说明, after a real guide sheet.
    Case("sheet-named-shuoming", ("xlsx",), [
        Sheet("填报说明", [
            ["填报说明"],
            ["1. 请填报本年度数据，累计类指标填当年新增数。"],
            ["2. 百分比填数字，如 16% 填 16。"],
        ]),
        Sheet("指标完成情况及说明", [
            title("2024年知识产权指标完成情况及说明", 5),
            ["序号", "指标名称", "单位", "2024年", "完成情况说明"],
            [1, "新增海外专利授权", "件", 9, "其中PCT途径6件"],
            [2, "培训各类知识产权人才", "人次", 620, "含线上培训"],
            [3, "组织各类知识产权培训", "次", 5, None],
        ]),
    ]),
    Case("several-sheets-hidden", ("xlsx",), [
        Sheet("2024年", [
            ["指标名称", "单位", "2024年"],
            ["万人高价值发明专利拥有量", "件", 16.5],
            ["马德里商标注册量累计", "件", 63],
        ]),
        Sheet("基础数据", [
            ["指标名称", "单位", "2023年", "2024年"],
            ["常住人口", "万人", 120.6, 120.9],
            ["企业总数", "户", 48650, 51230],
        ]),
        Sheet("旧表", [
            ["指标名称", "单位", "2024年"],
            ["万人高价值发明专利拥有量", "件", 15],
        ], hidden=True),
    ]),
    # Ordinary good files in the older and the open format.
    Case("good-long", ("xls",), [Sheet("数据", [
        ["指标", "单位", "地区", "年份", "数值"],
        ["万人高价值发明专利拥有量", "件", "全区", 2023, 13.9],
        ["万人高价值发明专利拥有量", "件", "全区", 2024, 16.5],
        ["万人高价值发明专利拥有量", "件", "南通高新区", 2024, 24.6],
        ["新增贯标单位", "家", "全区", 2024, 21],
        ["新增贯标单位", "家", "金沙街道", 2024, 5],
        ["案件结案率", "%", "全区", 2024, 93.1],
        ["知识产权质押登记担保金额", "亿元", "通州区", 2023, 15.8],
        ["知识产权质押登记担保金额", "亿元", "通州区", 2024, 18.9],
    ])]),
    Case("good-wide", ("ods",), [Sheet("指标数据", [
        title(DISTRICT_TITLE, 8),
        ["单位：见各行", None, None, None, None, None, None, "填报日期：2025年1月"],
        ["序号", "指标名称", "单位", "2021年", "2022年", "2023年", "2024年", "备注"],
        ["一、知识产权创造"],
        [1, "万人高价值发明专利拥有量", "件", 9.7, 11.6, 13.9, 16.5, "按年末常住人口计算"],
        [2, "新增海外专利授权", "件", 4, 6, 8, 9, None],
        ["二、知识产权运用"],
        [3, "知识产权质押登记担保金额", "亿元", 10.2, 12.5, 15.8, 18.9, None],
        [4, "版权产业增加值占GDP比重", "%", 7.1, 7.4, 7.6, 8.1, None],
        ["三、知识产权保护"],
        [5, "案件结案率", "%", 90.5, 91.2, 92.5, 93.1, None],
        ["注：1. 数据来源：区市场监管局（知识产权局）。2. 万人指标按年末常住人口计算。"],
    ])]),
]

# Files that are not workbooks, though named like one: (file name, case whose content they hold).
NOT_WORKBOOKS = {
    "web-page.xls": "good-wide",  # LibreOffice's HTML export, saved with an .xls name
    "csv-named.xlsx": "years-wording",  # LibreOffice's CSV export (UTF-8), saved with an .xlsx name
    "encrypted.xlsx": "years-wording",  # a real .xlsx with an open password (123)
    "picture.xlsx": None,  # a PNG picture of a table
}


# ---------------------------------------------------------------------------------------------
# Flat ODS writer.

NAMESPACES = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "of": "urn:oasis:names:tc:opendocument:xmlns:of:1.2",
}
STYLES = """<office:automatic-styles>
<number:percentage-style style:name="N10"><number:number number:decimal-places="1" number:min-decimal-places="1"
 number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
<number:date-style style:name="N20"><number:year number:style="long"/><number:text>年</number:text><number:month/>
<number:text>月</number:text><number:day/><number:text>日</number:text></number:date-style>
<style:style style:name="pct" style:family="table-cell" style:data-style-name="N10"/>
<style:style style:name="date" style:family="table-cell" style:data-style-name="N20"/>
<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>
<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>
<style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="2.8cm"/></style:style>
<style:style style:name="co2" style:family="table-column"><style:table-column-properties style:column-width="6.5cm"/></style:style>
</office:automatic-styles>"""


def fods(sheets: list[Sheet]) -> str:
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in NAMESPACES.items())
    tables = "\n".join(_table(s) for s in sheets)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {ns} office:version="1.3" '
            f'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">\n{STYLES}\n'
            f"<office:body><office:spreadsheet>\n{tables}\n</office:spreadsheet></office:body></office:document>\n")


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _table(sheet: Sheet) -> str:
    covered: set[tuple[int, int]] = set()
    width = 0
    for r, row in enumerate(sheet.rows):
        for c, cell in enumerate(row):
            if isinstance(cell, Cell) and (cell.cols > 1 or cell.rows > 1):
                covered |= {(r + i, c + j) for i in range(cell.rows) for j in range(cell.cols)} - {(r, c)}
                width = max(width, c + cell.cols)
        width = max(width, len(row))
    hidden_cols = {_column_index(c) for c in sheet.hidden_cols}
    collapse = ' table:visibility="collapse"'
    cols = "".join(f'<table:table-column table:style-name="{"co2" if j in (1, 2) else "co1"}"'
                   f'{collapse if j in hidden_cols else ""}/>' for j in range(width))
    rows = []
    for r, row in enumerate(sheet.rows):
        cells = []
        for c in range(width):
            value = row[c] if c < len(row) else None
            if (r, c) in covered:
                assert value is None, f"{sheet.name} row {r + 1}: a value in a merged-over cell"
                cells.append("<table:covered-table-cell/>")
            else:
                cells.append(_cell(value))
        hidden = collapse if r + 1 in sheet.hidden_rows else ""
        rows.append(f"<table:table-row{hidden}>{''.join(cells)}</table:table-row>")
    style = "ta2" if sheet.hidden else "ta1"
    return (f"<table:table table:name={quoteattr(sheet.name)} table:style-name=\"{style}\">{cols}\n"
            + "\n".join(rows) + "\n</table:table>")


def _cell(value: Any) -> str:
    cell = value if isinstance(value, Cell) else Cell(value)
    attrs = ""
    if cell.cols > 1:
        attrs += f' table:number-columns-spanned="{cell.cols}"'
    if cell.rows > 1:
        attrs += f' table:number-rows-spanned="{cell.rows}"'
    v = cell.value
    if cell.kind == "formula":
        return f"<table:table-cell table:formula={quoteattr(v)}{attrs}/>"
    if cell.kind == "percent":
        return (f'<table:table-cell table:style-name="pct" office:value-type="percentage" office:value="{v!r}"{attrs}>'
                f"<text:p>{v * 100:.1f}%</text:p></table:table-cell>")
    if cell.kind == "date":
        y, m, d = (int(p) for p in v.split("-"))
        return (f'<table:table-cell table:style-name="date" office:value-type="date" office:date-value="{v}"{attrs}>'
                f"<text:p>{y}年{m}月{d}日</text:p></table:table-cell>")
    if v is None:
        return f"<table:table-cell{attrs}/>"
    if isinstance(v, int | float):
        return f'<table:table-cell office:value-type="float" office:value="{v!r}"{attrs}><text:p>{v}</text:p></table:table-cell>'
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(v).split("\n"))
    return f'<table:table-cell office:value-type="string"{attrs}>{paragraphs}</table:table-cell>'


# ---------------------------------------------------------------------------------------------
# LibreOffice.


def soffice(profile: Path, target: str, outdir: Path, sources: list[Path]) -> None:
    command = ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", target, "--outdir", str(outdir), *map(str, sources)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    missing = [s.name for s in sources if not any(outdir.glob(s.stem + ".*"))]
    if missing:
        sys.exit(f"LibreOffice wrote nothing for {missing} ({target})")


ENCRYPT = """
import subprocess, sys, time, uno
from com.sun.star.beans import NamedValue, PropertyValue

def prop(cls, name, value):
    p = cls(); p.Name = name; p.Value = value; return p

source, target, profile, password = sys.argv[1:5]
pipe = "ipdata_corpus_%d" % time.time_ns()
office = subprocess.Popen(["soffice", "--headless", "--norestore", "-env:UserInstallation=" + profile,
                           "--accept=pipe,name=%s;urp;" % pipe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(150):
        try:
            remote = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.2)
    desktop = remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop(PropertyValue, "Hidden", True),))
    # The OOXML export encrypts when EncryptionData holds OOXPassword (what Calc's own save dialog passes).
    data = (prop(NamedValue, "OOXPassword", password), prop(NamedValue, "CryptoType", "Standard"))
    args = (prop(PropertyValue, "FilterName", "Calc MS Excel 2007 XML"),
            prop(PropertyValue, "EncryptionData", uno.Any("[]com.sun.star.beans.NamedValue", data)))
    uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(target), args))
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass  # the office process quits as the bridge closes
finally:
    office.wait(60)
"""


def encrypt(profile: Path, source: Path, target: Path, password: str = "123") -> None:
    subprocess.run([SYSTEM_PYTHON, "-c", ENCRYPT, str(source), str(target), profile.as_uri(), password],
                   check=True, timeout=300)
    head = target.read_bytes()
    if not head.startswith(b"\xd0\xcf\x11\xe0") or "EncryptedPackage".encode("utf-16-le") not in head:
        sys.exit(f"{target.name} is not an encrypted workbook")


def png(width: int = 160, height: int = 90) -> bytes:
    """A small picture of a table (white cells, grey grid), as a screenshot someone renamed."""
    def pixel(x: int, y: int) -> bytes:
        return b"\xa0\xa0\xa0" if x % 32 == 0 or y % 15 == 0 else b"\xff\xff\xff"
    raw = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def check_cached_results(path: Path) -> None:
    """Every formula in an .xlsx has its cached result (<v>), as a file Calc saved must."""
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = zf.read(name).decode()
                for cell in re.findall(r"<c [^>]*>(?:(?!</c>).)*<f[ >](?:(?!</c>).)*</c>", xml):
                    if "<v>" not in cell:
                        sys.exit(f"{path.name}: a formula without a cached result: {cell}")


def main() -> None:
    if shutil.which("soffice") is None:
        sys.exit("soffice not found: install LibreOffice Calc (Debian: libreoffice-calc-nogui)")
    with tempfile.TemporaryDirectory(prefix="ipdata-calc-") as tmp:
        work = Path(tmp)
        profile = work / "profile"
        sources = {}
        for case in CASES:
            sources[case.stem] = work / f"{case.stem}.fods"
            sources[case.stem].write_text(fods(case.sheets), encoding="utf-8")
        written = []
        for fmt in ("xlsx", "xls", "ods"):
            wanted = [sources[c.stem] for c in CASES if fmt in c.formats]
            outdir = work / fmt
            soffice(profile, fmt, outdir, wanted)
            for source in wanted:
                target = HERE / f"{source.stem}.{fmt}"
                shutil.copyfile(outdir / target.name, target)
                written.append(target)
        for path in written:
            if path.suffix == ".xlsx":
                check_cached_results(path)

        soffice(profile, "html", work / "html", [sources[NOT_WORKBOOKS["web-page.xls"]]])
        shutil.copyfile(work / "html" / "good-wide.html", HERE / "web-page.xls")
        soffice(profile, "csv:Text - txt - csv (StarCalc):44,34,76,1", work / "csv",
                [sources[NOT_WORKBOOKS["csv-named.xlsx"]]])
        shutil.copyfile(work / "csv" / "years-wording.csv", HERE / "csv-named.xlsx")
        encrypt(profile, sources[NOT_WORKBOOKS["encrypted.xlsx"]], HERE / "encrypted.xlsx")
        (HERE / "picture.xlsx").write_bytes(png())
        written += [HERE / n for n in NOT_WORKBOOKS]
    for path in sorted(written):
        print(f"{path.stat().st_size:>7}  {path.relative_to(HERE.parent.parent.parent)}")


if __name__ == "__main__":
    main()
