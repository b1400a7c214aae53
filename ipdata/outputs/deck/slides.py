"""The slides of the deck: title, overview table, one slide per goal, region slides.

Every slide is drawn on the blank layout with our own text boxes, so that fonts and positions
are the same in PowerPoint and WPS whatever the default template says.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from ipdata import rounding as R
from ipdata.catalogue import Goal
from ipdata.figures import DEMO_MARK, STATUS_SYMBOLS, status_colour
from ipdata.notes import GoalNote
from ipdata.outputs.deck.chart import add_goal_chart, goal_chart_data
from ipdata.outputs.inputs import Inputs
from ipdata.scorecard import scorecard
from ipdata.trajectory import DEFAULT, rank

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
DARK, GREY, RED = RGBColor(0x22, 0x22, 0x22), RGBColor(0x66, 0x66, 0x66), RGBColor(0xD5, 0x5E, 0x00)
ROWS_PER_TABLE = 20


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def text(slide, x, y, cx, cy, lines, *, size=16, bold=False, colour=DARK, align=PP_ALIGN.LEFT,
         anchor=MSO_ANCHOR.TOP):
    """A text box; `lines` is a string or a list of strings or (text, size, bold, colour) tuples."""
    box = slide.shapes.add_textbox(x, y, cx, cy)
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    items = [lines] if isinstance(lines, str) else list(lines)
    for i, item in enumerate(items):
        t, s, b, c = (item, size, bold, colour) if isinstance(item, str) else item
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = t
        run.font.size, run.font.bold, run.font.color.rgb = Pt(s), b, c
    return box


def _blank(prs, inputs: Inputs, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    text(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN - Inches(1.6), Inches(0.7), title, size=26, bold=True)
    if inputs.demo:
        text(slide, WIDTH - MARGIN - Inches(1.6), Inches(0.35), Inches(1.6), Inches(0.5), DEMO_MARK,
             size=14, bold=True, colour=RED, align=PP_ALIGN.RIGHT)
    return slide


def title_slide(prs, inputs: Inputs, today: dt.date) -> None:
    plan = inputs.plan
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    as_of = f"数据截至 {inputs.as_of}年" if inputs.as_of else "暂无数据"
    lines = [(plan.title, 36, True, DARK), ("主要目标完成情况", 28, False, DARK), ("", 14, False, DARK),
             (as_of + (f"　·　数据版本 {inputs.revision}" if inputs.revision else ""), 20, False, GREY),
             (f"生成日期 {today:%Y年%m月%d日}", 16, False, GREY)]
    if inputs.demo:
        lines.append(("示例数据（虚构，仅供演示，不代表官方统计）", 20, True, RED))
    text(slide, Inches(1), Inches(1.8), WIDTH - Inches(2), Inches(4.5), lines, align=PP_ALIGN.CENTER,
         anchor=MSO_ANCHOR.MIDDLE)


def _latest(goal: Goal, r: pd.Series) -> str:
    v, y = r["latest_value"], r["latest_year"]
    if pd.isna(v):
        return "暂无数据"
    if goal.kind == "milestone":
        return "已建成" if v >= 1 else "未建成"
    if goal.is_rank:
        return f"第{int(v)}名（{int(y)}年）"
    return f"{R.rule_of(r, goal).value(v, goal.unit)}（{int(y)}年）"


def _completion(r: pd.Series) -> str:
    """The completion as every page prints it (on its side of 0, of 100 % and of each status bound)."""
    return R.completion(r["completion"], r["time_elapsed"], DEFAULT.schedule_bounds)


def table_slides(prs, inputs: Inputs, frame: pd.DataFrame, title: str, target_header: str,
                 note: str = "", apart: tuple[str, ...] = ()) -> None:
    """Status table(s): 指标, 最新值, 目标, 完成进度, 序时进度, 状态; status cells coloured.
    `apart`: sentences under the note (rank goals, which are no rows of a progress table)."""
    plan = inputs.plan
    rows = [r for _, r in frame.iterrows()]
    chunks = [rows[i:i + ROWS_PER_TABLE] for i in range(0, len(rows), ROWS_PER_TABLE)] or [[]]
    headers = ["指标", "最新值", target_header, "完成进度", "序时进度", "状态"]
    widths = [Inches(w) for w in (4.3, 2.2, 1.8, 1.1, 1.1, 1.83)]  # 状态 wide enough for 基本符合预期
    for n, chunk in enumerate(chunks):
        slide = _blank(prs, inputs, title + ("（续）" if n else ""))
        top = Inches(1.0)
        if note and not n:
            text(slide, MARGIN, top, WIDTH - 2 * MARGIN, Inches(0.55), note, size=14, colour=GREY)
            top = Inches(1.6)
        if apart and not n:  # two lines of 12 pt each; 20 rows still end above 7.5 in (1.98 + 5.46)
            text(slide, MARGIN, top - Inches(0.05), WIDTH - 2 * MARGIN, Inches(0.4) * len(apart), list(apart),
                 size=12, colour=GREY)
            top += Inches(0.38) * len(apart)
        # 20 rows + header at 0.26in fit between the note and the bottom edge (1.6 + 5.46 < 7.5)
        size, row_height = (11, Inches(0.26)) if len(chunk) > 12 else (13, Inches(0.4))
        height = Emu(int(row_height) * (len(chunk) + 1))
        shape = slide.shapes.add_table(len(chunk) + 1, len(headers), MARGIN, top, sum(widths, Emu(0)), height)
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = w
        for r in table.rows:
            r.height = row_height
        cells = [headers] + [[r["name"], _latest(plan.goal(r["code"]), r),
                              r["target_text"] if isinstance(r["target_text"], str) and r["target_text"] else "—",
                              _completion(r), R.percent(r["time_elapsed"]),
                              f"{STATUS_SYMBOLS.get(r['status'], '')} {r['status']}"] for r in chunk]
        for i, values in enumerate(cells):
            for j, value in enumerate(values):
                cell = table.cell(i, j)
                cell.text = str(value)
                cell.margin_top = cell.margin_bottom = Inches(0.02)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                font = cell.text_frame.paragraphs[0].runs[0].font
                font.size, font.bold = Pt(size), i == 0
                if j in (1, 2, 3, 4):
                    cell.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
                if i > 0 and j == 5:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = _rgb(status_colour(chunk[i - 1]["status"]))
                    font.color.rgb, font.bold = RGBColor(0xFF, 0xFF, 0xFF), True
        if not chunk:
            text(slide, MARGIN, top + Inches(0.6), WIDTH - 2 * MARGIN, Inches(0.5), "暂无数据", size=16, colour=GREY)


def overview_slides(prs, inputs: Inputs, goals: list[Goal]) -> None:
    frame = inputs.frame()
    mine = frame[frame["code"].isin([g.code for g in goals])]
    card = scorecard(inputs.plan, mine)
    # a rank (进入全省第一方阵) is no progress: said under the headline, not a row of the table
    table_slides(prs, inputs, rank.numeric(mine), "指标完成情况总览", f"{inputs.plan.target_year}年目标",
                 card.headline, tuple(f"排名目标：{s}" for s in card.ranks))


def goal_slide(prs, inputs: Inputs, goal: Goal, region: str | None = None) -> None:
    plan = inputs.plan
    r = inputs.row(goal.code, region)
    title = goal.name if region is None else f"{goal.name}（{region}）"
    slide = _blank(prs, inputs, title)
    data = goal_chart_data(plan, goal, inputs.values, r, region)
    add_goal_chart(slide, data, MARGIN, Inches(1.1), Inches(8.2), Inches(5.2),
                   unit="" if goal.kind == "milestone" else goal.unit)
    status = str(r["status"])
    facts = [(f"{STATUS_SYMBOLS.get(status, '')} {status}", 22, True, _rgb(status_colour(status))),
             ("", 8, False, DARK)]
    target = r["target_text"] if isinstance(r["target_text"], str) and r["target_text"] else goal.target_text()
    facts += [(f"目标：{target}", 16, False, DARK), (f"最新值：{_latest(goal, r)}", 16, False, DARK)]
    if goal.kind in ("level", "cumulative") and not pd.isna(r["completion"]):
        facts.append((f"完成进度 {_completion(r)}，序时进度 {R.percent(r['time_elapsed'])}", 16, False, DARK))
    facts += [("", 8, False, DARK), (str(r["narrative"]), 14, False, DARK)]
    facts += _note_lines(inputs.notes_of(goal.code))
    text(slide, Inches(9.0), Inches(1.2), WIDTH - Inches(9.0) - MARGIN, Inches(5.1), facts)
    sources = "、".join(inputs.sources(goal, region)) or "—"
    foot = (f"规划原文：“{goal.source}”（{plan.short_title}，{goal.section}）\n"
            f"数据来源：{sources}；数据版本：{inputs.revision or '—'}")
    if inputs.demo:
        foot += "；示例数据（虚构，仅供演示）"
    text(slide, MARGIN, Inches(6.55), WIDTH - 2 * MARGIN, Inches(0.8), foot.split("\n"), size=11, colour=GREY)


NOTES_ON_SLIDE, NOTE_CHARS = 4, 60  # the facts box holds this many notes of this length


def _note_lines(notes: list[GoalNote]) -> list[tuple]:
    """The goal's notes (ipdata/notes.py) under the facts: '备注', then '2023年 口径变化：…' each."""
    if not notes:
        return []
    lines = [(n.line if len(n.line) <= NOTE_CHARS else n.line[:NOTE_CHARS - 1] + "…") for n in notes]
    if len(lines) > NOTES_ON_SLIDE:
        lines = [*lines[:NOTES_ON_SLIDE - 1], f"……另有 {len(lines) - NOTES_ON_SLIDE + 1} 条备注，见指标详情页"]
    return [("", 8, False, DARK), ("备注", 12, True, GREY), *((x, 12, False, GREY) for x in lines)]


def region_slides(prs, inputs: Inputs, goals: list[Goal], region: str) -> None:
    """The region's scorecard (goals with data there), then a chart slide per such goal."""
    frame = inputs.frame(region)
    mine = frame[frame["code"].isin([g.code for g in goals]) & frame["latest_value"].notna()]
    table_slides(prs, inputs, mine, f"{region}指标完成情况", "分解目标")
    for code in mine["code"]:
        goal_slide(prs, inputs, inputs.plan.goal(code), region)
