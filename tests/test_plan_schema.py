"""The plan schema says what real plans say (issue 13 item 4): every new key optional, each
checked, and an unknown key refused with the file and line."""

from pathlib import Path

import pytest

from ipdata.catalogue import load_plan, parse_plan
from ipdata.errors import IpdataError

HEAD = """\
plan:
  id: {id}
  title: 某市知识产权规划(2026-2030年)
  base_year: 2025
  target_year: 2030
  district: 全市
categories: [创造, 保护]
series:
  - {{code: population, name: 常住人口, unit: 万人}}
goals:
"""


def _plan(tmp_path: Path, goals: str, plan_id: str = "city-2026-2030") -> Path:
    path = tmp_path / f"{plan_id}.yaml"
    path.write_text(HEAD.format(id=plan_id) + goals, encoding="utf-8")
    return path


def _problems(path: Path) -> list:
    with pytest.raises(IpdataError) as info:
        load_plan(path)
    return info.value.problems


def test_a_base_value_and_a_growth_rate_give_the_target(tmp_path):
    # 年均增长10% over 2025 -> 2030: 6.3 x 1.1^5 = 6.3 x 1.61051 = 10.146213
    plan = load_plan(_plan(tmp_path, """\
  - {code: hv, name: 每万人口高价值发明专利拥有量, unit: 件, category: 创造, kind: level,
     comparator: ">=", base_value: 6.3, target_growth: 0.10, source: 年均增长10%}
"""))
    goal = plan.goal("hv")
    assert goal.target == pytest.approx(10.146213)
    assert goal.target_rule == "年均增长10%"
    assert goal.base_value == 6.3 and not goal.additive and not goal.is_count


def test_doubling_and_an_own_target_year(tmp_path):
    plan = load_plan(_plan(tmp_path, """\
  - {code: pledge, name: 知识产权质押融资登记金额, unit: 亿元, category: 创造, kind: level,
     comparator: ">=", base_value: 21.5, target_multiple: 2, target_year: 2028, source: 翻一番}
"""))
    goal = plan.goal("pledge")
    assert goal.target == 43.0 and goal.target_rule == "翻一番（基期值×2）"
    assert (plan.base_year_of(goal), plan.target_year_of(goal)) == (2025, 2028)
    assert goal.additive  # an amount of money adds up across regions


def test_a_growth_target_without_a_stated_base_waits_for_the_uploaded_base(tmp_path):
    goal = load_plan(_plan(tmp_path, """\
  - {code: marks, name: 有效注册商标量, unit: 件, category: 创造, kind: level,
     comparator: ">=", target_growth: 0.08, source: 年均增长8%}
""")).goal("marks")
    assert goal.target is None and goal.target_text() == "年均增长8%"


def test_interim_targets_set_the_final_target_and_year(tmp_path):
    goal = load_plan(_plan(tmp_path, """\
  - {code: hv, name: 每万人口高价值发明专利拥有量, unit: 件, category: 创造, kind: level,
     comparator: ">=", targets: {2030: 18, 2027: 12}, nature: 预期性, source: 2027年达12件、2030年达18件}
""")).goal("hv")
    assert goal.targets == ((2027, 12.0), (2030, 18.0))
    assert (goal.target, goal.nature) == (18.0, "预期性")


def test_a_rank_goal_is_a_position_among_peers(tmp_path):
    goal = load_plan(_plan(tmp_path, """\
  - {code: output_rank, name: 知识产权产出主要指标全省排名, unit: 名, category: 创造, kind: rank,
     peers: 全省县(市、区), tier: {name: 第一方阵, top: 10}, source: 进入全省第一方阵}
""")).goal("output_rank")
    assert (goal.is_rank, goal.comparator, goal.target, goal.direction) == (True, "<=", 10.0, "lower")
    assert not goal.additive and goal.display_decimals == 0
    assert goal.target_text() == "全省县(市、区)第一方阵（前10名）"


def test_an_unknown_key_is_refused_with_its_file_and_line(tmp_path):
    path = _plan(tmp_path, """\
  - code: hv
    name: 每万人口高价值发明专利拥有量
    unit: 件
    category: 创造
    kind: level
    comparator: ">="
    target: 12
    target_yaer: 2030
    source: 达12件
""")
    [problem] = _problems(path)
    assert problem.code == "plan-unknown-key"
    assert problem.column == "goals[0].target_yaer"
    # line 18 of the file: 10 lines of HEAD, then the goal's 8th key
    assert problem.message.startswith("city-2026-2030.yaml 第18行")
    assert "是否应为“target_year”" in problem.message  # the key it most likely meant


