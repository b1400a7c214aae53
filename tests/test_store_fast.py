"""The whole-column pass of store/frames.py gives exactly what the row-by-row reading gives."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_helpers import plan

from ipdata.store.frames import _rows_checked, _rows_fast
from ipdata.store.schema import TASKS, VALUES

CODES = ["gdp", "population", "no_such_series"]
texts = st.sampled_from([None, "", "  ", "统计局", " 统计局 ", float("nan"), 3, 1.0, True])
rows = st.lists(st.tuples(st.sampled_from(CODES + [None, " gdp"]), st.sampled_from(["全区", "金沙街道", None, ""]),
                          st.sampled_from([2021, 2022]), st.sampled_from([1.5, 0.0, float("nan"), math.inf, 7]),
                          texts, texts), max_size=6)


def _check(frame, spec, known):
    problems = []
    slow = _rows_checked(frame, spec, problems, known)
    fast = _rows_fast(frame, spec, known)
    if problems:
        assert fast is None  # the row-by-row reading then names the cells
    elif fast is not None:
        pd.testing.assert_frame_equal(fast, slow)


@settings(max_examples=300, deadline=None)
@given(rows)
def test_values_fast_path_agrees_with_row_by_row(data):
    frame = pd.DataFrame(data, columns=["series", "region", "year", "value", "source", "note"])
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    _check(frame, VALUES, set(plan().all_series))


def test_clean_frames_take_the_fast_path():
    frame = pd.DataFrame({"series": ["gdp", "gdp"], "region": ["全区", " 金沙街道 "], "year": [2021, 2022],
                          "value": [1.0, 2.5], "source": [None, " 统计局"], "note": ["", "x"]})
    assert _rows_fast(frame, VALUES, set(plan().all_series)) is not None
    _check(frame, VALUES, set(plan().all_series))


@pytest.mark.parametrize("status", [["未启动", "推进中"], ["未启动", None], ["未启动", " "]])
def test_tasks_fast_path_agrees(status):
    frame = pd.DataFrame({"task_id": ["一.1.1", "一.2.1"], "status": status, "note": [None, np.nan],
                          "updated": ["2024-01-01", None]})
    _check(frame, TASKS, {t.id for t in plan().tasks})
