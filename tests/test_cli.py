"""The CLI: exit codes and message text, on real .xlsx files and a real DuckDB file."""

import json
import subprocess
import sys

from openpyxl import load_workbook

from ipdata.cli import main
from tests.conftest import ROOT


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def values(capsys, db):
    code, out, _ = run(capsys, "--db", db, "values", "--json")
    assert code == 0
    return json.loads(out)


def revisions(capsys, db):
    code, out, _ = run(capsys, "--db", db, "revisions", "--json")
    assert code == 0
    return json.loads(out)


def fill_template(path, rows):
    """Write {(name, region): {year: value}} into the template's 指标数据 sheet (found by header text)."""
    wb = load_workbook(path)
    ws = wb["指标数据"]
    header_row = next(r for r in range(1, 30) if any(c.value == "指标名称" for c in ws[r]))
    header = {c.value: c.column for c in ws[header_row] if c.value}
    names = {ws.cell(r, header["指标名称"]).value: r for r in range(header_row + 1, ws.max_row + 1)}
    for (name, region), by_year in rows.items():
        r = names[name]
        assert ws.cell(r, header["地区"]).value == region
        for year, v in by_year.items():
            ws.cell(r, header[f"{year}年"]).value = v
    wb.save(path)


def test_template_import_values_export_roundtrip(tmp_path, capsys):
    db, tpl = tmp_path / "a.duckdb", tmp_path / "模板.xlsx"
    assert run(capsys, "template", tpl)[0] == 0
    fill_template(tpl, {
        ("万人高价值发明专利拥有量", "全区"): {2021: 8.2, 2022: 10.1},
        ("新增贯标单位", "全区"): {2022: 18, 2023: "20"},
    })
    code, out, err = run(capsys, "--db", db, "import", tpl, "--user", "张三", "--comment", "首次填报")
    assert (code, err) == (0, "")
    assert "新增 4 项" in out and "第 1 版" in out
    assert values(capsys, db) == [
        {"code": "hv_invention_per10k", "name": "万人高价值发明专利拥有量", "region": "全区", "year": 2021, "value": 8.2, "unit": "件"},
        {"code": "hv_invention_per10k", "name": "万人高价值发明专利拥有量", "region": "全区", "year": 2022, "value": 10.1, "unit": "件"},
        {"code": "ip_standard_units_new", "name": "新增贯标单位", "region": "全区", "year": 2022, "value": 18.0, "unit": "家"},
        {"code": "ip_standard_units_new", "name": "新增贯标单位", "region": "全区", "year": 2023, "value": 20.0, "unit": "家"},
    ]
    [rev] = revisions(capsys, db)
    assert (rev["id"], rev["user"], rev["file_name"], rev["comment"]) == (1, "张三", "模板.xlsx", "首次填报")

    # export → import into a fresh store gives exactly the same values
    out_xlsx, db2 = tmp_path / "导出.xlsx", tmp_path / "b.duckdb"
    assert run(capsys, "--db", db, "export", out_xlsx)[0] == 0
    assert "版本记录" in load_workbook(out_xlsx).sheetnames
    assert run(capsys, "--db", db2, "import", out_xlsx)[0] == 0
    assert values(capsys, db2) == values(capsys, db)

    # the identical file again is a no-op that says so
    code, out, _ = run(capsys, "--db", db, "import", tpl)
    assert code == 0 and "相同" in out
    assert len(revisions(capsys, db)) == 1


def test_dry_run_stores_nothing(tmp_path, capsys):
    db, tpl = tmp_path / "a.duckdb", tmp_path / "t.xlsx"
    run(capsys, "template", tpl)
    fill_template(tpl, {("案件结案率", "全区"): {2021: 86.5}})
    code, out, _ = run(capsys, "--db", db, "import", tpl, "--dry-run")
    assert code == 0 and "新增 1 项" in out and "试运行" in out
    assert values(capsys, db) == [] and revisions(capsys, db) == []


