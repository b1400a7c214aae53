"""What calamine does not tell of an .xlsx, read from the raw worksheet XML with regular
expressions (no parse).

Formula cells saved without their computed value (a reader would see a blank cell and lose the
figure without a word), formula results that are errors (#DIV/0!: calamine gives an empty cell),
numbers displayed as percentages (Excel stores the 16% a statistician typed as 0.16; the number
format only makes it look like 16%), and hidden rows and columns. Each worksheet's XML is read
from the zip once, in `scan`, which runs beside calamine's parse.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile

from ipdata.errors import Problem, column_index
from ipdata.ingest.sidecar import Scan

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_VALUE = re.compile(rb"<v>[^<]+</v>")
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_SHEET = re.compile(rb"<sheet\b([^>]*)>", re.S)
_REL = re.compile(rb"<Relationship\b([^>]*)>", re.S)
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_NUMFMT = re.compile(rb"<numFmt\b([^>]*)/?>", re.S)
_CELLXFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b([^>]*?)(?:/>|>)", re.S)
_QUOTED = re.compile(r'"[^"]*"|\\.')
_ERROR_CELL = re.compile(rb'<c\b([^>]*?\bt="e"[^>]*)>(.*?)</c>', re.S)
_ERROR_VALUE = re.compile(rb"<v>([^<]*)</v>")
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_COL = re.compile(rb"<col\b([^>]*)/?>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
PERCENT_BUILTIN = {9, 10}  # Excel's built-in "0%" and "0.00%"
MAX_COLUMNS = 16384  # XFD: a <col max="16384" hidden="1"> covers the rest of the sheet


def scan(data: bytes) -> Scan:
    """Formula cells without a value (as problems), error results, percent-formatted numbers and
    hidden rows and columns, per sheet."""
    out = Scan()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        styles = percent_styles(_read(zf, "xl/styles.xml") or b"")
        for name, path in _sheet_paths(zf).items():
            xml = _read(zf, path)
            if xml is None:
                continue
            if b"<f" in xml:
                out.formula_problems += formulas_without_values(name, xml)
            if b't="e"' in xml:
                out.error_cells[name] = error_cells(xml)
            if styles:
                cells = percent_cells(xml, styles)
                if cells:
                    out.percent_cells[name] = cells
            if b'hidden="1"' in xml or b'hidden="true"' in xml:
                out.hidden_rows[name], out.hidden_cols[name] = hidden_rows(xml), hidden_cols(xml)
    return out


def error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) -> the error text (#DIV/0!, #N/A …) of every cell whose result is an error."""
    out = {}
    for attrs, body in _ERROR_CELL.findall(xml):
        ref, value = _ref(attrs), _ERROR_VALUE.search(body)
        if ref is not None:
            out[(ref[1] - 1, column_index(ref[0]))] = html.unescape(value.group(1).decode()) if value else "#N/A"
    return out


def hidden_rows(xml: bytes) -> set[int]:
    """0-based indexes of rows marked hidden."""
    out = set()
    for m in _HIDDEN_ROW.finditer(xml):
        r = _ROW_NUMBER.search(m.group(0))
        if r:
            out.add(int(r.group(1)) - 1)
    return out


def hidden_cols(xml: bytes) -> set[int]:
    """0-based indexes of columns marked hidden (a <col> covers min..max)."""
    out: set[int] = set()
    for tag in _COL.findall(xml):
        a = _attrs(tag)
        if a.get("hidden") in ("1", "true") and a.get("min", "").isdigit() and a.get("max", "").isdigit():
            out.update(range(int(a["min"]) - 1, min(int(a["max"]), MAX_COLUMNS)))
    return out


def _read(zf: zipfile.ZipFile, path: str) -> bytes | None:
    try:
        return zf.read(path)
    except KeyError:
        return None


def _attrs(tag: bytes) -> dict[str, str]:
    """Attributes of one tag, in any order (writers order them differently)."""
    return {k.decode(): html.unescape(v.decode("utf-8")) for k, v in _ATTR.findall(tag)}


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> path of its XML inside the zip."""
    book, rels = _read(zf, "xl/workbook.xml"), _read(zf, "xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return {}
    targets = {a.get("Id"): a.get("Target") for a in map(_attrs, _REL.findall(rels))}
    out = {}
    for a in map(_attrs, _SHEET.findall(book)):
        target = targets.get(a.get("r:id"))
        if target and a.get("name"):
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            out[a["name"]] = path
    return out


def _ref(attrs: bytes) -> tuple[str, int] | None:
    m = _REF.search(attrs)
    return (m.group(1).decode(), int(m.group(2))) if m else None


# --- formulas -------------------------------------------------------------------------------


def formulas_without_values(sheet: str, xml: bytes) -> list[Problem]:
    problems = []
    for attrs, body in _CELL.findall(xml):
        # no cached result: no <v>, or an empty one that is not a formula's empty text (t="str")
        if b"<f" in body and not _VALUE.search(body) and b't="str"' not in attrs:
            ref = _ref(attrs)
            if ref is None:
                continue
            problems.append(Problem(
                "formula-without-value",
                "这个单元格是公式，但文件里没有保存它的计算结果(常见于由程序生成、未在 Excel 中打开保存过的文件)，"
                "无法读出数值。请用 Excel 或 WPS 打开文件后保存一次，或把公式改成数值，再重新上传。",
                sheet=sheet, row=ref[1], column=ref[0]))
    return problems


# --- percent formats ------------------------------------------------------------------------


def is_percent_format(code: str) -> bool:
    """Whether a number format code scales by 100: a % outside quotes and backslash escapes
    ("0.0%" does; 0.0"%" and 0.0\\% only print a percent sign)."""
    return "%" in _QUOTED.sub("", code)


def percent_styles(styles_xml: bytes) -> set[int]:
    """Indexes of the cell styles (the s="…" of a cell) whose number format is a percentage."""
    custom = {int(a["numFmtId"]) for a in map(_attrs, _NUMFMT.findall(styles_xml))
              if a.get("numFmtId", "").isdigit() and is_percent_format(a.get("formatCode", ""))}
    block = _CELLXFS.search(styles_xml)
    if block is None:
        return set()
    out = set()
    for i, tag in enumerate(_XF.findall(block.group(1))):
        fmt = _attrs(tag).get("numFmtId", "0")
        if fmt.isdigit() and (int(fmt) in PERCENT_BUILTIN or int(fmt) in custom):
            out.add(i)
    return out


def percent_cells(xml: bytes, styles: set[int]) -> set[tuple[int, int]]:
    """(row, column), 0-based, of the number cells displayed with a percent style."""
    pattern = re.compile(rb'<c\b[^>]*?\bs="(?:' + b"|".join(str(s).encode() for s in sorted(styles)) + rb')"[^>]*>')
    out = set()
    for m in pattern.finditer(xml):
        tag = m.group(0)
        kind = _attrs(tag).get("t", "n")
        ref = _ref(tag)
        if kind == "n" and ref is not None:  # a number (not text, a boolean or an error)
            out.add((ref[1] - 1, column_index(ref[0])))
    return out
