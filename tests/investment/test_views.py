"""Every investment screen with the personas: admin, leader, STC officer and head (own), KBNN officer, anonymous."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.core.models import AuditEvent
from dondoc.investment.models import Commitment, Disbursement
from dondoc.jobs import runner
from dondoc.jobs.models import Job

from .conftest import MILLION

pytestmark = pytest.mark.django_db
ALL = ["admin", "leader", "officer", "head", "other", "anonymous"]


@pytest.fixture(autouse=True)
def _today(settings):
    settings.DONDOC_TODAY = "2020-09-30"


@pytest.mark.parametrize("persona", ALL)
def test_home(client_for, paid, persona):
    r = client_for(persona).get("/investment/")
    if persona == "anonymous":
        assert r.status_code == 302
        return
    assert r.status_code == 200
    text = r.text
    assert "<svg" in text and "s-curve" in text
    # STC's investor is visible to its own agency and the province; KBNN's to its own officer and the province.
    assert ("Ban QLDA Sở Tài chính" in text) == (persona != "other")
    assert ("Ban QLDA Kho bạc" in text) == (persona in ("admin", "leader", "other"))
    if persona in ("admin", "leader"):
        assert 'data-rate="province">54,29%' in text
    if persona == "officer":
        assert 'data-rate="province">60,00%' in text  # their own investors only


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("leader", 200), ("officer", 200), ("head", 200),
                                                 ("other", 404), ("anonymous", 302)])
def test_project_and_investor_pages(client_for, paid, persona, status):
    c = client_for(persona)
    r = c.get("/investment/projects/7810658/")
    assert r.status_code == status
    if status == 200:
        assert "Dự án 7810658" in r.text and 'id="plan-lines"' in r.text and 'id="schedule"' in r.text
        assert "behind" in r.text or "chậm" in r.text
    assert c.get(f"/investment/investors/{paid['own'].pk}/").status_code == status


@pytest.mark.parametrize(("persona", "visible"), [("admin", 3), ("leader", 3), ("officer", 2), ("head", 2),
                                                  ("other", 1)])
def test_project_list_is_scoped(client_for, paid, persona, visible):
    r = client_for(persona).get("/investment/projects/")
    assert r.status_code == 200
    assert r.text.count('<td class="nowrap"><a href="/investment/projects/') == visible
    behind = client_for(persona).get("/investment/projects/", {"behind": "1"}).text
    assert ("7810658" in behind) == (persona != "other")


def test_anonymous_project_list_redirects(client_for, paid):
    assert client_for("anonymous").get("/investment/projects/").status_code == 302


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("leader", 404), ("officer", 404), ("head", 404),
                                                 ("other", 404), ("anonymous", 302)])
def test_import_pages_are_for_the_province_admin(client_for, paid, persona, status):
    c = client_for(persona)
    assert c.get("/investment/import/").status_code == status
    job = Job.objects.create(kind="investment.disbursements", file="x.csv", file_name="x.csv")
    assert c.get(f"/investment/import/{job.pk}/").status_code == status
    assert c.post(f"/investment/import/{job.pk}/confirm/").status_code == (302 if status != 404 else 404)


def test_upload_check_preview_confirm(client_for, paid, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    c = client_for("admin")
    content = "Mã dự án;Ngày;Số chứng từ;Số tiền (đồng)\n7810657;01/10/2020;CT77;1.500.000\n".encode()
    r = c.post("/investment/import/", {"kind": "disbursements", "assigner": "tinh",
                                        "file": SimpleUploadedFile("kb.csv", content)})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/investment/import/{job.pk}/"
    assert job.state == "queued" and job.dry_run  # the request did not run the import
    page = c.get(f"/investment/import/{job.pk}/").text
    assert 'hx-trigger="every 1s"' in page  # the page polls while the job runs
    assert runner.run_pending() == 1  # what the worker (or `dondoc run_jobs`) does
    job.refresh_from_db()
    assert job.state == "preview" and job.result["created"] == 1 and Disbursement.objects.filter(ref="CT77").count() == 0
    fragment = c.get(f"/investment/import/{job.pk}/", HTTP_HX_REQUEST="true").text
    assert 'id="preview"' in fragment and "7810657" in fragment and "hx-trigger" not in fragment
    r = c.post(f"/investment/import/{job.pk}/confirm/")
    follow = Job.objects.exclude(pk=job.pk).get()
    assert r["Location"] == f"/investment/import/{follow.pk}/" and not follow.dry_run
    runner.run_pending()
    follow.refresh_from_db()
    assert follow.state == "done" and Disbursement.objects.get(ref="CT77").amount == 1_500_000
    assert AuditEvent.objects.filter(kind="investment.import_disbursements", actor=follow.created_by).exists()


def test_rejected_upload_lists_the_errors(client_for, paid, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    c = client_for("admin")
    content = "Mã dự án,Ngày,Số tiền (đồng)\n0000,01/10/2020,100\n".encode()
    c.post("/investment/import/", {"kind": "disbursements", "assigner": "tinh",
                                   "file": SimpleUploadedFile("kb.csv", content)})
    runner.run_pending()
    job = Job.objects.get()
    assert job.state == "rejected"
    page = c.get(f"/investment/import/{job.pk}/").text
    assert 'id="errors"' in page and "0000" in page and "confirm" not in page


def test_upload_refuses_other_file_types(client_for, paid):
    r = client_for("admin").post("/investment/import/", {"kind": "plans", "assigner": "tinh",
                                                          "file": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert r.status_code == 200 and not Job.objects.exists()


@pytest.mark.parametrize(("persona", "allowed"), [("admin", True), ("officer", True), ("head", True),
                                                  ("leader", False), ("other", False)])
def test_committed_schedule_form(client_for, paid, persona, allowed):
    data = {f"m{m}": "" for m in range(1, 13)} | {"m11": "150", "m12": "250,5"}
    r = client_for(persona).post("/investment/projects/7810657/schedule/", data)
    assert r.status_code == (302 if allowed else 404)
    months = dict(Commitment.objects.filter(project=paid["p1"]).values_list("month", "amount"))
    assert months == ({11: 150 * MILLION, 12: 250_500_000} if allowed else {})


def test_home_panel(client_for, paid):
    text = client_for("admin").get("/").text
    assert 'id="panel-investment"' in text and "Ban QLDA Kho bạc" in text
    assert 'id="panel-investment"' not in client_for("anonymous").get("/", follow=True).text


def test_run_jobs_command_and_stale_jobs(paid, settings, tmp_path):
    import datetime as dt
    import io

    from django.core.management import call_command
    from django.utils import timezone

    stale = Job.objects.create(kind="investment.plans", file="x.csv", file_name="x.csv", state="running",
                                     started_at=timezone.now() - dt.timedelta(hours=3))
    out = io.StringIO()
    call_command("run_jobs", stdout=out)
    stale.refresh_from_db()
    assert "0 job(s)" in out.getvalue() and stale.state == "failed"
