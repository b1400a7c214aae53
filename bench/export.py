"""Deck and PNG export, measured only when the export engineer's modules exist
(`ipdata.deck.build_deck`, `ipdata.render.to_png`); otherwise the reason is reported."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def deck_and_png(store, repeat: int) -> dict[str, float | str]:
    """{"deck": seconds | reason, "png": seconds | reason} on the store's data."""
    out: dict[str, float | str] = {}
    codes = [g.code for g in store.plan.goals][:20]
    try:
        from ipdata.deck import build_deck
    except ImportError as exc:
        out["deck"] = f"not available ({exc})"
    else:
        try:
            out["deck"] = _median(lambda: build_deck(store, goals=codes), repeat)
        except Exception as exc:  # an API still being built: say so rather than fail the bench
            out["deck"] = f"not available ({type(exc).__name__}: {exc})"
    try:
        from ipdata.figures import goal_chart
        from ipdata.render import stop, to_png
    except ImportError as exc:
        out["png"] = f"not available ({exc})"
    else:
        try:
            from ipdata.trajectory import compute

            values = store.values()
            row = compute(store.plan, values, store.targets()).set_index("code").loc[codes[0]]
            fig = goal_chart(store.plan, codes[0], values, row)
            to_png(fig)  # warm the renderer (starts the browser once)
            out["png"] = _median(lambda: to_png(fig), repeat)
            stop()
        except Exception as exc:
            out["png"] = f"not available ({type(exc).__name__}: {exc})"
    return out
