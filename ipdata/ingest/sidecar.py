"""What the cell reader (calamine) does not tell, found beside it per file format.

calamine gives each cell's value, but an error result (#DIV/0!) comes back as an empty cell, a
number shown as a percentage as the bare fraction, and it says nothing of hidden rows and columns
(nor of merged cells in .ods). Each format has its own scan (rawxml.py for .xlsx, odsxml.py for
.ods, biff.py for .xls); all fill one `Scan`, which workbook.py lays over calamine's grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ipdata.errors import Problem

Cell = tuple[int, int]  # (row, column), 0-based
Merge = tuple[Cell, Cell]  # top-left, bottom-right, inclusive


@dataclass
class Scan:
    formula_problems: list[Problem] = field(default_factory=list)  # formulas saved without a result
    percent_cells: dict[str, set[Cell]] = field(default_factory=dict)  # sheet -> numbers shown as %
    error_cells: dict[str, dict[Cell, str]] = field(default_factory=dict)  # sheet -> cell -> "#DIV/0!"
    hidden_rows: dict[str, set[int]] = field(default_factory=dict)
    hidden_cols: dict[str, set[int]] = field(default_factory=dict)
    merges: dict[str, list[Merge]] = field(default_factory=dict)  # only where calamine has none (.ods)


def scan(data: bytes, fmt: str) -> Scan:
    """The side scan for a workbook of format `fmt` (xlsx, xls, ods; others: nothing to add)."""
    if fmt == "xlsx":
        from ipdata.ingest.rawxml import scan as scan_xlsx

        return scan_xlsx(data)
    if fmt == "ods":
        from ipdata.ingest.odsxml import scan as scan_ods

        return scan_ods(data)
    if fmt == "xls":
        from ipdata.ingest.biff import scan as scan_xls

        return scan_xls(data)
    return Scan()
