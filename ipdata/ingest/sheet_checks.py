"""Checks of one sheet's layout around its header: a title naming two regions, number columns the
reader does not take. Each returns located Problems; none raises."""

from __future__ import annotations

from collections.abc import Iterator

from ipdata.catalogue import Plan
from ipdata.errors import Problem, column_letter
from ipdata.ingest.cells import header_key, is_blank, parse_number, partial_year
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


def regions_without_year(sheet: Sheet, h: Header) -> Problem | None:
    """A table with one column per region needs the year in its title: without it, refused."""
    if not h.col_regions or h.years:
        return None
    first = min(h.col_regions)
    return Problem(
        "bad-year",
        "这张表按列填写各地区(" + "、".join(list(h.col_regions.values())[:4]) + "…)，但表头上方的标题中没有写明是哪一年的数据。"
        "请在标题中写明年份(如“2024年各镇(街道)知识产权主要指标”)，或改用填报模板后重新上传。",
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
        numbers = sum(1 for row in sheet.rows[h.body:]
                      if c < len(row) and not is_blank(row[c]) and parse_number(row[c]) is not None
                      and not is_footnote(row))
        if not numbers:
            continue
        title = header_key(header[c]) or (header_key(sub[c]) if sub is not None else "")
        shown = f"“{title}”" if title else "(没有表头)"
        yield Problem(
            "ignored-column",
            f"第 {column_letter(c)} 列{shown}有 {numbers} 个数字，但表头不是年份(如“2023年”)或“目标”，这一列没有导入。"
            "如果是某一年的数据，请把表头改为该年份；如果是增长率、排名等计算列，无需处理。",
            sheet=sheet.name, row=h.row + 1, column=column_letter(c), severity="warning")


def partial_years(sheet: Sheet, h: Header) -> Iterator[Problem]:
    """A year column that covers part of the year (2025年1-10月, 上半年): read as that year's
    figure, with a warning, since a cumulative goal's total or a level's year-end value would be
    understated until the whole year is sent."""
    top = sheet.rows[h.row]
    for c, year in h.years:
        part = partial_year(top[c]) if c < len(top) else None
        if part and isinstance(year, int):
            yield Problem(
                "partial-year",
                f"表头“{header_key(top[c])}”只是{year}年{part}的数据，不是全年，已作为{year}年的数值导入。"
                f"全年数据出来后请再次上传，以全年数更新；如需说明，可在确认时填写。",
                sheet=sheet.name, row=h.row + 1, column=column_letter(c), severity="warning")
