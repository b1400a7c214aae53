"""Finding the header of a sheet and reading its rows into located raw records.

A sheet's role is decided by its header, not its name: a *wide* table (a name column plus year
columns, the template and most statisticians' own tables), a *long* table (指标/地区/年份/数值),
*targets* (目标值 per region) or *tasks* (任务编号 + 状态). Values stay raw here; `values.py`
parses and checks them, so every problem can still name its cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ipdata.ingest.cells import (
    header_key,
    is_blank,
    looks_like_year,
    nfkc,
    parse_year,
    text_or_none,
)
from ipdata.ingest.workbook import Sheet

HEADER_SCAN_ROWS = 30  # title and note rows may sit above the header

# Header words by role, compared after `header_key` (NFKC folds （） to ()).
ROLE_WORDS: dict[str, frozenset[str]] = {
    "code": frozenset({"指标代码", "代码", "指标编码", "编码", "指标编号"}),
    "name": frozenset({"指标名称", "指标", "名称", "项目", "指标项目", "项目名称", "主要指标", "统计指标", "指标内容"}),
    "unit": frozenset({"单位", "计量单位"}),
    "region": frozenset({"地区", "区域", "地区名称", "镇(街道)", "镇街", "镇(街道)名称", "板块", "区镇"}),
    "year": frozenset({"年份", "年度", "年", "统计年度", "统计年份"}),
    "value": frozenset({"数值", "值", "数据", "完成值", "实际值", "指标值", "完成数"}),
    "source": frozenset({"数据来源", "来源", "资料来源"}),
    "note": frozenset({"备注", "说明", "备注说明"}),
    "target": frozenset({"目标值", "目标", "目标任务", "目标数"}),
    "target_year": frozenset({"目标年份", "目标年度"}),
    "task_id": frozenset({"任务编号", "编号", "任务序号"}),
    "status": frozenset({"状态", "进展状态", "完成状态", "任务状态"}),
    "progress": frozenset({"进展说明", "进展情况", "工作进展"}),
    "updated": frozenset({"更新日期", "更新时间", "日期"}),
}
_WORD_ROLE = {w: role for role, words in ROLE_WORDS.items() for w in words}
_TARGET_WITH_YEAR = re.compile(r"(\d{4})年?度?目标(值|数|任务)?")
_FOOTNOTE = re.compile(r"(注|附注|备注|说明|资料来源|数据来源|填报单位|填表人|填报人|制表|审核|联系电话|单位负责人|统计负责人)\d*[:：]?")

EXPECTED_HEADERS = (
    "① 指标数据：“指标名称 | 单位 | 2021年 | 2022年 …”(可加“指标代码”“地区”列)；"
    "② 逐行数据：“指标 | 地区 | 年份 | 数值”；"
    "③ 目标分解：“指标名称 | 地区 | 目标值”；"
    "④ 任务进度：“任务编号 | 状态”"
)


@dataclass
class Header:
    row: int  # 0-based index into Sheet.rows
    kind: str  # wide | long | targets | tasks
    roles: dict[str, int]  # role -> 0-based column (first occurrence)
    years: list[tuple[int, Any]] = field(default_factory=list)  # (column, year) value columns; a year
    # the reader cannot use (a date, 二〇二三年) stays as written and is reported at its header cell
    targets: list[tuple[int, int | None]] = field(default_factory=list)  # (column, year or None)


@dataclass
class Entry:
    """One value cell of a data row with the cell that gives its year."""

    kind: str  # value | target
    value: Any
    row: int  # 1-based Excel row of the value
    col: int  # 0-based column of the value
    year: Any  # raw year (int from a header, cell content in long tables, None = plan target year)
    year_row: int | None = None
    year_col: int | None = None


@dataclass
class DataRow:
    sheet: str
    row: int  # 1-based Excel row
    name: str | None
    name_col: int | None
    code: str | None
    code_col: int | None
    unit: str | None
    unit_col: int | None
    region: str | None
    source: str | None
    note: str | None
    entries: list[Entry]


@dataclass
class TaskRow:
    sheet: str
    row: int
    task_id: str
    id_col: int
    status: Any
    status_col: int
    note: str | None
    updated: str | None


@dataclass
class SheetTable:
    sheet: str
    header: Header
    rows: list[DataRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)


def classify(cells: list[Any], row: int) -> Header | None:
    """The role of a header row, or None if the row is not a header we know."""
    roles: dict[str, int] = {}
    years: list[tuple[int, Any]] = []
    odd_years: list[tuple[int, Any]] = []
    targets: list[tuple[int, int | None]] = []
    for col, cell in enumerate(cells):
        key = header_key(cell)
        if not key:
            continue
        role = _WORD_ROLE.get(key)
        if role == "target":
            targets.append((col, None))
        elif role:
            roles.setdefault(role, col)
        elif (m := _TARGET_WITH_YEAR.fullmatch(key)) is not None:
            targets.append((col, int(m.group(1))))
        elif (year := parse_year(cell)) is not None and 1900 <= year <= 2100:
            years.append((col, year))
        elif looks_like_year(cell):
            odd_years.append((col, cell))
    named = "name" in roles or "code" in roles
    # A year written as a date, 二〇二三年 or 23年 still marks a year column: the table is read, and
    # each such header cell gets its own bad-year problem instead of the whole table going unseen.
    years += odd_years
    if "task_id" in roles and "status" in roles:
        return Header(row, "tasks", roles)
    if named and "year" in roles and "value" in roles:
        return Header(row, "long", roles)
    if named and years:
        return Header(row, "wide", roles, years, targets)
    if named and targets:
        return Header(row, "targets", roles, [], targets[:1])
    return None


def find_header(sheet: Sheet) -> Header | None:
    for i, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        header = classify(cells, i)
        if header:
            return header
    return None


def is_footnote(cells: list[Any]) -> bool:
    """注：…, 资料来源：…, 填报单位：…, 填表人… rows under a table."""
    first = next((c for c in cells if not is_blank(c)), None)
    if not isinstance(first, str):
        return False
    text = "".join(nfkc(first).split())
    m = _FOOTNOTE.match(text)
    # "说明" alone could be a note column's text; a footnote has the colon or starts the row.
    return bool(m) and (m.group(0).endswith((":", "：")) or text.startswith(("填表人", "制表", "审核")))


def read_table(sheet: Sheet, header: Header | None = None) -> SheetTable | None:
    header = header or find_header(sheet)
    if header is None:
        return None
    table = SheetTable(sheet.name, header)
    reader = _read_task_row if header.kind == "tasks" else _read_data_row
    for i in range(header.row + 1, len(sheet.rows)):
        cells = sheet.rows[i]
        if all(is_blank(c) for c in cells) or is_footnote(cells):
            continue
        record = reader(sheet.name, header, cells, i)
        if isinstance(record, TaskRow):
            table.tasks.append(record)
        elif record is not None:
            table.rows.append(record)
    return table


def _get(cells: list[Any], roles: dict[str, int], role: str) -> Any:
    col = roles.get(role)
    return cells[col] if col is not None and col < len(cells) else None


def _read_data_row(sheet: str, h: Header, cells: list[Any], i: int) -> DataRow | None:
    r = i + 1
    entries: list[Entry] = []
    if h.kind == "wide":
        entries += [Entry("value", cells[c], r, c, y, h.row + 1, c) for c, y in h.years if not is_blank(cells[c])]
    elif h.kind == "long":
        c = h.roles["value"]
        if not is_blank(cells[c]):
            yc = h.roles["year"]
            entries.append(Entry("value", cells[c], r, c, cells[yc], r, yc))
    for c, y in h.targets:
        if is_blank(cells[c]):
            continue
        if h.kind == "targets" and "target_year" in h.roles and not is_blank(cells[h.roles["target_year"]]):
            yc = h.roles["target_year"]
            entries.append(Entry("target", cells[c], r, c, cells[yc], r, yc))
        else:
            entries.append(Entry("target", cells[c], r, c, y, h.row + 1 if y is not None else None, c))
    if not entries:
        return None  # section rows (一、…), template rows left blank: nothing to import
    return DataRow(
        sheet=sheet,
        row=r,
        name=text_or_none(_get(cells, h.roles, "name")),
        name_col=h.roles.get("name"),
        code=text_or_none(_get(cells, h.roles, "code")),
        code_col=h.roles.get("code"),
        unit=text_or_none(_get(cells, h.roles, "unit")),
        unit_col=h.roles.get("unit"),
        region=text_or_none(_get(cells, h.roles, "region")),
        source=text_or_none(_get(cells, h.roles, "source")),
        note=text_or_none(_get(cells, h.roles, "note")),
        entries=entries,
    )


def _read_task_row(sheet: str, h: Header, cells: list[Any], i: int) -> TaskRow | None:
    task_id = text_or_none(_get(cells, h.roles, "task_id"))
    status = _get(cells, h.roles, "status")
    note = text_or_none(_get(cells, h.roles, "progress")) or text_or_none(_get(cells, h.roles, "note"))
    updated = text_or_none(_get(cells, h.roles, "updated"))
    if task_id is None or (is_blank(status) and note is None and updated is None):
        return None  # a pre-filled paragraph nobody reported on yet
    return TaskRow(sheet, i + 1, task_id, h.roles["task_id"], status, h.roles["status"], note, updated)
