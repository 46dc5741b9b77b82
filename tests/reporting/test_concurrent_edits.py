"""Issue 12: the lost update on the monthly report, and the officer's forged submit."""

import datetime as dt
import re

import pytest

from dondoc.core.models import AuditEvent
from dondoc.reporting import actions
from dondoc.reporting.models import ReportState

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def stc_report(obligation, personas, at):
    at("2020-09-20")
    return actions.open_report(actor=personas.officer, obligation=obligation, agency=personas.own_agency,
                               period=D(2020, 9, 1))


def opened_version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def test_two_people_save_the_same_report(client_for, stc_report):
    url = f"/reports/{stc_report.pk}/"
    officer, head = client_for("officer"), client_for("head")
    officer_version = opened_version(officer.get(url).text)
    head_version = opened_version(head.get(url).text)
    r = officer.post(url, {"action": "save", "version": officer_version, "difficulties": "Viết bởi chuyên viên"})
    assert r.status_code == 302
    # The head's page was opened before the officer saved: his save is refused, nothing overwritten.
    r = head.post(url, {"action": "save", "version": head_version, "difficulties": "Bản cũ của lãnh đạo",
                        "recommendations": "Kiến nghị mới"})
    assert r.status_code == 409
    page = r.text
    assert "Người khác đã lưu nội dung này trong lúc bạn đang sửa" in page
    assert "t_stc đã lưu lúc" in page  # who saved, and when
    diff = page[page.index('id="conflict"'):page.index("</section>", page.index('id="conflict"'))]
    assert "Viết bởi chuyên viên" in diff and "Bản cũ của lãnh đạo" in diff and "Kiến nghị mới" in diff
    assert '<textarea name="difficulties" rows="3">Bản cũ của lãnh đạo</textarea>' in page  # his text is kept
    stc_report.refresh_from_db()
    assert stc_report.draft["difficulties"] == "Viết bởi chuyên viên"
    # Resubmitting (the form now carries the current version) is his decision to overwrite: saved.
    new_version = opened_version(page)
    assert new_version != head_version
    r = head.post(url, {"action": "save", "version": new_version, "difficulties": "Đã gộp: Viết bởi chuyên viên"})
    assert r.status_code == 302
    stc_report.refresh_from_db()
    assert stc_report.draft["difficulties"] == "Đã gộp: Viết bởi chuyên viên"
    assert stc_report.version == int(new_version) + 1


def test_stale_submit_is_refused_too(client_for, stc_report):
    url = f"/reports/{stc_report.pk}/"
    head, officer = client_for("head"), client_for("officer")
    head_version = opened_version(head.get(url).text)
    officer.post(url, {"action": "save", "version": opened_version(officer.get(url).text), "difficulties": "Mới"})
    r = head.post(url, {"action": "submit", "version": head_version, "difficulties": "Cũ"})
    assert r.status_code == 409
    stc_report.refresh_from_db()
    assert stc_report.state == ReportState.DRAFT and stc_report.draft["difficulties"] == "Mới"


def test_officer_forged_submit_saves_nothing(client_for, stc_report):
    url = f"/reports/{stc_report.pk}/"
    officer = client_for("officer")
    page = officer.get(url).text
    assert 'value="submit"' not in page  # no submit button for an officer
    before = AuditEvent.objects.count()
    r = officer.post(url, {"action": "submit", "version": opened_version(page),
                                         "difficulties": "Văn bản của chuyên viên"})
    assert r.status_code == 403
    assert "Chỉ lãnh đạo cơ quan mới được gửi báo cáo" in r.text
    assert "Văn bản của chuyên viên</textarea>" in r.text  # the text is still in the form
    stc_report.refresh_from_db()
    assert stc_report.state == ReportState.DRAFT and stc_report.draft["difficulties"] == ""
    assert AuditEvent.objects.count() == before
