"""Layouts we accept: the template and the tables statisticians already keep."""

from ingest_helpers import PLAN, read, tidy, wide, xlsx
from openpyxl import Workbook

from ipdata.ingest import read_upload

OBS = ["series", "region", "year", "value", "cell"]


def test_statisticians_table_with_title_sections_and_footnotes(tmp_path):
    upload = read(tmp_path, {"Sheet1": wide(
        [None, "一、知识产权创造"],
        ["1", "万人高价值发明专利拥有量（件）", None, 8.2, "10.1", "12"],
        ["2", "新增海外专利授权", "件", "-", 6, "—"],
        [None, "（二）知识产权运用"],
        ["3", "知识产权质押登记担保金额", "亿元", "1,234", "１２", "/"],
        ["注：2021年为基期数据。"],
        ["资料来源：区市场监管局"],
        ["填表人：张三", None, None, None, "审核人：李四"],
    )})
    assert upload.report.flatten() == []
    assert tidy(upload.observations, OBS) == [
        ("hv_invention_per10k", "全区", 2021, 8.2, "D5"),
        ("hv_invention_per10k", "全区", 2022, 10.1, "E5"),
        ("hv_invention_per10k", "全区", 2023, 12.0, "F5"),
        ("overseas_patents_new", "全区", 2022, 6.0, "E6"),
        ("ip_pledge_amount", "全区", 2021, 1234.0, "D8"),
        ("ip_pledge_amount", "全区", 2022, 12.0, "E8"),
    ]
    assert set(upload.observations["sheet"]) == {"Sheet1"}
    assert str(upload.observations["year"].dtype) == "int64"
    assert str(upload.observations["value"].dtype) == "float64"


def test_year_header_variants(tmp_path):
    header = ["项目", "单位", "2021", 2022, "2023年度", "２０２４年"]
    upload = read(tmp_path, {"表1": [["标题"], header, ["新增贯标单位", "家", 15, 18, 20, 21]]})
    assert tidy(upload.observations, ["year", "value"]) == [(2021, 15.0), (2022, 18.0), (2023, 20.0), (2024, 21.0)]


def test_header_found_below_many_title_rows(tmp_path):
    rows = [[f"说明第{i}行"] for i in range(20)] + [["指标名称", "2023年"], ["新增贯标单位", 20]]
    upload = read(tmp_path, {"表1": rows})
    assert tidy(upload.observations, ["series", "cell"]) == [("ip_standard_units_new", "B22")]


def test_region_column_and_district_aliases(tmp_path):
    upload = read(tmp_path, {"分地区": [
        ["指标名称", "地区", "2022年", "2023年"],
        ["新增贯标单位", "通州区", 18, 20],
        ["新增贯标单位", "川姜镇", 3, None],
        ["新增贯标单位", "南通高新区", 6, 7],
        ["案件结案率", "合计", 88, None],
        ["案件结案率", None, None, 91],
    ]})
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["series", "region", "year", "value"]) == [
        ("ip_standard_units_new", "全区", 2022, 18.0),
        ("ip_standard_units_new", "全区", 2023, 20.0),
        ("ip_standard_units_new", "川姜镇", 2022, 3.0),
        ("ip_standard_units_new", "南通高新区", 2022, 6.0),
        ("ip_standard_units_new", "南通高新区", 2023, 7.0),
        ("case_closure_rate", "全区", 2022, 88.0),
        ("case_closure_rate", "全区", 2023, 91.0),
    ]


def test_percent_sign_and_percent_unit_in_name(tmp_path):
    upload = read(tmp_path, {"表": wide(
        ["1", "专利密集型产业增加值占GDP比重(%)", None, "12.1%", "12.9 %", 13.6],
        ["2", "案件结案率", "％", "86.5%", None, None],
    )})
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["series", "year", "value"]) == [
        ("patent_intensive_gdp_share", 2021, 12.1),
        ("patent_intensive_gdp_share", 2022, 12.9),
        ("patent_intensive_gdp_share", 2023, 13.6),
        ("case_closure_rate", 2021, 86.5),
    ]


def test_target_columns_in_a_wide_table_are_targets(tmp_path):
    header = ["指标名称", "地区", "2022年", "2023年", "2025年目标"]
    upload = read(tmp_path, {"表": [
        header,
        ["万人高价值发明专利拥有量", "川姜镇", 4.9, 5.8, 8],
        ["新增贯标单位", None, 18, None, "80"],
    ]})
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["series", "region", "year", "value"]) == [
        ("hv_invention_per10k", "川姜镇", 2022, 4.9),
        ("hv_invention_per10k", "川姜镇", 2023, 5.8),
        ("ip_standard_units_new", "全区", 2022, 18.0),
    ]
    assert tidy(upload.targets, ["series", "region", "year", "target", "cell"]) == [
        ("hv_invention_per10k", "川姜镇", 2025, 8.0, "E2"),
    ]  # the 全区 row repeats the plan's own target (80), which is not stored again


