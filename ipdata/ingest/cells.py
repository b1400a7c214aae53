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
NO_DATA = frozenset({"", "-", "--", "—", "——", "–", "―", "…", "……", "...", "/", "无", "暂无", "无数据", "暂无数据", "不适用", "n/a", "na",
                     "未统计", "暂缺", "待统计", "暂未统计"})
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))  # zero-width: pasted from web pages
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_YEAR = re.compile(r"(\d{4})(?:\.0)?\s*(?:年度?|年末|年底|年份)?")

YES = frozenset({"1", "是", "已建成", "建成", "已完成", "完成", "true", "yes", "y", "√", "✓"})
NO = frozenset({"0", "否", "未建成", "未完成", "false", "no", "n", "×"})


def nfkc(value: Any) -> str:
    """Text form of a cell: full-width folded, zero-width characters removed, trimmed."""
    text = unicodedata.normalize("NFKC", str(value))
    # translate() looks up every character: only when there is one to drop (most cells have none)
    return (text.translate(_INVISIBLE) if _HAS_INVISIBLE.search(text) else text).strip()


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


_NUMBER_UNIT = re.compile(r"([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([^\d\s.,%+-][^\d]{0,5})")


def number_with_unit(value: Any) -> tuple[float, str] | None:
    """"12件", "1.5亿元", "200 人" -> (number, unit); None for anything else (the unit is checked
    against the goal's by the caller)."""
    if not isinstance(value, str):
        return None
    m = _NUMBER_UNIT.fullmatch("".join(nfkc(value).split()))
    if m is None:
        return None
    number = float(m.group(1).replace(",", ""))
    return (number, m.group(2)) if math.isfinite(number) else None


_MONTH = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_PARTIAL = re.compile(rf"(?:{_MONTH}[-－~～至到])?({_MONTH})月(?:份)?(?:末|底)?|上半年|前三季度|一季度|二季度|三季度|半年")


_DATE_TEXT = re.compile(r"\d{4}(年\d{1,2}月(\d{1,2}日)?|[-/.]\d{1,2}[-/.]\d{1,2})")


def is_date_text(value: Any) -> bool:
    """A cell that is a date (2025年1月10日, 2025年1月, 2025-01-10): a report date, not a data year."""
    if isinstance(value, dt.date | dt.datetime):
        return True
    return isinstance(value, str) and _DATE_TEXT.fullmatch("".join(nfkc(value).split())) is not None


def partial_year(value: Any) -> str | None:
    """The part of a year a header covers when it is not the whole year (2025年1-10月, 上半年),
    else None: a year's figure from January to December (or 年底) is the whole year."""
    if not isinstance(value, str):
        return None
    text = "".join(nfkc(value).split())
    m = _PARTIAL.search(text)
    if m is None:
        return None
    if m.group(1) in ("12", "十二"):
        return None
    return m.group(0)


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
    """A cell meant as a year but not written as one: a date, 二〇二三年, 23年."""
    if isinstance(value, dt.date | dt.datetime):
        return True
    return isinstance(value, str) and _YEARISH.fullmatch("".join(nfkc(value).split())) is not None


# --- header years ----------------------------------------------------------------------------

_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
_ANY_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_TARGET_WORDS = ("目标", "计划", "任务数", "预期")
_OTHER_WORDS = ("增长", "增速", "增幅", "增减", "同比", "环比", "比上年", "较上年", "比较", "变化", "差额", "差距",
                "排名", "进度", "预计", "预测", "累计增", "占比变化", "完成率", "完成比例", "同期", "占比", "比重")


def header_year(value: Any) -> tuple[str, Any]:
    """What a header cell says about years: ("value", 2023) for a value column of 2023 (2023,
    2023年度, 截至2023年底, 2023年完成值, 2023年1-12月, 二〇二三年, a date); ("target", 2023) for
    2023年目标 / 2023年计划; ("other", text) for a column about a year that holds no value of it
    (2023年增长率, 较上年增减); ("bad", text) for a header meant as a year that cannot be read (a
    range such as 2022-2023年, 23年); ("none", None) when the header is not about a year."""
    if isinstance(value, bool):
        return "none", None
    if isinstance(value, dt.date | dt.datetime):
        return ("value", value.year) if 1900 <= value.year <= 2100 else ("bad", value)
    if isinstance(value, int | float):
        year = parse_year(value)
        return ("value", year) if year is not None and 1900 <= year <= 2100 else ("none", None)
    if not isinstance(value, str):
        return "none", None
    text = "".join(nfkc(value).split())
    folded = _CN_YEAR.sub(lambda m: m.group(0).translate(_DIGITS), text)
    years = {int(y) for y in _ANY_YEAR.findall(folded)}
    if not years:
        return ("bad", value) if _YEARISH.fullmatch(text) else ("none", None)
    if any(w in folded for w in _OTHER_WORDS):
        return "other", value
    if any(w in folded for w in _TARGET_WORDS):  # 2022-2025年目标: the period's target, due at its end
        return "target", max(years)
    if len(years) > 1:
        return "bad", value
    return "value", years.pop()


# --- targets as the plan words them ----------------------------------------------------------

_TARGET_TEXT = re.compile(
    r"^(?:到\d{4}年底?)?(?:≥|≧|>=|>|＞|大于等于|大于|不低于|不少于|超过|突破|达到|达|约|力争)?"
    r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))"
    r"\s*(?:%|个百分点|[^\d\s%]{0,4}?)?(?:以上|及以上|左右|以内)?$")
_BUILT = frozenset({"建成", "已建成", "完成", "建立", "创建", "设立", "是"})


def parse_target(value: Any) -> float | None:
    """A target as a plan or a statistician writes it: 18, "≥18", "70以上", "突破20", "8.6%",
    "≥1400家", "建成" (1 for a milestone). None when it is no number (明显增长, 稳步提升)."""
    parsed = parse_number(value)
    if parsed is not None:
        return parsed[0]
    if not isinstance(value, str):
        return None
    text = "".join(nfkc(value).split())
    if text in _BUILT:
        return 1.0
    m = _TARGET_TEXT.fullmatch(text.replace(",", ""))
    if m is None:
        return None
    number = float(m.group(1))
    return number if math.isfinite(number) else None


# --- spreadsheet error results ---------------------------------------------------------------

ERROR_TEXTS = frozenset({"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
                         "#SPILL!", "#CALC!", "Err:502", "Err:504", "Err:508", "Err:511", "Err:522", "Err:523"})


def is_error_text(value: Any) -> bool:
    """A formula's error result (#DIV/0!, #N/A …), as a reader or a statistician's paste shows it."""
    return isinstance(value, str) and value.strip().upper() in {e.upper() for e in ERROR_TEXTS}


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
