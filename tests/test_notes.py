"""Notes on a goal or one year of it (issue 14 item 6) on a real DuckDB file: each a "note"
revision, undone by a rollback, kept by backup and restore, in the audit; visitors cannot write;
demo and official notes never mix; a schema-5 file upgrades in place and keeps everything."""

from __future__ import annotations

import json

import duckdb
import pytest
from store_helpers import current_state, new_store, rows, upload

from ipdata import audit, cli, notes, service
from ipdata.auth import STATISTICIAN, VIEWER, PermissionDenied, User, local_operator
from ipdata.backup import backup, read_manifest, restore
from ipdata.errors import IpdataError
from ipdata.store import Store
from ipdata.views import change_list

HV = "hv_invention_per10k"  # 万人高价值发明专利拥有量
WANG = User("王五", STATISTICIAN)
VALUES = """
series,region,year,value,source
hv_invention_per10k,全区,2021,8.2,区市场监管局
hv_invention_per10k,全区,2024,14.9,区市场监管局
"""


@pytest.fixture
def official(tmp_path) -> Store:
    s = new_store(tmp_path / "notes.duckdb")
    s.apply(upload(VALUES, tasks="task_id,status\n一.1.1,推进中"), user="张三")  # 1
    return s


def _notes(store: Store) -> list[list]:
    return rows(store.notes(), ["goal", "year", "kind", "text", "revision_id", "is_demo"])


def test_a_note_is_a_revision_and_a_rollback_takes_it_away(official):
    result = notes.add_note(official, WANG, HV, 2023, "口径变化", "  2023年起按新口径统计  ")
    assert result.revision_id == 2
    assert result.message == "已保存为第 2 版：新增备注（万人高价值发明专利拥有量，2023年，口径变化）。"
    rev = official.revisions().iloc[-1]
    assert (rev["kind"], rev["user"], rev["n_new"], rev["comment"]) == (
        "note", "王五", 1, "万人高价值发明专利拥有量，2023年，口径变化")
    assert _notes(official) == [[HV, 2023, "口径变化", "2023年起按新口径统计", 2, False]]

    rolled = official.rollback(1, user="张三")
    assert (rolled.revision_id, rolled.changes.n_removed) == (3, 1)
    assert official.notes().empty
    assert rows(official.values(), ["year", "value"]) == [[2021, 8.2], [2024, 14.9]]  # values untouched
    official.rollback(2, user="张三")  # the rollback is undone: the note is back
    assert _notes(official) == [[HV, 2023, "口径变化", "2023年起按新口径统计", 4, False]]
    assert official.state_at(1)["notes"].empty and len(official.state_at(2)["notes"]) == 1


def test_same_year_and_kind_replaces_and_removal_is_a_revision_too(official):
    notes.add_note(official, WANG, HV, None, "政策事件", "出台专利资助办法")  # 2: the whole goal (year 0)
    notes.add_note(official, WANG, HV, "2023年", "政策事件", "首次评选")  # 3
    changed = notes.add_note(official, WANG, HV, "2023", "政策事件", "首次评选高价值专利")  # 4
    assert (changed.changes.n_new, changed.changes.n_changed) == (0, 1)
    assert changed.message == "已保存为第 4 版：修改备注（万人高价值发明专利拥有量，2023年，政策事件）。"
    same = notes.add_note(official, WANG, HV, 2023, "政策事件", "首次评选高价值专利")
    assert (same.revision_id, same.message) == (None, "备注与当前内容相同，未产生新版本。")
    assert _notes(official) == [[HV, 0, "政策事件", "出台专利资助办法", 2, False],
                                [HV, 2023, "政策事件", "首次评选高价值专利", 4, False]]
    gone = notes.remove_note(official, WANG, HV, 2023, "政策事件")
    assert (gone.revision_id, gone.changes.n_removed) == (5, 1)
    assert gone.message == "已保存为第 5 版：删除备注（万人高价值发明专利拥有量，2023年，政策事件）。"
    assert _notes(official) == [[HV, 0, "政策事件", "出台专利资助办法", 2, False]]
    assert official.revisions()["kind"].tolist() == ["import", "note", "note", "note", "note"]
    with pytest.raises(IpdataError, match="没有这条备注：万人高价值发明专利拥有量，2023年，政策事件"):
        notes.remove_note(official, WANG, HV, 2023, "政策事件")
    assert official.latest_revision_id() == 5


