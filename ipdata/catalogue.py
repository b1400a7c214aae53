"""The plan catalogue: goals, context series, key tasks and phases, loaded from YAML.

A plan is data (`data/plans/<id>.yaml`); this module only validates and indexes it, so the next
plan (2026-2030) is a new file and no code change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import json
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ipdata import rounding, settings
from ipdata.errors import IpdataError, Problem

KINDS = ("level", "cumulative", "milestone", "trend", "rank")
COMPARATORS = (">=", ">", "<=", "<")
KIND_LABELS = {"level": "水平值", "cumulative": "累计新增", "milestone": "标志性成果", "trend": "趋势", "rank": "排名"}
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
    # Optional keys (all absent in a plan that does not need them):
    base_value: float | None = None  # the base the plan states (规划基期值)
    base_year: int | None = None  # the goal's own base year; None = the plan's
    target_year: int | None = None  # the goal's own target year; None = the plan's
    targets: tuple[tuple[int, float], ...] = ()  # interim and final targets by year, ascending
    target_growth: float | None = None  # 年均增长 g: target = base x (1 + g)^(target year - base year)
    target_multiple: float | None = None  # 翻一番 = 2: target = base x multiple
    nature: str | None = None  # 约束性 | 预期性
    additive: bool = True  # False: regional values are not summed and no share of the district is shown
    peers: str = ""  # kind rank: among whom the position is counted (全省县(市、区))
    tier: str = ""  # kind rank: the band the plan names (第一方阵); `target` is its last position
    definition: str = ""  # 口径
    data_source: str = ""  # 数据来源
    as_of: str = ""  # 统计时点
    tasks: tuple[str, ...] = ()  # the key tasks that serve this goal: "一.1" (a task) or "一.1.2" (a paragraph)

    @property
    def series(self) -> Series:
        return Series(self.code, self.name, self.unit, self.aliases, "goal")

    @property
    def is_rank(self) -> bool:
        return self.kind == "rank"

    @property
    def target_rule(self) -> str:
        """How the target was derived from the base ('' for a target the plan states):
        '年均增长10%', '翻一番（基期值×2）'."""
        if self.target_growth is not None:
            return f"年均增长{rounding.target_number(self.target_growth * 100)}%"
        if self.target_multiple is not None:
            word = MULTIPLE_WORDS.get(self.target_multiple)
            times = rounding.target_number(self.target_multiple)
            return f"{word}（基期值×{times}）" if word else f"达到基期值的{times}倍"
        return ""

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def is_count(self) -> bool:
        """A whole-number count (shown without decimals); per-10,000 ratios, ranks and other
        values that are not added up are not counts, whatever their unit says."""
        return self.unit in COUNT_UNITS and self.derive is None and self.additive and not self.is_rank

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
        if self.is_rank:
            return f"{self.peers}{self.tier}（前{_fmt(self.target)}{self.unit}）"
        if self.target is None:  # derived from an uploaded base (trajectory works it out)
            return self.target_rule
        if self.target_rule:  # derived from the stated base: as judged, rounded to the goal's decimals
            shown = float(rounding.round_half_up(self.target, self.display_decimals))
            return f"{COMPARATOR_LABELS[self.comparator or '>=']}{_fmt(shown)}{self.unit}{bracketed(self.target_rule)}"
        return f"{COMPARATOR_LABELS[self.comparator or '>=']}{_fmt(self.target)}{self.unit}"


def bracketed(rule: str) -> str:
    """A target rule after the target, without brackets inside brackets: '（年均增长10%）',
    '（翻一番，基期值×2）'; '' for no rule."""
    return f"（{rule.replace('（', '，').replace('）', '')}）" if rule else ""


MULTIPLE_WORDS = {2.0: "翻一番", 4.0: "翻两番"}
NATURES = ("约束性", "预期性")
# Words that make a goal a ratio, share or density rather than something counted: its regional
# values are not added up unless the plan says `additive: true`.
_RATIO_WORDS = ("每", "万人", "万户", "万企", "率", "比重", "占比", "密度", "满意度", "指数", "平均")


def looks_like_ratio(name: str, unit: str) -> bool:
    return unit in ("%", "‰", "分") or "/" in unit or any(w in name for w in _RATIO_WORDS)


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
    app_title: str = ""  # the dashboard's name for this plan (page titles, file names)
    tasks_heading: str = "重点任务"  # the plan's own heading of its key tasks (四、重点任务)
    issued: str = ""  # date of issue as written in the file
    source_note: str = ""  # where the plan's text and figures come from (`plan.source`)
    text: str = field(default="", compare=False, repr=False)  # the YAML as read

    @cached_property
    def digest(self) -> str:
        """Fingerprint of what the plan says (comments and layout of the file do not count)."""
        return plan_digest(self)

    def base_year_of(self, goal: Goal) -> int:
        return goal.base_year or self.base_year

    def target_year_of(self, goal: Goal) -> int:
        return goal.target_year or self.target_year

    @property
    def name(self) -> str:
        """What pages, headings and file names call this plan."""
        return self.app_title or f"{self.short_title}监测"

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

    def tasks_of(self, goal: Goal) -> tuple[TaskParagraph, ...]:
        """The task paragraphs the plan file links to `goal` (its `tasks` key), in plan order."""
        wanted = set(goal.tasks)
        return tuple(t for t in self.tasks
                     if t.id in wanted or f"{t.section_number}.{t.task_number}" in wanted)

    def units_of(self, goal: Goal) -> tuple[str, ...]:
        """责任单位 of the goal's key tasks: lead units first, then those named 按职责分工, each once."""
        paragraphs = self.tasks_of(goal)
        names = [u for t in paragraphs for u in t.lead] + [u for t in paragraphs for u in t.by_duty]
        return tuple(dict.fromkeys(names))


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
_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Map(dict):
    """A YAML mapping that remembers the line of each key, so problems can name it."""

    line: int = 0
    key_lines: dict


