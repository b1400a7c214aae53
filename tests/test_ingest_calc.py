"""Workbooks written by LibreOffice Calc (tests/data/calc/, made by make_corpus.py beside them): for each
file, the values read or the cells named in the refusal. Every expectation is written by hand from what
the script put in the file (the contract: issue 11), never copied from the reader's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_expect import ANY, Expect, OneOf, check_file, load_script

DATA = Path(__file__).resolve().parent / "data" / "calc"
NOT_FIXTURES = {"make_corpus.py", "README.md"}

D = "全区"


CASES: dict[str, Expect] = {
    # ---- region columns --------------------------------------------------------------------
    "town-xiangzhen-jiedao.xlsx": Expect(values=[
        ("hv_invention_per10k", "南通高新区", 2023, 21.3), ("hv_invention_per10k", "南通高新区", 2024, 24.6),
        ("hv_invention_per10k", "金沙街道", 2023, 9.8), ("hv_invention_per10k", "金沙街道", 2024, 11.2),
        ("hv_invention_per10k", "川姜镇", 2023, 6.4), ("hv_invention_per10k", "川姜镇", 2024, 7.1),
        ("hv_invention_per10k", D, 2023, 14.2), ("hv_invention_per10k", D, 2024, 16.5),
        ("ip_standard_units_new", "南通高新区", 2023, 9), ("ip_standard_units_new", "南通高新区", 2024, 11),
        ("ip_standard_units_new", "金沙街道", 2023, 4), ("ip_standard_units_new", "金沙街道", 2024, 5),
        ("ip_standard_units_new", "川姜镇", 2023, 3), ("ip_standard_units_new", "川姜镇", 2024, 3),
        ("ip_standard_units_new", D, 2023, 21), ("ip_standard_units_new", D, 2024, 23),
    ]),
    "town-xiangzhen.xlsx": Expect(values=[  # merged section rows 一、… between the rows
        ("madrid_marks_total", "张芝山镇", 2022, 3), ("madrid_marks_total", "张芝山镇", 2023, 4),
        ("madrid_marks_total", "张芝山镇", 2024, 6),
        ("madrid_marks_total", "五接镇", 2022, 1), ("madrid_marks_total", "五接镇", 2023, 2),
        ("madrid_marks_total", "五接镇", 2024, 2),
        ("madrid_marks_total", "平潮镇", 2022, 5), ("madrid_marks_total", "平潮镇", 2023, 6),
        ("madrid_marks_total", "平潮镇", 2024, 8),
        ("ip_pledge_amount", "张芝山镇", 2022, 1.2), ("ip_pledge_amount", "张芝山镇", 2023, 1.5),
        ("ip_pledge_amount", "张芝山镇", 2024, 1.8),
        ("ip_pledge_amount", "五接镇", 2022, 0.6), ("ip_pledge_amount", "五接镇", 2023, 0.8),
        ("ip_pledge_amount", "五接镇", 2024, 0.9),
        ("ip_pledge_amount", "平潮镇", 2022, 2.1), ("ip_pledge_amount", "平潮镇", 2023, 2.4),
        ("ip_pledge_amount", "平潮镇", 2024, 2.6),
    ]),
    "town-jiedao.xls": Expect(values=[
        ("ip_training_persons", "金沙街道", 2023, 120), ("ip_training_persons", "金沙街道", 2024, 135),
        ("ip_training_persons", "金新街道", 2023, 80), ("ip_training_persons", "金新街道", 2024, 96),
        ("ip_training_persons", "兴东街道", 2023, 64), ("ip_training_persons", "兴东街道", 2024, 70),
        ("ip_training_persons", "先锋街道", 2023, 45), ("ip_training_persons", "先锋街道", 2024, 52),
        ("overseas_patents_new", "金沙街道", 2023, 2), ("overseas_patents_new", "金沙街道", 2024, 3),
        ("overseas_patents_new", "金新街道", 2023, 1), ("overseas_patents_new", "金新街道", 2024, 1),
        ("overseas_patents_new", "兴东街道", 2023, 0), ("overseas_patents_new", "兴东街道", 2024, 2),
        ("overseas_patents_new", "先锋街道", 2023, 1), ("overseas_patents_new", "先锋街道", 2024, 0),
    ]),
    "town-zhen-jiedao-yuanqu.xlsx": Expect(values=[
        ("trademark_firms_per10k_ent", "南通高新区", 2024, 1520), ("trademark_firms_per10k_ent", "南通高新区", 2025, 1610),
        ("trademark_firms_per10k_ent", "石港镇", 2024, 1180), ("trademark_firms_per10k_ent", "石港镇", 2025, 1265),
        ("trademark_firms_per10k_ent", "西亭镇", 2024, 1230), ("trademark_firms_per10k_ent", "西亭镇", 2025, 1302),
        ("trademark_firms_per10k_ent", "二甲镇", 2024, 1090), ("trademark_firms_per10k_ent", "二甲镇", 2025, 1175),
        ("ip_pledge_amount", "南通高新区", 2024, 6.5), ("ip_pledge_amount", "南通高新区", 2025, 7.2),
        ("ip_pledge_amount", "石港镇", 2024, 0.9), ("ip_pledge_amount", "石港镇", 2025, 1.1),
    ]),
    "town-no-header.xlsx": Expect(values=[  # the region column's header cell is blank
        ("ip_standard_units_new", "东社镇", 2023, 2), ("ip_standard_units_new", "东社镇", 2024, 3),
        ("ip_standard_units_new", "十总镇", 2023, 1), ("ip_standard_units_new", "十总镇", 2024, 2),
        ("ip_standard_units_new", "刘桥镇", 2023, 3), ("ip_standard_units_new", "刘桥镇", 2024, 2),
        ("ip_standard_units_new", "三余镇", 2023, 2), ("ip_standard_units_new", "三余镇", 2024, 4),
    ]),
    "town-danwei-mingcheng.ods": Expect(values=[  # 单位名称 is the region, 计量单位 the unit
        ("overseas_patents_new", "兴仁镇", 2023, 2), ("overseas_patents_new", "兴仁镇", 2024, 4),
        ("overseas_patents_new", "平潮镇", 2023, 3), ("overseas_patents_new", "平潮镇", 2024, 2),
        ("overseas_patents_new", "南通高新区", 2023, 6), ("overseas_patents_new", "南通高新区", 2024, 7),
        ("overseas_patents_new", D, 2023, 15), ("overseas_patents_new", D, 2024, 17),
        ("ip_training_persons", "兴仁镇", 2023, 150), ("ip_training_persons", "兴仁镇", 2024, 160),
        ("ip_training_persons", "平潮镇", 2023, 110), ("ip_training_persons", "平潮镇", 2024, 130),
        ("ip_training_persons", "南通高新区", 2023, 300), ("ip_training_persons", "南通高新区", 2024, 320),
        ("ip_training_persons", D, 2023, 820), ("ip_training_persons", D, 2024, 870),
    ]),
    "region-aliases.xlsx": Expect(values=[  # 高新区, 南通高新技术产业开发区, 金沙: one region each
        ("hv_invention_per10k", "南通高新区", 2023, 21.3), ("hv_invention_per10k", "金沙街道", 2023, 9.8),
        ("hv_invention_per10k", "南通高新区", 2024, 24.6), ("hv_invention_per10k", "金沙街道", 2024, 11.2),
        ("ip_standard_units_new", "南通高新区", 2024, 11),
    ]),
    "region-unknown.xlsx": Expect(errors=[("unknown-region", "Sheet1", "B4")], messages={"unknown-region": ("崇川区",)}),
    # ---- one region named in the title or a 填报单位 line ---------------------------------------
    "title-one-town.xlsx": Expect(values=[
        ("copyright_reg_per10k", "川姜镇", 2023, 620), ("copyright_reg_per10k", "川姜镇", 2024, 700),
        ("genuine_goods_demo_new", "川姜镇", 2023, 1), ("genuine_goods_demo_new", "川姜镇", 2024, 0),
        ("ip_standard_units_new", "川姜镇", 2023, 3), ("ip_standard_units_new", "川姜镇", 2024, 3),
    ]),
    "fill-unit-one-town.xls": Expect(values=[
        ("ip_standard_units_new", "兴仁镇", 2024, 4), ("ip_standard_units_new", "兴仁镇", 2025, 5),
        ("ip_training_persons", "兴仁镇", 2024, 160), ("ip_training_persons", "兴仁镇", 2025, 175),
        ("trademark_firms_per10k_ent", "兴仁镇", 2024, 1210), ("trademark_firms_per10k_ent", "兴仁镇", 2025, 1290),
    ]),
    "title-fill-unit-differ.xlsx": Expect(  # title 石港镇, 填报单位：西亭镇
        errors=[("ambiguous-region", "Sheet1", OneOf(("A1", "A2")))], messages={"ambiguous-region": ("石港镇", "西亭镇")}),
    # ---- year headers ----------------------------------------------------------------------
    "years-wording.xlsx": Expect(values=[  # 2022年完成值 | 2023年实际完成 | 2024年1-12月 | 截至2025年底
        ("hv_invention_per10k", D, 2022, 11.6), ("hv_invention_per10k", D, 2023, 13.9),
        ("hv_invention_per10k", D, 2024, 16.5), ("hv_invention_per10k", D, 2025, 18.6),
        ("madrid_marks_total", D, 2022, 41), ("madrid_marks_total", D, 2023, 52),
        ("madrid_marks_total", D, 2024, 63), ("madrid_marks_total", D, 2025, 72),
        ("ip_pledge_amount", D, 2022, 12.5), ("ip_pledge_amount", D, 2023, 15.8),
        ("ip_pledge_amount", D, 2024, 18.9), ("ip_pledge_amount", D, 2025, 21.3),
        ("case_closure_rate", D, 2022, 91.2), ("case_closure_rate", D, 2023, 92.5),
        ("case_closure_rate", D, 2024, 93.1), ("case_closure_rate", D, 2025, 94),
    ]),
    "years-numerals-date.xlsx": Expect(values=[  # 2021年末 | 二〇二二年 | 2023年度 | a date cell 2024-12-31
        ("ip_satisfaction", D, 2021, 83.5), ("ip_satisfaction", D, 2022, 84.2),
        ("ip_satisfaction", D, 2023, 85.6), ("ip_satisfaction", D, 2024, 86.3),
        ("ip_service_staff", D, 2021, 120), ("ip_service_staff", D, 2022, 145),
        ("ip_service_staff", D, 2023, 168), ("ip_service_staff", D, 2024, 190),
    ]),
    "bad-year.xlsx": Expect(errors=[("bad-year", "Sheet1", "D3")], messages={"bad-year": ("2022-2023",)}),
    "growth-rate-column.xlsx": Expect(  # 增长率(%) and 较上年增减 hold formulas' numbers
        values=[("ip_standard_units_new", D, 2023, 18), ("ip_standard_units_new", D, 2024, 21),
                ("ip_service_staff", D, 2023, 168), ("ip_service_staff", D, 2024, 190)],
        warnings=[("ignored-column", "Sheet1", "F3"), ("ignored-column", "Sheet1", "G3")]),
    # ---- two-row headers -------------------------------------------------------------------
    "two-row-target-actual.xlsx": Expect(
        values=[("hv_invention_per10k", "金沙街道", 2023, 9.8), ("hv_invention_per10k", "金沙街道", 2024, 11.2),
                ("hv_invention_per10k", "川姜镇", 2023, 6.4), ("hv_invention_per10k", "川姜镇", 2024, 7.1),
                ("ip_standard_units_new", "金沙街道", 2023, 4), ("ip_standard_units_new", "金沙街道", 2024, 5),
                ("ip_standard_units_new", "川姜镇", 2023, 3), ("ip_standard_units_new", "川姜镇", 2024, 3)],
        targets=[("hv_invention_per10k", "金沙街道", 2023, 9.5), ("hv_invention_per10k", "金沙街道", 2024, 11),
                 ("hv_invention_per10k", "川姜镇", 2023, 6), ("hv_invention_per10k", "川姜镇", 2024, 7),
                 ("ip_standard_units_new", "金沙街道", 2023, 4), ("ip_standard_units_new", "金沙街道", 2024, 5),
                 ("ip_standard_units_new", "川姜镇", 2023, 3), ("ip_standard_units_new", "川姜镇", 2024, 3)]),
    "two-row-plan-done.ods": Expect(  # 合计's 2025 计划: 70 = the plan's 70 (silent), 25 ≠ the plan's 20 (F5)
        values=[("madrid_marks_total", D, 2024, 63), ("madrid_marks_total", D, 2025, 72),
                ("madrid_marks_total", "平潮镇", 2024, 8), ("madrid_marks_total", "平潮镇", 2025, 10),
                ("ip_pledge_amount", D, 2024, 18.9), ("ip_pledge_amount", D, 2025, 21.3),
                ("ip_pledge_amount", "平潮镇", 2024, 2.6), ("ip_pledge_amount", "平潮镇", 2025, 2.9)],
        targets=[("madrid_marks_total", "平潮镇", 2024, 7), ("madrid_marks_total", "平潮镇", 2025, 9),
                 ("ip_pledge_amount", "平潮镇", 2024, 2.4), ("ip_pledge_amount", "平潮镇", 2025, 3)],
        warnings=[("district-target-differs", "计划完成", "F5")]),
    # ---- cells -----------------------------------------------------------------------------
    **{f"formula-errors.{ext}": Expect(  # D4 is a formula with a number (13.9): not a problem
        errors=[("formula-error", "指标数据", "E4"), ("formula-error", "指标数据", "E5"),
                ("formula-error", "指标数据", "D6"), ("formula-error", "指标数据", "E7")],
        messages={"formula-error@E4": ("#DIV/0!",), "formula-error@E5": ("#N/A",), "formula-error@D6": ("#VALUE!",),
                  "formula-error@E7": ("#REF!",)}) for ext in ("xlsx", "xls", "ods")},
    **{f"hidden-row-col.{ext}": Expect(  # row 6 and column D (2021年) hidden
        values=[("overseas_patents_new", D, 2021, 5), ("overseas_patents_new", D, 2022, 6),
                ("overseas_patents_new", D, 2023, 8), ("overseas_patents_new", D, 2024, 9),
                ("ip_standard_units_new", D, 2021, 16), ("ip_standard_units_new", D, 2022, 18),
                ("ip_standard_units_new", D, 2023, 21), ("ip_standard_units_new", D, 2024, 23),
                ("ip_training_sessions", D, 2021, 3), ("ip_training_sessions", D, 2022, 4),
                ("ip_training_sessions", D, 2023, 4), ("ip_training_sessions", D, 2024, 5),
                ("ip_service_staff", D, 2021, 120), ("ip_service_staff", D, 2022, 145),
                ("ip_service_staff", D, 2023, 168), ("ip_service_staff", D, 2024, 190)],
        warnings=[("hidden-cells", "指标数据", ANY)], messages={"hidden-cells": ("6", "D")}) for ext in ("xlsx", "ods")},
    "percent-typed.xlsx": Expect(
        values=[("copyright_industry_gdp_share", "川姜镇", 2024, 9.2),
                ("copyright_industry_gdp_share", "石港镇", 2024, 0.8),
                ("copyright_industry_gdp_share", D, 2024, 8.1)],
        warnings=[("fraction-percent", "Sheet1", "E4")], messages={"fraction-percent": ("若为 0.8% 无需修改",)}),
    **{f"percent-formatted.{ext}": Expect(values=[  # 0.092, 0.008, 0.081, 0.925 shown as 9.2% ... 92.5%
        ("copyright_industry_gdp_share", "川姜镇", 2024, 9.2), ("copyright_industry_gdp_share", "石港镇", 2024, 0.8),
        ("copyright_industry_gdp_share", D, 2024, 8.1), ("case_closure_rate", D, 2024, 92.5),
    ]) for ext in ("xlsx", "xls", "ods")},
    "plan-target-column.xlsx": Expect(values=[  # 2025年目标: ≥18, 70以上, 突破20, 建成, 8.6% (read or ignored)
        ("hv_invention_per10k", D, 2023, 13.9), ("hv_invention_per10k", D, 2024, 16.5),
        ("hv_invention_per10k", D, 2025, 18.6),
        ("madrid_marks_total", D, 2023, 52), ("madrid_marks_total", D, 2024, 63), ("madrid_marks_total", D, 2025, 72),
        ("ip_pledge_amount", D, 2023, 15.8), ("ip_pledge_amount", D, 2024, 18.9), ("ip_pledge_amount", D, 2025, 21.3),
        ("protection_demo_zone", D, 2023, 0), ("protection_demo_zone", D, 2024, 0), ("protection_demo_zone", D, 2025, 1),
        ("copyright_industry_gdp_share", D, 2023, 7.6), ("copyright_industry_gdp_share", D, 2024, 8.1),
        ("copyright_industry_gdp_share", D, 2025, 8.7),
    ], notices_in="D"),
    "units-variants.xlsx": Expect(values=[  # 件/万人, 家/万户, ％, 个百分点, (亿元) in the name
        ("hv_invention_per10k", D, 2023, 13.9), ("hv_invention_per10k", D, 2024, 16.5),
        ("trademark_firms_per10k_ent", D, 2023, 1280), ("trademark_firms_per10k_ent", D, 2024, 1350),
        ("case_closure_rate", D, 2023, 92.5), ("case_closure_rate", D, 2024, 93.1),
        ("patent_intensive_gdp_share", D, 2023, 14.2), ("patent_intensive_gdp_share", D, 2024, 15.1),
        ("ip_pledge_amount", D, 2023, 15.8), ("ip_pledge_amount", D, 2024, 18.9),
    ]),
    # ---- rows and sheets the plan does not track -------------------------------------------
    "extra-rows.xlsx": Expect(
        values=[("hv_invention_per10k", D, 2023, 13.9), ("hv_invention_per10k", D, 2024, 16.5),
                ("ip_standard_units_new", D, 2023, 18), ("ip_standard_units_new", D, 2024, 21)],
        warnings=[("skipped-rows", "Sheet1", ANY)], messages={"skipped-rows": ("专利授权量", "商标注册量")}),
    "no-plan-rows.xlsx": Expect(errors=[("no-plan-indicator", ANY, ANY)]),
    "sheet-named-shuoming.xlsx": Expect(values=[
        ("overseas_patents_new", D, 2024, 9), ("ip_training_persons", D, 2024, 620), ("ip_training_sessions", D, 2024, 5),
    ]),
    "several-sheets-hidden.xlsx": Expect(
        values=[("hv_invention_per10k", D, 2024, 16.5), ("madrid_marks_total", D, 2024, 63),
                ("population", D, 2023, 120.6), ("population", D, 2024, 120.9),
                ("enterprises", D, 2023, 48650), ("enterprises", D, 2024, 51230)],
        warnings=[("hidden-sheet", "旧表", None)]),
    # ---- ordinary good files ---------------------------------------------------------------
    "good-long.xls": Expect(values=[  # 指标 | 单位 | 地区 | 年份 | 数值; 通州区 is the district
        ("hv_invention_per10k", D, 2023, 13.9), ("hv_invention_per10k", D, 2024, 16.5),
        ("hv_invention_per10k", "南通高新区", 2024, 24.6),
        ("ip_standard_units_new", D, 2024, 21), ("ip_standard_units_new", "金沙街道", 2024, 5),
        ("case_closure_rate", D, 2024, 93.1),
        ("ip_pledge_amount", D, 2023, 15.8), ("ip_pledge_amount", D, 2024, 18.9),
    ]),
    "good-wide.ods": Expect(values=[
        ("hv_invention_per10k", D, 2021, 9.7), ("hv_invention_per10k", D, 2022, 11.6),
        ("hv_invention_per10k", D, 2023, 13.9), ("hv_invention_per10k", D, 2024, 16.5),
        ("overseas_patents_new", D, 2021, 4), ("overseas_patents_new", D, 2022, 6),
        ("overseas_patents_new", D, 2023, 8), ("overseas_patents_new", D, 2024, 9),
        ("ip_pledge_amount", D, 2021, 10.2), ("ip_pledge_amount", D, 2022, 12.5),
        ("ip_pledge_amount", D, 2023, 15.8), ("ip_pledge_amount", D, 2024, 18.9),
        ("copyright_industry_gdp_share", D, 2021, 7.1), ("copyright_industry_gdp_share", D, 2022, 7.4),
        ("copyright_industry_gdp_share", D, 2023, 7.6), ("copyright_industry_gdp_share", D, 2024, 8.1),
        ("case_closure_rate", D, 2021, 90.5), ("case_closure_rate", D, 2022, 91.2),
        ("case_closure_rate", D, 2023, 92.5), ("case_closure_rate", D, 2024, 93.1),
    ]),
    # ---- not workbooks, though named like one ----------------------------------------------
    "web-page.xls": Expect(errors=[("unreadable-file", None, None)], messages={"unreadable-file": ("网页",)}),
    "csv-named.xlsx": Expect(errors=[("unreadable-file", None, None)], messages={"unreadable-file": ("CSV",)}),
    "picture.xlsx": Expect(errors=[("unreadable-file", None, None)], messages={"unreadable-file": ("图片",)}),
    "encrypted.xlsx": Expect(errors=[("unreadable-file", None, None)], messages={"unreadable-file": ("打开密码",)}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_calc_file(name: str):
    check_file(DATA / name, CASES[name])


def test_every_committed_file_has_a_test():
    files = {p.name for p in DATA.iterdir() if p.is_file()} - NOT_FIXTURES
    assert sorted(files - set(CASES)) == [], "a file in tests/data/calc/ without an expectation here"
    assert sorted(set(CASES) - files) == [], "an expectation here without its file"


def test_every_file_comes_from_the_script():
    script = load_script(DATA / "make_corpus.py")
    made = {f"{c.stem}.{ext}" for c in script.CASES for ext in c.formats} | set(script.NOT_WORKBOOKS)
    assert made == set(CASES)
