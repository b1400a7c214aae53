"""A second plan says nothing of the first: with a county's 2026-2030 plan (tests/second_plan.py:
全县, 乡镇, 三、主要任务, its own categories and years) as the only plan, no page, template cell or
validation list, deck text, export, backup, file name or CLI text carries the words of Tongzhou's
plan (通州, 南通, 强县, 高新区, 镇(街道), 四、重点任务, 全区, 2021-2025 …). Then the variants without
key tasks, without regions and with milestones only work from template to pages."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from google.protobuf import text_format
from openpyxl import load_workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from ipdata import manage, service, words
from ipdata.auth import ADMIN, User
from ipdata.backup import backup
from ipdata.cli import _parser, main
from ipdata.ingest import read_upload
from ipdata.outputs.charts import chart_workbook, selection_figures
from ipdata.outputs.deck import Inputs, build_deck
from tests.conftest import ROOT, browser_cookies, sign_in
from tests.second_plan import FIRST_PLAN_WORDS, VARIANTS, use_plan

PAGES = ["pages/overview.py", "pages/goal.py", "pages/category.py", "pages/regions.py", "pages/tasks.py",
         "pages/export.py", "pages/data.py", "pages/account.py", "pages/brief.py"]
ADMIN_USER = User("管理员甲", ADMIN)
# A year of the first plan stands alone (not inside 12025 or a hash); the other words anywhere.
_PATTERNS = [re.compile(rf"(?<!\d){w}(?!\d)") if w.isdigit() else re.compile(re.escape(w)) for w in FIRST_PLAN_WORDS]


def first_plan_words(texts) -> list[tuple[str, str]]:
    """(word, the text around it) for every word of the first plan found in `texts`."""
    hits = []
    for text in texts:
        text = str(text)
        for pattern in _PATTERNS:
            for m in pattern.finditer(text):
                hits.append((m.group(), text[max(0, m.start() - 40):m.end() + 40]))
    return hits


def leaves(obj) -> list[str]:
    """Every string and whole number in parsed JSON (a chart's spec: titles, labels, hover texts, x values)."""
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in (str(k), *leaves(v))]
    if isinstance(obj, list):
        return [s for v in obj for s in leaves(v)]
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, int) and not isinstance(obj, bool):
        return [str(obj)]
    return []


def element_texts(node) -> list[str]:
    """Every text an AppTest element tree holds: each element's message, a table's cells, a
    chart's strings."""
    out: list[str] = []
    kind, proto = getattr(node, "type", ""), getattr(node, "proto", None)
    if kind in ("dataframe", "arrow_data_frame") and hasattr(node, "value"):
        out += [str(c) for c in node.value.columns] + [node.value.to_csv(index=False)]
    elif kind == "plotly_chart":
        out += leaves(json.loads(proto.spec)) + leaves(json.loads(proto.config))
    elif proto is not None:
        out.append(text_format.MessageToString(proto, as_utf8=True))
    for child in getattr(node, "children", {}).values():
        out += element_texts(child)
    return out


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    at.switch_page(name).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def workbook_texts(data: bytes | Path) -> list[str]:
    """Sheet names, every cell, data validation lists and ranges, defined names."""
    wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    out = list(wb.sheetnames)
    for ws in wb.worksheets:
        out += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        for dv in ws.data_validations.dataValidation:
            out += [str(dv.formula1), str(dv.sqref), str(dv.error), str(dv.errorTitle), str(dv.prompt)]
    out += [f"{n}={d.attr_text}" for n, d in wb.defined_names.items()]
    return out


def deck_texts(data: bytes) -> list[str]:
    """Every text frame, table cell and chart category and series name of every slide."""
    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out += [c.text for row in shape.table.rows for c in row.cells]
            if shape.has_chart:
                plot = shape.chart.plots[0]
                out += [str(c) for c in plot.categories] + [s.name for s in plot.series]
    return out


@pytest.fixture
def county(monkeypatch, tmp_path):
    """The second plan as the only plan, its demo loaded."""
    use_plan(monkeypatch, tmp_path, VARIANTS["qingxi-2026-2030"])
    browser_cookies()
    store = service.open_store()
    service.load_demo(store)
    return store


def test_no_page_says_the_first_plans_words(county):
    sign_in(ADMIN_USER)  # an admin sees every part of every page
    shown: list[str] = []
    for name in PAGES:
        at = page(name)
        shown += element_texts(at._tree)
    for code in [g.code for g in county.plan.goals]:
        shown += element_texts(page("pages/goal.py", code=code)._tree)
    at = page("pages/regions.py")
    for region in county.plan.region_names:
        at.selectbox(key="region_card").set_value(region).run()
        shown += element_texts(at._tree)
    assert first_plan_words(shown) == []
    # the plan's own words are what the pages use
    joined = "\n".join(shown)
    assert "青溪县知识产权发展监测 · 2030年目标总览" in joined and "全县" in joined and "城关镇" in joined
    assert "主要任务" in joined and "青溪县知识产权高质量发展规划(2026-2030年)“三、主要任务”" in joined


def test_page_titles_follow_the_plan(county):
    plan = county.plan
    assert (words.regions_title(plan), words.tasks_name(plan)) == ("分乡镇", "主要任务")
    router = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    assert "words.regions_title(plan)" in router and "words.tasks_name(plan)" in router
    assert first_plan_words([router, *(p.read_text(encoding="utf-8") for p in (ROOT / "pages").glob("*.py"))]) == []


