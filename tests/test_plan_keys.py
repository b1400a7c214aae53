"""The plan's new keys in the trajectory, the tables, the tiles, the charts and `status --json`
(issue 13 item 4): a stated base, targets derived from the base (年均增长, 翻一番), a goal's own
base and target years, interim targets, 约束性/预期性, additive: false, ratio decimals. Every
figure is worked out by hand in the comment beside it (docs/method.md §2, §3)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ipdata.catalogue import Plan, load_plan
from ipdata.cli import main
from ipdata.figures import chart_data, goal_chart, region_chart
from ipdata.scorecard import scorecard, tiles, tiles_html
from ipdata.store import Store
from ipdata.trajectory import COLUMNS, compute, compute_all, to_records
from ipdata.views import goal_data_table, goal_definition, region_table, status_table
from tests.store_helpers import upload

PLAN_ID = "city-2026-2030"
HEAD = f"""\
plan:
  id: {PLAN_ID}
  title: 某市知识产权发展规划(2026-2030年)
  base_year: 2025
  target_year: 2030
  district: 全市
  region_level: 县(市、区)
categories: [创造, 运用]
goals:
"""
GOALS = {
    # 每万人口…拥有量 without derive: a ratio (not additive), decimals 1
    "hv": """  - {code: hv, name: 每万人口高价值发明专利拥有量, unit: 件, category: 创造, kind: level,
     comparator: ">=", target: 12, base_value: 6.3, nature: 约束性, source: 6.3件提高到12件}
""",
    "pledge": """  - {code: pledge, name: 知识产权质押融资登记金额, unit: 亿元, category: 运用, kind: level,
     comparator: ">=", base_value: 21.5, target_growth: 0.10, nature: 预期性, source: 年均增长10%}
""",
    "marks": """  - {code: marks, name: 有效注册商标量, unit: 件, category: 创造, kind: level,
     comparator: ">=", target_growth: 0.08, source: 年均增长8%}
""",
    "royalty": """  - {code: royalty, name: 知识产权使用费进出口额, unit: 亿元, category: 运用, kind: level,
     comparator: ">=", target_multiple: 2, source: 翻一番}
""",
    "early": """  - {code: early, name: 专利转化项目, unit: 个, category: 运用, kind: level,
     comparator: ">=", target: 50, target_year: 2027, source: 2027年达到50个}
""",
    "share": """  - {code: share, name: 版权产业增加值占GDP比重, unit: "%", category: 运用, kind: level,
     comparator: ">=", target: 20, base_year: 2024, source: 由2024年的10%提高到20%}
""",
    "path": """  - {code: path, name: 每万人口高价值发明专利拥有量（分阶段）, unit: 件, category: 创造, kind: level,
     comparator: ">=", base_value: 6.3, targets: {2027: 12, 2030: 18}, source: 2027年12件、2030年18件}
