"""Backup and restore: a consistent copy of one store, checked by sha256 when it comes back.

A backup directory holds
  database/      one Parquet file per table of the store (`<table>.parquet`)
  全部数据.xlsx   every current value, target and task status plus the revision log (re-importable)
  manifest.json  time, plan, latest revision, row counts and the sha256 of every file above

`backup` writes everything while this process holds the database file (the in-process file lock
plus an open connection), so no other thread or process can write in between: the tables and the
workbook show the same revision. It writes into a hidden directory beside the target and renames
it at the end, so a failed backup (disk full, no permission) leaves no half-written directory.

`restore` never executes anything from a backup. It checks every path named in the manifest
(relative, inside the backup directory, no symlink) and every sha256 first; then it creates the
known tables from our own DDL and reads only the known Parquet files into them, by column names
of our own. Version 1 backups (DuckDB `EXPORT DATABASE`) are read the same way: their
`schema.sql` and `load.sql` are ignored. Into a file that already holds data (`force`) it first
writes an automatic safety backup beside the file, then replaces the data in one transaction, so
the file holds either its old content or the backup's, never a mix. Users and login events stay
as they are unless `with_users`; meta and the restore log are always the file's own. A backup holds
every plan of the store (schema 5: `plans`, `plan_updates`); restoring it brings them back and
rebuilds the catalogue from them. An older backup held one plan (manifest `plan_id`): its task
progress and revisions are given that plan, which is registered from its plan file, and the
plans the file already holds stay.
Each restore is recorded (table `restores`, shown in the audit) and renews the store's
generation, which the pages' caches key on, so a running dashboard shows the restored data at
its next rerun. A DuckDB file that is not an ipdata store is never touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ipdata import settings
from ipdata.catalogue import Plan, load_plan, parse_plan
from ipdata.errors import IpdataError
from ipdata.store import SCHEMA_VERSION, Store, registry
from ipdata.store import schema as ddl
from ipdata.store.connection import (
    DEFAULT_BUSY_TIMEOUT,
    StoreFileError,
    connect,
    file_error,
    file_lock,
    quote_ident,
    sql_text,
    transaction,
)
from ipdata.store.revisions import latest_revision_id
from ipdata.store.store import prepare

MANIFEST = "manifest.json"
DATABASE_DIR = "database"
WORKBOOK = "全部数据.xlsx"
FORMAT = "ipdata-backup"
# 2: one Parquet file per table, written by COPY; 1: DuckDB EXPORT DATABASE (read, never run)
FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)
REQUIRED_TABLES = ("revisions", "observations", "targets", "task_progress")
SAFETY_SUFFIX = ".恢复前备份"  # <store file name> + this: the sibling directory of safety backups


@dataclass(frozen=True)
class Manifest:
    created_at: str
    plan_id: str
    schema_version: int
    latest_revision: int
    counts: dict[str, int]  # rows in the current state: values, targets, tasks; and revisions
    files: dict[str, str]  # path relative to the backup directory (posix) -> sha256
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows in database/<table>.parquet
    plans: list[str] = field(default_factory=list)  # every plan the store held (schema 5 on)

    def as_json(self) -> str:
        return json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, **self.__dict__},
                          ensure_ascii=False, indent=1, sort_keys=True)

    def table_file(self, table: str) -> str | None:
        """The manifest's file for `table` (same name in both formats), if the backup has one."""
        name = f"{DATABASE_DIR}/{table}.parquet"
        return name if name in self.files else None


@dataclass(frozen=True)
class Restored:
    store: Store
    manifest: Manifest
    safety_backup: Path | None  # where the replaced content was saved first (None: nothing replaced)


# --- backup ----------------------------------------------------------------------------------

def backup(store: Store, out_dir: Path | str) -> Manifest:
    """Write a consistent backup of `store` into `out_dir` (new or empty directory)."""
    out = Path(out_dir).absolute()
    if not store.path.exists():
        raise IpdataError("数据库文件不存在，没有可备份的数据。", hint="检查 --db 或 IPDATA_DB 指向的文件。",
                          detail=f"数据库文件 {store.path.absolute()}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise IpdataError(f"备份目录 {out} 已存在且不是空目录，未写入任何内容。",
                          hint="为每次备份指定一个新的目录，例如带上日期：backup/2025-01-31。")
    tmp = out.parent / f".{out.name}.{uuid.uuid4().hex[:8]}.partial"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.mkdir(mode=0o700)  # it holds password hashes: for the server's account only
        manifest = _write_backup(store, tmp, out)
        (tmp / MANIFEST).write_text(manifest.as_json(), encoding="utf-8")
        _sync(tmp)
        if out.exists():
            out.rmdir()  # empty (checked above); rename needs the name free
        tmp.rename(out)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError | duckdb.Error) and not isinstance(exc, IpdataError):
            raise backup_failed(exc, out) from exc
        raise
    return manifest


