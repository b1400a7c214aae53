"""总览: every goal at a glance — tiles coloured by status, counts, filters; once the plan's target
year has data, the final evaluation (终期评估) instead: 达成 x / y, what was missed and who answers
for it, what is still awaited, ranks apart, no 序时进度."""

import html

import streamlit as st

from ipdata import history, inert
from ipdata.attention import NO_UNITS, Attention, attention
from ipdata.evaluation import Evaluation, evaluate, verdict_table, with_verdicts
from ipdata.figures import (
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    VERDICT_COLOURS,
    VERDICT_SYMBOLS,
    progress_chart,
    status_colour,
    status_symbol,
)
from ipdata.scorecard import filter_goals, scorecard, tiles
from ipdata.trajectory import rank
from ipdata.views import status_table
from pages import components as ui


def render() -> None:
    plan = ui.store().plan
    ui.heading(f"{inert.markdown(plan.name)} · {plan.target_year}年目标总览")
    ui.demo_banner()
    if ui.current_values().empty:
        ui.no_data_notice()
    frame = ui.status()
    final = evaluate(plan, frame)
    if final.final:  # the target year's data are in: the final evaluation instead of progress
        final_view(plan, frame, final)
        return
    card = scorecard(plan, frame)
    st.markdown(f"<div style='font-size:15px;font-weight:600'>{html.escape(card.headline)}</div>",
                unsafe_allow_html=True)
    goals = attention(plan, frame) if card.as_of is not None else None
    needing_attention(goals, "narrow")  # a phone: under the headline, the tiles run four screens down
    left, right = st.columns([3, 2])
    statuses = left.pills(
        "按状态筛选", list(card.counts), selection_mode="multi", key="overview_status", wrap=True,
        format_func=lambda s: f"{STATUS_SYMBOLS.get(s, '')} {s} {card.counts[s]}")
    categories = right.pills("按类别筛选", list(plan.categories), selection_mode="multi", key="overview_cat",
                             wrap=True)
    shown = filter_goals(rank.numeric(frame), statuses, categories)  # a rank is listed apart, below
    ui.tiles(tiles(plan, shown), STATUS_COLOURS, STATUS_SYMBOLS, plan.id)
    needing_attention(goals, "wide")  # a laptop: every tile fits its first screen (1366×768), the list below
    if card.ranks:
        st.markdown("**排名目标**（名次，不计入上面的进度和计数）\n\n" + "\n".join(
            f"- {STATUS_SYMBOLS.get(r.status, '')} {r.status}｜{inert.markdown(r.name)}：{inert.markdown(r.status_reason)}"
            for r in rank.ranks(frame).itertuples()))
    since_last_update()
    st.caption("色块下方进度条：彩色为完成进度，黑色竖线为序时进度。点击任一指标查看趋势。")
    with st.expander("完成进度与序时进度对比图"):
        ui.chart(progress_chart(shown, demo=ui.is_demo()), "overview_progress", "完成进度与序时进度",
                 narrow=progress_chart(shown, demo=ui.is_demo(), narrow=True))
    with st.expander("明细表"):
        ui.table(status_table(plan, shown))



def final_view(plan, frame, ev: Evaluation) -> None:
    """终期评估: the headline figure, the missed goals with gaps and 责任单位, the pending ones,
    the met ones, ranks apart; tiles and the completion chart without 序时进度."""
    st.metric(f"{plan.target_year}年终期评估（有量化目标的指标）", ev.figure)
    st.markdown(f"**{inert.markdown(ev.summary)}**")
    missed = attention(plan, frame)  # ev.missed worded as the brief and the 自评报告 word them
    unlisted = f"{NO_UNITS}\n\n" if missed and not missed[0].listed else ""  # said once, not per goal
    for title, group, note in (("未达成", [(a.status, a.line) for a in missed], unlisted),
                               ("待定", _said(ev.pending), ""), ("达成", _said(ev.met), "")):
        if group:
            st.markdown(f"##### {title}（{len(group)} 项）\n\n{note}" + _lines(group))
    if ev.ranks:
        st.markdown("**排名目标**（名次，单独评价，不计入上面的达成数）\n\n" + _lines(_said(ev.ranks)))
    since_last_update()
    if ev.trends:
        st.caption("无量化目标、不评价达成的指标：" + "；".join(inert.markdown(v.line) for v in ev.trends))
    numeric = rank.numeric(frame)
    ui.tiles(tiles(plan, numeric, final=True), {**STATUS_COLOURS, **VERDICT_COLOURS},
             {**STATUS_SYMBOLS, **VERDICT_SYMBOLS}, plan.id)
    st.caption("色块下方进度条为终期完成进度。点击任一指标查看趋势。")
    with st.expander("终期完成进度图"):
        judged = with_verdicts(plan, numeric)
        ui.chart(progress_chart(judged, final=True, demo=ui.is_demo()), "overview_final", "终期完成进度",
                 narrow=progress_chart(judged, final=True, demo=ui.is_demo(), narrow=True))
    with st.expander("明细表"):
        ui.table(verdict_table((*ev.goals, *ev.ranks)))


