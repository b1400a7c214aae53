"""Backup and restore of a store holding many plans (issue 13): the plans come back with their
history and catalogue; a backup written before schema 5 (one plan) restores into schema 5; a plan
without key tasks backs up whole."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import duckdb
import pytest
from plan_b import TONGZHOU, B, plans_dir
from store_helpers import current_state, rows, upload

from ipdata.backup import DATABASE_DIR, WORKBOOK, backup, read_manifest, restore
from ipdata.catalogue import load_plan
from ipdata.store import Store

DATA = Path(__file__).parent / "data"
V4_SHOWN = json.loads((DATA / "store_v4.expected.json").read_text(encoding="utf-8"))


def _records(frame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def _v4_backup(tmp_path: Path) -> Path:
    """The backup the schema-4 code wrote of tests/data/store_v4.duckdb.gz (make_store_v4.py)."""
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress((DATA / "store_v4.backup.tar.gz").read_bytes()))) as tar:
        tar.extractall(tmp_path, filter="data")
    return tmp_path / "store_v4.backup"


def _two_plans(tmp_path: Path, monkeypatch) -> tuple[Store, Store]:
    directory = plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "both.duckdb"
    a = Store(db, load_plan(TONGZHOU))
    b = Store(db, load_plan(directory / f"{B}.yaml"))
    a.apply(upload("series,region,year,value\nhv_invention_per10k,全区,2025,19.5",
                   tasks="task_id,status\n一.1.1,已完成"), user="张三")
    b.apply(upload("series,region,year,value\ncity_pledge,全区,2026,25"), user="李四")
    return a, b


def test_a_plan_without_key_tasks_backs_up_whole_and_restores(tmp_path, monkeypatch):
    _, b = _two_plans(tmp_path, monkeypatch)
    assert b.plan.tasks == ()
    m = backup(b, tmp_path / "bk")
    assert (m.plan_id, m.plans, m.latest_revision) == (B, [B, TONGZHOU], 2)
    assert (tmp_path / "bk" / WORKBOOK).is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no partial folder
    assert {m.tables[t] for t in ("plans", "plan_updates")} == {2}
    restored = restore(tmp_path / "bk", tmp_path / "r.duckdb").store
    assert restored.plan.id == B
    for name, frame in current_state(b).items():
        assert _records(current_state(restored)[name]) == _records(frame), name


def test_a_backup_brings_every_plan_back_even_one_whose_file_is_gone(tmp_path, monkeypatch):
    a, b = _two_plans(tmp_path, monkeypatch)
    backup(a, tmp_path / "bk")
    (tmp_path / "plans" / f"{B}.yaml").unlink()
    done = restore(tmp_path / "bk", tmp_path / "r.duckdb")
    assert done.store.plan.id == TONGZHOU and [p.id for p in done.store.plans()] == [B, TONGZHOU]
    assert rows(done.store.task_progress(), ["task_id", "status"]) == [["一.1.1", "已完成"]]
    again_b = Store(tmp_path / "r.duckdb", B)  # from the text the backup held
    assert again_b.plan.goal("city_pledge").target == 50 and again_b.task_progress().empty
    assert rows(again_b.plan_history(), ["plan_id", "action"]) == [[TONGZHOU, "register"], [B, "register"]]
    with duckdb.connect(str(tmp_path / "r.duckdb")) as con:  # the catalogue rebuilt for both plans
        assert con.execute("SELECT plan_id, count(*) FROM catalogue WHERE kind = 'goal' GROUP BY ALL ORDER BY 1"
                           ).fetchall() == [(B, 2), (TONGZHOU, len(a.plan.goals))]
    # restoring through plan B names it: the backup was made through Tongzhou
    assert restore(tmp_path / "bk", tmp_path / "r2.duckdb", B).store.plan.id == B


def test_a_backup_from_before_schema_5_restores_into_schema_5(tmp_path, monkeypatch):
    monkeypatch.delenv("IPDATA_PLAN", raising=False)
    bk = _v4_backup(tmp_path)
    assert (read_manifest(bk).schema_version, read_manifest(bk).plans) == (4, [])
    store = restore(bk, tmp_path / "r.duckdb", user="管理员").store
    with duckdb.connect(str(tmp_path / "r.duckdb")) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() == [("6",)]
        assert con.execute("SELECT DISTINCT plan_id FROM task_progress").fetchall() == [(TONGZHOU,)]
    assert _records(store.values()) == V4_SHOWN["values"]
    assert _records(store.task_progress()) == V4_SHOWN["tasks"]
    assert _records(store.revisions()[list(V4_SHOWN["revisions"][0])]) == V4_SHOWN["revisions"]
    assert store.revisions()["plan_id"].tolist() == [TONGZHOU] * 5
    assert rows(store.plan_history(), ["plan_id", "user", "action", "summary"]) == [
        [TONGZHOU, "管理员", "register", "由较早版本的备份恢复：备份中的数据属于这个规划（store_v4.backup）"]]


def test_an_older_backup_into_a_store_of_two_plans_keeps_the_other_plan(tmp_path, monkeypatch):
    _, b = _two_plans(tmp_path, monkeypatch)
    done = restore(_v4_backup(tmp_path), b.path, force=True)
    assert done.safety_backup is not None and read_manifest(done.safety_backup).plans == [B, TONGZHOU]
    assert [p.id for p in done.store.plans()] == [B, TONGZHOU]
    assert _records(done.store.values()) == V4_SHOWN["values"]
    assert Store(b.path, B).task_progress().empty


def test_a_backup_missing_its_plan_file_and_text_is_refused(tmp_path, monkeypatch):
    plans_dir(tmp_path, monkeypatch, with_b=False)
    (tmp_path / "plans" / f"{TONGZHOU}.yaml").unlink()
    with pytest.raises(Exception) as err:
        restore(_v4_backup(tmp_path), tmp_path / "r.duckdb")
    assert "找不到规划文件" in str(err.value)
    assert not (tmp_path / "r.duckdb").exists()


def test_backup_tables_include_the_plans(tmp_path, monkeypatch):
    a, _ = _two_plans(tmp_path, monkeypatch)
    m = backup(a, tmp_path / "bk")
    assert {f"{DATABASE_DIR}/plans.parquet", f"{DATABASE_DIR}/plan_updates.parquet"} <= set(m.files)
    assert m.tables["task_progress"] == 1 and m.tables["revisions"] == 2
