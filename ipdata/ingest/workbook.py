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
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import python_calamine

from ipdata.errors import Problem
from ipdata.ingest import biff, odsxml, rawxml
from ipdata.ingest import limits as limits_mod
from ipdata.ingest.limits import Extent, Limits
from ipdata.ingest.sidecar import Scan
from ipdata.ingest.unpack import unpack

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


SHEET_NAME_CHARS = 100  # Excel allows 31, LibreOffice more; a longer one is forged
OPENPYXL_BYTES = 20 * 2**20  # the odd files calamine refuses and openpyxl reads are small


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
            mimetype = _head(zf, "mimetype", 100) if "mimetype" in names else b""
            manifest = _head(zf, "META-INF/manifest.xml", 2**20) if "META-INF/manifest.xml" in names else b""
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError, zlib.error):
        return None, unreadable(f"文件已损坏或不完整，无法作为工作簿打开。{_SAVE_AS}")
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


def _head(zf: zipfile.ZipFile, name: str, size: int) -> bytes:
    """The first bytes of a member (sniffing never inflates a whole member: unpack.py does, capped)."""
    with zf.open(name) as f:
        return f.read(size)


def sniff(data: bytes) -> Problem | None:
    """Say in plain words why these bytes are not a workbook this reader takes, or None if they may be."""
    return sniff_format(data)[1]


def load_sheets(data: bytes, limits: Limits | None = None) -> tuple[list[Sheet] | None, list[Problem]]:
    """All worksheets of a workbook, or (None, [problem]) when the file cannot be read at all.

    A number shown as a percentage (0.16 in a cell formatted 0%) comes back as the text the
    statistician saw ("16%"), so that it is read exactly like a typed "16%"; a formula whose result
    is an error comes back as that error's text (#DIV/0!), never as an empty cell.

    Before any reader runs, the zip's members are inflated with a cap on what really comes out and
    each sheet's extent is measured from the file's own records (`limits`): calamine builds a dense
    grid, so one far cell would make it ask for hundreds of GB.
    """
    limits = limits or Limits.from_settings()
    fmt, problem = sniff_format(data)
    if problem:
        return None, [problem]
    prepared, problems = _prepare(data, fmt or "", limits)
    if prepared is None:
        return None, problems
    # The side scan (regex, or xlrd) runs beside calamine's parse, which releases the GIL: on a
    # big sheet that hides most of the scan.
    with ThreadPoolExecutor(1) as pool:
        raw = pool.submit(_scan, prepared)
        try:
            sheets = _with_calamine(data, raw.result, limits)
        except _Refused as refused:
            return None, [refused.problem]
        except Exception:  # calamine refuses some odd writers' files; openpyxl may still cope
            sheets = None
        found = raw.result()
    if sheets is not None:
        return sheets, found.formula_problems
    if fmt == "xls" and _encrypted_xls(data):
        return None, [unreadable(_ENCRYPTED)]
    if fmt != "xlsx" or prepared.unpacked > OPENPYXL_BYTES:  # openpyxl's parse of a huge odd file can take minutes
        return None, [unreadable(f"文件无法作为工作簿打开(可能已损坏)。{_SAVE_AS}")]
    try:
        return _with_openpyxl(data, lambda: found, limits), found.formula_problems
    except _Refused as refused:
        return None, [refused.problem]
    except Exception:
        return None, [unreadable(f"文件无法作为 Excel 工作簿打开(可能已损坏)。{_SAVE_AS}")]


