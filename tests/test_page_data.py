"""数据管理 page via AppTest on a real DuckDB file: upload → report → preview → confirm; rollback."""

from streamlit.testing.v1 import AppTest

from ipdata import manage, service
from ipdata.auth import STATISTICIAN, User
from ipdata.views import local_time
from tests.conftest import metrics, run_page
from tests.test_manage import BAD, DEMO_ITEMS, GOOD, WARNED, filled_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


STAT = User("张三", STATISTICIAN)


def page(user: User | None = STAT) -> AppTest:
    return run_page("data.py", user)


def button(at: AppTest, label: str):
    [b] = [b for b in at.button if b.label.startswith(label)]
    return b


def snapshot(store):
    return store.values().to_dict("records"), store.revisions().to_dict("records")


def test_renders_on_demo_data(store):
    service.load_demo(store)
    at = page()
    assert not at.exception and not at.error
    assert any("示例数据" in w.value for w in at.warning)
    assert [d.label for d in at.get("download_button")] == ["下载填报模板", "导出全部数据"]
    revisions, log = at.dataframe
    assert revisions.value[["版本号", "操作人", "类型"]].values.tolist() == [[1, "demo", "示例数据"]]
    assert log.value[["操作人", "内容"]].values.tolist() == [["demo", "载入示例数据（虚构）"]]  # the audit trail
    assert any("两个版本" in c.value for c in at.caption)  # one revision: nothing to roll back to


def test_renders_on_empty_store(store):
    at = page()
    assert not at.exception and not at.error
    assert not any("示例数据" in w.value for w in at.warning)
    assert any("还没有任何版本" in i.value for i in at.info)
    assert len(at.file_uploader) == 1


def test_upload_preview_confirm(store):
    at = page()
    at.file_uploader[0].set_value(("年报.xlsx", filled_template(store, GOOD), XLSX))
    at.run()
    assert not at.exception and not at.error
    assert any("0 个错误，0 个警告" in m.value for m in at.markdown)
    assert metrics(at) == {"新增": "2", "修改": "0", "未变": "0"}
    assert at.dataframe[0].value[["名称", "年份", "原值", "新值", "单位"]].values.tolist() == [
        ["新增海外专利授权", "2022", "", "7", "件"], ["新增海外专利授权", "2023", "", "9", "件"]]
    assert button(at, "确认导入").label == "确认导入（操作人：张三）"
    assert store.latest_revision_id() == 0
    at.text_input(key="import_comment").set_value("2023年年报")
    at.run()
    button(at, "确认导入").click()
    at.run()
    assert not at.exception
    assert [s.value for s in at.success] == ["已保存为第 1 版：新增 2 项，修改 0 项，未变 0 项。"]
    assert store.values().query("series == 'overseas_patents_new'")[["year", "value"]].values.tolist() == [
        [2022, 7.0], [2023, 9.0]]
    rev = store.revisions().iloc[-1]
    assert (rev["id"], rev["user"], rev["comment"], rev["file_name"]) == (1, "张三", "2023年年报", "年报.xlsx")
    assert at.file_uploader[0].value is None  # a fresh uploader: the file is not previewed again
    # the same file again: the no-op message, nothing to confirm
    at.file_uploader[0].set_value(("年报.xlsx", filled_template(store, GOOD), XLSX))
    at.run()
    assert [i.value for i in at.info] == ["文件内容与当前数据完全相同，无需导入。"]
    assert not [b for b in at.button if b.label.startswith("确认导入")]


def test_bad_file_lists_problems_and_stores_nothing(store):
    service.load_demo(store)
    before = snapshot(store)
    at = page()
    at.file_uploader[0].set_value(("坏.xlsx", filled_template(store, BAD), XLSX))
    at.run()
    assert not at.exception
    assert ":red[**错误**]（必须修改：有错误的文件整份不导入）" in [m.value for m in at.markdown]
    assert not any("警告**]" in m.value for m in at.markdown)
    assert at.dataframe[0].value.values.tolist() == [
        ["指标数据", "G5", "“很多”不是数字。请填写数字(如 12 或 12.5)；没有数据请留空或填“-”，不要填 0。"]]
    assert [e.value for e in at.error] == ["文件“坏.xlsx”有 1 个错误，不能导入；已保存的数据没有任何改动。"]
    assert not [b for b in at.button if b.label.startswith("确认导入")]
    assert snapshot(store) == before


