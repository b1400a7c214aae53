"""数据管理: what the data page shows around an import or a rollback, computed without Streamlit.

An import is checked once (`prepare_import`), shown, and on confirmation exactly that checked
upload is applied, unless the store changed in between (`is_stale`: then check again). A rollback
is previewed the same way (`preview_rollback`) before `Store.rollback` does it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

import pandas as pd

from ipdata import service, words
from ipdata.auth import User, require
from ipdata.catalogue import Plan
from ipdata.errors import IpdataError, Report
from ipdata.ingest.upload import Upload
from ipdata.outputs.workbook import export_workbook
from ipdata.store import ApplyResult, Changes, Store
from ipdata.template import write_template
from ipdata.views import local_time

CHANGE_LABELS = {"new": "新增", "changed": "修改", "unchanged": "未变", "removed": "删除"}
TABLE_LABELS = {"values": "数值", "targets": "分解目标", "tasks": "任务进度", "notes": "指标备注"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告"}


UPLOAD_TYPES = ("xlsx", "xlsm", "xls", "ods")  # what the uploader takes; ingest reads each of them


def upload_help(max_bytes: int) -> str:
    """The caption above the uploader: the limit and the file types in full, and what the page
    does with the file."""
    mb = max_bytes // 2**20
    return (f"把文件拖到下面的框里，或点框中的“上传”选择文件。每个文件不超过 {mb} MB，可上传 .xlsx、.xlsm、"
            ".xls（Excel 97-2003）和 .ods（WPS、LibreOffice）表格。"
            "上传后先检查并列出将要改动的数据，点“确认导入”之前不会改动任何已保存的数据。")


def export_file_name(plan: Plan, today: dt.date | None = None, demo: bool = False) -> str:
    """<plan name>_全部数据_20261130.xlsx; <plan name>_全部数据_示例数据_20261130.xlsx while the
    store holds demo data."""
    return f"{words.file_stem(plan, '全部数据', demo, today)}.xlsx"


def template_file_name(plan: Plan) -> str:
    """<plan name>_填报模板.xlsx: a template says which plan it is for."""
    return f"{words.file_stem(plan, '填报模板', dated=False)}.xlsx"


def template_bytes(store: Store) -> bytes:
    buffer = io.BytesIO()
    write_template(buffer, store.plan)
    return buffer.getvalue()


def export_bytes(store: Store, people: bool = True) -> bytes:
    """导出全部数据 as bytes; `people=False` for a visitor (no operators, files, comments)."""
    buffer = io.BytesIO()
    export_workbook(store, buffer, people=people)
    return buffer.getvalue()


# --- showing a report and a change list ------------------------------------------------------

def problem_table(report: Report, severity: str | None = None) -> pd.DataFrame:
    """Every problem (or those of one severity), errors first: 级别, 工作表, 单元格, 问题."""
    shown = [p for p in [*report.errors, *report.warnings] if severity in (None, p.severity)]
    rows = [{"级别": SEVERITY_LABELS[p.severity], "工作表": p.sheet or "", "单元格": p.cell or "",
             "问题": p.message} for p in shown]
    return pd.DataFrame(rows, columns=["级别", "工作表", "单元格", "问题"])


def revision_warning_table(store: Store, revision_id: int) -> pd.DataFrame:
    """The warnings a revision's upload was imported with: 工作表, 单元格, 问题."""
    w = store.revision_warnings(revision_id)
    return pd.DataFrame({"工作表": w["sheet"].fillna(""), "单元格": w["cell"].fillna(""), "问题": w["message"]},
                        columns=["工作表", "单元格", "问题"]).astype(object)


def warning_revisions(revisions: pd.DataFrame) -> dict[int, str]:
    """Revisions imported with warnings, newest first, labelled for a choice."""
    with_warnings = revisions[revisions["n_warnings"] > 0].iloc[::-1]
    return {int(r["id"]): f"第 {r['id']} 版 · {r['file_name'] or ''} · {r['n_warnings']} 个警告"
            for r in with_warnings.to_dict("records")}


def demo_removal_notice(changes: Changes) -> str | None:
    """What an official import does to the demo data, or None when there is none to remove."""
    if not changes.n_demo_removed:
        return None
    return (f"将删除示例数据 {changes.n_demo_removed} 项：数据库中现有的示例数据（虚构的数值、分解目标和任务进度）"
            "将在本次导入中全部删除，正式数据不与示例数据混在一起；确认后“示例数据”标记随之消失。"
            "如需再看示例数据，可在“回滚”中恢复到导入前的版本。")


def _fmt(v: object) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, int | float):
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.6f}".rstrip("0").rstrip(".")
    return str(v)


