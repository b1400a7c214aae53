"""Crash safety: SIGKILL an import at spread-out moments; the store then opens and holds exactly
the old revision or exactly the new one, never a mix, and takes the next import normally.

The child (tests/crash_child.py) applies a 50,000-row revision that also changes the rows of the
first one. It prints "applying" just before `Store.apply`; the parent kills it a fraction of the
calibrated apply time later, so kills land while the diff runs, while rows are inserted, around
the commit and after it.
"""

import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from crash_child import big_upload
from store_helpers import new_store, plan, upload

from tests.conftest import ROOT

N_ROWS = 50_000
FRACTIONS = [0.1, 0.35, 0.6, 0.85, 1.0, 1.2, 1.6]  # of the calibrated apply time


def _state(store):
    revs = store.revisions().drop(columns=["created_at"])
    return store.values(), revs


def _child(db):
    return subprocess.Popen([sys.executable, str(ROOT / "tests" / "crash_child.py"), str(db), str(N_ROWS)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The base file (revision 1), the exact states before and after, and the apply time."""
    d = tmp_path_factory.mktemp("crash")
    base = new_store(d / "base.duckdb")
    base.apply(big_upload(plan(), 1000, salt=0), user="a")
    before = _state(base)
    ref = d / "ref.duckdb"
    shutil.copy(base.path, ref)
    proc = _child(ref)  # calibration: the same child, run to the end
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    seconds = float(out.split()[-1])
    after = _state(new_store(ref))
    assert len(after[1]) == 2 and len(after[0]) == N_ROWS
    return base.path, before, after, seconds


def _same(a, b) -> bool:
    try:
        pd.testing.assert_frame_equal(a[0], b[0], check_exact=True)
        pd.testing.assert_frame_equal(a[1], b[1], check_exact=True)
    except AssertionError:
        return False
    return True


def test_sigkill_at_many_points_leaves_old_or_new(states, tmp_path):
    base, before, after, seconds = states
    outcomes = []
    for i, fraction in enumerate([*FRACTIONS, "done"]):
        db = tmp_path / f"k{i}.duckdb"
        shutil.copy(base, db)
        proc = _child(db)
        assert proc.stdout.readline().strip() == "applying"
        if fraction == "done":
            proc.stdout.readline()  # returned: the commit is on disk; kill during the exit
        else:
            time.sleep(fraction * seconds)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        store = new_store(db)  # opens (the WAL, if any, is replayed or discarded)
        state = _state(store)
        old, new = _same(state, before), _same(state, after)
        assert old or new, f"kill at {fraction}: {len(state[1])} revisions, {len(state[0])} values"
        assert len(state[1]) == (1 if old else 2)
        outcomes.append("old" if old else "new")
        # and the store takes the next write normally
        result = store.apply(upload("series,region,year,value\ngdp,全区,2030,1"), user="next")
        assert result.revision_id == len(state[1]) + 1
    assert outcomes[0] == "old" and outcomes[-1] == "new", outcomes
