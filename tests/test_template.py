"""The template: layout from the catalogue, filled by hand, and frames written then read back."""

import io

import pandas as pd
from ingest_helpers import PLAN, tidy
from openpyxl import load_workbook

from ipdata.ingest import read_upload
from ipdata.template import write_template

YEAR_HEADERS = ["2021年", "2022年", "2023年", "2024年", "2025年"]


def _template(**kw) -> bytes:
    buffer = io.BytesIO()
    write_template(buffer, PLAN, **kw)
    return buffer.getvalue()


def _row_of(ws, code: str, region: str = "全区") -> int:
    return next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == code and ws.cell(r, 5).value == region)


def test_sheets_and_headers():
    wb = load_workbook(io.BytesIO(_template()))
    assert wb.sheetnames == ["填报说明", "指标数据", "基础数据", "目标分解", "任务进度"]
    header = lambda ws: [c.value for c in ws[3] if c.value is not None]  # noqa: E731
    assert header(wb["指标数据"]) == ["指标代码", "类别", "指标名称", "单位", "地区", *YEAR_HEADERS, "数据来源", "备注"]
    assert header(wb["基础数据"]) == header(wb["指标数据"])
    assert header(wb["目标分解"]) == ["指标代码", "指标名称", "单位", "地区", "目标值", "目标年份", "备注"]
    assert header(wb["任务进度"]) == ["任务编号", "重点任务", "任务内容(摘要)", "责任单位", "状态", "进展说明", "更新日期"]


def test_one_row_per_goal_for_the_district():
    ws = load_workbook(io.BytesIO(_template()))["指标数据"]
    rows = [[c.value for c in row[:5]] for row in ws.iter_rows(min_row=4, max_row=ws.max_row) if row[0].value]
    assert len(rows) == 21  # 20 numeric goals + the rank goal, listed last (issue 13)
    assert rows[0] == ["hv_invention_per10k", "创造", "万人高价值发明专利拥有量", "件", "全区"]
    assert rows[-2] == ["ip_training_sessions", "人才", "组织各类知识产权培训", "次", "全区"]
    assert rows[-1] == ["ip_output_rank", "创造", "知识产权产出主要指标全省排名", "名", "全区"]


def test_base_sheet_has_numerators_and_context():
    ws = load_workbook(io.BytesIO(_template()))["基础数据"]
    names = [(ws.cell(r, 3).value, ws.cell(r, 4).value) for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value]
    assert names == [("高价值发明专利拥有量", "件"), ("作品著作权登记量", "件"), ("有效注册商标企业数", "家"),
                     ("常住人口", "万人"), ("企业总数", "户"), ("地区生产总值", "亿元")]


def test_tasks_prefilled_with_the_27_paragraphs():
    ws = load_workbook(io.BytesIO(_template()))["任务进度"]
    ids = [ws.cell(r, 1).value for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value]
    assert len(ids) == 27 and ids[:4] == ["一.1.1", "一.2.1", "一.3.1", "二.1.1"] and "二.2.3" in ids


def test_guide_lists_every_goal_with_target():
    ws = load_workbook(io.BytesIO(_template()))["填报说明"]
    text = [[c.value for c in row] for row in ws.iter_rows()]  # lists, not tuples
    rows = {r[0]: r for r in text if r[0] in PLAN.goal_by_code}
    assert len(rows) == 21  # with the rank goal (issue 13)
    assert rows["ip_output_rank"][4:6] == ["排名", "全省县(市、区)第一方阵（前10名）"]
    assert rows["hv_invention_per10k"][:6] == ["hv_invention_per10k", "创造", "万人高价值发明专利拥有量", "件", "水平值", "≥18件"]
    assert rows["ip_pledge_amount"][5] == ">20亿元"
    assert rows["license_trade"][4:6] == ["趋势", "明显增长"]
    flat = "".join(str(v) for r in text for v in r if v)
    assert "16 不要填 0.16" in flat or "16% 填 16" in flat
    assert "当年新增" in flat and "不要填 0" in flat


