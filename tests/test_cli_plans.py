"""The CLI with two plans in one store (issue 13): `--plan` on every command, `plans`, `plan diff`
and `plan update`, exit codes and message text, on real .xlsx files and a real DuckDB file."""

from __future__ import annotations

import json

from openpyxl import Workbook
from plan_b import EXTRA_GOAL, TONGZHOU, B, b_text, plans_dir, write_b

from ipdata.backup import read_manifest
from ipdata.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _workbook(path, rows):
    """A statistician's own wide table: title, note, header on row 3, one row per indicator."""
    wb = Workbook()
    ws = wb.active
    ws.title = "指标数据"
    for row in [["知识产权主要指标"], ["单位：见各行"], ["序号", "指标名称", "单位", "2024年", "2025年"], *rows]:
        ws.append(row)
    wb.save(path)
    return path


def _status(capsys, db, plan) -> dict[str, dict]:
    code, out, err = run(capsys, "--db", db, "--plan", plan, "status", "--json")
    assert (code, err) == (0, "")
    return {r["code"]: r for r in json.loads(out)}


def test_two_plans_share_a_value_and_both_stay_available(tmp_path, monkeypatch, capsys):
    plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "both.duckdb"
    book = _workbook(tmp_path / "年报.xlsx", [[1, "万人高价值发明专利拥有量", "件", 17, 19.5]])
    code, out, err = run(capsys, "--db", db, "--plan", TONGZHOU, "import", book, "--user", "张三")
    assert (code, err) == (0, "") and "已保存为第 1 版：新增 2 项" in out

    old, new = _status(capsys, db, TONGZHOU)["hv_invention_per10k"], _status(capsys, db, B)["hv_invention_per10k"]
    # today's fields, for the plan that ended in 2025 and the one that starts from it
    assert {k: old[k] for k in ("base_year", "target", "target_year", "latest_value", "final_achieved")} == {
        "base_year": 2024, "target": 18.0, "target_year": 2025, "latest_value": 19.5, "final_achieved": True}
    assert {k: new[k] for k in ("base_year", "base_value", "target", "target_year", "final_achieved")} == {
        "base_year": 2025, "base_value": 19.5, "target": 30.0, "target_year": 2030, "final_achieved": None}

    # without --plan: the newest plan the store holds (B ends in 2030)
    code, out, _ = run(capsys, "--db", db, "status", "--json")
    assert code == 0 and {r["code"] for r in json.loads(out)} == {"hv_invention_per10k", "city_pledge"}
    code, out, _ = run(capsys, "--db", db, "plans")
    assert code == 0
    lines = [line.split() for line in out.splitlines()]
    assert [(line[0], line[-3], line[-2], line[-1]) for line in lines[1:]] == [
        (B, "2025–2030年", "2", "已载入"), (TONGZHOU, "2021–2025年", "21", "已载入")]
    # backup, export and deck through either plan
    assert run(capsys, "--db", db, "--plan", B, "backup", tmp_path / "bk")[0] == 0
    assert (read_manifest(tmp_path / "bk").plan_id, read_manifest(tmp_path / "bk").plans) == (B, [B, TONGZHOU])
    assert run(capsys, "--db", db, "--plan", TONGZHOU, "export", tmp_path / "a.xlsx")[0] == 0
    code, out, err = run(capsys, "--db", db, "--plan", "no-such-plan", "status")
    assert code == 1 and out == ""
    assert err.startswith("找不到规划“no-such-plan”：")
    assert f"可用的规划：{B}、{TONGZHOU}。" in err


def test_plans_json_lists_the_store_and_the_directory(tmp_path, monkeypatch, capsys):
    plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "a.duckdb"
    assert run(capsys, "--db", db, "--plan", TONGZHOU, "goals")[0] == 0
    assert not db.exists()  # listing goals writes nothing
    assert run(capsys, "--db", db, "--plan", TONGZHOU, "values")[0] == 0
    code, out, err = run(capsys, "--db", db, "plans", "--json")
    assert (code, err) == (0, "")
    assert [(p["id"], p["base_year"], p["target_year"], p["goals"], p["state"], p["in_store"]) for p in json.loads(out)] == [
        (B, 2025, 2030, 2, "尚未载入", False), (TONGZHOU, 2021, 2025, 21, "已载入", True)]


