"""Current-state and delta SQL over the append-only tables.

Everything here runs on a connection the caller opened (and, for writes, inside the caller's
transaction). The diff is computed once in SQL, fetched as an Arrow table for `Changes`, and that same
table is what gets written, so a preview and the rows saved can never disagree.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from ipdata.errors import Problem
from ipdata.store.schema import SPECS, TARGETS, VALUES, TableSpec

REL_TOL = 1e-9  # values within this relative tolerance count as unchanged


def state_sql(spec: TableSpec, upto: int | None = None, only: str = "") -> str:
    """Rows of `spec` as they stood after revision `upto` (None: latest), tombstones dropped;
    `only`: a condition on the key columns (its parameters bound by the caller), applied to the
    stored rows before the latest of each key is taken."""
    keys = ", ".join(spec.keys)
    conditions = ([] if upto is None else [f"revision_id <= {int(upto)}"]) + ([only] if only else [])
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    cols = ", ".join(spec.public_columns)
    return f"""
        SELECT {cols} FROM (
            SELECT *, row_number() OVER (PARTITION BY {keys} ORDER BY revision_id DESC) AS _rn
            FROM {spec.table} {where}
        ) WHERE _rn = 1 AND NOT deleted
        ORDER BY {keys}"""


def read_state(con: duckdb.DuckDBPyConnection, spec: TableSpec, upto: int | None = None) -> pd.DataFrame:
    frame = con.execute(state_sql(spec, upto)).df()
    return none_for_missing(frame, [c for c in spec.public_columns if spec.sql_type(c) == "VARCHAR"])


def read_series_state(con: duckdb.DuckDBPyConnection, spec: TableSpec, upto: int | None,
                      series: list[str]) -> pd.DataFrame:
    """read_state of the rows of some series codes only (values, targets)."""
    frame = con.execute(state_sql(spec, upto, "list_contains(?, series)"), [series]).df()
    return none_for_missing(frame, [c for c in spec.public_columns if spec.sql_type(c) == "VARCHAR"])


def read_series_states(con: duckdb.DuckDBPyConnection, spec: TableSpec, uptos: list[int],
                       series: list[str]) -> pd.DataFrame:
    """read_series_state after each revision in `uptos` at once, with a first column `upto`."""
    keys = ", ".join(f"t.{k}" for k in spec.keys)
    cols = ", ".join(spec.public_columns)
    frame = con.execute(f"""
        SELECT upto, {cols} FROM (
            SELECT u.upto, t.*, row_number() OVER (PARTITION BY u.upto, {keys} ORDER BY t.revision_id DESC) AS _rn
            FROM (SELECT unnest($uptos) AS upto) AS u JOIN {spec.table} AS t ON t.revision_id <= u.upto
            WHERE list_contains($series, t.series)
        ) WHERE _rn = 1 AND NOT deleted
        ORDER BY upto, {", ".join(spec.keys)}""", {"uptos": uptos, "series": series}).df()
    return none_for_missing(frame, [c for c in spec.public_columns if spec.sql_type(c) == "VARCHAR"])


def revisions_writing(con: duckdb.DuckDBPyConnection, series: list[str], regions: list[str] | None) -> list[int]:
    """Ids of the revisions that wrote a value or region target of `series` (in `regions` when
    given), oldest first."""
    where = "list_contains($series, series)" + ("" if regions is None else " AND list_contains($regions, region)")
    params = {"series": series, **({} if regions is None else {"regions": regions})}
    rows = con.execute(f"""SELECT revision_id FROM {VALUES.table} WHERE {where}
                           UNION SELECT revision_id FROM {TARGETS.table} WHERE {where}
                           ORDER BY revision_id""", params).fetchall()
    return [int(r[0]) for r in rows]


def none_for_missing(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Text columns as object dtype with None for missing (not a mix of NaN and None)."""
    for c in columns:
        if c in frame:
            frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return frame


def _same(spec: TableSpec, field: str) -> str:
    """SQL: is field equal in p (proposed) and c (current)? Never NULL."""
    p, c = f"p.{field}", f"c.{field}"
    if field in spec.numbers:
        close = f"abs({p} - {c}) <= {REL_TOL} * greatest(abs({p}), abs({c}))"
        return f"(({p} IS NULL AND {c} IS NULL) OR coalesce({close}, false))"
    return f"({p} IS NOT DISTINCT FROM {c})"