def test_refused_import_changes_nothing(tmp_path, capsys):
    db, good, bad = tmp_path / "a.duckdb", tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    run(capsys, "template", good)
    fill_template(good, {("案件结案率", "全区"): {2021: 86.5}})
    assert run(capsys, "--db", db, "import", good)[0] == 0
    before = (values(capsys, db), revisions(capsys, db))
    run(capsys, "template", bad)
    fill_template(bad, {("案件结案率", "全区"): {2021: 90, 2022: "九十"}})
    code, out, err = run(capsys, "--db", db, "import", bad)
    assert code == 1
    assert "未导入任何数据" in err and "指标数据" in err and "九十" in err
    assert (values(capsys, db), revisions(capsys, db)) == before


def test_rollback_restores_an_earlier_revision(tmp_path, capsys):
    db, f1, f2 = tmp_path / "a.duckdb", tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    for f in (f1, f2):
        run(capsys, "template", f)
    fill_template(f1, {("案件结案率", "全区"): {2021: 86.5}})
    fill_template(f2, {("案件结案率", "全区"): {2021: 87.0, 2022: 88.0}})
    run(capsys, "--db", db, "import", f1)
    run(capsys, "--db", db, "import", f2)
    assert [v["value"] for v in values(capsys, db)] == [87.0, 88.0]
    code, out, _ = run(capsys, "--db", db, "rollback", 1)
    assert code == 0
    assert [(v["year"], v["value"]) for v in values(capsys, db)] == [(2021, 86.5)]
    assert [r["kind"] for r in revisions(capsys, db)] == ["import", "import", "rollback"]
    code, _, err = run(capsys, "--db", db, "rollback", 99)
    assert code == 1 and "99" in err


def test_demo_loads_once(tmp_path, capsys):
    db = tmp_path / "a.duckdb"
    code, out, _ = run(capsys, "--db", db, "demo", "--if-empty")
    assert code == 0 and "第 1 版" in out
    assert len(values(capsys, db)) > 80
    code, out, _ = run(capsys, "--db", db, "demo", "--if-empty")
    assert code == 0 and "已有数据" in out
    assert len(revisions(capsys, db)) == 1