def _write_backup(store: Store, tmp: Path, out: Path) -> Manifest:
    from ipdata.outputs.workbook import export_workbook  # openpyxl only when a backup is made

    # Holding the file lock and a connection keeps other threads and processes out until the
    # tables and the workbook are both written; the store's own calls below re-enter the lock.
    with file_lock(store.path), connect(store.path, store.busy_timeout) as con:
        (tmp / DATABASE_DIR).mkdir()
        have = set(ddl.existing_tables(con))
        tables: dict[str, int] = {}
        with transaction(con):
            for table in (t for t in ddl.TABLES if t in have and t not in ddl.SESSION_TABLES):  # ours only
                target = tmp / DATABASE_DIR / f"{table}.parquet"
                try:
                    rows = con.execute(f"COPY (SELECT * FROM {quote_ident(table)}) "
                                       f"TO {sql_text(str(target))} (FORMAT parquet)").fetchone()
                except duckdb.Error as exc:
                    if str(tmp) not in str(exc):  # about the store itself: connect() says so
                        raise
                    raise backup_failed(exc, out) from exc
                tables[table] = int(rows[0])
            latest = latest_revision_id(con)
        export_workbook(store, tmp / WORKBOOK)
        counts = {"values": len(store.values()), "targets": len(store.targets()),
                  "tasks": len(store.task_progress()), "revisions": tables.get("revisions", 0)}
        held = [p.id for p in store.plans()]
    return Manifest(
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        plan_id=store.plan.id, schema_version=SCHEMA_VERSION, latest_revision=latest,
        counts=counts, files=_hashes(tmp), tables=tables, plans=held,
    )


def _sync(root: Path) -> None:
    """Flush the backup's files to disk before it gets its final name."""
    for p in root.rglob("*"):
        if p.is_file():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


_BACKUP_CAUSES = (
    ((errno.ENOSPC, errno.EDQUOT), ("No space left on device", "Disk quota exceeded"),
     "磁盘空间不足", "清理磁盘空间，或换一个空间足够的磁盘或目录，再重新备份"),
    ((errno.EACCES, errno.EPERM, errno.EROFS), ("Permission denied", "Read-only file system"),
     "没有写入该目录的权限（或是只读位置）", "换一个当前账户可以写入的目录，或请管理员改正该目录的权限，再重新备份"),
    ((errno.ENOENT, errno.ENOTDIR), ("No such file or directory", "Not a directory"),
     "目录不存在，也无法在那里创建", "检查备份目录的路径，换一个可以创建目录的位置，再重新备份"),
)


def backup_failed(exc: BaseException, out: Path) -> IpdataError:
    """The refusal for a backup that could not be written: the cause, and that nothing was left."""
    text, code = str(exc), getattr(exc, "errno", None)
    cause, way_out = next(
        ((cause, way_out) for codes, markers, cause, way_out in _BACKUP_CAUSES
         if code in codes or any(m in text for m in markers)),
        ("写入文件时出错", "换一个目录重新备份；如仍失败，请把这段提示发给维护人员"))
    return IpdataError(f"备份失败：{cause}。没有留下不完整的备份目录，数据库没有任何改动。",
                       hint=f"{way_out}。", detail=f"备份目录 {out}：{exc}")


# --- reading a backup ------------------------------------------------------------------------

