import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dondoc.core import clock
from dondoc.core.models import AuditEvent
from dondoc.programs import actions, queries
from dondoc.programs.models import Assignment, ExtensionState

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def stc_assignment(seed):
    return Assignment.objects.get(task__section="1.2", task__item="1", agency__code="STC")


def test_officer_reports_progress_on_own_assignment_and_completes_it(personas, stc_assignment):
    actions.post_update(actor=personas.officer, assignment=stc_assignment, text="Đã rà soát", percent=40,
                        on=D(2020, 9, 1), at=clock.now())
    actions.post_update(actor=personas.officer, assignment=stc_assignment, text="Hoàn thành", completes=True,
                        on=D(2020, 9, 20), at=clock.now())
    stc_assignment.refresh_from_db()
    assert stc_assignment.completed_on == D(2020, 9, 20)
    assert queries.assignment_bucket(stc_assignment, D(2020, 10, 5)) == "done_on_time"  # regular task, done
    assert AuditEvent.objects.filter(kind="assignment.update", agency__code="STC").count() == 2


@pytest.mark.parametrize("persona", ["other", "leader"])
def test_others_cannot_report_on_stc_assignment(personas, stc_assignment, persona):
    with pytest.raises(PermissionDenied):
        actions.post_update(actor=getattr(personas, persona), assignment=stc_assignment, text="x", at=clock.now())


def test_empty_update_and_bad_percent_are_refused(personas, stc_assignment):
    with pytest.raises(ValidationError):
        actions.post_update(actor=personas.officer, assignment=stc_assignment, text="  ", at=clock.now())
    with pytest.raises(ValidationError):
        actions.post_update(actor=personas.officer, assignment=stc_assignment, text="x", percent=120, at=clock.now())


def test_status_buckets_follow_deadlines_and_completion(personas, seed):
    b = Assignment.objects.get(task__section="2.1", task__item="b", agency__code="STC")
    assert queries.assignment_bucket(b, D(2020, 10, 5)) == "open"
    assert queries.assignment_bucket(b, D(2021, 1, 4)) == "overdue"
    actions.post_update(actor=personas.officer, assignment=b, text="100%", completes=True, on=D(2021, 1, 4), at=clock.now())
    b.refresh_from_db()
    assert queries.assignment_bucket(b, D(2021, 1, 5)) == "done_late"
    assert queries.task_bucket(b.task, D(2021, 1, 5)) == "overdue"  # other lead agencies have not finished


def test_extension_flow_agency_dpi_leader(personas, seed):
    a = Assignment.objects.get(task__section="2.1", task__item="b", agency__code="STC")
    ext = actions.request_extension(actor=personas.officer, assignment=a, proposed=D(2021, 1, 31), reason="GPMB")
    with pytest.raises(ValidationError):  # one open request at a time
        actions.request_extension(actor=personas.head, assignment=a, proposed=D(2021, 2, 28), reason="again")
    with pytest.raises(ValidationError):  # the leader waits for the DPI's opinion
        actions.decide_extension(actor=personas.leader, extension=ext, approve=True, at=clock.now())
    with pytest.raises(PermissionDenied):
        actions.recommend_extension(actor=personas.officer, extension=ext, recommend=True, at=clock.now())
    actions.recommend_extension(actor=personas.admin, extension=ext, recommend=True, note="Đồng ý", at=clock.now())
    with pytest.raises(PermissionDenied):  # the PPC decides, not the DPI
        actions.decide_extension(actor=personas.admin, extension=ext, approve=True, at=clock.now())
    actions.decide_extension(actor=personas.leader, extension=ext, approve=True, note="Đồng ý gia hạn", at=clock.now())
    a.refresh_from_db()
    assert a.deadline == D(2021, 1, 31)
    assert ext.state == ExtensionState.APPROVED
    kinds = list(AuditEvent.objects.filter(target_type="programs.extension").values_list("kind", flat=True))
    assert sorted(kinds) == ["extension.decide", "extension.recommend", "extension.request"]


def test_rejected_extension_keeps_the_deadline(personas, seed):
    a = Assignment.objects.get(task__section="2.1", task__item="b", agency__code="STC")
    before = a.deadline
    ext = actions.request_extension(actor=personas.officer, assignment=a, proposed=D(2021, 1, 31), reason="x")
    actions.recommend_extension(actor=personas.admin, extension=ext, recommend=False, note="Không có cơ sở", at=clock.now())
    actions.decide_extension(actor=personas.leader, extension=ext, approve=False, at=clock.now())
    a.refresh_from_db()
    assert a.deadline == before


def test_extension_must_move_the_deadline_later(personas, seed):
    a = Assignment.objects.get(task__section="2.1", task__item="b", agency__code="STC")
    with pytest.raises(ValidationError):
        actions.request_extension(actor=personas.officer, assignment=a, proposed=D(2020, 6, 1), reason="x")


def test_dpi_reopens_a_wrong_completion(personas, stc_assignment):
    actions.post_update(actor=personas.officer, assignment=stc_assignment, text="xong", completes=True, at=clock.now())
    with pytest.raises(PermissionDenied):
        actions.reopen_assignment(actor=personas.head, assignment=stc_assignment, reason="x")
    actions.reopen_assignment(actor=personas.admin, assignment=stc_assignment, reason="Chưa có báo cáo kết quả")
    stc_assignment.refresh_from_db()
    assert stc_assignment.completed_on is None


def test_review_edits_are_audited_and_confirm_loads(personas, seed_parsed):
    draft = actions.create_import(actor=personas.admin, parsed=seed_parsed, source_name="07.txt")
    tasks = [dict(t) for t in seed_parsed["tasks"]]
    tasks[0] = {**tasks[0], "partners": ["STC"]}
    actions.edit_import(actor=personas.admin, draft=draft, tasks=tasks)
    event = AuditEvent.objects.get(kind="program_import.edit")
    assert event.new == {"1": {"partners": ["STC"]}}
    result = actions.confirm_import(actor=personas.admin, draft=draft, at=clock.now())
    assert result.tasks == 65
    first = result.version.tasks.get(position=1)
    assert first.assignments.get(agency__code="STC").role == "partner"
    with pytest.raises(ValidationError):
        actions.confirm_import(actor=personas.admin, draft=draft, at=clock.now())


def test_changing_the_reading_of_before_moves_deadlines_but_keeps_extensions(personas, seed):
    b = Assignment.objects.get(task__section="2.1", task__item="b", agency__code="STC")
    kbnn = Assignment.objects.get(task__section="2.1", task__item="b", agency__code="KBNN")
    ext = actions.request_extension(actor=personas.officer, assignment=b, proposed=D(2021, 1, 31), reason="x")
    actions.recommend_extension(actor=personas.admin, extension=ext, recommend=True, at=clock.now())
    actions.decide_extension(actor=personas.leader, extension=ext, approve=True, at=clock.now())
    moved = actions.set_before_reading(actor=personas.admin, program=seed.program, reading="same_day")
    assert moved > 0
    b.refresh_from_db()
    kbnn.refresh_from_db()
    assert kbnn.deadline == D(2020, 12, 31)  # "trước ngày 31/12/2020" now read as the 31st itself
    assert b.deadline == D(2021, 1, 31)  # the approved extension stands
