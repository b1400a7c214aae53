"""Backup and restore: a consistent copy of one store, checked by sha256 when it comes back.

A backup directory holds
  database/      DuckDB `EXPORT DATABASE` (schema.sql, load.sql, one parquet file per table)
  全部数据.xlsx   every current value, target and task status plus the revision log (re-importable)
  manifest.json  time, plan, latest revision, row counts and the sha256 of every file above

Everything is written while this process holds the database file (the in-process file lock plus
an open connection), so no other thread or process can write in between: the export and the
workbook show the same revision. `restore` checks every sha256 first and then imports the whole
export in one transaction into a new or empty file (or, with `force`, replacing what is there):
the target holds either its old content or the backup, never a mix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ipdata.catalogue import Plan, load_plan
from ipdata.errors import IpdataError
from ipdata.store import SCHEMA_VERSION, Store
from ipdata.store.connection import DEFAULT_BUSY_TIMEOUT, connect, file_lock, sql_text, transaction
from ipdata.store.schema import existing_tables

MANIFEST = "manifest.json"
DATABASE_DIR = "database"
WORKBOOK = "全部数据.xlsx"
FORMAT = "ipdata-backup"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Manifest:
    created_at: str
    plan_id: str
    schema_version: int
    latest_revision: int
    counts: dict[str, int]  # rows in the current state: values, targets, tasks; and revisions
    files: dict[str, str]  # path relative to the backup directory (posix) -> sha256

    def as_json(self) -> str:
        return json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, **self.__dict__},
                          ensure_ascii=False, indent=1, sort_keys=True)


def backup(store: Store, out_dir: Path | str) -> Manifest:
    """Write a consistent backup of `store` into `out_dir` (new or empty directory)."""
    out = Path(out_dir).resolve()
    if not store.path.exists():
        raise IpdataError(f"数据库文件不存在：{store.path}", hint="检查 --db 或 IPDATA_DB 指向的文件。")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise IpdataError(f"备份目录 {out} 已存在且不是空目录，未写入任何内容。",
                          hint="为每次备份指定一个新的目录，例如带上日期：backup/2025-01-31。")
    from ipdata.export import export_workbook  # openpyxl only when a backup is made

    # Holding the file lock and a connection keeps other threads and processes out until the
    # export and the workbook are both written; the store's own calls below re-enter the lock.
    # The manifest is written last: a directory without one (a failed backup) is refused by
    # `restore`.
    with file_lock(store.path), connect(store.path, store.busy_timeout) as con:
        out.mkdir(parents=True, exist_ok=True)
        con.execute(f"EXPORT DATABASE {sql_text(str(out / DATABASE_DIR))} (FORMAT parquet)")
        export_workbook(store, out / WORKBOOK)
        latest = store.latest_revision_id()
        counts = {"values": len(store.values()), "targets": len(store.targets()),
                  "tasks": len(store.task_progress()), "revisions": len(store.revisions())}
    manifest = Manifest(
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        plan_id=store.plan.id, schema_version=SCHEMA_VERSION, latest_revision=latest,
        counts=counts, files=_hashes(out),
    )
    (out / MANIFEST).write_text(manifest.as_json(), encoding="utf-8")
    return manifest


def read_manifest(backup_dir: Path | str) -> Manifest:
    """The manifest of a backup directory, after checking every file against its sha256."""
    root = Path(backup_dir).resolve()
    try:
        raw = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IpdataError(f"{root} 不是 ipdata 备份目录（缺少或无法读取 {MANIFEST}）",
                          hint="指定 `python -m ipdata backup` 写出的目录。") from exc
    if raw.get("format") != FORMAT or raw.get("format_version") != FORMAT_VERSION:
        raise IpdataError(f"{root / MANIFEST} 不是本程序能识别的备份清单",
                          hint="用同一版本 ipdata 写出的备份恢复。")
    manifest = Manifest(**{k: raw[k] for k in Manifest.__dataclass_fields__})
    found = _hashes(root)
    bad = [name for name, sha in manifest.files.items() if found.get(name) != sha]
    if bad:
        raise IpdataError(
            f"备份不完整或已被改动，未恢复任何数据：{'、'.join(bad)} 与清单记录的 sha256 不符或缺失",
            hint="换一份完好的备份；备份目录中的文件不要手工修改。",
        )
    return manifest


def restore(
    backup_dir: Path | str, db: Path | str, plan: Plan | str | None = None, *, force: bool = False,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
) -> tuple[Store, Manifest]:
    """Bring a backup back into `db` (new or empty; with `force`, replace its content)."""
    root = Path(backup_dir).resolve()
    manifest = read_manifest(root)
    if not isinstance(plan, Plan):
        plan = load_plan(plan or manifest.plan_id)
    if plan.id != manifest.plan_id:
        raise IpdataError(f"备份属于规划“{manifest.plan_id}”，与指定的规划“{plan.id}”不符",
                          hint="不加 --plan 即按备份中的规划恢复。")
    path = Path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    new_file = not path.exists()
    try:
        return _restore_into(path, root, plan, manifest, force, busy_timeout)
    except BaseException:
        if new_file:  # a failed restore into a new path leaves no half-made database behind
            for leftover in (path, path.with_name(path.name + ".wal")):
                leftover.unlink(missing_ok=True)
        raise


def _restore_into(path: Path, root: Path, plan: Plan, manifest: Manifest, force: bool,
                  busy_timeout: float) -> tuple[Store, Manifest]:
    with file_lock(path), connect(path, busy_timeout) as con, transaction(con):
        tables = existing_tables(con)
        revisions = _count_revisions(con) if "revisions" in tables else 0
        if revisions and not force:
            raise IpdataError(
                f"数据库 {path} 中已有 {revisions} 个版本的数据，未恢复（不会覆盖已有数据）。",
                hint="恢复到一个新的数据库文件（--db 新文件.duckdb）；确需覆盖时加 --force，"
                     "覆盖前最好先备份该数据库。",
            )
        for table in tables:
            con.execute(f'DROP TABLE "{table}"')
        con.execute(f"IMPORT DATABASE {sql_text(str(root / DATABASE_DIR))}")
    store = Store(path, plan, busy_timeout=busy_timeout)
    if store.latest_revision_id() != manifest.latest_revision:
        raise IpdataError(f"恢复后的最新版本为第 {store.latest_revision_id()} 版，与备份记录的第 "
                          f"{manifest.latest_revision} 版不符", hint="请把备份目录发给维护人员。")
    return store, manifest


def _count_revisions(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT count(*) FROM revisions").fetchone()[0])


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file() and p.name != MANIFEST
    }
