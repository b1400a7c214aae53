"""The slides of the deck: title, overview (counts, then the goals' table over as many slides as
it takes), one slide per goal, region slides.

Once the plan's target year has data (evaluation.is_final) the deck says the final evaluation as
the pages, the 自评报告 and the brief do: the counts slide gives 达成 x / y, the counts by verdict
(达成 / 未达成 / 待定) and the missed goals with their 责任单位 (ipdata/attention.py), ranks apart;
the tables and each goal's slide give the verdict as status (a goal met only on an earlier year is
待定) and its reason, and nothing says 序时进度.

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
from ipdata.attention import attention
from ipdata.catalogue import Goal
from ipdata.evaluation import VERDICTS, evaluate, final_verdict, is_final, with_verdicts
from ipdata.figures import DEMO_MARK, status_colour, status_symbol
from ipdata.notes import GoalNote
from ipdata.outputs.deck.chart import add_goal_chart, goal_chart_data
from ipdata.outputs.deck.colours import ink, on_white
from ipdata.outputs.deck.milestone import add_milestone_line, milestone_nodes
from ipdata.outputs.inputs import Inputs
from ipdata.scorecard import scorecard
from ipdata.trajectory import labels as L
from ipdata.trajectory import rank
from ipdata.views import progress_texts

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
DARK, GREY, RED = RGBColor(0x22, 0x22, 0x22), RGBColor(0x66, 0x66, 0x66), RGBColor(0xD5, 0x5E, 0x00)
MIN_PT = 14  # the smallest text anywhere on the deck
ROWS_PER_SLIDE = 8  # goals per table slide at TABLE_PT (8 rows and the header end at 6.65 in)
TABLE_PT = 16
# inches; 12.33 in between the margins. 16 pt: 状态 holds "● 基本符合预期", 完成值 "1350家（2024年）".
COLUMN_WIDTHS = (3.75, 1.73, 2.6, 1.15, 1.15, 1.95)
FINAL_WIDTHS = (4.9, 1.73, 2.6, 1.15, 1.95)  # once final: no 序时进度, its width to the name
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
    if goal.kind == "milestone":  # the report's words: the year first reported built, or as of when not
        reach = r.get("reach_year")
        if v >= 1:
            return f"{int(reach if not pd.isna(reach) and reach else y)}年建成"
        return f"尚未建成（{int(y)}年）"
    if goal.is_rank:
        return f"第{int(v)}名（{int(y)}年）"
    return f"{R.rule_of(r, goal).value(v, goal.unit)}（{int(y)}年）"


def _progress(r: pd.Series, final: bool = False) -> list[str]:
    """完成进度 (and 序时进度 before the target year) as the report's table prints them
    (views.progress_texts): none for a milestone, a trend or a rank goal."""
    completion, elapsed = progress_texts(r, final)
    return [completion or R.MISSING, *([] if final else [elapsed or R.MISSING])]


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
FINAL_HEADERS = ("指标", "目标", "完成值", "完成进度", "终期结论")


def table_slides(prs, inputs: Inputs, frame: pd.DataFrame, title: str, target_header: str = "目标",
                 final: bool = False) -> None:
    """Status table(s): 指标, 目标, 完成值, 完成进度, 序时进度, 状态 in 16 pt, ROWS_PER_SLIDE goals a
    slide ('总览（1/3）'); status cells coloured and worded (symbol and label, never colour alone).
    `final`: the verdict (达成 / 未达成 / 待定) as 终期结论, and no 序时进度 column."""
    plan = inputs.plan
    if final:
        frame = with_verdicts(plan, frame)
    widths_in = FINAL_WIDTHS if final else COLUMN_WIDTHS
    rows = [r for _, r in frame.iterrows()]
    names = {id(r): fit_name(str(r["name"]), (widths_in[0] - 0.12) * 72) for r in rows}
    parts = chunks(rows, heights=[TWO_LINE_HEIGHT if names[id(r)][1] > 1 else ROW_HEIGHT for r in rows])
    headers = [target_header if h == "目标" else h for h in (FINAL_HEADERS if final else HEADERS)]
    widths = [Inches(w) for w in widths_in]
    status_at = len(headers) - 1
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
                              _latest(plan.goal(r["code"]), r), *_progress(r, final),
                              f"{status_symbol(r['status'])} {r['status']}"] for r in chunk]
        for i, values in enumerate(cells):
            for j, value in enumerate(values):
                cell = table.cell(i, j)
                cell.text = str(value)
                cell.margin_top = cell.margin_bottom = Inches(0.04)
                cell.margin_left = cell.margin_right = Inches(0.06)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                font = cell.text_frame.paragraphs[0].runs[0].font
                font.size, font.bold = Pt(TABLE_PT), i == 0
                if 0 < j < status_at:
                    cell.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
                if i > 0 and j == status_at:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = _rgb(status_colour(chunk[i - 1]["status"]))
                    font.color.rgb, font.bold = _rgb(ink(status_colour(chunk[i - 1]["status"]))), True


def _count_tiles(slide, counts: dict[str, int], top: float) -> float:
    """The counts as coloured tiles (count and worded status), TILES_PER_ROW a row from `top` (in);
    where the text below them may start (in)."""
    items = list(counts.items())
    rows = -(-len(items) // TILES_PER_ROW) if items else 0
    per_row = -(-len(items) // rows) if rows else 0
    width = min(Inches(2.4), Emu(int((WIDTH - 2 * MARGIN) / max(per_row, 1))))
    for k, (status, count) in enumerate(items):
        x, y = Emu(int(MARGIN + width * (k % per_row))), Inches(top) + Inches(1.2) * (k // per_row)
        tile = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, x + Inches(0.05), y, width - Inches(0.1),
                                      Inches(1.05))
        tile.fill.solid()
        tile.fill.fore_color.rgb = _rgb(status_colour(status))
        tile.line.fill.background()
        tf = tile.text_frame
        tf.word_wrap = True
        for i, (words, size) in enumerate(((f"{count} 项", 28), (f"{status_symbol(status)} {status}", 18))):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.alignment = PP_ALIGN.CENTER
            run = p.add_run()
            run.text = words
            run.font.size, run.font.bold, run.font.color.rgb = Pt(size), True, _rgb(ink(status_colour(status)))
    return top + 1.2 * rows + 0.2


def summary_slide(prs, inputs: Inputs, frame: pd.DataFrame, title: str) -> None:
    """The headline, the count of goals by status (coloured and worded), the goals that lag and
    the rank goals' sentences (a rank is no row of a progress table)."""
    card = scorecard(inputs.plan, frame)
    slide = _blank(prs, inputs, title)
    text(slide, MARGIN, Inches(1.2), WIDTH - 2 * MARGIN, Inches(1.3), card.headline, size=20)
    below = Inches(_count_tiles(slide, card.counts, 2.5))
    lines = []
    if card.lagging:
        lines.append((f"需重点关注：{'、'.join(card.lagging)}", 18, False, DARK))
    lines += [(f"排名目标：{s}", 18, False, DARK, 6) for s in card.ranks]
    if lines:
        text(slide, MARGIN, below, WIDTH - 2 * MARGIN, HEIGHT - below - Inches(0.3), lines)