""",
}


def make_plan(tmp_path: Path, *codes: str) -> Plan:
    path = tmp_path / f"{PLAN_ID}.yaml"  # a plan file is named after its id
    path.write_text(HEAD + "".join(GOALS[c] for c in codes or GOALS), encoding="utf-8")
    return load_plan(path)


def values(*rows: tuple) -> pd.DataFrame:
    """(code, year, value) for the district, or (code, region, year, value)."""
    full = [r if len(r) == 4 else (r[0], "全市", r[1], r[2]) for r in rows]
    return pd.DataFrame(full, columns=["series", "region", "year", "value"])


def row(plan: Plan, code: str, *rows: tuple) -> dict:
    return next(r for r in to_records(compute(plan, values(*rows))) if r["code"] == code)


# --- base_value: the plan's base is the base ------------------------------------------------------


def test_the_stated_base_is_the_base_and_a_different_upload_is_noted(tmp_path):
    plan = make_plan(tmp_path, "hv")
    r = row(plan, "hv", ("hv", 2025, 6.5), ("hv", 2026, 7.5))
    # c = (7.5 − 6.3) / (12 − 6.3) = 1.2 / 5.7 = 0.210526; s = 1/5; q = 1.052632 → 快于预期
    assert (r["base_year"], r["base_value"], r["latest_year"], r["latest_value"]) == (2025, 6.3, 2026, 7.5)
    assert r["completion"] == pytest.approx(1.2 / 5.7)
    assert (r["time_elapsed"], r["schedule_ratio"], r["status"]) == (0.2, pytest.approx(6 / 5.7), "快于预期")
    # the line runs from the stated base: 6.3 + 1.2 × 5 = 12.3 in 2030
    assert r["projected"] == pytest.approx(12.3)
    assert r["notes"].startswith("规划基期值6.3件，上传的2025年值为6.5件，按规划基期值计算；")
    assert r["narrative"] == ("截至2026年，每万人口高价值发明专利拥有量为7.5件，完成目标进度的21.1%，序时进度20%，"
                              "快于预期；按2025年以来趋势，预计2030年达到12.3件，可实现目标。")


def test_an_upload_equal_to_the_stated_base_needs_no_note(tmp_path):
    r = row(make_plan(tmp_path, "hv"), "hv", ("hv", 2025, 6.3), ("hv", 2026, 7.5))
    assert "规划基期值" not in r["notes"]


def test_the_stated_base_alone_is_no_latest_value(tmp_path):
    r = row(make_plan(tmp_path, "hv"), "hv")
    assert (r["status"], r["base_year"], r["base_value"], r["latest_year"], r["latest_value"], r["gap"]) == (
        "数据不足", 2025, 6.3, None, None, None)
    assert r["status_reason"] == "只有规划基期值（2025年6.3件），还没有2026年以来的数据"
    assert r["narrative"] == "每万人口高价值发明专利拥有量数据不足：只有规划基期值（2025年6.3件），还没有2026年以来的数据。"


# --- target_growth / target_multiple -------------------------------------------------------------


def test_a_growth_target_from_the_stated_base(tmp_path):
    plan = make_plan(tmp_path, "pledge")
    # 21.5 × 1.1^5 = 21.5 × 1.61051 = 34.625965 → 34.63亿元 (亿元: two decimals)
    assert plan.goal("pledge").target_text() == "≥34.63亿元（年均增长10%）"
    r = row(plan, "pledge", ("pledge", 2026, 25))
    assert (r["target"], r["target_text"], r["target_rule"]) == (34.63, "≥34.63亿元（年均增长10%）", "年均增长10%")
    # c = (25 − 21.5) / (34.63 − 21.5) = 3.5 / 13.13 = 0.266565; s = 0.2; q = 1.332826
    assert r["completion"] == pytest.approx(3.5 / 13.13)
    assert (r["schedule_ratio"], r["status"]) == (pytest.approx(3.5 / 13.13 / 0.2), "快于预期")


def test_a_growth_target_waits_for_the_uploaded_base_year_value(tmp_path):
    plan = make_plan(tmp_path, "marks")
    r = row(plan, "marks", ("marks", 2027, 12000))
    assert (r["status"], r["target"], r["target_text"]) == ("数据不足", None, "年均增长8%")
    assert r["status_reason"] == "缺少2025年（基期）的数值，无法按年均增长8%推算2030年目标"
    assert r["narrative"] == "有效注册商标量数据不足：缺少2025年（基期）的数值，无法按年均增长8%推算2030年目标。"
    assert r["time_elapsed"] == pytest.approx(0.4)  # (2027 − 2025) / 5, from the base year it needs
    assert r["notes"] == ""  # no "以2027年为基期": the target cannot come from a stand-in
    # with the 2025 value: 10000 × 1.08^5 = 14693.28 → 14693件 (a count: whole)
    r = row(plan, "marks", ("marks", 2025, 10000), ("marks", 2027, 12000))
    assert (r["target"], r["target_text"]) == (14693.0, "≥14693件（年均增长8%）")
    # c = 2000 / 4693 = 0.426167; s = 0.4; q = 1.065417 → 快于预期
    assert (r["completion"], r["status"]) == (pytest.approx(2000 / 4693), "快于预期")


def test_doubling_from_the_uploaded_base(tmp_path):
    plan = make_plan(tmp_path, "royalty")
    assert plan.goal("royalty").target_text() == "翻一番（基期值×2）"  # nothing to double yet
    r = row(plan, "royalty", ("royalty", 2025, 40), ("royalty", 2026, 50))
    # 40 × 2 = 80; c = 10 / 40 = 0.25; s = 0.2; q = 1.25
    assert (r["target"], r["target_text"]) == (80.0, "≥80亿元（翻一番，基期值×2）")
    assert (r["completion"], r["schedule_ratio"], r["status"]) == (0.25, pytest.approx(1.25), "快于预期")


# --- a goal's own target and base years ----------------------------------------------------------


def test_a_goal_due_before_the_plan_ends_is_judged_on_its_own_year(tmp_path):
    plan = make_plan(tmp_path, "early")
    # 2026: c = (38 − 30) / 20 = 0.4; s = 1/2; q = 0.8 → 滞后; line 30, 38 → 46 in 2027
    r = row(plan, "early", ("early", 2025, 30), ("early", 2026, 38))
    assert (r["target_year"], r["time_elapsed"], r["status"], r["projected"]) == (2027, 0.5, "滞后", 46.0)
    r = row(plan, "early", ("early", 2025, 30), ("early", 2026, 38), ("early", 2027, 49), ("early", 2028, 60))
    assert (r["latest_year"], r["latest_value"], r["status"], r["final_achieved"]) == (2027, 49.0, "未完成", False)
    assert "2027年以后的数据不计入该指标评价（目标年为2027年）" in r["notes"]
    assert r["narrative"] == "截至2027年，专利转化项目为49个，未完成目标（≥50个），差1个，为目标的98%。"


def test_a_goal_with_an_earlier_base_year_is_measured_from_it(tmp_path):
    plan = make_plan(tmp_path, "share")
    r = row(plan, "share", ("share", 2024, 10), ("share", 2026, 13))
    # c = 3 / 10 = 0.3; s = (2026 − 2024) / (2030 − 2024) = 1/3; q = 0.9 → 基本符合预期
    assert (r["base_year"], r["completion"], r["time_elapsed"]) == (2024, pytest.approx(0.3), pytest.approx(1 / 3))
    assert (r["schedule_ratio"], r["status"]) == (pytest.approx(0.9), "基本符合预期")
    assert "基期值缺失" not in r["notes"]


def test_the_final_verdict_awaits_each_goal_in_its_own_year(tmp_path):
    plan = make_plan(tmp_path, "early", "share")
    frame = compute(plan, values(("early", 2025, 30), ("early", 2027, 52), ("share", 2024, 10),
                                 ("share", 2030, 21)))
    card = scorecard(plan, frame)
    assert card.headline == "终期评估：2 项有目标的指标中达成 2 项，未达成 0 项。"  # on each own target year
    frame = compute(plan, values(("early", 2025, 30), ("early", 2026, 40), ("share", 2024, 10),
                                 ("share", 2030, 21)))
    assert scorecard(plan, frame).headline.endswith("；1 项尚无目标年数据。")


# --- interim targets ------------------------------------------------------------------------------


def test_interim_targets_draw_the_path_the_schedule_is_judged_against(tmp_path):
    plan = make_plan(tmp_path, "path")
    # path 2025 6.3 → 2027 12 → 2030 18: in 2026 it is at 9.15.
    # c = (9 − 6.3) / 11.7 = 0.230769; s = (9.15 − 6.3) / 11.7 = 0.243590; q = 2.7 / 2.85 = 0.947368
    # → 基本符合预期 (a straight line would say s = 0.2, q = 1.15, 快于预期)
    r = row(plan, "path", ("path", 2026, 9.0))
    assert (r["target"], r["target_year"]) == (18.0, 2030)
    assert (r["completion"], r["time_elapsed"]) == (pytest.approx(2.7 / 11.7), pytest.approx(2.85 / 11.7))
    assert (r["schedule_ratio"], r["status"]) == (pytest.approx(2.7 / 2.85), "基本符合预期")
    assert "阶段目标" not in r["notes"]  # 2027 has not come
    # 2027: s = 5.7 / 11.7; c = 5.2 / 11.7; q = 5.2 / 5.7 = 0.912281
    r = row(plan, "path", ("path", 2026, 9.0), ("path", 2027, 11.5))
    assert (r["schedule_ratio"], r["status"]) == (pytest.approx(5.2 / 5.7), "基本符合预期")
    assert "2027年阶段目标≥12件：实际11.5件，未达到（差0.5件）" in r["notes"]
    r = row(plan, "path", ("path", 2026, 9.0), ("path", 2027, 12.4))
    assert "2027年阶段目标≥12件：实际12.4件，已达到" in r["notes"]


def test_the_goal_chart_runs_through_the_interim_targets(tmp_path):
    plan = make_plan(tmp_path, "path")
    v = values(("path", 2026, 9.0))
    fig = goal_chart(plan, "path", v, compute(plan, v).set_index("code").loc["path"])
    data = chart_data(fig)
    required = data[data["series"] == "达标所需路径"]
    assert list(zip(required["year"], required["value"], strict=True)) == [(2025, 6.3), (2027, 12.0), (2030, 18.0)]
    interim = data[data["series"] == "阶段目标"]
    assert list(zip(interim["year"], interim["value"], strict=True)) == [(2027, 12.0)]
    assert [t.text for t in fig.data if t.name == "阶段目标"] == [("2027年阶段目标 ≥12件",)]


# --- nature -----------------------------------------------------------------------------------


def test_nature_is_said_beside_the_status(tmp_path):
    plan = make_plan(tmp_path, "hv", "pledge", "marks")
    frame = compute(plan, values(("hv", 2026, 7.5)))
    assert [r["nature"] for r in to_records(frame)] == ["约束性", "预期性", None]
    table = status_table(plan, frame)
    assert list(table.columns[-2:]) == ["状态", "性质"] and table["性质"].tolist() == ["约束性", "预期性", ""]
    t = tiles(plan, frame)
    assert t["nature"].tolist() == ["约束性", "预期性", ""]
    html = tiles_html(t, {}, {})
    assert html.count('class="ip-nat"') == 2 and ">约束性</span>" in html
    assert ("性质", "约束性") in goal_definition(plan, "hv")


def test_a_plan_without_nature_has_no_nature_column(tmp_path):
    plan = make_plan(tmp_path, "early")
    assert "性质" not in status_table(plan, compute(plan, values(("early", 2025, 1)))).columns


# --- additive: false ------------------------------------------------------------------------------

REGIONAL = [("hv", "全市", 2026, 8.0), ("hv", "甲县", 2026, 9.0), ("hv", "乙县", 2026, 7.0),
            ("early", "全市", 2026, 40), ("early", "甲县", 2026, 10), ("early", "乙县", 2026, 30)]


def test_no_share_of_the_district_for_a_ratio(tmp_path):
    plan = make_plan(tmp_path, "hv", "early")
    frame = compute_all(plan, values(*REGIONAL))
    by = {(r["code"], r["region"]): r for r in to_records(frame)}
    assert by[("hv", "甲县")]["share_of_district"] is None
    assert by[("hv", "甲县")]["narrative"] == "截至2026年，甲县每万人口高价值发明专利拥有量为9.0件；该地区没有分解目标，不评价进度。"
    assert by[("hv", "甲县")]["status_reason"] == "该地区没有分解目标，只显示数值、趋势，不评价进度"
    # a count adds up: 10 of 40 = 25%, said in the plan's word for the whole (全市)
    assert by[("early", "甲县")]["share_of_district"] == 0.25
    assert by[("early", "甲县")]["narrative"] == "截至2026年，甲县专利转化项目为10个，占全市的25%；该地区没有分解目标，不评价进度。"
    assert by[("early", "甲县")]["status_reason"] == "该地区没有分解目标，只显示数值、趋势和占全市比重，不评价进度"
    assert not any("比重" in c for c in region_table(plan, "hv", frame).columns)
    assert region_table(plan, "early", frame).iloc[:, 4].tolist() == ["75%", "25%"]  # 乙县 30, 甲县 10
    for fig in (region_chart(plan, "hv", frame), region_chart(plan, "hv", frame, 2026, values=values(*REGIONAL))):
        words = " ".join(str(x) for t in fig.data for x in (t.text or ()))
        assert "占" not in words and not chart_data(fig)["series"].str.endswith("比重").any()
    shares = chart_data(region_chart(plan, "early", frame))
    assert shares[shares["series"].str.endswith("比重")]["value"].tolist() == [75.0, 25.0]


# --- a ratio without derive keeps its decimals ----------------------------------------------------


def test_a_ratio_without_derive_keeps_its_decimals(tmp_path):
    text = HEAD + """  - {code: hv, name: 每万人口高价值发明专利拥有量, unit: 件, category: 创造, kind: level,
     comparator: ">=", target: 6, source: 达到6件}
