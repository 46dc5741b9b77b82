"""The demo data set: about 60 petitions of 2020 as they stand on 05/10/2020; deterministic and idempotent."""

import datetime as dt
from collections import Counter

import pytest
from django.test import override_settings

from dondoc.accounts import demo as accounts_demo
from dondoc.core import clock as core_clock
from dondoc.core.models import AuditEvent
from dondoc.domain import petition_clock as clock
from dondoc.petitions import demo, queries
from dondoc.petitions.models import Channel, Petition, PetitionCategory, State
from dondoc.programs import actions as program_actions
from dondoc.programs.services import SEED, parse_path

from ..layers import shared

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 10, 5)


@shared
def loaded(reference):
    # Built once, outside the tests' fixtures: pin the date that conftest's _private_files pins for them.
    with override_settings(DONDOC_TODAY=AS_OF.isoformat()):
        accounts_demo.load(as_of=AS_OF)
        program_actions.load_program(actor=None, parsed=parse_path(SEED), source_name=SEED.name,
                                     at=core_clock.now())
        return demo.load(as_of=AS_OF)


def test_demo_petitions(loaded):
    assert loaded == ["demo petitions: 60 created, 60 in all"]
    petitions = Petition.objects.all()
    assert {p.received_on.year for p in petitions} == {2020}
    assert max(p.received_on for p in petitions) <= AS_OF
    assert set(petitions.values_list("category__code", flat=True)) == set(PetitionCategory.objects.values_list(
        "code", flat=True))
    assert petitions.exclude(lead_agency=None).values("lead_agency").distinct().count() >= 10
    states = Counter(petitions.values_list("state", flat=True))
    assert states[State.PUBLISHED] + states[State.CLOSED] >= 20 and states[State.MERGED] == 2
    assert states[State.ESCALATED] >= 1
    rows = queries.deadline_rows(petitions, AS_OF, clock.OVERDUE, clock.DUE_SOON)
    assert Counter(r.state for r in rows) == {clock.OVERDUE: 5, clock.DUE_SOON: 1}
    # Site clearance blocking disbursement: land petitions name the project and link to task 2.1.d.
    land = petitions.filter(category__code="land").exclude(state=State.MERGED)
    assert land.count() >= 10 and all(p.project_code for p in land.exclude(channel=Channel.AGENCY_REPORT))
    assert {p.task.key for p in land if p.task} == {"2.1.d"}
    assert petitions.filter(channel=Channel.AGENCY_REPORT).count() == 3
    late = [p for p in petitions.filter(answered_on__isnull=False) if p.due_on and p.answered_on > p.due_on]
    assert len(late) >= 5


def test_demo_is_idempotent(loaded):
    events = AuditEvent.objects.count()
    assert demo.load(as_of=AS_OF) == ["demo petitions: 0 created, 60 in all"]
    assert AuditEvent.objects.count() == events


def test_demo_stops_at_as_of(reference):
    accounts_demo.load(as_of=AS_OF)
    demo.load(as_of=dt.date(2020, 3, 31))
    assert Petition.objects.count() < 25
    assert not Petition.objects.filter(received_on__gt=dt.date(2020, 3, 31)).exists()
    assert not Petition.objects.filter(answered_on__gt=dt.date(2020, 3, 31)).exists()
