"""Cells a reader must not take at face value: formula error results (calamine gives an empty
cell), numbers in hidden rows and columns, and the file types a statistician may send instead
of a workbook."""

import pytest
from ingest_helpers import PLAN, tidy
from openpyxl import Workbook

from ipdata.ingest import read_upload


def _book(tmp_path, rows, hide_rows=(), hide_cols=()):
    wb = Workbook()
    ws = wb.active
    ws.title = "表"
    for row in rows:
        ws.append(row)
    for r in hide_rows:
        ws.row_dimensions[r].hidden = True
    for c in hide_cols:
        ws.column_dimensions[c].hidden = True
    path = tmp_path / "b.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?"])
def test_a_formula_error_is_a_located_error_never_no_data(tmp_path, error):
    # openpyxl writes these as error cells (t="e"), as Excel saves a formula whose result is one
    path = _book(tmp_path, [["指标名称", "2023年", "2024年"], ["新增贯标单位", 20, error]])
    upload = read_upload(path, PLAN)
    assert upload.report.flatten(["sheet", "cell", "code"]) == [["表", "C2", "formula-error"]]
    assert f"错误值“{error}”" in upload.report.errors[0].message
    assert not upload.report.valid


def test_numbers_in_hidden_rows_and_columns_are_imported_and_named(tmp_path):
    path = _book(tmp_path, [["指标名称", "2022年", "2023年", "2024年"],
                            ["新增贯标单位", 18, 20, 21],
                            ["新增国家知识产权优势示范企业", 1, 1, 2]], hide_rows=[3], hide_cols=["C"])
    upload = read_upload(path, PLAN)
    assert upload.report.flatten(["sheet", "cell", "code", "severity"]) == [["表", "C2", "hidden-cells", "warning"]]
    message = upload.report.warnings[0].message
    # C2 (hidden column C), B3, C3, D3 (hidden row 3)
    assert "有 4 个数值，已一并导入：C2、B3、C3、D3。" in message
    assert len(upload.observations) == 6 and upload.report.valid


RENAMED = [
    (b"<!DOCTYPE html><html><body><table><tr><td>x</td></tr></table></body></html>", "网页"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n", "网页"),
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "图片(PNG)"),
    (b"\xff\xd8\xff\xe0" + bytes(64), "图片(JPEG)"),
    ("指标名称,2023年\n新增贯标单位,20\n".encode("gbk"), "CSV"),
    (b"%PDF-1.7\n", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64) + "EncryptionInfo".encode("utf-16-le") + bytes(64), "打开密码"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', "Excel 2003 XML"),
]


@pytest.mark.parametrize("data, words", RENAMED)
def test_each_refusal_names_what_the_file_really_is(data, words):
    upload = read_upload(data, PLAN, file_name="报表.xls")
    assert upload.report.flatten(["code"]) == [["unreadable-file"]]
    assert words in upload.report.errors[0].message


def test_ods_and_xls_written_by_a_spreadsheet_program_read_like_xlsx():
    # The same table saved by LibreOffice Calc in three formats (tests/data/sidecar/make.py made them)
    from pathlib import Path

    here = Path(__file__).parent / "data" / "sidecar"
    results = []
    for name in ("errors-hidden-percent.xlsx", "errors-hidden-percent.xls", "errors-hidden-percent.ods"):
        upload = read_upload(here / name, PLAN)
        results.append((upload.report.flatten(["sheet", "cell", "code"]),
                        tidy(upload.observations, ["series", "year", "value", "cell"])))
    expected = ([["数据", "C2", "formula-error"], ["数据", "D3", "formula-error"], ["数据", "A4", "skipped-rows"],
                 ["数据", "C3", "hidden-cells"]],
                [("case_closure_rate", 2024, 0.8, "D2"), ("ip_standard_units_new", 2023, 5.0, "C3")])
    assert results == [expected] * 3


def test_a_report_lists_at_most_500_problems_of_one_kind_then_counts_the_rest(tmp_path):
    rows = [["指标名称", "地区", "2023年"]] + [["新增贯标单位", f"{i}号镇", 1] for i in range(620)]
    path = _book(tmp_path, rows)
    upload = read_upload(path, PLAN)
    codes = [p.code for p in upload.report.problems]
    assert codes == ["unknown-region"] * 501
    assert upload.report.problems[499].cell == "B501"  # the 500th named, in sheet order
    last = upload.report.problems[-1]
    assert last.cell is None and "另有 120 处同类问题未逐一列出(共 620 处)" in last.message
