import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.jobs import runner
from dondoc.jobs.models import Job
from dondoc.programs.models import Assignment, ProgramImport, Task, TaskUpdate
from dondoc.programs.services import SEED

pytestmark = pytest.mark.django_db
ALL = ["admin", "leader", "officer", "head", "other"]


@pytest.fixture
def stc_task(seed):
    return Task.objects.get(section="1.2", item="1")  # lead STC; KBNN not assigned


def status_of(client, url, **kw):
    return client.get(url, **kw).status_code


@pytest.mark.parametrize("persona", ALL + ["anonymous"])
def test_program_pages(client_for, seed, persona):
    c = client_for(persona)
    program = seed.program
    expected = 302 if persona == "anonymous" else 200
    assert status_of(c, "/programs/") == expected
    assert status_of(c, f"/programs/{program.pk}/") == expected


@pytest.mark.parametrize(("persona", "visible"), [("admin", 65), ("leader", 65), ("officer", 24), ("other", 17)])
def test_task_register_is_scoped_to_the_agency(client_for, seed, persona, visible):
    # STC: leads 1.2 (2) and 2.3 (5), coordinates 1.7.2, and is in @SBN for 1.9 (5) and 2.1 (11).
    # KBNN: leads 2.2, and is in @SBN for 1.9 and 2.1.
    c = client_for(persona)
    response = c.get("/tasks/")
    assert response.status_code == 200
    shown = response.text.count('<td class="nowrap"><a href="/tasks/')
    assert shown == min(visible, 50)  # 50 a page
    if visible > 50:
        assert c.get("/tasks/", {"page": 2}).text.count('<td class="nowrap"><a href="/tasks/') == visible - 50


def test_task_register_filters(client_for, seed):
    c = client_for("admin")
    page = c.get("/tasks/", {"section": "2.1"}).text
    assert page.count('<td class="nowrap"><a href="/tasks/') == 11
    page = c.get("/tasks/", {"agency": "KBNN", "due_from": "01/12/2020", "due_to": "31/12/2020"}).text
    assert page.count('<td class="nowrap"><a href="/tasks/') == 2  # 2.1.a and 2.1.b end in December
    page = c.get("/tasks/", {"status": "regular"}).text
    assert "1.1.1" in page and "2.1.b" not in page
    assert "dd/mm/yyyy" in c.get("/tasks/", {"due_from": "32/13/2020"}).text


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("leader", 200), ("officer", 200), ("head", 200),
                                                 ("other", 404), ("anonymous", 302)])
def test_task_detail(client_for, stc_task, persona, status):
    response = client_for(persona).get(f"/tasks/{stc_task.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "Sở Tài chính" in response.text


def test_officer_posts_an_update_outsider_gets_404(client_for, stc_task):
    a = stc_task.assignments.get(agency__code="STC")
    r = client_for("officer").post(f"/tasks/assignments/{a.pk}/update/", {"text": "Đã triển khai", "percent": "50"})
    assert r.status_code == 302 and TaskUpdate.objects.filter(assignment=a, percent=50).exists()
    r = client_for("other").post(f"/tasks/assignments/{a.pk}/update/", {"text": "x"})
    assert r.status_code == 404
    r = client_for("leader").post(f"/tasks/assignments/{a.pk}/update/", {"text": "x"})
    assert r.status_code == 404
    assert TaskUpdate.objects.filter(assignment=a).count() == 1


def test_bad_update_shows_a_vietnamese_error(client_for, stc_task):
    a = stc_task.assignments.get(agency__code="STC")
    c = client_for("officer")
    page = c.post(f"/tasks/assignments/{a.pk}/update/", {"text": "x", "percent": "150"}, follow=True).text
    assert "Kiểm tra báo cáo tiến độ" in page
    assert not TaskUpdate.objects.filter(assignment=a).exists()


def test_extension_through_the_screens(client_for, seed):
    a = Assignment.objects.get(task__section="2.1", task__item="b", agency__code="STC")
    assert client_for("officer").post(f"/tasks/assignments/{a.pk}/extension/",
                                      {"proposed": "31/01/2021", "reason": "Vướng GPMB"}).status_code == 302
    ext = a.extensions.get()
    assert client_for("leader").post(f"/tasks/extensions/{ext.pk}/opinion/", {"agree": "yes"}).status_code == 404
    ext.refresh_from_db()
    assert ext.state == "requested"  # the DPI recommends first; the leader cannot take its place
    client_for("admin").post(f"/tasks/extensions/{ext.pk}/opinion/", {"agree": "yes", "note": "Đồng ý"})
    client_for("leader").post(f"/tasks/extensions/{ext.pk}/opinion/", {"agree": "yes"})
    ext.refresh_from_db()
    a.refresh_from_db()
    assert ext.state == "approved" and a.deadline.isoformat() == "2021-01-31"
    assert client_for("other").post(f"/tasks/extensions/{ext.pk}/opinion/", {"agree": "no"}).status_code == 404
    listing = client_for("leader").get("/tasks/extensions/", {"state": "all"}).text
    assert "31/01/2021" in listing


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("leader", 404), ("officer", 404),
                                                 ("other", 404), ("anonymous", 302)])
