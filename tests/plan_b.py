"""A small second plan for the store tests of issue 13 (one store, many plans): the next plan
(2026-2030) of the same district, whose first goal reuses the series code hv_invention_per10k of Tongzhou's 2022-2025 plan, so a
2025 value uploaded once is Tongzhou's final value and this plan's base value.

`plans_dir(tmp_path, monkeypatch)` makes a plans directory with Tongzhou's file and this one and
points IPDATA_PLANS_DIR at it (IPDATA_PLAN unset).
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TONGZHOU = "tongzhou-2022-2025"
B = "city-2026-2030"

B_YAML = """\
# The district's next plan, 2026-2030 (invented for the tests).
plan:
  id: {id}
  title: 某市知识产权强市建设规划(2026-2030年)
  short_title: 知识产权强市建设规划
  base_year: 2025
  target_year: 2030
  district: 全区   # the same area as Tongzhou's plan: its district figures are the same rows
  region_level: 镇(街道)
categories: [创造, 运用]
series:
  - {{code: population, name: 常住人口, unit: 万人}}
goals:
  - code: hv_invention_per10k
    name: 每万人口高价值发明专利拥有量
    unit: {unit}
    category: 创造
    kind: level
    comparator: ">="
    target: {target}
    source: 每万人口高价值发明专利拥有量达到{target}件
    section: 主要目标
  - code: city_pledge
    name: 知识产权质押融资登记金额
    unit: 亿元
    category: 运用
    kind: level
    comparator: ">="
    target: 50
    source: 知识产权质押融资登记金额达到50亿元
    section: 主要目标
{extra}"""

# A third goal, for a changed version of plan B.
EXTRA_GOAL = """\
  - code: city_trademarks
    name: 有效注册商标量
    unit: 件
    category: 创造
    kind: level
    comparator: ">="
    target: 200000
    source: 有效注册商标量达到20万件
    section: 主要目标
"""


def b_text(target: float = 30, unit: str = "件", extra: str = "", plan_id: str = B) -> str:
    return B_YAML.format(id=plan_id, target=f"{target:g}", unit=unit, extra=extra)


def write_b(directory: Path, **kw) -> Path:
    plan_id = kw.get("plan_id", B)
    path = directory / f"{plan_id}.yaml"
    path.write_text(b_text(**kw), encoding="utf-8")
    return path


def plans_dir(tmp_path: Path, monkeypatch, with_b: bool = True) -> Path:
    directory = tmp_path / "plans"
    directory.mkdir(exist_ok=True)
    shutil.copy(ROOT / "data" / "plans" / f"{TONGZHOU}.yaml", directory)
    if with_b:
        write_b(directory)
    monkeypatch.setenv("IPDATA_PLANS_DIR", str(directory))
    monkeypatch.delenv("IPDATA_PLAN", raising=False)
    return directory
