"""ipdata: monitoring core for the Tongzhou IP strong-county plan.

Data flows one way: Excel -> validated tidy frame (ingest/) -> DuckDB (store/) ->
trajectory -> figure/deck -> page. This package never imports streamlit.
"""

__version__ = "0.1.0"
