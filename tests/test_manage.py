"""数据管理 core: problem and change tables, checked imports, rollback preview (plain pytest)."""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from store_helpers import upload

from ipdata import manage, service
from ipdata.auth import STATISTICIAN, VIEWER, PermissionDenied, User
from ipdata.errors import IpdataError
from ipdata.ingest import read_upload
from ipdata.views import local_time, revision_table

STAT = User("张三", STATISTICIAN)


def filled_template(store, cells: dict[tuple[str, str], object]) -> bytes:
    """The template with some cells filled: {(sheet, "F4"): value}."""
    wb = load_workbook(io.BytesIO(manage.template_bytes(store)))
    for (sheet, cell), value in cells.items():
        wb[sheet][cell] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# demo overseas_patents_new: 5, 6, 8, 9 for 2021..2024. 指标数据 row 4 is hv_invention_per10k/全区, row 5 overseas_patents_new; F..J are 2021..2025
GOOD = {("指标数据", "G5"): 7, ("指标数据", "H5"): 9}
BAD = {("指标数据", "G5"): "很多", ("指标数据", "H5"): 9}
# row 11 is copyright_industry_gdp_share (%): 0.8 in G11 (2022) is read as 0.8 % with a warning
WARNED = {**GOOD, ("指标数据", "G11"): 0.8}

# Demo items, counted by hand from ipdata/demo.py: 全区 23 series x 4 years less the two missing 2021
# training figures = 90 values; 4 regions x 3 series x 4 years less 4 missing 2021 training figures
# = 44 values; 6 region targets; a status for each of the plan's 27 task paragraphs.
DEMO_VALUES, DEMO_TARGETS, DEMO_TASKS = 23 * 4 - 2 + 4 * 3 * 4 - 4, 6, 27
DEMO_ITEMS = DEMO_VALUES + DEMO_TARGETS + DEMO_TASKS  # 167


@pytest.fixture
def store(db_path):
    return service.open_store(db_path)


def test_template_and_export_read_back(store):
    assert read_upload(manage.template_bytes(store), store.plan).report.flatten()[0][2] == "no-data"
    manage.confirm_import(store, manage.prepare_import(store, filled_template(store, GOOD), "a.xlsx"), STAT)
    pending = manage.prepare_import(store, manage.export_bytes(store), "全部数据.xlsx")
    assert pending.valid and pending.noop  # the export re-imports unchanged
    # named after the plan (issue 13: file names from the plan)
    assert manage.export_file_name(store.plan, pd.Timestamp("2025-03-01").date()) == \
        "通州区知识产权强县建设监测_全部数据_20250301.xlsx"
    assert manage.template_file_name(store.plan) == "通州区知识产权强县建设监测_填报模板.xlsx"


def test_prepare_and_confirm_import(store):
    pending = manage.prepare_import(store, filled_template(store, GOOD), "年报.xlsx")
    assert (pending.valid, pending.noop, pending.base_revision) == (True, False, 0)
    assert (pending.changes.n_new, pending.changes.n_changed, pending.changes.n_unchanged) == (2, 0, 0)
    assert manage.change_table(pending.changes).values.tolist() == [
        ["新增", "数值", "新增海外专利授权", "全区", "2022", "", "7", "件"],
        ["新增", "数值", "新增海外专利授权", "全区", "2023", "", "9", "件"]]
    assert store.latest_revision_id() == 0  # checking writes nothing
    with pytest.raises(PermissionDenied, match="未登录的访客无权导入数据"):
        manage.confirm_import(store, pending, None)
    with pytest.raises(PermissionDenied, match="未登录的访客无权导入数据"):  # a viewer is no better
        manage.confirm_import(store, pending, User("看看", VIEWER))
    result = manage.confirm_import(store, pending, STAT, "年报")
    assert result.revision_id == 1 and not manage.is_stale(store, manage.prepare_import(store, b"", "x.xlsx"))
    assert manage.is_stale(store, pending)
    again = manage.prepare_import(store, filled_template(store, GOOD), "年报2.xlsx")
    assert again.noop and again.noop_message(store) == "文件内容与当前数据完全相同，无需导入。"


def test_same_bytes_name_the_revision(store):
    data = filled_template(store, GOOD)
    manage.confirm_import(store, manage.prepare_import(store, data, "a.xlsx"), STAT)
    assert manage.prepare_import(store, data, "a.xlsx").noop_message(store) == (
        "文件内容与当前数据完全相同，无需导入（与第 1 版导入的文件相同）。")


