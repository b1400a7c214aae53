"""The `Store`: append-only revisions of values, targets and task progress in one DuckDB file."""

from __future__ import annotations

import contextlib
import datetime as dt
import operator
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from ipdata.catalogue import KIND_LABELS, Plan, load_plan
from ipdata.errors import IpdataError
from ipdata.ingest.upload import Upload
from ipdata.plans import PlanChange, describe_change, plan_file, unit_changes
from ipdata.store import registry, revisions, schema
from ipdata.store.changes import ApplyResult, Changes, build_changes
from ipdata.store.connection import (
    DEFAULT_BUSY_TIMEOUT,
    connect,
    file_error,
    file_lock,
    transaction,
)
from ipdata.store.frames import normalise, set_demo
from ipdata.store.registry import PlanRow
from ipdata.store.schema import NOTES, SPECS, TARGETS, TASKS, VALUES

UPLOAD_KINDS = ("import", "demo", "task-edit")  # "rollback" and "note" revisions have their own methods



def demo_over_official() -> IpdataError:
    """The refusal of demo data for a store that holds official data (service.load_demo too)."""
    return IpdataError(
        "数据库中已有上传的正式数据，不能载入示例数据（示例数据与正式数据不能混在一起）。",
        hint="如需查看示例数据，请另用一个数据库文件，例如：python -m ipdata --db /tmp/demo.duckdb demo",
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """One database file seen through one plan: the file holds the values of every plan (shared
    by series code), each plan's task progress and the full revision history.

    `plan` is a Plan (from its file: registered when the store does not hold it yet) or the id
    of a plan the store holds (its file may be gone). A plan file whose content differs from the
    version the store accepted does not take effect on its own: the store keeps using the
    accepted version (`plan`) and offers the change (`plan_change`) until `update_plan`
    confirms it. Several Store objects may look at one file through different plans.

    No connection is kept between calls: every public method opens the file, works in a single
    transaction and closes it. A `Store` may therefore be shared between Streamlit threads, and
    other processes (the CLI) can use the file between calls; while another process holds the
    file, calls retry for `busy_timeout` seconds and then raise `StoreBusyError`.
    """

    def __init__(self, path: Path | str, plan: Plan | str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
                 user: str = "unknown"):
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._offered = plan if isinstance(plan, Plan) else None  # the plan file, when given
        self._plan_id = plan.id if isinstance(plan, Plan) else str(plan)
        self._user = (user or "").strip() or "unknown"
        self.plan: Plan = self._offered  # type: ignore[assignment]  # settled below
        self.plan_change: PlanChange | None = None
        self._accepted_digest = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a read-only or missing parent: say so, not a traceback
            refusal = file_error(exc, self.path)
            if refusal is None:
                raise
            raise refusal from exc
        with self._writing() as con:
            prepare(con, self.path, self._offered, self._user)
            self._settle(con)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, plan={self._plan_id!r})"

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

    # --- the plan ------------------------------------------------------------------------

    def _settle(self, con: duckdb.DuckDBPyConnection) -> None:
        """Set `plan` and `plan_change` from the store's accepted version and the plan file;
        register a plan the store does not hold."""
        row = registry.read_row(con, self._plan_id)
        offered = self._offered
        if row is None:
            if offered is None:
                held = [r.id for r in registry.read_rows(con)]
                raise IpdataError(
                    f"数据库中没有规划“{self._plan_id}”，规划目录中也没有它的文件。",
                    hint=(f"数据库中的规划：{'、'.join(held)}。" if held else "")
                    + "把该规划的 YAML 文件放入规划目录(IPDATA_PLANS_DIR)，或用 --plan 指定一个已有的规划。")
            registry.register(con, offered, self._user, _now())
            self.plan, self.plan_change = offered, None
        elif offered is None or offered.digest == row.digest or offered.text == row.text:
            self.plan, self.plan_change = offered or registry.accepted_plan(row), None
            if offered is not None and (offered.digest, offered.text) != (row.digest, row.text):
                registry.refresh_text(con, offered)  # comments only, or a digest computed by other code
        else:
            accepted = registry.accepted_plan(row)
            if accepted.digest == offered.digest:  # comments or layout only: nothing to confirm
                registry.refresh_text(con, offered)
                self.plan, self.plan_change = offered, None
            else:
                self.plan, self.plan_change = accepted, self._change(con, accepted, offered)
        self._accepted_digest = registry.read_row(con, self._plan_id).digest

    def _reread_offered(self) -> None:
        """The plan file as it is now (it may have been edited and confirmed since this store was
        opened: the old text must not come back as a change)."""
        path = self._offered.path if self._offered is not None else None
        if path is not None and path.is_file():
            with contextlib.suppress(IpdataError):  # a broken edit: the stored version stays in use
                self._offered = plan_file(path)

    def _change(self, con: duckdb.DuckDBPyConnection, accepted: Plan, offered: Plan) -> PlanChange:
        """The pending change, with the reasons it cannot be accepted as it is: a series code
        that another plan of the store defines with another unit, or a unit (or cumulative kind)
        changed under values already stored (they were reported in the old one)."""
        refusals = registry.unit_conflicts(con, offered)
        for s in unit_changes(accepted, offered):
            n = revisions.count_series(con, s.code)
            if n:
                refusals.append(f"“{s.name}”(代码 {s.code})的单位由“{accepted.all_series[s.code].unit}”改为“{s.unit}”，"
                                f"而数据库中已有该代码按原单位填报的 {n} 项数据；请为新单位另起一个代码")
        for g in offered.goals:  # yearly new counts and yearly levels are different numbers
            before = accepted.goal_by_code.get(g.code)
            if before is not None and (before.kind == "cumulative") != (g.kind == "cumulative"):
                n = revisions.count_series(con, g.code)
                if n:
                    refusals.append(f"“{g.name}”(代码 {g.code})的类型由“{KIND_LABELS[before.kind]}”改为“{KIND_LABELS[g.kind]}”，"
                                    f"而数据库中已有该代码按原类型填报的 {n} 项数据；请另起一个代码")
        return PlanChange(offered.id, accepted, offered, tuple(describe_change(accepted, offered)), tuple(refusals))

    def update_plan(self, user: str) -> str:
        """Accept the plan file's version in place of the stored one (recorded with `user`);
        returns the Chinese message. Refused when the change cannot be accepted as it is (see
        `plan_change.refusals`); says so when there is nothing to confirm."""
        if self._offered is None:
            raise IpdataError(f"规划“{self._plan_id}”没有规划文件，无可更新的内容。",
                              hint=f"把新版本的规划文件 {self._plan_id}.yaml 放入规划目录后重试。")
        offered = self._offered
        with self._writing() as con:
            self._settle(con)  # another process may have confirmed it meanwhile
            change = self.plan_change
            if change is None:
                return f"规划“{offered.id}”的规划文件与已载入的版本相同，无需更新。"
            if change.refusals:
                raise IpdataError(f"规划“{offered.id}”的改动未生效：{'；'.join(change.refusals)}。",
                                  hint="按提示修改规划文件后，再运行 plan diff 查看、plan update 确认。")
            registry.replace(con, offered, (user or "").strip() or "未署名", _now(), change.accepted.digest,
                             change.summary)
            self._settle(con)
        return f"已更新规划“{offered.id}”（{len(change.lines)} 处改动）：{change.summary}。"

    def plan_history(self) -> pd.DataFrame:
        """Registrations and confirmed changes of this store's plans, oldest first: plan_id,
        changed_at (UTC ISO), user, action (register | update), old_digest, new_digest, summary."""
        with self._reading() as con:
            return registry.history(con)

    def plans(self) -> list[PlanRow]:
        """Every plan this store holds, by id."""
        with self._reading() as con:
            return registry.read_rows(con)

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
        """Current progress of this plan's tasks: task_id, status, note, updated, revision_id, is_demo."""
        with self._reading() as con:
            return self._own(revisions.read_state(con, TASKS))

    def notes(self) -> pd.DataFrame:
        """Current notes on this plan's goals: goal, year (0: the whole goal), kind, text,
        revision_id, is_demo (ipdata/notes.py reads them for pages, charts and the deck)."""
        with self._reading() as con:
            return self._own(revisions.read_state(con, NOTES))

    def _own(self, frame: pd.DataFrame) -> pd.DataFrame:
        """This plan's rows of a task or note frame, without the plan column (other plans number
        their tasks alike, and a note is about a goal of one plan)."""
        return frame[frame["plan_id"] == self.plan.id].drop(columns="plan_id").reset_index(drop=True)

    def revisions(self) -> pd.DataFrame:
        """Every revision of the store (all plans), oldest first: id, created_at (UTC ISO), user,
        file_name, sha256, comment, kind, n_new, n_changed, n_removed, rollback_to, n_demo_removed,
        n_warnings, plan_id (the plan the store was seen through; NULL: not recorded)."""
        with self._reading() as con:
            return revisions.read_revisions(con)

    def state_at(self, revision_id: int) -> dict[str, pd.DataFrame]:
        """{"values", "targets", "tasks", "notes"} as they stood right after `revision_id` (0:
        empty); tasks and notes are this plan's."""
        with self._reading() as con:
            n = self._check_revision(con, revision_id)
            state = {spec.name: revisions.read_state(con, spec, n) for spec in SPECS}
        for spec in (TASKS, NOTES):
            state[spec.name] = self._own(state[spec.name])
        return state

    def values_at(self, revision_id: int, series: Iterable[str] | None = None) -> pd.DataFrame:
        """Values as they stood right after `revision_id` (0: none), columns as `values()`; only
        those of the `series` codes when given (a goal's history reads its own rows)."""
        return self._series_state(VALUES, revision_id, series)

    def targets_at(self, revision_id: int, series: Iterable[str] | None = None) -> pd.DataFrame:
        """Region targets as they stood right after `revision_id`, as `values_at`."""
        return self._series_state(TARGETS, revision_id, series)

    def _series_state(self, spec: schema.TableSpec, revision_id: int, series: Iterable[str] | None) -> pd.DataFrame:
        with self._reading() as con:
            n = self._check_revision(con, revision_id)
            if series is None:
                return revisions.read_state(con, spec, n)
            return revisions.read_series_state(con, spec, n, list(series))

    def series_states(self, series: Iterable[str], revision_ids: Iterable[int]) -> dict[int, dict[str, pd.DataFrame]]:
        """{revision: {"values", "targets"}} of the `series` codes as they stood right after each
        of `revision_ids`, read in one go (a goal's history asks for twenty)."""
        with self._reading() as con:
            ids = [self._check_revision(con, n) for n in revision_ids]
            frames = {spec.name: revisions.read_series_states(con, spec, ids, list(series)) for spec in (VALUES, TARGETS)}
        out: dict[int, dict[str, pd.DataFrame]] = {}
        for n in ids:
            out[n] = {name: f[f["upto"] == n].drop(columns="upto").reset_index(drop=True) for name, f in frames.items()}
        return out

    def revisions_writing(self, series: Iterable[str], regions: Iterable[str] | None = None) -> list[int]:
        """Ids of the revisions that added, changed or removed a value or region target of any of
        the `series` codes (in one of `regions`, when given), oldest first. A revision that wrote
        only other series (another plan's), task progress or notes is not among them."""
        with self._reading() as con:
            return revisions.revisions_writing(con, list(series), None if regions is None else list(regions))

    def latest_revision_id(self) -> int:
        """0 for an empty store."""
        with self._reading() as con:
            return revisions.latest_revision_id(con)

    def cache_key(self) -> str:
        """Changes whenever what the store shows changes: the latest revision, and the store's
        generation, which a restore renews (a restored file may hold other data under the same
        revision number), and the accepted version of the plan: when another process confirmed a
        plan change (or a restore brought another version), this store takes it up here. Cheap,
        for the pages' caches."""
        with self._reading() as con:
            generation = con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchall()
            row = con.execute("SELECT digest FROM plans WHERE id = ?", [self._plan_id]).fetchall()
            if not row or row[0][0] != self._accepted_digest:
                self._reread_offered()
                self._settle(con)
            generation = generation[0][0] if generation else 0
            return f"{generation}:{revisions.latest_revision_id(con)}:{self._accepted_digest[:12]}"

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
        """The plan's goals, series and task paragraphs as stored in the file (its accepted version)."""
        with self._reading() as con:
            return con.execute("SELECT * EXCLUDE (plan_id) FROM catalogue WHERE plan_id = ? ORDER BY position",
                               [self.plan.id]).df()

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

    def preview_note(self, goal: str, year: int, kind: str, text: str | None) -> Changes:
        """What `save_note` would change (text None: remove the note). Writes nothing."""
        with self._reading() as con:
            return self._note_changes(con, goal, year, kind, text)

    def save_note(self, goal: str, year: int, kind: str, text: str | None, user: str,
                  comment: str | None = None) -> ApplyResult:
        """Write, replace (text given) or remove (text None) the note of `kind` on one goal of
        this plan for `year` (0: the whole goal) as one "note" revision, or none when nothing
        changes. ipdata/notes.py checks the note and the user first. A note written while the
        store holds demo data is demo data itself (it goes with the demo, as a task edit does)."""
        with self._writing() as con:
            changes = self._note_changes(con, goal, year, kind, text)
            if changes.is_noop:
                return ApplyResult(None, changes, "备注与当前内容相同，未产生新版本。")
            rev = revisions.next_revision_id(con)
            revisions.insert_revision(con, self._revision_row(rev, user, comment, "note", changes, None, None, None))
            revisions.write_delta(con, NOTES, changes.deltas[NOTES.name], rev)
        return ApplyResult(rev, changes, f"已保存为第 {rev} 版：{changes.summary(applied=True)}。")

    def _note_changes(self, con: duckdb.DuckDBPyConnection, goal: str, year: int, kind: str,
                      text: str | None) -> Changes:
        if goal not in self.plan.goal_by_code:  # the contract with ipdata/notes.py, which says it in words
            raise IpdataError(f"规划“{self.plan.id}”中没有指标代码“{goal}”，备注未保存。")
        key = {"goal": goal, "plan_id": self.plan.id, "year": int(year), "kind": kind}
        if text is None:
            return build_changes(self.plan, {NOTES.name: revisions.removal(con, NOTES, key)})
        frame = pd.DataFrame([{**key, "text": text}]).astype({"year": "Int64"})
        set_demo(frame, revisions.holds_demo(con))
        con.register("_incoming_notes", frame)
        try:
            delta = revisions.diff(con, NOTES, NOTES.typed_select("_incoming_notes"))
        finally:
            con.unregister("_incoming_notes")
        return build_changes(self.plan, {NOTES.name: delta})

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

    def _revision_row(
        self, rev: int, user: str, comment: str | None, kind: str, changes: Changes,
        file_name: str | None, sha256: str | None, rollback_to: int | None,
    ) -> dict:
        return {"plan_id": self.plan.id,
            "id": rev, "created_at": _now(), "user": (user or "").strip() or "未署名", "file_name": file_name,
            "sha256": sha256, "comment": comment, "kind": kind, "n_new": changes.n_new,
            "n_changed": changes.n_changed, "n_removed": changes.n_removed,
            "rollback_to": rollback_to, "n_demo_removed": changes.n_demo_removed,
        }


