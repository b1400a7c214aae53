"""The second real plan, data/plans/national-ip-2021-2025.yaml (“十四五”国家知识产权保护和运用规划,
国发〔2021〕20号, 专栏1), used as its office would: IPDATA_PLANS_DIR=data/plans, then
`python -m ipdata --db DB --plan national-ip-2021-2025 template | import | status --json | export |
deck | backup | plans`, then every page under AppTest.

The workbook (NATIONAL below) holds 2021-2024 national values. 每万人口高价值发明专利拥有量 2021-2023
(7.5, 9.4, 11.8 件) are the figures 国家知识产权局 published; every other figure is 示例数据
(invented for this test, chosen so that each status is reached once). Every expected figure is
worked out by hand from the plan's own bases (base_value, base_year 2019 for the two GDP shares).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from ipdata.catalogue import load_plan, normalise_name
from ipdata.cli import main
from tests.conftest import ROOT

PLAN_ID = "national-ip-2021-2025"
PLANS_DIR = ROOT / "data" / "plans"
TIMEOUT = 60

# Words of the first plan (Tongzhou 2022-2025) that nothing shown for this one may say.
TONGZHOU_WORDS = ("通州", "南通", "强县", "高新区", "镇(街道)", "镇（街道）", "四、重点任务", "全区", "通政发",
                  "川姜", "金沙")

# 专栏1 “十四五”知识产权保护和运用主要指标, typed by hand from the plan text:
# name, unit, base (2020 column), base year, 2025 target, 属性, category, decimals the plan writes.
TABLE = [
    ("每万人口高价值发明专利拥有量", "件", 6.3, 2020, 12, "预期性", "运用", 1),
    ("海外发明专利授权量", "万件", 4, 2020, 9, "预期性", "国际合作", 1),
    ("知识产权质押融资登记金额", "亿元", 2100, 2020, 3200, "预期性", "运用", 0),
    ("知识产权使用费年进出口总额", "亿元", 3194, 2020, 3500, "预期性", "运用", 0),
    ("专利密集型产业增加值占GDP比重", "%", 11.6, 2019, 13, "预期性", "运用", 1),
    ("版权产业增加值占GDP比重", "%", 7.39, 2019, 7.5, "预期性", "运用", 2),
    ("知识产权保护社会满意度", "分", 80.05, 2020, 82, "预期性", "保护", 2),
    ("知识产权民事一审案件服判息诉率", "%", 85.6, 2020, 86, "预期性", "保护", 1),
]
RATIOS = {"每万人口高价值发明专利拥有量", "专利密集型产业增加值占GDP比重", "版权产业增加值占GDP比重",
          "知识产权保护社会满意度", "知识产权民事一审案件服判息诉率"}

INVENTED = "示例数据（虚构，测试用）"
# name -> ({year: value}, 数据来源). 服判息诉率 has no value: its status is 数据不足.
NATIONAL = {
    "每万人口高价值发明专利拥有量": ({2021: 7.5, 2022: 9.4, 2023: 11.8, 2024: 14.0},
                                    "国家知识产权局（2021—2023年）；2024年为" + INVENTED),
    "海外发明专利授权量": ({2021: 4.8, 2022: 5.6, 2023: 6.4, 2024: 7.2}, INVENTED),
    "知识产权质押融资登记金额": ({2021: 2380.5, 2022: 2650.2, 2023: 2905.8, 2024: 3150.4}, INVENTED),
    "知识产权使用费年进出口总额": ({2021: 3250.0, 2022: 3300.6, 2023: 3380.2, 2024: 3420.5}, INVENTED),
    # no 2024 figure yet (statistics come a year late): latest 2023, four years after the 2019 base
    "专利密集型产业增加值占GDP比重": ({2021: 12.2, 2022: 12.3, 2023: 12.5}, INVENTED),
    "版权产业增加值占GDP比重": ({2021: 7.41, 2022: 7.43, 2023: 7.38, 2024: 7.40}, INVENTED),
    "知识产权保护社会满意度": ({2021: 80.30, 2022: 80.10, 2023: 79.85, 2024: 79.95}, INVENTED),
}

# By hand. c = (latest − base) / (target − base); s = (latest year − base year) / (2025 − base year);
# q = c / s; 已完成 when latest ≥ target; q ≥ 1 快于预期; 0.9 ≤ q < 1 基本符合预期; 0 ≤ q < 0.9 滞后;
# c < 0 倒退.
# code: (base_year, base_value, latest_year, latest_value, target, completion, elapsed, q, status)
EXPECTED = {
    # (14.0 − 6.3) / (12 − 6.3) = 7.7 / 5.7; s = 4/5
    "cn_hv_invention_per10k": (2020, 6.3, 2024, 14.0, 12, 7.7 / 5.7, 0.8, 7.7 / 5.7 / 0.8, "已完成"),
    # (7.2 − 4) / (9 − 4) = 0.64; q = 0.64 / 0.8 = 0.8
    "cn_overseas_invention_grants": (2020, 4, 2024, 7.2, 9, 0.64, 0.8, 0.8, "滞后"),
    # 1050.4 / 1100 = 0.954909…; q = 1.193636…
    "cn_ip_pledge_amount": (2020, 2100, 2024, 3150.4, 3200, 1050.4 / 1100, 0.8, 1050.4 / 1100 / 0.8, "快于预期"),
    # 226.5 / 306 = 0.740196…; q = 0.925245…
    "cn_ip_royalty_trade": (2020, 3194, 2024, 3420.5, 3500, 226.5 / 306, 0.8, 226.5 / 306 / 0.8, "基本符合预期"),
    # base 2019: 0.9 / 1.4 = 0.642857…; s = 4/6; q = 0.964286… (from 2020 it would read 快于预期)
    "cn_patent_intensive_gdp_share": (2019, 11.6, 2023, 12.5, 13, 0.9 / 1.4, 4 / 6, 0.9 / 1.4 / (4 / 6),
                                      "基本符合预期"),
    # base 7.39 (2019), not the first upload 7.41: 0.01 / 0.11 = 0.0909…; s = 5/6 (from 7.41: 倒退)
    "cn_copyright_industry_gdp_share": (2019, 7.39, 2024, 7.40, 7.5, 0.01 / 0.11, 5 / 6, 0.01 / 0.11 / (5 / 6),
                                        "滞后"),
    # (79.95 − 80.05) / 1.95 < 0
    "cn_ip_protection_satisfaction": (2020, 80.05, 2024, 79.95, 82, -0.1 / 1.95, 0.8, -0.1 / 1.95 / 0.8, "倒退"),
}
NO_DATA_CODE = "cn_ip_civil_acceptance_rate"
HEADLINE = ("截至2024年（序时进度80%），8 项有目标的指标中：已完成 1 项，快于预期 1 项，基本符合预期 2 项，"
            "滞后 2 项，倒退 1 项，数据不足 1 项。2025年数据尚未上传，终期结论待定。")


def _plain(text: str) -> str:
    return re.sub(r"[\s,，。;；:：“”\"]", "", normalise_name(text))


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def cli(capsys, db: Path, *args) -> tuple[int, str, str]:
    """`python -m ipdata --db DB --plan national-ip-2021-2025 ARGS`."""
    return run(capsys, "--db", db, "--plan", PLAN_ID, *args)


def status_json(capsys, db: Path) -> dict[str, dict]:
    code, out, err = cli(capsys, db, "status", "--json")
    assert (code, err) == (0, "")
    return {r["code"]: r for r in json.loads(out)}


def sheet_words(path: Path) -> str:
    wb = load_workbook(path)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)


def fill_template(path: Path, rows: dict[str, tuple[dict[int, float], str]], region: str = "全国") -> None:
    """Type the values into the template's 指标数据 sheet, as a statistician would: the row of each
    indicator (by 指标名称) for `region`, its year columns and 数据来源."""
    wb = load_workbook(path)
    ws = wb["指标数据"]
    header_row = next(r for r in range(1, 30) if any(c.value == "指标名称" for c in ws[r]))
    header = {c.value: c.column for c in ws[header_row] if c.value}
    by_name = {ws.cell(r, header["指标名称"]).value: r for r in range(header_row + 1, ws.max_row + 1)
               if ws.cell(r, header["指标名称"]).value}
    for name, (by_year, source) in rows.items():
        r = by_name[name]
        assert ws.cell(r, header["地区"]).value == region, (name, ws.cell(r, header["地区"]).value)
        for year, v in by_year.items():
            ws.cell(r, header[f"{year}年"]).value = v
        ws.cell(r, header["数据来源"]).value = source
    wb.save(path)


@pytest.fixture(autouse=True)
def _national(monkeypatch):
    """A deployment for the national plan: plans from data/plans, this plan by default."""
    monkeypatch.setenv("IPDATA_PLANS_DIR", str(PLANS_DIR))
    monkeypatch.setenv("IPDATA_PLAN", PLAN_ID)


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """The national template as `template` writes it, with NATIONAL typed in."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPDATA_PLANS_DIR", str(PLANS_DIR))
        mp.setenv("IPDATA_PLAN", PLAN_ID)
        tpl = tmp_path_factory.mktemp("national") / "全国填报.xlsx"
        assert main(["--plan", PLAN_ID, "template", str(tpl)]) == 0
        fill_template(tpl, NATIONAL)
    return tpl


