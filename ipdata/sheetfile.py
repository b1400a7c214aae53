"""Tables as an .xlsx, one sheet each, written directly as SpreadsheetML.

openpyxl and XlsxWriter spend ~10 µs a cell in Python: the 100,000 changes of a big import
(8 columns) took 9–17 s to write with either. This writer formats each distinct value of a
column once and joins the sheet's XML with whole-array string operations. Text is always a text
cell, and one that starts with = + - @ tab or CR also carries Excel's quote prefix (ipdata.inert),
so it stays text even when edited; numbers are numbers, None/NaN are empty cells.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ipdata.errors import column_letter
from ipdata.inert import formula_like

# Characters XML 1.0 does not allow (Excel refuses a file holding them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
{sheets}
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets>{sheets}</sheets>
</workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
{sheets}
</Relationships>"""
_SHEET_REL = ('<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>')
# Style 0: plain; 1: bold (the header row); 2 and 3: the same with Excel's quote prefix (text that
# looks like a formula stays text).
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def _text(value: str) -> str:
    return _ILLEGAL.sub("", value).translate(_ESCAPE)


class _Strings:
    """The shared-string table: each distinct text once, cells refer to it by number."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def body(self, value: object, bold: bool = False) -> str:
        """What follows '<c r="A1"' for one value: its style, then a number or a reference to its text."""
        style = ' s="1"' if bold else ""
        if isinstance(value, bool | np.bool_):
            value = "是" if value else "否"
        if isinstance(value, int | np.integer):
            return f"{style}><v>{int(value)}</v></c>"
        if isinstance(value, float | np.floating):
            return f"{style}><v>{float(value)!r}</v></c>" if math.isfinite(value) else ""
        text = _text(str(value))
        if formula_like(text):
            style = f' s="{3 if bold else 2}"'
        n = self.index.setdefault(text, len(self.index))
        return f'{style} t="s"><v>{n}</v></c>'

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t in self.index)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
                f'openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{len(self.index)}">{items}</sst>')


def _column(values: pd.Series, letter: str, rows: np.ndarray, strings: _Strings, bold: bool = False) -> np.ndarray:
    """The <c> elements of one column (object array, '' for blanks). Each distinct value is
    formatted once (a change list has a handful of distinct 变化, 类型, 地区 …)."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    bodies = np.array([*(strings.body(v, bold) for v in uniques), ""], dtype=object)  # code -1 (blank) → ""
    body = bodies[codes]
    cells = f'<c r="{letter}' + rows + '"' + body
    return np.where(body == "", "", cells)


def _sheet(frame: pd.DataFrame, widths: Sequence[float] | None, strings: _Strings) -> str:
    letters = [column_letter(i) for i in range(len(frame.columns))]
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
             'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>']
    if widths:
        parts.append("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                                        for i, w in enumerate(widths, start=1)) + "</cols>")
    header = pd.Series([str(h) for h in frame.columns], dtype=object)
    first = np.array(["1"], dtype=object)
    head = "".join(_column(header.iloc[[i]], c, first, strings, bold=True)[0] for i, c in enumerate(letters))
    parts.append(f'<sheetData><row r="1">{head}</row>')
    rows = np.arange(2, len(frame) + 2).astype(str).astype(object)
    columns = [_column(frame[col], c, rows, strings) for c, col in zip(letters, frame.columns, strict=True)]
    starts = ('<row r="' + rows + '">').tolist()
    parts.append("".join(f"{s}{''.join(cells)}</row>" for s, *cells in zip(starts, *columns, strict=True)))
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


Sheet = tuple[str, pd.DataFrame, Sequence[float] | None]  # name, table, column widths (or None)


def write_sheets(out: Path | io.BytesIO, sheets: Sequence[Sheet]) -> None:
    """Each table as a sheet of `out`, in order: a bold, frozen header row, then one row per record."""
    strings = _Strings()
    xml = [_sheet(frame, widths, strings) for _, frame, widths in sheets]
    names = [_text(name[:31]) for name, _, _ in sheets]  # Excel's limit for a sheet name
    numbers = range(1, len(sheets) + 1)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets="\n".join(_SHEET_TYPE.format(n=n) for n in numbers)))
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK.format(sheets="".join(
            f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in zip(numbers, names, strict=True))))
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(sheets="\n".join(_SHEET_REL.format(n=n) for n in numbers)))
        z.writestr("xl/styles.xml", _STYLES)
        z.writestr("xl/sharedStrings.xml", strings.xml())
        for n, sheet in zip(numbers, xml, strict=True):
            z.writestr(f"xl/worksheets/sheet{n}.xml", sheet)


def write_table(frame: pd.DataFrame, out: Path | io.BytesIO, sheet: str = "Sheet1",
                widths: Sequence[float] | None = None) -> None:
    """`frame` as the only sheet of `out`."""
    write_sheets(out, [(sheet, frame, widths)])
