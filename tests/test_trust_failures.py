"""Failures say what to do: a damaged, read-only or busy store and a failed backup each get a
Chinese message naming the cause and the way out; no server path reaches a visitor; a failed
backup leaves no half-written directory. Real files: a truncated DuckDB file, permissions taken
away, a lock held by another process, a path under /proc."""

import errno
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from store_helpers import new_store, upload
from streamlit.testing.v1 import AppTest

from ipdata import manage, service
from ipdata.backup import backup, backup_failed
from ipdata.cli import main
from ipdata.errors import StoreBusyError
from ipdata.store.connection import StoreFileError, file_error
from tests.conftest import ROOT

NOBODY = 65534
V1 = "series,region,year,value\ngdp,全区,2021,1300"
V2 = "series,region,year,value\ngdp,全区,2022,1400"
HOLD = ("import sys, time, duckdb\ncon = duckdb.connect(sys.argv[1])\nprint('holding', flush=True)\n"
        "time.sleep(float(sys.argv[2]))\n")


@contextmanager
def unprivileged():
    """Act as an account without write permission on root's files: the tests may run as root
    (in a container), and chmod alone stops no root."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def _give_away(path: Path) -> None:
    """Let the unprivileged account own `path` (so only its directory is read-only)."""
    if os.geteuid() == 0:
        os.chown(path, NOBODY, NOBODY)


@pytest.fixture
def shared():
    """A directory the unprivileged account can reach (pytest's own is private to root)."""
    d = Path(tempfile.mkdtemp(prefix="ipdata-perm-", dir="/tmp"))
    d.chmod(0o755)
    yield d
    for p in [d, *d.rglob("*")]:
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)
    shutil.rmtree(d)


