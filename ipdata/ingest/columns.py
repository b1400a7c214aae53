"""Whole-column reading of a data table (wide, long or targets): the fast path for big files.

A statistician's file repeats a few hundred names, regions and numbers over many rows, so every
cell function (`is_blank`, `text_or_none`, `parse_number`, name matching…) runs once per distinct
value of a column and its answer is mapped onto the rows with numpy. A row whose cells all read
cleanly becomes records here; any other row (an unknown name, a bad number or year, a unit
mismatch) goes through the row-by-row reader in `values.py`, in sheet order, so every problem —
its code, cell and message — is exactly the one that reader gives. `tables.read_table` remains the
reference for which rows count; `tests/test_ingest_fast.py` checks the two agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ipdata.errors import Problem, column_letter
from ipdata.ingest.cells import (
    is_blank,
    parse_milestone,
    parse_number,
    parse_target,
    parse_year,
    text_or_none,
)
from ipdata.ingest.matching import units_match
from ipdata.ingest.tables import Header, _read_data_row, is_footnote, is_section_row
from ipdata.ingest.values import FIRST_YEAR, MAX_MAGNITUDE, NON_NEGATIVE_UNITS, RowReader
from ipdata.ingest.workbook import Sheet

ROW_TEXTS = ("name", "code", "unit", "region", "source", "note")


class Column:
    """One column of the table body, factorised: `codes[i]` indexes `uniques`."""

    def __init__(self, values: np.ndarray):
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        # factorize turns None into NaN; code -1 (the last entry of a mapped list) keeps the cell
        # as it was (None or NaN: every cell function treats both as blank).
        missing = np.flatnonzero(codes < 0)
        self.uniques = list(uniques) + ([values[missing[0]]] if len(missing) else [])
        self.codes = np.where(codes < 0, len(self.uniques) - 1, codes)

    def may_hide_bool(self) -> bool:
        """Whether a True/False could be among the cells (merged into a 1 or 0 by factorize)."""
        return any(isinstance(u, bool | int | float) and u in (0, 1) for u in self.uniques)

    def map(self, fn: Callable[[Any], Any], dtype: Any = object) -> np.ndarray:
        """fn(cell) for every cell, computed once per distinct value."""
        if not len(self.codes):
            return np.empty(0, dtype=dtype)
        out = np.empty(len(self.uniques), dtype=dtype)
        out[:] = [fn(u) for u in self.uniques]
        return out[self.codes]


def read_rows(sheet: Sheet, h: Header, reader: RowReader) -> tuple[list[pd.DataFrame], list[pd.DataFrame],
                                                                   list[Problem]] | None:
    """(observation frames, target frames, problems) for the table under header `h`, or None when
    the table is one the fast path does not take (then read it with `tables.read_table`)."""
    body = h.rows(sheet)
    if h.col_regions:  # regions as columns: a small table, read row by row
        return None
    if not body:
        return [], [], []
    grid = np.empty((len(body), len(body[0])), dtype=object)
    grid[:] = body
    cols = [Column(grid[:, j]) for j in range(grid.shape[1])]
    # factorize treats True, 1 and 1.0 as one value, but the cell functions do not (True is not
    # the number 1): a table with a TRUE/FALSE cell is read row by row.
    if any(c.may_hide_bool() and any(isinstance(v, bool) for v in grid[:, j]) for j, c in enumerate(cols)):
        return None
    return _Table(sheet, h, reader, grid, cols).read()


class _Table:
    def __init__(self, sheet: Sheet, h: Header, reader: RowReader, grid: np.ndarray, cols: list[Column]):
        self.sheet, self.h, self.reader, self.grid, self.cols = sheet, h, reader, grid, cols
        self.n = grid.shape[0]
        self.excel_row = np.arange(self.n) + h.body + 1  # 1-based Excel row of each body row
        self.blank = np.column_stack([c.map(is_blank, bool) for c in cols]) if cols else np.ones((self.n, 0), bool)

    # --- which rows are data rows (tables.read_table + _read_data_row) --------------------

    def _skipped(self) -> np.ndarray:
        """All blank, or a footnote (注：…), judged by the row's first non-blank cell."""
        empty = self.blank.all(axis=1)
        first = self.grid[np.arange(self.n), np.argmin(self.blank, axis=1)]
        foot = Column(first).map(lambda v: not is_blank(v) and is_footnote([v]), bool)
        return empty | foot

    def _maybe_section(self) -> np.ndarray:
        """Rows that may be a section heading merged across the table (tables.is_section_row):
        text in the first filled cell and nothing else but the same value."""
        first = self.grid[np.arange(self.n), np.argmin(self.blank, axis=1)] if self.n else np.empty(0, object)
        text = np.array([isinstance(v, str) for v in first], bool)
        same = np.ones(self.n, bool)
        for j in range(self.grid.shape[1]):
            same &= self.blank[:, j] | (self.grid[:, j] == first).astype(bool)
        return text & same

    def _entries(self) -> list[tuple[str, int, np.ndarray | int | None, int | None]]:
        """(kind, column, raw year per row or header year, year column) of every entry column."""
        h = self.h
        out: list[tuple[str, int, Any, int | None]] = []
        if h.kind == "wide":
            out += [("value", c, y, c) for c, y in h.years]
        elif h.kind == "long":
            out.append(("value", h.roles["value"], self.grid[:, h.roles["year"]], h.roles["year"]))
        for c, y in h.targets:
            out.append(("target", c, y, c))
        return out

    # --- reading --------------------------------------------------------------------------

    def read(self) -> tuple[list[pd.DataFrame], list[pd.DataFrame], list[Problem]]:
        h, reader = self.h, self.reader
        entries = self._entries()
        filled = {c: ~self.blank[:, c] for _, c, _, _ in entries}
        has_entry = np.zeros(self.n, bool)
        for f in filled.values():
            has_entry |= f
        rows = ~self._skipped() & has_entry
        text = {role: (self.cols[h.roles[role]].map(text_or_none) if role in h.roles else np.full(self.n, None))
                for role in ROW_TEXTS}
        if "region" not in h.roles:  # the one region a title, 填报单位 line or sheet name gives, or the district
            text["region"] = np.full(self.n, h.fixed_region or h.sheet_region, dtype=object)
        if "name" not in h.roles and h.fixed_name:  # the one indicator a title names
            text["name"] = np.full(self.n, h.fixed_name, dtype=object)
        if "unit" not in h.roles and h.table_unit:  # 单位：万元 above the table
            text["unit"] = np.full(self.n, h.table_unit[0], dtype=object)
        series, clean = self._series(text)
        clean &= rows
        clean &= np.array([s is None or s.code not in reader._ranks for s in series], bool)  # ranks: row by row
        regions = Column(text["region"])
        region = regions.map(reader.region)
        too_long = self._too_long(text, regions)
        no_region = clean & np.array([r is None for r in region], bool) & ~too_long
        clean &= np.array([r is not None for r in region], bool)  # unknown regions: told row by row
        clean &= ~too_long  # a region, source or note longer than may be kept: row by row

        milestone = np.array([s is not None and s.code in reader._milestones for s in series], bool)
        unit = np.array([None if s is None else s.unit for s in series], dtype=object)
        values: list[tuple[str, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        for kind, c, year, year_col in entries:
            ok, number, pct = self._numbers(c, kind, milestone, unit)
            if c in h.col_units:  # 2023年（万元）: rows of goals in other units are told row by row
                ok &= np.array([s is not None and units_match(h.col_units[c], s) for s in series], bool)
            year_ok, year_value = self._years(kind, year, year_col)
            good = ok & year_ok
            clean &= ~filled[c] | good
            values.append((kind, c, filled[c], number, year_value, pct))
        reader.indicator_rows += int(np.count_nonzero(clean))

        problems: list[Problem] = []
        name_col = h.roles.get("name", h.roles.get("code"))
        slow = np.flatnonzero(rows & ~clean)
        maybe_section = self._maybe_section() if len(slow) else None
        for i in slow:  # the row-by-row reader, in sheet order
            cells = self.sheet.rows[h.body + i]
            # Two plain kinds of row are settled here as the row-by-row reader would, without
            # building each row again (820,000 rows of junk once took minutes): a name the plan
            # does not track (skipped, listed in one notice), a goal for a region it does not list.
            unknown = reader.is_unknown_name(text["code"][i], text["name"][i])
            plain = unknown or no_region[i] and not reader.regions.is_subtotal(text["region"][i])
            if plain and not (maybe_section[i] and is_section_row(cells)):
                if unknown:
                    reader.skipped.append((self.sheet.name, int(self.excel_row[i]), name_col,
                                           text["name"][i] or text["code"][i]))
                else:
                    reader.indicator_rows += 1
                    problems.append(reader.unknown_region(self.sheet.name, int(self.excel_row[i]), h.roles.get("region"),
                                                          text["region"][i] or ""))
                continue
            row = _read_data_row(self.sheet.name, h, cells, h.body + i)
            if row is not None:
                problems += list(reader.read(row))

        obs, targets = [], []
        codes = np.array([None if s is None else s.code for s in series], dtype=object)
        for kind, c, f, number, year_value, pct in values:
            take = np.flatnonzero(clean & f)
            if not len(take):
                continue
            r = self.excel_row[take]
            letter = column_letter(c)
            frame = pd.DataFrame({"series": codes[take], "region": region[take],
                                  "year": year_value[take].astype("int64"), "value": number[take]})
            if kind == "value":
                frame["source"] = text["source"][take]
            frame["note"] = text["note"][take]
            frame["sheet"] = self.sheet.name
            frame["cell"] = letter + pd.Series(r, index=frame.index).astype(str)  # vectorised: 100k rows
            frame["_row"] = r
            frame["_col"] = c
            frame["_pct"] = pct[take]
            if kind == "value":
                obs.append(frame)
            else:
                targets.append(frame.rename(columns={"value": "target"}))
        return obs, targets, problems

    def _too_long(self, text: dict[str, np.ndarray], regions: Column) -> np.ndarray:
        lim, reader = self.reader.limits, self.reader

        def long_region(raw: Any) -> bool:  # as RowReader.too_long: unless it names a listed region
            if raw is None or len(raw) <= lim.name_chars:
                return False
            resolved = reader.region(raw)
            return resolved is None or len(resolved) > lim.name_chars

        out = regions.map(long_region, bool)
        for role, chars in (("source", lim.source_chars), ("note", lim.note_chars)):
            out |= Column(text[role]).map(lambda t, n=chars: t is not None and len(t) > n, bool)
        return out

    def _series(self, text: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """The series of each row when its name, code and unit read without a problem (else None)."""
        keys = [Column(text[k]) for k in ("code", "name", "unit")]
        combined = np.zeros(self.n, dtype=np.int64)
        for k in keys:
            combined = combined * (len(k.uniques) + 1) + k.codes
        distinct, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
        found = [self.reader.clean_series(text["code"][i], text["name"][i], text["unit"][i]) for i in first]
        series = np.array(found + [None], dtype=object)[:-1][inverse.reshape(-1)]
        return series, np.array([s is not None for s in series], bool)

    def _numbers(self, c: int, kind: str, milestone: np.ndarray,
                 unit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Whether each cell of column c is a value RowReader._value accepts, that value, and
        whether it was shown as a percentage."""
        col = self.cols[c]
        if kind == "target":  # targets as the plan words them (≥18, 突破20); others row by row
            parsed = [(t, isinstance(u, str) and "%" in u) if (t := parse_target(u)) is not None else None
                      for u in col.uniques]
        else:
            parsed = [parse_number(u) for u in col.uniques]
        num = np.array([np.nan if p is None else p[0] for p in parsed], dtype="float64")[col.codes]
        has = np.array([p is not None for p in parsed], bool)[col.codes]
        pct = np.array([p is not None and p[1] for p in parsed], bool)[col.codes]
        is_pct = unit == "%"
        nonneg = np.array([u in NON_NEGATIVE_UNITS for u in unit], bool)
        with np.errstate(invalid="ignore"):
            ok = (has & ~(pct & ~is_pct) & ~(is_pct & ~((num >= 0) & (num <= 100))) & ~(nonneg & (num < 0))
                  & (np.abs(num) <= MAX_MAGNITUDE))
        if kind == "value" and milestone.any():
            mile = col.map(parse_milestone)
            mile_ok = np.array([m is not None for m in mile], bool)
            ok = np.where(milestone, mile_ok, ok)
            num = np.where(milestone, np.array([np.nan if m is None else m for m in mile], "float64"), num)
            pct = pct & ~milestone
        return ok, num, pct

    def _years(self, kind: str, year: Any, year_col: int | None) -> tuple[np.ndarray, np.ndarray]:
        """Whether each row's year for this entry is one RowReader._year accepts, and that year."""
        reader, h = self.reader, self.h
        latest = 2100 if kind == "target" else reader.this_year

        def accept(raw: Any) -> int | None:
            if kind == "target" and (raw is None or is_blank(raw)):
                return reader.plan.target_year
            y = parse_year(raw)
            return y if y is not None and FIRST_YEAR <= y <= latest else None

        if kind == "target" and h.kind == "targets" and "target_year" in h.roles:
            col = self.cols[h.roles["target_year"]]
            given = col.map(lambda v: None if is_blank(v) else accept(v))
            own = ~self.blank[:, h.roles["target_year"]]
            fixed = accept(year)
            years = np.where(own, given, fixed)
        elif isinstance(year, np.ndarray):
            years = Column(year).map(accept)
        else:
            years = np.full(self.n, accept(year), dtype=object)
        ok = np.array([y is not None for y in years], bool)
        return ok, np.where(ok, years, 0)
