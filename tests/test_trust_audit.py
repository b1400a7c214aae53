"""The audit listing: one event per write with who, when, what, file and counts; more sources later."""

import json

import pandas as pd
from store_helpers import new_store, upload

from ipdata import audit
from ipdata.cli import main

V1 = "series,region,year,value\ngdp,全区,2021,1300"
V2 = "series,region,year,value\ngdp,全区,2021,1310\ngdp,全区,2022,1400"


def test_every_write_is_an_event(tmp_path):
    store = new_store(tmp_path / "a.duckdb")
    assert audit.events(store).empty and list(audit.events(store)) == audit.EVENT_COLUMNS
    store.apply(upload(V1, file_name="一.xlsx"), user="张三", comment="首次")
    store.apply(upload(V2, file_name="二.xlsx"), user="李四")
    store.apply(upload(tasks="task_id,status\n二.1.1,推进中"), user="王五", kind="task-edit")
    store.rollback(1, user="张三")
    store.rollback(0, user="张三")
    frame = audit.events(store)
    assert frame[["user", "action", "what", "file_name", "revision_id", "n_new", "n_changed", "n_removed"]
                 ].astype(object).values.tolist() == [
        ["张三", "import", "导入文件“一.xlsx”", "一.xlsx", 1, 1, 0, 0],
        ["李四", "import", "导入文件“二.xlsx”", "二.xlsx", 2, 1, 1, 0],
        ["王五", "task-edit", "在线修改重点任务进度", "数据.xlsx", 3, 1, 0, 0],
        ["张三", "rollback", "回滚到第 1 版之后的状态", None, 4, 0, 1, 2],
        ["张三", "rollback", "回滚到第 0 版（清空全部数据）", None, 5, 0, 0, 1],
    ]
    revs = store.revisions()
    assert frame["sha256"].tolist()[:2] == revs["sha256"].tolist()[:2]
    assert frame["time"].tolist() == revs["created_at"].tolist()


def test_chinese_listing_and_json(tmp_path, capsys):
    store = new_store(tmp_path / "a.duckdb")
    store.apply(upload(V1, file_name="一.xlsx"), user="张三", comment="=1+1")
    assert main(["--db", str(store.path), "audit"]) == 0
    out = capsys.readouterr().out
    for header in ("时间(北京时间)", "操作人", "操作", "内容", "文件名", "文件SHA-256", "新增", "修改", "删除"):
        assert header in out
    assert "导入" in out and "张三" in out
    assert main(["--db", str(store.path), "audit", "--json"]) == 0
    [event] = json.loads(capsys.readouterr().out)
    assert event["user"] == "张三" and event["n_new"] == 1 and event["comment"] == "=1+1"
    assert event["sha256"] == store.revisions()["sha256"][0]


def test_other_sources_union_in_time_order(tmp_path, monkeypatch):
    """How the lead adds user changes and failed logins: one more source with the same columns."""
    store = new_store(tmp_path / "a.duckdb")
    store.apply(upload(V1), user="张三")
    t = store.revisions()["created_at"][0]

    def other(_store):
        return pd.DataFrame([{"time": "2000-01-01T00:00:00+00:00", "user": "admin", "action": "test-early",
                              "what": "测试事件", "source": "test"},
                             {"time": t + "z", "user": "admin", "action": "test-late", "what": "测试事件",
                              "source": "test"}])

    monkeypatch.setattr(audit, "SOURCES", [*audit.SOURCES, lambda s: other(s).reindex(columns=audit.EVENT_COLUMNS)])
    frame = audit.events(store)
    assert frame["action"].tolist() == ["test-early", "import", "test-late"]
    assert frame["revision_id"].tolist()[1] == 1 and frame["revision_id"].isna().tolist() == [True, False, True]
    assert audit.audit_table(frame)["操作"].tolist() == ["test-early", "导入", "test-late"]