def test_bad_file_problem_table_and_refusal(store):
    pending = manage.prepare_import(store, filled_template(store, BAD), "坏.xlsx")
    assert not pending.valid
    table = manage.problem_table(pending.upload.report)
    assert table[["级别", "工作表", "单元格"]].values.tolist()[0] == ["错误", "指标数据", "G5"]
    with pytest.raises(IpdataError, match="1 个错误"):
        manage.confirm_import(store, pending, STAT)
    assert store.latest_revision_id() == 0


def test_changed_bytes_are_refused(store):
    pending = manage.prepare_import(store, filled_template(store, GOOD), "a.xlsx")
    tampered = manage.PendingImport(pending.file_name, pending.data + b"x", pending.sha256,
                                    pending.base_revision, pending.upload, pending.changes)
    with pytest.raises(IpdataError, match="不一致"):
        manage.confirm_import(store, tampered, STAT)
    assert store.latest_revision_id() == 0


def test_rollback_preview_matches_rollback(store):
    service.load_demo(store)  # 1
    manage.confirm_import(store, manage.prepare_import(store, filled_template(store, {
        ("指标数据", "G5"): 100}), "a.xlsx"), STAT)  # 2: official 2022 value; the demo goes
    from ipdata.tasks import save_task_edits
    save_task_edits(store, pd.DataFrame([["二.3.1", "已完成", "x"]],
                                        columns=["编号", "状态", "进展说明"]), User("李四", STATISTICIAN))  # 3
    preview = manage.preview_rollback(store, 1)
    assert (preview.target, preview.base_revision) == (1, 3)
    # back to the demo: every demo item returns (DEMO_ITEMS - 2 new), two replace official ones
    assert (preview.changes.n_new, preview.changes.n_changed, preview.changes.n_removed) == (DEMO_ITEMS - 2, 2, 0)
    shown = manage.change_table(preview.changes, ("changed",))
    assert shown[["变化", "类型", "名称", "年份", "原值", "新值"]].values.tolist() == [
        ["修改", "数值", "新增海外专利授权", "2022", "100", "6"],
        ["修改", "任务进度", "二.3.1 实施精品版权培育工程", "", "已完成", "推进中"]]
    result = store.rollback(1, user="张三")
    assert (result.changes.n_new, result.changes.n_changed, result.changes.n_removed,
            result.changes.n_unchanged) == (preview.changes.n_new, preview.changes.n_changed,
                                            preview.changes.n_removed, preview.changes.n_unchanged)
    assert store.has_demo_data()
    with pytest.raises(IpdataError, match="没有第 9 版"):
        manage.preview_rollback(store, 9)


def test_rollback_to_empty_removes_everything(store):
    manage.confirm_import(store, manage.prepare_import(store, filled_template(store, GOOD), "a.xlsx"), STAT)
    preview = manage.preview_rollback(store, 0)
    assert manage.change_table(preview.changes)["变化"].tolist() == ["删除", "删除"]
    assert preview.changes.n_removed == store.rollback(0, user="a").changes.n_removed == 2


def test_rollback_options_newest_first_without_latest():
    revisions = pd.DataFrame({
        "id": [1, 2, 3], "created_at": ["2025-01-02T03:04:05+00:00"] * 3, "user": ["demo", "张三", "李四"],
        "file_name": ["示例数据.xlsx", None, None], "comment": [None, "季度更新", None]})
    assert manage.rollback_options(revisions) == {
        2: "第 2 版 · 2025-01-02 11:04 · 张三 · 季度更新", 1: "第 1 版 · 2025-01-02 11:04 · demo · 示例数据.xlsx"}
    assert manage.rollback_options(revisions.iloc[:1]) == {}


@pytest.mark.parametrize(("stored", "shown"), [
    ("2026-11-25T12:51:47+00:00", "2026-11-25 20:51:47"),
    ("2026-11-25T16:30:00+00:00", "2026-11-26 00:30:00"),  # past midnight in Beijing: the next day
    ("2026-11-25T16:30:00", "2026-11-26 00:30:00"),  # no zone written: stored times are UTC
    ("2026-11-25T20:00:00+08:00", "2026-11-25 20:00:00"),
    ("不是时间", "不是时间"), (None, ""),
])
def test_stored_utc_times_are_shown_in_beijing_time(stored, shown):
    assert local_time(stored) == shown


