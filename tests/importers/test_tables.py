"""The one table reader: CSV (comma/semicolon, BOM) and spreadsheets, from a path or bytes; header synonyms."""

import datetime as dt

import pytest

from dondoc.importers.result import MAX_ISSUES, ImportResult, Issue
from dondoc.importers.tables import Table, TableError, match_header, read_rows

from ..investment.conftest import write_ods, write_xlsx

ROWS = [["Danh sách"], ["Mã", "Ngày", "Số tiền"], ["7810657", "05/10/2020", "1.500"]]
SYNONYMS = {"code": ("Mã", "Mã dự án"), "date": ("Ngày",), "amount": ("Số tiền", "Giá trị")}


@pytest.mark.parametrize(("sep", "bom"), [(",", False), (";", False), (";", True), (",", True)])
def test_csv_from_bytes_and_from_a_path_read_the_same(tmp_path, sep, bom):
    data = (b"\xef\xbb\xbf" if bom else b"") + "\n".join(sep.join(r) for r in ROWS).encode() + b"\n"
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    assert list(Table(path)) == list(Table(data=data, name="a.csv")) == [(1, ["Danh sách"]), *[
        (i, r) for i, r in enumerate(ROWS[1:], start=2)]]


@pytest.mark.parametrize("write", [write_xlsx, write_ods])
def test_spreadsheets_give_text_and_dates(tmp_path, write):
    path = write(tmp_path / ("a.xlsx" if write is write_xlsx else "a.ods"), [
        ["Mã", "Ngày", "Số tiền"], [7810657, "05/10/2020", 1500.0]])
    rows = read_rows(path.name, path.read_bytes())
    assert rows == [["Mã", "Ngày", "Số tiền"], ["7810657", "05/10/2020", "1500"]]


def test_date_cells_become_dates(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["Ngày"], [dt.datetime(2020, 10, 5)]])
    assert read_rows(path.name, path.read_bytes())[1] == [dt.date(2020, 10, 5)]


def test_header_found_by_synonyms_without_accents():
    rows = [["DANH SACH"], ["STT", "ma du an", "NGÀY", "Giá trị"], ["1", "x", "y", "z"]]
    assert match_header(rows, SYNONYMS, {"code", "date", "amount"}) == (1, {"code": 1, "date": 2, "amount": 3},
                                                                       rows[1])
    with pytest.raises(TableError, match="no header"):
        match_header(rows, SYNONYMS, {"code", "date", "amount", "missing"} & set(SYNONYMS) | {"nothing"})


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("a.pdf", b"%PDF", "unsupported file type .pdf"),
    ("a", b"x", "unsupported file type"),
    ("a.csv", b"", "empty"),
    ("a.csv", "Mã;Tên\n".encode("utf-16"), "not a text"),
    ("a.csv", b"M\xe3;T\xean\n" * 10, "not UTF-8"),
    ("a.xlsx", b"not a workbook", "not a readable spreadsheet"),
])
def test_files_that_cannot_be_read(name, data, reason):
    with pytest.raises(TableError, match=reason):
        read_rows(name, data)


def test_result_keeps_the_first_issues_and_counts_them_all():
    result = ImportResult("x")
    for i in range(MAX_ISSUES + 5):
        result.error(i, "Mã", "sai", code="bad")
    result.warn(None, "", "chú ý")
    assert not result.ok and result.error_count == MAX_ISSUES + 5 and len(result.errors) == MAX_ISSUES
    assert result.errors[0] == Issue(0, "Mã", "sai", "bad")
    assert result.as_dict()["errors"][0] == {"row": 0, "column": "Mã", "code": "bad", "message": "sai"}
    assert result.as_dict()["warnings"] == [{"row": None, "column": "", "message": "chú ý"}]
