"""What calamine does not tell of an .xls (Excel 97-2003, BIFF8), read with xlrd: error results
(#DIV/0! comes back as an empty cell), numbers shown as percentages, hidden rows and columns —
and, before any reader runs, how big a grid each sheet makes, from its own records.
"""

from __future__ import annotations

import io
import struct

import xlrd
from xlrd.compdoc import CompDoc

from ipdata.errors import column_letter
from ipdata.ingest.limits import Extent
from ipdata.ingest.rawxml import is_percent_format
from ipdata.ingest.sidecar import Scan

_HEADER = struct.Struct("<HH")
_BOF, _EOF, _BOUNDSHEET, _DIMENSIONS, _MERGED = 0x0809, 0x000A, 0x0085, 0x0200, 0x00E5
# records of a cell with a value: row and column are their first two fields (FORMULA in three
# BIFF versions, NUMBER, RK, LABEL, LABELSST, BOOLERR, RSTRING); MULRK holds a run of columns
_CELLS = frozenset({0x0006, 0x0206, 0x0406, 0x0203, 0x027E, 0x0204, 0x00FD, 0x0205, 0x00D6})
_MULRK = 0x00BD
_WORKSHEET = 0x0010
MAX_ROWS, MAX_COLUMNS = 65536, 256  # an .xls sheet's own bounds


def scan(data: bytes) -> Scan:
    out = Scan()
    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    try:
        percent_xf = {i for i, xf in enumerate(book.xf_list)
                      if (fmt := book.format_map.get(xf.format_key)) is not None and is_percent_format(fmt.format_str)}
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            name = sheet.name
            errors, percent = {}, set()
            for r in range(sheet.nrows):
                types = sheet.row_types(r)
                for c, kind in enumerate(types):
                    if kind == xlrd.XL_CELL_ERROR:
                        errors[(r, c)] = xlrd.error_text_from_code.get(sheet.cell_value(r, c), "#N/A")
                    elif kind == xlrd.XL_CELL_NUMBER and percent_xf and sheet.cell_xf_index(r, c) in percent_xf:
                        percent.add((r, c))
            if errors:
                out.error_cells[name] = errors
            if percent:
                out.percent_cells[name] = percent
            rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
            cols = {c for c, info in sheet.colinfo_map.items() if info.hidden}
            if rows:
                out.hidden_rows[name] = rows
            if cols:
                out.hidden_cols[name] = cols
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return out


def extents(data: bytes) -> list[Extent]:
    """Each worksheet's grid from its cell records (not its DIMENSIONS record, which may lie) and
    merged ranges, walking the workbook stream once; no cell is stored on the way."""
    stream = _workbook_stream(data)
    if stream is None:
        return []
    names: dict[int, str] = {}  # stream offset of a sheet's BOF -> its name
    out: list[Extent] = []
    sheet: str | None = None
    top = right = merged = 0
    far: tuple[str, int, int] | None = None
    far_range: str | None = None
    pos, end = 0, len(stream)
    unpack = _HEADER.unpack_from
    while pos + 4 <= end:
        op, size = unpack(stream, pos)
        body = pos + 4
        if op in _CELLS and sheet is not None and size >= 4:
            row, col = unpack(stream, body)
            if row >= top or col >= right:
                top, right, far = max(top, row + 1), max(right, col + 1), ("cell", row + 1, col + 1)
        elif op == _MULRK and sheet is not None and size >= 6:
            row, col = unpack(stream, body)
            last = unpack(stream, body + size - 4)[1]
            if row + 1 > top or last + 1 > right:
                top, right, far = max(top, row + 1), max(right, last + 1), ("cell", row + 1, last + 1)
        elif op == _MERGED and sheet is not None and size >= 2:
            count = min(unpack(stream, body)[0], (size - 2) // 8)
            for k in range(count):
                r0, r1 = unpack(stream, body + 2 + 8 * k)
                c0, c1 = unpack(stream, body + 6 + 8 * k)
                merged += (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)
                if max(r0, r1) + 1 > top or max(c0, c1) + 1 > right:
                    top, right = max(top, r0 + 1, r1 + 1), max(right, c0 + 1, c1 + 1)
                    far = ("merge", top, right)
                    far_range = f"{column_letter(min(c0, c1))}{min(r0, r1) + 1}:{column_letter(max(c0, c1))}{max(r0, r1) + 1}"
        elif op == _BOUNDSHEET and size >= 8:
            names[struct.unpack_from("<I", stream, body)[0]] = _sheet_name(stream[body + 6:body + size])
        elif op == _BOF and size >= 4:
            kind = unpack(stream, body)[1]
            sheet = names.get(pos, f"Sheet{len(out) + 1}") if kind == _WORKSHEET else None
            top = right = merged = 0
            far = far_range = None
        elif op == _EOF and sheet is not None:
            out.append(Extent(sheet, top, right, merged, far, far_range))
            sheet = None
        pos = body + size
    if sheet is not None:
        out.append(Extent(sheet, top, right, merged, far, far_range))
    return out


def _workbook_stream(data: bytes) -> memoryview | None:
    try:
        doc = CompDoc(data, logfile=io.StringIO())
        for qname in ("Workbook", "Book"):
            mem, base, length = doc.locate_named_stream(qname)
            if mem is not None:
                return memoryview(mem)[base:base + length]
    except Exception:  # xlrd.compdoc.CompDocError and friends: calamine will say the file is broken
        return None
    return None


def _sheet_name(raw: memoryview) -> str:
    """A BOUNDSHEET name: length, a flag byte (1: UTF-16), then the characters."""
    if len(raw) < 2:
        return ""
    n, wide = raw[0], raw[1] & 1
    text = bytes(raw[2:2 + n * (2 if wide else 1)])
    return text.decode("utf-16-le" if wide else "latin-1", "replace")
