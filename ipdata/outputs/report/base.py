"""The base document of the 自评报告: `python -m ipdata.outputs.report.base [OUT.docx]` writes
data/templates/report.docx (the file the office then edits in WPS or Word; rerunning this script
overwrites their edits, so run it only to start over).

Page setup and styles per GB/T 9704-2012: A4; margins top 37, bottom 35, left 28, right 26 mm;
title 方正小标宋简体 二号 (22 pt); body 仿宋_GB2312 三号 (16 pt) at a fixed 28 pt line; headings
一、 in 黑体 (Heading 1), （一） in 楷体_GB2312 (Heading 2); page numbers "— n —" in 4号宋体 in the
footer, odd pages at the right and even pages at the left, one character in (w:evenAndOddHeaders).

Every style and every run names its East Asian face (w:eastAsia), the theme's East Asian language
is zh-CN, and the font table gives each 公文 face a fallback (fonts.FALLBACKS, w:altName):
python-docx's own template says eastAsia="ja-JP" and falls back to a Japanese face for Chinese.

The body is a docxtpl (Jinja2) template: {{ … }} fields, {%p … %} paragraphs that repeat or hide
paragraphs, {%tr … %} rows that repeat table rows. docs/report.md lists every field.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from ipdata.outputs.report import TEMPLATE
from ipdata.outputs.report import fonts as F

LINE = Pt(28)  # fixed line spacing of the body
RED = RGBColor(0xC0, 0x00, 0x00)
# Column widths (mm) of the tables; each table fills the 156 mm between the margins. With 1 mm cell
# margins a 12 pt header of four characters (完成进度) needs 19 mm and 基本符合预期 27 mm: no header
# and no status breaks inside a word.
GOAL_COLUMNS = (("指标", 38), ("目标", 25), ("完成值", 26), ("完成进度", 19), ("序时进度", 19), ("状态", 29))
TASK_COLUMNS = (("编号", 16), ("任务", 46), ("牵头单位", 38), ("状态", 16), ("进展说明", 40))
REGION_COLUMNS = (("指标", 38), ("分解目标", 25), ("完成值", 26), ("完成进度", 19), ("序时进度", 19), ("状态", 29))
CELL_MARGIN_TWIPS = 57  # 1 mm left and right (Word's default 1.9 mm breaks 完成进度 in two)
LEFT_COLUMNS = {"指标", "任务", "牵头单位", "进展说明"}  # words read left to right; figures and states centred


def _style(doc, name: str, face_role: str, size: float, *, align=None, indent: bool = False,
           exact: bool = True, bold: bool = False, base: str | None = None):
    styles = doc.styles
    try:
        st = styles[name]
    except KeyError:
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        st.base_style = styles[base]
    font = st.font
    font.size, font.bold, font.italic = Pt(size), bold, False
    font.color.rgb = RGBColor(0, 0, 0)
    F.set_run_fonts(st.element.get_or_add_rPr(), *F.FACES[face_role])
    pf = st.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    if exact:
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.first_line_indent = Pt(size * 2) if indent else Pt(0)
    if indent:  # two characters whatever the size: what WPS and Word write for 首行缩进 2 字符
        ind = st.element.get_or_add_pPr().find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), "200")
    if align is not None:
        pf.alignment = align
    pf.keep_with_next = name.startswith("Heading")
    return st


def styles(doc) -> None:
    """Normal, Title, Subtitle, Heading 1-2, Caption, Footer and our own 图片 / 表格文字 / 表头."""
    J, C, R = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    F.set_run_fonts(rpr, *F.FACES[F.BODY])
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for fonts in doc.styles.element.iter(qn("w:rFonts")):  # no style may point at the theme's faces
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    _style(doc, "Normal", F.BODY, 16, align=J, indent=True)
    title = _style(doc, "Title", F.TITLE, 22, align=C, exact=False)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = Pt(36)
    for border in title.element.get_or_add_pPr().findall(qn("w:pBdr")):  # the default's blue rule
        border.getparent().remove(border)
    _style(doc, "Subtitle", F.HEADING2, 16, align=C)
    _style(doc, "Heading 1", F.HEADING1, 16, indent=True)
    _style(doc, "Heading 2", F.HEADING2, 16, indent=True)
    _style(doc, "Caption", F.HEADING2, 14, align=C)
    _style(doc, "Footer", F.PAGE_NUMBER, 14, exact=False)
    picture = _style(doc, "图片", F.BODY, 16, align=C, exact=False)  # exact spacing would crop a picture
    picture.paragraph_format.keep_with_next = True  # a chart and its caption on one page
    _style(doc, "表格文字", F.BODY, 12, exact=False)
    _style(doc, "表头", F.HEADING1, 12, align=C, exact=False)
    _style(doc, "落款", F.BODY, 16, align=R)
    for name in ("Heading 1", "Heading 2", "Title", "Subtitle"):  # no theme colour or spacing
        pf = doc.styles[name].paragraph_format
        pf.space_before = pf.space_after = Pt(0)


def page_setup(doc) -> None:
    """A4, GB/T 9704 margins, page numbers in the footer at the outside corner."""
    s = doc.sections[0]
    s.start_type = WD_SECTION.NEW_PAGE
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    s.header_distance, s.footer_distance = Mm(15), Mm(24)  # the number 7 mm under the text block
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(s.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    s.even_page_footer.is_linked_to_previous = False
    _page_number(s.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(p, align) -> None:
    """'— n —' with n a PAGE field, one character (14 pt) in from the outside edge."""
    p.style = "Footer"
    p.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = Pt(14)
    else:
        p.paragraph_format.left_indent = Pt(14)
    _run(p, "— ")
    for kind in ("begin", "instr", "separate", "number", "end"):
        r = _run(p, "1" if kind == "number" else "")
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            r._r.append(instr)
        elif kind != "number":
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
    _run(p, " —")


def _run(p, text: str, *, bold: bool = False, colour: RGBColor | None = None):
    """A run that names both faces of its paragraph's style (w:eastAsia on every run); the page
    number's digits in 宋体 too (GB/T 9704: 4号半角宋体阿拉伯数字)."""
    r = p.add_run(text) if text else p.add_run()
    face = F.style_face(p.style) or F.FACES[F.BODY][0]
    F.set_run_fonts(r._r.get_or_add_rPr(), face, face if p.style.name == "Footer" else F.LATIN)
    if bold:
        r.bold = True
    if colour is not None:
        r.font.color.rgb = colour
    return r


