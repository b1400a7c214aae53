"""The deck's East Asian face on every text run, slides and charts alike, and in its theme.

python-pptx's `font.name` writes only `<a:latin>`; PowerPoint and WPS pick the face for Chinese
characters from `<a:ea>`, and without it fall back to a theme font that may lack them. So after
the deck is built, `east_asian(prs)` walks every slide and chart part and gives each run (`a:rPr`)
and each default run style (`a:defRPr`, `a:endParaRPr`) the face of ipdata/outputs/fonts.py
(微软雅黑, for Latin and East Asian text alike, with PowerPoint's substitution hints) and
lang="zh-CN"; `theme_fonts(prs)` names it as the theme's East Asian and Hans-script font. Why
this face and what each viewer does where it is missing: see ipdata/outputs/fonts.py.
"""

from __future__ import annotations

from lxml import etree
from pptx.oxml.ns import qn
from pptx.presentation import Presentation

from ipdata.outputs.fonts import ALT_LANG, DECK_FACE, FACE_HINTS, LANG

EA_FONT = LATIN_FONT = DECK_FACE
# Children of a:rPr that come after a:latin / a:ea in the schema (CT_TextCharacterProperties).
_AFTER_EA = {qn(t) for t in ("a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")}
_AFTER_LATIN = _AFTER_EA | {qn("a:ea")}
_PROPS = (qn("a:rPr"), qn("a:defRPr"), qn("a:endParaRPr"))


def _ensure(props: etree._Element, tag: str, after: set[str], face: str) -> None:
    el = props.find(tag)
    if el is None:
        el = etree.SubElement(props, tag)
        props.remove(el)
        successor = next((c for c in props if c.tag in after), None)
        if successor is None:
            props.append(el)
        else:
            successor.addprevious(el)
    el.set("typeface", face)
    if face == DECK_FACE:
        for name, value in FACE_HINTS.items():
            el.set(name, value)


def set_faces(props: etree._Element, latin: str = LATIN_FONT, ea: str = EA_FONT) -> None:
    """Give one a:rPr / a:defRPr / a:endParaRPr both faces (in schema order) and its language."""
    _ensure(props, qn("a:latin"), _AFTER_LATIN, latin)
    _ensure(props, qn("a:ea"), _AFTER_EA, ea)
    props.set("lang", LANG)
    props.set("altLang", ALT_LANG)


def _fix_tree(root: etree._Element) -> None:
    for r in root.iter(qn("a:r")):
        if r.find(qn("a:rPr")) is None:
            rpr = etree.Element(qn("a:rPr"))
            r.insert(0, rpr)
    for props in [el for tag in _PROPS for el in root.iter(tag)]:
        set_faces(props)


def east_asian(prs: Presentation) -> None:
    """Both faces on every run and default run style of every slide and chart; the theme's too."""
    for slide in prs.slides:
        _fix_tree(slide.shapes._spTree)
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False):
                _fix_tree(shape.chart._chartSpace)
    theme_fonts(prs)


def _theme_part(prs: Presentation):
    master = prs.slide_masters[0].part
    return next(r.target_part for r in master.rels.values() if r.reltype.endswith("/theme"))


def theme_fonts(prs: Presentation) -> None:
    """The theme's major and minor fonts: the face for Latin, East Asian and Hans-script text (the
    default template says 宋体 for Hans and nothing for a:ea), so a text box the office adds later
    in PowerPoint or WPS starts in the deck's face, not in a serif one."""
    part = _theme_part(prs)
    root = etree.fromstring(part.blob)
    scheme = root.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
    scheme.set("name", DECK_FACE)
    for which in (qn("a:majorFont"), qn("a:minorFont")):
        fonts = scheme.find(which)
        for tag in (qn("a:latin"), qn("a:ea")):
            el = fonts.find(tag)
            el.attrib.clear()
            el.set("typeface", DECK_FACE)
            for name, value in FACE_HINTS.items():
                el.set(name, value)
        hans = next((f for f in fonts.iter(qn("a:font")) if f.get("script") == "Hans"), None)
        if hans is None:
            hans = etree.SubElement(fonts, qn("a:font"), script="Hans")
        hans.set("typeface", DECK_FACE)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

