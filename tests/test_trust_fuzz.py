"""Hypothesis over whole small workbooks: ingest never raises, every problem is a coded Chinese
message, and whatever ingest calls valid the store saves."""

import datetime as dt
import io
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ingest_helpers import PLAN
from openpyxl import Workbook
from store_helpers import new_store

from ipdata.ingest import read_upload

CJK = re.compile(r"[\u4e00-\u9fff]")
CODE = re.compile(r"^[a-z]+(-[a-z]+)*$")

text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=10)
sheet_name = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="[]:*?/\\'"),
                     min_size=1, max_size=12).filter(lambda s: s.strip() and s.lower() != "history")
names = st.sampled_from([g.name for g in PLAN.goals] + [s.name for s in PLAN.all_series.values()]
                        + ["二、知识产权保护", "注：数据来源于区市场监管局", "合计", "高价值发明专利拥有量（件）"])
regions = st.sampled_from(["全区", "通州区", "南通高新区", "金沙街道", "兴仁镇", "月球", ""])
header_cell = st.one_of(
    st.sampled_from(["指标名称", "指标", "名称", "单位", "地区", "年份", "数值", "目标值", "2025年目标", "数据来源",
                     "备注", "任务编号", "状态", "进展说明", "序号", "指标代码"]),
    st.integers(2015, 2030).map(lambda y: f"{y}年"),
    st.integers(2015, 2030),
    st.sampled_from(["二〇二三年", "23年", "2023年度", "２０２２年", "2021.0"]),
    st.dates(dt.date(2019, 1, 1), dt.date(2030, 12, 31)),
    text,
)
value_cell = st.one_of(
    st.none(),
    text,
    st.sampled_from(["", " ", "-", "—", "1,234", "１２", "16%", "是", "否", "已建成", "1e308", "1e400",
                     "NaN", "inf", "=1+1", "0.5", "推进中", "已完成"]),
    st.integers(-10**15, 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e-300, max_value=1e-300),
    st.sampled_from([1e308, -1e308, 5e-324, 0.0, -0.0]),
    st.booleans(),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)),
)
row = st.tuples(names, regions, st.lists(value_cell, max_size=5)).map(lambda t: [t[0], t[1], *t[2]])
sheet = st.tuples(
    st.lists(st.lists(text, max_size=2), max_size=2),  # title / note rows above the header
    st.lists(header_cell, min_size=1, max_size=7),
    st.lists(row, max_size=6),
    st.booleans(),  # hidden
)
# Mostly plausible sheets too, so that the valid branch (store.apply) is exercised often.
plausible = st.one_of(st.none(), st.sampled_from(["-", "", "1,234"]), st.integers(0, 99),
                      st.floats(0, 100).map(lambda x: round(x, 3)))
milestones = {g.code for g in PLAN.goals if g.kind == "milestone"}
good_cell = st.integers(0, 11).flatmap(lambda i: value_cell if i == 0 else plausible)  # 1 in 12 wild
good_row = st.tuples(st.sampled_from([s.name for s in PLAN.all_series.values() if s.code not in milestones]),
                     st.sampled_from(["全区", "南通高新区", "金沙街道"]),
                     st.lists(good_cell, min_size=3, max_size=3)).map(lambda t: [t[0], t[1], *t[2]])
good_sheet = st.tuples(st.just([]), st.just(["指标名称", "地区", "2021年", "2022年", "2023年"]),
                       st.lists(good_row, min_size=1, max_size=6), st.just(False))
workbook = st.dictionaries(sheet_name, st.one_of(sheet, good_sheet), min_size=1, max_size=3)


def _bytes(sheets: dict) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, (above, header, rows, hidden) in sheets.items():
        ws = wb.create_sheet(name)
        for r in [*above, header, *rows]:
            ws.append(r)
        if hidden and len(sheets) > 1 and name != next(iter(sheets)):
            ws.sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return new_store(tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sheets=workbook)
def test_any_workbook_gives_an_upload_and_valid_ones_are_saved(store, sheets):
    upload = read_upload(_bytes(sheets), PLAN, file_name="fuzz.xlsx")  # must not raise
    for p in upload.report.problems:
        assert CODE.match(p.code) and CJK.search(p.message), p
        assert p.severity in ("error", "warning")
        assert p.sheet is None or p.sheet in sheets
    event("valid" if upload.report.valid else "refused")
    if upload.report.valid:
        before = store.latest_revision_id()
        result = store.apply(upload, user="fuzz")  # must not raise
        event("saved" if result.revision_id else "no change")
        assert result.revision_id in (None, before + 1)
        assert upload.observations["series"].isin(set(PLAN.all_series)).all()
