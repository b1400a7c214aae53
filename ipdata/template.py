"""The 填报模板 workbook, written from the plan catalogue (openpyxl).

Given frames in the `Upload` column contract, the cells are pre-filled: the demo workbook and
"export current data" use this, and `read_upload` reads such a file back to the same frames.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ipdata.catalogue import COUNT_UNITS, KIND_LABELS, Plan, Series
from ipdata.inert import neutralise_workbook
from ipdata.ingest.ranks import example_source
from ipdata.ingest.upload import TASK_STATUSES
from ipdata.words import tasks_name

SHEET_GUIDE, SHEET_DATA, SHEET_BASE, SHEET_TARGETS, SHEET_TASKS = "填报说明", "指标数据", "基础数据", "目标分解", "任务进度"
HEADER_ROW = 3  # row 1 title (or banner), row 2 note, row 3 header
SPARE_ROWS = 300  # unlocked rows below the data for regions the statisticians add
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")

PathOrBuffer = str | Any | IO[bytes]


def write_template(path_or_buffer: PathOrBuffer, plan: Plan, observations: pd.DataFrame | None = None,
                   targets: pd.DataFrame | None = None, tasks: pd.DataFrame | None = None,
                   banner: str | None = None) -> None:
    """Write the template; frames (Upload columns) pre-fill it; `banner` titles every sheet."""
    obs = _clean(observations, ["series", "region", "year", "value", "source", "note"])
    obs = obs[obs["series"].isin(list(plan.all_series))]
    years = sorted(set(plan.years) | {int(y) for y in obs["year"]})
    wb = Workbook()
    guide = wb.active
    _guide(guide, plan, banner)
    goal_series = [g.series for g in plan.goals]
    base_series = [g.derive.numerator for g in plan.goals if g.derive] + list(plan.context)
    _wide(wb.create_sheet(SHEET_DATA), plan, goal_series, obs, years, banner, "指标数据", "goal_names")
    _wide(wb.create_sheet(SHEET_BASE), plan, base_series, obs, years, banner, "基础数据", "base_names")
    _targets(wb.create_sheet(SHEET_TARGETS), plan, _clean(targets, ["series", "region", "year", "target", "note"]), banner)
    if plan.tasks:  # a plan without key tasks has nothing to report on them: no sheet
        _tasks(wb.create_sheet(SHEET_TASKS), plan, _clean(tasks, ["task_id", "status", "note", "updated"]), banner)
    neutralise_workbook(wb)  # regions, sources, notes from uploads: never a formula (ipdata.inert)
    wb.save(path_or_buffer)


def _clean(frame: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    out = frame.copy()
    for c in columns:
        if c not in out.columns:
            out[c] = None
    return out[columns].astype(object).where(out[columns].notna(), None)


def _text(v: Any) -> Any:
    """Text cells: None stays empty, dates as 2024-05-01, anything else as its text."""
    if v is None:
        return None
    if isinstance(v, dt.date | dt.datetime | pd.Timestamp):
        return pd.Timestamp(v).strftime("%Y-%m-%d")
    return str(v)


def _put_text(ws: Worksheet, row: int, col: int, v: Any) -> None:
    """Write text (write_template makes any formula-like text an inert text cell at the end)."""
    ws.cell(row, col, _text(v))


def _number(v: Any) -> Any:
    f = float(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


def _title(ws: Worksheet, title: str, note: str, banner: str | None, width: int) -> None:
    ws.cell(1, 1, banner or title).font = Font(bold=True, size=14, color="C00000" if banner else "000000")
    ws.cell(2, 1, note if not banner else f"{title}。{note}").alignment = Alignment(wrap_text=False)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))


def _header(ws: Worksheet, headers: list[str], widths: list[int]) -> None:
    for j, (h, w) in enumerate(zip(headers, widths, strict=True), start=1):
        c = ws.cell(HEADER_ROW, j, h)
        c.font, c.fill = _BOLD, _HEADER_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)


def _protect(ws: Worksheet, first_row: int, last_row: int, ncols: int) -> None:
    """Lock title and header only; data cells stay editable, rows may be added, sorted, filtered."""
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=ncols):
        for c in row:
            c.protection = _UNLOCKED
    p = ws.protection
    p.sheet = True
    p.formatCells = p.formatColumns = p.formatRows = False
    p.insertRows = p.deleteRows = p.sort = p.autoFilter = False


def _guide(ws: Worksheet, plan: Plan, banner: str | None) -> None:
    ws.title = SHEET_GUIDE
    y0, y1 = plan.base_year, plan.target_year
    derived = [g for g in plan.goals if g.derive]
    lines = [
        f"{plan.title}：指标数据填报说明",
        f"1. “指标数据”表每行一个指标、一个地区，年份为列({y0}年…{y1}年)；早于基期的历史数据可在右侧按同样格式加年份列。",
        f"2. 地区：“{plan.district}”为{plan.district}合计；{plan.region_level}的数据请复制指标行，在“地区”列填写名称"
        + (f"(从下拉列表选择：{'、'.join(plan.region_names)})。" if plan.regions else "(如各地区的全称)。"),
        f"3. 累计新增类指标{_example(plan, 'cumulative')}填写“当年新增数”，不要填累计数，系统自动累计。",
        "4. 百分比指标按百分数填写：16% 填 16，不要填 0.16(设成百分比格式、显示为 16% 的单元格也可以)。",
        "5. 没有数据的单元格留空或填“-”，不要填 0(0 表示确实为零)。",
        "6. 标志性成果(建成……)：当年已建成填 1(或“是”)，未建成填 0(或“否”)。",
        (f"7. “万人……”“万企……”类指标可直接填写，也可在“基础数据”表填写分子数量和{_denominators(plan)}，由系统计算。"
         + "可计算的指标：" + "；".join(
             f"{g.name}={g.derive.numerator.name}÷{_series_name(plan, g.derive.denominator)}"
             + ("×10000" if g.derive.factor == 10000 else "") for g in derived)) if derived else
        "7. “基础数据”表填写常住人口等基础数据(本规划没有需要由分子、分母计算的指标)。",
        f"8. “目标分解”表填写各{plan.region_level}各自的目标值(目标管理绩效考核)。",
        f"9. “任务进度”表按任务编号填写{tasks_name(plan)}的状态({'/'.join(TASK_STATUSES)})和进展说明。"
        if plan.tasks else f"9. 本规划没有列出{tasks_name(plan)}，模板中没有“任务进度”表。",
        *_rank_lines(plan),
        f"规划期：{y0}年(基期)—{y1}年(目标年)。数据来源请填在“数据来源”列。",
    ]
    if banner:
        lines.insert(0, banner)
    for i, text in enumerate(lines, start=1):
        ws.cell(i, 1, text).font = Font(bold=True, size=14) if i == 1 else Font()
    start = len(lines) + 2
    ws.cell(start - 1, 1, "规划指标一览").font = _BOLD
    headers = ["指标代码", "类别", "指标名称", "单位", "类型", f"{y1}年目标"]
    for j, h in enumerate(headers, start=1):
        ws.cell(start, j, h).font = _BOLD
    for i, g in enumerate(plan.goals, start=start + 1):
        for j, v in enumerate([g.code, g.category, g.name, g.unit, KIND_LABELS[g.kind], g.target_text()], start=1):
            ws.cell(i, j, v)
    _name_list(ws, "goal_names", 3, start + 1, start + len(plan.goals))
    # Second list: what the 基础数据 sheet takes (named range for its drop-down).
    b0 = start + len(plan.goals) + 2
    ws.cell(b0, 1, "基础数据项目").font = _BOLD
    base = [g.derive.numerator for g in plan.goals if g.derive] + list(plan.context)
    for i, s in enumerate(base, start=b0 + 1):
        ws.cell(i, 1, s.code)
        ws.cell(i, 2, "基础数据")
        ws.cell(i, 3, s.name)
        ws.cell(i, 4, s.unit)
    _name_list(ws, "base_names", 3, b0 + 1, b0 + len(base))
    # Third list: the plan's regions (named range for the 地区 drop-downs), the district first.
    r0 = b0 + len(base) + 2
    ws.cell(r0, 1, f"地区({plan.region_level})").font = _BOLD
    for i, name in enumerate((plan.district, *plan.region_names), start=r0 + 1):
        ws.cell(i, 3, name)
    _name_list(ws, REGION_NAMES, 3, r0 + 1, r0 + 1 + len(plan.regions))
    for col, w in zip("ABCDEF", (30, 8, 36, 8, 10, 12), strict=True):
        ws.column_dimensions[col].width = w


REGION_NAMES = "region_names"


def _rank_lines(plan: Plan) -> list[str]:
    """How a rank goal is filled in (ingest/ranks.py refuses a rank without its 通报 and date)."""
    ranks = [g for g in plan.goals if g.is_rank]
    if not ranks:
        return []
    example = example_source(ranks[0], plan.target_year)
    return [f"10. 排名类指标({'、'.join(g.name for g in ranks)})：只在“{plan.district}”一行填名次(第8名填 8)，"
            f"每个年份的名次各占一行，并在“数据来源”列写明通报或考核文件及其日期，如“{example}”；"
            "没有来源或来源没有日期的排名不能导入。"]


def _series_name(plan: Plan, code: str) -> str:
    return plan.all_series[code].name


def _example(plan: Plan, kind: str) -> str:
    """'(如新增PCT国际专利申请)': the plan's first goal of that kind, as an example; '' when none."""
    name = next((g.name for g in plan.goals if g.kind == kind), None)
    return f"(如{name})" if name else ""


