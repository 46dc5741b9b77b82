"""The state SQL gives a dossier as of a day is the one sla.clock gives (the specification), for dossiers in
every state and at several as-of days — including days before a pause, a resumption or a completion; and the
list page's query count does not grow with the number of dossiers."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.accounts.models import Agency
from dondoc.deadlines import actions, queries
from dondoc.deadlines.models import Dossier, DossierType
from dondoc.domain import sla

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def every_case(make_dossier, reference):
    calendar_days = DossierType.objects.get(code="appraisal")
    actions.create_dossier_type(actor=None, code="cal10", name="Mười ngày", days=10, working=False,
                                agency=calendar_days.agency)
    make_dossier("open", received=D(2020, 9, 28))
    make_dossier("overdue", received=D(2020, 9, 1))
    make_dossier("soon", received=D(2020, 9, 24))
    make_dossier("paused", received=D(2020, 9, 21), pause=(D(2020, 9, 23), None))
    make_dossier("resumed", received=D(2020, 9, 14), pause=(D(2020, 9, 16), D(2020, 9, 25)))
    make_dossier("paused-late", received=D(2020, 9, 7), pause=(D(2020, 9, 21), None))  # paused when overdue
    make_dossier("on-time", received=D(2020, 9, 1), completed=D(2020, 9, 4))
    make_dossier("late", received=D(2020, 9, 1), completed=D(2020, 9, 21))
    make_dossier("done-paused", received=D(2020, 9, 8), pause=(D(2020, 9, 10), None), completed=D(2020, 9, 29))
    make_dossier("tet", received=D(2020, 1, 21), pause=(D(2020, 1, 24), D(2020, 2, 3)), completed=D(2020, 2, 6))
    make_dossier("cal", type="cal10", received=D(2020, 9, 17))
    make_dossier("future", received=D(2020, 10, 20))
    make_dossier("pay", agency="KBNN", type="payment", received=D(2020, 10, 1))
    d = make_dossier("two-pauses", received=D(2020, 9, 1), pause=(D(2020, 9, 3), D(2020, 9, 10)))
    actions.pause_dossier(actor=None, dossier=d, on=D(2020, 9, 14))
    actions.resume_dossier(actor=None, dossier=d, on=D(2020, 9, 22))


AS_OF = [D(2020, 1, 27), D(2020, 9, 2), D(2020, 9, 9), D(2020, 9, 15), D(2020, 9, 22), D(2020, 9, 24),
         D(2020, 9, 28), D(2020, 10, 5), D(2020, 10, 25)]


@pytest.mark.parametrize("probe", [queries.PROBE, 1], ids=["by-completion", "by-receipt"])
@pytest.mark.parametrize("as_of", AS_OF)
def test_sql_state_equals_the_clock(every_case, as_of, probe, monkeypatch):
    # probe=1: on SQLite, dossiers completed after the day are read by receipt date (as of an early day).
    monkeypatch.setattr(queries, "PROBE", probe)
    expected = {r.dossier.reference: r.state for r in queries.evaluate(Dossier.objects.all(), as_of)}
    states = queries.States(Dossier.objects.all(), as_of)
    got = {}
    for state in sla.STATES:
        for ref in Dossier.objects.filter(states.q(state)).values_list("reference", flat=True):
            assert ref not in got, f"{ref} in two states"
            got[ref] = state
    assert got == expected
    assert states.counts(Dossier.objects.all()) == {s: list(expected.values()).count(s) for s in sla.STATES}
    tally = states.tally(Dossier.objects.all())
    assert tally.total() == len(expected) and {s: tally[s] for s in sla.STATES} == states.counts(Dossier.objects.all())
    assert len(states.pending) <= 3  # only dossiers with a clock-moving pause event after as_of ask clock()


def test_the_list_order_is_the_clock_order(every_case):
    as_of = D(2020, 9, 24)
    rows = queries.evaluate(Dossier.objects.all(), as_of)
    rows.sort(key=lambda r: (sla.STATES.index(r.state), r.clock.due or D.max, r.dossier.pk))
    states = queries.States(Dossier.objects.all(), as_of)
    ordered = queries.StateOrdered(Dossier.objects.all(), states, states.counts(Dossier.objects.all()))
    assert [r.dossier.reference for r in ordered[0:100]] == [r.dossier.reference for r in rows]
    assert [r.dossier.reference for r in ordered[3:7]] == [r.dossier.reference for r in rows[3:7]]


def test_actions_keep_the_stored_dates(every_case, personas):
    d = Dossier.objects.get(reference="open")
    assert (d.due_on, d.clock_settled_on) == (D(2020, 10, 5), None)
    actions.pause_dossier(actor=None, dossier=d, on=D(2020, 9, 30))
    d.refresh_from_db()
    assert (d.due_on, d.clock_settled_on) == (None, D(2020, 9, 30))
    actions.resume_dossier(actor=None, dossier=d, on=D(2020, 10, 2))
    d.refresh_from_db()
    assert (d.due_on, d.clock_settled_on) == (D(2020, 10, 7), D(2020, 10, 2))
    # A day off decided later moves the due dates counting through it; the rebuild agrees with the actions.
    actions.set_override(actor=None, date=D(2020, 10, 6), kind="override_off", name="Nghỉ", reference="QĐ 1")
    d.refresh_from_db()
    assert d.due_on == D(2020, 10, 8)
    stored = list(Dossier.objects.order_by("pk").values_list("due_on", "due_soon_from", "clock_settled_on"))
    Dossier.objects.update(due_on=None, due_soon_from=None, clock_settled_on=None)
    actions.refresh_clocks()
    assert list(Dossier.objects.order_by("pk").values_list("due_on", "due_soon_from", "clock_settled_on")) == stored
    # The warning window is read from the type: changing it moves due_soon_from.
    t = DossierType.objects.get(code="appraisal")
    actions.update_dossier_type(actor=None, dossier_type=t, due_soon_days=4)
    d.refresh_from_db()
    assert d.due_soon_from == D(2020, 10, 1)  # 4 working days left after it: 02, 05, 07, 08/10 (06/10 off)


def make_many(n, start):
    t, stc = DossierType.objects.get(code="appraisal"), Agency.objects.get(code="STC")
    for i in range(n):
        d = actions.create_dossier(actor=None, type=t, agency=stc, reference=f"N{start + i}", subject="x",
                                   received_on=D(2020, 9, 1) + dt.timedelta(days=i % 30))
        if i % 3 == 0:
            actions.pause_dossier(actor=None, dossier=d, on=d.received_on + dt.timedelta(days=1))
        if i % 4 == 0:
            actions.complete_dossier(actor=None, dossier=d, on=d.received_on + dt.timedelta(days=5))


def test_list_and_home_queries_do_not_grow_with_rows(client_for, every_case, settings):
    settings.DONDOC_TODAY = "2020-10-05"
    c = client_for("admin")

    def queries_of(url, **params):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    make_many(6, 0)
    urls = [("/deadlines/", {}), ("/deadlines/", {"state": "paused"}), ("/deadlines/", {"state": "overdue"}),
            ("/deadlines/", {"as_of": "25/10/2020"}), ("/deadlines/", {"month": "09/2020"}), ("/", {})]
    few = [queries_of(url, **params) for url, params in urls]
    make_many(60, 100)
    many = [queries_of(url, **params) for url, params in urls]
    # At most one slice (and its pauses) per state shown: a page spanning fewer states reads less.
    assert all(m <= f for m, f in zip(many, few, strict=True)), (many, few)
