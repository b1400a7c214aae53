"""What changed between revisions of the store: which goals changed status, and why, in the
plan's words and with every figure rounded by ipdata.rounding (docs/method.md §12).

    last_update(store, region=None) -> Update     the latest revision that changed data the plan
                                                  uses, against the state right before it
    between(store, since, until=None, region=None) -> Update
                                                  the data after `until` against the data after `since`
    goal_history(store, code, region=None, limit=HISTORY_LIMIT) -> list[Step]
                                                  one goal, each revision that moved it, newest first
    compare(plan, before, after, revision, region=None) -> list[Step]
                                                  two states of the data, one Step per goal that moved
    history_table(steps, people) -> DataFrame     the goal page's table (Chinese headers)

"Data the plan uses" is the values and region targets of its series (goals, numerators of
derived goals, context series) in its own regions: a revision that wrote only another plan's
series, task progress or notes is no update of this plan's goals. Both states are judged under
the plan as accepted now, so a change of the plan file itself is not a revision here.

A Step carries records for tables and JSON (`record`) and sentences for pages and briefs
(`sentence`): "万人高价值发明专利拥有量由基本符合预期转为滞后：2024年值由15.0件修订为14.2件；完成进度…".
Results are cached by the store's cache_key (a new revision, a restore or a confirmed plan change
renews it), so the overview and a goal page read the store and compute trajectories once per update.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ipdata import rounding as R
from ipdata.catalogue import Goal, Plan
from ipdata.store import Store
from ipdata.trajectory import STATUS_RANK, compute, goal_values
from ipdata.trajectory.labels import NO_DATA
from ipdata.views import REVISION_KIND_LABELS, local_time

HISTORY_LIMIT = 20  # a goal's history shows the last this many revisions that wrote its data
OVERVIEW_LIMIT = 6  # the overview lists this many status changes, then says how many more
REL_TOL = 1e-9  # as the store's diff: values this close are the same value
CACHE_SIZE = 64


@dataclass(frozen=True)
class Revision:
    """A revision as the history tells it. `user`, `file_name` and `comment` name people: only
    statisticians and admins see them (audit.may_see_people); `record(people=False)` leaves them out."""

    id: int
    created_at: str  # UTC, ISO 8601
    kind: str  # import | demo | rollback | task-edit | note
    rollback_to: int | None = None
    n_demo_removed: int = 0
    user: str | None = None
    file_name: str | None = None
    comment: str | None = None

    @property
    def date(self) -> str:
        """The Beijing date: '2025-03-01'."""
        return local_time(self.created_at)[:10]

    @property
    def label(self) -> str:
        """导入, 示例数据, 回滚到第3版 …"""
        if self.kind == "rollback" and self.rollback_to is not None:
            return f"回滚到第{self.rollback_to}版"
        return REVISION_KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Step:
    """One goal in one region between the state right before `revision` and right after it."""

    code: str
    name: str
    region: str
    is_district: bool
    revision: Revision
    old_status: str
    new_status: str
    moves: tuple[str, ...]  # what moved, in rounded figures: "2024年值由15.0件修订为14.2件"
    reason: str  # the new status's reason, as the engine words it
    order: int  # the goal's position in the plan
    before: int  # the revision whose state this step starts from (revision.id − 1 but for `between`)

    @property
    def changed(self) -> bool:
        return self.old_status != self.new_status

    @property
    def direction(self) -> str:
        """'up' (better), 'down' (worse), 'other' (a change between labels that are no judgement,
        such as 数据不足 or a trend's direction), '' (no change of status)."""
        if not self.changed:
            return ""
        old, new = STATUS_RANK.get(self.old_status), STATUS_RANK.get(self.new_status)
        if old is None or new is None or old == new:
            return "other"
        return "up" if new > old else "down"

    @property
    def status_text(self) -> str:
        """'由基本符合预期转为滞后', or '仍为滞后'."""
        return f"由{self.old_status}转为{self.new_status}" if self.changed else f"仍为{self.new_status}"

    @property
    def why(self) -> str:
        """The figures that moved, then the reason of the new status."""
        return "；".join([*self.moves, *([self.reason] if self.reason else [])])

    @property
    def sentence(self) -> str:
        """'万人高价值发明专利拥有量由基本符合预期转为滞后：2024年值…；完成进度…。'"""
        who = self.name if self.is_district else f"{self.region}{self.name}"
        return f"{who}{self.status_text}：{self.why}。" if self.why else f"{who}{self.status_text}。"

    def record(self, people: bool = False) -> dict[str, Any]:
        """JSON-ready; with `people`, the revision's operator, file name and comment too."""
        r = self.revision
        out: dict[str, Any] = {
            "code": self.code, "name": self.name, "region": self.region, "revision_id": r.id,
            "before_revision_id": self.before, "date": r.date, "revision_kind": r.kind,
            "revision_label": r.label, "old_status": self.old_status, "new_status": self.new_status,
            "changed": self.changed, "direction": self.direction, "moves": list(self.moves),
            "reason": self.reason, "sentence": self.sentence,
        }
        if people:
            out.update(user=r.user, file_name=r.file_name, comment=r.comment)
        return out


@dataclass(frozen=True)
class Update:
    """The last update of the plan's data, and every goal it moved (plan order)."""

    revision: Revision | None  # None: no revision ever wrote the plan's data
    steps: tuple[Step, ...] = ()
    district: str = ""
    since: int | None = None  # `between`: the revision compared with (else the one right before)
    first: bool = False  # the state before held none of the plan's data: every goal is new

    @property
    def changes(self) -> list[Step]:
        """The goals whose status changed: worse first, then better, then the rest (plan order)."""
        rank = {"down": 0, "up": 1, "other": 2}
        return sorted((s for s in self.steps if s.changed), key=lambda s: (rank[s.direction], s.order))

    @property
    def listed(self) -> list[Step]:
        """The changes a page lists: none for the first data (the headline says it)."""
        return [] if self.first else self.changes

    @property
    def headline(self) -> str:
        """'自上次更新以来（第5版，2025-03-01，导入）：2个指标状态变化，1个转好、1个转差。'"""
        if self.revision is None:
            return "还没有上传过这个规划的数据。"
        r = self.revision
        head = (f"自上次更新以来（第{r.id}版，{r.date}，{r.label}）" if self.since is None
                else f"自第{self.since}版以来（至第{r.id}版，{r.date}）")
        changes = self.changes
        if self.first:  # every goal goes from 数据不足 to something: no news in listing them
            judged = sum(1 for s in self.steps if s.new_status != NO_DATA)
            return f"{head}：本规划的第一批数据，{judged}个指标已可评价。"
        if not changes:
            moved = sum(1 for s in self.steps if s.moves)
            tail = f"{moved}个指标的数据有变化，" if moved else ""
            return f"{head}：{tail}{self.district}各指标状态没有变化。"
        up = sum(1 for s in changes if s.direction == "up")
        down = sum(1 for s in changes if s.direction == "down")
        parts = [f"{n}个{w}" for n, w in ((up, "转好"), (down, "转差")) if n]
        return f"{head}：{len(changes)}个指标状态变化" + (f"，{'、'.join(parts)}" if parts else "") + "。"

    def sentences(self, limit: int | None = None) -> list[str]:
        """One sentence per status change (worse first); with `limit`, that many and a last line
        saying how many more. None for the first data (the headline says it)."""
        changes = self.listed
        shown = changes if limit is None else changes[:limit]
        out = [s.sentence for s in shown]
        if len(changes) > len(shown):
            out.append(f"另有{len(changes) - len(shown)}个指标状态变化，见各指标的“变化记录”。")
        return out

    def records(self, people: bool = False) -> list[dict[str, Any]]:
        """Every goal the update moved (status changed or not), plan order."""
        return [s.record(people) for s in self.steps]


@dataclass(frozen=True)
class State:
    """The values and region targets of some series as they stood after one revision."""

    values: pd.DataFrame
    targets: pd.DataFrame


# --- the comparison (pure) -------------------------------------------------------------------

def compare(plan: Plan, before: State, after: State, revision: Revision,
            region: str | None = None, since: int | None = None) -> list[Step]:
    """One Step per goal whose status, figures or target moved between `before` and `after`
    (the states right after `since`, default the revision right before `revision`, and right
    after `revision`), in plan order."""
    region = _canonical(plan, region)
    old, new = _judge_each(plan, [before, after], region)
    return _steps(plan, old, new, revision, region, since)


@dataclass(frozen=True)
class _Judged:
    """One state of the data as the goals of one region stand in it."""

    rows: dict[str, dict]  # code -> the trajectory row
    values: dict[str, dict[int, float]]  # code -> {year: tracked value}
    demo: dict[str, bool | None]  # code -> its rows are demo data (None: it has no rows)


def _canonical(plan: Plan, region: str | None) -> str:
    return plan.district if region is None or plan.is_district(region) else str(region)


def _judge_each(plan: Plan, states: Sequence[State], region: str) -> list[_Judged]:
    """Every goal of the plan in each state, all in one pass of the engine (a pass costs about
    the same for one goal as for forty): state i's rows become those of copies of the goals whose
    series are coded "<code>#i", and each copy's row is its goal's row in state i. A goal's
    figures depend on its own series only (tests/test_history.py holds the engine to that)."""
    codes = list(dict.fromkeys(c for g in plan.goals for c in goal_series(g)))
    copies: list[Goal] = []
    values, targets, demo = [], [], []
    for i, state in enumerate(states):
        names = {c: f"{c}#{i}" for c in codes}
        copies += [_renamed(g, names) for g in plan.goals]
        focused = _focus(plan, state, region)
        values.append(_rename(focused.values, names))
        targets.append(_rename(focused.targets, names))
        demo.append({g.code: _is_demo(plan, g, focused.values, region) for g in plan.goals})
    many = dataclasses.replace(plan, goals=tuple(copies))
    all_values = pd.concat(values, ignore_index=True)
    rows = _rows(compute(many, all_values, pd.concat(targets, ignore_index=True), region=region), region)
    tracked = _region_values(many, all_values, region)
    return [_Judged({g.code: rows[f"{g.code}#{i}"] for g in plan.goals},
                    {g.code: tracked.get(f"{g.code}#{i}", {}) for g in plan.goals}, demo[i])
            for i in range(len(states))]


def _rename(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The rows of the series in `names`, with their codes renamed."""
    return frame[frame["series"].isin(list(names))].assign(series=lambda f: f["series"].map(names))


def _renamed(goal: Goal, names: dict[str, str]) -> Goal:
    """The goal with its series codes (own, a derived ratio's count and denominator) renamed."""
    derive = goal.derive
    if derive is not None:
        derive = dataclasses.replace(derive, numerator=dataclasses.replace(derive.numerator, code=names[derive.numerator.code]),
                                     denominator=names[derive.denominator])
    return dataclasses.replace(goal, code=names[goal.code], derive=derive)


def _steps(plan: Plan, old_state: _Judged, new_state: _Judged, revision: Revision, region: str,
           since: int | None = None) -> list[Step]:
    since = revision.id - 1 if since is None else since
    district = plan.is_district(region)
    steps = []
    for order, goal in enumerate(plan.goals):
        o, n = old_state.rows.get(goal.code), new_state.rows.get(goal.code)
        if o is None or n is None:
            continue
        demo = _demo_move(old_state.demo[goal.code], new_state.demo[goal.code])
        olds = {} if demo else old_state.values.get(goal.code, {})  # demo data replaced: the new figures are new
        moves = ([demo] if demo else []) + _value_moves(goal, olds, new_state.values.get(goal.code, {}), o, n)
        moves += _target_moves(o, n, district)
        if not moves and o["status"] == n["status"]:
            continue
        steps.append(Step(goal.code, goal.name, region, district, revision, str(o["status"]),
                          str(n["status"]), tuple(moves), _text(n["status_reason"]), order, since))
    return steps


def _focus(plan: Plan, state: State, region: str) -> State:
    """The rows of `region` and of the district (a region's share is of it): a store of many
    regions is judged for one at the cost of one."""
    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        names = {r for r in frame["region"].unique() if r == region or plan.is_district(r)}
        return frame[frame["region"].isin(names)]

    return State(keep(state.values), keep(state.targets))


def _rows(frame: pd.DataFrame, region: str) -> dict[str, dict]:
    f = frame[frame["region"] == region]
    return {r["code"]: r for r in f.to_dict("records")}


def _region_values(plan: Plan, values: pd.DataFrame, region: str) -> dict[str, dict[int, float]]:
    """code -> {year: value} of each goal's tracked values in `region` (ratios derived as the
    engine derives them)."""
    gv = goal_values(plan, values, [g.code for g in plan.goals])  # their own series, not the whole frame
    gv = gv[gv["region"] == region]
    out: dict[str, dict[int, float]] = {}
    for code, year, value in zip(gv["series"], gv["year"], gv["value"], strict=True):
        out.setdefault(code, {})[int(year)] = float(value)
    return out


def goal_series(goal: Goal) -> list[str]:
    """The series codes a goal's figures come from: its own, and a derived ratio's count and
    denominator."""
    codes = [goal.code]
    if goal.derive:
        codes += [goal.derive.numerator.code, goal.derive.denominator]
    return codes


def _is_demo(plan: Plan, goal: Goal, values: pd.DataFrame, region: str) -> bool | None:
    """Whether the goal's rows in `region` are demo data (None: it has none). The frame is
    focused (_focus): for the district, every row is the district's."""
    ours = values["series"].isin(goal_series(goal))
    mine = values[ours if plan.is_district(region) else ours & (values["region"] == region)]
    return None if mine.empty else bool(mine["is_demo"].any())


def _demo_move(old: bool | None, new: bool | None) -> str:
    """'示例数据已删除' when the goal's rows went from demo to official data (the first official
    import), '载入示例数据' the other way (a demo load, a rollback to it); '' otherwise."""
    if old and not new:
        return "示例数据已删除" if new is None else "示例数据已删除，改为正式数据"
    if new and not old:
        return "载入示例数据"
    return ""


def _value_moves(goal: Goal, old: dict[int, float], new: dict[int, float], o: dict, n: dict) -> list[str]:
    """The goal's yearly figures that were added, corrected or removed, each rounded by the rule
    of the state it belongs to."""
    label = {"cumulative": "新增数", "rank": "排名", "milestone": "建设情况"}.get(goal.kind, "值")
    old_rule, new_rule = _rule(goal, o), _rule(goal, n)

    def fig(rule: R.Rule, x: float) -> str:
        return _figure(goal, rule, x)

    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = [y for y in sorted(set(old) & set(new)) if not _same(old[y], new[y])]
    out = []
    colon = "：" if goal.kind == "milestone" else ""
    if len(added) <= 2:
        out += [f"新报{y}年{label}{colon}{fig(new_rule, new[y])}" for y in added]
    else:
        out.append(f"新报{_years(added)}年{label}（{added[-1]}年为{fig(new_rule, new[added[-1]])}）")
    for y in changed[:2] if len(changed) <= 2 else ():
        a, b = fig(old_rule, old[y]), fig(new_rule, new[y])
        out.append(f"{y}年{label}由{a}修订为{b}" if a != b else f"{y}年{label}略有修订（仍为{b}）")
    if len(changed) > 2:
        y = changed[-1]
        out.append(f"修订{_years(changed)}年{label}（{y}年由{fig(old_rule, old[y])}改为{fig(new_rule, new[y])}）")
    if len(removed) <= 2:
        out += [f"删除{y}年{label}（原为{fig(old_rule, old[y])}）" for y in removed]
    else:
        out.append(f"删除{_years(removed)}年{label}")
    return out


def _rule(goal: Goal, row: dict) -> R.Rule:
    """A yearly increment is not compared with the target (its running total is): plain decimals."""
    return R.Rule(goal.display_decimals) if goal.kind == "cumulative" else R.rule_of(row, goal)


def _figure(goal: Goal, rule: R.Rule, x: float) -> str:
    if goal.kind == "milestone":
        return "已建成" if x >= 1 else "未建成"
    if goal.is_rank:
        return f"第{rule.text(x)}{goal.unit}"
    return rule.value(x, goal.unit)


def _target_moves(o: dict, n: dict, district: bool) -> list[str]:
    """A region's own target (目标分解) or a target derived from a corrected base-year value."""
    a, b = o["target"], n["target"]
    if (R.is_missing(a) and R.is_missing(b)) or (not R.is_missing(a) and not R.is_missing(b) and _same(a, b)):
        return []
    word = "目标" if district else "分解目标"
    if R.is_missing(a):
        return [f"{word}为{_text(n['target_text'])}"]
    if R.is_missing(b):
        return [f"删除{word}（原为{_text(o['target_text'])}）"]
    return [f"{word}由{_text(o['target_text'])}变为{_text(n['target_text'])}"]


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b))


def _years(years: Sequence[int]) -> str:
    """2021—2024 for a run of years, else 2021、2023、2024."""
    if list(years) == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}—{years[-1]}"
    return "、".join(str(y) for y in years)


