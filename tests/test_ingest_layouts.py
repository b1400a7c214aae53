"""Statisticians' own layouts: year headers in every wording, two-row headers (目标 | 实际), a target
column copied from the plan, units as departments write them, columns the reader does not take."""

import datetime as dt

import pytest
from ingest_helpers import PLAN, read, tidy, write_book

from ipdata.ingest import read_upload
from ipdata.ingest.cells import header_year, parse_target


@pytest.mark.parametrize("header, expected", [
    (2023, ("value", 2023)), ("2023", ("value", 2023)), ("2023年", ("value", 2023)), ("2023年度", ("value", 2023)),
    ("2023年末", ("value", 2023)), ("2023年底", ("value", 2023)), ("截至2023年底", ("value", 2023)),
    ("2023年完成值", ("value", 2023)), ("2023年实际完成", ("value", 2023)), ("2023年1-12月", ("value", 2023)),
    ("二〇二三年", ("value", 2023)), ("２０２３年", ("value", 2023)), (dt.datetime(2023, 12, 31), ("value", 2023)),
    ("2025年目标", ("target", 2025)), ("2025年计划", ("target", 2025)), ("二〇二五年目标值", ("target", 2025)),
    ("2022-2023年", ("bad", "2022-2023年")), ("23年", ("bad", "23年")),
    ("2023年比上年增长", ("other", "2023年比上年增长")), ("2024年预计", ("other", "2024年预计")),
    ("增长率(%)", ("none", None)), ("指标名称", ("none", None)), (None, ("none", None)),
])
def test_header_year(header, expected):
    assert header_year(header) == expected


@pytest.mark.parametrize("text, value", [
    ("≥18", 18.0), ("70以上", 70.0), ("突破20", 20.0), ("超过85%", 85.0), ("8.6%", 8.6), ("≥1400家", 1400.0),
    ("建成", 1.0), ("达到90%以上", 90.0), ("2400人次", 2400.0), (15, 15.0), ("明显增长", None), ("稳步提升", None),
])
def test_targets_as_the_plan_words_them(text, value):
    assert parse_target(text) == value


def test_every_year_header_wording_is_read_and_none_is_dropped(tmp_path):
    upload = read(tmp_path, {"表": [
        ["指标名称", "单位", "2021年末", "2022年完成值", "2023年实际完成", "2024年1-12月", "截至2025年底", "增长率(%)"],
        ["新增贯标单位", "家", 15, 18, 20, 21, 22, 4.8]]})
    assert tidy(upload.observations, ["year", "value"]) == [(2021, 15.0), (2022, 18.0), (2023, 20.0), (2024, 21.0),
                                                           (2025, 22.0)]
    # the growth-rate column is no year: told, at its header cell, not silently dropped
    assert upload.report.flatten(["cell", "code", "severity"]) == [["H1", "ignored-column", "warning"]]
    assert "“增长率(%)”" in upload.report.warnings[0].message