def diff_sql(spec: TableSpec, proposed: str, current: str, removals: bool) -> str:
    """Classify every key of `proposed` against `current` (both SQL relations).

    With `removals` (rollback), keys only in `current` come out as "removed"; without it
    (import), they are left alone: an upload merges, it never deletes.
    """
    join = "FULL OUTER JOIN" if removals else "LEFT JOIN"
    on = " AND ".join(f"p.{k} = c.{k}" for k in spec.keys)
    keys = ", ".join(f"coalesce(p.{k}, c.{k}) AS {k}" for k in spec.keys)
    olds = ", ".join(f"c.{f} AS old_{f}" for f in spec.fields)
    news = ", ".join(f"p.{f} AS new_{f}" for f in spec.fields)
    all_same = " AND ".join(_same(spec, f) for f in spec.fields)
    which = ", ".join(f"CASE WHEN NOT {_same(spec, f)} THEN '{f}' END" for f in spec.fields)
    k0 = spec.keys[0]
    return f"""
        WITH p AS ({proposed}), c AS ({current})
        SELECT {keys}, {olds}, {news},
            CASE WHEN c.{k0} IS NULL THEN 'new'
                 WHEN p.{k0} IS NULL THEN 'removed'
                 WHEN {all_same} THEN 'unchanged'
                 ELSE 'changed' END AS change,
            CASE WHEN c.{k0} IS NULL OR p.{k0} IS NULL THEN NULL
                 ELSE nullif(concat_ws(',', {which}), '') END AS fields
        FROM p {join} c ON {on}
        ORDER BY {", ".join(spec.keys)}"""


def diff(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    proposed: str,
    removals: bool = False,
    upto_current: int | None = None,
    purge_demo: bool = False,
) -> pa.Table:
    """The classified delta of `proposed` (SQL) against the current state, as an Arrow table
    (several times faster to fetch and to write back than a pandas frame of Python strings).

    With `purge_demo` (an official import into a store holding demo data), `proposed` is compared
    with the official rows only, so a key it shares with a demo row is "new", and every other
    demo row gets a tombstone classified "demo-removed".
    """
    current = state_sql(spec, upto_current)
    con.complete()  # finish any result the caller left after fetchone(): a relation won't run beside it
    if not purge_demo:
        return con.sql(diff_sql(spec, proposed, current, removals)).to_arrow_table()
    official = f"SELECT * FROM ({current}) WHERE NOT is_demo"
    sql = f"""SELECT * FROM ({diff_sql(spec, proposed, official, removals)})
              UNION ALL BY NAME
              SELECT * FROM ({_demo_tombstones_sql(spec, proposed)})
              ORDER BY {", ".join(spec.keys)}"""
    return con.sql(sql).to_arrow_table()


def removal(con: duckdb.DuckDBPyConnection, spec: TableSpec, key: dict[str, object]) -> pa.Table:
    """The delta (diff_sql's columns) removing the current row of `key`; no rows when there is
    none. Uploads never remove; a note taken back does (ipdata/notes.py)."""
    olds = ", ".join(f"{f} AS old_{f}" for f in spec.fields)
    news = ", ".join(f"CAST(NULL AS {spec.sql_type(f)}) AS new_{f}" for f in spec.fields)
    where = " AND ".join(f"{k} = ?" for k in spec.keys)
    con.complete()  # as in diff: a relation won't run beside an unfinished result
    return con.sql(f"""SELECT {", ".join(spec.keys)}, {olds}, {news}, 'removed' AS change,
                              CAST(NULL AS VARCHAR) AS fields
                       FROM ({state_sql(spec)}) WHERE {where}""",
                   params=[key[k] for k in spec.keys]).to_arrow_table()


def demo_state_sql(spec: TableSpec) -> str:
    """The current demo rows of `spec`."""
    return f"SELECT * FROM ({state_sql(spec)}) WHERE is_demo"


def _demo_tombstones_sql(spec: TableSpec, proposed: str) -> str:
    """Delta rows (diff_sql's columns) removing each current demo row whose key `proposed` lacks."""
    keys = ", ".join(f"d.{k}" for k in spec.keys)
    olds = ", ".join(f"d.{f} AS old_{f}" for f in spec.fields)
    news = ", ".join(f"CAST(NULL AS {spec.sql_type(f)}) AS new_{f}" for f in spec.fields)
    on = " AND ".join(f"p.{k} = d.{k}" for k in spec.keys)
    return f"""
        WITH p AS ({proposed}), d AS ({demo_state_sql(spec)})
        SELECT {keys}, {olds}, {news}, 'demo-removed' AS change, CAST(NULL AS VARCHAR) AS fields
        FROM d ANTI JOIN p ON {on}"""


