"""Finding the header of a sheet and reading its rows into located raw records.

A sheet's role is decided by its header, not its name: a *wide* table (a name column plus year
columns, the template and most statisticians' own tables), a *long* table (指标/地区/年份/数值),
*targets* (目标值 per region) or *tasks* (任务编号 + 状态). Values stay raw here; `values.py`
parses and checks them, so every problem can still name its cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ipdata.ingest.cells import (
    header_key,
    header_year,
    is_blank,
    is_date_text,
    looks_like_year,
    nfkc,
    text_or_none,
)
from ipdata.ingest.matching import is_unit_text, named_series
from ipdata.ingest.regions import Regions
from ipdata.ingest.workbook import Sheet

HEADER_SCAN_ROWS = 30  # title and note rows may sit above the header
FOOTER_SCAN_ROWS = 30  # and 填报单位 / 填表人 lines below the table
FULL_SCAN_ROWS = 5000  # a sheet up to this long is searched in every column for a second table's header

# Header words by role, compared after `header_key` (NFKC folds （） to ()).
ROLE_WORDS: dict[str, frozenset[str]] = {
    "code": frozenset({"指标代码", "代码", "指标编码", "编码", "指标编号"}),
    "name": frozenset({"指标名称", "指标", "名称", "项目", "指标项目", "项目名称", "主要指标", "统计指标", "指标内容",
                       "考核指标", "评价指标", "监测指标", "具体指标", "指标项", "指标名称及单位"}),
    "unit": frozenset({"单位", "计量单位"}),
    "region": frozenset({"地区", "区域", "地区名称", "镇(街道)", "镇街", "镇(街道)名称", "板块", "区镇", "乡镇(街道)",
                         "乡镇", "街道", "镇(街道、园区)", "单位名称", "县(市、区)", "填报单位", "镇区", "园区"}),
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
    "seq": frozenset({"序号", "行次", "栏次", "序"}),
    # departments answerable for an indicator: never the region of its figures
    "responsible": frozenset({"责任单位", "牵头单位", "责任部门", "配合单位", "牵头部门", "主管部门", "责任科室",
                              "数据提供单位", "提供单位", "报送部门"}),
}
_WORD_ROLE = {w: role for role, words in ROLE_WORDS.items() for w in words}
# Any header made only of administrative level words names a region column: 镇(街道、园区),
# 县(市、区), 乡镇/街道, 镇街名称 … (but not 单位 alone, the unit column).
_REGION_HEADER = re.compile(r"^(?:[乡镇街道县市区园板块、/()]|名称|地区|单位名称)+$")
_REGION_LEVEL = re.compile(r"乡|镇|街道|县|区")
_FOOTNOTE = re.compile(r"(注|附注|备注|说明|资料来源|数据来源|填报单位|填表单位|报送单位|填表人|填报人|制表|审核|联系电话|单位负责人|统计负责人"
                       r"|填报日期|报送日期|填表日期|制表日期|统计日期|日期)\d*[:：]?")
# "单位：万元" / "计量单位：亿元" above a table without unit column: the unit of all its numbers.
_UNIT_OF_TABLE = re.compile(r"^(?:计量)?单位[:：](.+)$")
_UNIT_IN_TITLE = re.compile(r"[(（](?:计量)?单位[:：]([^()（）]+)[)）]")  # …情况（单位：家）
_UNIT_LINE = re.compile(r"^(填报单位|填表单位|报送单位|单位名称|单位)[:：](.+?)(?:(填报|填表|报送|统计|制表|日期|时间|单位)[^:：]*[:：].*)?$")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_UNIT_IN_HEADER = re.compile(r"[(（]([^()（）]{1,8})[)）]$")
# Sub-headers of a two-row header (a year merged over 目标 | 实际): which is a value, which a target.
SUB_VALUE = frozenset({"实际", "实际值", "完成", "完成值", "完成数", "实绩", "实际完成", "完成情况", "数值", "数量", "全年",
                       "全年数", "总量", "绝对数", "年末数", "期末数"})
SUB_TARGET = frozenset({"目标", "目标值", "计划", "计划值", "任务", "目标任务", "计划数", "目标数"})

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
    # the reader cannot use (a range such as 2022-2023年, 23年) stays as written and is reported at its header cell
    targets: list[tuple[int, int | None]] = field(default_factory=list)  # (column, year or None)
    others: list[int] = field(default_factory=list)  # columns about a year that hold none of its values (增长率)
    sub_row: int | None = None  # the second row of a two-row header (目标 | 实际 under a merged year)
    fixed_region: str | None = None  # the one region a title or 填报单位 line names, for a table without region column
    named_regions: tuple[tuple[str, int, int], ...] = ()  # (region, row, col) of every title naming a region
    col_regions: dict[int, str] = field(default_factory=dict)  # regions as columns: column -> region text
    end: int | None = None  # 0-based index after the last body row (the next table's header, or the sheet's end)
    sheet_region: str | None = None  # the region the sheet's own name is (a sheet per town)
    table_unit: tuple[str, int, int] | None = None  # (unit, row, col): a 单位：万元 line above the table
    col_units: dict[int, str] = field(default_factory=dict)  # a unit written in a year header: 2023年(万元)
    year_from_title: bool = False  # the year of its value columns comes from the title (or is missing there)
    fixed_name: str | None = None  # the one indicator a title names, for a table without name column

    @property
    def body(self) -> int:
        """0-based index of the first data row."""
        return (self.sub_row if self.sub_row is not None else self.row) + 1

    def rows(self, sheet: Sheet) -> list[list[Any]]:
        """The table's body rows."""
        return sheet.rows[self.body:self.end]


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
    unit: str | None = None  # the unit its column's header gives (2023年（万元）)


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
    region_col: int | None
    source: str | None
    note: str | None
    entries: list[Entry]
    unit_row: int | None = None  # 1-based row of the unit cell when it is not on this row (单位：万元 line)
    source_col: int | None = None
    note_col: int | None = None


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
    note_col: int | None = None
    updated_col: int | None = None


