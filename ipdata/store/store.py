"""The `Store`: append-only revisions of values, targets and task progress in one DuckDB file."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from ipdata.catalogue import Plan
from ipdata.errors import IpdataError
from ipdata.ingest.upload import Upload
from ipdata.store import revisions, schema
from ipdata.store.changes import ApplyResult, Changes, build_changes
from ipdata.store.connection import (
    DEFAULT_BUSY_TIMEOUT,
    connect,
    file_error,
    file_lock,
    transaction,
)
from ipdata.store.frames import normalise, set_demo
from ipdata.store.schema import SPECS, TARGETS, TASKS, VALUES

UPLOAD_KINDS = ("import", "demo", "task-edit")  # "rollback" revisions come only from rollback()



def demo_over_official() -> IpdataError:
    """The refusal of demo data for a store that holds official data (service.load_demo too)."""
    return IpdataError(
        "数据库中已有上传的正式数据，不能载入示例数据（示例数据与正式数据不能混在一起）。",
        hint="如需查看示例数据，请另用一个数据库文件，例如：python -m ipdata --db /tmp/demo.duckdb demo",
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """One database file holding one plan's data with its full revision history.

    No connection is kept between calls: every public method opens the file, works in a single
    transaction and closes it. A `Store` may therefore be shared between Streamlit threads, and
    other processes (the CLI) can use the file between calls; while another process holds the
    file, calls retry for `busy_timeout` seconds and then raise `StoreBusyError`.
    """

    def __init__(self, path: Path | str, plan: Plan, busy_timeout: float = DEFAULT_BUSY_TIMEOUT):
        self.path = Path(path)
        self.plan = plan
        self.busy_timeout = busy_timeout
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a read-only or missing parent: say so, not a traceback
            refusal = file_error(exc, self.path)
            if refusal is None:
                raise
            raise refusal from exc
        with self._writing() as con:
            self._ensure_schema(con)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, plan={self.plan.id!r})"

    # --- connections ---------------------------------------------------------------------

    @contextmanager
    def _session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open the file, run one transaction, close; one thread of this process at a time."""
        with file_lock(self.path), connect(self.path, self.busy_timeout) as con, transaction(con):
            yield con

    # Reads and writes take the same lock (see connection.file_lock); the two names only say
    # what the caller intends.
    _reading = _session
    _writing = _session

    def _ensure_schema(self, con: duckdb.DuckDBPyConnection) -> None:
        if "meta" not in schema.existing_tables(con):
            schema.create(con, self.plan, _now())
            return
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        version = int(meta.get("schema_version", "0"))
        if not 1 <= version <= schema.SCHEMA_VERSION:
            raise IpdataError(
                f"数据库 {self.path.name} 的结构版本为 {version}，本程序只支持版本 1 到 {schema.SCHEMA_VERSION}",
                hint="升级 ipdata 到与数据库相同的版本，或使用新的数据库文件。",
            )
        if meta.get("plan_id") != self.plan.id:
            raise IpdataError(
                f"数据库 {self.path.name} 属于规划“{meta.get('plan_id')}”，与当前规划“{self.plan.id}”不符",
                hint="设置 IPDATA_DB 指向该规划自己的数据库文件，或设置 IPDATA_PLAN 为数据库所属的规划。",
            )
        if version < schema.SCHEMA_VERSION:  # an older file: upgrade it in place, in this transaction
            schema.migrate(con, version)
        # The plan file may have been edited (a name fixed, a goal added): keep the copy current.
        if meta.get("catalogue_sha256") != schema.catalogue_digest(schema.catalogue_frame(self.plan)):
            schema.write_catalogue(con, self.plan)

    # --- reading -------------------------------------------------------------------------

    def values(self) -> pd.DataFrame:
        """Current observations: series, region, year, value, source, note, revision_id, is_demo."""
        with self._reading() as con:
            return revisions.read_state(con, VALUES)

    def targets(self) -> pd.DataFrame:
        """Current region targets: series, region, year, target, note, revision_id."""
        with self._reading() as con:
            return revisions.read_state(con, TARGETS)

    def task_progress(self) -> pd.DataFrame:
        """Current task progress: task_id, status, note, updated, revision_id."""
        with self._reading() as con:
            return revisions.read_state(con, TASKS)

    def revisions(self) -> pd.DataFrame:
        """Every revision, oldest first: id, created_at (UTC ISO), user, file_name, sha256, comment,
        kind, n_new, n_changed, n_removed, rollback_to, n_demo_removed, n_warnings."""
        with self._reading() as con:
            return revisions.read_revisions(con)

    def state_at(self, revision_id: int) -> dict[str, pd.DataFrame]:
        """{"values", "targets", "tasks"} as they stood right after `revision_id` (0: empty)."""
        with self._reading() as con:
            n = self._check_revision(con, revision_id)
            return {spec.name: revisions.read_state(con, spec, n) for spec in SPECS}

    def latest_revision_id(self) -> int:
        """0 for an empty store."""
        with self._reading() as con:
            return revisions.latest_revision_id(con)

    def cache_key(self) -> str:
        """Changes whenever what the store shows changes: the latest revision, and the store's
        generation, which a restore renews (a restored file may hold other data under the same
        revision number). Cheap, for the pages' caches."""
        with self._reading() as con:
            generation = con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
            return f"{generation[0] if generation else 0}:{revisions.latest_revision_id(con)}"

    def restores(self) -> pd.DataFrame:
        """Every restore from a backup into this file, oldest first (see ipdata.backup)."""
        with self._reading() as con:
            if "restores" not in schema.existing_tables(con):
                return pd.DataFrame(columns=schema.RESTORE_COLUMNS)
            return con.execute("SELECT * FROM restores ORDER BY restored_at").df()

    def has_demo_data(self) -> bool:
        """Whether any current value, target or task status is demo data (the UI then shows 示例数据)."""
        with self._reading() as con:
            return revisions.holds_demo(con)

    def has_official_data(self) -> bool:
        """Whether any current value, target or task status is official (not demo) data."""
        with self._reading() as con:
            return revisions.count_current(con, demo=False) > 0

    def revision_warnings(self, revision_id: int) -> pd.DataFrame:
        """The warnings the upload of `revision_id` was imported with, in report order:
        code, severity, sheet, cell, value, message (empty for a revision without any)."""
        with self._reading() as con:
            n = self._check_revision(con, revision_id)
            return revisions.read_problems(con, n, "warning")

    def catalogue(self) -> pd.DataFrame:
        """The plan's goals, series and task paragraphs as stored in the file."""
        with self._reading() as con:
            return con.execute("SELECT * FROM catalogue ORDER BY position").df()

    # --- writing -------------------------------------------------------------------------

    def preview(self, upload: Upload, kind: str = "import") -> Changes:
        """What `apply(upload, kind=kind)` would change against the current state. Writes nothing.

        Does not look at `upload.report`; `apply` refuses invalid uploads.
        """
        frames = self._frames(upload, kind)
        with self._reading() as con:
            return self._upload_changes(con, frames, kind)

    def apply(
        self, upload: Upload, user: str, comment: str | None = None, kind: str = "import"
    ) -> ApplyResult:
        """Merge the upload into the current state as one new revision (or none if nothing changed).

        Values absent from the upload are kept: yearly files carry only some years. Demo and
        official data never mix: an "import" into a store holding demo data removes every demo
        value, target and task status in the same revision; a "demo" upload into a store holding
        official data is refused; a "task-edit" made while the store holds demo data is demo data
        itself (it goes with the demo). The upload's warnings are kept with the revision.
        """
        if not upload.report.valid:
            errors = upload.report.errors
            raise IpdataError(
                f"文件有 {len(errors)} 个错误，未导入任何数据", errors,
                hint="按提示修改文件后重新上传。",
            )
        frames = self._frames(upload, kind)
        with self._writing() as con:
            changes = self._upload_changes(con, frames, kind)
            if changes.is_noop:
                return ApplyResult(None, changes, self._noop_message(con, upload))
            rev = revisions.next_revision_id(con)
            revisions.insert_revision(con, self._revision_row(
                rev, user, comment, kind, changes, upload.file_name, upload.sha256, None))
            for spec in SPECS:
                revisions.write_delta(con, spec, changes.deltas[spec.name], rev)
            revisions.insert_problems(con, rev, upload.report.warnings)
        return ApplyResult(rev, changes, f"已保存为第 {rev} 版：{changes.summary(applied=True)}。")

    def rollback(self, revision_id: int, user: str, comment: str | None = None) -> ApplyResult:
        """Restore the state right after `revision_id` exactly, as a new "rollback" revision.

        Keys that did not exist at `revision_id` get tombstones, so the rollback can be undone by
        rolling back to the revision before it. `revision_id` 0 empties the store.
        """
        with self._writing() as con:
            revision_id = self._check_revision(con, revision_id)
            changes = self._rollback_changes(con, revision_id)
            deltas = changes.deltas
            if changes.is_noop:
                return ApplyResult(None, changes, f"当前数据已与第 {revision_id} 版相同，未产生新版本。")
            rev = revisions.next_revision_id(con)
            revisions.insert_revision(con, self._revision_row(
                rev, user, comment, "rollback", changes, None, None, revision_id))
            for spec in SPECS:
                revisions.write_delta(con, spec, deltas[spec.name], rev)
        return ApplyResult(
            rev, changes, f"已恢复到第 {revision_id} 版的数据，保存为第 {rev} 版：{changes.summary()}。"
        )

    def preview_rollback(self, revision_id: int) -> tuple[int, Changes]:
        """(latest revision now, what `rollback(revision_id)` would change). Writes nothing.

        The same diff as `rollback` itself; confirm only while the latest revision is unchanged.
        """
        with self._reading() as con:
            revision_id = self._check_revision(con, revision_id)
            return revisions.latest_revision_id(con), self._rollback_changes(con, revision_id)

    # --- helpers -------------------------------------------------------------------------

    def _rollback_changes(self, con: duckdb.DuckDBPyConnection, revision_id: int) -> Changes:
        return build_changes(self.plan, {
            spec.name: revisions.diff(con, spec, revisions.state_sql(spec, revision_id), removals=True)
            for spec in SPECS
        })

    def _frames(self, upload: Upload, kind: str) -> dict[str, pd.DataFrame]:
        if kind not in UPLOAD_KINDS:
            raise ValueError(f"kind must be one of {UPLOAD_KINDS}, not {kind!r}")
        frames, problems = normalise(upload, self.plan, is_demo=(kind == "demo"))
        if problems:
            raise IpdataError(
                f"文件有 {len(problems)} 处数据无法保存，未导入任何数据", problems,
                hint="这通常是导入程序的缺陷：请把文件和这段提示发给维护人员。",
            )
        return frames

    def _upload_changes(
        self, con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame], kind: str
    ) -> Changes:
        """The diff of an upload of `kind`, after settling its provenance against the store."""
        holds_demo = revisions.holds_demo(con)
        if kind == "demo" and revisions.count_current(con, demo=False):
            raise demo_over_official()
        if kind == "task-edit" and holds_demo:
            for frame in frames.values():
                set_demo(frame, True)
        # an upload with nothing in it stays a no-op: it does not remove the demo on its own
        purge = kind == "import" and holds_demo and any(len(f) for f in frames.values())
        deltas = {}
        for spec in SPECS:
            name = f"_incoming_{spec.name}"
            con.register(name, frames[spec.name])
            try:
                deltas[spec.name] = revisions.diff(con, spec, spec.typed_select(name), purge_demo=purge)
            finally:
                con.unregister(name)
        return build_changes(self.plan, deltas, revisions.count_current(con, demo=True) if purge else 0)

    def _noop_message(self, con: duckdb.DuckDBPyConnection, upload: Upload) -> str:
        if upload.is_empty:
            return "文件中没有可导入的数据，未产生新版本。"
        text = "文件内容与当前数据完全相同，未产生新版本"
        same = revisions.revision_with_sha(con, upload.sha256) if upload.sha256 else None
        if same is not None:
            text += f"（与第 {same} 版导入的文件相同）"
        return text + "。"

    def _check_revision(self, con: duckdb.DuckDBPyConnection, revision_id: int) -> int:
        """The revision id as a plain int (numpy ints from a frame are fine), or a Chinese error."""
        latest = revisions.latest_revision_id(con)
        try:
            n = None if isinstance(revision_id, bool) else operator.index(revision_id)
        except TypeError:
            n = None
        if n is None or not 0 <= n <= latest:
            raise IpdataError(
                f"没有第 {revision_id} 版数据",
                hint=f"可用的版本为 0（空）到 {latest}，见“版本记录”。",
            )
        return n

    @staticmethod
    def _revision_row(
        rev: int, user: str, comment: str | None, kind: str, changes: Changes,
        file_name: str | None, sha256: str | None, rollback_to: int | None,
    ) -> dict:
        return {
            "id": rev, "created_at": _now(), "user": (user or "").strip() or "未署名", "file_name": file_name,
            "sha256": sha256, "comment": comment, "kind": kind, "n_new": changes.n_new,
            "n_changed": changes.n_changed, "n_removed": changes.n_removed,
            "rollback_to": rollback_to, "n_demo_removed": changes.n_demo_removed,
        }
