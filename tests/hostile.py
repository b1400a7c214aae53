"""A hostile corpus: workbooks built to hurt a server that reads them, generated into a directory.

Each class of attack from issue 12 and its neighbours: far cells (by reference, by counting, in
lower case), giant and overlapping merges, forged dimensions, zip members that understate their
size, honest bombs and overlapping members, 100,000 percent styles, 820,000 rows of junk, unknown
regions by the thousand, deep and huge XML, entity expansion, long strings and a backtracking
name, in .xlsx, .ods and .xls. Every file is written by hand (XML streamed into a zip, or an .xls
patched in place) so that the whole corpus takes seconds and a few tens of MB.

`expect` names the refusal a case is built to meet (code, and the cell it must name when it is
located); None means an import or any Chinese refusal is right (what matters is that it ends).
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from xlrd.compdoc import CompDoc

ROOT = Path(__file__).resolve().parent.parent
GOAL = "新增贯标单位"  # a goal of the plan (家)
TOWN = "金沙街道"


@dataclass(frozen=True)
class Hostile:
    id: str
    build: Callable[[Path], Path]
    expect: tuple[str, str | None] | None = None  # (code, cell) of the refusal it must meet
    suffix: str = ".xlsx"


# --- writers ------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>")
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>')
_WS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _workbook(names: list[str]) -> tuple[str, str]:
    sheets = "".join(f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="{_WS}" Target="worksheets/sheet{i + 1}.xml"/>'
                   for i in range(len(names)))
    return ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>',
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{rels}</Relationships>')


def xlsx(path: Path, sheets: dict[str, Callable[[], Iterable[bytes | str]]], styles: str | None = None,
         level: int = 1, picture: int = 0) -> Path:
    """A workbook whose sheets' XML is streamed from generators (head and tail included by them);
    `picture` bytes of noise stored beside them keep the packing ratio of a real file."""
    book, rels = _workbook(list(sheets))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        if picture:
            zf.writestr("xl/media/image1.png", random.Random(12).randbytes(picture), zipfile.ZIP_STORED)
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", book)
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
        if styles:
            zf.writestr("xl/styles.xml", styles)
        for i, chunks in enumerate(sheets.values()):
            with zf.open(f"xl/worksheets/sheet{i + 1}.xml", "w", force_zip64=True) as out:
                for chunk in chunks():
                    out.write(chunk.encode() if isinstance(chunk, str) else chunk)
    return path


def cell(ref: str, value: object, attrs: str = "") -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"{attrs}><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"{attrs}><v>{value}</v></c>'


def row(r: int, *values: object) -> str:
    return f'<row r="{r}">' + "".join(cell(f"{chr(65 + j)}{r}", v) for j, v in enumerate(values) if v is not None) + "</row>"


GOOD = [row(1, "指标名称", "地区", "2023年"), row(2, GOAL, TOWN, 12)]


def sheet(*body: str, tail: str = "") -> Callable[[], Iterable[str]]:
    return lambda: [_HEAD, "<sheetData>", *body, "</sheetData>", tail, "</worksheet>"]


def one_sheet(*body: str, tail: str = "", styles: str | None = None) -> Callable[[Path], Path]:
    return lambda path: xlsx(path, {"指标数据": sheet(*body, tail=tail)}, styles)


def dimension(ref: str) -> Callable[[Path], Path]:
    """A good table under a <dimension> that claims `ref`."""
    return lambda path: xlsx(path, {"指标数据": lambda: [_HEAD, f'<dimension ref="{ref}"/><sheetData>', *GOOD,
                                                        "</sheetData></worksheet>"]})


# --- zip forgery ---------------------------------------------------------------------------


def _repeated_deflate(head: bytes, block: bytes, times: int, tail: bytes) -> bytes:
    """A raw deflate stream of head + block * times + tail, built in milliseconds: after a full
    flush the compressor starts afresh, so every block compresses to the same bytes."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    middle = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush(zlib.Z_FINISH)
    return first + middle * times + last