@dataclass
class SheetTable:
    sheet: str
    header: Header
    rows: list[DataRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)


def _role(key: str, region_level: str | None) -> str | None:
    role = _WORD_ROLE.get(key)
    if role is None and key and (key == region_level or (_REGION_HEADER.fullmatch(key) and _REGION_LEVEL.search(key))):
        role = "region"
    return role


def classify_roles(cells: list[Any], region_level: str | None = None) -> Header:
    """The roles of a row's cells alone (a header that `classify` takes for no known table kind)."""
    roles: dict[str, int] = {}
    targets: list[tuple[int, int | None]] = []
    for col, cell in enumerate(cells):
        role = _role(header_key(cell), region_level) if header_key(cell) else None
        if role == "target":
            targets.append((col, None))
        elif role:
            roles.setdefault(role, col)
    return Header(-1, "none", roles, targets=targets)


_VALUE_WORDS = ("完成", "实际", "数值", "全年", "实绩")


def _years_below(sheet: Sheet, row: int, level: str | None) -> Header | None:
    """指标名称 | 单位 | 实际完成 (merged or not) over 2022年 | 2023年 | 2024年 in the row below, 目标 over
    2025年: the years come from the second row, what each column holds from the first."""
    if row + 1 >= len(sheet.rows):
        return None
    top, sub = sheet.rows[row], sheet.rows[row + 1]
    roles = classify_roles(top, level)
    name_col = roles.roles.get("name", roles.roles.get("code"))
    if name_col is None or (name_col < len(sub) and not is_blank(sub[name_col]) and sub[name_col] != top[name_col]):
        return None
    years: list[tuple[int, Any]] = []
    targets: list[tuple[int, int | None]] = []
    others: list[int] = []
    word = ""
    for c in range(len(sub)):
        if c < len(top) and not is_blank(top[c]):
            word = header_key(top[c])
        if c in roles.roles.values():
            continue
        what, year = header_year(sub[c])
        if what not in ("value", "target"):
            continue
        if what == "target" or word in SUB_TARGET or _WORD_ROLE.get(word) == "target":
            targets.append((c, year))
        elif not word or word in SUB_VALUE or any(w in word for w in _VALUE_WORDS):
            years.append((c, year))
        else:
            others.append(c)
    if not years:
        return None
    return Header(row, "wide", dict(roles.roles), years, targets, others, sub_row=row + 1)


