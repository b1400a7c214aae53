"""终期评估: the final evaluation, a view of its own once the plan's target year has data.

    evaluate(plan, frame) -> Evaluation        the district's goals (frame: trajectory.compute)
    verdict_of(plan, row) -> Verdict           one row (goal × region) of a trajectory frame
    final_verdict(plan, row, district)         that verdict once final, where one is given (goal page)
    with_verdicts(plan, frame)                 the frame with verdicts as statuses (final charts, tiles)
    region_verdicts(plan, frame_all)           each region's goals that have a target of its own
    verdict_table(verdicts) / region_summary(verdicts) / region_goal_table(plan, code, frame_all)

Goals are judged on target-year data only (docs/method.md §7): a numeric goal is 达成 or 未达成
once the value of its own target year is in (the frame's final_achieved); met on an earlier
year's data only it is 待定 ("2024年已达到目标，2025年数据尚未上传") and not counted as 达成. A
milestone once built stays built. A region is judged against its own target and that target's
year. Rank goals get their own verdict and are listed apart (trajectory/rank.py); trend goals have
no target and are not judged. A missed goal names the 责任单位 of its key tasks (the plan's
`tasks` key), or says the plan lists none. Every figure is rounded by ipdata/rounding.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ipdata import rounding as R
from ipdata.catalogue import Goal, Plan
from ipdata.trajectory import labels as L
from ipdata.trajectory import rank

MET, MISSED, PENDING = L.MET, L.NOT_MET, L.PENDING
VERDICTS = (MET, MISSED, PENDING)
NO_TASKS = "规划未列出相关任务"
# Why a verdict is 待定: met on an earlier year only / the target year's data not in / data there
# but no verdict (a cumulative goal missing a year's increment, a target awaiting its base value).
EARLIER, AWAITED, UNDECIDED = "earlier", "awaited", "undecided"


@dataclass(frozen=True)
class Verdict:
    """One goal's (or one region's goal's) final verdict, in the words every page shows."""

    code: str
    name: str
    category: str
    region: str
    verdict: str  # 达成 / 未达成 / 待定; a trend goal's direction (增长 …), not a verdict
    due: int  # the target year it is judged by (its own, or the region's target's)
    year: int | None  # the latest year with data (the target year once it is in)
    value_text: str  # '17.0件', '2023年建成', '第8名', '—'
    target_text: str  # '≥18件'
    gap_text: str  # '差1.0件', '超出2.4个百分点', '尚未建成', '' where there is none
    reason: str  # '2025年为17.0件，未达到目标≥18件，差1.0件'
    units: tuple[str, ...] = ()  # 责任单位 of the goal's key tasks, lead units first
    tasks: tuple[str, ...] = ()  # those tasks: '二.1 实施高价值专利培育工程'
    pending: str = ""  # EARLIER / AWAITED / UNDECIDED when 待定

    @property
    def units_text(self) -> str:
        return "、".join(self.units) if self.units else NO_TASKS

    @property
    def line(self) -> str:
        """'万人高价值发明专利拥有量：2025年为17.0件，未达到目标≥18件，差1.0件。责任单位：…（二.1 …）'."""
        text = f"{self.name}：{self.reason}。"
        if self.verdict == MISSED:
            tasks = f"（{'；'.join(self.tasks)}）" if self.tasks else ""
            text += f"责任单位：{self.units_text}{tasks}"
        return text