def _denominators(plan: Plan) -> str:
    """常住人口、企业总数: the denominators the plan's derived goals use, each once."""
    return "、".join(dict.fromkeys(_series_name(plan, g.derive.denominator) for g in plan.goals if g.derive))


def _name_list(ws: Worksheet, name: str, col: int, first: int, last: int) -> None:
    """A named range over rows first..last; an empty list still names one (empty) cell, so
    the drop-downs that use it stay valid."""
    last = max(first, last)
    ref = f"'{ws.title}'!${get_column_letter(col)}${first}:${get_column_letter(col)}${last}"
    ws.parent.defined_names[name] = DefinedName(name, attr_text=ref)


def _number_format(s: Series, milestone: bool, ratio: bool) -> str:
    """Display only (stored values are exact): whole numbers for counts, 2 decimals otherwise.

    Per-10,000 goals have count units (件, 家) but are ratios such as 8.2, hence `ratio`."""
    if milestone:
        return "0"
    return "#,##0" if s.unit in COUNT_UNITS and not ratio else "#,##0.00"


def _wide(ws: Worksheet, plan: Plan, series: list[Series], obs: pd.DataFrame, years: list[int],
          banner: str | None, title: str, names_range: str) -> None:
    headers = ["指标代码", "类别", "指标名称", "单位", "地区", *[f"{y}年" for y in years], "数据来源", "备注"]
    ncols = len(headers)
    _title(ws, f"{plan.short_title}：{title}",
           "每行一个指标和地区；累计新增类填当年新增数；百分比填 16 不填 0.16；无数据留空或填“-”，不要填 0。",
           banner, ncols)
    _header(ws, headers, [22, 8, 36, 8, 12, *[10] * len(years), 16, 20])
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 6)
    milestones = {g.code for g in plan.goals if g.kind in ("milestone", "rank")}  # whole numbers: 1, 第8名
    ratios = {g.code for g in plan.goals if g.derive}
    category = {g.code: g.category for g in plan.goals}
    ycol = {y: 6 + i for i, y in enumerate(years)}
    r = HEADER_ROW + 1
    for s in series:
        mine = obs[obs["series"] == s.code]
        groups = _row_groups(mine, plan.district)
        if not groups:
            groups = [(plan.district, None, None, mine.iloc[0:0])]
        for region, source, note, rows in groups:
            for j, v in enumerate([s.code, category.get(s.code, "基础数据"), s.name, s.unit, region], start=1):
                ws.cell(r, j, v)
            for y in years:
                ws.cell(r, ycol[y]).number_format = _number_format(s, s.code in milestones, s.code in ratios)
            for y, v in zip(rows["year"], rows["value"], strict=True):
                ws.cell(r, ycol[int(y)], _number(v))
            _put_text(ws, r, ncols - 1, source)
            _put_text(ws, r, ncols, note)
            r += 1
    _protect(ws, HEADER_ROW + 1, r + SPARE_ROWS, ncols)
    dv = DataValidation(type="list", formula1=f"={names_range}", allow_blank=True, showErrorMessage=False)
    dv.add(f"C{HEADER_ROW + 1}:C{r + SPARE_ROWS}")
    ws.add_data_validation(dv)
    _region_list(ws, plan, f"E{HEADER_ROW + 1}:E{r + SPARE_ROWS}")