def test_confirm_after_someone_else_saved_previews_again(store):
    at = page()
    at.file_uploader[0].set_value(("年报.xlsx", filled_template(store, GOOD), XLSX))
    at.run()
    service.import_file(store, filled_template(store, {("指标数据", "G5"): 7}), file_name="别人.xlsx", user=User("李四", STATISTICIAN))
    button(at, "确认导入").click()
    at.run()
    assert store.latest_revision_id() == 1  # not applied: the preview was out of date
    assert any("已有变化" in w.value for w in at.warning)
    assert metrics(at) == {"新增": "1", "修改": "0", "未变": "1"}  # the fresh preview
    button(at, "确认导入").click()
    at.run()
    assert [s.value for s in at.success] == ["已保存为第 2 版：新增 1 项，修改 0 项，未变 1 项。"]


def test_rollback_with_confirmation(store):
    service.load_demo(store)  # 1
    service.import_file(store, filled_template(store, {("指标数据", "G5"): 100}), file_name="a.xlsx", user=User("张三", STATISTICIAN))  # 2
    at = page()
    assert at.selectbox(key="rollback_to").options == [
        "第 1 版 · " + local_time(store.revisions()["created_at"][0], minutes_only=True) + " · demo · 示例数据.xlsx"]
    button(at, "查看回滚会改变什么").click()
    at.run()
    # the import removed the demo: going back restores all of it, one item over the official 2022 value
    assert metrics(at) == {"新增": str(DEMO_ITEMS - 1), "修改": "1", "未变": "0"}
    shown = at.dataframe[2].value
    assert shown[shown["变化"] == "修改"][["名称", "年份", "原值", "新值"]].values.tolist() == [
        ["新增海外专利授权", "2022", "100", "6"]]
    assert store.latest_revision_id() == 2  # previewing changes nothing
    button(at, "确认回滚到第 1 版").click()
    at.run()
    assert not at.exception
    assert at.success[0].value.startswith("已恢复到第 1 版的数据，保存为第 3 版：")
    rev = store.revisions().iloc[-1]
    assert (rev["kind"], rev["rollback_to"], rev["user"]) == ("rollback", 1, "张三")
    assert store.values().query("series == 'overseas_patents_new' and year == 2022")["value"].tolist() == [6.0]
    assert manage.preview_rollback(store, 1).changes.is_noop
    assert any(w.value.startswith("**示例数据**") for w in at.warning)  # the demo is back, and says so


def test_viewers_cannot_upload_or_roll_back(store):
    service.load_demo(store)
    service.import_file(store, filled_template(store, GOOD), file_name="a.xlsx", user=STAT)
    at = page(user=None)
    assert not at.exception
    assert len(at.file_uploader) == 0
    notes = [i.value for i in at.info]
    assert any("上传、回滚和修改数据需要以统计人员身份登录" in n for n in notes)
    assert any("回滚数据需要以统计人员身份登录" in n for n in notes)
    assert not [b for b in at.button if b.label.startswith("查看回滚")]
    assert [d.label for d in at.get("download_button")] == ["下载填报模板", "导出全部数据"]  # reading is open


def test_uploader_takes_every_spreadsheet_type_and_says_its_limit(store):
    at = page()
    assert at.file_uploader[0].allowed_type == [".xlsx", ".xlsm", ".xls", ".ods"]
    [help_text] = [c.value for c in at.caption if "把文件拖到下面的框里" in c.value]
    for words in ("“上传”", "每个文件不超过 20 MB", ".xls（Excel 97-2003）", ".ods"):
        assert words in help_text
    assert "Browse files" not in help_text and "Limit" not in help_text  # the uploader itself is in Chinese now