def test_review_page_is_for_province_admins(client_for, personas, seed_parsed, persona, status):
    from dondoc.programs import actions

    draft = actions.create_import(actor=personas.admin, parsed=seed_parsed, source_name="07.txt")
    assert status_of(client_for(persona), f"/programs/review/{draft.pk}/") == status


def test_upload_review_correct_confirm(client_for, reference):
    c = client_for("admin")
    upload = SimpleUploadedFile("07-CTr-UBND.txt", SEED.read_bytes(), content_type="text/plain")
    r = c.post("/programs/", {"file": upload})
    job = Job.objects.get()
    # The request only stored the file; the page polls until the worker has read it.
    assert r.status_code == 302 and r["Location"] == f"/programs/?job={job.pk}" and not ProgramImport.objects.exists()
    assert 'hx-trigger="every 1s"' in c.get(r["Location"]).text
    assert runner.run_pending() == 1
    draft = ProgramImport.objects.get()
    assert c.get(r["Location"], HTTP_HX_REQUEST="true")["HX-Redirect"] == f"/programs/review/{draft.pk}/"
    r = c.get(r["Location"])
    assert r.status_code == 302 and r["Location"] == f"/programs/review/{draft.pk}/"
    page = c.get(r["Location"]).text
    assert page.count('name="lead-') == 65
    # A wrong code is refused with the row's message; nothing is loaded.
    bad = c.post(r["Location"], {"lead-0": "SKHDT, XYZ", "confirm": "1"}).text
    assert "Mã cơ quan XYZ không có trong danh mục." in bad
    assert not Task.objects.exists()
    r = c.post(r["Location"], {"lead-0": "SKHDT", "partners-0": "STC, @HUYEN", "confirm": "1"})
    assert r.status_code == 302
    first = Task.objects.get(position=1)
    assert first.partner_labels == ["STC", "@HUYEN"]
    assert first.assignments.filter(via_group="@HUYEN").count() == 9


def test_upload_refuses_unreadable_files(client_for, reference, django_capture_on_commit_callbacks):
    c = client_for("admin")
    page = c.post("/programs/", {"file": SimpleUploadedFile("x.exe", b"MZ\x00")}).text
    assert "Không đọc được loại tệp này" in page
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/programs/", {"file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF")})
    assert Job.objects.get().state == "rejected"
    assert "Không đọc được văn bản" in c.get(r["Location"]).text
    assert not ProgramImport.objects.exists()
    assert client_for("officer").post("/programs/", {"file": SimpleUploadedFile("a.txt", b"x")}).status_code == 404


def test_home_panel_counts_tasks_by_status(client_for, seed, settings):
    settings.DONDOC_TODAY = "2020-10-05"
    page = client_for("admin").get("/").text
    assert 'id="panel-tasks"' in page
    assert "Nhiệm vụ" in page


@pytest.mark.parametrize(("persona", "status"), [("officer", 404), ("other", 404), ("leader", 404)])
def test_outsiders_cannot_reopen_or_give_opinions(client_for, stc_task, persona, status):
    a = stc_task.assignments.get(agency__code="STC")
    assert client_for(persona).post(f"/tasks/assignments/{a.pk}/reopen/", {"reason": "x"}).status_code == status


def test_two_reviewers_of_one_document(client_for, personas, seed_parsed):
    """Issue 12: a second DPI reviewer's stale page overwrote (and could load) over the first one's corrections."""
    import re

    from dondoc.programs import actions

    draft = actions.create_import(actor=personas.admin, parsed=seed_parsed, source_name="07.txt")
    url = f"/programs/review/{draft.pk}/"
    first, second = client_for("admin"), client_for("admin")
    second.force_login(personas.make("t_admin3", "SKHDT", "province_admin"))
    v_first = re.search(r'name="version" value="(\d+)"', first.get(url).text).group(1)
    v_second = re.search(r'name="version" value="(\d+)"', second.get(url).text).group(1)
    assert first.post(url, {"version": v_first, "lead-0": "STC", "save": "1"}).status_code == 302
    r = second.post(url, {"version": v_second, "lead-0": "KBNN", "confirm": "1"})
    assert r.status_code == 409 and not Task.objects.exists()  # nothing loaded over the first one's correction
    conflict = r.text[r.text.index('id="conflict"'):]
    assert "t_admin đã lưu lúc" in conflict and "STC" in conflict and "KBNN" in conflict
    assert 'name="lead-0" value="KBNN"' in r.text
    draft.refresh_from_db()
    assert draft.parsed["tasks"][0]["lead"] == ["STC"]
    v_now = re.search(r'name="version" value="(\d+)"', r.text).group(1)
    assert second.post(url, {"version": v_now, "lead-0": "KBNN", "save": "1"}).status_code == 302
    draft.refresh_from_db()
    assert draft.parsed["tasks"][0]["lead"] == ["KBNN"]
