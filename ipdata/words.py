"""The plan's own words for pages, template, deck and file names: nothing of one plan lives in code.

    tasks_name(plan)     '主要任务' from the plan's heading '三、主要任务' (its numbering dropped)
    period(plan)         '2026—2030年': the years the plan's title names, else the year after the base
                         year to the target year (a plan runs from the year after its 基期)
    plan_label(plan)     '<plan name>（2026—2030年）': how a plan is listed to choose it
    regions_title(plan)  '分乡镇', '分县(市、区)': the page of the plan's regions
    file_stem(plan, what, demo, today)  '<plan name>_汇报材料_示例数据_20261130'
"""

from __future__ import annotations

import datetime as dt
import re

from ipdata.catalogue import Plan

# A heading's own numbering: 三、 / (三) / （三） / 3. / 3、 / 第三部分 and the spaces after it.
_N = "一二三四五六七八九十百0-9０-９"
_NUMBERING = re.compile(rf"^\s*(?:[(（][{_N}]+[)）]|[{_N}]+\s*[、.．]|第[{_N}]+(?:部分|章|节)?)\s*")
_BAD_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
DEMO_WORD = "示例数据"
# "(2022-2025年)" in a plan's title: the period as the plan itself states it.
_TITLE_YEARS = re.compile(r"((?:19|20)\d{2})\s*[-－–—~～至到]\s*((?:19|20)\d{2})")


def tasks_name(plan: Plan) -> str:
    """The plan's name for its key tasks without the number it has in the plan's text."""
    name = _NUMBERING.sub("", plan.tasks_heading).strip()
    return name or plan.tasks_heading.strip() or "重点任务"


def period(plan: Plan) -> str:
    named = _TITLE_YEARS.search(plan.title)
    if named and int(named[1]) < int(named[2]) == plan.target_year:
        return f"{named[1]}—{named[2]}年"
    return f"{plan.base_year + 1}—{plan.target_year}年"


def plan_label(plan: Plan) -> str:
    return f"{plan.name}（{period(plan)}）"


def regions_title(plan: Plan) -> str:
    return f"分{plan.region_level}"


def file_stem(plan: Plan, what: str = "", demo: bool = False, today: dt.date | None = None,
              dated: bool = True) -> str:
    """A download's name from the plan's name: what it is, 示例数据 while demo data is shown, the
    date (unless `dated` is False)."""
    parts = [plan.name, what, DEMO_WORD if demo else "", f"{today or _beijing_today():%Y%m%d}" if dated else ""]
    return _BAD_FILE_CHARS.sub("_", "_".join(p for p in parts if p)).strip(" .")


def _beijing_today() -> dt.date:
    from ipdata.views import beijing_today  # views imports the plan catalogue; words stays below it

    return beijing_today()
