"""What calamine does not tell of an .xlsx, read from the raw worksheet XML with regular
expressions (no parse), and how big a grid each sheet would make calamine build.

Formula cells saved without their computed value (a reader would see a blank cell and lose the
figure without a word), formula results that are errors (#DIV/0!: calamine gives an empty cell),
numbers displayed as percentages (Excel stores the 16% a statistician typed as 0.16; the number
format only makes it look like 16%), and hidden rows and columns. The XML comes inflated once, by
unpack.py, with its size capped.

Every pattern here runs in time linear in the XML whatever it holds: no pattern scans on from one
tag past the next one (attribute runs stop at "<"), a run inside a tag is bounded ({0,1000}) or
possessive (no backtracking over a 150 MB attribute), and the percent styles are found in one pass
however many there are.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile

import numpy as np

from ipdata.errors import Problem, column_index, column_letter
from ipdata.ingest.limits import Extent
from ipdata.ingest.sidecar import Scan

# a cell's body: anything up to its </c>, but never past the start of the next cell
_BODY = rb"([^<]*(?:<(?!/c>|c[\s>/])[^<]*)*)"
_CELL = re.compile(rb"<c\b([^<>]{0,1000}?)(?:/>|>" + _BODY + rb"</c>)")
_VALUE = re.compile(rb"<v>[^<]+</v>")
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_SHEET = re.compile(rb"<sheet\b([^<>]{0,4096})>", re.S)
_REL = re.compile(rb"<Relationship\b([^<>]{0,4096})>", re.S)
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_NUMFMT = re.compile(rb"<numFmt\b([^<>]{0,4096})/?>", re.S)
_XF = re.compile(rb"<xf\b([^<>]{0,4096}?)(?:/>|>)", re.S)
_QUOTED = re.compile(r'"[^"]*"|\\.')
_ERROR_CELL = re.compile(rb'<c\b([^<>]{0,1000}?\bt="e"[^<>]{0,1000})>' + _BODY + rb"</c>")
_ERROR_VALUE = re.compile(rb"<v>([^<]*)</v>")
_HIDDEN_ROW = re.compile(rb'<row\b[^<>]{0,1000}?\bhidden="(?:1|true)"[^<>]{0,1000}>')
_COL = re.compile(rb"<col\b([^<>]{0,1000})/?>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_STYLED_CELL = re.compile(rb'<c\b[^<>]{0,1000}?\bs="(\d+)"[^<>]{0,1000}>')
PERCENT_BUILTIN = {9, 10}  # Excel's built-in "0%" and "0.00%"
MAX_COLUMNS = 16384  # XFD: a <col max="16384" hidden="1"> covers the rest of the sheet
MAX_ROWS = 1048576  # Excel's last row
FEW_STYLES = 32  # up to this many percent styles, one pattern naming them finds their cells fastest


def scan(data: bytes) -> Scan:
    """The side scan of an .xlsx given as bytes (the reader itself passes inflated parts)."""
    from ipdata.ingest.unpack import unpack

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts, problem = unpack(data, zf, 2**31, lambda _: True)
    return Scan() if problem else scan_parts(parts)


def scan_parts(parts: dict[str, bytes], extents: dict[str, Extent] | None = None) -> Scan:
    """Formula cells without a value (as problems), error results, percent-formatted numbers and
    hidden rows and columns, per sheet. Hidden columns stop at the sheet's extent when known."""
    out = Scan()
    styles = percent_styles(parts.get("xl/styles.xml") or b"")
    for name, path in sheet_paths(parts).items():
        xml = parts.get(path)
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
            width = extents[name].cols if extents and name in extents else MAX_COLUMNS
            out.hidden_rows[name], out.hidden_cols[name] = hidden_rows(xml), hidden_cols(xml, width)
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


def hidden_cols(xml: bytes, width: int = MAX_COLUMNS) -> set[int]:
    """0-based indexes of columns marked hidden (a <col> covers min..max), up to `width`: spans
    are merged first, so a thousand <col max="16384"> tags cost no more than one."""
    spans = []
    for tag in _COL.findall(xml):
        a = _attrs(tag)
        if a.get("hidden") in ("1", "true") and a.get("min", "").isdigit() and a.get("max", "").isdigit():
            spans.append((int(a["min"]) - 1, min(int(a["max"]), width, MAX_COLUMNS)))
    out: set[int] = set()
    reach = 0
    for lo, hi in sorted(spans):
        lo = max(lo, reach)
        if lo < hi:
            out.update(range(lo, hi))
            reach = hi
    return out


def _attrs(tag: bytes) -> dict[str, str]:
    """Attributes of one tag, in any order (writers order them differently)."""
    return {k.decode(): html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(tag)}


def sheet_paths(parts: dict[str, bytes]) -> dict[str, str]:
    """Worksheet name -> path of its XML inside the zip."""
    book, rels = parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")
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


