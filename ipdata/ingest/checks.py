"""Checks across records: duplicates, rows that are no plan indicator, numbers from hidden cells,
fractions typed for percents, per-10,000 ratios that do not match their count and denominator,
year-on-year jumps, values far from a region's target, regions never seen. Each check yields
located Problems (only duplicates are errors; the rest are plausibility warnings); none raises.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from ipdata.catalogue import Plan
from ipdata.errors import MAX_PROBLEMS_PER_CODE, Problem, column_letter, more_problem
from ipdata.ingest.cells import number_text
from ipdata.ingest.limits import shown
from ipdata.ingest.matching import Matcher
from ipdata.ingest.regions import Regions

DERIVED_TOLERANCE = 0.01  # a ratio and its count/denominator may differ by rounding, not more


def _where(sheet: str, cell: str) -> str:
    return f"工作表“{sheet}”单元格 {cell}"


def _shown(v) -> str:
    return number_text(v) if isinstance(v, float) else str(v)


def duplicate_conflicts(frame: pd.DataFrame, keys: list[str], value: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Keep the first of repeated keys; a repeat with a different value is an error naming both cells.

    Identical repeats (the same figure in two tables) are fine and silently merged.
    """
    if frame.empty:
        return frame, []
    repeated = frame.duplicated(keys, keep="first")
    if not repeated.any():
        return frame, []
    grouped = frame.groupby(keys, sort=False, dropna=False)
    first = {c: grouped[c].transform("first") for c in (value, "sheet", "cell")}
    conflict = repeated & (frame[value] != first[value])
    problems = []
    for i in frame.index[conflict]:
        rec = frame.loc[i]
        what = "、".join(str(rec[k]) for k in keys)
        problems.append(Problem(
            "duplicate-conflict",
            f"{what} 填了两个不同的值：这里是 {_shown(rec[value])}，{_where(first['sheet'][i], first['cell'][i])} "
            f"是 {_shown(first[value][i])}。请只保留正确的一个。",
            sheet=rec["sheet"], row=int(rec["_row"]), column=_letters(rec["cell"]), value=rec[value],
        ))
    return frame[~repeated], problems


def _letters(cell: str) -> str:
    return cell.rstrip("0123456789")


def fraction_percents(obs: pd.DataFrame, targets: pd.DataFrame, plan: Plan) -> Iterator[Problem]:
    """A % figure typed as a fraction (0.16 for 16%?): values ≤ 1 where the target or the other
    years of the same series and region are above 1. A warning only — 0.8 % may be true (a town's
    版权产业 share) — and never for a cell shown as a percentage or typed with a % sign."""
    plan_target = {g.code: g.target or 0 for g in plan.goals if g.is_percent}
    if not plan_target:
        return
    pct = obs[obs["series"].isin(list(plan_target))]
    if not pct.empty:
        group_max = pct.groupby(["series", "region"])["value"].transform("max")
        scale = pd.concat([group_max, pct["series"].map(plan_target)], axis=1).max(axis=1)
        for i in pct.index[(pct["value"] > 0) & (pct["value"] <= 1) & (scale > 1) & ~pct["_pct"]]:
            yield _fraction_problem(pct.loc[i], "value", plan)
    tpct = targets[targets["series"].isin(list(plan_target))]
    for i in tpct.index[(tpct["target"] > 0) & (tpct["target"] <= 1) & (tpct["series"].map(plan_target) > 1)
                        & ~tpct["_pct"]]:
        yield _fraction_problem(tpct.loc[i], "target", plan)


def _fraction_problem(rec: pd.Series, column: str, plan: Plan) -> Problem:
    v = rec[column]
    name = plan.all_series[rec["series"]].name
    hundred = number_text(round(v * 100, 10))
    return Problem(
        "fraction-percent",
        f"“{name}”按百分数填写，这里是 {number_text(v)}，即 {number_text(v)}%。"
        f"若为 {number_text(v)}% 无需修改；若本意是 {hundred}%，请填 {hundred}。",
        sheet=rec["sheet"], row=int(rec["_row"]), column=_letters(rec["cell"]), value=v, severity="warning",
    )


