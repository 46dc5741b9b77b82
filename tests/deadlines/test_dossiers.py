"""Dossier actions and states from the calendar: pauses (in Tết), a deadline ending on a Sunday, compliance."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dondoc.core.models import AuditEvent
from dondoc.deadlines import actions, queries
from dondoc.deadlines.models import Dossier, DossierType
from dondoc.domain import sla

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = dt.date


def state(dossier, as_of):
    return queries.evaluate_one(Dossier.objects.get(pk=dossier.pk), as_of)


def test_states_through_the_life_of_a_dossier(make_dossier, personas):
    d = make_dossier("TĐ-01", received=D(2020, 3, 2), actor=personas.officer)  # Monday; 5 working days -> 09/03
    assert (state(d, D(2020, 3, 3)).state, state(d, D(2020, 3, 3)).due) == (sla.OPEN, D(2020, 3, 9))
    assert state(d, D(2020, 3, 5)).state == sla.DUE_SOON  # 2 working days left (06, 09/03)
    assert state(d, D(2020, 3, 9)).remaining == 0
    late = state(d, D(2020, 3, 11))
    assert (late.state, late.days_late) == (sla.OVERDUE, 2)
    actions.complete_dossier(actor=personas.officer, dossier=d, on=D(2020, 3, 10))
    done = state(d, D(2020, 3, 31))
    assert (done.state, done.days_late, done.completed_on) == (sla.LATE, 1, D(2020, 3, 10))
    assert state(d, D(2020, 3, 9)).state == sla.DUE_SOON  # as of a past day the completion had not happened
    assert state(d, D(2020, 3, 1)) is None  # not received yet
    kinds = list(AuditEvent.objects.filter(target_id=str(d.pk), target_type="deadlines.dossier").values_list("kind", flat=True))
    assert sorted(kinds) == ["dossier.complete", "dossier.create"]


def test_pause_in_the_middle_of_tet(make_dossier):
    """Received Tue 21/01/2020; returned Fri 24/01 (Tết), supplements back Mon 03/02.
    Counted: 22/01, then 03, 04, 05, 06/02 -> due 06/02 (without the pause: 04/02)."""
    plain = make_dossier("TĐ-A", received=D(2020, 1, 21))
    paused = make_dossier("TĐ-B", received=D(2020, 1, 21), pause=(D(2020, 1, 24), D(2020, 2, 3)))
    assert state(plain, D(2020, 1, 28)).due == D(2020, 2, 4)
    during = state(paused, D(2020, 1, 28))
    assert (during.state, during.deadline) == (sla.PAUSED, None)
    after = state(paused, D(2020, 2, 3))
    assert after.due == D(2020, 2, 6) and after.elapsed == 2
    assert "không tính thời gian tạm dừng" in after.deadline.explanation
    actions.complete_dossier(actor=None, dossier=paused, on=D(2020, 2, 6))
    assert state(paused, D(2020, 2, 28)).state == sla.ON_TIME


def test_deadline_ending_on_a_sunday_rolls_to_monday(make_dossier):
    t = DossierType.objects.get(code="appraisal")
    actions.update_dossier_type(actor=None, dossier_type=t, working=False)  # 5 calendar days
    d = make_dossier("TĐ-CN", received=D(2020, 3, 10))  # Tuesday: day 5 is Sunday 15/03
    c = state(d, D(2020, 3, 13))
    assert c.due == D(2020, 3, 16)
    assert c.deadline.explanation == (
        "hạn: 16/03/2020 — 05 ngày kể từ 10/03/2020; ngày cuối 15/03/2020 là ngày nghỉ, chuyển sang ngày làm việc kế tiếp"
    )
    assert state(d, D(2020, 3, 16)).state == sla.DUE_SOON
    assert state(d, D(2020, 3, 17)).state == sla.OVERDUE


def test_a_type_change_does_not_move_received_dossiers(make_dossier):
    d = make_dossier("TĐ-01", received=D(2020, 3, 2))
    actions.update_dossier_type(actor=None, dossier_type=d.type, days=10)
    assert state(d, D(2020, 3, 3)).due == D(2020, 3, 9)
    assert make_dossier("TĐ-02", received=D(2020, 3, 2)).days == 10


def test_completing_a_paused_dossier_closes_the_pause(make_dossier):
    d = make_dossier("TĐ-01", received=D(2020, 3, 2), pause=(D(2020, 3, 3), None))
    actions.complete_dossier(actor=None, dossier=d, on=D(2020, 3, 20))
    assert d.pauses.get().resumed_on == D(2020, 3, 20)
    assert state(d, D(2020, 3, 31)).state == sla.ON_TIME


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (lambda d: actions.resume_dossier(actor=None, dossier=d, on=D(2020, 3, 5)), "not paused"),
        (lambda d: actions.pause_dossier(actor=None, dossier=d, on=D(2020, 2, 28)), "before the dossier was received"),
        (lambda d: actions.complete_dossier(actor=None, dossier=d, on=D(2020, 2, 1)), "before the dossier was received"),
    ],
)
def test_impossible_events_are_refused(make_dossier, step, message):
    d = make_dossier("TĐ-01", received=D(2020, 3, 2))
    with pytest.raises(ValidationError, match=message):
        step(d)


def test_events_after_completion_or_twice_are_refused(make_dossier):
    d = make_dossier("TĐ-01", received=D(2020, 3, 2), pause=(D(2020, 3, 3), None))
    with pytest.raises(ValidationError, match="already paused"):
        actions.pause_dossier(actor=None, dossier=d, on=D(2020, 3, 4))
    with pytest.raises(ValidationError, match="before it was paused"):
        actions.resume_dossier(actor=None, dossier=d, on=D(2020, 3, 2))
    actions.resume_dossier(actor=None, dossier=d, on=D(2020, 3, 6))
    with pytest.raises(ValidationError, match="last pause"):
        actions.pause_dossier(actor=None, dossier=d, on=D(2020, 3, 5))
    actions.complete_dossier(actor=None, dossier=d, on=D(2020, 3, 9))
    with pytest.raises(ValidationError, match="already completed"):
        actions.complete_dossier(actor=None, dossier=d, on=D(2020, 3, 10))
    with pytest.raises(ValidationError, match="already exists"):
        actions.create_dossier(actor=None, type=d.type, agency=d.agency, reference="TĐ-01", subject="x",
                               received_on=D(2020, 3, 2))


def test_compliance_rate_as_of_a_past_date(make_dossier):
    # STC: September 1 on time + 1 late; October 1 late. KBNN: September 1 on time.
    make_dossier("S1", received=D(2020, 9, 1), completed=D(2020, 9, 4))
    make_dossier("S2", received=D(2020, 9, 7), completed=D(2020, 9, 21))
    make_dossier("S3", received=D(2020, 9, 24), completed=D(2020, 10, 12))
    make_dossier("K1", agency="KBNN", type="payment", received=D(2020, 9, 1), completed=D(2020, 9, 2))
    table = queries.compliance_table(Dossier.objects.all(), D(2020, 9, 30))
    assert len(table.months) == 9
    by_code = {a.code: (cells, total) for a, cells, total in table.rows}
    cells, total = by_code["STC"]
    assert (cells[8].on_time, cells[8].completed, str(cells[8].percent)) == (1, 2, "50.0")
    assert (total.on_time, total.completed) == (1, 2)
    assert str(by_code["KBNN"][1].percent) == "100.0"
    later = queries.compliance_table(Dossier.objects.all(), D(2020, 10, 31))
    stc = {a.code: (c, t) for a, c, t in later.rows}["STC"]
    assert str(stc[0][9].percent) == "0.0" and (stc[1].on_time, stc[1].completed) == (1, 3)


def test_dossier_and_calendar_actions_ask_the_access_module(personas, make_dossier):
    from django.core.exceptions import PermissionDenied

    from dondoc.deadlines import actions as dossier_actions

    dossier = make_dossier("TĐ-P1", received=D(2020, 9, 14), agency="STC")
    with pytest.raises(PermissionDenied):  # KBNN's officer, on STC's dossier
        dossier_actions.pause_dossier(actor=personas.other, dossier=dossier, on=D(2020, 9, 15))
    with pytest.raises(PermissionDenied):  # the leader reads only
        make_dossier("TĐ-P2", received=D(2020, 9, 14), agency="STC", actor=personas.leader)
    with pytest.raises(PermissionDenied):  # overrides are the DPI's
        dossier_actions.set_override(actor=personas.officer, date=D(2020, 12, 24), kind="override_off",
                                     name="Nghỉ", reference="QĐ 1")
    paused = dossier_actions.pause_dossier(actor=personas.officer, dossier=dossier, on=D(2020, 9, 15))
    assert paused.dossier_id == dossier.pk
