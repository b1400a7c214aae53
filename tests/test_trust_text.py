"""Text from uploads stays text (issue 12, item 6). Hostile region names, sources, notes and task
progress go into a real store; every output then holds them inert: no formula in any workbook
(and Excel's quote prefix on each formula-like cell), no link or image in the pages' markdown, no
markup in the charts (plotly draws <a href> as a link), plain text in the deck."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook
from store_helpers import new_store, upload

from ipdata import inert
from ipdata.figures import goal_chart, progress_chart, region_chart, region_trend_chart
from ipdata.outputs.charts import chart_workbook, selection_figures
from ipdata.outputs.deck import Inputs, build_deck
from ipdata.outputs.workbook import export_workbook
from ipdata.sheetfile import write_sheets
from ipdata.trajectory import compute_all
from ipdata.views import change_list, status_frame
from tests.conftest import ROOT

FORMULA = '=HYPERLINK("http://x","点此")'
IMAGE = "![x](http://evil/t.png)"
LINK = "[点此重新登录](http://evil)"
IMG_TAG = "<img src=x onerror=alert(1)>"
A_TAG = '<a href="http://evil">点此</a>'
REGIONS = [FORMULA, IMAGE, LINK, IMG_TAG, A_TAG, "+1+1", "-1+2", "@SUM(A1)"]
# Sources and notes (the store trims the tab and CR: those two are checked on the writers alone).
OTHER_FORMULAS = ["\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
# What must never appear raw where markup is rendered.
RAW = ["](http", "![", "<img", "<a ", "http://"]


def _values() -> str:
    rows = ["series,region,year,value,source,note",
            "hv_invention_per10k,全区,2022,10,统计局,",
            "hv_invention_per10k,全区,2024,14,统计局,"]
    for i, region in enumerate(REGIONS):
        quoted = '"' + region.replace('"', '""') + '"'
        source = '"' + (OTHER_FORMULAS + REGIONS)[i % 8].replace('"', '""') + '"'
        rows += [f"hv_invention_per10k,{quoted},2022,{2 + i},{source},{quoted}",
                 f"hv_invention_per10k,{quoted},2024,{3 + i},{source},\"{OTHER_FORMULAS[i % 3]}\""]
    return "\n".join(rows)


def _targets() -> str:
    return "series,region,year,target,note\n" + "\n".join(
        f'hv_invention_per10k,"{r.replace(chr(34), chr(34) * 2)}",2025,{20 + i},"{LINK}"' for i, r in enumerate(REGIONS))


TASKS = f'task_id,status,note,updated\n二.1.1,推进中,"{FORMULA.replace(chr(34), chr(34) * 2)}",2024-05-01\n二.1.2,已完成,"{IMG_TAG}",'


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = new_store(tmp_path_factory.mktemp("text") / "hostile.duckdb")
    s.apply(upload(_values(), _targets(), TASKS, file_name=f"{LINK}.xlsx"), user="王统计")
    assert set(REGIONS) <= set(s.values()["region"])  # the store took them as they are
    return s


@pytest.fixture(scope="module")
def inputs(store) -> Inputs:
    return Inputs.from_store(store)


# --- workbooks --------------------------------------------------------------------------------


def _xlsx_cells(data: bytes) -> list[tuple[str, object, str, bool]]:
    """(sheet, value, data_type, quote prefix) of every text cell, as openpyxl reads the file."""
    wb = load_workbook(io.BytesIO(data))
    return [(ws.title, c.value, c.data_type, bool(c.quotePrefix))
            for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def _no_formula_xml(data: bytes) -> None:
    """No <f> element (a formula) in any worksheet: checked in the XML, not through a reader."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", z.read(name)), name


def _assert_inert_workbook(data: bytes, expected: set[str]) -> None:
    _no_formula_xml(data)
    cells = _xlsx_cells(data)
    assert not [c for c in cells if c[2] == "f"]
    risky = {v for _, v, _, _ in cells if inert.formula_like(v)}
    assert expected <= risky, expected - risky  # they were written, as typed
    unprotected = [(sheet, v) for sheet, v, _, prefix in cells if inert.formula_like(v) and not prefix]
    assert not unprotected


def test_export_all_data_has_no_formula_and_the_region_column_is_text(store):
    out = io.BytesIO()
    export_workbook(store, out)
    expected = {r for r in REGIONS if inert.formula_like(r)} | {"=1+1", "=cmd|' /C calc'!A0"}
    _assert_inert_workbook(out.getvalue(), expected)
    regions = {v for sheet, v, _, _ in _xlsx_cells(out.getvalue()) if sheet in ("指标数据", "目标分解")}
    assert set(REGIONS) <= regions  # every region written, the formula-looking ones as text


def test_chart_data_workbook_has_no_formula(inputs):
    figs = selection_figures(inputs, ["hv_invention_per10k"], regions=REGIONS)
    assert len(figs) == 1 + len(REGIONS)
    _assert_inert_workbook(chart_workbook(figs), {FORMULA, "+1+1", "-1+2", "@SUM(A1)"})