def prepare(con: duckdb.DuckDBPyConnection, path: Path, offered: Plan | None, user: str) -> None:
    """Create the tables of a new file, or bring an older one to the current schema in place (in
    the caller's transaction: a failed upgrade leaves the file as it was). A file of versions 1-4
    held one plan (meta.plan_id): the upgrade registers it, from `offered` when that is the same
    plan, else from its file in the plans directory."""
    if "meta" not in schema.existing_tables(con):
        schema.create(con, _now())
        return
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    version = int(meta.get("schema_version", "0"))
    if not 1 <= version <= schema.SCHEMA_VERSION:
        raise IpdataError(
            f"数据库 {path.name} 的结构版本为 {version}，本程序只支持版本 1 到 {schema.SCHEMA_VERSION}",
            hint="升级 ipdata 到与数据库相同的版本，或使用新的数据库文件。",
        )
    if version == schema.SCHEMA_VERSION:
        return
    if version >= 5:  # its plans are registered already: only tables change (5 -> 6: goal_notes)
        schema.migrate(con, version, "")
        return
    old_id = meta.get("plan_id") or ""
    if offered is not None and offered.id == old_id:
        held = offered
    else:
        try:
            held = load_plan(old_id)
        except IpdataError as exc:
            raise IpdataError(
                f"数据库 {path.name} 由较早的版本写出，其中的数据属于规划“{old_id}”；升级数据库需要读取该规划的文件，"
                f"但没有读到：{exc.message}",
                exc.problems, hint=f"把规划文件 {old_id}.yaml 放入规划目录(IPDATA_PLANS_DIR)后重试；数据库没有改动。",
            ) from exc
    schema.migrate(con, version, old_id)
    registry.register(con, held, user, _now(), registered_at=meta.get("created_at"),
                      summary=f"数据库由结构版本 {version} 升级到 {schema.SCHEMA_VERSION}：原有数据均属于这个规划")


def stored_plans(path: Path | str) -> list[PlanRow]:
    """The plans the store file at `path` holds (none when the file does not exist), read without
    opening the store through a plan. A file of an older version holds the one plan in its meta
    (years and title from its plan file when there is one; it has no stored text yet)."""
    path = Path(path)
    if not path.exists():
        return []
    with file_lock(path), connect(path) as con, transaction(con):
        tables = schema.existing_tables(con)
        if "plans" in tables:
            return registry.read_rows(con)
        if "meta" not in tables:
            return []
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    old_id = meta.get("plan_id")
    if not old_id:
        return []
    try:
        plan = load_plan(old_id)
    except IpdataError:
        return [PlanRow(old_id, old_id, 0, 0, 0, None, "", "", "", "", "", "")]
    return [PlanRow(old_id, plan.title, plan.base_year, plan.target_year, len(plan.goals), f"{old_id}.yaml", "", "",
                    "", "", "", "")]