def _region_list(ws: Worksheet, plan: Plan, cells: str) -> None:
    """A drop-down of the plan's regions where it lists them (other text stays allowed: the reader
    names any unknown region at its cell)."""
    if plan.regions:
        dv = DataValidation(type="list", formula1=f"={REGION_NAMES}", allow_blank=True, showErrorMessage=False)
        dv.add(cells)
        ws.add_data_validation(dv)


def _row_groups(obs: pd.DataFrame, district: str) -> list[tuple[str, Any, Any, pd.DataFrame]]:
    """One row per (region, source, note): a wide row carries one source and note for all years.

    Years of one region with different notes go on separate rows, so that a re-import gives back
    exactly the same source/note per value. The district comes first, other regions as given.
    """
    if obs.empty:
        return []
    keyed = obs.assign(_s=obs["source"].fillna("\0"), _n=obs["note"].fillna("\0"),
                       _d=obs["region"] != district)
    out = []
    for (_, region, s, n), rows in keyed.groupby(["_d", "region", "_s", "_n"], sort=False, dropna=False):
        out.append((region, None if s == "\0" else s, None if n == "\0" else n, rows))
    out.sort(key=lambda g: g[0] != district)
    return out


def _targets(ws: Worksheet, plan: Plan, targets: pd.DataFrame, banner: str | None) -> None:
    headers = ["指标代码", "指标名称", "单位", "地区", "目标值", "目标年份", "备注"]
    _title(ws, f"{plan.short_title}：目标分解",
           f"各{plan.region_level}各自的目标值(目标管理绩效考核)；每行一个指标和地区；目标年份默认"
           f"{plan.target_year}年。", banner, len(headers))
    _header(ws, headers, [22, 36, 8, 12, 10, 10, 24])
    r = HEADER_ROW + 1
    for rec in targets.itertuples(index=False):
        s = plan.all_series.get(rec.series)
        if s is None:
            continue
        values = [s.code, s.name, s.unit, rec.region, _number(rec.target),
                  None if rec.year is None else int(rec.year)]
        for j, v in enumerate(values, start=1):
            ws.cell(r, j, v)
        _put_text(ws, r, 7, rec.note)
        r += 1
    _protect(ws, HEADER_ROW + 1, r + SPARE_ROWS, len(headers))
    dv = DataValidation(type="list", formula1="=goal_names", allow_blank=True, showErrorMessage=False)
    dv.add(f"B{HEADER_ROW + 1}:B{r + SPARE_ROWS}")
    ws.add_data_validation(dv)
    _region_list(ws, plan, f"D{HEADER_ROW + 1}:D{r + SPARE_ROWS}")


