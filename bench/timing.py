"""Median of repeated runs, with a fresh setup before each run that is not timed."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any


def median_time(run: Callable[[Any], Any], repeat: int, setup: Callable[[], Any] | None = None) -> float:
    """Median wall time in seconds of `run(setup())` over `repeat` runs (setup not timed)."""
    times = []
    for _ in range(max(1, repeat)):
        arg = setup() if setup else None
        gc.collect()
        start = time.perf_counter()
        run(arg)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
