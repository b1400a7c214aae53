"""Which plans there are, which one to show, and what a changed plan file would change.

A store holds many plans (ipdata/store/registry.py); the plans directory (IPDATA_PLANS_DIR)
holds plan files. A plan is chosen by id (`--plan`, IPDATA_PLAN); without one, the newest plan
the store holds, else the newest plan file (`default_plan_id`). A plan the store holds stays
usable after its file is gone (from the text the store accepted). A plan file changed under the
same id is a pending change until confirmed (`Store.plan_change`, `Store.update_plan`):
`describe_change` says what it would change, one Chinese line per difference.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from ipdata import settings
from ipdata.catalogue import KIND_LABELS, Goal, Plan, Series, load_plan, plan_files
from ipdata.errors import IpdataError

# What `python -m ipdata plans` says of each plan.
STATE_LOADED = "已载入"
STATE_CHANGED = "规划文件有改动，待确认"
STATE_NEW = "尚未载入"
STATE_BROKEN = "规划文件有错误"


@dataclass(frozen=True)
class PlanChange:
    """A plan file whose content differs from the version the store accepted (same id)."""

    plan_id: str
    accepted: Plan = field(repr=False)  # what the store uses until the change is confirmed
    offered: Plan = field(repr=False)  # the plan file as it is now
    lines: tuple[str, ...]  # what differs, one Chinese line each
    refusals: tuple[str, ...] = ()  # why the change cannot be accepted as it is (units)

    @property
    def summary(self) -> str:
        return "；".join(self.lines)

    def text(self) -> str:
        """What `plan diff` prints: the change, line by line, and whether it can be confirmed."""
        out = [f"规划“{self.plan_id}”的规划文件与数据库中已载入的版本不同（共 {len(self.lines)} 处）："]
        out += [f"  · {line}" for line in self.lines]
        if self.refusals:
            out.append("这些改动不能直接生效：")
            out += [f"  × {r}" for r in self.refusals]
        return "\n".join(out)


@dataclass(frozen=True)
class PlanInfo:
    """One plan as `python -m ipdata plans` lists it."""

    id: str
    title: str
    base_year: int | None
    target_year: int | None
    n_goals: int | None
    state: str  # STATE_*
    in_store: bool
    file: Path | None  # the plan file in the plans directory, if there is one
    problem: str = ""  # why the file cannot be read (STATE_BROKEN)

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "base_year": self.base_year, "target_year": self.target_year,
                "goals": self.n_goals, "state": self.state, "in_store": self.in_store,
                "file": None if self.file is None else str(self.file), "problem": self.problem or None}


# --- what changed ----------------------------------------------------------------------------

def describe_change(old: Plan, new: Plan) -> list[str]:
    """What `new` changes against `old` (same plan id), one Chinese line per difference: plan
    years and words, goals added and removed, each goal's target, years, unit and kind, series,
    regions and key tasks. Empty when they say the same."""
    if old.digest == new.digest:
        return []
    lines: list[str] = []
    for label, a, b in (("规划名称", old.title, new.title), ("显示名称", old.name, new.name),
                        ("规划期", f"{old.base_year}–{old.target_year}年", f"{new.base_year}–{new.target_year}年"),
                        ("全域名称", old.district, new.district), ("地区层级", old.region_level, new.region_level),
                        ("重点任务标题", old.tasks_heading, new.tasks_heading)):
        if a != b:
            lines.append(f"{label}：{a} → {b}")
    lines += _goal_lines(old, new)
    lines += _series_lines(old, new)
    lines += _added_removed("地区", old.region_names, new.region_names)
    lines += _task_lines(old, new)
    if not lines:
        lines.append("其他内容有改动（别名、说明、阶段安排或上传检查阈值等），目标和数据口径不变")
    return lines


def _goal_lines(old: Plan, new: Plan) -> list[str]:
    lines = []
    for g in new.goals:
        if g.code not in old.goal_by_code:
            lines.append(f"新增目标：{g.name}（{g.code}），目标 {_target(new, g)}")
    for g in old.goals:
        if g.code not in new.goal_by_code:
            lines.append(f"删除目标：{g.name}（{g.code}）")
    for g in new.goals:
        before = old.goal_by_code.get(g.code)
        if before is None:
            continue
        diffs = [f"{label} {a} → {b}" for label, a, b in (
            ("名称", before.name, g.name),
            ("单位", before.unit, g.unit),
            ("类型", KIND_LABELS.get(before.kind, before.kind), KIND_LABELS.get(g.kind, g.kind)),
            ("目标", _target(old, before), _target(new, g)),
            ("基期年", old.base_year_of(before), new.base_year_of(g)),
            ("目标年份", old.target_year_of(before), new.target_year_of(g)),
            ("基期值", _number(before.base_value), _number(g.base_value)),
            ("中期目标", _interim(before), _interim(g)),
            ("指标属性", before.nature or "未注明", g.nature or "未注明"),
            ("可加总", "是" if before.additive else "否", "是" if g.additive else "否"),
            ("类别", before.category, g.category),
            ("小数位", before.display_decimals, g.display_decimals),
            ("计算方法", _derive(before), _derive(g)),
        ) if a != b]
        if diffs:
            lines.append(f"目标“{g.name}”（{g.code}）：" + "；".join(diffs))
    return lines


def _series_lines(old: Plan, new: Plan) -> list[str]:
    """Series that are no goal of their own (numerators, context): added, removed, unit or name."""
    goals_old, goals_new = set(old.goal_by_code), set(new.goal_by_code)
    a = {c: s for c, s in old.all_series.items() if c not in goals_old}
    b = {c: s for c, s in new.all_series.items() if c not in goals_new}
    lines = [f"新增数据项：{s.name}（{c}，{s.unit}）" for c, s in b.items() if c not in a]
    lines += [f"删除数据项：{s.name}（{c}）" for c, s in a.items() if c not in b]
    for c, s in b.items():
        if c in a and (a[c].unit, a[c].name) != (s.unit, s.name):
            parts = [f"{label} {x} → {y}" for label, x, y in (("名称", a[c].name, s.name), ("单位", a[c].unit, s.unit))
                     if x != y]
            lines.append(f"数据项“{s.name}”（{c}）：" + "；".join(parts))
    return lines


def _task_lines(old: Plan, new: Plan) -> list[str]:
    a = {t.id: t for t in old.tasks}
    b = {t.id: t for t in new.tasks}
    lines = _added_removed("重点任务段落", [i for i in a], [i for i in b])
    changed = [i for i in b if i in a and (a[i].text, a[i].task_title, a[i].lead) != (b[i].text, b[i].task_title, b[i].lead)]
    if changed:
        lines.append(f"重点任务段落内容有改动：{_listing(changed)}")
    return lines


def _added_removed(label: str, old: tuple | list, new: tuple | list) -> list[str]:
    added = [x for x in new if x not in set(old)]
    removed = [x for x in old if x not in set(new)]
    return ([f"新增{label}：{_listing(added)}"] if added else []) + ([f"删除{label}：{_listing(removed)}"] if removed else [])


def _listing(items: list[str], most: int = 10) -> str:
    return "、".join(items[:most]) + (f" 等 {len(items)} 项" if len(items) > most else "")


def _target(plan: Plan, g: Goal) -> str:
    return g.target_text() or "（由基期值推算）"


def _number(x: float | None) -> str:
    return "未给出" if x is None else f"{x:g}"


def _interim(g: Goal) -> str:
    return "、".join(f"{y}年{v:g}" for y, v in g.targets) or "无"


def _derive(g: Goal) -> str:
    if g.derive is None:
        return "直接填报"
    return f"{g.derive.numerator.name}÷{g.derive.denominator}×{g.derive.factor:g}"


def unit_changes(old: Plan, new: Plan) -> list[Series]:
    """Series of `new` whose unit differs from the same code in `old`."""
    return [s for c, s in new.all_series.items() if c in old.all_series and old.all_series[c].unit != s.unit]


# --- which plans there are -------------------------------------------------------------------

_file_cache: dict[Path, tuple[tuple[int, int], Plan | IpdataError]] = {}
_file_cache_guard = threading.Lock()


def plan_file(path: Path) -> Plan:
    """The plan in a file of the plans directory, read again only when the file changed (pages
    ask on every rerun)."""
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        return load_plan(path)  # says in Chinese that it is missing
    with _file_cache_guard:
        hit = _file_cache.get(path)
    if hit is None or hit[0] != stamp:
        try:
            hit = (stamp, load_plan(path))
        except IpdataError as exc:
            hit = (stamp, exc)
        with _file_cache_guard:
            _file_cache[path] = hit
    if isinstance(hit[1], IpdataError):
        raise hit[1]
    return hit[1]


def _dir_file(plan_id: str) -> Path | None:
    path = settings.plans_dir() / f"{plan_id}.yaml"
    return path if path.is_file() else None


def _newest(items: list[tuple[int, int, str]]) -> str | None:
    """The id of the newest of (target_year, base_year, name): latest target year, then latest
    base year; among equals, the first name in alphabetical order."""
    if not items:
        return None
    return sorted(items, key=lambda t: (-t[0], -t[1], t[2]))[0][2]


def file_plans() -> list[tuple[Path, Plan | IpdataError]]:
    """Every plan file of the plans directory with its plan, or why it cannot be read."""
    out: list[tuple[Path, Plan | IpdataError]] = []
    for path in plan_files():
        try:
            out.append((path, plan_file(path)))
        except IpdataError as exc:
            out.append((path, exc))
    return out


def default_plan_id(db: Path | str | None = None) -> str:
    """The plan to show when none is named: IPDATA_PLAN when set; else the newest plan the store
    at `db` (default IPDATA_DB) holds; else the newest readable plan file of the plans directory
    (newest: latest target year, then latest base year; ties by file name)."""
    chosen = settings.get("IPDATA_PLAN").strip()
    if chosen:
        return chosen
    from ipdata.store import stored_plans

    path = Path(db) if db else settings.db_path()
    held = stored_plans(path) if path.exists() else []
    newest = _newest([(r.target_year, r.base_year, r.id) for r in held])
    if newest is None:
        readable = [(p.target_year, p.base_year, path.stem) for path, p in file_plans() if isinstance(p, Plan)]
        newest = _newest(readable)
    if newest is None:
        raise IpdataError(
            f"没有可用的规划：数据库中没有载入任何规划，规划目录 {settings.plans_dir()} 中也没有可读的规划文件(*.yaml)。",
            hint="把规划文件放入规划目录(IPDATA_PLANS_DIR)，或用 --plan 指定规划文件。")
    # the store's newest is named by id; a file's by its name, which is its id (catalogue checks it)
    return newest


def resolve(ref: str | Path | None, db: Path | str | None = None) -> Plan | str:
    """What to open the store at `db` with for `ref` (a plan id, a plan file, or None: the
    default): the plan file's plan when there is one; a bare id when only the store holds the
    plan (its file is gone: the store reads its accepted text)."""
    if isinstance(ref, Path) or (ref and str(ref).endswith((".yaml", ".yml"))):
        return load_plan(ref)
    plan_id = str(ref).strip() if ref else default_plan_id(db)
    from ipdata.store import stored_plans

    path = Path(db) if db else settings.db_path()
    held = {r.id for r in stored_plans(path)} if path.exists() else set()
    file = _dir_file(plan_id)
    if file is not None:
        try:
            return plan_file(file)
        except IpdataError:
            if plan_id not in held:
                raise
            return plan_id  # a broken edit of a loaded plan: the accepted version stays in use
    if plan_id in held:
        return plan_id
    known = sorted(held | {p.stem for p in plan_files()})
    raise IpdataError(
        f"找不到规划“{plan_id}”：规划目录 {settings.plans_dir()} 中没有 {plan_id}.yaml，数据库中也没有载入这个规划。",
        hint=(f"可用的规划：{'、'.join(known)}。" if known else "")
        + "用 python -m ipdata plans 查看全部规划；检查 --plan 或 IPDATA_PLAN 的拼写。")


def broken_file(plan_id: str) -> IpdataError | None:
    """Why the plan's file in the plans directory cannot be read (None: it can, or there is none)."""
    file = _dir_file(plan_id)
    if file is None:
        return None
    try:
        plan_file(file)
    except IpdataError as exc:
        return exc
    return None