def forged_zip(members: list[tuple[str, bytes, int, int | None]]) -> bytes:
    """A zip written by hand: (name, deflated bytes, size it claims, offset of an earlier member's
    data to point at instead (overlapping members)). The CRC is what the claim would need."""
    out, central, offsets = io.BytesIO(), io.BytesIO(), {}
    for name, data, claimed, shared in members:
        raw = name.encode()
        if shared is None:
            offsets[name] = out.tell()
            out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, len(data), claimed, len(raw), 0))
            out.write(raw)
            out.write(data)
            at = offsets[name]
        else:
            at = shared
        central.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, 0, len(data), claimed,
                                  len(raw), 0, 0, 0, 0, 0, at))
        central.write(raw)
    start, body = out.tell(), central.getvalue()
    n = len(members)
    out.write(body)
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, n, n, len(body), start, 0))
    return out.getvalue()


def _plain(text: str) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(text.encode()) + c.flush()


def _book_members(sheet_data: bytes, claimed: int) -> list[tuple[str, bytes, int, int | None]]:
    book, rels = _workbook(["指标数据"])
    small = [("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS), ("xl/workbook.xml", book),
             ("xl/_rels/workbook.xml.rels", rels)]
    return [(n, _plain(t), len(t.encode()), None) for n, t in small] + [("xl/worksheets/sheet1.xml", sheet_data, claimed, None)]


_JUNK_ROW = b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c>' + b"</row>"
_BLOCK = _JUNK_ROW * (2**20 // len(_JUNK_ROW))


def understated(path: Path) -> Path:
    """2.2 GB of sheet XML in a 2 MB file whose headers say the sheet has 2 KB."""
    data = _repeated_deflate((_HEAD + "<sheetData>").encode(), _BLOCK, 2200, b"</sheetData></worksheet>")
    path.write_bytes(forged_zip(_book_members(data, 2048)))
    return path


def honest_bomb(path: Path) -> Path:
    """The same 2.2 GB, stated truthfully: refused on its own word."""
    data = _repeated_deflate((_HEAD + "<sheetData>").encode(), _BLOCK, 2200, b"</sheetData></worksheet>")
    path.write_bytes(forged_zip(_book_members(data, 2200 * len(_BLOCK) + 200)))
    return path


def overlapping(path: Path) -> Path:
    """One 100 MB kernel that 400 central-directory entries all point at (40 GB "unpacked")."""
    data = _repeated_deflate((_HEAD + "<sheetData>").encode(), _BLOCK, 100, b"</sheetData></worksheet>")
    members = _book_members(data, 100 * len(_BLOCK) + 200)
    kernel = sum(30 + len(n.encode()) + len(d) for n, d, _, _ in members[:-1])
    members += [(f"xl/media/copy{i}.xml", data, 100 * len(_BLOCK) + 200, kernel) for i in range(400)]
    path.write_bytes(forged_zip(members))
    return path


def many_members(path: Path) -> Path:
    book, rels = _workbook(["指标数据"])
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
                           ("xl/workbook.xml", book), ("xl/_rels/workbook.xml.rels", rels)):
            zf.writestr(name, text)
        zf.writestr("xl/worksheets/sheet1.xml", _HEAD + "<sheetData>" + "".join(GOOD) + "</sheetData></worksheet>")
        for i in range(30_000):
            zf.writestr(f"customXml/item{i}.xml", "")
    return path


# --- sheets ----------------------------------------------------------------------------------


def no_refs(path: Path) -> Path:
    """A far cell placed by counting: a million rows and 16,383 cells without r="…"."""
    def chunks():
        yield _HEAD + "<sheetData>" + "".join(GOOD)
        yield "<row/>" * 1_000_000
        yield "<row>" + "<c/>" * 16383 + "<c><v>1</v></c></row></sheetData></worksheet>"
    return xlsx(path, {"指标数据": chunks})


def percent_styles(path: Path) -> Path:
    """100,000 percent cell styles, and 100,000 number cells each in its own style (a pattern naming
    every style took 3 min 54 s once)."""
    xfs = '<xf numFmtId="9" applyNumberFormat="1"/>' * 100_000
    styles = f'<styleSheet><cellXfs count="100000">{xfs}</cellXfs></styleSheet>'
    years = [f"{y}年" for y in range(2021, 2026)]

    def chunks():
        yield _HEAD + "<sheetData>" + row(1, "指标名称", "地区", *years)
        for r in range(2, 20_002):
            values = "".join(f'<c r="{chr(67 + j)}{r}" s="{(r - 2) * 5 + j}"><v>0.{j + 1}</v></c>' for j in range(5))
            yield f'<row r="{r}">{cell(f"A{r}", GOAL)}{cell(f"B{r}", TOWN)}{values}</row>'
        yield "</sheetData></worksheet>"
    return xlsx(path, {"指标数据": chunks}, styles)


def junk_rows(path: Path, n: int = 820_000) -> Path:
    """820,000 rows named after no indicator of the plan (2 min 28 s and 820,000 problems once)."""
    def chunks():
        yield _HEAD + "<sheetData>" + row(1, "指标名称", "2023年")
        for start in range(2, n + 2, 50_000):
            yield "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>未知指标{r}</t></is></c><c r="B{r}"><v>{r}</v></c></row>'
                          for r in range(start, min(start + 50_000, n + 2)))
        yield "</sheetData></worksheet>"
    return xlsx(path, {"指标数据": chunks})


