"""Region names as typed -> the plan's regions (or the district), and finding them in a sheet.

A plan may list its regions (towns, streets, parks; counties of a city), each with aliases. Then a
name is the district, one of those regions (by name, alias or an unambiguous short form such as
金沙 for 金沙街道), or unknown: an unknown name is refused by the reader, never stored as a new
region. A plan without a region list takes any name as written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from ipdata.catalogue import Plan, normalise_name
from ipdata.ingest.cells import is_blank, nfkc

# Words that follow a region's name in an office's own name (川姜镇人民政府, 金沙街道办事处).
_OFFICE = re.compile(r"(人民政府|政府|办事处|街道办|管委会|管理委员会|党工委)$")
# What may stand around a name in a table: 其中：高新区, 石港镇（含原东社）, 通州区（全区）, 通州区合计.
_LEAD = re.compile(r"^(其中[:：]?|含[:：]?|\d+[.、．])")
_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")
_TOTAL = re.compile(r"(合计|总计|汇总|全区|全市|全县)$")
# A subtotal of some regions (街道小计, 镇小计): derived, not a region's figure.
SUBTOTAL = re.compile(r"(小计|分计)$")
# A department of the district's own government (区市场监管局, 区科技局 for a 全区 plan; 市… for 全市):
# its figures are the district's.
_DEPARTMENT = r"^{level}.{{1,12}}(局|委员会|委|办公室|办|中心|院|所|站|队|部|分局)(\(.*\))?$"
MAX_REGION_TEXT = 200  # a cell longer than this names no region (and is not folded and searched)
# The level word a short form leaves out: 金沙街道 -> 金沙, 川姜镇 -> 川姜.
_LEVEL = re.compile(r"(街道办事处|街道|镇|乡|管理区|社区)$")


def _core(key: str) -> str:
    return _LEVEL.sub("", _OFFICE.sub("", key))


class Regions:
    """Resolves region names for one plan; each distinct text is resolved once."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.listed = bool(plan.regions)
        self._district = frozenset(normalise_name(n) for n in (plan.district, *plan.district_aliases))
        self._exact: dict[str, str] = {}
        for r in plan.regions:
            for n in (r.name, *r.aliases):
                self._exact[normalise_name(n)] = r.name
        # Short forms: a core shared by two regions (or by a region and the district) is ambiguous
        # and matches neither.
        cores: dict[str, set[str]] = {}
        for key, name in self._exact.items():
            core = _core(key)
            if len(core) >= 2 and core != key:
                cores.setdefault(core, set()).add(name)
        self._short = {c: next(iter(ns)) for c, ns in cores.items() if len(ns) == 1 and c not in self._district}
        self._cache: dict[str, str | None] = {}
        level = plan.district[-1] if len(plan.district) == 2 and plan.district[0] == "全" else None
        self._department = re.compile(_DEPARTMENT.format(level=re.escape(level))) if level else None

    def is_district(self, text: str) -> bool:
        return normalise_name(text) in self._district

    def resolve(self, raw: Any) -> str | None:
        """The canonical region (plan.district for the district's names and a blank cell); None
        for a name the plan does not list. Without a region list, any name as written (spaces folded)."""
        if raw is None or is_blank(raw):
            return self.plan.district
        text = str(raw)
        if len(text) > MAX_REGION_TEXT:
            return None  # no region's name, even with its office words and a bracketed note
        found = self._cache.get(text, ...)
        if found is ...:
            found = self._cache[text] = self._resolve(text)
        return found

    def is_subtotal(self, raw: Any) -> bool:
        return isinstance(raw, str) and len(raw) <= MAX_REGION_TEXT and SUBTOTAL.search(normalise_name(raw)) is not None

    def _resolve(self, text: str) -> str | None:
        key = normalise_name(text)
        bare = _BRACKETS.sub("", _LEAD.sub("", key)) or key
        for k in (key, bare, _OFFICE.sub("", bare), _TOTAL.sub("", bare)):
            if k in self._district:
                return self.plan.district
        key = bare
        if not self.listed:
            return "".join(nfkc(text).split())
        for k in (key, _OFFICE.sub("", key)):
            if k in self._exact:
                return self._exact[k]
        if (short := self._short.get(_core(key))) is not None:
            return short
        return self.plan.district if self._department and self._department.match(key) else None

    def is_region(self, raw: Any) -> bool:
        """Whether a cell names the district or a listed region (for finding a region column)."""
        if raw is None or is_blank(raw) or not isinstance(raw, str):
            return False
        key = normalise_name(raw)
        if key in self._district:
            return True
        return self.listed and self.resolve(raw) is not None

    def named_in(self, text: str) -> set[str]:
        """Listed regions whose full name or alias appears inside a free text (a title, a 填报单位
        line); short forms only when the text is nothing but the short form (and an office word)."""
        key = normalise_name(text)
        found = {name for n, name in self._exact.items() if len(n) >= 2 and n in key}
        if not found and (short := self._short.get(_core(key))):
            found.add(short)
        return found

    def suggestions(self, text: str, n: int = 3) -> list[str]:
        """The listed regions closest to a name, best first (difflib ratio on folded names)."""
        key = normalise_name(text[:100])  # difflib's cost grows with the text; no region name is this long
        names = list(self.plan.region_names)
        scored = sorted(names, key=lambda x: -difflib.SequenceMatcher(None, key, normalise_name(x)).ratio())
        return scored[:n]

    def unlisted(self, names: Iterable[str], known: Iterable[str] = ()) -> list[str]:
        """Names (already resolved) that are neither the district nor in `known`, in first-seen order."""
        seen = {self.plan.district, *known}
        out = []
        for name in names:
            if name not in seen:
                seen.add(name)
                out.append(name)
        return out