"""
    (tmp_path / f"{PLAN_ID}.yaml").write_text(text, encoding="utf-8")
    plan = load_plan(tmp_path / f"{PLAN_ID}.yaml")
    frame = compute(plan, values(("hv", 2025, 5.2), ("hv", 2026, 6.4)))
    r = to_records(frame)[0]
    assert (r["decimals"], r["status"]) == (1, "已完成")
    assert r["narrative"] == "截至2026年，每万人口高价值发明专利拥有量为6.4件，已提前实现目标（≥6件）。"
    t = tiles(plan, frame).iloc[0]
    assert (t["value_text"], t["gap_text"]) == ("6.4件", "超出0.4件")
    assert status_table(plan, frame)["最新值"].tolist() == ["6.4"]  # the unit has its own column


def test_the_data_table_rounds_a_derived_target_goal_by_its_decimals(tmp_path):
    plan = make_plan(tmp_path, "pledge")
    v = values(("pledge", 2026, 25.123)).assign(source="", note="", revision_id=1)
    table = goal_data_table(plan, "pledge", v, pd.DataFrame(columns=["id", "created_at", "file_name", "kind"]))
    assert table["数值"].tolist() == ["25.12"]  # 亿元: two decimals, not the six of 34.625965


# --- status --json ----------------------------------------------------------------------------


def test_status_json_keeps_every_field_and_says_nature_and_rule(tmp_path, capsys):
    plan = make_plan(tmp_path)
    db = tmp_path / "ipdata.duckdb"
    Store(db, plan).apply(upload("""series,region,year,value,source
