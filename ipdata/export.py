"""Export all current data as a workbook that imports back unchanged, plus the revision log."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook
from openpyxl.styles import Font

from ipdata.store import Store
from ipdata.template import write_template

REVISION_HEADERS = {
    "id": "版本号", "created_at": "时间(UTC)", "user": "操作人", "kind": "类型", "file_name": "文件名",
    "sha256": "文件SHA-256", "comment": "说明", "n_new": "新增", "n_changed": "修改",
    "n_removed": "删除", "rollback_to": "回滚到版本",
}
KIND_LABELS = {"import": "导入", "demo": "示例数据", "rollback": "回滚", "task-edit": "任务进度编辑"}


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (= + - @) is stored with a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def export_workbook(store: Store, out: Path | io.BytesIO) -> None:
    buffer = io.BytesIO()
    banner = "含示例数据（虚构，仅供演示）" if store.has_demo_data() else None
    write_template(buffer, store.plan, observations=store.values(), targets=store.targets(),
                   tasks=store.task_progress(), banner=banner)
    buffer.seek(0)
    wb = load_workbook(buffer)
    ws = wb.create_sheet("版本记录")
    revisions: pd.DataFrame = store.revisions()
    ws.append(list(REVISION_HEADERS.values()))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for rec in revisions.to_dict("records"):
        row = []
        for key in REVISION_HEADERS:
            v = rec.get(key)
            if key == "kind":
                v = KIND_LABELS.get(v, v)
            if v is None or (isinstance(v, float) and pd.isna(v)):
                v = None
            row.append(safe_cell(v if isinstance(v, int | float | str) or v is None else str(v)))
        ws.append(row)
    for col, width in zip("ABCDEFGHIJK", (8, 22, 12, 12, 28, 20, 30, 8, 8, 8, 10), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(out)
