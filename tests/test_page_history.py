"""自上次更新以来 on the overview and the goal's 变化记录, via AppTest on the six revisions of
tests/test_history.py (hand-computed there): visitors see no person and no file name."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ipdata.auth import STATISTICIAN, User
from ipdata.views import local_time
from tests.conftest import page_test
from tests.test_history import HV, six_revisions

STAT = User("王统计", STATISTICIAN)
SECRETS = ("王统计", "李国家", ".xlsx", "更正2024年数", "撤回补报", "2023年数据")


@pytest.fixture
def history_db(db_path):
    tz, _ = six_revisions(db_path)
    revs = tz.revisions().set_index("id")
    return {n: local_time(revs.loc[n, "created_at"])[:10] for n in revs.index}


def _run(name: str, user: User | None = None, **query) -> AppTest:
    at = page_test(name, user)
    at.query_params.update({"plan": "tongzhou-2022-2025", **query})
    return at.run()


def _shown(at: AppTest) -> str:
    """Every string the page shows: text elements, and each table's headers and cells."""
    parts = [str(m.value) for m in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error]]
    for frame in at.dataframe:
        parts += [str(c) for c in frame.value.columns] + [str(v) for v in frame.value.to_numpy().ravel()]
    return "\n".join(parts)


def test_the_overview_says_what_changed_since_the_last_update(history_db):
    at = _run("overview.py")
    assert not at.exception and not at.error
    [block] = [str(m.value) for m in at.markdown if "自上次更新以来" in str(m.value)]
    # the page escapes what could be markup (inert.markdown): "=" is written "\\="
    assert block == (
        f"**自上次更新以来（第6版，{history_db[6]}，回滚到第3版）：2个指标状态变化，1个转差。**\n\n"
        "- ▼ 万人高价值发明专利拥有量由快于预期转为滞后：2024年值由16.4件修订为14.8件；"
        "完成进度60% ÷ 序时进度75% \\= 0.80，低于0.9。\n"
        "- ？ 马德里商标注册量累计由基本符合预期转为数据不足：删除2021年值（原为40件）；删除2024年值（原为61件）；"
        "2021—2025年间没有数据。")
    for secret in SECRETS:
        assert secret not in _shown(at)


def test_the_goal_page_shows_its_history_and_names_nobody_to_visitors(history_db):
    at = _run("goal.py", code=HV)
    assert not at.exception and not at.error
    assert any(str(m.value).startswith("**变化记录**") for m in at.markdown)
    [table] = [f.value for f in at.dataframe if "变化及原因" in f.value.columns]
    assert list(table.columns) == ["日期", "状态", "版本", "类型", "变化及原因"]  # 状态 in view on a phone
    assert table[["版本", "类型", "状态"]].values.tolist() == [
        ["第6版", "回滚到第3版", "快于预期 → 滞后"],
        ["第5版", "导入", "滞后 → 快于预期"],
        ["第3版", "导入", "基本符合预期 → 滞后"],
        ["第2版", "导入", "快于预期 → 基本符合预期"],
        ["第1版", "导入", "数据不足 → 快于预期"],
    ]
    assert table["日期"].tolist() == [history_db[n] for n in (6, 5, 3, 2, 1)]
    assert table["变化及原因"][2] == "2024年值由15.6件修订为14.8件；完成进度60% ÷ 序时进度75% = 0.80，低于0.9"
    shown = _shown(at)
    for secret in SECRETS:  # nor in the data table's 版本 column
        assert secret not in shown, secret


def test_a_statistician_sees_the_files_comments_and_operators(history_db):
    at = _run("goal.py", STAT, code=HV)
    assert not at.exception and not at.error
    [table] = [f.value for f in at.dataframe if "变化及原因" in f.value.columns]
    assert table[["版本", "文件", "说明", "操作人"]].values.tolist() == [
        ["第6版", "", "撤回补报", "王统计"],
        ["第5版", "补报.xlsx", "", "王统计"],
        ["第3版", "2024年报（更正）.xlsx", "更正2024年数", "王统计"],
        ["第2版", "2024年报.xlsx", "", "王统计"],
        ["第1版", "2023年报.xlsx", "2023年数据", "王统计"],
    ]
    data = next(f.value for f in at.dataframe if "年份" in f.value.columns)
    assert "第1版 " + history_db[1] + " 2023年报.xlsx" in data["版本"].tolist()  # the data table names the file for them


def test_a_goal_no_revision_moved_says_so(history_db):
    at = _run("goal.py", code="ip_training_persons")
    assert not at.exception and not at.error
    assert "还没有版本改变过这个指标" in _shown(at)
