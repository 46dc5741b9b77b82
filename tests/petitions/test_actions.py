"""Petition actions: intake, routing with working-day deadlines, the state path, escalation, merge,
attachments, personal-data views, recommendations from agencies' reports. Each write is audited."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dondoc.accounts.models import Agency
from dondoc.core import clock
from dondoc.core.models import AuditEvent
from dondoc.petitions import actions
from dondoc.petitions.models import Channel, Petition, PetitionCategory, Routing, State, Update

pytestmark = pytest.mark.django_db
D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def kinds(petition):
    return list(AuditEvent.objects.filter(target_type="petitions.petition", target_id=str(petition.pk))
                .order_by("id").values_list("kind", flat=True))


def agency(code):
    return Agency.objects.get(code=code)


def test_intake_numbers_and_codes(personas, make_petition):
    a = make_petition(lead=None, received=D(2020, 9, 1))
    b = make_petition(lead=None, received=D(2020, 9, 2))
    assert (a.reference, b.reference) == ("KN-2020-001", "KN-2020-002")
    assert a.state == State.RECEIVED and len(a.tracking_code) >= 22 and a.tracking_code != b.tracking_code
    event = AuditEvent.objects.get(kind="petition.intake", target_id=str(a.pk))
    # The log says which personal data exists, never its value.
    assert event.new["personal_data"] == ["contact_email", "contact_name", "contact_phone", "tax_code"]
    assert "0912 345 678" not in str(event.new) and "5300123456" not in str(event.new)
    with pytest.raises(PermissionDenied):
        actions.intake(actor=personas.officer, received_on=D(2020, 9, 1), channel=Channel.LETTER,
                       category=PetitionCategory.objects.get(code="tax"), business_name="X", subject="Y", text="Z", at=clock.now())
    with pytest.raises(ValidationError):  # future
        make_petition(lead=None, received=D(2020, 10, 6))


def test_route_deadline_in_working_days_with_its_rule(personas, make_petition, settings):
    settings.DONDOC_TODAY = "2021-03-01"
    p = make_petition(received=D(2021, 2, 1), routed=D(2021, 2, 3), days=5)
    assert p.due_on == D(2021, 2, 17)  # Tết 10–16/02/2021 does not count
    assert p.deadline_rule == ("hạn: 17/02/2021 — 05 ngày làm việc kể từ 03/02/2021 "
                               "(thời hạn do Sở Kế hoạch và Đầu tư ấn định khi giao)")
    q = make_petition(received=D(2021, 2, 1), routed=D(2021, 2, 1))  # the category's default: 10 working days
    assert q.due_on == D(2021, 2, 22)
    assert q.deadline_rule.endswith("(thời hạn mặc định của lĩnh vực “Thuế, phí, lệ phí”)")
    assert q.state == State.ASSIGNED and list(q.coordinators.values_list("code", flat=True)) == ["CT"]
    routing = q.routings.get()
    assert (routing.kind, routing.lead_agency.code, routing.coordinators, routing.due_on) == (
        Routing.Kind.ROUTE, "STC", ["CT"], D(2021, 2, 22))
    event = AuditEvent.objects.get(kind="petition.route", target_id=str(q.pk))
    assert event.agency.code == "STC" and event.new["due_on"] == "2021-02-22"


def test_category_default_is_data(personas, make_petition):
    tax = PetitionCategory.objects.get(code="tax")
    before = make_petition(received=D(2020, 9, 1))
    actions.update_category(actor=personas.admin, category=tax, answer_days=3)
    after = make_petition(received=D(2020, 9, 1))
    before.refresh_from_db()
    assert before.due_on == D(2020, 9, 16)  # 10 working days (02/09 is National Day), kept after the change
    assert after.due_on == D(2020, 9, 7) and after.answer_days == 3  # 03, 04, 07
    assert AuditEvent.objects.filter(kind="petition_category.update").count() == 1
    with pytest.raises(PermissionDenied):
        actions.update_category(actor=personas.officer, category=tax, answer_days=4)


def test_reroute_records_why_and_who_is_responsible_now(personas, make_petition):
    p = make_petition(received=D(2020, 9, 1))
    with pytest.raises(ValidationError):
        actions.route(actor=personas.admin, petition=p, lead=agency("STNMT"), on=D(2020, 9, 10), at=clock.now())
    actions.route(actor=personas.admin, petition=p, lead=agency("STNMT"), coordinators=[agency("STC")],
                  on=D(2020, 9, 10), reason="Nội dung thuộc lĩnh vực đất đai", at=clock.now())
    p.refresh_from_db()
    assert p.lead_agency.code == "STNMT" and p.due_on == D(2020, 9, 24)
    last = p.routings.last()
    assert (last.kind, last.reason, last.lead_agency.code) == (Routing.Kind.REROUTE, "Nội dung thuộc lĩnh vực đất đai",
                                                               "STNMT")
    events = AuditEvent.objects.filter(kind="petition.reroute", target_id=str(p.pk))
    assert sorted(e.agency.code for e in events) == ["STC", "STNMT"]  # the former lead sees it too
    assert events[0].old["lead_agency"] == "STC" and events[0].new["lead_agency"] == "STNMT"


def test_state_path_lead_answers_names_itself_publishes_and_closes(personas, coordinator, make_petition):
    p = make_petition(received=D(2020, 9, 1))
    actions.post_update(actor=personas.officer, petition=p, text="Đã làm việc với doanh nghiệp", on=D(2020, 9, 3), at=clock.now())
    p.refresh_from_db()
    assert p.state == State.IN_PROGRESS
    contribution = actions.post_update(actor=coordinator, petition=p, text="Ý kiến của Cục Thuế", on=D(2020, 9, 4), at=clock.now())
    assert (contribution.kind, contribution.agency.code) == (Update.Kind.CONTRIBUTION, "CT")
    for forbidden in (
        lambda: actions.answer(actor=coordinator, petition=p, text="x", on=D(2020, 9, 5), at=clock.now()),
        lambda: actions.post_update(actor=coordinator, petition=p, text="x", kind="progress", at=clock.now()),
        lambda: actions.answer(actor=personas.leader, petition=p, text="x", at=clock.now()),
        lambda: actions.answer(actor=personas.other, petition=p, text="x", at=clock.now()),
    ):
        with pytest.raises(PermissionDenied):
            forbidden()
    actions.answer(actor=personas.head, petition=p, text="Sở Tài chính trả lời: đồng ý gia hạn.", on=D(2020, 9, 10), at=clock.now())
    p.refresh_from_db()
    assert (p.state, p.answered_by_agency.code, p.answered_on) == (State.ANSWERED, "STC", D(2020, 9, 10))
    with pytest.raises(PermissionDenied):
        actions.publish(actor=coordinator, petition=p, at=clock.now())
    actions.publish(actor=personas.officer, petition=p, on=D(2020, 9, 11), at=clock.now())
    p.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.close(actor=coordinator, petition=p, at=clock.now())
    actions.close(actor=personas.officer, petition=p, on=D(2020, 9, 14), at=clock.now())
    p.refresh_from_db()
    assert p.state == State.CLOSED
    assert kinds(p) == ["petition.intake", "petition.route", "petition.progress", "petition.contribution",
                        "petition.answer", "petition.publish", "petition.close"]
    with pytest.raises(ValidationError):
        actions.answer(actor=personas.officer, petition=p, text="again", at=clock.now())


def test_escalation_proposed_by_dpi_decided_by_leader(personas, make_petition):
    p = make_petition(received=D(2020, 9, 1))
    with pytest.raises(PermissionDenied):
        actions.propose_escalation(actor=personas.officer, petition=p, reason="x", at=clock.now())
    actions.propose_escalation(actor=personas.admin, petition=p, reason="Vượt thẩm quyền", on=D(2020, 9, 8), at=clock.now())
    p.refresh_from_db()
    with pytest.raises(PermissionDenied):  # the PPC's decision: not even the DPI takes it
        actions.decide_escalation(actor=personas.admin, petition=p, approve=True, at=clock.now())
    actions.decide_escalation(actor=personas.leader, petition=p, approve=False, note="Sở Tài chính giải quyết", at=clock.now())
    p.refresh_from_db()
    assert p.state == State.ASSIGNED and p.lead_agency.code == "STC" and not p.escalation_pending
    actions.propose_escalation(actor=personas.admin, petition=p, reason="Vượt thẩm quyền", on=D(2020, 9, 9), at=clock.now())
    actions.decide_escalation(actor=personas.leader, petition=p, approve=True, on=D(2020, 9, 10), at=clock.now())
    p.refresh_from_db()
    assert (p.state, p.lead_agency.code, p.due_on) == (State.ESCALATED, "UBND", None)
    assert p.routings.last().kind == Routing.Kind.ESCALATE
    with pytest.raises(PermissionDenied):  # STC no longer answers it
        actions.answer(actor=personas.officer, petition=p, text="x", at=clock.now())
    actions.answer(actor=personas.leader, petition=p, text="UBND tỉnh quyết định: …", on=D(2020, 9, 20), at=clock.now())
    p.refresh_from_db()
    assert p.answered_by_agency.code == "UBND"


def test_merge_keeps_history(personas, make_petition):
    main = make_petition("Vướng mắc giải phóng mặt bằng dự án Kè sông Hồng", category="land", lead="TPLC")
    dup = make_petition("Kiến nghị GPMB dự án Kè sông Hồng", category="land", lead=None, received=D(2020, 9, 3))
    actions.merge(actor=personas.admin, duplicate=dup, into=main, reason="Cùng dự án", on=D(2020, 9, 4), at=clock.now())
    dup.refresh_from_db()
    assert (dup.state, dup.merged_into) == (State.MERGED, main)
    assert list(main.merged.all()) == [dup]
    assert main.updates.get(kind=Update.Kind.MERGE).text.startswith(
        f"Kiến nghị {dup.reference} được gộp vào kiến nghị {main.reference}")
    assert kinds(dup)[-1] == "petition.merge" and kinds(main)[-1] == "petition.merge_into"
    with pytest.raises(ValidationError):
        actions.merge(actor=personas.admin, duplicate=dup, into=main, at=clock.now())
    with pytest.raises(ValidationError):
        actions.merge(actor=personas.admin, duplicate=main, into=main, at=clock.now())


MAIN_PARTS = {"word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
              "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"}


def _zip(*names):
    """An OOXML-shaped package: [Content_Types].xml declares the main parts present, as Word and Excel write it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in names:
            z.writestr(n, "".join(f'<Override PartName="/{m}" ContentType="{MAIN_PARTS[m]}"/>' for m in names
                                  if m in MAIN_PARTS) if n == "[Content_Types].xml" else "x")
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "ok"), [
    ("cong-van.pdf", PDF, True),
    ("anh.PNG", b"\x89PNG\r\n\x1a\n" + b"0" * 20, True),
    ("anh.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, True),
    ("to-trinh.docx", _zip("[Content_Types].xml", "word/document.xml"), True),
    ("bang.xlsx", _zip("[Content_Types].xml", "xl/workbook.xml"), True),
    ("bang.xlsx", _zip("[Content_Types].xml", "word/document.xml"), False),  # a Word file renamed
    ("virus.exe", b"MZ" + b"0" * 20, False),
    ("fake.pdf", b"<html>", False),  # the content must match the type
    ("polyglot.pdf", b"%PDF-1.4\n<html><script>alert(1)</script>", False),  # markup hidden in a PDF
    ("bang.xlsx", _zip("xl/workbook.xml"), False),  # a zip, but not an OOXML package
    ("page.html", b"<html>", False),
    ("empty.pdf", b"", False),
    ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), False),  # over 10 MB
])
def test_attachment_type_and_size_limits(name, data, ok):
    if ok:
        assert actions.check_file(name, data)
    else:
        with pytest.raises(ValidationError):
            actions.check_file(name, data)


