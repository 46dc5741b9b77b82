"""Permission-scoped reads of petitions, their deadline status as of a date, duplicates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, DateField, F, Q, Value, When
from django.http import Http404

from dondoc import access
from dondoc.core.calendar import get_calendar
from dondoc.domain import petition_clock, similarity
from dondoc.domain.text import search_key

from .labels import CLOCK_LABELS
from .models import OPEN, Attachment, Petition, PetitionCategory, State, match_text


def work_calendar():
    return get_calendar()


def petitions_for(user):
    return access.scope(user, Petition.objects.select_related("category", "lead_agency", "answered_by_agency"))


def get_petition_for(user, pk) -> Petition:
    try:
        return petitions_for(user).get(pk=pk)
    except (Petition.DoesNotExist, ValueError):
        raise Http404("no such petition") from None


def get_attachment_for(user, pk) -> Attachment:
    """An attachment, for those who handle its petition only (leaders included get 404: personal data)."""
    attachment = Attachment.objects.select_related("petition").filter(pk=pk).first()
    if attachment is None or not access.can(user, "petition.view_personal", attachment.petition):
        raise Http404("no such attachment")
    return attachment


def get_public(code: str) -> Petition:
    petition = (Petition.objects.select_related("lead_agency", "answered_by_agency", "merged_into__lead_agency",
                                                "merged_into__answered_by_agency")
                .filter(tracking_code=code).first())
    if petition is None or not code:
        raise Http404("no such petition")
    return petition


def status(petition: Petition, as_of: dt.date, cal=None) -> petition_clock.Status:
    """The domain's full status of one petition (counts working days: for shown rows only)."""
    return petition_clock.status(cal or work_calendar(), due_on=petition.due_on, answered_on=petition.answered_on,
                                 as_of=as_of, due_soon_days=petition.category.due_soon_days)


# --- the clock as SQL conditions on the as-of date ---------------------------------------------------------
# ``domain/petition_clock.status`` is the spec; these conditions select the same rows without counting working
# days per row: "at most k working days left" (due soon) is "due before the (k+1)-th working day after as_of",
# one date per distinct ``due_soon_days`` of the categories (tests/petitions/test_clock_sql.py checks they agree).


@dataclass(frozen=True)
class Clock:
    """The SQL conditions of each clock state as of ``as_of``."""

    as_of: dt.date
    soon_before: dict[dt.date, tuple[int, ...]]  # {first on-track due date: ids of categories} — see due_soon()

    @classmethod
    def as_of_date(cls, as_of: dt.date, cal=None) -> Clock:
        cal = cal or work_calendar()
        by_days: dict[int, list[int]] = {}
        for pk, days in PetitionCategory.objects.values_list("pk", "due_soon_days"):
            by_days.setdefault(days, []).append(pk)
        return cls(as_of, {cal.add_days(as_of, days + 1, working=True): tuple(sorted(ids))
                           for days, ids in by_days.items()})

    def answered(self) -> Q:
        return Q(answered_on__isnull=False, answered_on__lte=self.as_of)

    def unanswered(self) -> Q:
        return Q(answered_on__isnull=True) | Q(answered_on__gt=self.as_of)

    def overdue(self) -> Q:
        return self.unanswered() & Q(due_on__lt=self.as_of)

    def due_soon(self) -> Q:
        """Not answered, due today or later but before the (k+1)-th working day after as_of (k of its category)."""
        if not self.soon_before:
            return Q(pk__in=[])
        # One comparison with the category's limit (a CASE), not an OR per category: SQLite then searches the
        # due_on range of the petition_clock index instead of scanning by category.
        limit = Case(*(When(category_id__in=ids, then=Value(day)) for day, ids in self.soon_before.items()),
                     default=Value(None), output_field=DateField())
        return self.unanswered() & Q(due_on__gte=self.as_of, due_on__lt=max(self.soon_before)) & Q(due_on__lt=limit)

    def condition(self, state: str) -> Q:
        a = self.answered()
        return {
            petition_clock.ANSWERED: a & Q(due_on__isnull=True),
            petition_clock.ON_TIME: a & Q(due_on__gte=F("answered_on")),
            petition_clock.LATE: a & Q(due_on__lt=F("answered_on")),
            petition_clock.NO_DEADLINE: self.unanswered() & Q(due_on__isnull=True),
            petition_clock.OVERDUE: self.overdue(),
            petition_clock.DUE_SOON: self.due_soon(),
            petition_clock.ON_TRACK: self.unanswered() & Q(due_on__gte=self.as_of) & ~self.due_soon(),
        }[state]

    def state(self) -> Case:
        """The state as one SQL expression (annotate it as ``clock_state``)."""
        a = self.answered()
        return Case(
            When(a & Q(due_on__isnull=True), then=Value(petition_clock.ANSWERED)),
            When(a & Q(due_on__gte=F("answered_on")), then=Value(petition_clock.ON_TIME)),
            When(a, then=Value(petition_clock.LATE)),
            When(due_on__isnull=True, then=Value(petition_clock.NO_DEADLINE)),
            When(due_on__lt=self.as_of, then=Value(petition_clock.OVERDUE)),
            When(self.due_soon(), then=Value(petition_clock.DUE_SOON)),
            default=Value(petition_clock.ON_TRACK), output_field=CharField(),
        )


