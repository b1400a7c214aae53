"""A corpus of malformed (and a few odd but acceptable) workbooks, generated into a directory.

Each `Case` builds one file with a fixed seed and states the outcome ingest must give:
`problems` lists (code, sheet, cell) triples that must all be reported (the report may hold more,
e.g. a warning), and `accepted` cases must read as valid with `n_values` observations.
`message` is a piece of text the first expected problem's Chinese message must contain.

Big files are written by hand as sheet XML (stored or deflated zip members) so that generating
the whole corpus takes well under a second and a few MB of disk.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest_helpers import write_book
from openpyxl import Workbook

from ipdata.ingest import MAX_UPLOAD_BYTES

SHEET = "指标数据"
HEADER = ["序号", "指标名称", "单位", "2021年", "2022年", "2023年"]


@dataclass(frozen=True)
class Case:
    id: str
    group: str  # type | structure | values | names | formulas | size
    build: Callable[[Path], Path]
    problems: tuple[tuple[str, str | None, str | None], ...] = ()
    message: str = ""
    accepted: bool = False
    n_values: int = 0
    why: str = ""  # for accepted cases: why the input is in fact fine
    xfail: str | None = None  # a known ingest bug: reason with file:line
    extra: dict[str, Any] = field(default_factory=dict)


# --- writers -------------------------------------------------------------------------------


def _wide(*rows: list[Any], header: list[Any] = HEADER) -> list[list[Any]]:
    """Title, note, header on row 3, data from row 4 (a statistician's own layout)."""
    return [["通州区知识产权主要指标"], ["单位：见各行"], header, *rows]


def book(rows: list[list[Any]] | None = None, **kw: Any) -> Callable[[Path], Path]:
    """A builder for a one-sheet workbook with `rows` (default: one good row)."""
    sheets = kw.pop("sheets", None) or {SHEET: rows}
    return lambda path: write_book(path, sheets, **kw)


def raw(data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        path.write_bytes(data() if callable(data) else data)
        return path
    return build


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>")
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>")
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    f'<sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>")


def _cell(ref: str, v: Any) -> str:
    if isinstance(v, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
    return f'<c r="{ref}"><v>{v}</v></c>'


def _row(r: int, values: list[Any]) -> str:
    cells = "".join(_cell(f"{chr(65 + j)}{r}", v) for j, v in enumerate(values) if v is not None)
    return f'<row r="{r}">{cells}</row>'


def sheet_xml(path: Path, head: str, body: Callable[[], Any], tail: str,
              compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A minimal one-sheet .xlsx whose sheet XML is head + chunks from `body()` + tail, streamed."""
    with zipfile.ZipFile(path, "w", compression, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(head.encode())
            for chunk in body():
                out.write(chunk)
            out.write(tail.encode())
    return path


_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<dimension ref="{dim}"/><sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"
_GOOD = [_row(1, ["指标名称", "2021年"]), _row(2, ["案件结案率", 90])]


def million_rows(path: Path) -> Path:
    """1,048,576 rows by the sheet's own account (dimension and last row), a few hundred bytes."""
    body = lambda: [("".join(_GOOD) + _row(1048576, ["案件结案率", 91])).encode()]  # noqa: E731
    return sheet_xml(path, _SHEET_HEAD.format(dim="A1:B1048576"), body, _SHEET_TAIL)


def over_limit(path: Path) -> Path:
    """A real sheet of incompressible text, stored uncompressed: just over the upload limit."""
    rng = random.Random(20)
    target = MAX_UPLOAD_BYTES + 256 * 1024

    def body():
        yield "".join(_GOOD).encode()
        written, r = 0, 3
        while written < target:
            chunk = "".join(_row(r + i, [f"{rng.getrandbits(64):x}", rng.random()]) for i in range(2000))
            r += 2000
            written += len(chunk)
            yield chunk.encode()
    return sheet_xml(path, _SHEET_HEAD.format(dim="A1:B400000"), body, _SHEET_TAIL, zipfile.ZIP_STORED)


BOMB_MB = 160  # decompressed size of the bomb's sheet XML; about 1.2 MB on disk


def zip_bomb(path: Path) -> Path:
    """A well-formed workbook whose one sheet is 300 MB of identical rows (deflate: ~1000:1)."""
    row = _row(3, ["案件结案率", 90]).replace('r="3"', "").replace('r="A3"', "").replace('r="B3"', "")
    block = (row * (1024 * 1024 // len(row) + 1)).encode()[: 1024 * 1024]
    block = block[: block.rfind(b"</row>") + len(b"</row>")]
    body = lambda: [block] * BOMB_MB  # noqa: E731
    return sheet_xml(path, _SHEET_HEAD.format(dim="A1:B99999999") + "".join(_GOOD), body, _SHEET_TAIL)


def _ole() -> bytes:
    rng = random.Random(3)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.getrandbits(8) for _ in range(4088))


def _zip_of(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buffer.getvalue()


def truncated(path: Path) -> Path:
    write_book(path, {SHEET: _wide(["1", "案件结案率", "%", 90])})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def formula_book(formulas: dict[str, str], rows: list[list[Any]]) -> Callable[[Path], Path]:
    """openpyxl writes formulas without a cached value (as a user's script or some tools do)."""
    def build(path: Path) -> Path:
        wb = Workbook()
        ws = wb.active
        ws.title = SHEET
        for row in rows:
            ws.append(row)
        for ref, f in formulas.items():
            ws[ref] = f
        wb.save(path)
        return path
    return build


def date_header(path: Path) -> Path:
    import datetime as dt
    return write_book(path, {SHEET: [["指标名称", dt.datetime(2021, 1, 1), dt.datetime(2022, 1, 1)],
                                ["案件结案率", 90, 91]]})


def date_in_long_year(path: Path) -> Path:
    import datetime as dt
    return write_book(path, {SHEET: [["指标", "地区", "年份", "数值"],
                                ["案件结案率", "全区", dt.date(2023, 6, 30), 90]]})


# --- the cases -----------------------------------------------------------------------------

GOOD_ROW = ["1", "案件结案率", "%", 90]
CASES: list[Case] = [
    # wrong types
    Case("csv-renamed", "type", raw("指标名称,2021年\n案件结案率,90\n".encode()),
         (("unreadable-file", None, None),), "CSV"),
    Case("csv-gbk-renamed", "type", raw("指标名称\t2021年\n案件结案率\t90\n".encode("gbk")),
         (("unreadable-file", None, None),), ".xlsx"),
    Case("html-as-xls", "type", raw("<html><table><tr><td>案件结案率</td><td>90</td></tr></table></html>".encode()),
         (("unreadable-file", None, None),), ".xlsx"),
    Case("xls-ole2", "type", raw(_ole), (("unreadable-file", None, None),), "已损坏"),
    Case("empty-file", "type", raw(b""), (("unreadable-file", None, None),), "空的"),
    Case("random-bytes", "type", raw(lambda: random.Random(7).randbytes(5000)),
         (("unreadable-file", None, None),), "不是 Excel 工作簿"),
    Case("zip-not-workbook", "type", raw(lambda: _zip_of({"readme.txt": "hello"})),
         (("unreadable-file", None, None),), "压缩包"),
    Case("docx-renamed", "type", raw(lambda: _zip_of({"word/document.xml": "<w:document/>"})),
         (("unreadable-file", None, None),), "Word"),
    Case("truncated-xlsx", "type", truncated, (("unreadable-file", None, None),), "损坏"),
    Case("workbook-xml-garbage", "type",
         raw(lambda: _zip_of({"[Content_Types].xml": "x", "xl/workbook.xml": "<<<not xml"})),
         (("unreadable-file", None, None),), "无法作为 Excel 工作簿打开"),
    # structure
    Case("no-header", "structure", book([["案件结案率", 90, 91], ["新增贯标单位", 18, 20]]),
         (("no-data", None, None),), "未找到可识别的数据表"),
    Case("header-only", "structure", book(_wide()), (("no-data", None, None),), "没有填写任何数据"),
    Case("empty-workbook", "structure", book([]), (("no-data", None, None),), "工作簿是空的"),
    Case("header-below-row-30", "structure", book([[None]] * 35 + [HEADER[1:3] + HEADER[3:4], ["案件结案率", "%", 90]]),
         (("no-data", None, None),), "未找到可识别的数据表"),
    Case("header-not-on-first-row", "structure", book([[None], ["说明：本表为年报"], [None], [None], HEADER, GOOD_ROW]),
         accepted=True, n_values=1, why="title and note rows above the header are normal; the header is found by its words"),
    Case("merged-header-cells", "structure",
         book([["指标名称", None, "2021年", "2022年"], ["案件结案率", None, 90, 91]], merges={SHEET: ["A1:B1", "A2:B2"]}),
         accepted=True, n_values=2, why="a merged cell's value belongs to every cell it covers"),
    Case("merged-year-header", "structure",
         book([["指标名称", "2021年", None], ["案件结案率", 90, 91]], merges={SHEET: ["B1:C1"]}),
         (("duplicate-conflict", SHEET, "C2"),), "两个不同的值"),
    Case("only-sheet-hidden", "structure", book(sheets={"封面": [["通州区知识产权统计"]], SHEET: _wide(GOOD_ROW)}, hidden=(SHEET,)),
         (("hidden-sheet", SHEET, None), ("no-data", None, None)), "隐藏"),
    Case("hidden-sheet-beside-data", "structure",
         book(sheets={SHEET: _wide(GOOD_ROW), "旧数据": _wide(["1", "案件结案率", "%", 10])}, hidden=("旧数据",)),
         accepted=True, n_values=1, why="the visible sheet is read; the hidden one is skipped with a warning"),
    Case("two-tables-one-sheet", "structure",
         book([*_wide(GOOD_ROW), [None], HEADER, ["1", "案件结案率", "%", 70]]),
         (("duplicate-conflict", SHEET, "D7"),), "两个不同的值"),
    # values
    Case("text-in-number", "values", book(_wide(["1", "案件结案率", "%", "九十"])),
         (("not-a-number", SHEET, "D4"),), "“九十”不是数字"),
    Case("negative-count", "values", book(_wide(["1", "新增贯标单位", "家", -5])),
         (("negative-value", SHEET, "D4"),), "不能为负数"),
    Case("fraction-for-percent", "values", book(_wide(["1", "案件结案率", "%", 0.9, 91, 92])),
         accepted=True, n_values=3, why="0.9 % may be true: a fraction-looking percent is warned (若为 0.9% 无需修改), not refused"),
    Case("percent-over-100", "values", book(_wide(["1", "案件结案率", "%", 150])),
         (("percent-out-of-range", SHEET, "D4"),), "0 到 100"),
    Case("percent-sign-on-count", "values", book(_wide(["1", "新增贯标单位", "家", "16%"])),
         (("unit-mismatch", SHEET, "D4"),), "不是百分比"),
    Case("huge-1e308", "values", book(_wide(["1", "新增贯标单位", "家", 1e308])),
         (("implausible-value", SHEET, "D4"),), "D4"),
    Case("overflow-text-1e400", "values", book(_wide(["1", "新增贯标单位", "家", "1e400"])),
         (("not-a-number", SHEET, "D4"),), "不是数字"),
    Case("nan-text", "values", book(_wide(["1", "新增贯标单位", "家", "NaN"])),
         (("not-a-number", SHEET, "D4"),), "不是数字"),
    Case("bool-in-number", "values", book(_wide(["1", "新增贯标单位", "家", True])),
         (("not-a-number", SHEET, "D4"),), "不是数字"),
    Case("date-in-number", "values", book(_wide(["1", "新增贯标单位", "家", __import__("datetime").date(2023, 1, 1)])),
         (("not-a-number", SHEET, "D4"),), "不是数字"),
    Case("date-as-year-header", "values", date_header, accepted=True, n_values=2,
         why="a header year written as a date is the date's year"),
    Case("date-in-year-column", "values", date_in_long_year, accepted=True, n_values=1,
         why="a 年份 cell written as a date is the date's year"),
    Case("year-in-chinese-numerals", "values", book([["指标名称", "二〇二三年"], ["案件结案率", 90]]),
         accepted=True, n_values=1, why="二〇二三年 is 2023"),
    Case("year-range-header", "values", book([["指标名称", "2022-2023年"], ["案件结案率", 90]]),
         (("bad-year", SHEET, "B1"),), "不能确定是哪一年"),
    Case("two-digit-year", "values", book([["指标名称", "23年"], ["案件结案率", 90]]),
         (("bad-year", SHEET, "B1"),), "23年"),
    Case("chinese-numeral-year-in-year-column", "values",
         book([["指标", "地区", "年份", "数值"], ["案件结案率", "全区", "二〇二三年", 90]]),
         accepted=True, n_values=1, why="二〇二三年 is 2023 in a 年份 column too"),
    Case("two-digit-year-in-year-column", "values",
         book([["指标", "地区", "年份", "数值"], ["案件结案率", "全区", "23年", 90]]),
         (("bad-year", SHEET, "C2"),), "23年"),
    Case("future-year", "values", book([["指标名称", "2021年", "2099年"], ["案件结案率", 90, 95]]),
         (("bad-year", SHEET, "C1"),), "2099"),
    Case("year-before-plan", "values", book([["指标名称", "1999年"], ["案件结案率", 90]]),
         accepted=True, n_values=1, why="years before the plan's base year are history (header years 1900-2100 are read)"),
    Case("milestone-word", "values", book(_wide(["1", "建成省级知识产权保护示范区", "项", "也许"])),
         (("not-a-number", SHEET, "D4"),), "也许"),
    Case("fullwidth-and-thousands", "values", book(_wide(["1", "新增贯标单位", "家", "１,２３４", " 12 "])),
         accepted=True, n_values=2, why="full-width digits, thousands separators and spaces are numbers"),
    # names
    Case("unknown-name", "names", book(_wide(["1", "外星人专利数", "件", 3])),
         (("no-plan-indicator", SHEET, "B4"), ("skipped-rows", SHEET, "B4")), "没有一行是规划"),
    Case("near-miss-name", "names", book(_wide(["1", "万人高价值发明专利拥有数", "件", 9])),
         (("skipped-rows", SHEET, "B4"), ("no-plan-indicator", SHEET, "B4")), "是否指“万人高价值发明专利拥有量”"),
    Case("unknown-region", "names", book([["指标名称", "地区", "2023年"], ["新增贯标单位", "崇川区", 3]]),
         (("unknown-region", SHEET, "B2"),), "“崇川区”不是全区或规划所列的镇(街道)"),
    Case("missing-name", "names", book(_wide(["1", None, "件", 9])),
         (("unknown-indicator", SHEET, "B4"),), "没有指标名称"),
    Case("duplicate-conflicting", "names", book(_wide(GOOD_ROW, ["2", "案件结案率", "%", 80])),
         (("duplicate-conflict", SHEET, "D5"),), "D4"),
    Case("duplicate-same-value", "names", book(_wide(GOOD_ROW, ["2", "案件结案率", "%", 90])),
         accepted=True, n_values=1, why="the same figure twice is merged silently"),
    Case("wrong-unit", "names", book(_wide(["1", "地区生产总值", "万元", 1300])),
         (("unit-mismatch", SHEET, "C4"),), "亿元"),
    Case("unknown-task", "names", book([["任务编号", "状态"], ["九.9.9", "推进中"]]),
         (("unknown-task", SHEET, "A2"),), "九.9.9"),
    Case("bad-task-status", "names", book([["任务编号", "状态"], ["二.1.1", "差不多了"]]),
         (("bad-task-status", SHEET, "B2"),), "差不多了"),
    # formulas
    Case("formula-no-cache-only", "formulas",
         formula_book({"B2": "=45+45"}, [["指标名称", "2021年"], ["案件结案率", None]]),
         (("formula-without-value", SHEET, "B2"),), "B2"),
    Case("formula-no-cache-beside-value", "formulas",
         formula_book({"C2": "=B2+1"}, [["指标名称", "2021年", "2022年"], ["案件结案率", 90, None]]),
         (("formula-without-value", SHEET, "C2"),), "C2"),
    # size
    Case("over-20-mb", "size", over_limit, (("file-too-large", None, None),), "20 MB"),
    Case("million-rows", "size", million_rows, (("duplicate-conflict", SHEET, "B1048576"),), "B2",
         why="the dimension says A1:B1048576 and row 1048576 repeats row 2's key with another value: "
             "the last row is really read, and the conflict is named"),
]


def build_all(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    return {c.id: c.build(directory / f"{c.id}.xlsx") for c in CASES}
