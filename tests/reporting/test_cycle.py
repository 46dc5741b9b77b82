import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dondoc.accounts.models import Agency
from dondoc.core import clock
from dondoc.core.models import AuditEvent
from dondoc.domain import reporting_cycle as rc
from dondoc.programs.models import Assignment
from dondoc.reporting import actions, queries
from dondoc.reporting.models import Report, ReportState

pytestmark = pytest.mark.django_db
D = dt.date


def test_loading_the_seed_creates_its_monthly_obligation(obligation):
    assert (obligation.every, obligation.due_day, obligation.reading, obligation.to_agency.code) == (
        "month", 25, "before", "SKHDT")
    assert obligation.first_period == D(2020, 7, 1)  # issued 30/06/2020, after that month's due day
    assert "trước ngày 25" in obligation.literal


def test_due_days_come_from_the_calendar(obligation):
    assert queries.due(obligation, D(2020, 9, 1)).due == D(2020, 9, 24)
    assert queries.due(obligation, D(2020, 10, 1)).due == D(2020, 10, 26)  # 24/10 is a Saturday
    assert "trước ngày 25" in queries.due(obligation, D(2020, 10, 1)).explanation


def test_every_assigned_agency_reports(obligation):
    expected = set(Assignment.objects.values_list("agency__code", flat=True))
    assert {a.code for a in queries.reporters(obligation)} == expected


def test_a_report_is_prefilled_with_the_agency_tasks(obligation, personas):
    report = actions.open_report(actor=personas.officer, obligation=obligation, agency=personas.own_agency,
                                 period=D(2020, 9, 10))
    assert report.period == D(2020, 9, 1)
    keys = [t["key"] for t in report.draft["tasks"]]
    assert len(keys) == Assignment.objects.filter(agency__code="STC").count() == 24
    assert "1.2.1" in keys and "2.1.b" in keys
    with pytest.raises(PermissionDenied):
        actions.open_report(actor=personas.other, obligation=obligation, agency=personas.own_agency,
                            period=D(2020, 9, 1))


def test_officer_prepares_head_submits_dpi_returns_and_accepts(obligation, personas, at):
    at("2020-09-20")
    report = actions.open_report(actor=personas.officer, obligation=obligation, agency=personas.own_agency,
                                 period=D(2020, 9, 1))
    task = report.draft["tasks"][0]
    actions.save_draft(actor=personas.officer, report=report, data={
        "tasks": [{**task, "done": "Đã ban hành hướng dẫn"}], "difficulties": "Thiếu cán bộ",
        "recommendations": ["Bổ sung biên chế"]}, at=clock.now())
    with pytest.raises(PermissionDenied):
        actions.submit(actor=personas.officer, report=report, at=clock.now())
    v1 = actions.submit(actor=personas.head, report=report, at=clock.now())
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.first_submitted_on == D(2020, 9, 20)
    assert v1.content["tasks"][0]["done"] == "Đã ban hành hướng dẫn"
    with pytest.raises(ValidationError):  # a submitted report is never rewritten
        actions.save_draft(actor=personas.officer, report=report, data={"difficulties": "x"}, at=clock.now())
    with pytest.raises(PermissionDenied):
        actions.return_report(actor=personas.head, report=report, reason="x")
    actions.return_report(actor=personas.admin, report=report, reason="Bổ sung số liệu")
    at("2020-09-28")
    actions.save_draft(actor=personas.officer, report=report, data={
        "tasks": [{**task, "done": "Đã ban hành hướng dẫn; 12 doanh nghiệp được hỗ trợ"}]}, at=clock.now())
    actions.submit(actor=personas.head, report=report, at=clock.now())
    report.refresh_from_db()
    assert report.state == ReportState.RESUBMITTED
    assert report.first_submitted_on == D(2020, 9, 20)  # timeliness counts the first submission
    assert report.versions.get(number=1).content["tasks"][0]["done"] == "Đã ban hành hướng dẫn"  # unchanged
    actions.accept(actor=personas.admin, report=report, at=clock.now())
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    with pytest.raises(ValidationError):
        actions.save_draft(actor=personas.head, report=report, data={}, at=clock.now())
    kinds = list(AuditEvent.objects.filter(target_type="reporting.report").order_by("id").values_list("kind", flat=True))
    assert kinds == ["report.create", "report.save", "report.submit", "report.return", "report.save", "report.submit",
                     "report.accept"]


