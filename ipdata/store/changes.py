"""What an upload or rollback changes, as one tidy frame the UI can show as is."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ipdata.catalogue import Plan
from ipdata.store.schema import SPECS

CHANGE_COLUMNS = ["table", "series", "region", "year", "task_id", "name", "unit", "old", "new",
                  "change", "fields"]
# change: new | changed | unchanged, and for rollbacks also removed (uploads never remove).
# fields: comma-separated names of the fields that differ, for "changed" rows (e.g. "value,note").


@dataclass(frozen=True)
class Changes:
    rows: pd.DataFrame
    # The classified per-table frames that `apply` writes; kept so preview and write agree.
    deltas: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def _counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.rows["change"].value_counts().items()}

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
        return self.n_new + self.n_changed + self.n_removed == 0

    def summary(self) -> str:
        """新增 12 项，修改 2 项，未变 40 项 (and 删除 when a rollback removes items)."""
        text = f"新增 {self.n_new} 项，修改 {self.n_changed} 项"
        if self.n_removed:
            text += f"，删除 {self.n_removed} 项"
        return text + f"，未变 {self.n_unchanged} 项"


@dataclass(frozen=True)
class ApplyResult:
    revision_id: int | None  # None when nothing changed and no revision was written
    changes: Changes
    message: str  # Chinese, ready to show

    @property
    def noop(self) -> bool:
        return self.revision_id is None


def build_changes(plan: Plan, deltas: dict[str, pd.DataFrame]) -> Changes:
    """Combine per-table diff frames (see revisions.diff) into the tidy `Changes.rows`."""
    tasks = {t.id: t for t in plan.tasks}
    parts = []
    for spec in SPECS:
        d = deltas.get(spec.name)
        if d is None or d.empty:
            continue
        part = pd.DataFrame({"table": spec.name}, index=d.index)
        for k in ("series", "region", "year", "task_id"):
            part[k] = d.get(k)
        # Names and units are looked up once per distinct code, then mapped onto the rows.
        if spec.name == "tasks":
            part["name"] = _lookup(d["task_id"], {t: p.task_title for t, p in tasks.items()}, same=True)
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
    return Changes(rows[CHANGE_COLUMNS], dict(deltas))


def _lookup(codes: pd.Series, table: dict, same: bool) -> list:
    """table[code] per row; a code not in the table gives itself (same) or None."""
    index, uniques = pd.factorize(codes, use_na_sentinel=False)
    found = np.array([table.get(c, c if same else None) for c in uniques], dtype=object)
    return list(found[index])
