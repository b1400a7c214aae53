"""Formula cells that carry no computed value.

Excel stores a formula's last result beside it; files written by programs (or never opened and
saved in Excel) may carry the formula alone. A reader then sees a blank cell, and the figure
would be lost without a word, so each such cell is named instead. Only worksheets whose XML
contains a formula at all are scanned, with a regular expression over the raw XML (no parse).
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile

from ipdata.errors import Problem

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_VALUE = re.compile(rb"<v>[^<]+</v>")
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_SHEET = re.compile(rb"<sheet\b([^>]*)>", re.S)
_REL = re.compile(rb"<Relationship\b([^>]*)>", re.S)
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')


def _attrs(tag: bytes) -> dict[str, str]:
    """Attributes of one tag, in any order (writers order them differently)."""
    return {k.decode(): html.unescape(v.decode("utf-8")) for k, v in _ATTR.findall(tag)}


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> path of its XML inside the zip."""
    try:
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {a.get("Id"): a.get("Target") for a in map(_attrs, _REL.findall(rels))}
    out = {}
    for a in map(_attrs, _SHEET.findall(book)):
        target = targets.get(a.get("r:id"))
        if target and a.get("name"):
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            out[a["name"]] = path
    return out


def formulas_without_values(data: bytes) -> list[Problem]:
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name, path in _sheet_paths(zf).items():
            try:
                xml = zf.read(path)
            except KeyError:
                continue
            if b"<f" not in xml:
                continue
            for attrs, body in _CELL.findall(xml):
                # no cached result: no <v>, or an empty one that is not a formula's empty text (t="str")
                if b"<f" in body and not _VALUE.search(body) and b't="str"' not in attrs:
                    ref = _REF.search(attrs)
                    if ref is None:
                        continue
                    problems.append(Problem(
                        "formula-without-value",
                        "这个单元格是公式，但文件里没有保存它的计算结果(常见于由程序生成、未在 Excel 中打开保存过的文件)，"
                        "无法读出数值。请用 Excel 或 WPS 打开文件后保存一次，或把公式改成数值，再重新上传。",
                        sheet=name, row=int(ref.group(2)), column=ref.group(1).decode()))
    return problems
