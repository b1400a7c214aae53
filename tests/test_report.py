"""The 自评报告: opened again with python-docx as a reader's Word would, checked against the
figures the pages show; converted to PDF with LibreOffice and read back with pdftotext."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image

from ipdata import service
from ipdata.cli import main
from ipdata.errors import IpdataError
from ipdata.outputs.brief import brief as build_brief
from ipdata.outputs.deck import Inputs
from ipdata.outputs.report import TEMPLATE, build_report, soffice, to_pdf
from ipdata.outputs.report.fonts import FALLBACKS
from tests.test_evaluation import import_workbook
from tests.test_plan_national import TONGZHOU_WORDS

TODAY = dt.date(2025, 3, 1)
GOALS_HEADER = ["指标", "目标", "完成值", "完成进度", "序时进度", "状态"]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    store = service.open_store(tmp_path_factory.mktemp("report") / "demo.duckdb")
    service.load_demo(store)
    return store


@pytest.fixture(scope="module")
def report_bytes(demo_store) -> bytes:
    return build_report(demo_store, today=TODAY)


@pytest.fixture(scope="module")
def doc(report_bytes):
    return Document(io.BytesIO(report_bytes))


def texts(d) -> list[str]:
    """Every paragraph of the body and its tables, in order."""
    body = d.element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def full_text(d) -> str:
    return "\n".join(texts(d))


def table_rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def goals_table(d):
    [table] = [t for t in d.tables if table_rows(t)[0] == GOALS_HEADER and len(t.rows) > 5]
    return table


# --- page and type ---------------------------------------------------------------------------

def test_page_is_a4_with_the_gbt_9704_margins(doc):
    s = doc.sections[0]
    assert [round(x / Mm(1), 1) for x in (s.page_width, s.page_height)] == [210.0, 297.0]
    assert [round(x / Mm(1), 1) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == \
        [37.0, 35.0, 28.0, 26.0]


def test_page_numbers_at_the_outside_corner_with_dashes(doc):
    assert doc.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    s = doc.sections[0]
    odd, even = s.footer.paragraphs[0], s.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)
    for p in (odd, even):
        assert p.text == "— 1 —"  # the field's cached result between the dashes
        assert [i.text for i in p._p.iter(qn("w:instrText"))] == [" PAGE "]


def _face(style) -> str:
    while style is not None:
        fonts = style.element.find(qn("w:rPr")).find(qn("w:rFonts")) if style.element.find(qn("w:rPr")) is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
        style = style.base_style
    return ""


def test_styles_name_the_gongwen_faces_and_sizes(doc):
    st = doc.styles
    assert (_face(st["Title"]), st["Title"].font.size) == ("方正小标宋简体", Pt(22))
    normal = st["Normal"]
    assert (_face(normal), normal.font.size) == ("仿宋_GB2312", Pt(16))
    assert (normal.paragraph_format.line_spacing_rule, normal.paragraph_format.line_spacing) == \
        (WD_LINE_SPACING.EXACTLY, Pt(28))
    assert (_face(st["Heading 1"]), _face(st["Heading 2"])) == ("黑体", "楷体_GB2312")
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "一、总体情况")
    assert ("Heading 2", "（一）创造") in headings
    assert all(t[:1] in "一二三四五六七八九" and t[1:3].rstrip("十") for s, t in headings if s == "Heading 1")


def test_every_run_with_text_names_an_east_asian_face(report_bytes):
    with zipfile.ZipFile(io.BytesIO(report_bytes)) as z:
        parts = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")
                 and n.split("/")[-1].startswith(("document", "footer", "header"))]
        from lxml import etree

        missing, runs = [], 0
        for name in parts:
            root = etree.fromstring(z.read(name))
            for r in root.iter(qn("w:r")):
                text = "".join(t.text or "" for t in r.iter(qn("w:t")))
                if not text:
                    continue
                runs += 1
                fonts = r.find(qn("w:rPr")).find(qn("w:rFonts")) if r.find(qn("w:rPr")) is not None else None
                if fonts is None or not fonts.get(qn("w:eastAsia")):
                    missing.append((name, text))
        font_table = z.read("word/fontTable.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert runs > 300 and missing == []
    for face, alt in FALLBACKS.items():  # each 公文 face with the one Word shows where it is missing
        assert f'w:name="{face}"><w:altName w:val="{alt}"/>' in font_table
    assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings


# --- content ---------------------------------------------------------------------------------

def test_title_headline_and_every_goal_with_the_pages_sentence(doc, demo_store):
    plan, text = demo_store.plan, full_text(doc)
    assert texts(doc)[0] == f"{plan.title}实施情况自评报告"
    assert "（数据截至2024年）" in text
    assert f"{plan.issuer}印发的《{plan.title}》（{plan.document_no}）确定了{len(plan.goals)}项主要指标" in text
    assert ("截至2024年（序时进度75%），19 项有目标的指标中：已完成 2 项，已建成 2 项，快于预期 6 项，"
            "基本符合预期 3 项，滞后 4 项，倒退 1 项，未建成 1 项。2025年数据尚未上传，终期结论待定。") in text
    frame = Inputs.from_store(demo_store).frame()
    for goal in plan.goals:
        assert goal.name in text
    for sentence in frame["narrative"]:  # the very sentence the goal page shows
        assert sentence in text
    assert "规划期为2022—2025年" in text  # as the title says; 2021 is the base year
    # the name once: the sentence already says it
    assert ("1. 截至2024年，万人高价值发明专利拥有量为14.9件，完成目标进度的68.4%，"
            "序时进度75%，基本符合预期；") in text
    for goal, sentence in zip(plan.goals, frame["narrative"], strict=True):
        item = next(p for p in texts(doc) if sentence in p and p[:1].isdigit())
        assert item.count(goal.name) == max(1, sentence.count(goal.name)), item
    assert "目标：2025年≥18件；完成值：14.9件（2024年）；完成进度68.4%，序时进度75%；状态：基本符合预期。" in text


def test_goals_table_has_every_goal_with_the_tiles_figures(doc, demo_store):
    rows = table_rows(goals_table(doc))
    assert rows[0] == GOALS_HEADER
    assert [r[0] for r in rows[1:]] == [g.name for g in demo_store.plan.goals]
    assert rows[1] == ["万人高价值发明专利拥有量", "2025年≥18件", "14.9件（2024年）", "68.4%", "75%", "基本符合预期"]
    assert rows[4][3:] == ["64.3%", "75%", "滞后"]  # 万人作品著作权登记量


def test_tables_keep_rows_whole_and_headers_unbroken(doc):
    """Every row stays on one page and the header row repeats; a 12 pt header such as 完成进度 and
    the longest status 基本符合预期 fit their columns between 1 mm cell margins (hand-computed:
    4 × 12 pt = 16.9 mm, 6 × 12 pt = 25.4 mm)."""
    assert doc.tables
    for table in doc.tables:
        rows = table._tbl.tr_lst
        assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
        pad = sum(int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("left", "right")) / 1440 * 25.4
        for cell in table.rows[0].cells:
            needed = len(cell.text) * 12 / 72 * 25.4 + pad
            assert cell.width / 36000 >= needed, (cell.text, cell.width / 36000, needed)
    goals = goals_table(doc)
    status = [c.text for c in goals.rows[0].cells].index("状态")
    assert goals.columns[status].width / 36000 >= 6 * 12 / 72 * 25.4 + 2
    assert goals.rows[1].cells[status].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_one_chart_picture_per_goal_with_data(doc, demo_store):
    frame = Inputs.from_store(demo_store).frame()
    with_data = int(frame["latest_value"].notna().sum())
    assert with_data == 20  # every goal but the rank without data
    assert len(doc.inline_shapes) == with_data
    blips = [doc.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed] for s in doc.inline_shapes]
    assert {Image.open(io.BytesIO(b.blob)).size for b in blips} == {(1920, 1080)}
    assert all(round(s.width / Mm(1)) == 150 for s in doc.inline_shapes)
    captions = [t for t in texts(doc) if t.startswith("图")]
    assert captions[0] == "图1　万人高价值发明专利拥有量（全区）（示例数据）" and len(captions) == with_data


def test_lagging_goals_with_the_units_of_their_key_tasks(doc, demo_store):
    plan, text = demo_store.plan, full_text(doc)
    assert "四、需重点关注的指标及责任单位" in text
    goal = next(g for g in plan.goals if g.name == "万人作品著作权登记量")
    units = "、".join(plan.units_of(goal))
    line = next(t for t in texts(doc) if t.split(". ", 1)[-1].startswith("万人作品著作权登记量（滞后）"))
    assert f"责任单位：{units or '规划未列出相关任务'}" in line
    # the brief's figures and reason, in the same words (ipdata/attention.py: one record for both)
    assert ("2. 知识产权服务机构从业人员（倒退）：2024年116人，目标≥200人，差84人；完成进度-5%为负：2024年值116人"
            "比2021年基期值120人更远离目标。责任单位：区市场监管局(知识产权局)、南通高新区、川姜镇（五.2 提升社会化服务水平）"
            ) in texts(doc)
    assert "1. 建成省级知识产权保护示范区（未建成）：截至2024年尚未建成。责任单位：规划未列出相关任务" in texts(doc)
    brief = build_brief(demo_store)
    lines = [t.split(". ", 1)[1] for t in texts(doc) if t[:1].isdigit() and "责任单位：" in t]
    assert [g.line for g in brief.goals] == lines


def test_key_task_table_with_stored_progress(doc, demo_store):
    plan = demo_store.plan
    [table] = [t for t in doc.tables if table_rows(t)[0] == ["编号", "任务", "牵头单位", "状态", "进展说明"]]
    rows = table_rows(table)
    assert [r[0] for r in rows[1:]] == [t.id for t in plan.tasks] and len(rows) == 28
    assert rows[1][3:] == ["已完成", "示例：已按计划完成。"]
    assert "五、重点任务推进情况" in full_text(doc)


def test_a_section_per_region_with_its_own_targets(doc, demo_store):
    regions = Inputs.from_store(demo_store).regions
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [f"（{n}）{r}" for n, r in zip("一二三四", regions, strict=False)] == headings[-len(regions):]
    assert "六、分镇(街道)完成情况" in full_text(doc)
    region_tables = [table_rows(t) for t in doc.tables if table_rows(t)[0][1] == "分解目标"]
    assert len(region_tables) == len(regions)
    assert region_tables[0][1][:2] == ["万人高价值发明专利拥有量", "2025年≥6件"]


def test_closing_note_and_demo_marks(doc, demo_store):
    text = full_text(doc)
    assert "七、说明" in text
    assert "数据截至：2024年；数据版本：第1版（" in text and "报告生成日期：2025年3月1日。" in text
    assert "数据来源：" in text
    demo = [p for p in doc.paragraphs if p.text.startswith("示例数据：")]
    assert len(demo) == 2 and all(r.font.color.rgb is not None for p in demo for r in p.runs)
    assert "表1　全区主要指标完成情况（示例数据）" in text
    assert texts(doc)[-2:] == [demo_store.plan.issuer, "2025年3月1日"]


def test_a_report_without_data_says_so(tmp_path):
    store = service.open_store(tmp_path / "empty.duckdb")
    d = Document(io.BytesIO(build_report(store, today=TODAY)))
    text = full_text(d)
    assert "（尚无监测数据）" in text and "示例数据" not in text and len(d.inline_shapes) == 0
    assert "尚无数据：19 项有目标的指标等待上传数据。" in text


def test_final_evaluation_once_the_target_year_has_data(tmp_path):
    store = import_workbook(tmp_path / "final.duckdb", tmp_path)
    d = Document(io.BytesIO(build_report(store, today=TODAY, charts=False)))
    text = full_text(d)
    assert ("终期评估：19 项有目标的指标中达成 4 项，未达成 4 项；1 项2024年已达到目标、2025年数据尚未上传，"
            "不计入达成；10 项尚无2025年数据。") in text
    assert "四、未达成目标的指标及责任单位" in text
    assert "1. 万人高价值发明专利拥有量：2025年为17.6件，未达到目标≥18件，差0.4件。责任单位：区市场监管局(知识产权局)" in text
    rows = table_rows(goals_table(d))
    assert rows[1] == ["万人高价值发明专利拥有量", "2025年≥18件", "17.6件（2025年）", rows[1][3], "—", "未达成"]
    by_name = {r[0]: r for r in rows}
    # a milestone built in 2023 is 达成 and says so: never 尚未建成 beside its verdict
    assert by_name["建成区级重点产业知识产权运营平台"][2:] == ["2023年建成", "—", "—", "达成"]
    assert by_name["建成省级知识产权保护示范区"][2:] == ["尚未建成（2025年）", "—", "—", "未达成"]
    assert "目标：2025年建成；完成值：2023年建成；终期结论：达成。" in texts(d)
    assert "示例数据" not in text


def test_another_plan_has_none_of_tongzhous_words(tmp_path):
    store = service.open_store(tmp_path / "national.duckdb", "national-ip-2021-2025")
    service.load_demo(store)
    plan = store.plan
    d = Document(io.BytesIO(build_report(store, today=TODAY, charts=False)))
    text = full_text(d)
    assert texts(d)[0] == f"{plan.title}实施情况自评报告"
    assert f"{plan.issuer}印发的《{plan.title}》" in text and f"将{plan.district}规划实施情况自评如下" in text
    assert not [w for w in TONGZHOU_WORDS if w in text]
    assert "重点任务推进情况" not in text  # the plan lists no key tasks: no task table
    # ... and no goal has a 责任单位: the section says so once instead of under every goal
    assert "四、需重点关注的指标" in texts(d) and "责任单位：" not in text
    assert text.count("规划未列出重点任务，不列责任单位。") == 1
    assert "1. 专利密集型产业增加值占GDP比重（倒退）：2023年11.4%，目标≥13%，差1.6个百分点；" in text
    assert all(g.name in text for g in plan.goals)


def test_the_offices_edits_to_the_template_are_kept(tmp_path, demo_store):
    tpl = Document(TEMPLATE)
    title = tpl.paragraphs[0]
    title.runs[0].text = title.runs[0].text.replace("实施情况自评报告", "实施情况总结报告")
    tpl.add_paragraph("联系人：张三")
    path = tmp_path / "edited.docx"
    tpl.save(path)
    d = Document(io.BytesIO(build_report(demo_store, template=path, charts=False)))
    assert texts(d)[0] == f"{demo_store.plan.title}实施情况总结报告" and texts(d)[-1] == "联系人：张三"


def test_a_broken_template_is_refused_in_chinese(tmp_path, demo_store):
    tpl = Document(TEMPLATE)
    tpl.add_paragraph("{{ 不存在的域 }}")
    path = tmp_path / "bad.docx"
    tpl.save(path)
    with pytest.raises(IpdataError, match="报告模板使用了不存在的域"):
        build_report(demo_store, template=path, charts=False)
    (tmp_path / "not.docx").write_text("not a document")
    with pytest.raises(IpdataError, match="报告模板无法打开"):
        build_report(demo_store, template=tmp_path / "not.docx", charts=False)


def test_unknown_region_is_refused(demo_store):
    with pytest.raises(IpdataError, match="当前数据中没有这些地区：火星"):
        build_report(demo_store, ["火星"], charts=False)


def test_cli_writes_the_report(tmp_path, capsys, demo_store):
    out = tmp_path / "报告.docx"
    db = str(demo_store.path)
    assert main(["--db", db, "report", str(out), "--region", "川姜镇", "--no-pdf"]) == 0
    said = capsys.readouterr().out
    assert f"已生成自评报告：{out}" in said and "示例数据" in said
    d = Document(out)
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 2"][-1] == "（一）川姜镇"
    assert main(["--db", db, "report", str(tmp_path / "x.pdf")]) == 1
    assert "输出文件应以 .docx 结尾" in capsys.readouterr().err


# --- PDF -------------------------------------------------------------------------------------

@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_through_libreoffice(tmp_path, report_bytes, demo_store):
    docx = tmp_path / "报告.docx"
    docx.write_bytes(report_bytes)
    pdf = to_pdf(docx)
    assert pdf == tmp_path / "报告.pdf" and pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdftotext, pdfinfo) not installed")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert "pts (A4)" in info and f"Title:           {demo_store.plan.title}实施情况自评报告" in info
    assert 20 <= pages <= 60  # 20 charts, the tables, the task list
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    assert f"{demo_store.plan.title}实施情况自评报告".replace(" ", "") in flat
    for n in (1, 2, pages):
        assert f"—{n}—" in flat
    assert "万人高价值发明专利拥有量" in flat and "数据截至：2024年" in flat
    # without the 公文 faces the body (仿宋) is set in a serif CJK face and 一、 headings (黑体) in a
    # sans one, as in print, not all in one sans face (the conversion's own fontconfig file)
    if shutil.which("pdffonts") and _has_family("Noto Serif CJK SC") and not _has_family("仿宋_GB2312"):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts


def _has_family(name: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return any(name in line.split(",") for line in listed.splitlines())


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig (fc-match) is not installed")
def test_the_pdfs_fontconfig_gives_each_gongwen_face_a_face_of_its_kind(tmp_path):
    from ipdata.outputs.report.pdf import fontconfig

    conf = tmp_path / "fonts.conf"
    conf.write_text(fontconfig(), encoding="utf-8")
    for face in FALLBACKS:
        assert f"<family>{face}</family><accept>" in conf.read_text(encoding="utf-8")
    if not _has_family("Noto Serif CJK SC") or _has_family("仿宋_GB2312"):
        pytest.skip("needs Noto Serif CJK SC (fonts-noto-cjk) and no real 仿宋_GB2312")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}

    def match(face: str) -> str:
        return subprocess.run(["fc-match", "-f", "%{family[0]}", face], capture_output=True, text=True,
                              env=env, check=True).stdout

    assert [match(f) for f in ("仿宋_GB2312", "方正小标宋简体", "楷体_GB2312", "宋体", "黑体")] == [
        "Noto Serif CJK SC", "Noto Serif CJK SC", "Noto Serif CJK SC", "Noto Serif CJK SC", "Noto Sans CJK SC"]
    assert match("Noto Sans CJK SC") == "Noto Sans CJK SC"  # other faces untouched


def test_every_template_field_is_documented(demo_store):
    """docs/report.md is what the office reads to edit the template: every field the report fills
    (nested ones as `x.key`) must be listed there, so a new field cannot land unexplained."""
    from pathlib import Path

    from ipdata.outputs.report.context import report_context

    doc = (Path(__file__).resolve().parent.parent / "docs" / "report.md").read_text(encoding="utf-8")
    context = report_context(Inputs.from_store(demo_store), demo_store.task_progress(), today=TODAY)
    undocumented = []

    def nested(value) -> list[dict]:
        if isinstance(value, dict):
            return [value]
        if isinstance(value, list):
            return [v for v in value if isinstance(v, dict)]
        return []

    internal = {"has_data", "code"}  # for the builder, not the template
    for key, value in context.items():
        if f"`{key}`" not in doc and not re.search(rf"`{key}\.\w+`", doc):
            undocumented.append(key)
        for item in nested(value):
            for sub, inner in item.items():
                if sub not in internal and not re.search(rf"`\w+\.{sub}`", doc):
                    undocumented.append(f"{key}.{sub}")
                for deeper in nested(inner):
                    undocumented += [f"{key}.{sub}.{k}" for k in deeper
                                     if k not in internal and not re.search(rf"`\w+\.{k}`", doc)]
    assert sorted(set(undocumented)) == []


def test_region_frames_computed_together_equal_each_computed_alone(demo_store):
    """Inputs computes every region with data in one engine run; each must be the frame the pages
    compute for that region alone (status_frame)."""
    import pandas as pd

    from ipdata.views import status_frame

    inputs = Inputs.from_store(demo_store)
    assert len(inputs.regions) == 4
    for region in inputs.regions:
        alone = status_frame(inputs.plan, inputs.values, inputs.targets, region)
        pd.testing.assert_frame_equal(inputs.frame(region), alone)
    assert inputs.frame().equals(status_frame(inputs.plan, inputs.values, inputs.targets))
