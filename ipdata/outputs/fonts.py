"""The font names every output uses: one East Asian list for the deck (and any sans text), the
公文 faces of the 自评报告 with their fallbacks.

Sans (deck)
    SANS       微软雅黑, then what a desktop without it has: 思源黑体 (Source Han Sans SC),
               Noto Sans CJK SC (the same design under Google's name: Debian, 统信 UOS, 麒麟),
               文泉驿微米黑 / 文泉驿正黑 (WenQuanYi, older Linux desktops).
    DECK_FACE  the one face a PowerPoint run names (`a:ea` takes a single typeface, there is no
               fallback list in DrawingML): the first of SANS. It is written the way PowerPoint
               itself writes it in a Chinese deck, with the hints each viewer uses to substitute
               when the face is missing:
                 typeface="微软雅黑" panose="020B0503020204020204" pitchFamily="34" charset="-122"
               charset -122 (= 134, GB2312) makes PowerPoint and WPS on Windows substitute a face
               with Chinese glyphs (等线/黑体), pitchFamily 34 (FF_SWISS, variable pitch) a sans one;
               every run also says lang="zh-CN", so LibreOffice asks fontconfig for a sans face
               covering zh-cn and gets Noto Sans CJK SC / 思源黑体 / 文泉驿 (whichever is installed),
               not the Japanese glyph forms it picks without it. The theme's major and minor fonts
               name the same face for `a:ea` and for the Hans script, so text the office adds later
               in PowerPoint or WPS starts in it too.
    Why not "微软雅黑;思源黑体;…" in one typeface: LibreOffice would try each name, but PowerPoint
    and WPS read it as one (missing) name and substitute even where 微软雅黑 is installed.

公文 (report)
    GONGWEN_FACES  the GB/T 9704 faces; GONGWEN_FALLBACKS the face Word/WPS use when one is
                   missing (w:altName in the report's font table).
"""

from __future__ import annotations

SANS: tuple[str, ...] = ("微软雅黑", "思源黑体", "Noto Sans CJK SC", "文泉驿微米黑", "文泉驿正黑")
# The Latin names of SANS (fontconfig and browsers know some faces only by these).
SANS_LATIN_NAMES: dict[str, str] = {
    "微软雅黑": "Microsoft YaHei",
    "思源黑体": "Source Han Sans SC",
    "Noto Sans CJK SC": "Noto Sans CJK SC",
    "文泉驿微米黑": "WenQuanYi Micro Hei",
    "文泉驿正黑": "WenQuanYi Zen Hei",
}
DECK_FACE = SANS[0]
# What PowerPoint writes beside typeface="微软雅黑" (its PANOSE number, GB2312 charset as a signed
# byte, FF_SWISS | VARIABLE_PITCH): the hints a viewer substitutes by when the face is missing.
FACE_HINTS: dict[str, str] = {"panose": "020B0503020204020204", "pitchFamily": "34", "charset": "-122"}
LANG, ALT_LANG = "zh-CN", "en-US"


def css_family(faces: tuple[str, ...] = SANS) -> str:
    """A CSS/plotly font-family list of the faces under both names, then the generic sans-serif."""
    names: list[str] = []
    for face in faces:
        for name in (face, SANS_LATIN_NAMES.get(face, face)):
            if name not in names:
                names.append(name)
    return ", ".join([*names, "sans-serif"])


# --- the 公文 faces (GB/T 9704-2012) of the 自评报告 ----------------------------------------------
GONGWEN_LATIN = "Times New Roman"
GONGWEN_FALLBACKS: dict[str, str] = {
    "方正小标宋简体": "宋体",
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "黑体": "SimHei",
    "宋体": "SimSun",
    "仿宋": "FangSong",
    "楷体": "KaiTi",
}
# What a server without the 公文 faces draws them in (the report's PDF, through fontconfig): the
# serif faces (宋, 仿宋, 楷) in a serif CJK face, 黑体 in a sans one; the real face wins where installed.
GONGWEN_SANS: frozenset[str] = frozenset({"黑体", "SimHei"})
SERIF_SUBSTITUTES: tuple[str, ...] = ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN")
SANS_SUBSTITUTES: tuple[str, ...] = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
