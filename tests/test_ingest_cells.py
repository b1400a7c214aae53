"""Cell normalisation: one big table per parser."""

import datetime as dt

import pytest

from ipdata.ingest.cells import is_blank, parse_milestone, parse_number, parse_year


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (12, (12.0, False)),
        (12.5, (12.5, False)),
        ("12", (12.0, False)),
        (" 12.5 ", (12.5, False)),
        ("1,234", (1234.0, False)),
        ("1,234,567.5", (1234567.5, False)),
        ("１２３", (123.0, False)),
        ("１，２３４", (1234.0, False)),
        ("16%", (16.0, True)),
        ("16.5 %", (16.5, True)),
        ("１６％", (16.0, True)),
        ("-3", (-3.0, False)),
        ("1e3", (1000.0, False)),
        (".5", (0.5, False)),
        ("12,34", None),  # not a thousands pattern: ambiguous, refused
        ("12件", None),
        ("abc", None),
        ("nan", None),
        ("inf", None),
        (float("inf"), None),
        (True, None),
        (dt.date(2023, 1, 1), None),
        (dt.datetime(2023, 1, 1, 8), None),
        ("", None),
    ],
)
def test_parse_number(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (2021, 2021),
        (2021.0, 2021),
        ("2021", 2021),
        ("2021年", 2021),
        ("2021年度", 2021),
        ("2021 年", 2021),
        ("２０２１年", 2021),
        ("2021年末", 2021),
        (2021.5, None),
        ("21年", None),
        ("2021年目标", None),
        ("二〇二一年", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_year(cell, expected):
    assert parse_year(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1, 1.0), (1.0, 1.0), ("1", 1.0), ("是", 1.0), ("已建成", 1.0), ("已完成", 1.0), (True, 1.0),
        (0, 0.0), ("0", 0.0), ("否", 0.0), ("未建成", 0.0), (False, 0.0),
        (2, None), ("建设中", None), ("0.5", None),
    ],
)
def test_parse_milestone(cell, expected):
    assert parse_milestone(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (None, True), ("", True), ("  ", True), ("-", True), ("—", True), ("–", True), ("…", True),
        ("/", True), ("无", True), ("－", True), ("——", True), (float("nan"), True),
        (0, False), ("0", False), ("x", False), ("无数据", True), ("无效", False),
    ],
)
def test_is_blank(cell, expected):
    assert is_blank(cell) is expected


@pytest.mark.parametrize(("letters", "index"), [("A", 0), ("D", 3), ("Z", 25), ("AA", 26), ("AZ", 51), ("XFD", 16383)])
def test_column_letters_and_indexes(letters, index):
    from ipdata.errors import column_index, column_letter

    assert column_index(letters) == index and column_letter(index) == letters