MAX_LISTED = 20  # a notice names at most this many rows or cells, then says how many more


def _told(hits: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The rows told one by one, and how many more there are: one line less than the report's cap
    per code, so that with the "另有 N 处" line the report keeps them all (and builds no more)."""
    told = hits.iloc[:MAX_PROBLEMS_PER_CODE - 1]
    return told, len(hits) - len(told)


def _listing(items: list[str], total: int | None = None) -> str:
    total = len(items) if total is None else total
    return "、".join(items[:MAX_LISTED]) + (f" 等 {total} 处" if total > MAX_LISTED else "")


def skipped_rows(skipped: list[tuple[str, int, int | None, str]], matcher: Matcher) -> Iterator[Problem]:
    """One notice for all rows whose name is no plan indicator (专利授权量 …): skipped, listed,
    with the plan's closest name where one is close (a typo then shows)."""
    if not skipped:
        return
    several_sheets = len({s for s, _, _, _ in skipped}) > 1
    rows_of: dict[str, list[str]] = {}  # name -> its rows, in sheet order (one pass: 820,000 rows once took minutes)
    for s, r, _, n in skipped:
        rows_of.setdefault(n, []).append(f"{s}!{r}" if several_sheets else str(r))
    items = []
    for name, rows in list(rows_of.items())[:MAX_LISTED]:  # only the listed names get a suggestion
        close = matcher.close_name(name)
        hint = f"(是否指“{close}”？)" if close else ""
        items.append(f"“{shown(name)}”(第 {'、'.join(rows[:3])}{' 等' if len(rows) > 3 else ''} 行){hint}")
    sheet, row, col, _ = skipped[0]
    yield Problem(
        "skipped-rows",
        f"以下 {len(rows_of)} 个项目不是本规划的指标，已跳过、没有导入：{_listing(items, len(rows_of))}。"
        "其他行照常导入。如果其中有规划指标(名称写法不同)，请改为规划中的指标名称后重新上传。",
        sheet=sheet, row=row, column=None if col is None else column_letter(col), severity="warning")


def subtotal_rows(subtotals: list[tuple[str, int, int | None, str]]) -> Iterator[Problem]:
    """小计 rows (街道小计, 镇小计) add up some regions: not a region's own figure, not stored."""
    if not subtotals:
        return
    sheet, row, col, _ = subtotals[0]
    rows = [f"第 {r} 行“{shown(name)}”" for _, r, _, name in subtotals]
    yield Problem(
        "subtotal-rows",
        f"{_listing(rows)}是小计，不是某一地区自己的数值，未导入(各地区和总计的数值照常导入)。",
        sheet=sheet, row=row, column=None if col is None else column_letter(col), severity="warning")


def hidden_cells(obs: pd.DataFrame, targets: pd.DataFrame, sheets: list) -> Iterator[Problem]:
    """Numbers imported from hidden rows or columns: imported (they are the statistician's), told
    per sheet with the cells, since nobody looking at the sheet saw them."""
    for sheet in sheets:
        if not (sheet.hidden_rows or sheet.hidden_cols):
            continue
        cells = []
        for frame in (obs, targets):
            mine = frame[frame["sheet"] == sheet.name]
            hidden = (mine["_row"] - 1).isin(sheet.hidden_rows) | mine["_col"].isin(sheet.hidden_cols)
            cells += list(mine.loc[hidden, "cell"])
        if not cells:
            continue
        first = cells[0]
        yield Problem(
            "hidden-cells",
            f"隐藏的行或列中有 {len(cells)} 个数值，已一并导入：{_listing(cells)}。"
            "这些数字在表格中看不到，请取消隐藏核对；如不应导入，请删除后重新上传。",
            sheet=sheet.name, row=int(first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), column=_letters(first),
            severity="warning")


def year_on_year(obs: pd.DataFrame, plan: Plan, stored: pd.DataFrame,
                 flagged: set[tuple[str, str]] = frozenset()) -> Iterator[Problem]:
    """A level value that moved by more than the plan's `checks.yoy_change` of the year before
    (from this file or the store): a warning, to be checked, never a refusal. Cells already
    `flagged` (sheet, cell), and the year after them, are left to that warning."""
    limit = plan.checks.yoy_change
    level = [g.code for g in plan.goals if g.kind == "level"]
    mine = obs[obs["series"].isin(level)]
    if flagged and not mine.empty:
        hit = pd.Series([(s, c) in flagged for s, c in zip(mine["sheet"], mine["cell"], strict=True)],
                        index=mine.index)
        marked = mine.loc[hit, ["series", "region", "year"]]
        after = marked.assign(year=marked["year"] + 1)
        near = pd.MultiIndex.from_frame(pd.concat([marked, after]))
        mine = mine[~pd.MultiIndex.from_frame(mine[["series", "region", "year"]]).isin(near)]
    if mine.empty:
        return
    keys = ["series", "region", "year"]
    before = pd.concat([stored.loc[stored["series"].isin(level), [*keys, "value"]],
                        mine[[*keys, "value"]]]).drop_duplicates(keys, keep="last")
    before = before.assign(year=before["year"].astype("int64") + 1).rename(columns={"value": "previous"})
    both = mine.merge(before, on=keys, how="inner")
    both = both[(both["previous"] != 0) & both["previous"].notna()]
    change = (both["value"] - both["previous"]) / both["previous"].abs()
    names = {code: s.name for code, s in plan.all_series.items()}
    hits = both[change.abs() > limit].rename(columns={"_row": "excel_row"})  # itertuples drops "_" names
    told, more = _told(hits)
    for r, ch in zip(told.itertuples(index=False), change[change.abs() > limit], strict=False):
        yield Problem(
            "yoy-change",
            f"{r.region}“{names[r.series]}”{r.year}年为 {number_text(r.value)}，比上年({number_text(r.previous)})"
            f"{'增长' if ch > 0 else '下降'} {abs(ch) * 100:.0f}%，超过 {limit * 100:.0f}%。请核对数值和单位；"
            "如确实如此，可在确认时填写说明。",
            sheet=r.sheet, row=int(r.excel_row), column=_letters(r.cell), value=r.value, severity="warning")
    if more:
        yield more_problem("yoy-change", "warning", more, len(hits))


def far_from_target(obs: pd.DataFrame, targets: pd.DataFrame, plan: Plan, stored: pd.DataFrame) -> Iterator[Problem]:
    """A region's level value above `target_ratio` times its own decomposed target, or below
    1/target_ratio of it: often a wrong unit or a district figure in a town's row."""
    ratio = plan.checks.target_ratio
    level = [g.code for g in plan.goals if g.kind == "level"]
    own = pd.concat([stored.loc[stored["series"].isin(level), ["series", "region", "target"]],
                     targets.loc[targets["series"].isin(level), ["series", "region", "target"]]])
    own = own[own["region"] != plan.district].drop_duplicates(["series", "region"], keep="last")
    if own.empty or obs.empty:
        return
    both = obs.merge(own, on=["series", "region"], how="inner")
    both = both[both["target"] > 0]
    far = (both["value"] > both["target"] * ratio) | (both["value"] < both["target"] / ratio)
    names = {code: s.name for code, s in plan.all_series.items()}
    hits = both[far].rename(columns={"_row": "excel_row"})
    told, more = _told(hits)
    for r in told.itertuples(index=False):
        yield Problem(
            "far-from-target",
            f"{r.region}“{names[r.series]}”{r.year}年为 {number_text(r.value)}，与该地区的分解目标 "
            f"{number_text(r.target)} 相差悬殊(超过 {number_text(ratio)} 倍)。请核对是否填错地区、单位或位数。",
            sheet=r.sheet, row=int(r.excel_row), column=_letters(r.cell), value=r.value, severity="warning")
    if more:
        yield more_problem("far-from-target", "warning", more, len(hits))


def new_regions(obs: pd.DataFrame, targets: pd.DataFrame, plan: Plan, regions: Regions,
                known: frozenset[str]) -> Iterator[Problem]:
    """A plan without a region list takes any name: the names never seen before are listed once,
    so that a typo (金沙街 beside 金沙街道) shows before it becomes a region of its own."""
    if regions.listed:
        return
    names = regions.unlisted(pd.unique(pd.concat([obs["region"], targets["region"]]).astype(object)), known)
    if not names:
        return
    first = (obs if not obs.empty and obs["region"].isin(names).any() else targets)
    row = first[first["region"].isin(names)].iloc[0]
    yield Problem(
        "new-region",
        f"以下地区是第一次出现，将作为新的地区保存：{_listing([f'“{n}”' for n in names])}。"
        "规划文件没有列出地区名单，系统无法核对；请确认名称写法与以前一致(如不是同一地区的不同写法)。",
        sheet=row["sheet"], row=int(row["_row"]), severity="warning")


def derived_mismatches(obs: pd.DataFrame, plan: Plan) -> Iterator[Problem]:
    """A per-10,000 goal given both directly and as count + denominator: the two should agree."""
    cols = ["region", "year", "value", "sheet", "cell", "_row"]
    for goal in plan.goals:
        if goal.derive is None:
            continue
        ratio = obs.loc[obs["series"] == goal.code, cols]
        num = obs.loc[obs["series"] == goal.derive.numerator.code, cols]
        den = obs.loc[obs["series"] == goal.derive.denominator, cols]
        if ratio.empty or num.empty or den.empty:
            continue
        both = ratio.merge(num, on=["region", "year"], suffixes=("", "_n")).merge(
            den, on=["region", "year"], suffixes=("", "_d"))
        both = both[both["value_d"] != 0]
        computed = both["value_n"] / both["value_d"] * goal.derive.factor
        off = (both["value"] - computed).abs() > DERIVED_TOLERANCE * computed.abs()
        den_name = plan.all_series[goal.derive.denominator].name
        for i in both.index[off]:
            r = both.loc[i]
            yield Problem(
                "derived-mismatch",
                f"{r['region']} {r['year']} 年“{goal.name}”填的是 {number_text(r['value'])}，"
                f"但按{_where(r['sheet_n'], r['cell_n'])}的“{goal.derive.numerator.name}”÷"
                f"{_where(r['sheet_d'], r['cell_d'])}的“{den_name}”算得 {computed[i]:.2f}，相差超过 1%。"
                "请核对这三个数是否一致。",
                sheet=r["sheet"], row=int(r["_row"]), column=_letters(r["cell"]), value=r["value"],
                severity="warning",
            )


def district_targets(targets: pd.DataFrame, plan: Plan) -> tuple[pd.DataFrame, list[Problem]]:
    """The district's targets are the plan's own: a "2025年目标" column repeating them is dropped
    silently, and one that differs is dropped with a warning (the plan file is what counts). The
    district's yearly targets of other years (a 2023年 目标 | 实际 header) are no plan targets:
    dropped with one notice per column."""
    if targets.empty:
        return targets, []
    district = targets["region"] == plan.district  # regions are already canonical here
    problems = []
    interim: dict[tuple[str, int], list[str]] = {}
    for i in targets.index[district]:
        row = targets.loc[i]
        goal = plan.goal_by_code.get(row["series"])
        if goal is None or goal.target is None:
            continue
        if row["year"] != plan.target_year:
            interim.setdefault((row["sheet"], int(row["_col"])), []).append(row["cell"])
        elif abs(row["target"] - goal.target) > 1e-9 * max(1.0, abs(goal.target)):
            problems.append(Problem(
                "district-target-differs",
                f"{plan.district}“{goal.name}”的目标以规划为准({plan.target_year}年{goal.target_text()})，"
                f"这里填的是 {_shown(row['target'])}，此目标值未导入。"
                "如规划已调整，请修改规划定义文件。",
                sheet=row["sheet"], row=int(row["_row"]), column=column_letter(int(row["_col"])),
                value=row["target"], severity="warning"))
    for (sheet, col), cells in interim.items():
        problems.append(Problem(
            "district-target-ignored",
            f"{plan.district}的年度目标({_listing(cells)})不是规划的{plan.target_year}年目标，未导入；其他数据照常导入。"
            f"{plan.district}按规划目标评估，无需修改。",
            sheet=sheet, row=int(cells[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), column=column_letter(col),
            severity="warning"))
    return targets[~district], problems
