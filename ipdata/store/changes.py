"""What an upload or rollback changes, as one tidy frame the UI can show as is."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ipdata.catalogue import Plan
from ipdata.store.schema import SPECS

CHANGE_COLUMNS = ["table", "series", "region", "year", "task_id", "name", "unit", "old", "new",
                  "change", "fields"]
# change: new | changed | unchanged, and for rollbacks and notes taken back also removed (uploads
# never remove their own data). A note's row: table "notes", series = the goal's code, year None
# for the whole goal, name "<goal name>（<kind>）", old/new its text. fields: comma-separated names of the fields that differ, for "changed" rows
# (e.g. "value,note"). An official import into a store holding demo data also writes tombstones
# classified "demo-removed"; they are counted in `n_demo_removed`, not listed in `rows`.


@dataclass(frozen=True)
class Changes:
    """The classified delta of an upload or rollback against the current state.

    `deltas` holds, per table, the Arrow table the diff SQL returned; `Store.apply` writes exactly
    those rows, so what a preview shows and what gets saved can never differ. The counts come
    straight from the Arrow tables; the tidy `rows` frame (names, units, old/new) is built only
    when something shows it: saving a 100,000-row import does not pay for a frame nobody reads.
    """

    deltas: dict[str, pa.Table] = field(repr=False)
    plan: Plan = field(repr=False, compare=False)
    # Every current demo value, target and task status this (official) import removes: those
    # with a tombstone and those its own rows replace. Demo and official data never mix.
    n_demo_removed: int = 0

    @cached_property
    def rows(self) -> pd.DataFrame:
        return _rows(self.plan, self.deltas)

    @cached_property
    def _counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for table in self.deltas.values():
            if table.num_rows:
                for item in pc.value_counts(table["change"]).to_pylist():
                    counts[item["values"]] = counts.get(item["values"], 0) + item["counts"]
        return counts

    def _count(self, change: str) -> int:
        return self._counts.get(change, 0)

    @property
    def n_new(self) -> int:
        return self._count("new")

    @property
    def n_changed(self) -> int:
        return self._count("changed")

    @property
    def n_unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def n_removed(self) -> int:
        return self._count("removed")

    @property
    def is_noop(self) -> bool:
        return self.n_new + self.n_changed + self.n_removed + self.n_demo_removed == 0

    def summary(self, applied: bool = False) -> str:
        """新增 12 项，修改 2 项，未变 40 项 (删除 when a rollback removes items; for an official
        import over demo data "；将删除示例数据 N 项", or 已删除 once `applied`)."""
        text = f"新增 {self.n_new} 项，修改 {self.n_changed} 项"
        if self.n_removed:
            text += f"，删除 {self.n_removed} 项"
        text += f"，未变 {self.n_unchanged} 项"
        if self.n_demo_removed:
            text += f"；{'已' if applied else '将'}删除示例数据 {self.n_demo_removed} 项"
        return text


@dataclass(frozen=True)
class ApplyResult:
    revision_id: int | None  # None when nothing changed and no revision was written
    changes: Changes
    message: str  # Chinese, ready to show

    @property
    def noop(self) -> bool:
        return self.revision_id is None


def build_changes(plan: Plan, deltas: dict[str, pa.Table], n_demo_removed: int = 0) -> Changes:
    """Changes from per-table diff results (see revisions.diff), keyed by TableSpec.name."""
    return Changes(dict(deltas), plan, n_demo_removed)


def _rows(plan: Plan, deltas: dict[str, pa.Table]) -> pd.DataFrame:
    """Combine the per-table deltas into the tidy frame of CHANGE_COLUMNS."""
    tasks = {t.id: t for t in plan.tasks}
    parts = []
    for spec in SPECS:
        table = deltas.get(spec.name)
        if table is None or not table.num_rows:
            continue
        d = table.to_pandas()
        d = d[d["change"] != "demo-removed"].reset_index(drop=True)
        if d.empty:
            continue
        part = pd.DataFrame({"table": spec.name}, index=d.index)
        for k in ("series", "region", "year", "task_id"):
            part[k] = d.get(k)
        # Names and units are looked up once per distinct code, then mapped onto the rows.
        if spec.name == "notes":
            # a goal's note: its code as the series, its year (none for the whole goal), its kind
            part["series"] = d["goal"]
            part["year"] = d["year"].where(d["year"] != 0, None)
            mine = d["plan_id"] == plan.id
            names = {g.code: g.name for g in plan.goals}
            part["name"] = [f"{names.get(c, c) if m else f'{c}（{p}）'}（{k}）"
                            for c, p, k, m in zip(d["goal"], d["plan_id"], d["kind"], mine, strict=True)]
            part["unit"] = None
        elif spec.name == "tasks":
            # a rollback restores every plan's tasks: another plan's are named with its id
            mine = d["plan_id"] == plan.id
            part["name"] = _lookup(d["task_id"].where(mine, d["task_id"] + "（" + d["plan_id"] + "）"),
                                   {t: p.task_title for t, p in tasks.items()}, same=True)
            part["unit"] = None
        else:
            known = plan.all_series
            part["name"] = _lookup(d["series"], {c: s.name for c, s in known.items()}, same=True)
            part["unit"] = _lookup(d["series"], {c: s.unit for c, s in known.items()}, same=False)
        part["old"] = d[f"old_{spec.main}"].astype(object)
        part["new"] = d[f"new_{spec.main}"].astype(object)
        part["change"] = d["change"]
        part["fields"] = d["fields"]
        parts.append(part)
    if not parts:
        rows = pd.DataFrame({c: pd.Series(dtype=object) for c in CHANGE_COLUMNS})
    else:
        rows = pd.concat(parts, ignore_index=True)
    rows["year"] = rows["year"].astype("Int64")
    for c in CHANGE_COLUMNS:
        if c != "year":
            rows[c] = rows[c].astype(object).where(rows[c].notna(), None)
    return rows[CHANGE_COLUMNS]


def _lookup(codes: pd.Series, table: dict, same: bool) -> list:
    """table[code] per row; a code not in the table gives itself (same) or None."""
    index, uniques = pd.factorize(codes, use_na_sentinel=False)
    found = np.array([table.get(c, c if same else None) for c in uniques], dtype=object)
    return list(found[index])
