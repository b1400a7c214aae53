"""Every figure a person reads is rounded here, once, by one rule (docs/method.md §8).

    default_decimals(unit, is_count)  the decimals of a unit when the plan does not say (DEFAULTS)
    Rule(decimals, target, comparator) one goal's rule: .round(x), .text(x), .value(x, unit),
                                       .gap(x) (target − the figure as shown), .as_float(x)
    rule_of(row, goal)                the rule of a row of the trajectory frame (or of the goal)
    percent(fraction)                 0.684 → "68.4%", 0.75 → "75%"
    completion(c, elapsed, ratios)    a completion that agrees with its status (never 100 % when not
                                      done; 44.99 %, not 45 %, when c ÷ 序时进度 is below 0.9)
    classed(x, bounds)                a ratio with enough decimals to stay on its side of each bound
    shortfall(rule, x, unit) / excess(rule, x, unit)   "差0.4件" / "超出1.4亿元"
    target_number(x)                  a target as the plan writes it: 18, 8.6, 0.75

Rounding is half up (四舍五入: 2.5 → 3, 0.25 → 0.3), never Python's round-half-even, on the
figure as a person would type it: float noise (1.1499999999999999) is cleaned at 12 significant
digits first. A figure that would look as if it met its target when it does not (69.6 against
≥70 shown as 70), or missed it when it meets it, is shown with as many more decimals as it
takes to tell the truth (69.6件). Pages, tiles, tables, chart labels, chart data, the deck and
the sentences all call this module; none formats a number itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from typing import Any

# A figure never gets more decimals than this, however close it is to its target.
MAX_DECIMALS = 10
SIGNIFICANT = 12  # float noise lives beyond ~15 digits; 12 keeps every digit a person typed
# Decimals per unit where the plan file gives no `decimals` for a goal (docs/method.md §8).
COUNT_DECIMALS = 0  # 件 个 家 人 人次 次 项 户, when the goal is a count (not a per-10,000 ratio)
DEFAULTS = {"%": 1, "亿元": 2, "万元": 1}
OTHER_DECIMALS = 1  # per-10,000 ratios, 万人 and any other unit
PERCENT_DECIMALS = 1  # completion, 序时进度, shares, growth rates: 68.4%, 75%
RATIO_DECIMALS = 2  # the schedule ratio q and the Eurostat ratio R: 0.91
MISSING = "—"
POINTS = "个百分点"  # a difference of two percentages
# Relative tolerance of every comparison with a target or a threshold (as trajectory.figures).
TOLERANCE = 1e-9


def default_decimals(unit: str, is_count: bool) -> int:
    """Decimals of a goal whose plan entry has no `decimals`."""
    if is_count:
        return COUNT_DECIMALS
    return DEFAULTS.get(unit, OTHER_DECIMALS)


def is_missing(x: Any) -> bool:
    """Nothing to show: None, NaN, ±inf, pd.NA, NaT and anything that is not a number."""
    if type(x) is float:  # the common case, first (a page of 2,000 rows asks ~100,000 times)
        return not math.isfinite(x)
    if x is None or isinstance(x, bool | str):
        return x is None
    try:
        return not math.isfinite(float(x))
    except (TypeError, ValueError):
        return True


@lru_cache(maxsize=65536)
def _typed(f: float) -> Decimal:
    return Decimal(format(f, _SIGNIFICANT_FORMAT))


_SIGNIFICANT_FORMAT = f".{SIGNIFICANT}g"
_STEPS = tuple(Decimal(1).scaleb(-n) for n in range(MAX_DECIMALS + 1))


def to_decimal(x: Any) -> Decimal | None:
    """The figure as a person would have typed it (12 significant digits); None when missing."""
    if type(x) is float:
        return _typed(x) if math.isfinite(x) else None
    if isinstance(x, Decimal):
        return x
    if is_missing(x):
        return None
    return _typed(float(x))


def _quantize(d: Decimal, decimals: int) -> Decimal:
    out = d.quantize(_STEPS[decimals] if decimals <= MAX_DECIMALS else Decimal(1).scaleb(-decimals),
                     rounding=ROUND_HALF_UP)
    return out + 0 if out == 0 else out  # -0.0 → 0.0


def round_half_up(x: Any, decimals: int) -> Decimal | None:
    d = to_decimal(x)
    return None if d is None else _quantize(d, decimals)


def plain(d: Decimal | None) -> str:
    """A Decimal without exponent or sign of zero: '14.9', '2400', '0.0'; '—' for None."""
    if d is None:
        return MISSING
    s = format(d, "f")
    return s[1:] if s.startswith("-") and d == 0 else s


def number(x: Any, decimals: int) -> str:
    """x rounded half up to `decimals`, as text; '—' when missing."""
    return plain(round_half_up(x, decimals))


def written_decimals(x: Any) -> int:
    """How many decimals a number as written has: 18 → 0, 8.6 → 1, 0.75 → 2."""
    d = to_decimal(x)
    if d is None:
        return 0
    return max(0, -d.normalize().as_tuple().exponent)


@lru_cache(maxsize=4096)
def target_number(x: Any) -> str:
    """A target as the plan writes it: 18, 8.6, 0.75 (never 18.0 or 1e-06)."""
    d = to_decimal(x)
    return MISSING if d is None else plain(d.quantize(Decimal(1).scaleb(-written_decimals(d))))


def _meets(x: float, target: float, comparator: str) -> bool:
    """x <comparator> target with the engine's tolerance (trajectory.figures.satisfies)."""
    eps = TOLERANCE * max(1.0, abs(target))
    return {">=": x >= target - eps, ">": x > target + eps, "<=": x <= target + eps,
            "<": x < target - eps}.get(comparator, False)


