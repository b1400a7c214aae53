"""The store's DDL and table descriptions, in one place.

Every data table is append-only: a row is (revision_id, key..., fields..., deleted). The current
value of a key is its row with the highest revision_id; a row with deleted=true (a tombstone)
means the key is absent from that revision on.

The versioned tables carry no PRIMARY KEY: DuckDB uses an index only for point lookups, which
no query here makes, and maintaining one doubled the cost of saving a 100,000-row import (and
made the file 9x larger). Keys are unique per revision by construction: an upload's keys are
checked unique before the diff, and the diff yields one row per key. Version 1 files had the
index; `migrate` rebuilds their tables without it.

Every versioned table carries `is_demo` (provenance: written by a "demo" revision, or restored
from one by a rollback, or a task edit made while the store held demo data). An official import
into a store holding demo data tombstones every demo row in its own revision, so demo and
official figures never mix. Version 2 files had the flag on observations only; `migrate` adds it
to targets and task progress, working out each row's provenance from the revision history.

The warnings an upload was imported with are kept with its revision (`revision_problems`).

Version 4 adds the web logins (`logins`: only a hash of each login's secret) and the client
address of each login attempt (`auth_events.client`); ipdata/auth.py and ipdata/logins.py use them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb
import pandas as pd

from ipdata.catalogue import Plan

SCHEMA_VERSION = 4

REVISION_KINDS = ("import", "demo", "rollback", "task-edit")


@dataclass(frozen=True)
class TableSpec:
    """One versioned table: its public name, SQL name, key and compared fields."""

    name: str  # public name: "values" | "targets" | "tasks"
    table: str  # SQL table
    upload_attr: str  # attribute of Upload that feeds it
    keys: tuple[str, ...]
    numbers: tuple[str, ...]  # compared with a relative tolerance
    texts: tuple[str, ...]  # compared exactly; NULL == NULL
    main: str  # the field shown as old/new in Changes
    flags: tuple[str, ...] = ()  # booleans compared exactly (provenance such as is_demo)

    @property
    def fields(self) -> tuple[str, ...]:
        return self.numbers + self.texts + self.flags

    @property
    def public_columns(self) -> list[str]:
        return [*self.keys, *self.numbers, *self.texts, "revision_id", *self.flags]

    def sql_type(self, column: str) -> str:
        if column == "year":
            return "BIGINT"
        if column in self.numbers:
            return "DOUBLE"
        if column in self.flags:
            return "BOOLEAN"
        return "VARCHAR"

    def typed_select(self, relation: str, columns: tuple[str, ...] | None = None) -> str:
        """SELECT from a registered frame with each column cast to its SQL type, so that an
        empty or all-NULL pandas column never reaches a comparison untyped."""
        cols = columns or (*self.keys, *self.fields)
        casts = ", ".join(f"CAST({c} AS {self.sql_type(c)}) AS {c}" for c in cols)
        return f"SELECT {casts} FROM {relation}"


VALUES = TableSpec(
    "values", "observations", "observations",
    keys=("series", "region", "year"), numbers=("value",), texts=("source", "note"),
    main="value", flags=("is_demo",),
)
TARGETS = TableSpec(
    "targets", "targets", "targets",
    keys=("series", "region", "year"), numbers=("target",), texts=("note",), main="target",
    flags=("is_demo",),
)
TASKS = TableSpec(
    "tasks", "task_progress", "tasks",
    keys=("task_id",), numbers=(), texts=("status", "note", "updated"), main="status",
    flags=("is_demo",),
)
SPECS = (VALUES, TARGETS, TASKS)

_KINDS_SQL = ", ".join(f"'{k}'" for k in REVISION_KINDS)

# One CREATE statement per table, so that a migration can rebuild a single table.
TABLES: dict[str, str] = {
    "meta": """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
""",
    "catalogue": """
CREATE TABLE catalogue (
    kind VARCHAR NOT NULL,          -- goal | series | task
    code VARCHAR NOT NULL,          -- goal/series code, or task paragraph id such as 二.2.3
    name VARCHAR NOT NULL,
    unit VARCHAR,
    category VARCHAR,               -- goal category; task section title
    role VARCHAR,                   -- series role: goal | numerator | context
    goal_kind VARCHAR,              -- level | cumulative | milestone | trend
    comparator VARCHAR,
    target DOUBLE,
    detail VARCHAR,                 -- goal source sentence; task paragraph text
    position INTEGER NOT NULL,      -- order in the plan file
    PRIMARY KEY (kind, code)
);
""",
    "revisions": f"""
