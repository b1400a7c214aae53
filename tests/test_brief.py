"""The leader's brief (ipdata/outputs/brief): what it says on the demo, on a small store built here
and on the final evaluation, its HTML (escaped, no words of another plan), its PNG rendered for real
by chromium, the page (AppTest and Chromium at 390 px and 1280 px) and the CLI.

The small store: plan brief-test-2026-2030 (base 2026, target 2030), district 全县.

    goal            kind        target   rev 1 (2026, 2027)        rev 2 (2028)
    b_invention     level       ≥20      10, 12.5: 25 % / 25 % 快于预期   12: 20 % / 50 % = 0.40 滞后
    b_pct           cumulative  ≥120     —, 30: 25 % / 25 % 快于预期      +40 = 70: 58.3 % / 50 % 快于预期
    b_days          level       ≤60      90, 80: 33 % / 25 % 快于预期     95: (90−95)/(90−60) < 0 倒退
    b_station       milestone   1        0, 0: 未建成                     0: 未建成
    b_licence       trend       —        100, 120: 增长                   150: 增长

Lagging, worst first (未建成, 倒退, 滞后): 工作站, 办案天数 (units of 二.1: 县市场监管局、各乡镇),
发明专利 (units of 一.1: lead 县市场监管局, by duty 县科技局). Two status changes, both worse.
"""

from __future__ import annotations

import asyncio
import io
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ipdata import service
from ipdata.catalogue import load_plan
from ipdata.cli import main
from ipdata.errors import IpdataError
from ipdata.outputs import render
from ipdata.outputs.brief import brief, brief_html, brief_png, card_html, content
from ipdata.outputs.inputs import Inputs
from ipdata.store import Store
from ipdata.views import local_time
from tests.browser import chromium, have_chromium, streamlit_server
from tests.conftest import ROOT
from tests.second_plan import VARIANTS
from tests.store_helpers import upload

needs_chromium = pytest.mark.skipif(not have_chromium(), reason="needs Debian's chromium (make sysdeps installs it)")
TONGZHOU_WORDS = ("通州", "南通", "强县", "高新区", "镇(街道)", "镇（街道）", "全区", "川姜", "金沙", "兴仁", "通政发")

SMALL_PLAN = """\
plan:
  id: brief-test-2026-2030
  title: 某县知识产权发展规划(2026-2030年)
  short_title: 某县知识产权规划
  app_title: 某县知识产权监测
  base_year: 2026
  target_year: 2030
  district: 全县
  region_level: 乡镇
  tasks_heading: 三、主要任务
categories: [产出, 保护]
goals:
  - {code: b_invention, name: "每万人口发明专利<script>alert(1)</script>拥有量", unit: 件, category: 产出,
     kind: level, comparator: ">=", target: 20, decimals: 1, source: 达到20件, section: 二、发展目标, tasks: [一.1]}
  - {code: b_pct, name: 新增PCT国际专利申请, unit: 件, category: 产出, kind: cumulative, comparator: ">=",
     target: 120, source: 五年新增120件, section: 二、发展目标}
  - {code: b_days, name: 专利侵权纠纷平均办案天数, unit: 天, category: 保护, kind: level, comparator: "<=",
     target: 60, decimals: 0, source: 不超过60天, section: 二、发展目标, tasks: [二.1]}
  - {code: b_station, name: 建成县级知识产权保护工作站, unit: 个, category: 保护, kind: milestone,
     comparator: ">=", target: 1, source: 建成县级知识产权保护工作站, section: 二、发展目标}
  - {code: b_licence, name: 专利转让许可次数, unit: 次, category: 产出, kind: trend, source: 明显增长,
     section: 二、发展目标}
task_sections:
  - number: 一
    title: 提升创造质量
    tasks:
      - number: 1
        title: 培育高价值发明专利
        paragraphs:
          - {text: 培育一批高价值发明专利。, units_text: 县市场监管局牵头，县科技局按职责分工负责,
             lead: [县市场监管局], by_duty: [县科技局]}
  - number: 二
    title: 强化保护
    tasks:
      - number: 1
        title: 加快办案
        paragraphs:
          - {text: 缩短办案周期。, units_text: 县市场监管局、各乡镇按职责分工负责, by_duty: [县市场监管局, 各乡镇]}
"""
SCRIPT_NAME = "每万人口发明专利<script>alert(1)</script>拥有量"
CSV = "series,region,year,value\n"


