"""Backup → restore is exact and never runs anything from the backup; a damaged or tampered
backup, a busy file, a non-empty target or a foreign DuckDB file are refused; an overwrite is
saved first and recorded; users stay unless asked."""

import json
import subprocess
import sys
import time
import tomllib
import uuid
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from store_helpers import current_state, new_store, plan, upload

from ipdata import audit, service
from ipdata.auth import ADMIN, STATISTICIAN, User, Users, local_operator
from ipdata.backup import (
    DATABASE_DIR,
    MANIFEST,
    WORKBOOK,
    backup,
    read_manifest,
    restore,
    safety_dir,
)
from ipdata.cli import main
from ipdata.errors import IpdataError, StoreBusyError
from ipdata.ingest import MAX_UPLOAD_BYTES, read_upload
from ipdata.outputs.workbook import export_workbook
from ipdata.store import Store
from ipdata.store.connection import connect
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


PASSWORD = "Ks9#tongzhou-2025"


def _rehash(root: Path, **changes) -> None:
    """Rewrite the manifest's hashes (and any field) as an attacker who edits a backup would."""
    raw = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    raw["files"] = {p.relative_to(root).as_posix(): __import__("hashlib").sha256(p.read_bytes()).hexdigest()
                    for p in sorted(root.rglob("*")) if p.is_file() and p.name != MANIFEST}
    raw.update(changes)
    (root / MANIFEST).write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def _v1_backup(store: Store, out: Path) -> None:
    """A backup as format 1 wrote it: DuckDB EXPORT DATABASE (schema.sql, load.sql, Parquet)."""
    out.mkdir()
    with connect(store.path) as con:
        con.execute(f"EXPORT DATABASE '{out / DATABASE_DIR}' (FORMAT parquet)")
    (out / MANIFEST).write_text(json.dumps({"format": "ipdata-backup", "format_version": 1}), encoding="utf-8")
    _rehash(out, created_at="2025-01-31T08:00:00+00:00", plan_id=store.plan.id, schema_version=3,
            latest_revision=store.latest_revision_id(), counts={})


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_round_trip_is_exact(history, tmp_path):
    m = backup(history, tmp_path / "bk")
    done = restore(tmp_path / "bk", tmp_path / "restored.duckdb")
    restored = done.store
    assert done.manifest == read_manifest(tmp_path / "bk") and m.latest_revision == 5 and done.safety_backup is None
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
    # one Parquet file per table and the workbook; no SQL at all
    assert set(m.files) == {WORKBOOK, *(f"{DATABASE_DIR}/{t}.parquet" for t in m.tables)}
    # rows written, by revision: observations 4 + 2 + 0 + 2 (rollback) + 2; tasks 2 + 2 tombstones + 1
    assert {t: m.tables[t] for t in ("revisions", "observations", "targets", "task_progress")} == {
        "revisions": 5, "observations": 10, "targets": 1, "task_progress": 5}
    raw = json.loads((tmp_path / "bk" / MANIFEST).read_text(encoding="utf-8"))
    assert (raw["format_version"], raw["plan_id"], raw["latest_revision"], raw["files"]) == (2, plan().id, 5, m.files)
    assert _tree(tmp_path) == sorted(["bk", "bk/database", *(f"bk/{f}" for f in m.files), "bk/manifest.json"])
    assert (tmp_path / "bk").stat().st_mode & 0o077 == 0  # password hashes inside: the server's account only
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
    assert not target.exists()