def holds_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any current row of any table is demo data."""
    return count_current(con, demo=True) > 0


def count_current(con: duckdb.DuckDBPyConnection, demo: bool) -> int:
    """Current rows of all versioned tables that are demo rows (`demo`) or official ones."""
    total = 0
    for spec in SPECS:
        # Pages ask on every rerun: a table that never held such a row answers from one column
        # scan; otherwise, count the keys whose latest row is a live row of that provenance.
        flag = "is_demo" if demo else "NOT is_demo"
        # fetchall, not fetchone: DuckDB refuses the next statement beside an unfinished result
        if not con.execute(f"SELECT count(*) FROM {spec.table} WHERE {flag} AND NOT deleted").fetchall()[0][0]:
            continue
        keys = ", ".join(spec.keys)
        total += con.execute(f"""SELECT count(*) FROM (
                                     SELECT arg_max({flag} AND NOT deleted, revision_id) AS live
                                     FROM {spec.table} GROUP BY {keys})
                                 WHERE live""").fetchall()[0][0]
    return int(total)


def count_series(con: duckdb.DuckDBPyConnection, code: str) -> int:
    """Current values and region targets of one series code (every plan using it shares them)."""
    total = 0
    for spec in (VALUES, TARGETS):
        total += con.execute(f"SELECT count(*) FROM ({state_sql(spec)}) WHERE series = ?", [code]).fetchall()[0][0]
    return int(total)


def write_delta(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, delta: pa.Table, revision_id: int
) -> None:
    """Append the new/changed rows and tombstones of `delta` in bulk under `revision_id`."""
    name = f"_delta_{spec.name}"
    con.register(name, delta)
    try:
        fields = ", ".join(
            f"coalesce(CAST(new_{f} AS BOOLEAN), false)" if f in spec.flags
            else f"CAST(new_{f} AS {spec.sql_type(f)})"
            for f in spec.fields
        )
        keys = ", ".join(f"CAST({k} AS {spec.sql_type(k)})" for k in spec.keys)
        cols = ", ".join(("revision_id", *spec.keys, *spec.fields, "deleted"))
        con.execute(
            f"""INSERT INTO {spec.table} ({cols})
                SELECT {int(revision_id)}, {keys}, {fields}, change IN ('removed', 'demo-removed')
                FROM {name} WHERE change IN ('new', 'changed', 'removed', 'demo-removed')"""
        )
    finally:
        con.unregister(name)


def next_revision_id(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT coalesce(max(id), 0) + 1 FROM revisions").fetchone()[0])


def latest_revision_id(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT coalesce(max(id), 0) FROM revisions").fetchone()[0])


def insert_revision(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    con.execute(
        """INSERT INTO revisions (id, created_at, "user", file_name, sha256, comment, kind,
                                  n_new, n_changed, n_removed, rollback_to, n_demo_removed, plan_id)
           VALUES ($id, $created_at, $user, $file_name, $sha256, $comment, $kind,
                   $n_new, $n_changed, $n_removed, $rollback_to, $n_demo_removed, $plan_id)""",
        row,
    )


def read_revisions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(
        """SELECT id, created_at, "user", file_name, sha256, comment, kind,
                  n_new, n_changed, n_removed, rollback_to, n_demo_removed,
                  coalesce(w.n, 0) AS n_warnings, plan_id
           FROM revisions LEFT JOIN (
               SELECT revision_id, count(*) AS n FROM revision_problems
               WHERE severity = 'warning' GROUP BY revision_id) AS w ON w.revision_id = revisions.id
           ORDER BY id"""
    ).df()
    frame["rollback_to"] = frame["rollback_to"].astype("Int64")
    frame["n_warnings"] = frame["n_warnings"].astype("int64")
    return none_for_missing(frame, ["created_at", "user", "file_name", "sha256", "comment", "kind", "plan_id"])


PROBLEM_COLUMNS = ["code", "severity", "sheet", "cell", "value", "message"]


def insert_problems(con: duckdb.DuckDBPyConnection, revision_id: int, problems: list[Problem]) -> None:
    """Keep `problems` (an upload's warnings) with the revision they were imported in."""
    if not problems:
        return
    frame = pd.DataFrame([{k: p.as_dict()[k] for k in PROBLEM_COLUMNS} for p in problems],
                         columns=PROBLEM_COLUMNS).astype(object)
    frame.insert(0, "position", range(len(frame)))
    con.register("_problems_in", frame)
    try:
        con.execute(f"""INSERT INTO revision_problems (revision_id, position, {", ".join(PROBLEM_COLUMNS)})
                        SELECT {int(revision_id)}, CAST(position AS INTEGER),
                               {", ".join(f"CAST({c} AS VARCHAR)" for c in PROBLEM_COLUMNS)}
                        FROM _problems_in""")
    finally:
        con.unregister("_problems_in")


def read_problems(con: duckdb.DuckDBPyConnection, revision_id: int, severity: str | None = None) -> pd.DataFrame:
    where = "revision_id = ?" + (" AND severity = ?" if severity else "")
    params = [int(revision_id), *([severity] if severity else [])]
    frame = con.execute(f"SELECT {', '.join(PROBLEM_COLUMNS)} FROM revision_problems WHERE {where} "
                        "ORDER BY position", params).df()
    return none_for_missing(frame, PROBLEM_COLUMNS)


def revision_with_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> int | None:
    """The latest revision that imported a file with this sha256, if any."""
    row = con.execute(
        "SELECT max(id) FROM revisions WHERE sha256 = ? AND kind <> 'rollback'", [sha256]
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])
