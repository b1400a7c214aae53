"""Tables the pages and the CLI show, computed here so that they are tested without Streamlit."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ipdata import rounding as R
from ipdata.catalogue import COMPARATOR_LABELS, KIND_LABELS, Goal, Plan
from ipdata.trajectory import DEFAULT, Thresholds, compute
from ipdata.trajectory.targets import adds_up, district_rule


def status_frame(plan: Plan, values: pd.DataFrame, targets: pd.DataFrame | None = None,
                 region: str | None = None) -> pd.DataFrame:
    """The trajectory figures of every goal in one region (default: the district)."""
    return compute(plan, values, targets, region=region)


def _fmt_value(value: float, goal: Goal, row: pd.Series | dict | None = None) -> str:
    """The goal's figure as every page shows it (ipdata.rounding); 已建成/未建成 for milestones."""
    if R.is_missing(value):
        return R.MISSING
    if goal.kind == "milestone":
        return "已建成" if value >= 1 else "未建成"
    return R.rule_of(row, goal).text(value)


def status_table(plan: Plan, frame: pd.DataFrame) -> pd.DataFrame:
    """Human-readable columns (Chinese headers) from `status_frame`. Goals due in different
    years say each its year in the target column; 性质 (约束性/预期性) follows 状态 where the plan
    gives it."""
    if frame.empty:
        return pd.DataFrame()
    years = frame["target_year"].dropna().astype(int)
    one_year = years.nunique() <= 1
    header = f"{int(years.max())}年目标" if one_year and len(years) else "目标"
    targets = [_target_cell(plan.goal(c), t, None if one_year else y, plan.is_district(r))
               for c, t, y, r in zip(frame["code"], frame["target_text"], frame["target_year"],
                                     frame["region"], strict=True)]
    table = pd.DataFrame({
        "类别": frame["category"],
        "指标": frame["name"],
        "类型": frame["kind"].map(KIND_LABELS),
        "单位": frame["unit"],
        "最新年份": [_year(y) for y in frame["latest_year"]],
        "最新值": [_fmt_value(r["latest_value"], plan.goal(r["code"]), r) for _, r in frame.iterrows()],
        header: targets,
        "完成进度": [R.completion(c, s, DEFAULT.schedule_bounds)
                 for c, s in zip(frame["completion"], frame["time_elapsed"], strict=True)],
        "序时进度": [R.percent(x) for x in frame["time_elapsed"]],
        "状态": frame["status"],
    }).reset_index(drop=True)
    if any(g.nature for g in plan.goals):
        table["性质"] = [_words(plan.goal(c).nature) for c in frame["code"]]
    return table


# A row's judgement, whatever the table calls it, and what names the row: on a 390 px phone a
# table shows two or three columns, so these two come first (and the page pins them).
STATUS_COLUMNS = ("状态", "结论", "终期结论")
NAME_COLUMNS = ("指标", "地区", "任务")


