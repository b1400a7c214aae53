"""The committed demo workbook is what ipdata/demo.py generates, and says 示例数据 on every sheet."""

import pandas as pd
from openpyxl import load_workbook

from ipdata import settings
from ipdata.catalogue import load_plan
from ipdata.demo import demo_observations, demo_targets, demo_tasks
from ipdata.ingest import read_upload

PLAN = load_plan()
KEY = ["series", "region", "year"]


def test_demo_workbook_matches_generator():
    upload = read_upload(settings.demo_workbook(), PLAN)
    assert upload.report.problems == []
    got = upload.observations[KEY + ["value"]].sort_values(KEY).reset_index(drop=True)
    want = demo_observations(PLAN)[KEY + ["value"]].sort_values(KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert len(upload.targets) == len(demo_targets(PLAN)) == 6
    assert list(upload.tasks["task_id"]) == list(demo_tasks(PLAN)["task_id"])


def test_every_demo_sheet_is_marked():
    wb = load_workbook(settings.demo_workbook())
    for ws in wb.worksheets:
        texts = [c.value for row in ws.iter_rows(max_row=2) for c in row if isinstance(c.value, str)]
        assert any("示例数据" in t for t in texts), ws.title


def test_demo_covers_every_goal_for_the_district():
    obs = demo_observations(PLAN)
    district = set(obs.loc[obs["region"] == "全区", "series"])
    # per-10,000 goals may come as count + denominator instead of the ratio itself
    for goal in PLAN.goals:
        assert goal.code in district or (goal.derive and goal.derive.numerator.code in district), goal.code
    assert sorted(obs["year"].unique()) == [2021, 2022, 2023, 2024]
    assert sorted(obs["region"].unique()) == ["全区", "兴仁镇", "南通高新区", "川姜镇", "金沙街道"]
