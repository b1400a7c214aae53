"""What an export is made of: the plan, current values and targets, the trajectory figures, and
whether demo data are shown; plus the choice of goals and regions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from ipdata.catalogue import Goal, Plan
from ipdata.errors import IpdataError
from ipdata.history import plan_regions
from ipdata.notes import GoalNote, goal_notes
from ipdata.store import Store
from ipdata.trajectory import compute_all
from ipdata.views import local_time, status_frame
from ipdata.views import regions as regions_in


@dataclass
class Inputs:
    plan: Plan
    values: pd.DataFrame
    targets: pd.DataFrame | None = None
    demo: bool = False
    revision: str = ""  # '第3版（2025-01-10）': the latest revision of this plan's data; '' when none
    notes: pd.DataFrame | None = None  # the goals' notes (Store.notes); None: none
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @classmethod
    def from_store(cls, store: Store) -> Inputs:
        return cls(store.plan, store.values(), store.targets(), store.has_demo_data(),
                   revision_label(own_revisions(store)), store.notes())

    def notes_of(self, code: str) -> list[GoalNote]:
        """The notes statisticians wrote on goal `code` (whole-goal first, then by year)."""
        return goal_notes(self.notes, code)

    def frame(self, region: str | None = None) -> pd.DataFrame:
        """status_frame of one region (None = the district), computed once. The regions with data
        are computed together the first time one is asked for (one engine run instead of one per
        region: a report's region sections took 1.3 s of its 2 s without charts)."""
        key = region or self.plan.district
        if key not in self._frames and key in self.regions:
            every = compute_all(self.plan, self.values, self.targets, self.regions)
            for name, rows in every.groupby("region", sort=False):
                self._frames.setdefault(str(name), rows.reset_index(drop=True))
        if key not in self._frames:
            self._frames[key] = status_frame(self.plan, self.values, self.targets, region)
        return self._frames[key]

    def row(self, code: str, region: str | None = None) -> pd.Series:
        return self.frame(region).set_index("code").loc[code]

    @cached_property
    def regions(self) -> list[str]:
        """Regions other than the district that have data."""
        return regions_in(self.plan, self.values)[1:]

    @cached_property
    def as_of(self) -> int | None:
        """Latest year with data for any goal of the plan."""
        codes = {g.code for g in self.plan.goals}
        years = self.frame()["latest_year"].dropna() if codes else pd.Series(dtype=float)
        return int(years.max()) if not years.empty else None

    def sources(self, goal: Goal, region: str | None = None) -> list[str]:
        """The distinct data sources given for a goal's values (and its count, if derived)."""
        codes = {goal.code} | ({goal.derive.numerator.code} if goal.derive else set())
        v = self.values
        if v.empty:
            return []
        mine = v[v["series"].isin(codes) & (v["region"] == (region or self.plan.district))]
        return sorted({str(s) for s in mine["source"].dropna() if str(s).strip()})


def own_revisions(store: Store) -> pd.DataFrame:
    """The revisions of the plan's own data: those that wrote a value or target of its series in
    its regions, and those made through the plan (its task progress and notes). In a store shared
    by several plans, another plan's import does not change this plan's 数据版本, so the brief's
    stamp and its 最近一次更新 (history.last_update) name the same revision."""
    plan, revisions = store.plan, store.revisions()
    ids = set(store.revisions_writing(plan.all_series, plan_regions(plan)))
    return revisions[revisions["id"].isin(ids) | (revisions["plan_id"] == plan.id)]


def revision_label(revisions: pd.DataFrame) -> str:
    """'第3版（2025-01-10）' for the latest revision, dated in Beijing time (a revision made at
    17:00 UTC is the next day's there); '' when there is none."""
    if revisions.empty:
        return ""
    last = revisions.sort_values("id").iloc[-1]
    return f"第{int(last['id'])}版（{local_time(last['created_at'])[:10]}）"  # Beijing's date, as pages give it


def as_inputs(store_or_inputs: Store | Inputs) -> Inputs:
    return store_or_inputs if isinstance(store_or_inputs, Inputs) else Inputs.from_store(store_or_inputs)


def select_goals(plan: Plan, goals: Iterable[str] | None = None,
                 categories: Iterable[str] | None = None) -> list[Goal]:
    """Goals in plan order: those named, plus those of the categories named; nothing named = all.
    Unknown codes or categories are refused with the list of valid ones."""
    goals, categories = list(goals or []), list(categories or [])
    codes = {g.code for g in plan.goals}
    unknown = [c for c in goals if c not in codes]
    if unknown:
        raise IpdataError(f"规划中没有这些指标代码：{'、'.join(unknown)}。",
                          hint="用 `python -m ipdata goals` 查看全部指标代码。")
    bad = [c for c in categories if c not in plan.categories]
    if bad:
        raise IpdataError(f"没有这些类别：{'、'.join(bad)}。", hint=f"可选类别：{'、'.join(plan.categories)}。")
    if not goals and not categories:
        return list(plan.goals)
    return [g for g in plan.goals if g.code in goals or g.category in categories]


def check_regions(inputs: Inputs, regions: Iterable[str] | None) -> list[str]:
    """The chosen regions, each of which must have data (the district is not a region here)."""
    chosen = [r for r in (regions or []) if not inputs.plan.is_district(r)]
    unknown = [r for r in chosen if r not in inputs.regions]
    if unknown:
        known = "、".join(inputs.regions) or f"（当前数据中只有{inputs.plan.district}的数据）"
        raise IpdataError(f"当前数据中没有这些地区：{'、'.join(unknown)}。", hint=f"有数据的地区：{known}。")
    return list(dict.fromkeys(chosen))
