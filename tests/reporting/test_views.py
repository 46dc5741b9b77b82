import datetime as dt

import pytest

from dondoc.core import clock
from dondoc.reporting import actions
from dondoc.reporting.models import ReportState

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def stc_report(obligation, personas, at):
    at("2020-09-20")
    return actions.open_report(actor=personas.officer, obligation=obligation, agency=personas.own_agency,
                               period=D(2020, 9, 1))


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("leader", 200), ("officer", 200), ("head", 200),
                                                 ("other", 200), ("anonymous", 302)])
def test_report_list(client_for, obligation, at, persona, status):
    at("2020-10-05")
    response = client_for(persona).get("/reports/")
    assert response.status_code == status
    if persona in ("officer", "other"):
        assert response.text.count("<tr><td>") == 1  # only their own agency's row


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("leader", 200), ("officer", 200), ("head", 200),
                                                 ("other", 404), ("anonymous", 302)])
def test_report_detail(client_for, stc_report, persona, status):
    assert client_for(persona).get(f"/reports/{stc_report.pk}/").status_code == status


def test_officer_edits_only_their_agency(client_for, stc_report, obligation):
    data = {"action": "save", "difficulties": "Thiếu kinh phí"}
    assert client_for("other").post(f"/reports/{stc_report.pk}/", data).status_code == 404
    assert client_for("leader").post(f"/reports/{stc_report.pk}/", data).status_code == 404
    assert client_for("officer").post(f"/reports/{stc_report.pk}/", data).status_code == 302
    stc_report.refresh_from_db()
    assert stc_report.draft["difficulties"] == "Thiếu kinh phí"
    # Opening another agency's report is refused too.
    r = client_for("officer").post("/reports/open/", {"obligation": obligation.pk, "agency": "KBNN",
                                                      "period": "2020-09-01"})
    assert r.status_code == 404


def test_officer_cannot_submit_head_can(client_for, stc_report):
    client_for("officer").post(f"/reports/{stc_report.pk}/", {"action": "submit"})
    stc_report.refresh_from_db()
    assert stc_report.state == ReportState.DRAFT
    client_for("head").post(f"/reports/{stc_report.pk}/", {"action": "submit"})
    stc_report.refresh_from_db()
    assert stc_report.state == ReportState.SUBMITTED


def test_accepted_report_cannot_be_edited(client_for, stc_report, personas):
    actions.submit(actor=personas.head, report=stc_report, at=clock.now())
    actions.accept(actor=personas.admin, report=stc_report, at=clock.now())
    page = client_for("head").get(f"/reports/{stc_report.pk}/").text
    assert 'name="difficulties"' not in page
    assert client_for("head").post(f"/reports/{stc_report.pk}/", {"action": "save"}).status_code == 404


def test_the_officer_sees_what_the_dpi_saw(client_for, stc_report, personas):
    actions.save_draft(actor=personas.officer, report=stc_report, data={"difficulties": "Bản gửi lần 1"}, at=clock.now())
    actions.submit(actor=personas.head, report=stc_report, at=clock.now())
    actions.return_report(actor=personas.admin, report=stc_report, reason="Bổ sung")
    actions.save_draft(actor=personas.officer, report=stc_report, data={"difficulties": "Đang sửa"}, at=clock.now())
    page = client_for("officer").get(f"/reports/{stc_report.pk}/v/1/").text
    assert "Bản gửi lần 1" in page and "Đang sửa" not in page


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("leader", 200), ("officer", 404), ("head", 404),
                                                 ("other", 404)])
def test_consolidated_download(client_for, obligation, at, persona, status):
    at("2020-10-05")
    r = client_for(persona).get("/reports/consolidated/", {"obligation": obligation.pk, "period": "2020-09-01",
                                                           "format": "xlsx"})
    assert r.status_code == status
    if status == 200:
        assert r["Content-Disposition"].endswith('.xlsx"') and r.content[:2] == b"PK"


def test_attachment_download_is_permission_checked(client_for, stc_report, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    att = actions.add_attachment(actor=personas.officer, report=stc_report,
                                 uploaded=SimpleUploadedFile("so-lieu.pdf", b"%PDF-1.4 test"), at=clock.now())
    assert client_for("officer").get(f"/reports/attachments/{att.pk}/").status_code == 200
    assert client_for("other").get(f"/reports/attachments/{att.pk}/").status_code == 404


def test_home_panel_shows_this_period(client_for, obligation, at):
    at("2020-09-28")
    page = client_for("admin").get("/").text
    assert 'id="panel-reports"' in page


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("leader", 200), ("officer", 200), ("head", 200),
                                                 ("other", 404), ("anonymous", 302)])
def test_submitted_version_page(client_for, stc_report, personas, persona, status):
    actions.submit(actor=personas.head, report=stc_report, at=clock.now())
    assert client_for(persona).get(f"/reports/{stc_report.pk}/v/1/").status_code == status


def test_the_form_links_each_task_and_keeps_its_status(client_for, stc_report, personas):
    """Each task row links to the task (its text as the link's title) and its status select shows the saved one."""
    from dondoc.reporting import queries

    first = stc_report.draft["tasks"][0]
    assignment = next(a for a in queries.my_assignments(stc_report.obligation, stc_report.agency)
                      if a.pk == first["assignment"])
    actions.save_draft(actor=personas.officer, report=stc_report,
                       data={"tasks": [{"assignment": first["assignment"], "status": "done"}]}, at=clock.now())
    page = client_for("officer").get(f"/reports/{stc_report.pk}/").text
    row = page.split(f'name="status-{first["assignment"]}"')[1].split("</select>")[0]
    assert '<option value="done" selected>' in row and row.count("selected") == 1
    assert f'href="/tasks/{assignment.task_id}/"' in page
    assert f'title="{assignment.task.text.split()[0]}' in page