def test_protection_freeze_validation_and_formats():
    wb = load_workbook(io.BytesIO(_template()))
    ws = wb["指标数据"]
    assert ws.protection.sheet is True
    assert ws["A3"].protection.locked is True
    assert ws["F4"].protection.locked is False and ws["E100"].protection.locked is False
    assert ws.freeze_panes == "F4"
    lists = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert "=goal_names" in lists and lists["=goal_names"].startswith("C4:")
    assert ws["F4"].number_format == "#,##0.00" and ws[f"F{_row_of(ws, 'overseas_patents_new')}"].number_format == "#,##0"
    tasks = wb["任务进度"]
    assert [dv.formula1 for dv in tasks.data_validations.dataValidation] == ['"未启动,推进中,已完成"']
    assert tasks["E4"].protection.locked is False and tasks["A4"].protection.locked is True


def test_blank_template_imports_as_no_data():
    upload = read_upload(_template(), PLAN)
    assert upload.report.flatten() == [[None, None, "no-data"]]


def test_filled_by_hand_imports_exactly(tmp_path):
    wb = load_workbook(io.BytesIO(_template()))
    ws, base, tasks = wb["指标数据"], wb["基础数据"], wb["任务进度"]
    r = _row_of(ws, "case_closure_rate")
    ws.cell(r, 6, 86.5)
    ws.cell(r, 7, "88%")
    ws.cell(r, 11, "区法院")
    ws.cell(r, 12, "口径调整")
    ws.cell(_row_of(ws, "ops_platform"), 8, "是")
    ws.append(["ip_standard_units_new", "管理", "新增贯标单位", "家", "川姜镇", 2, 3])
    base.cell(_row_of(base, "population"), 9, 125.3)
    wb["目标分解"].append([None, "新增贯标单位", "家", "川姜镇", 10])
    tasks.cell(5, 5, "推进中")
    tasks.cell(5, 6, "已印发规划")
    wb.save(tmp_path / "filled.xlsx")

    upload = read_upload(tmp_path / "filled.xlsx", PLAN)
    assert upload.report.flatten() == []
    extra_row = ws.max_row
    assert tidy(upload.observations, ["series", "region", "year", "value", "source", "note", "sheet", "cell"]) == [
        ("ops_platform", "全区", 2023, 1.0, None, None, "指标数据", f"H{_row_of(ws, 'ops_platform')}"),
        ("case_closure_rate", "全区", 2021, 86.5, "区法院", "口径调整", "指标数据", f"F{r}"),
        ("case_closure_rate", "全区", 2022, 88.0, "区法院", "口径调整", "指标数据", f"G{r}"),
        ("ip_standard_units_new", "川姜镇", 2021, 2.0, None, None, "指标数据", f"F{extra_row}"),
        ("ip_standard_units_new", "川姜镇", 2022, 3.0, None, None, "指标数据", f"G{extra_row}"),
        ("population", "全区", 2024, 125.3, None, None, "基础数据", "I7"),
    ]
    assert tidy(upload.targets, ["series", "region", "year", "target"]) == [("ip_standard_units_new", "川姜镇", 2025, 10.0)]
    assert tidy(upload.tasks, ["task_id", "status", "note", "updated"]) == [("一.2.1", "推进中", "已印发规划", None)]


