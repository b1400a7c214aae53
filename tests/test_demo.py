"""The demo is made for the chosen plan: Tongzhou's hand-picked figures (data/demo/<id>.yaml), for
any other plan figures invented from each goal; every sheet says 示例数据; never written into the
repository. Figures below are computed by hand from ipdata/demo.py's rules."""

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from ipdata import demo, service, settings
from ipdata.catalogue import load_plan
from ipdata.cli import main
from ipdata.demo import demo_observations, demo_targets, demo_tasks
from ipdata.errors import IpdataError
from ipdata.ingest import read_upload
from ipdata.views import status_frame
from tests.second_plan import VARIANTS, plan_text, use_plan

PLAN = load_plan(settings.DATA_DIR / "plans" / "tongzhou-2022-2025.yaml")
KEY = ["series", "region", "year"]
# The second plan moved back four years (2022-2027) so that its demo has years after the base.
EARLY = plan_text("qingxi-early").replace("2030", "2027").replace("2028", "2025").replace("2026", "2022")


def marked(workbook) -> list[str]:
    """The sheets whose title rows do not say 示例数据 (none should)."""
    wb = load_workbook(workbook)
    return [ws.title for ws in wb.worksheets
            if not any("示例数据" in c.value for row in ws.iter_rows(max_row=2) for c in row if isinstance(c.value, str))]


def test_committed_demo_workbook_is_what_the_generator_writes_for_tongzhou():
    upload = read_upload(settings.demo_workbook(), PLAN)
    assert upload.report.problems == []
    got = upload.observations[KEY + ["value"]].sort_values(KEY).reset_index(drop=True)
    want = demo_observations(PLAN)[KEY + ["value"]].sort_values(KEY).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert len(upload.targets) == len(demo_targets(PLAN)) == 6
    assert list(upload.tasks["task_id"]) == list(demo_tasks(PLAN)["task_id"])
    assert marked(settings.demo_workbook()) == []


def test_tongzhou_keeps_its_hand_picked_figures():
    obs = demo_observations(PLAN).set_index(KEY)["value"]
    assert [obs["overseas_patents_new", "全区", y] for y in (2021, 2022, 2023, 2024)] == [5, 6, 8, 9]
    assert obs["hv_invention_per10k", "南通高新区", 2024] == 24.1
    assert sorted(demo_observations(PLAN)["region"].unique()) == ["全区", "兴仁镇", "南通高新区", "川姜镇", "金沙街道"]
    assert (demo_observations(PLAN)["source"] == "示例数据").all()


def test_demo_covers_every_goal_for_the_district_but_ranks():
    """A rank cites a real 通报: the demo invents none, so a rank goal stays 数据不足."""
    obs = demo_observations(PLAN)
    district = set(obs.loc[obs["region"] == PLAN.district, "series"])
    for goal in PLAN.goals:
        given = goal.code in district or (goal.derive and goal.derive.numerator.code in district)
        assert given != goal.is_rank, goal.code
    assert sorted(obs["year"].unique()) == [2021, 2022, 2023, 2024]


def test_another_plan_gets_invented_figures_for_every_goal(monkeypatch, tmp_path):
    use_plan(monkeypatch, tmp_path, EARLY)
    plan = load_plan()
    obs = demo_observations(plan).set_index(KEY)["value"]
    years = (2022, 2023, 2024, 2025)

    def district(code):
        return [obs[code, "全县", y] for y in years]

    # 翻一番 from the plan's base 6.0 to 12 at 快于预期: 3 of 5 years gone (60 %), completion
    # 1.3 x 60 % = 78 % reached in a straight line: 6 + 6 x (0, .26, .52, .78)
    assert district("qx_invention_per10k") == [6.0, 7.6, 9.1, 10.7]
    # cumulative at 基本符合预期: 120 x 95 % x 60 % = 68.4 new over 3 years, 22.8 a year, whole 件
    assert district("qx_pct_new") == [23.0] * 4
    # 年均增长12 % from a base made up for 亿元 (20): 20 x 1.12^5 = 35.25 due; 已完成 at 108 %
    assert district("qx_pledge")[0] == 20.0 and district("qx_pledge")[-1] == round(20 + 15.2468 * 1.08, 2)
    assert district("qx_licence") == [100.0, 94.0, 88.0, 83.0]  # the fifth goal takes the 倒退 turn: falling
    assert district("qx_centre") == [0.0, 0.0, 0.0, 1.0]
    # lower is better: from 1.5 x 60 = 90 towards 60 at 95 % of schedule
    assert district("qx_case_days") == [90.0, 84.3, 78.6, 72.9]
    assert obs["qx_population", "全县", 2022] == 80.0  # the denominator, made up for 万人
    # the first regions of the plan, none other; targets of their own for two goals
    assert sorted({r for _, r, _ in obs.index}) == ["东河乡", "全县", "南湖乡", "城关镇", "西岭镇"]
    targets = demo_targets(plan)
    assert targets[["series", "region"]].values.tolist() == [
        ["qx_invention_per10k", "城关镇"], ["qx_invention_per10k", "东河乡"], ["qx_invention_per10k", "西岭镇"],
        ["qx_invention_per10k", "南湖乡"], ["qx_pct_new", "城关镇"], ["qx_pct_new", "东河乡"]]
    assert set(targets["year"]) == {2027}