def change_table(changes: Changes, which: tuple[str, ...] = ("new", "changed", "removed")) -> pd.DataFrame:
    """Rows of `changes` whose change is in `which`: 变化, 类型, 名称, 地区, 年份, 原值, 新值, 单位.

    For task progress the 名称 is "编号 任务名" and there is no region or year.
    """
    rows = changes.rows[changes.rows["change"].isin(which)]
    name = [f"{t} {n}" if tab == "tasks" else n
            for tab, t, n in zip(rows["table"], rows["task_id"], rows["name"], strict=True)]
    return pd.DataFrame({
        "变化": rows["change"].map(CHANGE_LABELS),
        "类型": rows["table"].map(TABLE_LABELS),
        "名称": name,
        "地区": rows["region"].map(_fmt),
        "年份": rows["year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
        "原值": rows["old"].map(_fmt),
        "新值": rows["new"].map(_fmt),
        "单位": rows["unit"].map(_fmt),
    }).reset_index(drop=True)


def same_file_revision(store: Store, sha256: str) -> int | None:
    """The latest import of a file with exactly these bytes, if any."""
    revs = store.revisions()
    same = revs[(revs["sha256"] == sha256) & (revs["kind"] != "rollback")]
    return None if same.empty else int(same["id"].max())


# --- import: check, show, confirm -------------------------------------------------------------

@dataclass(frozen=True)
class PendingImport:
    """A checked file waiting for confirmation: the bytes, what they were checked against, the result."""

    file_name: str
    data: bytes
    sha256: str
    base_revision: int  # store.latest_revision_id() when checked
    upload: Upload
    changes: Changes | None  # None when the file has errors

    @property
    def valid(self) -> bool:
        return self.changes is not None

    @property
    def noop(self) -> bool:
        return self.changes is not None and self.changes.is_noop

    def noop_message(self, store: Store) -> str:
        same = same_file_revision(store, self.sha256)
        return "文件内容与当前数据完全相同，无需导入" + (f"（与第 {same} 版导入的文件相同）" if same else "") + "。"

    @property
    def warnings(self) -> int:
        return len(self.upload.report.warnings)

    def refusal(self) -> IpdataError:
        errors = self.upload.report.errors
        return IpdataError(f"文件“{self.file_name}”有 {len(errors)} 个错误，不能导入；已保存的数据没有任何改动。",
                           hint="按上表修改文件中标出的单元格后重新上传。")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare_import(store: Store, data: bytes, file_name: str) -> PendingImport:
    """Check a file against the current data. Writes nothing."""
    base = store.latest_revision_id()
    upload, changes = service.check_file(store, data, file_name)
    return PendingImport(file_name, bytes(data), sha256(data), base, upload, changes)


def is_stale(store: Store, pending: PendingImport | RollbackPreview) -> bool:
    """Whether the store has a new revision since the preview was made (then preview again)."""
    return store.latest_revision_id() != pending.base_revision


WARNINGS_CHECKED = "已核对以上警告中的数据"  # the tick a file with warnings needs before it is imported


def confirm_import(store: Store, pending: PendingImport, user: User, comment: str | None = None, *,
                   warnings_checked: bool = False) -> ApplyResult:
    """Apply exactly the checked upload, with its warnings and the optional comment (说明).

    Refused unless a statistician or admin is signed in, for an invalid file, when the bytes no
    longer match what was checked, or for a file with warnings unless `warnings_checked` (the
    statistician ticked that the figures they name were checked)."""
    require(user, action="导入数据")
    if not pending.valid:
        raise pending.refusal()
    if sha256(pending.data) != pending.sha256 or pending.upload.sha256 != pending.sha256:
        raise IpdataError("待导入的文件与预览时的文件不一致，未导入任何数据。", hint="请重新上传文件。")
    if pending.warnings and not warnings_checked:
        raise IpdataError(f"文件“{pending.file_name}”有 {pending.warnings} 个警告，请先逐条核对警告中的数据，"
                          f"勾选“{WARNINGS_CHECKED}”后再确认导入；未导入任何数据。",
                          hint="警告不阻止导入：数据无误时勾选后确认，可在“说明”中写明核对情况；数据有误时修改文件后重新上传。")
    return store.apply(pending.upload, user=user.name, comment=(comment or "").strip() or None)


# --- rollback preview -------------------------------------------------------------------------

@dataclass(frozen=True)
class RollbackPreview:
    target: int  # restore the state right after this revision
    base_revision: int  # latest revision when previewed
    changes: Changes


def preview_rollback(store: Store, revision_id: int) -> RollbackPreview:
    """What `store.rollback(revision_id)` would change now. Writes nothing; IpdataError for an
    unknown revision."""
    base, changes = store.preview_rollback(revision_id)
    return RollbackPreview(int(revision_id), base, changes)


def rollback_options(revisions: pd.DataFrame) -> dict[int, str]:
    """Revisions one can roll back to (all but the latest), newest first, with a readable label."""
    labels = {}
    for r in revisions.iloc[:-1][::-1].to_dict("records"):
        what = next((x for x in (r["file_name"], r["comment"]) if isinstance(x, str) and x), "")
        labels[int(r["id"])] = f"第 {r['id']} 版 · {local_time(r['created_at'], minutes_only=True)} · {r['user']}" + (
            f" · {what}" if what else "")
    return labels
