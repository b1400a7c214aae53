"""Backup → restore is exact; a damaged backup, a busy file or a non-empty target are refused."""

import json
import subprocess
import sys
import time
import tomllib

import pandas as pd
import pytest
from openpyxl import load_workbook
from store_helpers import current_state, new_store, plan, upload

from ipdata import service
from ipdata.auth import STATISTICIAN, User
from ipdata.backup import DATABASE_DIR, MANIFEST, WORKBOOK, backup, read_manifest, restore
from ipdata.cli import main
from ipdata.errors import IpdataError, StoreBusyError
from ipdata.export import export_workbook
from ipdata.ingest import MAX_UPLOAD_BYTES, read_upload
from ipdata.store import Store
from tests.conftest import ROOT

FORMULAS = ["=HYPERLINK(\"http://x\",\"点我\")", "=1+1", "=cmd|' /C calc'!A0"]
# 1e11: a large value that still passes ingest's plausibility bound (1e12), so the exported workbook re-imports
V2 = f"""series,region,year,value,source,note
population,全区,2021,120.5,统计局,"{FORMULAS[0].replace('"', '""')}"
gdp,全区,2021,1300.1234567891,{FORMULAS[1]},第一行
gdp,全区,2022,1e11,,
ip_pledge_amount,全区,2022,0.1,中文“引号”,
"""
T2 = "series,region,year,target,note\nhv_invention_per10k,南通高新区,2025,28,分解"
TASKS = f"task_id,status,note,updated\n二.1.1,推进中,\"{FORMULAS[2]}\",2024-05-01\n二.1.2,已完成,,"
V4 = "series,region,year,value\ngdp,全区,2021,1310\ngdp,金沙街道,2023,88.8"


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A store with every kind of revision: import, demo-free data, rollback, task edit."""
    store = new_store(tmp_path_factory.mktemp("hist") / "a.duckdb")
    store.apply(upload(V2, T2), user="张三", comment="首次")
    store.apply(upload(V4), user="李四")
    store.apply(upload(tasks=TASKS), user="王五", kind="task-edit")
    store.rollback(1, user="张三", comment="撤销")
    store.apply(upload(V4, tasks="task_id,status\n二.1.1,已完成"), user="李四", comment="再导")
    return store


def test_round_trip_is_exact(history, tmp_path):
    m = backup(history, tmp_path / "bk")
    restored, m2 = restore(tmp_path / "bk", tmp_path / "restored.duckdb")
    assert m2 == read_manifest(tmp_path / "bk") and m.latest_revision == 5
    pd.testing.assert_frame_equal(restored.revisions(), history.revisions(), check_exact=True)
    for name, frame in current_state(history).items():
        pd.testing.assert_frame_equal(current_state(restored)[name], frame, check_exact=True, obj=name)
    for n in range(0, history.latest_revision_id() + 1):
        for name, frame in history.state_at(n).items():
            pd.testing.assert_frame_equal(restored.state_at(n)[name], frame, check_exact=True, obj=f"{name}@{n}")
    assert restored.catalogue().equals(history.catalogue())
    assert m.counts == {"values": len(history.values()), "targets": 1, "tasks": 1, "revisions": 5}


def test_backup_files_and_manifest(history, tmp_path):
    m = backup(history, tmp_path / "bk")
    assert set(m.files) >= {WORKBOOK, f"{DATABASE_DIR}/schema.sql", f"{DATABASE_DIR}/load.sql",
                            f"{DATABASE_DIR}/observations.parquet", f"{DATABASE_DIR}/revisions.parquet"}
    raw = json.loads((tmp_path / "bk" / MANIFEST).read_text(encoding="utf-8"))
    assert (raw["plan_id"], raw["latest_revision"], raw["files"]) == (plan().id, 5, m.files)
    # the workbook holds the same current values (it re-imports as a no-op) and the revision log
    assert len(load_workbook(tmp_path / "bk" / WORKBOOK)["版本记录"]["A"]) == 1 + 5
    copy = new_store(tmp_path / "copy.duckdb")
    restore(tmp_path / "bk", copy.path)
    _, result = service.import_file(copy, tmp_path / "bk" / WORKBOOK, user=User("x", STATISTICIAN))
    assert result.noop


def test_damaged_or_foreign_backup_is_refused(history, tmp_path):
    backup(history, tmp_path / "bk")
    target = tmp_path / "t.duckdb"
    (tmp_path / "bk" / DATABASE_DIR / "observations.parquet").write_bytes(b"PAR1 broken")
    with pytest.raises(IpdataError, match="observations.parquet") as err:
        restore(tmp_path / "bk", target)
    assert "未恢复任何数据" in err.value.message
    with pytest.raises(IpdataError, match="不是 ipdata 备份目录"):
        restore(tmp_path, target)
    assert not target.exists() or new_store(target).latest_revision_id() == 0


def test_restore_refuses_a_non_empty_store_unless_forced(history, tmp_path):
    backup(history, tmp_path / "bk")
    other = new_store(tmp_path / "other.duckdb")
    other.apply(upload("series,region,year,value\ngdp,全区,2030,1"), user="x")
    before = current_state(other)
    with pytest.raises(IpdataError, match="已有 1 个版本") as err:
        restore(tmp_path / "bk", other.path)
    assert "--force" in err.value.hint
    pd.testing.assert_frame_equal(other.values(), before["values"])
    restored, _ = restore(tmp_path / "bk", other.path, force=True)
    pd.testing.assert_frame_equal(restored.values(), history.values(), check_exact=True)
    # an empty store (schema but no revision) is a fine target without --force
    empty = new_store(tmp_path / "empty.duckdb")
    assert restore(tmp_path / "bk", empty.path)[0].latest_revision_id() == 5


def test_failed_restore_into_a_new_path_leaves_no_file(history, tmp_path, monkeypatch):
    backup(history, tmp_path / "bk")
    target = tmp_path / "new" / "restored.duckdb"

    def broken_store(*args, **kwargs):
        raise IpdataError("磁盘已满")

    monkeypatch.setattr("ipdata.backup.Store", broken_store)
    with pytest.raises(IpdataError, match="磁盘已满"):
        restore(tmp_path / "bk", target)
    assert not target.exists() and list(target.parent.iterdir()) == []
    # An existing file that a restore fails on is left in place (its content is the caller's).
    existing = new_store(tmp_path / "existing.duckdb")
    with pytest.raises(IpdataError, match="磁盘已满"):
        restore(tmp_path / "bk", existing.path)
    assert existing.path.exists()


def test_backup_refuses_a_used_directory_and_a_missing_database(history, tmp_path):
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "x.txt").write_text("keep me")
    with pytest.raises(IpdataError, match="不是空目录"):
        backup(history, tmp_path / "bk")
    assert [p.name for p in (tmp_path / "bk").iterdir()] == ["x.txt"]


HOLD = "import sys, time, duckdb\ncon = duckdb.connect(sys.argv[1])\nprint('holding', flush=True)\ntime.sleep(30)\n"


def test_backup_of_a_busy_file_says_retry_later(history, tmp_path):
    store = Store(history.path, plan(), busy_timeout=0.3)
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(store.path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "holding"
        start = time.monotonic()
        with pytest.raises(StoreBusyError) as err:
            backup(store, tmp_path / "bk")
        assert time.monotonic() - start < 3
        assert err.value.message.startswith("数据库正被其他程序使用") and "稍后重试" in err.value.hint
        assert not (tmp_path / "bk").exists()
    finally:
        proc.kill()
        proc.wait()


def test_cli_backup_restore_audit(history, tmp_path, capsys):
    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("--db", history.path, "backup", tmp_path / "bk")
    assert (code, err) == (0, "") and "第 5 版" in out
    code, out, err = run("restore", tmp_path / "bk", "--db", tmp_path / "r.duckdb")
    assert (code, err) == (0, "") and "已从" in out
    code, _, err = run("--db", tmp_path / "r.duckdb", "restore", tmp_path / "bk")
    assert code == 1 and "已有 5 个版本" in err and "--force" in err
    assert run("--db", tmp_path / "r.duckdb", "restore", tmp_path / "bk", "--force")[0] == 0
    code, _, err = run("--db", tmp_path / "missing.duckdb", "backup", tmp_path / "bk2")
    assert code == 1 and "不存在" in err and not (tmp_path / "missing.duckdb").exists()
    code, out, _ = run("--db", tmp_path / "r.duckdb", "audit", "--json")
    assert [e["revision_id"] for e in json.loads(out)] == [1, 2, 3, 4, 5]


def test_upload_limit_matches_streamlit_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES


def test_export_keeps_formula_looking_store_text_as_text(history, tmp_path):
    out = tmp_path / "out.xlsx"
    export_workbook(history, out)
    found = {}
    for ws in load_workbook(out).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in FORMULAS:
                    found[cell.value] = (ws.title, cell.data_type)
    # revision 5 replaced the gdp row that had "=1+1" as source; the task note went with the rollback
    assert found == {FORMULAS[0]: ("基础数据", "s")}
    store = new_store(tmp_path / "x.duckdb")
    store.apply(upload(tasks=TASKS), user="x", kind="task-edit")
    export_workbook(store, out)
    [cell] = [c for row in load_workbook(out)["任务进度"].iter_rows() for c in row if c.value == FORMULAS[2]]
    assert cell.data_type == "s"
    # and read back as text, unchanged
    back = read_upload(out, plan())
    assert back.tasks.set_index("task_id").loc["二.1.1", "note"] == FORMULAS[2]
