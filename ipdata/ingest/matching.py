"""Names as typed -> catalogue series codes, with suggestions for names we do not know."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ipdata.catalogue import Plan, Series, normalise_name
from ipdata.errors import MAX_PROBLEMS_PER_CODE
from ipdata.ingest.cells import nfkc

T = TypeVar("T")
SUGGEST_CHARS = 100  # difflib's cost grows with the text: a longer one is cut (no plan name is this long)
MATCH_CHARS = 200  # a longer cell is no indicator name (names, units and marks stay far below)

# "1.", "1、", "(1)", "（一）", "其中：" before a name; "（件）", "(%)" after it.
_PREFIX = re.compile(r"^(其中[:：]?|\d+[.、．]|[(（][\d一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、.．])\s*")
_UNIT_SUFFIX = re.compile(r"^(.+?)\s*[(（]([^()（）]+)[)）]$")
# Footnote marks after a name: 新增贯标单位*, ①, （注1）, [1], ※. Possessive quantifiers: with
# plain ones, "*" x 24 followed by a letter took 7 s of backtracking (x 2 per star).
_MARKS = re.compile(r"(?:\s*+(?:[*＊※#△▲]++|[①-⑳]|[(（\[【]\s*+注?\s*+\d{1,2}\s*+[)）\]】]|注\d{1,2}))++$")


@dataclass(frozen=True)
class Match:
    series: Series | None
    unit: str | None  # a unit written in brackets after the name, if any


def unit_key(unit: str) -> str:
    return "".join(nfkc(unit).split()).lower()


_PER = re.compile(r"^(.+?)/(?:每)?万(?:人|人口|户|企|户企业|家企业|家)$")
_POINTS = frozenset({"个百分点", "百分点", "百分比", "%", "％"})


def is_ratio(series: Series) -> bool:
    """A per-10,000 figure (万人…, 万企…, 每万…): its unit may be written 件/万人, 家/万户."""
    return any(w in series.name for w in ("万人", "万企", "万户", "每万"))


def units_match(written: str, series: Series) -> bool:
    """Whether a unit as written is the series' unit: the same after folding, a percentage
    written as 个百分点, or a per-10,000 unit (件/万人, 家/万户) on a per-10,000 figure."""
    key, unit = unit_key(written), unit_key(series.unit)
    if key == unit:
        return True
    if unit == "%" and key in _POINTS:
        return True
    m = _PER.match(key)
    return bool(m) and m.group(1) == unit and is_ratio(series)


COMMON_UNITS = frozenset(unit_key(u) for u in ("件", "个", "家", "人", "人次", "次", "项", "户", "%", "万元", "亿元", "元",
                                                "万人", "万件", "千元", "万户", "平方米", "公顷", "吨", "台", "套", "所"))


def is_unit_text(text: str) -> bool:
    """Whether a text is a unit of measure (万元, 件, %, 件/万人), not a word such as 实际."""
    return unit_key(text) in COMMON_UNITS or looks_like_unit(text)


def looks_like_unit(text: str) -> bool:
    key = unit_key(text)
    return key in _POINTS or bool(_PER.match(key))


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
        if code and len(code) <= MATCH_CHARS and (s := self.by_code.get(normalise_name(code))):
            return Match(s, None)
        if not name or len(str(name)) > MATCH_CHARS:
            return Match(None, None)
        # marks stripped before NFKC, which turns ① into 1; each text folded once (a file of
        # 820,000 distinct names spends most of its time here)
        text = nfkc(name)
        unmarked = nfkc(_MARKS.sub("", str(name).strip()))
        for candidate in dict.fromkeys((text, _PREFIX.sub("", text), _PREFIX.sub("", unmarked))):
            if s := self.by_name.get(normalise_name(candidate)):
                return Match(s, None)
            m = _UNIT_SUFFIX.match(candidate)
            if m and (unit_key(m.group(2)) in self.units or looks_like_unit(m.group(2))) and (
                    s := self.by_name.get(normalise_name(m.group(1)))):
                return Match(s, m.group(2).strip())
        return Match(None, None)

    def close_name(self, name: str, cutoff: float = 0.75) -> str | None:
        """The plan name a typed name is very close to (a typo or another wording), or None."""
        best = self.suggestions(name, 1)
        if not best:
            return None
        key = normalise_name(_UNIT_SUFFIX.sub(r"\1", _PREFIX.sub("", nfkc(name[:SUGGEST_CHARS]))))
        return best[0] if difflib.SequenceMatcher(None, key, normalise_name(best[0])).ratio() >= cutoff else None

    def suggestions(self, name: str, n: int = 3) -> list[str]:
        """The n goal names closest to what was typed (difflib ratio), best first."""
        key = normalise_name(_UNIT_SUFFIX.sub(r"\1", _PREFIX.sub("", nfkc(name[:SUGGEST_CHARS]))))
        names = self._goal_names + [s.name for s in self.plan.all_series.values() if s.role != "goal"]
        scored = sorted(names, key=lambda x: -difflib.SequenceMatcher(None, key, normalise_name(x)).ratio())
        return scored[:n]


def named_series(plan: Plan, text: str) -> set[str]:
    """The names of the plan's series that a free text (a title) names, longest spellings first:
    "各镇新增贯标单位情况" -> {"新增贯标单位"} (not also a shorter name inside it)."""
    key = normalise_name(text)
    spellings = sorted(((normalise_name(n), s) for s in plan.all_series.values() for n in (s.name, *s.aliases)),
                       key=lambda x: -len(x[0]))
    found: dict[str, str] = {}
    taken: list[tuple[int, int]] = []
    for spelling, s in spellings:
        at = key.find(spelling)
        if len(spelling) < 3 or at < 0 or any(a <= at < b or a < at + len(spelling) <= b for a, b in taken):
            continue
        taken.append((at, at + len(spelling)))
        found[s.code] = s.name
    return set(found.values())


class Suggestions(Generic[T]):
    """Suggestions for texts the plan does not know, computed once per distinct text and for at
    most `limit` texts: 820,000 unknown rows once took a difflib call each (2.5 minutes), and only
    the first problems of a kind are listed (errors.MAX_PROBLEMS_PER_CODE)."""

    def __init__(self, suggest: Callable[[str], T], limit: int = MAX_PROBLEMS_PER_CODE):
        self._suggest = suggest
        self._limit = limit
        self._done: dict[str, T] = {}

    def __call__(self, text: str) -> T | None:
        """The suggestion for `text`, or None once `limit` distinct texts have had theirs."""
        if text in self._done:
            return self._done[text]
        if len(self._done) >= self._limit:
            return None
        found = self._done[text] = self._suggest(text[:SUGGEST_CHARS])
        return found