def _indicator_in_title(sheet: Sheet, cells: list[Any], row: int, level: str | None,
                        regions: Regions) -> Header | None:
    """镇(街道) | 2023年 | 2024年 under a title naming one indicator ("各镇（街道）新增贯标单位情况"):
    every row is that indicator's, by region."""
    roles = classify_roles(cells, level)
    if "name" in roles.roles or "code" in roles.roles or "region" not in roles.roles:
        return None
    years = [(c, y) for c, cell in enumerate(cells) for what, y in [header_year(cell)] if what == "value"]
    if not years:
        return None
    names = {s for r in sheet.rows[:row] for cell in r if isinstance(cell, str)
             for s in named_series(regions.plan, _BRACKETED.sub("", cell))}
    if len(names) != 1:
        return None
    h = Header(row, "wide", dict(roles.roles), years)
    h.fixed_name = names.pop()
    return h


def _value_column(sheet: Sheet, roles: Header, row: int) -> Header | None:
    """指标名称 | 单位 | (目标值 |) 完成值 under a title giving one year ("2025年…完成情况", or a sheet
    called 2025年): the 完成值 column holds that year's values, the 目标值 column its targets.
    Without one year there, the header is still found (no value columns) and the sheet refused."""
    if not ("name" in roles.roles or "code" in roles.roles) or "value" not in roles.roles or "year" in roles.roles:
        return None
    years = title_years(sheet, 0, row)
    h = Header(row, "wide", dict(roles.roles), year_from_title=True)
    if len(years) == 1:
        year = next(iter(years))
        h.years = [(roles.roles["value"], year)]
        h.targets = [(c, year) for c, _ in roles.targets]
    return h


def classify(cells: list[Any], row: int, region_level: str | None = None) -> Header | None:
    """The role of a header row, or None if the row is not a header we know."""
    roles: dict[str, int] = {}
    years: list[tuple[int, Any]] = []
    odd_years: list[tuple[int, Any]] = []
    targets: list[tuple[int, int | None]] = []
    others: list[int] = []
    for col, cell in enumerate(cells):
        key = header_key(cell)
        if not key:
            continue
        role = _role(key, region_level)
        if role == "target":
            targets.append((col, None))
        elif role:
            roles.setdefault(role, col)
        else:
            what, year = header_year(cell)
            if what == "value" and 1900 <= year <= 2100:
                years.append((col, year))
            elif what == "target":
                targets.append((col, year))
            elif what == "bad" or looks_like_year(cell):
                odd_years.append((col, cell))
            elif what == "other":
                others.append(col)
    named = "name" in roles or "code" in roles
    # A header meant as a year that cannot be read (2022-2023年, 23年) still marks a year column:
    # the table is read, and each such header cell gets its own bad-year problem instead of the
    # whole table going unseen.
    years += odd_years
    if "task_id" in roles and "status" in roles:
        return Header(row, "tasks", roles)
    if named and "year" in roles and "value" in roles:
        return Header(row, "long", roles, others=others)
    if named and years:
        return Header(row, "wide", roles, years, targets, others)
    if named and targets:
        return Header(row, "targets", roles, [], targets[:1], others)
    return None


def find_tables(sheet: Sheet, regions: Regions | None = None) -> list[Header]:
    """Every table of the sheet: the first header row (within the first rows), then each later row
    that is a header again (a second table below the first, with its own columns). Each header is
    completed by what lies around it: a second header row, a region column recognised by its
    values, the one region named in a title, a 填报单位 line or the sheet's name, a unit line."""
    level = header_key(regions.plan.region_level) if regions is not None else None

    def header_at(i: int) -> Header | None:
        cells = sheet.rows[i]
        h = classify(cells, i, level)
        if h is None or h.kind == "targets":
            h = _years_below(sheet, i, level) or h
        if h is None or (h.kind == "targets" and "value" in h.roles):
            h = _value_column(sheet, h or classify_roles(cells, level), i) or h
        h = h or (_regions_across(sheet, cells, i, regions) if regions else None)
        return h or (_indicator_in_title(sheet, cells, i, level, regions) if regions else None)

    first = next((h for i in range(min(HEADER_SCAN_ROWS, len(sheet.rows))) if (h := header_at(i))), None)
    if first is None:
        return []
    headers = [first]
    _second_row(sheet, first, regions)
    for i in _header_candidates(sheet, first.body):
        if i >= headers[-1].body and (h := header_at(i)) is not None:
            _second_row(sheet, h, regions)
            headers.append(h)
    for h, after in zip(headers, [*headers[1:], None], strict=True):
        h.end = after.row if after is not None else len(sheet.rows)
    for k, h in enumerate(headers):
        above = headers[k - 1].end if k else 0
        if regions is not None:
            _region_column(sheet, h, regions)
            _named_regions(sheet, h, regions, above, last=k == len(headers) - 1)
        _units(sheet, h, above)
    return headers


