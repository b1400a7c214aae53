"""The plan as data: every target of 三、主要目标 and 四(六)1, the 27 task paragraphs, the phases."""

import datetime as dt
import re
from pathlib import Path

import pytest

from ipdata.catalogue import load_plan, normalise_name, plan_files
from ipdata.errors import IpdataError

ROOT = Path(__file__).resolve().parent.parent
PLAN = load_plan(ROOT / "data/plans/tongzhou-2022-2025.yaml")

# The table, typed by hand from the plan text: name, unit, kind, comparator, target.
EXPECTED_GOALS = [
    ("万人高价值发明专利拥有量", "件", "level", ">=", 18),
    ("新增海外专利授权", "件", "cumulative", ">=", 30),
    ("马德里商标注册量累计", "件", "level", ">=", 70),
    ("万人作品著作权登记量", "件", "level", ">=", 800),
    ("专利密集型产业增加值占GDP比重", "%", "level", ">=", 16),
    ("版权产业增加值占GDP比重", "%", "level", ">=", 8.6),
    ("知识产权质押登记担保金额", "亿元", "level", ">", 20),
    ("案件结案率", "%", "level", ">=", 90),
    ("全社会知识产权满意度", "%", "level", ">", 85),
    ("新增省级“正版正货”示范街区和行业", "个", "cumulative", ">=", 2),
    ("新增贯标单位", "家", "cumulative", ">=", 80),
    ("新增国家知识产权优势示范企业", "家", "cumulative", ">=", 6),
    ("万企有效注册商标企业数", "家", "level", ">=", 1400),
    ("知识产权服务机构从业人员", "人", "level", ">=", 200),
    ("培训各类知识产权人才", "人次", "cumulative", ">=", 2400),
    ("组织各类知识产权培训", "次", "cumulative", ">=", 15),
]


def test_plan_period_and_categories():
    assert (PLAN.base_year, PLAN.target_year) == (2021, 2025)
    assert PLAN.categories == ("创造", "运用", "保护", "管理", "服务", "人才")
    assert PLAN.district == "全区"


@pytest.mark.parametrize(("name", "unit", "kind", "comparator", "target"), EXPECTED_GOALS)
def test_quantitative_goal(name, unit, kind, comparator, target):
    goal = next(g for g in PLAN.goals if g.name == name)
    assert (goal.unit, goal.kind, goal.comparator, goal.target) == (unit, kind, comparator, target)
    assert goal.category in PLAN.categories


def test_milestones_and_trend_goals():
    assert sorted(g.name for g in PLAN.goals if g.kind == "milestone") == sorted(
        ["建成区级重点产业知识产权运营平台", "建成省级知识产权保护示范区", "建成知识产权公共服务平台"]
    )
    trend = [g for g in PLAN.goals if g.kind == "trend"]
    assert [(g.name, g.direction, g.target) for g in trend] == [("知识产权许可转让贸易额", "higher", None)]
    # 16 numbers + 3 milestones + 1 trend + 1 rank (进入全省第一方阵, added in issue 13)
    assert len(PLAN.goals) == 21


def test_per_10k_goals_derive_from_counts():
    derived = {g.name: (g.derive.denominator, g.derive.factor) for g in PLAN.goals if g.derive}
    assert derived == {
        "万人高价值发明专利拥有量": ("population", 1),
        "万人作品著作权登记量": ("population", 1),
        "万企有效注册商标企业数": ("enterprises", 10000),
    }
    assert {s.code: s.unit for s in PLAN.context} == {"population": "万人", "enterprises": "户", "gdp": "亿元"}


def _plain(text: str) -> str:
    return re.sub(r"[\s,，。;；:：“”\"]", "", normalise_name(text))


def test_every_goal_quotes_the_plan():
    text = _plain((ROOT / "data/plans/tongzhou-2022-2025.source.txt").read_text(encoding="utf-8"))
    for goal in PLAN.goals:
        for fragment in re.split(r"[;；]|……", goal.source):
            assert _plain(fragment) in text, (goal.code, fragment)


def test_key_tasks_23_tasks_27_paragraphs():
    assert PLAN.task_count() == 23
    assert len(PLAN.tasks) == 27
    by_section = {}
    for t in PLAN.tasks:
        by_section.setdefault(t.section_number, set()).add(t.task_number)
    assert {k: len(v) for k, v in by_section.items()} == {"一": 3, "二": 3, "三": 5, "四": 7, "五": 3, "六": 2}
    assert [t.id for t in PLAN.tasks if t.section_number == "二"] == [
        "二.1.1", "二.1.2", "二.2.1", "二.2.2", "二.2.3", "二.3.1", "二.3.2"]


@pytest.mark.parametrize(
    ("task_id", "lead", "by_duty"),
    [
        ("一.1.1", ("区市场监管局(知识产权局)",), ("区知识产权工作领导小组成员单位",)),
        ("一.3.1", (), ("区市场监管局(知识产权局)", "南通高新区", "各镇(街道)")),
        ("二.3.1", (), ("区新闻出版局", "川姜镇")),
        ("四.5.1", ("区市场监管局(知识产权局)",), ("区人民法院", "区司法局", "中国南通(家纺)知识产权快速维权中心")),
        ("四.6.1", ("中国南通(家纺)知识产权快速维权中心",), ()),
        ("六.1.1", (), ("区委组织部", "区市场监管局(知识产权局)")),
    ],
)
def test_task_units(task_id, lead, by_duty):
    task = next(t for t in PLAN.tasks if t.id == task_id)
    assert (task.lead, task.by_duty) == (lead, by_duty)


