"""Reads of the audit log for its page: filters as plain comparisons (so indexes apply on SQLite and PostgreSQL)
and keyset pages by (at, id), newest first — a deep page costs what the first one does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent

PAGE = 50


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight opening ``day`` (the current time zone, Asia/Ho_Chi_Minh by the settings)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered(*, kind="", agency="", actor="", q="", since: dt.date | None = None,
             until: dt.date | None = None) -> QuerySet:
    events = AuditEvent.objects.all()
    if kind:
        events = events.filter(kind=kind)
    if agency:
        events = events.filter(agency__code=agency.upper())
    if actor:
        events = events.filter(actor_name=actor)
    if q:
        events = events.filter(target_repr__icontains=q)
    if since:
        events = events.filter(at__gte=day_start(since))
    if until:
        events = events.filter(at__lt=day_start(until + dt.timedelta(days=1)))
    return events


@dataclass(frozen=True)
class Cursor:
    """A position in the log: the (at, id) of an event, written ``<microseconds since epoch>.<id>`` in URLs."""

    at: dt.datetime
    id: int

    @classmethod
    def of(cls, event: AuditEvent) -> Cursor:
        return cls(event.at, event.pk)

    @classmethod
    def parse(cls, value: str | None) -> Cursor | None:
        try:
            micros, pk = (value or "").split(".")
            at = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=int(micros))
            return cls(at, int(pk))
        except (ValueError, OverflowError):
            return None

    def __str__(self) -> str:
        delta = self.at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        return f"{(delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds}.{self.id}"


@dataclass(frozen=True)
class Page:
    events: list[AuditEvent]
    newer: Cursor | None  # link to the page of events newer than the first shown
    older: Cursor | None  # link to the page of events older than the last shown

    def __iter__(self):
        return iter(self.events)


def page(events: QuerySet, *, older: Cursor | None = None, newer: Cursor | None = None, size: int = PAGE) -> Page:
    """The ``size`` events (newest first) older than ``older``, or newer than ``newer``, or the newest."""
    if newer is not None:
        rows = list(events.filter(Q(at__gte=newer.at) & (Q(at__gt=newer.at) | Q(id__gt=newer.id)))
                    .order_by("at", "id")[:size + 1])
        if len(rows) <= size:  # back at the newest: the first page, full
            return page(events, size=size)
        rows = rows[:size][::-1]
        return Page(rows, Cursor.of(rows[0]), Cursor.of(rows[-1]))
    if older is not None:
        # Written "at <= t AND (at < t OR id < i)" (not "at < t OR (at = t AND id < i)"): SQLite then
        # searches the (at, id) index from t instead of scanning it from the newest end.
        events = events.filter(Q(at__lte=older.at) & (Q(at__lt=older.at) | Q(id__lt=older.id)))
    rows = list(events.order_by("-at", "-id")[:size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return Page(rows, Cursor.of(rows[0]) if older is not None and rows else None,
                Cursor.of(rows[-1]) if more_older else None)


COUNT_CAP = 10_000


def capped_count(events: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, capped): the events counted up to ``cap`` — an exact count of half a million rows costs a full scan on
    PostgreSQL; beyond ``cap`` the page says "more than"."""
    n = events[: cap + 1].count()
    return min(n, cap), n > cap


def kinds() -> list[str]:
    """The distinct kinds recorded, by a loose index scan over (kind, at, id): one index probe per kind instead of
    reading every event (a plain DISTINCT reads the whole index on PostgreSQL)."""
    table = AuditEvent._meta.db_table
    sql = (f"WITH RECURSIVE k(kind) AS (SELECT MIN(kind) FROM {table} UNION ALL "
           f"SELECT (SELECT MIN(kind) FROM {table} WHERE kind > k.kind) FROM k WHERE k.kind IS NOT NULL) "
           "SELECT kind FROM k WHERE kind IS NOT NULL")
    with connection.cursor() as c:
        c.execute(sql)
        return [row[0] for row in c.fetchall()]
