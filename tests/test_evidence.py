"""Evidence per goal (issue 14 item 6): the status rule that applied, with its figures worked out
by hand (docs/method.md §3, §11), and the 口径 / 数据来源 / 所用数据 / 统计时点 / 责任单位 / 备注
a leader can cite. Each expectation is a sentence a person reads; moving a bound changes it."""

from __future__ import annotations

import dataclasses
import io

import pandas as pd
import pytest

from ipdata.catalogue import load_plan
from ipdata.evidence import NO_AS_OF, NO_DEFINITION, NO_SOURCE, NO_TASKS, evidence, status_rule
from ipdata.trajectory import DEFAULT, Thresholds, compute

PLAN = load_plan("tongzhou-2022-2025")


def values(csv: str) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO("\n".join(x.strip() for x in csv.strip().splitlines())))
    for col, default in (("region", "全区"), ("source", None), ("note", None), ("revision_id", 1), ("is_demo", False)):
        if col not in frame:
            frame[col] = default
    frame["source"] = frame["source"].astype(object).where(frame["source"].notna(), None)
    return frame


def rule(code: str, csv: str, thresholds: Thresholds = DEFAULT) -> str:
    v = values(csv)
    row = compute(PLAN, v, thresholds=thresholds).set_index("code").loc[code]
    return status_rule(PLAN.goal(code), row, thresholds)


def hv(*pairs: tuple[int, float]) -> str:
    return "series,year,value\n" + "\n".join(f"hv_invention_per10k,{y},{x}" for y, x in pairs)


@pytest.mark.parametrize(("csv", "expected"), [
    # method.md §2: c = 6.7 ÷ 9.8 = 68.4 %, s = 3 ÷ 4 = 75 %, q = 0.912
    (hv((2021, 8.2), (2022, 10.5), (2023, 12.6), (2024, 14.9)),
     "完成进度68.4% ≥ 序时进度75%×0.9（进度比0.91） → 基本符合预期"),
    # q exactly 0.9 (method.md §3: 2.7 ÷ 12 ÷ 0.25 is 0.8999999999999998 in a computer): on the bound
    (hv((2021, 6), (2022, 8.7)), "完成进度22.5% ≥ 序时进度25%×0.9（进度比0.90） → 基本符合预期"),
    # c = 3.8 ÷ 9.8 = 38.8 %, q = 0.517
    (hv((2021, 8.2), (2024, 12)), "完成进度38.8% < 序时进度75%×0.9（进度比0.52） → 滞后"),
    # c = 7.8 ÷ 9.8 = 79.6 %, q = 1.061
    (hv((2021, 8.2), (2024, 16)), "完成进度79.6% ≥ 序时进度75%（进度比1.06） → 快于预期"),
    # c = −1.2 ÷ 9.8 = −12.2 %
    (hv((2021, 8.2), (2024, 7)), "完成进度-12.2% < 0（比基期更远离目标） → 倒退"),
    (hv((2021, 8.2), (2024, 18.5)), "2024年18.5件，满足目标≥18件 → 已完成"),
    # 17.96 is not 18.0 beside a target it misses: shown 17.96, 差0.04件 (rounding.py)
    (hv((2021, 8.2), (2025, 17.96)), "目标年2025年17.96件，未满足目标≥18件（差0.04件） → 未完成"),
    # method.md §3 trend: 1000 → 1300 is +30 %; 1000 → 1009.99 is +0.999 %, below the 1 % bound
    ("series,year,value\nlicense_trade,2021,1000\nlicense_trade,2023,1300",
     "2021年至2023年变化+30%，绝对值 ≥ 1% → 增长"),
    ("series,year,value\nlicense_trade,2021,1000\nlicense_trade,2022,1009.99",
     "2021年至2022年变化+0.999%，绝对值 < 1% → 持平"),
    ("series,year,value\nlicense_trade,2021,1000\nlicense_trade,2022,990",
     "2021年至2022年变化-1%，绝对值 ≥ 1% → 下降"),
    ("series,year,value\nops_platform,2021,0\nops_platform,2023,1", "2023年填报已建成 → 已建成"),
    ("series,year,value\nops_platform,2021,0\nops_platform,2023,0", "截至2023年尚未建成（目标：2025年前建成） → 未建成"),
    # cumulative: 6 + 8 + 9 = 23 of 30 = 76.7 %, q = 1.022 (method.md §2)
    ("series,year,value\noverseas_patents_new,2021,5\noverseas_patents_new,2022,6\n"
     "overseas_patents_new,2023,8\noverseas_patents_new,2024,9",
     "完成进度76.7% ≥ 序时进度75%（进度比1.02） → 快于预期"),
])
def test_the_rule_that_applied_with_its_figures(csv, expected):
    code = values(csv)["series"].iloc[0]
    assert rule(code, csv) == expected


def test_a_moved_threshold_is_said_with_its_own_figure():
    csv = hv((2021, 8.2), (2022, 10.5), (2023, 12.6), (2024, 14.9))  # q = 0.912
    assert rule("hv_invention_per10k", csv, Thresholds(on_track=0.95)) == (
        "完成进度68.4% < 序时进度75%×0.95（进度比0.91） → 滞后")
    assert rule("hv_invention_per10k", csv, Thresholds(ahead=0.9, on_track=0.8)) == (
        "完成进度68.4% ≥ 序时进度75%×0.9（进度比0.91） → 快于预期")


