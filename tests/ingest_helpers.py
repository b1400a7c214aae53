"""Helpers for ingest and template tests: workbooks built by openpyxl inside each test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook

from ipdata.catalogue import Plan, load_plan
from ipdata.ingest import read_upload
from ipdata.ingest.upload import Upload

PLAN: Plan = load_plan(Path(__file__).resolve().parent.parent / "data" / "plans" / "tongzhou-2022-2025.yaml")

# The statistician's own layout: title, note, header on row 3.
WIDE_HEADER = ["序号", "指标名称", "单位", "2021年", "2022年", "2023年"]


def write_book(path: Path, sheets: dict[str, list[list[Any]]], *, hidden: tuple[str, ...] = (),
               merges: dict[str, list[str]] | None = None, formats: dict[str, dict[str, str]] | None = None) -> Path:
    """Write rows (row 1 first) to a real .xlsx at `path`; None leaves a cell empty. `merges` and
    `formats` are per sheet: cell ranges to merge ("D4:F4"), number formats by cell ({"D4": "0.0%"})."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet_name, rows in sheets.items():
        ws = wb.create_sheet(sheet_name)
        for row in rows:
            ws.append(row)
        for cells in (merges or {}).get(sheet_name, []):
            ws.merge_cells(cells)
        for ref, fmt in (formats or {}).get(sheet_name, {}).items():
            ws[ref].number_format = fmt
        if sheet_name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def xlsx(tmp_path: Path, sheets: dict[str, list[list[Any]]], hidden: tuple[str, ...] = (),
         name: str = "upload.xlsx") -> Path:
    """Write rows (row 1 first) to tmp_path/name; None leaves a cell empty."""
    return write_book(tmp_path / name, sheets, hidden=hidden)


def wide(*rows: list[Any], header: list[Any] = WIDE_HEADER, title: str = "通州区知识产权主要指标") -> list[list[Any]]:
    """A wide table under a title row and a unit note row, header on row 3, data from row 4."""
    return [[title], ["单位：见各行", None, None, None, None, "填报日期：2024年1月"], header, *rows]


def read(tmp_path: Path, sheets: dict[str, list[list[Any]]], **kw: Any) -> Upload:
    return read_upload(xlsx(tmp_path, sheets, **kw), PLAN)


def tidy(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Rows of the chosen columns as plain tuples, for inline expected literals."""
    return [tuple(r) for r in frame[columns].itertuples(index=False, name=None)]


@pytest.fixture
def plan() -> Plan:
    return PLAN
