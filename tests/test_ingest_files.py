"""Whole-file outcomes: unreadable inputs, size limit, empty and unrecognised workbooks."""

import hashlib
import io
import zipfile

from ingest_helpers import PLAN, read, wide, xlsx
from openpyxl import Workbook

from ipdata.ingest import MAX_UPLOAD_BYTES, read_upload


def codes(upload):
    return upload.report.flatten(["sheet", "cell", "code"])


def test_csv_renamed_to_xlsx(tmp_path):
    path = tmp_path / "数据.xlsx"
    path.write_text("指标名称,2021年\n案件结案率,90\n", encoding="utf-8")
    upload = read_upload(path, PLAN)
    assert codes(upload) == [[None, None, "unreadable-file"]]
    assert "CSV" in upload.report.problems[0].message
    assert upload.file_name == "数据.xlsx"


def test_empty_file(tmp_path):
    upload = read_upload(b"", PLAN, file_name="空.xlsx")
    assert codes(upload) == [[None, None, "unreadable-file"]]
    assert "空的" in upload.report.problems[0].message


def test_random_bytes():
    upload = read_upload(bytes(range(256)) * 10, PLAN)
    assert codes(upload) == [[None, None, "unreadable-file"]]


def test_an_old_office_container_without_a_workbook_is_named_damaged():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    upload = read_upload(ole2, PLAN, file_name="旧表.xls")
    assert codes(upload) == [[None, None, "unreadable-file"]]
    assert "不是表格或已损坏" in upload.report.problems[0].message and "另存为" in upload.report.problems[0].message


def test_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("readme.txt", "hello")
    upload = read_upload(buffer.getvalue(), PLAN)
    assert codes(upload) == [[None, None, "unreadable-file"]]
    assert "压缩包" in upload.report.problems[0].message


def test_truncated_workbook(tmp_path):
    data = xlsx(tmp_path, {"指标数据": wide(["1", "案件结案率", "%", 90])}).read_bytes()
    upload = read_upload(data[: len(data) // 2], PLAN)
    assert codes(upload) == [[None, None, "unreadable-file"]]


def test_missing_path(tmp_path):
    upload = read_upload(tmp_path / "nowhere.xlsx", PLAN)
    assert codes(upload) == [[None, None, "unreadable-file"]]
    assert upload.file_name == "nowhere.xlsx"


def test_too_large_is_refused_before_reading():
    upload = read_upload(b"PK" + b"\x00" * MAX_UPLOAD_BYTES, PLAN)
    assert codes(upload) == [[None, None, "file-too-large"]]
    assert "20 MB" in upload.report.problems[0].message


def test_sha256_of_raw_bytes_and_name(tmp_path):
    path = xlsx(tmp_path, {"指标数据": wide(["1", "案件结案率", "%", 90])}, name="通州2023.xlsx")
    data = path.read_bytes()
    from_path, from_bytes = read_upload(path, PLAN), read_upload(data, PLAN, file_name="x.xlsx")
    assert from_path.sha256 == from_bytes.sha256 == hashlib.sha256(data).hexdigest()
    assert (from_path.file_name, from_bytes.file_name) == ("通州2023.xlsx", "x.xlsx")
    assert from_path.report.valid and len(from_path.observations) == 1


def test_empty_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    assert codes(read_upload(path, PLAN)) == [[None, None, "no-data"]]


def test_no_recognisable_table_lists_expected_header(tmp_path):
    upload = read(tmp_path, {"Sheet1": [["姓名", "电话"], ["张三", "123"]]})
    assert codes(upload) == [[None, None, "no-data"]]
    assert "未找到可识别的数据表" in upload.report.problems[0].message
    assert "2021年" in upload.report.problems[0].message


def test_unrecognised_and_guide_sheets_are_skipped_silently(tmp_path):
    upload = read(tmp_path, {
        "填报说明": [["指标代码", "类别", "指标名称", "单位", "类型", "2025年目标"], ["x", "创造", "案件结案率", "%", "水平值", 90]],
        "通讯录": [["姓名", "电话"]],
        "指标数据": wide(["1", "案件结案率", "%", 90]),
    })
    assert codes(upload) == []
    assert upload.targets.empty and len(upload.observations) == 1


def test_hidden_sheet_is_skipped_with_a_warning(tmp_path):
    upload = read(tmp_path, {
        "指标数据": wide(["1", "案件结案率", "%", 90]),
        "旧数据": wide(["1", "案件结案率", "%", 10]),
    }, hidden=("旧数据",))
    assert upload.report.flatten(["sheet", "code", "severity"]) == [["旧数据", "hidden-sheet", "warning"]]
    assert upload.report.valid
    assert upload.observations["value"].tolist() == [90.0]


def test_recognised_table_without_any_value(tmp_path):
    upload = read(tmp_path, {"指标数据": wide(["1", "案件结案率", "%", "-", None, "—"])})
    assert codes(upload) == [[None, None, "no-data"]]


def test_formula_without_cached_value_is_named_not_lost(tmp_path):
    """openpyxl writes formulas with no cached result, as programs often do: the cell is named."""
    from openpyxl import Workbook

    from ipdata.catalogue import load_plan
    from ipdata.ingest import read_upload

    wb = Workbook()
    ws = wb.active
    ws.title = "表 & 1"
    ws.append(["指标名称", "2021年", "2022年"])
    ws.append(["案件结案率", 86.5, "=B2+1"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    upload = read_upload(path, load_plan())
    assert upload.report.flatten(["sheet", "cell", "code"]) == [["表 & 1", "C2", "formula-without-value"]]
    assert not upload.report.valid
