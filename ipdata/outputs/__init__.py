"""Documents made from the monitored figures, for people who read them away from the dashboard.

    report/   the 自评报告 in Word (公文 format, GB/T 9704-2012), from a docxtpl template the
              office edits (data/templates/report.docx), and its PDF through LibreOffice

Issue 15 item 5 wants every output (deck, report, brief, chart images and data) here, sharing one
source of figures and sentences; the deck (ipdata/deck) and chart exports move later.
"""
