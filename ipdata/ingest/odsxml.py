"""What calamine does not tell of an .ods (OpenDocument, LibreOffice's and WPS's own format), read
from its content.xml in one streaming pass: error results (#DIV/0! comes back as an empty cell),
percentages (0.008 shown as 0.8%), hidden rows and columns, and merged cells.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import XMLPullParser

from ipdata.ingest.sidecar import Scan

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
T_TABLE, T_ROW, T_COLUMN = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row", f"{{{_TABLE}}}table-column"
T_CELL, T_COVERED = f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"
A_NAME, A_VISIBILITY = f"{{{_TABLE}}}name", f"{{{_TABLE}}}visibility"
A_COLS_REPEATED, A_ROWS_REPEATED = f"{{{_TABLE}}}number-columns-repeated", f"{{{_TABLE}}}number-rows-repeated"
A_COLS_SPANNED, A_ROWS_SPANNED = f"{{{_TABLE}}}number-columns-spanned", f"{{{_TABLE}}}number-rows-spanned"
A_VALUE_TYPE, A_CALC_TYPE = f"{{{_OFFICE}}}value-type", f"{{{_CALCEXT}}}value-type"
MAX_REPEAT = 1000  # repeated rows/cells with content are rare (identical rows); beyond this, empty filler
CHUNK = 1 << 16


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(int(value), 1) if value is not None else default
    except ValueError:
        return default


def scan(data: bytes) -> Scan:
    out = Scan()
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open("content.xml") as f:
        parser = XMLPullParser(events=("start", "end"))
        state = _State(out)
        while chunk := f.read(CHUNK):
            parser.feed(chunk)
            for event, elem in parser.read_events():
                state.on(event, elem)
        parser.close()
    return out


class _State:
    def __init__(self, out: Scan):
        self.out = out
        self.sheet = ""
        self.row = self.col = self.column_def = 0
        self.row_repeat = 1
        self.row_hidden = False
        self.row_content = False

    def on(self, event: str, elem) -> None:
        tag = elem.tag
        if event == "start":
            if tag == T_TABLE:
                self.sheet, self.row, self.column_def = elem.get(A_NAME, ""), 0, 0
            elif tag == T_ROW:
                self.col, self.row_content = 0, False
                self.row_repeat = _int(elem.get(A_ROWS_REPEATED))
                self.row_hidden = elem.get(A_VISIBILITY) in ("collapse", "filter")
            elif tag == T_COLUMN:
                repeat = _int(elem.get(A_COLS_REPEATED))
                if elem.get(A_VISIBILITY) in ("collapse", "filter"):
                    hidden = self.out.hidden_cols.setdefault(self.sheet, set())
                    hidden.update(range(self.column_def, min(self.column_def + repeat, 16384)))
                self.column_def += repeat
            return
        if tag in (T_CELL, T_COVERED):
            self._cell(elem)
        elif tag == T_ROW:
            if self.row_hidden and self.row_content:
                self.out.hidden_rows.setdefault(self.sheet, set()).update(
                    range(self.row, self.row + min(self.row_repeat, MAX_REPEAT)))
            self.row += self.row_repeat
            elem.clear()

    def _cell(self, elem) -> None:
        repeat = _int(elem.get(A_COLS_REPEATED))
        kind, calc = elem.get(A_VALUE_TYPE), elem.get(A_CALC_TYPE)
        if kind is not None or calc is not None:
            self.row_content = True
            rows = range(self.row, self.row + min(self.row_repeat, MAX_REPEAT))
            cols = range(self.col, self.col + min(repeat, MAX_REPEAT))
            if calc == "error":
                text = "".join(elem.itertext()).strip() or "#N/A"
                errors = self.out.error_cells.setdefault(self.sheet, {})
                errors.update({(r, c): text for r in rows for c in cols})
            elif kind == "percentage":
                self.out.percent_cells.setdefault(self.sheet, set()).update((r, c) for r in rows for c in cols)
        if elem.tag == T_CELL:
            spans = _int(elem.get(A_COLS_SPANNED)), _int(elem.get(A_ROWS_SPANNED))
            if spans != (1, 1):
                self.out.merges.setdefault(self.sheet, []).append(
                    ((self.row, self.col), (self.row + spans[1] - 1, self.col + spans[0] - 1)))
        self.col += repeat
        elem.clear()