def test_a_changed_plan_file_waits_for_plan_update(tmp_path, monkeypatch, capsys):
    directory = plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "b.duckdb"
    assert run(capsys, "--db", db, "--plan", B, "plan", "diff") == (
        0, f"规划“{B}”尚未载入数据库：用 plan update（或任何使用该规划的命令）载入。\n", "")
    assert run(capsys, "--db", db, "--plan", B, "plan", "update") == (0, f"已载入规划“{B}”。\n", "")
    write_b(directory, target=32, extra=EXTRA_GOAL)

    code, out, err = run(capsys, "--db", db, "--plan", B, "status", "--json")
    assert code == 0 and json.loads(out)[0]["target"] == 30.0  # still the accepted version
    assert err.startswith(f"注意：规划“{B}”的规划文件有改动，尚未生效")
    code, out, _ = run(capsys, "--db", db, "plans")
    assert "规划文件有改动，待确认" in out
    code, out, _ = run(capsys, "--db", db, "--plan", B, "plan", "diff")
    assert code == 0 and out == (
        f"规划“{B}”的规划文件与数据库中已载入的版本不同（共 2 处）：\n"
        "  · 新增目标：有效注册商标量（city_trademarks），目标 ≥200000件\n"
        "  · 目标“每万人口高价值发明专利拥有量”（hv_invention_per10k）：目标 ≥30件 → ≥32件\n"
        f"确认后生效：python -m ipdata --plan {B} plan update\n")
    code, out, err = run(capsys, "--db", db, "--plan", B, "plan", "update", "--user", "管理员")
    assert code == 0 and out.endswith(f"已更新规划“{B}”（2 处改动）：新增目标：有效注册商标量（city_trademarks），目标 ≥200000件；"
                                      "目标“每万人口高价值发明专利拥有量”（hv_invention_per10k）：目标 ≥30件 → ≥32件。\n")
    assert [r["target"] for r in _status(capsys, db, B).values()] == [32.0, 50.0, 200000.0]
    assert run(capsys, "--db", db, "--plan", B, "plan", "update")[1] == (
        f"规划“{B}”的规划文件与数据库中已载入的版本相同，无需更新。\n")


def test_a_refused_plan_change_exits_1(tmp_path, monkeypatch, capsys):
    directory = plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "b.duckdb"
    book = _workbook(tmp_path / "年报.xlsx", [[1, "知识产权质押融资登记金额", "亿元", None, 21.5]])
    assert run(capsys, "--db", db, "--plan", B, "import", book)[0] == 0
    (directory / f"{B}.yaml").write_text((directory / f"{B}.yaml").read_text(encoding="utf-8")
                                         .replace("unit: 亿元", "unit: 万元"), encoding="utf-8")
    code, out, _ = run(capsys, "--db", db, "--plan", B, "plan", "diff")
    assert code == 0 and "这些改动不能直接生效：" in out and "确认后生效" not in out
    code, out, err = run(capsys, "--db", db, "--plan", B, "plan", "update")
    assert code == 1
    assert err.startswith(f"规划“{B}”的改动未生效：“知识产权质押融资登记金额”(代码 city_pledge)的单位由“亿元”改为“万元”")
    assert "处理办法：按提示修改规划文件后" in err


def test_a_plan_with_a_series_of_another_unit_is_refused(tmp_path, monkeypatch, capsys):
    directory = plans_dir(tmp_path, monkeypatch, with_b=False)
    db = tmp_path / "both.duckdb"
    assert run(capsys, "--db", db, "--plan", TONGZHOU, "values")[0] == 0
    write_b(directory, unit="件/万人")
    code, out, err = run(capsys, "--db", db, "--plan", B, "status")
    assert (code, out) == (1, "")
    assert err.startswith(f"规划“{B}”不能载入：规划“{B}”的“每万人口高价值发明专利拥有量”(代码 hv_invention_per10k)"
                          f"单位为“件/万人”，而已载入的规划“{TONGZHOU}”中同一代码(“万人高价值发明专利拥有量”)的单位为“件”。")
    assert "处理办法：在规划文件中把单位(或填报方式)改为与已载入规划相同，或为该指标另起一个代码。" in err


def test_a_broken_edit_of_a_loaded_plan_keeps_the_accepted_version(tmp_path, monkeypatch, capsys):
    directory = plans_dir(tmp_path, monkeypatch)
    db = tmp_path / "b.duckdb"
    assert run(capsys, "--db", db, "--plan", B, "values")[0] == 0
    (directory / f"{B}.yaml").write_text(b_text().replace("    kind: level\n", "    kind: levle\n", 1), encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "--plan", B, "status", "--json")
    assert code == 0 and [r["target"] for r in json.loads(out)] == [30.0, 50.0]
    assert err == (f"注意：规划“{B}”的规划文件有错误，仍按已载入的版本。用 python -m ipdata --plan {B} plan diff 查看。\n")
    code, out, err = run(capsys, "--db", db, "--plan", B, "plan", "diff")
    assert (code, out) == (1, "")
    assert err.startswith(f"规划文件 {B}.yaml 有 1 处问题，无法加载\n") and "kind 应为" in err
    assert [p["state"] for p in json.loads(run(capsys, "--db", db, "plans", "--json")[1]) if p["id"] == B] == [
        "已载入；规划文件有错误"]
