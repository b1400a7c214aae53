"""The leader's brief (领导简报): one screen on a phone, and a 1080-px-wide PNG of it to send on.

    brief(store_or_inputs) -> Brief     what it says: counts by status (verdicts once the target
                                        year has data, 达成 x / y), what changed since the last
                                        update, the goals lagging (missed) with their 责任单位,
                                        ranks apart, 数据截至, revision, 示例数据
    card_html(brief) / brief_html(brief) -> str
                                        the single-column card; a whole self-contained document
    brief_png(brief) -> bytes           that document as a PNG, 1080 px wide, full height

Figures and sentences are the pages' own (scorecard, evaluation, history; rounded by
ipdata/rounding.py); the PNG is made by the charts' chromium (ipdata/outputs/render.py).
"""

from ipdata.outputs.brief.content import CHANGES_LIMIT, GOALS_LIMIT, Brief, brief
from ipdata.outputs.brief.page import brief_html, card_html
from ipdata.outputs.brief.png import PNG_WIDTH, brief_png

__all__ = ["CHANGES_LIMIT", "GOALS_LIMIT", "PNG_WIDTH", "Brief", "brief", "brief_html",
           "brief_png", "card_html"]
