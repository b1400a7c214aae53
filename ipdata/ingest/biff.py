"""What calamine does not tell of an .xls (Excel 97-2003, BIFF8), read with xlrd: error results
(#DIV/0! comes back as an empty cell), numbers shown as percentages, hidden rows and columns.
"""

from __future__ import annotations

import xlrd

from ipdata.ingest.rawxml import is_percent_format
from ipdata.ingest.sidecar import Scan


def scan(data: bytes) -> Scan:
    out = Scan()
    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    try:
        percent_xf = {i for i, xf in enumerate(book.xf_list)
                      if (fmt := book.format_map.get(xf.format_key)) is not None and is_percent_format(fmt.format_str)}
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            name = sheet.name
            errors, percent = {}, set()
            for r in range(sheet.nrows):
                types = sheet.row_types(r)
                for c, kind in enumerate(types):
                    if kind == xlrd.XL_CELL_ERROR:
                        errors[(r, c)] = xlrd.error_text_from_code.get(sheet.cell_value(r, c), "#N/A")
                    elif kind == xlrd.XL_CELL_NUMBER and percent_xf and sheet.cell_xf_index(r, c) in percent_xf:
                        percent.add((r, c))
            if errors:
                out.error_cells[name] = errors
            if percent:
                out.percent_cells[name] = percent
            rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
            cols = {c for c, info in sheet.colinfo_map.items() if info.hidden}
            if rows:
                out.hidden_rows[name] = rows
            if cols:
                out.hidden_cols[name] = cols
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return out
