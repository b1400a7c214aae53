"""`python -m ipdata import`: the summary a statistician reads (counts by goal and year, problems
errors first, at most 50 changes) and `--changes FILE.xlsx` with all of them; exit codes and text."""

import json
import re

import pytest
from python_calamine import CalamineWorkbook

from bench import synthetic
from ipdata import cli
from ipdata.errors import IpdataError, Problem
from tests.test_cli import fill_template, run

HEADERS = ["变化", "类型", "名称", "地区", "年份", "原值", "新值", "单位"]


def sheet_rows(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("全部变化").to_python()


def lines_between(out: str, start: str, end: str) -> list[str]:
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith(start))
    j = next(n for n in range(i + 1, len(lines)) if lines[n].startswith(end) or not lines[n].strip())
    return lines[i + 1:j]


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """The smoke-size synthetic plan and long workbook: 20 goals × 10 regions × 2021–2025 = 1,000 rows."""
    tmp = tmp_path_factory.mktemp("big")
    size = synthetic.SIZES["small"]
    return synthetic.write_plan(tmp / f"bench-{size.goals}.yaml", size.goals), synthetic.write_long(tmp / "long.xlsx", size)


def test_counts_by_goal_and_year_then_fifty_changes(big, tmp_path, capsys):
    plan, xlsx = big
    code, out, err = run(capsys, "--db", tmp_path / "a.duckdb", "--plan", plan, "import", xlsx)
    assert code == 0, err
    # each goal: 10 regions a year, 5 years → "10/0" in every year column and 50/0 in total
    table = lines_between(out, "各指标、各年份的变化", "变化明细")
    assert table[0].split() == ["指标", "2021年", "2022年", "2023年", "2024年", "2025年", "合计"]
    assert [line.split() for line in table[1:]] == [
        [synthetic.goal_name(i), "10/0", "10/0", "10/0", "10/0", "10/0", "50/0"] for i in range(20)]
    assert "变化明细（前 50 项，共 1000 项）：" in out
    listed = lines_between(out, "变化明细", "…")
    assert len(listed) == 1 + 50  # header + 50 changes, never all 1,000
    # the diff comes sorted by code, region, year: g000 全区 2021 … 2025, then g000 合成镇001 …
    assert listed[1].split()[:5] == ["新增", "数值", "合成指标000", "全区", "2021"]
    assert listed[6].split()[:5] == ["新增", "数值", "合成指标000", "合成镇001", "2021"]
    assert "… 另有 950 项变化，用 --changes 文件.xlsx 查看全部" in out
    assert out.rstrip().endswith("已保存为第 1 版：新增 1000 项，修改 0 项，未变 0 项。")
    assert len(out.splitlines()) < 100


def test_changes_file_holds_every_change(big, tmp_path, capsys):
    plan, xlsx = big
    changes = tmp_path / "全部变化.xlsx"
    code, out, err = run(capsys, "--db", tmp_path / "a.duckdb", "--plan", plan, "import", xlsx,
                         "--dry-run", "--changes", changes)
    assert code == 0, err
    assert f"全部 1000 项变化和 1 条警告已写入：{changes}" in out and "另有" not in out
    assert "新增 1000 项，修改 0 项，未变 0 项" in out and "试运行" in out
    # the synthetic plan lists no regions: one warning names the nine new ones
    [warning] = [line for line in out.splitlines() if line.startswith("[警告]")]
    assert warning.startswith("[警告] 工作表“逐行数据”") and "“合成镇001”" in warning and "“合成镇009”" in warning
    rows = sheet_rows(changes)
    assert rows[0] == HEADERS and len(rows) == 1 + 1000
    # the same 1,000 (goal, region, year, value) as the workbook that was read, with 件/%/万元/家
    frame = synthetic.long_frame(synthetic.SIZES["small"])
    units = {synthetic.goal_name(i): synthetic.UNITS[i % 4] for i in range(20)}
    want = sorted((n, r, float(y), float(v), units[n]) for n, r, y, v in frame.itertuples(index=False))
    got = sorted((r[2], r[3], r[4], r[6], r[7]) for r in rows[1:])
    assert got == want
    assert {(r[0], r[1], r[5]) for r in rows[1:]} == {("新增", "数值", "")}
    book = CalamineWorkbook.from_path(str(changes))
    assert book.sheet_names == ["全部变化", "警告"]
    problems = book.get_sheet_by_name("警告").to_python()
    assert problems[0] == ["工作表", "单元格", "问题"] and len(problems) == 2
    assert problems[1][0] == "逐行数据" and "“合成镇009”" in problems[1][2]
    # dry run: nothing stored
    code, out, _ = run(capsys, "--db", tmp_path / "a.duckdb", "--plan", plan, "values", "--json")
    assert json.loads(out) == []


