"""Regions are data: the plan's list (with aliases and short forms) decides what a region cell means;
region columns are found by their header words or by their values; a title or 填报单位 line names
the one region of a table without region column."""

import dataclasses

import pandas as pd
import pytest
from ingest_helpers import PLAN, read, tidy

from ipdata.ingest import Known, read_upload
from ipdata.ingest.regions import Regions
from ipdata.ingest.tables import classify

R = Regions(PLAN)


@pytest.mark.parametrize("typed, region", [
    ("川姜镇", "川姜镇"), ("川姜", "川姜镇"), ("金沙", "金沙街道"), ("金沙街道办事处", "金沙街道"),
    ("高新区", "南通高新区"), ("南通高新区", "南通高新区"), ("川姜镇人民政府", "川姜镇"), (" 兴 仁 镇 ", "兴仁镇"),
    ("通州区", "全区"), ("合计", "全区"), ("全区合计", "全区"), (None, "全区"), ("", "全区"),
    ("区市场监管局(知识产权局)", "全区"), ("区科技局", "全区"),
    ("崇川区", None), ("金沙街", None), ("海门区", None), ("市场监管局", None),
])
def test_region_names_resolve(typed, region):
    assert R.resolve(typed) == region


def test_a_plan_without_a_region_list_takes_names_as_written():
    plain = Regions(dataclasses.replace(PLAN, regions=()))
    assert plain.resolve(" 新 镇 ") == "新镇" and plain.resolve("通州区") == "全区"


@pytest.mark.parametrize("header", ["乡镇（街道）", "乡镇", "街道", "镇(街道、园区)", "单位名称", "县(市、区)", "镇(街道)",
                                    "地区", "区镇"])
def test_region_header_words(header):
    h = classify(["指标名称", header, "2023年"], 0, "镇(街道)")
    assert h is not None and h.roles["region"] == 1


def test_unit_alone_is_the_unit_column_not_a_region():
    h = classify(["指标名称", "单位", "2023年"], 0, "镇(街道)")
    assert h.roles["unit"] == 1 and "region" not in h.roles


def test_a_towns_table_headed_xiangzhen_jiedao_never_goes_to_the_district(tmp_path):
    upload = read(tmp_path, {"表": [
        ["各镇(街道)知识产权指标"],
        ["序号", "乡镇（街道）", "指标名称", "2024年"],
        [1, "川姜镇", "新增贯标单位", 3], [2, "金沙", "新增贯标单位", 2], [3, "高新区", "新增贯标单位", 5],
        [4, "合计", "新增贯标单位", 10]]})
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["region", "value"]) == [
        ("川姜镇", 3.0), ("金沙街道", 2.0), ("南通高新区", 5.0), ("全区", 10.0)]


def test_an_unknown_region_is_refused_at_its_cell_with_the_closest_names(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", "地区", "2024年"], ["新增贯标单位", "川姜镇", 3],
                                   ["新增贯标单位", "崇川区", 4]]})
    assert upload.report.flatten(["sheet", "cell", "code", "value"]) == [["表", "B3", "unknown-region", "崇川区"]]
    message = upload.report.errors[0].message
    assert "“崇川区”不是全区或规划所列的镇(街道)" in message and "最接近的是：“川姜镇”" in message


def test_a_region_column_without_header_is_found_by_its_values(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", None, "2023年"], ["新增贯标单位", "川姜镇", 3],
                                   ["新增贯标单位", "兴仁镇", 4], ["新增贯标单位", "全区", 9]]})
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["region", "value"]) == [("川姜镇", 3.0), ("兴仁镇", 4.0), ("全区", 9.0)]


@pytest.mark.parametrize("title_rows", [
    [["川姜镇知识产权工作主要指标完成情况"]],
    [["知识产权工作主要指标"], ["填报单位：川姜镇人民政府", None, "填报日期：2025年1月5日"]],
    [["通州区川姜镇知识产权指标"]],
])
def test_one_region_named_in_a_title_or_unit_line_owns_the_rows(tmp_path, title_rows):
    upload = read(tmp_path, {"表": [*title_rows, ["指标名称", "2023年"], ["新增贯标单位", 3]]})
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["region", "year", "value"]) == [("川姜镇", 2023, 3.0)]


