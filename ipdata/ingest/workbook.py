"""Bytes -> sheets of plain cell values, or one plain Chinese problem when that is impossible.

python-calamine does the reading of .xlsx, .xlsm, .xlsb, .xls and .ods (a Rust parser, far faster
than openpyxl on big files); a side scan per format (sidecar.py) adds what calamine does not tell;
openpyxl is only the fallback for .xlsx workbooks calamine refuses. Nothing here knows about
indicators.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import python_calamine

from ipdata.errors import Problem
from ipdata.ingest.sidecar import Scan, scan

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc and password-protected .xlsx
_SAVE_AS = "请用 Excel、WPS 或 LibreOffice 打开后“另存为” Excel 工作簿(.xlsx)，再重新上传。"
ACCEPTED = "Excel 工作簿(.xlsx、.xlsm)、Excel 97-2003 工作簿(.xls)或 OpenDocument 表格(.ods)"


@dataclass
class Sheet:
    """One worksheet as a rectangular grid starting at A1 (row i, column j = Excel row i+1)."""

    name: str
    rows: list[list[Any]]
    hidden: bool = False
    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    hidden_cols: set[int] = field(default_factory=set)

    @property
    def is_empty(self) -> bool:
        return not any(v not in (None, "") for row in self.rows for v in row)


MAX_UNPACKED_BYTES = 200 * 2**20  # ten times the upload limit: ordinary .xlsx XML packs about 5-10:1
MAX_PACKING_RATIO = 50  # far beyond real worksheets; a zip bomb packs 100-1000:1


def unreadable(message: str) -> Problem:
    return Problem("unreadable-file", message)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


_ENCRYPTED = ("这是设置了打开密码的加密工作簿，系统无法读取。请在 Excel 或 WPS 中打开(输入密码)，"
              "选“文件→信息→保护工作簿→用密码进行加密”(WPS：“文件→文档加密→密码加密”)，清空打开密码并保存，再重新上传。")
_IMAGES = ((b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"), (b"BM", "BMP"),
           (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"))


def _not_a_workbook(head: bytes) -> Problem | None:
    """What a file that is no zip and no OLE2 container really is, in words a statistician knows."""
    for magic, kind in _IMAGES:
        if head.startswith(magic):
            return unreadable(f"这是一张图片({kind})，不是表格，系统无法从图片中读出数字。请上传 Excel 或 WPS 表格文件本身"
                              f"(不是截图或照片)：{ACCEPTED}。")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return unreadable(f"这是一张图片(WEBP)，不是表格，系统无法从图片中读出数字。请上传表格文件本身：{ACCEPTED}。")
    if head.startswith(b"%PDF"):
        return unreadable(f"这是 PDF 文件，不是表格，系统无法从中读出数字。请上传制作这份 PDF 的 Excel 或 WPS 表格文件：{ACCEPTED}。")
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\r\n\t ").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")) or b"<html" in text[:1024] or (
            b"mime-version" in text[:512] and b"multipart/related" in text[:2048]):
        return unreadable("这是一个网页文件(HTML，常见于“另存为网页”或从网站/系统导出的 .xls)，扩展名虽是表格，内容却是网页，"
                          f"无法作为工作簿读取。{_SAVE_AS}")
    if text.startswith(b"<?xml"):
        what = ("Excel 2003 XML 表格" if b"urn:schemas-microsoft-com:office:spreadsheet" in head
                else "单文件 OpenDocument 表格(.fods)" if b"opendocument" in head else "XML 文件")
        return unreadable(f"这是{what}，不是系统能读取的工作簿格式。{_SAVE_AS}")
    looks_text = b"\x00" not in head and (b"," in head or b"\t" in head or b"\n" in head)
    if looks_text:
        return unreadable(f"这是一个 CSV/文本文件(用逗号或制表符分隔的纯文本)，不是 Excel 工作簿(扩展名可能被改过)。{_SAVE_AS}")
    return unreadable(f"文件内容不是 Excel 工作簿(扩展名可能被改过)。请上传{ACCEPTED}。")


def _ole2_kind(data: bytes) -> tuple[str | None, Problem | None]:
    """An OLE2 container holds an .xls, an encrypted .xlsx, or a Word/PowerPoint file."""
    if _utf16("EncryptionInfo") in data or _utf16("EncryptedPackage") in data:
        return None, unreadable(_ENCRYPTED)
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "xls", None
    if _utf16("WordDocument") in data:
        return None, unreadable(f"这是 Word 文档(.doc)，不是表格。{_SAVE_AS}")
    if _utf16("PowerPoint Document") in data:
        return None, unreadable(f"这是 PowerPoint 演示文稿(.ppt)，不是表格。{_SAVE_AS}")
    return None, unreadable(f"文件无法作为 Excel 工作簿打开(旧版 Office 文件，但不是表格或已损坏)。{_SAVE_AS}")


def sniff_format(data: bytes) -> tuple[str | None, Problem | None]:
    """(format, None) for a workbook this reader takes — "xlsx" (also .xlsm), "xlsb", "xls",
    "ods" — or (None, problem) saying in plain words what the file really is."""
    if not data:
        return None, unreadable(f"文件是空的(0 字节)。请确认上传的是填好的表格：{ACCEPTED}。")
    if data.startswith(_OLE2_MAGIC):
        return _ole2_kind(data)
    if not data.startswith(b"PK"):
        return None, _not_a_workbook(data[:4096])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            unpacked = sum(i.file_size for i in zf.infolist())
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
            manifest = zf.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None, unreadable(f"文件已损坏或不完整，无法作为工作簿打开。{_SAVE_AS}")
    bomb_like = unpacked > 32 * 2**20 and unpacked > MAX_PACKING_RATIO * len(data)
    if unpacked > MAX_UNPACKED_BYTES or bomb_like:  # a zip bomb, or a sheet far beyond any district table
        return None, Problem("file-too-large", f"文件解压后有 {unpacked / 2**20:.0f} MB（压缩前仅 {len(data) / 2**20:.1f} MB），超过允许范围，"
                             "不像正常的填报表(可能含有大量空白或重复行)。请删除多余的行和工作表后再上传。")
    if "xl/workbook.xml" in names:
        return "xlsx", None
    if "xl/workbook.bin" in names:
        return "xlsb", None
    if b"opendocument.spreadsheet" in mimetype or ("content.xml" in names and not mimetype):
        if b"encryption-data" in manifest:
            return None, unreadable(_ENCRYPTED.replace("Excel 或 WPS", "LibreOffice 或 WPS"))
        return "ods", None
    if "word/document.xml" in names or b"opendocument.text" in mimetype:
        return None, unreadable(f"这是 Word/文字文档，不是表格。{_SAVE_AS}")
    if "ppt/presentation.xml" in names or b"opendocument.presentation" in mimetype:
        return None, unreadable(f"这是演示文稿，不是表格。{_SAVE_AS}")
    return None, unreadable(f"文件是一个压缩包(.zip)，不是 Excel 工作簿。请解压后上传其中的表格文件：{ACCEPTED}。")


def sniff(data: bytes) -> Problem | None:
    """Say in plain words why these bytes are not a workbook this reader takes, or None if they may be."""
    return sniff_format(data)[1]


def load_sheets(data: bytes) -> tuple[list[Sheet] | None, list[Problem]]:
    """All worksheets of a workbook, or (None, [problem]) when the file cannot be read at all.

    A number shown as a percentage (0.16 in a cell formatted 0%) comes back as the text the
    statistician saw ("16%"), so that it is read exactly like a typed "16%"; a formula whose result
    is an error comes back as that error's text (#DIV/0!), never as an empty cell.
    """
    fmt, problem = sniff_format(data)
    if problem:
        return None, [problem]
    # The side scan (zlib + regex, or xlrd) runs beside calamine's parse, which releases the GIL:
    # on a big sheet that hides the scan's ~0.1 s entirely.
    with ThreadPoolExecutor(1) as pool:
        raw = pool.submit(_scan, data, fmt)
        try:
            sheets = _with_calamine(data, raw.result)
        except Exception:  # calamine refuses some odd writers' files; openpyxl may still cope
            sheets = None
        found = raw.result()
    if sheets is not None:
        return sheets, found.formula_problems
    if fmt == "xls" and _encrypted_xls(data):
        return None, [unreadable(_ENCRYPTED)]
    if fmt != "xlsx":
        return None, [unreadable(f"文件无法作为工作簿打开(可能已损坏)。{_SAVE_AS}")]
    try:
        return _with_openpyxl(data, lambda: found), found.formula_problems
    except Exception:
        return None, [unreadable(f"文件无法作为 Excel 工作簿打开(可能已损坏)。{_SAVE_AS}")]


def _encrypted_xls(data: bytes) -> bool:
    """An .xls with an open password (BIFF FILEPASS): calamine cannot read it, xlrd says why."""
    import xlrd

    try:
        xlrd.open_workbook(file_contents=data, on_demand=True).release_resources()
    except Exception as exc:  # xlrd raises XLRDError("Workbook is encrypted")
        return "encrypt" in str(exc).lower()
    return False


def _scan(data: bytes, fmt: str | None) -> Scan:
    try:
        return scan(data, fmt or "")
    except Exception:  # the raw file is past what the scan expects: read the cells as they are
        return Scan()


def _with_calamine(data: bytes, raw: Callable[[], Scan]) -> list[Sheet]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue  # chart sheets and macro sheets hold no cells
        sheet = book.get_sheet_by_name(meta.name)
        rows = sheet.to_python(skip_empty_area=False)
        found = raw()
        rows = _rectangular(rows)
        _overlay(rows, found, meta.name)
        _fill_merged(rows, sheet.merged_cell_ranges or found.merges.get(meta.name, []))
        hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
        sheets.append(Sheet(meta.name, rows, hidden, found.hidden_rows.get(meta.name, set()),
                            found.hidden_cols.get(meta.name, set())))
    return sheets


def _with_openpyxl(data: bytes, raw: Callable[[], Scan]) -> list[Sheet]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), data_only=True)
    sheets = []
    found = raw()
    for ws in book.worksheets:
        rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
        merged = [((m.min_row - 1, m.min_col - 1), (m.max_row - 1, m.max_col - 1)) for m in ws.merged_cells.ranges]
        rows = _rectangular(rows)
        _overlay(rows, found, ws.title)
        _fill_merged(rows, merged)
        sheets.append(Sheet(ws.title, rows, ws.sheet_state != "visible", found.hidden_rows.get(ws.title, set()),
                            found.hidden_cols.get(ws.title, set())))
    return sheets


def _overlay(rows: list[list[Any]], found: Scan, sheet: str) -> None:
    """Lay the side scan over the grid: percentages as shown, error results as their text."""
    _show_percents(rows, found.percent_cells.get(sheet))
    for (r, c), text in found.error_cells.get(sheet, {}).items():
        if r < len(rows) and c < len(rows[r]) and rows[r][c] in (None, ""):
            rows[r][c] = text


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