def test_a_tampered_backup_runs_none_of_its_sql(history, tmp_path):
    """A format-1 backup whose schema.sql and load.sql write files and attach a database, with
    the manifest's hashes rewritten to match: its data comes back, nothing outside is written."""
    outside, probe = tmp_path / "outside", Path(f"/tmp/ipdata-pwned-{uuid.uuid4().hex}")
    outside.mkdir()
    bk = tmp_path / "bk"
    _v1_backup(history, bk)
    attack = (f"COPY (SELECT 'pwned') TO '{probe}';\nCOPY (SELECT 'pwned') TO '{outside}/copied.csv';\n"
              f"ATTACH '{outside}/attached.duckdb' AS evil;\nCREATE TABLE evil.t AS SELECT 1;\n"
              "DROP TABLE IF EXISTS users;\n")
    for name in ("schema.sql", "load.sql"):
        sql = bk / DATABASE_DIR / name
        sql.write_text(attack + sql.read_text(encoding="utf-8"), encoding="utf-8")
    _rehash(bk)
    target = tmp_path / "new" / "restored.duckdb"
    done = restore(bk, target)
    pd.testing.assert_frame_equal(done.store.values(), history.values(), check_exact=True)
    pd.testing.assert_frame_equal(done.store.revisions(), history.revisions(), check_exact=True)
    assert _tree(outside) == [] and not probe.exists()
    assert _tree(target.parent) == ["restored.duckdb"]


@pytest.mark.parametrize("attack", ["dot-dot", "absolute", "symlinked-file", "symlinked-directory"])
def test_a_path_out_of_the_backup_is_refused(history, tmp_path, attack):
    bk, outside = tmp_path / "bk", tmp_path / "outside"
    backup(history, bk)
    outside.mkdir()
    obs = bk / DATABASE_DIR / "observations.parquet"
    (outside / obs.name).write_bytes(obs.read_bytes())
    raw = json.loads((bk / MANIFEST).read_text(encoding="utf-8"))
    sha = raw["files"].pop(f"{DATABASE_DIR}/{obs.name}")
    if attack == "dot-dot":
        raw["files"][f"{DATABASE_DIR}/../../outside/{obs.name}"] = sha
    elif attack == "absolute":
        raw["files"][str(outside / obs.name)] = sha
    else:
        raw["files"][f"{DATABASE_DIR}/{obs.name}"] = sha
        if attack == "symlinked-file":
            obs.unlink()
            obs.symlink_to(outside / obs.name)
        else:
            for p in (bk / DATABASE_DIR).iterdir():
                p.rename(outside / p.name)
            (bk / DATABASE_DIR).rmdir()
            (bk / DATABASE_DIR).symlink_to(outside)
    (bk / MANIFEST).write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(IpdataError, match="备份目录以外的文件，未恢复任何数据") as err:
        restore(bk, tmp_path / "t.duckdb")
    assert "已被改动" in err.value.hint and not (tmp_path / "t.duckdb").exists()


def test_names_from_a_backup_never_reach_sql(tmp_path):
    """A column named like an injection and a file named like one: only our own names are used."""
    src = new_store(tmp_path / "src.duckdb")
    src.apply(upload(V4), user="x")
    bk = tmp_path / "bk"
    backup(src, bk)
    obs = bk / DATABASE_DIR / "observations.parquet"
    table = pq.read_table(obs)
    evil = 'series" VARCHAR); DROP TABLE users; --'
    pq.write_table(table.rename_columns([evil if c == "series" else c for c in table.column_names]), obs)
    (bk / DATABASE_DIR / 'x"; DROP TABLE meta; --.parquet').write_bytes(obs.read_bytes())
    _rehash(bk)
    target = new_store(tmp_path / "t.duckdb")
    Users(target.path).add(local_operator("root"), "管理员", ADMIN, PASSWORD)
    with pytest.raises(IpdataError, match="备份中的 observations 数据无法读入，未恢复任何数据"):
        restore(bk, target.path)
    assert Users(target.path).list()["name"].tolist() == ["管理员"] and new_store(target.path).latest_revision_id() == 0


