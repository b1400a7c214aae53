"""The malformed-workbook corpus (tests/corpus.py): a located Chinese problem for each bad file, and
an import through the CLI that refuses it with exit 1 and leaves the store exactly as it was.

Case table (id → outcome) lives in tests/corpus.py; `accepted` cases say why the input is fine.
"""

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys

import pytest
from corpus import CASES, build_all, zip_bomb
from ingest_helpers import PLAN
from store_helpers import new_store, upload

from ipdata.cli import main
from ipdata.ingest import read_upload
from tests.conftest import ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")
# The CLI refuses these too (exit 1, store unchanged) although ingest's message is not the one
# wanted; only where ingest wrongly *accepts* the file does the CLI part fail as well.
ACCEPTED_BY_BUG: set[str] = set()  # cases a known ingest bug would let through the CLI


def _param(case, cli: bool = False):
    bug = case.xfail and (not cli or case.id in ACCEPTED_BY_BUG)
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if bug else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return build_all(tmp_path_factory.mktemp("corpus"))


def test_corpus_covers_the_issue():
    assert len(CASES) >= 40 and len({c.id for c in CASES}) == len(CASES)
    groups = {c.group for c in CASES}
    assert groups == {"type", "structure", "values", "names", "formulas", "size"}
    assert all(c.why for c in CASES if c.accepted)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_ingest_names_the_problem(case, files):
    up = read_upload(files[case.id], PLAN)  # never raises
    for p in up.report.problems:
        assert p.code and CJK.search(p.message), p
    if case.accepted:
        assert up.report.valid, up.report.problems
        assert len(up.observations) == case.n_values
        return
    assert not up.report.valid
    got = up.report.flatten(["code", "sheet", "cell"])
    for expected in case.problems:
        assert list(expected) in got, got
    code, sheet, cell = case.problems[0]
    first = next(p for p in up.report.problems if (p.code, p.sheet, p.cell) == (code, sheet, cell))
    text = str(first)
    assert case.message in text, text
    if cell:
        assert f"工作表“{sheet}” 单元格 {cell}" in text


V1 = "series,region,year,value\ncase_closure_rate,全区,2021,86.5\ngdp,全区,2021,1300"


@pytest.fixture(scope="module")
def base_db(tmp_path_factory):
    store = new_store(tmp_path_factory.mktemp("base") / "base.duckdb")
    store.apply(upload(V1), user="张三")
    return store.path


@pytest.fixture(scope="module")
def before(base_db):
    return _snapshot(base_db)


def _snapshot(db):
    """`values --json` and `revisions --json` of the store at `db`."""
    out = []
    for command in ("values", "revisions"):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            assert main(["--db", str(db), command, "--json"]) == 0
        out.append(json.loads(buffer.getvalue()))
    return out


@pytest.mark.parametrize("case", [_param(c, cli=True) for c in CASES])
def test_cli_import_refuses_and_changes_nothing(case, files, base_db, before, tmp_path, capsys):
    db = tmp_path / "db.duckdb"
    shutil.copy(base_db, db)
    code = main(["--db", str(db), "import", str(files[case.id]), "--user", "测试"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "内部错误" not in err
    if case.accepted:
        assert code == 0, err
        assert len(_snapshot(db)[1]) == len(before[1]) + 1
        return
    assert code == 1 and CJK.search(err)
    assert _snapshot(db) == before
    cell = case.problems[0][2]
    if cell and not case.xfail:
        assert f"单元格 {cell}" in err


@pytest.mark.parametrize("case_id", ["text-in-number"])
def test_cli_process_exit_code_and_no_traceback(case_id, files, base_db, tmp_path):
    db = tmp_path / "db.duckdb"
    shutil.copy(base_db, db)
    proc = subprocess.run([sys.executable, "-m", "ipdata", "--db", str(db), "import", str(files[case_id])],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "未导入任何数据" in proc.stderr or "无法读取" in proc.stderr


# The bomb runs in a child process whose address space is capped at what it uses after start-up
# plus 1 GB, and whose run time is capped, so a parser that inflates it cannot hurt the test run.
BOMB_RUNNER = """
import resource, sys
from ipdata import service
from ipdata.cli import main
vm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmSize:")) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 2**30, vm + 2**30))
sys.exit(main(sys.argv[1:]))
"""


def test_zip_bomb_is_refused_quickly_and_boundedly(base_db, before, tmp_path):
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 2 * 2**20
    db = tmp_path / "db.duckdb"
    shutil.copy(base_db, db)
    try:
        proc = subprocess.run([sys.executable, "-c", BOMB_RUNNER, "--db", str(db), "import", str(bomb)],
                              capture_output=True, text=True, cwd=ROOT, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("the zip bomb was still being read after 20 s")
    finally:
        assert _snapshot(db) == before
    assert proc.returncode == 1, proc.stderr[-500:]
    assert "Traceback" not in proc.stderr and ("MB" in proc.stderr or "解压" in proc.stderr)
