"""Validation: every problem at once, each located by sheet and cell with a stable code."""

from ingest_helpers import read, tidy, wide

# wide(): header on row 3 (序号 | 指标名称 | 单位 | 2021年 | 2022年 | 2023年), data from row 4.


def test_not_a_number(tmp_path):
    upload = read(tmp_path, {"指标数据": wide(["1", "新增贯标单位", "家", 15, "约18", 20])})
    assert upload.report.flatten(["sheet", "cell", "code"]) == [["指标数据", "E4", "not-a-number"]]
    assert "不要填 0" in upload.report.problems[0].message
    assert upload.observations["year"].tolist() == [2021, 2023]


def test_milestone_with_unknown_word(tmp_path):
    upload = read(tmp_path, {"表": wide(["1", "建成省级知识产权保护示范区", None, "否", "建设中", None])})
    assert upload.report.flatten() == [["表", "E4", "not-a-number"]]
    assert "已建成" in upload.report.problems[0].message


def test_negative_count(tmp_path):
    upload = read(tmp_path, {"表": wide(["1", "新增海外专利授权", "件", 5, -6, 8])})
    assert upload.report.flatten() == [["表", "E4", "negative-value"]]


def test_percent_out_of_range(tmp_path):
    upload = read(tmp_path, {"表": wide(["1", "案件结案率", "%", 88, 101, -1])})
    assert upload.report.flatten() == [["表", "E4", "percent-out-of-range"], ["表", "F4", "percent-out-of-range"]]


def test_fraction_typed_for_percent_row(tmp_path):
    # 0.121 could be a true 0.121 %: a warning with true advice both ways, the value kept as typed
    upload = read(tmp_path, {"表": wide(["1", "专利密集型产业增加值占GDP比重", "%", 0.121, 0.129, 0.136])})
    assert upload.report.flatten(["sheet", "cell", "code", "severity"]) == [
        ["表", "D4", "fraction-percent", "warning"], ["表", "E4", "fraction-percent", "warning"],
        ["表", "F4", "fraction-percent", "warning"]]
    assert "若为 0.121% 无需修改；若本意是 12.1%，请填 12.1" in upload.report.problems[0].message
    assert upload.report.valid
    assert tidy(upload.observations, ["year", "value"]) == [(2021, 0.121), (2022, 0.129), (2023, 0.136)]


def test_one_fraction_next_to_percents(tmp_path):
    # the jump 0.88 -> 91.2 is the fraction's doing: one warning, not a year-on-year one besides
    upload = read(tmp_path, {"表": wide(["1", "案件结案率", "%", 86.5, 0.88, 91.2])})
    assert upload.report.flatten() == [["表", "E4", "fraction-percent"]]
    assert "请填 88" in upload.report.problems[0].message


def test_fraction_percent_target(tmp_path):
    upload = read(tmp_path, {"目标分解": [["指标名称", "地区", "目标值"], ["案件结案率", "川姜镇", 0.9]]})
    assert upload.report.flatten() == [["目标分解", "C2", "fraction-percent"]]


def test_future_and_implausible_years(tmp_path):
    upload = read(tmp_path, {"逐行": [
        ["指标", "地区", "年份", "数值"],
        ["新增贯标单位", "全区", 2099, 5],
        ["新增贯标单位", "全区", 1900, 5],
        ["新增贯标单位", "全区", "去年", 5],
        ["新增贯标单位", "全区", None, 5],
        ["新增贯标单位", "全区", 2023, 5],
    ]})
    assert upload.report.flatten() == [["逐行", "C2", "bad-year"], ["逐行", "C3", "bad-year"],
                                       ["逐行", "C4", "bad-year"], ["逐行", "C5", "bad-year"]]
    assert "未来" in upload.report.problems[0].message
    assert upload.observations["year"].tolist() == [2023]


def test_future_year_column_is_reported_once_at_its_header(tmp_path):
    upload = read(tmp_path, {"表": [
        ["指标名称", "2023年", "2099年"], ["新增贯标单位", 20, 30], ["新增海外专利授权", 8, 9],
    ]})
    assert upload.report.flatten() == [["表", "C1", "bad-year"]]


