"""Numbers shown as percentages in Excel (0.16 in a cell formatted 0%) are read as the 16% shown."""

from pathlib import Path

import pytest
from ingest_helpers import PLAN, tidy, wide, write_book

from ipdata.ingest import read_upload
from ipdata.ingest.rawxml import is_percent_format, percent_styles, scan
from ipdata.ingest.workbook import percent_text

SHARE = "专利密集型产业增加值占GDP比重"  # unit %
COUNT = "新增海外专利授权"  # unit 件


def _book(tmp_path: Path, rows: list[list], formats: dict[str, str]) -> Path:
    """A wide table (header on row 3, data from row 4) with number formats on some cells."""
    return write_book(tmp_path / "pct.xlsx", {"表": wide(*rows)}, formats={"表": formats})


@pytest.mark.parametrize(("code", "scales"), [
    ("0%", True), ("0.0%", True), ("0.00%;[Red]-0.00%", True), ('0.0"%"', False), ("0.0\\%", False),
    ("#,##0.00", False), ("General", False), ('"增长"0.0%', True),
])
def test_which_formats_scale_by_100(code, scales):
    assert is_percent_format(code) is scales


@pytest.mark.parametrize(("value", "text"), [(0.16, "16%"), (0.1234, "12.34%"), (1, "100%"), (0.165, "16.5%"),
                                             (0.07, "7%"), (0, "0%"), (1.05, "105%")])
def test_percent_text_drops_binary_noise(value, text):
    assert percent_text(value) == text


def test_percent_cells_are_read_as_shown(tmp_path):
    path = _book(tmp_path, [["1", SHARE, "%", 0.151, 0.155, 16]], {"D4": "0.0%", "E4": "0.00%"})
    upload = read_upload(path, PLAN)
    assert upload.report.valid, upload.report.problems
    assert tidy(upload.observations, ["year", "value", "cell"]) == [
        (2021, 15.1, "D4"), (2022, 15.5, "E4"), (2023, 16.0, "F4")]


def test_a_literal_percent_sign_in_the_format_does_not_scale(tmp_path):
    path = _book(tmp_path, [["1", SHARE, "%", 15.1, 15.5, 16]], {"D4": '0.0"%"', "E4": "0.0\\%"})
    upload = read_upload(path, PLAN)
    assert upload.report.valid
    assert list(upload.observations["value"]) == [15.1, 15.5, 16.0]


def test_percent_format_on_a_count_is_a_unit_mismatch_naming_the_cell(tmp_path):
    path = _book(tmp_path, [["1", COUNT, "件", 12, 0.5, 14]], {"E4": "0%"})
    upload = read_upload(path, PLAN)
    assert upload.report.flatten() == [["表", "E4", "unit-mismatch"]]
    assert "50%" in upload.report.errors[0].message


def test_a_percent_cell_above_100_percent_is_out_of_range(tmp_path):
    path = _book(tmp_path, [["1", SHARE, "%", 1.05, 15.5, 16]], {"D4": "0%"})
    upload = read_upload(path, PLAN)
    assert upload.report.flatten() == [["表", "D4", "percent-out-of-range"]]
    assert "105" in upload.report.errors[0].message


def test_unformatted_fraction_is_still_warned(tmp_path):
    path = _book(tmp_path, [["1", SHARE, "%", 0.151, 15.5, 16]], {})
    upload = read_upload(path, PLAN)
    assert upload.report.flatten(["sheet", "cell", "code", "severity"]) == [["表", "D4", "fraction-percent", "warning"]]
    assert upload.report.valid  # kept as typed: 0.151 % may be true


def test_a_percent_cell_below_one_percent_is_no_fraction(tmp_path):
    # 0.008 shown as 0.8% is the 0.8 % the statistician saw: read as 0.8, no fraction warning
    path = _book(tmp_path, [["1", SHARE, "%", 0.008, 15.5, 16]], {"D4": "0.0%"})
    upload = read_upload(path, PLAN)
    assert [p.code for p in upload.report.problems if p.cell == "D4"] == []
    assert upload.observations.loc[upload.observations["cell"] == "D4", "value"].tolist() == [0.8]


def test_styles_and_cells_found_in_the_raw_xml(tmp_path):
    path = _book(tmp_path, [["1", SHARE, "%", 0.151, 0.155, 16]], {"D4": "0.0%", "E4": "0%", "F4": "#,##0.00"})
    found = scan(path.read_bytes())
    assert found.percent_cells == {"表": {(3, 3), (3, 4)}}
    assert found.formula_problems == []


def test_percent_styles_of_a_styles_part():
    xml = (b'<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/>'
           b'<numFmt numFmtId="165" formatCode="0.0&quot;%&quot;"/></numFmts>'
           b'<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="9" applyNumberFormat="1"/>'
           b'<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="10"></xf></cellXfs></styleSheet>')
    assert percent_styles(xml) == {1, 2, 4}
    assert percent_styles(b"<styleSheet/>") == set()


def test_merged_percent_cell_is_read_as_shown_in_every_cell(tmp_path):
    path = write_book(tmp_path / "merged.xlsx", {"表": wide(["1", SHARE, "%", 0.16, None, None])},
                      merges={"表": ["D4:F4"]}, formats={"表": {"D4": "0%"}})
    upload = read_upload(path, PLAN)
    assert upload.report.valid, upload.report.problems
    assert list(upload.observations["value"]) == [16.0, 16.0, 16.0]