@contextmanager
def held(db: Path, seconds: float):
    """Another process holding the database file (as a CLI import does while it writes)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "holding"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def _page_text(at: AppTest) -> str:
    """Everything a visitor can read on the page."""
    shown = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success, *at.title,
             *at.header, *at.subheader, *at.text, *at.code, *at.exception]
    return "\n".join(str(getattr(e, "value", e)) for e in shown)


def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


# --- a damaged store ------------------------------------------------------------------------

def test_a_damaged_store_says_restore_from_backup_and_the_way_out_works(tmp_path, capsys):
    db = tmp_path / "ipdata.duckdb"
    store = new_store(db)
    store.apply(upload(V1), user="张三")
    backup(store, tmp_path / "bk")
    _truncate(db)
    with pytest.raises(StoreFileError) as err:
        new_store(db).values()
    assert (err.value.code, err.value.message) == ("store-corrupt", "数据库文件已损坏或不是 DuckDB 数据库，无法读取。")
    assert "从最近的备份恢复" in err.value.hint and "python -m ipdata restore 备份目录 --db 原数据库文件" in err.value.hint
    assert str(tmp_path) not in err.value.message + err.value.hint and str(db) in err.value.detail
    # the CLI says the same and, for the operator on the server, which file
    assert main(["--db", str(db), "values"]) == 1
    out = capsys.readouterr().err
    assert out.startswith("数据库文件已损坏或不是 DuckDB 数据库") and f"详细信息：数据库文件 {db}" in out
    assert "Traceback" not in out and "内部错误" not in out
    # the way out: keep the damaged file aside, restore the backup into its place
    db.rename(tmp_path / "ipdata-damaged.duckdb")
    assert main(["restore", str(tmp_path / "bk"), "--db", str(db)]) == 0
    assert new_store(db).values()[["series", "year", "value"]].values.tolist() == [["gdp", 2021, 1300.0]]


def test_a_visitor_sees_the_cause_and_no_server_path(db_path):
    service.load_demo(service.open_store(db_path))
    _truncate(db_path)
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60).run()
    text = _page_text(at)
    assert not at.exception and at.error[0].value == "数据库文件已损坏或不是 DuckDB 数据库，无法读取。"
    assert "从最近的备份恢复" in text
    assert str(db_path.parent) not in text and "duckdb\"" not in text and "IO Error" not in text


# --- a read-only store ----------------------------------------------------------------------

def test_a_read_only_store_file_still_shows_its_data_and_refuses_writes(shared):
    db = shared / "ipdata.duckdb"
    new_store(db).apply(upload(V1), user="张三")
    db.chmod(0o444)
    with unprivileged():
        store = new_store(db)
        values = store.values()[["series", "year", "value"]].values.tolist()
        with pytest.raises(StoreFileError) as err:
            store.apply(upload(V2), user="李四")
    assert values == [["gdp", 2021, 1300.0]]
    assert (err.value.code, err.value.message) == ("store-read-only", "数据库文件或其所在目录没有写入权限（只读），无法保存。")
    assert "chmod" in err.value.hint and "已有数据没有改动" in err.value.hint and str(shared) not in err.value.hint
    assert new_store(db).latest_revision_id() == 1


def test_a_read_only_directory_refuses_writes_and_new_stores(shared, capsys):
    d = shared / "data"
    d.mkdir()
    db = d / "ipdata.duckdb"
    new_store(db).apply(upload(V1), user="张三")
    _give_away(db)
    d.chmod(0o555)
    with unprivileged():
        store = new_store(db)
        assert store.latest_revision_id() == 1  # reading needs no new file
        with pytest.raises(StoreFileError) as err:
            store.apply(upload(V2), user="李四")  # the commit needs ipdata.duckdb.wal beside it
        with pytest.raises(StoreFileError) as new:
            new_store(d / "new.duckdb")
        code = main(["--db", str(d / "new.duckdb"), "values"])
    assert err.value.code == new.value.code == "store-read-only"
    assert code == 1 and "没有写入权限" in capsys.readouterr().err
    assert sorted(p.name for p in d.iterdir()) == ["ipdata.duckdb"]
    assert new_store(db).latest_revision_id() == 1


def test_a_directory_that_cannot_be_made(tmp_path):
    with pytest.raises(StoreFileError) as err:
        service.open_store("/proc/ipdata/ipdata.duckdb")
    assert (err.value.code, err.value.message) == ("store-no-dir", "数据库文件所在的目录不存在，也无法创建。")


@pytest.mark.parametrize(("text", "code"), [
    ('IO Error: Could not write file "/srv/ipdata.duckdb.wal": No space left on device', "store-disk-full"),
    ('IO Error: Cannot open file "/srv/ipdata.duckdb": Read-only file system', "store-read-only"),
    ("Corrupt database file: computed checksum 1 does not match stored checksum 2 in block 3", "store-corrupt"),
    ('IO Error: Trying to read a database file with version number 99, but we can only read 64', "store-newer"),
    ("Constraint Error: NOT NULL constraint failed: observations.value", None),  # a bug, not the file
    ('IO Error: Could not set lock on file "/srv/ipdata.duckdb": Conflicting lock is held', None),  # busy
])
def test_what_duckdb_says_about_a_file_becomes_a_cause(text, code):
    refusal = file_error(duckdb.IOException(text), Path("/srv/ipdata.duckdb"))
    assert (refusal.code if refusal else None) == code
    if refusal:
        assert "/srv" not in refusal.message + refusal.hint and "/srv/ipdata.duckdb" in refusal.detail


# --- a busy store during a download ---------------------------------------------------------

def test_a_download_waits_while_another_process_writes(tmp_path):
    from pages import components as ui

    store = new_store(tmp_path / "ipdata.duckdb")
    store.apply(upload(V1), user="张三")
    with held(store.path, 2.0):
        start = time.monotonic()
        data = ui.from_store(lambda: manage.export_bytes(store))()
        waited = time.monotonic() - start
    assert waited > 1.0  # it waited for the other process instead of failing
    cells = [c.value for row in load_workbook(io.BytesIO(data))["基础数据"].iter_rows() for c in row]
    assert 1300 in cells


def _download_then_look():
    import contextlib

    import streamlit as st

    from ipdata import manage
    from pages import components as ui

    if "clicked" not in st.session_state:  # the click: the download's data is made, and fails
        st.session_state.clicked = True
        with contextlib.suppress(Exception):  # Streamlit shows its own English note under the button
            ui.from_store(lambda: manage.export_bytes(ui.store()))()
    else:  # the session's next run
        ui.guarded(lambda: st.write("页面内容"))


def test_a_download_that_cannot_wait_is_told_in_chinese_at_the_next_run(db_path, monkeypatch):
    from pages import components as ui

    new_store(db_path).apply(upload(V1), user="张三")
    monkeypatch.setattr(ui, "DOWNLOAD_PATIENCE", 0.0)
    at = AppTest.from_function(_download_then_look, default_timeout=60)
    with held(db_path, 60):
        at.run()
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["刚才的下载没有完成，原因如下。"]
    assert at.error[0].value == "数据库正被其他程序使用，暂时无法打开"
    assert "请稍后重试" in at.info[0].value and str(db_path.parent) not in _page_text(at)
    assert at.run().warning.len == 0  # told once


# --- a failed backup ------------------------------------------------------------------------

def test_a_backup_on_a_full_disk_leaves_nothing(tmp_path, monkeypatch, capsys):
    store = new_store(tmp_path / "ipdata.duckdb")
    store.apply(upload(V1), user="张三")
    before = sorted(p.name for p in tmp_path.iterdir())

    def full_disk(_store, out):
        Path(out).write_bytes(b"PK" * 1000)  # half a workbook, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("ipdata.outputs.workbook.export_workbook", full_disk)
    assert main(["--db", str(store.path), "backup", str(tmp_path / "bk")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("备份失败：磁盘空间不足。没有留下不完整的备份目录，数据库没有任何改动。")
    assert "处理办法：清理磁盘空间" in err and f"备份目录 {tmp_path / 'bk'}" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_backup_where_it_cannot_write_leaves_nothing(shared, tmp_path):
    store = new_store(shared / "ipdata.duckdb")
    store.apply(upload(V1), user="张三")
    with pytest.raises(Exception, match="备份失败：目录不存在，也无法在那里创建。") as err:
        backup(store, "/proc/ipdata-backup")
    assert "检查备份目录的路径" in err.value.hint
    locked = shared / "backups"
    locked.mkdir(mode=0o555)
    locked.chmod(0o555)
    with unprivileged(), pytest.raises(Exception, match=r"备份失败：没有写入该目录的权限（或是只读位置）") as err:
        backup(store, locked / "2025-12-31")
    assert "换一个当前账户可以写入的目录" in err.value.hint and list(locked.iterdir()) == []


@pytest.mark.parametrize(("exc", "cause"), [
    (duckdb.IOException('IO Error: Could not write file "/b/x.parquet": No space left on device'), "磁盘空间不足"),
    (duckdb.IOException('IO Error: Cannot open file "/b/x.parquet": Permission denied'), "没有写入该目录的权限"),
    (OSError(errno.EDQUOT, "Disk quota exceeded"), "磁盘空间不足"),
    (OSError(errno.EIO, "Input/output error"), "写入文件时出错"),
])
def test_why_a_backup_failed(exc, cause):
    refusal = backup_failed(exc, Path("/b"))
    assert refusal.message.startswith(f"备份失败：{cause}") and "/b" not in refusal.message


def test_a_busy_store_error_names_no_file(tmp_path):
    store = new_store(tmp_path / "ipdata.duckdb")
    quick = type(store)(store.path, store.plan, busy_timeout=0.2)
    with held(store.path, 30), pytest.raises(StoreBusyError) as err:
        quick.values()
    assert err.value.message == "数据库正被其他程序使用，暂时无法打开" and str(store.path) in err.value.detail
