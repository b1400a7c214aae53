"""A second plan, written from the documented schema alone: a county's 2026-2030 plan with other
words everywhere (全县, 乡镇, 三、主要任务, its own categories and years), and variants of it
without key tasks, without regions, or with milestone goals only.

`use_plan(monkeypatch, tmp_path, text)` writes a plan into a fresh plans directory and points
IPDATA_PLANS_DIR / IPDATA_PLAN at it, as a deployment for that county would.
"""

from __future__ import annotations

from pathlib import Path

import yaml

# Words of the first plan (Tongzhou 2022-2025) that nothing shown for the second may say.
FIRST_PLAN_WORDS = ("通州", "南通", "强县", "高新区", "镇(街道)", "镇（街道）", "四、重点任务", "全区",
                    "2021", "2022", "2023", "2024", "2025", "川姜", "金沙", "兴仁", "通政发")

HEAD = """\
plan:
  id: {id}
  title: 青溪县知识产权高质量发展规划(2026-2030年)
  short_title: 青溪县知识产权规划
  app_title: 青溪县知识产权发展监测
  issuer: 青溪县人民政府
  document_no: 青政发〔2026〕8号
  base_year: 2026
  target_year: 2030
  district: 全县
  district_aliases: [青溪县, 全县合计]
  region_level: 乡镇
  tasks_heading: 三、主要任务
"""

REGIONS = """\
regions:
  - name: 城关镇
  - name: 东河乡
  - name: 西岭镇
  - name: 南湖乡
"""

BODY = """\
categories: [产出, 转化, 保护]

series:
  - code: qx_population
    name: 县常住人口
    unit: 万人

goals:
  - code: qx_invention_per10k
    name: 每万人口有效发明专利拥有量
    unit: 件
    category: 产出
    kind: level
    comparator: ">="
    base_value: 6.0
    target_multiple: 2
    nature: 预期性
    derive:
      numerator: {code: qx_invention_count, name: 有效发明专利拥有量, unit: 件}
      denominator: qx_population
      factor: 1
    source: 每万人口有效发明专利拥有量翻一番
    section: 二、发展目标
  - code: qx_pct_new
    name: 新增PCT国际专利申请
    unit: 件
    category: 产出
    kind: cumulative
    comparator: ">="
    target: 120
    source: 五年新增PCT国际专利申请120件
    section: 二、发展目标
  - code: qx_marks_total
    name: 有效注册商标总量
    unit: 件
    category: 产出
    kind: level
    comparator: ">="
    targets: {2028: 9000, 2030: 12000}
    source: 有效注册商标总量2028年达9000件、2030年达12000件
    section: 二、发展目标
  - code: qx_pledge
    name: 知识产权质押融资金额
    unit: 亿元
    category: 转化
    kind: level
    comparator: ">="
    target_growth: 0.12
    source: 知识产权质押融资金额年均增长12%
    section: 二、发展目标
  - code: qx_licence
    name: 专利转让许可次数
    unit: 次
    category: 转化
    kind: trend
    source: 专利转让许可次数明显增长
    section: 二、发展目标
  - code: qx_centre
    name: 建成县级知识产权保护工作站
    unit: 个
    category: 保护
    kind: milestone
    comparator: ">="
    target: 1
    source: 建成县级知识产权保护工作站
    section: 二、发展目标
  - code: qx_case_days
    name: 专利侵权纠纷平均办案天数
    unit: 天
    category: 保护
    kind: level
    comparator: "<="
    target: 60
    nature: 约束性
    source: 专利侵权纠纷平均办案天数不超过60天
    section: 二、发展目标
"""

TASKS = """\
task_sections:
  - number: 一
    title: 提升知识产权创造质量
    tasks:
      - number: 1
        title: 培育高价值发明专利
        paragraphs:
          - text: 围绕县域特色产业开展专利导航，培育一批高价值发明专利。
            units_text: 县市场监管局牵头，县科技局按职责分工负责
            lead: [县市场监管局]
            by_duty: [县科技局]
      - number: 2
        title: 加强商标品牌建设
        paragraphs:
          - text: 实施商标品牌战略，推动地理标志产品保护。
            units_text: 县市场监管局负责
            lead: [县市场监管局]
  - number: 二
    title: 强化知识产权保护
    tasks:
      - number: 1
        title: 建设保护工作站
        paragraphs:
          - text: 建成县级知识产权保护工作站，开展快速维权。
            units_text: 县市场监管局、各乡镇按职责分工负责
            by_duty: [县市场监管局, 各乡镇]
"""

MILESTONES_ONLY = """\
categories: [保护]

goals:
  - code: qx_centre
    name: 建成县级知识产权保护工作站
    unit: 个
    category: 保护
    kind: milestone
    comparator: ">="
    target: 1
    source: 建成县级知识产权保护工作站
    section: 二、发展目标
  - code: qx_mediation
    name: 建成知识产权纠纷人民调解委员会
    unit: 个
    category: 保护
    kind: milestone
    comparator: ">="
    target: 1
    source: 建成知识产权纠纷人民调解委员会
    section: 二、发展目标
"""


def plan_text(plan_id: str = "qingxi-2026-2030", *, tasks: bool = True, regions: bool = True,
              milestones_only: bool = False) -> str:
    text = HEAD.format(id=plan_id) + (REGIONS if regions else "")
    text += MILESTONES_ONLY if milestones_only else BODY
    return text + (TASKS if tasks else "")


VARIANTS = {
    "qingxi-2026-2030": plan_text(),
    "qingxi-no-tasks": plan_text("qingxi-no-tasks", tasks=False),
    "qingxi-no-regions": plan_text("qingxi-no-regions", regions=False),
    "qingxi-milestones": plan_text("qingxi-milestones", tasks=False, regions=False, milestones_only=True),
}


def write_plan(directory: Path, text: str) -> Path:
    plan_id = yaml.safe_load(text)["plan"]["id"]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{plan_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def use_plan(monkeypatch, tmp_path: Path, text: str, *others: str) -> str:
    """Write the plan (and `others`) into tmp_path/plans, make it the default plan and a fresh
    database the store; returns its id."""
    plans = tmp_path / "plans"
    path = write_plan(plans, text)
    for other in others:
        write_plan(plans, other)
    monkeypatch.setenv("IPDATA_PLANS_DIR", str(plans))
    monkeypatch.setenv("IPDATA_PLAN", path.stem)
    monkeypatch.setenv("IPDATA_DB", str(tmp_path / "ipdata.duckdb"))
    return path.stem