def test_the_template_says_nothing_of_the_first_plan(county):
    data = manage.template_bytes(county)
    texts = workbook_texts(data)
    assert first_plan_words(texts) == []
    assert "1. “指标数据”表每行一个指标、一个地区，年份为列(2026年…2030年)；早于基期的历史数据可在右侧按同样格式加年份列。" in texts
    assert "主要任务" in texts and "城关镇" in texts
    assert manage.template_file_name(county.plan) == "青溪县知识产权发展监测_填报模板.xlsx"


def test_deck_exports_and_backup_say_nothing_of_the_first_plan(county, tmp_path):
    plan = county.plan
    places = list(plan.region_names)
    found = deck_texts(build_deck(county, regions=places))
    assert first_plan_words(found) == []
    assert any(plan.title in t for t in found) and "城关镇每万人口有效发明专利拥有量完成情况" not in found

    export = manage.export_bytes(county)
    assert first_plan_words(workbook_texts(export)) == []
    figures = selection_figures(Inputs.from_store(county), regions=places)
    assert first_plan_words([*figures, *workbook_texts(chart_workbook(figures))]) == []  # keys are the PNG names
    assert "每万人口有效发明专利拥有量_全县" in figures

    names = [manage.export_file_name(plan, demo=True), manage.template_file_name(plan),
             *(f"{words.file_stem(plan, what, True)}" for what in ("汇报材料", "图表数据", "图片"))]
    assert first_plan_words(names) == []
    assert all(n.startswith("青溪县知识产权发展监测_") for n in names)

    backup(county, tmp_path / "备份")
    files = sorted((tmp_path / "备份").rglob("*"))
    assert first_plan_words([f.name for f in files]) == []
    for f in files:
        if f.suffix == ".xlsx":
            assert first_plan_words(workbook_texts(f)) == [], f.name


def _help_texts(parser) -> list[str]:
    out = [parser.format_help()]
    for action in parser._actions:
        choices = getattr(action, "choices", None)
        for sub in choices.values() if isinstance(choices, dict) else ():
            out += _help_texts(sub)
    return out


def test_cli_help_and_output_say_nothing_of_the_first_plan(county, capsys):
    helps = _help_texts(_parser())
    assert len(helps) > 20 and first_plan_words(helps) == []
    outputs = []
    for args in (["goals"], ["status"], ["status", "--region", "城关镇"], ["plans"], ["revisions"]):
        assert main(args) == 0, args
        out, err = capsys.readouterr()
        outputs += [out, err]
    assert first_plan_words(outputs) == []
    assert "2030年目标" in outputs[0]


@pytest.mark.parametrize("plan_id", ["qingxi-no-tasks", "qingxi-no-regions", "qingxi-milestones"])
def test_a_plan_without_tasks_or_regions_or_with_milestones_only_works_everywhere(monkeypatch, tmp_path, capsys,
                                                                                   plan_id):
    use_plan(monkeypatch, tmp_path, VARIANTS[plan_id])
    browser_cookies()
    out = tmp_path / "out"
    out.mkdir()
    # the CLI from template to backup, on an empty store and on the demo
    for step in (["template", out / "t.xlsx"], ["status"], ["export", out / "e0.xlsx"], ["deck", out / "d0.pptx"],
                 ["demo"], ["status", "--json"], ["export", out / "e.xlsx"], ["deck", out / "d.pptx"],
                 ["backup", out / "b"]):
        assert main([str(a) for a in step]) == 0, (step, capsys.readouterr().err)
    capsys.readouterr()
    store = service.open_store()
    plan = store.plan
    template = read_upload(out / "t.xlsx", plan)
    assert [p.code for p in template.report.errors] == ["no-data"]  # an empty template: nothing to import
    assert ("任务进度" in load_workbook(out / "t.xlsx").sheetnames) == bool(plan.tasks)
    exported = read_upload(out / "e.xlsx", plan)
    assert exported.report.valid and len(exported.observations) == len(store.values())
    assert (out / "b" / "manifest.json").exists() and not list(out.glob(".*partial"))
    assert Presentation(out / "d.pptx").slides
    # the demo's figures imported as official ones replace it; their export re-imports unchanged
    assert main(["import", str(out / "e.xlsx")]) == 0
    assert not store.has_demo_data() and len(store.values()) == len(exported.observations)
    pending = manage.prepare_import(store, manage.export_bytes(store), "e2.xlsx")
    assert pending.valid and pending.noop
    # every page, and each download's file made as a click would make it
    sign_in(ADMIN_USER)
    for name in PAGES:
        page(name)
    assert manage.template_bytes(store) and manage.export_bytes(store) and build_deck(store)
    figures = selection_figures(Inputs.from_store(store))
    with zipfile.ZipFile(io.BytesIO(chart_workbook(figures))) as z:
        assert z.namelist()


def _buggy_download_then_look():
    import contextlib

    import streamlit as st

    from pages import components as ui

    if "clicked" not in st.session_state:  # the click: the download's data is made, and a bug fails it
        st.session_state.clicked = True
        with contextlib.suppress(Exception):
            ui.from_store(lambda: {}["任务进度"])()
    else:  # the session's next run
        ui.guarded(lambda: st.write("页面内容"))


def test_a_download_that_fails_for_a_bug_is_told_in_chinese(county):
    """Such as the template of a plan without key tasks once did: never a silent English note."""
    at = AppTest.from_function(_buggy_download_then_look, default_timeout=60)
    at.run()
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["刚才的下载没有完成，原因如下。"]
    # no English class name (KeyError): a number to find the traceback in the server log
    assert re.fullmatch(r"生成文件时出现内部错误（错误编号 \d{6}），文件没有生成。", at.error[0].value)
    assert "请刷新页面后重试" in at.info[0].value