def test_target_value_column_without_year_means_plan_target_year(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", "地区", "2023年", "目标值"], ["新增贯标单位", "川姜镇", 20, 30]]})
    assert tidy(upload.targets, ["series", "year", "target"]) == [("ip_standard_units_new", 2025, 30.0)]


def test_long_table(tmp_path):
    upload = read(tmp_path, {"数据": [
        ["指标", "地区", "年份", "数值", "单位", "来源", "备注"],
        ["新增贯标单位", "川姜镇", "2022年", 3, "家", "区市场监管局", None],
        ["新增贯标单位", "川姜镇", 2023, "4", "家", "区市场监管局", "含1家省级"],
        ["常住人口", "全区", 2023, 125.0, "万人", None, None],
        ["新增海外专利授权", "全区", 2023, "-", "件", None, None],
    ]})
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["series", "region", "year", "value", "source", "note", "cell"]) == [
        ("ip_standard_units_new", "川姜镇", 2022, 3.0, "区市场监管局", None, "D2"),
        ("ip_standard_units_new", "川姜镇", 2023, 4.0, "区市场监管局", "含1家省级", "D3"),
        ("population", "全区", 2023, 125.0, None, None, "D4"),
    ]


def test_merged_region_cell_covers_its_rows(tmp_path):
    wb = Workbook()
    ws = wb.active
    for row in (["地区", "指标", "年份", "数值"], ["川姜镇", "新增贯标单位", 2022, 3], [None, "新增贯标单位", 2023, 4]):
        ws.append(row)
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "m.xlsx")
    upload = read_upload(tmp_path / "m.xlsx", PLAN)
    assert tidy(upload.observations, ["region", "year", "value"]) == [("川姜镇", 2022, 3.0), ("川姜镇", 2023, 4.0)]


def test_targets_sheet(tmp_path):
    upload = read(tmp_path, {"目标分解": [
        ["目标分解"], ["说明"],
        ["指标代码", "指标名称", "单位", "地区", "目标值", "目标年份", "备注"],
        ["hv_invention_per10k", "万人高价值发明专利拥有量", "件", "南通高新区", 28, 2025, "考核目标"],
        [None, "新增贯标单位", "家", "川姜镇", "10", None, None],
    ]})
    assert upload.report.flatten() == []
    assert tidy(upload.targets, ["series", "region", "year", "target", "note", "sheet", "cell"]) == [
        ("hv_invention_per10k", "南通高新区", 2025, 28.0, "考核目标", "目标分解", "E4"),
        ("ip_standard_units_new", "川姜镇", 2025, 10.0, None, "目标分解", "E5"),
    ]
    assert upload.observations.empty


def test_tasks_sheet(tmp_path):
    upload = read(tmp_path, {"任务进度": [
        ["任务进度"],
        ["任务编号", "重点任务", "任务内容(摘要)", "责任单位", "状态", "进展说明", "更新日期"],
        ["一.1.1", "强化示范创建组织领导", "…", "区市场监管局", "已完成", "领导小组已成立", "2023-03-01"],
        ["二.2.3", "实施商标品牌培育工程", "…", "区市场监管局", "推进中", None, None],
        ["二.3.1", "实施精品版权培育工程", "…", "区新闻出版局", None, None, None],
    ]})
    assert upload.report.flatten() == []
    assert tidy(upload.tasks, ["task_id", "status", "note", "updated", "cell"]) == [
        ("一.1.1", "已完成", "领导小组已成立", "2023-03-01", "E3"),
        ("二.2.3", "推进中", None, None, "E4"),
    ]


def test_names_by_code_alias_and_loose_spelling(tmp_path):
    header = ["指标代码", "指标名称", "2023年"]
    upload = read(tmp_path, {"表": [
        header,
        ["ip_service_staff", None, 118],
        [None, "马德里国际商标注册量", 53],
        [None, " 新增省级 “正版正货” 示范街区和行业 ", 1],
        [None, "4.全社会知识产权满意度", 82.4],
        [None, "其中：有效注册商标企业数", 7500],
        [None, "ＧＤＰ", 1510],
    ]})
    assert upload.report.flatten() == []
    assert upload.observations["series"].tolist() == [
        "ip_service_staff", "madrid_marks_total", "genuine_goods_demo_new", "ip_satisfaction",
        "trademark_firms_count", "gdp",
    ]


def test_milestone_words(tmp_path):
    upload = read(tmp_path, {"表": [
        ["指标名称", "2021年", "2022年", "2023年", "2024年"],
        ["建成区级重点产业知识产权运营平台", "否", 0, "是", "已建成"],
        ["建成知识产权公共服务平台", "未建成", "已完成", 1, "1"],
    ]})
    assert upload.report.flatten() == []
    assert upload.observations["value"].tolist() == [0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0]


def test_same_value_in_two_sheets_is_kept_once(tmp_path):
    upload = read(tmp_path, {
        "表1": [["指标名称", "2023年"], ["新增贯标单位", 20]],
        "表2": [["指标", "地区", "年份", "数值"], ["新增贯标单位", "全区", 2023, "20"]],
    })
    assert upload.report.flatten() == []
    assert tidy(upload.observations, ["series", "year", "value", "sheet", "cell"]) == [
        ("ip_standard_units_new", 2023, 20.0, "表1", "B2"),
    ]


def test_history_before_base_year_is_welcome(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", "2019年", "2020年"], ["新增贯标单位", 11, 12]]})
    assert tidy(upload.observations, ["year", "value"]) == [(2019, 11.0), (2020, 12.0)]


def test_workbook_written_elsewhere_is_read_from_bytes(tmp_path):
    data = xlsx(tmp_path, {"表": [["指标名称", "2023年"], ["新增贯标单位", 20]]}).read_bytes()
    upload = read_upload(data, PLAN)
    assert tidy(upload.observations, ["series", "value"]) == [("ip_standard_units_new", 20.0)]