LIST_PT = 16  # the final counts slide's list of missed goals, ranks and goals without a target


def _height(words: str, size: int, before: float = 0) -> float:
    """Estimated height (pt) of a paragraph across the slide: its lines at 1.2 × the size."""
    line = (Emu(WIDTH - 2 * MARGIN).pt - 8) * 0.95
    return before + 1.2 * size * -(-_chars_width(words, size) // line)


def _missed_lines(missed: list, room: float) -> list[tuple]:
    """Each missed goal's line ('✖ 万人高价值…：2025年为17.6件，未达到目标≥18件，差0.4件。责任单位：…')
    while they fit in `room` (pt), then how many more there are."""
    out = []
    for k, a in enumerate(missed):
        line = f"{status_symbol(a.status)} {a.line}"
        more = f"……另有 {len(missed) - k - 1} 项未达成，见各指标页"
        need = _height(line, LIST_PT, 4) + (_height(more, LIST_PT, 4) if k < len(missed) - 1 else 0)
        if need > room:
            return [*out, (f"……另有 {len(missed) - k} 项未达成，见各指标页", LIST_PT, False, DARK, 4)]
        out.append((line, LIST_PT, False, DARK, 4))
        room -= _height(line, LIST_PT, 4)
    return out


def final_summary_slide(prs, inputs: Inputs, frame: pd.DataFrame, title: str) -> None:
    """The final evaluation (the brief's and the overview's): 达成 x / y and its sentence, the goals
    by verdict, the missed goals with their 责任单位 (as many as the slide holds, the rest counted),
    then ranks (their own verdict, not in x / y) and goals without a numeric target, apart."""
    plan = inputs.plan
    ev = evaluate(plan, frame)
    slide = _blank(prs, inputs, title)
    width = WIDTH - 2 * MARGIN
    text(slide, MARGIN, Inches(1.1), width, Inches(0.6), f"{plan.target_year}年终期评估：{ev.figure}",
         size=28, bold=True)
    text(slide, MARGIN, Inches(1.7), width, Inches(0.9), ev.summary, size=18)
    counts = {v: n for v in VERDICTS if (n := sum(g.verdict == v for g in ev.goals))}
    below = _count_tiles(slide, counts, 2.6)
    codes = set(frame["code"])
    # attention() over the whole district: a choice of goals is judged as the whole plan is
    missed = [a for a in attention(plan, inputs.frame()) if a.code in codes]
    apart = [(f"排名目标：{v.verdict}｜{v.line}", LIST_PT, False, DARK, 6) for v in ev.ranks]
    apart += [(f"无量化目标：{v.line}", LIST_PT, False, GREY, 6) for v in ev.trends]
    room = Emu(HEIGHT - Inches(below) - Inches(0.3)).pt - sum(_height(t, s, b) for t, s, _, _, b in apart)
    lines: list[tuple] = []
    if missed:
        head = f"未达成（{len(missed)} 项）"
        lines += [(head, 18, True, DARK), *_missed_lines(missed, room - _height(head, 18))]
    lines += apart
    if lines:
        text(slide, MARGIN, Inches(below), width, HEIGHT - Inches(below) - Inches(0.3), lines)


def overview_slides(prs, inputs: Inputs, goals: list[Goal]) -> None:
    frame = inputs.frame()
    final = is_final(inputs.plan, frame)  # the district's target year has data, whichever goals are chosen
    mine = frame[frame["code"].isin([g.code for g in goals])]
    (final_summary_slide if final else summary_slide)(prs, inputs, mine, "指标完成情况总览")
    table_slides(prs, inputs, rank.numeric(mine), "指标完成情况总览", f"{inputs.plan.target_year}年目标", final)


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
    # once final, the verdict the tiles and the goal page give, and why (None: not final, a trend
    # goal, a region without a target of its own)
    verdict = final_verdict(plan, r.to_dict() | {"code": goal.code}, inputs.frame())
    status = verdict.verdict if verdict else str(r["status"])
    facts = [(f"{status_symbol(status)} {status}", 24, True, _rgb(on_white(status_colour(status))))]
    if verdict and verdict.reason not in str(r["narrative"]):  # a rank's reason is its narrative
        facts.append((f"终期结论：{verdict.reason}", 18, False, DARK, 4))
    target = r["target_text"] if isinstance(r["target_text"], str) and r["target_text"] else goal.target_text()
    if region is not None and not plan.is_district(region) and not _has_text(r["target_text"]):
        # the district's target is no target of the region's: say so, and whose it is
        target = f"{L.NO_TARGET}（{plan.district}{goal.target_text()}）"
    elif goal.kind == "milestone":
        ty = r.get("target_year")
        target = f"{int(ty)}年前建成" if not pd.isna(ty) else target
    facts += [(f"目标：{target}", 18, False, DARK, 10), (f"最新值：{_latest(goal, r)}", 18, False, DARK, 4)]
    if goal.kind in ("level", "cumulative") and not pd.isna(r["completion"]):
        schedule = "" if verdict else f"，序时进度 {R.percent(r['time_elapsed'])}"  # the plan's time is up
        facts.append((f"完成进度 {progress_texts(r, bool(verdict))[0]}{schedule}", 18, False, DARK, 4))
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
    table_slides(prs, inputs, mine, f"{region}指标完成情况", "分解目标", is_final(inputs.plan, inputs.frame()))
    for code in mine["code"]:
        goal_slide(prs, inputs, inputs.plan.goal(code), region)