def _text(x: object) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA else str(x)


# --- reading the store -----------------------------------------------------------------------

def plan_regions(plan: Plan) -> list[str] | None:
    """The regions whose rows are the plan's: the district (under each of its names) and the
    regions it lists (None: a plan that lists none takes every region)."""
    return [plan.district, *plan.district_aliases, *plan.region_names] if plan.regions else None


def _names(plan: Plan, region: str) -> list[str]:
    """Every name a region's rows may be stored under (the district has aliases)."""
    return [plan.district, *plan.district_aliases] if plan.is_district(region) else [region]


def last_update(store: Store, region: str | None = None) -> Update:
    """The latest revision that wrote the plan's data, and how it moved each goal in `region`
    (default: the district), against the state right before it."""
    return _cached(store, ("last", region), lambda: _last_update(store, region))


def _last_update(store: Store, region: str | None) -> Update:
    plan = store.plan
    series = list(plan.all_series)
    touched = store.revisions_writing(series, plan_regions(plan))
    if not touched:
        return Update(None, (), plan.district)
    n = touched[-1]
    revision = _revisions(store)[n]
    before, after = _states(store, series, [n - 1, n])
    steps = compare(plan, before, after, revision, region)
    return Update(revision, tuple(steps), plan.district, first=_empty(before))


