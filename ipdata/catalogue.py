"""The plan catalogue: goals, context series, key tasks and phases, loaded from YAML.

A plan is data (`data/plans/<id>.yaml`); this module only validates and indexes it, so the next
plan (2026-2030) is a new file and no code change.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ipdata import rounding, settings
from ipdata.errors import IpdataError, Problem

KINDS = ("level", "cumulative", "milestone", "trend")
COMPARATORS = (">=", ">", "<=", "<")
KIND_LABELS = {"level": "水平值", "cumulative": "累计新增", "milestone": "标志性成果", "trend": "趋势"}
COMPARATOR_LABELS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


@dataclass(frozen=True)
class Series:
    """Anything that can be uploaded: a goal's value, a numerator count or a context series."""

    code: str
    name: str
    unit: str
    aliases: tuple[str, ...] = ()
    role: str = "goal"  # goal | numerator | context


@dataclass(frozen=True)
class Derivation:
    """goal value = numerator / denominator * factor (per-10,000 goals)."""

    numerator: Series
    denominator: str
    factor: float


@dataclass(frozen=True)
class Goal:
    code: str
    name: str
    unit: str
    category: str
    kind: str
    comparator: str | None
    target: float | None
    direction: str  # higher | lower
    source: str
    section: str
    aliases: tuple[str, ...] = ()
    derive: Derivation | None = None
    decimals: int | None = None  # as the plan file says; None = the default of the unit

    @property
    def series(self) -> Series:
        return Series(self.code, self.name, self.unit, self.aliases, "goal")

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def is_count(self) -> bool:
        """A whole-number count (shown without decimals); per-10,000 ratios are not counts."""
        return self.unit in COUNT_UNITS and self.derive is None

    @property
    def display_decimals(self) -> int:
        """Decimals every figure of this goal is rounded to (ipdata.rounding)."""
        if self.decimals is not None:
            return self.decimals
        return rounding.default_decimals(self.unit, self.is_count)

    def target_text(self) -> str:
        if self.kind == "trend":
            return "明显增长" if self.direction == "higher" else "明显下降"
        if self.kind == "milestone":
            return "建成"
        return f"{COMPARATOR_LABELS[self.comparator or '>=']}{_fmt(self.target)}{self.unit}"


COUNT_UNITS = {"件", "个", "家", "人", "人次", "次", "项", "户"}
MAX_PLAN_DECIMALS = 6  # a plan's `decimals` per goal: 0 (whole numbers) to 6


def _fmt(x: float | None) -> str:
    return "" if x is None else rounding.target_number(x)


@dataclass(frozen=True)
class TaskParagraph:
    """One paragraph of 四、重点任务 with the units the plan names for it."""

    id: str  # "二.2.3": section number . task number . paragraph
    section_number: str
    section_title: str
    task_number: int
    task_title: str
    paragraph: int
    text: str
    units_text: str
    lead: tuple[str, ...]
    by_duty: tuple[str, ...]


@dataclass(frozen=True)
class Region:
    """A town, street or park of the plan's area (or a county of a city's plan), with the other
    spellings statisticians use for it."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checks:
    """Plausibility thresholds for uploads (warnings, never refusals), settable per plan file."""

    yoy_change: float = 1.0  # a level value changing by more than this share of last year's value
    target_ratio: float = 3.0  # a region's value above ratio x, or below 1/ratio x, its own target


@dataclass(frozen=True)
class Phase:
    name: str
    start: dt.date
    end: dt.date
    summary: str


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    short_title: str
    issuer: str
    document_no: str
    base_year: int
    target_year: int
    district: str
    district_aliases: tuple[str, ...]
    categories: tuple[str, ...]
    goals: tuple[Goal, ...]
    context: tuple[Series, ...]
    tasks: tuple[TaskParagraph, ...]
    phases: tuple[Phase, ...]
    path: Path | None = field(default=None, compare=False)
    region_level: str = "地区"  # the plan's word for its regions: 镇(街道), 县(市、区), 乡镇 …
    regions: tuple[Region, ...] = ()  # empty: the plan does not list its regions (any name is taken)
    checks: Checks = field(default_factory=Checks)

    @cached_property
    def goal_by_code(self) -> dict[str, Goal]:
        return {g.code: g for g in self.goals}

    def goal(self, code: str) -> Goal:
        return self.goal_by_code[code]

    @cached_property
    def all_series(self) -> dict[str, Series]:
        """Every uploadable series by code: goals, numerators of derived goals, context series."""
        out: dict[str, Series] = {g.code: g.series for g in self.goals}
        for g in self.goals:
            if g.derive:
                out[g.derive.numerator.code] = g.derive.numerator
        for s in self.context:
            out[s.code] = s
        return out

    @property
    def years(self) -> range:
        return range(self.base_year, self.target_year + 1)

    def task_count(self) -> int:
        return len({(t.section_number, t.task_number) for t in self.tasks})

    @cached_property
    def _district_names(self) -> frozenset[str]:
        return frozenset(normalise_name(n) for n in (self.district, *self.district_aliases))

    def is_district(self, region: str) -> bool:
        return normalise_name(region) in self._district_names

    @property
    def region_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.regions)


def normalise_name(text: str) -> str:
    """Fold width, brackets, quotes and spaces so that names typed by hand still match."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    for a, b in (("“", ""), ("”", ""), ('"', ""), ("‘", ""), ("’", ""), ("'", ""), ("〔", "("), ("〕", ")"), ("【", "("), ("】", ")")):
        s = s.replace(a, b)
    return "".join(s.split()).lower()