def junk_regions(path: Path, n: int = 200_000) -> Path:
    """A plan goal for 200,000 regions no plan lists (a difflib call per row once)."""
    def chunks():
        yield _HEAD + "<sheetData>" + row(1, "指标名称", "地区", "2023年")
        yield "".join(f'<row r="{r}">{cell(f"A{r}", GOAL)}{cell(f"B{r}", f"某某镇{r}")}{cell(f"C{r}", 3)}</row>'
                      for r in range(2, n + 2))
        yield "</sheetData></worksheet>"
    return xlsx(path, {"指标数据": chunks})


def sparse_at_limit(path: Path) -> Path:
    """The largest grid the default limit allows, with two cells in it (A1 and E1000000)."""
    return one_sheet(row(1, "指标名称", "地区", "2023年"), row(1_000_000, None, None, None, None, 1))(path)


def many_sheets(path: Path) -> Path:
    """300 sheets of 20,000 cells each: each one small, together past the limit."""
    body = lambda: [_HEAD, "<sheetData>", "".join(GOOD), row(1000, *([None] * 19), 1), "</sheetData></worksheet>"]  # noqa: E731
    return xlsx(path, {f"表{i}": body for i in range(300)})


def deep_xml(path: Path) -> Path:
    """A cell whose rich text nests 200,000 levels deep."""
    deep = "<r>" * 200_000 + "<t>x</t>" + "</r>" * 200_000
    return one_sheet(*GOOD, f'<row r="3"><c r="A3" t="inlineStr"><is>{deep}</is></c></row>')(path)


def huge_tag(path: Path) -> Path:
    """One 150 MB attribute, and a cell left open to the end of the sheet."""
    def chunks():
        yield _HEAD + "<sheetData>" + "".join(GOOD) + '<row r="3"><c r="A3" t="e" x="'
        for _ in range(150):
            yield "a" * 2**20
        yield '"><f>1/0</f><v>#DIV/0!' + "<c " * 100_000 + "</sheetData></worksheet>"
    return xlsx(path, {"指标数据": chunks}, picture=3 * 2**20)


def forged_string_count(path: Path) -> Path:
    """A shared-string table that says it holds two billion strings (calamine reserves room first)."""
    book, rels = _workbook(["指标数据"])
    rels = rels.replace("</Relationships>", '<Relationship Id="rId9" Target="sharedStrings.xml" Type="http://schemas.'
                        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS), ("xl/workbook.xml", book),
                           ("xl/_rels/workbook.xml.rels", rels),
                           ("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                            'count="2000000000" uniqueCount="2000000000"><si><t>指标名称</t></si></sst>'),
                           ("xl/worksheets/sheet1.xml", _HEAD + "<sheetData>" + "".join(GOOD) + "</sheetData></worksheet>")):
            zf.writestr(name, text)
    return path


def odd_part_name(path: Path) -> Path:
    """The far cell in a sheet part named data.bin (its relationship says where; calamine follows)."""
    book, rels = _workbook(["指标数据"])
    body = _HEAD + "<sheetData>" + "".join(GOOD) + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS), ("xl/workbook.xml", book),
                           ("xl/_rels/workbook.xml.rels", rels.replace("worksheets/sheet1.xml", "worksheets/data.bin")),
                           ("xl/worksheets/data.bin", body)):
            zf.writestr(name, text)
    return path


def thousands_of_sheets(path: Path) -> Path:
    return xlsx(path, {f"表{i}": sheet(*GOOD) for i in range(5000)})


