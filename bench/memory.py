"""Peak memory of one import, in a fresh process so that nothing else counts.

    python -m bench.memory WORKBOOK PLAN.yaml DB [--tracemalloc]

Prints JSON: peak RSS of the whole process (interpreter, pandas, DuckDB, calamine included) and,
with --tracemalloc, the peak of Python-level allocations (Rust and DuckDB buffers are not seen).
"""

from __future__ import annotations

import json
import sys
import tracemalloc
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's high-water RSS (VmHWM). Not ru_maxrss: that one keeps the parent's peak
    across fork + exec, so a child of a big benchmark process would report the parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> dict:
    xlsx, plan_path, db = (Path(a) for a in argv[:3])
    trace = "--tracemalloc" in argv
    from ipdata.catalogue import load_plan
    from ipdata.ingest import read_upload
    from ipdata.store import Store

    plan = load_plan(plan_path)
    db.unlink(missing_ok=True)
    store = Store(db, plan)
    before = peak_rss_mb()
    if trace:
        tracemalloc.start()
    upload = read_upload(xlsx, plan)
    result = store.apply(upload, user="bench")
    out = {"rows": int(result.changes.n_new), "rss_before_mb": round(before, 1),
           "peak_rss_mb": round(peak_rss_mb(), 1)}
    if trace:
        out["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1024 / 1024, 1)
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