def test_a_unit_line_below_the_table_counts_too(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", "2023年"], ["新增贯标单位", 3], ["填报单位：兴仁镇"]]})
    assert tidy(upload.observations, ["region", "value"]) == [("兴仁镇", 3.0)]


def test_two_regions_named_without_a_region_column_is_ambiguous(tmp_path):
    upload = read(tmp_path, {"表": [["川姜镇知识产权指标"], ["填报单位：兴仁镇"], ["指标名称", "2023年"],
                                   ["新增贯标单位", 3]]})
    assert upload.report.flatten(["sheet", "cell", "code"]) == [["表", "A2", "ambiguous-region"]]
    assert "“川姜镇”、“兴仁镇”" in upload.report.errors[0].message
    assert upload.observations.empty


def test_a_region_column_wins_over_a_title(tmp_path):
    upload = read(tmp_path, {"表": [["川姜镇等镇(街道)指标"], ["指标名称", "镇(街道)", "2023年"],
                                   ["新增贯标单位", "兴仁镇", 3]]})
    assert tidy(upload.observations, ["region", "value"]) == [("兴仁镇", 3.0)]


def test_without_a_region_list_new_names_are_listed_once(tmp_path):
    plan = dataclasses.replace(PLAN, regions=())
    from ingest_helpers import xlsx
    path = xlsx(tmp_path, {"表": [["指标名称", "地区", "2023年"], ["新增贯标单位", "川姜镇", 3],
                                 ["新增贯标单位", "新镇", 1], ["新增贯标单位", "新镇", 1]]})
    upload = read_upload(path, plan, known=Known(regions=frozenset({"川姜镇"})))
    assert upload.report.flatten(["code", "severity"]) == [["new-region", "warning"]]
    assert "第一次出现" in upload.report.warnings[0].message and "“新镇”" in upload.report.warnings[0].message
    assert "川姜镇" not in upload.report.warnings[0].message
    assert tidy(upload.observations, ["region", "value"]) == [("川姜镇", 3.0), ("新镇", 1.0)]


def test_known_regions_from_the_store(tmp_path):
    known = Known.from_frames(pd.DataFrame({"series": ["x"], "region": ["甲"], "year": [2023], "value": [1.0]}),
                              pd.DataFrame({"series": ["x"], "region": ["乙"], "year": [2025], "target": [2.0]}))
    assert known.regions == frozenset({"甲", "乙"})


def test_regions_as_columns_with_the_year_in_the_title(tmp_path):
    upload = read(tmp_path, {"表": [
        ["2024年各镇(街道)知识产权主要指标"],
        ["序号", "指标名称", "单位", "川姜镇", "金沙街道", "高新区", "全区"],
        [1, "新增贯标单位", "家", 3, 2, 5, 21],
        [2, "专利授权量", "件", 300, 200, 500, 2100]]})
    assert upload.report.flatten(["cell", "code"]) == [["B4", "skipped-rows"]]
    assert tidy(upload.observations, ["region", "year", "value", "cell"]) == [
        ("川姜镇", 2024, 3.0, "D3"), ("金沙街道", 2024, 2.0, "E3"), ("南通高新区", 2024, 5.0, "F3"),
        ("全区", 2024, 21.0, "G3")]


def test_regions_as_columns_without_a_year_is_refused_at_the_header(tmp_path):
    upload = read(tmp_path, {"表": [["各镇(街道)知识产权主要指标"], ["指标名称", "川姜镇", "兴仁镇"],
                                   ["新增贯标单位", 3, 2]]})
    assert upload.report.flatten(["cell", "code"]) == [["B2", "bad-year"]]
    assert "标题(或工作表名称)中没有写明是哪一年" in upload.report.errors[0].message


def test_a_column_headed_unit_holding_region_names_is_the_region(tmp_path):
    # In many forms 单位 is the reporting unit: its values decide, not the word
    upload = read(tmp_path, {"表": [["单位", "指标名称", "2024年"], ["川姜镇", "新增贯标单位", 3], ["兴仁镇", "新增贯标单位", 4]]})
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["region", "value"]) == [("川姜镇", 3.0), ("兴仁镇", 4.0)]
