"""Normalising single cell values: numbers, years, yes/no, text. Pure functions, no Problems.

Statisticians type numbers as text, with thousands separators, full-width digits or a % sign, and
mark missing data with "-", "—", "/", "无"... Those must become numbers or "no data", never zero.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

# Cell contents meaning "no data" (compared after NFKC, so full-width forms are covered).
NO_DATA = frozenset({"", "-", "--", "—", "——", "–", "―", "…", "……", "...", "/", "无", "暂无", "无数据", "暂无数据", "不适用", "n/a", "na"})

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_YEAR = re.compile(r"(\d{4})(?:\.0)?\s*(?:年度?|年末|年底|年份)?")

YES = frozenset({"1", "是", "已建成", "建成", "已完成", "完成", "true", "yes", "y", "√", "✓"})
NO = frozenset({"0", "否", "未建成", "未完成", "false", "no", "n", "×"})


def nfkc(value: Any) -> str:
    """Text form of a cell: full-width folded, trimmed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_blank(value: Any) -> bool:
    """True for empty cells and the usual "no data" marks: these are never zero."""
    if value is None or isinstance(value, str) and not value:
        return True
    if isinstance(value, str):
        return _blank_text(value)
    return isinstance(value, float) and math.isnan(value)


@lru_cache(maxsize=4096)
def _blank_text(value: str) -> bool:
    return nfkc(value).lower() in NO_DATA


def text_or_none(value: Any) -> str | None:
    """Free text (source, note): None when blank, otherwise the trimmed text as typed."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    return str(value).strip()


@lru_cache(maxsize=65536, typed=True)  # typed: True must not share an entry with 1
def parse_number(value: Any) -> tuple[float, bool] | None:
    """(number, had_percent_sign) or None when the cell is not a number.

    Accepts real numbers, numbers typed as text, "1,234", "１２３", "16%". Dates, booleans, NaN
    and infinity are not numbers.
    """
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return (number, False) if math.isfinite(number) else None
    if not isinstance(value, str):
        return None
    s = "".join(nfkc(value).split())
    percent = s.endswith("%")
    if percent:
        s = s[:-1]
    if _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    if not _NUMBER.fullmatch(s):
        return None
    number = float(s)
    return (number, percent) if math.isfinite(number) else None


def parse_year(value: Any) -> int | None:
    """2021, 2021.0, "2021", "2021年", "2021年度", "２０２１年" -> 2021; anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if math.isfinite(value) and float(value).is_integer() else None
    if not isinstance(value, str):
        return None
    m = _YEAR.fullmatch("".join(nfkc(value).split()))
    return int(m.group(1)) if m else None


_YEARISH = re.compile(r"(?:\d{2}|[〇○零一二三四五六七八九]{2,4})年度?")


def looks_like_year(value: Any) -> bool:
    """A header cell meant as a year but not written as one: a date, 二〇二三年, 23年."""
    if isinstance(value, dt.date | dt.datetime):
        return True
    return isinstance(value, str) and _YEARISH.fullmatch("".join(nfkc(value).split())) is not None


def parse_milestone(value: Any) -> float | None:
    """1/是/已建成/已完成 -> 1.0; 0/否/未建成 -> 0.0; anything else None."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float) and value in (0, 1):
        return float(value)
    if isinstance(value, str):
        s = "".join(nfkc(value).split()).lower()
        if s in YES or s in ("1.0",):
            return 1.0
        if s in NO or s in ("0.0",):
            return 0.0
    return None


def header_key(value: Any) -> str:
    """Header text folded for comparison: width, spaces and line breaks removed."""
    return "".join(nfkc(value).split()) if not is_blank(value) else ""


def number_text(x: float) -> str:
    """16.0 -> "16", 0.16 -> "0.16" for messages."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"