# --- loading -------------------------------------------------------------------------------


def plan_files(directory: Path | None = None) -> list[Path]:
    directory = directory or settings.plans_dir()
    return sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))


# libyaml's safe loader (bundled with PyYAML's wheels) reads the plan 8x faster than the pure-Python one
# (9 ms instead of 75 ms): every CLI command loads the plan once.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_plan(ref: str | Path | None = None) -> Plan:
    """Load a plan by path or by id (file stem in the plans directory); validate it fully."""
    path = _resolve(ref)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except FileNotFoundError:
        raise IpdataError(f"找不到规划文件：{path}", hint="检查 --plan 参数或 IPDATA_PLAN 设置。") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        raise IpdataError(
            f"规划文件 {path.name} 不是有效的 YAML {where}：{getattr(exc, 'problem', exc)}",
            hint="按 data/plans 中现有文件的格式修改后重试。",
        ) from None
    problems: list[Problem] = []
    plan = _build(raw, path, problems)
    if problems or plan is None:
        raise IpdataError(
            f"规划文件 {path.name} 有 {len(problems)} 处问题，无法加载",
            problems,
            hint="按提示逐项修改规划文件后重试。",
        )
    return plan


def _resolve(ref: str | Path | None) -> Path:
    if ref is None:
        ref = settings.get("IPDATA_PLAN")
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return settings.plans_dir() / f"{ref}.yaml"