def test_no_data_and_a_region_without_target_say_the_engine_s_reason():
    text = rule("hv_invention_per10k", "series,year,value\npopulation,2021,120")
    assert text.endswith(" → 数据不足") and len(text) > len(" → 数据不足")
    v = values("series,year,value,region\nip_standard_units_new,2022,3,川姜镇\nip_standard_units_new,2023,4,川姜镇")
    row = compute(PLAN, v, region="川姜镇").set_index("code").loc["ip_standard_units_new"]
    assert status_rule(PLAN.goal("ip_standard_units_new"), row).endswith(" → 无分解目标")


def test_a_rank_is_judged_by_its_position_not_by_progress():
    csv = "series,year,value,source\nip_output_rank,2024,8,省局2024年考核通报"
    assert rule("ip_output_rank", csv) == "2024年在全省县(市、区)中排第8名 ≤ 前10名 → 达成"
    csv = "series,year,value,source\nip_output_rank,2025,12,省局2025年考核通报"
    assert rule("ip_output_rank", csv) == "2025年在全省县(市、区)中排第12名 > 前10名 → 未达成"
    assert rule("ip_output_rank", "series,year,value\npopulation,2021,1") == "尚未上传排名 → 数据不足"


def test_evidence_when_the_plan_says_little():
    """A goal whose plan entry has no 口径, 来源, 时点 or tasks says so, in words."""
    code = "genuine_goods_demo_new"  # 新增省级“正版正货”示范街区和行业: no tasks key in the plan
    assert PLAN.goal(code).tasks == ()
    v = values("series,year,value\npopulation,2021,1").iloc[0:0]
    row = compute(PLAN, v).set_index("code").loc[code]
    e = evidence(PLAN, code, row, v)
    assert (e.definition, e.data_source, e.as_of) == (NO_DEFINITION, NO_SOURCE, NO_AS_OF)
    assert e.units == NO_TASKS and e.uploads == () and e.notes == ()
    assert dict(e.items())["所用数据"] == "尚未上传数据"
    assert "备注" not in dict(e.items())


def test_evidence_cites_the_plan_the_values_used_and_the_notes():
    goal = dataclasses.replace(PLAN.goal("hv_invention_per10k"), definition="有效高价值发明专利 ÷ 常住人口",
                               data_source="区市场监管局", as_of="每年12月31日")
    plan = dataclasses.replace(PLAN, goals=tuple(goal if g.code == goal.code else g for g in PLAN.goals))
    v = values("""series,year,value,source,revision_id
                  hv_invention_per10k,2021,8.2,2021年统计年报,1
                  hv_invention_per10k,2022,10.5,2022年统计年报,1
                  hv_invention_per10k,2024,14.9,2024年统计快报,3""")
    notes = pd.DataFrame([{"goal": goal.code, "year": 2023, "kind": "口径变化", "text": "新口径", "revision_id": 4},
                          {"goal": goal.code, "year": 0, "kind": "政策事件", "text": "资助办法", "revision_id": 5},
                          {"goal": "license_trade", "year": 0, "kind": "其他", "text": "别的指标", "revision_id": 6}])
    row = compute(plan, v).set_index("code").loc[goal.code]
    assert dict(evidence(plan, goal.code, row, v, notes).items()) == {
        "口径": "有效高价值发明专利 ÷ 常住人口",
        "数据来源": "区市场监管局",
        # the base (2021) and the latest year (2024) decide the status; 2022 does not
        "所用数据": "2021年：2021年统计年报（第1版）；2024年：2024年统计快报（第3版）",
        "统计时点": "每年12月31日",
        "责任单位": "区市场监管局(知识产权局)、区科技局、南通高新区、各镇(街道)（相关任务：二.1.1、二.1.2）",
        "判定": "完成进度68.4% ≥ 序时进度75%×0.9（进度比0.91） → 基本符合预期",
        "备注": "政策事件：资助办法；2023年 口径变化：新口径",
    }


def test_a_ratio_computed_from_its_count_cites_count_and_denominator():
    v = values("""series,year,value,source,revision_id
                  hv_invention_count,2021,984,专利统计,1
                  population,2021,120,统计年鉴,1
                  hv_invention_count,2024,1800,专利统计,2
                  population,2024,121,统计年鉴,2""")
    row = compute(PLAN, v).set_index("code").loc["hv_invention_per10k"]
    e = evidence(PLAN, "hv_invention_per10k", row, v)
    assert e.uploads == ("2021年、2024年高价值发明专利拥有量：专利统计（第1、2版）",
                         "2021年、2024年常住人口：统计年鉴（第1、2版）")


def test_a_running_total_cites_every_year_it_adds():
    v = values("""series,year,value,source
                  overseas_patents_new,2021,5,甲
                  overseas_patents_new,2022,6,甲
                  overseas_patents_new,2023,8,
                  overseas_patents_new,2024,9,乙""")
    row = compute(PLAN, v).set_index("code").loc["overseas_patents_new"]
    # the base year's 5 is not part of the total (method.md §1)
    assert evidence(PLAN, "overseas_patents_new", row, v).uploads == (
        "2022年：甲（第1版）", "2023年：上传时未填写来源（第1版）", "2024年：乙（第1版）")
