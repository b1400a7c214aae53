"""Raw rows -> tidy records, one cell at a time; every cell that cannot become a record yields a
located Problem instead (unknown name, unit, not a number, bad year, negative, out of range).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator
from typing import Any

from ipdata.catalogue import COUNT_UNITS, Plan, Series
from ipdata.errors import Problem, column_letter
from ipdata.ingest import ranks
from ipdata.ingest.cells import (
    header_year,
    is_blank,
    is_error_text,
    nfkc,
    number_text,
    number_with_unit,
    parse_milestone,
    parse_number,
    parse_target,
    parse_year,
)
from ipdata.ingest.limits import Limits, shown, text_too_long
from ipdata.ingest.matching import Match, Matcher, Suggestions, units_match
from ipdata.ingest.regions import Regions
from ipdata.ingest.tables import DataRow, Entry, TaskRow
from ipdata.ingest.upload import TASK_STATUSES

FIRST_YEAR = 1949
MAX_MAGNITUDE = 1e12  # no district figure comes near a trillion in its unit: a typo or a wrong unit
NON_NEGATIVE_UNITS = COUNT_UNITS | {"万人", "万件"}


def _problem(code: str, message: str, sheet: str, row: int | None, col: int | None, value: Any = None,
             severity: str = "error") -> Problem:
    return Problem(code, message, sheet=sheet, row=row, column=None if col is None else column_letter(col),
                   value=value, severity=severity)  # type: ignore[arg-type]


class RowReader:
    """Turns DataRows into observation and target records; collects problems as it goes."""

    def __init__(self, plan: Plan, matcher: Matcher, this_year: int, regions: Regions | None = None,
                 limits: Limits | None = None):
        self.plan = plan
        self.matcher = matcher
        self.this_year = this_year
        self.regions = regions or Regions(plan)
        self.limits = limits or Limits.from_settings()
        self._close_regions = Suggestions(self.regions.suggestions)
        self.observations: list[dict[str, Any]] = []
        self.targets: list[dict[str, Any]] = []
        self.skipped: list[tuple[str, int, int | None, str]] = []  # rows that are no plan indicator
        self.subtotals: list[tuple[str, int, int | None, str]] = []  # 街道小计 rows: derived, not stored
        self.indicator_rows = 0  # rows that named a plan indicator (a file with none is refused)
        self._milestones = {g.code for g in plan.goals if g.kind == "milestone"}
        self._trends = {g.code for g in plan.goals if g.kind == "trend"}
        self._ranks = {g.code: g for g in plan.goals if g.is_rank}  # read by ranks.py, row by row
        self._year_problems: set[tuple[str, int, int]] = set()  # a bad year header is told once
        self._matches: dict[tuple[str | None, str | None], Match] = {}

    def read(self, row: DataRow) -> Iterator[Problem]:
        series = yield from self._series(row)
        if series is None:
            return
        self.indicator_rows += 1
        region = self.region(row.region)
        if region is None and self.regions.is_subtotal(row.region):
            self.subtotals.append((row.sheet, row.row, row.region_col, row.region or ""))
            return
        too_long = list(self.too_long(row, region))
        if too_long:
            yield from too_long
            return
        if region is None:
            yield self.unknown_region(row.sheet, row.row, row.region_col, row.region or "")
            return
        if series.code in self._ranks:  # a position citing its 通报: its own rules (ranks.py)
            yield from ranks.read_row(self, row, self._ranks[series.code], region)
            return
        for entry in row.entries:
            value, pct = yield from self._value(series, entry, row)
            if value is None:
                continue
            year = yield from self._year(entry, row)
            if year is None:
                continue
            cell = f"{column_letter(entry.col)}{entry.row}"
            where = {"sheet": row.sheet, "cell": cell, "_row": entry.row, "_col": entry.col, "_pct": pct}
            if entry.kind == "value":
                self.observations.append({"series": series.code, "region": region, "year": year, "value": value,
                                          "source": row.source, "note": row.note, **where})
            else:
                self.targets.append({"series": series.code, "region": region, "year": year, "target": value,
                                     "note": row.note, **where})

    def region(self, raw: str | None) -> str | None:
        """The canonical region of a 地区 cell's text; None for a name the plan does not list."""
        return self.regions.resolve(raw)

    def too_long(self, row: DataRow, region: str | None) -> Iterator[Problem]:
        """A region name, source or note longer than may be kept: refused at its cell (the
        column reader sends such rows here)."""
        lim, level = self.limits, self.plan.region_level
        if row.region and len(row.region) > lim.name_chars and (region is None or len(region) > lim.name_chars):
            yield text_too_long("region-too-long", "地区名称", row.region, lim.name_chars,
                                f"请只填写{level}的名称(说明文字请写在“备注”列)。", row.sheet, row.row, row.region_col)
        if row.source and len(row.source) > lim.source_chars:
            yield text_too_long("source-too-long", "数据来源", row.source, lim.source_chars,
                                "请只写来源单位或文件名称，详细说明请写在“备注”列。", row.sheet, row.row, row.source_col)
        if row.note and len(row.note) > lim.note_chars:
            yield text_too_long("note-too-long", "备注", row.note, lim.note_chars, "请精简后重新上传。",
                                row.sheet, row.row, row.note_col)

    def unknown_region(self, sheet: str, row: int, col: int | None, region: str) -> Problem:
        """A region the plan does not list, at its cell, with the closest listed names."""
        close = self._close_regions(region)
        nearest = f"(最接近的是：{'、'.join(f'“{n}”' for n in close)})" if close else ""
        level = self.plan.region_level
        return _problem(
            "unknown-region",
            f"“{shown(region)}”不是{self.plan.district}或规划所列的{level}{nearest}。"
            f"请改为规划中的{level}名称；如果该地区不属于本规划范围，请删除这一行。",
            sheet, row, col, shown(region, 50))

    def is_unknown_name(self, code: str | None, name: str | None) -> bool:
        """Whether a row with this code and name is one the plan does not track (skipped, listed)."""
        return self._match(code, name).series is None and (name is not None or code is not None)

    def _match(self, code: str | None, name: str | None) -> Match:
        match = self._matches.get((code, name))
        if match is None:
            match = self._matches[(code, name)] = self.matcher.match(code, name)
        return match

    def clean_series(self, code: str | None, name: str | None, unit: str | None) -> Series | None:
        """The series of a row with this code, name and unit if `_series` finds no problem in them."""
        match = self._match(code, name)
        if match.series is None:
            return None
        for u in (match.unit, unit):
            if u and not units_match(u, match.series):
                return None
        return match.series

    def _series(self, row: DataRow) -> Iterator[Problem]:
        match = self._match(row.code, row.name)
        col = row.name_col if row.name_col is not None else row.code_col
        if match.series is None:
            if row.name is None and row.code is None:
                yield _problem("unknown-indicator", "此行填了数据，但没有指标名称。请在“指标名称”列填写规划中的指标名称。",
                               row.sheet, row.row, col)
            else:  # a row the plan does not track (专利授权量…): skipped, listed in one notice
                self.skipped.append((row.sheet, row.row, col, row.name or row.code or ""))
            return None
        bad = False
        for unit, unit_row, unit_col in ((match.unit, row.row, row.name_col),
                                         (row.unit, row.unit_row or row.row, row.unit_col)):
            if unit and not units_match(unit, match.series):
                bad = True
                yield _problem("unit-mismatch",
                               f"“{match.series.name}”的单位应为“{match.series.unit}”，这里写的是“{unit}”(第 {row.row} 行)。"
                               f"请把数值换算为{match.series.unit}后填写，并改正单位。", row.sheet, unit_row, unit_col, unit)
        return None if bad else match.series

    def _value(self, series: Series, entry: Entry, row: DataRow) -> Iterator[Problem]:
        """(value, shown as a percentage) of one cell, or (None, False) after yielding why not."""
        at = (row.sheet, entry.row, entry.col, entry.value)
        if is_error_text(entry.value):
            yield _problem("formula-error", f"单元格的结果是错误值“{str(entry.value).strip()}”(公式出错，如除数为 0 或引用的数据不存在)，"
                           "不能当作“无数据”。请改正公式或填入数值；确实没有数据请留空或填“-”。", *at)
            return None, False
        if entry.unit and not units_match(entry.unit, series):  # 2023年（万元） over a goal in 亿元
            yield _problem("unit-mismatch", f"表头写明单位“{entry.unit}”，但“{series.name}”(第 {row.row} 行)的单位应为"
                           f"“{series.unit}”。请把这一行换算为{series.unit}，或把它移到单位相同的表中。",
                           row.sheet, entry.year_row, entry.col, entry.unit)
            return None, False
        if series.code in self._milestones and entry.kind == "value":
            value = parse_milestone(entry.value)
            if value is None:
                yield _problem("not-a-number", f"“{entry.value}”无法识别。“{series.name}”请填 1(或“是”“已建成”)表示当年已建成，"
                               "0(或“否”)表示未建成；没有数据请留空。", *at)
            return value, False
        if entry.kind == "target":
            return (yield from self._target(series, entry, row))
        parsed = parse_number(entry.value)
        if parsed is None and (with_unit := number_with_unit(entry.value)) is not None:
            # "12件" beside the goal's own unit is 12; any other unit is a mismatch to be fixed
            if not units_match(with_unit[1], series):
                yield _problem("unit-mismatch", f"“{series.name}”的单位应为“{series.unit}”，这里填的是“{entry.value}”。"
                               f"请把数值换算为{series.unit}后只填数字。", *at)
                return None, False
            parsed = (with_unit[0], False)
        if parsed is None:
            yield _problem("not-a-number", f"“{entry.value}”不是数字。请填写数字(如 12 或 12.5)；"
                           "没有数据请留空或填“-”，不要填 0。", *at)
            return None, False
        value, percent_sign = parsed
        if percent_sign and series.unit != "%":
            yield _problem("unit-mismatch", f"“{series.name}”的单位是“{series.unit}”，不是百分比，这里却填了“{entry.value}”。"
                           f"请去掉 % 号，按{series.unit}填写。", *at)
            return None, False
        problem = self._range_problem(series, value, at)
        if problem is not None:
            yield problem
            return None, False
        return value, percent_sign

    def _range_problem(self, series: Series, value: float, at: tuple) -> Problem | None:
        if series.unit == "%" and not 0 <= value <= 100:
            return _problem("percent-out-of-range", f"“{series.name}”是百分比，应在 0 到 100 之间，这里是 {number_text(value)}。"
                            "请核对后改正(16% 填 16)。", *at)
        if series.unit in NON_NEGATIVE_UNITS and value < 0:
            return _problem("negative-value", f"“{series.name}”是数量，不能为负数(这里是 {number_text(value)})。请核对后改正。", *at)
        if abs(value) > MAX_MAGNITUDE:
            return _problem("implausible-value", f"{number_text(value)} 大得不合常理(超过一万亿)，可能多填了位数或单位不对。"
                            f"请按“{series.unit}”核对后改正。", *at)
        return None

    def _target(self, series: Series, entry: Entry, row: DataRow) -> Iterator[Problem]:
        """A target as the plan words it (≥18, 70以上, 突破20, 建成) is read; one that is no
        number is ignored with a notice (the plan's own 明显增长 for a trend goal silently)."""
        at = (row.sheet, entry.row, entry.col, entry.value)
        value = parse_target(entry.value)
        pct = isinstance(entry.value, str) and "%" in nfkc(entry.value)
        if value is None or (pct and series.unit != "%") or self._range_problem(series, value, at) is not None:
            if series.code not in self._trends:
                yield _problem("target-ignored", f"目标“{entry.value}”不是一个数值，已忽略(不影响其他数据的导入)。"
                               f"如需导入“{series.name}”的分解目标，请填写数字，如 18。", *at, severity="warning")
            return None, False
        return value, pct

    def _year(self, entry: Entry, row: DataRow) -> Iterator[Problem]:
        if entry.kind == "target" and (entry.year is None or is_blank(entry.year)):
            return self.plan.target_year
        year = parse_year(entry.year)
        if year is None:  # a long table's 年份 cell written as 2023年度, 截至2023年底, a date …
            what, found = header_year(entry.year)
            year = found if what == "value" else None
        latest = 2100 if entry.kind == "target" else self.this_year
        if year is not None and FIRST_YEAR <= year <= latest:
            return year
        key = (row.sheet, entry.year_row or 0, entry.year_col or 0)
        if key in self._year_problems:
            return None
        self._year_problems.add(key)
        if year is None and header_year(entry.year)[0] == "bad" and entry.year_row != entry.row:
            message = (f"表头“{entry.year}”不能确定是哪一年(含有多个年份或不是四位年份)，这一列没有导入。"
                       "请把表头改为一个四位年份，如“2023年”。")
        elif year is None:
            message = f"“{'' if is_blank(entry.year) else entry.year}”不是有效年份。请填写四位年份，如 2023。"
        elif year > latest:
            message = f"{year} 年晚于当前年份({self.this_year} 年)，不能填报未来年份的数据。请核对年份。"
        else:
            message = f"{year} 年不合理(应在 {FIRST_YEAR} 年到 {self.this_year} 年之间)。请核对年份。"
        yield _problem("bad-year", message, row.sheet, entry.year_row, entry.year_col, entry.year)
        return None


