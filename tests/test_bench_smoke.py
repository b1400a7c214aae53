"""CI smoke test of the benchmark: `python -m bench --size small` runs and reports every figure.

No timing is asserted (the CI machine is shared); BENCHMARKS.md holds the full-size numbers.
"""

import json
import subprocess
import sys

from tests.conftest import ROOT

FIGURES = ["import long workbook", "CLI import of the long workbook", "import wide workbook", "peak RSS",
           "tracemalloc peak",
           "all trajectories", "overview rerun, demo data", "goal page rerun, demo data",
           "overview rerun at scale", "goal page rerun at scale", "build a 20-goal deck",
           "one PNG with a warm renderer", "build the 20-goal 自评报告"]


def test_small_benchmark_reports_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--size", "small", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["size"] == "small" and result["machine"]["nproc"] >= 1
    figures = result["figures"]
    for name in FIGURES:
        assert sum(f["figure"].startswith(name) for f in figures) == 1, name
    for f in figures:
        # a number, or for the export figures a reason (the renderer needs Chromium)
        assert isinstance(f["ours"], float) or f["figure"].startswith(("build a", "build the", "one PNG")), f
        assert f["ours"] is not None
    with_baseline = [f for f in figures if f["baseline"] is not None]
    report = [f for f in figures if f["figure"].startswith("build the 20-goal 自评报告")]
    # the report's baseline exists when the renderer works (Chromium installed)
    assert len(with_baseline) == 4 + (report[0]["baseline"] is not None)
    assert all(f["ratio"] > 0 for f in with_baseline)
    table = done.stdout
    assert "| figure | ours | baseline | ratio | target | met? |" in table and "nproc" in table


def test_naive_trajectory_loop_agrees_with_the_engine():
    """The baseline computes the same figures, so the ratio compares like with like."""
    import numpy as np

    from bench import baselines, synthetic
    from ipdata.catalogue import load_plan
    from ipdata.trajectory import compute_all, rank

    plan = load_plan(ROOT / "data" / "plans" / "tongzhou-2022-2025.yaml")
    values, targets = synthetic.series_frames(plan, synthetic.SIZES["small"])
    ours = rank.numeric(compute_all(plan, values, targets))  # the rank goal (issue 13) has no completion
    naive = baselines.naive_trajectories(plan, values, targets)
    both = ours.merge(naive, on=["code", "region"], suffixes=("", "_naive"))
    assert len(both) == len(ours) == len(naive) == 200
    assert (both["status"] == both["status_naive"]).all()
    assert np.allclose(both["completion"].astype(float), both["completion_naive"].astype(float), equal_nan=True)