CREATE TABLE revisions (
    id BIGINT PRIMARY KEY,
    created_at VARCHAR NOT NULL,    -- UTC, ISO 8601
    "user" VARCHAR NOT NULL,
    file_name VARCHAR,
    sha256 VARCHAR,
    comment VARCHAR,
    kind VARCHAR NOT NULL CHECK (kind IN ({_KINDS_SQL})),
    n_new BIGINT NOT NULL,
    n_changed BIGINT NOT NULL,
    n_removed BIGINT NOT NULL,
    rollback_to BIGINT,
    n_demo_removed BIGINT NOT NULL DEFAULT 0  -- demo items an official import removed (version 3)
);
""",
    "observations": """
CREATE TABLE observations (
    revision_id BIGINT NOT NULL,
    series VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    year BIGINT NOT NULL,
    value DOUBLE,
    source VARCHAR,
    note VARCHAR,
    is_demo BOOLEAN NOT NULL,
    deleted BOOLEAN NOT NULL,
    CHECK (deleted OR value IS NOT NULL)
);
""",
    "targets": """
CREATE TABLE targets (
    revision_id BIGINT NOT NULL,
    series VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    year BIGINT NOT NULL,
    target DOUBLE,
    note VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    deleted BOOLEAN NOT NULL,
    CHECK (deleted OR target IS NOT NULL)
);
""",
    "task_progress": """
CREATE TABLE task_progress (
    revision_id BIGINT NOT NULL,
    task_id VARCHAR NOT NULL,
    status VARCHAR,
    note VARCHAR,
    updated VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    deleted BOOLEAN NOT NULL,
    CHECK (deleted OR status IS NOT NULL)
);
""",
    # The warnings each upload was imported with (errors refuse a file, so only warnings get here).
    "revision_problems": """
CREATE TABLE revision_problems (
    revision_id BIGINT NOT NULL,
    position INTEGER NOT NULL,      -- order in the upload's report
    code VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    sheet VARCHAR,
    cell VARCHAR,
    value VARCHAR,
    message VARCHAR NOT NULL
);
""",
    # Users and login events (ipdata/auth.py reads and writes them).
    "users": """
CREATE TABLE users (
    name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL,
    created_at VARCHAR NOT NULL, created_by VARCHAR NOT NULL, disabled BOOLEAN NOT NULL DEFAULT false
);
""",
    "auth_events": """
CREATE TABLE auth_events (
    happened_at VARCHAR NOT NULL, name VARCHAR NOT NULL, event VARCHAR NOT NULL, ok BOOLEAN NOT NULL,
    actor VARCHAR, detail VARCHAR,
    client VARCHAR                  -- the browser's address for web logins (version 4)
);
""",
    # Web logins: the browser keeps a random secret in an HttpOnly cookie; only its hash is here.
    "logins": """
CREATE TABLE logins (
    secret_sha256 VARCHAR NOT NULL, name VARCHAR NOT NULL,
    credential VARCHAR NOT NULL,    -- fingerprint of the user's role, password hash and state at login
    created_at VARCHAR NOT NULL, last_seen VARCHAR NOT NULL, client VARCHAR
);
""",
    # Every restore from a backup into this file (ipdata/backup.py writes it; the audit shows it).
    "restores": """
CREATE TABLE restores (
    restored_at VARCHAR NOT NULL,   -- UTC, ISO 8601
    "user" VARCHAR NOT NULL,
    backup_dir VARCHAR NOT NULL,
    backup_created_at VARCHAR,
    backup_revision BIGINT,         -- the backup's latest revision, now the store's
    replaced_revision BIGINT,       -- the latest revision the file held before (NULL: none)
    safety_backup VARCHAR,          -- where that content was saved first (NULL: nothing replaced)
    with_users BOOLEAN NOT NULL     -- users and login events came from the backup too
);
""",
}
RESTORE_COLUMNS = ["restored_at", "user", "backup_dir", "backup_created_at", "backup_revision",
                   "replaced_revision", "safety_backup", "with_users"]

# What backup and restore do with each table (ipdata/backup.py). The data tables come from the
# backup; users and login events only when asked (`--with-users`), which also ends every web login
# (sessions are never backed up); every other table (meta, catalogue, restores, and any table a
# later version adds) stays as the file has it.
BACKUP_DATA_TABLES = ("revisions", "observations", "targets", "task_progress", "revision_problems")
BACKUP_USER_TABLES = ("users", "auth_events")
SESSION_TABLES = ("logins",)

# Columns added to an existing table after it first shipped: (table, column, type).
# `create_missing` (and so `migrate`) adds them to a file that lacks them.
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (("auth_events", "client", "VARCHAR"),)


def catalogue_frame(plan: Plan) -> pd.DataFrame:
    """The plan's goals, uploadable series and task paragraphs as rows of the catalogue table."""
    rows: list[dict] = []
    for g in plan.goals:
        rows.append(dict(kind="goal", code=g.code, name=g.name, unit=g.unit, category=g.category,
                         role=None, goal_kind=g.kind, comparator=g.comparator, target=g.target,
                         detail=g.source))
    for s in plan.all_series.values():
        rows.append(dict(kind="series", code=s.code, name=s.name, unit=s.unit, category=None,
                         role=s.role, goal_kind=None, comparator=None, target=None, detail=None))
    for t in plan.tasks:
        rows.append(dict(kind="task", code=t.id, name=t.task_title, unit=None,
                         category=t.section_title, role=None, goal_kind=None, comparator=None,
                         target=None, detail=t.text))
    frame = pd.DataFrame(rows, columns=["kind", "code", "name", "unit", "category", "role",
                                        "goal_kind", "comparator", "target", "detail"])
    frame["target"] = frame["target"].astype("float64")
    frame["position"] = range(len(frame))
    return frame


