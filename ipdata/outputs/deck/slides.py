"""The slides of the deck: title, overview (counts, then the goals' table over as many slides as
it takes), one slide per goal, region slides.

Every slide is drawn on the blank layout with our own text boxes, so that fonts and positions
are the same in PowerPoint and WPS whatever the default template says. Nothing is under 14 pt
(MIN_PT), read at projector distance: the tables hold at most ROWS_PER_SLIDE goals in 16 pt and
go on over further slides (总览（2/3）); spacing between paragraphs is paragraph spacing, never an
empty line in a small size.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from ipdata import rounding as R
from ipdata.catalogue import Goal
from ipdata.figures import DEMO_MARK, STATUS_SYMBOLS, status_colour
from ipdata.notes import GoalNote
from ipdata.outputs.deck.chart import add_goal_chart, goal_chart_data
from ipdata.outputs.deck.colours import ink, on_white
from ipdata.outputs.deck.milestone import add_milestone_line, milestone_nodes
from ipdata.outputs.inputs import Inputs
from ipdata.scorecard import scorecard
from ipdata.trajectory import DEFAULT, rank
from ipdata.trajectory import labels as L

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
DARK, GREY, RED = RGBColor(0x22, 0x22, 0x22), RGBColor(0x66, 0x66, 0x66), RGBColor(0xD5, 0x5E, 0x00)
MIN_PT = 14  # the smallest text anywhere on the deck
ROWS_PER_SLIDE = 8  # goals per table slide at TABLE_PT (8 rows and the header end at 6.65 in)
TABLE_PT = 16
# inches; 12.33 in between the margins. 16 pt: 状态 holds "● 基本符合预期", 完成值 "1350家（2024年）".
COLUMN_WIDTHS = (3.75, 1.73, 2.6, 1.15, 1.15, 1.95)
TABLE_TOP = 1.25  # in
ROW_HEIGHT, TWO_LINE_HEIGHT = 0.6, 0.8  # in: a row, a row whose name takes two lines (16 pt, 1.45 lines)
TABLE_ROOM = 7.5 - 0.3 - TABLE_TOP - ROW_HEIGHT  # in for the goals' rows: the header above, 0.3 in below
TILES_PER_ROW = 5  # status tiles on the overview: 18 pt holds 基本符合预期 in a fifth of the width


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))
def text(slide, x, y, cx, cy, lines, *, size=16, bold=False, colour=DARK, align=PP_ALIGN.LEFT,
         anchor=MSO_ANCHOR.TOP):
    """A text box; `lines` is a string or a list of strings or (text, size, bold, colour[, space
    before in pt]) tuples."""
    box = slide.shapes.add_textbox(x, y, cx, cy)
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    items = [lines] if isinstance(lines, str) else list(lines)
    for i, item in enumerate(items):
        t, s, b, c, before = (item, size, bold, colour, 0) if isinstance(item, str) else (*item, 0)[:5]
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        if before:
            p.space_before = Pt(before)
        run = p.add_run()
        run.text = t
        run.font.size, run.font.bold, run.font.color.rgb = Pt(max(s, MIN_PT)), b, c
    return box


TITLE_WIDTH = WIDTH - 2 * MARGIN - Inches(1.8)  # beside the 示例数据 mark
TITLE_SIZES = (28, 24, 20)  # pt: a title takes the largest that holds it on one line, else two lines at the last


def _chars_width(words: str, size: float) -> float:
    """Estimated width (pt) of a line: a Chinese character one em, other characters about 0.6."""
    return sum(size if ord(c) > 0x2E80 else 0.6 * size for c in words)


def fit_title(words: str, width: float = Emu(TITLE_WIDTH).pt - 8) -> tuple[str, int, int]:
    """(text, size, lines) of a slide title: on one line in the largest of TITLE_SIZES that holds
    it, else on two lines at the smallest, cut with … where even two do not hold it (a goal's name
    of 70 characters and more; the table and the goal page have it whole)."""
    for size in TITLE_SIZES:
        if _chars_width(words, size) <= width:
            return words, size, 1
    size = TITLE_SIZES[-1]
    if _chars_width(words, size) <= 2 * width * 0.95:  # a line breaks short of the edge
        return words, size, 2
    while _chars_width(words + "…", size) > 2 * width * 0.95:
        words = words[:-1]
    return words + "…", size, 2


def _blank(prs, inputs: Inputs, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    words, size, lines = fit_title(title)
    box = text(slide, MARGIN, Inches(0.3), TITLE_WIDTH, Inches(0.8), words, size=size, bold=True)
    if lines > 1:  # two lines in exactly 1.2 × the size, so they end above the content (1.1 in)
        box.text_frame.paragraphs[0].line_spacing = Pt(size * 1.2)
    if inputs.demo:
        text(slide, WIDTH - MARGIN - Inches(1.8), Inches(0.38), Inches(1.8), Inches(0.5), DEMO_MARK,
             size=16, bold=True, colour=RED, align=PP_ALIGN.RIGHT)
    return slide


def title_slide(prs, inputs: Inputs, today: dt.date) -> None:
    plan = inputs.plan
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    as_of = f"数据截至 {inputs.as_of}年" if inputs.as_of else "暂无数据"
    lines = [(plan.title, 36, True, DARK), ("主要目标完成情况", 28, False, DARK, 6),
             (as_of + (f"　·　数据版本 {inputs.revision}" if inputs.revision else ""), 20, False, GREY, 30),
             (f"生成日期 {today:%Y年%m月%d日}", 18, False, GREY, 6)]
    if inputs.demo:
        lines.append(("示例数据（虚构，仅供演示，不代表官方统计）", 20, True, RED, 6))
    text(slide, Inches(1), Inches(1.8), WIDTH - Inches(2), Inches(4.5), lines, align=PP_ALIGN.CENTER,
         anchor=MSO_ANCHOR.MIDDLE)


def _has_text(x: object) -> bool:
    return isinstance(x, str) and bool(x)


def _latest(goal: Goal, r: pd.Series) -> str:
    v, y = r["latest_value"], r["latest_year"]
    if pd.isna(v):
        return "暂无数据"
    if goal.kind == "milestone":  # dated: the year first reported built, or the latest year reported
        reach = r.get("reach_year")
        if v >= 1:
            return f"已建成（{int(reach if not pd.isna(reach) and reach else y)}年）"
        return f"未建成（{int(y)}年）"
    if goal.is_rank:
        return f"第{int(v)}名（{int(y)}年）"
    return f"{R.rule_of(r, goal).value(v, goal.unit)}（{int(y)}年）"


def _completion(r: pd.Series) -> str:
    """The completion as every page prints it (on its side of 0, of 100 % and of each status bound)."""
    return R.completion(r["completion"], r["time_elapsed"], DEFAULT.schedule_bounds)


def chunks(rows: list, per_slide: int = ROWS_PER_SLIDE, heights: list[float] | None = None,
           room: float = TABLE_ROOM) -> list[list]:
    """`rows` over as few slides as hold `per_slide` each and whose `heights` (in, one a row; 0.6
    each if not given) fit in `room`, evenly (20 rows: 7, 7, 6)."""
    if not rows:
        return [[]]
    heights = heights or [ROW_HEIGHT] * len(rows)
    n = -(-len(rows) // per_slide)
    while True:
        size, extra = divmod(len(rows), n)
        out, start = [], 0
        for k in range(n):
            end = start + size + (1 if k < extra else 0)
            out.append((start, end))
            start = end
        if n == len(rows) or all(sum(heights[a:b]) <= room + 1e-9 for a, b in out):
            return [rows[a:b] for a, b in out]
        n += 1


def fit_name(name: str, width: float = (COLUMN_WIDTHS[0] - 0.12) * 72, size: int = TABLE_PT) -> tuple[str, int]:
    """(text, lines) of a goal's name in the table's first column: on one or two lines, cut with …
    where two do not hold it (its slide's title has it whole)."""
    line = width * 0.95  # a line breaks short of the edge
    if _chars_width(name, size) <= line:
        return name, 1
    if _chars_width(name, size) <= 2 * line:
        return name, 2
    while _chars_width(name + "…", size) > 2 * line:
        name = name[:-1]
    return name + "…", 2


HEADERS = ("指标", "目标", "完成值", "完成进度", "序时进度", "状态")


def table_slides(prs, inputs: Inputs, frame: pd.DataFrame, title: str, target_header: str = "目标") -> None:
    """Status table(s): 指标, 目标, 完成值, 完成进度, 序时进度, 状态 in 16 pt, ROWS_PER_SLIDE goals a
    slide ('总览（1/3）'); status cells coloured and worded (symbol and label, never colour alone)."""
    plan = inputs.plan
    rows = [r for _, r in frame.iterrows()]
    names = {id(r): fit_name(str(r["name"])) for r in rows}
    parts = chunks(rows, heights=[TWO_LINE_HEIGHT if names[id(r)][1] > 1 else ROW_HEIGHT for r in rows])
    headers = [target_header if h == "目标" else h for h in HEADERS]
    widths = [Inches(w) for w in COLUMN_WIDTHS]
    for n, chunk in enumerate(parts):
        slide = _blank(prs, inputs, title + (f"（{n + 1}/{len(parts)}）" if len(parts) > 1 else ""))
        top = Inches(TABLE_TOP)
        if not chunk:
            text(slide, MARGIN, top, WIDTH - 2 * MARGIN, Inches(0.5), "暂无数据", size=18, colour=GREY)
            continue
        heights = [Inches(ROW_HEIGHT)] + [Inches(TWO_LINE_HEIGHT if names[id(r)][1] > 1 else ROW_HEIGHT)
                                          for r in chunk]
        shape = slide.shapes.add_table(len(chunk) + 1, len(headers), MARGIN, top, sum(widths, Emu(0)),
                                       sum(heights, Emu(0)))
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = w
        for row, h in zip(table.rows, heights, strict=True):
            row.height = h
        cells = [headers] + [[names[id(r)][0],
                              r["target_text"] if isinstance(r["target_text"], str) and r["target_text"] else "—",
                              _latest(plan.goal(r["code"]), r), _completion(r), R.percent(r["time_elapsed"]),
                              f"{STATUS_SYMBOLS.get(r['status'], '')} {r['status']}"] for r in chunk]
        for i, values in enumerate(cells):
            for j, value in enumerate(values):
                cell = table.cell(i, j)
                cell.text = str(value)
                cell.margin_top = cell.margin_bottom = Inches(0.04)
                cell.margin_left = cell.margin_right = Inches(0.06)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                font = cell.text_frame.paragraphs[0].runs[0].font
                font.size, font.bold = Pt(TABLE_PT), i == 0
                if j in (1, 2, 3, 4):
                    cell.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
                if i > 0 and j == 5:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = _rgb(status_colour(chunk[i - 1]["status"]))
                    font.color.rgb, font.bold = _rgb(ink(status_colour(chunk[i - 1]["status"]))), True


def summary_slide(prs, inputs: Inputs, frame: pd.DataFrame, title: str) -> None:
    """The headline, the count of goals by status (coloured and worded), the goals that lag and
    the rank goals' sentences (a rank is no row of a progress table)."""
    card = scorecard(inputs.plan, frame)
    slide = _blank(prs, inputs, title)
    text(slide, MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, Inches(1.3), card.headline, size=20)
    counts = list(card.counts.items())
    rows = -(-len(counts) // TILES_PER_ROW) if counts else 0
    per_row = -(-len(counts) // rows) if rows else 0
    width = min(Inches(2.4), Emu(int((WIDTH - 2 * MARGIN) / max(per_row, 1))))
    for k, (status, count) in enumerate(counts):
        x, y = Emu(int(MARGIN + width * (k % per_row))), Inches(2.5) + Inches(1.2) * (k // per_row)
        tile = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, x + Inches(0.05), y, width - Inches(0.1),
                                      Inches(1.05))
        tile.fill.solid()
        tile.fill.fore_color.rgb = _rgb(status_colour(status))
        tile.line.fill.background()
        tf = tile.text_frame
        tf.word_wrap = True
        for i, (words, size) in enumerate(((f"{count} 项", 28), (f"{STATUS_SYMBOLS.get(status, '')} {status}", 18))):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.alignment = PP_ALIGN.CENTER
            run = p.add_run()
            run.text = words
            run.font.size, run.font.bold, run.font.color.rgb = Pt(size), True, _rgb(ink(status_colour(status)))
    below = Inches(2.5) + Inches(1.2) * rows + Inches(0.2)
    lines = []
    if card.lagging:
        lines.append((f"需重点关注：{'、'.join(card.lagging)}", 18, False, DARK))
    lines += [(f"排名目标：{s}", 18, False, DARK, 6) for s in card.ranks]
    if lines:
        text(slide, MARGIN, below, WIDTH - 2 * MARGIN, HEIGHT - below - Inches(0.3), lines)


def overview_slides(prs, inputs: Inputs, goals: list[Goal]) -> None:
    frame = inputs.frame()
    mine = frame[frame["code"].isin([g.code for g in goals])]
    summary_slide(prs, inputs, mine, "指标完成情况总览")
    table_slides(prs, inputs, rank.numeric(mine), "指标完成情况总览", f"{inputs.plan.target_year}年目标")


CHART = (MARGIN, Inches(1.5), Inches(7.7), Inches(4.85))  # x, y, width, height of the chart or dated line


def goal_slide(prs, inputs: Inputs, goal: Goal, region: str | None = None) -> None:
    plan = inputs.plan
    r = inputs.row(goal.code, region)
    title = goal.name if region is None else f"{goal.name}（{region}）"
    slide = _blank(prs, inputs, title)
    x, y, cx, cy = CHART
    if goal.kind == "milestone":  # done or not by year: a dated line, not a 0/1 chart
        add_milestone_line(slide, milestone_nodes(plan, goal, inputs.values, r, region), x, y, cx, cy)
    else:
        if goal.unit:
            text(slide, x, Inches(1.1), cx, Inches(0.4), f"单位：{goal.unit}", size=14, colour=GREY)
        add_goal_chart(slide, goal_chart_data(plan, goal, inputs.values, r, region), x, y, cx, cy)
    status = str(r["status"])
    facts = [(f"{STATUS_SYMBOLS.get(status, '')} {status}", 24, True, _rgb(on_white(status_colour(status))))]
    target = r["target_text"] if isinstance(r["target_text"], str) and r["target_text"] else goal.target_text()
    if region is not None and not plan.is_district(region) and not _has_text(r["target_text"]):
        # the district's target is no target of the region's: say so, and whose it is
        target = f"{L.NO_TARGET}（{plan.district}{goal.target_text()}）"
    elif goal.kind == "milestone":
        ty = r.get("target_year")
        target = f"{int(ty)}年前建成" if not pd.isna(ty) else target
    facts += [(f"目标：{target}", 18, False, DARK, 10), (f"最新值：{_latest(goal, r)}", 18, False, DARK, 4)]
    if goal.kind in ("level", "cumulative") and not pd.isna(r["completion"]):
        facts.append((f"完成进度 {_completion(r)}，序时进度 {R.percent(r['time_elapsed'])}", 18, False, DARK, 4))
    facts += [(str(r["narrative"]), 16, False, DARK, 10)]
    facts += _note_lines(inputs.notes_of(goal.code))
    text(slide, Inches(8.45), Inches(1.2), WIDTH - Inches(8.45) - MARGIN, Inches(5.15), facts)
    sources = "、".join(inputs.sources(goal, region)) or "—"
    foot = (f"规划原文：“{goal.source}”（{plan.short_title}，{goal.section}）\n"
            f"数据来源：{sources}；数据版本：{inputs.revision or '—'}")
    if inputs.demo:
        foot += "；示例数据（虚构，仅供演示）"
    text(slide, MARGIN, Inches(6.45), WIDTH - 2 * MARGIN, Inches(0.95), foot.split("\n"), size=14, colour=GREY)


NOTES_ON_SLIDE, NOTE_CHARS = 4, 40  # the facts box holds this many notes of this length at 14 pt


def _note_lines(notes: list[GoalNote]) -> list[tuple]:
    """The goal's notes (ipdata/notes.py) under the facts: '备注', then '2023年 口径变化：…' each."""
    if not notes:
        return []
    lines = [(n.line if len(n.line) <= NOTE_CHARS else n.line[:NOTE_CHARS - 1] + "…") for n in notes]
    if len(lines) > NOTES_ON_SLIDE:
        lines = [*lines[:NOTES_ON_SLIDE - 1], f"……另有 {len(lines) - NOTES_ON_SLIDE + 1} 条备注，见指标详情页"]
    return [("备注", 16, True, GREY, 10), *((x, 14, False, GREY) for x in lines)]


def region_slides(prs, inputs: Inputs, goals: list[Goal], region: str) -> None:
    """The region's table (goals with data there), then a slide per such goal."""
    frame = inputs.frame(region)
    mine = frame[frame["code"].isin([g.code for g in goals]) & frame["latest_value"].notna()]
    table_slides(prs, inputs, mine, f"{region}指标完成情况", "分解目标")
    for code in mine["code"]:
        goal_slide(prs, inputs, inputs.plan.goal(code), region)