@pytest.mark.parametrize(("extra", "column", "words"), [
    ("nature: 指导性", "goals[0].nature", "约束性或预期性"),
    ("additive: 否", "goals[0].additive", "true 或 false"),
    ("target_growth: 10", "goals[0].target_growth", "10% 写作 0.10"),
    ("base_year: 2030", "goals[0].base_year", "应早于目标年"),
    ("targets: [12]", "goals[0].targets", "{年份: 目标值}"),
    ("target_multiple: 2", "goals[0].target_multiple", "只能写一个"),
    ("targets: {2024: 5}", "goals[0].targets", "不在基期(2025)之后"),
    ("targets: {2030: 11}", "goals[0].targets", "与 target(12)不一致"),
    ("target_year: 2025", "goals[0].target_year", "应晚于基期年"),
])
def test_new_keys_are_checked(tmp_path, extra, column, words):
    path = _plan(tmp_path, f"""\
  - code: hv
    name: 每万人口高价值发明专利拥有量
    unit: 件
    category: 创造
    kind: level
    comparator: ">="
    target: 12
    {extra}
    source: 达12件
""")
    problems = _problems(path)
    assert column in [p.column for p in problems]
    assert words in " ".join(p.message for p in problems)


def test_a_plan_file_is_named_after_its_id(tmp_path):
    path = _plan(tmp_path, """\
  - {code: hv, name: 每万人口高价值发明专利拥有量, unit: 件, category: 创造, kind: level,
     comparator: ">=", target: 12, source: 达12件}
""")
    copy = tmp_path / "city-2031-2035.yaml"
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    [problem] = _problems(copy)
    assert problem.code == "plan-file-name" and "city-2026-2030.yaml" in problem.message


def test_the_digest_ignores_comments_but_not_targets(tmp_path):
    goals = """\
  - {code: hv, name: 每万人口高价值发明专利拥有量, unit: 件, category: 创造, kind: level,
     comparator: ">=", target: 12, source: 达12件}
"""
    base = load_plan(_plan(tmp_path, goals))
    text = base.text
    commented = parse_plan("# 说明\n" + text, "city-2026-2030.yaml")
    changed = parse_plan(text.replace("target: 12", "target: 13"), "city-2026-2030.yaml")
    assert commented.digest == base.digest and changed.digest != base.digest


def test_a_plan_without_tasks_regions_or_numeric_goals_loads(tmp_path):
    plan = load_plan(_plan(tmp_path, """\
  - {code: centre, name: 建成知识产权保护中心, unit: 项, category: 保护, kind: milestone,
     comparator: ">=", target: 1, source: 建成知识产权保护中心}
"""))
    assert (plan.tasks, plan.regions, plan.task_count()) == ((), (), 0)
    assert plan.name == "某市知识产权规划(2026-2030年)监测" and plan.tasks_heading == "重点任务"


def test_every_plan_key_is_documented():
    from ipdata.catalogue import KEYS

    doc = (Path(__file__).resolve().parent.parent / "docs/plan-schema.md").read_text(encoding="utf-8")
    missing = sorted({k for keys in KEYS.values() for k in keys if f"`{k}`" not in doc})
    assert missing == []


TASKS = """\
task_sections:
  - number: 一
    title: 提升创造质量
    tasks:
      - number: 1
        title: 培育高价值专利
        paragraphs:
          - {text: 甲段, lead: [区科技局], by_duty: [各镇]}
          - {text: 乙段, lead: [区市场监管局, 区科技局]}
"""


def test_a_goal_names_its_key_tasks_and_so_its_units(tmp_path):
    goals = """\
  - {code: hv, name: 每万人口高价值发明专利拥有量, unit: 件, category: 创造, kind: level,
     comparator: ">=", target: 12, source: 达12件, tasks: [一.1]}
  - {code: pledge, name: 质押金额, unit: 亿元, category: 创造, kind: level,
     comparator: ">=", target: 2, source: 达2亿元, tasks: [一.1.2]}
"""
    path = _plan(tmp_path, goals + TASKS)
    plan = load_plan(path)
    assert [t.id for t in plan.tasks_of(plan.goal("hv"))] == ["一.1.1", "一.1.2"]
    assert plan.units_of(plan.goal("hv")) == ("区科技局", "区市场监管局", "各镇")
    assert plan.units_of(plan.goal("pledge")) == ("区市场监管局", "区科技局")
    path.write_text(path.read_text(encoding="utf-8").replace("tasks: [一.1.2]", "tasks: [一.2]"), encoding="utf-8")
    [problem] = _problems(path)
    assert problem.column == "goals[1].tasks" and "没有编号为“一.2”的任务" in problem.message
