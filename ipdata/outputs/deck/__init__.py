"""A PowerPoint deck (16:9) for 汇报材料, with native editable charts. Plain package: no Streamlit.

    build_deck(store_or_inputs, goals=None, categories=None, regions=None) -> bytes (.pptx)

Slides: a title (plan, 数据截至, 示例数据 when demo, date generated); an overview table of the
chosen goals (status cells coloured); one slide per goal with a native line chart (实际值, 目标,
达标所需路径; data embedded, so it can be edited in PowerPoint or WPS), the status, the narrative,
the notes statisticians wrote on the goal (ipdata/notes.py) and the source as a footnote; for
each chosen region its table and a slide per goal it has data for. Once the plan's target year
has data, the final evaluation instead: 达成 x / y, verdicts as statuses, the missed goals with
their 责任单位, no 序时进度 (slides.py). Every text run carries an East Asian face (see fonts.py).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from pptx import Presentation

from ipdata.outputs.deck.fonts import east_asian
from ipdata.outputs.deck.slides import (
    HEIGHT,
    WIDTH,
    goal_slide,
    overview_slides,
    region_slides,
    title_slide,
)
from ipdata.outputs.inputs import Inputs, as_inputs, check_regions, revision_label, select_goals
from ipdata.store import Store
from ipdata.views import beijing_today

__all__ = ["Inputs", "build_deck", "check_regions", "revision_label", "select_goals"]


def build_deck(store_or_inputs: Store | Inputs, goals: Iterable[str] | None = None,
               categories: Iterable[str] | None = None, regions: Iterable[str] | None = None,
               *, today: dt.date | None = None) -> bytes:
    """The deck for the chosen goals (codes) and categories (nothing chosen = every goal) and
    regions (each must have data); IpdataError for an unknown code, category or region."""
    inputs = as_inputs(store_or_inputs)
    chosen = select_goals(inputs.plan, goals, categories)
    places = check_regions(inputs, regions)
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    title_slide(prs, inputs, today or beijing_today())
    overview_slides(prs, inputs, chosen)
    for goal in chosen:
        goal_slide(prs, inputs, goal)
    for region in places:
        region_slides(prs, inputs, chosen, region)
    east_asian(prs)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