def test_cli_changes_workbook_has_no_formula(store, tmp_path):
    fresh = new_store(tmp_path / "fresh.duckdb")
    changes = fresh.preview(upload(_values(), _targets(), TASKS))
    out = tmp_path / "changes.xlsx"
    write_sheets(out, [("全部变化", change_list(changes.rows), None),
                       ("Sheet", pd.DataFrame({"=1+1": ["@x", "\r=2", "\t=3", "plain", 5]}), None)])
    _assert_inert_workbook(out.read_bytes(), {FORMULA, "+1+1", "@x", "\t=3", "=1+1"})
    cr = load_workbook(out)["Sheet"]["A3"]  # XML reads a CR back as LF; the prefix is there all the same
    assert cr.value.endswith("=2") and cr.quotePrefix
    bold = load_workbook(out)["Sheet"]["A1"]
    assert bold.font.b and bold.quotePrefix  # a header keeps both its bold and its prefix


def test_export_reimports_the_same_text(store, tmp_path):
    """The quote prefix is a flag, not a character: the text reads back exactly as stored."""
    from ipdata.ingest import read_upload

    out = tmp_path / "all.xlsx"
    export_workbook(store, out)
    back = read_upload(out, store.plan)
    tasks = back.tasks.set_index("task_id")["note"]
    assert tasks["二.1.1"] == FORMULA and tasks["二.1.2"] == IMG_TAG


# --- the deck ---------------------------------------------------------------------------------


def test_deck_holds_the_names_as_plain_text(inputs):
    data = build_deck(inputs, ["hv_invention_per10k"], regions=REGIONS)
    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            body = z.read(name)
            if name.startswith("ppt/slides/slide"):
                assert b"hlinkClick" not in body and b"<a:hlink" not in body, name  # no link anywhere
                texts += [html.unescape(t) for t in re.findall(r"<a:t>([^<]*)</a:t>", body.decode("utf-8"))]
            if name.endswith(".xlsx"):  # the workbooks behind the native charts
                _no_formula_xml(body)
    shown = "\n".join(texts)
    for region in (IMG_TAG, A_TAG, LINK, FORMULA):  # as typed: the text of the slide, nothing else
        assert region in shown, region


# --- charts -----------------------------------------------------------------------------------


