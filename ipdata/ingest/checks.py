"""Checks across records (duplicates, fractions typed for percents, per-10,000 ratios that do not
match their count and denominator). Each check yields located Problems; none raises.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from ipdata.catalogue import Plan
from ipdata.errors import Problem, column_letter
from ipdata.ingest.cells import number_text

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
    """A % goal typed as a fraction (0.16 for 16%): values ≤ 1 where the target or the other
    years of the same series and region are above 1."""
    plan_target = {g.code: g.target or 0 for g in plan.goals if g.is_percent}
    if not plan_target:
        return
    pct = obs[obs["series"].isin(list(plan_target))]
    if not pct.empty:
        group_max = pct.groupby(["series", "region"])["value"].transform("max")
        scale = pd.concat([group_max, pct["series"].map(plan_target)], axis=1).max(axis=1)
        for i in pct.index[(pct["value"] > 0) & (pct["value"] <= 1) & (scale > 1)]:
            yield _fraction_problem(pct.loc[i], "value", plan)
    tpct = targets[targets["series"].isin(list(plan_target))]
    for i in tpct.index[(tpct["target"] > 0) & (tpct["target"] <= 1) & (tpct["series"].map(plan_target) > 1)]:
        yield _fraction_problem(tpct.loc[i], "target", plan)


def _fraction_problem(rec: pd.Series, column: str, plan: Plan) -> Problem:
    v = rec[column]
    name = plan.all_series[rec["series"]].name
    return Problem(
        "fraction-percent",
        f"“{name}”按百分数填写(16% 填 16)，这里的 {number_text(v)} 像是小数形式。"
        f"如果指的是 {number_text(round(v * 100, 10))}%，请填 {number_text(round(v * 100, 10))}。",
        sheet=rec["sheet"], row=int(rec["_row"]), column=_letters(rec["cell"]), value=v,
    )


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
    silently, and one that differs is dropped with a warning (the plan file is what counts)."""
    if targets.empty:
        return targets, []
    district = targets["region"] == plan.district  # regions are already canonical here
    problems = []
    for i in targets.index[district]:
        row = targets.loc[i]
        goal = plan.goal_by_code.get(row["series"])
        if goal is None or goal.target is None:
            continue
        if row["year"] != plan.target_year or abs(row["target"] - goal.target) > 1e-9 * max(1.0, abs(goal.target)):
            problems.append(Problem(
                "district-target-differs",
                f"全区“{goal.name}”的目标以规划为准({plan.target_year}年{goal.target_text()})，"
                f"这里填的是 {_shown(row['target'])}({row['year']}年)，此目标值未导入。"
                "如规划已调整，请修改规划定义文件。",
                sheet=row["sheet"], row=int(row["_row"]), column=column_letter(int(row["_col"])),
                value=row["target"], severity="warning"))
    return targets[~district], problems