ATTENTION_LIMIT = 6  # listed above the tiles: two rows on a laptop; the rest counted (另有 N 项)
ATTENTION_CSS = """<style>
.ip-attn{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:4px 14px;line-height:1.35}
.ip-attn-goal{border-left:4px solid;padding:0 0 0 8px}
.ip-attn-name{font-weight:600;font-size:15px}
.ip-attn-pill{display:inline-block;font-size:13px;font-weight:600;border:1px solid;border-radius:9px;
 padding:0 6px;margin-left:6px;white-space:nowrap;color:#1f1f1f}
.ip-attn-facts{font-size:14px;color:#1f1f1f}
</style>"""


def needing_attention(goals: tuple[Attention, ...] | None, layout: str) -> None:
    """需重点关注: each goal with its status and figures as the brief and the 自评报告 give them
    (ipdata/attention.py), worst first; the reason and the 责任单位 on hover. Sent twice, for a phone
    (`layout` "narrow", above the tiles) and a laptop ("wide", below them): CSS shows one (ui.NARROW_CSS).
    None: no data yet, nothing to say."""
    if goals is None:
        return
    st.html(ui.NARROW_CSS)
    with st.container(key=f"ip-{layout}-attention"):
        if not goals:
            st.markdown("**需重点关注**：没有滞后、倒退或未完成的指标。")
            return
        shown = goals[:ATTENTION_LIMIT]
        more = f"　另有 {len(goals) - len(shown)} 项，见色块" if len(goals) > len(shown) else ""
        st.markdown(f"**需重点关注：滞后、倒退或未完成（{len(goals)} 项，最落后的在前）**{more}")
        st.html(ATTENTION_CSS + '<div class="ip-attn">' + "".join(_attention_html(g) for g in shown) + "</div>")


def _attention_html(g: Attention) -> str:
    colour, esc = status_colour(g.status), html.escape
    hover = "；".join(p for p in (g.reason, f"责任单位：{g.units_text}" if g.listed else "") if p)
    return (f'<div class="ip-attn-goal" style="border-left-color:{colour}" title="{esc(hover)}">'
            f'<span class="ip-attn-name">{esc(g.name)}</span>'
            f'<span class="ip-attn-pill" style="border-color:{colour};background:{colour}1f">'
            f'{esc(status_symbol(g.status))} {esc(g.status)}</span>'
            f'<div class="ip-attn-facts">{esc(g.facts)}</div></div>')


def since_last_update() -> None:
    """自上次更新以来: the goals whose status the last update of the plan's data changed (worse
    first), each with the figures that moved; no names of people or files. The headline is our
    own words; the sentences quote goal and region names, escaped."""
    update = history.last_update(ui.store())
    if update.revision is None:
        return
    shown = update.listed[:history.OVERVIEW_LIMIT]
    lines = [f"- {STATUS_SYMBOLS.get(s.new_status, '')} {inert.markdown(s.sentence)}" for s in shown]
    if len(update.listed) > len(shown):
        lines.append(f"- {inert.markdown(update.sentences(history.OVERVIEW_LIMIT)[-1])}")
    st.markdown("\n".join([f"**{update.headline}**", "", *lines]).strip())


def _said(verdicts) -> list[tuple[str, str]]:
    return [(v.verdict, v.line) for v in verdicts]


def _lines(said: list[tuple[str, str]]) -> str:
    """(verdict, line) pairs as a markdown list, each line after its verdict's symbol."""
    return "\n".join(f"- {status_symbol(verdict)} {inert.markdown(line)}" for verdict, line in said)


ui.guarded(render)