class _Loader(_YAML_BASE):  # type: ignore[misc, valid-type]
    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201 (PyYAML's signature)
        out = _Map(super().construct_mapping(node, deep=deep))
        out.line = node.start_mark.line + 1
        out.key_lines = {self.construct_object(k, deep=True): k.start_mark.line + 1 for k, _ in node.value}
        return out


def _construct_map(loader: _Loader, node):  # noqa: ANN001, ANN202
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def load_plan(ref: str | Path | None = None) -> Plan:
    """Load a plan by path or by id (file stem in the plans directory); validate it fully.
    A plan file is named after its id (`<plan.id>.yaml`)."""
    path = _resolve(ref)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IpdataError(f"找不到规划文件：{path}", hint="检查 --plan 参数或 IPDATA_PLAN 设置。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IpdataError(f"无法读取规划文件 {path.name}：{exc}",
                          hint="规划文件应为 UTF-8 编码的 YAML 文本文件。") from None
    return parse_plan(text, path)


def parse_plan(text: str, path: Path | str, check_name: bool = True) -> Plan:
    """Validate and build a plan from YAML `text`; `path` names it in messages (and is the file's
    path when it came from one). `check_name`: the file name must be `<plan.id>.yaml`."""
    path = Path(path)
    try:
        raw = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        raise IpdataError(
            f"规划文件 {path.name} 不是有效的 YAML {where}：{getattr(exc, 'problem', exc)}",
            hint="按 data/plans 中现有文件的格式修改后重试。",
        ) from None
    problems: list[Problem] = []
    plan = _build(raw, path, problems)
    if plan is not None and check_name and path.stem != plan.id:
        problems.append(Problem(
            "plan-file-name",
            f"规划文件名“{path.name}”与其中的规划编号 plan.id“{plan.id}”不符：请把文件改名为“{plan.id}.yaml”，"
            "或为新规划另起一个编号（旧规划的数据和评估仍按原编号保留）",
            sheet=path.name, column="plan.id", value=plan.id))
        plan = None
    if problems or plan is None:
        raise IpdataError(
            f"规划文件 {path.name} 有 {len(problems)} 处问题，无法加载",
            problems,
            hint="按提示逐项修改规划文件后重试。",
        )
    return replace(plan, text=text)


def plan_digest(plan: Plan) -> str:
    """sha256 of the plan's content as data: the same for two files that differ only in comments,
    key order or layout."""
    def plain(x: Any) -> Any:
        if dataclasses.is_dataclass(x):
            return {f.name: plain(getattr(x, f.name)) for f in dataclasses.fields(x)
                    if f.name not in ("path", "text")}
        if isinstance(x, tuple | list):
            return [plain(v) for v in x]
        if isinstance(x, dt.date):
            return x.isoformat()
        return x
    blob = json.dumps(plain(plan), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _resolve(ref: str | Path | None) -> Path:
    if ref is None:  # IPDATA_PLAN, else the newest plan of the store, else of the plans directory
        from ipdata.plans import default_plan_id  # it reads the store, which needs this module

        ref = default_plan_id()
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return settings.plans_dir() / f"{ref}.yaml"


# The keys each part of a plan file may have; any other key is refused with its line, so that a
# misspelt key (`target_yaer`) is never silently ignored.
KEYS: dict[str, frozenset[str]] = {
    "(root)": frozenset({"plan", "regions", "checks", "categories", "series", "goals", "phases", "task_sections"}),
    "plan": frozenset({"id", "title", "short_title", "app_title", "issuer", "document_no", "issued", "source",
                       "base_year", "target_year", "district", "district_aliases", "region_level",
                       "tasks_heading"}),
    "goal": frozenset({"code", "name", "unit", "category", "kind", "comparator", "target", "direction",
                       "source", "section", "aliases", "derive", "decimals", "base_value", "base_year",
                       "target_year", "targets", "target_growth", "target_multiple", "nature", "additive",
                       "peers", "tier", "definition", "data_source", "as_of", "tasks"}),
    "series": frozenset({"code", "name", "unit", "aliases", "definition", "data_source"}),
    "derive": frozenset({"numerator", "denominator", "factor"}),
    "numerator": frozenset({"code", "name", "unit", "aliases"}),
    "tier": frozenset({"name", "top"}),
    "region": frozenset({"name", "aliases"}),
    "phase": frozenset({"name", "start", "end", "summary"}),
    "task_section": frozenset({"number", "title", "tasks"}),
    "task": frozenset({"number", "title", "paragraphs"}),
    "paragraph": frozenset({"text", "units_text", "lead", "by_duty"}),
}


class _Checker:
    """Collects located problems while reading raw YAML dicts."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.file = path.name
        self.problems = problems

    def bad(self, where: str, message: str, value: Any = None, line: int | None = None) -> None:
        if line:
            message = f"第{line}行：{message}"
        self.problems.append(Problem("plan-invalid", message, sheet=self.file, column=where, value=value))

    def keys(self, d: Any, part: str, where: str) -> None:
        """Refuse keys the schema does not have, naming the line of each."""
        if not isinstance(d, dict):
            return
        allowed = KEYS[part]
        lines = getattr(d, "key_lines", {})
        for key in d:
            if key not in allowed:
                near = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
                guess = f"是否应为“{near[0]}”？" if near else ""
                self.problems.append(Problem(
                    "plan-unknown-key",
                    f"{self.file} 第{lines.get(key, '?')}行：{where} 中没有“{key}”这一项。{guess}"
                    f"可用的有：{'、'.join(sorted(allowed))}。请改正拼写，或删去这一项",
                    sheet=self.file, column=f"{where}.{key}", value=key))

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
    ck.keys(raw, "(root)", "(root)")
    meta = ck.req(raw, "plan", "(root)", dict) or {}
    ck.keys(meta, "plan", "plan")
    base = ck.req(meta, "base_year", "plan", int)
    target = ck.req(meta, "target_year", "plan", int)
    if isinstance(base, int) and isinstance(target, int) and base >= target:
        ck.bad("plan.target_year", f"目标年({target})应晚于基期年({base})")
    categories = tuple(ck.req(raw, "categories", "(root)", list) or ())
    context = tuple(_series(s, f"series[{i}]", ck) for i, s in enumerate(raw.get("series") or []))
    context_codes = {s.code for s in context}
    goals = tuple(
        g for i, gd in enumerate(ck.req(raw, "goals", "(root)", list) or [])
        if (g := _goal(gd, f"goals[{i}]", ck, categories, context_codes, (base, target))) is not None
    )
    tasks = _tasks(raw.get("task_sections") or [], ck)
    _check_goal_tasks(raw.get("goals"), tasks, ck)
    phases = tuple(_phase(p, f"phases[{i}]", ck) for i, p in enumerate(raw.get("phases") or []))
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
        app_title=str(meta.get("app_title") or ""),
        tasks_heading=str(meta.get("tasks_heading") or "重点任务"),
        issued=str(meta.get("issued") or ""),
        source_note=str(meta.get("source") or ""),
    )


def _series(d: Any, where: str, ck: _Checker) -> Series:
    ck.keys(d, "series", where)
    return Series(code=ck.req(d, "code", where) or "", name=ck.req(d, "name", where) or "",
                  unit=ck.req(d, "unit", where) or "", aliases=_aliases(d, where, ck), role="context")


def _phase(d: Any, where: str, ck: _Checker) -> Phase:
    ck.keys(d, "phase", where)
    return Phase(name=ck.req(d, "name", where) or "",
                 start=ck.req(d, "start", where, dt.date) or dt.date.min,
                 end=ck.req(d, "end", where, dt.date) or dt.date.min,
                 summary=str(d.get("summary", "")) if isinstance(d, dict) else "")


def _goal(d: Any, where: str, ck: _Checker, categories: tuple, context_codes: set,
          years: tuple[int | None, int | None]) -> Goal | None:
    if not isinstance(d, dict):
        ck.bad(where, "每个目标应为字典")
        return None
    ck.keys(d, "goal", where)
    line = getattr(d, "line", None)
    kind = ck.req(d, "kind", where)
    if kind and kind not in KINDS:
        ck.bad(f"{where}.kind", f"kind 应为 {'/'.join(KINDS)} 之一，实为 {kind!r}", kind)
    category = ck.req(d, "category", where)
    if category and category not in categories:
        ck.bad(f"{where}.category", f"类别“{category}”不在 categories 列表中", category)
    name, unit = ck.req(d, "name", where) or "", ck.req(d, "unit", where) or ""
    base_year, target_year = _year(d, "base_year", where, ck, years), _year(d, "target_year", where, ck, years)
    base_value = _number(d, "base_value", where, ck)
    growth = _number(d, "target_growth", where, ck)
    multiple = _number(d, "target_multiple", where, ck)
    targets = _targets(d, where, ck, years, base_year)
    comparator, target, peers, tier = None, None, "", ""
    if kind == "rank":
        peers = ck.req(d, "peers", where) or ""
        td = ck.req(d, "tier", where, dict) or {}
        ck.keys(td, "tier", f"{where}.tier")
        tier = ck.req(td, "name", f"{where}.tier") or ""
        top = ck.req(td, "top", f"{where}.tier", int)
        if isinstance(top, int) and top < 1:
            ck.bad(f"{where}.tier.top", f"tier.top 是{tier or '目标方阵'}的最后一个名次，应为正整数，实为 {top!r}", top)
        comparator, target = "<=", float(top) if isinstance(top, int) else None
        for key in ("comparator", "target", "target_growth", "target_multiple", "base_value", "derive"):
            if key in d:
                ck.bad(f"{where}.{key}", f"排名目标(kind: rank)的目标由 tier.top 给出，不能再写“{key}”", d[key], line)
    elif kind not in ("trend", None, ""):
        comparator = ck.req(d, "comparator", where)
        if comparator and comparator not in COMPARATORS:
            ck.bad(f"{where}.comparator", f"comparator 应为 {' '.join(COMPARATORS)} 之一", comparator)
        target = _number(d, "target", where, ck)
        given = [k for k in ("target", "target_growth", "target_multiple") if d.get(k) is not None]
        if len(given) > 1:
            ck.bad(f"{where}.{given[1]}", f"“{'”和“'.join(given)}”只能写一个：目标要么直接写出，要么由基期值推算", None, line)
        elif not given and not targets:
            ck.bad(f"{where}.target", "缺少必填项“target”（或 targets、target_growth、target_multiple 之一）", None, line)
        if (growth is not None or multiple is not None) and kind == "milestone":
            ck.bad(f"{where}.kind", "标志性成果(milestone)不能按增长率或倍数推算目标", kind, line)
        due = target_year or years[1]
        if targets:
            last_year, last = targets[-1]
            if target is not None and last_year == due and last != target:
                ck.bad(f"{where}.targets", f"targets 中{last_year}年的目标({_fmt(last)})与 target({_fmt(target)})不一致", last, line)
            if target is None and growth is None and multiple is None:
                target = last
                target_year = target_year or last_year
        if base_value is not None and isinstance(due, int):
            start = base_year or years[0]
            if growth is not None and isinstance(start, int):
                target = base_value * (1 + growth) ** (due - start)
            elif multiple is not None:
                target = base_value * multiple
    if growth is not None and not -1 < growth < 10:
        ck.bad(f"{where}.target_growth", f"target_growth 是年均增长率(10% 写作 0.10)，实为 {growth!r}", growth, line)
    if multiple is not None and multiple <= 0:
        ck.bad(f"{where}.target_multiple", f"target_multiple 应为正数(翻一番写作 2)，实为 {multiple!r}", multiple, line)
    direction = d.get("direction") or ("lower" if comparator in ("<=", "<") else "higher")
    if direction not in ("higher", "lower"):
        ck.bad(f"{where}.direction", "direction 应为 higher 或 lower", direction)
    nature = d.get("nature")
    if nature is not None and nature not in NATURES:
        ck.bad(f"{where}.nature", f"nature 应为 {'或'.join(NATURES)}，实为 {nature!r}", nature, line)
    additive = d.get("additive")
    if additive is not None and not isinstance(additive, bool):
        ck.bad(f"{where}.additive", f"additive 应为 true 或 false，实为 {additive!r}", additive, line)
        additive = None
    derive = None
    if d.get("derive") is not None:
        dd = d["derive"]
        ck.keys(dd, "derive", f"{where}.derive")
        num = ck.req(dd, "numerator", f"{where}.derive", dict) or {}
        ck.keys(num, "numerator", f"{where}.derive.numerator")
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
    if additive is None:
        additive = kind != "rank" and derive is None and not looks_like_ratio(name, unit)
    return Goal(
        code=ck.req(d, "code", where) or "",
        name=name,
        unit=unit,
        category=category or "",
        kind=kind or "",
        comparator=comparator,
        target=target,
        direction=direction,
        source=ck.req(d, "source", where) or "",
        section=str(d.get("section", "")),
        aliases=_aliases(d, where, ck),
        derive=derive,
        decimals=0 if kind == "rank" and d.get("decimals") is None else _decimals(d, where, ck),
        base_value=base_value,
        base_year=base_year,
        target_year=target_year,
        targets=targets,
        target_growth=growth,
        target_multiple=multiple,
        nature=nature,
        additive=bool(additive),
        peers=str(peers),
        tier=str(tier),
        definition=str(d.get("definition") or ""),
        data_source=str(d.get("data_source") or ""),
        as_of=str(d.get("as_of") or ""),
        tasks=tuple(map(str, d["tasks"])) if isinstance(d.get("tasks"), list) else (),
    )


def _number(d: dict, key: str, where: str, ck: _Checker) -> float | None:
    v = d.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        ck.bad(f"{where}.{key}", f"“{key}”应为数字，实为 {v!r}", v, getattr(d, "key_lines", {}).get(key))
        return None
    return float(v)


def _year(d: dict, key: str, where: str, ck: _Checker, years: tuple[int | None, int | None]) -> int | None:
    """A goal's own base or target year: a whole year, the base before the target."""
    v = d.get(key)
    if v is None:
        return None
    line = getattr(d, "key_lines", {}).get(key)
    if isinstance(v, bool) or not isinstance(v, int) or not 1900 <= v <= 2200:
        ck.bad(f"{where}.{key}", f"“{key}”应为年份(如 2030)，实为 {v!r}", v, line)
        return None
    base, target = years
    if key == "target_year" and isinstance(base, int) and v <= (d.get("base_year") or base):
        ck.bad(f"{where}.{key}", f"目标年({v})应晚于基期年({d.get('base_year') or base})", v, line)
        return None
    if key == "base_year" and isinstance(target, int) and v >= (d.get("target_year") or target):
        ck.bad(f"{where}.{key}", f"基期年({v})应早于目标年({d.get('target_year') or target})", v, line)
        return None
    return v


def _targets(d: dict, where: str, ck: _Checker, years: tuple[int | None, int | None],
             base_year: int | None) -> tuple[tuple[int, float], ...]:
    """`targets: {2027: 12, 2030: 18}`: interim and final targets, each after the base year."""
    raw = d.get("targets")
    if raw is None:
        return ()
    line = getattr(d, "key_lines", {}).get("targets")
    if not isinstance(raw, dict) or not raw:
        ck.bad(f"{where}.targets", "targets 应写成 {年份: 目标值}，如 {2027: 12, 2030: 18}", raw, line)
        return ()
    start = base_year or years[0]
    end = d.get("target_year") if isinstance(d.get("target_year"), int) else years[1]
    out = []
    for year, value in raw.items():
        if isinstance(year, bool) or not isinstance(year, int):
            ck.bad(f"{where}.targets", f"targets 的键应为年份，实为 {year!r}", year, line)
            continue
        if isinstance(start, int) and isinstance(end, int) and not start < year <= end:
            ck.bad(f"{where}.targets", f"targets 中的{year}年不在基期({start})之后、目标年({end})之内", year, line)
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            ck.bad(f"{where}.targets", f"targets 中{year}年的目标应为数字，实为 {value!r}", value, line)
            continue
        out.append((year, float(value)))
    return tuple(sorted(out))


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
        ck.keys(d, "region", f"regions[{i}]")
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
        ck.keys(sec, "task_section", sw)
        snum, stitle = ck.req(sec, "number", sw), ck.req(sec, "title", sw)
        for j, task in enumerate(ck.req(sec, "tasks", sw, list) or []):
            tw = f"{sw}.tasks[{j}]"
            ck.keys(task, "task", tw)
            tnum, ttitle = ck.req(task, "number", tw, int), ck.req(task, "title", tw)
            for k, par in enumerate(ck.req(task, "paragraphs", tw, list) or [], start=1):
                pw = f"{tw}.paragraphs[{k - 1}]"
                ck.keys(par, "paragraph", pw)
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


def _check_goal_tasks(goals: Any, tasks: tuple[TaskParagraph, ...], ck: _Checker) -> None:
    """A goal's `tasks` must name task numbers (一.1) or paragraphs (一.1.2) of task_sections."""
    known = {t.id for t in tasks} | {f"{t.section_number}.{t.task_number}" for t in tasks}
    for i, d in enumerate(goals if isinstance(goals, list) else []):
        if not isinstance(d, dict) or d.get("tasks") is None:
            continue
        line = getattr(d, "key_lines", {}).get("tasks")
        if not isinstance(d["tasks"], list):
            ck.bad(f"goals[{i}].tasks", "tasks 应为列表，如 [一.1, 二.3.2]（任务编号或段落编号）", d["tasks"], line)
            continue
        for ref in d["tasks"]:
            if str(ref) not in known:
                ck.bad(f"goals[{i}].tasks", f"task_sections 中没有编号为“{ref}”的任务或段落"
                       f"（任务写作“一.1”，段落写作“一.1.2”）", ref, line)


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
