"""Notes a statistician adds to a goal or to one year of it: 口径变化, 不完整年份, 政策事件, 其他.

A note is evidence a leader may be asked about ("why does 2023 jump?"), so it is written like
every other change: checked here, then saved by the store as one "note" revision (who, when, a
comment), shown in the audit, undone by a rollback, kept by backup and restore. One note per goal,
year and kind: writing the same kind for the same year again replaces its text (a 修改); taking it
back is a revision too (a 删除). Year 0 is the goal as a whole. Visitors read notes, never write
them; a note written while the store holds demo data is demo data and goes with the demo.

    check(plan, goal, year, kind, text)         the problems of a note (a Report)
    preview(store, goal, year, kind, text)      what saving it would do (Changes), writing nothing
    add_note / remove_note(store, user, ...)    save it as a revision (statisticians and admins)
    goal_notes(plan, notes, code)               one goal's notes, whole-goal first, then by year
    notes_table(plan, notes, revisions)         the notes with Chinese headers (page and CLI)
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass

import pandas as pd

from ipdata.auth import User, require
from ipdata.catalogue import Plan
from ipdata.errors import IpdataError, Problem, Report
from ipdata.store import ApplyResult, Changes, Store

NOTE_KINDS = ("口径变化", "不完整年份", "政策事件", "其他")
WHOLE_GOAL = 0  # the year of a note on the goal as a whole
WHOLE_LABEL = "指标整体"
MAX_TEXT = 500  # characters: a note is a sentence or two, not a report
YEARS_BEFORE = 30  # a note may concern history this long before the goal's base year
YEARS_AFTER = 5  # … or the years just after its target year
ACTION = "添加或删除指标备注"
# A problem is located by the field of the goal page's form (the CLI's argument of the same name).
GOAL_FIELD, YEAR_FIELD, KIND_FIELD, TEXT_FIELD = "指标代码", "年份", "类别", "备注内容"

COLUMNS = ["goal", "year", "kind", "text", "revision_id", "is_demo"]
HEADERS = {"name": "指标", "year": "年份", "kind": "类别", "text": "内容", "revision_id": "版本",
           "user": "操作人", "created_at": "时间(北京时间)"}


@dataclass(frozen=True)
class GoalNote:
    """One current note of a goal, as pages, charts and the deck show it."""

    code: str
    year: int  # 0: the whole goal
    kind: str
    text: str
    revision_id: int

    @property
    def when(self) -> str:
        """'2023年' or '指标整体'."""
        return year_label(self.year)

    @property
    def line(self) -> str:
        """'2023年 口径变化：2023年起按新口径统计' (a whole-goal note without the year)."""
        head = self.kind if self.year == WHOLE_GOAL else f"{self.year}年 {self.kind}"
        return f"{head}：{self.text}"


def year_label(year: object) -> str:
    """'2023年' for a year, '指标整体' for 0 (or nothing)."""
    try:
        y = int(year)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return WHOLE_LABEL
    return WHOLE_LABEL if y == WHOLE_GOAL else f"{y}年"


def parse_year(value: object) -> int | None:
    """A note's year from what a person typed: '2023', '2023年', 2023; blank or 0 is the whole
    goal (0); None when it is not a whole year."""
    if value is None or (isinstance(value, float) and value != value):
        return WHOLE_GOAL
    text = str(value).strip().removesuffix("年").strip()
    if text in ("", WHOLE_LABEL):
        return WHOLE_GOAL
    try:
        f = float(text)
    except ValueError:
        return None
    return int(f) if f.is_integer() else None


def check(plan: Plan, goal: str, year: object, kind: str, text: str | None = None, *,
          removing: bool = False) -> Report:
    """The problems of a note on `goal` (a code of `plan`) for `year` (0: the whole goal); the
    text is not looked at when `removing`."""
    report = Report()
    known = plan.goal_by_code
    if goal not in known:
        close = difflib.get_close_matches(str(goal), list(known), n=3, cutoff=0.5)
        hint = f"相近的代码：{'、'.join(f'{c}（{known[c].name}）' for c in close)}；" if close else ""
        report.add(Problem("note-unknown-goal", f"规划中没有指标代码“{goal}”。{hint}用 `python -m ipdata goals` "
                           "查看全部指标代码。", value=goal, column=GOAL_FIELD))
    y = parse_year(year)
    if y is None:
        report.add(Problem("note-bad-year", f"年份“{year}”不是整数年份；写年份如 {plan.target_year}，或不写表示指标整体。",
                           value=year, column=YEAR_FIELD))
    elif y != WHOLE_GOAL and goal in known:
        lo = plan.base_year_of(known[goal]) - YEARS_BEFORE
        hi = plan.target_year_of(known[goal]) + YEARS_AFTER
        if not lo <= y <= hi:
            report.add(Problem("note-bad-year", f"年份 {y} 不在 {lo}—{hi} 年之间；备注应针对该指标有数据或要评价的年份，"
                               "或不写年份表示指标整体。", value=year, column=YEAR_FIELD))
    if kind not in NOTE_KINDS:
        report.add(Problem("note-bad-kind", f"备注类别“{kind}”无效；请选择 {'、'.join(NOTE_KINDS)} 之一。",
                           value=kind, column=KIND_FIELD))
    if removing:
        return report
    body = (text or "").strip()
    if not body:
        report.add(Problem("note-empty", "备注内容为空；写明发生了什么，例如“自本年起按新口径统计，与以前年份不可比”。",
                           column=TEXT_FIELD))
    elif len(body) > MAX_TEXT:
        report.add(Problem("note-too-long", f"备注有 {len(body)} 个字，最多 {MAX_TEXT} 个；请精简，详细材料另附。",
                           column=TEXT_FIELD))
    return report


def _refuse(report: Report) -> None:
    if not report.valid:
        raise IpdataError(f"备注有 {len(report.errors)} 处问题，未保存。", report.problems,
                          hint="按提示改正后再保存。")


def preview(store: Store, goal: str, year: object, kind: str, text: str | None) -> Changes:
    """What saving the note (text None: removing it) would change; IpdataError when the note is
    not valid. Writes nothing."""
    _refuse(check(store.plan, goal, year, kind, text, removing=text is None))
    return store.preview_note(goal, parse_year(year), kind, None if text is None else text.strip())


def describe(plan: Plan, goal: str, year: object, kind: str) -> str:
    """'万人高价值发明专利拥有量，2023年，口径变化': a note's place in words (the revision's comment
    when the statistician gives none)."""
    name = plan.goal(goal).name if goal in plan.goal_by_code else goal
    return f"{name}，{year_label(parse_year(year))}，{kind}"


def add_note(store: Store, user: User | None, goal: str, year: object, kind: str, text: str,
             comment: str | None = None) -> ApplyResult:
    """Save (or replace) a note as one "note" revision; IpdataError when refused (no statistician
    or admin signed in, or a problem with the note)."""
    require(user, action=ACTION)
    _refuse(check(store.plan, goal, year, kind, text))
    y = parse_year(year)
    result = store.save_note(goal, y, kind, text.strip(), user.name, comment or describe(store.plan, goal, y, kind))
    return _said(store, result, f"备注（{describe(store.plan, goal, y, kind)}）")


def remove_note(store: Store, user: User | None, goal: str, year: object, kind: str,
                comment: str | None = None) -> ApplyResult:
    """Take a note back as one "note" revision (a rollback brings it back); IpdataError when there
    is no such note."""
    require(user, action=ACTION)
    _refuse(check(store.plan, goal, year, kind, removing=True))
    y = parse_year(year)
    held = store.notes()
    if not ((held["goal"] == goal) & (held["year"] == y) & (held["kind"] == kind)).any():
        raise IpdataError(f"没有这条备注：{describe(store.plan, goal, y, kind)}，未做任何改动。",
                          hint="用 `python -m ipdata note list` 查看现有备注（年份、类别要与之相同）。")
    result = store.save_note(goal, y, kind, None, user.name,
                             comment or f"删除备注：{describe(store.plan, goal, y, kind)}")
    return _said(store, result, f"备注（{describe(store.plan, goal, y, kind)}）")


def _said(store: Store, result: ApplyResult, what: str) -> ApplyResult:
    """The store's message in the words of a note: 已保存为第 5 版：新增备注（…）。"""
    if result.noop:
        return result
    ch = result.changes
    verb = "删除" if ch.n_removed else "修改" if ch.n_changed else "新增"
    demo = "（数据库中是示例数据：这条备注也算示例数据，导入正式数据时一并删除）" if store.has_demo_data() else ""
    return dataclasses.replace(result, message=f"已保存为第 {result.revision_id} 版：{verb}{what}。{demo}")