def test_attachment_stored_privately(personas, coordinator, make_petition, settings):
    p = make_petition()
    a = actions.add_attachment(actor=coordinator, petition=p, name="../../y kien CT.pdf", data=PDF)
    assert a.name == "y kien CT.pdf" and a.agency.code == "CT" and a.size == len(PDF)
    assert a.file.name.startswith(f"petitions/{p.pk}/") and "y kien" not in a.file.name  # random stored name
    stored = settings.STORAGES["default"]["OPTIONS"]["location"] / a.file.name
    assert stored.read_bytes() == PDF
    assert "static" not in str(stored)
    with pytest.raises(PermissionDenied):
        actions.add_attachment(actor=personas.leader, petition=p, name="x.pdf", data=PDF)
    with pytest.raises(PermissionDenied):
        actions.add_attachment(actor=personas.other, petition=p, name="x.pdf", data=PDF)


def test_personal_view_is_logged_for_handlers_only(personas, coordinator, make_petition):
    p = make_petition()
    for user in (personas.admin, personas.officer, coordinator):
        actions.record_personal_view(actor=user, petition=p, what="contact")
    for user in (personas.leader, personas.other):
        with pytest.raises(PermissionDenied):
            actions.record_personal_view(actor=user, petition=p, what="contact")
    events = AuditEvent.objects.filter(kind="petition.view_personal", target_id=str(p.pk)).order_by("id")
    assert [e.actor_name for e in events] == ["t_admin", "t_stc", "t_ct"]