def _csv(*rows: str) -> str:
    return CSV + "\n".join(rows)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Store:
    store = service.open_store(tmp_path_factory.mktemp("brief") / "demo.duckdb")
    service.load_demo(store)
    return store


@pytest.fixture(scope="module")
def demo_brief(demo_store):
    return brief(demo_store)


@pytest.fixture
def small_store(tmp_path) -> Store:
    path = tmp_path / "brief-test-2026-2030.yaml"
    path.write_text(SMALL_PLAN, encoding="utf-8")
    store = Store(tmp_path / "small.duckdb", load_plan(path))
    assert store.apply(upload(_csv(
        "b_invention,全县,2026,10", "b_invention,全县,2027,12.5", "b_pct,全县,2027,30", "b_days,全县,2026,90",
        "b_days,全县,2027,80", "b_station,全县,2026,0", "b_station,全县,2027,0", "b_licence,全县,2026,100",
        "b_licence,全县,2027,120")), "王统计").revision_id == 1
    assert store.apply(upload(_csv(
        "b_invention,全县,2028,12", "b_pct,全县,2028,40", "b_days,全县,2028,95", "b_station,全县,2028,0",
        "b_licence,全县,2028,150")), "王统计").revision_id == 2
    return store


def _date(store: Store, n: int) -> str:
    return local_time(store.revisions().set_index("id").loc[n, "created_at"])[:10]


def _goals(b) -> list[tuple[str, str, str, str]]:
    return [(g.name, g.status, g.facts, g.units_text) for g in b.goals]


# --- what the brief says ---------------------------------------------------------------------

def test_demo_brief_counts_lagging_goals_and_their_units(demo_brief):
    b = demo_brief
    assert (b.final, b.as_of, b.demo, b.figure, b.plan_name) == (False, 2024, True, "", "通州区知识产权强县建设监测")
    # the scorecard's counts over the 21 goals but the rank goal, in the overview's order
    assert list(b.counts.items()) == [("已完成", 2), ("已建成", 2), ("快于预期", 6), ("基本符合预期", 3),
                                      ("滞后", 4), ("倒退", 1), ("未建成", 1), ("增长", 1)]
    assert b.headline == ("截至2024年（序时进度75%），19 项有目标的指标中：已完成 2 项，已建成 2 项，快于预期 6 项，"
                          "基本符合预期 3 项，滞后 4 项，倒退 1 项，未建成 1 项。2025年数据尚未上传，终期结论待定。")
    none = "规划未列出相关任务"
    assert _goals(b) == [
        ("建成省级知识产权保护示范区", "未建成", "截至2024年尚未建成", none),
        ("知识产权服务机构从业人员", "倒退", "2024年116人，目标≥200人，差84人", "区市场监管局(知识产权局)、南通高新区、川姜镇"),
        ("新增省级“正版正货”示范街区和行业", "滞后", "2024年1个，目标≥2个，差1个", none),
        ("新增国家知识产权优势示范企业", "滞后", "2024年3家，目标≥6家，差3家", "区市场监管局(知识产权局)、南通高新区、各镇(街道)"),
        ("专利密集型产业增加值占GDP比重", "滞后", "2024年14.2%，目标≥16%，差1.8个百分点", none),
        ("万人作品著作权登记量", "滞后", "2024年700件，目标≥800件，差100件", "区新闻出版局、川姜镇"),
    ]
    assert b.goals[1].reason == "完成进度-5%为负：2024年值116人比2021年基期值120人更远离目标"
    assert b.attention_title == "需重点关注：滞后、倒退或未完成（6 项）" and b.more_goals == 0
    assert b.ranks == ("知识产权产出主要指标全省排名数据不足：尚未上传排名。",)  # apart, not counted
    # the demo's one revision is the plan's first data: the headline says it, nothing is listed
    assert b.update_headline.endswith("：本规划的第一批数据，20个指标已可评价。") and b.changes == ()
    assert b.stamp == f"数据截至2024年 · {b.revision}" and b.revision.startswith("第1版（")