def _meets_exactly(d: Decimal, target: Decimal, comparator: str) -> bool:
    """What a reader concludes from the figures as printed."""
    return {">=": d >= target, ">": d > target, "<=": d <= target, "<": d < target}.get(comparator, False)


@dataclass(frozen=True)
class Rule:
    """How one goal's figures are rounded: its decimals, and its target so that no figure is
    shown on the wrong side of it."""

    decimals: int
    target: float | None = None
    comparator: str | None = None

    @cached_property
    def has_target(self) -> bool:
        return not is_missing(self.target) and self.comparator in (">=", ">", "<=", "<")

    @cached_property
    def base_decimals(self) -> int:
        """The goal's decimals, or the target's own if it is written with more (≥0.75%)."""
        extra = written_decimals(self.target) if self.has_target else 0
        return min(MAX_DECIMALS, max(self.decimals, extra))

    @cached_property
    def _target(self) -> Decimal | None:
        return to_decimal(self.target) if self.has_target else None

    def _shown(self, x: Any) -> tuple[Decimal, int] | None:
        """x as shown and its decimals: the goal's, or more where fewer would put x on the wrong
        side of its target (69.6 against ≥70 is not 70)."""
        if type(x) is float:
            return _shown_float(self, x)
        return self._work_out(x)

    def _work_out(self, x: Any) -> tuple[Decimal, int] | None:
        d = to_decimal(x)
        if d is None:
            return None
        n = self.base_decimals
        out = _quantize(d, n)
        if self._target is None:
            return out, n
        c = str(self.comparator)
        truth = _meets(float(x), float(self.target), c)
        while n < MAX_DECIMALS and _meets_exactly(out, self._target, c) != truth:
            n += 1
            out = _quantize(d, n)
        return out, n

    def digits(self, x: Any) -> int:
        """The decimals x is shown with (see `_shown`)."""
        shown = self._shown(x)
        return self.base_decimals if shown is None else shown[1]

    def round(self, x: Any) -> Decimal | None:
        shown = self._shown(x)
        return None if shown is None else shown[0]

    def text(self, x: Any) -> str:
        """'14.9', '2367', '69.6' (a count that is not whole where whole would lie); '—'."""
        return plain(self.round(x))

    def value(self, x: Any, unit: str) -> str:
        """'14.9件', '92.4%'; '—' when missing."""
        return MISSING if is_missing(x) else f"{self.text(x)}{unit}"

    def as_float(self, x: Any) -> float | None:
        """The figure as shown, as a number (chart data, the deck's embedded workbook)."""
        d = self.round(x)
        return None if d is None else float(d)

    def gap(self, x: Any) -> Decimal | None:
        """|target − x as shown|: what the reader computes from the printed figures."""
        d = self.round(x)
        if d is None or not self.has_target:
            return None
        return abs(self._target - d)


