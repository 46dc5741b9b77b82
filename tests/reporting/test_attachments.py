"""Issue 12: report attachments checked by content and size, served as downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.core import clock

from ..core.test_uploads import PDF, png


@pytest.mark.django_db
def test_report_page_refuses_html_in_a_pdf_and_serves_files_as_downloads(client_for, obligation, personas, settings,
                                                                          monkeypatch):
    from dondoc.reporting import actions

    settings.DONDOC_TODAY = "2020-09-20"
    report = actions.open_report(actor=personas.officer, obligation=obligation, agency=personas.own_agency,
                                 period=clock.parse_date("01/09/2020"))
    url = f"/reports/{report.pk}/"
    c = client_for("officer")
    for bad in (SimpleUploadedFile("bc.pdf", b"<html><script>alert(1)</script></html>"),
                SimpleUploadedFile("rong.pdf", b"")):
        page = c.post(url, {"action": "attach", "file": bad}, follow=True).text
        assert "bc.pdf không đúng là tệp PDF" in page or "rong.pdf là tệp rỗng" in page
    assert not report.attachments.exists()
    c.post(url, {"action": "attach", "file": SimpleUploadedFile("bc.pdf", PDF)})
    c.post(url, {"action": "attach", "file": SimpleUploadedFile("anh.png", png())})
    assert [a.content_type for a in report.attachments.order_by("id")] == ["application/pdf", "image/png"]
    response = c.get(f"/reports/attachments/{report.attachments.first().pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # the limit for all the files of one report together
    monkeypatch.setattr(actions, "MAX_REPORT_ATTACHMENTS", len(PDF) + len(png()) + 10)
    page = c.post(url, {"action": "attach", "file": SimpleUploadedFile("them.pdf", PDF)}, follow=True).text
    assert "không được vượt quá" in page and report.attachments.count() == 2