# --- extents --------------------------------------------------------------------------------
# calamine builds each sheet as a dense grid from the top-left cell with content to the
# bottom-right one (python-calamine then pads it to start at A1): one cell at XFD1048576 asks for
# 17 billion cells. Cells with no content (<c r="XFD9" s="1"/>) are skipped by calamine and here.

_CONTENT_REF = re.compile(rb'<c r="([A-Za-z]+[0-9]+)"[^<>/]*+>')  # a cell with a body, r written first
_DIMENSION = re.compile(rb'<dimension\b[^<>]{0,1000}?\bref="([^"<]*)"')
_MERGE = re.compile(rb'<mergeCell\b[^<>]{0,1000}?\bref="([^"<]*)"')
_RANGE = re.compile(r"\$?([A-Za-z]+)\$?([0-9]+)(?::\$?([A-Za-z]+)\$?([0-9]+))?$")
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")  # <x:c …> (or such text): walked, to be safe
_NO_REF_FIRST = re.compile(rb'<c(?:[>/]|\s(?!r="))')  # a cell tag that does not start with r="…"
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^<>]*+)>")  # greedy: a lazy run is 20x slower
_R_ATTR = re.compile(rb'(?:^|\s)r="([^"]*)"')
_EDGE = 64 * 1024  # head and tail of the XML: the header row and the last rows give a first guess


def sheet_extents(parts: dict[str, bytes]) -> list[Extent]:
    """Each worksheet's grid: rows x columns from A1 to the farthest cell with content, merged range
    or declared <dimension>, and the area of its merged ranges."""
    out = []
    for name, path in sheet_paths(parts).items():
        xml = parts.get(path)
        out.append(extent(name, xml) if xml is not None else Extent(name))
    return out


def extent(sheet: str, xml: bytes) -> Extent:
    e = Extent(sheet)
    rows, cols = _content_extent(xml)
    if rows:
        e = e.grow("cell", rows, cols)
    merged = 0
    for text in _MERGE.findall(xml):
        r = _range(text)
        if r is None:
            continue
        merged += (r[2] - r[0] + 1) * (r[3] - r[1] + 1)
        e = e.grow("merge", r[2], r[3], text.decode("ascii", "replace"))
    # calamine and openpyxl place cells by their own references, not by <dimension>; a dimension
    # past Excel's own last cell (XFD1048576) only comes from a damaged or forged file
    if (m := _DIMENSION.search(xml, 0, max(xml.find(b"<sheetData"), 0))) and (r := _range(m.group(1))) and (r[2] > MAX_ROWS or r[3] > MAX_COLUMNS):
        e = e.grow("dimension", r[2], r[3], m.group(1).decode("ascii", "replace"))
    return Extent(e.sheet, e.rows, e.cols, merged, e.far, e.far_range)


_SST = re.compile(rb'<(?:\w+:)?sst\b[^<>]{0,1000}')
_COUNT_ATTR = re.compile(rb'\b(?:count|uniqueCount)="([0-9]{1,20})"')


def strings_claimed(parts: dict[str, bytes]) -> int:
    """How many strings the shared-string table says it holds: calamine reserves room for that
    many before reading one (two billion asked for 48 GB and aborted)."""
    claimed = 0
    for name, xml in parts.items():
        if name.lower().endswith("sharedstrings.xml") and (m := _SST.search(xml, 0, 4096)):
            claimed = max([claimed, *map(int, _COUNT_ATTR.findall(m.group(0)))])
    return claimed


def _range(text: bytes) -> tuple[int, int, int, int] | None:
    """(first row, first col, last row, last col), 1-based, of "B2:D9" or "B2"; None if unreadable."""
    m = _RANGE.match(text.decode("ascii", "replace").strip())
    if m is None:
        return None
    r0, c0 = int(m.group(2)), column_index(m.group(1).upper()) + 1
    r1, c1 = (int(m.group(4)), column_index(m.group(3).upper()) + 1) if m.group(3) else (r0, c0)
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)


def _content_extent(xml: bytes) -> tuple[int, int]:
    """(last row, last column), 1-based, of the cells with content, as calamine will place them."""
    if _NO_REF_FIRST.search(xml) or _PREFIXED.search(xml):
        return _walked_extent(xml)  # cells placed by counting, or prefixed tags: follow calamine
    if b'<c r="' not in xml:
        return 0, 0
    # A guess from the header and the last rows, then one search for any cell beyond it: a
    # well-ordered sheet is done in two passes of the XML; anything else is counted exactly.
    edges = _CONTENT_REF.findall(xml[:_EDGE]) + _CONTENT_REF.findall(xml[-_EDGE:])
    rows, cols = _refs_max(edges) if edges else (1, 1)
    beyond = re.compile(rb'<c r="(?:' + _letters_above(cols) + rb"[0-9]+|[A-Za-z]+" + _digits_above(rows)
                        + rb')"[^<>/]*+>')
    if beyond.search(xml) is None:
        return rows, cols
    return _refs_max(_CONTENT_REF.findall(xml))


