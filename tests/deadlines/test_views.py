"""Every deadlines view with the personas: admin, leader, officer and head of STC, officer of KBNN, anonymous."""

import datetime as dt

import pytest
from django.urls import reverse

from dondoc.core.models import AuditEvent, CalendarOverride
from dondoc.deadlines.models import Dossier, DossierType

pytestmark = pytest.mark.django_db
D = dt.date
PERSONAS = ["admin", "leader", "officer", "head", "other", "anonymous"]


def expect(client, url, status, method="get", data=None):
    response = getattr(client, method)(url, data or {})
    if status == "login":
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    else:
        assert response.status_code == status, (url, response.status_code)
    return response


@pytest.fixture
def dossiers(make_dossier, settings):
    settings.DONDOC_TODAY = "2020-10-05"
    return {
        "stc_overdue": make_dossier("TĐ-STC-1", received=D(2020, 9, 21)),
        "stc_done": make_dossier("TĐ-STC-2", received=D(2020, 9, 1), completed=D(2020, 9, 4)),
        "stc_late": make_dossier("TĐ-STC-3", received=D(2020, 9, 7), completed=D(2020, 9, 21)),
        "kbnn_soon": make_dossier("TT-KBNN-1", agency="KBNN", type="payment", received=D(2020, 10, 1)),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_is_scoped(client_for, dossiers, persona):
    response = expect(client_for(persona), "/deadlines/", "login" if persona == "anonymous" else 200)
    if persona == "anonymous":
        return
    text = response.text
    sees_stc = persona in ("admin", "leader", "officer", "head")
    sees_kbnn = persona in ("admin", "leader", "other")
    assert ("TĐ-STC-1" in text) is sees_stc and ("TT-KBNN-1" in text) is sees_kbnn
    assert 'data-type="appraisal"' in text  # the rules are stated, with working days
    if sees_stc:
        assert 'data-agency="STC"' in text and "hạn: 28/09/2020 — 05 ngày làm việc kể từ 21/09/2020" in text
        assert f'<a href="/deadlines/{dossiers["stc_overdue"].pk}/">TĐ-STC-1</a>' in text  # each row links its page


def test_home_filters_and_past_as_of(client_for, dossiers):
    c = client_for("admin")
    overdue = c.get("/deadlines/", {"state": "overdue"}).text
    list_part = overdue.split('id="list"')[1]
    assert "TĐ-STC-1" in list_part and "TĐ-STC-2" not in list_part
    assert "TT-KBNN-1" not in c.get("/deadlines/", {"agency": "stc"}).text.split('id="list"')[1]
    assert "TĐ-STC-1" not in c.get("/deadlines/", {"month": "10/2020"}).text.split('id="list"')[1]
    past = c.get("/deadlines/", {"as_of": "10/09/2020"}).text
    assert "TĐ-STC-1" not in past and "TT-KBNN-1" not in past  # not received yet on 10/09
    compliance = past.split('id="compliance"')[1].split('id="list"')[0]
    assert "100,0%" in compliance  # only TĐ-STC-2 completed by then, on time
    now = c.get("/deadlines/").text.split('id="compliance"')[1].split('id="list"')[0]
    assert "50,0%" in now and "(1/2)" in now
    assert "dd/mm/yyyy" in c.get("/deadlines/", {"as_of": "31/02/2020"}).text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("leader", 200), ("officer", 200), ("head", 200), ("other", 404), ("anonymous", "login")],
)
def test_detail(client_for, dossiers, persona, status):
    response = expect(client_for(persona), f"/deadlines/{dossiers['stc_overdue'].pk}/", status)
    if status == 200:
        assert "28/09/2020" in response.text
        assert ("/pause/" in response.text) is (persona in ("admin", "officer", "head"))


def test_detail_of_a_missing_dossier_is_404(client_for):
    expect(client_for("admin"), "/deadlines/999999/", 404)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("leader", 404), ("officer", 200), ("head", 200), ("other", 200), ("anonymous", "login")],
)
def test_entry_form(client_for, reference, persona, status):
    expect(client_for(persona), "/deadlines/new/", status)