def test_empty_future_year_column_is_fine(tmp_path):
    upload = read(tmp_path, {"表": [["指标名称", "2023年", "2099年"], ["新增贯标单位", 20, None]]})
    assert upload.report.flatten() == []


def test_conflicting_duplicates_across_sheets_name_both_cells(tmp_path):
    upload = read(tmp_path, {
        "表1": [["指标名称", "2023年"], ["新增贯标单位", 20]],
        "表2": [["指标名称", "地区", "2023年"], ["新增贯标单位", "通州区", 21]],
    })
    assert upload.report.flatten() == [["表2", "C2", "duplicate-conflict"]]
    message = upload.report.problems[0].message
    assert "工作表“表1”单元格 B2" in message and "20" in message and "21" in message


def test_conflicting_duplicate_rows_in_one_sheet(tmp_path):
    upload = read(tmp_path, {"表": wide(["1", "新增贯标单位", "家", 15, 18], ["2", "新增贯标单位", "家", 15, 19])})
    assert upload.report.flatten() == [["表", "E5", "duplicate-conflict"]]


def test_unknown_indicator_is_skipped_with_its_closest_goal(tmp_path):
    # A row the plan does not track is skipped with one notice naming it (and the plan name it is
    # close to); a file with nothing else is refused: it holds no plan indicator at all.
    upload = read(tmp_path, {"表": wide(["1", "万人发明专利拥有量", "件", 8, 9, 10])})
    assert upload.report.flatten(["cell", "code", "severity"]) == [
        ["B4", "skipped-rows", "warning"], ["B4", "no-plan-indicator", "error"]]
    message = upload.report.problems[0].message
    assert "“万人发明专利拥有量”(第 4 行)(是否指“万人高价值发明专利拥有量”？)" in message


def test_rows_the_plan_does_not_track_are_skipped_in_one_notice(tmp_path):
    upload = read(tmp_path, {"表": wide(["1", "专利授权量", "件", 800, 900, 1000],
                                        ["2", "新增贯标单位", "家", 15, 18, 20],
                                        ["3", "商标注册量", "件", 3000, 3100, 3300])})
    assert upload.report.flatten(["cell", "code", "severity"]) == [["B4", "skipped-rows", "warning"]]
    assert "以下 2 个项目不是本规划的指标，已跳过" in upload.report.problems[0].message
    assert "“专利授权量”(第 4 行)" in upload.report.problems[0].message
    assert "“商标注册量”(第 6 行)" in upload.report.problems[0].message
    assert tidy(upload.observations, ["series", "year", "value"]) == [
        ("ip_standard_units_new", 2021, 15.0), ("ip_standard_units_new", 2022, 18.0),
        ("ip_standard_units_new", 2023, 20.0)]


def test_values_without_a_name(tmp_path):
    upload = read(tmp_path, {"表": wide(["1", None, "件", 8, 9, 10])})
    assert upload.report.flatten() == [["表", "B4", "unknown-indicator"]]


def test_unit_mismatch_in_brackets_and_unit_column(tmp_path):
    upload = read(tmp_path, {"表": wide(
        ["1", "知识产权质押登记担保金额（万元）", None, 95000, None, None],
        ["2", "新增海外专利授权", "万件", 5, 6, 8],
        ["3", "马德里商标注册量累计", "件", "61%", None, None],
    )})
    assert upload.report.flatten() == [["表", "B4", "unit-mismatch"], ["表", "C5", "unit-mismatch"],
                                       ["表", "D6", "unit-mismatch"]]
    assert "“件”" in upload.report.problems[1].message and "“万件”" in upload.report.problems[1].message
    assert upload.observations.empty


def test_task_status_and_unknown_task(tmp_path):
    upload = read(tmp_path, {"任务进度": [
        ["任务编号", "状态", "进展说明"],
        ["一.1.1", "完成了", None],
        ["九.9.9", "推进中", None],
        ["二.1.1", None, "已召开推进会"],
        ["二.1.2", "推进中", None],
    ]})
    assert upload.report.flatten() == [["任务进度", "B2", "bad-task-status"], ["任务进度", "A3", "unknown-task"],
                                       ["任务进度", "B4", "bad-task-status"]]
    assert tidy(upload.tasks, ["task_id", "status"]) == [("二.1.2", "推进中")]


