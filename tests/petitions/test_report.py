"""The petitions section and annex of the consolidated monthly report: received, answered on time / late,
overdue, by agency. Expectations computed by hand with the 2020 working calendar (02/09 is a holiday)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from dondoc.core import clock
from dondoc.documents.spreadsheet import build_xlsx
from dondoc.petitions import actions, report

pytestmark = pytest.mark.django_db
D = dt.date
SEPT = {"start": D(2020, 9, 1), "end": D(2020, 9, 30), "as_of": D(2020, 10, 5)}


@pytest.fixture
def september(personas, coordinator, make_petition):
    a = make_petition("A thuế", received=D(2020, 9, 1))  # STC, due 16/09
    actions.answer(actor=personas.officer, petition=a, text="Trả lời A", on=D(2020, 9, 10), at=clock.now())  # on time
    b = make_petition("B thuế", received=D(2020, 9, 3))  # STC, due 17/09
    actions.answer(actor=personas.officer, petition=b, text="Trả lời B", on=D(2020, 9, 22), at=clock.now())  # late
    c = make_petition("C giải phóng mặt bằng", category="land", lead="TPLC", coordinators=(),
                      received=D(2020, 9, 7))  # due 28/09 (15 working days): overdue on 05/10 by 5 working days
    d = make_petition("D thuế tháng 8", lead="CT", coordinators=(), received=D(2020, 8, 28))  # due 14/09
    actions.answer(actor=coordinator, petition=d, text="Trả lời D", on=D(2020, 9, 15), at=clock.now())  # late, in September
    e = make_petition("E thuế", received=D(2020, 9, 25))  # due 09/10: waiting, within the time limit
    f = make_petition("F trùng A", lead=None, received=D(2020, 9, 2))
    actions.merge(actor=personas.admin, duplicate=f, into=a, at=clock.now())  # a duplicate: not counted twice
    make_petition("G tháng 10", lead=None, received=D(2020, 10, 2))  # after the period, not routed
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_section_figures(september):
    s = report.section(**SEPT)
    assert s.title == "Tiếp nhận, xử lý khó khăn, kiến nghị của doanh nghiệp"
    assert s.paragraphs[0].startswith(
        "Từ ngày 01/09/2020 đến ngày 30/09/2020, Sở Kế hoạch và Đầu tư tiếp nhận 4 khó khăn, kiến nghị "
        "(Thuế, phí, lệ phí: 3; Đất đai, giải phóng mặt bằng: 1)")
    assert s.paragraphs[1] == ("Trong kỳ, các cơ quan đã trả lời 3 kiến nghị, trong đó 1 kiến nghị đúng hạn "
                               "(33,3%) và 2 kiến nghị quá hạn.")
    assert s.paragraphs[2] == "Đến ngày 05/10/2020, còn 2 kiến nghị đang được xử lý, trong đó 1 kiến nghị đã quá hạn trả lời."
    table = s.tables[0]
    assert table.rows == [
        ["1", "Cục Thuế tỉnh", "0", "0", "1", "0", "0"],
        ["2", "Sở Tài chính", "3", "1", "1", "1", "0"],
        ["3", "UBND thành phố Lào Cai", "1", "0", "0", "1", "1"],
        ["", "Tổng cộng", "4", "1", "2", "2", "1"],
    ]
    overdue = s.children[0].tables[0].rows
    assert overdue == [["1", september["c"].reference, "C giải phóng mặt bằng", "UBND thành phố Lào Cai",
                        "28/09/2020", "5"]]
    text = repr(s)
    assert "5300123456" not in text and "0912 345 678" not in text and "Nguyễn Văn Liên Hệ" not in text


def test_section_as_of_an_earlier_day(september):
    s = report.section(start=D(2020, 9, 1), end=D(2020, 9, 30), as_of=D(2020, 9, 20))
    # On 20/09: B (due 17/09) was not answered yet, C not due; D and A answered.
    assert s.paragraphs[1].startswith("Trong kỳ, các cơ quan đã trả lời 2 kiến nghị, trong đó 1 kiến nghị đúng hạn")
    assert s.paragraphs[2].startswith("Đến ngày 20/09/2020, còn 2 kiến nghị đang được xử lý, trong đó 1 kiến nghị")


def test_nothing_in_the_period_is_none(september):
    assert report.section(start=D(2020, 1, 1), end=D(2020, 1, 31), as_of=D(2020, 1, 31)) is None
    assert report.annex(start=D(2020, 1, 1), end=D(2020, 1, 31), as_of=D(2020, 1, 31)) == []


def test_annex(september):
    sheets = report.annex(**SEPT)
    assert [s.title for s in sheets] == ["Kiến nghị", "Theo cơ quan"]
    rows = sheets[0].rows
    assert [r[1] for r in rows] == [september[k].reference for k in "dabce"]
    c = rows[3]
    assert (c[2], c[7], c[8], c[9], c[10]) == (D(2020, 9, 7), "UBND thành phố Lào Cai", D(2020, 9, 28), None,
                                              "Đã giao xử lý, quá hạn")
    assert rows[2][10] == "Đã trả lời, quá hạn" and rows[1][10] == "Đã trả lời, đúng hạn"
    wb = load_workbook(io.BytesIO(build_xlsx(sheets)))
    assert wb["Kiến nghị"]["B4"].value == september["d"].reference
    assert sheets[1].rows[-1] == [3, "UBND thành phố Lào Cai", 1, 0, 0, 1, 1]