@dataclass(frozen=True)
class Evaluation:
    """The district's final evaluation: 达成 x / y over the numeric goals with a target."""

    target_year: int
    as_of: int | None  # the latest year with data of any goal with a target
    final: bool  # the plan's target year has data: this view replaces the progress view
    goals: tuple[Verdict, ...]  # numeric goals with a target (milestones included), plan order
    ranks: tuple[Verdict, ...] = ()  # rank goals: their own verdict, not in x / y
    trends: tuple[Verdict, ...] = ()  # goals without a numeric target: not judged

    @property
    def judged(self) -> int:
        return len(self.goals)

    @property
    def achieved(self) -> int:
        return sum(v.verdict == MET for v in self.goals)

    @property
    def figure(self) -> str:
        """The headline figure: '达成 12 / 19'."""
        return f"达成 {self.achieved} / {self.judged}"

    @property
    def met(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.goals if v.verdict == MET)

    @property
    def missed(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.goals if v.verdict == MISSED)

    @property
    def pending(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.goals if v.verdict == PENDING)

    @property
    def summary(self) -> str:
        """'终期评估：19 项有目标的指标中达成 12 项，未达成 4 项；1 项2024年已达到目标、2025年数据尚未
        上传，不计入达成；2 项尚无2025年数据。'"""
        text = f"终期评估：{self.judged} 项有目标的指标中达成 {self.achieved} 项，未达成 {len(self.missed)} 项"
        dues = {v.due for v in self.goals}
        target = f"{self.target_year}年" if dues <= {self.target_year} else "目标年"
        earlier = [v for v in self.pending if v.pending == EARLIER]
        if earlier:
            years = {(v.year, v.due) for v in earlier}
            when = (f"{earlier[0].year}年已达到目标、{earlier[0].due}年数据尚未上传" if len(years) == 1
                    else f"此前已达到目标、{target}数据尚未上传")
            text += f"；{len(earlier)} 项{when}，不计入达成"
        awaited = sum(v.pending == AWAITED for v in self.pending)
        undecided = sum(v.pending == UNDECIDED for v in self.pending)
        text += f"；{awaited} 项尚无{target}数据" if awaited else ""
        text += f"；{undecided} 项数据不全，无法判断是否完成" if undecided else ""
        return text + "。"


def latest_year(frame: pd.DataFrame) -> int | None:
    """The latest year with data of any numeric goal with a target (trend goals do not count)."""
    numeric = rank.numeric(frame)
    years = numeric.loc[numeric["kind"] != "trend", "latest_year"].dropna()
    return int(years.max()) if not years.empty else None


def is_final(plan: Plan, frame: pd.DataFrame) -> bool:
    """The plan's target year has data: the final evaluation replaces the progress view."""
    year = latest_year(frame)
    return year is not None and year >= plan.target_year


def evaluate(plan: Plan, frame: pd.DataFrame) -> Evaluation:
    """The final evaluation of the district (`frame`: one row per goal, trajectory.compute)."""
    rows = frame[[plan.is_district(str(r)) for r in frame["region"]]] if "region" in frame else frame
    verdicts = [(r["kind"], verdict_of(plan, r)) for _, r in rows.iterrows()]
    return Evaluation(
        target_year=plan.target_year, as_of=latest_year(rows), final=is_final(plan, rows),
        goals=tuple(v for k, v in verdicts if k not in ("trend", rank.KIND)),
        ranks=tuple(v for k, v in verdicts if k == rank.KIND),
        trends=tuple(v for k, v in verdicts if k == "trend"))


def region_verdicts(plan: Plan, frame_all: pd.DataFrame) -> tuple[Verdict, ...]:
    """Each region's numeric goals that have a target of the region's own (目标分解), region by
    region in the order of the frame, goals in plan order; a region without one is not judged."""
    f = frame_all[~frame_all["region"].astype(str).map(plan.is_district)
                  & ~frame_all["kind"].isin(["trend", rank.KIND]) & frame_all["target"].notna()]
    order = {r: i for i, r in enumerate(dict.fromkeys(f["region"]))}
    goals = {g.code: i for i, g in enumerate(plan.goals)}
    f = f.assign(_r=f["region"].map(order), _g=f["code"].map(goals)).sort_values(["_r", "_g"])
    return tuple(verdict_of(plan, r) for _, r in f.iterrows())