def read_tasks(rows: list[TaskRow], plan: Plan, limits: Limits | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    limits = limits or Limits.from_settings()
    known = {"".join(nfkc(t.id).split()): t.id for t in plan.tasks}
    close_ids = Suggestions(lambda text: "、".join(difflib.get_close_matches(text, list(known.values()), n=3, cutoff=0.5)))
    records, problems = [], []
    for t in rows:
        task_id = known.get("".join(nfkc(t.task_id).split())) if len(t.task_id) <= limits.name_chars else None
        if task_id is None:
            close = close_ids(t.task_id) or "见“任务进度”表"
            problems.append(_problem("unknown-task", f"任务编号“{shown(t.task_id)}”不在规划的重点任务中(相近的编号：{close})。"
                                     "请使用模板“任务进度”表中的编号，如“二.2.3”。", t.sheet, t.row, t.id_col,
                                     shown(t.task_id, 50)))
            continue
        if t.note and len(t.note) > limits.note_chars:
            problems.append(text_too_long("note-too-long", "进展说明", t.note, limits.note_chars, "请精简后重新上传。",
                                          t.sheet, t.row, t.note_col))
            continue
        if t.updated and len(t.updated) > limits.name_chars:
            problems.append(text_too_long("date-too-long", "更新日期", t.updated, limits.name_chars,
                                          "请只填写日期，如 2025-06-30。", t.sheet, t.row, t.updated_col))
            continue
        status = "".join(nfkc(t.status).split()) if not is_blank(t.status) else ""
        if status not in TASK_STATUSES:
            given = f"“{shown(str(t.status))}”" if status else "空白"
            problems.append(_problem("bad-task-status", f"状态为{given}，应为 {'/'.join(TASK_STATUSES)} 之一。"
                                     "请从下拉列表中选择。", t.sheet, t.row, t.status_col, t.status))
            continue
        records.append({"task_id": task_id, "status": status, "note": t.note, "updated": t.updated,
                        "sheet": t.sheet, "cell": f"{column_letter(t.status_col)}{t.row}",
                        "_row": t.row, "_col": t.status_col})
    return records, problems


def today_year() -> int:
    return dt.date.today().year
