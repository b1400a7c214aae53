"""Rank goals (issue 13 item 4, `kind: rank`): 知识产权产出主要指标进入全省第一方阵.

A rank is the district's position among named peers, lower is better, met when the latest rank
is within the band (第一方阵 = 前10名 in the Tongzhou plan file, an assumption the office sets).
Uploads: each rank cites its 通报/考核文件 and date; a rank is a positive whole number and the
district's own. Status: 数据不足 until a rank arrives, then 达成/未达成 with the source cited; no
序时进度, no projection, kept apart from numeric progress.
"""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_helpers import PLAN, read, tidy

from ipdata import ingest
from ipdata.catalogue import parse_plan
from ipdata.ingest.ranks import demo_source, position
from ipdata.scorecard import scorecard, tiles
from ipdata.trajectory import compute, compute_all, rank, to_records

CODE = "ip_output_rank"
NAME = "知识产权产出主要指标全省排名"
SOURCE_2025 = "省知识产权局2025年度知识产权工作考核通报（2026年3月）"
SOURCE_2024 = "省知识产权局2024年度知识产权工作考核通报（2025年3月）"
HEADER = ["指标名称", "单位", "地区", "2024年", "2025年", "数据来源"]


def table(*rows: list, header: list = HEADER) -> dict[str, list[list]]:
    """A sheet 排名 with a title, a note and the header on row 3: data from row 4."""
    return {"排名": [["知识产权考核排名"], ["单位：名"], header, *rows]}


def values(*rows: tuple) -> pd.DataFrame:
    """(year, rank, source) of the district, or (region, year, rank, source)."""
    full = [r if len(r) == 4 else ("全区", *r) for r in rows]
    return pd.DataFrame([(CODE, reg, y, float(v), s, None) for reg, y, v, s in full],
                        columns=["series", "region", "year", "value", "source", "note"])


def status(*rows: tuple) -> dict:
    frame = compute(PLAN, values(*rows))
    return to_records(frame[frame["code"] == CODE])[0]


# --- the plan ------------------------------------------------------------------------------


def test_tongzhou_goal_is_a_rank_among_the_province_counties():
    goal = PLAN.goal(CODE)
    assert (goal.kind, goal.peers, goal.tier, goal.target, goal.comparator) == (
        "rank", "全省县(市、区)", "第一方阵", 10.0, "<=")
    assert goal.direction == "lower" and not goal.additive and goal.display_decimals == 0
    assert goal.target_text() == "全省县(市、区)第一方阵（前10名）"
    assert "知识产权产出主要指标进入全省第一方阵" in goal.source


def test_the_band_is_marked_as_an_assumption_in_the_plan_file():
    text = PLAN.path.read_text(encoding="utf-8")
    start = text.index(f"code: {CODE}")
    block = text[start:text.index("tier: {name: 第一方阵", start)]
    assert "ASSUMPTION" in block and "考核通报" in block


# --- status ---------------------------------------------------------------------------------


def test_no_rank_uploaded_is_no_data():
    got = status()
    assert (got["status"], got["status_reason"], got["rank"], got["final_achieved"]) == (
        "数据不足", "尚未上传排名", None, None)
    assert got["narrative"] == f"{NAME}数据不足：尚未上传排名。"


def test_target_year_rank_inside_the_band_is_met_with_its_source():
    got = status((2024, 12, SOURCE_2024), (2025, 8, SOURCE_2025))
    assert got["status"] == "达成" and got["final_achieved"] is True
    assert got["status_reason"] == (
        f"2025年在全省县(市、区)中排第8名（来源：{SOURCE_2025}），进入第一方阵（前10名）")
    assert got["narrative"] == f"{NAME}：{got['status_reason']}。"
    assert (got["kind"], got["rank"], got["source"], got["target"], got["latest_year"]) == (
        "rank", 8, SOURCE_2025, 10.0, 2025)
    assert got["notes"] == "历年排名：2024年第12名，2025年第8名"


def test_the_last_position_of_the_band_is_inside_it():
    assert status((2025, 10, SOURCE_2025))["status"] == "达成"  # ≤ 10
    got = status((2025, 11, SOURCE_2025))
    assert got["status"] == "未达成" and got["final_achieved"] is False
    assert got["status_reason"].endswith("，未进入第一方阵（前10名），差1位")