def test_officer_enters_for_own_agency_only(client_for, personas):
    c = client_for("officer")
    data = {"type": DossierType.objects.get(code="appraisal").pk, "agency": personas.own_agency.pk,
            "reference": "TĐ-99", "subject": "Thẩm định dự án X", "received_on": "20/01/2020", "note": ""}
    response = c.post("/deadlines/new/", data)
    d = Dossier.objects.get(reference="TĐ-99")
    assert response.status_code == 302 and response["Location"] == f"/deadlines/{d.pk}/"
    assert d.received_on == D(2020, 1, 20) and d.agency == personas.own_agency
    assert AuditEvent.objects.get(kind="dossier.create").actor == personas.officer
    again = c.post("/deadlines/new/", {**data, "reference": "TĐ-100", "agency": personas.other_agency.pk})
    assert again.status_code == 200 and not Dossier.objects.filter(reference="TĐ-100").exists()
    duplicate = c.post("/deadlines/new/", data)
    assert duplicate.status_code == 200 and Dossier.objects.filter(reference="TĐ-99").count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 302), ("leader", 404), ("officer", 302), ("head", 302), ("other", 404), ("anonymous", "login")],
)
def test_pause_resume_complete(client_for, personas, dossiers, persona, status):
    d = dossiers["stc_overdue"]
    c = client_for(persona)
    expect(c, f"/deadlines/{d.pk}/pause/", status, "post", {"on": "22/09/2020", "reason": "Thiếu hồ sơ"})
    if status != 302:
        assert not d.pauses.exists()
        return
    expect(c, f"/deadlines/{d.pk}/resume/", 302, "post", {"on": "24/09/2020"})
    expect(c, f"/deadlines/{d.pk}/complete/", 302, "post", {"on": "29/09/2020"})
    d.refresh_from_db()
    assert d.completed_on == D(2020, 9, 29)
    assert [(p.paused_on, p.resumed_on, p.reason) for p in d.pauses.all()] == [(D(2020, 9, 22), D(2020, 9, 24), "Thiếu hồ sơ")]
    kinds = AuditEvent.objects.filter(target_id=str(d.pk), kind__in=["dossier.pause", "dossier.resume", "dossier.complete"])
    assert kinds.count() == 3 and {e.actor for e in kinds} == {getattr(personas, persona)}


