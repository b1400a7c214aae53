"""The overview's scorecard: counts by status, the final verdict once target-year data arrive
(its sentence and count from ipdata/evaluation.py), the goals that lag, and one tile per goal.
Computed from the trajectory frame (one row per goal)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from urllib.parse import quote

import pandas as pd

from ipdata import evaluation as E
from ipdata import rounding as R
from ipdata.catalogue import Goal, Plan
from ipdata.trajectory import labels as L
from ipdata.trajectory import rank

# Display order: best first, then the ones needing attention, then no judgement.
STATUS_ORDER = (L.DONE, L.BUILT, L.AHEAD, L.ON_TRACK, L.BEHIND, L.BACKWARD, L.MISSED, L.NOT_BUILT,
                L.NO_DATA, L.UP, L.FLAT, L.DOWN, L.NO_TARGET)
ACHIEVED = (L.DONE, L.BUILT)
LAGGING = (L.BEHIND, L.BACKWARD, L.MISSED, L.NOT_BUILT)


@dataclass(frozen=True)
class Scorecard:
    as_of: int | None  # latest year with data for any judged goal
    target_year: int
    final: bool  # target-year data have arrived: the verdict is final
    judged: int  # goals with a target or milestone (trend goals are not judged)
    achieved: int
    counts: dict[str, int] = field(default_factory=dict)
    lagging: tuple[str, ...] = ()  # goal names, worst first
    headline: str = ""
    # Rank goals (进入全省第一方阵) are no numeric progress: not in the counts above, each said
    # in its own sentence, to be listed apart (trajectory/rank.py).
    ranks: tuple[str, ...] = ()


def scorecard(plan: Plan, frame: pd.DataFrame) -> Scorecard:
    """Counts, verdict and lagging goals over the numeric goals; rank goals said apart (`ranks`)."""
    ranks = tuple(rank.ranks(frame).get("narrative", ()))
    card = _numeric_scorecard(plan, rank.numeric(frame))
    return replace(card, ranks=ranks)


def _numeric_scorecard(plan: Plan, frame: pd.DataFrame) -> Scorecard:
    judged = frame[frame["kind"] != "trend"]
    counts = {s: int((frame["status"] == s).sum()) for s in STATUS_ORDER if (frame["status"] == s).any()}
    as_of = E.latest_year(frame)
    final = E.is_final(plan, frame)
    # Once final, 达成 is judged on target-year data only (a goal met in an earlier year is 待定).
    achieved = (E.evaluate(plan, judged).achieved if final
                else int(judged["status"].isin(ACHIEVED).sum()))
    lag = judged[judged["status"].isin(LAGGING)].assign(
        _rank=lambda d: d["status"].map(L.STATUS_RANK), _q=lambda d: d["schedule_ratio"].fillna(-1e9))
    lagging = tuple(lag.sort_values(["_rank", "_q"])["name"])
    return Scorecard(as_of, plan.target_year, final, len(judged), achieved, counts, lagging,
                     _headline(plan, len(judged), achieved, as_of, final, judged))


def _headline(plan: Plan, judged: int, achieved: int, as_of: int | None,
              final: bool, frame: pd.DataFrame) -> str:
    if as_of is None:
        return f"尚无数据：{judged} 项有目标的指标等待上传数据。"
    if final:  # the final evaluation's own sentence: 达成 / 未达成 / 待定 on target-year data
        return E.evaluate(plan, frame).summary
    # Counted over the judged goals only, so that the parts add up to `judged` (a trend goal
    # without data is 数据不足 too, but not one of the goals with a target).
    mine = frame["status"].value_counts()
    parts = "，".join(f"{s} {int(mine[s])} 项" for s in STATUS_ORDER
                     if s in mine.index and s not in (L.UP, L.FLAT, L.DOWN, L.NO_TARGET))
    elapsed = (as_of - plan.base_year) / (plan.target_year - plan.base_year)
    return (f"截至{as_of}年（序时进度{R.percent(elapsed)}），{judged} 项有目标的指标中：{parts}。"
            f"{plan.target_year}年数据尚未上传，终期结论待定。")


def filter_goals(frame: pd.DataFrame, statuses=None, categories=None) -> pd.DataFrame:
    """Rows whose status and category are among those chosen (nothing chosen = all)."""
    mask = pd.Series(True, index=frame.index)
    if statuses:
        mask &= frame["status"].isin(list(statuses))
    if categories:
        mask &= frame["category"].isin(list(categories))
    return frame[mask]


def _gap_text(row: pd.Series, goal: Goal) -> str:
    """How far from the target, in the figures the tile shows: 差3.1件 / 超出1.4亿元 / 差1.0个百分点;
    empty where there is no number to give."""
    if goal.kind in ("trend", "milestone") or pd.isna(row.get("gap")) or pd.isna(row.get("latest_value")):
        return ""
    rule = R.rule_of(row, goal)
    if row["status"] in ACHIEVED:
        return R.excess(rule, row["latest_value"], goal.unit)
    return R.shortfall(rule, row["latest_value"], goal.unit)


def _final_gap(v: E.Verdict) -> str:
    """A final tile's small text: the gap on target-year data, or that the data are awaited."""
    if v.gap_text or v.verdict != E.PENDING:
        return v.gap_text
    return f"{v.due}年数据尚未上传" if v.pending in (E.EARLIER, E.AWAITED) else "数据不全"


