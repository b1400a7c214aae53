"""Short-lived DuckDB connections: open, work in one transaction, close.

DuckDB lets only one process hold a database file (even readers are shut out while another
process has it open), and a connection must not be shared between threads. So nothing keeps a
connection open between operations: each one opens the file, retries briefly while another
process holds it, and closes it again.

Within one process, every operation on a file takes a per-file lock. Writers need it so two
threads never race for the next revision id; readers need it too, because DuckDB shares one
database instance per file inside a process, and threads opening and closing connections to it
at the same moment raced (seen here: "Table Function with name pandas_scan does not exist" from a
frame registered while another thread closed the last connection). Operations take tens of
milliseconds, so serialising them costs nothing a user would notice.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ipdata.errors import IpdataError, StoreBusyError

DEFAULT_BUSY_TIMEOUT = 3.0  # seconds to keep retrying while another process holds the file
MAX_RETRY_DELAY = 0.25  # seconds between two attempts at most (before jitter)

_LOCK_MARKERS = ("Could not set lock", "Conflicting lock")
_file_locks: dict[str, threading.RLock] = {}
_file_locks_guard = threading.Lock()


def is_lock_error(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.IOException) and any(m in str(exc) for m in _LOCK_MARKERS)


def open_connection(path: Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> duckdb.DuckDBPyConnection:
    """Open `path` for reading and writing, retrying with backoff while another process holds it."""
    deadline = time.monotonic() + busy_timeout
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise IpdataError(
                    f"无法打开数据库文件 {path}：{exc}",
                    hint="确认 IPDATA_DB 指向一个 DuckDB 数据库文件（或一个尚不存在的新文件）。",
                ) from exc
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StoreBusyError(
                    f"数据库正被其他程序使用（{path.name}），暂时无法打开",
                    hint="请稍后重试；如果持续出现，关闭正在使用该数据库的其他程序（如命令行导入）。",
                ) from exc
            # Jittered and capped: processes that collided do not retry in lockstep, and a
            # waiter keeps trying often enough to catch the file between two short operations.
            time.sleep(min(delay * random.uniform(0.5, 1.5), remaining))
            delay = min(delay * 2, MAX_RETRY_DELAY)


@contextmanager
def connect(path: Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_connection(path, busy_timeout)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: any exception rolls back, so the file is left as it was."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


def file_lock(path: Path) -> threading.RLock:
    """The in-process lock that serialises all operations on one database file."""
    key = str(path.resolve())
    with _file_locks_guard:
        return _file_locks.setdefault(key, threading.RLock())
