"""The persona matrix: every URL of the product and every permission name, with what each of the five personas
(province admin, leader, officer and head of STC, officer of KBNN) and an anonymous visitor get.

Two coverage tests keep it whole: a URL pattern or a permission added without a row here fails the suite. The
world is built once per test: a seed program with STC's task, a report, a dossier, an investor with a project, an
import job and a proposal, a petition led by STC (coordinated by CT). KBNN ("other") is party to none of them, so
every object-level page must answer it 404. Each request runs in a savepoint that is rolled back, so a POST that
succeeds changes nothing for the next one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dondoc import access

pytestmark = pytest.mark.django_db
D = dt.date
PERSONAS = ("admin", "leader", "officer", "head", "other", "anonymous")

OK = "ok"  # 200, or a redirect that is not to the login page (a POST that was accepted)
LOGIN = "login"  # anonymous: redirected to the login page
N = 404


def row(admin, leader, officer, head, other, anonymous=LOGIN):
    return dict(zip(PERSONAS, (admin, leader, officer, head, other, anonymous), strict=True))


ALL = row(OK, OK, OK, OK, OK)  # every signed-in user; each sees only their own rows
STC = row(OK, OK, OK, OK, N)  # STC's object: the DPI, the PPC and STC
STC_WRITE = row(OK, N, OK, OK, N)  # STC's users and the DPI write; the leader reads only
ADMIN = row(OK, N, N, N, N)
LEADER = row(N, OK, N, N, N)
PUBLIC = row(OK, OK, OK, OK, OK, OK)

# url name -> (method, data, expected per persona). Paths are built from the world by PATHS below.
MATRIX = {
    "home": ("get", None, ALL),
    "healthz": ("get", None, row(503, 503, 503, 503, 503, 503)),  # same for all, no login; no worker here: 503
    "audit": ("get", None, ADMIN),
    "ops": ("get", None, ADMIN),
    "jobs": ("get", None, ADMIN),
    "organisation": ("get", None, ADMIN),
    "login": ("get", None, row(OK, OK, OK, OK, OK, OK)),
    "logout": ("post", {}, row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),  # signed out, back to the login page
    "password_change": ("get", None, ALL),
    "password_change_done": ("get", None, ALL),
    "set_language": ("post", {"language": "vi"}, PUBLIC),
    "agencies:list": ("get", None, ALL),
    "agencies:detail": ("get", None, STC),
    "agencies:edit": ("get", None, row(OK, N, N, OK, N)),
    "agencies:alias_propose": ("post", {"alias": "Sở TC"}, row(OK, N, N, OK, N)),
    "agencies:alias_proposals": ("get", None, ADMIN),
    "agencies:alias_decide": ("post", {"decision": "reject"}, ADMIN),
    "programs:list": ("get", None, ALL),
    "programs:detail": ("get", None, ALL),
    "programs:review": ("get", None, ADMIN),
    "tasks:list": ("get", None, ALL),
    "tasks:detail": ("get", None, STC),
    "tasks:update": ("post", {"text": "Đã triển khai", "percent": "50"}, STC_WRITE),
    "tasks:reopen": ("post", {"reason": "Chưa xong"}, row(OK, N, N, N, N)),
    "tasks:extension_request": ("post", {"proposed": "31/01/2021", "reason": "Chờ vốn"}, STC_WRITE),
    "tasks:extensions": ("get", None, ALL),
    "tasks:extension_opinion": ("post", {"agree": "yes", "note": ""}, ADMIN),
    "reports:list": ("get", None, ALL),
    "reports:open": ("post", "report_open", STC_WRITE),
    "reports:consolidated": ("get", "consolidated", row(OK, OK, N, N, N)),
    "reports:detail": ("get", None, STC),
    "reports:version": ("get", None, STC),
    "reports:attachment": ("get", None, STC),
    "deadlines:home": ("get", None, ALL),
    "deadlines:new": ("get", None, row(OK, N, OK, OK, OK)),
    "deadlines:import": ("get", None, row(OK, N, OK, OK, OK)),
    "deadlines:calendar": ("get", None, ALL),
    "deadlines:override_remove": ("post", {}, ADMIN),
    "deadlines:detail": ("get", None, STC),
    "deadlines:event": ("post", {"on": "02/10/2020", "reason": "Bổ sung hồ sơ"}, STC_WRITE),
    "investment:home": ("get", None, ALL),
    "investment:investor": ("get", None, STC),
    "investment:projects": ("get", None, ALL),
    "investment:project": ("get", None, STC),
    "investment:schedule": ("post", {"m9": "100", "m12": "200"}, STC_WRITE),
    "investment:need": ("post", {"need": "50"}, row(OK, 403, OK, OK, N)),  # the leader sees the project: 403
    "investment:import": ("get", None, ADMIN),
    "investment:job": ("get", None, ADMIN),
    "investment:confirm": ("post", {}, ADMIN),
    "investment:reallocation": ("get", None, ALL),
    "investment:proposal": ("get", None, STC),
    "investment:emulation": ("get", None, ALL),
    "petitions:list": ("get", None, ALL),
    "petitions:new": ("get", None, ADMIN),
    "petitions:similar": ("post", {"subject": "gia hạn thuế", "text": ""}, ADMIN),
    "petitions:categories": ("get", None, ADMIN),
    "petitions:attachment": ("get", None, row(OK, N, OK, OK, N)),
    "petitions:detail": ("get", None, STC),
    "petitions:contact": ("get", None, row(OK, N, OK, OK, N)),
    "petitions:route": ("post", "route", ADMIN),
    "petitions:update": ("post", {"text": "Đang xử lý", "on": "02/10/2020"}, STC_WRITE),
    "petitions:answer": ("post", {"text": "Trả lời", "on": "02/10/2020"}, row(N, N, OK, OK, N)),
    "petitions:publish": ("post", {"on": "02/10/2020"}, STC_WRITE),  # an answered petition
    "petitions:close": ("post", {"on": "02/10/2020"}, STC_WRITE),  # a published one
    "petitions:escalate": ("post", {"reason": "Vượt thẩm quyền"}, ADMIN),
    "petitions:decide": ("post", {"agree": "yes"}, LEADER),  # an escalation proposed by the DPI
    "petitions:merge": ("post", "merge", ADMIN),
    "petitions:attach": ("post", "attach", STC_WRITE),
    "public:petition": ("get", None, PUBLIC),
}

# Django's own admin is tested by test_views.test_django_admin_only_for_staff (staff only, redirect otherwise).
NOT_IN_MATRIX = {"admin"}

# permission -> (object, expected per persona). Objects: "stc" STC's object, "kbnn" KBNN's, None none.
PERMISSION_TABLE = {
    "agency.view": ("stc", row(True, True, True, True, False, False)),
    "agency.edit": ("stc", row(True, False, False, True, False, False)),
    "agency.create": (None, row(True, False, False, False, False, False)),
    "alias.edit": ("stc", row(True, False, False, False, False, False)),
    "alias.propose": ("stc", row(True, False, False, True, False, False)),
    "alias.decide": ("stc", row(True, False, False, False, False, False)),
    "membership.manage": (None, row(True, False, False, False, False, False)),
    "organisation.edit": (None, row(True, False, False, False, False, False)),
    "audit.view": (None, row(True, False, False, False, False, False)),
    "ops.view": (None, row(True, False, False, False, False, False)),
    "program.manage": (None, row(True, False, False, False, False, False)),
    "task.view": ("stc", row(True, True, True, True, False, False)),
    "assignment.update": ("stc", row(True, False, True, True, False, False)),
    "assignment.reopen": ("stc", row(True, False, False, False, False, False)),
    "extension.request": ("stc", row(True, False, True, True, False, False)),
    "extension.recommend": ("stc", row(True, False, False, False, False, False)),
    "extension.decide": ("stc", row(False, True, False, False, False, False)),
    "report.view": ("stc", row(True, True, True, True, False, False)),
    "report.edit": ("stc", row(True, False, True, True, False, False)),
    "report.submit": ("stc", row(True, False, False, True, False, False)),
    "report.review": ("stc", row(True, False, False, False, False, False)),
    "report.consolidate": (None, row(True, True, False, False, False, False)),
    "dossier.edit": ("stc", row(True, False, True, True, False, False)),
    "calendar.manage": (None, row(True, False, False, False, False, False)),
    "investment.view": ("project", row(True, True, True, True, False, False)),
    "investment.commit": ("project", row(True, False, True, True, False, False)),
    "investment.import": (None, row(True, False, False, False, False, False)),
    "investment.manage": (None, row(True, False, False, False, False, False)),
    "investment.reallocate": (None, row(True, False, False, False, False, False)),
    "investment.approve": (None, row(False, True, False, False, False, False)),
    "petition.intake": (None, row(True, False, False, False, False, False)),
    "petition.manage_categories": (None, row(True, False, False, False, False, False)),
    "petition.view": ("petition", row(True, True, True, True, False, False)),
    "petition.view_personal": ("petition", row(True, False, True, True, False, False)),
    "petition.route": ("petition", row(True, False, False, False, False, False)),
    "petition.merge": ("petition", row(True, False, False, False, False, False)),
    "petition.escalate": ("petition", row(True, False, False, False, False, False)),
    "petition.decide_escalation": ("petition", row(False, False, False, False, False, False)),
    "petition.progress": ("petition", row(True, False, True, True, False, False)),
    "petition.contribute": ("petition", row(True, False, True, True, False, False)),
    "petition.attach": ("petition", row(True, False, True, True, False, False)),
    "petition.answer": ("petition", row(False, False, True, True, False, False)),
    "petition.publish": ("petition", row(False, False, False, False, False, False)),
    "petition.close": ("petition", row(False, False, False, False, False, False)),
    "petition.note": ("petition", row(True, False, False, False, False, False)),
}


def _names(resolver=None, prefix="") -> set[str]:
    names = set()
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in NOT_IN_MATRIX:
                continue
            names |= _names(p, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_url_pattern_is_in_the_matrix():
    names = _names()
    assert not names - MATRIX.keys(), f"URL patterns without a persona row: {sorted(names - MATRIX.keys())}"
    assert not MATRIX.keys() - names, f"rows for URLs that no longer exist: {sorted(MATRIX.keys() - names)}"


def test_every_permission_is_in_the_table():
    assert set(PERMISSION_TABLE) == set(access.PERMISSIONS)


@pytest.fixture
def world(personas, seed, seed_parsed, settings, tmp_path):
    """One object of each kind, owned by STC (petition: led by STC, coordinated by CT)."""
    from dondoc.accounts.models import Agency
    from dondoc.core import clock
    from dondoc.core.models import OverrideKind
    from dondoc.deadlines import actions as deadline_actions
    from dondoc.deadlines.models import DossierType
    from dondoc.investment.models import Investor, PlanLine, Project, Proposal, ProposedTransfer
    from dondoc.petitions import actions as petition_actions
    from dondoc.petitions.models import PetitionCategory
    from dondoc.programs import actions as program_actions
    from dondoc.programs.models import Task
    from dondoc.reporting import actions as report_actions
    from dondoc.reporting.models import Obligation

    settings.DONDOC_TODAY = "2020-09-20"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}}}
    stc, kbnn, ct = personas.own_agency, personas.other_agency, Agency.objects.get(code="CT")
    w = {"stc": stc, "kbnn": kbnn}
    w["program"] = seed.program
    from dondoc.accounts import actions as account_actions
    w["alias_proposal"] = account_actions.propose_alias(actor=personas.head, agency=stc, alias="Sở TC tỉnh",
                                                        at=clock.now())
    w["draft"] = program_actions.create_import(actor=personas.admin, parsed=seed_parsed, source_name="07.txt")
    task = Task.objects.get(section="1.2", item="1")  # lead STC; KBNN not assigned
    w["task"] = task
    w["assignment"] = assignment = task.assignments.get(agency=stc)
    w["extension"] = program_actions.request_extension(actor=personas.officer, assignment=assignment,
                                                       proposed=D(2021, 1, 31), reason="Chờ vốn")
    obligation = Obligation.objects.get(program=seed.program, every="month")
    w["obligation"] = obligation
    report = report_actions.open_report(actor=personas.officer, obligation=obligation, agency=stc,
                                        period=D(2020, 9, 1))
    w["report_attachment"] = report_actions.add_attachment(
        actor=personas.officer, report=report, uploaded=SimpleUploadedFile("bc.pdf", b"%PDF-1.4 test\n"), at=clock.now())
    report_actions.submit(actor=personas.head, report=report, on=D(2020, 9, 20), at=clock.now())
    w["report"] = report
    w["dossier"] = deadline_actions.create_dossier(
        actor=personas.admin, type=DossierType.objects.get(code="appraisal"), agency=stc, reference="TĐ-1",
        subject="Thẩm định dự án", received_on=D(2020, 9, 14))
    w["override"], _ = deadline_actions.set_override(actor=personas.admin, date=D(2020, 12, 24), kind=OverrideKind.OFF,
                                                     name="Nghỉ bù", reference="QĐ 1/2020")
    investor = Investor.objects.create(name="Ban QLDA Sở Tài chính", agency=stc)
    project = Project.objects.create(code="7810657", name="Dự án A", investor=investor)
    other_investor = Investor.objects.create(name="Ban QLDA Kho bạc", agency=Agency.objects.get(code="SCT"))
    other_project = Project.objects.create(code="7900001", name="Dự án B", investor=other_investor)
    for p in (project, other_project):
        PlanLine.objects.create(project=p, source="NSDP", year=2020, origin_year=2020, assigner="tinh",
                                amount=1_000_000_000)
    w["investor"], w["project"] = investor, project
    from dondoc.jobs.models import Job

    w["job"] = Job.objects.create(kind="investment.disbursements", file="x.csv", file_name="x.csv")
    proposal = Proposal.objects.create(year=2020, as_of=D(2020, 9, 30))
    ProposedTransfer.objects.create(proposal=proposal, donor=project, receiver=other_project, source="NSDP",
                                    origin_year=2020, proposed=100_000_000, amount=100_000_000)
    w["proposal"] = proposal
    def petition(subject, received):
        p = petition_actions.intake(
            actor=personas.admin, received_on=received, channel="letter",
            category=PetitionCategory.objects.get(code="tax"), business_name="Công ty TNHH Kim Thành",
            tax_code="5300123456", contact_name="Nguyễn Văn Liên Hệ", contact_phone="0912 345 678",
            contact_email="lienhe@kimthanh.example.invalid", subject=subject,
            text=f"{subject}: doanh thu giảm 40% do dịch Covid-19.", at=clock.now())
        petition_actions.route(actor=personas.admin, petition=p, lead=stc, coordinators=[ct], on=received, at=clock.now())
        p.refresh_from_db()
        return p

    w["petition"] = petition("Đề nghị gia hạn nộp thuế", D(2020, 9, 1))
    w["duplicate"] = petition("Gia hạn nộp thuế", D(2020, 9, 2))
    w["answered"] = petition("Miễn tiền thuê đất", D(2020, 9, 3))
    petition_actions.answer(actor=personas.officer, petition=w["answered"], text="Đã trả lời", on=D(2020, 9, 10), at=clock.now())
    w["published"] = petition("Giảm phí", D(2020, 9, 4))
    petition_actions.answer(actor=personas.officer, petition=w["published"], text="Đã trả lời", on=D(2020, 9, 10), at=clock.now())
    petition_actions.publish(actor=personas.officer, petition=w["published"], on=D(2020, 9, 11), at=clock.now())
    w["escalated"] = petition("Vay vốn ưu đãi", D(2020, 9, 5))
    petition_actions.propose_escalation(actor=personas.admin, petition=w["escalated"], reason="Vượt thẩm quyền", at=clock.now())
    w["petition_attachment"] = petition_actions.add_attachment(actor=personas.admin, petition=w["petition"],
                                                               name="cv.pdf", data=b"%PDF-1.4 test\n")
    return w


def _path(name: str, w: dict) -> str:
    pk = {
        "agencies:detail": {"code": "STC"}, "agencies:edit": {"code": "STC"},
        "agencies:alias_propose": {"code": "STC"}, "agencies:alias_decide": {"pk": w["alias_proposal"].pk},
        "programs:detail": {"pk": w["program"].pk}, "programs:review": {"pk": w["draft"].pk},
        "tasks:detail": {"pk": w["task"].pk}, "tasks:update": {"pk": w["assignment"].pk},
        "tasks:reopen": {"pk": w["assignment"].pk}, "tasks:extension_request": {"pk": w["assignment"].pk},
        "tasks:extension_opinion": {"pk": w["extension"].pk},
        "reports:detail": {"pk": w["report"].pk}, "reports:version": {"pk": w["report"].pk, "number": 1},
        "reports:attachment": {"pk": w["report_attachment"].pk},
        "deadlines:override_remove": {"pk": w["override"].pk}, "deadlines:detail": {"pk": w["dossier"].pk},
        "deadlines:event": {"pk": w["dossier"].pk, "event": "pause"},
        "investment:investor": {"pk": w["investor"].pk}, "investment:project": {"code": w["project"].code},
        "investment:schedule": {"code": w["project"].code}, "investment:need": {"code": w["project"].code},
        "investment:job": {"pk": w["job"].pk}, "investment:confirm": {"pk": w["job"].pk},
        "investment:proposal": {"pk": w["proposal"].pk},
        "petitions:attachment": {"pk": w["petition_attachment"].pk},
        "public:petition": {"code": w["petition"].tracking_code},
        "petitions:publish": {"pk": w["answered"].pk}, "petitions:close": {"pk": w["published"].pk},
        "petitions:decide": {"pk": w["escalated"].pk},
    }.get(name)
    if pk is None and name.startswith("petitions:") and name.split(":")[1] not in (
            "list", "new", "similar", "categories"):
        pk = {"pk": w["petition"].pk}
    return reverse(name, kwargs=pk)


def _data(spec, w: dict):
    if spec == "report_open":
        return {"agency": "STC", "period": "2020-10-01", "obligation": w["obligation"].pk}
    if spec == "consolidated":
        return {"obligation": w["obligation"].pk, "period": "2020-09-01", "format": "xlsx"}
    if spec == "route":
        return {"lead": w["stc"].pk, "on": "02/10/2020", "reason": "Chuyển lại"}
    if spec == "merge":
        return {"into": w["duplicate"].reference, "reason": "Trùng"}
    if spec == "attach":
        return {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4 test\n")}
    return spec


def _outcome(response) -> str | int:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    if response.status_code in (200, 302):
        return OK
    return response.status_code


def test_every_page_and_action_per_persona(world, client_for):
    mismatches = []
    for persona in PERSONAS:
        client = client_for(persona)
        for name, (method, spec, expected) in MATRIX.items():
            url = _path(name, world)
            data = _data(spec, world)
            with transaction.atomic():
                sid = transaction.savepoint()
                response = client.post(url, data) if method == "post" else client.get(url, data or {})
                transaction.savepoint_rollback(sid)
            got = _outcome(response)
            if got != expected[persona]:
                mismatches.append(f"{persona:9} {method.upper():4} {url}: expected {expected[persona]}, got {got}")
            if name == "logout" and persona != "anonymous":
                client = client_for(persona)  # signed out: sign in again for the rest
    assert not mismatches, "\n".join(mismatches)


def test_every_permission_per_persona(world, personas):
    from django.contrib.auth.models import AnonymousUser

    objects = {"stc": world["stc"], "project": world["project"], "petition": world["petition"], None: None}
    mismatches = []
    for permission, (obj, expected) in PERMISSION_TABLE.items():
        for persona in PERSONAS:
            user = AnonymousUser() if persona == "anonymous" else getattr(personas, persona)
            got = access.can(user, permission, objects[obj])
            if got is not expected[persona]:
                mismatches.append(f"{persona:9} {permission}: expected {expected[persona]}, got {got}")
        if obj == "stc":  # the same action on KBNN's object: only the DPI (and the PPC where it reads)
            kbnn = access.can(personas.officer, permission, world["kbnn"])
            assert not kbnn, f"STC's officer may {permission} on KBNN's object"
    assert not mismatches, "\n".join(mismatches)
