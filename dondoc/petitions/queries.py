"""Permission-scoped reads of petitions, their deadline status as of a date, duplicates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from dondoc import access
from dondoc.core.calendar import get_calendar
from dondoc.domain import petition_clock, similarity
from dondoc.domain.text import search_key

from .labels import CLOCK_LABELS
from .models import OPEN, Attachment, Petition, State


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
    return petition_clock.status(cal or work_calendar(), due_on=petition.due_on, answered_on=petition.answered_on,
                                 as_of=as_of, due_soon_days=petition.category.due_soon_days)


@dataclass(frozen=True)
class Row:
    petition: Petition
    status: petition_clock.Status

    @property
    def state(self) -> str:
        return self.status.state

    @property
    def label(self):
        return CLOCK_LABELS[self.status.state]


def waiting_as_of(queryset, as_of: dt.date):
    """Petitions routed by ``as_of``, with a deadline, not answered by then (escalated ones wait for the PPC)."""
    return queryset.filter(routed_on__lte=as_of, due_on__isnull=False).exclude(state=State.MERGED).filter(
        Q(answered_on__isnull=True) | Q(answered_on__gt=as_of))


def deadline_rows(queryset, as_of: dt.date, *states: str) -> list[Row]:
    """The waiting petitions of ``queryset`` whose status as of ``as_of`` is one of ``states``, soonest due first."""
    cal = work_calendar()
    rows = [Row(p, status(p, as_of, cal)) for p in waiting_as_of(queryset, as_of)]
    rows = [r for r in rows if r.state in states]
    return sorted(rows, key=lambda r: (r.petition.due_on, r.petition.reference))


def overdue(user, as_of: dt.date) -> list[Row]:
    return deadline_rows(petitions_for(user), as_of, petition_clock.OVERDUE)


def due_soon(user, as_of: dt.date) -> list[Row]:
    return deadline_rows(petitions_for(user), as_of, petition_clock.DUE_SOON)


def search(queryset, q: str):
    key = search_key(q)
    for word in key.split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def duplicates(text: str, *, exclude: Petition | None = None, limit: int = similarity.LIMIT):
    """Open petitions whose text looks like ``text``: [(petition, score)], best first."""
    candidates = Petition.objects.filter(state__in=OPEN).select_related("lead_agency", "category")
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    by_pk = {p.pk: p for p in candidates}
    matches = similarity.similar(text, ((pk, f"{p.subject} {p.text}") for pk, p in by_pk.items()), limit=limit)
    return [(by_pk[m.key], m.score) for m in matches]


@dataclass(frozen=True)
class PanelCounts:
    open: int
    overdue: int
    answered_this_month: int


def panel_counts(user, today: dt.date) -> PanelCounts:
    qs = petitions_for(user)
    month_start = today.replace(day=1)
    return PanelCounts(
        open=qs.filter(state__in=OPEN).count(),
        overdue=len(deadline_rows(qs, today, petition_clock.OVERDUE)),
        answered_this_month=qs.filter(answered_on__gte=month_start, answered_on__lte=today).count(),
    )
