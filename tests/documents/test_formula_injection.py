"""Issue 12, hole 3: text that looks like a formula must stay text in every .xlsx the product writes."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from dondoc.documents.spreadsheet import Sheet, build_xlsx

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1", "\uff1d1+1",
            "=cmd|' /C calc'!A0"]


def cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_text_stays_text_numbers_stay_numbers():
    data = build_xlsx([Sheet("S", ["Tên", "Số tiền"], [[p, -1500] for p in PAYLOADS] + [["Sở Tài chính", 2]],
                             heading="=1+1")])
    got = cells(data)
    assert not [c.coordinate for c in got if c.data_type == "f"]
    texts = [c.value for c in got if c.column == 1 and c.row > 3]
    assert texts == PAYLOADS + ["Sở Tài chính"]  # unchanged: no apostrophe added to the text
    assert all(c.quotePrefix for c in got if c.value in PAYLOADS)  # stays text when edited in Excel
    amounts = [c for c in got if c.column == 2 and c.row > 3]
    assert [c.value for c in amounts] == [-1500] * len(PAYLOADS) + [2] and {c.data_type for c in amounts} == {"n"}
    plain = next(c for c in got if c.value == "Sở Tài chính")
    assert not plain.quotePrefix
