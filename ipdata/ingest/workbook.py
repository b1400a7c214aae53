"""Bytes -> sheets of plain cell values, or one plain Chinese problem when that is impossible.

python-calamine does the reading (a Rust parser, far faster than openpyxl on big files); openpyxl
is only the fallback for workbooks calamine refuses. Nothing here knows about indicators.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import python_calamine

from ipdata.errors import Problem
from ipdata.ingest.rawxml import Scan, scan

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc and password-protected .xlsx
_SAVE_AS = "请用 Excel 或 WPS 打开后“另存为” Excel 工作簿(.xlsx)，再重新上传。"


@dataclass
class Sheet:
    """One worksheet as a rectangular grid starting at A1 (row i, column j = Excel row i+1)."""

    name: str
    rows: list[list[Any]]
    hidden: bool = False

    @property
    def is_empty(self) -> bool:
        return not any(v not in (None, "") for row in self.rows for v in row)


MAX_UNPACKED_BYTES = 200 * 2**20  # ten times the upload limit: ordinary .xlsx XML packs about 5-10:1
MAX_PACKING_RATIO = 50  # far beyond real worksheets; a zip bomb packs 100-1000:1


def unreadable(message: str) -> Problem:
    return Problem("unreadable-file", message)


def sniff(data: bytes) -> Problem | None:
    """Say in plain words why these bytes are not an .xlsx workbook, or None if they may be."""
    if not data:
        return unreadable("文件是空的(0 字节)。请确认上传的是填好的 Excel 工作簿(.xlsx)。")
    if data.startswith(_OLE2_MAGIC):
        return unreadable(
            "这是旧版 Excel(.xls)文件(或设置了打开密码的文件)，无法读取。请另存为 .xlsx："
            "用 Excel 或 WPS 打开，选“文件→另存为→Excel 工作簿(*.xlsx)”，如有打开密码请先取消，再重新上传。"
        )
    if not data.startswith(b"PK"):
        head = data[:2048]
        looks_text = b"\x00" not in head and (b"," in head or b"\t" in head or b"\n" in head)
        what = "一个文本/CSV 文件" if looks_text else "不是 Excel 工作簿"
        return unreadable(f"文件内容{'是' if looks_text else ''}{what}(扩展名可能被改过)。{_SAVE_AS}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            unpacked = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        return unreadable(f"文件已损坏或不完整，无法作为 Excel 工作簿打开。{_SAVE_AS}")
    bomb_like = unpacked > 32 * 2**20 and unpacked > MAX_PACKING_RATIO * len(data)
    if unpacked > MAX_UNPACKED_BYTES or bomb_like:  # a zip bomb, or a sheet far beyond any district table
        return Problem("file-too-large", f"文件解压后有 {unpacked / 2**20:.0f} MB（压缩前仅 {len(data) / 2**20:.1f} MB），超过允许范围，"
                       "不像正常的填报表(可能含有大量空白或重复行)。请删除多余的行和工作表后再上传。")
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        return unreadable(f"文件是一个压缩包，但不是 Excel 工作簿。{_SAVE_AS}")
    return None


def load_sheets(data: bytes) -> tuple[list[Sheet] | None, list[Problem]]:
    """All worksheets of an .xlsx, or (None, [problem]) when the file cannot be read at all.

    A number shown as a percentage in Excel (0.16 in a cell formatted 0%) comes back as the text
    the statistician saw ("16%"), so that it is read exactly like a typed "16%".
    """
    problem = sniff(data)
    if problem:
        return None, [problem]
    # The raw-XML scan (zlib + regex) runs beside calamine's parse, which releases the GIL: on a
    # big sheet that hides the scan's ~0.1 s entirely.
    with ThreadPoolExecutor(1) as pool:
        raw = pool.submit(_scan, data)
        try:
            sheets = _with_calamine(data, raw.result)
        except Exception:  # calamine refuses some odd writers' files; openpyxl may still cope
            sheets = None
        found = raw.result()
    if sheets is not None:
        return sheets, found.formula_problems
    try:
        return _with_openpyxl(data, lambda: found), found.formula_problems
    except Exception:
        return None, [unreadable(f"文件无法作为 Excel 工作簿打开(可能已损坏)。{_SAVE_AS}")]


def _scan(data: bytes) -> Scan:
    try:
        return scan(data)
    except Exception:  # the raw XML is past what the regexes expect: read the cells as they are
        return Scan()


def _with_calamine(data: bytes, raw: Callable[[], Scan]) -> list[Sheet]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue  # chart sheets and macro sheets hold no cells
        sheet = book.get_sheet_by_name(meta.name)
        rows = sheet.to_python(skip_empty_area=False)
        _show_percents(rows, raw().percent_cells.get(meta.name))
        _fill_merged(rows, sheet.merged_cell_ranges or [])
        hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
        sheets.append(Sheet(meta.name, _rectangular(rows), hidden))
    return sheets


def _with_openpyxl(data: bytes, raw: Callable[[], Scan]) -> list[Sheet]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), data_only=True)
    sheets = []
    for ws in book.worksheets:
        rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
        merged = [((m.min_row - 1, m.min_col - 1), (m.max_row - 1, m.max_col - 1)) for m in ws.merged_cells.ranges]
        rows = _rectangular(rows)
        _show_percents(rows, raw().percent_cells.get(ws.title))
        _fill_merged(rows, merged)
        sheets.append(Sheet(ws.title, rows, ws.sheet_state != "visible"))
    return sheets


def percent_text(value: float) -> str:
    """0.16 -> "16%", 0.1234 -> "12.34%" (rounded to drop binary noise such as 16.000000000000004)."""
    return f"{round(value * 100, 9):.15g}%"


def _show_percents(rows: list[list[Any]], cells: set[tuple[int, int]] | None) -> None:
    for r, c in cells or ():
        if r < len(rows) and c < len(rows[r]):
            v = rows[r][c]
            if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
                rows[r][c] = percent_text(v)


def _rectangular(rows: list[list[Any]]) -> list[list[Any]]:
    """Pad ragged rows (calamine trims trailing empty cells) so that row[j] is always safe."""
    width = max(map(len, rows), default=0)
    rows = [r if isinstance(r, list) else list(r) for r in rows]
    for r in rows:
        if len(r) < width:  # padded in place: most rows of a big table are full already
            r.extend([""] * (width - len(r)))
    return rows


def _fill_merged(rows: list[list[Any]], ranges: list) -> None:
    """A merged cell's value belongs to every cell it covers (e.g. one 地区 merged over rows)."""
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows):
            continue
        anchor = rows[r0][c0] if c0 < len(rows[r0]) else ""
        if anchor in (None, ""):
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if row[c] in (None, ""):
                    row[c] = anchor
