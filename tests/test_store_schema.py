"""Schema versions: files written by schema versions 1 and 2 open, are upgraded in place, and keep
their data and history; version 2 -> 3 works out the demo provenance of targets and task statuses."""

import gzip
from pathlib import Path

import duckdb
import pytest
from store_helpers import assert_states_equal, current_state, new_store, plan, rows, upload

from ipdata.auth import Users, local_operator
from ipdata.errors import IpdataError
from ipdata.store import SCHEMA_VERSION, Store
from ipdata.store.schema import SPECS

V2_FILE = Path(__file__).parent / "data" / "store_v2.duckdb.gz"  # written by tests/data/make_store_v2.py

# The versioned tables as schema version 1 created them: a PRIMARY KEY, no is_demo on targets
# and task progress, no n_demo_removed on revisions.
V1_TABLES = {
    "observations": """CREATE TABLE observations (
        revision_id BIGINT NOT NULL, series VARCHAR NOT NULL, region VARCHAR NOT NULL, year BIGINT NOT NULL,
        value DOUBLE, source VARCHAR, note VARCHAR, is_demo BOOLEAN NOT NULL, deleted BOOLEAN NOT NULL,
        CHECK (deleted OR value IS NOT NULL), PRIMARY KEY (series, region, year, revision_id))""",
    "targets": """CREATE TABLE targets (
        revision_id BIGINT NOT NULL, series VARCHAR NOT NULL, region VARCHAR NOT NULL, year BIGINT NOT NULL,
        target DOUBLE, note VARCHAR, deleted BOOLEAN NOT NULL,
        CHECK (deleted OR target IS NOT NULL), PRIMARY KEY (series, region, year, revision_id))""",
    "task_progress": """CREATE TABLE task_progress (
        revision_id BIGINT NOT NULL, task_id VARCHAR NOT NULL, status VARCHAR, note VARCHAR, updated VARCHAR,
        deleted BOOLEAN NOT NULL, CHECK (deleted OR status IS NOT NULL), PRIMARY KEY (task_id, revision_id))""",
    "revisions": """CREATE TABLE revisions (
        id BIGINT PRIMARY KEY, created_at VARCHAR NOT NULL, "user" VARCHAR NOT NULL, file_name VARCHAR,
        sha256 VARCHAR, comment VARCHAR, kind VARCHAR NOT NULL, n_new BIGINT NOT NULL, n_changed BIGINT NOT NULL,
        n_removed BIGINT NOT NULL, rollback_to BIGINT)""",
}

FIRST = """
series,region,year,value,source,note
population,全区,2021,120.5,统计年鉴,
gdp,全区,2021,1300,,初步数
"""
SECOND = """
series,region,year,value,source,note
population,全区,2021,121.0,统计年鉴,
gdp,全区,2022,1400,,
"""


def as_version_4(path) -> None:
    """Rewrite a current file into the shape version 4 wrote: one plan named in meta.plan_id, no
    plan registry, no plan_id on task progress, revisions and the catalogue."""
    with duckdb.connect(str(path)) as con:
        plan_id = con.execute("SELECT min(id) FROM plans").fetchone()[0]
        for table in ("task_progress", "revisions", "catalogue"):
            con.execute(f"ALTER TABLE {table} DROP COLUMN plan_id" if table != "catalogue" else
                        "CREATE TABLE _c AS SELECT * EXCLUDE (plan_id) FROM catalogue")
        con.execute("DROP TABLE catalogue")
        con.execute("ALTER TABLE _c RENAME TO catalogue")
        con.execute("DROP TABLE plans")
        con.execute("DROP TABLE plan_updates")
        con.execute("DROP TABLE goal_notes")  # version 6
        con.execute("INSERT INTO meta VALUES ('plan_id', ?)", [plan_id])
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")


def _as_version_1(path) -> None:
    """Rewrite a current file into the shape version 1 wrote (PKs, no auth tables, version 1)."""
    as_version_4(path)
    with duckdb.connect(str(path)) as con:
        for table, ddl in V1_TABLES.items():
            con.execute(f"ALTER TABLE {table} RENAME TO _old")
            con.execute(ddl)
            cols = ", ".join(f'"{r[0]}"' for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]).fetchall())
            con.execute(f"INSERT INTO {table} SELECT {cols} FROM _old")
            con.execute("DROP TABLE _old")
        for table in ("users", "auth_events", "revision_problems"):
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")


def _primary_keys(path) -> set[str]:
    with duckdb.connect(str(path)) as con:
        return {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'").fetchall()}


def _version(path) -> str:
    with duckdb.connect(str(path)) as con:
        return con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]


def test_new_files_have_no_index_on_versioned_tables(tmp_path):
    store = new_store(tmp_path / "new.duckdb")
    assert _version(store.path) == str(SCHEMA_VERSION) == "6"
    assert _primary_keys(store.path) & {s.table for s in SPECS} == set()
    assert {"meta", "revisions", "catalogue", "users"} <= _primary_keys(store.path)


def test_version_1_file_is_upgraded_and_keeps_every_revision(tmp_path):
    store = new_store(tmp_path / "v1.duckdb")
    store.apply(upload(FIRST), user="张三")
    store.apply(upload(SECOND), user="李四")
    before = current_state(store)
    history = store.revisions()
    at_1 = store.state_at(1)["values"]
    _as_version_1(store.path)
    assert _primary_keys(store.path) >= {"observations", "targets", "task_progress"}

    reopened = Store(store.path, store.plan)

    assert _version(store.path) == "6"
    assert _primary_keys(store.path) & {s.table for s in SPECS} == set()
    assert_states_equal(current_state(reopened), before)
    assert reopened.revisions().equals(history)
    assert reopened.state_at(1)["values"].equals(at_1)
    # The upgraded file works as a new one: users (tables created on upgrade), rollback, imports.
    assert "已创建用户" in Users(store.path).add(local_operator("admin"), "王五", "statistician", "correct-horse-1")
    assert reopened.rollback(1, user="张三").revision_id == 3
    assert reopened.values().set_index("series").loc["population", "value"] == 120.5