def catalogue_digest(frame: pd.DataFrame) -> str:
    """Fingerprint of the catalogue rows, so a changed plan file refreshes the table on open."""
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()


def create(con: duckdb.DuckDBPyConnection, plan: Plan, created_at: str) -> None:
    """Create all tables and fill catalogue and meta. Caller holds the transaction."""
    create_missing(con)  # users may exist already: the auth tables can come first (Users on a new file)
    write_catalogue(con, plan)
    con.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [["schema_version", str(SCHEMA_VERSION)], ["plan_id", plan.id], ["created_at", created_at]],
    )


def write_catalogue(con: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    """Replace the catalogue table with the plan's rows (the catalogue is not versioned)."""
    frame = catalogue_frame(plan)
    con.execute("DELETE FROM catalogue")
    con.register("_catalogue_in", frame)
    try:
        con.execute("INSERT INTO catalogue SELECT * FROM _catalogue_in")
    finally:
        con.unregister("_catalogue_in")
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('catalogue_sha256', ?)", [catalogue_digest(frame)]
    )


def existing_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables of the file `con` works on. Only its own: every store file of this process is
    attached to one DuckDB instance (store/connection.py), so the catalogue lists theirs too."""
    return [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() "
                                      "WHERE database_name = current_database() AND schema_name = 'main'").fetchall()]


def create_missing(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] | None = None) -> None:
    """Create those of `names` (default: all TABLES) the file lacks, e.g. after restoring a
    backup written before a table existed."""
    have = set(existing_tables(con))
    for name in names or tuple(TABLES):
        if name not in have:
            con.execute(TABLES[name])
    for table, column, sql_type in ADDED_COLUMNS:
        if table in have and (names is None or table in names) and column not in _columns(con, table):
            con.execute(f'ALTER TABLE {table} ADD COLUMN "{column}" {sql_type}')


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ?", [table]).fetchall()}


def migrate(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """Bring a file written with schema `version` to SCHEMA_VERSION. Caller holds the transaction,
    so a failed migration leaves the file as it was."""
    if version < 3:
        # 1 -> 2: the versioned tables lose their PRIMARY KEY (see the module docstring). DuckDB
        # cannot drop a constraint, so each table is rebuilt. 2 -> 3: targets and task progress
        # gain is_demo, revisions n_demo_removed; the same rebuild adds them with their defaults.
        for table in (*(spec.table for spec in SPECS), "revisions"):
            _rebuild(con, table)
        mark_demo_rows(con)
    create_missing(con)  # 3 -> 4: the logins table, auth_events.client
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def _rebuild(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Recreate `table` from TABLES, copying the columns the old one has (new ones take their
    default)."""
    old = f"{table}_old"
    con.execute(f"ALTER TABLE {table} RENAME TO {old}")
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ?", [old]).fetchall()}
    con.execute(TABLES[table])
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? ORDER BY column_index", [table]).fetchall()]
    common = ", ".join(f'"{c}"' for c in cols if c in have)
    con.execute(f"INSERT INTO {table} ({common}) SELECT {common} FROM {old}")
    con.execute(f"DROP TABLE {old}")


def mark_demo_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Work out is_demo of target and task rows written before the flag existed: rows a "demo"
    revision wrote are demo; a rollback's rows take the provenance of the row they restore (the
    state right after `rollback_to`, already settled because rollbacks are visited in order)."""
    from ipdata.store.revisions import state_sql  # revisions imports this module

    demo_ids = "SELECT id FROM revisions WHERE kind = 'demo'"
    rollbacks = con.execute(
        "SELECT id, rollback_to FROM revisions WHERE kind = 'rollback' ORDER BY id").fetchall()
    for spec in (TARGETS, TASKS):
        con.execute(f"UPDATE {spec.table} SET is_demo = true WHERE NOT deleted AND revision_id IN ({demo_ids})")
        on = " AND ".join(f"{spec.table}.{k} = s.{k}" for k in spec.keys)
        for rev, to in rollbacks:
            con.execute(f"""UPDATE {spec.table} SET is_demo = s.is_demo
                            FROM ({state_sql(spec, int(to))}) AS s
                            WHERE {spec.table}.revision_id = {int(rev)} AND NOT {spec.table}.deleted AND {on}""")