@pytest.fixture(scope="module")
def national_db(filled, tmp_path_factory) -> Path:
    """A store holding the filled workbook, imported under the national plan (revision 1)."""
    db = tmp_path_factory.mktemp("national-db") / "national.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPDATA_PLANS_DIR", str(PLANS_DIR))
        mp.setenv("IPDATA_PLAN", PLAN_ID)
        code = main(["--db", str(db), "--plan", PLAN_ID, "import", str(filled), "--user", "国家局统计员",
                     "--comment", "2021—2024年全国数据"])
    assert code == 0
    return db


# --- the plan file ----------------------------------------------------------------------------


def test_the_plan_file_is_the_national_plan():
    plan = load_plan(PLAN_ID)
    assert plan.path == PLANS_DIR / f"{PLAN_ID}.yaml"
    assert (plan.title, plan.issuer, plan.document_no, plan.issued) == (
        "“十四五”国家知识产权保护和运用规划", "国务院", "国发〔2021〕20号", "2021-10-09")
    assert "国发〔2021〕20号" in plan.source_note and "2021年10月9日" in plan.source_note
    assert (plan.base_year, plan.target_year, plan.district, plan.region_level) == (2020, 2025, "全国", "省(区、市)")
    assert (plan.regions, plan.tasks, plan.phases, plan.context) == ((), (), (), ())
    assert plan.categories == ("保护", "运用", "国际合作")
    assert plan.name == "十四五国家知识产权保护和运用规划监测"
    assert not any(w in plan.text for w in ("通州", "南通", "全区"))


