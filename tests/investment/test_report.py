"""The disbursement section and annex of the consolidated monthly report."""

import io

import pytest
from openpyxl import load_workbook

from dondoc.documents.spreadsheet import build_xlsx
from dondoc.investment import report

from .conftest import D

pytestmark = pytest.mark.django_db


def test_section_states_rates_period_milestone_cut_and_commitments(paid):
    s = report.section(start=D(2020, 9, 15), end=D(2020, 10, 14), as_of=D(2020, 9, 30))
    text = "\n".join(s.paragraphs)
    assert s.title == "TÌNH HÌNH GIẢI NGÂN VỐN ĐẦU TƯ CÔNG"
    assert "3.500,0 triệu đồng" in text and "đạt 54,29% kế hoạch" in text
    assert "giải ngân 200,0 triệu đồng" in text  # 15/09–30/09: p2's payment of 30/9
    assert "Ban QLDA Kho bạc (50,00%)" in text and "thuộc diện cắt giảm" in text
    assert "Có 1 dự án giải ngân chậm" in text
    assert s.tables[0].rows[0][1] == "Ban QLDA Kho bạc"


def test_no_data_no_section(db):
    assert report.section(start=D(2020, 9, 15), end=D(2020, 10, 14), as_of=D(2020, 9, 30)) is None
    assert report.annex(start=D(2020, 9, 15), end=D(2020, 10, 14), as_of=D(2020, 9, 30)) == []


def test_annex_opens_in_excel(paid):
    sheets = report.annex(start=D(2020, 9, 15), end=D(2020, 10, 14), as_of=D(2020, 9, 30))
    wb = load_workbook(io.BytesIO(build_xlsx(sheets)))
    ws = wb["Giải ngân theo chủ đầu tư"]
    assert ws["B4"].value == "Ban QLDA Kho bạc" and ws["D4"].value == 2000.0 and ws["F4"].value == 0.5
    assert "cắt giảm" in ws["J4"].value
    assert wb["Dự án chậm so với cam kết"]["B4"].value == "7810658"
