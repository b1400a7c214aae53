"""重点任务: the plan's task paragraphs with their progress, unit filter, and statisticians' edits.

The page only lays out these frames; an edit is saved as an `Upload` with only the `tasks`
frame, so it becomes a revision like any import (kind "task-edit") and can be rolled back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from ipdata.auth import User, require
from ipdata.catalogue import Plan, TaskParagraph
from ipdata.errors import IpdataError, Problem, Report
from ipdata.ingest.upload import TASK_COLUMNS, TASK_STATUSES, Upload
from ipdata.store import ApplyResult, Store
from ipdata.views import beijing_today

NOT_REPORTED = "未填报"  # no progress stored yet for this paragraph (not a status one can choose)
# Okabe-Ito colours (colour-blind safe), as in ipdata/figures/theme.py: 已完成 green like a goal that is
# done, 推进中 sky blue like "on track"; orange/vermillion stay reserved for goals falling behind.
# The label is always shown in text as well.
TASK_STATUS_COLOURS = {"未启动": "#999999", "推进中": "#56B4E9", "已完成": "#009E73", NOT_REPORTED: "#DDDDDD"}
STATUS_ORDER = (*TASK_STATUSES, NOT_REPORTED)
EDIT_SHEET = "重点任务"  # where edit problems are located (the page's table, not a file)
SHORT_TEXT = 40

TABLE_COLUMNS = ["编号", "部分", "任务", "内容", "全文", "牵头单位", "责任单位", "状态", "进展说明", "更新日期"]


def section_label(t: TaskParagraph) -> str:
    return f"（{t.section_number}）{t.section_title}"


def task_label(t: TaskParagraph) -> str:
    return f"{t.task_number}. {t.task_title}"


def short_text(text: str, limit: int = SHORT_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


def units(plan: Plan) -> list[str]:
    """Every unit the plan names for a task (lead or by duty), in order of first mention."""
    seen: dict[str, None] = {}
    for t in plan.tasks:
        for u in (*t.lead, *t.by_duty):
            seen.setdefault(u, None)
    return list(seen)


def task_table(plan: Plan, progress: pd.DataFrame) -> pd.DataFrame:
    """One row per paragraph, plan order, Chinese headers; paragraphs without progress are 未填报."""
    by_id = {r["task_id"]: r for r in progress.to_dict("records")} if not progress.empty else {}
    rows = []
    for t in plan.tasks:
        p = by_id.get(t.id, {})
        rows.append({
            "编号": t.id, "部分": section_label(t), "任务": task_label(t), "内容": short_text(t.text),
            "全文": t.text, "牵头单位": "、".join(t.lead), "责任单位": "、".join(t.by_duty),
            "状态": p.get("status") or NOT_REPORTED, "进展说明": p.get("note") or "",
            "更新日期": p.get("updated") or "",
        })
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def filter_tasks(table: pd.DataFrame, plan: Plan, unit: str | None = None,
                 statuses: Iterable[str] | None = None) -> pd.DataFrame:
    """Rows of `task_table` whose paragraph names `unit` (lead or by duty) and whose status is in
    `statuses`; None (or empty) means no filter."""
    keep = pd.Series(True, index=table.index)
    if unit:
        ids = {t.id for t in plan.tasks if unit in t.lead or unit in t.by_duty}
        keep &= table["编号"].isin(ids)
    statuses = list(statuses or [])
    if statuses:
        keep &= table["状态"].isin(statuses)
    return table[keep]


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    """Paragraphs per status, in STATUS_ORDER (未填报 only when some have none)."""
    counts = table["状态"].value_counts()
    out = {s: int(counts.get(s, 0)) for s in TASK_STATUSES}
    if counts.get(NOT_REPORTED, 0):
        out[NOT_REPORTED] = int(counts[NOT_REPORTED])
    return out


def _text(v: object) -> str | None:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return None
    s = str(v).strip()
    return s or None


def edit_upload(plan: Plan, edits: pd.DataFrame, progress: pd.DataFrame,
                today: dt.date | None = None) -> Upload:
    """The edited rows (编号, 状态, 进展说明) that differ from `progress`, as an Upload of tasks only.

    Changed rows get 更新日期 = today. Problems (unknown 编号, a status not in TASK_STATUSES, a note
    without a status) go into `upload.report`, located by the row of the edited table.
    """
    today = today or beijing_today()  # the statistician's date, not the server zone's
    known = {t.id for t in plan.tasks}
    current = {r["task_id"]: r for r in progress.to_dict("records")} if not progress.empty else {}
    report, records = Report(), []
    for i, row in enumerate(edits.to_dict("records"), start=1):
        task_id, status, note = _text(row.get("编号")), _text(row.get("状态")), _text(row.get("进展说明"))
        where = {"sheet": EDIT_SHEET, "row": i}  # row of the page's table; no cell
        if task_id not in known:
            report.add(Problem("task-unknown-id", f"任务编号“{task_id}”不在规划中。", value=task_id, **where))
            continue
        if status == NOT_REPORTED:
            status = None
        old = current.get(task_id, {})
        if status == _text(old.get("status")) and note == _text(old.get("note")):
            continue
        if status is None:
            report.add(Problem("task-missing-status", f"任务 {task_id} 没有选择状态；请选择 "
                               f"{'/'.join(TASK_STATUSES)} 之一。", **where))
            continue
        if status not in TASK_STATUSES:
            report.add(Problem("task-bad-status", f"任务 {task_id} 的状态“{status}”无效；请选择 "
                               f"{'/'.join(TASK_STATUSES)} 之一。", value=status, **where))
            continue
        records.append({"task_id": task_id, "status": status, "note": note, "updated": today.isoformat(),
                        "sheet": EDIT_SHEET, "cell": f"A{i}"})
    tasks = pd.DataFrame(records, columns=TASK_COLUMNS).astype(object)
    return Upload(file_name="", sha256="", tasks=tasks, report=report)  # an edit has no file


def save_task_edits(store: Store, edits: pd.DataFrame, user: User, comment: str | None = None,
                    today: dt.date | None = None) -> ApplyResult:
    """Validate the edits and store them as one "task-edit" revision; IpdataError when refused
    (also when no statistician or admin is signed in)."""
    require(user, action="修改任务进度")
    upload = edit_upload(store.plan, edits, store.task_progress(), today)
    if not upload.report.valid:
        raise IpdataError(f"任务进度有 {len(upload.report.errors)} 处问题，未保存任何修改。",
                          upload.report.problems, hint="按提示改正后再保存。")
    if upload.is_empty:
        return ApplyResult(None, store.preview(upload, kind="task-edit"), "没有修改任何任务的状态或进展说明，未产生新版本。")
    return store.apply(upload, user=user.name, comment=comment or None, kind="task-edit")