@pytest.mark.parametrize(("name", "unit", "base", "base_year", "target", "nature", "category", "decimals"), TABLE)
def test_each_indicator_as_the_table_states_it(name, unit, base, base_year, target, nature, category, decimals):
    plan = load_plan(PLAN_ID)
    goal = next(g for g in plan.goals if g.name == name)
    assert (goal.unit, goal.kind, goal.comparator, goal.target, goal.direction) == (unit, "level", ">=", target, "higher")
    assert (goal.base_value, plan.base_year_of(goal), plan.target_year_of(goal)) == (base, base_year, 2025)
    assert (goal.nature, goal.category, goal.display_decimals) == (nature, category, decimals)
    # ratios, shares and a score are never added up across provinces; counts and amounts are
    assert goal.additive is (name not in RATIOS)
    assert not goal.is_count and goal.target_rule == ""


def test_the_table_has_eight_indicators_in_the_plans_order():
    assert [g.name for g in load_plan(PLAN_ID).goals] == [row[0] for row in TABLE]


def test_every_indicator_quotes_the_plan_text():
    """Each goal's `source` is a row of 专栏1 as the plan prints it (source.txt beside the plan)."""
    plan = load_plan(PLAN_ID)
    text = _plain((PLANS_DIR / f"{PLAN_ID}.source.txt").read_text(encoding="utf-8"))
    assert _plain("国发〔2021〕20号") in text and _plain("2021年10月9日") in text
    for goal in plan.goals:
        assert _plain(goal.source) in text, (goal.code, goal.source)
        # the quoted row holds the base and the target the file states
        figures = re.findall(r"\d+(?:\.\d+)?", goal.source.split(")", 1)[-1])
        assert float(figures[0]) == goal.base_value and float(figures[-1]) == goal.target, goal.code