def test_revision_table_shows_beijing_time(store):
    store.apply(upload("series,region,year,value\ngdp,全区,2021,1"), user="张三")
    table = revision_table(store.revisions())
    stored = store.revisions()["created_at"][0]
    assert table["时间(北京时间)"][0] == local_time(stored) != stored


def test_problem_table_lists_errors_before_warnings(store):
    wb = load_workbook(io.BytesIO(filled_template(store, BAD)))
    wb["目标分解"].sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    table = manage.problem_table(manage.prepare_import(store, out.getvalue(), "x.xlsx").upload.report)
    assert table[["级别", "工作表", "单元格"]].values.tolist() == [["错误", "指标数据", "G5"], ["警告", "目标分解", ""]]


def test_the_hand_count_of_demo_items_matches_the_demo(store):
    service.load_demo(store)
    assert (len(store.values()), len(store.targets()), len(store.task_progress())) == (134, 6, 27)
    assert (DEMO_VALUES, DEMO_ITEMS) == (134, 167)


def test_official_import_over_demo_removes_it_and_says_so(store):
    service.load_demo(store)  # 1
    assert manage.export_file_name(store.plan, pd.Timestamp("2025-03-01").date(), demo=True) == \
        "通州区知识产权强县建设监测_全部数据_示例数据_20250301.xlsx"
    pending = manage.prepare_import(store, filled_template(store, GOOD), "年报.xlsx")
    assert pending.changes.summary() == "新增 2 项，修改 0 项，未变 0 项；将删除示例数据 167 项"
    assert manage.demo_removal_notice(pending.changes).startswith("将删除示例数据 167 项：")
    # the change list is the file's own: new official values (the demo's 6 for 2022 is not "old")
    assert manage.change_table(pending.changes)[["变化", "年份", "原值", "新值"]].values.tolist() == [
        ["新增", "2022", "", "7"], ["新增", "2023", "", "9"]]
    result = manage.confirm_import(store, pending, STAT, "2023年年报")
    assert result.message == "已保存为第 2 版：新增 2 项，修改 0 项，未变 0 项；已删除示例数据 167 项。"
    assert not store.has_demo_data() and len(store.values()) == 2
    assert store.targets().empty and store.task_progress().empty
    rev = revision_table(store.revisions()).iloc[-1]
    assert (rev["类型"], rev["新增"], rev["删除"], rev["删除示例数据"], rev["警告"]) == ("导入", 2, 0, 167, 0)
    assert manage.demo_removal_notice(manage.prepare_import(store, filled_template(store, WARNED), "b.xlsx").changes) is None


def test_warnings_need_the_tick_and_are_kept_with_the_revision(store):
    pending = manage.prepare_import(store, filled_template(store, WARNED), "年报.xlsx")
    assert (pending.valid, pending.warnings) == (True, 1)
    assert manage.problem_table(pending.upload.report, "warning")[["级别", "工作表", "单元格"]].values.tolist() == [
        ["警告", "指标数据", "G11"]]
    assert manage.problem_table(pending.upload.report, "error").empty
    with pytest.raises(IpdataError, match="有 1 个警告，请先逐条核对警告中的数据，勾选“已核对以上警告中的数据”"):
        manage.confirm_import(store, pending, STAT, "年报")
    assert store.latest_revision_id() == 0
    result = manage.confirm_import(store, pending, STAT, "G11 已与文广局核实", warnings_checked=True)
    assert result.revision_id == 1
    rev = store.revisions().iloc[-1]
    assert (rev["comment"], rev["n_warnings"]) == ("G11 已与文广局核实", 1)
    table = manage.revision_warning_table(store, 1)
    assert table[["工作表", "单元格"]].values.tolist() == [["指标数据", "G11"]]
    assert "若为 0.8% 无需修改；若本意是 80%，请填 80" in table["问题"][0]
    assert manage.warning_revisions(store.revisions()) == {1: "第 1 版 · 年报.xlsx · 1 个警告"}
    assert store.values().query("series == 'copyright_industry_gdp_share'")["value"].tolist() == [0.8]


def test_a_file_without_warnings_needs_no_tick(store):
    pending = manage.prepare_import(store, filled_template(store, GOOD), "a.xlsx")
    assert pending.warnings == 0
    assert manage.confirm_import(store, pending, STAT).revision_id == 1
    assert manage.warning_revisions(store.revisions()) == {}
