"""The goals that need attention, said the same way by every output that lists them (the brief,
the 自评报告, the overview): before the target year the scorecard's lagging goals (滞后, 倒退,
未完成, 未建成; worst first), once final the goals the evaluation finds missed (plan order).

Each comes with the tiles' figures (the latest value, the target, the gap), the engine's reason
for its status (or the verdict's sentence) and the 责任单位 of its key tasks (plan.units_of).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipdata.catalogue import Plan
from ipdata.evaluation import MISSED, NO_TASKS, Verdict, evaluate, task_titles
from ipdata.scorecard import scorecard, tiles
from ipdata.trajectory import rank

NO_UNITS = "规划未列出重点任务，不列责任单位。"  # said once where no goal can have a 责任单位


@dataclass(frozen=True)
class Attention:
    """A goal lagging (or missed, once final), with its figures and who answers for it."""

    code: str
    name: str
    status: str  # 滞后 / 倒退 / 未完成 / 未建成, or the verdict 未达成
    facts: str  # '2024年116人，目标≥200人，差84人'; once final, the verdict's sentence
    reason: str  # the engine's reason for the status, or the verdict's sentence
    units: tuple[str, ...] = ()  # 责任单位 of its key tasks, lead units first
    tasks: tuple[str, ...] = ()  # those tasks: '二.1 实施高价值专利培育工程'
    listed: bool = True  # the plan lists key tasks at all; if not, no goal has a 责任单位 to name

    @property
    def units_text(self) -> str:
        return "、".join(self.units) if self.units else NO_TASKS

    @property
    def said(self) -> str:
        """The figures, then the reason when it adds to them."""
        return "；".join(dict.fromkeys(p for p in (self.facts, self.reason) if p))

    @property
    def line(self) -> str:
        """'新增贯标单位（滞后）：2024年59家，目标≥80家，差21家；完成进度73.8% ÷ 序时进度75% = 0.98…。
        责任单位：区市场监管局（二.3 …）'."""
        tasks = f"（{'；'.join(self.tasks)}）" if self.tasks else ""
        status = "" if self.status == MISSED else f"（{self.status}）"  # once final the heading says 未达成
        units = f"责任单位：{self.units_text}{tasks}" if self.listed else ""
        return f"{self.name}{status}：{self.said}。{units}"


def attention(plan: Plan, frame: pd.DataFrame) -> tuple[Attention, ...]:
    """The district's goals needing attention (frame: trajectory.compute for the district)."""
    card = scorecard(plan, frame)
    if card.final:
        return tuple(_missed(v, bool(plan.tasks)) for v in evaluate(plan, frame).missed)
    numeric = rank.numeric(frame)
    rows = numeric.set_index("name")
    shown = tiles(plan, numeric).set_index("name")
    return tuple(_lagging(plan, rows.loc[name], shown.loc[name]) for name in card.lagging)


def _lagging(plan: Plan, row: pd.Series, tile: pd.Series) -> Attention:
    goal, reason = plan.goal(row["code"]), _text(row["status_reason"])
    if goal.kind == "milestone":  # no figure to give: the engine's '截至2024年尚未建成'
        facts = reason
    else:
        value = f"{tile['year_text']}{tile['value_text']}" if tile["year_text"] else str(tile["value_text"])
        facts = "，".join(p for p in (value, f"目标{tile['target_text']}", tile["gap_text"]) if p)
    return Attention(goal.code, goal.name, str(row["status"]), facts, reason, plan.units_of(goal),
                     task_titles(plan, goal), bool(plan.tasks))


def _missed(v: Verdict, listed: bool) -> Attention:
    return Attention(v.code, v.name, v.verdict, v.reason, v.reason, v.units, v.tasks, listed)


def _text(x: object) -> str:
    return x if isinstance(x, str) else ""
