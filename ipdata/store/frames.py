"""Turn an `Upload`'s frames into the exact typed columns the store writes, checking the contract.

Ingest already validates the user's file; these checks only guard the ingest -> store contract
(unknown codes, duplicate keys, missing values), so a bug upstream becomes a located problem
instead of a half-understood database error.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from ipdata.catalogue import Plan
from ipdata.errors import Problem
from ipdata.ingest.upload import Upload
from ipdata.store.schema import NOTES, TARGETS, TASKS, VALUES, TableSpec

_CELL = re.compile(r"^([A-Za-z]+)(\d+)$")


def _text(value: object) -> str | None:
    """Blank text (None, NaN, '', spaces) is stored as NULL so that '' and None compare equal."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    s = str(value).strip()
    return s or None


def _where(row: dict) -> dict:
    """Problem location from the sheet/cell columns of an upload row."""
    sheet = _text(row.get("sheet"))
    match = _CELL.match(_text(row.get("cell")) or "")
    if match:
        return {"sheet": sheet, "column": match.group(1).upper(), "row": int(match.group(2))}
    return {"sheet": sheet}


def normalise(upload: Upload, plan: Plan, is_demo: bool) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Typed frames keyed by TableSpec.name, plus problems that make the upload unsavable."""
    problems: list[Problem] = []
    series_codes = set(plan.all_series)
    task_ids = {t.id for t in plan.tasks}
    frames = {
        VALUES.name: _rows(upload.observations, VALUES, problems, series_codes),
        TARGETS.name: _rows(upload.targets, TARGETS, problems, series_codes),
        # task ids are the plan's own: its progress is kept under its id
        TASKS.name: _rows(upload.tasks.assign(plan_id=plan.id), TASKS, problems, task_ids),
        NOTES.name: empty(NOTES),  # a workbook carries no notes: they are written on the goal page
    }
    for frame in frames.values():
        set_demo(frame, is_demo)
    return frames, problems


def empty(spec: TableSpec) -> pd.DataFrame:
    """A typed frame of `spec` without rows (a table an upload does not touch)."""
    dtypes = {c: "Int64" if c == "year" else "float64" if c in spec.numbers else object
              for c in (*spec.keys, *spec.numbers, *spec.texts)}
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


def set_demo(frame: pd.DataFrame, is_demo: bool) -> None:
    """Mark every row of a typed frame as demo data or not (the `is_demo` flag of each table)."""
    frame["is_demo"] = pd.Series(is_demo, index=frame.index, dtype=bool)


def _rows(frame: pd.DataFrame, spec: TableSpec, problems: list[Problem], known: set[str]) -> pd.DataFrame:
    """Typed columns of `spec` from `frame`; contract violations become problems.

    A whole-column pass handles the normal case (every key present, known and unique, every
    value a finite number); only a frame that breaks the contract somewhere is walked row by row,
    so the problems and the typed frame are exactly those of the row-by-row reading.
    """
    typed = _rows_fast(frame, spec, known)
    return typed if typed is not None else _rows_checked(frame, spec, problems, known)


def _rows_checked(frame: pd.DataFrame, spec: TableSpec, problems: list[Problem], known: set[str]) -> pd.DataFrame:
    out: dict[str, list] = {c: [] for c in (*spec.keys, *spec.numbers, *spec.texts)}
    seen: dict[tuple, dict] = {}
    code_col = spec.keys[0]
    for row in frame.to_dict("records"):
        where = _where(row)
        key_values = []
        for k in spec.keys:
            v = row.get(k)
            if k == "year":
                v = _year(v)
                if v is None:
                    problems.append(Problem("store-bad-year", f"年份“{row.get(k)}”不是整数年份", value=row.get(k), **where))
            else:
                v = _text(v)
                if v is None:
                    problems.append(Problem("store-missing-key", f"缺少“{k}”", **where))
            key_values.append(v)
        code = key_values[0]
        if code is not None and code not in known:
            problems.append(Problem("store-unknown-code", f"“{code}”不在规划目录中（{code_col}）", value=code, **where))
        key = tuple(key_values)
        if None not in key and key in seen:
            problems.append(Problem("store-duplicate-key", f"同一项数据出现了两次：{'/'.join(map(str, key))}", value=code, **where))
        seen[key] = where
        for k, v in zip(spec.keys, key_values, strict=True):
            out[k].append(v)
        for n in spec.numbers:
            x = _number(row.get(n))
            if x is None:
                problems.append(Problem("store-missing-value", f"“{code}”缺少数值（{n}）", value=row.get(n), **where))
            out[n].append(x)
        for t in spec.texts:
            out[t].append(_text(row.get(t)))
        if spec.main in spec.texts and out[spec.main][-1] is None:
            problems.append(Problem("store-missing-value", f"“{code}”缺少{spec.main}", **where))
    # Explicit dtypes (Int64: bad years are None); object text keeps None for blank, not NaN.
    dtypes = {k: "Int64" if k == "year" else object for k in spec.keys} | dict.fromkeys(spec.numbers, "float64")
    return pd.DataFrame({c: pd.Series(v, dtype=dtypes.get(c, object)) for c, v in out.items()})


def _rows_fast(frame: pd.DataFrame, spec: TableSpec, known: set[str]) -> pd.DataFrame | None:
    """The typed frame, or None if any row breaks the contract (then `_rows_checked` says where)."""
    out: dict[str, object] = {}
    for k in spec.keys:
        if k not in frame:
            return None
        col = _years(frame[k]) if k == "year" else _texts(frame[k])
        if col.isna().any():
            return None
        out[k] = col
    if not out[spec.keys[0]].isin(known).all():
        return None
    if pd.DataFrame(out).duplicated().any():
        return None
    for n in spec.numbers:
        if n not in frame or not _plain_numbers(frame[n]):
            return None
        out[n] = frame[n].to_numpy(dtype="float64")
    for t in spec.texts:
        out[t] = _texts(frame[t]) if t in frame else pd.Series([None] * len(frame), dtype=object)
    if spec.main in spec.texts and out[spec.main].isna().any():
        return None
    # Series in, dtypes kept: object text, Int64 year (no per-cell dtype inference on 100k rows).
    index = pd.RangeIndex(len(frame))
    return pd.DataFrame({c: (pd.Series(v.to_numpy(), index=index, dtype=v.dtype) if isinstance(v, pd.Series)
                             else pd.Series(v, index=index)) for c, v in out.items()})


def _texts(col: pd.Series) -> pd.Series:
    """`_text` of every cell, computed once per distinct text (object dtype, None for blank)."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    if all(isinstance(u, str) for u in uniques):  # factorize would merge 1, 1.0 and True
        mapped = np.array([_text(u) for u in uniques] + [None], dtype=object)
        return pd.Series(mapped[codes], dtype=object)
    return pd.Series([_text(v) for v in col], dtype=object)


def _years(col: pd.Series) -> pd.Series:
    """`_year` of every cell as Int64 (NA where not a whole number)."""
    if pd.api.types.is_integer_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return pd.Series(col.to_numpy(dtype="int64"), dtype="Int64")
    return pd.Series([_year(v) for v in col], dtype="Int64")


def _plain_numbers(col: pd.Series) -> bool:
    """A float or int column with only finite values: `_number` is then the identity."""
    if not pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype):
        return False
    if isinstance(col.dtype, pd.api.extensions.ExtensionDtype) and col.isna().any():
        return False
    return bool(np.isfinite(col.to_numpy(dtype="float64")).all())


def _year(value: object) -> int | None:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(f) if math.isfinite(f) and f.is_integer() else None


def _number(value: object) -> float | None:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None