def test_the_plan_shares_no_indicator_code_with_tongzhou():
    """A code is one indicator in one area: the national values must not mix with a county's."""
    tongzhou = load_plan("tongzhou-2022-2025")
    assert not set(load_plan(PLAN_ID).all_series) & set(tongzhou.all_series)


# --- the CLI, as the national office uses it ---------------------------------------------------


def test_template_is_the_national_plans(tmp_path, capsys):
    tpl = tmp_path / "模板.xlsx"
    code, out, err = run(capsys, "--plan", PLAN_ID, "template", tpl)
    assert (code, err) == (0, "") and str(tpl) in out
    wb = load_workbook(tpl)
    ws = wb["指标数据"]
    header_row = next(r for r in range(1, 30) if any(c.value == "指标名称" for c in ws[r]))
    header = [c.value for c in ws[header_row] if c.value]
    assert {f"{y}年" for y in range(2020, 2026)} <= set(header)
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=header_row + 1)]
    named = [(r[header.index("指标名称")], r[header.index("地区")]) for r in rows if r[header.index("指标名称")]]
    assert named == [(name, "全国") for name, *_ in TABLE]
    words = sheet_words(tpl)
    assert "全国" in words and "省(区、市)" in words
    assert not [w for w in TONGZHOU_WORDS if w in words]
    guide = "\n".join(str(c.value) for row in wb["填报说明"].iter_rows() for c in row if c.value)
    assert "2020年" in guide and "2021年…2025年" not in guide


def test_import_keeps_every_value_as_typed(national_db, capsys):
    code, out, err = cli(capsys, national_db, "values", "--json")
    assert (code, err) == (0, "")
    got = {(r["name"], r["region"], r["year"]): (r["value"], r["unit"]) for r in json.loads(out)}
    units = {name: unit for name, unit, *_ in TABLE}
    assert got == {(name, "全国", y): (v, units[name]) for name, (by_year, _) in NATIONAL.items()
                   for y, v in by_year.items()}
    code, out, err = cli(capsys, national_db, "revisions", "--json")
    [rev] = json.loads(out)
    assert (rev["id"], rev["user"], rev["comment"]) == (1, "国家局统计员", "2021—2024年全国数据")


def test_status_json_is_worked_out_from_the_plans_bases(national_db, capsys):
    got = status_json(capsys, national_db)
    assert list(got) == [g.code for g in load_plan(PLAN_ID).goals]
    for code, (b_year, b_value, l_year, l_value, target, c, s, q, status) in EXPECTED.items():
        r = got[code]
        assert (r["region"], r["target"], r["target_year"], r["status"]) == ("全国", target, 2025, status), code
        assert (r["base_year"], r["base_value"], r["latest_year"], r["latest_value"]) == (
            b_year, pytest.approx(b_value), l_year, pytest.approx(l_value)), code
        assert r["completion"] == pytest.approx(c), code
        assert r["time_elapsed"] == pytest.approx(s), code
        assert r["schedule_ratio"] == pytest.approx(q), code
        assert r["final_achieved"] is None, code  # 2025 not yet uploaded
        assert r["share_of_district"] is None, code  # the nation is the district: no share of itself
        assert (r["nature"], r["target_rule"]) == ("预期性", ""), code  # 属性; a target the plan states
    nodata = got[NO_DATA_CODE]
    assert (nodata["status"], nodata["target"], nodata["base_value"], nodata["latest_value"]) == (
        "数据不足", 86, 85.6, None)
    assert {r["code"]: r["decimals"] for r in got.values()} == {
        g.code: d for g, (*_, d) in zip(load_plan(PLAN_ID).goals, TABLE, strict=True)}