def para(doc, text: str, style: str = "Normal", **kw):
    p = doc.add_paragraph(style=style)
    _run(p, text, **kw)
    return p


def table(doc, columns: tuple[tuple[str, int], ...], loop: str, cells: tuple[str, ...]) -> None:
    """A bordered table: a header row, `{%tr for … %}`, one row of fields, `{%tr endfor %}`."""
    t = doc.add_table(rows=4, cols=len(columns))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for column, (_, width) in zip(t.columns, columns, strict=True):  # w:gridCol: LibreOffice reads these
        column.width = Mm(width)
    margins = "".join(f'<w:{side} w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>' for side in ("left", "right"))
    cell_margins = parse_xml(f"<w:tblCellMar {nsdecls('w')}>{margins}</w:tblCellMar>")
    look = t._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:  # the schema's order: tblCellMar comes before tblLook
        look.addprevious(cell_margins)
    else:
        t._tbl.tblPr.append(cell_margins)
    for j, (header, width) in enumerate(columns):
        for i, text in enumerate((header, loop if j == 0 else "", cells[j], "{%tr endfor %}" if j == 0 else "")):
            cell = t.cell(i, j)
            cell.width = Mm(width)
            p = cell.paragraphs[0]
            p.style = "表头" if i == 0 else "表格文字"
            if i and header not in LEFT_COLUMNS:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if text:
                _run(p, text)
    for row in t.rows:  # a row never breaks across pages (a goal's figures stay on one page)
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    header = t.rows[0]._tr.get_or_add_trPr()
    header.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))  # repeated on every page


