"""The working calendar with the override table: get_calendar(), actions, audit, reference loader."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dondoc.core import calendar
from dondoc.core.models import AuditEvent, CalendarOverride
from dondoc.deadlines import actions
from dondoc.deadlines import reference as types_reference
from dondoc.deadlines.models import DossierType

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = dt.date


def test_calendar_works_without_any_data():
    assert calendar.get_calendar().add_days(D(2020, 1, 20), 5, working=True) == D(2020, 2, 3)
    assert calendar.monthly_due(2020, 9).explanation == "hạn: 24/09/2020 — trước ngày 25"
    assert calendar.deadline(D(2020, 1, 20), 5, True).explanation == "hạn: 03/02/2020 — 05 ngày làm việc kể từ 20/01/2020"


def test_override_added_changes_the_calendar_and_is_audited(django_capture_on_commit_callbacks, personas):
    thu = D(2020, 9, 3)
    assert calendar.get_calendar().is_working_day(thu)
    with django_capture_on_commit_callbacks(execute=True):
        override, created = actions.set_override(actor=personas.admin, date=thu, kind="override_off",
                                                 name="Nghỉ theo quyết định của tỉnh", reference="QĐ 123/QĐ-UBND")
    assert created and override.entered_by == personas.admin
    cal = calendar.get_calendar()
    assert not cal.is_working_day(thu)
    assert cal.add_days(D(2020, 9, 1), 1, working=True) == D(2020, 9, 4)
    assert {"date": "2020-09-03", "name": "Nghỉ theo quyết định của tỉnh", "kind": "override_off"} in cal.holidays_in_year(2020)
    event = AuditEvent.objects.get(kind="calendar.override_add")
    assert event.actor == personas.admin and event.new["reference"] == "QĐ 123/QĐ-UBND"

    # Same values again: nothing changes, nothing audited.
    actions.set_override(actor=personas.admin, date=thu, kind="override_off",
                         name="Nghỉ theo quyết định của tỉnh", reference="QĐ 123/QĐ-UBND")
    assert AuditEvent.objects.filter(kind__startswith="calendar.").count() == 1

    actions.remove_override(actor=personas.admin, override=override)
    assert calendar.get_calendar().is_working_day(thu)
    assert calendar.get_calendar().add_days(D(2020, 9, 1), 1, working=True) == D(2020, 9, 3)
    assert AuditEvent.objects.get(kind="calendar.override_remove").old["date"] == "2020-09-03"
    assert calendar.source()["overrides"] == 0


def test_override_workday_and_change_of_kind(personas):
    sat = D(2027, 2, 20)
    actions.set_override(actor=None, date=sat, kind="override_workday", name="Làm bù", reference="CV 1/UBND")
    assert calendar.get_calendar().is_working_day(sat)
    _o, created = actions.set_override(actor=None, date=sat, kind="override_off", name="Làm bù", reference="CV 2/UBND")
    assert not created and not calendar.get_calendar().is_working_day(sat)
    change = AuditEvent.objects.get(kind="calendar.override_change")
    assert change.old == {"kind": "override_workday", "reference": "CV 1/UBND"}
    assert change.new == {"kind": "override_off", "reference": "CV 2/UBND"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "vacation"}, "vacation"),
        ({"reference": " "}, "legal reference"),
        ({"date": D(1999, 1, 4)}, "1999"),
    ],
)
def test_bad_overrides_are_refused(fields, message):
    data = {"date": D(2020, 9, 3), "kind": "override_off", "name": "x", "reference": "QĐ 1", **fields}
    with pytest.raises(ValidationError, match=message):
        actions.set_override(actor=None, **data)
    assert not CalendarOverride.objects.exists()


def test_cache_follows_rows_changed_elsewhere():
    """A row written by another process (here: straight to the table) is seen on the next call."""
    before = calendar.get_calendar()
    assert calendar.get_calendar() is before  # cached while nothing changes
    CalendarOverride.objects.create(date=D(2020, 9, 4), kind="override_off", name="x", reference="y")
    assert not calendar.get_calendar().is_working_day(D(2020, 9, 4))


def test_reference_loader_is_idempotent_and_keeps_edits(reference):
    types = {t.code: t for t in DossierType.objects.all()}
    assert (types["appraisal"].days, types["appraisal"].working) == (5, True)
    assert "2.1" in types["appraisal"].legal_basis and types["appraisal"].agency is None
    assert (types["payment"].days, types["payment"].agency.code) == (4, "KBNN")
    actions.update_dossier_type(actor=None, dossier_type=types["payment"], working=False)
    lines = types_reference.load(as_of=D(2020, 10, 5))
    assert lines[0] == "dossier types: 0 created, 2 in all"
    assert "holidays 0.109" in lines[1] and "0 override(s)" in lines[1]
    assert DossierType.objects.get(code="payment").working is False
    assert AuditEvent.objects.filter(kind="dossier_type.create").count() == 2
    assert AuditEvent.objects.get(kind="dossier_type.update").new == {"working": False}