def test_conflicting_task_statuses(tmp_path):
    upload = read(tmp_path, {
        "任务进度": [["任务编号", "状态"], ["一.1.1", "已完成"]],
        "补充": [["任务编号", "状态"], ["一.1.1", "推进中"]],
    })
    assert upload.report.flatten() == [["补充", "B2", "duplicate-conflict"]]


def test_ratio_disagreeing_with_count_and_population_is_a_warning(tmp_path):
    upload = read(tmp_path, {
        "指标数据": [["指标名称", "2022年", "2023年"], ["万人高价值发明专利拥有量", 10.1, 15.0]],
        "基础数据": [["指标名称", "单位", "2022年", "2023年"],
                     ["高价值发明专利拥有量", "件", 1264, 1500], ["常住人口", "万人", 125.1, 125.0]],
    })
    # 2022: 1264 / 125.1 = 10.104 (within 1 %); 2023: 1500 / 125 = 12.0, not 15
    assert upload.report.flatten(["sheet", "cell", "code", "severity"]) == [
        ["指标数据", "C2", "derived-mismatch", "warning"]]
    message = upload.report.problems[0].message
    assert "工作表“基础数据”单元格 D2" in message and "工作表“基础数据”单元格 D3" in message and "12.00" in message
    assert upload.report.valid
    assert len(upload.observations) == 6


def test_enterprise_ratio_uses_factor_10000(tmp_path):
    upload = read(tmp_path, {"表": [
        ["指标名称", "2023年"],
        ["万企有效注册商标企业数", 1293],  # 7500 / 58000 * 10000 = 1293.1
        ["有效注册商标企业数", 7500],
        ["企业总数", 58000],
    ]})
    assert upload.report.flatten() == []


def test_all_problems_at_once(tmp_path):
    upload = read(tmp_path, {
        "指标数据": wide(
            ["1", "新增贯标单位", "家", "x", -1, 20],
            ["2", "不存在的指标", None, 1, 2, 3],
            ["3", "案件结案率", "%", 120, 90, None],
        ),
        "任务进度": [["任务编号", "状态"], ["一.1.1", "搁置"]],
    })
    assert upload.report.flatten() == [
        ["指标数据", "D4", "not-a-number"], ["指标数据", "E4", "negative-value"],
        ["指标数据", "D6", "percent-out-of-range"], ["任务进度", "B2", "bad-task-status"],
        ["指标数据", "B5", "skipped-rows"],
    ]
    assert not upload.report.valid
    assert tidy(upload.observations, ["series", "year", "value"]) == [
        ("ip_standard_units_new", 2023, 20.0), ("case_closure_rate", 2022, 90.0)]


def test_messages_are_chinese_and_located(tmp_path):
    upload = read(tmp_path, {"指标数据": wide(["1", "新增贯标单位", "家", "x", None, None])})
    assert str(upload.report.problems[0]).startswith("[错误] 工作表“指标数据” 单元格 D4：“x”不是数字")


def test_district_target_column_repeating_the_plan_is_dropped(tmp_path):
    from openpyxl import Workbook

    from ipdata.catalogue import load_plan
    from ipdata.ingest import read_upload

    wb = Workbook()
    ws = wb.active
    ws.title = "表1"
    ws.append(["指标名称", "单位", "2024年", "2025年目标"])
    ws.append(["万人高价值发明专利拥有量", "件", 14.9, 18])
    ws.append(["新增贯标单位", "家", 21, 90])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    upload = read_upload(path, load_plan())
    assert upload.targets.empty  # 全区 targets come from the plan file only
    assert upload.report.flatten(["sheet", "cell", "code", "severity"]) == [
        ["表1", "D3", "district-target-differs", "warning"]]
    assert "≥80家" in upload.report.problems[0].message
    assert len(upload.observations) == 2