def test_an_earlier_year_is_judged_and_said_to_be_earlier():
    got = status((2023, 15, "省知识产权局2023年度考核通报（2024年3月）"), (2024, 9, SOURCE_2024))
    assert got["status"] == "达成"
    assert got["final_achieved"] is None  # the 2025 rank decides
    assert got["status_reason"] == (f"2024年在全省县(市、区)中排第9名（来源：{SOURCE_2024}），进入第一方阵（前10名）；"
                                    "这是2024年的排名，2025年排名尚未上传")


def test_a_rank_after_the_target_year_is_not_this_plans():
    got = status((2025, 12, SOURCE_2025), (2026, 3, "省知识产权局2026年度考核通报（2027年3月）"))
    assert (got["status"], got["rank"], got["latest_year"]) == ("未达成", 12, 2025)
    assert "2025年以后的排名不计入本规划评价" in got["notes"]


def test_no_progress_projection_or_share_for_a_rank():
    got = status((2022, 20, "a 2023 通报"), (2023, 16, "b 2024 通报"), (2024, 12, SOURCE_2024))
    for key in ("completion", "time_elapsed", "schedule_ratio", "projected", "projected_low",
                "projected_high", "reach_year", "required_increment", "required_growth", "gap",
                "growth_rate", "eurostat_ratio", "share_of_district", "final_pct_of_target", "base_value"):
        assert got[key] is None, key
    assert got["eurostat_class"] == "不适用"
    assert "序时" not in got["narrative"] and "预计" not in got["narrative"]


def test_a_rank_stored_without_source_says_so():
    got = status((2025, 8, None))  # ingest refuses such a rank; a store may hold an older one
    assert got["status_reason"] == "2025年在全省县(市、区)中排第8名（未注明来源），进入第一方阵（前10名）"
    assert got["source"] is None


def test_a_region_is_not_judged_on_the_district_rank():
    frame = compute_all(PLAN, values((2025, 8, SOURCE_2025)), regions=["全区", "金沙街道"])
    town = to_records(frame[(frame["code"] == CODE) & (frame["region"] == "金沙街道")])[0]
    assert (town["status"], town["rank"], town["latest_value"]) == ("无分解目标", None, None)
    assert town["status_reason"] == "排名是全区在全省县(市、区)中的名次，不按镇(街道)评价"


def test_other_goals_keep_their_fields_and_get_empty_rank_columns():
    got = to_records(compute(PLAN, values()))
    assert all(set(r) >= {"base_year", "base_value", "target", "target_year", "final_achieved"} for r in got)
    pledge = next(r for r in got if r["code"] == "ip_pledge_amount")
    assert (pledge["rank"], pledge["source"], pledge["peers"], pledge["tier"]) == (None, None, None, None)


def test_numeric_and_rank_rows_are_kept_apart():
    frame = compute(PLAN, values((2025, 8, SOURCE_2025)))
    assert rank.ranks(frame)["code"].tolist() == [CODE]
    assert CODE not in rank.numeric(frame)["code"].tolist()
    assert len(rank.numeric(frame)) == len(PLAN.goals) - 1


def test_the_scorecard_counts_numeric_goals_and_says_the_rank_apart():
    frame = compute(PLAN, values((2025, 8, SOURCE_2025)))
    card = scorecard(PLAN, frame)
    assert card.judged == 19  # 20 numeric goals but the trend; the rank is not among them
    assert "达成" not in card.counts and card.counts == {"数据不足": 20}
    assert card.ranks == (f"{NAME}：2025年在全省县(市、区)中排第8名（来源：{SOURCE_2025}），进入第一方阵（前10名）。",)
    tile = tiles(PLAN, frame).set_index("code").loc[CODE]
    assert (tile["value_text"], tile["year_text"], tile["target_text"], tile["status"]) == (
        "第8名", "2025年", "全省县(市、区)第一方阵（前10名）", "达成")
    assert tile["completion_pct"] is None and tile["gap_text"] == ""