def _strings(obj, skip=("meta",)) -> list[str]:
    """Every string plotly could draw: the figure's JSON minus layout.meta (the export's data)."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() if k not in skip for s in _strings(v, skip)]
    if isinstance(obj, list | tuple):
        return [s for v in obj for s in _strings(v, skip)]
    return []


def _figures(store):
    plan, values, targets = store.plan, store.values(), store.targets()
    frame_all = compute_all(plan, values, targets)
    region = status_frame(plan, values, targets, IMG_TAG).set_index("code").loc["hv_invention_per10k"]
    several = frame_all[frame_all["code"] == "hv_invention_per10k"]
    return {
        "goal": goal_chart(plan, "hv_invention_per10k", values, region, region=IMG_TAG),
        "goal, no data": goal_chart(plan, "ip_standard_units_new", values, None, region=A_TAG),
        "ranking": region_chart(plan, "hv_invention_per10k", frame_all),
        "trend": region_trend_chart(plan, "hv_invention_per10k", values, REGIONS),
        "progress": progress_chart(several),
    }


def test_no_chart_carries_markup_from_a_name(store):
    for what, fig in _figures(store).items():
        drawn = _strings(fig.to_plotly_json())
        for raw in (IMG_TAG, A_TAG, "<img", "<a "):
            assert not [s for s in drawn if raw in s], (what, raw)
        assert any(inert.plotly(IMG_TAG) in s or inert.plotly(A_TAG) in s for s in drawn), what
        rows = fig.layout.meta["ipdata_chart_data"]
        if what != "goal, no data":  # the data behind a chart (its xlsx) keeps the names as typed
            assert {r["region"] for r in rows} & set(REGIONS), what


def test_rendered_chart_shows_the_text_and_has_no_link(store):
    """Through plotly.js itself (kaleido's Chromium): the names are text nodes, there is no <a>."""
    from ipdata.outputs.render import to_svg

    figs = _figures(store)
    for what in ("goal", "ranking"):
        svg = to_svg(figs[what])
        svg = svg.decode("utf-8") if isinstance(svg, bytes) else svg
        assert "<a " not in svg and "xlink:href=\"http://evil" not in svg, what
        assert "&lt;img src=x onerror=alert(1)&gt;" in svg or "&#60;img src=x onerror=alert(1)&#62;" in svg, what


# --- pages ------------------------------------------------------------------------------------


def _markdown_texts(at) -> list[str]:
    """What Streamlit renders as markdown: markdown, captions, alerts, headings."""
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


def _assert_inert_markdown(at, shown: list[str]) -> None:
    texts = _markdown_texts(at)
    for text in texts:
        unescaped = re.sub(r"\\.", "", text)  # drop every escaped character, look at the rest
        for raw in RAW:
            assert raw not in unescaped, (raw, text)
    joined = "\n".join(texts)
    for name in shown:  # shown, escaped, not dropped
        assert inert.markdown(name) in joined, name


@pytest.mark.parametrize("region", [LINK, IMAGE, IMG_TAG, A_TAG, FORMULA])
def test_goal_page_shows_a_hostile_region_as_text(store, monkeypatch, region):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("IPDATA_DB", str(store.path))
    at = AppTest.from_file(str(ROOT / "pages" / "goal.py"), default_timeout=60)
    at.query_params["code"] = "hv_invention_per10k"
    at.run()
    at.selectbox(key="goal_region").set_value(region).run()
    assert not at.exception and not at.error
    _assert_inert_markdown(at, [region])


def test_regions_page_with_hostile_names_renders(store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("IPDATA_DB", str(store.path))
    at = AppTest.from_file(str(ROOT / "pages" / "regions.py"), default_timeout=60)
    at.run()
    at.selectbox(key="region_goal").set_value("hv_invention_per10k").run()
    at.selectbox(key="region_card").set_value(LINK).run()
    assert not at.exception and not at.error
    assert set(REGIONS) <= set(at.dataframe[0].value["地区"])  # a table cell is plain text
    _assert_inert_markdown(at, [])


def test_a_refusal_quoting_a_file_name_is_text():
    from streamlit.testing.v1 import AppTest

    def page():
        from ipdata.errors import IpdataError
        from pages import components

        components.show_error(IpdataError("文件“[点此重新登录](http://evil).xlsx”有 1 个错误，不能导入。",
                                          hint="![x](http://evil/t.png) <img src=x onerror=alert(1)>"))

    at = AppTest.from_function(page).run()
    assert [e.value for e in at.error] == [inert.markdown("文件“[点此重新登录](http://evil).xlsx”有 1 个错误，不能导入。")]
    _assert_inert_markdown(at, [LINK, IMAGE, IMG_TAG])


def test_markdown_escape_keeps_ordinary_text():
    assert inert.markdown("2022年以来累计59家，完成进度68.4%") == "2022年以来累计59家，完成进度68.4%"
    assert inert.markdown(LINK) == r"\[点此重新登录\]\(http\://evil\)"
    assert inert.markdown("见 www.evil.com") == r"见 www\.evil.com"
    assert inert.plotly("A&B <b>50%</b>") == "A&amp;B &lt;b&gt;50&#37;&lt;/b&gt;"


def test_streamlit_table_download_and_copy_are_off():
    """st.dataframe's CSV download and copy would carry =HYPERLINK(…) raw into a spreadsheet."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


# --- in a real browser ------------------------------------------------------------------------


def _pointers(page) -> list[str]:
    """Where every link and image of the page points (HTML and SVG)."""
    return page.evaluate("() => [...document.querySelectorAll('a, img, image')].map(e => "
                         "e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '')")


def test_browser_draws_no_link_or_image_from_a_name(store, tmp_path):
    """Debian's Chromium on the goal page of a region named like a link, and on the regions page:
    Streamlit's own markdown and plotly.js draw the names as text; no element points anywhere."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, have_chromium, streamlit_server

    playwright = pytest.importorskip("playwright.sync_api")
    if not have_chromium():
        pytest.skip("needs Debian's chromium")
    with streamlit_server(store.path, tmp_path / "streamlit.log") as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        outside = []
        page.on("request", lambda r: outside.append(r.url) if "evil" in r.url or r.url.endswith("/x") else None)
        page.goto(f"{url}/goal?code=hv_invention_per10k")
        page.get_by_test_id("stSelectbox").filter(has_text="地区").click()
        page.get_by_role("option", name=LINK).click()
        page.get_by_text(f"{LINK}万人高价值发明专利拥有量", exact=False).first.wait_for(timeout=60_000)
        # the chart is redrawn for the region after the sentence: its title as text, exactly
        page.locator(".js-plotly-plot .gtitle", has_text=LINK).first.wait_for(timeout=60_000)
        links = _pointers(page)
        page.goto(f"{url}/regions")
        page.get_by_test_id("stSelectbox").filter(has_text="指标").click()
        page.get_by_role("option", name="万人高价值发明专利拥有量").click()
        page.locator(".js-plotly-plot .ytick").first.wait_for(timeout=60_000)
        ticks = page.locator(".js-plotly-plot").first.locator(".ytick").all_text_contents()
        assert IMG_TAG in ticks and A_TAG in ticks, ticks
        page.screenshot(path=tmp_path / "regions.png", full_page=True)
        links += _pointers(page)
        browser.close()
    assert not [u for u in links if "evil" in u or u.endswith("/x")], links
    assert not outside, outside