def rule_of(row: Any = None, goal: Any = None) -> Rule:
    """The rule of a trajectory row (its decimals, its own target and comparator); what the row
    lacks is taken from the plan's goal."""
    def get(key: str) -> Any:
        v = row.get(key) if row is not None and hasattr(row, "get") else None
        return None if v is None or (not isinstance(v, str) and is_missing(v)) else v

    decimals = get("decimals")
    if decimals is None:
        decimals = goal.display_decimals if goal is not None else OTHER_DECIMALS
    target = get("target") if row is not None and _has(row, "target") else (
        None if goal is None else goal.target)
    comparator = get("comparator") or (None if goal is None else goal.comparator)
    if get("kind") == "trend" or (goal is not None and goal.kind == "trend"):
        target, comparator = None, None
    return _rule(int(decimals), None if is_missing(target) else float(target), comparator)


@lru_cache(maxsize=65536)
def _shown_float(rule: Rule, x: float) -> tuple[Decimal, int] | None:
    """Rule._shown of a float, remembered: a sentence, its reason and its tile ask for the same."""
    return rule._work_out(x)


@lru_cache(maxsize=4096)
def _rule(decimals: int, target: float | None, comparator: str | None) -> Rule:
    """One Rule per (decimals, target, comparator), so that what it works out once (the target's
    decimals, its Decimal) is kept across the rows that share it."""
    return Rule(decimals, target, comparator)


def _has(row: Any, key: str) -> bool:
    try:
        return key in row
    except TypeError:
        return False


def unit_of_difference(unit: str) -> str:
    """A difference of two percentages is in percentage points (个百分点)."""
    return POINTS if unit == "%" else unit


def shortfall(rule: Rule, x: Any, unit: str) -> str:
    """How far a figure that does not meet its target is from it, in the figures as shown:
    '差0.4件', '差1.0个百分点'; for a strict target equalled, '恰为目标值，尚未超过' (超过85%)
    or '恰为目标值，尚未低于' (低于5%)."""
    gap = rule.gap(x)
    if gap is None:
        return ""
    if gap == 0:  # only a strict target equalled misses with nothing to go
        return {">": "恰为目标值，尚未超过", "<": "恰为目标值，尚未低于"}.get(rule.comparator, "恰好达到")
    return f"差{plain(gap)}{unit_of_difference(unit)}"


def excess(rule: Rule, x: Any, unit: str) -> str:
    """How far a figure that meets its target is beyond it: '超出1.4亿元'; '恰好达到'."""
    gap = rule.gap(x)
    if gap is None:
        return ""
    return f"超出{plain(gap)}{unit_of_difference(unit)}" if gap > 0 else "恰好达到"


def classed(x: Any, bounds: tuple[float, ...] = (), decimals: int = RATIO_DECIMALS) -> str:
    """A ratio (q, R, a fraction) with enough decimals to stay on its side of every bound that
    decides its class: 0.8999 is '0.8999' beside 'below 0.9', not '0.90'. A value within the
    tolerance of a bound is on the bound (0.6 ÷ (2/3) = 0.8999999… is 0.90)."""
    if is_missing(x):
        return MISSING
    return _classed(float(x), tuple(float(b) for b in bounds), decimals)


@lru_cache(maxsize=65536)
def _classed(f: float, bounds: tuple[float, ...], decimals: int) -> str:
    n = decimals
    while n < MAX_DECIMALS:
        d = round_half_up(f, n)
        if all((d >= to_decimal(b)) == (f >= b - TOLERANCE * max(1.0, abs(b))) for b in bounds):
            break
        n += 1
    return number(f, n)


def percent(fraction: Any, bounds: tuple[float, ...] = ()) -> str:
    """A fraction as a percentage with one decimal and no trailing '.0': 0.684 → '68.4%',
    0.75 → '75%', 1/3 → '33.3%'; with `bounds` (fractions), enough decimals to stay on the
    right side of each (a completion of 0.99996 that is not done is '99.996%', not '100%')."""
    if is_missing(fraction):
        return MISSING
    f = float(fraction) * 100
    text = classed(f, tuple(b * 100 for b in bounds), PERCENT_DECIMALS)
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}%"


def completion(c: Any, elapsed: Any = None, ratios: tuple[float, ...] = ()) -> str:
    """A completion percentage on the right side of 0 (倒退), of 100 % (done) and, given the time
    elapsed and the schedule-ratio thresholds, of each completion at which the status changes:
    with 序时进度 50 %, a completion of 0.4499 is '44.99%' (q = 0.8998 < 0.9), not '45%'."""
    bounds = [0.0, 1.0]
    if not is_missing(elapsed) and float(elapsed) > 0:
        bounds += [r * float(elapsed) for r in ratios]
    return percent(c, bounds=tuple(bounds))