def between(store: Store, since: int, until: int | None = None, region: str | None = None) -> Update:
    """How the data as it stood after revision `until` (default: the latest) moved each goal
    against the data after revision `since` (a brief "since the last report")."""
    until = store.latest_revision_id() if until is None else until
    return _cached(store, ("between", since, until, region), lambda: _between(store, since, until, region))


def _between(store: Store, since: int, until: int, region: str | None) -> Update:
    plan = store.plan
    series = list(plan.all_series)
    if until <= 0:
        return Update(None, (), plan.district, since)
    revision = _revisions(store)[until]
    before, after = _states(store, series, [since, until])
    steps = compare(plan, before, after, revision, region, since)
    return Update(revision, tuple(steps), plan.district, since, first=_empty(before))


def goal_history(store: Store, code: str, region: str | None = None, limit: int = HISTORY_LIMIT) -> list[Step]:
    """Each of the last `limit` revisions that wrote the goal's data in `region` (default: the
    district) and moved its status, figures or target, newest first."""
    return _cached(store, ("goal", code, region, limit), lambda: _goal_history(store, code, region, limit))


def _goal_history(store: Store, code: str, region: str | None, limit: int) -> list[Step]:
    plan = store.plan
    goal = plan.goal(code)
    region = _canonical(plan, region)
    series = goal_series(goal)
    touched = store.revisions_writing(series, _names(plan, region))[-(limit + 1):] if limit > 0 else []
    # Nothing else wrote the goal's rows in between: the state right before each revision is the
    # state after the previous one that did (or the empty store).
    start = touched.pop(0) if len(touched) > limit else 0
    # a goal's figures depend on its own series only: the goal alone, in every state at once
    one = dataclasses.replace(plan, goals=(goal,))
    judged = _judge_each(one, _states(store, series, [start, *touched]), region)
    revisions = _revisions(store)
    steps: list[Step] = []
    for n, before, after in zip(touched, judged, judged[1:], strict=False):
        steps += _steps(one, before, after, revisions[n], region)
    return steps[::-1]