def test_status_text_says_the_figures_rounded_as_the_plan_writes_them(national_db, capsys):
    code, out, err = cli(capsys, national_db, "status")
    assert (code, err) == (0, "")
    for figure in ("14.0件", "7.2万件", "3150亿元", "3421亿元", "12.5%", "7.40%", "79.95分"):
        assert figure in out, figure
    assert "预期性" in out  # the plan's 属性 beside each status
    assert not [w for w in TONGZHOU_WORDS if w in out]


def test_a_different_uploaded_base_year_value_does_not_replace_the_plans_base(tmp_path, capsys):
    """The plan says 6.3 for 2020; a statistician uploads 6.4 for 2020: the base stays 6.3, and a
    note says the uploaded value differs."""
    tpl, db = tmp_path / "t.xlsx", tmp_path / "b.duckdb"
    assert run(capsys, "--plan", PLAN_ID, "template", tpl)[0] == 0
    fill_template(tpl, {"每万人口高价值发明专利拥有量": ({2020: 6.4, 2021: 7.5, 2022: 9.4}, INVENTED)})
    assert cli(capsys, db, "import", tpl)[0] == 0
    r = status_json(capsys, db)["cn_hv_invention_per10k"]
    assert (r["base_year"], r["base_value"], r["latest_value"]) == (2020, 6.3, 9.4)
    # c = (9.4 − 6.3) / 5.7 = 0.543860; s = 2/5; q = 1.359649 → 快于预期 (from 6.4 it would be 0.526)
    assert r["completion"] == pytest.approx(3.1 / 5.7) and r["status"] == "快于预期"
    assert "6.4" in r["notes"] and "6.3" in r["notes"]


def test_plans_lists_the_national_plan_with_its_years(national_db, capsys):
    code, out, err = cli(capsys, national_db, "plans")
    assert (code, err) == (0, "")
    line = next(x for x in out.splitlines() if PLAN_ID in x)
    assert "2020" in line and "2025" in line


def test_beside_tongzhous_plan_in_one_store(national_db, tmp_path, capsys, monkeypatch):
    """Tongzhou's statistician imports into the same store: each plan keeps its own figures, and
    the county's values never appear as the nation's or as a province."""
    db, tpl = tmp_path / "both.duckdb", tmp_path / "通州.xlsx"
    shutil.copy(national_db, db)
    before = status_json(capsys, db)
    assert run(capsys, "--plan", "tongzhou-2022-2025", "template", tpl)[0] == 0
    fill_template(tpl, {"万人高价值发明专利拥有量": ({2021: 8.2, 2022: 10.1}, "区市场监管局")}, region="全区")
    assert run(capsys, "--db", db, "--plan", "tongzhou-2022-2025", "import", tpl)[0] == 0
    assert status_json(capsys, db) == before
    codes = {g.code for g in load_plan(PLAN_ID).goals}
    code, out, err = cli(capsys, db, "values", "--json")
    assert {r["region"] for r in json.loads(out) if r["code"] in codes} == {"全国"}
    code, out, err = run(capsys, "--db", db, "--plan", "tongzhou-2022-2025", "status", "--json")
    tongzhou = {r["code"]: r for r in json.loads(out)}["hv_invention_per10k"]
    assert (tongzhou["region"], tongzhou["latest_value"]) == ("全区", 10.1)
    code, out, err = run(capsys, "--db", db, "plans")
    assert PLAN_ID in out and "tongzhou-2022-2025" in out
    monkeypatch.setenv("IPDATA_DB", str(db))
    for page in ("pages/overview.py", "pages/regions.py"):  # no county figure shown as a province's
        words = page_words(app(page))
        assert not [w for w in TONGZHOU_WORDS if w in words], page