def test_restore_refuses_a_non_empty_store_unless_forced(history, tmp_path):
    backup(history, tmp_path / "bk")
    other = new_store(tmp_path / "other.duckdb")
    other.apply(upload("series,region,year,value\ngdp,全区,2030,1"), user="x")
    before = current_state(other)
    with pytest.raises(IpdataError, match=r"数据库中已有数据（最新为第 1 版），未恢复") as err:
        restore(tmp_path / "bk", other.path)
    assert "--force" in err.value.hint and "恢复前备份" in err.value.hint
    pd.testing.assert_frame_equal(other.values(), before["values"])
    assert not safety_dir(other.path).exists() and audit.events(other)["action"].tolist() == ["import"]
    # an empty store (schema but no revision) is a fine target without --force, and nothing is saved first
    empty = new_store(tmp_path / "empty.duckdb")
    done = restore(tmp_path / "bk", empty.path)
    assert done.store.latest_revision_id() == 5 and done.safety_backup is None
    assert not safety_dir(empty.path).exists()


def test_a_forced_restore_saves_the_store_first_and_is_recorded(history, tmp_path):
    bk = tmp_path / "bk"
    backup(history, bk)
    other = new_store(tmp_path / "other.duckdb")
    other.apply(upload("series,region,year,value\ngdp,全区,2030,1"), user="x")
    replaced = other.values()
    done = restore(bk, other.path, force=True, user="李四")
    pd.testing.assert_frame_equal(done.store.values(), history.values(), check_exact=True)
    # the safety backup: named, in a directory beside the store file, and it restores what was replaced
    assert done.safety_backup.parent == tmp_path / "other.duckdb.恢复前备份"
    assert done.safety_backup.name.endswith("Z") and read_manifest(done.safety_backup).latest_revision == 1
    back = restore(done.safety_backup, tmp_path / "back.duckdb").store
    pd.testing.assert_frame_equal(back.values(), replaced, check_exact=True)
    # the audit: who, from which backup, what it replaced, where that was saved
    events = audit.events(done.store)
    [event] = events[events["action"] == "restore"].to_dict("records")
    assert (event["user"], event["file_name"], event["revision_id"]) == ("李四", str(bk.resolve()), 5)
    assert "替换了第 1 版及以前的数据" in event["what"]
    assert event["comment"] == f"恢复前的数据已自动备份到 {done.safety_backup}"
    assert events["action"].tolist() == ["import"] * 2 + ["task-edit", "rollback", "import", "restore"]


def test_a_failed_safety_backup_stops_the_restore(history, tmp_path, monkeypatch):
    backup(history, tmp_path / "bk")
    other = new_store(tmp_path / "other.duckdb")
    other.apply(upload("series,region,year,value\ngdp,全区,2030,1"), user="x")
    before = other.values()
    monkeypatch.setattr("ipdata.backup.safety_dir", lambda db: Path("/proc/ipdata-no-such-dir"))
    with pytest.raises(IpdataError, match="恢复前的自动备份没有成功，未恢复，数据库没有任何改动。备份失败："):
        restore(tmp_path / "bk", other.path, force=True)
    pd.testing.assert_frame_equal(other.values(), before)
    assert audit.events(other)["action"].tolist() == ["import"]


def test_users_and_login_events_stay_unless_asked(tmp_path):
    src = new_store(tmp_path / "src.duckdb")
    src.apply(upload(V4), user="x")
    Users(src.path).add(local_operator("root"), "旧管理员", ADMIN, PASSWORD)
    backup(src, tmp_path / "bk")
    dst = new_store(tmp_path / "dst.duckdb")
    dst.apply(upload(V2), user="y")
    Users(dst.path).add(local_operator("root"), "新管理员", ADMIN, PASSWORD)
    Users(dst.path).add(local_operator("root"), "停用的人", STATISTICIAN, PASSWORD)
    Users(dst.path).set_disabled(local_operator("root"), "停用的人")
    users, events = Users(dst.path).list(), Users(dst.path).events()
    restore(tmp_path / "bk", dst.path, force=True)
    pd.testing.assert_frame_equal(Users(dst.path).list(), users)
    pd.testing.assert_frame_equal(Users(dst.path).events(), events)
    assert Users(dst.path).list()["disabled"].tolist() == [True, False]  # 停用的人 stays disabled
    done = restore(tmp_path / "bk", dst.path, force=True, with_users=True)
    assert Users(dst.path).list()["name"].tolist() == ["旧管理员"]
    assert "用户和登录记录也按备份恢复" in audit.events(done.store)["what"].iloc[-1]