class _Refused(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class _Prepared:
    """What is known of a file before calamine opens it: each sheet's extent and the side scan
    (done already for .ods, whose one pass also measures the extents)."""

    extents: list[Extent]
    scan: Callable[[], Scan]
    unpacked: int = 0  # bytes of the XML the scans read


# members each format's measure and side scan read (for .xlsx all but pictures: a sheet's part
# may have any name its relationship gives, and calamine follows it)
_KEEP: dict[str, Callable[[str], bool]] = {
    "xlsx": lambda n: not n.startswith("xl/media/"),
    "ods": lambda n: n == "content.xml",
}


def _prepare(data: bytes, fmt: str, limits: Limits) -> tuple[_Prepared | None, list[Problem]]:
    """Members inflated (capped) and extents measured; (None, [why]) when a limit refuses the file."""
    parts: dict[str, bytes] = {}
    if fmt in ("xlsx", "xlsb", "ods"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                parts, problem = unpack(data, zf, limits.unpacked_bytes, _KEEP.get(fmt, lambda _: False))
        except (zipfile.BadZipFile, OSError, ValueError):
            problem = unreadable(f"文件已损坏或不完整，无法作为工作簿打开。{_SAVE_AS}")
        if problem is not None:
            return None, [problem]
    try:
        prepared = _measure(data, fmt, parts, limits)
    except Exception:  # a file past what a measure expects: calamine decides, the worker's limits hold
        prepared = _Prepared([], lambda: _side_scan(data, fmt))
    prepared.unpacked = sum(map(len, parts.values()))
    if len(prepared.extents) > limits_mod.MAX_SHEETS:
        return None, [limits_mod.too_many_sheets(len(prepared.extents))]
    if fmt == "xlsx" and (claimed := rawxml.strings_claimed(parts)) > limits.cells:
        return None, [limits_mod.strings_misstated(claimed, limits.cells)]
    for e in prepared.extents:
        if len(e.sheet) > SHEET_NAME_CHARS:
            return None, [limits_mod.sheet_name_too_long(e.sheet)]
    problems = limits_mod.extent_problems(prepared.extents, limits.cells)
    return (None, problems) if problems else (prepared, [])


def _measure(data: bytes, fmt: str, parts: dict[str, bytes], limits: Limits) -> _Prepared:
    if fmt == "xlsx":
        extents = rawxml.sheet_extents(parts)
        by_sheet = {e.sheet: e for e in extents}
        return _Prepared(extents, lambda: rawxml.scan_parts(parts, by_sheet))
    if fmt == "ods":
        found, extents = odsxml.scan_xml(parts.get("content.xml", b""), limits.cells)
        return _Prepared(extents, lambda: found)
    if fmt == "xls":
        return _Prepared(biff.extents(data), lambda: biff.scan(data))
    return _Prepared([], Scan)  # .xlsb: sizes capped; the worker's time and memory limits hold


def _side_scan(data: bytes, fmt: str) -> Scan:
    from ipdata.ingest.sidecar import scan

    return scan(data, fmt)


def _encrypted_xls(data: bytes) -> bool:
    """An .xls with an open password (BIFF FILEPASS): calamine cannot read it, xlrd says why."""
    import xlrd

    try:
        xlrd.open_workbook(file_contents=data, on_demand=True).release_resources()
    except Exception as exc:  # xlrd raises XLRDError("Workbook is encrypted")
        return "encrypt" in str(exc).lower()
    return False


def _scan(prepared: _Prepared) -> Scan:
    try:
        return prepared.scan()
    except Exception:  # the raw file is past what the scan expects: read the cells as they are
        return Scan()


def _with_calamine(data: bytes, raw: Callable[[], Scan], limits: Limits) -> list[Sheet]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    if len(book.sheets_metadata) > limits_mod.MAX_SHEETS:  # measured before, except for .xlsb
        raise _Refused(limits_mod.too_many_sheets(len(book.sheets_metadata)))
    sheets = []
    used = 0
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue  # chart sheets and macro sheets hold no cells
        sheet = book.get_sheet_by_name(meta.name)
        # measured before (rawxml, odsxml, biff); checked again here for formats without a measure
        used = _within(limits, meta.name, sheet.total_height, sheet.total_width, used)
        rows = sheet.to_python(skip_empty_area=False)
        found = raw()
        rows = _rectangular(rows)
        _overlay(rows, found, meta.name)
        _fill_merged(rows, sheet.merged_cell_ranges or found.merges.get(meta.name, []), limits.cells, meta.name)
        hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
        sheets.append(Sheet(meta.name, rows, hidden, found.hidden_rows.get(meta.name, set()),
                            found.hidden_cols.get(meta.name, set())))
    return sheets


def _with_openpyxl(data: bytes, raw: Callable[[], Scan], limits: Limits) -> list[Sheet]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), data_only=True)
    sheets = []
    found = raw()
    used = 0
    for ws in book.worksheets:
        used = _within(limits, ws.title, ws.max_row, ws.max_column, used)
        rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
        merged = [((m.min_row - 1, m.min_col - 1), (m.max_row - 1, m.max_col - 1)) for m in ws.merged_cells.ranges]
        rows = _rectangular(rows)
        _overlay(rows, found, ws.title)
        _fill_merged(rows, merged, limits.cells, ws.title)
        sheets.append(Sheet(ws.title, rows, ws.sheet_state != "visible", found.hidden_rows.get(ws.title, set()),
                            found.hidden_cols.get(ws.title, set())))
    return sheets


def _within(limits: Limits, sheet: str, height: int, width: int, used: int) -> int:
    """Cells used so far with this sheet's grid; refused past the limit."""
    problems = limits_mod.extent_problems([Extent(sheet, used, 1), Extent(sheet, height, width)], limits.cells)
    if problems:
        raise _Refused(problems[0])
    return used + height * width


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


def _fill_merged(rows: list[list[Any]], ranges: list, limit: int, sheet: str) -> None:
    """A merged cell's value belongs to every cell it covers (e.g. one 地区 merged over rows).

    Each range is clipped to the grid (a range past the last cell with content adds no data); the
    ranges together may cover no more than the limit (overlapping ranges only come from forged files)."""
    height, width = len(rows), len(rows[0]) if rows else 0
    clipped = []
    area = 0
    for (r0, c0), (r1, c1) in ranges:
        r1, c1 = min(r1, height - 1), min(c1, width - 1)
        if r0 > r1 or c0 > c1 or rows[r0][c0] in (None, ""):
            continue
        clipped.append((r0, c0, r1, c1))
        area += (r1 - r0 + 1) * (c1 - c0 + 1)
    if area > max(limit, height * width):
        raise _Refused(limits_mod.extent_problems([Extent(sheet, height, width, area)], limit)[0])
    for r0, c0, r1, c1 in clipped:
        anchor = rows[r0][c0]
        for r in range(r0, r1 + 1):
            row = rows[r]
            for c in range(c0, c1 + 1):
                if row[c] in (None, ""):
                    row[c] = anchor