def billion_laughs(path: Path) -> Path:
    entities = '<!ENTITY lol "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "&lol;" * 10}">' for i in range(10))
    doctype = f"<!DOCTYPE worksheet [{entities}]>"
    laugh = '<row r="3"><c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return xlsx(path, {"指标数据": lambda: ['<?xml version="1.0"?>', doctype, _HEAD[_HEAD.index("<worksheet"):],
                                          "<sheetData>", *GOOD, laugh, "</sheetData></worksheet>"]})


def long_strings(path: Path) -> Path:
    """A 30-million-character region name, a 300,000-character note, a 20-million-character name."""
    def chunks():
        yield _HEAD + "<sheetData>" + row(1, "指标名称", "地区", "2023年", "备注")
        yield f'<row r="2">{cell("A2", GOAL)}<c r="B2" t="inlineStr"><is><t>'
        for _ in range(30):
            yield "镇" * 10**6
        yield f'</t></is></c>{cell("C2", 5)}</row>'
        yield f'<row r="3">{cell("A3", GOAL)}{cell("B3", TOWN)}{cell("C3", 6)}{cell("D3", "备注" * 150_000)}</row>'
        yield '<row r="4"><c r="A4" t="inlineStr"><is><t>'
        for _ in range(20):
            yield "新增" * 500_000
        yield f'</t></is></c>{cell("B4", TOWN)}{cell("C4", 7)}</row>'
        yield "</sheetData></worksheet>"
    return xlsx(path, {"指标数据": chunks}, picture=3 * 2**20)


def backtracking_name(path: Path) -> Path:
    """Names that made the footnote-mark pattern backtrack exponentially (2^n steps for n stars)."""
    rows = [row(1, "指标名称", "地区", "2023年")]
    rows += [row(r, "*" * (20 + r) + "x", TOWN, r) for r in range(2, 60)]
    rows += [row(60, "（注1）" * 5000 + "x", TOWN, 1), row(61, "1." * 20000 + "x", TOWN, 1)]
    return one_sheet(*rows)(path)


# --- OpenDocument ----------------------------------------------------------------------------

_ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
             'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
             'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
             '<office:body><office:spreadsheet><table:table table:name="指标数据">')
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods_cell(v: object, attrs: str = "") -> str:
    if isinstance(v, str):
        return f'<table:table-cell office:value-type="string"{attrs}><text:p>{escape(v)}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="float" office:value="{v}"{attrs}><text:p>{v}</text:p></table:table-cell>'


_ODS_GOOD = ("<table:table-row>" + "".join(map(_ods_cell, ("指标名称", "地区", "2023年"))) + "</table:table-row>"
             "<table:table-row>" + "".join(map(_ods_cell, (GOAL, TOWN, 12))) + "</table:table-row>")


def ods(*body: str) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
            zf.writestr("content.xml", _ODS_HEAD + _ODS_GOOD + "".join(body) + _ODS_TAIL)
            zf.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
        return path
    return build


ODS_REPEATED = ('<table:table-row table:number-rows-repeated="1000000">'
                '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16000"/>'
                "</table:table-row>")
ODS_FAR = ('<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="100"/>'
           '</table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16000"/>'
           + _ods_cell(1) + "</table:table-row>")
ODS_SPAN = ("<table:table-row>" + _ods_cell("合并", ' table:number-columns-spanned="16000" table:number-rows-spanned="100000"')
            + "</table:table-row>")
ODS_DEEP = "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>" + "<text:span>" * 100_000 \
    + "x" + "</text:span>" * 100_000 + "</text:p></table:table-cell></table:table-row>"


def ods_laughs(path: Path) -> Path:
    entities = '<!ENTITY lol "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "&lol;" * 10}">' for i in range(10))
    head = _ODS_HEAD.replace('<?xml version="1.0" encoding="UTF-8"?>',
                             f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE office:document-content [{entities}]>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", head + _ODS_GOOD + "<table:table-row>" + _ods_cell("&lol9;").replace("&amp;", "&")
                    + "</table:table-row>" + _ODS_TAIL)
    return path


# --- Excel 97-2003 -----------------------------------------------------------------------------


