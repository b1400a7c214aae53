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

Version 5 holds many plans in one store. Values and region targets stay keyed (series, region,
year) and are shared by every plan whose goals use the series code: a value uploaded once serves
them all (a 2025 value is the old plan's final and the new plan's base). The plans a store has
accepted are rows of `plans` (their YAML as accepted, with its digest), each change of one is in
`plan_updates`; the catalogue is per plan; task progress is keyed (task_id, plan_id), since two
plans may number their tasks alike; each revision names the plan it was made under. Versions 1-4
held one plan, named in meta.plan_id: `migrate` gives that plan id to their task rows, revisions
and catalogue, and the store registers the plan (ipdata/store/registry.py).

Version 6 adds the notes a statistician writes on a goal (`goal_notes`: 口径变化, 不完整年份,
政策事件, 其他), keyed (goal, plan_id, year, kind) with year 0 for the whole goal; they are
versioned like every other table, written by "note" revisions (ipdata/notes.py), rolled back,
backed up and restored with the data. `migrate` creates the table and rebuilds `revisions`, whose
CHECK on the kind gains "note".
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from ipdata.catalogue import Plan

SCHEMA_VERSION = 6

REVISION_KINDS = ("import", "demo", "rollback", "task-edit", "note")


@dataclass(frozen=True)
class TableSpec:
    """One versioned table: its public name, SQL name, key and compared fields."""

    name: str  # public name: "values" | "targets" | "tasks" | "notes"
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
    # task ids (二.2.3) are the plan's own; task_id first: uploads are checked against the plan's ids
    keys=("task_id", "plan_id"), numbers=(), texts=("status", "note", "updated"), main="status",
    flags=("is_demo",),
)
NOTES = TableSpec(
    "notes", "goal_notes", "notes",
    # a goal's code first (as tasks: checked against the plan); year 0 = the whole goal; one note
    # per kind and year, so that a 口径变化 and a 政策事件 of the same year stand side by side
    keys=("goal", "plan_id", "year", "kind"), numbers=(), texts=("text",), main="text",
    flags=("is_demo",),
)
SPECS = (VALUES, TARGETS, TASKS, NOTES)

_KINDS_SQL = ", ".join(f"'{k}'" for k in REVISION_KINDS)

