"""Schema versions: a file written by schema version 1 opens, is upgraded in place, and keeps its data."""

import duckdb
import pytest
from store_helpers import assert_states_equal, current_state, new_store, upload

from ipdata.auth import Users, local_operator
from ipdata.errors import IpdataError
from ipdata.store import SCHEMA_VERSION, Store
from ipdata.store.schema import SPECS

# The versioned tables as schema version 1 created them: the same columns with a PRIMARY KEY.
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


def _as_version_1(path) -> None:
    """Rewrite a current file into the shape version 1 wrote (PKs, no auth tables, version 1)."""
    with duckdb.connect(str(path)) as con:
        for table, ddl in V1_TABLES.items():
            con.execute(f"ALTER TABLE {table} RENAME TO _old")
            con.execute(ddl)
            con.execute(f"INSERT INTO {table} SELECT * FROM _old")
            con.execute("DROP TABLE _old")
        con.execute("DROP TABLE users")
        con.execute("DROP TABLE auth_events")
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
    assert _version(store.path) == str(SCHEMA_VERSION) == "2"
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

    assert _version(store.path) == "2"
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

    def broken(con, version):
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
