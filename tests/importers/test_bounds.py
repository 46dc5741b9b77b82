"""Every upload and parse is bounded after decompression (issue 12, item 2): the zip directory, rows, cells,
paragraphs and time, each refused with a Vietnamese sentence naming the limit and the file's figure."""

import io

import pytest
from django.utils import translation

from dondoc.domain.bounds import LimitExceeded, Limits, check_docx, inspect_zip
from dondoc.importers.limits import describe, limits_for
from dondoc.importers.tables import LimitError, Table, TableError, read_rows

from .bombs import CONTENT_TYPES, docx, inflating_zip, repeated_rows_xlsx, row_xml, xlsx, xlsx_rows

MB = 1024 * 1024


def test_a_highly_compressed_sheet_is_refused_before_it_is_loaded():
    data = inflating_zip("bomb.xlsx", "xl/worksheets/sheet1.xml", 8 * MB)  # 8 MB of spaces: ~8 KB
    assert len(data) < 50_000
    with pytest.raises(LimitError) as caught:
        list(Table(name="bomb.xlsx", data=data, limits=Limits()))
    assert caught.value.exceeded.what == "ratio"


def test_the_sum_of_inflated_sizes_is_bounded():
    data = inflating_zip("big.xlsx", "xl/worksheets/sheet1.xml", 3 * MB)
    with pytest.raises(LimitError) as caught:
        list(Table(name="big.xlsx", data=data, limits=Limits(inflated_bytes=2 * MB, ratio=10_000)))
    assert (caught.value.exceeded.what, caught.value.exceeded.figure) == ("inflated_bytes", 3 * MB + len(CONTENT_TYPES))
    with translation.override("vi"):
        assert describe(caught.value.exceeded) == (
            "sau khi giải nén tệp chiếm 3,0 MB, vượt giới hạn 2,0 MB")


def test_members_are_counted():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(30):
            z.writestr(f"x/{i}.xml", "<a/>")
    with pytest.raises(LimitExceeded) as caught:
        inspect_zip(io.BytesIO(buf.getvalue()), Limits(members=20))
    assert (caught.value.what, caught.value.figure) == ("members", 30)


def test_rows_are_counted_in_the_sheet_xml_before_the_reader_materialises_them():
    data = repeated_rows_xlsx(["Mã", "Số tiền"], ["7810657", 1000], 3000)  # ~20 KB holding 3,001 rows
    assert len(data) < 40_000
    table = Table(name="rows.xlsx", data=data, limits=Limits(rows=1000))
    with pytest.raises(LimitError) as caught:
        next(iter(table))  # refused before the first row: nothing was loaded
    assert (caught.value.exceeded.what, caught.value.exceeded.figure) == ("rows", 3001)
    with translation.override("vi"):
        assert str(caught.value) == ("bảng tính có ít nhất 3.001 dòng, vượt giới hạn 1.000 dòng của loại tệp "
                                     "này; hãy chia nhỏ tệp")


def test_a_far_away_cell_makes_a_huge_used_range():
    far = row_xml(1, ["a"]) + row_xml(500, [""] * 99 + ["z"])  # A1 and CV500: 500 × 100 cells to materialise
    with pytest.raises(LimitError) as caught:
        list(Table(name="far.xlsx", data=xlsx(far), limits=Limits(cells=10_000)))
    assert (caught.value.exceeded.what, caught.value.exceeded.figure) == ("cells", 50_000)


def test_rows_of_a_csv_are_bounded_while_reading():
    data = b"a,b\n" + b"1,2\n" * 50
    with pytest.raises(LimitError):
        read_rows("x.csv", data, Limits(rows=40))
    assert len(read_rows("x.csv", data, Limits(rows=51))) == 51


def test_the_time_budget_stops_a_parse():
    data = b"a,b\n" + b"1,2\n" * 5000
    with pytest.raises(LimitError) as caught:
        read_rows("x.csv", data, Limits(seconds=0))
    assert caught.value.exceeded.what == "seconds"


def test_an_honest_workbook_passes():
    rows = read_rows("ok.xlsx", xlsx_rows([["Mã", "Số tiền"], ["7810657", 1000]]), Limits())
    assert rows == [["Mã", "Số tiền"], ["7810657", "1000"]]


def test_not_a_zip_is_a_table_error():
    with pytest.raises(TableError):
        list(Table(name="x.xlsx", data=b"\x00garbage" * 100))


def test_paragraphs_of_a_docx_are_counted_before_python_docx_loads_it():
    data = docx(25_000)
    assert len(data) < 20_000
    with pytest.raises(LimitExceeded) as caught:
        check_docx(io.BytesIO(data), Limits(paragraphs=20_000))
    assert caught.value.what == "paragraphs" and caught.value.figure > 20_000
    check_docx(io.BytesIO(docx(10)), Limits())


def test_limits_come_from_the_settings_per_kind(settings):
    settings.DONDOC_IMPORT_LIMITS = {"default": {"rows": 7}, "dossiers": {"cells": 9}}
    assert (limits_for("dossiers").rows, limits_for("dossiers").cells) == (7, 9)
    assert limits_for("plans").cells == Limits().cells


def test_an_ods_with_too_many_rows_is_refused_before_loading(tmp_path):
    from tests.investment.conftest import write_ods

    path = write_ods(tmp_path / "x.ods", [["Mã", "Số tiền"]] + [["7810657", 1000]] * 300)
    with pytest.raises(LimitError) as caught:
        list(Table(path, limits=Limits(rows=100)))
    assert (caught.value.exceeded.what, caught.value.exceeded.figure) == ("rows", 301)


def test_pdftotext_output_is_bounded(tmp_path):
    import shutil

    from dondoc.documents.convert import pdf_pages
    from tests.domain.test_program_parser import make_pdf

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "p.pdf"
    path.write_bytes(make_pdf([[f"Dòng chữ thứ {i} của văn bản" for i in range(40)]] * 5))
    assert len(pdf_pages(path, Limits())) >= 5
    with pytest.raises(LimitExceeded) as caught:
        pdf_pages(path, Limits(text_bytes=1000))
    assert caught.value.what == "text_bytes"


def test_a_text_document_with_too_many_lines_is_refused(tmp_path):
    from dondoc.domain.program_reader import read_lines

    path = tmp_path / "p.txt"
    path.write_text("\n".join(f"Dòng {i} của văn bản" for i in range(300)), encoding="utf-8")
    assert len(read_lines(path, limits=Limits())) == 300
    with pytest.raises(LimitExceeded) as caught:
        read_lines(path, limits=Limits(paragraphs=200))
    assert (caught.value.what, caught.value.figure) == ("paragraphs", 300)
