"""The fields of the 自评报告 template (docs/report.md lists them), from the figures and sentences
the pages show: the scorecard's headline (the final evaluation's once the target year has data),
each goal's narrative, the tiles' rounded figures, the verdicts with their 责任单位, the key tasks
and their stored progress. Nothing here formats a number of its own (ipdata/rounding.py does),
and every word of a plan comes from the plan object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ipdata import rounding as R
from ipdata import tasks as T
from ipdata import words
from ipdata.attention import NO_UNITS, Attention, attention
from ipdata.catalogue import Goal, Plan
from ipdata.evaluation import evaluate, region_summary, verdict_of, with_verdicts
from ipdata.outputs.inputs import Inputs, check_regions
from ipdata.scorecard import scorecard, tiles
from ipdata.trajectory import labels as L
from ipdata.trajectory import rank
from ipdata.views import beijing_today, progress_texts

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (section and sub-section numbers, 1..99)."""
    tens, ones = divmod(n, 10)
    if n < 10:
        return _DIGITS[n]
    return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[ones] if ones else ''}"


def date_text(day: dt.date) -> str:
    """'2025年3月1日' (GB/T 9704-2012: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def plan_words(plan: Plan) -> dict[str, str]:
    """The plan's words a template may quote: {{ plan.title }} and the rest (docs/report.md)."""
    return {"title": plan.title, "short_title": plan.short_title, "name": plan.name, "issuer": plan.issuer,
            "document_no": plan.document_no, "issued": plan.issued, "district": plan.district,
            "region_level": plan.region_level, "tasks_heading": plan.tasks_heading,
            "base_year": str(plan.base_year), "target_year": str(plan.target_year)}


def _value(tile: pd.Series, built: bool) -> str:
    """'14.9件（2024年）'; a built milestone says its year once ('2023年建成', not '…（2024年）')."""
    return f"{tile['value_text']}（{tile['year_text']}）" if tile["year_text"] and not built else tile["value_text"]


def _target(plan: Plan, goal: Goal, r: pd.Series, text: str, district: bool = True) -> str:
    """'2025年≥18件' (the year the goal is judged by); '—' for a region without a target of its own."""
    if not district and R.is_missing(r["target"]):
        return R.MISSING
    if not text:
        return R.MISSING
    due = r["target_year"] if not R.is_missing(r["target_year"]) else plan.target_year_of(goal)
    return f"{int(due)}年{text}"


def goal_rows(plan: Plan, frame: pd.DataFrame, final: bool, district: bool = True) -> list[dict[str, Any]]:
    """One row per goal in plan order: name, target, value, completion, elapsed, status (the
    final verdict once final), sentence, and whether it has data to chart."""
    shown = with_verdicts(plan, frame) if final else frame
    # the tiles from the engine's statuses: a milestone's value reads 已建成 off them (with the
    # verdicts as statuses a milestone built in 2023 read 尚未建成 beside 达成)
    tile = tiles(plan, frame, final=final and district).set_index("code")
    rows = []
    for (_, r), (_, s) in zip(frame.iterrows(), shown.iterrows(), strict=True):
        goal, t = plan.goal(r["code"]), tile.loc[r["code"]]
        completion, elapsed = progress_texts(r, final)
        target = t["target_text"] if district else (r["target_text"] if isinstance(r["target_text"], str) else "")
        rows.append({
            "code": goal.code, "name": goal.name, "category": goal.category,
            "target": _target(plan, goal, r, target, district), "value": _value(t, goal.kind == "milestone" and r["status"] == L.BUILT),
            "completion": completion, "elapsed": elapsed, "status": str(s["status"]),
            "sentence": str(r["narrative"]), "lead": _lead(goal.name, str(r["narrative"])),
            "has_data": not R.is_missing(r["latest_value"]),
        })
    return rows


def _lead(name: str, sentence: str) -> str:
    """The goal's name before its sentence, unless the sentence already says it ("1. 截至2024年，
    万人高价值发明专利拥有量为…" rather than the name twice)."""
    return "" if name in sentence else f"{name}。"


def _table(rows: list[dict]) -> list[dict]:
    return [{**r, "completion": r["completion"] or R.MISSING, "elapsed": r["elapsed"] or R.MISSING} for r in rows]


def _attention(a: Attention) -> dict[str, str]:
    """A goal needing attention, in parts (an office's template may arrange them) and as one line."""
    return {"name": a.name, "status": a.status, "facts": a.facts, "reason": a.reason, "units": a.units_text,
            "tasks": "；".join(a.tasks), "line": a.line}


def overview_lines(plan: Plan, frame: pd.DataFrame, final: bool) -> list[str]:
    """What the headline leaves out: rank goals (said apart), and goals without a target."""
    if final:
        ev = evaluate(plan, frame)
        return [f"排名目标：{v.line}" for v in ev.ranks] + [f"无量化目标：{v.line}" for v in ev.trends]
    return [f"排名目标：{s}" for s in scorecard(plan, frame).ranks]


