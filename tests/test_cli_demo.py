"""The CLI on a store holding the demo: a dry run says how many demo items an official import
removes; the import removes them; `demo` then refuses (real .xlsx and DuckDB files)."""

from tests.test_cli import fill_template, revisions, run, values
from tests.test_manage import DEMO_ITEMS


def test_dry_run_and_import_over_the_demo(tmp_path, capsys):
    db, tpl = tmp_path / "a.duckdb", tmp_path / "2025年报.xlsx"
    assert run(capsys, "--db", db, "demo")[0] == 0
    assert run(capsys, "template", tpl)[0] == 0
    fill_template(tpl, {("新增贯标单位", "全区"): {2025: 77}})

    code, out, err = run(capsys, "--db", db, "import", tpl, "--dry-run")
    assert (code, err) == (0, "")
    assert f"新增 1 项，修改 0 项，未变 0 项；将删除示例数据 {DEMO_ITEMS} 项" in out.splitlines()
    assert len(revisions(capsys, db)) == 1  # a dry run saves nothing

    code, out, err = run(capsys, "--db", db, "import", tpl, "--user", "张三")
    assert (code, err) == (0, "")
    assert f"已保存为第 2 版：新增 1 项，修改 0 项，未变 0 项；已删除示例数据 {DEMO_ITEMS} 项。" in out
    assert [(v["code"], v["year"], v["value"]) for v in values(capsys, db)] == [("ip_standard_units_new", 2025, 77.0)]
    assert [r["n_demo_removed"] for r in revisions(capsys, db)] == [0, DEMO_ITEMS]

    code, _, err = run(capsys, "--db", db, "demo")
    assert code == 1 and "已有上传的正式数据，不能载入示例数据" in err