@dataclass(frozen=True)
class Row:
    """A listed petition and its clock state; ``status`` (with working days counted) only where it is needed."""

    petition: Petition
    state: str
    status: petition_clock.Status | None = None

    @property
    def label(self):
        return CLOCK_LABELS[self.state]


def waiting_as_of(queryset, as_of: dt.date):
    """Petitions routed by ``as_of``, with a deadline, not answered by then (escalated ones wait for the PPC)."""
    return queryset.filter(routed_on__lte=as_of, due_on__isnull=False).exclude(state=State.MERGED).filter(
        Q(answered_on__isnull=True) | Q(answered_on__gt=as_of))


def waiting_in(queryset, as_of: dt.date, *states: str, clock: Clock | None = None):
    """The waiting petitions of ``queryset`` whose state as of ``as_of`` is one of ``states``, soonest due first
    (a query: filtered, sorted and paged by the database)."""
    clock = clock or Clock.as_of_date(as_of)
    wanted = Q(pk__in=[])
    for state in states:
        wanted |= clock.condition(state)
    return waiting_as_of(queryset, as_of).filter(wanted).order_by("due_on", "reference")


def deadline_rows(queryset, as_of: dt.date, *states: str) -> list[Row]:
    """``waiting_in`` as rows with the domain's full status (working days counted once per returned row): for
    sweepers and reports, which show every row they select."""
    cal = work_calendar()
    rows = []
    for p in waiting_in(queryset, as_of, *states, clock=Clock.as_of_date(as_of, cal)):
        s = status(p, as_of, cal)
        rows.append(Row(p, s.state, s))
    return rows


def overdue(user, as_of: dt.date, clock: Clock | None = None):
    return waiting_in(petitions_for(user), as_of, petition_clock.OVERDUE, clock=clock)


def due_soon(user, as_of: dt.date, clock: Clock | None = None):
    return waiting_in(petitions_for(user), as_of, petition_clock.DUE_SOON, clock=clock)


def counts(queryset, as_of: dt.date, clock: Clock | None = None) -> dict[str, int]:
    """Open, overdue and due-soon petitions of ``queryset``: three counts, each read from an index (one
    aggregate with three filters would read every row of the table)."""
    clock = clock or Clock.as_of_date(as_of)
    queryset = queryset.order_by()
    return {"open": queryset.filter(state__in=OPEN).count(),
            "overdue": waiting_as_of(queryset, as_of).filter(clock.overdue()).count(),
            "due_soon": waiting_as_of(queryset, as_of).filter(clock.due_soon()).count()}


def search(queryset, q: str):
    key = search_key(q)
    for word in key.split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def duplicates(text: str, *, exclude: Petition | None = None, limit: int = similarity.LIMIT):
    """Open petitions whose text looks like ``text``: [(petition, score)], best first. Compares the stored
    ``match_text`` (normalised once, at intake); only the matches are loaded whole."""
    candidates = Petition.objects.filter(state__in=OPEN)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    rows = list(candidates.values_list("pk", "match_text"))
    missing = [pk for pk, value in rows if not value]  # not backfilled yet (rebuild_match_texts)
    if missing:
        texts = {pk: match_text(s, t) for pk, s, t in
                 Petition.objects.filter(pk__in=missing).values_list("pk", "subject", "text")}
        rows = [(pk, value or texts[pk]) for pk, value in rows]
    matches = similarity.similar_normalised(similarity.normalise(text), rows, limit=limit)
    by_pk = Petition.objects.select_related("lead_agency", "category").in_bulk([m.key for m in matches])
    return [(by_pk[m.key], m.score) for m in matches]


@dataclass(frozen=True)
class PanelCounts:
    open: int
    overdue: int
    answered_this_month: int


def panel_counts(user, today: dt.date, clock: Clock | None = None) -> PanelCounts:
    """Counts over what the user may see. The whole province: three counts, each read from an index. An agency's
    petitions (a few hundred, found by the lead agency and coordinator indexes): one pass with three filtered
    counts — the state index would read every open petition of the province to count an agency's."""
    clock = clock or Clock(today, {})  # overdue needs no working day
    qs = petitions_for(user).order_by()
    month = Q(answered_on__gte=today.replace(day=1), answered_on__lte=today)
    if access.partial(user):
        waiting = Q(routed_on__lte=today, due_on__isnull=False) & ~Q(state=State.MERGED) & clock.unanswered()
        counts = qs.aggregate(open=Count("pk", filter=Q(state__in=OPEN)),
                              overdue=Count("pk", filter=waiting & clock.overdue()),
                              answered_this_month=Count("pk", filter=month))
        return PanelCounts(**counts)
    return PanelCounts(
        open=qs.filter(state__in=OPEN).count(),
        overdue=waiting_as_of(qs, today).filter(clock.overdue()).count(),
        answered_this_month=qs.filter(month).count(),
    )