def test_a_second_plans_words_come_from_its_file(tmp_path):
    text = """\
plan: {id: city-2026-2030, title: 某市知识产权规划, base_year: 2025, target_year: 2030, district: 全市,
       region_level: 县(市、区)}
categories: [创造]
series:
  - {code: pop, name: 常住人口, unit: 万人}
goals:
  - {code: n, name: 发明专利授权量, unit: 件, category: 创造, kind: level, comparator: ">=", target: 10, source: x}
  - {code: r, name: 知识产权综合实力全国排名, unit: 名, category: 创造, kind: rank, peers: 全国副省级城市,
     tier: {name: 前列, top: 5}, source: 进入全国前列}
"""
    plan = parse_plan(text, tmp_path / "city-2026-2030.yaml")
    v = pd.DataFrame([("r", "全市", 2029, 6.0, "全国知识产权发展状况报告（2030年6月）", None)],
                     columns=["series", "region", "year", "value", "source", "note"])
    got = to_records(compute(plan, v))[1]
    assert got["status"] == "未达成"
    assert got["status_reason"] == ("2029年在全国副省级城市中排第6名（来源：全国知识产权发展状况报告（2030年6月）），"
                                    "未进入前列（前5名），差1位；这是2029年的排名，2030年排名尚未上传")


# --- upload -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "expected"), [
    (8, 8), (8.0, 8), ("8", 8), ("８", 8), ("8名", 8), ("第8名", 8), ("第 8 名", 8), ("全省第8", 8), ("第8位", 8),
    (8.5, None), (0, None), (-3, None), ("前十", None), ("8%", None), ("第一方阵", None), (True, None),
])
def test_a_position_is_a_positive_whole_number(cell, expected):
    assert position(cell) == expected


def test_a_rank_with_its_source_is_read(tmp_path):
    upload = read(tmp_path, table([NAME, "名", "全区", None, "第8名", SOURCE_2025],
                                  ["知识产权产出主要指标排名", "名", "通州区", 12, None, SOURCE_2024]))
    assert upload.report.flatten(["sheet", "cell", "code", "severity"]) == []
    assert tidy(upload.observations, ["series", "region", "year", "value", "source", "cell"]) == [
        (CODE, "全区", 2025, 8.0, SOURCE_2025, "E4"), (CODE, "全区", 2024, 12.0, SOURCE_2024, "D5")]


@pytest.mark.parametrize("fast", [True, False])
def test_a_rank_without_source_is_refused_at_the_source_cell(tmp_path, monkeypatch, fast):
    monkeypatch.setattr(ingest, "FAST", fast)
    upload = read(tmp_path, table([NAME, "名", "全区", None, 8, None],
                                  ["新增贯标单位", "家", "全区", 18, 20, None]))
    assert upload.report.flatten() == [["排名", "F4", "rank-source-missing"]]
    message = upload.report.problems[0].message
    assert "通报或考核文件及其日期" in message and "如“省知识产权局2025年度知识产权工作考核通报（2026年3月）”" in message
    assert not upload.report.valid


def test_a_table_without_a_source_column_is_told_to_add_one(tmp_path):
    upload = read(tmp_path, table([NAME, "名", "全区", 9, None], header=HEADER[:-1]))
    assert upload.report.flatten() == [["排名", "A4", "rank-source-missing"]]
    assert "请在表头加一列“数据来源”" in upload.report.problems[0].message


def test_a_source_without_a_date_is_refused(tmp_path):
    upload = read(tmp_path, table([NAME, "名", "全区", None, 8, "省知识产权局考核通报"]))
    assert upload.report.flatten() == [["排名", "F4", "rank-source-undated"]]
    assert "没有写明日期" in upload.report.problems[0].message


def test_a_source_naming_no_document_is_a_warning(tmp_path):
    upload = read(tmp_path, table([NAME, "名", "全区", None, 8, "省局 2026年3月"]))
    assert upload.report.flatten(["cell", "code", "severity"]) == [["F4", "rank-source-vague", "warning"]]
    assert upload.report.valid and tidy(upload.observations, ["year", "value"]) == [(2025, 8.0)]


