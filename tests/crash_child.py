"""Child process for the SIGKILL tests: apply one big revision to a store and say when it starts.

    python tests/crash_child.py DB N_ROWS

Prints "applying" right before `Store.apply` begins (the parent kills some milliseconds later)
and "done SECONDS" when it returned. The upload is deterministic (`big_upload`), so the parent
can compute the exact state the import leads to.
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ipdata.ingest.upload import Upload  # noqa: E402


def big_upload(plan, n_rows: int, salt: int = 0) -> Upload:
    """n_rows observations over the plan's series, many regions and ten years; values from a seed."""
    codes = sorted(plan.all_series)
    years = list(range(2016, 2026))
    per_region = len(codes) * len(years)
    n_regions = -(-n_rows // per_region)
    idx = pd.MultiIndex.from_product([[f"区域{i:04d}" for i in range(n_regions)], codes, years],
                                     names=["region", "series", "year"]).to_frame(index=False)[:n_rows]
    rng = np.random.default_rng(salt)
    frame = pd.DataFrame({
        "series": idx["series"], "region": idx["region"], "year": idx["year"].astype("int64"),
        "value": rng.uniform(0, 100, len(idx)).round(3), "source": "统计局", "note": None,
        "sheet": "指标数据", "cell": [f"F{i + 4}" for i in range(len(idx))],
    })
    sha = hashlib.sha256(f"{n_rows}/{salt}".encode()).hexdigest()
    return Upload(file_name=f"big{salt}.xlsx", sha256=sha, observations=frame)


def main() -> None:
    from store_helpers import plan

    from ipdata.store import Store

    db, n_rows = sys.argv[1], int(sys.argv[2])
    store = Store(db, plan())
    upload = big_upload(store.plan, n_rows, salt=1)
    print("applying", flush=True)
    start = time.monotonic()
    store.apply(upload, user="kill")
    print(f"done {time.monotonic() - start:.3f}", flush=True)


if __name__ == "__main__":
    main()