def test_failed_upgrade_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    store = new_store(tmp_path / "v1.duckdb")
    store.apply(upload(FIRST), user="张三")
    _as_version_1(store.path)
    from ipdata.store import schema

    def broken(con, version, plan_id):
        con.execute("ALTER TABLE observations RENAME TO observations_v1")
        raise RuntimeError("disk full")

    monkeypatch.setattr(schema, "migrate", broken)
    with pytest.raises(RuntimeError):
        Store(store.path, store.plan)
    assert _version(store.path) == "1"
    assert "observations" in _primary_keys(store.path)
    monkeypatch.undo()
    assert len(Store(store.path, store.plan).values()) == 2


def test_file_from_a_newer_version_is_refused_in_chinese(tmp_path):
    store = new_store(tmp_path / "future.duckdb")
    with duckdb.connect(str(store.path)) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(IpdataError, match="结构版本为 99"):
        Store(store.path, store.plan)


def _v2_file(tmp_path) -> Path:
    path = tmp_path / "v2.duckdb"
    path.write_bytes(gzip.decompress(V2_FILE.read_bytes()))
    return path


def _columns(path, table: str) -> list[str]:
    with duckdb.connect(str(path)) as con:
        return [r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]).fetchall()]


def test_version_2_file_is_upgraded_with_demo_provenance(tmp_path):
    """The file make_store_v2.py wrote with the version 2 code: demo (1), import (2), task edit (3),
    rollback to 1 (4), import (5). Version 2 flagged only values as demo."""
    path = _v2_file(tmp_path)
    assert _version(path) == "2" and "is_demo" not in _columns(path, "targets")

    store = Store(path, plan())

    assert _version(path) == "6"
    assert "is_demo" in _columns(path, "task_progress") and "n_demo_removed" in _columns(path, "revisions")
    assert _columns(path, "revision_problems")[:3] == ["revision_id", "position", "code"]
    revs = store.revisions()
    assert rows(revs, ["id", "kind", "user", "n_demo_removed", "n_warnings"]) == [
        [1, "demo", "demo", 0, 0], [2, "import", "张三", 0, 0], [3, "task-edit", "李四", 0, 0],
        [4, "rollback", "张三", 0, 0], [5, "import", "张三", 0, 0]]
    # Rollback 4 restored the demo target and task statuses: demo, as the rows it copied.
    assert rows(store.values(), ["series", "year", "value", "revision_id", "is_demo"]) == [
        ["gdp", 2021, 1350.0, 4, True], ["population", 2021, 125.0, 1, True], ["population", 2022, 126.0, 5, False]]
    assert rows(store.targets(), ["region", "target", "revision_id", "is_demo"]) == [["川姜镇", 8.0, 4, True]]
    assert rows(store.task_progress(), ["task_id", "status", "revision_id", "is_demo"]) == [
        ["一.1.1", "已完成", 4, True], ["二.2.1", "未启动", 5, False], ["二.3.1", "推进中", 4, True]]
    # History keeps each revision's own provenance: the official import 2 and task edit 3.
    at_3 = store.state_at(3)
    assert rows(at_3["targets"], ["target", "is_demo"]) == [[9.0, False]]
    assert rows(at_3["tasks"], ["task_id", "status", "is_demo"]) == [["一.1.1", "推进中", False], ["二.3.1", "已完成", False]]
    # Version 2 let the demo and official data mix; the next official import removes every demo item.
    assert store.has_demo_data() and store.has_official_data()
    changes = store.preview(upload("series,region,year,value\ngdp,全区,2022,1400"))
    assert (changes.n_new, changes.n_demo_removed) == (1, 5)  # 2 values, 1 target, 2 task statuses
    store.apply(upload("series,region,year,value\ngdp,全区,2022,1400"), user="张三")
    assert not store.has_demo_data()
    assert rows(store.values(), ["series", "year", "value"]) == [["gdp", 2022, 1400.0], ["population", 2022, 126.0]]
    assert store.targets().empty and store.task_progress()["task_id"].tolist() == ["二.2.1"]
    assert store.rollback(4, user="张三").revision_id == 7 and store.has_demo_data()


def test_version_3_file_gains_logins_and_the_client_of_auth_events(tmp_path):
    """3 -> 4: web logins (only a hash of each secret) and the address of each login attempt;
    the auth events already there stay, with no address."""
    store = new_store(tmp_path / "v3.duckdb")
    Users(store.path).add(local_operator("admin"), "王五", "statistician", "correct-horse-1")
    as_version_4(store.path)
    with duckdb.connect(str(store.path)) as con:
        con.execute("DROP TABLE logins")
        con.execute("ALTER TABLE auth_events DROP COLUMN client")
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    Store(store.path, store.plan)
    assert _version(store.path) == "6"
    with duckdb.connect(str(store.path)) as con:
        assert con.execute("SELECT name, event, client FROM auth_events").fetchall() == [("王五", "user-add", None)]
        assert con.execute("SELECT count(*) FROM logins").fetchone() == (0,)