def _bar(x: object) -> float | None:
    """A bar length in percent, clipped to 0..100 (geometry, not a figure anyone reads)."""
    return None if R.is_missing(x) else max(0.0, min(100.0, float(x) * 100))


def tiles(plan: Plan, frame: pd.DataFrame, final: bool = False) -> pd.DataFrame:
    """One tile per goal: texts to show and the bar lengths (percent, clipped to 0..100). `final`
    (the final evaluation): each goal with a target shows its verdict (达成 / 未达成 / 待定) and its
    gap on target-year data, and no 序时进度 marker."""
    rows = []
    for _, r in frame.iterrows():
        goal = plan.goal(r["code"])
        verdict = E.verdict_of(plan, r) if final and goal.kind != "trend" else None
        if pd.isna(r["latest_value"]):
            # data, but no total to show (a cumulative goal missing a year's increment)
            value = "暂无数据" if pd.isna(r["latest_year"]) else "数据不全"
        elif goal.is_rank:
            value = f"第{int(r['latest_value'])}名"
        elif goal.kind == "milestone":
            value = f"{int(r['reach_year'])}年建成" if r["status"] == L.BUILT and not pd.isna(r["reach_year"]) else "尚未建成"
        else:
            value = R.rule_of(r, goal).value(r["latest_value"], goal.unit)
        target = r.get("target_text")
        rows.append({
            "code": goal.code, "name": goal.name, "category": goal.category,
            "status": r["status"] if verdict is None else verdict.verdict,
            "nature": goal.nature or "",
            "value_text": value,
            "target_text": target if isinstance(target, str) and target else goal.target_text(),
            "year_text": "" if pd.isna(r["latest_year"]) or pd.isna(r["latest_value"]) else f"{int(r['latest_year'])}年",
            "gap_text": _gap_text(r, goal) if verdict is None else _final_gap(verdict),
            "completion_pct": _bar(r["completion"]),
            "elapsed_pct": None if final else _bar(r["time_elapsed"]),
        })
    return pd.DataFrame(rows)


