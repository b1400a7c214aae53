"""Build `Upload`s for store tests from inline CSV text, and compare store frames."""

from __future__ import annotations

import hashlib
import io
from functools import cache

import pandas as pd

from ipdata.catalogue import Plan, load_plan
from ipdata.errors import Problem, Report
from ipdata.ingest.upload import (
    OBSERVATION_COLUMNS,
    TARGET_COLUMNS,
    TASK_COLUMNS,
    Upload,
    empty_frame,
)
from ipdata.store import Store


@cache
def plan() -> Plan:
    return load_plan("tongzhou-2022-2025")


def _frame(csv: str, columns: list[str], sheet: str) -> pd.DataFrame:
    """CSV text (header included) -> an upload frame; missing columns are None, cells made up."""
    text = "\n".join(line.strip() for line in csv.strip().splitlines())
    if not text:
        return empty_frame(columns)
    frame = pd.read_csv(io.StringIO(text), dtype={"year": "int64", "task_id": str, "updated": str})
    for c in columns:
        if c not in frame:
            frame[c] = None
    frame["sheet"] = sheet
    frame["cell"] = [f"C{i + 2}" for i in range(len(frame))]
    return frame[columns]


def upload(
    values: str = "",
    targets: str = "",
    tasks: str = "",
    file_name: str = "数据.xlsx",
    problems: tuple[Problem, ...] = (),
) -> Upload:
    """An Upload as ingest would produce it; sha256 is derived from the content."""
    sha = hashlib.sha256(f"{values}|{targets}|{tasks}".encode()).hexdigest()
    return Upload(
        file_name=file_name,
        sha256=sha,
        observations=_frame(values, OBSERVATION_COLUMNS, "指标数据"),
        targets=_frame(targets, TARGET_COLUMNS, "目标分解"),
        tasks=_frame(tasks, TASK_COLUMNS, "重点任务"),
        report=Report(list(problems)),
    )


def new_store(path) -> Store:
    return Store(path, plan())


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """A state frame without revision ids (which a rollback legitimately changes)."""
    return frame.drop(columns=["revision_id"]).reset_index(drop=True)


def tidy_state(state: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {k: tidy(v) for k, v in state.items()}


def current_state(store: Store) -> dict[str, pd.DataFrame]:
    return {"values": store.values(), "targets": store.targets(), "tasks": store.task_progress(),
            "notes": store.notes()}


def assert_states_equal(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for k in a:
        pd.testing.assert_frame_equal(a[k], b[k], check_dtype=False, obj=k)


def rows(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    """Frame -> list of lists, for one-line expectations."""
    return frame[columns].astype(object).where(frame[columns].notna(), None).values.tolist()