def read_manifest(backup_dir: Path | str) -> Manifest:
    """The manifest of a backup directory, after checking every path it names and every sha256."""
    root = Path(backup_dir).resolve()
    try:
        raw = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IpdataError(f"{root} 不是 ipdata 备份目录（缺少或无法读取 {MANIFEST}）",
                          hint="指定 `python -m ipdata backup` 写出的目录。") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("format_version") not in READABLE_FORMATS:
        raise IpdataError(f"{root / MANIFEST} 不是本程序能识别的备份清单",
                          hint="用同一版本 ipdata 写出的备份恢复。")
    try:
        manifest = Manifest(**{k: raw[k] for k in Manifest.__dataclass_fields__ if k in raw})
        files = {str(k): str(v) for k, v in manifest.files.items()}
        {str(k): int(v) for k, v in manifest.tables.items()}
        int(manifest.schema_version), int(manifest.latest_revision), [str(p) for p in manifest.plans]
    except (TypeError, ValueError, AttributeError) as exc:
        raise IpdataError(f"{root / MANIFEST} 内容不完整或已被改动，未恢复任何数据。",
                          hint="换一份完好的备份；备份目录中的文件不要手工修改。") from exc
    outside = [name for name in files if _inside(root, name) is None]
    if outside:
        raise IpdataError(
            f"备份清单指向备份目录以外的文件，未恢复任何数据：{'、'.join(sorted(outside)[:5])}",
            hint="这份备份已被改动，不能使用；换一份完好的备份。")
    bad = [name for name, sha in files.items() if _sha256(_inside(root, name)) != sha]
    if bad:
        raise IpdataError(
            f"备份不完整或已被改动，未恢复任何数据：{'、'.join(sorted(bad))} 与清单记录的 sha256 不符或缺失",
            hint="换一份完好的备份；备份目录中的文件不要手工修改。",
        )
    return manifest


def _inside(root: Path, name: str) -> Path | None:
    """The file `name` (a manifest path) inside `root`, or None when the name could reach out of
    it: absolute, with `..`, through a symlink anywhere below root, or not a plain relative path."""
    rel = PurePosixPath(name)
    if not name or "\0" in name or rel.is_absolute() or "\\" in name or any(part in ("", ".", "..") for part in name.split("/")):
        return None
    path = root.joinpath(*rel.parts)
    step = root
    for part in rel.parts:  # no symlink on the way, even one that points back inside
        step = step / part
        if step.is_symlink():
            return None
    if not path.resolve().is_relative_to(root):
        return None
    return path


def _sha256(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _sha256(p)
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != MANIFEST}


# --- restore ---------------------------------------------------------------------------------

def restore(
    backup_dir: Path | str, db: Path | str, plan: Plan | str | None = None, *, force: bool = False,
    with_users: bool = False, user: str = "unknown", busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
) -> Restored:
    """Bring a backup back into `db`: a new file, an empty one, or (with `force`) a store that
    holds data, which is first saved to a safety backup beside it. `user` is recorded. The
    restored store is seen through `plan` (a Plan, a plan id or file; default: the plan the
    backup was made through)."""
    root = Path(backup_dir).resolve()
    manifest = read_manifest(root)
    if int(manifest.schema_version) > SCHEMA_VERSION:
        raise IpdataError(f"备份由更新版本的 ipdata 写出（数据结构版本 {manifest.schema_version}），本程序无法恢复。",
                          hint="升级 ipdata 后再恢复。")
    missing = [t for t in REQUIRED_TABLES if manifest.table_file(t) is None]
    if missing or (with_users and manifest.table_file("users") is None):
        raise IpdataError(f"备份中缺少{'、'.join(missing) or '用户'}数据，未恢复任何数据。",
                          hint="换一份由 `python -m ipdata backup` 完整写出的备份"
                               + ("" if missing else "；或不加 --with-users，保留现有用户") + "。")
    plan = _plan(plan or manifest.plan_id, root, manifest)
    # an older backup's data belong to its one plan, which the restored file must hold
    own = None if int(manifest.schema_version) >= 5 else (
        plan if plan.id == manifest.plan_id else _plan(manifest.plan_id, root, manifest))
    path = Path(db)
    if path.is_dir():
        raise IpdataError(f"{path} 是一个目录，不是数据库文件。", hint="--db 应指向一个 .duckdb 文件。")
    new_file = not path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise file_error(exc, path) or backup_failed(exc, path) from exc
    try:
        return _restore_into(path, root, plan, own, manifest, force, with_users, user, busy_timeout)
    except BaseException:
        if new_file:  # a failed restore into a new path leaves no half-made database behind
            for leftover in (path, path.with_name(path.name + ".wal")):
                leftover.unlink(missing_ok=True)
        raise