class _Checker:
    """Collects located problems while reading raw YAML dicts."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.file = path.name
        self.problems = problems

    def bad(self, where: str, message: str, value: Any = None) -> None:
        self.problems.append(Problem("plan-invalid", message, sheet=self.file, column=where, value=value))

    def req(self, d: Any, key: str, where: str, typ: type | tuple = str) -> Any:
        if not isinstance(d, dict) or key not in d or d[key] in (None, ""):
            self.bad(f"{where}.{key}", f"缺少必填项“{key}”")
            return None
        v = d[key]
        if typ is float and isinstance(v, int | float) and not isinstance(v, bool):
            return float(v)
        if not isinstance(v, typ) or isinstance(v, bool) and typ is not bool:
            self.bad(f"{where}.{key}", f"“{key}”的类型应为{_TYPE_NAMES.get(typ, typ)}，实为 {v!r}", v)
            return None
        return v


_TYPE_NAMES = {str: "文字", int: "整数", float: "数字", list: "列表", dict: "字典"}


def _aliases(d: dict, where: str, ck: _Checker) -> tuple[str, ...]:
    al = d.get("aliases") or []
    if not isinstance(al, list) or not all(isinstance(a, str) for a in al):
        ck.bad(f"{where}.aliases", "aliases 应为文字列表")
        return ()
    return tuple(al)


def _build(raw: Any, path: Path, problems: list[Problem]) -> Plan | None:
    ck = _Checker(path, problems)
    if not isinstance(raw, dict):
        ck.bad("(root)", "规划文件顶层应为字典（plan、goals 等）")
        return None
    meta = ck.req(raw, "plan", "(root)", dict) or {}
    base = ck.req(meta, "base_year", "plan", int)
    target = ck.req(meta, "target_year", "plan", int)
    if isinstance(base, int) and isinstance(target, int) and base >= target:
        ck.bad("plan.target_year", f"目标年({target})应晚于基期年({base})")
    categories = tuple(ck.req(raw, "categories", "(root)", list) or ())
    context = tuple(
        Series(
            code=ck.req(s, "code", f"series[{i}]") or "",
            name=ck.req(s, "name", f"series[{i}]") or "",
            unit=ck.req(s, "unit", f"series[{i}]") or "",
            aliases=_aliases(s, f"series[{i}]", ck),
            role="context",
        )
        for i, s in enumerate(raw.get("series") or [])
    )
    context_codes = {s.code for s in context}
    goals = tuple(
        g for i, gd in enumerate(ck.req(raw, "goals", "(root)", list) or [])
        if (g := _goal(gd, f"goals[{i}]", ck, categories, context_codes)) is not None
    )
    tasks = _tasks(raw.get("task_sections") or [], ck)
    phases = tuple(
        Phase(
            name=ck.req(p, "name", f"phases[{i}]") or "",
            start=ck.req(p, "start", f"phases[{i}]", dt.date) or dt.date.min,
            end=ck.req(p, "end", f"phases[{i}]", dt.date) or dt.date.min,
            summary=str(p.get("summary", "")) if isinstance(p, dict) else "",
        )
        for i, p in enumerate(raw.get("phases") or [])
    )
    _check_unique(goals, context, ck)
    regions = _regions(raw.get("regions"), meta, ck)
    checks = _checks(raw.get("checks"), ck)
    if problems:
        return None
    return Plan(
        id=ck.req(meta, "id", "plan"),
        title=ck.req(meta, "title", "plan"),
        short_title=str(meta.get("short_title") or meta.get("title")),
        issuer=str(meta.get("issuer", "")),
        document_no=str(meta.get("document_no", "")),
        base_year=base,
        target_year=target,
        district=str(meta.get("district") or "全区"),
        district_aliases=tuple(meta.get("district_aliases") or ()),
        categories=categories,
        goals=goals,
        context=context,
        tasks=tasks,
        phases=phases,
        path=path,
        region_level=str(meta.get("region_level") or "地区"),
        regions=regions,
        checks=checks,
    )


def _goal(d: Any, where: str, ck: _Checker, categories: tuple, context_codes: set) -> Goal | None:
    if not isinstance(d, dict):
        ck.bad(where, "每个目标应为字典")
        return None
    kind = ck.req(d, "kind", where)
    if kind and kind not in KINDS:
        ck.bad(f"{where}.kind", f"kind 应为 {'/'.join(KINDS)} 之一，实为 {kind!r}", kind)
    category = ck.req(d, "category", where)
    if category and category not in categories:
        ck.bad(f"{where}.category", f"类别“{category}”不在 categories 列表中", category)
    comparator, target = None, None
    if kind != "trend":
        comparator = ck.req(d, "comparator", where)
        if comparator and comparator not in COMPARATORS:
            ck.bad(f"{where}.comparator", f"comparator 应为 {' '.join(COMPARATORS)} 之一", comparator)
        target = ck.req(d, "target", where, float)
    direction = d.get("direction") or ("lower" if comparator in ("<=", "<") else "higher")
    if direction not in ("higher", "lower"):
        ck.bad(f"{where}.direction", "direction 应为 higher 或 lower", direction)
    derive = None
    if d.get("derive") is not None:
        dd = d["derive"]
        num = ck.req(dd, "numerator", f"{where}.derive", dict) or {}
        den = ck.req(dd, "denominator", f"{where}.derive")
        if den and den not in context_codes:
            ck.bad(f"{where}.derive.denominator", f"分母“{den}”不是 series 中定义的基础数据", den)
        factor = ck.req(dd, "factor", f"{where}.derive", float)
        derive = Derivation(
            numerator=Series(
                code=ck.req(num, "code", f"{where}.derive.numerator") or "",
                name=ck.req(num, "name", f"{where}.derive.numerator") or "",
                unit=ck.req(num, "unit", f"{where}.derive.numerator") or "",
                aliases=_aliases(num, f"{where}.derive.numerator", ck),
                role="numerator",
            ),
            denominator=den or "",
            factor=factor or 1.0,
        )
    return Goal(
        code=ck.req(d, "code", where) or "",
        name=ck.req(d, "name", where) or "",
        unit=ck.req(d, "unit", where) or "",
        category=category or "",
        kind=kind or "",
        comparator=comparator,
        target=target,
        direction=direction,
        source=ck.req(d, "source", where) or "",
        section=str(d.get("section", "")),
        aliases=_aliases(d, where, ck),
        derive=derive,
        decimals=_decimals(d, where, ck),
    )


def _decimals(d: dict, where: str, ck: _Checker) -> int | None:
    """`decimals`: how many decimals the goal's figures are shown with (0-6); absent = by unit."""
    v = d.get("decimals")
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_PLAN_DECIMALS:
        ck.bad(f"{where}.decimals", f"decimals 应为 0 到 {MAX_PLAN_DECIMALS} 之间的整数（小数位数），实为 {v!r}", v)
        return None
    return v


