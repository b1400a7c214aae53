"""Checks of one sheet's layout around its header: a title naming two regions, number columns the
reader does not take. Each returns located Problems; none raises."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ipdata.catalogue import Plan
from ipdata.errors import Problem, column_letter
from ipdata.ingest.cells import (
    header_key,
    header_year,
    is_blank,
    is_date_text,
    parse_number,
    partial_year,
)
from ipdata.ingest.matching import Matcher
from ipdata.ingest.tables import Header, is_footnote
from ipdata.ingest.workbook import Sheet


def ambiguous_region(sheet: Sheet, h: Header, plan: Plan) -> Problem | None:
    """A table without a region column whose title and 填报单位 lines name more than one region:
    its rows could be any of them, so the sheet is refused rather than guessed."""
    if "region" in h.roles or h.kind == "tasks":
        return None
    names = list(dict.fromkeys(n for n, _, _ in h.named_regions))
    if len(names) < 2:
        return None
    second = next((r, c) for n, r, c in h.named_regions if n == names[1])
    listed = "、".join(f"“{n}”" for n in names)
    return Problem(
        "ambiguous-region",
        f"这张表没有“{plan.region_level}”列，但标题或填报单位中写了{len(names)}个地区({listed})，无法判断数据属于哪一个。"
        f"请增加一列“{plan.region_level}”逐行填写地区，或把标题、填报单位改为一个地区后重新上传。",
        sheet=sheet.name, row=second[0], column=column_letter(second[1]))


def year_missing(sheet: Sheet, h: Header) -> Problem | None:
    """A table whose year can only come from its title (regions as columns, or a single 完成值
    column) needs exactly one year there: without it, refused at the header."""
    if not h.year_from_title or h.years:
        return None
    if h.col_regions:
        first = min(h.col_regions)
        what = "按列填写各地区(" + "、".join(list(h.col_regions.values())[:4]) + "…)"
    else:
        first = h.roles["value"]
        what = f"只有一列“{header_key(sheet.rows[h.row][first])}”"
    return Problem(
        "bad-year",
        f"这张表{what}，但表头上方的标题(或工作表名称)中没有写明是哪一年的数据(或写了几个年份)。"
        "请在标题中写明一个年份(如“2024年各地区知识产权主要指标”)，或改用填报模板后重新上传。",
        sheet=sheet.name, row=h.row + 1, column=column_letter(first))


def ignored_columns(sheet: Sheet, h: Header) -> Iterator[Problem]:
    """Columns holding numbers that the reader takes as nothing (增长率, 较上年增减, a blank
    header): told at their header cell, so that no column of numbers is dropped without a word."""
    if h.kind == "tasks":
        return
    used = set(h.roles.values()) | {c for c, _ in h.years} | {c for c, _ in h.targets} | set(h.col_regions)
    header = sheet.rows[h.row]
    sub = sheet.rows[h.sub_row] if h.sub_row is not None else None
    for c in range(len(header)):
        if c in used:
            continue
        numbers = sum(1 for row in h.rows(sheet)
                      if c < len(row) and not is_blank(row[c]) and parse_number(row[c]) is not None
                      and not is_footnote(row))
        if not numbers:
            continue
        parts = [header_key(header[c]), header_key(sub[c]) if sub is not None and c < len(sub) else ""]
        title = " ".join(dict.fromkeys(p for p in parts if p))  # 2024年 占全区比重 under a two-row header
        shown = f"“{title}”" if title else "(没有表头)"
        yield Problem(
            "ignored-column",
            f"第 {column_letter(c)} 列{shown}有 {numbers} 个数字，但不是某一年的数值(如“2023年”“2023年 实际”)或目标，这一列没有导入。"
            "如果是某一年的数据，请把表头改为该年份；如果是增长率、排名等计算列，无需处理。",
            sheet=sheet.name, row=h.row + 1, column=column_letter(c), severity="warning")


def partial_years(sheet: Sheet, h: Header, above: int = 0) -> Iterator[Problem]:
    """Values that cover part of a year (2025年1-10月, 上半年) — said in a year header, in the title
    above the table, or in a long table's 年份 cells: read as that year's figure, with a warning,
    since a cumulative goal's total or a level's year-end value is understated until the whole
    year is sent."""
    top = sheet.rows[h.row]
    titled = _partial_title_years(sheet, above, h.row)
    for c, year in h.years:
        if not isinstance(year, int):
            continue
        own = partial_year(top[c]) if c < len(top) and not h.year_from_title else None
        part, said = (own, f"表头“{header_key(top[c])}”") if own else (titled.get(year), "标题")
        if part:
            yield _partial(sheet, h.row + 1, c, said, year, part)
            if h.year_from_title:  # one column stands for all: told once
                return
    if h.kind == "long":
        col = h.roles["year"]
        column = [row[col] if col < len(row) else None for row in h.rows(sheet)]
        first: dict[Any, int] = {}
        for i, cell in enumerate(column):  # each distinct 年份 text once, at its first row
            first.setdefault(cell, i)
        for cell, i in first.items():
            if isinstance(cell, str) and (part := partial_year(cell)):
                what, year = header_year(cell)
                if what == "value":
                    yield _partial(sheet, h.body + i + 1, col, f"年份“{header_key(cell)}”", year, part)


def _partial_title_years(sheet: Sheet, start: int, stop: int) -> dict[int, str]:
    """Year -> the part of it a title row names (2025年1-10月…主要指标完成情况)."""
    out = {}
    for cells in sheet.rows[start:stop]:
        if is_footnote(cells):
            continue
        for cell in cells:
            if isinstance(cell, str) and not is_date_text(cell) and (part := partial_year(cell)):
                what, year = header_year(cell)
                if what == "value":
                    out[year] = part
    return out


def _partial(sheet: Sheet, row: int, col: int, said: str, year: int, part: str) -> Problem:
    return Problem(
        "partial-year",
        f"{said}表明这是{year}年{part}的数据，不是全年，已作为{year}年的数值导入。"
        "全年数据出来后请再次上传，以全年数更新；如需说明，可在确认时填写。",
        sheet=sheet.name, row=row, column=column_letter(col), severity="warning")


MIN_TABLE_NUMBERS = 4  # numbers (not text) that make a sheet a table of figures rather than a list or a cover


def sheet_not_read(sheet: Sheet, matcher: Matcher, scan_rows: int = 200) -> Iterator[Problem]:
    """A sheet of figures (a plan indicator's name or a year beside numbers, or a few numbers
    typed as numbers) but no header the reader knows: said, never skipped without a word. A
    contact list or a cover sheet stays silent."""
    rows = sheet.rows[:scan_rows]
    numbers = sum(1 for row in rows for v in row if parse_number(v) is not None)
    if not numbers:
        return
    texts = {v for row in rows for v in row if isinstance(v, str) and not is_blank(v)}
    plan_like = any(matcher.match(None, t).series is not None or header_year(t)[0] in ("value", "target")
                    for t in texts)
    typed = sum(1 for row in rows for v in row if isinstance(v, int | float) and not isinstance(v, bool))
    if plan_like or typed >= MIN_TABLE_NUMBERS:
        yield Problem(
            "sheet-not-read",
            f"这张工作表有 {numbers} 个数字，但没有找到可识别的表头(如“指标名称 | 单位 | 2023年 …”)，没有导入。"
            "如果其中有本规划的数据，请按填报模板调整表头(指标名称一列、每年一列)后重新上传；否则无需处理。",
            sheet=sheet.name, severity="warning")