def _tasks(ws: Worksheet, plan: Plan, tasks: pd.DataFrame, banner: str | None) -> None:
    headers = ["任务编号", tasks_name(plan), "任务内容(摘要)", "责任单位", "状态", "进展说明", "更新日期"]
    _title(ws, f"{plan.short_title}：{tasks_name(plan)}进度",
           f"状态从下拉列表选择({'/'.join(TASK_STATUSES)})；未填状态的任务不导入。", banner, len(headers))
    _header(ws, headers, [10, 24, 50, 36, 10, 40, 12])
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    by_id = {rec.task_id: rec for rec in tasks.itertuples(index=False)}
    r = HEADER_ROW
    for r, t in enumerate(plan.tasks, start=HEADER_ROW + 1):
        summary = t.text if len(t.text) <= 60 else t.text[:60] + "……"
        rec = by_id.get(t.id)
        values = [t.id, t.task_title, summary, t.units_text,
                  rec.status if rec else None, rec.note if rec else None, rec.updated if rec else None]
        for j, v in enumerate(values, start=1):
            _put_text(ws, r, j, v)
            ws.cell(r, j).alignment = _WRAP
    _protect(ws, HEADER_ROW + 1, r, len(headers))
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=r, max_col=4):
        for c in row:
            c.protection = Protection(locked=True)  # the plan's own text is not to be edited
    dv = DataValidation(type="list", formula1=f'"{",".join(TASK_STATUSES)}"', allow_blank=True,
                        showErrorMessage=True, errorTitle="状态", error=f"请选择 {'/'.join(TASK_STATUSES)}")
    dv.add(f"E{HEADER_ROW + 1}:E{r}")
    ws.add_data_validation(dv)
