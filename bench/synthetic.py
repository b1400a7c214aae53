"""Deterministic synthetic data at scale: a 200-goal plan file, long and wide workbooks, and a
2,000-series value frame for the trajectory engine. Same seed, same bytes of data every run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from openpyxl import Workbook

SEED = 20221114  # the plan's issue date
UNITS = ("件", "%", "万元", "家")
CATEGORIES = ["创造", "运用", "保护", "管理", "服务", "人才"]


@dataclass(frozen=True)
class Size:
    """How big each benchmark is. `full` is 100x the district (20 goals x 20 regions x 5 years)."""

    name: str
    goals: int  # goals in the synthetic plan
    regions: int  # the district plus regions - 1 towns
    long_years: int  # years per (goal, region) in the long workbook
    wide_years: int  # year columns in the wide workbook
    series_regions: int  # regions for the trajectory benchmark (x 20 real goals = series)
    repeat: int  # timed runs per figure (median)

    @property
    def long_rows(self) -> int:
        return self.goals * self.regions * self.long_years


SIZES = {
    "full": Size("full", goals=200, regions=100, long_years=5, wide_years=20, series_regions=100, repeat=5),
    "small": Size("small", goals=20, regions=10, long_years=5, wide_years=5, series_regions=10, repeat=1),
}

BASE_YEAR, TARGET_YEAR, LAST_DATA_YEAR = 2005, 2030, 2025


def goal_name(i: int) -> str:
    return f"合成指标{i:03d}"


def region_names(n: int) -> list[str]:
    return ["全区", *[f"合成镇{i:03d}" for i in range(1, n)]]


def write_plan(path: Path, goals: int) -> Path:
    """A valid plan file with `goals` goals (levels and cumulative, counts, percents, money)."""
    plan = {
        "plan": {"id": f"bench-{goals}", "title": "基准测试合成规划", "issuer": "bench",
                 "document_no": "无", "base_year": BASE_YEAR, "target_year": TARGET_YEAR,
                 "district": "全区", "district_aliases": ["合计"]},
        "categories": CATEGORIES,
        "goals": [
            {"code": f"g{i:03d}", "name": goal_name(i), "unit": UNITS[i % len(UNITS)],
             "category": CATEGORIES[i % len(CATEGORIES)],
             "kind": "cumulative" if i % 10 == 9 else "level", "comparator": ">=",
             "target": 95.0 if UNITS[i % len(UNITS)] == "%" else 150.0,
             "source": f"{goal_name(i)}达到目标"}
            for i in range(goals)
        ],
    }
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _series(rng: np.random.Generator, n_series: int, n_years: int) -> np.ndarray:
    """(n_series, n_years) values as statisticians send them: each series starts at 10..50 and
    grows 0..3 % a year, so 20 years stay ≤ 88 (valid for every unit: percents in range, never a
    fraction, never negative) and no year jumps past the plan's year-on-year check. Uniformly
    random values did: 17,000 warnings on the 100,000-row file, which no real file has."""
    base = rng.uniform(10.0, 50.0, n_series)[:, None]
    growth = rng.uniform(0.0, 0.03, n_series)[:, None]
    return (base * (1 + growth) ** np.arange(n_years)[None, :]).round(1)


def long_frame(size: Size) -> pd.DataFrame:
    """指标 | 地区 | 年份 | 数值, one row per (goal, region, year)."""
    years = range(LAST_DATA_YEAR - size.long_years + 1, LAST_DATA_YEAR + 1)
    idx = pd.MultiIndex.from_product([[goal_name(i) for i in range(size.goals)],
                                      region_names(size.regions), list(years)],
                                     names=["指标", "地区", "年份"])
    frame = idx.to_frame(index=False)
    # years vary fastest in the index: one series per (goal, region), its years in a row
    frame["数值"] = _series(np.random.default_rng(SEED), len(frame) // size.long_years, size.long_years).ravel()
    return frame


def _write(path: Path, frame: pd.DataFrame, sheet: str) -> Path:
    """One sheet: the header row, then the frame's rows (openpyxl's streaming writer)."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    book.save(path)
    return path


def write_long(path: Path, size: Size) -> Path:
    return _write(path, long_frame(size), "逐行数据")


def wide_frame(size: Size) -> pd.DataFrame:
    """指标名称 | 地区 | 单位 | 2006年 … 2025年, one row per (goal, region)."""
    years = list(range(LAST_DATA_YEAR - size.wide_years + 1, LAST_DATA_YEAR + 1))
    idx = pd.MultiIndex.from_product([[goal_name(i) for i in range(size.goals)],
                                      region_names(size.regions)], names=["指标名称", "地区"])
    frame = idx.to_frame(index=False)
    frame.insert(2, "单位", [UNITS[int(n[-3:]) % len(UNITS)] for n in frame["指标名称"]])
    values = _series(np.random.default_rng(SEED + 1), len(frame), len(years))
    for j, y in enumerate(years):
        frame[f"{y}年"] = values[:, j]
    return frame


def write_wide(path: Path, size: Size) -> Path:
    return _write(path, wide_frame(size), "指标数据")


def series_frames(plan, size: Size) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values 2021-2024 and a 2025 target for every (real goal, region): 20 x regions series."""
    rng = np.random.default_rng(SEED + 2)
    regions = region_names(size.series_regions)
    codes = [g.code for g in plan.goals]
    idx = pd.MultiIndex.from_product([codes, regions, range(plan.base_year, plan.target_year)],
                                     names=["series", "region", "year"])
    values = idx.to_frame(index=False)
    values["value"] = rng.uniform(1, 100, len(values)).round(1)
    towns = regions[1:]
    tidx = pd.MultiIndex.from_product([codes, towns], names=["series", "region"])
    targets = tidx.to_frame(index=False)
    targets["year"] = plan.target_year
    targets["target"] = rng.uniform(20, 150, len(targets)).round(0)
    return values, targets