def test_bad_indicator_values_are_refused_in_vietnamese(obligation, personas, at):
    from dondoc.reporting.models import Indicator

    at("2020-09-20")
    nhnn = Agency.objects.get(code="NHNN")
    Indicator.objects.create(obligation=obligation, agency=nhnn, code="cust", name="Số khách hàng", unit="khách hàng")
    head = personas.make("t_nhnn_ld", "NHNN", "agency_head")
    report = actions.open_report(actor=head, obligation=obligation, agency=nhnn, period=D(2020, 9, 1))
    with pytest.raises(ValidationError) as err:
        actions.save_draft(actor=head, report=report, data={"indicators": {"cust": "mười"}}, at=clock.now())
    assert "không phải là số" in " ".join(err.value.messages)
    actions.save_draft(actor=head, report=report, data={"indicators": {"cust": "1.234"}}, at=clock.now())
    report.refresh_from_db()
    assert report.draft["indicators"] == {"cust": 1234}


def test_an_unsent_report_closes_after_the_lock_days(obligation, personas, at):
    at("2020-10-05")
    report = actions.open_report(actor=personas.officer, obligation=obligation, agency=personas.own_agency,
                                 period=D(2020, 9, 1))
    assert queries.locked(report, D(2020, 10, 5))  # due 24/09, locked 10 days later
    assert not queries.locked(report, D(2020, 10, 4))
    with pytest.raises(ValidationError):
        actions.submit(actor=personas.head, report=report, at=clock.now())


def _submit(obligation, agency_code, on, personas):
    head = personas.make(f"h_{agency_code.lower()}_{on:%m%d}", agency_code, "agency_head")
    report = actions.open_report(actor=head, obligation=obligation, agency=Agency.objects.get(code=agency_code),
                                 period=on.replace(day=1))
    actions.submit(actor=head, report=report, on=on, at=clock.now())
    return report


def test_completeness_and_timeliness_by_hand(obligation, personas):
    # September 2020, due 24/09. STC on time (24/09), KBNN late (25/09), SCT returned after an on-time first
    # submission; every other reporting agency missing.
    _submit(obligation, "STC", D(2020, 9, 24), personas)
    _submit(obligation, "KBNN", D(2020, 9, 25), personas)
    sct = _submit(obligation, "SCT", D(2020, 9, 23), personas)
    actions.return_report(actor=personas.admin, report=sct, reason="Thiếu số liệu")
    rows = queries.grid(None, obligation, [D(2020, 9, 1)], D(2020, 10, 5), everything=True)
    states = {r.agency.code: r.cells[0].state for r in rows}
    assert (states["STC"], states["KBNN"], states["SCT"], states["CT"]) == (rc.ON_TIME, rc.LATE, rc.RETURNED,
                                                                            rc.MISSING)
    total = len(rows)
    rates = queries.column_rates(rows, 0)
    assert (rates.expected, rates.submitted, rates.on_time) == (total, 3, 1)
    assert rates.completeness == (Decimal(300) / total).quantize(Decimal("0.1"))
    # As of 24/09 the late report has not arrived yet and nothing is missing yet.
    early = {r.agency.code: r.cells[0].state for r in queries.grid(None, obligation, [D(2020, 9, 1)], D(2020, 9, 24), everything=True)}
    assert early["KBNN"] == rc.PENDING and early["CT"] == rc.PENDING


def test_officers_see_only_their_row(obligation, personas):
    rows = queries.grid(personas.officer, obligation, [D(2020, 9, 1)], D(2020, 10, 5))
    assert [r.agency.code for r in rows] == ["STC"]
    assert len(queries.grid(personas.leader, obligation, [D(2020, 9, 1)], D(2020, 10, 5))) > 30


def test_attachments_have_type_and_size_limits(obligation, personas, at):
    from django.core.files.uploadedfile import SimpleUploadedFile

    at("2020-09-20")
    report = actions.open_report(actor=personas.officer, obligation=obligation, agency=personas.own_agency,
                                 period=D(2020, 9, 1))
    with pytest.raises(ValidationError):
        actions.add_attachment(actor=personas.officer, report=report, uploaded=SimpleUploadedFile("x.exe", b"MZ"), at=clock.now())
    from dondoc.documents.spreadsheet import Sheet, build_xlsx

    data = build_xlsx([Sheet("S", ["Chỉ tiêu"], [[1]])])
    att = actions.add_attachment(actor=personas.officer, report=report,
                                 uploaded=SimpleUploadedFile("bang-so-lieu.xlsx", data), at=clock.now())
    assert att.size == len(data) and Report.objects.get(pk=report.pk).attachments.count() == 1
    with pytest.raises(ValidationError):  # a zip named .xlsx is not a workbook (checked by content, issue 12)
        actions.add_attachment(actor=personas.officer, report=report,
                               uploaded=SimpleUploadedFile("bang.xlsx", b"PK\x03\x04data"), at=clock.now())
