"""One clock for business time: a pinned demo date stamps business events on that date; the audit also keeps
the real wall-clock time of recording."""

import datetime as dt

import pytest
from django.utils import timezone

from dondoc.core import clock
from dondoc.core.models import AuditEvent
from dondoc.programs import actions as program_actions
from dondoc.programs.models import Assignment
from dondoc.reporting import actions
from dondoc.reporting.models import ReportState

pytestmark = pytest.mark.django_db
PINNED = dt.date(2020, 10, 5)


def test_a_submission_through_the_page_is_stamped_on_the_pinned_date(client_for, obligation, personas, at):
    at("2020-10-05")
    report = actions.open_report(actor=personas.officer, obligation=obligation, agency=personas.own_agency,
                                 period=dt.date(2020, 10, 1))
    assert client_for("head").post(f"/reports/{report.pk}/", {"action": "submit"}).status_code == 302
    report.refresh_from_db()
    version = report.versions.get()
    assert report.state == ReportState.SUBMITTED
    assert version.submitted_on == report.first_submitted_on == PINNED
    assert timezone.localdate(version.submitted_at) == timezone.localdate(report.last_submitted_at) == PINNED
    event = AuditEvent.objects.get(kind="report.submit", target_id=str(report.pk))
    assert timezone.localdate(event.at) == PINNED
    assert timezone.localdate(event.recorded_at) == timezone.localdate()  # the real date of recording
    assert event.recorded_other_day


def test_an_extension_decision_is_stamped_with_the_moment_it_receives(personas, seed, at):
    at("2020-10-05")
    assignment = Assignment.objects.filter(agency=personas.own_agency, deadline__isnull=False).first()
    ext = program_actions.request_extension(actor=personas.officer, assignment=assignment,
                                            proposed=assignment.deadline + dt.timedelta(days=30), reason="GPMB")
    moment = clock.now()
    program_actions.recommend_extension(actor=personas.admin, extension=ext, recommend=True, at=moment)
    program_actions.decide_extension(actor=personas.leader, extension=ext, approve=True, at=moment)
    ext.refresh_from_db()
    assert ext.dpi_at == ext.decided_at == moment and timezone.localdate(moment) == PINNED
    events = AuditEvent.objects.filter(kind__in=["extension.recommend", "extension.decide"])
    assert [e.at for e in events] == [moment, moment]