def test_export_reimports_into_a_fresh_store_as_the_same_values(national_db, tmp_path, capsys):
    out_xlsx, db2 = tmp_path / "导出.xlsx", tmp_path / "copy.duckdb"
    code, out, err = cli(capsys, national_db, "export", out_xlsx)
    assert (code, err) == (0, "")
    assert not [w for w in TONGZHOU_WORDS if w in sheet_words(out_xlsx)]
    assert cli(capsys, db2, "import", out_xlsx)[0] == 0
    values = [cli(capsys, d, "values", "--json")[1] for d in (national_db, db2)]
    assert json.loads(values[0]) == json.loads(values[1])
    assert status_json(capsys, db2) == status_json(capsys, national_db)


def test_backup_and_restore_keep_the_national_scorecard(national_db, tmp_path, capsys):
    bk, db2 = tmp_path / "备份", tmp_path / "restored.duckdb"
    code, out, err = cli(capsys, national_db, "backup", bk)
    assert (code, err) == (0, "") and "第 1 版" in out
    manifest = json.loads((bk / "manifest.json").read_text(encoding="utf-8"))
    assert PLAN_ID in json.dumps(manifest, ensure_ascii=False)
    assert not [w for w in TONGZHOU_WORDS if w in sheet_words(bk / "全部数据.xlsx")]
    assert cli(capsys, national_db, "restore", bk, "--db", db2)[0] == 0
    assert status_json(capsys, db2) == status_json(capsys, national_db)


def deck_words(prs) -> list[str]:
    """Every text a reader sees in the deck: text boxes, table cells, chart titles and series."""
    out = []
    for slide in prs.slides:
        words = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                words.append(shape.text_frame.text)
            if shape.has_table:
                words += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                chart = shape.chart
                if chart.has_title:
                    words.append(chart.chart_title.text_frame.text)
                words += [s.name for s in chart.plots[0].series]
        out.append("\n".join(words))
    return out


def test_deck_speaks_of_the_national_plan(national_db, tmp_path, capsys):
    pptx = tmp_path / "汇报.pptx"
    code, out, err = cli(capsys, national_db, "deck", pptx)
    assert (code, err) == (0, "")
    slides = deck_words(Presentation(io.BytesIO(pptx.read_bytes())))
    assert "“十四五”国家知识产权保护和运用规划" in slides[0] and "2024年" in slides[0]
    everything = "\n".join(slides)
    assert not [w for w in TONGZHOU_WORDS if w in everything]
    assert "示例数据" not in slides[0]  # an official import, though its figures are invented
    for name, *_ in TABLE:  # one slide per indicator, opening with its name
        assert any(s.startswith(name) for s in slides[2:]), name
    satisfaction = next(s for s in slides[2:] if s.startswith("知识产权保护社会满意度"))
    assert "79.95分" in satisfaction and "倒退" in satisfaction and "预期性" in satisfaction
    copyright_share = next(s for s in slides[2:] if s.startswith("版权产业增加值占GDP比重"))
    # from the plan's 2019 base 7.39: (7.40 − 7.39) / 0.11 = 9.1%; (2024 − 2019) / 6 = 83.3%
    assert "7.40%" in copyright_share and "完成进度 9.1%，序时进度 83.3%" in copyright_share