def _regions(raw: Any, meta: dict, ck: _Checker) -> tuple[Region, ...]:
    """The plan's regions; every name and alias must name one region only, and none the district."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        ck.bad("regions", "regions 应为列表，每项含 name（名称）和可选的 aliases（别称）")
        return ()
    district = {normalise_name(n) for n in (meta.get("district") or "全区", *(meta.get("district_aliases") or ()))}
    out, seen = [], {}
    for i, r in enumerate(raw):
        d = r if isinstance(r, dict) else {"name": r}
        name = ck.req(d, "name", f"regions[{i}]")
        if name is None:
            continue
        region = Region(str(name), _aliases(d, f"regions[{i}]", ck))
        for n in (region.name, *region.aliases):
            key = normalise_name(n)
            if key in district:
                ck.bad(f"regions[{i}]", f"“{n}”已是全区（district_aliases）的名称，不能同时作为一个地区", n)
            elif key in seen and seen[key] != region.name:
                ck.bad(f"regions[{i}]", f"名称或别称“{n}”同时属于“{seen[key]}”和“{region.name}”，导入时无法区分", n)
            seen[key] = region.name
        out.append(region)
    return tuple(out)


def _checks(raw: Any, ck: _Checker) -> Checks:
    if raw is None:
        return Checks()
    if not isinstance(raw, dict):
        ck.bad("checks", "checks 应为字典，如 {yoy_change: 1.0, target_ratio: 3}")
        return Checks()
    values = {}
    for key in ("yoy_change", "target_ratio"):
        if key in raw:
            v = raw[key]
            if isinstance(v, bool) or not isinstance(v, int | float) or v <= 0:
                ck.bad(f"checks.{key}", f"checks.{key} 应为正数，实为 {v!r}", v)
                continue
            values[key] = float(v)
    unknown = set(raw) - {"yoy_change", "target_ratio"}
    for key in sorted(unknown, key=str):
        ck.bad(f"checks.{key}", f"checks 中没有“{key}”这一项（可用：yoy_change、target_ratio）", key)
    return Checks(**values)


def _tasks(sections: list, ck: _Checker) -> tuple[TaskParagraph, ...]:
    out = []
    for i, sec in enumerate(sections):
        sw = f"task_sections[{i}]"
        snum, stitle = ck.req(sec, "number", sw), ck.req(sec, "title", sw)
        for j, task in enumerate(ck.req(sec, "tasks", sw, list) or []):
            tw = f"{sw}.tasks[{j}]"
            tnum, ttitle = ck.req(task, "number", tw, int), ck.req(task, "title", tw)
            for k, par in enumerate(ck.req(task, "paragraphs", tw, list) or [], start=1):
                pw = f"{tw}.paragraphs[{k - 1}]"
                lead = tuple(par.get("lead") or ()) if isinstance(par, dict) else ()
                duty = tuple(par.get("by_duty") or ()) if isinstance(par, dict) else ()
                if not lead and not duty:
                    ck.bad(pw, "每段任务至少要有一个责任单位(lead 或 by_duty)")
                out.append(
                    TaskParagraph(
                        id=f"{snum}.{tnum}.{k}",
                        section_number=snum or "",
                        section_title=stitle or "",
                        task_number=tnum or 0,
                        task_title=ttitle or "",
                        paragraph=k,
                        text=ck.req(par, "text", pw) or "",
                        units_text=str(par.get("units_text", "")) if isinstance(par, dict) else "",
                        lead=lead,
                        by_duty=duty,
                    )
                )
    return tuple(out)


def _check_unique(goals: tuple[Goal, ...], context: tuple[Series, ...], ck: _Checker) -> None:
    seen_codes: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    series = [g.series for g in goals] + [g.derive.numerator for g in goals if g.derive] + list(context)
    for s in series:
        if s.code in seen_codes:
            ck.bad(s.code, f"编号“{s.code}”重复", s.code)
        seen_codes[s.code] = s.code
        for n in (s.name, *s.aliases):
            key = normalise_name(n)
            if key in seen_names and seen_names[key] != s.code:
                ck.bad(s.code, f"名称或别名“{n}”同时属于“{seen_names[key]}”和“{s.code}”，导入时无法区分", n)
            seen_names[key] = s.code