hv,全市,2025,6.5,统计公报
hv,全市,2026,7.5,统计公报
pledge,全市,2026,25,统计公报
early,全市,2025,30,统计公报
early,全市,2027,49,统计公报
"""), user="统计员")
    assert main(["--db", str(db), "--plan", str(plan.path), "status", "--json"]) == 0
    got = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert list(got) == list(GOALS)
    assert all(set(r) == set(COLUMNS) for r in got.values())
    assert {"base_year", "base_value", "target", "target_year", "final_achieved", "projected", "narrative",
            "nature", "target_rule"} <= set(COLUMNS)
    hv, pledge, early = got["hv"], got["pledge"], got["early"]
    assert (hv["base_year"], hv["base_value"], hv["target"], hv["target_year"], hv["nature"]) == (
        2025, 6.3, 12.0, 2030, "约束性")
    assert (pledge["target"], pledge["target_rule"], pledge["nature"]) == (34.63, "年均增长10%", "预期性")
    assert (early["target_year"], early["final_achieved"], early["status"]) == (2027, False, "未完成")
    assert got["share"]["base_year"] is None and got["share"]["target_year"] == 2030  # no data yet


def test_the_deck_chart_runs_through_the_interim_targets_too(tmp_path):
    from ipdata.outputs.deck.chart import goal_chart_data

    plan = make_plan(tmp_path, "path")
    v = values(("path", 2026, 9.0))
    data = goal_chart_data(plan, plan.goal("path"), v, compute(plan, v).set_index("code").loc["path"])
    # 6.3 → 12 over two years (9.15 in 2026), then → 18 over three (14, 16 in 2028, 2029)
    assert dict(zip(data.years, data.series["达标所需路径"], strict=True)) == {
        2025: 6.3, 2026: 9.15, 2027: 12.0, 2028: 14.0, 2029: 16.0, 2030: 18.0}


def test_a_plan_of_milestones_or_of_ranks_only(tmp_path):
    head = f"plan: {{id: {PLAN_ID}, title: 某县规划, base_year: 2025, target_year: 2030, district: 全县}}\n"
    head += "categories: [创造]\ngoals:\n"
    path = tmp_path / f"{PLAN_ID}.yaml"
    path.write_text(head + """  - {code: m, name: 建成知识产权保护中心, unit: 项, category: 创造, kind: milestone,
     comparator: ">=", target: 1, base_year: 2026, target_year: 2028, source: 2028年前建成}
""", encoding="utf-8")
    plan = load_plan(path)
    r = to_records(compute(plan, values(("m", "全县", 2027, 1))))[0]
    # timed from its own base year: (2027 − 2026) / (2028 − 2026) = 50%
    assert (r["status"], r["reach_year"], r["time_elapsed"], r["target_year"]) == ("已建成", 2027, 0.5, 2028)
    path.write_text(head + """  - {code: r, name: 知识产权综合实力全省排名, unit: 名, category: 创造, kind: rank,
     peers: 全省县(市、区), tier: {name: 第一方阵, top: 10}, source: 进入第一方阵}
""", encoding="utf-8")
    plan = load_plan(path)
    got = to_records(compute_all(plan, values()))  # no numeric goal at all: the rank's row only
    assert [(r["code"], r["region"], r["status"], r["target_text"]) for r in got] == [
        ("r", "全县", "数据不足", "全省县(市、区)第一方阵（前10名）")]
