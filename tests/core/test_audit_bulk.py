"""Events prepared before a write (audit.prepare_many) are the rows audit.record writes, one per target."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from dondoc.core import audit
from dondoc.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_prepared_events_are_the_rows_record_writes_with_the_ids_known_at_write_time():
    User = get_user_model()
    targets = [User(username=f"u{i}") for i in range(3)]  # not saved yet: ids unknown when preparing
    events = audit.prepare_many(actor=None, kind="test.bulk", entries=[(u, None, {"name": u.username})
                                                                       for u in targets])
    with transaction.atomic(), pytest.raises(ValueError, match="not saved"):
        audit.record_prepared(events)
    with transaction.atomic():
        for u in targets:
            u.save()
        assert audit.record_prepared(events) == 3
        audit.record(actor=None, kind="test.single", target=targets[0], new={"name": "u0"})
    bulk = {e.target_id: e for e in AuditEvent.objects.filter(kind="test.bulk")}
    assert set(bulk) == {str(u.pk) for u in targets}
    single = AuditEvent.objects.get(kind="test.single")
    first = bulk[str(targets[0].pk)]
    fields = ("actor_id", "actor_name", "agency_id", "target_type", "target_id", "target_repr", "new", "old", "note")
    assert [getattr(first, f) for f in fields] == [getattr(single, f) for f in fields]


def test_prepare_many_refuses_a_naive_moment():
    import datetime as dt

    with pytest.raises(ValueError, match="aware"):
        audit.prepare_many(actor=None, kind="test.naive", entries=[], at=dt.datetime(2020, 10, 5, 9, 30))
