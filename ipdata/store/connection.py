"""Short-lived access to DuckDB files: attach, work in one transaction, detach.

DuckDB lets only one process hold a database file (even readers are shut out while another
process has it open), and a connection must not be shared between threads. So nothing keeps a
file open between operations: each one attaches the file, retries briefly while another process
holds it, and detaches it again, which releases the file for the CLI and other processes.

The files are attached to one in-memory DuckDB instance per process (each operation gets its own
cursor of it), not opened with `duckdb.connect(file)`: creating a database instance costs ~30 ms
here (its catalogue of built-in functions), attaching a file to a live one ~3 ms, and a page rerun
makes several store calls.

Within one process, every operation on a file takes a per-file lock, so two threads never race
for the next revision id, and a file is attached by one thread at a time. The lock is re-entrant:
a caller holding a session (a backup) may call the store again; the nested session shares the
attachment, which is released when the outermost one ends.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
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


_host: duckdb.DuckDBPyConnection | None = None
_host_guard = threading.Lock()  # guards _host and _attached
_attached: dict[str, int] = {}  # alias -> sessions using it (more than 1 only when nested)


def _alias(path: Path) -> str:
    return "ipdata_" + hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


def sql_text(text: str) -> str:
    """A SQL string literal (for paths in ATTACH, EXPORT and IMPORT, which take no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _host_cursor() -> duckdb.DuckDBPyConnection:
    """A new cursor of the process's in-memory instance (made on first use). Caller holds _host_guard."""
    global _host
    if _host is None:
        _host = duckdb.connect(":memory:")
    return _host.cursor()


def _attach(path: Path, alias: str) -> None:
    """Attach the file unless this thread's outer session already did (under the file lock)."""
    with _host_guard:
        if not _attached.get(alias):
            with closing(_host_cursor()) as cur:
                cur.execute(f"ATTACH {sql_text(str(path))} AS {alias}")
        _attached[alias] = _attached.get(alias, 0) + 1


def _detach(alias: str) -> None:
    with _host_guard:
        left = _attached.get(alias, 1) - 1
        if left > 0:
            _attached[alias] = left
            return
        _attached.pop(alias, None)
        with closing(_host_cursor()) as cur:
            cur.execute(f"DETACH {alias}")


def open_connection(path: Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> duckdb.DuckDBPyConnection:
    """A cursor whose default database is the file at `path`, attached for reading and writing;
    retries with backoff while another process holds the file. Release it with `close`."""
    deadline = time.monotonic() + busy_timeout
    delay = 0.05
    alias = _alias(path)
    while True:
        try:
            _attach(path, alias)
            break
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
    with _host_guard:
        con = _host_cursor()
    try:
        con.execute(f"USE {alias}")
    except BaseException:
        close(con, path)
        raise
    return con


def close(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Close a cursor from `open_connection` and release the file (once no session uses it)."""
    try:
        con.close()
    finally:
        _detach(_alias(path))


@contextmanager
def connect(path: Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_connection(path, busy_timeout)
    try:
        yield con
    finally:
        close(con, path)


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
