"""The evidence behind one goal's status, for a leader who is asked where a figure comes from.

    evidence(plan, code, row, values, notes, region) -> Evidence
        口径 (the plan's definition), 数据来源 (the plan's, and the 数据来源 cells of the uploaded
        values the status was computed from, with the revision that stored them), 统计时点, the
        责任单位 of the goal's key tasks, the status rule that applied with its figures, and the
        notes statisticians wrote on the goal (ipdata/notes.py).
    status_rule(goal, row) -> '完成进度68.4% ≥ 序时进度75%×0.9（进度比0.91）→ 基本符合预期'

Every figure is rounded by ipdata.rounding, as on the page beside it; the rule's words follow
docs/method.md §3 (and §11 for ranks) with the thresholds actually used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ipdata import rounding as R
from ipdata.catalogue import Goal, Plan
from ipdata.notes import GoalNote, goal_notes
from ipdata.trajectory import DEFAULT, Thresholds, goal_values
from ipdata.trajectory import labels as L
from ipdata.trajectory.derive import canonical_regions

NO_DEFINITION = "规划未写明口径"
NO_SOURCE = "规划未写明数据来源"
NO_AS_OF = "规划未写明统计时点"
NO_TASKS = "规划未列出相关任务"
NO_UPLOAD = "尚未上传数据"
ARROW = " → "


@dataclass(frozen=True)
class Evidence:
    """What one goal's status rests on, each part in words ready to show."""

    definition: str
    data_source: str
    uploads: tuple[str, ...]  # '2021年、2024年：区市场监管局统计年报（第1版）'
    as_of: str
    units: str
    rule: str
    notes: tuple[str, ...]  # '2023年 口径变化：…'

    def items(self) -> list[tuple[str, str]]:
        """(label, text) in the order the goal page, the deck and the export show them."""
        out = [("口径", self.definition), ("数据来源", self.data_source),
               ("所用数据", "；".join(self.uploads) or NO_UPLOAD), ("统计时点", self.as_of),
               ("责任单位", self.units), ("判定", self.rule)]
        if self.notes:
            out.append(("备注", "；".join(self.notes)))
        return out


def evidence(plan: Plan, code: str, row: Mapping | pd.Series, values: pd.DataFrame | None,
             notes: pd.DataFrame | Sequence[GoalNote] | None = None, region: str | None = None,
             thresholds: Thresholds = DEFAULT) -> Evidence:
    """The evidence of goal `code` in `region` (None: the district); `row` is the goal's row of the
    trajectory frame for that region; `notes` the store's notes (Store.notes) or the goal's own
    (ipdata.notes.goal_notes)."""
    mine = goal_notes(notes, code) if notes is None or isinstance(notes, pd.DataFrame) else list(notes)
    goal = plan.goal(code)
    units = plan.units_of(goal)
    ids = [t.id for t in plan.tasks_of(goal)]
    unit_text = f"{'、'.join(units)}（相关任务：{'、'.join(ids)}）" if units else NO_TASKS
    return Evidence(
        definition=goal.definition or NO_DEFINITION,
        data_source=goal.data_source or NO_SOURCE,
        uploads=tuple(_upload_lines(plan, goal, row, values, region)),
        as_of=goal.as_of or NO_AS_OF,
        units=unit_text,
        rule=status_rule(goal, row, thresholds, region=None if region is None or plan.is_district(region) else region),
        notes=tuple(n.line for n in mine),
    )


def _get(row: Mapping | pd.Series, key: str) -> Any:
    v = row.get(key) if hasattr(row, "get") else None
    return None if v is None or (not isinstance(v, str) and R.is_missing(v)) else v


def _year(row: Mapping | pd.Series, key: str) -> int | None:
    v = _get(row, key)
    return None if v is None else int(v)


# --- the values used ----------------------------------------------------------------------------