def with_verdicts(plan: Plan, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each judged row's status replaced by its final verdict (达成 / 未达成 / 待定),
    for charts and tiles of the final view; trend goals and regions without a target of their own
    keep theirs (增长, 无分解目标)."""
    district = frame["region"].astype(str).map(plan.is_district)
    judged = frame["kind"].ne("trend") & (frame["target"].notna() | district)
    out = frame.copy()
    out.loc[judged, "status"] = [verdict_of(plan, r).verdict for _, r in frame[judged].iterrows()]
    return out


def final_verdict(plan: Plan, row: pd.Series | dict, district: pd.DataFrame) -> Verdict | None:
    """The verdict a goal's page shows once the district's figures (`district`) are final: for the
    district, or a region with a target of its own (with_verdicts' rule); None before the target
    year, for a trend goal, or for a region judged by nobody's target."""
    goal = plan.goal(row["code"])
    if goal.kind == "trend" or not is_final(plan, district):
        return None
    region = str(row.get("region") or plan.district)
    if not plan.is_district(region) and R.is_missing(row.get("target")):
        return None
    return verdict_of(plan, row)


def verdict_of(plan: Plan, row: pd.Series | dict) -> Verdict:
    """The final verdict of one row of a trajectory frame, with its figures and sentence."""
    goal = plan.goal(row["code"])
    region = str(row.get("region") or plan.district)
    district = plan.is_district(region)
    due = _int(row.get("target_year")) or plan.target_year_of(goal)
    latest = _int(row.get("latest_year"))
    rule = R.rule_of(row, goal)
    words = _text(row.get("target_text")) or (goal.target_text() if district else "")
    base = dict(code=goal.code, name=goal.name, category=goal.category, region=region, due=due,
                year=latest, value_text=_value_text(goal, row, rule), target_text=words)
    if district:
        base.update(units=plan.units_of(goal), tasks=task_titles(plan, goal))
    status, reason = _text(row.get("status")), _text(row.get("status_reason"))
    if goal.kind == "trend":
        return Verdict(**base, verdict=status or L.NO_DATA, gap_text="", reason=reason)
    final = (_flag(row.get("final_achieved")) if "final_achieved" in row
             else _from_status(status, latest, due))
    if goal.is_rank:
        return Verdict(**base, verdict=_verdict(final), gap_text="", reason=reason,
                       pending="" if final is not None else EARLIER if status == L.MET else AWAITED)
    target = "目标" if district else "分解目标"
    phrase = _phrase(goal, row, rule, plan.base_year_of(goal), latest)
    if final is not None:
        return _judged(goal, row, rule, base, final, target, phrase)
    return _pending(goal, row, base, status, reason, target, phrase)


def _judged(goal: Goal, row, rule: R.Rule, base: dict, met: bool, target: str, phrase: str) -> Verdict:
    """达成 / 未达成 on the target year's data (a milestone: built in any year)."""
    year, words = base["year"], base["target_text"]
    if goal.kind == "milestone":
        reach = _int(row.get("reach_year"))
        if met:
            return Verdict(**base, verdict=MET, gap_text="", reason=f"{reach or year}年已建成")
        return Verdict(**base, verdict=MISSED, gap_text="尚未建成", reason=f"截至{year}年尚未建成")
    value = row.get("latest_value")
    if met:
        gap = rule.gap(value)
        extra = R.excess(rule, value, goal.unit)
        reached = "恰好达到" if gap == 0 else "达到"
        reason = f"{phrase}，{reached}{target}{words}" + (f"，{extra}" if gap else "")
        return Verdict(**base, verdict=MET, gap_text=extra, reason=reason)
    short = R.shortfall(rule, value, goal.unit)
    return Verdict(**base, verdict=MISSED, gap_text=short, reason=f"{phrase}，未达到{target}{words}，{short}")


def _pending(goal: Goal, row, base: dict, status: str, reason: str, target: str, phrase: str) -> Verdict:
    """待定: the target year's data are not in (or do not allow a verdict)."""
    year, due = base["year"], base["due"]
    missing = f"{due}年数据尚未上传"
    if year is None:
        return Verdict(**base, verdict=PENDING, gap_text="", reason=f"尚无数据，{missing}", pending=AWAITED)
    if year >= due or R.is_missing(row.get("latest_value")) or status == L.NO_DATA:
        why = UNDECIDED if year >= due else AWAITED
        text = reason if year >= due else f"{missing}（{reason}）"
        return Verdict(**base, verdict=PENDING, gap_text="", reason=text, pending=why)
    if status in (L.DONE, L.BUILT):  # met, but on an earlier year's data only
        return Verdict(**base, verdict=PENDING, gap_text="", reason=f"{year}年已达到{target}，{missing}",
                       pending=EARLIER)
    if goal.kind == "milestone":
        text = f"截至{year}年尚未建成，{missing}"
    else:
        text = f"{phrase}，{missing}"
    return Verdict(**base, verdict=PENDING, gap_text="", reason=text, pending=AWAITED)


def _phrase(goal: Goal, row, rule: R.Rule, base_year: int, year: int | None) -> str:
    """'2025年为17.0件' / '2022—2025年累计80家' (a running total says over which years)."""
    value = rule.value(row.get("latest_value"), goal.unit)
    if goal.kind != "cumulative":
        return f"{year}年为{value}"
    return f"{base_year + 1}—{year}年累计{value}" if year and year > base_year + 1 else f"{year}年累计{value}"


def _value_text(goal: Goal, row, rule: R.Rule) -> str:
    value = row.get("latest_value")
    if R.is_missing(value):
        return R.MISSING
    if goal.is_rank:
        return f"第{int(value)}名"
    if goal.kind == "milestone":
        reach = _int(row.get("reach_year"))
        return f"{reach}年建成" if reach and _text(row.get("status")) == L.BUILT else "尚未建成"
    return rule.value(value, goal.unit)


def task_titles(plan: Plan, goal: Goal) -> tuple[str, ...]:
    """'二.1 实施高价值专利培育工程', each task once (several of its paragraphs may be named)."""
    return tuple(dict.fromkeys(f"{t.section_number}.{t.task_number} {t.task_title}"
                               for t in plan.tasks_of(goal)))


def _from_status(status: str, year: int | None, due: int) -> bool | None:
    """A frame without final_achieved (a hand-made one): the status once the target year is in."""
    if status == L.BUILT:
        return True
    if year is None or year < due:
        return None
    return True if status in (L.DONE, L.MET) else False if status in (L.MISSED, L.NOT_BUILT, L.NOT_MET) else None


def _verdict(final: bool | None) -> str:
    return PENDING if final is None else MET if final else MISSED


def _flag(x: object) -> bool | None:
    return None if x is None or x is pd.NA or (isinstance(x, float) and R.is_missing(x)) else bool(x)


def _int(x: object) -> int | None:
    return None if x is None or x is pd.NA or R.is_missing(x) else int(x)


def _text(x: object) -> str:
    return x if isinstance(x, str) else ""


# --- tables -----------------------------------------------------------------------------------

def verdict_table(verdicts: tuple[Verdict, ...] | list[Verdict], *, regions: bool = False) -> pd.DataFrame:
    """The verdicts as a table: 指标, 结论, 最新年份, 数值, 目标, 差距, 说明, and 责任单位 of a missed
    goal of the district; with `regions`, 地区 first and no 责任单位 (the key tasks are the plan's)."""
    table = pd.DataFrame({
        "地区": [v.region for v in verdicts],
        "指标": [v.name for v in verdicts],
        "结论": [v.verdict for v in verdicts],
        "最新年份": [R.MISSING if v.year is None else str(v.year) for v in verdicts],
        "数值": [v.value_text for v in verdicts],
        "目标" if not regions else "分解目标":
            [f"{v.due}年{v.target_text}" if v.target_text else R.MISSING for v in verdicts],
        "差距": [v.gap_text for v in verdicts],
        "说明": [v.reason for v in verdicts],
        "责任单位": [v.units_text if v.verdict == MISSED else "" for v in verdicts],
    })
    return table.drop(columns="责任单位" if regions else "地区")


def region_summary(verdicts: tuple[Verdict, ...] | list[Verdict]) -> pd.DataFrame:
    """Per region: 达成 x / y over its goals with a target of its own, how many are 未达成 and 待定,
    and which are missed."""
    rows = []
    for region in dict.fromkeys(v.region for v in verdicts):
        mine = [v for v in verdicts if v.region == region]
        met = sum(v.verdict == MET for v in mine)
        missed = [v.name for v in mine if v.verdict == MISSED]
        rows.append({"地区": region, "终期结论": f"达成 {met} / {len(mine)}", "达成": met, "未达成": len(missed),
                     "待定": sum(v.verdict == PENDING for v in mine), "未达成的指标": "、".join(missed)})
    return pd.DataFrame(rows, columns=["地区", "终期结论", "达成", "未达成", "待定", "未达成的指标"])


def region_goal_table(plan: Plan, code: str, frame_all: pd.DataFrame) -> pd.DataFrame:
    """One goal across regions in the final view: each region's latest value, its own target and
    the verdict on it (无分解目标 where it has none); no 完成进度 or 序时进度."""
    goal = plan.goal(code)
    f = frame_all[(frame_all["code"] == code) & ~frame_all["region"].astype(str).map(plan.is_district)]
    f = f[f["latest_value"].notna()].sort_values("latest_value", ascending=goal.direction == "lower")
    verdicts = [verdict_of(plan, r) for _, r in f.iterrows()]
    judged = [not R.is_missing(t) for t in f["target"]]
    return pd.DataFrame({
        "地区": [v.region for v in verdicts],
        "最新年份": [R.MISSING if v.year is None else str(v.year) for v in verdicts],
        f"最新值({goal.unit})": [v.value_text for v in verdicts],
        "分解目标": [f"{v.due}年{v.target_text}" if j else R.MISSING for v, j in zip(verdicts, judged, strict=True)],
        "终期结论": [v.verdict if j else L.NO_TARGET for v, j in zip(verdicts, judged, strict=True)],
        "说明": [v.reason if j else "" for v, j in zip(verdicts, judged, strict=True)],
    })
