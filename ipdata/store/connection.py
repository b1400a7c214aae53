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

A file that cannot be used (damaged, read-only, disk full, a directory that cannot be made) is
refused with a `StoreFileError` whose message names the cause and the way out without the path
(pages show it to visitors); the path and DuckDB's own words go to its `detail`. A file this
process may read but not write is attached read-only, so the dashboard still shows its data and
only a write is refused. The instance never downloads or loads a DuckDB extension on its own (a
SQLite file would otherwise make DuckDB fetch one from the network).
"""

from __future__ import annotations

import errno
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


class StoreFileError(IpdataError):
    """The database file cannot be used; `code` names the cause (see FILE_PROBLEMS)."""

    def __init__(self, code: str, message: str, hint: str, detail: str | None = None):
        super().__init__(message, hint=hint, detail=detail)
        self.code = code


RESTORE_HINT = ("请管理员从最近的备份恢复：先把损坏的文件改名留存（便于排查），再运行 "
                "python -m ipdata restore 备份目录 --db 原数据库文件；没有备份时请联系维护人员。")

# code -> (message, hint); the markers below find the code in DuckDB's or the system's words.
FILE_PROBLEMS: dict[str, tuple[str, str]] = {
    "store-corrupt": ("数据库文件已损坏或不是 DuckDB 数据库，无法读取。", RESTORE_HINT),
    "store-newer": ("数据库文件由更新版本的程序写出，本程序无法读取。",
                    "升级 ipdata 到写出该文件的版本；或按备份恢复到新的数据库文件。"),
    "store-read-only": ("数据库文件或其所在目录没有写入权限（只读），无法保存。",
                        "请管理员检查权限：运行仪表盘和命令行的系统账户须能读写数据库文件、同名的 .wal 文件"
                        "和所在目录（例如用 chown 或 chmod u+rw 改正）；不要把数据库放在只读的位置。"
                        "已有数据没有改动。"),
    "store-disk-full": ("服务器磁盘空间不足，数据库无法写入。",
                        "请管理员清理磁盘空间后重试；这次操作没有保存，已有数据没有改动。"),
    "store-no-dir": ("数据库文件所在的目录不存在，也无法创建。",
                     "检查 --db 或 IPDATA_DB 设置的路径是否正确、目录能否创建。"),
}
_MARKERS = (
    ("store-corrupt", ("not a valid DuckDB database file", "Could not read enough bytes", "Corrupt database file",
                       "checksum", "sqlite_scanner")),
    ("store-newer", ("Trying to read a database file with version number",)),
    ("store-read-only", ("Permission denied", "Read-only file system", "read-only mode",
                         "attached in read-only")),
    ("store-disk-full", ("No space left on device", "Disk quota exceeded")),
    ("store-no-dir", ("No such file or directory", "Not a directory")),
)
_ERRNOS = {errno.EACCES: "store-read-only", errno.EPERM: "store-read-only", errno.EROFS: "store-read-only",
           errno.ENOSPC: "store-disk-full", errno.EDQUOT: "store-disk-full", errno.ENOENT: "store-no-dir",
           errno.ENOTDIR: "store-no-dir"}


def file_error(exc: BaseException, path: Path) -> StoreFileError | None:
    """The Chinese refusal for a database file that cannot be read or written, or None when
    `exc` is not about the file (a bug, a constraint): those propagate as they are."""
    code = None
    if isinstance(exc, OSError):
        code = _ERRNOS.get(exc.errno or 0)
    elif isinstance(exc, duckdb.Error) and not is_lock_error(exc):
        text = str(exc)
        code = next((c for c, markers in _MARKERS if any(m in text for m in markers)), None)
    if code is None:
        return None
    message, hint = FILE_PROBLEMS[code]
    return StoreFileError(code, message, hint, detail=f"数据库文件 {path.absolute()}：{exc}")


_host: duckdb.DuckDBPyConnection | None = None
_host_guard = threading.Lock()  # guards _host and _attached
_attached: dict[str, int] = {}  # alias -> sessions using it (more than 1 only when nested)


def _alias(path: Path) -> str:
    return "ipdata_" + hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


def sql_text(text: str) -> str:
    """A SQL string literal (for paths in ATTACH, EXPORT and IMPORT, which take no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    """A SQL identifier, quoted (table and column names are never pasted in bare)."""
    return '"' + name.replace('"', '""') + '"'


def _host_cursor() -> duckdb.DuckDBPyConnection:
    """A new cursor of the process's in-memory instance (made on first use). Caller holds _host_guard."""
    global _host
    if _host is None:
        _host = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                                    "autoload_known_extensions": False})
    return _host.cursor()


def _attach(path: Path, alias: str) -> None:
    """Attach the file unless this thread's outer session already did (under the file lock).
    A file this process may read but not write is attached read-only: reading still works."""
    with _host_guard:
        if not _attached.get(alias):
            with closing(_host_cursor()) as cur:
                try:
                    cur.execute(f"ATTACH {sql_text(str(path))} AS {alias}")
                except duckdb.IOException as exc:
                    if "Permission denied" not in str(exc) or not path.exists():
                        raise
                    try:
                        cur.execute(f"ATTACH {sql_text(str(path))} AS {alias} (READ_ONLY)")
                    except duckdb.Error:
                        raise exc from None
        _attached[alias] = _attached.get(alias, 0) + 1


def _detach(alias: str) -> None:
    with _host_guard:
        left = _attached.get(alias, 1) - 1
        if left > 0:
            _attached[alias] = left
            return
        _attached.pop(alias, None)
        with closing(_host_cursor()) as cur:
            # IF EXISTS: DuckDB drops a file it found damaged mid-query by itself
            cur.execute(f"DETACH DATABASE IF EXISTS {alias}")


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
                raise file_error(exc, path) or IpdataError(
                    "无法打开数据库文件。",
                    hint="请管理员确认 IPDATA_DB 指向一个 DuckDB 数据库文件（或一个尚不存在的新文件）。",
                    detail=f"数据库文件 {path.absolute()}：{exc}",
                ) from exc
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StoreBusyError(
                    "数据库正被其他程序使用，暂时无法打开",
                    hint="请稍后重试；如果持续出现，关闭正在使用该数据库的其他程序（如命令行导入）。",
                    detail=f"数据库文件 {path.absolute()} 被另一个进程占用",
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
    """The file at `path` for one session. A failure that is about the file (damaged, read-only,
    disk full), also at commit, becomes a StoreFileError."""
    con = open_connection(path, busy_timeout)
    try:
        yield con
    except duckdb.Error as exc:
        refusal = file_error(exc, path)
        if refusal is None:
            raise
        raise refusal from exc
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