def test_cli_help_names_no_other_plan(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--plan", PLAN_ID, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert not [w for w in TONGZHOU_WORDS if w in out]


# --- the pages ---------------------------------------------------------------------------------

PAGES = ["pages/overview.py", "pages/goal.py", "pages/category.py", "pages/regions.py",
         "pages/tasks.py", "pages/export.py", "pages/data.py", "pages/brief.py"]


@pytest.fixture
def page_db(national_db, tmp_path, monkeypatch) -> Path:
    """A copy of the national store as the dashboard's database (pages may write login records)."""
    db = tmp_path / "dash.duckdb"
    shutil.copy(national_db, db)
    monkeypatch.setenv("IPDATA_DB", str(db))
    return db


def app(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.query_params.update({"plan": PLAN_ID, **query})
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def page_words(at) -> str:
    """What a reader sees on the page: texts, tables, widget labels and values, chart specs (not a
    widget's options: a plan switcher rightly offers the other plans by name)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "text", "code"):
        parts += [str(e.value) for e in getattr(at, kind, [])]
    for e in at.dataframe:
        parts += [str(c) for c in e.value.columns] + [e.value.to_string()]
    for kind in ("selectbox", "radio", "multiselect", "segmented_control", "pills", "button", "tabs",
                 "expander", "metric", "download_button"):
        for e in getattr(at, kind, []):
            parts += [str(getattr(e, attr, "")) for attr in ("label", "value")]
    parts += [str(e.proto) for e in at.get("plotly_chart")]
    parts += [e.proto.body for e in at.html]  # the brief's card
    return "\n".join(parts)


def texts(at) -> str:
    return "\n".join(str(m.value) for m in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error])


def tile_html(at) -> str:
    return "".join(str(m.value) for m in at.markdown if 'class="ip-tile"' in str(m.value))  # one element a tile


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_the_national_plan_in_its_own_words(page_db, page):
    at = app(page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    words = page_words(at)
    assert not [w for w in TONGZHOU_WORDS if w in words]
    assert [s.value for s in at.selectbox if s.label == "规划"] == [PLAN_ID]  # the plan switcher
    if page != "pages/data.py":  # (the data page asks a viewer to log in first)
        plan = load_plan(PLAN_ID)
        assert [w for w in (plan.name, plan.title, "全国", "省(区、市)", *(g.name for g in plan.goals)) if w in words]
    assert "示例数据" not in "\n".join(str(w.value) for w in at.warning)


def test_overview_scores_the_national_table(page_db):
    at = app()
    assert load_plan(PLAN_ID).name in texts(at)
    assert HEADLINE in texts(at)
    html = tile_html(at)
    assert html.count('class="ip-tile"') == 8
    # figures rounded as the plan writes them: 1 decimal, whole 亿元 (3420.5 → 3421), hundredths of a point
    assert '<div class="ip-val">14.0件 <small>2024年</small></div>' in html
    assert '<div class="ip-val">3421亿元 <small>2024年</small></div>' in html
    assert '<div class="ip-val">79.95分 <small>2024年</small></div>' in html
    assert '<div class="ip-val">7.40% <small>2024年</small></div>' in html
    # worst first: 倒退, then 滞后 by schedule ratio (0.11 before 0.80), listed under the headline
    lists = [re.findall('<span class="ip-attn-name">(.*?)</span>', h.proto.body) for h in at.html]
    assert [names for names in lists if names] == 2 * [  # a phone's copy and a laptop's
        ["知识产权保护社会满意度", "版权产业增加值占GDP比重", "海外发明专利授权量"]]
    assert "预期性" in page_words(at)


def test_goal_page_measures_from_the_2019_base(page_db):
    at = app("pages/goal.py", code="cn_patent_intensive_gdp_share")
    assert at.selectbox(key="goal_code").value == "cn_patent_intensive_gdp_share"
    methods = next(d.value for d in at.dataframe if "数值" in d.value.columns)
    shown = list(methods["数值"])
    # c = 0.9 / 1.4 = 64.3%; 序时进度 (2023 − 2019) / (2025 − 2019) = 66.7%; q = 0.96
    assert {"64.3%", "66.7%", "0.96"} <= set(shown), shown
    assert "基本符合预期" in texts(at) and "预期性" in page_words(at)
    assert "专利密集型产业增加值占GDP比重(%) 11.6(2019年) 13 预期性" in texts(at)  # the plan's words


def test_category_page_offers_the_plans_groups(page_db):
    at = app("pages/category.py")
    control = at.segmented_control(key="category")
    assert list(control.options) == ["保护", "运用", "国际合作"]
    at.segmented_control(key="category").set_value("国际合作").run()
    assert tile_html(at).count('class="ip-tile"') == 1 and "海外发明专利授权量" in tile_html(at)