# One CREATE statement per table, so that a migration can rebuild a single table.
TABLES: dict[str, str] = {
    "meta": """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
""",
    "catalogue": """
CREATE TABLE catalogue (
    plan_id VARCHAR NOT NULL,       -- the plan whose goal, series or task this is (version 5)
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
    PRIMARY KEY (plan_id, kind, code)
);
""",
    # Every plan the store has accepted: its YAML as accepted (a changed file under the same id
    # takes effect only once confirmed: Store.update_plan), and what pages list it by.
    "plans": """
CREATE TABLE plans (
    id VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    base_year INTEGER NOT NULL,
    target_year INTEGER NOT NULL,
    n_goals INTEGER NOT NULL,
    file_name VARCHAR,              -- the file it was accepted from (<id>.yaml)
    digest VARCHAR NOT NULL,        -- Plan.digest of the accepted version
    text VARCHAR NOT NULL,          -- the YAML as accepted
    registered_at VARCHAR NOT NULL, -- UTC, ISO 8601
    registered_by VARCHAR NOT NULL,
    updated_at VARCHAR NOT NULL,
    updated_by VARCHAR NOT NULL
);
""",
    # Each registration and confirmed change of a plan: who, when, from which version to which.
    "plan_updates": """
CREATE TABLE plan_updates (
    plan_id VARCHAR NOT NULL,
    changed_at VARCHAR NOT NULL,    -- UTC, ISO 8601
    "user" VARCHAR NOT NULL,
    action VARCHAR NOT NULL,        -- register | update
    old_digest VARCHAR,             -- NULL for a registration
    new_digest VARCHAR NOT NULL,
    summary VARCHAR NOT NULL        -- what changed, one Chinese line per change
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
    n_demo_removed BIGINT NOT NULL DEFAULT 0, -- demo items an official import removed (version 3)
    plan_id VARCHAR                 -- the plan the store was opened with (version 5)
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
    plan_id VARCHAR NOT NULL,       -- task ids (二.2.3) are the plan's own (version 5)
    status VARCHAR,
    note VARCHAR,
    updated VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    deleted BOOLEAN NOT NULL,
    CHECK (deleted OR status IS NOT NULL)
);
""",
    # Notes on a goal or one year of it (version 6), written by "note" revisions.
    "goal_notes": """
CREATE TABLE goal_notes (
    revision_id BIGINT NOT NULL,
    goal VARCHAR NOT NULL,          -- the goal's code in its plan
    plan_id VARCHAR NOT NULL,
    year BIGINT NOT NULL,           -- 0: the whole goal
    kind VARCHAR NOT NULL,          -- 口径变化 | 不完整年份 | 政策事件 | 其他
    text VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    deleted BOOLEAN NOT NULL,
    CHECK (deleted OR text IS NOT NULL)
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
# (sessions are never backed up); the plans with their history come from a backup that has them
# (version 5 on: the catalogue is then rebuilt from them); every other table (meta, catalogue,
# restores, and any table a later version adds) stays as the file has it.
BACKUP_DATA_TABLES = ("revisions", "observations", "targets", "task_progress", "goal_notes",
                      "revision_problems")
BACKUP_PLAN_TABLES = ("plans", "plan_updates")
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
    frame.insert(0, "plan_id", plan.id)
    return frame


def create(con: duckdb.DuckDBPyConnection, created_at: str) -> None:
    """Create all tables and fill meta (plans are registered by the store). Caller holds the
    transaction."""
    create_missing(con)  # users may exist already: the auth tables can come first (Users on a new file)
    con.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [["schema_version", str(SCHEMA_VERSION)], ["created_at", created_at]],
    )


def write_catalogue(con: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    """Replace the plan's rows of the catalogue table (the catalogue is not versioned: it is the
    accepted version of each plan, see registry.py)."""
    frame = catalogue_frame(plan)
    con.execute("DELETE FROM catalogue WHERE plan_id = ?", [plan.id])
    con.register("_catalogue_in", frame)
    try:
        con.execute("INSERT INTO catalogue SELECT * FROM _catalogue_in")
    finally:
        con.unregister("_catalogue_in")


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


def migrate(con: duckdb.DuckDBPyConnection, version: int, plan_id: str) -> None:
    """Bring a file written with schema `version` to SCHEMA_VERSION; `plan_id` is the one plan
    a file of versions 1-4 held (meta.plan_id; '' for version 5 on): the caller registers it
    (registry.register) in the same transaction, so a failed migration leaves the file as it was."""
    rebuild: list[str] = []
    if version < 3:
        # 1 -> 2: the versioned tables lose their PRIMARY KEY (see the module docstring). DuckDB
        # cannot drop a constraint, so each table is rebuilt. 2 -> 3: targets and task progress
        # gain is_demo, revisions n_demo_removed; the same rebuild adds them with their defaults.
        rebuild += [VALUES.table, TARGETS.table, TASKS.table, "revisions"]  # goal_notes came in 6
    if version < 5:
        # 4 -> 5: task progress and revisions gain plan_id, the catalogue a key with it.
        rebuild += [t for t in ("task_progress", "revisions", "catalogue") if t not in rebuild]
    if version < 6 and "revisions" not in rebuild:
        rebuild.append("revisions")  # 5 -> 6: the CHECK on revisions.kind admits "note"
    for table in rebuild:
        _rebuild(con, table, {"plan_id": plan_id})
    if version < 3:
        mark_demo_rows(con)
    create_missing(con)  # 3 -> 4: logins, auth_events.client; 4 -> 5: plans, plan_updates; 5 -> 6: goal_notes
    # the plan is a row of `plans` now, the catalogue is rewritten from it
    con.execute("DELETE FROM meta WHERE key IN ('plan_id', 'catalogue_sha256')")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def _rebuild(con: duckdb.DuckDBPyConnection, table: str, fill: dict[str, str] | None = None) -> None:
    """Recreate `table` from TABLES, copying the columns the old one has; a new column takes
    its value from `fill` when named there, else its default."""
    old = f"{table}_old"
    con.execute(f"ALTER TABLE {table} RENAME TO {old}")
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ?", [old]).fetchall()}
    con.execute(TABLES[table])
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? ORDER BY column_index", [table]).fetchall()]
    copied = [c for c in cols if c in have]
    filled = [c for c in cols if c not in have and c in (fill or {})]
    names = ", ".join(f'"{c}"' for c in (*copied, *filled))
    values = ", ".join([*(f'"{c}"' for c in copied), *("?" for _ in filled)])
    con.execute(f"INSERT INTO {table} ({names}) SELECT {values} FROM {old}", [fill[c] for c in filled] if filled else None)
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
