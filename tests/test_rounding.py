"""Round once, say it consistently (issue 14, items 1-3): the rounding rule itself, the plan's
`decimals`, and the sentences it gives for the cases leaders quote. Every expected text is
written out by hand, with the arithmetic beside it."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from ipdata import rounding as R
from ipdata.catalogue import Goal, load_plan
from ipdata.errors import IpdataError
from ipdata.scorecard import tiles
from ipdata.trajectory import compute, to_records
from ipdata.views import goal_data_table, methods_table, region_table, status_table

ROOT = Path(__file__).resolve().parent.parent
PLAN = load_plan("tongzhou-2022-2025")
# Goals this plan does not have, common in the next: lower is better, and a target of 0.
BACKLOG = Goal(code="backlog_rate", name="知识产权积案率", unit="%", category="保护", kind="level",
               comparator="<=", target=5.0, direction="lower", source="积案率降至5%以下", section="测试")
ZERO = Goal(code="major_cases", name="重大知识产权侵权案件", unit="件", category="保护", kind="level",
            comparator="<=", target=0.0, direction="lower", source="不发生重大侵权案件", section="测试")
PLAN_X = dataclasses.replace(PLAN, goals=(*PLAN.goals, BACKLOG, ZERO))


def row(code: str, values: dict[int, float], plan=PLAN_X) -> dict:
    rows = [(code, "全区", y, v) for y, v in values.items()]
    df = compute(plan, pd.DataFrame(rows, columns=["series", "region", "year", "value"]))
    return to_records(df[df["code"] == code])[0]


# --- the rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("x", "decimals", "text"), [
    (2.5, 0, "3"), (3.5, 0, "4"), (0.5, 0, "1"),  # half up: Python's round gives 2, 4, 0
    (0.125, 2, "0.13"), (2.675, 2, "2.68"),  # binary 2.67499999… is the 2.675 a person typed
    (1.15, 1, "1.2"), (1.1499999999999999, 1, "1.2"),  # float noise cleaned before rounding
    (-2.5, 0, "-3"), (-0.04, 1, "0.0"), (-0.0, 0, "0"),  # no "-0"
    (0.1 + 0.2, 1, "0.3"), (14.94, 1, "14.9"), (2366.67, 0, "2367"), (20.0, 2, "20.00"),
    (87710 / 125.3, 0, "700"),
])
def test_half_up(x, decimals, text):
    assert R.number(x, decimals) == text


@pytest.mark.parametrize("x", [None, float("nan"), pd.NA, float("inf")])
def test_nothing_to_show_is_a_dash_never_none_or_nan(x):
    assert R.number(x, 1) == "—" and R.percent(x) == "—" and R.Rule(1, 70.0, ">=").value(x, "件") == "—"


@pytest.mark.parametrize(("unit", "is_count", "decimals"), [
    ("件", True, 0), ("人次", True, 0), ("家", True, 0), ("%", False, 1), ("亿元", False, 2),
    ("万元", False, 1), ("件", False, 1), ("万人", False, 1)])  # 件 not a count: a per-10,000 ratio
def test_default_decimals_per_unit(unit, is_count, decimals):
    assert R.default_decimals(unit, is_count) == decimals


def test_plan_decimals_and_defaults():
    assert {g.code: g.display_decimals for g in PLAN.goals if g.code in (
        "hv_invention_per10k", "overseas_patents_new", "copyright_reg_per10k", "case_closure_rate",
        "ip_pledge_amount", "trademark_firms_per10k_ent", "license_trade")} == {
        "hv_invention_per10k": 1, "overseas_patents_new": 0, "copyright_reg_per10k": 0,
        "case_closure_rate": 1, "ip_pledge_amount": 2, "trademark_firms_per10k_ent": 0,
        "license_trade": 0}


@pytest.mark.parametrize(("value", "error"), [(-1, True), (7, True), (1.5, True), (True, True),
                                               ("2", True), (0, False), (6, False)])
def test_plan_decimals_are_validated(tmp_path, value, error):
    text = (ROOT / "data/plans/tongzhou-2022-2025.yaml").read_text(encoding="utf-8")
    text = text.replace("    target: 18\n", f"    target: 18\n    decimals: {value!r}\n", 1)
    path = tmp_path / "tongzhou-2022-2025.yaml"
    path.write_text(text, encoding="utf-8")
    if error:
        with pytest.raises(IpdataError) as exc:
            load_plan(path)
        [problem] = exc.value.problems
        assert problem.column == "goals[0].decimals" and "decimals 应为 0 到 6 之间的整数" in problem.message
    else:
        assert load_plan(path).goal("hv_invention_per10k").display_decimals == value


@pytest.mark.parametrize(("rule", "x", "text"), [
    (R.Rule(0, 70.0, ">="), 69.6, "69.6"),  # 70 would read as met
    (R.Rule(0, 70.0, ">="), 69.64, "69.6"),
    (R.Rule(0, 70.0, ">="), 69.96, "69.96"),  # 70 and 70.0 would both read as met
    (R.Rule(0, 70.0, ">="), 70.4, "70"),  # met, and 70 meets ≥70
    (R.Rule(0, 70.0, ">="), 61.0, "61"),  # counts are whole where whole tells the truth
    (R.Rule(1, 85.0, ">"), 85.04, "85.04"),  # 85.0 would not exceed 85
    (R.Rule(1, 85.0, ">"), 85.0, "85.0"),
    (R.Rule(1, 5.0, "<="), 5.04, "5.04"),  # lower is better: 5.0 would read as met
    (R.Rule(1, 0.75, ">="), 0.8, "0.80"),  # a target written with 2 decimals gives 2
    (R.Rule(1), 69.96, "70.0"),  # no target: the goal's decimals only
])
def test_a_figure_is_never_shown_on_the_wrong_side_of_its_target(rule, x, text):
    assert rule.text(x) == text


@pytest.mark.parametrize(("rule", "x", "unit", "short"), [
    (R.Rule(0, 70.0, ">="), 69.6, "件", "差0.4件"),  # 70 − 69.6, both as printed
    (R.Rule(0, 70.0, ">="), 69.64, "件", "差0.4件"),  # 69.6 shown: the gap is to what is shown
    (R.Rule(1, 90.0, ">="), 89.0, "%", "差1.0个百分点"),  # percentages differ in points
    (R.Rule(1, 85.0, ">"), 85.0, "%", "恰为目标值，尚未超过"),  # never "差0.0%"
    (R.Rule(1, 5.0, "<"), 5.0, "%", "恰为目标值，尚未低于"),  # 低于5%: 5 is not below 5
    (R.Rule(0, 2.0, ">="), 1.5, "个", "差0.5个"),  # never "2个 … 差0个"
])
def test_shortfall(rule, x, unit, short):
    assert R.shortfall(rule, x, unit) == short


@pytest.mark.parametrize(("args", "text"), [
    ((0.75,), "75%"), ((0.683673,), "68.4%"), ((1 / 3,), "33.3%"), ((-0.0001,), "0%"),
    ((0.99996, (1.0,)), "99.996%"),  # not done: never "100%"
    ((1.0, (1.0,)), "100%"), ((1.3333,), "133.3%")])
def test_percent(args, text):
    assert R.percent(*args) == text


@pytest.mark.parametrize(("x", "text"), [(0.911565, "0.91"), (0.8999, "0.8999"),
                                          (0.8999999999999998, "0.90"), (0.94999, "0.94999"),
                                          (1.0, "1.00")])
def test_ratios_stay_in_their_class(x, text):
    assert R.classed(x, (0.9, 1.0, 0.95, 0.6, 0.0)) == text


@pytest.mark.parametrize(("x", "text"), [(18.0, "18"), (8.6, "8.6"), (0.75, "0.75"), (1e-6, "0.000001"),
                                          (2400.0, "2400")])
def test_targets_as_written(x, text):
    assert R.target_number(x) == text


# --- item 1: the sentences of the issue -----------------------------------------------------------


@pytest.mark.parametrize(("code", "values", "sentence"), [
    # running total 0+1+0 = 1 of ≥2; line through (2021,0),(2022,0),(2023,1),(2024,1): slope 0.4,
    # mean 0.5 at 2022.5, 2025: 0.5 + 0.4 × 2.5 = 1.5 → shown 1.5 (2 would meet ≥2), short 0.5
    ("genuine_goods_demo_new", {2022: 0, 2023: 1, 2024: 0},
     "截至2024年，新增省级“正版正货”示范街区和行业2022年以来累计1个，完成目标进度的50%，序时进度75%，"
     "滞后；按2021年以来趋势，预计2025年达到1.5个，距目标尚差0.5个。"),
    # 69.6 of ≥70 in 2025: not met, 0.4 short, 69.6 / 70 = 99.43 %
    ("madrid_marks_total", {2021: 40, 2023: 55, 2025: 69.6},
     "截至2025年，马德里商标注册量累计为69.6件，未完成目标（≥70件），差0.4件，为目标的99.4%。"),
    # exactly 85 of >85: not met, and not "差0.0%, 为目标的100%"
    ("ip_satisfaction", {2021: 80, 2023: 83, 2025: 85},
     "截至2025年，全社会知识产权满意度为85.0%，未完成目标（>85%），恰为目标值，尚未超过。"),
    # 89 of ≥90: 1 percentage point short, 89/90 = 98.9 %
    ("case_closure_rate", {2021: 80, 2025: 89},
     "截至2025年，案件结案率为89.0%，未完成目标（≥90%），差1.0个百分点，为目标的98.9%。"),
    # a count projected at x.5 rounds half up: line through (2022,100),(2024,103): slope 1.5,
    # 2025: 104.5 → 105 (banker's rounding would say 104); 200 − 105 = 95
    ("ip_service_staff", {2022: 100, 2024: 103},
     "截至2024年，知识产权服务机构从业人员为103人，完成目标进度的3%，序时进度66.7%，滞后；"
     "按2022年以来趋势，预计2025年达到105人，距目标尚差95人。"),
    # 87710 / 125.3 = 700.0 works per 10,000 residents; the plan says decimals: 0 → 700件
    ("copyright_reg_per10k", {2021: 500, 2024: 87710 / 125.3},
     "截至2024年，万人作品著作权登记量为700件，完成目标进度的66.7%，序时进度75%，滞后；"
     "按2021年以来趋势，预计2025年达到767件，距目标尚差33件。"),
])
def test_issue_sentences(code, values, sentence):
    assert row(code, values)["narrative"] == sentence


def test_tiles_and_table_print_the_sentence_figures():
    frame = compute(PLAN, pd.DataFrame(
        [("madrid_marks_total", "全区", 2021, 40), ("madrid_marks_total", "全区", 2025, 69.6),
         ("ip_satisfaction", "全区", 2021, 80), ("ip_satisfaction", "全区", 2025, 85),
         ("case_closure_rate", "全区", 2021, 80), ("case_closure_rate", "全区", 2025, 92.45)],
        columns=["series", "region", "year", "value"]))
    t = tiles(PLAN, frame).set_index("code")
    assert t.loc["madrid_marks_total", ["value_text", "gap_text"]].tolist() == ["69.6件", "差0.4件"]
    assert t.loc["ip_satisfaction", ["value_text", "gap_text"]].tolist() == ["85.0%", "恰为目标值，尚未超过"]
    # 92.45 half up is 92.5 (binary 92.4499… would print 92.4); 92.5 − 90 = 2.5 points
    assert t.loc["case_closure_rate", ["value_text", "gap_text"]].tolist() == ["92.5%", "超出2.5个百分点"]
    table = status_table(PLAN, frame).set_index("指标")
    assert table.loc["马德里商标注册量累计", "最新值"] == "69.6"
    assert table.loc["万人高价值发明专利拥有量", ["最新年份", "最新值", "完成进度"]].tolist() == ["—", "—", "—"]
    assert "None" not in table.to_string() and "nan" not in table.to_string()


def test_a_not_done_goal_is_never_at_100_percent_completion():
    # 80 → 89.996 of ≥90 in 2024: c = 9.996 / 10 = 99.96 %, shown 99.96 % (100 % would read as done)
    got = row("case_closure_rate", {2021: 80, 2024: 89.996})
    assert got["status"] == "快于预期"
    assert "完成目标进度的99.96%" in got["narrative"] and "为89.996%" in got["narrative"]


# --- item 2: projections that can happen --------------------------------------------------------


def test_a_rate_is_projected_within_100_percent():
    # 80, 90, 95, 99: slope 6.2, mean 91 at 2022.5 → 106.5 in 2025, band above it: all clipped to 100
    got = row("case_closure_rate", {2021: 80, 2022: 90, 2023: 95, 2024: 99})
    assert (got["projected"], got["projected_high"]) == (100.0, 100.0)
    assert got["projected_low"] <= 100.0
    assert "预测（或其区间）超过100%的部分按100%截断" in got["notes"]


def test_a_count_is_never_projected_below_zero():
    # 200, 150, 90, 40: slope −270 / 5 = −54, mean 120 at 2022.5 → −15 in 2025: 0 people, band ≥ 0
    got = row("ip_service_staff", {2021: 200, 2022: 150, 2023: 90, 2024: 40})
    assert got["projected"] == 0.0 and got["projected_low"] == 0.0 and got["projected_high"] >= 0.0
    assert "预测（或其区间）低于0的部分按0截断" in got["notes"]


def test_a_running_total_and_its_band_never_fall_below_what_is_reached():
    # 30 then nothing: totals 0, 30, 31, 31 → the line's 2025 value 46.5, its band's low end
    # below 31: clipped to the 31 already reached
    got = row("ip_standard_units_new", {2022: 30, 2023: 1, 2024: 0})
    assert got["latest_value"] == 31.0
    assert got["projected_low"] == 31.0 and got["projected"] >= 31.0
    assert "预测（或其区间）低于已达到的累计数的部分按已达到的累计数截断" in got["notes"]
    # nothing clipped, nothing said
    assert "截断" not in row("ip_standard_units_new", {2022: 18, 2023: 20, 2024: 21})["notes"]


def test_a_money_series_that_was_negative_is_not_clipped_at_zero():
    # a goal whose own data went below 0 (a net figure) keeps its line: 10, 0, −10 → −30 in 2025
    got = row("ip_pledge_amount", {2021: 10, 2022: 0, 2023: -10})
    assert got["projected"] == pytest.approx(-30.0) and "截断" not in got["notes"]


# --- item 3: targets as written ------------------------------------------------------------------


def test_strict_target_with_the_base_on_it():
    """超过85% from a 2021 base of exactly 85: the base does not meet it (85 is not over 85)."""
    got = row("ip_satisfaction", {2021: 85, 2022: 85, 2023: 85})
    assert got["status"] == "滞后" and got["completion"] is None and got["eurostat_ratio"] is None
    assert got["status_reason"] == "2021年基期值85.0%恰为目标值，目标要求超过该值；2023年值85.0%尚未超过"
    assert "基期已达到目标" not in got["narrative"] + got["notes"]
    assert got["narrative"].startswith("截至2023年，全社会知识产权满意度为85.0%，2021年基期值85.0%恰为目标值，"
                                       "尚未超过目标（>85%），滞后")
    over = row("ip_satisfaction", {2021: 85, 2022: 85.5})
    assert over["status"] == "已完成" and over["narrative"] == (
        "截至2022年，全社会知识产权满意度为85.5%，已提前实现目标（>85%）。")
    below = row("ip_satisfaction", {2021: 85, 2022: 84})
    assert below["status"] == "倒退"


def test_strict_target_with_the_base_a_float_hair_off_it():
    """85.00000000000001 (what arithmetic can leave) is on the target, not past it: no
    completion of (v − base) / 1e-14."""
    got = row("ip_satisfaction", {2021: 85.00000000000001, 2023: 86})
    assert got["status"] == "已完成" and got["completion"] is None
    near = row("ip_satisfaction", {2021: 84.9, 2023: 85})
    # 84.9 → 85: c = 0.1 / 0.1 = 1, q = 2 → 快于预期, but 85 is not over 85
    assert near["status"] == "快于预期"
    assert near["narrative"].startswith("截至2023年，全社会知识产权满意度为85.0%，恰为目标值，尚未超过目标（>85%），")


def test_lower_is_better_missed_is_not_a_percentage_of_its_target():
    # 积案率 6 % against ≤5 %: 1 point above; 6/5 = 120 % of the target would read as success
    got = row("backlog_rate", {2021: 10, 2023: 7, 2025: 6})
    assert got["narrative"] == "截至2025年，知识产权积案率为6.0%，未完成目标（≤5%），差1.0个百分点。"
    done = row("backlog_rate", {2021: 10, 2023: 7, 2025: 4})
    assert done["narrative"] == "截至2025年，知识产权积案率为4.0%，已完成目标（≤5%）。"
    # lower is better, on the way: c = (7 − 10)/(5 − 10) = 0.6, s = 0.5, q = 1.2
    mid = row("backlog_rate", {2021: 10, 2023: 7})
    assert mid["status_reason"] == "完成进度60% ÷ 序时进度50% = 1.20，≥1"


def test_a_target_of_zero():
    # ≤0 件: 1 left in 2025 → 差1件, no "nan%"; 0 → done; 3 → 1 by 2024: c = 2/3, s = 3/4,
    # q = 0.889 → 滞后; the line through 3, 2, 1, 1 (slope −3.5 / 5 = −0.7, mean 1.75 at 2022.5)
    # reaches 1.75 − 1.75 = 0 in 2025, which meets ≤0
    missed = row("major_cases", {2021: 3, 2023: 2, 2025: 1})
    assert missed["narrative"] == "截至2025年，重大知识产权侵权案件为1件，未完成目标（≤0件），差1件。"
    done = row("major_cases", {2021: 3, 2025: 0})
    assert done["narrative"] == "截至2025年，重大知识产权侵权案件为0件，已完成目标（≤0件）。"
    mid = row("major_cases", {2021: 3, 2022: 2, 2023: 1, 2024: 1})
    assert mid["status"] == "滞后" and mid["projected"] == 0.0
    assert mid["narrative"] == ("截至2024年，重大知识产权侵权案件为1件，完成目标进度的66.7%，序时进度75%，滞后；"
                                "按2021年以来趋势，预计2025年达到0件，可实现目标。")
    for r in (missed, done, mid):
        text = r["narrative"] + r["status_reason"] + r["notes"]
        assert "nan" not in text and "None" not in text and "inf" not in text
        assert r["final_pct_of_target"] is None or math.isfinite(r["final_pct_of_target"])


# --- no None / nan in what a person reads; nobody formats numbers but ipdata.rounding ------------


def test_page_tables_never_show_none_or_nan():
    values = pd.DataFrame({"series": "ip_standard_units_new", "region": ["全区", "全区", "川姜镇"],
                           "year": [2022, 2023, 2023], "value": [30.0, 30.0, 22.0], "revision_id": 1,
                           "source": [None, "统计局", None], "note": [None, None, float("nan")]})
    frame = compute(PLAN, values, region="全区")
    data = goal_data_table(PLAN, "ip_standard_units_new", values, pd.DataFrame())
    assert data["数值"].tolist() == ["30", "30"] and data["2022年以来累计"].tolist() == ["30", "60"]
    methods = methods_table(frame.set_index("code").loc["ip_standard_units_new"])
    assert methods["数值"].tolist()[:3] == ["75%", "50%", "1.50"]  # 60/80, 2/4, 0.75/0.5
    regional = region_table(PLAN, "ip_standard_units_new", compute(PLAN, values, region="川姜镇"))
    for table in (data, methods, regional, status_table(PLAN, frame)):
        shown = table.astype(str).to_string()
        assert "None" not in shown and "nan" not in shown and "<NA>" not in shown


# Where figures reach a person: these modules must not format a number themselves.
OUTPUT_CODE = ["ipdata/trajectory", "ipdata/figures", "ipdata/outputs", "ipdata/scorecard.py",
               "ipdata/views.py", "ipdata/catalogue.py", "pages"]
FORMATTING = re.compile(
    r"\{[^{}:]+:[,_]?\.\d+[fFgGeE%]\}"  # f"{x:.1f}", f"{x:,.0f}"
    r"|\{[^{}:]+:[gG%]\}"  # f"{x:g}"
    r"|\bround\("  # round(x, 1): banker's rounding
    r"|%\{[a-z]+(?:\[\d\])?:[^}]*\}"  # plotly's d3 formats in hover templates: %{y:,.1f}
    r"|%\.\d+f")  # "%.2f" (Streamlit's NumberColumn)


def test_only_the_rounding_module_formats_numbers():
    offenders = []
    for where in OUTPUT_CODE:
        path = ROOT / where
        for p in [path] if path.is_file() else sorted(path.rglob("*.py")):
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
                if FORMATTING.search(line):
                    offenders.append(f"{p.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []
