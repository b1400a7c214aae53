"""What the leader's brief says, in this order: counts by status, what changed since the last
update, the goals that need attention with their 责任单位, ranks apart, and where the figures come
from.

Every figure and sentence is the pages' own: the scorecard's counts and headline, the tiles'
rounded values and gaps, the engine's status reasons, the final evaluation's verdicts once the
target year has data, and history.last_update's headline and sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ipdata import history
from ipdata.attention import Attention, attention
from ipdata.evaluation import MET, MISSED, PENDING, Evaluation, evaluate
from ipdata.outputs.inputs import Inputs, as_inputs
from ipdata.scorecard import scorecard
from ipdata.store import Store

GOALS_LIMIT = 8  # goals needing attention listed on one phone screen or so; the rest counted
CHANGES_LIMIT = 3  # status changes since the last update listed, the rest counted


@dataclass(frozen=True)
class Brief:
    plan_id: str
    plan_name: str
    district: str
    target_year: int
    final: bool  # the target year has data: verdicts (达成 x / y) instead of progress statuses
    as_of: int | None  # the latest year with data of a goal with a target
    revision: str  # '第3版（2025-01-10）', '' when nothing is stored
    demo: bool
    figure: str  # '达成 12 / 19' once final, else ''
    headline: str  # the overview's headline (the final evaluation's summary once final)
    counts: dict[str, int] = field(default_factory=dict)  # status (verdict once final) -> goals
    goals: tuple[Attention, ...] = ()  # needing attention, worst first (missed, plan order, once final)
    more_goals: int = 0  # needing attention but not listed
    update_headline: str = ""  # '自上次更新以来（第5版，…）：…'; '' when not known (no store given)
    changes: tuple[str, ...] = ()  # one sentence per status change, worse first
    more_changes: int = 0
    ranks: tuple[str, ...] = ()  # rank goals, said apart: no progress, not counted

    @property
    def attention_title(self) -> str:
        n = len(self.goals) + self.more_goals
        return f"未达成（{n} 项）" if self.final else f"需重点关注：滞后、倒退或未完成（{n} 项）"

    @property
    def none_text(self) -> str:
        """What the attention section says when no goal is in it."""
        return "没有未达成的指标。" if self.final else "没有滞后、倒退或未完成的指标。"

    @property
    def as_of_text(self) -> str:
        return f"数据截至{self.as_of}年" if self.as_of else "尚无数据"

    @property
    def stamp(self) -> str:
        """'数据截至2024年 · 第3版（2025-01-10）'."""
        return " · ".join(p for p in (self.as_of_text, self.revision) if p)


def brief(source: Store | Inputs, *, update: history.Update | None = None) -> Brief:
    """The brief of the district. With a Store, what changed since its last update is read from
    it (history.last_update); with Inputs, only when `update` is given."""
    inputs = as_inputs(source)
    if update is None and isinstance(source, Store):
        update = history.last_update(source)
    plan, frame = inputs.plan, inputs.frame()
    card = scorecard(plan, frame)
    if card.final:
        ev = evaluate(plan, frame)
        counts = {v: n for v in (MET, MISSED, PENDING) if (n := sum(g.verdict == v for g in ev.goals))}
        figure, ranks = ev.figure, _final_ranks(ev)
    else:
        counts, figure, ranks = dict(card.counts), "", card.ranks
    goals = attention(plan, frame)
    changes, more = _changes(update)
    return Brief(
        plan_id=plan.id, plan_name=plan.name, district=plan.district, target_year=plan.target_year,
        final=card.final, as_of=card.as_of, revision=inputs.revision, demo=inputs.demo, figure=figure,
        headline=card.headline, counts=counts, goals=tuple(goals[:GOALS_LIMIT]),
        more_goals=max(0, len(goals) - GOALS_LIMIT),
        update_headline=update.headline if update is not None else "", changes=changes, more_changes=more,
        ranks=tuple(ranks))


def _final_ranks(ev: Evaluation) -> list[str]:
    """Rank goals once final: each its verdict's line (名次, not in 达成 x / y)."""
    return [f"{v.verdict}｜{v.line}" for v in ev.ranks]


def _changes(update: history.Update | None) -> tuple[tuple[str, ...], int]:
    """The status changes the overview lists (worse first), CHANGES_LIMIT of them, and how many
    more there are."""
    if update is None:
        return (), 0
    listed = update.listed
    return tuple(s.sentence for s in listed[:CHANGES_LIMIT]), max(0, len(listed) - CHANGES_LIMIT)