def _refs_max(refs: list[bytes]) -> tuple[int, int]:
    """(max row, max column), 1-based, of cell references such as b"AB12", computed with numpy."""
    width = max(map(len, refs))
    if width > 12:  # past XFD1048576 by far (and past int64 in base 26): exact, in Python
        return max(_split(r)[0] for r in refs), max(_split(r)[1] for r in refs)
    grid = np.array(refs, dtype=f"S{width}").view(np.uint8).reshape(len(refs), width).astype(np.int64)
    upper = np.where(grid >= 97, grid - 32, grid)
    letter, digit = (upper >= 65) & (upper <= 90), (grid >= 48) & (grid <= 57)
    row, col = np.zeros(len(refs), np.int64), np.zeros(len(refs), np.int64)
    for k in range(width):
        col = np.where(letter[:, k], col * 26 + upper[:, k] - 64, col)
        row = np.where(digit[:, k], row * 10 + grid[:, k] - 48, row)
    return int(row.max()), int(col.max())


def _split(ref: bytes) -> tuple[int, int]:
    text = ref.decode("ascii")
    letters = text.rstrip("0123456789")
    return int(text[len(letters):] or 0), column_index(letters.upper()) + 1


def _digits_above(n: int) -> bytes:
    """A pattern for the decimal numbers greater than n (as whole digit runs)."""
    s = str(n)
    alts = [f"[0-9]{{{len(s) + 1},}}"]
    alts += [f"{s[:i]}[{int(d) + 1}-9][0-9]{{{len(s) - i - 1}}}" for i, d in enumerate(s) if d != "9"]
    return ("(?:" + "|".join(alts) + ")").encode()


def _letters_above(col: int) -> bytes:
    """A pattern for the column letters (either case) after column `col` (1-based)."""
    s = column_letter(col - 1)

    def at_least(ch: str) -> str:
        return f"[{ch}-Z{ch.lower()}-z]"

    alts = [f"[A-Za-z]{{{len(s) + 1},}}"]
    for i, ch in enumerate(s):
        if ch != "Z":
            same = "".join(f"[{c}{c.lower()}]" for c in s[:i])
            alts.append(f"{same}{at_least(chr(ord(ch) + 1))}[A-Za-z]{{{len(s) - i - 1}}}")
    return ("(?:" + "|".join(alts) + ")").encode()


def _walked_extent(xml: bytes) -> tuple[int, int]:
    """Rows and cells placed as calamine places them: by their r="…" when given, else one after
    the previous. Slower (a Python step per tag); only for writers that leave out r="…"."""
    row = col = -1
    rows = cols = 0
    for tag, attrs in _TAG.findall(xml):
        r = _R_ATTR.search(attrs)
        if tag == b"row":
            row = int(r.group(1)) - 1 if r and r.group(1).isdigit() else row + 1
            col = -1
            continue
        if r and (ref := _RANGE.match(r.group(1).decode("ascii", "replace"))) and not ref.group(3):
            row, col = int(ref.group(2)) - 1, column_index(ref.group(1).upper())
        else:
            col += 1
        if not attrs.endswith(b"/"):
            rows, cols = max(rows, row + 1), max(cols, col + 1)
    return rows, cols


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
    start = styles_xml.find(b"<cellXfs")
    end = styles_xml.find(b"</cellXfs>", start)
    if start < 0 or end < 0:
        return set()
    out = set()
    for i, tag in enumerate(_XF.findall(styles_xml, start, end)):
        fmt = _attrs(tag).get("numFmtId", "0")
        if fmt.isdigit() and (int(fmt) in PERCENT_BUILTIN or int(fmt) in custom):
            out.add(i)
    return out


def percent_cells(xml: bytes, styles: set[int]) -> set[tuple[int, int]]:
    """(row, column), 0-based, of the number cells displayed with a percent style: one pass over
    the cells, naming the styles in the pattern when they are few, else looking each one up."""
    if len(styles) <= FEW_STYLES:
        pattern = re.compile(rb'<c\b[^<>]{0,1000}?\bs="(' + b"|".join(str(s).encode() for s in sorted(styles)) + rb')"[^<>]{0,1000}>')
    else:
        pattern = _STYLED_CELL
    out = set()
    for m in pattern.finditer(xml):
        if int(m.group(1)) not in styles:
            continue
        tag = m.group(0)
        kind = _attrs(tag).get("t", "n")
        ref = _ref(tag)
        if kind == "n" and ref is not None:  # a number (not text, a boolean or an error)
            out.add((ref[1] - 1, column_index(ref[0])))
    return out
