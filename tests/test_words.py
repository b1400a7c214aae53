"""The plan's words: the period a plan runs is the one its title states, else the years after its 基期."""

import dataclasses

import pytest

from ipdata import words
from ipdata.catalogue import load_plan
from tests.conftest import ROOT

TONGZHOU = load_plan(ROOT / "data" / "plans" / "tongzhou-2022-2025.yaml")
NATIONAL = load_plan(ROOT / "data" / "plans" / "national-ip-2021-2025.yaml")


def test_the_period_is_the_one_the_title_states():
    # 基期 2021, title "(2022-2025年)": the plan runs 2022—2025, not from its base year
    assert (TONGZHOU.base_year, TONGZHOU.target_year) == (2021, 2025)
    assert words.period(TONGZHOU) == "2022—2025年"
    assert words.plan_label(TONGZHOU).endswith("（2022—2025年）")


def test_without_years_in_the_title_the_plan_runs_from_the_year_after_its_base():
    # 十四五: base 2020 (专栏1's 2020 column), target 2025, no years in the title
    assert NATIONAL.base_year == 2020
    assert words.period(NATIONAL) == "2021—2025年"


@pytest.mark.parametrize(("title", "base", "target", "expected"), [
    ("某县规划（2026—2030年）", 2026, 2030, "2026—2030年"),  # a base year inside the period: the title wins
    ("某县规划(2026至2030年)", 2025, 2030, "2026—2030年"),
    ("某县规划(2016-2020年)", 2025, 2030, "2026—2030年"),  # the title's years end elsewhere: not this plan's
    ("某县规划", 2020, 2025, "2021—2025年"),
])
def test_title_years_only_when_they_end_at_the_target_year(title, base, target, expected):
    plan = dataclasses.replace(TONGZHOU, title=title, base_year=base, target_year=target)
    assert words.period(plan) == expected
