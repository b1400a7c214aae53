"""Status labels, class labels and thresholds: the vocabulary every page and export shares."""

from __future__ import annotations

from dataclasses import dataclass

# Status of a goal with a numeric target (order of the rules: see figures.status).
DONE = "已完成"
MISSED = "未完成"
NO_DATA = "数据不足"
BACKWARD = "倒退"
AHEAD = "快于预期"
ON_TRACK = "基本符合预期"
BEHIND = "滞后"
# Milestones (建成…): done or not yet done.
BUILT = "已建成"
NOT_BUILT = "未建成"
# Trend-only goals (…明显增长): the direction of change from the base to the latest year.
UP = "增长"
DOWN = "下降"
FLAT = "持平"
# A region (镇/街道) that has no target of its own for this goal is shown, not judged.
NO_TARGET = "无分解目标"
# Rank goals (进入全省第一方阵): the latest rank is inside the plan's band or not (trajectory/rank.py).
MET = "达成"
NOT_MET = "未达成"
# The final evaluation (ipdata/evaluation.py) says 达成 / 未达成 of a goal judged on its target
# year's data, and 待定 while that year's data are missing (a verdict, not an engine status).
PENDING = "待定"

STATUS_LABELS = (
    DONE, MISSED, NO_DATA, BACKWARD, AHEAD, ON_TRACK, BEHIND, BUILT, NOT_BUILT, UP, DOWN, FLAT,
    NO_TARGET, MET, NOT_MET,
)
# Worst to best, for sorting and for the monotonicity property; labels without a rank
# (数据不足, trend directions, 无分解目标) are not a judgement.
STATUS_RANK = {MISSED: 0, NOT_BUILT: 0, NOT_MET: 0, BACKWARD: 1, BEHIND: 2, ON_TRACK: 3, AHEAD: 4, DONE: 5,
               BUILT: 5, MET: 5}

# Eurostat / Open SDG classes.
EU_ACHIEVED = "目标已实现"
EU_SIGNIFICANT = "显著进展"
EU_MODERATE = "适度进展"
EU_INSUFFICIENT = "进展不足"
EU_AWAY = "背离目标"
# Without a quantitative target (trend goals), Eurostat classes the growth rate itself.
EU_SLIGHTLY_AWAY = "轻微背离"
EU_CLEARLY_AWAY = "明显背离"
EU_NO_DATA = "数据不足"
EU_NA = "不适用"

METHOD_CAGR = "复合增长率"
METHOD_LINEAR = "线性增量"
METHOD_NO_TARGET = "无目标增长率"


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs of the status rules and classes; the defaults are those of issue 3."""

    ahead: float = 1.0  # schedule ratio q ≥ this → 快于预期
    on_track: float = 0.9  # on_track ≤ q < ahead → 基本符合预期; 0 ≤ q < on_track → 滞后
    eu_significant: float = 0.95  # Eurostat ratio R ≥ → 显著进展
    eu_moderate: float = 0.6  # 0.6 ≤ R < 0.95 → 适度进展; 0 ≤ R < 0.6 → 进展不足; R < 0 → 背离目标
    eu_no_target: float = 0.01  # trend goals: |CAGR| ≥ 1 %/year is "significant" (Eurostat)
    flat: float = 0.01  # |relative change| below this → 持平
    reach_horizon: int = 5  # look for the year the projection meets the target up to T + this
    band_min_points: int = 4  # 80 % prediction band only from this many points

    @property
    def schedule_bounds(self) -> tuple[float, float]:
        """The schedule ratios at which the status changes (滞后 | 基本符合预期 | 快于预期)."""
        return (self.on_track, self.ahead)


DEFAULT = Thresholds()
