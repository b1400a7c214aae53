"""A milestone (建成…) as a dated line: one node per year from the plan's base year to the target
year, each saying what was reported for it (已建成 / 未建成 / 无数据), the year it was first
reported built, and the target (目标：2025年前建成) at its year.

A milestone is done or not done (catalogue kind "milestone", the engine's reach_year is the
first year the data say built, and a milestone once built stays built: ipdata/evaluation.py), so
a 0/1 line chart only draws a step; the dated line says the same facts in words. Every label
sits in its own year's column (boxes as wide as the column, text wrapping inside), so no two
labels can meet however many years the plan spans.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt

from ipdata.catalogue import Goal, Plan
from ipdata.figures import goal_series
from ipdata.figures import theme as T
from ipdata.outputs.deck.colours import on_white
from ipdata.trajectory import labels as L

NO_DATA = "无数据"


@dataclass(frozen=True)
class Node:
    year: int
    state: str  # 已建成 / 未建成 / 无数据
    first_built: bool  # the first year reported built
    target: bool  # the target year


def milestone_nodes(plan: Plan, goal: Goal, values: pd.DataFrame, row: pd.Series | None,
                    region: str | None = None) -> list[Node]:
    """One node per year, base year to target year (and any later year with data)."""
    ty = T.num(None if row is None else row.get("target_year"))
    target_year = int(ty) if ty is not None else plan.target_year_of(goal)
    s = goal_series(plan, goal.code, values, region, target_year=target_year)
    reported = {int(y): bool(v >= 1) for y, v in zip(s["year"], s["value"], strict=True) if not pd.isna(v)}
    first = min([plan.base_year_of(goal), *reported])
    last = max([target_year, *reported])
    built_years = [y for y, built in sorted(reported.items()) if built]
    first_built = built_years[0] if built_years else None
    return [Node(y, NO_DATA if y not in reported else (L.BUILT if reported[y] else L.NOT_BUILT),
                 y == first_built, y == target_year) for y in range(first, last + 1)]


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _box(slide, x, y, cx, cy, lines, *, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.TOP):
    box = slide.shapes.add_textbox(x, y, cx, cy)
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Emu(0)
    for i, (text, size, bold, colour) in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
    return box


def add_milestone_line(slide, nodes: list[Node], x, y, cx, cy) -> None:
    """The dated line in the box (x, y, cx, cy): years above the line, what was reported below."""
    if not nodes:
        return
    column = Emu(int(cx / len(nodes)))
    line_y = Emu(int(y + cy * 0.42))
    dot = Emu(int(min(column * 0.5, Pt(30))))
    grey, dark = _rgb(T.GREY), RGBColor(0x22, 0x22, 0x22)
    size = 18 if len(nodes) <= 8 else 14
    connector = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(int(x + column / 2)), line_y,
                                           Emu(int(x + column * (len(nodes) - 0.5))), line_y)
    connector.line.color.rgb, connector.line.width = grey, Pt(3)
    for k, node in enumerate(nodes):
        left = Emu(int(x + column * k))
        centre = Emu(int(left + column / 2))
        hue = T.STATUS_COLOURS.get(node.state, T.GREY) if node.state != NO_DATA else T.GREY
        colour, words = _rgb(hue), _rgb(on_white(hue))  # the mark in the status colour, its words readable
        shape = slide.shapes.add_shape(MSO_SHAPE.STAR_5_POINT if node.target else MSO_SHAPE.OVAL,
                                       Emu(int(centre - dot / 2)), Emu(int(line_y - dot / 2)), dot, dot)
        shape.line.color.rgb, shape.line.width = colour, Pt(2.5)
        if node.state == L.BUILT:
            shape.fill.solid()
            shape.fill.fore_color.rgb = colour
        else:
            shape.fill.solid()
            shape.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        above = [(f"{node.year}年", size, True, dark)]
        if node.target:
            above.insert(0, (f"目标：{node.year}年前建成", max(14, size - 2), True, _rgb(on_white(T.TARGET))))
        _box(slide, left, y, column, Emu(int(line_y - dot / 2 - y - Pt(4))), above, anchor=MSO_ANCHOR.BOTTOM)
        below = [(f"{T.STATUS_SYMBOLS.get(node.state, '')} {node.state}".strip(), size, node.state == L.BUILT,
                  words)]
        if node.first_built:
            below.append(("首次填报建成", max(14, size - 2), False, words))
        top = Emu(int(line_y + dot / 2 + Pt(4)))
        _box(slide, left, top, column, Emu(int(y + cy - top)), below)
