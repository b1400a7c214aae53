"""The plans a store holds: one row of `plans` per plan id, its YAML as accepted, and the history
of each registration and confirmed change (`plan_updates`). SQL on a connection the caller opened,
inside its transaction (see Store).

Values are shared by every plan that uses a series code, so one code must mean one thing in
every plan of a store: a plan whose series has the code of another plan's series with another
unit is refused (`unit_conflicts`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import duckdb

from ipdata.catalogue import Plan, parse_plan
from ipdata.errors import IpdataError
from ipdata.store import schema

COLUMNS = ("id", "title", "base_year", "target_year", "n_goals", "file_name", "digest", "text",
           "registered_at", "registered_by", "updated_at", "updated_by")


@dataclass(frozen=True)
class PlanRow:
    """One row of `plans`: a plan as the store accepted it."""

    id: str
    title: str
    base_year: int
    target_year: int
    n_goals: int
    file_name: str | None
    digest: str
    text: str
    registered_at: str
    registered_by: str
    updated_at: str
    updated_by: str


def read_rows(con: duckdb.DuckDBPyConnection) -> list[PlanRow]:
    """Every plan the store holds, by id (empty when the file has no plans table yet)."""
    if "plans" not in schema.existing_tables(con):
        return []
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    return [PlanRow(*r) for r in con.execute(f"SELECT {cols} FROM plans ORDER BY id").fetchall()]


def read_row(con: duckdb.DuckDBPyConnection, plan_id: str) -> PlanRow | None:
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    row = con.execute(f"SELECT {cols} FROM plans WHERE id = ?", [plan_id]).fetchall()
    return PlanRow(*row[0]) if row else None


_parsed: dict[tuple[str, str], Plan] = {}  # (id, text) -> plan: a stored text is parsed once per process
_parsed_guard = threading.Lock()


def accepted_plan(row: PlanRow) -> Plan:
    """The plan as the store accepted it, parsed from its stored YAML (its file may be gone or
    changed since)."""
    key = (row.id, row.text)
    with _parsed_guard:
        plan = _parsed.get(key)
    if plan is None:
        plan = parse_plan(row.text, f"{row.id}.yaml")
        with _parsed_guard:
            _parsed[key] = plan
    return plan


def unit_conflicts(con: duckdb.DuckDBPyConnection, plan: Plan) -> list[str]:
    """One Chinese sentence per series code that another plan of the store defines with another
    unit (naming both plans, the code and both units), or as yearly new counts where the other
    plan has yearly levels."""
    mine = {s.code: s for s in plan.all_series.values()}
    if not mine:
        return []
    rows = con.execute(
        "SELECT c.plan_id, c.code, c.name, c.unit FROM catalogue c "
        "WHERE c.kind = 'series' AND c.plan_id <> ? ORDER BY c.plan_id, c.position", [plan.id]).fetchall()
    out = []
    for other, code, name, unit in rows:
        s = mine.get(code)
        if s is not None and (s.unit or "").strip() != (unit or "").strip():
            out.append(f"规划“{plan.id}”的“{s.name}”(代码 {code})单位为“{s.unit}”，而已载入的规划“{other}”"
                       f"中同一代码(“{name}”)的单位为“{unit}”")
    # a cumulative goal's values are each year's new count, any other goal's the year's level:
    # one code cannot be both
    goals = {g.code: g for g in plan.goals}
    for other, code, name, kind in con.execute(
            "SELECT plan_id, code, name, goal_kind FROM catalogue WHERE kind = 'goal' AND plan_id <> ? "
            "ORDER BY plan_id, position", [plan.id]).fetchall():
        g = goals.get(code)
        if g is not None and (g.kind == "cumulative") != (kind == "cumulative"):
            yearly = "按每年新增数填报(累计新增)"
            level = "按当年水平值填报"
            out.append(f"规划“{plan.id}”的“{g.name}”(代码 {code}){yearly if g.kind == 'cumulative' else level}，"
                       f"而已载入的规划“{other}”中同一代码(“{name}”){yearly if kind == 'cumulative' else level}")
    return out


def unit_refusal(plan: Plan, conflicts: list[str]) -> IpdataError:
    return IpdataError(
        f"规划“{plan.id}”不能载入：{'；'.join(conflicts)}。同一代码的数据由数据库中各规划共用，单位和填报方式必须一致。",
        hint="在规划文件中把单位(或填报方式)改为与已载入规划相同，或为该指标另起一个代码。")


def register(con: duckdb.DuckDBPyConnection, plan: Plan, user: str, now: str,
             registered_at: str | None = None, summary: str = "载入规划") -> None:
    """Add `plan` to the store (its catalogue rows too); refused when a series code clashes in
    unit with another plan of the store."""
    conflicts = unit_conflicts(con, plan)
    if conflicts:
        raise unit_refusal(plan, conflicts)
    con.execute("INSERT INTO plans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        plan.id, plan.title, plan.base_year, plan.target_year, len(plan.goals), _file_name(plan), plan.digest,
        plan.text, registered_at or now, user, now, user])
    _history(con, plan.id, now, user, "register", None, plan.digest, summary)
    schema.write_catalogue(con, plan)


def replace(con: duckdb.DuckDBPyConnection, plan: Plan, user: str, now: str, old_digest: str,
            summary: str, action: str = "update") -> None:
    """The store accepts `plan` in place of its version of the same id (caller checked it may)."""
    con.execute("""UPDATE plans SET title = ?, base_year = ?, target_year = ?, n_goals = ?, file_name = ?,
                   digest = ?, text = ?, updated_at = ?, updated_by = ? WHERE id = ?""",
                [plan.title, plan.base_year, plan.target_year, len(plan.goals), _file_name(plan), plan.digest,
                 plan.text, now, user, plan.id])
    if action:
        _history(con, plan.id, now, user, action, old_digest, plan.digest, summary)
    schema.write_catalogue(con, plan)


def refresh_text(con: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    """Keep the file's text and this program's digest of a plan that says the same as the stored
    version (comments or layout changed, or the digest is computed differently now): no change
    to confirm, nothing recorded."""
    con.execute("UPDATE plans SET text = ?, digest = ?, file_name = ? WHERE id = ?",
                [plan.text, plan.digest, _file_name(plan), plan.id])


def rewrite_catalogues(con: duckdb.DuckDBPyConnection) -> None:
    """The catalogue of every plan held, from its accepted text (after a restore brought plans)."""
    rows = read_rows(con)
    con.execute("DELETE FROM catalogue WHERE plan_id NOT IN (SELECT id FROM plans)")
    for row in rows:
        schema.write_catalogue(con, accepted_plan(row))


def history(con: duckdb.DuckDBPyConnection, plan_id: str | None = None):  # noqa: ANN201 (a DataFrame)
    """Registrations and confirmed changes, oldest first (of one plan, or of all)."""
    where, params = ("WHERE plan_id = ?", [plan_id]) if plan_id else ("", [])
    return con.execute(f'SELECT plan_id, changed_at, "user", action, old_digest, new_digest, summary '
                       f"FROM plan_updates {where} ORDER BY changed_at, rowid", params).df()


def _history(con: duckdb.DuckDBPyConnection, plan_id: str, now: str, user: str, action: str,
             old: str | None, new: str, summary: str) -> None:
    con.execute("INSERT INTO plan_updates VALUES (?, ?, ?, ?, ?, ?, ?)", [plan_id, now, user, action, old, new, summary])


def _file_name(plan: Plan) -> str:
    return plan.path.name if plan.path is not None else f"{plan.id}.yaml"
