"""East Asian font on every text run of a deck, slides and charts alike.

python-pptx's `font.name` writes only `<a:latin>`; PowerPoint and WPS pick the face for Chinese
characters from `<a:ea>`, and without it fall back to a theme font that may lack them. So after
the deck is built, `east_asian(prs)` walks every slide and chart part and gives each run (`a:rPr`)
and each default run style (`a:defRPr`, `a:endParaRPr`) both faces.

The face is 微软雅黑 (Microsoft YaHei: on every Windows PowerPoint/WPS, and it has Latin glyphs
too). Where it is missing (LibreOffice on Linux, macOS) the viewer substitutes a Chinese font of
its own, e.g. Noto Sans CJK SC via fontconfig or PingFang SC; the characters still show.
"""

from __future__ import annotations

from lxml import etree
from pptx.oxml.ns import qn
from pptx.presentation import Presentation

EA_FONT = "Microsoft YaHei"
LATIN_FONT = "Microsoft YaHei"
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


def set_faces(props: etree._Element, latin: str = LATIN_FONT, ea: str = EA_FONT) -> None:
    """Give one a:rPr / a:defRPr / a:endParaRPr both faces, in schema order."""
    _ensure(props, qn("a:latin"), _AFTER_LATIN, latin)
    _ensure(props, qn("a:ea"), _AFTER_EA, ea)


def _fix_tree(root: etree._Element) -> None:
    for r in root.iter(qn("a:r")):
        if r.find(qn("a:rPr")) is None:
            rpr = etree.Element(qn("a:rPr"))
            r.insert(0, rpr)
    for props in [el for tag in _PROPS for el in root.iter(tag)]:
        set_faces(props)


def east_asian(prs: Presentation) -> None:
    """Both faces on every run and default run style of every slide and chart."""
    for slide in prs.slides:
        _fix_tree(slide.shapes._spTree)
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False):
                _fix_tree(shape.chart._chartSpace)
