"""Every petitions view with the personas: admin (DPI), leader, officer and head of STC (the lead agency),
an officer of CT (coordinating), an officer of KBNN (outsider) and anonymous."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dondoc.core import clock
from dondoc.core.models import AuditEvent
from dondoc.petitions import actions
from dondoc.petitions.models import Petition, PetitionCategory, State

pytestmark = pytest.mark.django_db
D = dt.date
PDF = b"%PDF-1.4\n%%EOF\n"
PERSONAS = ["admin", "leader", "officer", "head", "coord", "other", "anonymous"]
READERS = {"admin", "leader", "officer", "head", "coord"}
HANDLERS = {"admin", "officer", "head", "coord"}


@pytest.fixture
def client_as(client_for, coordinator):
    return client_for


@pytest.fixture
def petition(make_petition):
    return make_petition(received=D(2020, 9, 1))


def expect(client, url, status, method="get", data=None):
    response = getattr(client, method)(url, data or {})
    if status == "login":
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    else:
        assert response.status_code == status, (url, response.status_code)
    return response


def outcome(persona, allowed):
    if persona == "anonymous":
        return "login"
    return 302 if persona in allowed else 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_is_scoped(client_as, make_petition, persona):
    stc = make_petition("Kiến nghị về thuế STC", received=D(2020, 9, 1))
    kbnn = make_petition("Kiến nghị thanh toán KBNN", lead="KBNN", coordinators=(), received=D(2020, 9, 2))
    unrouted = make_petition("Kiến nghị chưa giao", lead=None, received=D(2020, 9, 3))
    response = expect(client_as(persona), "/petitions/?view=all", "login" if persona == "anonymous" else 200)
    if persona == "anonymous":
        return
    text = response.text
    sees = {p.reference: p.reference in text for p in (stc, kbnn, unrouted)}
    assert sees == {
        stc.reference: persona in READERS,
        kbnn.reference: persona in ("admin", "leader", "other"),
        unrouted.reference: persona in ("admin", "leader"),
    }
    assert ("/petitions/new/" in text) is (persona == "admin")


def test_list_overdue_and_due_soon_tabs(client_as, make_petition, settings):
    settings.DONDOC_TODAY = "2021-02-18"
    overdue = make_petition("Quá hạn", received=D(2021, 2, 1), routed=D(2021, 2, 3), days=5)  # due 17/02
    soon = make_petition("Sắp đến hạn", received=D(2021, 2, 1), routed=D(2021, 2, 9), days=3)  # 17, 18, 19/02
    later = make_petition("Còn hạn", received=D(2021, 2, 1), routed=D(2021, 2, 9))
    c = client_as("admin")
    over = c.get("/petitions/", {"view": "overdue"}).text.split('id="list"')[1]
    assert overdue.reference in over and soon.reference not in over
    due = c.get("/petitions/", {"view": "due_soon"}).text.split('id="list"')[1]
    assert soon.reference in due and overdue.reference not in due and later.reference not in due
    assert "hạn: 17/02/2021" in c.get(f"/petitions/{overdue.pk}/").text
    tabs = c.get("/petitions/").text
    assert re.search(r'data-view="overdue">[^<]*\(1\)', tabs) and re.search(r'data-view="due_soon">[^<]*\(1\)', tabs)


def test_list_search_without_accents(client_as, make_petition):
    p = make_petition("Vướng mắc giải phóng mặt bằng", category="land")
    q = make_petition("Hoàn thuế giá trị gia tăng")
    text = client_as("admin").get("/petitions/", {"q": "giai phong mat bang", "view": "all"}).text
    assert p.reference in text and q.reference not in text


@pytest.mark.parametrize("persona", PERSONAS)
def test_new(client_as, persona):
    c = client_as(persona)
    expect(c, "/petitions/new/", {"admin": 200, "anonymous": "login"}.get(persona, 404))
    data = {"received_on": "01/10/2020", "channel": "hotline", "category": PetitionCategory.objects.get(code="tax").pk,
            "business_name": "Công ty CP Sa Pa Xanh", "subject": "Hoàn thuế", "text": "Đề nghị hoàn thuế GTGT",
            "contact_phone": "0999 111 222",
            "attachment": SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")}
    response = expect(c, "/petitions/new/", outcome(persona, {"admin"}), "post", data)
    if persona == "admin":
        p = Petition.objects.get()
        assert response["Location"] == f"/petitions/{p.pk}/"
        assert (p.channel, p.contact_phone, p.received_on, p.attachments.count()) == ("hotline", "0999 111 222",
                                                                                     D(2020, 10, 1), 1)
    else:
        assert not Petition.objects.exists()


def test_new_rejects_bad_files_and_suggests_duplicates(client_as, make_petition):
    existing = make_petition("Vướng mắc giải phóng mặt bằng dự án Kè sông Hồng", category="land", lead="TPLC")
    c = client_as("admin")
    data = {"received_on": "01/10/2020", "channel": "letter", "category": existing.category.pk,
            "business_name": "Công ty A", "subject": "Kiến nghị GPMB dự án kè sông Hồng",
            "text": "Kiến nghị GPMB dự án kè sông Hồng", "attachment": SimpleUploadedFile("x.exe", b"MZ")}
    response = c.post("/petitions/new/", data)
    assert response.status_code == 200 and Petition.objects.count() == 1
    assert existing.reference in response.text.split("Kiến nghị tương tự đang xử lý")[1]
    fragment = c.post("/petitions/similar/", {"subject": "GPMB kè sông Hồng", "text": "vướng mắc giải phóng mặt bằng"})
    assert existing.reference in fragment.text and "<html" not in fragment.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_similar(client_as, persona):
    expect(client_as(persona), "/petitions/similar/", {"admin": 200, "anonymous": "login"}.get(persona, 404), "post",
           {"text": "abc"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail(client_as, petition, persona):
    response = expect(client_as(persona), f"/petitions/{petition.pk}/",
                      "login" if persona == "anonymous" else 200 if persona in READERS else 404)
    if response.status_code != 200:
        return
    text = response.text
    assert petition.subject in text and "hạn: 16/09/2020" in text
    # Personal data is never on the page itself: it is shown on request, and that view is logged.
    assert "0912 345 678" not in text and "5300123456" not in text and "lienhe@kimthanh" not in text
    assert (f"/petitions/{petition.pk}/contact/" in text) is (persona in HANDLERS)
    assert ('id="route"' in text) is (persona == "admin")
    assert ('id="give-answer"' in text) is (persona in ("officer", "head"))
    assert ('id="post-update"' in text) is (persona in ("admin", "officer", "head", "coord"))
    assert ('id="merge"' in text) is (persona == "admin")


def test_detail_of_a_missing_petition_is_404(client_as):
    expect(client_as("admin"), "/petitions/999999/", 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_contact_shown_to_handlers_and_logged(client_as, petition, persona):
    response = expect(client_as(persona), f"/petitions/{petition.pk}/contact/",
                      "login" if persona == "anonymous" else 200 if persona in HANDLERS else 404)
    logged = AuditEvent.objects.filter(kind="petition.view_personal", target_id=str(petition.pk))
    if persona in HANDLERS:
        assert "0912 345 678" in response.text and "5300123456" in response.text
        assert response["Cache-Control"] == "no-store"
        assert logged.count() == 1 and logged.get().note == "contact"
    else:
        assert not logged.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_attachment_download(client_as, personas, petition, persona):
    a = actions.add_attachment(actor=personas.admin, petition=petition, name="công văn.pdf", data=PDF)
    response = expect(client_as(persona), f"/petitions/attachments/{a.pk}/",
                      "login" if persona == "anonymous" else 200 if persona in HANDLERS else 404)
    logged = AuditEvent.objects.filter(kind="petition.view_personal", target_id=str(petition.pk))
    if persona in HANDLERS:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf" and "attachment;" in response["Content-Disposition"]
        assert logged.get().note == f"attachment {a.pk}: công văn.pdf"
    else:
        assert not logged.exists()


def test_attachment_of_a_missing_id_is_404(client_as):
    expect(client_as("admin"), "/petitions/attachments/424242/", 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_route(client_as, petition, persona):
    from dondoc.accounts.models import Agency

    data = {"lead": Agency.objects.get(code="STNMT").pk, "on": "10/09/2020", "reason": "Thuộc lĩnh vực đất đai"}
    expect(client_as(persona), f"/petitions/{petition.pk}/route/", outcome(persona, {"admin"}), "post", data)
    petition.refresh_from_db()
    assert (petition.lead_agency.code == "STNMT") is (persona == "admin")


@pytest.mark.parametrize("persona", PERSONAS)
def test_update(client_as, petition, persona):
    expect(client_as(persona), f"/petitions/{petition.pk}/update/", outcome(persona, HANDLERS), "post",
           {"text": "Đã xử lý một phần", "on": "03/09/2020"})
    assert petition.updates.count() == (1 if persona in HANDLERS else 0)
    if persona in HANDLERS:
        assert petition.updates.get().kind == {"coord": "contribution", "admin": "note"}.get(persona, "progress")


def test_update_coordinator_cannot_post_progress(client_as, petition):
    response = client_as("coord").post(f"/petitions/{petition.pk}/update/",
                                       {"text": "x", "on": "03/09/2020", "kind": "progress"})
    assert response.status_code == 404 and not petition.updates.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_answer(client_as, petition, persona):
    expect(client_as(persona), f"/petitions/{petition.pk}/answer/", outcome(persona, {"officer", "head"}), "post",
           {"text": "Sở Tài chính trả lời", "on": "10/09/2020"})
    petition.refresh_from_db()
    assert (petition.state == State.ANSWERED) is (persona in ("officer", "head"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_publish_and_close(client_as, personas, petition, persona):
    actions.answer(actor=personas.officer, petition=petition, text="Trả lời", on=D(2020, 9, 10), at=clock.now())
    allowed = {"admin", "officer", "head"}
    expect(client_as(persona), f"/petitions/{petition.pk}/publish/", outcome(persona, allowed), "post",
           {"on": "11/09/2020"})
    petition.refresh_from_db()
    assert (petition.state == State.PUBLISHED) is (persona in allowed)
    if persona not in allowed:
        actions.publish(actor=personas.admin, petition=petition, on=D(2020, 9, 11), at=clock.now())
    expect(client_as(persona), f"/petitions/{petition.pk}/close/", outcome(persona, allowed), "post",
           {"on": "14/09/2020"})
    petition.refresh_from_db()
    assert (petition.state == State.CLOSED) is (persona in allowed)


@pytest.mark.parametrize("persona", PERSONAS)
def test_escalate_and_decide(client_as, personas, petition, persona):
    expect(client_as(persona), f"/petitions/{petition.pk}/escalate/", outcome(persona, {"admin"}), "post",
           {"reason": "Vượt thẩm quyền"})
    petition.refresh_from_db()
    assert bool(petition.escalation_proposed_on) is (persona == "admin")
    if persona != "admin":
        actions.propose_escalation(actor=personas.admin, petition=petition, reason="Vượt thẩm quyền", at=clock.now())
    expect(client_as(persona), f"/petitions/{petition.pk}/decide/", outcome(persona, {"leader"}), "post",
           {"agree": "yes", "note": "UBND tỉnh xem xét"})
    petition.refresh_from_db()
    assert (petition.state == State.ESCALATED) is (persona == "leader")


@pytest.mark.parametrize("persona", PERSONAS)
def test_merge(client_as, make_petition, petition, persona):
    dup = make_petition("Đề nghị gia hạn nộp thuế TNDN", received=D(2020, 9, 2))
    expect(client_as(persona), f"/petitions/{dup.pk}/merge/", outcome(persona, {"admin"}), "post",
           {"into": petition.reference.lower(), "reason": "Trùng"})
    dup.refresh_from_db()
    assert (dup.merged_into_id == petition.pk) is (persona == "admin")


@pytest.mark.parametrize("persona", PERSONAS)
def test_attach(client_as, petition, persona):
    expect(client_as(persona), f"/petitions/{petition.pk}/attach/", outcome(persona, HANDLERS), "post",
           {"file": SimpleUploadedFile("y-kien.pdf", PDF)})
    assert petition.attachments.count() == (1 if persona in HANDLERS else 0)


def test_attach_refuses_a_wrong_type_with_a_message(client_as, petition):
    response = client_as("officer").post(f"/petitions/{petition.pk}/attach/",
                                         {"file": SimpleUploadedFile("script.html", b"<script>")}, follow=True)
    assert not petition.attachments.exists() and 'class="error"' in response.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_categories(client_as, persona):
    c = client_as(persona)
    expect(c, "/petitions/categories/", {"admin": 200, "anonymous": "login"}.get(persona, 404))
    expect(c, "/petitions/categories/", outcome(persona, {"admin"}), "post",
           {"code": "tax", "answer_days": "7", "due_soon_days": "2", "basis": "Quy chế của tỉnh"})
    assert (PetitionCategory.objects.get(code="tax").answer_days == 7) is (persona == "admin")


def test_two_administrators_edit_one_category(client_as, personas):
    """Issue 12: the second, stale save of a category's time limit silently undid the first one's."""
    import re

    from django.test import Client

    first, second = client_as("admin"), Client()
    second.force_login(personas.make("t_admin_b", "SKHDT", "province_admin"))

    def opened(page):
        row = page[page.index('data-category="tax"'):]
        return re.search(r'name="version" value="(\d+)"', row).group(1)

    v_first, v_second = opened(first.get("/petitions/categories/").text), opened(second.get("/petitions/categories/").text)
    data = {"code": "tax", "due_soon_days": "2", "basis": "Quy chế của tỉnh"}
    assert first.post("/petitions/categories/", data | {"answer_days": "7", "version": v_first}).status_code == 302
    r = second.post("/petitions/categories/", data | {"answer_days": "12", "version": v_second})
    assert r.status_code == 409 and "t_admin đã lưu lúc" in r.text
    assert PetitionCategory.objects.get(code="tax").answer_days == 7
    r = second.post("/petitions/categories/", data | {"answer_days": "12", "version": opened(r.text)})
    assert r.status_code == 302 and PetitionCategory.objects.get(code="tax").answer_days == 12


def test_menu_and_home_panel(client_as, make_petition, settings):
    make_petition(received=D(2020, 9, 1))  # due 16/09: overdue on 05/10
    home = client_as("officer").get("/").text
    assert 'href="/petitions/"' in home and 'id="panel-petitions"' in home
    panel = home.split('id="panel-petitions"')[1].split("</section>")[0]
    assert 'data-count="overdue">' in panel and "<strong>1</strong>" in panel
    assert 'id="panel-petitions"' not in client_as("other").get("/").text  # nothing of KBNN's


@pytest.mark.parametrize("persona", ["admin", "officer"])
def test_list_and_panel_queries_do_not_grow_with_petitions(client_as, make_petition, persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_per_page():
        c = client_as(persona)
        counts = []
        for url in ("/petitions/", "/petitions/?view=overdue", "/petitions/?view=due_soon", "/petitions/?view=all",
                    "/"):
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url).status_code == 200
            counts.append(len(ctx))
        return counts

    make_petition("Một", received=D(2020, 9, 1))
    make_petition("Hai", received=D(2020, 9, 28), routed=D(2020, 9, 29), days=5)
    before = queries_per_page()
    for day in (1, 2, 3, 28):
        make_petition(f"Thêm {day}", received=D(2020, 9, day), routed=D(2020, 9, day))
    assert queries_per_page() == before


def test_the_intake_form_lists_tasks_without_reading_the_program_document(client_as):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.programs.models import ActionProgram, ProgramVersion, Task

    program = ActionProgram.objects.create(number="99/CTr-UBND", title="Chương trình thử", issued_on=dt.date(2020, 6, 1))
    version = ProgramVersion.objects.create(program=program, number=1, content_hash="h", parsed={"tasks": ["x" * 1000]})
    Task.objects.create(version=version, position=1, section="1", item="1", text="Nhiệm vụ thử")
    with CaptureQueriesContext(connection) as ctx:
        response = client_as("admin").get("/petitions/new/")
    assert response.status_code == 200 and "Nhiệm vụ thử" in response.text
    reads = [q["sql"] for q in ctx.captured_queries if "programs_programversion" in q["sql"]]
    assert reads and not any('"parsed"' in sql.split(" FROM ")[0] for sql in reads)
