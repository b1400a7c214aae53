"""Busy files, threads sharing a Store, and a failure in the middle of a write."""

import subprocess
import sys
import threading
import time

import pandas as pd
import pytest
from store_helpers import current_state, new_store, plan, upload

from ipdata.errors import StoreBusyError
from ipdata.store import Store, revisions

V1 = "series,region,year,value\npopulation,全区,2021,120.5\ngdp,全区,2021,1300"
V2 = "series,region,year,value\ngdp,全区,2021,1310\ngdp,全区,2022,1400"

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(30)
"""


def hold(path, seconds: float = 30) -> subprocess.Popen:
    """Another process that opens the file and keeps it open; returns once it holds it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD.replace("30", str(seconds)), str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout.readline().strip() == "holding"
    return proc


@pytest.fixture
def held(tmp_path):
    """A store (with a short busy timeout) whose file another process then holds open."""
    store = Store(tmp_path / "db.duckdb", plan(), busy_timeout=0.3)
    store.apply(upload(V1), user="a")
    proc = hold(store.path)
    try:
        yield store
    finally:
        proc.kill()
        proc.wait()


def test_busy_file_raises_store_busy_after_retrying(held):
    store = held
    start = time.monotonic()
    with pytest.raises(StoreBusyError) as err:
        store.values()
    elapsed = time.monotonic() - start
    assert 0.3 <= elapsed < 2.0  # it did retry, and gave up quickly
    assert err.value.message.startswith("数据库正被其他程序使用")
    assert "稍后重试" in err.value.hint


def test_busy_file_on_open_and_on_write(held):
    with pytest.raises(StoreBusyError):
        Store(held.path, plan(), busy_timeout=0.2)
    with pytest.raises(StoreBusyError):
        held.apply(upload(V2), user="b")


def test_file_usable_once_released(tmp_path):
    store = Store(tmp_path / "db.duckdb", plan(), busy_timeout=10.0)
    proc = hold(store.path, seconds=0.5)
    try:
        assert store.latest_revision_id() == 0  # waited for the other process to let go
    finally:
        proc.kill()
        proc.wait()


def run_threads(work, n: int) -> list[BaseException]:
    """Run work(0) … work(n-1) in n threads at once; the exceptions they raised."""
    errors: list[BaseException] = []

    def guarded(i: int) -> None:
        try:
            work(i)
        except BaseException as exc:  # noqa: BLE001 - returned to the test
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_threads_share_one_store(tmp_path):
    store = new_store(tmp_path / "db.duckdb")

    def work(i: int) -> None:
        store.apply(upload(f"series,region,year,value\ngdp,镇{i},2021,{i}"), user=f"u{i}")
        store.values()

    assert run_threads(work, 6) == []
    assert store.revisions()["id"].tolist() == [1, 2, 3, 4, 5, 6]
    assert sorted(store.values()["region"]) == [f"镇{i}" for i in range(6)]


def test_failure_mid_apply_leaves_file_unchanged(tmp_path, monkeypatch):
    store = new_store(tmp_path / "db.duckdb")
    store.apply(upload(V1), user="a")
    before = (current_state(store), store.revisions())
    calls = []
    real = revisions.write_delta

    def failing(con, spec, delta, revision_id):
        calls.append(spec.name)
        real(con, spec, delta, revision_id)  # the revision row and this delta are written ...
        raise RuntimeError("disk full")  # ... and then the write fails

    monkeypatch.setattr(revisions, "write_delta", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        store.apply(upload(V2), user="b")
    assert calls == ["values"]
    monkeypatch.undo()

    reopened = new_store(tmp_path / "db.duckdb")
    after = (current_state(reopened), reopened.revisions())
    for k in before[0]:
        pd.testing.assert_frame_equal(after[0][k], before[0][k])
    pd.testing.assert_frame_equal(after[1], before[1])
    # and the next apply gets the revision id the failed one would have had
    assert reopened.apply(upload(V2), user="b").revision_id == 2


def test_failure_mid_rollback_leaves_file_unchanged(tmp_path, monkeypatch):
    store = new_store(tmp_path / "db.duckdb")
    store.apply(upload(V1), user="a")
    store.apply(upload(V2), user="a")
    before = (current_state(store), store.revisions())

    def failing(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(revisions, "write_delta", failing)
    with pytest.raises(RuntimeError):
        store.rollback(1, user="a")
    monkeypatch.undo()
    for k, v in current_state(store).items():
        pd.testing.assert_frame_equal(v, before[0][k])
    pd.testing.assert_frame_equal(store.revisions(), before[1])


def test_threads_on_different_files_keep_them_apart(tmp_path):
    """Each operation attaches its file to the process's one DuckDB instance: files used at the
    same time from several threads must neither see each other's tables nor block each other."""
    paths = [tmp_path / f"f{i}.duckdb" for i in range(4)]

    def work(i: int) -> None:
        s = new_store(paths[i])  # a new file: its schema check must not see the others' tables
        for year in (2021, 2022, 2023):
            s.apply(upload(f"series,region,year,value\ngdp,全区,{year},{i * 100 + year}"), user=f"u{i}")

    assert run_threads(work, 4) == []
    for i, path in enumerate(paths):
        s = Store(path, plan())
        assert s.latest_revision_id() == 3
        assert sorted(s.values()["value"]) == [i * 100 + y for y in (2021, 2022, 2023)]


def test_file_is_released_between_operations_and_inside_nested_ones(tmp_path):
    """Another process can open the file as soon as an operation ends, including after a nested
    session (the outer session holds it until it ends)."""
    from ipdata.store.connection import connect, file_lock

    store = new_store(tmp_path / "db.duckdb")
    store.apply(upload(V1), user="a")
    probe = [sys.executable, "-c", "import sys, duckdb; duckdb.connect(sys.argv[1]).close()", str(store.path)]
    assert subprocess.run(probe, capture_output=True).returncode == 0
    with file_lock(store.path), connect(store.path):
        assert len(store.values()) == 2  # nested session on the same file, same thread
        assert subprocess.run(probe, capture_output=True).returncode != 0  # still held by the outer one
    assert subprocess.run(probe, capture_output=True).returncode == 0
