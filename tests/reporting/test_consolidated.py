import datetime as dt
import io
import os
import re

import pytest
from django.core.management import call_command
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

from dondoc.core import clock
from dondoc.documents.pdf import soffice
from dondoc.reporting import actions, queries

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def september(obligation, personas):
    """STC on time, KBNN late, the rest missing; STC accepted."""
    stc = actions.open_report(actor=personas.head, obligation=obligation, agency=personas.own_agency,
                              period=D(2020, 9, 1))
    task = stc.draft["tasks"][0]
    actions.save_draft(actor=personas.head, report=stc, on=D(2020, 9, 20), data={
        "tasks": [{**task, "done": "Đã ban hành Kế hoạch số 12/KH-STC"}], "difficulties": "Nguồn thu giảm mạnh",
        "recommendations": ["Đề nghị UBND tỉnh bổ sung dự toán"]}, at=clock.now())
    actions.submit(actor=personas.head, report=stc, on=D(2020, 9, 20), at=clock.now())
    actions.accept(actor=personas.admin, report=stc, at=clock.now())
    kbnn_head = personas.make("t_kbnn_ld", "KBNN", "agency_head")
    kbnn = actions.open_report(actor=kbnn_head, obligation=obligation, agency=personas.other_agency,
                               period=D(2020, 9, 1))
    actions.submit(actor=kbnn_head, report=kbnn, on=D(2020, 9, 28), at=clock.now())
    return obligation


def run(tmp_path, name, *extra):
    out = tmp_path / name
    call_command("report", "monthly", "--program", "07/CTr-UBND", "--month", "2020-09", "--out", str(out),
                 "--as-of", "2020-10-05", "--date", "2020-10-05", *extra, stdout=io.StringIO())
    return out


def text_of(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_docx_follows_decree_30(september, tmp_path):
    doc = Document(run(tmp_path, "bc.docx", "--number", "7"))
    sec = doc.sections[0]
    assert (round(sec.page_width.cm, 1), round(sec.page_height.cm, 1)) == (21.0, 29.7)
    margins_mm = [round(m.mm, 1) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)]
    assert margins_mm == [20.0, 20.0, 30.0, 15.0]
    assert sec.different_first_page_header_footer  # page numbers from page 2
    header = doc.tables[0]
    left, right = header.cell(0, 0).paragraphs, header.cell(0, 1).paragraphs

    def run_of(paragraphs, text):
        p = next(p for p in paragraphs if p.text == text)
        return p.runs[0]

    parent = run_of(left, "ỦY BAN NHÂN DÂN TỈNH LÀO CAI")
    issuer = run_of(left, "SỞ KẾ HOẠCH VÀ ĐẦU TƯ")
    national = run_of(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = run_of(right, "Độc lập - Tự do - Hạnh phúc")
    date_line = run_of(right, "Lào Cai, ngày 05 tháng 10 năm 2020")
    number = run_of(left, "Số: 07/BC-SKHĐT")
    assert (parent.font.size, parent.font.bold) == (Pt(12), False)
    assert (issuer.font.size, issuer.font.bold) == (Pt(13), True)
    assert (national.font.size, national.font.bold) == (Pt(12), True)
    assert (motto.font.size, motto.font.bold) == (Pt(14), True)
    assert (date_line.font.size, date_line.font.italic) == (Pt(14), True)
    assert number.font.size == Pt(13)
    for r in (parent, issuer, national, motto, date_line, number):
        assert r.font.name == "Times New Roman"
    title = next(p for p in doc.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].font.bold and title.runs[0].font.size == Pt(14)
    body = next(p for p in doc.paragraphs if p.text.startswith("Thực hiện Chương trình hành động số 07/CTr-UBND"))
    assert round(body.paragraph_format.first_line_indent.cm, 2) == 1.27 and body.runs[0].font.size == Pt(14)
    closing = doc.tables[-1]
    assert closing.cell(0, 0).paragraphs[0].text == "Nơi nhận:"
    assert closing.cell(0, 0).paragraphs[0].runs[0].font.italic
    assert closing.cell(0, 0).paragraphs[-1].text.startswith("- Lưu: VT")
    assert "KT. GIÁM ĐỐC" in closing.cell(0, 1).paragraphs[0].text


def test_docx_figures_match_the_database(september, tmp_path):
    text = text_of(Document(run(tmp_path, "bc.docx")))
    rows = queries.grid(None, september, [D(2020, 9, 1)], D(2020, 10, 5), everything=True)
    total = len(rows)
    assert f"{total} cơ quan, đơn vị phải báo cáo; 2 cơ quan đã gửi" in text
    assert "1 cơ quan gửi đúng hạn" in text and f"{total - 2} cơ quan chưa gửi" in text
    assert "Kho bạc Nhà nước tỉnh (28/09/2020)" in text  # the late one, with its date
    assert "Sở Tài chính: Đã ban hành Kế hoạch số 12/KH-STC" in text
    assert "Đề nghị UBND tỉnh bổ sung dự toán" in text
    assert "Số:       /BC-SKHĐT" in text  # a draft leaves the number to the clerk


def test_xlsx_annex(september, tmp_path):
    wb = load_workbook(run(tmp_path, "bc.xlsx"))
    assert wb.sheetnames[:3] == ["Tình hình báo cáo", "Nhiệm vụ theo cơ quan", "Chỉ tiêu"]
    ws = wb["Tình hình báo cáo"]
    data = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
    assert len(data) == len(queries.reporters(september))
    by_code = {r[1]: r for r in data}
    assert by_code["STC"][4:] == ("20/09/2020", "Có", "Đúng hạn")
    assert by_code["KBNN"][4:] == ("28/09/2020", "Không", "Muộn")


def test_pdf_page_one_looks_official(september, tmp_path):
    if not soffice():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("LibreOffice is required under CI (libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed")
    import subprocess

    pdf = run(tmp_path, "bc.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    page1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert re.search(r"ỦY BAN NHÂN DÂN TỈNH.*CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", page1)
    assert "BÁO CÁO" in page1 and "Lào Cai, ngày 05 tháng 10 năm 2020" in page1
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "LiberationSerif" in fonts or "TimesNewRoman" in fonts  # Times metrics with Vietnamese glyphs


def test_unknown_program_and_bad_month(reference, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no program"):
        call_command("report", "monthly", "--program", "99/KH-UBND", "--month", "2020-09", "--out",
                     str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("report", "monthly", "--program", "07/CTr-UBND", "--month", "09/2020", "--out",
                     str(tmp_path / "x.docx"))


def no_formula_cells(data: bytes) -> list:
    """Every non-empty cell, after asserting none is a formula (issue 12: formula injection)."""
    wb = load_workbook(io.BytesIO(data))
    got = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in got if c.data_type == "f"]
    return [c.value for c in got]


def test_consolidated_annex_with_formula_text(obligation, personas, tmp_path):
    from dondoc.reporting.models import Indicator

    Indicator.objects.create(obligation=obligation, agency=personas.own_agency, code="x", name="=1+2", unit="@u")
    personas.own_agency.__class__.objects.filter(pk=personas.own_agency.pk).update(name="-Sở Tài chính")
    out = tmp_path / "bc.xlsx"
    call_command("report", "monthly", "--program", "07/CTr-UBND", "--month", "2020-09", "--out", str(out),
                 "--as-of", "2020-10-05", "--date", "2020-10-05", stdout=io.StringIO())
    values = no_formula_cells(out.read_bytes())
    assert "=1+2" in values and "@u" in values and "-Sở Tài chính" in values
