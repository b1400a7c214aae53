"""Chinese text from the figures: the status reason, notes on the data, and one sentence per goal
for 汇报材料. Every number in them is rounded by ipdata.rounding (the goal's decimals, half up,
never on the wrong side of the target), so a sentence and the page beside it print the same figure."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ipdata import rounding as R
from ipdata.catalogue import COMPARATOR_LABELS
from ipdata.trajectory import labels as L
from ipdata.trajectory.figures import satisfies
from ipdata.trajectory.labels import Thresholds


def target_text(comparator: str | None, target: float, unit: str, kind: str) -> str:
    if kind == "milestone":
        return "建成"
    return f"{COMPARATOR_LABELS.get(comparator or '>=', '≥')}{R.target_number(target)}{unit}"


def _nan(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def texts(df: pd.DataFrame, th: Thresholds) -> tuple[list[str], list[str], list[str]]:
    """(status_reason, notes, narrative) for every row of the figures frame."""
    reasons, notes, sentences = [], [], []
    cols = list(df.columns)
    # Column lists zipped into dicts: several times faster than DataFrame.to_dict("records").
    for vals in zip(*(df[c].tolist() for c in cols), strict=True):
        r = dict(zip(cols, vals, strict=True))
        r["rule"] = R.rule_of(r)
        r["status_reason"] = _reason(r, th)  # the sentence quotes it
        reasons.append(r["status_reason"])
        notes.append("；".join(_notes(r, th)))
        sentences.append(_sentence(r, th))
    return reasons, notes, sentences


def _v(r: dict, key: str) -> str:
    """A figure of the goal with its unit, as rounded for every page: '14.9件'."""
    return r["rule"].value(r[key], r["unit"])


def _value_phrase(r: dict) -> str:
    if r["kind"] == "cumulative":
        return f"{r['plan_base_year'] + 1}年以来累计{_v(r, 'latest_value')}"
    return f"为{_v(r, 'latest_value')}"


def _who(r: dict) -> str:
    return r["name"] if r["is_district"] else f"{r['region']}{r['name']}"


def _higher(r: dict) -> bool:
    return r["comparator"] in (">=", ">")


def _strict_word(r: dict) -> str:
    """What a strict target asks beyond its value: 超过 (>) or 低于 (<)."""
    return "超过" if r["comparator"] == ">" else "低于"


def _pct_of_target(r: dict) -> str:
    """'，为目标的98.9%' for a goal to be reached from below; '' for a lower-is-better goal (at
    120 % of a ceiling it has missed, "为目标的120%" reads as success) or a target of 0."""
    pct = r["final_pct_of_target"]
    if not _higher(r) or _nan(pct) or _nan(r["target"]) or r["target"] <= 0:
        return ""
    met = r["status"] == L.DONE
    return f"，为目标的{R.percent(pct / 100, bounds=() if met else (1.0,))}"


def _completion(r: dict, th: Thresholds) -> str:
    """The completion as every page prints it: on the side of each status bound it is on."""
    return R.completion(r["completion"], r["time_elapsed"], th.schedule_bounds)


def _reason(r: dict, th: Thresholds) -> str:
    st = r["status"]
    if st == L.NO_TARGET:
        share = f"和占{r['district']}比重" if r["additive"] else ""
        return f"该地区没有分解目标，只显示数值、趋势{share}，不评价进度"
    if st == L.NO_DATA:
        if r["target_pending"]:
            return (f"缺少{r['plan_base_year']}年（基期）的数值，无法按{r['target_rule']}推算"
                    f"{r['target_year']}年目标")
        if r["incomplete"]:
            if r["latest_year"] >= r["target_year"]:
                return f"缺少{r['gap_years']}年的新增数，无法判断是否完成"
            return f"缺少{r['gap_years']}年的新增数，累计数不完整，无法计算进度"
        if r["kind"] == "cumulative" and not r["has_data"]:
            return f"还没有{r['plan_base_year'] + 1}年以来的新增数据"
        if not r["has_data"]:
            return f"{r['plan_base_year']}—{r['target_year']}年间没有数据"
        if r["stated_base"] and r["n_points"] == 1:  # the plan's base is the only point
            return (f"只有规划基期值（{r['plan_base_year']}年{_v(r, 'base_value')}），"
                    f"还没有{r['plan_base_year'] + 1}年以来的数据")
        return f"只有{r['latest_year']}年一个数据点，无法计算进度"
    tt = r["target_text"]
    if st == L.BUILT:
        return f"{int(r['reach_year'])}年已建成"
    if st == L.NOT_BUILT:
        return f"截至{r['latest_year']}年尚未建成"
    if st == L.MISSED and r["kind"] == "milestone":
        return f"至{r['target_year']}年未建成"
    if r["kind"] == "trend":
        return _trend_phrase(r, th)
    latest = _v(r, "latest_value")
    if st == L.DONE:
        return f"{r['latest_year']}年值{latest}已达到目标{tt}"
    if st == L.MISSED:
        return f"{r['latest_year']}年值{latest}未达到目标{tt}"
    if r["met_at_base"]:
        return (f"{r['base_year']}年基期值{_v(r, 'base_value')}已达到目标，"
                f"但{r['latest_year']}年值{latest}不满足目标{tt}")
    if r["on_target"]:
        return (f"{r['base_year']}年基期值{_v(r, 'base_value')}恰为目标值，目标要求{_strict_word(r)}该值；"
                f"{r['latest_year']}年值{latest}尚未{_strict_word(r)}")
    c, s = _completion(r, th), R.percent(r["time_elapsed"])
    if st == L.BACKWARD:
        return (f"完成进度{c}为负：{r['latest_year']}年值{latest}比{r['base_year']}年基期值"
                f"{_v(r, 'base_value')}更远离目标")
    q = R.classed(r["schedule_ratio"], th.schedule_bounds)
    ahead, on_track = R.target_number(th.ahead), R.target_number(th.on_track)
    rule = {L.AHEAD: f"≥{ahead}", L.ON_TRACK: f"在{on_track}与{ahead}之间", L.BEHIND: f"低于{on_track}"}[st]
    return f"完成进度{c} ÷ 序时进度{s} = {q}，{rule}"


def _trend_phrase(r: dict, th: Thresholds) -> str:
    """'比2021年增长30%' (or 持平 / an absolute change where the base is 0)."""
    base, latest = r["base_value"], r["latest_value"]
    if r["status"] == L.FLAT:
        return f"与{r['base_year']}年基本持平（变化不到±{R.percent(th.flat)}）"
    word = "增长" if latest > base else "下降"
    if base == 0:
        return f"比{r['base_year']}年{word}{r['rule'].value(abs(latest - base), r['unit'])}"
    return f"比{r['base_year']}年{word}{R.percent(abs(latest - base) / abs(base), bounds=(th.flat,))}"


def _notes(r: dict, th: Thresholds) -> list[str]:
    out = []
    if (r["has_data"] and r["base_year"] > r["plan_base_year"] and r["kind"] in ("level", "trend")
            and not r["target_pending"]):  # the reason says the base-year value is missing
        out.append(f"{r['plan_base_year']}年基期值缺失，以{r['base_year']}年为基期")
    if r["stated_base"] and not _nan(r["uploaded_base"]):
        stated, uploaded = _v(r, "base_value"), r["rule"].value(r["uploaded_base"], r["unit"])
        if stated != uploaded:
            out.append(f"规划基期值{stated}，上传的{r['plan_base_year']}年值为{uploaded}，按规划基期值计算")
    if r["incomplete"]:
        out.append(f"{r['gap_years']}年缺新增数，{r['plan_base_year'] + 1}年以来的累计数未知，补报后再评价")
    elif r["gap_years"]:
        out.append(f"{r['gap_years']}年缺数据")
    if r["after_target"]:
        out.append(f"{r['target_year']}年以后的数据不计入本规划评价" if r["target_year"] == r["plan_target_year"]
                   else f"{r['target_year']}年以后的数据不计入该指标评价（目标年为{r['target_year']}年）")
    out += _interim_notes(r)
    if r["incomplete"]:
        return out
    if r["met_at_base"]:
        out.append("基期已达到目标，完成进度和欧盟方法不适用")
    if r["on_target"]:
        out.append(f"基期值恰为目标值（目标要求{_strict_word(r)}该值），完成进度和欧盟方法不适用")
    if r["kind"] == "milestone":
        return out
    open_ = r["has_data"] and r["latest_year"] < r["target_year"]
    n = r["n_points"]
    # a projection clipped to what can happen says so (docs/method.md §6)
    if open_ and r.get("clipped_high"):
        out.append("预测（或其区间）超过100%的部分按100%截断")
    if open_ and r.get("clipped_low"):
        out.append("预测（或其区间）低于已达到的累计数的部分按已达到的累计数截断" if r["kind"] == "cumulative"
                   else "预测（或其区间）低于0的部分按0截断")
    if open_ and n == 2:
        out.append("只有两个数据点，预测为两点连线，不给预测区间")
    elif open_ and n < th.band_min_points and n >= 2:
        out.append(f"数据点少于{th.band_min_points}个，不给预测区间")
    if (open_ and n >= 2 and r["has_target"] and r["kind"] != "trend" and r["status"] != L.DONE
            and _nan(r["reach_year"])):
        out.append(f"按当前趋势，{r['target_year'] + th.reach_horizon}年前达不到目标")
    return out


def _interim_notes(r: dict) -> list[str]:
    """'2027年阶段目标≥12件：实际12.4件，已达到' for each interim target whose year has come."""
    out = []
    for year, target, value in r["interim_checks"]:
        goal = f"{year}年阶段目标{target_text(r['comparator'], target, r['unit'], r['kind'])}"
        if _nan(value):
            out.append(f"{goal}：缺{year}年数据")
            continue
        rule = R.Rule(int(r["decimals"]), target, r["comparator"])
        shown = rule.value(value, r["unit"])
        met = bool(satisfies(np.array([value]), np.array([target]), np.array([r["comparator"]]))[0])
        out.append(f"{goal}：实际{shown}，已达到" if met
                   else f"{goal}：实际{shown}，未达到（{R.shortfall(rule, value, r['unit'])}）")
    return out


def _shortfall(r: dict, key: str) -> str:
    """'差0.4件' / '差1.0个百分点' / '恰为目标值，尚未超过' for a figure that misses the target."""
    return R.shortfall(r["rule"], r[key], r["unit"])


def _sentence(r: dict, th: Thresholds) -> str:
    st, who = r["status"], _who(r)
    head = f"截至{r['latest_year']}年，{who}"
    if st == L.NO_DATA:
        return f"{who}数据不足：{r['status_reason']}。"
    if st == L.BUILT:
        return f"{who}：已于{int(r['reach_year'])}年建成。"
    if st == L.NOT_BUILT:
        return f"{who}：截至{r['latest_year']}年尚未建成。"
    if st == L.MISSED and r["kind"] == "milestone":
        return f"{who}：截至{r['target_year']}年未建成，目标未完成。"
    if r["kind"] == "trend":
        g = r["growth_rate"]
        rate = "" if _nan(g) or st == L.FLAT else f"，年均{'增长' if g >= 0 else '下降'}{R.percent(abs(g))}"
        return f"{head}为{_v(r, 'latest_value')}，{r['status_reason']}{rate}。"
    if st == L.NO_TARGET and not r["has_data"]:
        return f"{who}暂无数据；该地区没有分解目标，不评价进度。"
    vp = _value_phrase(r)
    if st == L.NO_TARGET:
        share = "" if _nan(r["share_of_district"]) else f"，占{r['district']}的{R.percent(r['share_of_district'])}"
        return f"{head}{vp}{share}；该地区没有分解目标，不评价进度。"
    tt = r["target_text"]
    if st == L.DONE:
        if r["latest_year"] < r["target_year"]:
            return f"{head}{vp}，已提前实现目标（{tt}）。"
        return f"{head}{vp}，已完成目标（{tt}）{_pct_of_target(r)}。"
    short = _shortfall(r, "latest_value")
    if st == L.MISSED:
        pct = _pct_of_target(r) if r["rule"].gap(r["latest_value"]) != 0 else ""
        return f"{head}{vp}，未完成目标（{tt}），{short}{pct}。"
    if r["met_at_base"]:
        return f"{head}{vp}，{r['base_year']}年基期已达到目标，目前不满足目标（{tt}），{short}，{st}。"
    if r["on_target"]:
        out = (f"{head}{vp}，{r['base_year']}年基期值{_v(r, 'base_value')}恰为目标值，"
               f"尚未{_strict_word(r)}目标（{tt}），{st}")
    elif r["rule"].gap(r["latest_value"]) == 0:  # a strict target equalled: not reached
        out = f"{head}{vp}，{short}目标（{tt}），序时进度{R.percent(r['time_elapsed'])}，{st}"
    else:
        out = (f"{head}{vp}，完成目标进度的{_completion(r, th)}，序时进度{R.percent(r['time_elapsed'])}，"
               f"{st}")
    if _nan(r["projected"]):
        return out + "。"
    out += f"；按{r['base_year']}年以来趋势，预计{r['target_year']}年达到{_v(r, 'projected')}，"
    if r["projected_meets"]:
        return out + "可实现目标。"
    gap = r["rule"].gap(r["projected"])
    if gap == 0:
        return out + f"恰为目标值，尚未{_strict_word(r)}目标。"
    return out + f"距目标尚差{R.plain(gap)}{R.unit_of_difference(r['unit'])}。"
