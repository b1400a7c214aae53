"""Rank goals (`kind: rank`): the district's position among named peers (全省县(市、区)), lower
is better, judged against the last position of the band the plan names (第一方阵 = top N).

A rank is not a quantity: it has no 序时进度, no projection, no completion and no share of the
district, and it is not averaged or counted with the numeric goals. Its status is 数据不足 until a
rank is uploaded, then 达成 or 未达成 by the latest rank up to the target year; the sentence cites
the 通报/考核文件 the rank came from (the upload's 数据来源, required by ingest).

    judge(plan, goal, values) -> RankStatus          one rank goal, from the stored values
    apply(plan, values, frame) -> frame              the rank goals' rows of a trajectory frame
    numeric(frame) / ranks(frame)                    the frame's numeric goals / its rank goals
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ipdata.catalogue import Goal, Plan
from ipdata.trajectory import labels as L

KIND = "rank"
# Columns a trajectory frame gains for rank goals (None on every other goal's row).
COLUMNS = ["rank", "source", "peers", "tier"]
# Figures that make no sense for a position: left empty on a rank goal's row ('' for the words,
# as the engine leaves them where they do not apply).
_NOT_FOR_RANKS = (
    "base_value", "completion", "time_elapsed", "schedule_ratio", "growth_rate", "eurostat_ratio",
    "projected", "projected_low", "projected_high", "projected_gap", "required_increment",
    "required_growth", "gap", "final_pct_of_target", "share_of_district",
)
_NO_WORDS = ("direction_label", "eurostat_method")


@dataclass(frozen=True)
class Rank:
    """One uploaded rank: the position in `year` and the 通报 that gives it."""

    year: int
    position: int
    source: str  # '' for a rank stored without one (ingest has refused such ranks since issue 13)


@dataclass(frozen=True)
class RankStatus:
    """Where a rank goal stands: 数据不足 (no rank yet), 达成 or 未达成, and why, in words."""

    goal: Goal
    target_year: int
    latest: Rank | None  # the rank judged: the latest up to the target year
    history: tuple[Rank, ...]  # every rank up to the target year, oldest first
    status: str
    reason: str  # the status reason: "2025年在全省县(市、区)中排第8名（来源：…），进入第一方阵（前10名）"
    notes: str
    ignored_after: tuple[int, ...] = ()  # years after the target year (not part of this plan)

    @property
    def final_achieved(self) -> bool | None:
        """The verdict once the target year's rank is in; None before."""
        if self.latest is None or self.latest.year < self.target_year:
            return None
        return self.status == L.MET

    @property
    def sentence(self) -> str:
        """One sentence for 汇报材料, the same words as the status reason."""
        if self.latest is None:
            return f"{self.goal.name}数据不足：{self.reason}。"
        return f"{self.goal.name}：{self.reason}。"


def tier_text(goal: Goal) -> str:
    """'第一方阵（前10名）'."""
    return f"{goal.tier}（前{int(goal.target or 0)}名）"


def ranks_of(plan: Plan, goal: Goal, values: pd.DataFrame) -> list[Rank]:
    """The district's uploaded ranks of `goal`, oldest first (ranks of regions are not ranks of
    the goal: ingest refuses them; any stored before that are ignored)."""
    if values is None or values.empty:
        return []
    mine = values[values["series"] == goal.code]
    mine = mine[[plan.is_district(r) for r in mine["region"]]] if not mine.empty else mine
    mine = mine[mine["value"].notna()].sort_values("year")
    sources = mine["source"] if "source" in mine.columns else pd.Series(None, index=mine.index, dtype=object)
    return [Rank(int(y), int(float(v)), _text(s))  # a whole number: ingest refuses any other
            for y, v, s in zip(mine["year"], mine["value"], sources, strict=True)]