def body(doc) -> None:
    """The report's paragraphs and tables, with the docxtpl fields (docs/report.md)."""
    para(doc, "{{ plan.title }}实施情况自评报告", "Title")
    para(doc, "{% if as_of %}（数据截至{{ as_of_text }}）{% else %}（尚无监测数据）{% endif %}", "Subtitle")
    para(doc, "{%p if demo %}")
    para(doc, "示例数据：本报告中的数字为虚构的示例数据，仅供演示，不代表官方统计。", bold=True, colour=RED)
    para(doc, "{%p endif %}")
    para(doc, "{% if plan.issuer %}{{ plan.issuer }}印发的{% endif %}《{{ plan.title }}》"
              "{% if plan.document_no %}（{{ plan.document_no }}）{% endif %}确定了{{ goal_count }}项主要指标，"
              "规划期为{{ period }}。现依据截至{{ as_of_text }}的监测数据，将{{ plan.district }}规划实施情况自评如下。")
    para(doc, "{{ n.overview }}、总体情况", "Heading 1")
    para(doc, "{{ headline }}")
    para(doc, "{%p for line in overview_lines %}")
    para(doc, "{{ line }}")
    para(doc, "{%p endfor %}")

    para(doc, "{{ n.goals }}、主要指标完成情况", "Heading 1")
    para(doc, "{%p for c in categories %}")
    para(doc, "（{{ c.number }}）{{ c.name }}", "Heading 2")
    para(doc, "{%p for g in c.goals %}")
    para(doc, "{{ g.number }}. {{ g.lead }}{{ g.sentence }}")
    para(doc, "目标：{{ g.target }}；完成值：{{ g.value }}{% if g.completion %}；完成进度{{ g.completion }}"
              "{% endif %}{% if g.elapsed %}，序时进度{{ g.elapsed }}{% endif %}；{{ status_word }}：{{ g.status }}。")
    para(doc, "{%p for note in g.notes %}")
    para(doc, "备注：{{ note }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p if g.picture %}")
    para(doc, "{{ g.picture }}", "图片")
    para(doc, "图{{ g.figure_no }}　{{ g.name }}（{{ plan.district }}）{% if demo %}（示例数据）{% endif %}", "Caption")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")

    para(doc, "{{ n.table }}、指标完成情况汇总", "Heading 1")
    para(doc, "表{{ t.goals }}　{{ plan.district }}主要指标完成情况{% if demo %}（示例数据）{% endif %}", "Caption")
    table(doc, GOAL_COLUMNS, "{%tr for r in goal_rows %}",
          ("{{ r.name }}", "{{ r.target }}", "{{ r.value }}", "{{ r.completion }}", "{{ r.elapsed }}", "{{ r.status }}"))

    para(doc, "{{ n.attention }}、{% if final %}未达成目标的指标{% else %}需重点关注的指标{% endif %}"
              "{% if units_listed %}及责任单位{% endif %}",
         "Heading 1")
    para(doc, "{%p if attention and not units_listed %}")
    para(doc, "{{ no_units }}")
    para(doc, "{%p endif %}")
    para(doc, "{%p for a in attention %}")
    para(doc, "{{ loop.index }}. {{ a.line }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p if not attention %}")
    para(doc, "{% if final %}没有未达成目标的指标。{% else %}没有滞后、倒退或未完成的指标。{% endif %}")
    para(doc, "{%p endif %}")

    para(doc, "{%p if tasks %}")
    para(doc, "{{ n.tasks }}、{{ tasks_name }}推进情况", "Heading 1")
    para(doc, "{{ tasks_summary }}")
    para(doc, "表{{ t.tasks }}　{{ tasks_name }}推进情况{% if demo %}（示例数据）{% endif %}", "Caption")
    table(doc, TASK_COLUMNS, "{%tr for r in tasks %}",
          ("{{ r.id }}", "{{ r.task }}", "{{ r.lead }}", "{{ r.status }}", "{{ r.note }}"))
    para(doc, "{%p endif %}")

    para(doc, "{%p if regions %}")
    para(doc, "{{ n.regions }}、分{{ plan.region_level }}完成情况", "Heading 1")
    para(doc, "{%p for r in regions %}")
    para(doc, "（{{ r.number }}）{{ r.name }}", "Heading 2")
    para(doc, "{{ r.headline }}")
    para(doc, "{%p if r.rows %}")
    para(doc, "表{{ r.table_no }}　{{ r.name }}主要指标完成情况{% if demo %}（示例数据）{% endif %}", "Caption")
    table(doc, REGION_COLUMNS, "{%tr for x in r.rows %}",
          ("{{ x.name }}", "{{ x.target }}", "{{ x.value }}", "{{ x.completion }}", "{{ x.elapsed }}", "{{ x.status }}"))
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")

    para(doc, "{{ n.note }}、说明", "Heading 1")
    para(doc, "数据来源：{{ sources }}。")
    para(doc, "数据截至：{{ as_of_text }}；数据版本：{{ revision }}；报告生成日期：{{ today }}。")
    para(doc, "本报告中的数字、文字和图表由监测系统依据规划文件和已上传的数据生成，与监测页面一致。")
    para(doc, "{%p if demo %}")
    para(doc, "示例数据：以上数字为虚构的示例数据，仅供演示，不代表官方统计。", bold=True, colour=RED)
    para(doc, "{%p endif %}")
    para(doc, "")
    para(doc, "{{ signature }}", "落款")
    para(doc, "{{ today }}", "落款")


def _font_table(doc) -> None:
    """A w:font entry per 公文 face with its fallback (w:altName) and the GB2312 charset."""
    part = next(p for p in doc.part.package.parts if str(p.partname) == "/word/fontTable.xml")
    root = parse_xml(part.blob)
    for name, alt in F.FALLBACKS.items():
        font = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{F.FAMILY.get(name, "roman")}"/><w:pitch w:val="variable"/></w:font>')
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _theme_language(doc) -> None:
    """The theme's East Asian language zh-CN (python-docx's template says ja-JP)."""
    lang = doc.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def build(out: Path = TEMPLATE) -> Path:
    doc = Document()
    doc.element.body.remove(doc.element.body.find(qn("w:p"))) if doc.element.body.find(qn("w:p")) is not None else None
    styles(doc)
    page_setup(doc)
    body(doc)
    _font_table(doc)
    _theme_language(doc)
    core = doc.core_properties
    # docxtpl fills these too: the PDF and the file's properties carry the report's title
    core.author, core.title, core.comments = "{{ signature }}", "{{ plan.title }}实施情况自评报告", ""
    core.last_modified_by = ""
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE))
