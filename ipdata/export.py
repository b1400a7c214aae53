"""Export all current data as a workbook that imports back unchanged, plus the revision log."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.styles import Font

from ipdata.inert import neutralise_workbook
from ipdata.store import Store
from ipdata.template import write_template
from ipdata.views import REVISION_HEADERS, REVISION_KIND_LABELS


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
    for r, rec in enumerate(revisions.to_dict("records"), start=2):
        for c, key in enumerate(REVISION_HEADERS, start=1):
            v = rec.get(key)
            if key == "kind":
                v = REVISION_KIND_LABELS.get(v, v)
            if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
                continue
            ws.cell(r, c, v if isinstance(v, int | float | str) else str(v))
    for col, width in zip("ABCDEFGHIJK", (8, 22, 12, 12, 28, 20, 30, 8, 8, 8, 10), strict=True):
        ws.column_dimensions[col].width = width
    neutralise_workbook(wb)  # comments, file names, user names: never a formula (ipdata.inert)
    wb.save(out)
