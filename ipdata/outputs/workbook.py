"""Export all current data as a workbook that imports back unchanged, plus the revision log
(without operators, file names and comments for visitors: ipdata.audit says who may see people)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ipdata.audit import PUBLIC_REVISION_FIELDS
from ipdata.inert import neutralise_workbook
from ipdata.store import Store
from ipdata.template import write_template
from ipdata.views import REVISION_HEADERS, REVISION_KIND_LABELS

WIDTHS = {"id": 8, "created_at": 22, "user": 12, "kind": 12, "file_name": 28, "sha256": 20, "comment": 30,
          "n_new": 8, "n_changed": 8, "n_removed": 8, "n_demo_removed": 10}


def export_workbook(store: Store, out: Path | io.BytesIO, people: bool = True) -> None:
    """`people`: the 版本记录 sheet names operators, files and comments (statisticians, admins,
    the CLI); a visitor's export has versions, times and kinds of change only."""
    buffer = io.BytesIO()
    banner = "含示例数据（虚构，仅供演示）" if store.has_demo_data() else None
    write_template(buffer, store.plan, observations=store.values(), targets=store.targets(),
                   tasks=store.task_progress(), banner=banner)
    buffer.seek(0)
    wb = load_workbook(buffer)
    ws = wb.create_sheet("版本记录")
    revisions: pd.DataFrame = store.revisions()
    fields = list(REVISION_HEADERS) if people else list(PUBLIC_REVISION_FIELDS)
    ws.append([REVISION_HEADERS[f] for f in fields])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, rec in enumerate(revisions.to_dict("records"), start=2):
        for c, key in enumerate(fields, start=1):
            v = rec.get(key)
            if key == "kind":
                v = REVISION_KIND_LABELS.get(v, v)
            if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
                continue
            ws.cell(r, c, v if isinstance(v, int | float | str) else str(v))
    for c, key in enumerate(fields, start=1):
        if key in WIDTHS:
            ws.column_dimensions[get_column_letter(c)].width = WIDTHS[key]
    neutralise_workbook(wb)  # comments, file names, user names: never a formula (ipdata.inert)
    wb.save(out)
