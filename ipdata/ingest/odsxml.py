"""What calamine does not tell of an .ods (OpenDocument, LibreOffice's and WPS's own format), read
from its content.xml in one pass over the tags: error results (#DIV/0! comes back as an empty
cell), percentages (0.008 shown as 0.8%), hidden rows and columns, merged cells — and how big a grid
each table makes calamine build, known before calamine runs.

A regular expression walks the table tags (calamine, too, knows them by their `table:` names); an
element tree of a 100,000-row table took seconds, this takes a fraction. Repeats are counted, not
expanded: one row repeated a million times with a value in it is a million rows of extent, told
before any reader builds them.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

from ipdata.errors import column_letter
from ipdata.ingest.limits import Extent
from ipdata.ingest.sidecar import Scan

MAX_REPEAT = 1000  # repeated rows/cells with content are rare (identical rows); beyond this, empty filler
MAX_COLUMNS = 16384
# start tags of tables, columns, rows and cells, and the end of a row (a cell is read from its start tag)
_TAG = re.compile(rb"<(?:(/)table:(table-row)|table:(table-row|table-cell|covered-table-cell|table-column|table)"
                  rb"(?=[\s/>])([^<>]*+))>")
_NAME = re.compile(rb'\btable:name="([^"]*)"')
_ROWS_REPEATED = re.compile(rb'\btable:number-rows-repeated="([^"]*)"')
_COLS_REPEATED = re.compile(rb'\btable:number-columns-repeated="([^"]*)"')
_COLS_SPANNED = re.compile(rb'\btable:number-columns-spanned="([^"]*)"')
_ROWS_SPANNED = re.compile(rb'\btable:number-rows-spanned="([^"]*)"')
_VALUE_TYPE = re.compile(rb'\boffice:value-type="([^"]*)"')
_CALC_TYPE = re.compile(rb'\bcalcext:value-type="([^"]*)"')
_HIDDEN = re.compile(rb'\btable:visibility="(?:collapse|filter)"')
_CELL_END = re.compile(rb"</table:(?:covered-)?table-cell>")
_MARKUP = re.compile(rb"<[^<>]*>")


def _int(m: re.Match | None) -> int:
    try:
        return max(int(m.group(1)), 1) if m else 1
    except ValueError:
        return 1


def scan(data: bytes, cells: int | None = None) -> Scan:
    """The side scan of an .ods given as bytes (the reader itself passes the inflated content.xml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return scan_xml(zf.read("content.xml"), cells)[0]


def scan_xml(xml: bytes, cells: int | None = None) -> tuple[Scan, list[Extent]]:
    """The scan and each table's extent. Stops early once the tables pass `cells` (the reader
    then refuses the file on the extents, and the scan is not needed). One loop with local
    variables: it runs once per row and cell of the file."""
    out = Scan()
    extents: list[Extent] = []
    limit = cells if cells is not None else float("inf")
    total = 0  # cells of the tables before this one
    sheet = ""
    row = col = column_def = 0
    row_repeat, row_hidden, row_content = 1, False, False
    top = right = merged = 0  # extent of this table so far: last row and column with content
    far: tuple[str, int, int] | None = None
    far_range: str | None = None
    for m in _TAG.finditer(xml):
        end, _, tag, attrs = m.groups()
        if end:  # a row ends
            if row_hidden and row_content:
                out.hidden_rows.setdefault(sheet, set()).update(range(row, row + min(row_repeat, MAX_REPEAT)))
            row += row_repeat
        elif tag == b"table-cell" or tag == b"covered-table-cell":
            repeat = _int(_COLS_REPEATED.search(attrs)) if b"repeated" in attrs else 1
            if b"value-type" in attrs:
                row_content = True
                if row + row_repeat > top or col + repeat > right:
                    top, right = max(top, row + row_repeat), max(right, col + repeat)
                    far, far_range = ("cell", row + row_repeat, col + repeat), None
                    if total + top * right + merged > limit:
                        break
                if b"percentage" in attrs or b"error" in attrs:
                    _mark(out, sheet, row, col, row_repeat, repeat, attrs, xml, m.end())
            if b"spanned" in attrs and tag == b"table-cell":
                spans = _int(_COLS_SPANNED.search(attrs)), _int(_ROWS_SPANNED.search(attrs))
                if spans != (1, 1):
                    out.merges.setdefault(sheet, []).append(((row, col), (row + spans[1] - 1, col + spans[0] - 1)))
                    merged += spans[0] * spans[1]
                    if row + spans[1] > top or col + spans[0] > right:
                        top, right = max(top, row + spans[1]), max(right, col + spans[0])
                        far, far_range = ("merge", top, right), _range_text(row, col, spans)
                    if total + top * right + merged > limit:
                        break
            col += repeat
        elif tag == b"table-row":
            col, row_content = 0, False
            row_repeat = _int(_ROWS_REPEATED.search(attrs)) if b"repeated" in attrs else 1
            row_hidden = b"visibility" in attrs and _HIDDEN.search(attrs) is not None
            if total + top * right + merged > limit:
                break
            if attrs.endswith(b"/"):  # <table:table-row …/>: an empty row
                row += row_repeat
        elif tag == b"table-column":
            repeat = _int(_COLS_REPEATED.search(attrs))
            if _HIDDEN.search(attrs):
                out.hidden_cols.setdefault(sheet, set()).update(range(column_def, min(column_def + repeat, MAX_COLUMNS)))
            column_def += repeat
        else:  # a new table
            if extents:
                extents[-1] = Extent(sheet, top, right, merged, far, far_range)
                total += top * right + merged
            name = _NAME.search(attrs)
            sheet = html.unescape(name.group(1).decode("utf-8", "replace")) if name else ""
            row = column_def = top = right = merged = 0
            far = far_range = None
            extents.append(Extent(sheet))
    if extents:
        extents[-1] = Extent(sheet, top, right, merged, far, far_range)
    return out, extents


def _mark(out: Scan, sheet: str, row: int, col: int, rows: int, cols: int, attrs: bytes, xml: bytes,
          after: int) -> None:
    """Record an error result's text or a percentage on every cell a (repeated) cell covers."""
    kind, calc = _VALUE_TYPE.search(attrs), _CALC_TYPE.search(attrs)
    where = [(r, c) for r in range(row, row + min(rows, MAX_REPEAT)) for c in range(col, col + min(cols, MAX_REPEAT))]
    if calc is not None and calc.group(1) == b"error":
        text = "#N/A" if attrs.endswith(b"/") else _text(xml, after)
        out.error_cells.setdefault(sheet, {}).update(dict.fromkeys(where, text))
    elif kind is not None and kind.group(1) == b"percentage":
        out.percent_cells.setdefault(sheet, set()).update(where)


def _text(xml: bytes, after: int) -> str:
    """The text shown in a cell (its error code), up to the cell's end tag."""
    end = _CELL_END.search(xml, after, after + 4096)  # an error code is short; never search far
    body = xml[after:end.start() if end else after]
    return html.unescape(_MARKUP.sub(b"", body).decode("utf-8", "replace")).strip() or "#N/A"


def _range_text(row: int, col: int, spans: tuple[int, int]) -> str:
    return f"{column_letter(col)}{row + 1}:{column_letter(col + spans[0] - 1)}{row + spans[1]}"
