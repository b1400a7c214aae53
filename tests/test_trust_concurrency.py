"""Two imports and several readers at once, as threads sharing one Store and as separate processes.

What is guaranteed, and asserted here:
- Threads of one process: operations on a file are serialised by the store's file lock, so every
  reader and both imports succeed.
- Processes: DuckDB lets one process open the file at a time. Each operation retries with
  backoff for the busy timeout (3 s); when it still cannot get the file it is refused with
  StoreBusyError ("数据库正被其他程序使用……请稍后重试"), changes nothing, and a retry later works.
  So every reader and importer either succeeds or gets exactly that message (never another error).
  With five processes hammering one file, a refusal does happen now and then (the backoff grows to
  1.6 s between tries while others take turns), so the test does not demand that all succeed.
- Every successful read sees the state after a whole revision, and the final state equals
  applying the landed revisions in their order.
"""

import json
import subprocess
import sys
import threading

import pytest
from concurrency_child import digest, payload
from store_helpers import new_store, plan

from ipdata.errors import StoreBusyError
from ipdata.store import Store
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Digests of every whole-revision state: empty, A, B, A then B, B then A."""
    d = tmp_path_factory.mktemp("ref")
    states = {}
    for order in ((1, 2), (2, 1)):  # also gives (1,) and (2,)
        store = new_store(d / f"{order}.duckdb")
        states[()] = digest(store.values())
        for i, salt in enumerate(order):
            store.apply(payload(plan(), salt), user=f"p{salt}")
            states[order[: i + 1]] = digest(store.values())
    return states


def _order(store) -> tuple:
    return tuple(int(u[1:]) for u in store.revisions()["user"])


def test_threads_share_one_store(tmp_path, reference):
    store = new_store(tmp_path / "t.duckdb")
    uploads = {salt: payload(plan(), salt) for salt in (1, 2)}
    reads, errors, revs = [], [], []
    start = threading.Barrier(6)

    def importer(salt):
        start.wait()
        try:
            revs.append(store.apply(uploads[salt], user=f"p{salt}").revision_id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def reader():
        start.wait()
        try:
            for _ in range(6):
                reads.append(digest(store.values()))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=importer, args=(s,)) for s in (1, 2)]
    threads += [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(revs) == [1, 2]
    order = _order(store)
    assert digest(store.values()) == reference[order]
    assert len(reads) == 24 and set(reads) <= {reference[()], reference[order[:1]], reference[order]}


def _spawn(*args):
    return subprocess.Popen([sys.executable, str(ROOT / "tests" / "concurrency_child.py"), *map(str, args)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)


def test_processes_on_one_file(tmp_path, reference):
    db = tmp_path / "p.duckdb"
    new_store(db)
    procs = [_spawn("import", db, 1), _spawn("import", db, 2)] + [_spawn("read", db, 4) for _ in range(3)]
    for p in procs:  # all started and holding their payloads: release them together
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "Traceback" not in err, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    for r in results:
        assert "busy" not in r or ("数据库正被其他程序使用" in r["busy"] and "请稍后重试" in r["busy"]), r
    landed = {salt for salt, r in zip((1, 2), results[:2], strict=True) if "rev" in r}
    store = new_store(db)
    order = _order(store)
    assert set(order) == landed and sorted(r["rev"] for r in results[:2] if "rev" in r) == list(range(1, len(order) + 1))
    assert digest(store.values()) == reference[order]
    reads = [d for r in results[2:] if "reads" in r for d in r["reads"]]
    assert set(reads) <= {reference[()], reference[order[:1]], reference[order]}
    # a refused import works when retried
    for salt in sorted({1, 2} - landed):
        store.apply(payload(plan(), salt), user=f"p{salt}")
        order = _order(store)
        assert digest(store.values()) == reference[order]


HOLD = "import sys, time, duckdb\ncon = duckdb.connect(sys.argv[1])\nprint('holding', flush=True)\ntime.sleep(30)\n"


def test_import_refused_while_held(tmp_path, reference):
    """Past the busy timeout an import is refused with the plain retry message and changes nothing."""
    store = Store(tmp_path / "h.duckdb", plan(), busy_timeout=0.3)
    store.apply(payload(plan(), 1), user="p1")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(store.path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreBusyError) as err:
            store.apply(payload(plan(), 2), user="p2")
        assert "数据库正被其他程序使用" in err.value.user_text() and "请稍后重试" in err.value.user_text()
    finally:
        holder.kill()
        holder.wait()
    assert digest(store.values()) == reference[(1,)] and _order(store) == (1,)