def test_official_upload_over_demo_says_it_removes_the_demo_and_does(store):
    service.load_demo(store)
    at = page()
    at.file_uploader[0].set_value(("年报.xlsx", filled_template(store, GOOD), XLSX))
    at.run()
    assert metrics(at) == {"新增": "2", "修改": "0", "未变": "0"}
    notes = [w.value for w in at.warning]
    assert any(n.startswith("**示例数据**") for n in notes)  # still the demo until confirmed
    assert any(n.startswith("将删除示例数据 167 项：") for n in notes)
    button(at, "确认导入").click()
    at.run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["已保存为第 2 版：新增 2 项，修改 0 项，未变 0 项；已删除示例数据 167 项。"]
    assert not any("示例数据" in w.value for w in at.warning)  # no banner: nothing shown is demo now
    assert not store.has_demo_data() and len(store.values()) == 2
    history = at.dataframe[0].value
    assert history[["版本号", "类型", "删除示例数据"]].values.tolist() == [[2, "导入", 167], [1, "示例数据", 0]]
    assert [d.proto.label for d in at.get("download_button")] == ["下载填报模板", "导出全部数据"]


def test_a_file_with_warnings_needs_the_tick_and_keeps_them_with_the_revision(store):
    at = page()
    at.file_uploader[0].set_value(("年报.xlsx", filled_template(store, WARNED), XLSX))
    at.run()
    assert any("0 个错误，1 个警告" in m.value for m in at.markdown)
    assert ":orange[**警告**]（请逐条核对：警告不阻止导入）" in [m.value for m in at.markdown]
    assert not any("错误**]" in m.value for m in at.markdown)
    assert at.dataframe[0].value[["工作表", "单元格"]].values.tolist() == [["指标数据", "G11"]]
    [tick] = at.checkbox
    assert (tick.label, tick.value) == ("已核对以上警告中的数据", False)
    assert button(at, "确认导入").disabled
    assert any("逐条核对后勾选“已核对以上警告中的数据”，才能确认导入" in c.value for c in at.caption)
    tick.check()
    at.text_input(key="import_comment").set_value("G11 已与文广局核实")
    at.run()
    assert not button(at, "确认导入").disabled
    button(at, "确认导入").click()
    at.run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["已保存为第 1 版：新增 3 项，修改 0 项，未变 0 项。"]
    rev = store.revisions().iloc[-1]
    assert (rev["comment"], rev["n_warnings"]) == ("G11 已与文广局核实", 1)
    assert at.dataframe[0].value[["版本号", "警告", "说明"]].values.tolist() == [[1, 1, "G11 已与文广局核实"]]
    assert at.selectbox(key="warnings_of").options == ["第 1 版 · 年报.xlsx · 1 个警告"]
    warned = at.dataframe[1].value
    assert warned[["工作表", "单元格"]].values.tolist() == [["指标数据", "G11"]]
    assert "若为 0.8% 无需修改" in warned["问题"][0]


def test_visitors_see_versions_times_and_kinds_of_change_but_no_names(store):
    service.load_demo(store)
    service.import_file(store, filled_template(store, GOOD), file_name="张三的年报.xlsx", user=STAT, comment="已与李四核实")
    at = page(user=None)
    assert not at.exception
    [history] = at.dataframe  # no audit trail at all
    assert list(history.value.columns) == ["版本号", "时间(北京时间)", "类型", "新增", "修改", "删除", "删除示例数据",
                                           "警告", "回滚到版本"]
    assert history.value[["版本号", "类型", "新增"]].values.tolist() == [[2, "导入", 2], [1, "示例数据", 167]]
    assert not [e for e in at.expander if e.label.startswith("操作记录")]
    assert "张三" not in str(history.value.to_dict()) and "李四" not in str(history.value.to_dict())
    assert any("仅统计人员和管理员登录后可见" in c.value for c in at.caption)
    at = page()  # a statistician sees who did what
    assert at.dataframe[0].value[["版本号", "操作人", "文件名", "说明"]].values.tolist()[0] == [
        2, "张三", "张三的年报.xlsx", "已与李四核实"]
    assert at.dataframe[1].value[["操作人", "操作"]].values.tolist()[0] == ["张三", "导入"]  # and the audit trail


def test_a_disabled_statistician_is_a_visitor_at_the_next_action(store):
    from ipdata.auth import Users, local_operator

    at = page()
    assert len(at.file_uploader) == 1
    Users(store.path).set_disabled(local_operator("root"), STAT.name)  # by an admin, elsewhere
    at.run()  # the statistician's next click
    assert len(at.file_uploader) == 0
    assert any("需要以统计人员身份登录" in i.value for i in at.info)
