"""The petition clock as SQL conditions (petitions.queries.Clock) agrees with its spec, domain/petition_clock.py,
row by row, at several as-of dates (around Tết 2021, weekends, due today)."""

import datetime as dt
import itertools

import pytest

from dondoc.core.calendar import get_calendar
from dondoc.domain import petition_clock as clock
from dondoc.petitions import queries
from dondoc.petitions.models import Petition, PetitionCategory, State

pytestmark = pytest.mark.django_db
D = dt.date
AS_OF = [D(2021, 2, 5), D(2021, 2, 9), D(2021, 2, 12), D(2021, 2, 17), D(2021, 2, 18), D(2021, 2, 20),
         D(2021, 3, 1)]


@pytest.fixture
def rows():
    """Every combination of due date, answer date and category (due soon within 0–3 working days) near Tết."""
    cats = [PetitionCategory.objects.create(code=f"c{k}", name=f"c{k}", answer_days=5, due_soon_days=k)
            for k in range(4)]
    dues = [None, D(2021, 2, 8), D(2021, 2, 9), D(2021, 2, 14), D(2021, 2, 17), D(2021, 2, 18), D(2021, 2, 22),
            D(2021, 2, 26)]
    answers = [None, D(2021, 2, 9), D(2021, 2, 17), D(2021, 2, 19)]
    made = [
        # Test data set field by field (every combination of dates), not a user's path: no action writes these.
        Petition(reference=f"P{i}", tracking_code=f"t{i}", received_on=D(2021, 1, 4), channel="letter", category=cat,
                 business_name="DN", subject="s", text="t", routed_on=D(2021, 1, 5) if due else None, due_on=due,
                 answered_on=answered, state=State.ANSWERED if answered else State.ASSIGNED)
        for i, (cat, due, answered) in enumerate(itertools.product(cats, dues, answers))]
    Petition.objects.bulk_create(made)
    return Petition.objects.select_related("category")


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_sql_state_equals_the_domain_status(rows, as_of):
    cal = get_calendar()
    sql = queries.Clock.as_of_date(as_of, cal)
    got = {p.reference: p.clock_state for p in rows.annotate(clock_state=sql.state())}
    expected = {p.reference: queries.status(p, as_of, cal).state for p in rows}
    assert got == expected
    for state in (clock.OVERDUE, clock.DUE_SOON, clock.ON_TRACK, clock.ON_TIME, clock.LATE, clock.ANSWERED,
                  clock.NO_DEADLINE):
        assert set(rows.filter(sql.condition(state)).values_list("reference", flat=True)) == {
            ref for ref, s in expected.items() if s == state}, state


def test_every_state_is_covered(rows):
    cal = get_calendar()
    seen = {queries.status(p, as_of, cal).state for p in rows for as_of in AS_OF}
    assert seen == {clock.OVERDUE, clock.DUE_SOON, clock.ON_TRACK, clock.ON_TIME, clock.LATE, clock.ANSWERED,
                    clock.NO_DEADLINE}


def test_deadline_rows_sorted_by_due_date_with_full_status(rows):
    as_of = D(2021, 2, 18)
    got = queries.deadline_rows(rows, as_of, clock.OVERDUE, clock.DUE_SOON)
    assert [r.petition.due_on for r in got] == sorted(r.petition.due_on for r in got)
    assert {r.state for r in got} == {clock.OVERDUE, clock.DUE_SOON}
    assert all(r.status.state == r.state for r in got)
    overdue = [r for r in got if r.state == clock.OVERDUE]
    assert {r.status.days_late for r in overdue} == {1, 2, 3}  # due 09/02 (Tết between), 14/02, 17/02


def test_counts_match_the_lists(rows):
    as_of = D(2021, 2, 17)
    c = queries.counts(rows, as_of)
    assert c["overdue"] == queries.waiting_in(rows, as_of, clock.OVERDUE).count()
    assert c["due_soon"] == queries.waiting_in(rows, as_of, clock.DUE_SOON).count()
    assert c["overdue"] > 0 and c["due_soon"] > 0


def test_duplicates_read_the_stored_match_text(make_petition):
    from dondoc.petitions.models import match_text, rebuild_match_texts

    a = make_petition("Đề nghị giải phóng mặt bằng Quốc lộ 1A đoạn qua xã Hòa Bình")
    b = make_petition("Kiến nghị GPMB QL 1A đoạn qua xã Hòa Bình", received=D(2020, 9, 2))
    assert a.match_text == match_text(a.subject, a.text)
    found = queries.duplicates(f"{a.subject} {a.text}", exclude=a)
    assert [p.pk for p, _score in found] == [b.pk]
    Petition.objects.filter(pk=b.pk).update(match_text="")  # a row not backfilled yet still matches
    assert [p.pk for p, _score in queries.duplicates(f"{a.subject} {a.text}", exclude=a)] == [b.pk]
    assert rebuild_match_texts() == 1 and rebuild_match_texts() == 0


@pytest.mark.parametrize("as_of", [D(2021, 2, 9), D(2021, 2, 18), D(2021, 2, 20)], ids=str)
def test_an_agency_panel_counts_what_the_province_counts_of_its_petitions(rows, personas, as_of):
    """An agency's panel counts in one pass over its petitions, the province's with one index per count: the same
    figures for the same petitions (led by the agency or coordinated by it; a merged one never waits)."""
    from dondoc.accounts.models import Agency

    stc, ct = Agency.objects.get(code="STC"), Agency.objects.get(code="CT")
    rows.filter(reference__regex=r"[01]$").update(lead_agency=stc)
    rows.filter(reference__endswith="2").update(lead_agency=stc, state=State.MERGED)
    for p in rows.filter(reference__endswith="3"):
        p.coordinators.add(stc)
    rows.filter(reference__endswith="4").update(lead_agency=ct)  # not STC's

    mine = rows.filter(reference__regex=r"[0123]$")
    province = queries.panel_counts(personas.admin, as_of)
    expected = queries.PanelCounts(
        open=mine.filter(state__in=queries.OPEN).count(),
        overdue=queries.waiting_as_of(mine, as_of).filter(queries.Clock(as_of, {}).overdue()).count(),
        answered_this_month=mine.filter(answered_on__gte=as_of.replace(day=1), answered_on__lte=as_of).count())
    assert queries.panel_counts(personas.officer, as_of) == expected
    assert expected.overdue > 0 and expected.open > 0 and province.open == rows.filter(state__in=queries.OPEN).count()