def tile_html(tile: object, colours: dict[str, str], symbols: dict[str, str]) -> str:
    """One tile's face (a div.ip-tile: status badge, category, name, value, target, progress bar),
    every text escaped: names come from the plan file, but nothing is ever rendered as HTML
    unescaped. The page lays a link to the goal over it (pages/components.tiles)."""
    esc = html.escape
    colour = colours.get(tile.status, "#999999")
    bar = ""
    if not R.is_missing(tile.completion_pct):
        marker = "" if R.is_missing(tile.elapsed_pct) else f'<i style="left:{R.number(tile.elapsed_pct, 0)}%"></i>'
        bar = (f'<div class="ip-bar"><b style="width:{R.number(tile.completion_pct, 0)}%;'
               f'background:{colour}"></b>{marker}</div>')
    return (f'<div class="ip-tile" style="border-left-color:{colour}">'
            f'<span class="ip-badge" style="background:{colour}">{esc(symbols.get(tile.status, ""))} {esc(tile.status)}</span>'
            f'{_nature_tag(tile)}'
            f'<span class="ip-cat">{esc(tile.category)}</span>'
            f'<div class="ip-name">{esc(tile.name)}</div>'
            f'<div class="ip-val">{esc(tile.value_text)} <small>{esc(tile.year_text)}</small></div>'
            f'<div class="ip-tgt">目标 {esc(tile.target_text)} <small>{esc(tile.gap_text)}</small></div>{bar}</div>')


def tile_label(tile: object) -> str:
    """What a tile says, in one line: the name of its link for a screen reader."""
    value = f"{tile.value_text} {tile.year_text}".strip()
    gap = f"，{tile.gap_text}" if tile.gap_text else ""
    return f"{tile.name}：{tile.status}，{value}，目标 {tile.target_text}{gap}"


def tiles_html(tiles: pd.DataFrame, colours: dict[str, str], symbols: dict[str, str], link: str = "goal",
               plan_id: str | None = None) -> str:
    """The tiles as one static HTML grid, each a link to its goal page (`link`?code=…&plan=…): for
    HTML outside the app. A link followed opens a new session, so the pages lay in-app links
    over tile_html instead (pages/components.tiles)."""
    plan_query = f"&plan={quote(plan_id)}" if plan_id else ""
    cards = [f'<a class="ip-link" href="{html.escape(link)}?code={html.escape(quote(t.code))}'
             f'{html.escape(plan_query)}" target="_self">{tile_html(t, colours, symbols)}</a>'
             for t in tiles.itertuples()]
    return f"<style>{TILE_CSS}</style><div class='ip-grid'>{''.join(cards)}</div>"


def _nature_tag(tile: object) -> str:
    """约束性/预期性 beside the status badge, where the plan says it."""
    nature = getattr(tile, "nature", "")
    return f'<span class="ip-nat">{html.escape(nature)}</span>' if isinstance(nature, str) and nature else ""


TILE_CSS = """
.ip-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(158px,1fr));gap:6px}
.ip-link{display:block;text-decoration:none!important}
.ip-tile{display:block;border:1px solid #e3e3e3;border-left:6px solid;border-radius:6px;padding:5px 8px;
 text-decoration:none!important;color:#222!important;background:#fff;min-height:84px;height:100%;box-sizing:border-box}
.ip-tile:hover,.ip-link:hover .ip-tile{box-shadow:0 1px 6px rgba(0,0,0,.18)}
.ip-badge{color:#fff;font-size:12px;padding:1px 6px;border-radius:9px;font-weight:600}
.ip-cat{float:right;font-size:12px;color:#666}
.ip-nat{font-size:11px;color:#444;border:1px solid #bbb;border-radius:9px;padding:0 5px;margin-left:3px}
.ip-name{font-size:13px;font-weight:600;margin:2px 0 0;line-height:1.25}
.ip-val{font-size:15px}.ip-val small,.ip-tgt small{color:#555}
.ip-tgt{font-size:12px;color:#444}
.ip-bar{position:relative;height:6px;background:#eee;border-radius:3px;margin-top:4px}
.ip-bar b{position:absolute;left:0;top:0;bottom:0;border-radius:3px}
.ip-bar i{position:absolute;top:-3px;bottom:-3px;width:2px;background:#222}
"""
