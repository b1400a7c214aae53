"""`deck` and `chart` commands: exit codes and messages."""

import io

import pytest
from pptx import Presentation

from ipdata.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path, capsys):
    db = tmp_path / "demo.duckdb"
    assert run(capsys, "--db", db, "demo")[0] == 0
    return db


def test_deck_for_a_category_and_a_region(demo_db, tmp_path, capsys):
    out = tmp_path / "汇报.pptx"
    code, stdout, err = run(capsys, "--db", demo_db, "deck", out, "--category", "创造", "--region", "川姜镇")
    assert (code, err) == (0, "")
    assert f"已生成演示文稿：{out}" in stdout and "示例数据" in stdout
    deck = Presentation(io.BytesIO(out.read_bytes()))
    # title, the counts and one table slide (4 numeric goals), 5 创造 goals (4 numeric + the rank
    # goal, issue 13), 川姜镇 table + its 1 创造 goal
    assert len(deck.slides) == 1 + 2 + 5 + 1 + 1


def test_deck_refuses_unknown_region_and_wrong_suffix(demo_db, tmp_path, capsys):
    code, _, err = run(capsys, "--db", demo_db, "deck", tmp_path / "a.pptx", "--region", "火星")
    assert code == 1 and "当前数据中没有这些地区：火星" in err and "川姜镇" in err
    code, _, err = run(capsys, "--db", demo_db, "deck", tmp_path / "a.ppt")
    assert code == 1 and "应以 .pptx 结尾" in err
    assert not (tmp_path / "a.pptx").exists()


def test_chart_unknown_code_lists_close_codes(demo_db, tmp_path, capsys):
    code, out, err = run(capsys, "--db", demo_db, "chart", "hv_invention", tmp_path / "a.png")
    assert (code, out) == (1, "")
    assert err.startswith("没有指标代码“hv_invention”。相近的代码：hv_invention_per10k（万人高价值发明专利拥有量）")
    assert "python -m ipdata goals" in err
    assert not (tmp_path / "a.png").exists()


def test_chart_wrong_suffix_and_usage(demo_db, tmp_path, capsys):
    code, _, err = run(capsys, "--db", demo_db, "chart", "hv_invention_per10k", tmp_path / "a.jpg")
    assert code == 1 and "应以 .png 或 .svg 结尾" in err
    with pytest.raises(SystemExit) as info:
        main(["chart", "hv_invention_per10k"])
    assert info.value.code == 2


def test_chart_svg_for_a_region(demo_db, tmp_path, capsys):
    out = tmp_path / "川姜镇.svg"
    code, stdout, err = run(capsys, "--db", demo_db, "chart", "hv_invention_per10k", out, "--region", "川姜镇")
    assert (code, err) == (0, "")
    assert ">万人高价值发明专利拥有量（川姜镇）</text>" in out.read_text(encoding="utf-8")
