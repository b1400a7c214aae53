"""Text from uploads stays text: one escape per place it is written or rendered.

    formula_like(text)      starts with = + - @ tab or CR (a spreadsheet may run it as a formula)
    neutralise_workbook(wb) every such text cell of an openpyxl workbook: a text cell with Excel's
                            quote prefix (what Excel stores when one types '=…)
    markdown(text)          for st.markdown / st.caption / st.error …: every character that could
                            start markup backslash-escaped, so nothing becomes a link, image,
                            HTML, heading, list, directive (:red[…]) or formula ($…$)
    plotly(text)            for chart titles, tick labels, legends, hovers and annotations, which
                            plotly.js reads as HTML (it draws <a href> as a link): entities instead
                            of < > & and %, so the text shows as typed

Why a quote prefix and not a leading "'" in the value (OWASP's advice for CSV): in an .xlsx the
apostrophe Excel shows is that prefix flag, not a character of the text; the cell opens as text,
stays text when edited, and the exported workbook re-imports with the very same names and notes.
The dashboard writes no CSV: Streamlit's own table download/copy (which would carry the text
raw) is switched off in .streamlit/config.toml (client.disableDataExport).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What starts markdown, HTML, a Streamlit directive (:red[…], :material/…:), math ($) or an
# autolink (http: mailto: a@b); "." only after www (GFM links www.example.com on its own).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-!|~:$&=^@])")
_WWW = re.compile(r"(?i)(www)\.")


def formula_like(value: Any) -> bool:
    """Whether a spreadsheet could read `value` as a formula (OWASP CSV injection's list)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise_cells(cells: Iterable[Any]) -> int:
    """Make each formula-like text cell an inert text cell; returns how many were changed.

    openpyxl types a value starting with "=" as a formula; the others are already text, but
    Excel would run them once a user edits the cell: the quote prefix keeps them text."""
    n = 0
    for cell in cells:
        if formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
            n += 1
    return n


def neutralise_workbook(wb: Any) -> int:
    """Every formula-like text cell of an openpyxl workbook, on every sheet (see neutralise_cells)."""
    # The cells that exist: iter_rows() would create every empty cell of the sheet's rectangle.
    return sum(neutralise_cells(list(ws._cells.values())) for ws in wb.worksheets)


def markdown(text: Any) -> str:
    """`text` as Streamlit markdown that shows exactly these characters and renders nothing."""
    return _WWW.sub(r"\1\\.", _MARKDOWN.sub(r"\\\1", str(text)))


def plotly(text: Any) -> str:
    """`text` for any plotly string (title, tick, legend, hover, annotation): shown as typed.

    plotly.js decodes &lt; &gt; &amp; and numeric entities after it has read its tags, so escaped
    markup is drawn as text; % becomes &#37; so that a name inside a hovertemplate is no %{…}."""
    return html.escape(str(text), quote=False).replace("%", "&#37;")