def test_phases():
    assert [(p.name, p.start, p.end) for p in PLAN.phases] == [
        ("宣传动员阶段", dt.date(2022, 8, 1), dt.date(2022, 12, 31)),
        ("组织实施阶段", dt.date(2023, 1, 1), dt.date(2025, 4, 30)),
        ("总结验收阶段", dt.date(2025, 5, 1), dt.date(2025, 7, 31)),
    ]


def test_every_plan_file_validates():
    files = plan_files(ROOT / "data/plans")
    assert files, "no plan files found"
    for path in files:
        assert load_plan(path).goals


NEXT_PLAN = """
plan: {id: next-2026-2030, title: 下一轮方案(2026-2030年), base_year: 2025, target_year: 2030}
categories: [创造, 保护]
series:
  - {code: population, name: 常住人口, unit: 万人}
goals:
  - {code: hv_invention_per10k, name: 万人高价值发明专利拥有量, unit: 件, category: 创造,
     kind: level, comparator: ">=", target: 30, source: 达30件}
  - {code: case_days, name: 案件平均办结天数, unit: 天, category: 保护, kind: level,
     comparator: "<=", target: 45, source: 压缩至45天以内}
"""


def test_next_plan_is_just_a_new_file(tmp_path):
    path = tmp_path / "next-2026-2030.yaml"
    path.write_text(NEXT_PLAN, encoding="utf-8")
    plan = load_plan(path)
    assert (plan.id, plan.base_year, plan.target_year) == ("next-2026-2030", 2025, 2030)
    assert [(g.code, g.direction) for g in plan.goals] == [
        ("hv_invention_per10k", "higher"), ("case_days", "lower")]
    assert list(plan.years) == [2025, 2026, 2027, 2028, 2029, 2030]


BROKEN_PLAN = """
plan: {id: broken, title: 坏文件, base_year: 2025, target_year: 2021}
categories: [创造]
goals:
  - {code: a, name: 指标甲, unit: 件, category: 创造, kind: level, comparator: ">=", source: x}
  - {code: b, name: 指标乙, unit: 件, category: 运用, kind: growth, comparator: "=>", target: 5,
     source: y, aliases: [指标甲]}
"""


def test_broken_plan_lists_every_problem(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_PLAN, encoding="utf-8")
    with pytest.raises(IpdataError) as info:
        load_plan(path)
    assert [(p.column, p.code) for p in info.value.problems] == [
        ("plan.target_year", "plan-invalid"),
        ("goals[0].target", "plan-invalid"),
        ("goals[1].kind", "plan-invalid"),
        ("goals[1].category", "plan-invalid"),
        ("goals[1].comparator", "plan-invalid"),
        ("b", "plan-invalid"),
    ]
    assert "目标年(2021)应晚于基期年(2025)" in info.value.user_text()
    assert "“指标甲”同时属于“a”和“b”" in info.value.user_text()


def test_plan_file_that_is_not_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("plan: [unclosed", encoding="utf-8")
    with pytest.raises(IpdataError, match="不是有效的 YAML"):
        load_plan(path)


def test_missing_plan_file(tmp_path):
    with pytest.raises(IpdataError, match="找不到规划文件"):
        load_plan(tmp_path / "nope.yaml")


def test_tongzhou_regions_are_listed_with_their_level_word():
    # 4 街道, 12 镇 and 南通高新区, as the plan file cites (end of 2020)
    assert PLAN.region_level == "镇(街道)"
    names = PLAN.region_names
    assert len(names) == 17 and names[0] == "南通高新区"
    assert sum(n.endswith("街道") for n in names) == 4 and sum(n.endswith("镇") for n in names) == 12
    assert "高新区" in PLAN.regions[0].aliases
    assert (PLAN.checks.yoy_change, PLAN.checks.target_ratio) == (1.0, 3.0)


def _with(tmp_path, extra: str) -> Path:
    text = (ROOT / "data/plans/tongzhou-2022-2025.yaml").read_text(encoding="utf-8")
    start = text.index("\nregions:")
    end = text.index("\ncategories:")
    path = tmp_path / "tongzhou-2022-2025.yaml"
    path.write_text(text[:start] + "\n" + extra + text[end:], encoding="utf-8")
    return path


def test_a_plan_without_regions_or_checks_loads(tmp_path):
    plan = load_plan(_with(tmp_path, ""))
    assert plan.regions == () and plan.checks.yoy_change == 1.0


@pytest.mark.parametrize("block, where, words", [
    ("regions:\n  - name: 川姜镇\n    aliases: [川姜]\n  - name: 川港镇\n    aliases: [川姜]\n", "regions[1]", "同时属于“川姜镇”和“川港镇”"),
    ("regions:\n  - name: 通州区\n", "regions[0]", "已是全区"),
    ("regions:\n  - aliases: [x]\n", "regions[0].name", "缺少必填项“name”"),
    ("checks:\n  yoy_change: -1\n", "checks.yoy_change", "应为正数"),
    ("checks:\n  yoy: 1\n", "checks.yoy", "没有“yoy”这一项"),
])
def test_bad_region_lists_and_checks_are_named(tmp_path, block, where, words):
    with pytest.raises(IpdataError) as e:
        load_plan(_with(tmp_path, block))
    found = [(p.column, p.message) for p in e.value.problems]
    assert any(col == where and words in msg for col, msg in found), found