def test_visitors_and_viewers_cannot_write_a_note(official):
    for who in (None, User("访客", VIEWER)):
        with pytest.raises(PermissionDenied, match="无权添加或删除指标备注"):
            notes.add_note(official, who, HV, 2023, "其他", "试试")
        with pytest.raises(PermissionDenied):
            notes.remove_note(official, who, HV, 2023, "其他")
    assert official.notes().empty and official.latest_revision_id() == 1


def test_a_note_with_problems_is_refused_with_each_located():
    from store_helpers import plan

    def found(goal, year, kind, text):
        return [(p.code, p.column) for p in notes.check(plan(), goal, year, kind, text).problems]

    assert found(HV, 2023, "口径变化", "新口径") == []
    assert found(HV, "", "其他", "x") == [] and found(HV, "指标整体", "其他", "x") == []
    assert found("hv_invention", 2023, "新闻", "  ") == [
        ("note-unknown-goal", "指标代码"), ("note-bad-kind", "类别"), ("note-empty", "备注内容")]
    # the goal's base year 2021 − 30 … target year 2025 + 5; a year is a whole number
    assert found(HV, 1991, "其他", "x") == [] and found(HV, 2030, "其他", "x") == []
    assert found(HV, 1990, "其他", "x") == found(HV, 2031, "其他", "x") == [("note-bad-year", "年份")]
    assert found(HV, "2023.5", "其他", "x") == [("note-bad-year", "年份")]
    assert found(HV, 2023, "其他", "字" * notes.MAX_TEXT) == []
    assert found(HV, 2023, "其他", "字" * (notes.MAX_TEXT + 1)) == [("note-too-long", "备注内容")]
    [unknown] = notes.check(plan(), "hv_invention", 2023, "其他", "x").problems
    assert "相近的代码：hv_invention_per10k（万人高价值发明专利拥有量）" in unknown.message


def test_the_preview_writes_nothing_and_reads_as_a_change(official):
    preview = notes.preview(official, HV, 2023, "口径变化", "新口径")
    assert change_list(preview.rows)[["变化", "类型", "名称", "年份", "原值", "新值"]].values.tolist() == [
        ["新增", "指标备注", "万人高价值发明专利拥有量（口径变化）", 2023, None, "新口径"]]
    assert official.latest_revision_id() == 1 and official.notes().empty
    with pytest.raises(IpdataError, match="备注有 1 处问题"):
        notes.preview(official, HV, 2023, "口径", "新口径")


def test_a_note_on_demo_data_is_demo_and_goes_with_it(store):
    service.load_demo(store)
    result = notes.add_note(store, WANG, HV, 2023, "不完整年份", "截至11月")
    assert result.message.endswith("（数据库中是示例数据：这条备注也算示例数据，导入正式数据时一并删除）")
    assert _notes(store)[0][-1] is True
    done = store.apply(upload(VALUES), user="张三")  # the first official import removes the demo, note too
    assert done.changes.n_demo_removed >= 1 and store.notes().empty and not store.has_demo_data()


def test_an_official_note_keeps_the_demo_out(tmp_path):
    s = new_store(tmp_path / "n.duckdb")
    notes.add_note(s, WANG, HV, 0, "其他", "正式备注")
    assert s.has_official_data()
    with pytest.raises(IpdataError, match="不能载入示例数据"):
        service.load_demo(s)
    assert service.load_demo(s, if_empty=True) is None  # make run on it: the plan has data, no demo


def test_the_audit_says_who_added_and_removed_a_note(official):
    notes.add_note(official, WANG, HV, 2023, "口径变化", "新口径")
    notes.remove_note(official, User("赵六", STATISTICIAN), HV, 2023, "口径变化", comment="写错了")
    table = audit.audit_table(audit.events(official))
    mine = table[table["操作"] == "指标备注"]
    assert mine[["操作人", "内容", "版本号", "说明"]].values.tolist() == [
        ["王五", "添加指标备注", 2, "万人高价值发明专利拥有量，2023年，口径变化"],
        ["赵六", "删除指标备注", 3, "写错了"]]


