"""The charts of an export selection, their data as a workbook, and their PNGs as a zip.

    selection_figures(inputs, goals, categories, regions) -> {file name: figure}
    chart_workbook(figs) -> bytes   one sheet per chart: the rows of chart_data (Chinese headers),
                                    and a sheet 备注 with the notes drawn on them (ipdata/notes.py)
    png_zip(figs) -> bytes          one 1920×1080 PNG per chart

Text is always text: a region or name starting with = + - @ (tab, CR) is an inert text cell
(ipdata.inert), never a formula when the workbook is opened.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping

import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.styles import Font

from ipdata.figures import DEMO_MARK, chart_data, goal_chart
from ipdata.figures.data import NOTE_HEADERS, chart_notes
from ipdata.figures.theme import DEMO_NAME
from ipdata.inert import neutralise_workbook
from ipdata.outputs.inputs import Inputs, check_regions, select_goals

_BAD_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_BAD_SHEET_CHARS = re.compile(r"[\\/:*?\[\]]")


def file_stem(name: str) -> str:
    """A file name without characters that Windows or zip tools refuse."""
    return _BAD_FILE_CHARS.sub("_", name).strip(" .") or "chart"


def selection_figures(inputs: Inputs, goals: Iterable[str] | None = None,
                      categories: Iterable[str] | None = None,
                      regions: Iterable[str] | None = None) -> dict[str, go.Figure]:
    """The goal chart of every chosen goal for the district, then for each chosen region the
    chosen goals it has data for; keys are file stems ('<goal name>_<district or region>')."""
    plan = inputs.plan
    chosen = select_goals(plan, goals, categories)
    out: dict[str, go.Figure] = {}
    for region in [None, *check_regions(inputs, regions)]:
        frame = inputs.frame(region).set_index("code")
        for goal in chosen:
            row = frame.loc[goal.code]
            if region is not None and row.isna()["latest_value"]:
                continue
            name = file_stem(f"{goal.name}_{region or plan.district}")
            out[name] = goal_chart(plan, goal.code, inputs.values, row, region=region, demo=inputs.demo,
                                   notes=inputs.notes_of(goal.code))
    return out


def _sheet_title(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("_", name)[:28] or "chart"
    title, n = base, 1
    while title.lower() in used:
        n += 1
        title = f"{base[:28 - len(str(n))]}_{n}"
    used.add(title.lower())
    return title


def _is_demo(fig: go.Figure) -> bool:
    return any(a.name == DEMO_NAME for a in fig.layout.annotations)


def chart_workbook(figs: Mapping[str, go.Figure]) -> bytes:
    """One sheet per chart with the data behind it (指标, 地区, 系列, 年份, 数值, 单位)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, fig in figs.items():
        ws = wb.create_sheet(_sheet_title(name, used))
        table = chart_data(fig, chinese_headers=True)
        if _is_demo(fig):
            ws.append([f"{DEMO_MARK}（虚构，仅供演示）"])
            ws.cell(1, 1).font = Font(bold=True, color="D55E00")
        ws.append(list(table.columns))
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for rec in table.itertuples(index=False):
            ws.append([None if _missing(v) else v for v in rec])
        for col, width in zip("ABCDEF", (30, 14, 16, 8, 12, 8), strict=True):
            ws.column_dimensions[col].width = width
    _notes_sheet(wb, figs, used)
    if not figs:
        wb.create_sheet("无图表").append(["没有选中任何图表"])
    neutralise_workbook(wb)  # a note is typed by a person: text, never a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


NOTES_SHEET = "备注"


def _notes_sheet(wb: Workbook, figs: Mapping[str, go.Figure], used: set[str]) -> None:
    """One sheet 备注 with the notes drawn on the charts (图表, 指标, 地区, 年份, 类别, 备注); none
    when no chart carries a note."""
    rows = [[name, *rec] for name, fig in figs.items()
            for rec in chart_notes(fig).itertuples(index=False)]
    if not rows:
        return
    ws = wb.create_sheet(_sheet_title(NOTES_SHEET, used))
    ws.append(["图表", *NOTE_HEADERS.values()])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([None if _missing(v) else v for v in r])
    for col, width in zip("ABCDEF", (30, 30, 14, 10, 12, 80), strict=True):
        ws.column_dimensions[col].width = width


def _missing(v) -> bool:
    try:
        return v is None or v != v  # NaN and pd.NA
    except TypeError:  # pd.NA compares to NA
        return True


def png_zip(figs: Mapping[str, go.Figure]) -> bytes:
    """A zip of one 1920×1080 PNG per chart, named after the chart (UTF-8 names)."""
    from ipdata.outputs.render import to_png

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:  # PNGs are compressed already
        for name, fig in figs.items():
            z.writestr(f"{file_stem(name)}.png", to_png(fig))
    return out.getvalue()
