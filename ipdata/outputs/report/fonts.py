"""The 公文 faces (GB/T 9704-2012) and what stands in for each where it is not installed.

    FACES        role -> (East Asian face, Latin face)
    FALLBACKS    East Asian face -> the face Word/WPS use when it is missing (w:altName in the
                 font table; charset 86 = GB2312 so a substitute with Chinese glyphs is chosen)
    east_asian(document)   w:eastAsia on every run that has text (a run without it takes the face
                 of its style; we set it on each run so that a paragraph pasted elsewhere keeps it)

The _GB2312 faces and 方正小标宋简体 come with government desktops (and WPS), not with a bare
Windows: there Word reads w:altName and shows 宋体 / 仿宋 / 楷体 instead; 黑体 ships with Windows.
LibreOffice on Linux substitutes through fontconfig (Noto CJK), so the PDF made on a server shows
every character, in a face that only resembles the 公文 one.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ipdata.outputs.fonts import GONGWEN_FALLBACKS, GONGWEN_LATIN

TITLE, BODY, HEADING1, HEADING2, PAGE_NUMBER = "title", "body", "heading1", "heading2", "page_number"
LATIN = GONGWEN_LATIN
FACES: dict[str, tuple[str, str]] = {
    TITLE: ("方正小标宋简体", LATIN),
    BODY: ("仿宋_GB2312", LATIN),
    HEADING1: ("黑体", LATIN),
    HEADING2: ("楷体_GB2312", LATIN),
    PAGE_NUMBER: ("宋体", LATIN),  # 4号半角宋体阿拉伯数字 (GB/T 9704-2012 §7.5)
}
FALLBACKS: dict[str, str] = GONGWEN_FALLBACKS  # one list of names for every output (ipdata/outputs/fonts.py)
# w:family of each face in the font table: roman for serif faces, modern for 黑体.
FAMILY = {"黑体": "modern"}


def set_run_fonts(rpr, east_asian: str, latin: str = LATIN) -> None:
    """w:rFonts with both faces on one w:rPr (theme fonts removed: they point at a Japanese face
    in python-docx's default theme)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)


def style_face(style) -> str | None:
    """The East Asian face a paragraph style gives, following its base styles."""
    while style is not None:
        rpr = style.element.find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
        style = style.base_style
    return None


def _paragraphs(document):
    """Every paragraph of the body, its tables (nested too), headers and footers."""
    parts = [document.element.body]
    for section in document.sections:
        for hf in (section.footer, section.even_page_footer, section.first_page_footer,
                   section.header, section.even_page_header, section.first_page_header):
            if not hf.is_linked_to_previous:
                parts.append(hf._element)
    for part in parts:
        yield from part.iter(qn("w:p"))


def east_asian(document) -> None:
    """w:eastAsia (and the Latin face) on every run with text, from its paragraph's style."""
    styles = {s.style_id: s for s in document.styles if s.type == 1}  # paragraph styles
    default = FACES[BODY][0]
    for p in _paragraphs(document):
        ppr = p.find(qn("w:pPr"))
        sid = ppr.find(qn("w:pStyle")).get(qn("w:val")) if ppr is not None and ppr.find(qn("w:pStyle")) is not None else None
        face = style_face(styles.get(sid)) if sid in styles else None
        for r in p.iter(qn("w:r")):
            if r.find(qn("w:t")) is None:
                continue
            rpr = r.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                r.insert(0, rpr)
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None or not fonts.get(qn("w:eastAsia")):
                set_run_fonts(rpr, face or default)