def test_notes_are_the_plan_s_own(tmp_path, monkeypatch):
    """Two plans in one store share the series code hv_invention_per10k: each keeps its notes."""
    from plan_b import B, plans_dir

    from ipdata.catalogue import load_plan

    directory = plans_dir(tmp_path, monkeypatch)
    a = new_store(tmp_path / "both.duckdb")
    b = Store(a.path, load_plan(directory / f"{B}.yaml"))
    notes.add_note(a, WANG, HV, 2023, "其他", "只属于通州")
    notes.add_note(b, WANG, HV, 2023, "其他", "只属于市里")
    assert [n[3] for n in _notes(a)] == ["只属于通州"] and [n[3] for n in _notes(b)] == ["只属于市里"]
    with pytest.raises(IpdataError) as refused:
        notes.add_note(a, WANG, "city_pledge", 2023, "其他", "不是这个规划的指标")
    assert [p.code for p in refused.value.problems] == ["note-unknown-goal"]
    a.rollback(0, user="张三")  # a rollback restores the whole file: both plans' notes go
    assert a.notes().empty and b.notes().empty


# --- schema 5 -> 6, backup and restore ---------------------------------------------------------

V5_REVISIONS = """CREATE TABLE revisions (
    id BIGINT PRIMARY KEY, created_at VARCHAR NOT NULL, "user" VARCHAR NOT NULL, file_name VARCHAR,
    sha256 VARCHAR, comment VARCHAR,
    kind VARCHAR NOT NULL CHECK (kind IN ('import', 'demo', 'rollback', 'task-edit')),
    n_new BIGINT NOT NULL, n_changed BIGINT NOT NULL, n_removed BIGINT NOT NULL, rollback_to BIGINT,
    n_demo_removed BIGINT NOT NULL DEFAULT 0, plan_id VARCHAR)"""


def as_version_5(path) -> None:
    """Rewrite a current file (without notes) into the shape schema 5 wrote: no goal_notes, and a
    revisions table whose kinds do not include "note"."""
    with duckdb.connect(str(path)) as con:
        assert con.execute("SELECT count(*) FROM goal_notes").fetchone() == (0,)
        con.execute("DROP TABLE goal_notes")
        con.execute("ALTER TABLE revisions RENAME TO _old")
        con.execute(V5_REVISIONS)
        con.execute("INSERT INTO revisions SELECT * FROM _old")
        con.execute("DROP TABLE _old")
        con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")


def test_a_schema_5_file_upgrades_in_place_and_keeps_everything(official):
    official.rollback(0, user="李四")  # 2
    official.rollback(1, user="李四")  # 3
    before = ({k: v.to_dict("records") for k, v in current_state(official).items()},
              official.revisions().to_dict("records"), official.plan_history().to_dict("records"),
              official.state_at(2)["values"].to_dict("records"))
    as_version_5(official.path)
    with duckdb.connect(str(official.path)) as con, pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO revisions VALUES (9, 't', 'u', NULL, NULL, NULL, 'note', 0, 0, 0, NULL, 0, NULL)")

    upgraded = Store(official.path, official.plan)

    with duckdb.connect(str(official.path)) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("6",)
    after = ({k: v.to_dict("records") for k, v in current_state(upgraded).items()},
             upgraded.revisions().to_dict("records"), upgraded.plan_history().to_dict("records"),
             upgraded.state_at(2)["values"].to_dict("records"))
    assert after == before
    assert notes.add_note(upgraded, WANG, HV, 2024, "政策事件", "新政策").revision_id == 4  # "note" admitted now


def test_backup_and_restore_keep_the_notes(official, tmp_path):
    notes.add_note(official, WANG, HV, 2023, "口径变化", "新口径")  # 2
    notes.add_note(official, WANG, HV, 0, "其他", "整体说明")  # 3
    manifest = backup(official, tmp_path / "bk")
    assert manifest.tables["goal_notes"] == 2 and manifest.latest_revision == 3
    restored = restore(tmp_path / "bk", tmp_path / "r.duckdb").store
    assert _notes(restored) == _notes(official) == [[HV, 0, "其他", "整体说明", 3, False],
                                                    [HV, 2023, "口径变化", "新口径", 2, False]]
    # over a store that holds other notes (--force): the backup's notes replace them
    notes.add_note(restored, WANG, HV, 2024, "不完整年份", "截至11月")
    notes.remove_note(restored, WANG, HV, 0, "其他")
    again = restore(tmp_path / "bk", tmp_path / "r.duckdb", force=True).store
    assert _notes(again) == _notes(official)
    assert again.rollback(2, user="张三").changes.n_removed == 1  # history came back with them
    assert _notes(again) == [[HV, 2023, "口径变化", "新口径", 2, False]]