OBSERVATIONS = pd.DataFrame(
    [
        ("hv_invention_per10k", "全区", 2019, 6.5, "区统计局", None),
        ("hv_invention_per10k", "全区", 2021, 8.2, "区统计局", None),
        ("hv_invention_per10k", "全区", 2022, 10.1, "区统计局", "快报数"),
        ("hv_invention_per10k", "川姜镇", 2022, 4.9, None, None),
        ("case_closure_rate", "全区", 2023, 91.25, None, None),
        ("ops_platform", "全区", 2023, 1.0, None, None),
        ("ops_platform", "全区", 2022, 0.0, None, None),
        ("population", "全区", 2023, 125.0, None, None),
        ("hv_invention_count", "南通高新区", 2023, 1234.0, "=公式样文字", None),
        ("gdp", "全区", 2024, 1600.123456789, None, None),
    ],
    columns=["series", "region", "year", "value", "source", "note"],
)
TARGETS = pd.DataFrame(
    [("hv_invention_per10k", "南通高新区", 2025, 28.0, "考核"), ("case_closure_rate", "川姜镇", 2025, 92.5, None)],
    columns=["series", "region", "year", "target", "note"],
)
TASKS = pd.DataFrame(
    [("二.2.3", "推进中", "已培育 3 个品牌", "2024-12-31"), ("一.1.1", "已完成", None, None)],
    columns=["task_id", "status", "note", "updated"],
)


def _sorted(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Order-free comparison; pandas turns None into NaN in literal frames, so fold NaN to None."""
    return sorted((tuple(None if pd.isna(v) else v for v in row) for row in tidy(frame, columns)), key=str)


def test_frames_round_trip_exactly():
    upload = read_upload(_template(observations=OBSERVATIONS, targets=TARGETS, tasks=TASKS), PLAN)
    assert upload.report.flatten() == []
    obs_cols = ["series", "region", "year", "value", "source", "note"]
    assert _sorted(upload.observations, obs_cols) == _sorted(OBSERVATIONS, obs_cols)
    assert _sorted(upload.targets, ["series", "region", "year", "target", "note"]) == _sorted(
        TARGETS, ["series", "region", "year", "target", "note"])
    assert _sorted(upload.tasks, ["task_id", "status", "note", "updated"]) == _sorted(
        TASKS, ["task_id", "status", "note", "updated"])


def test_history_years_get_their_own_columns():
    ws = load_workbook(io.BytesIO(_template(observations=OBSERVATIONS)))["指标数据"]
    assert [c.value for c in ws[3]][5:11] == ["2019年", *YEAR_HEADERS]


def test_rows_split_when_notes_differ_by_year():
    ws = load_workbook(io.BytesIO(_template(observations=OBSERVATIONS)))["指标数据"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4) if row[0].value == "hv_invention_per10k"]
    assert [(r[4], r[5:9], r[-1]) for r in rows] == [
        ("全区", [6.5, 8.2, None, None], None),  # columns 2019, 2021, 2022, 2023
        ("全区", [None, None, 10.1, None], "快报数"),
        ("川姜镇", [None, None, 4.9, None], None),
    ]


def test_banner_is_the_title_line_of_every_sheet():
    wb = load_workbook(io.BytesIO(_template(banner="示例数据（虚构，仅供演示）")))
    assert {ws.title: ws["A1"].value for ws in wb} == {name: "示例数据（虚构，仅供演示）" for name in wb.sheetnames}


def test_demo_frames_round_trip(tmp_path):
    from ipdata import demo

    demo.write_demo_workbook(PLAN, tmp_path / "demo.xlsx")
    upload = read_upload(tmp_path / "demo.xlsx", PLAN)
    assert upload.report.flatten() == []
    cols = ["series", "region", "year", "value", "source", "note"]
    assert _sorted(upload.observations, cols) == _sorted(demo.demo_observations(PLAN), cols)
    assert len(upload.tasks) == 27


def test_the_template_offers_the_plans_regions(tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(path, PLAN)
    wb = load_workbook(path)
    guide = wb["填报说明"]
    ref = wb.defined_names["region_names"].attr_text.split("!")[1].replace("$", "")
    names = [c.value for row in guide[ref] for c in row]
    assert names[0] == "全区" and names[1:] == list(PLAN.region_names) and len(names) == 18
    lists = {str(dv.sqref): dv.formula1 for dv in wb["指标数据"].data_validations.dataValidation}
    assert lists["E4:E325"] == "=region_names"  # 21 goal rows (the rank goal, issue 13) + 300 spare
    assert any("从下拉列表选择：南通高新区、金沙街道" in str(c.value) for c in guide["A"][:12])