def test_missing_file_and_usage_errors(tmp_path, capsys):
    code, _, err = run(capsys, "--db", tmp_path / "a.duckdb", "import", tmp_path / "nope.xlsx")
    assert code == 1 and "找不到文件" in err
    proc = subprocess.run([sys.executable, "-m", "ipdata", "frobnicate"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "参数错误" in proc.stderr


def test_not_a_workbook_via_subprocess(tmp_path):
    fake = tmp_path / "data.xlsx"
    fake.write_text("指标,2021\n案件结案率,86.5\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ipdata", "--db", str(tmp_path / "a.duckdb"), "import", str(fake)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and ".xlsx" in proc.stderr


def test_goals_lists_every_goal(capsys):
    code, out, _ = run(capsys, "goals")
    assert code == 0
    assert out.count("\n") == 22  # header + 21 goals (the rank goal added in issue 13)
    assert "万人高价值发明专利拥有量" in out and "≥18件" in out


def test_status_json_on_demo(tmp_path, capsys):
    db = tmp_path / "a.duckdb"
    run(capsys, "--db", db, "demo")
    code, out, _ = run(capsys, "--db", db, "status", "--json")
    assert code == 0
    rows = {r["code"]: r for r in json.loads(out)}
    assert len(rows) == 21  # 20 numeric goals + the rank goal (issue 13)
    hv = rows["hv_invention_per10k"]
    # (14.9 - 8.2) / (18 - 8.2) = 0.68367; (2024-2021)/(2025-2021) = 0.75; q = 0.9116
    assert (hv["base_value"], hv["latest_year"], hv["latest_value"]) == (8.2, 2024, 14.9)
    assert round(hv["completion"], 4) == 0.6837 and hv["time_elapsed"] == 0.75
    assert hv["status"] == "基本符合预期"
    assert rows["ip_service_staff"]["status"] == "倒退"  # 116 < base 120
    assert rows["ip_pledge_amount"]["status"] == "已完成"  # 21.4 > 20
    assert rows["ip_standard_units_new"]["latest_value"] == 59  # 18+20+21, the 2021 value not counted
    # derived: 87710 / 125.3 = 700.0 per 10,000 residents
    assert round(rows["copyright_reg_per10k"]["latest_value"], 1) == 700.0
    assert "示例数据" not in out  # JSON is data only; the text form carries the notice


def test_status_for_a_region_with_its_own_target(tmp_path, capsys):
    db = tmp_path / "a.duckdb"
    run(capsys, "--db", db, "demo")
    code, out, _ = run(capsys, "--db", db, "status", "--json", "--region", "南通高新区")
    rows = {r["code"]: r for r in json.loads(out)}
    hv = rows["hv_invention_per10k"]
    # target 28: (24.1 - 15.3) / (28 - 15.3) = 0.6929; q = 0.9239
    assert (hv["region"], hv["target"], round(hv["completion"], 4), hv["status"]) == (
        "南通高新区", 28.0, 0.6929, "基本符合预期")
    code, out, _ = run(capsys, "--db", db, "status")
    assert code == 0 and "基本符合预期" in out and "示例数据" in out


def test_demo_never_overwrites_uploaded_data(tmp_path, capsys):
    db, tpl = tmp_path / "a.duckdb", tmp_path / "t.xlsx"
    run(capsys, "template", tpl)
    fill_template(tpl, {("案件结案率", "全区"): {2021: 80.0}})
    run(capsys, "--db", db, "import", tpl)
    before = values(capsys, db)
    code, _, err = run(capsys, "--db", db, "demo")
    assert code == 1 and "正式数据" in err
    assert values(capsys, db) == before


def test_export_keeps_formula_looking_comments_as_text(tmp_path, capsys):
    db, tpl, out = tmp_path / "a.duckdb", tmp_path / "t.xlsx", tmp_path / "out.xlsx"
    run(capsys, "template", tpl)
    fill_template(tpl, {("案件结案率", "全区"): {2021: 80.0}})
    run(capsys, "--db", db, "import", tpl, "--comment", "=HYPERLINK(\"http://x\")")
    run(capsys, "--db", db, "export", out)
    cell = load_workbook(out)["版本记录"]["G2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(\"http://x\")", "s")


def test_user_management_and_audit(tmp_path, capsys, monkeypatch):
    import io

    import pytest

    from ipdata.auth import PermissionDenied, Users

    db = tmp_path / "a.duckdb"
    monkeypatch.setenv("IPDATA_USER", "root")
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-pass\n"))
    code, out, _ = run(capsys, "--db", db, "user", "add", "王统计", "--role", "statistician", "--password-stdin")
    assert (code, out.strip()) == (0, "已创建用户“王统计”（统计人员）。")
    for name, weak, why in (("李四", "short\n", "密码太短：至少 10 个字符。"), ("李四", "password123\n", "这是常见密码"),
                            ("李四四", "李四四的密码123456\n", "密码不能是用户名，也不能包含用户名。")):
        monkeypatch.setattr("sys.stdin", io.StringIO(weak))
        code, _, err = run(capsys, "--db", db, "user", "add", name, "--password-stdin")
        assert code == 1 and why in err and "处理办法：密码至少 10 个字符" in err
    code, _, err = run(capsys, "--db", db, "user", "add", "x" * 65, "--password-stdin")
    assert code == 1 and "用户名太长：最多 64 个字符。" in err
    code, out, _ = run(capsys, "--db", db, "user", "list")
    assert "王统计" in out and "统计人员" in out and "李四" not in out
    with pytest.raises(PermissionDenied):
        Users(db).authenticate("王统计", "wrong")
    assert run(capsys, "--db", db, "user", "role", "王统计", "admin")[1].strip() == "已把用户“王统计”的角色改为管理员。"
    assert run(capsys, "--db", db, "user", "disable", "王统计")[1].strip() == "已停用用户“王统计”。"
    assert run(capsys, "--db", db, "user", "enable", "王统计")[1].strip() == "已启用用户“王统计”。"
    code, out, _ = run(capsys, "--db", db, "audit", "--json")
    events = json.loads(out)
    assert [(e["action"], e["user"], e["what"]) for e in events] == [
        ("user-add", "root", "新增用户“王统计”（统计人员）"),
        ("login", "王统计", "登录失败（用户名或密码不正确）"),
        ("user-role", "root", "修改角色“王统计”（管理员）"),
        ("user-disable", "root", "停用用户“王统计”"),
        ("user-enable", "root", "启用用户“王统计”"),
    ]
