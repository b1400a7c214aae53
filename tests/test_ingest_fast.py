"""The column reader (ingest/columns.py) gives exactly what the row-by-row reader gives: the same
frames in the same order and the same problems (code, cell, message), whatever the cells hold."""

import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import PLAN
from openpyxl import Workbook

import ipdata.ingest as ingest
from ipdata.ingest import read_upload

names = st.sampled_from(["新增贯标单位", "案件结案率", "建成省级知识产权保护示范区", "知识产权质押登记担保金额",
                         "万人高价值发明专利拥有量", "高价值发明专利拥有量", "常住人口", "新增贯标单位（件）",
                         "案件结案率(%)", "1.新增贯标单位", "不存在的指标", "一、知识产权创造", "注：数据为初步统计", None])
units = st.sampled_from([None, "件", "%", "万元", "个", "家"])
regions = st.sampled_from([None, "通州区", "合计", "金沙街道", " 金 沙街道 ", "兴仁镇"])
cells = st.one_of(
    st.none(),
    st.sampled_from(["1,234", "１２", "16%", "-", "是", "否", "0.5", "--5", "12 345", "", "无", "0", "1", "abc"]),
    st.integers(-5, 200),
    st.floats(-10, 1000, allow_nan=False).map(lambda x: round(x, 2)),
    st.just(True),
    st.dates(dt.date(2020, 1, 1), dt.date(2025, 1, 1)),
)
years = st.one_of(st.none(), st.sampled_from([2021, 2022, "2023年", "2023", 1800, 2099, "明年", 2024.0]))
wide_rows = st.lists(st.tuples(names, units, regions, cells, cells, cells, cells), max_size=8)
long_rows = st.lists(st.tuples(names, regions, years, cells), max_size=8)


def _book(wide: list[tuple], long: list[tuple]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "指标数据"
    ws.append(["通州区知识产权主要指标"])
    ws.append(["指标名称", "单位", "地区", "2021年", "2022年", "2099年", "2025年目标"])
    for row in wide:
        ws.append(list(row))
    ws2 = wb.create_sheet("逐行")
    ws2.append(["指标", "地区", "年份", "数值"])
    for row in long:
        ws2.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _both(data: bytes, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(ingest, "FAST", False)
        slow = read_upload(data, PLAN)
    fast = read_upload(data, PLAN)
    return fast, slow


def _assert_same(fast, slow):
    assert [p.as_dict() for p in fast.report.problems] == [p.as_dict() for p in slow.report.problems]
    for attr in ("observations", "targets", "tasks"):
        pd.testing.assert_frame_equal(getattr(fast, attr), getattr(slow, attr))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(wide=wide_rows, long=long_rows)
def test_column_reader_agrees_with_row_reader(wide, long, monkeypatch):
    _assert_same(*_both(_book(wide, long), monkeypatch))


@pytest.mark.parametrize("rows", [
    [("新增贯标单位", "件", None, 1, 2, None, 30)],  # clean: every row on the fast path
    [("新增贯标单位", "件", None, 1, "x", None, None), ("案件结案率", "%", "金沙街道", 95, 101, None, None)],
    [("新增贯标单位", "件", "通州区", 1, 2, 3, None)],  # a future-year column: one problem, once
])
def test_column_reader_examples(rows, monkeypatch):
    _assert_same(*_both(_book(rows, []), monkeypatch))


def test_demo_workbook_reads_the_same(monkeypatch):
    from ipdata import settings as ipdata_settings

    _assert_same(*_both(ipdata_settings.demo_workbook().read_bytes(), monkeypatch))