def test_a_foreign_duckdb_file_is_never_touched(history, tmp_path):
    backup(history, tmp_path / "bk")
    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as con:
        con.execute("CREATE TABLE observations (x INTEGER); INSERT INTO observations VALUES (7);"
                    "CREATE TABLE sales AS SELECT 42 AS amount")
    for force in (False, True):
        with pytest.raises(IpdataError, match="不是 ipdata 的数据库（其中有 observations、sales 等表），未做任何改动"):
            restore(tmp_path / "bk", foreign, force=force)
    with duckdb.connect(str(foreign), read_only=True) as con:
        assert con.execute("SELECT (SELECT x FROM observations), (SELECT amount FROM sales), "
                           "(SELECT count(*) FROM duckdb_tables())").fetchone() == (7, 42, 2)
    assert not safety_dir(foreign).exists()
    # a DuckDB file without any table is a fine target
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert restore(tmp_path / "bk", empty).store.latest_revision_id() == 5
    # a file that is not a DuckDB database at all is refused and left as it is
    notes = tmp_path / "notes.duckdb"
    notes.write_text("会议纪要", encoding="utf-8")
    with pytest.raises(IpdataError, match="数据库文件已损坏或不是 DuckDB 数据库"):
        restore(tmp_path / "bk", notes, force=True)
    assert notes.read_text(encoding="utf-8") == "会议纪要"


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
    # an empty directory is fine: the backup takes its place
    (tmp_path / "empty").mkdir()
    backup(history, tmp_path / "empty")
    assert (tmp_path / "empty" / MANIFEST).exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


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
        assert _tree(tmp_path) == []  # not even a temporary directory
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
    code, out, err = run("restore", tmp_path / "bk", "--db", tmp_path / "r.duckdb", "--user", "王五")
    assert (code, err) == (0, "") and "已从" in out and "自动备份" not in out and "保留为恢复前的状态" in out
    code, _, err = run("--db", tmp_path / "r.duckdb", "restore", tmp_path / "bk")
    assert code == 1 and "已有数据（最新为第 5 版）" in err and "--force" in err
    code, out, err = run("--db", tmp_path / "r.duckdb", "restore", tmp_path / "bk", "--force", "--user", "王五")
    [safety] = (tmp_path / "r.duckdb.恢复前备份").iterdir()
    assert (code, err) == (0, "") and f"恢复前的数据已自动备份到：{safety}" in out
    code, _, err = run("--db", tmp_path / "missing.duckdb", "backup", tmp_path / "bk2")
    assert code == 1 and "不存在" in err and not (tmp_path / "missing.duckdb").exists()
    code, out, _ = run("--db", tmp_path / "r.duckdb", "audit", "--json")
    events = json.loads(out)
    assert [e["revision_id"] for e in events] == [1, 2, 3, 4, 5, 5, 5]
    assert [(e["action"], e["user"]) for e in events[-2:]] == [("restore", "王五")] * 2
    assert events[-1]["comment"] == f"恢复前的数据已自动备份到 {safety}"


def test_a_running_dashboard_shows_restored_data_at_its_next_rerun(db_path, tmp_path):
    """The page caches key on the store's generation too: a restore that leaves the latest
    revision number as it was (1 here) still shows the restored data."""
    from streamlit.testing.v1 import AppTest

    service.load_demo(service.open_store(db_path))
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60).run()
    assert any("示例数据" in w.value for w in at.warning)
    official = new_store(tmp_path / "official.duckdb")
    official.apply(upload("series,region,year,value\nhv_invention_per10k,全区,2024,31.4"), user="x")
    backup(official, tmp_path / "bk")
    assert restore(tmp_path / "bk", db_path, force=True).store.latest_revision_id() == 1
    at.run()
    assert not at.exception and not any("示例数据" in w.value for w in at.warning)
    assert "31.4" in "\n".join(str(m.value) for m in at.markdown)


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
