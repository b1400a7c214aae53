"""Illustrative demo data (示例数据) for any plan: invented figures for every goal, never official.

    demo_observations(plan) / demo_targets(plan) / demo_tasks(plan)   frames in the Upload contract
    demo_workbook(plan) -> bytes      a filled template, every sheet titled 示例数据
    write_demo_workbook(plan, path)

A plan may come with hand-picked figures, `data/demo/<plan id>.yaml` (years, the district's values,
a few regions, region targets): Tongzhou's are chosen to show every status the dashboard knows.
Every goal such a file does not list, and every goal of a plan without one, gets figures invented
from the goal itself: its base (the plan's base value, or one made up for its unit), its target
(stated, or derived from 年均增长/翻一番), its kind and direction; the plan's first regions get
shares of a few goals and their own targets. Goals take turns at a pace (快于预期, 基本符合预期,
滞后, 已完成, 倒退), so any plan's demo shows the statuses side by side. Rank goals get no
figure: a rank cites a real 通报, and an invented one would be a claim about others.

The demo is imported as one revision flagged 示例数据 (service.load_demo); the first official import
removes it. Nothing here writes into the repository.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from ipdata import settings
from ipdata.catalogue import Goal, Plan
from ipdata.errors import IpdataError

DEMO_BANNER = "示例数据（虚构，仅供演示，不代表官方统计）"
DEMO_SOURCE = "示例数据"
DEMO_FILE_NAME = "示例数据.xlsx"  # the name the demo revision is recorded under
FIGURES_DIR = settings.DATA_DIR / "demo"

# Where each goal stands at the last demo year, in turn: the schedule ratio (completion ÷ time
# elapsed) for 快于预期 / 基本符合预期 / 滞后, completion 1.08 for 已完成, and a fall below the base.
_PACES = (("ahead", 1.3), ("on", 0.95), ("behind", 0.6), ("done", 1.08), ("back", -0.15))
# A made-up base-year value by unit where the plan states none (shares and counts of anything else: 100).
_BASE_BY_UNIT = {"%": 40.0, "亿元": 20.0, "万元": 5000.0, "万人": 80.0, "户": 30000.0, "件": 200.0, "家": 50.0,
                 "个": 10.0, "项": 10.0, "人": 300.0, "人次": 500.0, "次": 100.0, "天": 90.0, "分": 80.0}
# Regions: shares of the district for goals that add up, multiples of its level for those that do not.
_SHARES = (0.3, 0.2, 0.15, 0.1)
_MULTIPLES = (1.6, 0.55, 0.8, 0.45)
_REGION_GOALS = 3  # how many goals get regional figures
_REGIONS = 4


def demo_years(plan: Plan, today: dt.date | None = None) -> tuple[int, ...]:
    """The base year and up to three years after it, short of the target year and never after this
    year (no upload may hold a future year): a plan under way. None for a plan not yet begun."""
    this_year = (today or dt.date.today()).year
    last = min(max(plan.base_year, min(plan.target_year - 1, plan.base_year + 3)), this_year)
    return tuple(range(plan.base_year, last + 1))


# --- hand-picked figures -------------------------------------------------------------------

def _figures(plan: Plan) -> dict:
    """The plan's hand-picked figures (data/demo/<plan id>.yaml), or {} when it has none."""
    path = FIGURES_DIR / f"{plan.id}.yaml"
    if not path.exists():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        years = tuple(int(y) for y in raw.get("years", ()))
        district = {str(k): tuple(v) for k, v in (raw.get("district") or {}).items()}
        regions = {str(r): {str(k): tuple(v) for k, v in t.items()} for r, t in (raw.get("regions") or {}).items()}
        targets = [(str(t["series"]), str(t["region"]), float(t["target"])) for t in raw.get("targets") or []]
        for table in (district, *regions.values()):
            if any(len(v) != len(years) for v in table.values()):
                raise ValueError("每个数列的长度应与 years 相同")
    except (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise IpdataError(f"示例数据文件 {path.name} 格式有误：{exc}",
                          hint=f"按 {path.name} 开头的说明修改，或删除该文件(示例数据将按规划自动生成)。") from None
    return {"years": years, "district": district, "regions": regions, "targets": targets}


def _picked_rows(plan: Plan, figures: dict) -> list[dict]:
    series = plan.all_series
    places = set(plan.region_names)
    tables = [(plan.district, figures["district"])]
    tables += [(r, t) for r, t in figures["regions"].items() if r in places]
    return [_row(code, region, year, v)
            for region, table in tables for code, values in table.items() if code in series
            for year, v in zip(figures["years"], values, strict=True) if v is not None]


def _row(code: str, region: str, year: int, value: float) -> dict:
    return {"series": code, "region": region, "year": year, "value": float(value), "source": DEMO_SOURCE,
            "note": None}


# --- invented figures ----------------------------------------------------------------------

def _round(goal_or_unit: Goal | str, x: float) -> float:
    if isinstance(goal_or_unit, Goal):
        return round(x, goal_or_unit.display_decimals)
    return round(x, 1)


def _base(plan: Plan, goal: Goal) -> float:
    """The base-year value the demo starts from: the plan's, or one that makes the target a stretch."""
    if goal.base_value is not None:
        return goal.base_value
    target = goal.target
    if target is None or goal.target_growth is not None or goal.target_multiple is not None:
        return _BASE_BY_UNIT.get(goal.unit, 100.0)
    if goal.direction == "lower":
        return target * 1.5 if target > 0 else 10.0
    return target * 0.55 if target > 0 else 10.0


def _target(plan: Plan, goal: Goal, base: float) -> float:
    """The goal's final target; a derived one (年均增长, 翻一番) from the demo's own base."""
    if goal.target_growth is not None:
        span = plan.target_year_of(goal) - plan.base_year_of(goal)
        return base * (1 + goal.target_growth) ** span
    if goal.target_multiple is not None:
        return base * goal.target_multiple
    return goal.target if goal.target is not None else base * 1.5


def _path(plan: Plan, goal: Goal, pace: tuple[str, float], years: tuple[int, ...]) -> list[float]:
    """The goal's value in each demo year (cumulative goals: that year's new amount)."""
    name, ratio = pace
    start, end = plan.base_year_of(goal), plan.target_year_of(goal)
    last = years[-1]
    elapsed = max(last - start, 1) / max(end - start, 1)
    final = ratio if name in ("done", "back") else min(ratio * elapsed, 0.98)
    # completion in each year: a straight line to `final`, the regression only in the last year
    shares = [final * max(y - start, 0) / max(last - start, 1) for y in years]
    if name == "back":
        shares = [0.3 * elapsed * max(y - start, 0) / max(last - start, 1) for y in years]
        shares[-1] = final
    base = _base(plan, goal)
    if goal.kind == "milestone":
        return [1.0 if name in ("ahead", "done") and y == last else 0.0 for y in years]
    if goal.kind == "trend":
        step = 0.06 if (goal.direction == "higher") != (name == "back") else -0.06
        return [_round(goal, base * (1 + step) ** max(y - start, 0)) for y in years]
    target = _target(plan, goal, base)
    if goal.kind == "cumulative":
        # new amounts: the total due by `last` spread over the years after the base, falling when behind
        total = target * max(final, 0.2 * elapsed)
        counted = [y for y in years if y > start] or [last]
        return [_round(goal, total / len(counted))] * len(years)
    return [_round(goal, base + (target - base) * s) for s in shares]


def _context_path(unit: str, years: tuple[int, ...]) -> list[float]:
    base = _BASE_BY_UNIT.get(unit, 100.0)
    return [_round(unit, base * 1.01 ** i) for i in range(len(years))]


def _invented_rows(plan: Plan, goals: list[Goal], years: tuple[int, ...]) -> list[dict]:
    rows = []
    for i, goal in enumerate(goals):
        path = _path(plan, goal, _PACES[i % len(_PACES)], years)
        rows += [_row(goal.code, plan.district, y, v) for y, v in zip(years, path, strict=True)]
    for region, k in zip(plan.region_names[:_REGIONS], range(_REGIONS), strict=False):
        for goal in _regional(goals):
            path = _path(plan, goal, _PACES[(goals.index(goal) + k + 1) % len(_PACES)], years)
            scale = _SHARES[k] if goal.additive else _MULTIPLES[k]
            rows += [_row(goal.code, region, y, _round(goal, v * scale)) for y, v in zip(years, path, strict=True)]
    return rows


def _regional(goals: list[Goal]) -> list[Goal]:
    """The goals the demo gives regional figures: the first few numeric ones."""
    return [g for g in goals if g.kind in ("level", "cumulative")][:_REGION_GOALS]


def _invented_targets(plan: Plan, goals: list[Goal]) -> list[tuple[str, str, float]]:
    """Region targets for the first two regional goals: every region for the first, two for the second."""
    out = []
    for n, goal in enumerate(_regional(goals)[:2]):
        target = _target(plan, goal, _base(plan, goal))
        for k, region in enumerate(plan.region_names[:_REGIONS if n == 0 else 2]):
            scale = _SHARES[k] if goal.additive else _MULTIPLES[k] * 1.1
            out.append((goal.code, region, _round(goal, target * scale)))
    return out


# --- the frames ----------------------------------------------------------------------------

def _plan_demo(plan: Plan) -> tuple[list[dict], list[tuple[str, str, float]], tuple[int, ...]]:
    figures = _figures(plan)
    picked = _picked_rows(plan, figures) if figures else []
    given = {r["series"] for r in picked if r["region"] == plan.district}
    # a goal given as count + denominator counts as given too
    missing = [g for g in plan.goals if not g.is_rank and g.code not in given
               and not (g.derive and g.derive.numerator.code in given)]
    years = figures.get("years") or demo_years(plan)
    if not years:
        raise IpdataError(f"规划“{plan.name}”的基期年({plan.base_year}年)还没有到，无法生成示例数据。",
                          hint="示例数据只含基期年到今年的数值；请等规划开始后再试，或直接下载填报模板。")
    rows = picked + _invented_rows(plan, missing, years)
    for s in plan.context:
        if s.code not in given:
            rows += [_row(s.code, plan.district, y, v) for y, v in zip(years, _context_path(s.unit, years), strict=True)]
    places = set(plan.region_names)
    targets = [t for t in figures.get("targets", []) if t[0] in plan.all_series and t[1] in places]
    targets += _invented_targets(plan, missing)
    return rows, targets, years


def demo_observations(plan: Plan) -> pd.DataFrame:
    rows, _, _ = _plan_demo(plan)
    frame = pd.DataFrame(rows, columns=["series", "region", "year", "value", "source", "note"])
    frame["year"] = frame["year"].astype("int64")
    return frame


def demo_targets(plan: Plan) -> pd.DataFrame:
    _, targets, _ = _plan_demo(plan)
    return pd.DataFrame([{"series": s, "region": r, "year": plan.target_year, "target": t, "note": DEMO_SOURCE}
                         for s, r, t in targets], columns=["series", "region", "year", "target", "note"])


def demo_tasks(plan: Plan) -> pd.DataFrame:
    """Every task paragraph gets a status; a deterministic spread, most under way."""
    statuses = ("已完成", "推进中", "推进中", "已完成", "推进中", "未启动")
    notes = {"已完成": "示例：已按计划完成。", "推进中": "示例：按序时推进中。", "未启动": "示例：尚未启动。"}
    last = max(demo_years(plan) or (plan.base_year,))
    updated = min(dt.date(last, 12, 31), dt.date.today()).isoformat()
    rows = [{"task_id": t.id, "status": statuses[i % len(statuses)], "note": notes[statuses[i % len(statuses)]],
             "updated": updated} for i, t in enumerate(plan.tasks)]
    return pd.DataFrame(rows, columns=["task_id", "status", "note", "updated"])


def write_demo_workbook(plan: Plan, path: Path | str | io.BytesIO) -> None:
    """Write the demo frames into a filled template, every sheet titled 示例数据."""
    from ipdata.template import write_template

    write_template(path, plan, observations=demo_observations(plan), targets=demo_targets(plan),
                   tasks=demo_tasks(plan), banner=DEMO_BANNER)


def write_demo_file(plan: Plan, out: Path | None = None) -> Path:
    """`demo --rebuild-workbook [OUT]`: the demo workbook at `out`, or in a new temporary file.
    Never into the repository's data/demo folder: what is committed there is no output."""
    if out is None:
        handle, name = tempfile.mkstemp(prefix=f"{plan.id}_示例数据_", suffix=".xlsx")
        os.close(handle)
        out = Path(name)
    elif out.suffix.lower() != ".xlsx":
        raise IpdataError(f"示例工作簿的文件名应以 .xlsx 结尾：{out}")
    elif out.resolve().parent == FIGURES_DIR.resolve():
        raise IpdataError(f"不能写入仓库的示例数据目录：{out}",
                          hint="请另给一个文件名，例如 /tmp/示例数据.xlsx；不给文件名时写到临时文件。")
    try:
        write_demo_workbook(plan, out)
    except OSError as exc:
        raise IpdataError(f"无法写入文件：{out}（{exc.strerror or exc}）",
                          hint="检查路径和写入权限；若该文件正在 Excel 或 WPS 中打开，请先关闭。") from None
    return out


def demo_workbook(plan: Plan) -> bytes:
    buffer = io.BytesIO()
    write_demo_workbook(plan, buffer)
    return buffer.getvalue()