def test_second_import_counts_new_and_changed(tmp_path, capsys):
    db, first, second = tmp_path / "a.duckdb", tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    for f in (first, second):
        run(capsys, "template", f)
    fill_template(first, {("万人高价值发明专利拥有量", "全区"): {2021: 8.2, 2022: 10.1},
                          ("新增贯标单位", "全区"): {2022: 18}})
    fill_template(second, {("万人高价值发明专利拥有量", "全区"): {2021: 8.2, 2022: 10.4, 2023: 12.6},
                           ("新增贯标单位", "全区"): {2022: 18, 2023: 20}})
    assert run(capsys, "--db", db, "import", first)[0] == 0
    changes = tmp_path / "changes.xlsx"
    code, out, err = run(capsys, "--db", db, "import", second, "--changes", changes)
    assert (code, err) == (0, "")
    # 万人: 2021 unchanged, 2022 10.1 → 10.4 changed, 2023 new; 贯标: 2022 unchanged, 2023 new
    table = lines_between(out, "各指标、各年份的变化", "变化明细")
    assert [line.split() for line in table] == [
        ["指标", "2022年", "2023年", "合计"],
        ["万人高价值发明专利拥有量", "0/1", "1/0", "1/1"],
        ["新增贯标单位", "1/0", "1/0"],  # no change in 2022: a blank cell
    ]
    assert "变化明细（全部 3 项）：" in out and "另有" not in out
    listed = lines_between(out, "变化明细", "已保存")
    assert listed[-1].split() == ["新增", "数值", "新增贯标单位", "全区", "2023", "20", "家"]  # 20, not 20.0
    assert "已保存为第 2 版：新增 2 项，修改 1 项，未变 2 项。" in out
    assert sheet_rows(changes)[1:] == [
        ["修改", "数值", "万人高价值发明专利拥有量", "全区", 2022.0, 10.1, 10.4, "件"],
        ["新增", "数值", "万人高价值发明专利拥有量", "全区", 2023.0, "", 12.6, "件"],
        ["新增", "数值", "新增贯标单位", "全区", 2023.0, "", 20.0, "家"],
    ]


def test_problems_errors_first_then_warnings(tmp_path, capsys, monkeypatch):
    warning = Problem("fraction-percent", "若为 0.8% 无需修改；若本意是 80%，请填 80。", sheet="指标数据",
                      row=5, column="D", severity="warning")
    error = Problem("not-a-number", "“九十”不是数字，请填数字。", sheet="指标数据", row=3, column="B")

    def refuse(*args, **kwargs):
        raise IpdataError("文件“x.xlsx”有 1 个错误，未导入任何数据。", [warning, error], hint="按提示修改。")

    monkeypatch.setattr(cli.service, "import_file", refuse)
    xlsx = tmp_path / "x.xlsx"
    run(capsys, "template", xlsx)
    code, out, err = run(capsys, "--db", tmp_path / "a.duckdb", "import", xlsx)
    assert code == 1 and out == ""
    assert err.splitlines()[1:3] == [
        "  [错误] 工作表“指标数据” 单元格 B3：“九十”不是数字，请填数字。",
        "  [警告] 工作表“指标数据” 单元格 D5：若为 0.8% 无需修改；若本意是 80%，请填 80。",
    ]


