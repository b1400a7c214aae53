"""Rows of a rank goal (`kind: rank`, e.g. 知识产权产出主要指标全省排名): the district's position
among the plan's peers, each citing the 通报/考核文件 and date it comes from.

A rank is refused, at its cell, when it is not a positive whole number (第8名 → 8), when it is
given for a region (a rank is the district's own: 全省县(市、区) rank counties, not towns), or
when the row's 数据来源 is empty or carries no date. A source that names no document, and one
source for several years' ranks, are warnings. The column reader (columns.py) sends every rank
row here through the row-by-row reader, so each problem names its own cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ipdata.catalogue import Goal
from ipdata.errors import Problem, column_letter
from ipdata.ingest.cells import is_blank, nfkc, number_text, parse_number
from ipdata.ingest.limits import shown
from ipdata.ingest.tables import DataRow, Entry

if TYPE_CHECKING:
    from ipdata.ingest.values import RowReader

# "8", 8, 8.0, "8名", "第8名", "第 8 位", "全省第8": a position written as people write it.
_POSITION = re.compile(r"(?:全省|全市|全国)?第?(\d+)(?:名|位)?")
# A date in a source: a four-digit year (2026年3月, 2026-03-15, 2025年度) or one in Chinese digits.
_DATE = re.compile(r"(?:19|20)\d{2}|[〇零一二三四五六七八九]{4}年")
# Words that name a document; a source with none of them is told (a warning: wording varies).
DOCUMENT_WORDS = ("通报", "考核", "考评", "评价", "评估", "文件", "通知", "公告", "公布", "结果", "名单", "报告",
                  "排名", "排行", "监测", "《", "号")


def _problem(code: str, message: str, sheet: str, row: int | None, col: int | None, value: Any = None,
             severity: str = "error") -> Problem:
    return Problem(code, message, sheet=sheet, row=row, column=None if col is None else column_letter(col),
                   value=value, severity=severity)  # type: ignore[arg-type]


def position(value: Any) -> int | None:
    """The whole positive position a cell gives, or None."""
    parsed = parse_number(value)
    if parsed is not None:
        number, percent = parsed
        return int(number) if not percent and number.is_integer() and number >= 1 else None
    if not isinstance(value, str):
        return None
    m = _POSITION.fullmatch("".join(nfkc(value).split()))
    return int(m.group(1)) if m and int(m.group(1)) >= 1 else None


def has_date(source: str) -> bool:
    return _DATE.search(nfkc(source)) is not None


def example_source(goal: Goal, year: int) -> str:
    """What a source should look like, for this goal's peers and the rank's year."""
    level = next((w for w in ("省", "市") if w in goal.peers), "")
    return f"{level}知识产权局{year}年度知识产权工作考核通报（{year + 1}年3月）"


def demo_source(goal: Goal, year: int) -> str:
    """An invented source for a demo rank (示例数据), shaped as uploads must be: it names a 通报
    and its date, and says it is invented."""
    return f"示例数据（虚构）：{example_source(goal, year)}"


def read_row(reader: RowReader, row: DataRow, goal: Goal, region: str) -> Iterator[Problem]:
    """Records of one rank row into `reader`, or the problems that refuse it."""
    plan = reader.plan
    if region != plan.district:
        yield _regional(reader, row, goal, region)
        return
    ranks: list[tuple[Entry, int, int]] = []
    bad = False
    for entry in (e for e in row.entries if e.kind == "value"):
        found = position(entry.value)
        year = yield from reader._year(entry, row)
        if found is None:
            bad = True
            given = number_text(entry.value) if isinstance(entry.value, float) else shown(str(entry.value))
            yield _problem("rank-not-whole", f"“{given}”不是有效的名次。“{goal.name}”填{plan.district}"
                           f"在{goal.peers}中的名次，应为正整数(第8名填 8)；没有排名请留空。",
                           row.sheet, entry.row, entry.col, entry.value)
        elif year is not None:
            ranks.append((entry, found, year))
    if ranks:
        problems = list(_source_problems(row, goal, sorted({y for _, _, y in ranks})))
        yield from problems
        bad = bad or any(p.severity == "error" for p in problems)
    for entry, found, year in ranks if not bad else ():
        reader.observations.append({
            "series": goal.code, "region": region, "year": year, "value": float(found), "source": row.source,
            "note": row.note, "sheet": row.sheet, "cell": f"{column_letter(entry.col)}{entry.row}",
            "_row": entry.row, "_col": entry.col, "_pct": False})
    for entry in (e for e in row.entries if e.kind == "target"):  # the district's own: checked against the plan
        target, pct = yield from reader._target(goal.series, entry, row)
        year = yield from reader._year(entry, row)
        if target is not None and year is not None:
            reader.targets.append({
                "series": goal.code, "region": region, "year": year, "target": target, "note": row.note,
                "sheet": row.sheet, "cell": f"{column_letter(entry.col)}{entry.row}",
                "_row": entry.row, "_col": entry.col, "_pct": pct})


def _regional(reader: RowReader, row: DataRow, goal: Goal, region: str) -> Problem:
    plan = reader.plan
    target = all(e.kind == "target" for e in row.entries)
    what = "排名目标不分解到" if target else "排名不按"
    col = row.region_col if row.region_col is not None else row.name_col
    return _problem("rank-region", f"“{goal.name}”是{plan.district}在{goal.peers}中的名次，{what}{plan.region_level}"
                    f"{'' if target else '填报'}，这里却填在“{shown(region)}”名下。请删除这一行；"
                    f"{plan.district}的排名请填在地区为“{plan.district}”的行。", row.sheet, row.row, col, region)


def _source_problems(row: DataRow, goal: Goal, years: list[int]) -> Iterator[Problem]:
    """The row's 数据来源 must name the 通报/考核文件 and its date."""
    example = example_source(goal, years[-1])
    when = "、".join(str(y) for y in years)
    col = row.source_col
    source = None if row.source is None or is_blank(row.source) else nfkc(row.source)
    if source is None:
        if col is None:
            yield _problem("rank-source-missing", f"“{goal.name}”({when}年)是排名，须注明出处，但表中没有“数据来源”列。"
                           f"请在表头加一列“数据来源”，在这一行写明通报或考核文件及其日期，如“{example}”。",
                           row.sheet, row.row, row.name_col if row.name_col is not None else row.code_col)
        else:
            yield _problem("rank-source-missing", f"“{goal.name}”({when}年)是排名，须注明出处：请在“数据来源”单元格"
                           f"写明通报或考核文件及其日期，如“{example}”。", row.sheet, row.row, col)
        return
    if not has_date(source):
        yield _problem("rank-source-undated", f"数据来源“{shown(source)}”没有写明日期。“{goal.name}”是排名，"
                       f"须写明通报或考核文件及其日期，如“{example}”。", row.sheet, row.row, col, shown(source, 50))
        return
    if not any(w in source for w in DOCUMENT_WORDS):
        yield _problem("rank-source-vague", f"数据来源“{shown(source)}”看不出是哪份通报或考核文件。请写明文件名称及日期，"
                       f"如“{example}”；已写明的可忽略此提示。", row.sheet, row.row, col, shown(source, 50),
                       severity="warning")
    if len(years) > 1:
        yield _problem("rank-source-shared", f"这一行填了{when}年{len(years)}个年份的排名，只有一个数据来源“{shown(source)}”。"
                       "不同年份的排名通常出自不同的通报：请每个年份各占一行，各自写明来源；确出自同一文件的可忽略此提示。",
                       row.sheet, row.row, col, shown(source, 50), severity="warning")