def list_plans(db: Path | str | None = None) -> list[PlanInfo]:
    """Every plan the store at `db` holds and every plan file, newest first, with its state:
    已载入 / 规划文件有改动，待确认 / 尚未载入 (or 规划文件有错误)."""
    from ipdata.store import stored_plans
    from ipdata.store.registry import accepted_plan

    path = Path(db) if db else settings.db_path()
    held = {r.id: r for r in (stored_plans(path) if path.exists() else [])}
    files = {p.stem: (p, plan) for p, plan in file_plans()}
    out = []
    for plan_id in sorted(set(held) | set(files)):
        row = held.get(plan_id)
        file, plan = files.get(plan_id, (None, None))
        if isinstance(plan, IpdataError):
            problem = plan.message
            plan = None
        else:
            problem = ""
        if row is not None:
            accepted = accepted_plan(row) if row.text else None
            same = plan is None or accepted is None or accepted.digest == plan.digest
            state = STATE_LOADED if same else STATE_CHANGED
            if problem:
                state = f"{STATE_LOADED}；{STATE_BROKEN}"
            out.append(PlanInfo(plan_id, row.title, row.base_year, row.target_year, row.n_goals, state, True,
                                file, problem))
        elif plan is not None:
            out.append(PlanInfo(plan_id, plan.title, plan.base_year, plan.target_year, len(plan.goals), STATE_NEW,
                                False, file))
        else:
            out.append(PlanInfo(plan_id, "", None, None, None, STATE_BROKEN, False, file, problem))
    out.sort(key=lambda i: (-(i.target_year or 0), -(i.base_year or 0), i.id))
    return out
