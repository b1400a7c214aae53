"""Properties: after any sequence of applies, rollback(k) gives exactly the state after revision k;
demo and official data are never current together."""

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import assert_states_equal, current_state, plan, tidy_state

from ipdata.errors import IpdataError, Report
from ipdata.ingest.upload import Upload
from ipdata.store import Store

# A small key space so that later uploads overwrite, extend and repeat earlier ones.
VALUE_KEYS = [(s, r, y) for s in ("gdp", "population") for r in ("全区", "金沙街道") for y in (2021, 2022)]
TASK_IDS = ["一.1.1", "一.2.1"]

value_rows = st.dictionaries(
    st.sampled_from(VALUE_KEYS),
    st.tuples(st.sampled_from([0.0, 1.5, 2.0, 1e6]), st.sampled_from([None, "统计局"])),
    max_size=5,
)
task_rows = st.dictionaries(st.sampled_from(TASK_IDS), st.sampled_from(["未启动", "推进中", "已完成"]), max_size=2)
steps = st.lists(st.tuples(value_rows, task_rows, st.sampled_from(["import", "demo", "task-edit"])),
                 min_size=1, max_size=4)


def make_upload(values: dict, tasks: dict) -> Upload:
    obs = pd.DataFrame(
        [{"series": s, "region": r, "year": y, "value": v, "source": src, "note": None,
          "sheet": "指标数据", "cell": "C3"} for (s, r, y), (v, src) in values.items()],
        columns=["series", "region", "year", "value", "source", "note", "sheet", "cell"],
    )
    tsk = pd.DataFrame(
        [{"task_id": t, "status": st_, "note": None, "updated": None, "sheet": "重点任务", "cell": "D3"}
         for t, st_ in tasks.items()],
        columns=["task_id", "status", "note", "updated", "sheet", "cell"],
    )
    return Upload("x.xlsx", str(hash((str(values), str(tasks)))), observations=obs, tasks=tsk, report=Report())


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps, data=st.data())
def test_rollback_gives_state_after_k(steps, data):
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "db.duckdb", plan())
        states = {0: tidy_state(store.state_at(0))}
        for values, tasks, kind in steps:
            if kind == "task-edit":
                values = {}
            if kind == "demo" and store.has_official_data():
                with pytest.raises(IpdataError, match="不能载入示例数据"):
                    store.apply(make_upload(values, tasks), user="h", kind=kind)
                continue
            result = store.apply(make_upload(values, tasks), user="h", kind=kind)
            assert not (store.has_demo_data() and store.has_official_data())
            if result.revision_id is not None:
                # one connection instead of three; test_store_rollback checks state_at == current
                states[result.revision_id] = tidy_state(store.state_at(result.revision_id))
        latest = store.latest_revision_id()
        assert sorted(states) == list(range(latest + 1))
        k = data.draw(st.integers(0, latest), label="k")
        store.rollback(k, user="h")
        assert not (store.has_demo_data() and store.has_official_data())
        assert_states_equal(tidy_state(current_state(store)), states[k])
        assert_states_equal(tidy_state(store.state_at(k)), states[k])
        # the rollback is itself undoable
        store.rollback(latest, user="h")
        assert_states_equal(tidy_state(current_state(store)), states[latest])