def test_one_source_for_several_years_is_a_warning(tmp_path):
    upload = read(tmp_path, table([NAME, "名", "全区", 12, 8, SOURCE_2025]))
    assert upload.report.flatten(["cell", "code", "severity"]) == [["F4", "rank-source-shared", "warning"]]
    assert "请每个年份各占一行" in upload.report.problems[0].message


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize(("cell", "shown"), [(8.5, "8.5"), (0, "0"), (-2, "-2"), ("前十", "前十"), ("8%", "8%")])
def test_a_rank_that_is_no_positive_whole_number_is_refused(tmp_path, monkeypatch, fast, cell, shown):
    monkeypatch.setattr(ingest, "FAST", fast)
    upload = read(tmp_path, table([NAME, "名", "全区", None, cell, SOURCE_2025]))
    assert upload.report.flatten() == [["排名", "E4", "rank-not-whole"]]
    assert f"“{shown}”不是有效的名次" in upload.report.problems[0].message
    assert "应为正整数(第8名填 8)" in upload.report.problems[0].message
    assert upload.observations.empty


@pytest.mark.parametrize("fast", [True, False])
def test_a_rank_for_a_region_is_refused_at_the_region_cell(tmp_path, monkeypatch, fast):
    monkeypatch.setattr(ingest, "FAST", fast)
    upload = read(tmp_path, table([NAME, "名", "全区", None, 8, SOURCE_2025],
                                  [NAME, "名", "川姜", None, 3, SOURCE_2025]))
    assert upload.report.flatten() == [["排名", "C5", "rank-region"]]
    assert upload.report.problems[0].message == (
        "“知识产权产出主要指标全省排名”是全区在全省县(市、区)中的名次，排名不按镇(街道)填报，这里却填在“川姜镇”名下。"
        "请删除这一行；全区的排名请填在地区为“全区”的行。")


def test_a_regional_rank_target_is_refused(tmp_path):
    upload = read(tmp_path, {"目标分解": [["目标分解"], [None], ["指标名称", "单位", "地区", "目标值", "目标年份"],
                                      [NAME, "名", "川姜镇", 5, 2025]]})
    assert upload.report.flatten() == [["目标分解", "C4", "rank-region"]]
    assert "排名目标不分解到镇(街道)" in upload.report.problems[0].message


def test_a_demo_rank_source_is_marked_and_passes_the_checks(tmp_path):
    source = demo_source(PLAN.goal(CODE), 2024)
    assert source == "示例数据（虚构）：省知识产权局2024年度知识产权工作考核通报（2025年3月）"
    upload = read(tmp_path, table([NAME, "名", "全区", 12, None, source]))
    assert upload.report.problems == [] and tidy(upload.observations, ["year", "value"]) == [(2024, 12.0)]


def test_rank_rows_read_alike_row_by_row_and_by_column(tmp_path, monkeypatch):
    sheets = table([NAME, "名", "全区", None, "第8名", SOURCE_2025], ["新增贯标单位", "家", "全区", 18, 20, "统计局"],
                   ["知识产权产出主要指标排名", "名", None, 12, None, SOURCE_2024])
    fast = read(tmp_path, sheets)
    monkeypatch.setattr(ingest, "FAST", False)
    slow = read(tmp_path, sheets)
    assert fast.report.flatten() == slow.report.flatten() == []
    assert fast.observations.equals(slow.observations)
    assert sorted(tidy(fast.observations, ["series", "year", "value"])) == [
        (CODE, 2024, 12.0), (CODE, 2025, 8.0), ("ip_standard_units_new", 2024, 18.0),
        ("ip_standard_units_new", 2025, 20.0)]


# --- end to end: template, import, status ------------------------------------------------------


def test_the_template_says_how_to_fill_a_rank(tmp_path):
    from openpyxl import load_workbook

    from ipdata.template import write_template

    write_template(tmp_path / "t.xlsx", PLAN)
    wb = load_workbook(tmp_path / "t.xlsx")
    guide = [c.value for c in wb["填报说明"]["A"] if isinstance(c.value, str)]
    assert ("10. 排名类指标(知识产权产出主要指标全省排名)：只在“全区”一行填名次(第8名填 8)，每个年份的名次各占一行，"
            f"并在“数据来源”列写明通报或考核文件及其日期，如“{SOURCE_2025}”；没有来源或来源没有日期的排名不能导入。") in guide
    ws = wb["指标数据"]
    r = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == CODE)
    assert ws.cell(r, 10).number_format == "0"  # 2025年: a whole position, not 8.00


