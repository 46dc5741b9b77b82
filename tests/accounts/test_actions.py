import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from dondoc.accounts import actions
from dondoc.accounts.models import Agency
from dondoc.core import audit
from dondoc.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_update_writes_one_audit_row_with_old_and_new_values(personas):
    stc = personas.own_agency
    before = AuditEvent.objects.count()
    actions.update_agency(actor=personas.head, agency=stc, email="new@example.invalid")
    event = AuditEvent.objects.first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.kind, event.actor, event.agency) == ("agency.update", personas.head, stc)
    assert event.old == {"email": ""}
    assert event.new == {"email": "new@example.invalid"}


def test_an_update_that_changes_nothing_is_not_audited(personas):
    stc = personas.own_agency
    actions.update_agency(actor=personas.admin, agency=stc, email="x@example.invalid")
    count = AuditEvent.objects.count()
    actions.update_agency(actor=personas.admin, agency=stc, email="x@example.invalid")
    assert AuditEvent.objects.count() == count


def test_invalid_data_writes_nothing(personas):
    stc = personas.own_agency
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        actions.update_agency(actor=personas.admin, agency=stc, email="not-an-email")
    assert Agency.objects.get(pk=stc.pk).email == ""
    assert AuditEvent.objects.count() == count


def test_rename_keeps_the_old_name_for_old_dates(personas):
    skhdt = Agency.objects.get(code="SKHDT")
    actions.rename_agency(actor=personas.admin, agency=skhdt, new_name="Sở Tài chính (hợp nhất)",
                          on=dt.date(2025, 7, 1), reference="Quyết định 1234/QĐ-UBND")
    skhdt.refresh_from_db()
    assert skhdt.name == "Sở Tài chính (hợp nhất)"
    assert skhdt.name_on(dt.date(2020, 10, 5)) == "Sở Kế hoạch và Đầu tư"
    assert skhdt.name_on(dt.date(2025, 7, 1)) == "Sở Tài chính (hợp nhất)"
    assert AuditEvent.objects.filter(kind="agency.rename", target_id=str(skhdt.pk)).exists()


def test_merge_closes_the_agency_and_points_to_its_successor(personas):
    skhdt, stc = Agency.objects.get(code="SKHDT"), personas.own_agency
    actions.merge_agency(actor=personas.admin, agency=skhdt, into=stc, on=dt.date(2025, 3, 1))
    skhdt.refresh_from_db()
    assert skhdt.valid_to == dt.date(2025, 2, 28) and skhdt.successor == stc
    assert skhdt.is_active_on(dt.date(2020, 6, 30)) and not skhdt.is_active_on(dt.date(2025, 3, 1))
    assert Agency.objects.active_on(dt.date(2025, 3, 1)).filter(code="SKHDT").count() == 0
    with pytest.raises(ValidationError):
        actions.merge_agency(actor=personas.admin, agency=stc, into=stc, on=dt.date(2025, 3, 1))


def test_audit_record_outside_a_transaction_is_refused(db):
    # pytest-django wraps tests in a transaction; leave it to check the guard itself.
    conn = transaction.get_connection()
    in_block = conn.in_atomic_block
    conn.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            audit.record(actor=None, kind="x")
    finally:
        conn.in_atomic_block = in_block
