"""CI smoke test of the load benchmark (bench/load.py): one viewer against a real dashboard while
the statistician uploads in Chromium. No timing is asserted (BENCHMARKS.md holds the run on this
machine); what must hold is that every open finished with every tile and that uploads were saved."""

import json
import subprocess
import sys

import pytest

from bench.load import ladder
from tests.browser import have_chromium
from tests.conftest import ROOT


def test_viewer_counts_grow_then_stop_at_the_cap():
    assert ladder(96) == [1, 2, 4, 8, 16, 24, 32, 48, 64, 80, 96]
    assert ladder(1) == [1] and ladder(5) == [1, 2, 4, 5]


@pytest.mark.skipif(not have_chromium(), reason="needs Debian's chromium (the statistician's browser)")
def test_one_viewer_while_uploading(tmp_path):
    out = tmp_path / "load.json"
    done = subprocess.run([sys.executable, "-m", "bench.load", "--max-viewers", "1", "--seconds", "4",
                           "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    [phase] = result["phases"]
    assert phase["viewers"] == 1 and phase["opens"] >= 1 and phase["failed"] == 0, phase
    assert phase["uploads"] >= 1 and phase["refused"] == [], phase  # checked and saved meanwhile
    assert result["quiet"]["opens"] >= 1 and result["quiet"]["failed"] == 0
    assert "| viewers | opens | p50 | p95 |" in done.stdout and "held:" in done.stdout