def status_first(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """`table` with its status column moved right after the column that names the row (指标, else
    地区, else 任务, else the first column), the other columns in their order; and the columns to
    keep in view (the name and the status). A table without a status is returned as it is."""
    columns = list(table.columns)
    status = next((c for c in STATUS_COLUMNS if c in columns), None)
    if status is None:
        return table, []
    name = next((c for c in NAME_COLUMNS if c in columns), columns[0])
    if status == name:
        return table, [status]
    lead = [name, status]
    return table[lead + [c for c in columns if c not in lead]], lead


def _target_cell(goal: Goal, text: object, year: object, district: bool) -> str:
    """The row's target as the engine wrote it (a region's own, a derived one with its rule; the
    plan's words for a trend); '2027年≥50个' when goals are due in different years."""
    words = text if isinstance(text, str) and text else goal.target_text() if district else ""
    return words if not words or R.is_missing(year) else f"{int(year)}年{words}"


def goal_table(plan: Plan, values: pd.DataFrame, targets: pd.DataFrame | None = None,
               region: str | None = None) -> pd.DataFrame:
    """One row per goal: latest tracked value, target, progress and status."""
    return status_table(plan, status_frame(plan, values, targets, region))


BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")  # China keeps one zone and no daylight saving


def beijing_today() -> dt.date:
    """Today in Beijing, whatever the server's zone: a report made at 17:00 UTC is dated the
    next day, as its readers' calendars and the revisions' dates (local_time) say."""
    return dt.datetime.now(BEIJING).date()


def local_time(iso: object, minutes_only: bool = False) -> str:
    """A stored UTC timestamp ("2026-11-25T12:51:47+00:00") as Beijing time for reading
    ("2026-11-25 20:51:47"); anything that is not a timestamp is shown as it is."""
    if not isinstance(iso, str) or not iso:
        return "" if iso is None or (isinstance(iso, float) and iso != iso) else str(iso)
    try:
        t = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return t.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M" if minutes_only else "%Y-%m-%d %H:%M:%S")


REVISION_HEADERS = {
    "id": "版本号", "created_at": "时间(北京时间)", "user": "操作人", "kind": "类型", "file_name": "文件名",
    "sha256": "文件SHA-256", "comment": "说明", "n_new": "新增", "n_changed": "修改",
    "n_removed": "删除", "n_demo_removed": "删除示例数据", "n_warnings": "警告", "rollback_to": "回滚到版本",
}
REVISION_KIND_LABELS = {"import": "导入", "demo": "示例数据", "rollback": "回滚", "task-edit": "任务进度编辑",
                        "note": "指标备注"}


def revision_table(revisions: pd.DataFrame) -> pd.DataFrame:
    """The revision log with Chinese headers and labels; the file hash shortened for reading."""
    out = revisions.assign(
        created_at=revisions["created_at"].map(local_time),
        kind=revisions["kind"].map(REVISION_KIND_LABELS).fillna(revisions["kind"]),
        sha256=revisions["sha256"].map(lambda h: h[:12] if isinstance(h, str) else ""),
    )
    out = out[list(REVISION_HEADERS)].rename(columns=REVISION_HEADERS)
    return out.astype(object).where(out.notna(), "")


def regions(plan: Plan, values: pd.DataFrame) -> list[str]:
    """The district first, then every other region found in the data (no fixed list)."""
    found = sorted(set(values["region"].unique()) - {plan.district}) if not values.empty else []
    return [plan.district, *found]


def methods_table(row: pd.Series, thresholds: Thresholds = DEFAULT) -> pd.DataFrame:
    """Both methods side by side: the plan's own schedule check and Eurostat's ratio; each ratio
    with enough decimals to sit on the side of its class bounds that its class says."""
    th = thresholds
    eu = f"Eurostat/SDG（{row.get('eurostat_method') or R.MISSING}）"
    # 指标 and 数值 first: on a phone the long method name would push the status off the screen.
    return pd.DataFrame(columns=["指标", "数值", "方法"], data=[
        {"方法": "序时进度法（本系统）", "指标": "完成进度",
         "数值": R.completion(row["completion"], row["time_elapsed"], th.schedule_bounds)},
        {"方法": "序时进度法（本系统）", "指标": "序时进度", "数值": R.percent(row["time_elapsed"])},
        {"方法": "序时进度法（本系统）", "指标": "进度比(完成÷序时)",
         "数值": R.classed(row["schedule_ratio"], th.schedule_bounds)},
        {"方法": "序时进度法（本系统）", "指标": "状态", "数值": _text(row["status"])},
        {"方法": eu, "指标": "实际÷所需增速",
         "数值": R.classed(row["eurostat_ratio"], (0.0, th.eu_moderate, th.eu_significant))},
        {"方法": eu, "指标": "进展等级", "数值": _text(row["eurostat_class"])},
    ])


def progress_texts(row: pd.Series | dict, final: bool = False) -> tuple[str, str]:
    """完成进度 and 序时进度 as the report's and the deck's tables print them ('' where none): only
    a level or cumulative goal with a completion has them (a milestone is built or not, a trend or
    rank goal has no percentage); the completion on its side of 0, 100 % and each status bound;
    once final no 序时进度 and no status bounds (the verdict is on target-year data)."""
    if row["kind"] not in ("level", "cumulative") or R.is_missing(row["completion"]):
        return "", ""
    if final:
        return R.completion(row["completion"]), ""
    return (R.completion(row["completion"], row["time_elapsed"], DEFAULT.schedule_bounds),
            R.percent(row["time_elapsed"]))


def milestone_rule(plan: Plan, goal: Goal) -> str:
    """How a milestone goal is judged, for its page instead of the two methods' percentages."""
    return (f"{plan.target_year_of(goal)}年前建成即达成，建成后一直计为已建成；只看是否建成，"
            "不计算完成进度、序时进度和趋势预测。")


def _text(x: object) -> str:
    """A label for a person: '—' for nothing (never 'None' or 'nan')."""
    return R.MISSING if x is None or (not isinstance(x, str) and R.is_missing(x)) or x == "" else str(x)


def goal_data_table(plan: Plan, code: str, values: pd.DataFrame, revisions: pd.DataFrame,
                    region: str | None = None) -> pd.DataFrame:
    """The values behind one goal in one region, with source, note and the revision that last
    changed each; per-10,000 ratios derived from a count say so."""
    from ipdata.trajectory import goal_values

    region = region or plan.district
    goal = plan.goal(code)
    gv = goal_values(plan, values, [code])
    mine = gv[(gv["series"] == code) & (gv["region"] == region)].sort_values("year")
    base_year = plan.base_year_of(goal)
    if mine.empty:
        return pd.DataFrame(columns=["年份", "数值", "来源", "备注", "版本"])
    raw = values[(values["region"] == region)].set_index(["series", "year"])
    rev = revisions.set_index("id") if not revisions.empty else revisions
    rows = []
    # Rounded as everywhere else; a yearly increment is not compared with the target, its total is.
    at_base = mine.loc[mine["year"] == base_year, "value"]
    own = (district_rule(plan, goal, None if at_base.empty else float(at_base.iloc[0]))
           if region == plan.district else R.Rule(goal.display_decimals))
    plain = R.Rule(goal.display_decimals)

    def shown(x: float | None, rule: R.Rule) -> str:
        if goal.kind == "milestone" and not R.is_missing(x):
            return "已建成" if x >= 1 else "未建成"
        return rule.text(x)

    # The running total since the base year; unknown (—) from the first missing year on.
    running: float | None = 0.0
    next_year = base_year + 1
    for r in mine.itertuples():
        # a derived ratio's provenance is that of its count
        key = (goal.derive.numerator.code if r.derived else code, r.year)
        src = raw.loc[key] if key in raw.index else None
        rev_id = None if src is None else int(src["revision_id"])
        rev_text = ""
        if rev_id is not None and rev_id in rev.index:
            rr = rev.loc[rev_id]
            rev_text = f"第{rev_id}版 {local_time(rr['created_at'])[:10]} {rr['file_name'] or REVISION_KIND_LABELS.get(rr['kind'], '')}"
        row = {"年份": int(r.year), "数值": shown(r.value, plain if goal.kind == "cumulative" else own)}
        if goal.kind == "cumulative":
            if r.year > base_year:
                running = running + r.value if running is not None and r.year == next_year else None
                next_year = r.year + 1
            row[f"{base_year + 1}年以来累计"] = (shown(running, own) if r.year > base_year
                                              else "基期，不计入")
        row.update({
            "来源": ("由计数÷基础数据计算；" if r.derived else "") + (_words(src["source"]) if src is not None else ""),
            "备注": "" if src is None else _words(src["note"]),
            "版本": rev_text,
        })
        rows.append(row)
    return pd.DataFrame(rows)


def _year(y: object) -> str:
    return R.MISSING if R.is_missing(y) else str(int(y))


def _words(x: object) -> str:
    """A text cell: '' for nothing (never 'None' or 'nan')."""
    return "" if x is None or (not isinstance(x, str) and R.is_missing(x)) else str(x)


def goal_definition(plan: Plan, code: str) -> list[tuple[str, str]]:
    goal = plan.goal(code)
    base_year = plan.base_year_of(goal)
    items = [
        ("类别", goal.category), ("单位", goal.unit), ("类型", KIND_LABELS[goal.kind]),
        (f"{plan.target_year_of(goal)}年目标", goal.target_text()),
    ]
    if goal.nature:
        items.append(("性质", goal.nature))
    if goal.base_value is not None:
        items.append(("基期值", f"{base_year}年{R.target_number(goal.base_value)}{goal.unit}（规划所列，作为基期）"))
    elif goal.target_rule:
        items.append(("基期值", f"按上传的{base_year}年数值推算目标（{goal.target_rule}）"))
    elif goal.base_year is not None:
        items.append(("基期", f"{base_year}年"))
    interim = [(y, v) for y, v in goal.targets if y < plan.target_year_of(goal)]
    if interim:
        sign = COMPARATOR_LABELS.get(goal.comparator or ">=", "≥")
        items.append(("阶段目标", "；".join(f"{y}年{sign}{R.target_number(v)}{goal.unit}" for y, v in interim)))
    items.append(("规划原文", f"“{goal.source}”（{plan.short_title}，{goal.section}）"))
    if goal.kind == "cumulative":
        items.append(("口径", f"按年填报当年新增数，{base_year + 1}年起逐年累计，与目标比较。"))
    if goal.derive:
        den = next(s for s in plan.context if s.code == goal.derive.denominator)
        factor = "" if goal.derive.factor == 1 else f" × {R.target_number(goal.derive.factor)}"
        items.append(("计算", f"未直接填报时 = {goal.derive.numerator.name}({goal.derive.numerator.unit}) ÷ "
                              f"{den.name}({den.unit}){factor}"))
    if goal.aliases:
        items.append(("也称", "、".join(goal.aliases)))
    return items


def region_table(plan: Plan, code: str, frame_all: pd.DataFrame) -> pd.DataFrame:
    """One goal across regions: latest value, share of the district, own target and status."""
    goal = plan.goal(code)
    f = frame_all[(frame_all["code"] == code) & (frame_all["region"] != plan.district)]
    f = f[f["latest_value"].notna()].sort_values("latest_value", ascending=goal.direction == "lower")
    table = pd.DataFrame({
        "排名": range(1, len(f) + 1),
        "地区": f["region"].to_numpy(),
        "最新年份": [_year(y) for y in f["latest_year"]],
        f"最新值({goal.unit})": [_fmt_value(r["latest_value"], goal, r) for _, r in f.iterrows()],
        f"占{plan.district}比重": [R.percent(x) for x in f["share_of_district"]],
        "分解目标": [t if not pd.isna(v) else R.MISSING for t, v in zip(f["target_text"], f["target"], strict=True)],
        "完成进度": [R.completion(c, s, DEFAULT.schedule_bounds)
                 for c, s in zip(f["completion"], f["time_elapsed"], strict=True)],
        "状态": f["status"].to_numpy(),
    })
    # A ratio or a share is not part of a total (additive: false): no column of shares at all.
    return table if adds_up(goal) else table.drop(columns=f"占{plan.district}比重")


CHANGE_LABELS = {"new": "新增", "changed": "修改", "unchanged": "未变", "removed": "删除"}
TABLE_LABELS = {"values": "数值", "targets": "分解目标", "tasks": "任务进度", "notes": "指标备注"}
CHANGE_HEADERS = {"change": "变化", "table": "类型", "name": "名称", "region": "地区", "year": "年份",
                  "old": "原值", "new": "新值", "unit": "单位"}


def change_list(rows: pd.DataFrame) -> pd.DataFrame:
    """Changes.rows (or some of them) with the headers of the data page's change table: 变化, 类型,
    名称, 地区, 年份, 原值, 新值, 单位. Values stay values (numbers as numbers, blanks as None);
    a task's 名称 is "编号 任务名"."""
    tasks = (rows["table"] == "tasks").to_numpy()
    name = rows["name"].astype(object).to_numpy().copy()
    name[tasks] = [f"{t} {n}" for t, n in zip(rows["task_id"][tasks], name[tasks], strict=True)]
    out = pd.DataFrame({
        "change": rows["change"].map(CHANGE_LABELS).fillna(rows["change"]),
        "table": rows["table"].map(TABLE_LABELS).fillna(rows["table"]),
        "name": name,
        "region": rows["region"], "year": rows["year"], "old": rows["old"], "new": rows["new"],
        "unit": rows["unit"],
    })
    return out.rename(columns=CHANGE_HEADERS).reset_index(drop=True)


def change_counts(plan: Plan, rows: pd.DataFrame) -> pd.DataFrame:
    """How many values an import adds and changes, per goal (rows, plan order) and year
    (columns "2022年" …, then 合计); each cell "新增数/修改数", blank where nothing changes.
    Regional targets are rows of their own ("名称（分解目标）"); task progress is one row 任务进度
    with its count under 合计 only."""
    ch = rows[rows["change"].isin(["new", "changed"])]
    if ch.empty:
        return pd.DataFrame()
    # Counted by code first (100,000 rows, a few ms), named afterwards (a few hundred groups).
    keys = pd.DataFrame({"table": ch["table"].to_numpy(), "series": ch["series"].fillna("").to_numpy(),
                         "year": ch["year"].fillna(-1).to_numpy("int64"), "change": ch["change"].to_numpy()})
    n = keys.groupby(["table", "series", "year", "change"], sort=False).size().unstack("change", fill_value=0)
    n = n.reindex(columns=["new", "changed"], fill_value=0).reset_index()
    order = {code: i for i, code in enumerate(plan.all_series)}
    names = {c: s.name for c, s in plan.all_series.items()}
    tables = list(TABLE_LABELS)
    n["label"] = [("任务进度" if t == "tasks" else f"{names.get(c, c)}（分解目标）" if t == "targets"
                   else f"{names.get(c, c)}（备注）" if t == "notes"
                   else names.get(c, c)) for t, c in zip(n["table"], n["series"], strict=True)]
    n["rank"] = [(tables.index(t), order.get(c, len(order)), c) for t, c in zip(n["table"], n["series"], strict=True)]
    labels = list(dict.fromkeys(n.sort_values("rank", kind="stable")["label"]))
    total = n.groupby("label")[["new", "changed"]].sum().assign(year=0)
    cells = pd.concat([n[n["year"] >= 0].groupby(["label", "year"])[["new", "changed"]].sum().reset_index(),
                       total.reset_index()])
    cells["text"] = cells["new"].astype(str) + "/" + cells["changed"].astype(str)
    grid = cells.pivot(index="label", columns="year", values="text").reindex(labels).fillna("")
    grid.columns = [f"{y}年" if y else "合计" for y in grid.columns]
    grid = grid[[*grid.columns[1:], "合计"]]  # year 0 (the total) sorts first
    return grid.rename_axis("指标").reset_index()


USER_HEADERS = {"name": "用户名", "role": "角色", "created_at": "创建时间", "created_by": "创建人",
                "disabled": "已停用", "source": "来源"}


def user_table(users: pd.DataFrame, role_labels: dict[str, str]) -> pd.DataFrame:
    """The user directory (auth.Users.list) with Chinese headers, role names and Beijing time."""
    out = users.assign(role=users["role"].map(role_labels).fillna(users["role"]),
                       created_at=users["created_at"].map(local_time))
    return out[[c for c in USER_HEADERS if c in out]].rename(columns=USER_HEADERS)