def _fill_rank(path, year: int, cell, source) -> str:
    """The template's 全区 row of the rank goal: one year's rank and its source; returns the
    source cell's address."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["指标数据"]
    header = {c.value: c.column for c in ws[3] if c.value}
    r = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, header["指标代码"]).value == CODE)
    ws.cell(r, header[f"{year}年"], cell)
    ws.cell(r, header["数据来源"], source)
    wb.save(path)
    return ws.cell(r, header["数据来源"]).coordinate


def test_cli_template_import_status(tmp_path, capsys):
    import json

    from ipdata.cli import main

    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    db, book = tmp_path / "a.duckdb", tmp_path / "t.xlsx"
    assert run("--db", db, "template", book)[0] == 0

    where = _fill_rank(book, 2025, 8, None)  # no source: refused, at the source cell, nothing stored
    code, _, err = run("--db", db, "import", book)
    assert code == 1
    assert f"工作表“指标数据” 单元格 {where}：“知识产权产出主要指标全省排名”(2025年)是排名，须注明出处" in err
    assert "已保存的数据没有任何改动" in err
    status = {r["code"]: r for r in json.loads(run("--db", db, "status", "--json")[1])}
    assert (status[CODE]["status"], status[CODE]["status_reason"]) == ("数据不足", "尚未上传排名")

    _fill_rank(book, 2025, "第8名", SOURCE_2025)
    assert run("--db", db, "import", book)[0] == 0
    code, out, _ = run("--db", db, "status", "--json")
    got = {r["code"]: r for r in json.loads(out)}[CODE]
    assert (got["kind"], got["rank"], got["source"], got["target"], got["target_year"], got["final_achieved"],
            got["status"], got["completion"]) == ("rank", 8, SOURCE_2025, 10.0, 2025, True, "达成", None)
    code, out, _ = run("--db", db, "status")
    table, apart = out.split("排名目标（名次，不计入上面的进度）：")
    assert NAME not in table  # not among the goals with numeric progress
    assert apart.strip() == (f"· [达成] {NAME}：2025年在全省县(市、区)中排第8名（来源：{SOURCE_2025}），"
                             "进入第一方阵（前10名）。")

    # the deck: the overview's table is numeric progress; the rank is said under its headline
    from pptx import Presentation

    assert run("--db", db, "deck", tmp_path / "d.pptx")[0] == 0
    slides = list(Presentation(tmp_path / "d.pptx").slides)
    overview = slides[1]  # the counts; the table of the 20 numeric goals follows over three slides (7/7/6)
    tables = [s.table for slide in slides[2:5] for s in slide.shapes if s.has_table]
    names = [row.cells[0].text for table in tables for row in list(table.rows)[1:]]
    assert NAME not in names and len(names) == 20
    notes = [s.text_frame.text for s in overview.shapes if s.has_text_frame]
    assert f"排名目标：{NAME}：2025年在全省县(市、区)中排第8名（来源：{SOURCE_2025}），进入第一方阵（前10名）。" in notes


def test_pages_say_the_rank_apart(db_path, tmp_path):
    """The goal page: the sentence with its source, no 序时进度 table; the overview lists it below
    the tiles; text from the upload is shown as typed (never markdown)."""
    from streamlit.testing.v1 import AppTest

    from ipdata import service
    from ipdata.auth import local_operator
    from ipdata.template import write_template
    from tests.conftest import ROOT

    store = service.open_store(db_path)
    source = "省知识产权局2024年度知识产权工作考核通报（2025年3月）*第2期*"
    write_template(tmp_path / "w.xlsx", PLAN, observations=values((2024, 12, source)))
    assert service.import_file(store, (tmp_path / "w.xlsx").read_bytes(), file_name="w.xlsx",
                               user=local_operator("t"))[0].report.valid
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(code=CODE)
    at.run()
    at.switch_page("pages/goal.py").run()
    assert not at.exception
    shown = "\n".join(str(m.value) for m in at.markdown)
    assert "未达成" in shown and r"（来源：省知识产权局2024年度知识产权工作考核通报（2025年3月）\*第2期\*）" in shown
    assert "两种方法的评估" not in shown and "不计算完成进度、序时进度和预测" in shown
    overview = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    overview.run()
    [listed] = [str(m.value) for m in overview.markdown if "排名目标" in str(m.value)]
    assert listed.startswith("**排名目标**（名次，不计入上面的进度和计数）\n\n- ✖ 未达成｜知识产权产出主要指标全省排名：2024年在")
