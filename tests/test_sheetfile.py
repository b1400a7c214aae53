"""ipdata.sheetfile: the fast one-sheet .xlsx writer, read back by openpyxl and calamine."""

import pandas as pd
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from ipdata.sheetfile import write_table


def test_text_stays_text_numbers_stay_numbers(tmp_path):
    frame = pd.DataFrame({
        "名称": ["=HYPERLINK(\"http://x\")", "a<b & c>d", "控制\x01字符", None],
        "年份": pd.array([2021, 2022, None, 2024], dtype="Int64"),
        "数值": [14.9, float("nan"), 0.1 + 0.2, 3.0],
        "原值": [None, "进行中", 12, "0012"],
    })
    out = tmp_path / "t.xlsx"
    write_table(frame, out, sheet="全部变化", widths=(20, 6, 8, 8))
    ws = load_workbook(out)["全部变化"]
    assert [c.value for c in ws[1]] == ["名称", "年份", "数值", "原值"] and ws["A1"].font.b
    assert ws.freeze_panes == "A2"
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        ["=HYPERLINK(\"http://x\")", 2021, 14.9, None],
        ["a<b & c>d", 2022, None, "进行中"],
        ["控制字符", None, 0.30000000000000004, 12],  # the character XML forbids is dropped
        [None, 2024, 3.0, "0012"],  # text that looks like a number stays text
    ]
    assert ws["A2"].data_type == "s" and ws["D5"].data_type == "s"  # never a formula or a number
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("全部变化").to_python()
    assert rows[1] == ["=HYPERLINK(\"http://x\")", 2021.0, 14.9, ""]


def test_empty_table_has_its_header(tmp_path):
    out = tmp_path / "e.xlsx"
    write_table(pd.DataFrame(columns=["变化", "名称"]), out, sheet="全部变化")
    assert [[c.value for c in row] for row in load_workbook(out)["全部变化"].iter_rows()] == [["变化", "名称"]]