def test_demo_counts_equal_the_overviews(demo_store, demo_brief, monkeypatch):
    monkeypatch.setenv("IPDATA_DB", str(demo_store.path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    pills = at.pills(key="overview_status").options  # '▼ 滞后 4'
    assert {o.split()[-2]: int(o.split()[-1]) for o in pills} == demo_brief.counts


def test_small_store_by_hand(small_store):
    b = brief(small_store)
    assert (b.final, b.as_of, b.demo, b.district) == (False, 2028, False, "全县")
    assert b.revision == f"第2版（{_date(small_store, 2)}）"
    assert list(b.counts.items()) == [("快于预期", 1), ("滞后", 1), ("倒退", 1), ("未建成", 1), ("增长", 1)]
    assert b.headline == ("截至2028年（序时进度50%），4 项有目标的指标中：快于预期 1 项，滞后 1 项，倒退 1 项，未建成 1 项。"
                          "2030年数据尚未上传，终期结论待定。")
    assert _goals(b) == [
        ("建成县级知识产权保护工作站", "未建成", "截至2028年尚未建成", "规划未列出相关任务"),
        ("专利侵权纠纷平均办案天数", "倒退", "2028年95天，目标≤60天，差35天", "县市场监管局、各乡镇"),
        (SCRIPT_NAME, "滞后", "2028年12.0件，目标≥20件，差8.0件", "县市场监管局、县科技局"),
    ]
    assert [g.reason for g in b.goals[1:]] == ["完成进度-16.7%为负：2028年值95天比2026年基期值90天更远离目标",
                                               "完成进度20% ÷ 序时进度50% = 0.40，低于0.9"]
    assert b.update_headline == f"自上次更新以来（第2版，{_date(small_store, 2)}，导入）：2个指标状态变化，2个转差。"
    assert b.changes == (
        f"{SCRIPT_NAME}由快于预期转为滞后：新报2028年值12.0件；完成进度20% ÷ 序时进度50% = 0.40，低于0.9。",
        "专利侵权纠纷平均办案天数由快于预期转为倒退：新报2028年值95天；完成进度-16.7%为负：2028年值95天比2026年基期值90天更远离目标。",
    )
    assert b.more_changes == 0 and b.ranks == ()


def test_lists_are_limited_and_the_rest_counted(small_store, monkeypatch):
    monkeypatch.setattr(content, "CHANGES_LIMIT", 1)
    monkeypatch.setattr(content, "GOALS_LIMIT", 2)
    b = brief(small_store)
    assert (len(b.changes), b.more_changes, len(b.goals), b.more_goals) == (1, 1, 2, 1)
    assert b.attention_title == "需重点关注：滞后、倒退或未完成（3 项）"
    html = brief_html(b)
    assert html.count("……另有 1 项") == 2  # under the goals and under the changes


def test_inputs_alone_give_no_changes_unless_told(small_store):
    from ipdata import history

    alone = brief(Inputs.from_store(small_store))
    assert alone.update_headline == "" and "最近一次更新" not in brief_html(alone)
    told = brief(Inputs.from_store(small_store), update=history.last_update(small_store))
    assert told.changes == brief(small_store).changes


def test_the_card_reads_in_the_issues_order(small_store, demo_brief):
    """Counts, then what changed since the last update, then the lagging goals, then ranks."""
    marks = ['class="ipb-counts"', "<h2>最近一次更新</h2>", "<h2>需重点关注", "<h2>排名目标</h2>"]
    demo = [card_html(demo_brief).find(m) for m in marks]
    assert -1 not in demo and demo == sorted(demo), demo
    small = [card_html(brief(small_store)).find(m) for m in marks]
    assert -1 not in small[:3] and small[:3] == sorted(small[:3]) and small[3] == -1, small  # no rank goal
    # the small store's changes are listed under the update, before the first lagging goal
    html = card_html(brief(small_store))
    assert html.index("由快于预期转为倒退") < html.index('class="ipb-goal"')


def test_the_card_is_dense_chips_and_three_line_goals(small_store, demo_brief):
    html = card_html(demo_brief)
    # the counts as chips, count then label, in the overview's order
    assert re.findall(r'<span class="ipb-count"[^>]*><b>(\d+)</b>([^<]+)</span>', html) == [
        (str(n), s) for s, n in demo_brief.counts.items()]
    # each goal: name and status; figures with the reason in small type; 责任单位
    goals = re.findall(r'<div class="ipb-goal"[^>]*>(.*?)</div></div>', card_html(brief(small_store)))
    assert len(goals) == 3 and all(g.count("<div") == 3 for g in goals)  # three lines
    assert ('<div class="ipb-facts">2028年95天，目标≤60天，差35天<span class="ipb-why"> · '
            "完成进度-16.7%为负：2028年值95天比2026年基期值90天更远离目标</span></div>"
            '<div class="ipb-units">责任单位：县市场监管局、各乡镇') in goals[1]
    # the 未建成 goal's figure is its reason: said once
    assert goals[0].count("截至2028年尚未建成") == 1


def test_no_text_in_the_png_is_smaller_than_28_pixels():
    from ipdata.outputs.brief import page, png

    sizes = [int(x) for x in re.findall(r"font-size:(\d+)px", page.CSS)]
    assert sizes and min(sizes) == page.MIN_FONT_PX
    assert min(sizes) * png.PNG_WIDTH / png.PNG_CSS_WIDTH >= 28  # 13 px at 2.25 device pixels: 29


def test_text_from_the_plan_stays_text(small_store):
    html = brief_html(brief(small_store))
    assert "<script" not in html.lower()
    assert "每万人口发明专利&lt;script&gt;alert(1)&lt;/script&gt;拥有量" in html
    # self-contained: loads nothing, declares Chinese
    assert '<html lang="zh-CN">' in html and "default-src 'none'" in html
    assert not re.search(r"(src|href)\s*=|url\(|@import", html)


def test_final_mode_gives_verdicts_and_missed_goals_with_gaps(db_path, tmp_path):
    from tests.test_evaluation import HV_UNITS, import_workbook

    store = import_workbook(db_path, tmp_path)
    b = brief(store)
    assert (b.final, b.figure, b.as_of) == (True, "达成 4 / 19", 2025)
    assert list(b.counts.items()) == [("达成", 4), ("未达成", 4), ("待定", 11)]
    assert b.headline.startswith("终期评估：19 项有目标的指标中达成 4 项，未达成 4 项")
    assert b.attention_title == "未达成（4 项）"
    assert [(g.name, g.facts, g.units) for g in b.goals] == [
        ("万人高价值发明专利拥有量", "2025年为17.6件，未达到目标≥18件，差0.4件", HV_UNITS),
        ("新增海外专利授权", "2022—2025年累计27件，未达到目标≥30件，差3件", ()),
        ("建成省级知识产权保护示范区", "截至2025年尚未建成", ()),
        ("全社会知识产权满意度", "2025年为85.0%，未达到目标>85%，恰为目标值，尚未超过", ()),
    ]
    html = brief_html(b)
    assert "达成 4 / 19" in html and "序时进度" not in html and "规划未列出相关任务" in html
    # the final overview says the same counts
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    said = "\n".join(str(m.value) for m in at.markdown)
    assert all(f"##### {v}（{n} 项）" in said for v, n in b.counts.items())


def test_the_national_plan_has_its_own_words_only(tmp_path):
    store = service.open_store(tmp_path / "x.duckdb", "national-ip-2021-2025")
    service.load_demo(store)
    b = brief(store)
    assert b.district == "全国" and [g.name for g in b.goals] == [
        "专利密集型产业增加值占GDP比重", "知识产权民事一审案件服判息诉率", "知识产权质押融资登记金额"]
    html = brief_html(b)
    assert [w for w in TONGZHOU_WORDS if w in html] == []


def test_a_store_shared_by_two_plans_stamps_each_brief_with_its_own_revision(tmp_path):
    """Tongzhou's demo is revision 1, the national plan's demo revision 2 of the same store: each
    brief's 数据版本 is the latest revision of its own data, the one its 最近一次更新 names."""
    db = tmp_path / "shared.duckdb"
    service.load_demo(service.open_store(db, "tongzhou-2022-2025"))
    service.load_demo(service.open_store(db, "national-ip-2021-2025"))
    tongzhou, national = (brief(service.open_store(db, p)) for p in ("tongzhou-2022-2025", "national-ip-2021-2025"))
    store = service.open_store(db, "tongzhou-2022-2025")
    assert tongzhou.revision == f"第1版（{_date(store, 1)}）" and national.revision == f"第2版（{_date(store, 2)}）"
    assert tongzhou.update_headline.startswith(f"自上次更新以来（第1版，{_date(store, 1)}")
    assert national.update_headline.startswith(f"自上次更新以来（第2版，{_date(store, 2)}")


def test_a_plan_without_key_tasks_names_no_units(tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "qingxi-no-tasks.yaml").write_text(VARIANTS["qingxi-no-tasks"], encoding="utf-8")
    monkeypatch.setenv("IPDATA_PLANS_DIR", str(plans))
    store = service.open_store(tmp_path / "x.duckdb", "qingxi-no-tasks")
    # 办案天数 90 → 95 days against ≤60: 倒退; PCT 5 + 5 = 10 of 120 (8 %) at 序时进度 50 %: 滞后
    store.apply(upload(_csv("qx_case_days,全县,2026,90", "qx_case_days,全县,2028,95",
                            "qx_pct_new,全县,2027,5", "qx_pct_new,全县,2028,5")), "王统计")
    b = brief(store)
    assert [(g.name, g.status, g.units_text) for g in b.goals] == [
        ("专利侵权纠纷平均办案天数", "倒退", "规划未列出相关任务"), ("新增PCT国际专利申请", "滞后", "规划未列出相关任务")]
    html = brief_html(b)
    assert "责任单位" not in html.replace("不列责任单位", "")  # no goal can have one: said once, not twice
    assert html.count("规划未列出重点任务，不列责任单位。") == 1
    assert [w for w in TONGZHOU_WORDS if w in html] == []


# --- the PNG ---------------------------------------------------------------------------------

def _image(png: bytes):
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB")


@needs_chromium
def test_png_is_1080_wide_full_height_and_not_blank(demo_brief):
    image = _image(brief_png(demo_brief))
    width, height = image.size
    assert width == 1080 and height > width / 2
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text is anti-aliased: many shades
    pixels = np.asarray(image).astype(int)
    assert tuple(pixels[height - 2, 2]) == (255, 255, 255)  # the page's background
    dark = pixels.max(axis=2) < 90
    assert dark.mean() > 0.005  # text, not an empty page
    assert dark[height // 2:].sum() > 1000  # the card is taller than one section: text in the bottom half too
    # the 滞后 colour (#E69F00) of the lagging goals' bars and of the count's top border
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    assert ((abs(r - 0xE6) < 6) & (abs(g - 0x9F) < 6) & (b < 8)).sum() > 500


def test_png_refused_in_chinese_without_a_chinese_font(demo_brief, monkeypatch):
    monkeypatch.setattr(render, "_fc_list", lambda: "")
    with pytest.raises(IpdataError, match="找不到中文字体") as info:
        brief_png(demo_brief)
    assert "fonts-noto-cjk" in info.value.hint


def test_png_refused_in_chinese_without_chromium(demo_brief, monkeypatch):
    render.stop()  # the warm browser, if any: the next one is looked for again
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    try:
        with pytest.raises(IpdataError, match="找不到 Chromium 浏览器") as info:
            brief_png(demo_brief)
        assert "chromium" in info.value.hint
    finally:
        monkeypatch.delenv("BROWSER_PATH")
        render.stop()


@needs_chromium
def test_a_browser_job_times_out_in_chinese_and_the_next_one_works(demo_brief, monkeypatch):
    brief_png(demo_brief)  # warm

    async def stuck(_browser):
        await asyncio.sleep(30)

    monkeypatch.setattr(render, "RENDER_TIMEOUT", 1)
    with pytest.raises(IpdataError, match=r"生成图片超时（1 秒）"):
        render.in_browser(stuck)
    monkeypatch.setattr(render, "RENDER_TIMEOUT", 120)
    assert _image(brief_png(demo_brief)).size[0] == 1080  # a fresh browser after the failure


# --- the CLI ---------------------------------------------------------------------------------

def test_cli_writes_html_and_refuses_other_names(demo_store, tmp_path, capsys):
    db = str(demo_store.path)
    out = tmp_path / "简报.html"
    assert main(["--db", db, "brief", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"已生成领导简报：{out}" in said and "示例数据" in said
    assert out.read_text(encoding="utf-8") == brief_html(brief(demo_store))
    assert main(["--db", db, "brief", str(tmp_path / "简报.pdf")]) == 1
    assert "输出文件应以 .png 或 .html 结尾" in capsys.readouterr().err
    assert main(["--db", db, "brief", str(tmp_path / "没有这个目录" / "简报.html")]) == 1
    err = capsys.readouterr().err
    assert "无法写入文件" in err and "Traceback" not in err


@needs_chromium
def test_cli_writes_the_png(demo_store, tmp_path, capsys):
    out = tmp_path / "简报.png"
    assert main(["--db", str(demo_store.path), "--plan", "tongzhou-2022-2025", "brief", str(out)]) == 0
    assert _image(out.read_bytes()).size[0] == 1080


# --- the page --------------------------------------------------------------------------------

def test_page_shows_the_card_links_and_the_download(demo_store, demo_brief, monkeypatch):
    monkeypatch.setenv("IPDATA_DB", str(demo_store.path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/brief.py").run()
    assert not at.exception and not at.error
    [card] = [h.proto.body for h in at.html if 'class="ipb"' in h.proto.body]
    assert card == card_html(demo_brief)
    links = at.get("page_link")
    assert [link.proto.label for link in links] == [g.name for g in demo_brief.goals]
    assert links[1].proto.query_string == "code=ip_service_staff&plan=tongzhou-2022-2025"
    [button] = at.get("download_button")
    assert button.proto.label == "下载简报图片 (PNG)" and button.proto.deferred_file_id  # made on click


def test_page_on_an_empty_store(db_path):
    service.open_store(db_path)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/brief.py").run()
    assert not at.exception and not at.error
    [card] = [h.proto.body for h in at.html if 'class="ipb"' in h.proto.body]
    assert "尚无数据" in card and "还没有上传过这个规划的数据。" in card


# --- in Chromium -----------------------------------------------------------------------------

@pytest.fixture
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def demo_server(demo_store, tmp_path):
    with streamlit_server(demo_store.path, tmp_path / "streamlit.log") as url:
        yield url


def _overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_phone_reads_the_brief_without_sideways_scrolling(browser, demo_server, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=3)
    page = context.new_page()
    page.goto(f"{demo_server}/brief")
    page.locator(".ipb-goal").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    assert _overflow(page) <= 0
    box = page.evaluate("""() => {
        const y = (e, side) => e.getBoundingClientRect()[side] + window.scrollY;
        const c = document.querySelector('.ipb-counts'), g = document.querySelectorAll('.ipb-goal');
        const update = document.querySelector('.ipb h2 + .ipb-facts');
        return {counts: [y(c, 'top'), y(c, 'bottom')], chip: document.querySelector('.ipb-count').offsetHeight,
                update: y(update, 'bottom'), goals: [...g].map(e => y(e, 'bottom')),
                width: document.querySelector('.ipb').getBoundingClientRect().width};
    }""")
    # the eight counts as chips in two rows (eight boxes in three rows took ~200 px)
    assert box["counts"][1] - box["counts"][0] < 2 * box["chip"] + 10
    assert box["counts"][1] <= 844 and box["update"] <= 844  # counts and the last update on the first screen
    assert box["update"] < min(box["goals"])  # the update before the goals
    assert box["goals"][2] <= 844 and box["goals"][-1] <= 2 * 844  # three goals there too, all within two
    assert box["width"] <= 390
    assert page.locator(".ipb-count", has_text="滞后").is_visible()
    assert page.get_by_text("责任单位：区新闻出版局、川姜镇").is_visible()
    page.screenshot(path=tmp_path / "brief-390.png", full_page=True)
    context.close()


def test_laptop_shows_the_card_and_downloads_the_png(browser, demo_server, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{demo_server}/brief")
    page.locator(".ipb-goal").first.wait_for(timeout=30_000)
    assert _overflow(page) <= 0
    assert page.locator(".ipb-title").inner_text().endswith("简报")
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="下载简报图片 (PNG)").click()
    download = info.value
    assert re.fullmatch(r"通州区知识产权强县建设监测_简报_示例数据_\d{8}\.png", download.suggested_filename)
    path = tmp_path / "brief.png"
    download.save_as(path)
    assert _image(path.read_bytes()).size[0] == 1080
    page.get_by_role("link", name="知识产权服务机构从业人员").click()
    page.wait_for_url("**/goal?code=ip_service_staff**", timeout=30_000)


def test_the_revision_label_is_dated_in_beijing_time():
    """A revision made at 17:00 UTC on 30 November is 1 December in Beijing, as the pages and
    history date it (the brief's stamp once gave the UTC date beside history's Beijing one)."""
    import pandas as pd

    from ipdata.outputs.inputs import revision_label

    revisions = pd.DataFrame({"id": [1, 2], "created_at": ["2026-11-30T08:00:00+00:00", "2026-11-30T17:00:00+00:00"]})
    assert revision_label(revisions) == "第2版（2026-12-01）"
    assert revision_label(revisions.iloc[:1]) == "第1版（2026-11-30）"
    assert revision_label(revisions.iloc[:0]) == ""


def test_outputs_are_dated_by_beijings_calendar(monkeypatch):
    """At 17:00 UTC on 30 November it is 1 December in Beijing: views.beijing_today, the date the
    report, the deck, task edits and dated file names take when none is given, says so."""
    import datetime as dt

    from ipdata import views

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC).astimezone(tz)

    monkeypatch.setattr(views.dt, "datetime", Clock)
    assert views.beijing_today() == dt.date(2026, 12, 1)