def test_a_backup_from_before_notes_restores_without_any(official, tmp_path):
    """A schema-5 backup has no goal_notes file: the restored store simply has no notes."""
    backup(official, tmp_path / "bk")
    root = tmp_path / "bk"
    raw = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    (root / raw["files"].pop("database/goal_notes.parquet") and root / "database" / "goal_notes.parquet").unlink()
    raw["tables"].pop("goal_notes")
    raw["schema_version"] = 5
    (root / "manifest.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert read_manifest(root).table_file("goal_notes") is None
    restored = restore(root, tmp_path / "r.duckdb").store
    assert restored.notes().empty and rows(restored.values(), ["year", "value"]) == [[2021, 8.2], [2024, 14.9]]
    assert notes.add_note(restored, WANG, HV, 2024, "其他", "恢复后添加").revision_id == 2


# --- the CLI ------------------------------------------------------------------------------------

def test_cli_adds_lists_and_removes_notes(official, capsys, monkeypatch):
    monkeypatch.setenv("IPDATA_USER", "统计员甲")
    db = ["--db", str(official.path), "--plan", official.plan.id]
    assert cli.main([*db, "note", "add", HV, "--year", "2023", "--kind", "政策事件", "出台资助办法"]) == 0
    assert capsys.readouterr().out == "已保存为第 2 版：新增备注（万人高价值发明专利拥有量，2023年，政策事件）。\n"
    assert cli.main([*db, "note", "add", HV, "--kind", "口径变化", "全程按新口径"]) == 0
    capsys.readouterr()
    assert cli.main([*db, "note", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"goal": HV, "name": "万人高价值发明专利拥有量", "year": 0, "kind": "口径变化", "text": "全程按新口径", "revision_id": 3},
        {"goal": HV, "name": "万人高价值发明专利拥有量", "year": 2023, "kind": "政策事件", "text": "出台资助办法", "revision_id": 2}]
    assert cli.main([*db, "note", "list"]) == 0
    listed = capsys.readouterr().out
    assert "指标整体" in listed and "出台资助办法" in listed and "统计员甲" in listed
    assert cli.main([*db, "note", "remove", HV, "--year", "2023", "--kind", "政策事件"]) == 0
    assert capsys.readouterr().out == "已保存为第 4 版：删除备注（万人高价值发明专利拥有量，2023年，政策事件）。\n"
    assert official.revisions()["kind"].tolist()[-3:] == ["note", "note", "note"]
    assert official.revisions()["user"].tolist()[-1] == "统计员甲"


def test_cli_refuses_a_bad_note_in_chinese_and_writes_nothing(official, capsys):
    db = ["--db", str(official.path), "--plan", official.plan.id]
    assert cli.main([*db, "note", "add", HV, "--year", "二〇二三", "--kind", "新闻", "x"]) == 1
    err = capsys.readouterr().err
    assert "备注有 2 处问题，未保存。" in err
    assert "[错误] 年份：年份“二〇二三”不是整数年份" in err and "[错误] 类别：备注类别“新闻”无效" in err
    assert "Traceback" not in err
    assert cli.main([*db, "note", "list", "--goal", "nope"]) == 1
    assert "没有指标代码“nope”" in capsys.readouterr().err
    assert official.latest_revision_id() == 1


def test_local_operator_is_the_cli_user(official):
    """The CLI's operator (an admin on the server) may write notes."""
    assert notes.add_note(official, local_operator("运维"), HV, 2024, "其他", "x").revision_id == 2


def test_the_rollback_preview_on_the_data_page_names_the_note(official):
    from ipdata.manage import change_table

    notes.add_note(official, WANG, HV, 2023, "口径变化", "新口径")
    _, changes = official.preview_rollback(1)
    assert change_table(changes).values.tolist() == [
        ["删除", "指标备注", "万人高价值发明专利拥有量（口径变化）", "", "2023", "新口径", "", ""]]