def test_recommendation_becomes_a_petition_once(personas):
    bx = agency("BX")
    text = "Đề nghị Sở Tài nguyên và Môi trường sớm thẩm định giá đất để bồi thường giải phóng mặt bằng dự án X."
    p = actions.create_from_recommendation(actor=personas.admin, agency=bx, text=text,
                                           source_label="Báo cáo tháng 9/2020 của UBND huyện Bát Xát",
                                           received_on=D(2020, 9, 28), at=clock.now())
    assert (p.channel, p.petitioner_agency, p.business_name, p.category.code) == (
        Channel.AGENCY_REPORT, bx, "UBND huyện Bát Xát", "land")
    assert p.subject.startswith("Đề nghị Sở Tài nguyên") and p.state == State.RECEIVED
    again = actions.create_from_recommendation(actor=personas.admin, agency=bx, text=text,
                                               source_label="Báo cáo tháng 9/2020 của UBND huyện Bát Xát",
                                               received_on=D(2020, 9, 28), at=clock.now())
    assert again == p and Petition.objects.count() == 1
    other = actions.create_from_recommendation(actor=None, agency=agency("CT"), text="Kiến nghị chung khác.",
                                               source_label="Báo cáo tháng 9/2020", received_on=D(2020, 9, 28), at=clock.now())
    assert other.category.code == "other"
    with pytest.raises(PermissionDenied):
        actions.create_from_recommendation(actor=personas.officer, agency=bx, text="Khác", source_label="x",
                                           received_on=D(2020, 9, 28), at=clock.now())