def _plan(ref: Plan | str | Path, root: Path, manifest: Manifest) -> Plan:
    """The plan `ref` names: a Plan, a plan file, or an id whose file is in the plans directory
    or, when it is not, whose text the backup holds (a plan whose file is gone stays usable)."""
    if isinstance(ref, Plan):
        return ref
    if isinstance(ref, Path) or str(ref).endswith((".yaml", ".yml")) or (settings.plans_dir() / f"{ref}.yaml").is_file():
        return load_plan(ref)
    name = manifest.table_file("plans")
    if name is not None:
        try:
            texts = dict(zip(*pq.read_table(_inside(root, name), columns=["id", "text"]).to_pydict().values(),
                             strict=True))
        except Exception as exc:  # a damaged Parquet file whose hash was rewritten with it
            raise _unreadable("plans", exc) from exc
        if ref in texts:
            return parse_plan(texts[ref], f"{ref}.yaml")
    return load_plan(ref)  # says in Chinese that the file is missing


def _restore_into(path: Path, root: Path, plan: Plan, own: Plan | None, manifest: Manifest, force: bool,
                  with_users: bool, user: str, busy_timeout: float) -> Restored:
    replaced = [*ddl.BACKUP_DATA_TABLES, *(ddl.BACKUP_USER_TABLES if with_users else ())]
    # plans come back with a backup that has them (schema 5 on); they are not data a restore
    # would overwrite on their own, so they do not count as the file's data below
    plan_tables = [t for t in ddl.BACKUP_PLAN_TABLES if manifest.table_file(t) is not None]
    # The lock and the connection are held from the first look to the commit: nobody writes in
    # between, so the safety backup holds exactly what the restore replaces.
    with file_lock(path), connect(path, busy_timeout) as con:
        _refuse_foreign(con, path)
        with transaction(con):
            prepare(con, path, plan, user)  # creates or upgrades our tables
        held = _row_counts(con, replaced)
        before = latest_revision_id(con)
        safety = None
        if any(held.values()):
            if not force:
                raise IpdataError(
                    f"数据库中已有数据（最新为第 {before} 版），未恢复（不会覆盖已有数据）。"
                    if before else "数据库中已有用户或登录记录，未恢复（不会覆盖已有数据）。",
                    hint="恢复到一个新的数据库文件（--db 新文件.duckdb）；确需覆盖时加 --force，"
                         "覆盖前会自动把现有数据备份到数据库文件旁的“恢复前备份”目录。",
                    detail=f"数据库文件 {path.absolute()}")
            stored = registry.read_rows(con)  # seen through a plan the file holds, its file or not
            newest = max(stored, key=lambda r: (r.target_year, r.base_year)).id if stored else plan
            safety = _safety_backup(Store(path, newest, busy_timeout=busy_timeout, user=user))
        with transaction(con):
            ddl.create_missing(con)
            fill = {} if own is None else {"plan_id": own.id}
            for table in (*replaced, *plan_tables):
                _load_table(con, root, manifest, table, fill)
            if plan_tables:
                registry.rewrite_catalogues(con)
            elif own is not None and registry.read_row(con, own.id) is None:
                registry.register(con, own, user, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                  summary=f"由较早版本的备份恢复：备份中的数据属于这个规划（{root.name}）")
            if with_users:  # other users, other passwords: every web login ends
                for table in set(ddl.SESSION_TABLES) & set(ddl.existing_tables(con)):
                    con.execute(f"DELETE FROM {quote_ident(table)}")
            if int(manifest.schema_version) < 3:  # an older backup: work out what 3 added
                ddl.mark_demo_rows(con)
            _check_loaded(con, manifest, [*replaced, *plan_tables])
            _record(con, manifest, root, user, before if held.get("revisions") else None, safety, with_users)
    return Restored(Store(path, plan, busy_timeout=busy_timeout, user=user), manifest, safety)