def used_years(plan: Plan, goal: Goal, row: Mapping | pd.Series) -> list[int]:
    """The years whose values the status was computed from: the base and latest year of a level
    or trend (not the base the plan states itself), every year's increment of a running total,
    the latest rank, a milestone's year of completion or its latest year."""
    latest = _year(row, "latest_year")
    if latest is None:
        return []
    if goal.kind == "cumulative":
        return list(range(plan.base_year_of(goal) + 1, latest + 1))
    if goal.is_rank:
        return [latest]
    if goal.kind == "milestone":
        return sorted({y for y in (_year(row, "reach_year"), latest) if y is not None})
    base = _year(row, "base_year")
    stated = goal.base_value is not None and base == plan.base_year_of(goal)
    return sorted({latest} | (set() if base is None or stated else {base}))


def _upload_lines(plan: Plan, goal: Goal, row: Mapping | pd.Series, values: pd.DataFrame | None,
                  region: str | None) -> list[str]:
    """'2021年、2024年：区市场监管局统计年报（第1版）' per 数据来源 text of the values used;
    a ratio computed from its count names the count's and the denominator's sources."""
    lines = []
    region = plan.district if region is None or plan.is_district(region) else region
    if goal.base_value is not None and region == plan.district and goal.kind != "cumulative":
        base_year = plan.base_year_of(goal)
        lines.append(f"{base_year}年基期值{R.target_number(goal.base_value)}{goal.unit}：规划所列")
    years = used_years(plan, goal, row)
    if values is None or values.empty or not years:
        return lines
    mine = values[values["year"].isin(years)]
    mine = mine[(canonical_regions(plan, mine["region"]) == region).to_numpy()] if not mine.empty else mine
    derived = set()
    if goal.derive is not None:
        gv = goal_values(plan, values, [goal.code])
        gv = gv[(gv["series"] == goal.code) & (gv["region"] == region) & gv["year"].isin(years)]
        derived = set(gv.loc[gv["derived"], "year"].astype(int))
    picked = []
    for y in years:
        if y in derived:
            picked += [(y, goal.derive.numerator.name, goal.derive.numerator.code),
                       (y, _context_name(plan, goal.derive.denominator), goal.derive.denominator)]
        else:
            picked.append((y, "", goal.code))
    groups: dict[tuple[str, str], dict[str, set]] = {}
    for y, label, series in picked:
        hit = mine[(mine["series"] == series) & (mine["year"] == y)]
        if hit.empty:
            continue
        r = hit.iloc[0]
        source = str(r["source"]).strip() if isinstance(r.get("source"), str) and r["source"].strip() else "上传时未填写来源"
        g = groups.setdefault((label, source), {"years": set(), "revisions": set()})
        g["years"].add(y)
        if not R.is_missing(r.get("revision_id")):
            g["revisions"].add(int(r["revision_id"]))
    for (label, source), g in groups.items():
        when = "、".join(f"{y}年" for y in sorted(g["years"]))
        revs = "、".join(str(n) for n in sorted(g["revisions"]))
        what = f"{when}{label}" if label else when
        lines.append(f"{what}：{source}" + (f"（第{revs}版）" if revs else ""))
    return lines


def _context_name(plan: Plan, code: str) -> str:
    return next((s.name for s in plan.context if s.code == code), code)


# --- the status rule ---------------------------------------------------------------------------

