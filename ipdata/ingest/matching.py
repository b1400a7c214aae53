"""Names as typed -> catalogue series codes, with suggestions for names we do not know."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ipdata.catalogue import Plan, Series, normalise_name
from ipdata.ingest.cells import nfkc

# "1.", "1、", "(1)", "（一）", "其中：" before a name; "（件）", "(%)" after it.
_PREFIX = re.compile(r"^(其中[:：]?|\d+[.、．]|[(（][\d一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．])\s*")
_UNIT_SUFFIX = re.compile(r"^(.+?)\s*[(（]([^()（）]+)[)）]$")


@dataclass(frozen=True)
class Match:
    series: Series | None
    unit: str | None  # a unit written in brackets after the name, if any


def unit_key(unit: str) -> str:
    return "".join(nfkc(unit).split()).lower()


class Matcher:
    """Matches by 指标代码 first, then name and aliases, each folded by `normalise_name`."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.by_code = {normalise_name(code): s for code, s in plan.all_series.items()}
        self.by_name: dict[str, Series] = {}
        for s in plan.all_series.values():
            for name in (s.name, *s.aliases):
                self.by_name[normalise_name(name)] = s
        self.units = {unit_key(s.unit) for s in plan.all_series.values()} | {
            unit_key(u) for u in ("件", "个", "家", "人", "人次", "次", "项", "户", "%", "万元", "亿元", "万人", "万件", "元", "万户")
        }
        self._goal_names = [g.name for g in plan.goals]

    def match(self, code: str | None, name: str | None) -> Match:
        if code and (s := self.by_code.get(normalise_name(code))):
            return Match(s, None)
        if not name:
            return Match(None, None)
        for candidate in (name, _PREFIX.sub("", nfkc(name))):
            if s := self.by_name.get(normalise_name(candidate)):
                return Match(s, None)
            m = _UNIT_SUFFIX.match(nfkc(candidate))
            if m and unit_key(m.group(2)) in self.units and (s := self.by_name.get(normalise_name(m.group(1)))):
                return Match(s, m.group(2).strip())
        return Match(None, None)

    def suggestions(self, name: str, n: int = 3) -> list[str]:
        """The n goal names closest to what was typed (difflib ratio), best first."""
        key = normalise_name(_UNIT_SUFFIX.sub(r"\1", _PREFIX.sub("", nfkc(name))))
        names = self._goal_names + [s.name for s in self.plan.all_series.values() if s.role != "goal"]
        scored = sorted(names, key=lambda x: -difflib.SequenceMatcher(None, key, normalise_name(x)).ratio())
        return scored[:n]