def test_refused_event_shows_a_message_and_changes_nothing(client_for, dossiers):
    d = dossiers["stc_overdue"]
    response = client_for("officer").post(f"/deadlines/{d.pk}/resume/", {"on": "22/09/2020"}, follow=True)
    assert response.status_code == 200 and 'class="error"' in response.text
    bad = client_for("officer").post(f"/deadlines/{d.pk}/pause/", {"on": "hôm qua"}, follow=True)
    assert "dd/mm/yyyy" in bad.text and not d.pauses.exists()
    expect(client_for("officer"), f"/deadlines/{d.pk}/explode/", 404, "post", {"on": "22/09/2020"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_calendar_page(client_for, reference, persona):
    response = expect(client_for(persona), "/deadlines/calendar/?year=2020", "login" if persona == "anonymous" else 200)
    if persona != "anonymous":
        assert "23/01/2020" in response.text and "0.109" in response.text
        assert 'id="overrides"' in response.text
        assert ('name="reference"' in response.text) is (persona == "admin")  # the override form


@pytest.mark.parametrize("persona", ["leader", "officer", "head", "other"])
def test_only_province_admins_edit_the_calendar(client_for, reference, persona):
    c = client_for(persona)
    expect(c, "/deadlines/calendar/", 404, "post", {"date": "03/09/2020", "kind": "override_off", "name": "x",
                                                    "reference": "QĐ 1"})
    o = CalendarOverride.objects.create(date=D(2020, 9, 4), kind="override_off", name="x", reference="y")
    expect(c, f"/deadlines/calendar/{o.pk}/remove/", 404, "post")
    assert CalendarOverride.objects.count() == 1


def test_admin_adds_and_removes_an_override(client_for, personas):
    c = client_for("admin")
    response = c.post("/deadlines/calendar/", {"date": "03/09/2020", "kind": "override_off",
                                               "name": "Nghỉ theo QĐ tỉnh", "reference": "QĐ 1/QĐ-UBND"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2020")
    page = c.get("/deadlines/calendar/?year=2020").text
    assert "Nghỉ theo QĐ tỉnh" in page and "t_admin" in page
    o = CalendarOverride.objects.get()
    assert c.post(f"/deadlines/calendar/{o.pk}/remove/").status_code == 302
    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.filter(kind__in=["calendar.override_add", "calendar.override_remove"],
                                     actor=personas.admin).count() == 2


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("leader", 404), ("officer", 200), ("head", 200), ("other", 200), ("anonymous", "login")],
)
def test_import_page(client_for, reference, persona, status):
    expect(client_for(persona), "/deadlines/import/", status)


def test_import_upload_dry_run_then_real(client_for, personas, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = "Loại hồ sơ;Cơ quan;Số hồ sơ;Trích yếu;Ngày nhận\nappraisal;Sở Tài chính;TĐ-7;Thẩm định;20/01/2020\n"
    c = client_for("officer")
    with django_capture_on_commit_callbacks(execute=True):  # the job runs after the upload's commit
        r = c.post("/deadlines/import/", {"file": SimpleUploadedFile("hs.csv", csv.encode()), "dry_run": "on"})
    dry = c.get(r["Location"])
    assert dry.status_code == 200 and 'data-state="preview"' in dry.text and not Dossier.objects.exists()
    assert "1 dòng" in dry.text or "1 row" in dry.text
    with django_capture_on_commit_callbacks(execute=True):
        c.post("/deadlines/import/", {"file": SimpleUploadedFile("hs.csv", csv.encode())})
    assert Dossier.objects.get().reference == "TĐ-7"
    other = client_for("other")
    with django_capture_on_commit_callbacks(execute=True):
        r = other.post("/deadlines/import/", {"file": SimpleUploadedFile("hs.csv", csv.replace("TĐ-7", "TĐ-8").encode())})
    other = other.get(r["Location"])
    assert 'class="error"' in other.text and Dossier.objects.count() == 1


def test_import_runs_in_the_background_and_the_page_polls_it(client_for, personas):
    """The request only stores the file: nothing is parsed until the worker runs the job; the page polls."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dondoc.jobs import runner
    from dondoc.jobs.models import Job

    csv = "Loại hồ sơ;Cơ quan;Số hồ sơ;Trích yếu;Ngày nhận\nappraisal;Sở Tài chính;TĐ-7;Thẩm định;20/01/2020\n"
    c = client_for("officer")
    r = c.post("/deadlines/import/", {"file": SimpleUploadedFile("hs.csv", csv.encode())})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/deadlines/import/?job={job.pk}"
    assert job.state == "queued" and not Dossier.objects.exists()
    assert 'hx-trigger="every 1s"' in c.get(r["Location"]).text
    assert client_for("head").get(r["Location"]).status_code == 404  # another user's job
    assert runner.run_pending() == 1
    fragment = c.get(r["Location"], HTTP_HX_REQUEST="true").text
    assert "hx-trigger" not in fragment and 'data-state="done"' in fragment
    assert Dossier.objects.get().reference == "TĐ-7"


@pytest.mark.parametrize("persona", ["admin", "leader", "officer", "head", "other"])
def test_home_panel(client_for, dossiers, persona):
    text = client_for(persona).get("/").text
    assert 'id="panel-dossiers"' in text
    assert ("TĐ-STC-1" in text) is (persona in ("admin", "leader", "officer", "head"))
    assert ("TT-KBNN-1" in text) is (persona in ("admin", "leader", "other"))
    assert "TĐ-STC-2" not in text  # completed: not in the panel


def test_home_panel_shows_counts_by_agency_and_the_most_urgent_few(client_for, make_dossier, settings):
    """The panel counts every dossier overdue or due this week per agency, but lists only the five most urgent
    (oldest due date first) and the agencies with the most of them."""
    settings.DONDOC_TODAY = "2020-10-05"  # a Monday: the week ends on 11/10
    for i in range(7):  # received 01/09..07/09: due 5 working days later, all overdue
        make_dossier(f"TĐ-STC-{i}", received=D(2020, 9, 1) + dt.timedelta(days=i))
    make_dossier("TT-KBNN-1", agency="KBNN", type="payment", received=D(2020, 10, 1))  # due 07/10
    make_dossier("TT-KBNN-2", agency="KBNN", type="payment", received=D(2020, 10, 5))  # due 09/10
    make_dossier("TT-KBNN-3", agency="KBNN", type="payment", received=D(2020, 9, 1), completed=D(2020, 9, 2))
    text = client_for("admin").get("/").text
    panel = text.split('id="panel-dossiers"')[1].split("</section>")[0]
    assert '<a class="status overdue" href="/deadlines/?state=overdue#list" data-count="overdue">' in panel
    assert 'data-count="overdue">quá hạn: <strong>7</strong>' in panel
    assert 'data-count="due_this_week">đến hạn trong tuần: <strong>2</strong>' in panel
    assert panel.count("<li>") == 5
    assert [f"TĐ-STC-{i}" in panel for i in range(7)] == [True] * 5 + [False] * 2  # the oldest due first
    assert "TT-KBNN-3" not in panel  # completed
    stc = panel.split('data-agency="STC"')[1].split("</tr>")[0]
    kbnn = panel.split('data-agency="KBNN"')[1].split("</tr>")[0]
    assert '<td class="num">7</td><td class="num">0</td>' in stc and '<td class="num">0</td><td class="num">2</td>' in kbnn
    assert panel.index('data-agency="STC"') < panel.index('data-agency="KBNN"')  # the most first
    own = client_for("officer").get("/").text.split('id="panel-dossiers"')[1].split("</section>")[0]
    assert "<strong>7</strong>" in own and "TT-KBNN" not in own and "data-agency" not in own  # one agency: no table


def test_home_panel_queries_do_not_grow_with_dossiers_or_agencies(client_for, make_dossier, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.accounts.models import Agency

    settings.DONDOC_TODAY = "2020-10-05"
    c = client_for("admin")

    def queries_of_home():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/").status_code == 200
        return len(ctx.captured_queries)

    make_dossier("TĐ-STC-1", received=D(2020, 9, 1))
    make_dossier("TT-KBNN-1", agency="KBNN", type="payment", received=D(2020, 10, 1))
    few = queries_of_home()
    for n, agency in enumerate(Agency.objects.exclude(code__in=["STC", "KBNN"]).order_by("code")[:12]):
        for i in range(3):
            make_dossier(f"TĐ-{agency.code}-{i}", agency=agency.code, received=D(2020, 9, 1) + dt.timedelta(days=n + i))
    text = c.get("/").text.split('id="panel-dossiers"')[1].split("</section>")[0]
    assert text.count("<li>") == 5 and text.count("data-agency=") == 10 and "4 cơ quan khác" in text
    assert queries_of_home() <= few
