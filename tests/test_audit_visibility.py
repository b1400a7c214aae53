"""Who may see people: visitors get versions, times and kinds of change only, on the page and in
the data export; statisticians and admins get operators, files, comments and the auth events."""

import io

import pytest
from openpyxl import load_workbook
from store_helpers import new_store, upload

from ipdata import audit, manage
from ipdata.auth import ADMIN, ANONYMOUS, STATISTICIAN, VIEWER, User, Users, local_operator

V1 = "series,region,year,value\ngdp,全区,2021,1300"


@pytest.mark.parametrize(("user", "may"), [
    (None, False), (ANONYMOUS, False), (User("x", VIEWER), False), ("张三", False),
    (User("张三", STATISTICIAN), True), (User("管理员", ADMIN), True), (local_operator("root"), True),
])
def test_who_may_see_people(user, may):
    assert audit.may_see_people(user) is may


def test_the_revision_log_for_visitors_names_nobody(tmp_path):
    store = new_store(tmp_path / "a.duckdb")
    store.apply(upload(V1, file_name="张三的年报.xlsx"), user="张三", comment="已与李四核实")
    public = audit.revision_log(store.revisions(), people=False)
    assert public.columns.tolist() == ["版本号", "时间(北京时间)", "类型", "新增", "修改", "删除", "删除示例数据",
                                       "警告", "回滚到版本"]
    assert public[["版本号", "类型", "新增"]].values.tolist() == [[1, "导入", 1]]
    full = audit.revision_log(store.revisions(), people=True)
    assert full[["操作人", "文件名", "说明"]].values.tolist() == [["张三", "张三的年报.xlsx", "已与李四核实"]]


def test_the_data_export_for_visitors_names_nobody(tmp_path):
    store = new_store(tmp_path / "a.duckdb")
    store.apply(upload(V1, file_name="张三的年报.xlsx"), user="张三", comment="已与李四核实")
    sheet = load_workbook(io.BytesIO(manage.export_bytes(store, people=False)))["版本记录"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["版本号", "时间(北京时间)", "类型", "新增", "修改", "删除", "删除示例数据", "警告", "回滚到版本"]
    assert (rows[1][0], rows[1][2], rows[1][3]) == (1, "导入", 1)
    everything = " ".join(str(c.value) for ws in load_workbook(io.BytesIO(manage.export_bytes(store, people=False)))
                          for row in ws.iter_rows() for c in row)
    assert "张三" not in everything and "李四" not in everything
    full = load_workbook(io.BytesIO(manage.export_bytes(store)))["版本记录"]
    assert [c.value for c in full[1]][2] == "操作人" and full["C2"].value == "张三"


def test_auth_events_in_the_trail_say_who_from_where(tmp_path):
    store = new_store(tmp_path / "a.duckdb")
    users = Users(store.path, sleep=lambda s: None)
    users.add(local_operator("root"), "管理员", ADMIN, "admin-pass-long-1")
    users.add(User("管理员", ADMIN), "王统计", STATISTICIAN, "tongzhou-stat-2025", "admin-pass-long-1", client="10.0.0.2")
    users.set_role(User("管理员", ADMIN), "王统计", ADMIN, "admin-pass-long-1", client="10.0.0.2")
    with pytest.raises(Exception, match="不正确"):
        users.authenticate("王统计", "wrong-password", "10.0.0.3")
    table = audit.audit_table(audit.events(store))
    assert table[["操作人", "操作", "内容", "地址"]].values.tolist() == [
        ["root", "新增用户", "新增用户“管理员”（管理员）", ""],
        ["管理员", "确认密码", "确认密码成功", "10.0.0.2"],
        ["管理员", "新增用户", "新增用户“王统计”（统计人员）", "10.0.0.2"],
        ["管理员", "确认密码", "确认密码成功", "10.0.0.2"],
        ["管理员", "修改角色", "修改角色“王统计”（管理员）", "10.0.0.2"],
        ["王统计", "登录", "登录失败（用户名或密码不正确）", "10.0.0.3"],
    ]
