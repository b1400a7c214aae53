"""Everything made from the monitored figures for people who read them away from the dashboard.

    inputs.py   what every output starts from: the plan, the store's values/targets/notes and
                revision, the selection of goals and regions (one read, shared by all outputs)
    report/     the 自评报告 in Word (公文 format, GB/T 9704-2012) from a docxtpl template the
                office edits (data/templates/report.docx), and its PDF through LibreOffice
    deck/       the PowerPoint deck with native, editable charts
    charts.py   the charts of a selection: their data as a workbook, their PNGs as a zip
    render.py   chart images (PNG/SVG) through kaleido and Debian's chromium, one render at a time
    workbook.py all current data as a workbook that imports back unchanged (+ the revision log)

Figures and sentences come from one place for all of them and for the pages: the trajectory
engine (ipdata/trajectory), rounded once (ipdata/rounding.py), tiles and tables from
ipdata/scorecard.py and ipdata/views.py, charts from ipdata/figures.
"""