def goal_notes(notes: pd.DataFrame | None, code: str) -> list[GoalNote]:
    """The current notes of one goal: whole-goal notes first, then by year; kinds in NOTE_KINDS
    order within a year."""
    if notes is None or notes.empty:
        return []
    mine = notes[notes["goal"] == code]
    order = {k: i for i, k in enumerate(NOTE_KINDS)}
    out = [GoalNote(code, int(r.year), str(r.kind), str(r.text), int(r.revision_id))
           for r in mine.itertuples()]
    return sorted(out, key=lambda n: (n.year, order.get(n.kind, len(order))))


def notes_table(plan: Plan, notes: pd.DataFrame, revisions: pd.DataFrame | None = None,
                code: str | None = None) -> pd.DataFrame:
    """The notes (of one goal when `code` is given) in plan order: 指标, 年份, 类别, 内容, 版本,
    and with `revisions` (for those who may see people) 操作人 and 时间."""
    from ipdata.views import local_time

    codes = [g.code for g in plan.goals if code is None or g.code == code]
    rows = [{"name": plan.goal(c).name, "year": n.when, "kind": n.kind, "text": n.text,
             "revision_id": n.revision_id} for c in codes for n in goal_notes(notes, c)]
    frame = pd.DataFrame(rows, columns=["name", "year", "kind", "text", "revision_id"])
    if revisions is not None:
        by_id = revisions.set_index("id") if not revisions.empty else None
        frame["user"] = [by_id.loc[r, "user"] if by_id is not None and r in by_id.index else ""
                         for r in frame["revision_id"]]
        frame["created_at"] = [local_time(by_id.loc[r, "created_at"])[:16] if by_id is not None and r in by_id.index
                               else "" for r in frame["revision_id"]]
    frame["revision_id"] = [f"第{r}版" for r in frame["revision_id"]]
    return frame.rename(columns=HEADERS)