def test_refused_dry_run_names_the_cell(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    run(capsys, "template", bad)
    fill_template(bad, {("案件结案率", "全区"): {2021: 90, 2022: "九十"}})
    code, out, err = run(capsys, "--db", tmp_path / "a.duckdb", "import", bad, "--dry-run",
                         "--changes", tmp_path / "c.xlsx")
    assert code == 1 and "不能导入" in err and "[错误] 工作表“指标数据” 单元格 " in err and "九十" in err
    assert not (tmp_path / "c.xlsx").exists()


def test_changes_file_must_be_xlsx(tmp_path, capsys):
    xlsx = tmp_path / "t.xlsx"
    run(capsys, "template", xlsx)
    code, out, err = run(capsys, "--db", tmp_path / "a.duckdb", "import", xlsx, "--changes", tmp_path / "c.csv")
    assert code == 1 and "--changes 的文件应以 .xlsx 结尾" in err
    code, out, err = run(capsys, "--db", tmp_path / "a.duckdb", "revisions", "--json")
    assert json.loads(out) == []


def test_changes_file_that_cannot_be_written(tmp_path, capsys):
    xlsx = tmp_path / "t.xlsx"
    run(capsys, "template", xlsx)
    fill_template(xlsx, {("案件结案率", "全区"): {2021: 86.5}})
    target = tmp_path / "no-such-dir" / "c.xlsx"
    code, out, err = run(capsys, "--db", tmp_path / "a.duckdb", "import", xlsx, "--changes", target)
    assert code == 1 and f"无法写入文件：{target}" in err and "Traceback" not in err
    assert "已保存为第 1 版" in out  # the import itself was saved before the list was written


def test_a_2025_only_file_gives_cumulative_goals_no_verdict(tmp_path, capsys):
    """Issue 11 item 8 end to end: only 2025 uploaded into an empty store."""
    db, xlsx = tmp_path / "a.duckdb", tmp_path / "2025.xlsx"
    run(capsys, "template", xlsx)
    fill_template(xlsx, {("新增贯标单位", "全区"): {2025: 77}, ("案件结案率", "全区"): {2025: 92.4}})
    assert run(capsys, "--db", db, "import", xlsx)[0] == 0
    code, out, _ = run(capsys, "--db", db, "status", "--json")
    rec = {r["code"]: r for r in json.loads(out)}
    assert {k: rec["ip_standard_units_new"][k] for k in ("status", "final_achieved", "latest_value",
                                                         "status_reason")} == {
        "status": "数据不足", "final_achieved": None, "latest_value": None,
        "status_reason": "缺少2022、2023、2024年的新增数，无法判断是否完成"}
    assert (rec["case_closure_rate"]["status"], rec["case_closure_rate"]["final_achieved"]) == ("已完成", True)
    code, out, _ = run(capsys, "--db", db, "status")
    assert code == 0 and "未完成" not in out
    assert "· 新增贯标单位数据不足：缺少2022、2023、2024年的新增数，无法判断是否完成。" in out


def test_change_counts_names_targets_and_tasks():
    import pandas as pd

    from ipdata.catalogue import load_plan
    from ipdata.views import change_counts

    rows = pd.DataFrame({
        "table": ["values", "values", "values", "targets", "tasks", "values", "values"],
        "series": ["overseas_patents_new", "hv_invention_per10k", "hv_invention_per10k",
                   "overseas_patents_new", None, "population", "population"],
        "year": pd.array([2022, 2022, 2023, 2025, None, 2022, 2023], dtype="Int64"),
        "name": ["新增海外专利授权", "万人高价值发明专利拥有量", "万人高价值发明专利拥有量", "新增海外专利授权",
                 "某任务", "常住人口", "常住人口"],
        "change": ["new", "changed", "new", "new", "changed", "new", "unchanged"],
    })
    got = change_counts(load_plan("tongzhou-2022-2025"), rows)
    # plan order (万人 before 新增海外, goals before context series), then targets, then tasks;
    # the unchanged 常住人口 2023 is not counted, so there is no 2023 cell for it
    assert got.columns.tolist() == ["指标", "2022年", "2023年", "2025年", "合计"]
    assert got.values.tolist() == [
        ["万人高价值发明专利拥有量", "0/1", "1/0", "", "1/1"],
        ["新增海外专利授权", "1/0", "", "", "1/0"],
        ["常住人口", "1/0", "", "", "1/0"],
        ["新增海外专利授权（分解目标）", "", "", "1/0", "1/0"],
        ["任务进度", "", "", "", "0/1"],
    ]


def test_official_import_over_demo_says_how_many_demo_values_go(tmp_path, capsys):
    db, xlsx = tmp_path / "a.duckdb", tmp_path / "t.xlsx"
    assert run(capsys, "--db", db, "demo")[0] == 0
    code, out, _ = run(capsys, "--db", db, "values", "--json")
    demo_values = len(json.loads(out))
    run(capsys, "template", xlsx)
    fill_template(xlsx, {("新增贯标单位", "全区"): {2025: 77}})
    code, out, err = run(capsys, "--db", db, "import", xlsx, "--dry-run")
    assert code == 0, err
    found = re.search(r"新增 1 项，修改 0 项，未变 0 项；将删除示例数据 (\d+) 项", out)
    assert found and int(found.group(1)) >= demo_values  # values, plus demo targets and task statuses
    code, out, err = run(capsys, "--db", db, "import", xlsx)
    assert code == 0 and f"已删除示例数据 {found.group(1)} 项" in out


def test_at_most_fifty_warnings_on_screen_all_in_the_file(big, tmp_path, capsys):
    """18 level goals × 2 regions, 10 → 30 → 10 → 30 → 10: +200 % in 2022 and 2024 is past the
    plan's year-on-year check (100 %), −67 % is not: 72 warnings, plus one naming 合成镇001."""
    import pandas as pd

    plan, _ = big
    levels = [i for i in range(20) if i % 10 != 9]  # g009 and g019 are cumulative
    frame = pd.DataFrame([(synthetic.goal_name(i), region, year, value)
                          for i in levels for region in ("全区", "合成镇001")
                          for year, value in zip(range(2021, 2026), (10, 30, 10, 30, 10), strict=True)],
                         columns=["指标", "地区", "年份", "数值"])
    xlsx = synthetic._write(tmp_path / "jumps.xlsx", frame, "逐行数据")
    code, out, err = run(capsys, "--db", tmp_path / "a.duckdb", "--plan", plan, "import", xlsx, "--dry-run")
    assert code == 0, err
    shown = [line for line in out.splitlines() if line.startswith("[警告]")]
    assert len(shown) == 50
    assert "… 另有 23 条警告，用 --changes 文件.xlsx 查看全部" in out
    changes = tmp_path / "c.xlsx"
    code, out, err = run(capsys, "--db", tmp_path / "a.duckdb", "--plan", plan, "import", xlsx, "--dry-run",
                         "--changes", changes)
    assert f"… 另有 23 条警告，全部见 {changes}" in out
    assert f"全部 180 项变化和 73 条警告已写入：{changes}" in out
    problems = CalamineWorkbook.from_path(str(changes)).get_sheet_by_name("警告").to_python()
    assert len(problems) == 1 + 73
    assert sum("增长 200%" in p[2] for p in problems[1:]) == 72