def judge(plan: Plan, goal: Goal, values: pd.DataFrame) -> RankStatus:
    """The status of one rank goal for the district."""
    target_year = plan.target_year_of(goal)
    every = ranks_of(plan, goal, values)
    history = tuple(r for r in every if r.year <= target_year)
    after = tuple(r.year for r in every if r.year > target_year)
    notes = []
    if len(history) > 1:
        notes.append("历年排名：" + "，".join(f"{r.year}年第{r.position}名" for r in history))
    if after:
        notes.append(f"{target_year}年以后的排名不计入本规划评价")
    if not history:
        reason = "尚未上传排名"
        return RankStatus(goal, target_year, None, (), L.NO_DATA, reason, "；".join(notes), after)
    latest = history[-1]
    met = latest.position <= (goal.target or 0)
    n = int(goal.target or 0)
    cited = f"来源：{latest.source}" if latest.source else "未注明来源"
    reason = f"{latest.year}年在{goal.peers}中排第{latest.position}名（{cited}），"
    reason += f"进入{tier_text(goal)}" if met else f"未进入{tier_text(goal)}，差{latest.position - n}位"
    if latest.year < target_year:
        reason += f"；这是{latest.year}年的排名，{target_year}年排名尚未上传"
    return RankStatus(goal, target_year, latest, history, L.MET if met else L.NOT_MET, reason,
                      "；".join(notes), after)


def apply(plan: Plan, values: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (trajectory figures, one row per goal and region) with every rank goal's rows said
    as a rank: the district's from `judge`, a region's as not judged (a rank is the district's
    own). Every row gains COLUMNS (empty on numeric goals). Returns a new frame."""
    out = frame.copy()
    for col in COLUMNS:
        out[col] = pd.Series(pd.NA if col == "rank" else None, index=out.index,
                             dtype="Int64" if col == "rank" else object)
    for goal in (g for g in plan.goals if g.is_rank):
        rows = out.index[out["code"] == goal.code]
        if not len(rows):
            continue
        out.loc[rows, "peers"] = goal.peers
        out.loc[rows, "tier"] = goal.tier
        out.loc[rows, "target_text"] = goal.target_text()
        out.loc[rows, "eurostat_class"] = L.EU_NA
        out.loc[rows, list(_NOT_FOR_RANKS)] = None
        out.loc[rows, list(_NO_WORDS)] = ""
        out.loc[rows, ["base_year", "reach_year"]] = pd.NA
        district = rows[[plan.is_district(r) for r in out.loc[rows, "region"]]]
        regional = rows.difference(district)
        if len(district):
            _fill(out, district, judge(plan, goal, values))
        if len(regional):
            out.loc[regional, ["latest_year", "final_achieved"]] = pd.NA
            out.loc[regional, ["latest_value"]] = np.nan
            out.loc[regional, "n_points"] = 0
            out.loc[regional, "status"] = L.NO_TARGET
            out.loc[regional, "status_reason"] = (f"排名是{plan.district}在{goal.peers}中的名次，"
                                                  f"不按{plan.region_level}评价")
            out.loc[regional, "notes"] = ""
            out.loc[regional, "narrative"] = [f"{r}{goal.name}：排名是{plan.district}在{goal.peers}中的名次，"
                                              f"不按{plan.region_level}评价。" for r in out.loc[regional, "region"]]
    return out


def _fill(out: pd.DataFrame, rows: pd.Index, s: RankStatus) -> None:
    latest = s.latest
    out.loc[rows, "latest_year"] = pd.NA if latest is None else latest.year
    out.loc[rows, "latest_value"] = np.nan if latest is None else float(latest.position)
    out.loc[rows, "rank"] = pd.NA if latest is None else latest.position
    out.loc[rows, "source"] = latest.source if latest is not None and latest.source else None
    out.loc[rows, "n_points"] = len(s.history)
    out.loc[rows, "status"] = s.status
    out.loc[rows, "status_reason"] = s.reason
    out.loc[rows, "notes"] = s.notes
    out.loc[rows, "narrative"] = s.sentence
    out.loc[rows, "final_achieved"] = pd.NA if s.final_achieved is None else s.final_achieved


def is_rank(frame: pd.DataFrame) -> pd.Series:
    """Which rows of a trajectory (or status) frame are rank goals."""
    return frame["kind"] == KIND if "kind" in frame.columns else pd.Series(False, index=frame.index)


def numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that take part in numeric progress (counts, averages, 序时进度 charts)."""
    return frame[~is_rank(frame)]


def ranks(frame: pd.DataFrame) -> pd.DataFrame:
    """The rank goals' rows, to be listed apart from numeric progress."""
    return frame[is_rank(frame)]


def _text(x: object) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)) or x is pd.NA:
        return ""
    return str(x).strip()