def _refuse_foreign(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a DuckDB file that holds anything but an ipdata store: its tables are never touched."""
    tables = ddl.existing_tables(con)
    views = [r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal").fetchall()]
    meta = {}
    if "meta" in tables:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    ours = "schema_version" in meta and ("plan_id" in meta or "plans" in tables)  # plans: version 5 on
    # before the first store opens it, a file may hold only the user tables (`user add` first)
    if not tables and not views or not views and (ours or set(tables) <= {*ddl.BACKUP_USER_TABLES, *ddl.SESSION_TABLES}):
        return
    foreign = sorted({*tables, *views} - (set(ddl.TABLES) if ours else set()))[:5]
    raise IpdataError(
        "目标文件是一个 DuckDB 数据库，但不是 ipdata 的数据库"
        + (f"（其中有 {'、'.join(foreign)} 等表）" if foreign else "") + "，未做任何改动。",
        hint="恢复到一个新的数据库文件（--db 新文件.duckdb）；这个文件可能属于其他程序，不要覆盖它。",
        detail=f"数据库文件 {path.absolute()}")


def _row_counts(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, int]:
    have = set(ddl.existing_tables(con))
    return {t: int(con.execute(f"SELECT count(*) FROM {quote_ident(t)}").fetchone()[0]) if t in have else 0
            for t in tables}


def safety_dir(db: Path) -> Path:
    """The sibling directory that receives the automatic backups taken before a restore."""
    return db.absolute().parent / f"{db.name}{SAFETY_SUFFIX}"


def _safety_backup(store: Store) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = safety_dir(store.path)
    out = base / stamp
    n = 1
    while out.exists():
        n += 1
        out = base / f"{stamp}-{n}"
    try:
        backup(store, out)
    except IpdataError as exc:
        raise IpdataError(f"恢复前的自动备份没有成功，未恢复，数据库没有任何改动。{exc.message}",
                          hint=exc.hint, detail=exc.detail) from exc
    return out


def _load_table(con: duckdb.DuckDBPyConnection, root: Path, manifest: Manifest, table: str,
                fill: dict[str, str] | None = None) -> None:
    """Replace `table` with the rows of its Parquet file: only our own columns, by our names; a
    column of ours the backup's version did not have takes its value from `fill` (plan_id)."""
    name = manifest.table_file(table)
    con.execute(f"DELETE FROM {quote_ident(table)}")
    if name is None:  # an optional table the backup's version did not have (revision_problems)
        return
    columns = [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? ORDER BY column_index", [table]).fetchall()]
    try:
        data = pq.read_table(_inside(root, name))  # pyarrow opens exactly this file (no globbing)
        common = [c for c in columns if c in data.column_names]
        data = data.select(common)
        for column, value in (fill or {}).items():
            if column in columns and column not in common and common:
                data = data.append_column(column, pa.array([value] * data.num_rows, pa.string()))
                common.append(column)
    except Exception as exc:  # a damaged Parquet file whose hash was rewritten with it
        raise _unreadable(table, exc) from exc
    if not common:
        raise _unreadable(table, "没有可识别的列")
    cols = ", ".join(quote_ident(c) for c in common)
    con.register("_restore_in", data)
    try:
        con.execute(f"INSERT INTO {quote_ident(table)} ({cols}) SELECT {cols} FROM _restore_in")
    except duckdb.Error as exc:  # a column missing, a value of the wrong type, a broken constraint
        raise _unreadable(table, exc) from exc
    finally:
        with contextlib.suppress(duckdb.Error):  # after a failed insert: gone with the transaction
            con.unregister("_restore_in")


def _unreadable(table: str, exc: object) -> IpdataError:
    return IpdataError(f"备份中的 {table} 数据无法读入，未恢复任何数据。",
                       hint="换一份完好的备份；如果这份备份确实是本程序写出的，请把它发给维护人员。",
                       detail=str(exc))


def _check_loaded(con: duckdb.DuckDBPyConnection, manifest: Manifest, tables: list[str]) -> None:
    """Before the commit: the backup's latest revision and row counts, as its manifest says."""
    latest = latest_revision_id(con)
    counts = _row_counts(con, tables)
    wrong = [t for t, n in manifest.tables.items() if t in counts and counts[t] != n]
    if latest != manifest.latest_revision or wrong:
        raise IpdataError(
            f"读入的备份与其清单不符（最新第 {latest} 版，清单记为第 {manifest.latest_revision} 版"
            + (f"；{'、'.join(wrong)} 的行数不同" if wrong else "") + "），未恢复任何数据。",
            hint="换一份完好的备份；或把备份目录发给维护人员。")


def _record(con: duckdb.DuckDBPyConnection, manifest: Manifest, root: Path, user: str,
            replaced_revision: int | None, safety: Path | None, with_users: bool) -> None:
    """The restore in the audit, and a new generation: the pages' caches see other data."""
    con.execute("INSERT INTO restores VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), (user or "").strip() or "unknown", str(root),
        manifest.created_at, int(manifest.latest_revision), replaced_revision,
        None if safety is None else str(safety), with_users])
    con.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", [uuid.uuid4().hex])


__all__ = ["Manifest", "Restored", "StoreFileError", "backup", "read_manifest", "restore", "safety_dir"]
