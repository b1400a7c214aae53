"""Deck, PNG and report export, measured only when the export engineer's modules exist
(`ipdata.outputs.deck.build_deck`, `ipdata.outputs.render.to_png`, `ipdata.outputs.report.build_report`);
otherwise the reason is reported."""

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
        from ipdata.outputs.deck import build_deck
    except ImportError as exc:
        out["deck"] = f"not available ({exc})"
    else:
        try:
            out["deck"] = _median(lambda: build_deck(store, goals=codes), repeat)
        except Exception as exc:  # an API still being built: say so rather than fail the bench
            out["deck"] = f"not available ({type(exc).__name__}: {exc})"
    try:
        from ipdata.figures import goal_chart
        from ipdata.outputs.render import stop, to_png
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


REPORT_REPEAT = 3  # one report takes seconds: three runs give a median without doubling the bench


def report(store, repeat: int) -> dict[str, float | str | None]:
    """{"report": seconds | reason, "charts": seconds | None}: the whole 自评报告 with its charts
    (the renderer warm, its chart cache emptied before each run, so every chart is rendered), and
    the baseline: the same charts rendered to PNG one after another and nothing else, the least
    any report with these pictures could take in this run."""
    try:
        from ipdata.figures import goal_chart
        from ipdata.outputs.deck import Inputs
        from ipdata.outputs.render import stop, to_png
        from ipdata.outputs.report import build_report, clear_cache
    except ImportError as exc:
        return {"report": f"not available ({exc})", "charts": None}
    runs = min(max(1, repeat), REPORT_REPEAT)
    try:
        inputs = Inputs.from_store(store)
        frame = inputs.frame().set_index("code")
        figs = [goal_chart(store.plan, g.code, inputs.values, frame.loc[g.code], demo=inputs.demo,
                           notes=inputs.notes_of(g.code))
                for g in store.plan.goals if not frame.loc[g.code].isna()["latest_value"]]
        to_png(figs[0])  # warm the renderer (starts the browser once)
        charts = _median(lambda: [to_png(f) for f in figs], runs)

        def once() -> None:
            clear_cache()
            build_report(store)

        ours = _median(once, runs)
        stop()
        return {"report": ours, "charts": charts}
    except Exception as exc:
        return {"report": f"not available ({type(exc).__name__}: {exc})", "charts": None}