def _empty(state: State) -> bool:
    return state.values.empty and state.targets.empty


def _states(store: Store, series: list[str], revision_ids: list[int]) -> list[State]:
    """The data of `series` right after each revision, read in one go."""
    read = store.series_states(series, revision_ids)
    return [State(read[n]["values"], read[n]["targets"]) for n in revision_ids]


def _revisions(store: Store) -> dict[int, Revision]:
    revs = store.revisions()
    return {int(r["id"]): Revision(
        int(r["id"]), r["created_at"], r["kind"], None if pd.isna(r["rollback_to"]) else int(r["rollback_to"]),
        int(r["n_demo_removed"] or 0), r["user"], r["file_name"], r["comment"],
    ) for r in revs.to_dict("records")}


_cache: OrderedDict[tuple, Any] = OrderedDict()
_making: dict[tuple, threading.Lock] = {}
_lock = threading.Lock()


def _cached(store: Store, what: tuple, make: Callable[[], Any]) -> Any:
    """`make()` once per (store file, plan, cache_key, what): pages rerun on every click, and
    after an upload every viewer's next run asks at once; one computes, the others wait for it."""
    key = (str(store.path), store.plan.id, store.cache_key(), *what)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        making = _making.setdefault(key, threading.Lock())
    with making:
        with _lock:
            if key in _cache:
                return _cache[key]
        try:
            value = make()
            with _lock:
                _cache[key] = value
                while len(_cache) > CACHE_SIZE:
                    _cache.popitem(last=False)
        finally:
            with _lock:
                _making.pop(key, None)
    return value


# --- tables ----------------------------------------------------------------------------------

def history_table(steps: Sequence[Step], people: bool) -> pd.DataFrame:
    """The goal page's 变化记录: 日期, 版本, 类型, 状态, 变化及原因; with `people` (statisticians and
    admins) also 文件, 说明 and 操作人. Visitors see no name of a person or a file."""
    rows = []
    for s in steps:
        r = s.revision
        row = {"日期": r.date, "版本": f"第{r.id}版", "类型": r.label,
               "状态": f"{s.old_status} → {s.new_status}" if s.changed else f"{s.new_status}（未变）",
               "变化及原因": s.why}
        if people:
            row.update({"文件": _text(r.file_name), "说明": _text(r.comment), "操作人": _text(r.user)})
        rows.append(row)
    columns = ["日期", "版本", "类型", "状态", "变化及原因", *(["文件", "说明", "操作人"] if people else [])]
    return pd.DataFrame(rows, columns=columns)


__all__ = [
    "HISTORY_LIMIT", "OVERVIEW_LIMIT", "Revision", "State", "Step", "Update", "between", "compare", "goal_history",
    "goal_series", "history_table", "last_update", "plan_regions",
]