def test_a_header_with_two_years_is_a_located_error(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", "2022-2023年", "2024年"], ["新增贯标单位", 30, 21]]})
    assert upload.report.flatten(["cell", "code"]) == [["B1", "bad-year"]]
    assert "不能确定是哪一年" in upload.report.errors[0].message


def test_two_row_header_target_over_actual(tmp_path):
    path = write_book(tmp_path / "two.xlsx", {"表": [
        ["指标名称", "地区", "2023年", None, "2024年", None],
        [None, None, "目标", "实际", "计划", "完成"],
        ["新增贯标单位", "川姜镇", 3, 4, 5, 6],
        ["案件结案率", "全区", 90, 91, 92, 93],
    ]}, merges={"表": ["C1:D1", "E1:F1", "A1:A2", "B1:B2"]})
    upload = read_upload(path, PLAN)
    # 实际/完成 are values; 目标/计划 the region's targets of that year; the district's yearly
    # targets are no plan targets: dropped with one notice per column
    assert tidy(upload.observations, ["series", "region", "year", "value", "cell"]) == [
        ("ip_standard_units_new", "川姜镇", 2023, 4.0, "D3"), ("ip_standard_units_new", "川姜镇", 2024, 6.0, "F3"),
        ("case_closure_rate", "全区", 2023, 91.0, "D4"), ("case_closure_rate", "全区", 2024, 93.0, "F4")]
    assert tidy(upload.targets, ["series", "region", "year", "target"]) == [
        ("ip_standard_units_new", "川姜镇", 2023, 3.0), ("ip_standard_units_new", "川姜镇", 2024, 5.0)]
    assert upload.report.flatten(["cell", "code", "severity"]) == [
        ["C4", "district-target-ignored", "warning"], ["E4", "district-target-ignored", "warning"]]


def test_two_row_header_with_the_year_over_its_first_column_only(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", "2023年", None], [None, "目标", "实际"], ["新增贯标单位", 3, 4]]})
    assert tidy(upload.observations, ["year", "value", "cell"]) == [(2023, 4.0, "C3")]


def test_a_plan_target_column_in_the_plans_own_words_is_never_refused(tmp_path):
    upload = read(tmp_path, {"指标完成情况及说明": [
        ["指标名称", "单位", "2024年", "2025年目标"],
        ["万人高价值发明专利拥有量", "件/万人", 14.9, "≥18"],
        ["马德里商标注册量累计", "件", 61, "70以上"],
        ["知识产权质押登记担保金额", "亿元", 21.4, "突破20"],
        ["建成省级知识产权保护示范区", "项", 0, "建成"],
        ["版权产业增加值占GDP比重", "％", 8.4, "8.6%"],
        ["专利密集型产业增加值占GDP比重", "个百分点", 14.2, 16],
        ["万企有效注册商标企业数", "家/万户", 1350, 1400],
        ["知识产权许可转让贸易额", "万元", 5500, "明显增长"],
        ["案件结案率", "%", 92.4, "稳步提高"],
    ]})
    # a sheet named …说明 with a data table is read; the targets equal the plan's (dropped
    # silently), the trend goal's wording is the plan's own; 稳步提高 is no number: a notice
    assert upload.report.flatten(["cell", "code", "severity"]) == [["D10", "target-ignored", "warning"]]
    assert tidy(upload.observations, ["series", "value"]) == [
        ("hv_invention_per10k", 14.9), ("madrid_marks_total", 61.0), ("ip_pledge_amount", 21.4),
        ("protection_demo_zone", 0.0), ("copyright_industry_gdp_share", 8.4),
        ("patent_intensive_gdp_share", 14.2), ("trademark_firms_per10k_ent", 1350.0), ("license_trade", 5500.0),
        ("case_closure_rate", 92.4)]
    assert upload.targets.empty


def test_a_district_target_that_differs_from_the_plan_is_dropped_with_a_warning(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", "2024年", "2025年目标"], ["马德里商标注册量累计", 61, "≥75"]]})
    assert upload.report.flatten(["cell", "code"]) == [["C2", "district-target-differs"]]
    assert upload.targets.empty


def test_per_10000_units_only_on_per_10000_goals(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", "单位", "2024年"], ["新增贯标单位", "家/万户", 21]]})
    assert upload.report.flatten(["cell", "code"]) == [["B2", "unit-mismatch"]]


def test_unit_in_brackets_after_the_name(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", "2024年"], ["万人高价值发明专利拥有量（件/万人）", 14.9],
                                   ["版权产业增加值占GDP比重(％)", 8.4]]})
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["series", "value"]) == [("hv_invention_per10k", 14.9),
                                                              ("copyright_industry_gdp_share", 8.4)]


def test_the_templates_guide_sheet_is_still_skipped_for_its_name(tmp_path):
    upload = read(tmp_path, {"填报说明": [["指标名称", "单位", "2025年目标"], ["马德里商标注册量累计", "件", "≥99件"]],
                             "指标数据": [["指标名称", "2024年"], ["马德里商标注册量累计", 61]]})
    assert upload.report.flatten() == []
    assert len(upload.observations) == 1


def test_a_part_of_a_year_is_read_as_that_year_with_a_warning(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", "2024年1-12月", "2025年1-10月"], ["新增贯标单位", 21, 17]]})
    assert tidy(upload.observations, ["year", "value"]) == [(2024, 21.0), (2025, 17.0)]
    assert upload.report.flatten(["cell", "code", "severity"]) == [["C1", "partial-year", "warning"]]
    assert "表头“2025年1-10月”表明这是2025年1-10月的数据，不是全年" in upload.report.warnings[0].message


@pytest.mark.parametrize("typed, outcome", [
    ("21家", ("value", 21.0)), ("21 家", ("value", 21.0)), ("1,350家", ("value", 1350.0)),
    ("21个", ("unit-mismatch", None)), ("21万元", ("unit-mismatch", None)), ("约21", ("not-a-number", None)),
])
def test_a_number_typed_with_its_unit(tmp_path, typed, outcome):
    upload = read(tmp_path, {"表": [["指标名称", "2024年"], ["新增贯标单位", typed]]})
    kind, value = outcome
    if kind == "value":
        assert upload.report.flatten() == [] and upload.observations["value"].tolist() == [value]
    else:
        assert upload.report.flatten(["cell", "code"]) == [["B2", kind]]


def test_section_headings_merged_across_the_table_are_no_rows(tmp_path):
    path = write_book(tmp_path / "s.xlsx", {"表": [
        ["指标名称", "单位", "2023年", "2024年"],
        ["一、知识产权创造", None, None, None],
        ["马德里商标注册量累计", "件", 53, 61],
    ]}, merges={"表": ["A2:D2"]})
    upload = read_upload(path, PLAN)
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["year", "value"]) == [(2023, 53.0), (2024, 61.0)]


def test_an_indicator_merged_down_over_its_towns(tmp_path):
    path = write_book(tmp_path / "m.xlsx", {"表": [
        ["指标名称", "镇(街道)", "2024年"],
        ["新增贯标单位", "川姜镇", 3], [None, "兴仁镇", 4], [None, "合计", 21],
    ]}, merges={"表": ["A2:A4"]})
    upload = read_upload(path, PLAN)
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["series", "region", "value"]) == [
        ("ip_standard_units_new", "川姜镇", 3.0), ("ip_standard_units_new", "兴仁镇", 4.0),
        ("ip_standard_units_new", "全区", 21.0)]