def find_header(sheet: Sheet, regions: Regions | None = None) -> Header | None:
    """The sheet's first table (see find_tables)."""
    return next(iter(find_tables(sheet, regions)), None)


def _header_candidates(sheet: Sheet, start: int) -> list[int]:
    """Rows after `start` that may be another table's header: they hold a name or code header word.
    Looked at column by column, each distinct cell text once (a 100,000-row table repeats a few
    hundred)."""
    rows = sheet.rows[start:]
    width = max(map(len, rows), default=0)
    found: set[int] = set()
    columns = range(width)
    if len(rows) > FULL_SCAN_ROWS:  # a big table: only columns that hold text near its top
        columns = [j for j in columns if any(isinstance(r[j], str) for r in rows[:FULL_SCAN_ROWS // 5] if j < len(r))]
    for j in columns:
        column = [r[j] if j < len(r) else None for r in rows]
        hits = {v for v in dict.fromkeys(column)
                if isinstance(v, str) and _WORD_ROLE.get(header_key(v)) in ("name", "code")}
        if hits:
            found.update(i for i, v in enumerate(column, start=start) if v in hits)
    return sorted(found)


def _regions_across(sheet: Sheet, cells: list[Any], row: int, regions: Regions) -> Header | None:
    """指标名称 | 单位 | 川姜镇 | 金沙街道 | … | 全区: one column per region, the year in the title
    above ("2024年各镇(街道)知识产权主要指标"). Without a year there, the header is still found
    (its columns have `years` empty) so that the sheet is refused with a located message."""
    roles: dict[str, int] = {}
    across: dict[int, str] = {}
    for col, cell in enumerate(cells):
        key = header_key(cell)
        role = _role(key, None) if key else None
        if role in ("name", "code", "unit", "seq", "source", "note"):
            roles.setdefault(role, col)
        elif key and regions.is_region(cell):
            across[col] = str(cell)
    if not ("name" in roles or "code" in roles) or len(across) < 2:
        return None
    if not any(not regions.is_district(t) for t in across.values()):
        return None
    years = title_years(sheet, 0, row)
    header = Header(row, "wide", roles, col_regions=across, year_from_title=True)
    if len(years) == 1:
        year = years.pop()
        header.years = [(c, year) for c in across]
    return header


def title_years(sheet: Sheet, start: int, stop: int) -> set[int]:
    """The years the title rows between `start` and `stop` name (2024年各镇…), and the sheet's name
    (a sheet called 2024年); dates (填报日期：2025年1月10日) are when it was filled in, not the data's year."""
    years = set()
    for cells in [[sheet.name], *sheet.rows[start:stop]]:
        if is_footnote(cells):
            continue
        for cell in cells:
            if isinstance(cell, str) and not is_blank(cell) and not is_date_text(cell):
                what, year = header_year(cell)
                if what == "value":
                    years.add(year)
    return years


def _second_row(sheet: Sheet, h: Header, regions: Regions | None = None) -> None:
    """A year over sub-headers in the row below: 实际/完成/全年 columns hold the year's values,
    目标/计划 its targets, region names (a year over 川姜镇 | 金沙街道) that region's values of the
    year, anything else (占比, 上半年, 同比 …) none (the reader says so). The year may have been
    merged over its columns (filled into each) or written over the first only (then the blank
    header cells after it take it)."""
    if h.kind != "wide" or h.row + 1 >= len(sheet.rows):
        return
    top, sub = sheet.rows[h.row], sheet.rows[h.row + 1]
    subs = {c: header_key(v) for c, v in enumerate(sub)}
    # A data row is no sub-header: it names an indicator (the header's name cell merged down
    # repeats the header's text) or holds a number.
    name_col = h.roles.get("name", h.roles.get("code"))
    if name_col is not None and not is_blank(sub[name_col]) and sub[name_col] != top[name_col]:
        return
    if any(isinstance(v, int | float) and not isinstance(v, bool) for v in sub):
        return
    year_of = dict(h.years)
    spans: dict[int, Any] = {}  # column -> the year written over it
    current = None
    for c in range(len(top)):
        if c in year_of:
            current = year_of[c]
        elif not is_blank(top[c]) or not subs.get(c):
            current = None
        if current is not None:
            spans[c] = current
    known = any(k in SUB_VALUE or k in SUB_TARGET for k in subs.values())
    shared = len(spans) > len(set(map(str, spans.values())))  # some year stands over two columns
    if not known and not (shared and any(subs.get(c) for c in spans)):
        return
    years: list[tuple[int, Any]] = []
    targets = list(h.targets)
    for c, year in spans.items():
        word = subs.get(c)
        if word in SUB_TARGET:
            targets.append((c, year if isinstance(year, int) else None))
        elif word in SUB_VALUE or not word:
            years.append((c, year))
        elif regions is not None and regions.is_region(sub[c]):
            years.append((c, year))
            h.col_regions[c] = str(sub[c])
        else:
            h.others.append(c)
    h.years, h.targets, h.sub_row = years, targets, h.row + 1


def _body_texts(sheet: Sheet, h: Header, col: int, limit: int = 200) -> list[Any]:
    return [r[col] for r in sheet.rows[h.body:h.body + limit] if col < len(r) and not is_blank(r[col])]


def _region_column(sheet: Sheet, h: Header, regions: Regions) -> None:
    """No region header: a column whose values are region names is the region column, whatever
    its header says (rows must never fall to the district because a header was not known). A
    column headed 单位 that holds region names is the reporting unit (地区), not the measure."""
    if "region" in h.roles or h.kind == "tasks":
        return
    used = set(h.roles.values()) | {c for c, _ in h.years} | {c for c, _ in h.targets}
    width = max((len(r) for r in sheet.rows[h.row:h.row + 1]), default=0)
    unit_col = h.roles.get("unit")
    for col in [c for c in range(width) if c not in used or c == unit_col]:
        if _holds_region_names(_body_texts(sheet, h, col), regions):
            h.roles["region"] = col
            if col == unit_col:
                del h.roles["unit"]
            return


def _holds_region_names(texts: list[Any], regions: Regions) -> bool:
    strings = [t for t in texts if isinstance(t, str)]
    if len(strings) < max(1, len(texts) // 2):
        return False
    named = [t for t in strings if regions.is_region(t)]
    # Region names, not a column that happens to hold one 合计 row.
    return len(named) * 2 >= len(strings) and any(not regions.is_district(t) for t in named)


def _named_regions(sheet: Sheet, h: Header, regions: Regions, above: int, last: bool) -> None:
    """The regions the table's title rows, its 填报单位 lines (above, or under the sheet's last
    table) and the sheet's own name give. Footnotes (注：…, 数据来源…) and names in brackets
    ("通州区（含南通高新区）") never make a table a region's."""
    found: list[tuple[str, int | None, int | None]] = []
    own = regions.resolve(sheet.name) if regions.listed else None
    if own is not None and own != regions.plan.district:
        h.sheet_region = own
        found.append((own, None, None))
    lines = list(enumerate(sheet.rows[above:h.row], start=above))
    if last:
        tail = max(h.body, len(sheet.rows) - FOOTER_SCAN_ROWS)  # 填报单位 lines sit under the table's end
        lines += [(i, r) for i, r in enumerate(sheet.rows[tail:], start=tail) if is_footnote(r)]
    for i, cells in lines:
        footnote = is_footnote(cells)
        for j, cell in enumerate(cells):
            if not isinstance(cell, str) or is_blank(cell):
                continue
            text = "".join(nfkc(cell).split())
            unit = _UNIT_LINE.match(text)
            if unit:
                names = regions.named_in(unit.group(2))
                if not names and (r := regions.resolve(unit.group(2))) and r != regions.plan.district:
                    names = {r}
            elif footnote or i >= h.row:
                continue
            else:
                names = regions.named_in(_BRACKETED.sub("", text))
            found += [(n, i + 1, j) for n in sorted(names)]
    h.named_regions = tuple(found)
    distinct = {n for n, _, _ in found}
    if "region" not in h.roles and len(distinct) == 1:
        h.fixed_region = distinct.pop()


def _units(sheet: Sheet, h: Header, above: int) -> None:
    """A unit given for the whole table (单位：万元 above it, no unit column) or for a year column
    (2023年（万元）): the reader checks each goal's unit against it."""
    if "unit" not in h.roles:
        for i, cells in enumerate(sheet.rows[above:h.row], start=above):
            for j, cell in enumerate(cells):
                text = "".join(nfkc(cell).split()) if isinstance(cell, str) else ""
                m = _UNIT_OF_TABLE.match(text) or _UNIT_IN_TITLE.search(text)
                if m and is_unit_text(m.group(1)):
                    h.table_unit = (m.group(1), i + 1, j)
    top = sheet.rows[h.row]
    for c, _ in h.years:
        m = _UNIT_IN_HEADER.search("".join(nfkc(top[c]).split())) if c < len(top) and isinstance(top[c], str) else None
        if m and is_unit_text(m.group(1)):
            h.col_units[c] = m.group(1)


def is_footnote(cells: list[Any]) -> bool:
    """注：…, 资料来源：…, 填报单位：…, 填表人… rows under a table."""
    first = next((c for c in cells if not is_blank(c)), None)
    if not isinstance(first, str):
        return False
    text = "".join(nfkc(first).split())
    m = _FOOTNOTE.match(text)
    # "说明" alone could be a note column's text; a footnote has the colon or starts the row.
    return bool(m) and (m.group(0).endswith((":", "：")) or text.startswith(("填表人", "制表", "审核")))


def read_table(sheet: Sheet, header: Header | None = None, regions: Regions | None = None) -> SheetTable | None:
    header = header or find_header(sheet, regions)
    if header is None:
        return None
    table = SheetTable(sheet.name, header)
    reader = _read_task_row if header.kind == "tasks" else _read_data_row
    for i in range(header.body, header.end if header.end is not None else len(sheet.rows)):
        cells = sheet.rows[i]
        if all(is_blank(c) for c in cells) or is_footnote(cells):
            continue
        record = reader(sheet.name, header, cells, i)
        if isinstance(record, TaskRow):
            table.tasks.append(record)
        elif record is not None and header.col_regions:  # one row per region column
            for c, region in header.col_regions.items():
                entries = [e for e in record.entries if e.col == c]
                if entries:
                    table.rows.append(replace(record, region=region, region_col=None, entries=entries))
        elif record is not None:
            table.rows.append(record)
    return table


def _get(cells: list[Any], roles: dict[str, int], role: str) -> Any:
    col = roles.get(role)
    return cells[col] if col is not None and col < len(cells) else None


def is_section_row(cells: list[Any]) -> bool:
    """一、知识产权创造 merged across the table: the merge filled the one heading into every cell."""
    filled = [c for c in cells if not is_blank(c)]
    return len(filled) >= 2 and isinstance(filled[0], str) and all(c == filled[0] for c in filled)


def _read_data_row(sheet: str, h: Header, cells: list[Any], i: int) -> DataRow | None:
    r = i + 1
    if is_section_row(cells):
        return None
    entries: list[Entry] = []
    if h.kind == "wide":
        entries += [Entry("value", cells[c], r, c, y, h.row + 1, c, h.col_units.get(c))
                    for c, y in h.years if not is_blank(cells[c])]
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
        name=text_or_none(_get(cells, h.roles, "name")) if "name" in h.roles else h.fixed_name,
        name_col=h.roles.get("name"),
        code=text_or_none(_get(cells, h.roles, "code")),
        code_col=h.roles.get("code"),
        unit=text_or_none(_get(cells, h.roles, "unit")) if "unit" in h.roles or not h.table_unit else h.table_unit[0],
        unit_col=h.roles.get("unit", h.table_unit[2] if h.table_unit else None),
        unit_row=None if "unit" in h.roles or not h.table_unit else h.table_unit[1],
        region=text_or_none(_get(cells, h.roles, "region")) if "region" in h.roles else (h.fixed_region or h.sheet_region),
        region_col=h.roles.get("region"),
        source=text_or_none(_get(cells, h.roles, "source")),
        note=text_or_none(_get(cells, h.roles, "note")),
        entries=entries,
        source_col=h.roles.get("source"),
        note_col=h.roles.get("note"),
    )


def _read_task_row(sheet: str, h: Header, cells: list[Any], i: int) -> TaskRow | None:
    task_id = text_or_none(_get(cells, h.roles, "task_id"))
    status = _get(cells, h.roles, "status")
    progress = text_or_none(_get(cells, h.roles, "progress"))
    note = progress or text_or_none(_get(cells, h.roles, "note"))
    updated = text_or_none(_get(cells, h.roles, "updated"))
    if task_id is None or (is_blank(status) and note is None and updated is None):
        return None  # a pre-filled paragraph nobody reported on yet
    note_col = h.roles.get("progress") if progress else h.roles.get("note")
    return TaskRow(sheet, i + 1, task_id, h.roles["task_id"], status, h.roles["status"], note, updated, note_col,
                   h.roles.get("updated"))
