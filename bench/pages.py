"""Server time of a page rerun (AppTest): the first run fills the caches, the timed ones reuse them,
as a user's second click does."""

from __future__ import annotations

import os
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120


@contextmanager
def _env(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def rerun_times(db: Path, plan: Path, repeat: int, goal_code: str | None = None) -> dict[str, float]:
    """Median seconds of a rerun of the overview and of a goal page on the store at `db`.

    `plan` is a plan file; the pages find it by id in its directory (IPDATA_PLANS_DIR).
    """
    from streamlit.testing.v1 import AppTest

    out = {}
    with _env(IPDATA_DB=str(db), IPDATA_PLAN=plan.stem, IPDATA_PLANS_DIR=str(plan.parent)):
        for name, page in (("overview", None), ("goal", "pages/goal.py")):
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
            if goal_code:
                at.query_params["code"] = goal_code
            at.run()
            if page:
                at.switch_page(page).run()
            if at.exception or at.error:
                raise RuntimeError(f"{name} page failed: {[e.value for e in [*at.exception, *at.error]]}")
            times = []
            for _ in range(max(1, repeat)):
                start = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - start)
            out[name] = statistics.median(times)
    return out