def patched_xls(source: str, opcode: int, patch: Callable[[bytearray], None]) -> Callable[[Path], Path]:
    """A LibreOffice-written .xls with one record changed in place (same length, so the container
    stays valid): the far cell or the giant merge a forger would write."""
    def build(path: Path) -> Path:
        data = bytearray((ROOT / source).read_bytes())
        doc = CompDoc(bytes(data), logfile=io.StringIO())
        mem, base, length = doc.locate_named_stream("Workbook")
        stream, pos = bytes(mem[base:base + length]), 0
        while pos + 4 <= len(stream):
            op, size = struct.unpack_from("<HH", stream, pos)
            if op == opcode:
                record = stream[pos:pos + 4 + size]
                at = bytes(data).find(record)
                assert at >= 0, "the record straddles sectors: choose another file"
                body = bytearray(record[4:])
                patch(body)
                data[at + 4:at + 4 + size] = body
                path.write_bytes(bytes(data))
                return path
            pos += 4 + size
        raise AssertionError(f"no record {opcode:#x} in {source}")
    return build


def _far_number(body: bytearray) -> None:
    struct.pack_into("<HH", body, 0, 65535, 255)


def _giant_merge(body: bytearray) -> None:
    struct.pack_into("<4H", body, 2, 0, 65535, 0, 255)


CASES = [
    Hostile("far-cell", one_sheet(*GOOD, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
            ("sheet-too-large", "XFD1048576")),
    Hostile("far-cell-lower-case", one_sheet(*GOOD, '<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>'),
            ("sheet-too-large", "XFD1048576")),
    Hostile("far-cell-counted", no_refs, ("sheet-too-large", "XFD1000003")),
    Hostile("far-cell-odd-part-name", odd_part_name, ("sheet-too-large", "XFD1048576")),
    Hostile("far-inline-empty", one_sheet(*GOOD, '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t></t></is></c></row>'),
            ("sheet-too-large", "XFD1048576")),
    Hostile("dimension-forged", dimension("A1:XFD99999999"), ("sheet-too-large", None)),
    Hostile("dimension-whole-sheet", dimension("A1:XFD1048576")),
    Hostile("giant-merge", one_sheet(*GOOD, tail='<mergeCells count="1"><mergeCell ref="A1:XFD100000"/></mergeCells>'),
            ("sheet-too-large", None)),
    Hostile("overlapping-merges", one_sheet(*GOOD, row(1000, *([None] * 9), 1),
                                            tail="<mergeCells>" + '<mergeCell ref="A1:J1000"/>' * 100_000 + "</mergeCells>"),
            ("merges-too-large", None)),
    Hostile("understated-sizes", understated, ("unreadable-file", None)),
    Hostile("honest-bomb", honest_bomb, ("file-too-large", None)),
    Hostile("overlapping-members", overlapping, ("file-too-large", None)),
    Hostile("thirty-thousand-members", many_members, ("unreadable-file", None)),
    Hostile("percent-styles", percent_styles),
    Hostile("junk-rows", junk_rows),
    Hostile("junk-regions", junk_regions),
    Hostile("sparse-at-limit", sparse_at_limit),
    Hostile("many-sheets", many_sheets, ("file-too-large", None)),
    Hostile("thousands-of-sheets", thousands_of_sheets, ("too-many-sheets", None)),
    Hostile("forged-string-count", forged_string_count, ("unreadable-file", None)),
    Hostile("deep-xml", deep_xml),
    Hostile("huge-tag", huge_tag),
    Hostile("billion-laughs", billion_laughs),
    Hostile("long-strings", long_strings, ("region-too-long", "B2")),
    Hostile("backtracking-name", backtracking_name),
    Hostile("ods-repeated", ods(ODS_REPEATED), ("sheet-too-large", "WQJ1000002"), ".ods"),
    Hostile("ods-far-cell", ods(ODS_FAR), ("sheet-too-large", "WQK1000003"), ".ods"),
    Hostile("ods-giant-span", ods(ODS_SPAN), ("sheet-too-large", None), ".ods"),
    Hostile("ods-deep-xml", ods(ODS_DEEP), None, ".ods"),
    Hostile("ods-billion-laughs", ods_laughs, None, ".ods"),
    Hostile("xls-far-cell", patched_xls("tests/data/calc/good-long.xls", 0x0203, _far_number),
            ("sheet-too-large", "IV65536"), ".xls"),
    Hostile("xls-giant-merge", patched_xls("tests/data/calc/formula-errors.xls", 0x00E5, _giant_merge),
            ("sheet-too-large", None), ".xls"),
]


def build_all(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    return {c.id: c.build(directory / f"{c.id}{c.suffix}") for c in CASES}
