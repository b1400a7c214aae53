"""The store's DDL and table descriptions, in one place.

Every data table is append-only: a row is (revision_id, key..., fields..., deleted). The current
value of a key is its row with the highest revision_id; a row with deleted=true (a tombstone)
means the key is absent from that revision on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb
import pandas as pd

from ipdata.catalogue import Plan

SCHEMA_VERSION = 1

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
)
TASKS = TableSpec(
    "tasks", "task_progress", "tasks",
    keys=("task_id",), numbers=(), texts=("status", "note", "updated"), main="status",
)
SPECS = (VALUES, TARGETS, TASKS)

_KINDS_SQL = ", ".join(f"'{k}'" for k in REVISION_KINDS)

DDL = f"""
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

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
    rollback_to BIGINT
);

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
    CHECK (deleted OR value IS NOT NULL),
    PRIMARY KEY (series, region, year, revision_id)
);

CREATE TABLE targets (
    revision_id BIGINT NOT NULL,
    series VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    year BIGINT NOT NULL,
    target DOUBLE,
    note VARCHAR,
    deleted BOOLEAN NOT NULL,
    CHECK (deleted OR target IS NOT NULL),
    PRIMARY KEY (series, region, year, revision_id)
);

CREATE TABLE task_progress (
    revision_id BIGINT NOT NULL,
    task_id VARCHAR NOT NULL,
    status VARCHAR,
    note VARCHAR,
    updated VARCHAR,
    deleted BOOLEAN NOT NULL,
    CHECK (deleted OR status IS NOT NULL),
    PRIMARY KEY (task_id, revision_id)
);
"""


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
    con.execute(DDL)
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
