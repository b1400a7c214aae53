"""Illustrative demo data (示例数据): invented figures for every goal, 2021-2024.

Nothing here is official. The numbers are chosen so that the demo shows every status the
dashboard knows (已完成, 快于预期, 基本符合预期, 滞后, 倒退) and both ways of giving a per-10,000
goal (the ratio itself, or a count plus its denominator).
The committed workbook data/demo/示例数据.xlsx is written from these frames by
`python -m ipdata demo --rebuild-workbook`; a test checks the two agree.
"""

from __future__ import annotations

import pandas as pd

from ipdata.catalogue import Plan

DEMO_BANNER = "示例数据（虚构，仅供演示，不代表官方统计）"
DEMO_SOURCE = "示例数据"

# 全区 (district) values by year, 2021-2024. Cumulative goals: that year's new amount.
_DISTRICT: dict[str, tuple[float | None, ...]] = {
    "hv_invention_per10k": (8.2, 10.1, 12.0, 14.9),
    "overseas_patents_new": (5, 6, 8, 9),
    "madrid_marks_total": (38, 45, 53, 61),
    "ops_platform": (0, 0, 1, 1),
    "license_trade": (3200, 3900, 4600, 5500),
    "patent_intensive_gdp_share": (12.1, 12.9, 13.6, 14.2),
    "copyright_industry_gdp_share": (7.2, 7.6, 8.0, 8.4),
    "ip_pledge_amount": (9.5, 12.8, 16.3, 21.4),
    "protection_demo_zone": (0, 0, 0, 0),
    "genuine_goods_demo_new": (0, 0, 1, 0),
    "case_closure_rate": (86.5, 88.0, 91.2, 92.4),
    "ip_satisfaction": (80.3, 81.5, 82.4, 84.1),
    "ip_standard_units_new": (15, 18, 20, 21),
    "ip_advantage_firms_new": (0, 1, 1, 1),
    "public_service_platform": (0, 1, 1, 1),
    "ip_service_staff": (120, 128, 118, 116),
    "ip_training_persons": (None, 620, 680, 560),
    "ip_training_sessions": (None, 4, 5, 3),
    # per-10,000 goals given as count + denominator (derived by the trajectory engine)
    "copyright_reg_count": (64740, 73810, 80000, 87710),
    "trademark_firms_count": (6000, 6700, 7500, 8100),
    # 基础数据
    "population": (124.5, 125.1, 125.0, 125.3),
    "enterprises": (52000, 55000, 58000, 60000),
    "gdp": (1350, 1420, 1510, 1600),
}

# A few regions with some goals, to show the per-region pages.
_REGIONS: dict[str, dict[str, tuple[float | None, ...]]] = {
    "南通高新区": {
        "hv_invention_per10k": (15.3, 18.0, 20.6, 24.1),
        "ip_standard_units_new": (5, 6, 7, 8),
        "ip_training_persons": (None, 180, 200, 170),
    },
    "川姜镇": {
        "hv_invention_per10k": (4.1, 4.9, 5.8, 6.6),
        "ip_standard_units_new": (2, 3, 3, 2),
        "ip_training_persons": (None, 120, 110, 95),
    },
    "金沙街道": {
        "hv_invention_per10k": (6.2, 7.0, 7.4, 8.1),
        "ip_standard_units_new": (3, 3, 4, 4),
        "ip_training_persons": (None, 90, 100, 85),
    },
    "兴仁镇": {
        "hv_invention_per10k": (3.0, 3.4, 3.3, 3.9),
        "ip_standard_units_new": (1, 2, 2, 3),
        "ip_training_persons": (None, 60, 70, 60),
    },
}

# Region targets (目标分解) for 2025.
_TARGETS = [
    ("hv_invention_per10k", "南通高新区", 28.0),
    ("hv_invention_per10k", "川姜镇", 8.0),
    ("hv_invention_per10k", "金沙街道", 10.0),
    ("hv_invention_per10k", "兴仁镇", 6.0),
    ("ip_standard_units_new", "南通高新区", 30.0),
    ("ip_standard_units_new", "川姜镇", 10.0),
]

_YEARS = (2021, 2022, 2023, 2024)


def _rows(region: str, table: dict[str, tuple[float | None, ...]]) -> list[dict]:
    return [
        {"series": code, "region": region, "year": year, "value": float(v),
         "source": DEMO_SOURCE, "note": None}
        for code, vals in table.items()
        for year, v in zip(_YEARS, vals, strict=True)
        if v is not None
    ]


def demo_observations(plan: Plan) -> pd.DataFrame:
    rows = _rows(plan.district, _DISTRICT)
    for region, table in _REGIONS.items():
        rows += _rows(region, table)
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("int64")
    return frame


def demo_targets(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame(
        [{"series": s, "region": r, "year": plan.target_year, "target": t, "note": DEMO_SOURCE}
         for s, r, t in _TARGETS]
    )


def demo_tasks(plan: Plan) -> pd.DataFrame:
    """Every task paragraph gets a status; a deterministic spread, most under way."""
    statuses = ("已完成", "推进中", "推进中", "已完成", "推进中", "未启动")
    rows = []
    for i, t in enumerate(plan.tasks):
        status = statuses[i % len(statuses)]
        note = {"已完成": "示例：已按计划完成。", "推进中": "示例：按序时推进中。", "未启动": "示例：尚未启动。"}[status]
        rows.append({"task_id": t.id, "status": status, "note": note, "updated": "2024-12-31"})
    return pd.DataFrame(rows)


def write_demo_workbook(plan: Plan, path) -> None:
    """Write the demo frames into a filled template, every sheet titled 示例数据."""
    from ipdata.template import write_template

    write_template(path, plan, observations=demo_observations(plan), targets=demo_targets(plan),
                   tasks=demo_tasks(plan), banner=DEMO_BANNER)