def task_rows(plan: Plan, progress: pd.DataFrame | None) -> tuple[list[dict[str, str]], str]:
    """The key-task table (plan order, stored progress; 未填报 where none) and its counts."""
    if not plan.tasks:
        return [], ""
    table = T.task_table(plan, progress if progress is not None else pd.DataFrame())
    rows = [{"id": r["编号"], "task": r["任务"], "lead": r["牵头单位"] or r["责任单位"] or R.MISSING,
             "status": r["状态"], "note": r["进展说明"] or R.MISSING} for _, r in table.iterrows()]
    counts = "，".join(f"{s} {n} 项" for s, n in T.status_counts(table).items() if n)
    return rows, f"{words.tasks_name(plan)}共 {len(rows)} 项：{counts}。"


def region_sections(inputs: Inputs, regions: Iterable[str] | None, final: bool, first_table: int) -> list[dict]:
    """A section per region with data (or those chosen): its headline over the goals with a target
    of its own, and a table of its goals that have data or such a target."""
    plan = inputs.plan
    chosen = check_regions(inputs, regions) if regions else inputs.regions
    out = []
    for i, region in enumerate(chosen, start=1):
        frame = rank.numeric(inputs.frame(region))
        frame = frame[frame["latest_value"].notna() | frame["target"].notna()]
        own = frame[frame["target"].notna()]
        if own.empty:
            headline = f"{region}没有分解目标；下表列出{region}有数据的指标。"
        elif final:
            summary = region_summary(tuple(verdict_of(plan, r) for _, r in own.iterrows())).iloc[0]
            missed = f"，未达成：{summary['未达成的指标']}" if summary["未达成的指标"] else ""
            headline = f"{region}有分解目标的指标终期结论：{summary['终期结论']}{missed}。"
        else:
            headline = scorecard(plan, own).headline
        rows = _table(goal_rows(plan, frame, final, district=False)) if not frame.empty else []
        out.append({"number": chinese_number(i), "name": region, "headline": headline, "rows": rows,
                    "table_no": first_table + len([o for o in out if o["rows"]])})
    return out


def sources(inputs: Inputs) -> str:
    found = dict.fromkeys(s for g in inputs.plan.goals for s in inputs.sources(g))
    return "、".join(found) or "上传的数据未注明来源"


def report_context(inputs: Inputs, progress: pd.DataFrame | None = None,
                   regions: Iterable[str] | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """Every field of the template but the pictures (each goal's `picture` is None here: the
    builder puts the rendered chart there for goals with data, `has_data`)."""
    plan = inputs.plan
    frame = inputs.frame()
    final = evaluate(plan, frame).final
    rows = goal_rows(plan, frame, final)
    demo = inputs.demo or bool(progress is not None and not progress.empty and progress["is_demo"].any())
    categories, figure_no = [], 0
    for name in plan.categories:
        mine = [r for r in rows if r["category"] == name]
        for i, r in enumerate(mine, start=1):
            figure_no += r["has_data"]
            r.update(number=i, figure_no=figure_no if r["has_data"] else None, picture=None,
                     notes=[n.line for n in inputs.notes_of(r["code"])])
        if mine:
            categories.append({"number": chinese_number(len(categories) + 1), "name": name, "goals": mine})
    tasks, tasks_summary = task_rows(plan, progress)
    region_list = region_sections(inputs, regions, final, 3 if tasks else 2)
    sections = ["overview", "goals", "table", "attention", *(["tasks"] if tasks else []),
                *(["regions"] if region_list else []), "note"]
    return {
        "plan": plan_words(plan), "period": words.period(plan), "goal_count": len(plan.goals),
        "demo": demo, "final": final, "as_of": inputs.as_of or "",
        "as_of_text": f"{inputs.as_of}年" if inputs.as_of else "尚无数据",
        "headline": scorecard(plan, frame).headline, "overview_lines": overview_lines(plan, frame, final),
        "status_word": "终期结论" if final else "状态",
        "categories": categories, "goal_rows": _table(rows),
        "attention": [_attention(a) for a in attention(plan, frame)], "units_listed": bool(plan.tasks),
        "no_units": NO_UNITS,
        "tasks": tasks, "tasks_summary": tasks_summary, "tasks_name": words.tasks_name(plan),
        "regions": region_list,
        "n": {s: chinese_number(i) for i, s in enumerate(sections, start=1)},
        "t": {"goals": 1, "tasks": 2 if tasks else None},
        "sources": sources(inputs), "revision": inputs.revision or "尚无数据",
        "today": date_text(today or beijing_today()), "signature": plan.issuer,
    }
