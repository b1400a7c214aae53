"""The red-team corpus (tests/data/redteam/, made by make_redteam.py beside it): shapes from the QA
pass on issue 11 that once stored figures under the wrong region or year, dropped a sheet without a
word or refused good data. For each file, the values and targets read or the cells named in the
refusal, written by hand from the case in make_redteam.py and the lead's decisions on issue 11,
never copied from the reader's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_expect import ANY, EachAt, Expect, check_file, load_script

DATA = Path(__file__).resolve().parent / "data" / "redteam"
NOT_FIXTURES = {"make_redteam.py", "README.md"}

D = "全区"
HV = "hv_invention_per10k"
STD = "ip_standard_units_new"
OVS = "overseas_patents_new"
PLG = "ip_pledge_amount"
ADV = "ip_advantage_firms_new"
COPY = "copyright_industry_gdp_share"
CLOSE = "case_closure_rate"
SAT = "ip_satisfaction"
STAFF = "ip_service_staff"
TRAIN = "ip_training_persons"
SESS = "ip_training_sessions"
JS, CJ = "金沙街道", "川姜镇"


CASES: dict[str, Expect] = {
    # ---- a table without a region column: the district unless its title, 填报单位 line or sheet
    # name names one region; footnotes, departments and a region in brackets never do --------------
    "footnote-one-town.xlsx": Expect(values=[  # 注：川姜镇数据为初步统计数…
        (HV, D, 2023, 13.9), (HV, D, 2024, 16.5), (STD, D, 2023, 18), (STD, D, 2024, 21),
        (PLG, D, 2023, 15.8), (PLG, D, 2024, 18.9)]),
    "footnote-gaoxin-source.xlsx": Expect(values=[  # 注：数据来源于…高新区管委会。
        (HV, D, 2023, 13.9), (HV, D, 2024, 16.5), (STD, D, 2023, 18), (STD, D, 2024, 21)]),
    "title-district-incl-gaoxin.xlsx": Expect(values=[  # 2024年通州区（含南通高新区）…
        (HV, D, 2023, 13.9), (HV, D, 2024, 16.5), (STD, D, 2023, 18), (STD, D, 2024, 21)]),
    "fill-unit-line-baosong.xlsx": Expect(values=[  # 报送单位：金沙街道; 报送日期; 注：川姜镇数据另行报送
        (STD, JS, 2023, 4), (STD, JS, 2024, 5), (HV, JS, 2023, 9.8), (HV, JS, 2024, 11.2)]),
    "sheet-named-town-only.xls": Expect(values=[  # one sheet named 川姜镇
        (STD, CJ, 2023, 3), (STD, CJ, 2024, 3), (HV, CJ, 2023, 6.4), (HV, CJ, 2024, 7.1)]),
    "sheets-per-town.xlsx": Expect(values=[  # sheets 川姜镇 and 金沙街道, the same table on each
        (STD, CJ, 2023, 3), (STD, CJ, 2024, 3), (HV, CJ, 2023, 6.4), (HV, CJ, 2024, 7.1),
        (STD, JS, 2023, 4), (STD, JS, 2024, 5), (HV, JS, 2023, 9.8), (HV, JS, 2024, 11.2)]),
    "sheet-town-title-other-town.xlsx": Expect(  # sheet 川姜镇, title 金沙街道…
        errors=[("ambiguous-region", CJ, ANY)], messages={"ambiguous-region": (CJ, JS)}),
    "responsible-unit-column.xlsx": Expect(values=[  # 责任单位: departments and 南通高新区
        (HV, D, 2023, 13.9), (HV, D, 2024, 16.5), (PLG, D, 2023, 15.8), (PLG, D, 2024, 18.9),
        (COPY, D, 2023, 7.6), (COPY, D, 2024, 8.1), (ADV, D, 2023, 1), (ADV, D, 2024, 2),
        (STD, D, 2023, 18), (STD, D, 2024, 21)]),
    "responsible-unit-gezhen.xlsx": Expect(values=[  # 牵头单位: …, 各镇（街道）, …
        (HV, D, 2023, 13.9), (HV, D, 2024, 16.5), (STD, D, 2023, 18), (STD, D, 2024, 21),
        (PLG, D, 2023, 15.8), (PLG, D, 2024, 18.9)]),
    # ---- names in a region column ----------------------------------------------------------
    "subtotals.xlsx": Expect(  # 街道小计 (B5) and 镇小计 (B8) skipped; 合计 is the district
        values=[(STD, JS, 2024, 5), (STD, "金新街道", 2024, 2), (STD, CJ, 2024, 3), (STD, "石港镇", 2024, 2),
                (STD, D, 2024, 12)],
        warnings=[("subtotal-rows", "Sheet1", ANY)], messages={"subtotal-rows": ("街道小计", "镇小计")}),
    "district-spellings.xlsx": Expect(values=[  # 通州区合计, 全区总计, 通州区（全区）
        (STD, D, 2024, 21), (OVS, D, 2024, 9), (CLOSE, D, 2024, 93.1), (STD, CJ, 2024, 3)]),
    "region-spellings.xlsx": Expect(values=[  # …人民政府, 金沙街道办, 其中：高新区, 兴仁镇　, 平 潮, 石港镇（含原东社）
        (STD, CJ, 2024, 3), (STD, JS, 2024, 5), (STD, "南通高新区", 2024, 7), (STD, "兴仁镇", 2024, 4),
        (STD, "平潮镇", 2024, 2), (STD, "石港镇", 2024, 2)]),
    "region-header-unknown.xlsx": Expect(values=[(STD, CJ, 2024, 3), (STD, D, 2024, 21)]),  # 所在镇区
    **{f"region-merged-down-xls.{ext}": Expect(values=[  # 川姜镇, 金沙街道 merged down over two rows
        (STD, CJ, 2024, 3), (OVS, CJ, 2024, 1), (STD, JS, 2024, 5), (OVS, JS, 2024, 3),
    ]) for ext in ("xls", "ods")},
    # ---- units: a 单位： line or a unit in the year header applies; the plan's goal is in 亿元 ------
    "unit-line-wanyuan.xlsx": Expect(  # 单位：万元 in D2; 158000 in C4
        errors=[("unit-mismatch", "Sheet1", EachAt("D2", "B4", "C4", "D4"))],
        messages={"unit-mismatch": ("万元", "亿元")}),
    "header-unit-wanyuan.xlsx": Expect(  # 2023年（万元） | 2024年（万元）
        errors=[("unit-mismatch", "Sheet1", EachAt("C2", "D2", "B3", "C3", "D3"))],
        messages={"unit-mismatch": ("万元", "亿元")}),
    "unit-column-wanyuan.xlsx": Expect(
        errors=[("unit-mismatch", "Sheet1", "B2")], messages={"unit-mismatch": ("万元", "亿元")}),
    # ---- which year ------------------------------------------------------------------------
    "same-period-last-year.xlsx": Expect(  # title (2025年1-10月); 2025年1-10月 | 2024年同期 | 增长%
        values=[(STD, D, 2025, 15), (TRAIN, D, 2025, 540)],
        warnings=[("partial-year", "Sheet1", "C2"), ("ignored-column", "Sheet1", "D2"),
                  ("ignored-column", "Sheet1", "E2")],
        messages={"ignored-column@D2": ("2024年同期",)}),
    "title-partial-year.xlsx": Expect(  # title 2025年1-10月…; 2025年 | 2024年同期
        values=[(STD, D, 2025, 15), (OVS, D, 2025, 6)],
        warnings=[("partial-year", "Sheet1", "C2"), ("ignored-column", "Sheet1", "D2")],
        messages={"partial-year": ("1-10月",), "ignored-column@D2": ("2024年同期",)}),
    "across-title-partial-year.xlsx": Expect(  # title 2025年上半年…; towns across
        values=[(STD, CJ, 2025, 1), (STD, JS, 2025, 2), (STD, D, 2025, 9)],
        warnings=[("partial-year", "Sheet1", EachAt("A1", "C2", "D2", "E2"))],
        messages={"partial-year": ("上半年",)}),
    "long-partial-year.xlsx": Expect(  # 年份 cells 2025年1-6月 (C3), 2025年上半年 (C4)
        values=[(STD, D, 2024, 21), (STD, D, 2025, 9), (OVS, D, 2025, 4)],
        warnings=[("partial-year", "数据", EachAt("C1", "C3", "C4"))]),
    "across-date-line.xlsx": Expect(  # towns across, no year in the title, 填报日期：2025年1月10日
        errors=[("bad-year", "Sheet1", EachAt("A1", "C3", "D3", "E3"))], messages={"bad-year": ("标题",)}),
    "across-title-and-date.xlsx": Expect(values=[  # title 2024年…, a 2025年1月 cell in E2
        (STD, CJ, 2024, 3), (STD, JS, 2024, 5), (STD, D, 2024, 23),
        (HV, CJ, 2024, 7.1), (HV, JS, 2024, 11.2), (HV, D, 2024, 16.5)]),
    "target-period-header.xlsx": Expect(values=[  # 2022-2025年目标: 80 and 30, the plan's own
        (STD, D, 2023, 18), (STD, D, 2024, 21), (OVS, D, 2023, 8), (OVS, D, 2024, 9)]),
    **{f"date-headers.{ext}": Expect(values=[  # 2021年末 | 二〇二二年 | 2023年度 | a date cell
        (SAT, D, 2021, 83.5), (SAT, D, 2022, 84.2), (SAT, D, 2023, 85.6), (SAT, D, 2024, 86.3),
        (STAFF, D, 2021, 120), (STAFF, D, 2022, 145), (STAFF, D, 2023, 168), (STAFF, D, 2024, 190),
    ]) for ext in ("xls", "ods")},
    "years-text-dates.xlsx": Expect(  # 2022.12 | 2023-12-31 | 2024年12月31日 | 2025年6月30日
        values=[(STD, D, 2022, 16), (STD, D, 2023, 18), (STD, D, 2024, 21), (STD, D, 2025, 10)],
        warnings=[("partial-year", "Sheet1", "F1")]),
    # ---- tables and sheets the reader must find ----------------------------------------------
    "two-tables-one-sheet.xlsx": Expect(  # table 2 (row 8): 2025年目标 | 2025年 in columns D, E
        values=[(HV, D, 2023, 13.9), (HV, D, 2024, 16.5), (OVS, D, 2023, 8), (OVS, D, 2024, 9),
                (PLG, D, 2025, 21.3), (STD, D, 2025, 22)],
        warnings=[("district-target-differs", "Sheet1", "D10")]),  # 20 against the plan's 80; D9's 20 is the plan's
    "two-tables-district-then-towns.xlsx": Expect(values=[  # table 2 (row 7) has a 镇(街道) column
        (STD, D, 2023, 18), (STD, D, 2024, 21), (STD, CJ, 2024, 3), (STD, JS, 2024, 5)]),
    "second-sheet-year-in-name.xlsx": Expect(values=[  # sheet 2025年: 指标名称 | 单位 | 完成值
        (STD, D, 2024, 21), (STD, D, 2025, 22), (OVS, D, 2025, 10)]),
    "second-sheet-kaohe-zhibiao.xlsx": Expect(values=[  # sheet 管理: 考核指标 | 单位 | 2023年 | 2024年
        (OVS, D, 2024, 9), (STD, D, 2023, 18), (STD, D, 2024, 21), (ADV, D, 2023, 1), (ADV, D, 2024, 2)]),
    "second-sheet-unrecognised.xlsx": Expect(  # sheet 附表: 季度 | 申请量 | 授权量
        values=[(STD, D, 2024, 21)], warnings=[("sheet-not-read", "附表", ANY)]),
    "kaohe-zhibiao-only.xlsx": Expect(values=[
        (STD, D, 2023, 18), (STD, D, 2024, 21), (OVS, D, 2023, 8), (OVS, D, 2024, 9)]),
    "year-in-title-value-col.xlsx": Expect(values=[(STD, D, 2024, 21), (OVS, D, 2024, 9)]),  # 完成值
    "one-indicator-in-title.xlsx": Expect(values=[  # title …新增贯标单位情况（单位：家）; towns as rows
        (STD, CJ, 2023, 3), (STD, CJ, 2024, 3), (STD, JS, 2023, 4), (STD, JS, 2024, 5),
        (STD, D, 2023, 18), (STD, D, 2024, 21)]),
    "header-split-unmerged.xlsx": Expect(values=[  # 完成情况 above 2023年 | 2024年, not merged
        (STD, D, 2023, 18), (STD, D, 2024, 21), (OVS, D, 2023, 8), (OVS, D, 2024, 9)]),
    "transposed-regions-rows.xlsx": Expect(  # towns as rows, indicators as columns: refused for now
        errors=[("no-data", ANY, ANY)], messages={"no-data": ("未找到可识别的数据表",)}),
    "transposed-years-rows.xlsx": Expect(  # years as rows: refused for now
        errors=[("no-data", ANY, ANY)], messages={"no-data": ("未找到可识别的数据表",)}),
    "lanci-row.xlsx": Expect(  # the 栏次 row 甲 | 乙 | 1 | 2 under the header
        values=[(STD, D, 2023, 18), (STD, D, 2024, 21)],
        warnings=[("skipped-rows", "Sheet1", ANY)], messages={"skipped-rows": ("甲",)}),
    # ---- a year merged over sub-headers, or a label over years ------------------------------
    "across-two-row-years.xlsx": Expect(values=[  # 2023年, 2024年 each over 川姜镇 | 金沙街道
        (STD, CJ, 2023, 3), (STD, JS, 2023, 4), (STD, CJ, 2024, 3), (STD, JS, 2024, 5),
        (OVS, CJ, 2023, 1), (OVS, JS, 2023, 2), (OVS, CJ, 2024, 1), (OVS, JS, 2024, 3)]),
    "year-over-half-full.xlsx": Expect(  # 2024年 over 上半年 (C2) | 全年
        values=[(STD, D, 2024, 21), (OVS, D, 2024, 9)],
        warnings=[("ignored-column", "Sheet1", EachAt("C1", "C2"))]),
    "year-over-count-share.xlsx": Expect(  # 2024年 over 数量 | 占全区比重 (D2)
        values=[(STD, CJ, 2024, 3), (STD, JS, 2024, 5)],
        warnings=[("ignored-column", "Sheet1", EachAt("D1", "D2"))]),
    "done-over-years.xlsx": Expect(values=[  # 实际完成 over 2022-2024; 目标 over 2025: 80, 30 = the plan's
        (STD, D, 2022, 16), (STD, D, 2023, 18), (STD, D, 2024, 21),
        (OVS, D, 2022, 6), (OVS, D, 2023, 8), (OVS, D, 2024, 9)]),
    "two-row-target-actual-xls.xls": Expect(  # 2024年 over 目标 | 实际
        values=[(STD, JS, 2024, 5), (STD, CJ, 2024, 3)], targets=[(STD, JS, 2024, 4), (STD, CJ, 2024, 3)]),
    # ---- cells -----------------------------------------------------------------------------
    "name-footnote-marks.xlsx": Expect(values=[  # 新增贯标单位*, …①, …（注1）, 案件结案率[1]
        (STD, D, 2024, 21), (OVS, D, 2024, 9), (HV, D, 2024, 16.5), (CLOSE, D, 2024, 93.1)]),
    "blank-looking.xlsx": Expect(values=[  # 2022-2023: space, U+3000, U+00A0, －, U+200B, —, 未统计, 暂缺, U+2060, 待统计
        (STD, D, 2024, 21), (OVS, D, 2024, 9), (TRAIN, D, 2024, 620), (SESS, D, 2024, 5), (STAFF, D, 2024, 190)]),
    "numbers-as-text.xlsx": Expect(values=[  # "15.8 ", １８．９, 1,250, 1 320, 92.5%, 93.1％, 18家, ＋21
        (PLG, D, 2023, 15.8), (PLG, D, 2024, 18.9), (TRAIN, D, 2023, 1250), (TRAIN, D, 2024, 1320),
        (CLOSE, D, 2023, 92.5), (CLOSE, D, 2024, 93.1), (STD, D, 2023, 18), (STD, D, 2024, 21)]),
    "merged-value-across-years.xlsx": Expect(  # D3:E3 merged, holding 该指标2024年起不再统计
        errors=[("not-a-number", "Sheet1", EachAt("D3", "E3"))],
        messages={"not-a-number": ("该指标2024年起不再统计",)}),
    "target-2025-town-text.xlsx": Expect(  # 2025年目标: ≥8件/万人, 力争达到2亿元, 突破20亿元 (全区, the plan's)
        values=[(HV, CJ, 2024, 7.1), (PLG, CJ, 2024, 1.8), (PLG, D, 2024, 18.9)],
        targets=[(HV, CJ, 2025, 8)],
        warnings=[("target-ignored", "Sheet1", "D3")], messages={"target-ignored": ("力争达到2亿元",)}),
    "hidden-row-col-xls.xls": Expect(  # row 3 and column D (2021年) hidden
        values=[(OVS, D, 2021, 5), (OVS, D, 2022, 6), (OVS, D, 2023, 8), (OVS, D, 2024, 9),
                (STD, D, 2021, 16), (STD, D, 2022, 18), (STD, D, 2023, 21), (STD, D, 2024, 23)],
        warnings=[("hidden-cells", "指标数据", ANY)], messages={"hidden-cells": ("3", "D")}),
    "formula-no-cache.xlsx": Expect(  # =SUM(D2:D3) saved by openpyxl without its result
        errors=[("formula-without-value", "Sheet1", "D4")], messages={"formula-without-value": ("公式",)}),
    # ---- percentages -----------------------------------------------------------------------
    **{f"percent-formula.{ext}": Expect(  # =D2/E2 = 0.925, not formatted as a percentage
        values=[(CLOSE, D, 2024, 0.925)],
        warnings=[("fraction-percent", "Sheet1", "C2"), ("ignored-column", "Sheet1", "D1"),
                  ("ignored-column", "Sheet1", "E1")],
        messages={"fraction-percent": ("若为 0.925% 无需修改",)}) for ext in ("xlsx", "xls", "ods")},
    **{f"percent-formula-formatted.{ext}": Expect(  # =D2/E2 shown as 92.5%
        values=[(CLOSE, D, 2024, 92.5)],
        warnings=[("ignored-column", "Sheet1", "D1"), ("ignored-column", "Sheet1", "E1")],
    ) for ext in ("xlsx", "xls", "ods")},
    **{f"literal-percent-format.{ext}": Expect(values=[  # 92.5 shown as 92.5% by a format with a literal %
        (CLOSE, D, 2023, 92.5), (CLOSE, D, 2024, 93.1), (SAT, D, 2023, 85.6), (SAT, D, 2024, 86.3),
    ]) for ext in ("xlsx", "xls", "ods")},
}


@pytest.mark.parametrize("name", list(CASES))
def test_redteam_file(name: str):
    check_file(DATA / name, CASES[name])


def test_every_committed_file_has_a_test():
    files = {p.name for p in DATA.iterdir() if p.is_file()} - NOT_FIXTURES
    assert sorted(files - set(CASES)) == [], "a file in tests/data/redteam/ without an expectation here"
    assert sorted(set(CASES) - files) == [], "an expectation here without its file"


def test_every_file_comes_from_the_script():
    script = load_script(DATA / "make_redteam.py", ("make_corpus",))
    made = {f"{c.stem}.{ext}" for c in script.CASES for ext in c.formats} | set(script.OPENPYXL)
    assert made == set(CASES)