def status_rule(goal: Goal, row: Mapping | pd.Series, thresholds: Thresholds = DEFAULT,
                region: str | None = None) -> str:
    """The rule of docs/method.md §3 that decided the row's status, with its figures:
    '完成进度68.4% ≥ 序时进度75%×0.9（进度比0.91）→ 基本符合预期'."""
    status = _get(row, "status") or L.NO_DATA
    reason = _get(row, "status_reason") or ""
    th = thresholds
    if goal.is_rank:
        return _rank_rule(goal, row, status, reason)
    if status == L.NO_TARGET:
        return (reason or f"{region or '该地区'}没有该指标的分解目标，只列数值、不判定") + ARROW + status
    if status == L.NO_DATA:
        return (reason or "没有可计算进度的数据") + ARROW + status
    if goal.kind == "milestone":
        return _milestone_rule(row, status)
    if goal.kind == "trend":
        return _trend_rule(goal, row, status, th)
    rule = R.rule_of(row, goal)
    latest, ly = _get(row, "latest_value"), _year(row, "latest_year")
    shown = ("累计" if goal.kind == "cumulative" else "") + rule.value(latest, goal.unit)
    target = _get(row, "target_text") or goal.target_text()
    if status == L.DONE:
        return f"{ly}年{shown}，满足目标{target}{ARROW}{status}"
    if status == L.MISSED:
        gap = R.shortfall(rule, latest, goal.unit)
        return f"目标年{ly}年{shown}，未满足目标{target}" + (f"（{gap}）" if gap else "") + ARROW + status
    c, s, q = _get(row, "completion"), _get(row, "time_elapsed"), _get(row, "schedule_ratio")
    if c is None or s is None or q is None:  # met at the base, or a strict target at the base
        return (reason or "完成进度不适用") + ARROW + status
    done = R.completion(c, s, th.schedule_bounds)
    elapsed = R.percent(s)
    ratio = f"（进度比{R.classed(q, th.schedule_bounds)}）"
    if status == L.BACKWARD:
        return f"完成进度{done} < 0（比基期更远离目标）{ARROW}{status}"
    if status == L.AHEAD:
        return f"完成进度{done} ≥ {_times(elapsed, th.ahead)}{ratio}{ARROW}{status}"
    if status == L.ON_TRACK:
        return f"完成进度{done} ≥ {_times(elapsed, th.on_track)}{ratio}{ARROW}{status}"
    return f"完成进度{done} < {_times(elapsed, th.on_track)}{ratio}{ARROW}{status}"


def _times(elapsed: str, factor: float) -> str:
    """'序时进度75%×0.9', or '序时进度75%' for a factor of 1."""
    return f"序时进度{elapsed}" if factor == 1 else f"序时进度{elapsed}×{R.target_number(factor)}"


def _milestone_rule(row: Mapping | pd.Series, status: str) -> str:
    reach, ly, ty = _year(row, "reach_year"), _year(row, "latest_year"), _year(row, "target_year")
    if status == L.BUILT:
        return f"{reach or ly}年填报已建成{ARROW}{status}"
    if status == L.MISSED:
        return f"目标年{ly}年仍未建成{ARROW}{status}"
    return f"截至{ly}年尚未建成（目标：{ty}年前建成）{ARROW}{status}"


def _trend_rule(goal: Goal, row: Mapping | pd.Series, status: str, th: Thresholds) -> str:
    """增长/下降/持平 by the relative change base → latest against ±flat (method.md §3)."""
    base, latest = _get(row, "base_value"), _get(row, "latest_value")
    by, ly = _year(row, "base_year"), _year(row, "latest_year")
    if base is None or latest is None:
        return f"{_get(row, 'status_reason') or '数据不足'}{ARROW}{status}"
    change = (float(latest) - float(base)) / (abs(float(base)) if base != 0 else 1.0)
    flat = R.percent(th.flat)
    shown = R.percent(change, bounds=(-th.flat, th.flat))
    sign = "+" if change > 0 and not shown.startswith("-") else ""
    compare = f"绝对值 < {flat}" if status == L.FLAT else f"绝对值 ≥ {flat}"
    return f"{by}年至{ly}年变化{sign}{shown}，{compare}{ARROW}{status}"


def _rank_rule(goal: Goal, row: Mapping | pd.Series, status: str, reason: str) -> str:
    rank, ly = _get(row, "rank"), _year(row, "latest_year")
    if status in (L.MET, L.NOT_MET) and rank is not None:
        n = int(goal.target or 0)
        compare = f"≤ 前{n}名" if status == L.MET else f"> 前{n}名"
        return f"{ly}年在{goal.peers}中排第{int(rank)}名 {compare}{ARROW}{status}"
    return f"{reason or '尚未上传排名'}{ARROW}{status}"