def test_another_plans_demo_shows_the_statuses_side_by_side(monkeypatch, tmp_path):
    use_plan(monkeypatch, tmp_path, EARLY)
    store = service.open_store()
    assert "第 1 版" in service.load_demo(store).message
    frame = status_frame(store.plan, store.values(), store.targets(), None)
    assert list(frame["status"]) == ["快于预期", "基本符合预期", "滞后", "已完成", "下降", "已建成", "基本符合预期"]
    assert store.has_demo_data() and not store.has_official_data()
    assert store.revisions()["file_name"].tolist() == ["示例数据.xlsx"]


@pytest.mark.parametrize("plan_id", list(VARIANTS))
def test_demo_loads_for_any_plan(monkeypatch, tmp_path, plan_id):
    """Plans with no key tasks, no regions, or milestones only; this year is their base year, so
    the demo has base-year figures only (no upload may hold a future year)."""
    use_plan(monkeypatch, tmp_path, VARIANTS[plan_id])
    store = service.open_store()
    workbook = demo.demo_workbook(store.plan)
    assert marked(io.BytesIO(workbook)) == []
    service.load_demo(store)
    values = store.values()
    assert set(values["year"]) == set(demo.demo_years(store.plan)) and min(values["year"]) == store.plan.base_year
    assert set(values["region"]) <= {store.plan.district, *store.plan.region_names}
    assert len(store.task_progress()) == len(store.plan.tasks)
    assert store.has_demo_data()


def test_demo_if_empty_asks_about_the_chosen_plan(monkeypatch, tmp_path, capsys):
    """`make run PLAN=…` on a store holding another plan's demo shows the chosen plan's demo."""
    tongzhou = (settings.DATA_DIR / "plans" / "tongzhou-2022-2025.yaml").read_text(encoding="utf-8")
    use_plan(monkeypatch, tmp_path, EARLY, tongzhou)
    assert main(["--plan", "tongzhou-2022-2025", "demo", "--if-empty"]) == 0
    assert main(["demo", "--if-empty"]) == 0  # the county's plan: nothing of it yet
    assert main(["demo", "--if-empty"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("已保存为第 1 版") and out[1].startswith("已保存为第 2 版")
    assert out[2] == "规划“青溪县知识产权发展监测”在数据库中已有数据，未导入示例数据。"
    assert len(service.open_store().revisions()) == 2


def test_a_plan_not_yet_begun_has_no_demo(monkeypatch, tmp_path):
    later = dt.date.today().year + 1
    use_plan(monkeypatch, tmp_path, plan_text("qingxi-later").replace("2026", str(later))
             .replace("2030", str(later + 4)).replace("2028", str(later + 2)))
    with pytest.raises(IpdataError, match=f"基期年\\({later}年\\)还没有到，无法生成示例数据"):
        service.load_demo(service.open_store())


def test_rebuild_workbook_writes_where_told_never_into_the_repository(monkeypatch, tmp_path, capsys):
    use_plan(monkeypatch, tmp_path, EARLY)
    before = settings.demo_workbook().read_bytes()
    out = tmp_path / "mine.xlsx"
    assert main(["demo", "--rebuild-workbook", str(out)]) == 0
    assert f"已生成规划“青溪县知识产权发展监测”的示例工作簿：{out}" in capsys.readouterr().out
    assert read_upload(out, load_plan()).report.valid and marked(out) == []

    assert main(["demo", "--rebuild-workbook"]) == 0  # no name: a temporary file
    written = capsys.readouterr().out.strip().split("：", 1)[1]
    assert written.endswith(".xlsx") and not written.startswith(str(settings.DATA_DIR))
    assert read_upload(written, load_plan()).report.valid

    assert main(["demo", "--rebuild-workbook", str(settings.demo_workbook())]) == 1
    assert "不能写入仓库的示例数据目录" in capsys.readouterr().err
    assert settings.demo_workbook().read_bytes() == before
    assert service.open_store().latest_revision_id() == 0  # writing a workbook imports nothing
