"""The brief as one single-column HTML card: the same markup on the page, in the .html file and in
the PNG. Inline CSS, no script, nothing loaded from anywhere; every text escaped (names come from
plan files and uploads and stay text)."""

from __future__ import annotations

from html import escape

from ipdata.attention import NO_UNITS, Attention
from ipdata.demo import DEMO_BANNER
from ipdata.figures import STATUS_COLOURS, VERDICT_COLOURS
from ipdata.outputs.brief.content import Brief

FONTS = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif"
GREY = "#999999"
COLOURS = {**STATUS_COLOURS, **VERDICT_COLOURS}

# Scoped under .ipb so that the card looks the same inside the dashboard and alone; sizes in px so
# that the PNG (laid out at PNG_CSS_WIDTH, 2.25 device pixels each) and a phone read alike. Nothing
# under MIN_FONT_PX: 13 px is 29 px in the PNG, legible on the phone it is sent to. Dense on purpose:
# at 390 x 844 the counts, the last update and the first lagging goals fit on the first screen.
MIN_FONT_PX = 13
CSS = f"""
.ipb{{font-family:{FONTS};color:#1f1f1f;background:#fff;max-width:680px;margin:0 auto;
 padding:10px 14px 10px;box-sizing:border-box;line-height:1.4;font-size:15px;overflow-wrap:anywhere}}
.ipb *{{box-sizing:border-box}}
.ipb-demo{{background:#fff3cd;color:#6b4e00;border:1px solid #e6c96b;border-radius:6px;padding:2px 8px;
 font-size:13px;font-weight:600;margin-bottom:6px}}
.ipb-title{{font-size:18px;font-weight:700;line-height:1.3;margin:0}}
.ipb-stamp{{font-size:13px;color:#555}}
.ipb-figure{{font-size:28px;font-weight:700;margin:6px 0 0;line-height:1.2}}
.ipb-headline{{font-size:14px;margin:4px 0 6px;color:#333}}
.ipb-counts{{display:flex;flex-wrap:wrap;gap:4px;margin:0}}
.ipb-count{{display:inline-flex;align-items:baseline;gap:3px;border:1px solid;border-radius:13px;
 padding:0 5px;white-space:nowrap;font-size:13px;color:#333;line-height:1.6}}
.ipb-count b{{font-size:16px;color:#1f1f1f}}
.ipb h2{{font-size:15px;font-weight:700;margin:9px 0 4px;padding-top:6px;border-top:1px solid #e3e3e3}}
.ipb-goal{{border-left:4px solid;padding:0 0 0 8px;margin:0 0 7px}}
.ipb-name{{font-weight:700;font-size:15px}}
.ipb-pill{{display:inline-block;font-size:13px;font-weight:600;border:1px solid;border-radius:9px;
 padding:0 6px;margin-left:6px;white-space:nowrap;line-height:1.4;vertical-align:1px}}
.ipb-facts{{font-size:14px}}
.ipb-why{{font-size:13px;color:#666}}
.ipb-units{{font-size:13px;color:#333}}
.ipb ul{{margin:0;padding-left:16px}}
.ipb li{{font-size:13px;margin:0 0 2px}}
.ipb-small{{font-size:13px;color:#555;margin:0 0 2px}}
.ipb-none{{font-size:14px;color:#555;margin:0}}
.ipb-foot{{font-size:13px;color:#666;margin-top:8px;padding-top:4px;border-top:1px solid #e3e3e3}}
"""


def _colour(status: str) -> str:
    return COLOURS.get(status, GREY)


def _counts(brief: Brief) -> str:
    """One chip per status, count then label, wrapping in a row or two."""
    cells = "".join(f'<span class="ipb-count" style="border-color:{_colour(s)};background:{_colour(s)}1f">'
                    f'<b>{n}</b>{escape(s)}</span>' for s, n in brief.counts.items())
    return f'<div class="ipb-counts">{cells}</div>'


def _goal(g: Attention) -> str:
    """Three lines: name and status; figures, then the reason in small type; 责任单位 (if the plan
    names any)."""
    colour = _colour(g.status)
    why = f'<span class="ipb-why"> · {escape(g.reason)}</span>' if g.reason and g.reason != g.facts else ""
    return (f'<div class="ipb-goal" style="border-left-color:{colour}">'
            f'<div><span class="ipb-name">{escape(g.name)}</span>'
            f'<span class="ipb-pill" style="border-color:{colour};background:{colour}1f">{escape(g.status)}</span></div>'
            f'<div class="ipb-facts">{escape(g.facts)}{why}</div>'
            f"{_units(g)}</div>")


def _units(g: Attention) -> str:
    """Who answers for it; nothing where the plan lists no key tasks at all (no goal has a unit)."""
    return f'<div class="ipb-units">责任单位：{escape(g.units_text)}</div>' if g.listed else ""


def _more(n: int) -> str:
    return f'<p class="ipb-none">……另有 {n} 项</p>' if n else ""


def _attention(brief: Brief) -> str:
    body = "".join(_goal(g) for g in brief.goals) or f'<p class="ipb-none">{escape(brief.none_text)}</p>'
    if brief.goals and not brief.goals[0].listed:  # said once, not under every goal
        body = f'<p class="ipb-small">{NO_UNITS}</p>{body}'
    return f"<h2>{escape(brief.attention_title)}</h2>{body}{_more(brief.more_goals)}"


def _changes(brief: Brief) -> str:
    if not brief.update_headline:
        return ""
    items = "".join(f"<li>{escape(s)}</li>" for s in brief.changes)
    more = f"<li>……另有 {brief.more_changes} 项</li>" if brief.more_changes else ""
    listed = f"<ul>{items}{more}</ul>" if items else ""
    return f'<h2>最近一次更新</h2><p class="ipb-facts" style="margin:0 0 2px">{escape(brief.update_headline)}</p>{listed}'


def _ranks(brief: Brief) -> str:
    if not brief.ranks:
        return ""
    items = "".join(f"<li>{escape(r)}</li>" for r in brief.ranks)
    return f'<h2>排名目标</h2><p class="ipb-small">名次，单独评价，不计入上面的计数</p><ul>{items}</ul>'


def card_html(brief: Brief) -> str:
    """The card alone (its <style> and one <div>), to put inside a page."""
    demo = f'<div class="ipb-demo">{DEMO_BANNER}</div>' if brief.demo else ""
    figure = f'<div class="ipb-figure">{escape(brief.figure)}</div>' if brief.figure else ""
    foot = " · ".join(p for p in (brief.stamp, "示例数据" if brief.demo else "") if p)
    return (f"<style>{CSS}</style><div class=\"ipb\">{demo}"
            f'<h1 class="ipb-title">{escape(brief.plan_name)} · 简报</h1>'
            f'<div class="ipb-stamp">{escape(brief.stamp)}</div>{figure}'
            f'<p class="ipb-headline">{escape(brief.headline)}</p>{_counts(brief)}'
            f"{_changes(brief)}{_attention(brief)}{_ranks(brief)}"  # the order
            f'<div class="ipb-foot">{escape(foot)}</div></div>')


def brief_html(brief: Brief) -> str:
    """A whole HTML document: the card, readable on a 390 px phone and on a 1080 px screen. Its
    Content-Security-Policy forbids loading anything (it needs nothing but itself)."""
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{escape(brief.plan_name)} · 简报</title>"
            "<style>html,body{margin:0;padding:0;background:#fff}</style></head>"
            f"<body>{card_html(brief)}</body></html>")
