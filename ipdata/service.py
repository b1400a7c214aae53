"""Entry points shared by the CLI and the pages: load → validate/process → save a revision.

Pages and the CLI call these and never touch ingest or DuckDB details themselves.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from ipdata import plans, settings
from ipdata.auth import ADMIN, User, local_operator, require
from ipdata.catalogue import Plan
from ipdata.demo import DEMO_FILE_NAME, demo_workbook
from ipdata.errors import IpdataError
from ipdata.ingest import Known, read_upload_isolated
from ipdata.ingest.upload import Upload
from ipdata.ingest.worker import warm_up
from ipdata.store import ApplyResult, Changes, Store
from ipdata.store.store import demo_over_official


def open_store(db: Path | str | None = None, plan: Plan | Path | str | None = None) -> Store:
    """The store at `db` (default IPDATA_DB) seen through `plan`: a Plan, a plan id, a plan file,
    or None for the default plan (plans.default_plan_id: IPDATA_PLAN, else the newest plan the
    store holds, else the newest plan file). A plan id the store holds works without its file."""
    path = Path(db) if db else settings.db_path()
    if not isinstance(plan, Plan):
        plan = plans.resolve(plan, path)
    return Store(path, plan, user=default_user())  # makes the directory, or says in Chinese why it cannot


def known_data(store: Store) -> Known:
    """What the store holds that an upload's plausibility checks compare with."""
    return Known.from_frames(store.values(), store.targets())


def default_user() -> str:
    user = settings.get("IPDATA_USER")
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def check_file(store: Store, source: Path | bytes, file_name: str | None = None) -> tuple[Upload, Changes | None]:
    """Read and validate a workbook; when valid, also what it would change. Writes nothing.

    The workbook is parsed in a worker process with memory and time limits (ingest/worker.py):
    a hostile file ends as a refusal in its report, never as a crash of this process."""
    warm_up()  # the worker's fork server starts while the store is read
    upload = read_upload_isolated(source, store.plan, file_name=file_name, known=known_data(store))
    changes = store.preview(upload) if upload.report.valid else None
    return upload, changes


def import_file(
    store: Store,
    source: Path | bytes,
    *,
    file_name: str | None = None,
    user: User,
    comment: str | None = None,
    kind: str = "import",
) -> tuple[Upload, ApplyResult]:
    """Validate and store one workbook as a revision; refuse (IpdataError) and change nothing if invalid.

    Returns the upload too, so that callers can show its warnings.
    """
    warm_up()
    upload = read_upload_isolated(source, store.plan, file_name=file_name, known=known_data(store))
    if not upload.report.valid:
        raise IpdataError(
            f"文件“{upload.file_name}”有 {len(upload.report.errors)} 个错误，未导入任何数据。",
            upload.report.problems,
            hint="按提示修改文件中标出的单元格后重新上传；已保存的数据没有任何改动。",
        )
    require(user, action="导入数据")
    return upload, store.apply(upload, user=user.name, comment=comment, kind=kind)


def rollback(store: Store, revision_id: int, user: User, comment: str | None = None) -> ApplyResult:
    """Restore the state after `revision_id` as a new revision (statisticians and admins only)."""
    require(user, action="回滚数据")
    return store.rollback(revision_id, user=user.name, comment=comment)


def update_plan(store: Store, user: User) -> str:
    """Confirm the pending change of the store's plan file (`store.plan_change`): it takes effect
    for every page and command and is recorded (admins only). Returns the Chinese message."""
    require(user, ADMIN, action="确认规划文件的改动")
    return store.update_plan(user.name)


def plan_has_data(store: Store) -> bool:
    """Whether the store holds any value or target of the plan's series, or any of its task
    progress or notes."""
    codes = list(store.plan.all_series)
    return (store.values()["series"].isin(codes).any() or store.targets()["series"].isin(codes).any()
            or not store.task_progress().empty or not store.notes().empty)


def load_demo(store: Store, *, if_empty: bool = False) -> ApplyResult | None:
    """Import the demo for the store's plan (ipdata/demo.py: invented figures for its goals) as a
    demo revision (its values, targets and task statuses are flagged 示例数据). Refused when the
    store holds official data: the two never mix, and the first official import removes the demo
    (see Store.apply). `if_empty`: only when the plan has no data yet (another plan's data in the
    same store do not count: `make run PLAN=…` shows that plan's demo)."""
    if if_empty and plan_has_data(store):
        return None
    if store.has_official_data():  # checked before making the workbook; Store.apply checks again
        raise demo_over_official()
    _, result = import_file(store, demo_workbook(store.plan), file_name=DEMO_FILE_NAME, user=local_operator("demo"),
                            comment="示例数据（虚构）", kind="demo")
    return result
