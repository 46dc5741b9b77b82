"""Permission-scoped reads of dossiers and their clocks.

A state as of a day is a SQL condition on the stored clock dates (``state_q``, the rules of
``sla.state_from_dates``), so lists filter, count, sort and page in the database. The few dossiers whose
clock-moving pause events are dated after the as-of day (``clock_settled_on > as_of``) are asked to
``sla.clock`` in Python (``States``) and their ids enter the conditions. Rows shown get their full clock.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import Case, Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import ExtractMonth
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.http import Http404

from dondoc import access
from dondoc.accounts.models import Agency
from dondoc.core import calendar
from dondoc.domain import sla, workdays

from .labels import STATE_LABELS
from .models import Dossier, DossierPause, DossierType


def entry_agencies(user):
    """Agencies ``user`` may enter dossiers for (the leader reads only)."""
    return access.agencies_for(user, "dossier.edit")


def dossiers_for(user):
    return access.scope(user, Dossier.objects.select_related("type", "agency").prefetch_related("pauses"))


def get_dossier_for(user, pk: int) -> Dossier:
    try:
        return dossiers_for(user).get(pk=pk)
    except (Dossier.DoesNotExist, ValueError):
        raise Http404("no such dossier") from None


def agencies_with_dossiers(user):
    """The agencies ``user`` sees that have a dossier (the list's filter): one index probe per agency, not a join
    over every dossier."""
    has = Exists(Dossier.objects.filter(agency=OuterRef("pk")))
    return access.scope(user, Agency.objects.filter(has)).order_by("code")


def types():
    return DossierType.objects.select_related("agency")


@dataclass(frozen=True)
class Row:
    dossier: Dossier
    clock: sla.Clock

    @property
    def state(self) -> str:
        return self.clock.state

    @property
    def label(self):
        return STATE_LABELS[self.clock.state]


def evaluate(dossiers, as_of: dt.date, cal=None) -> list[Row]:
    """Each dossier received by ``as_of`` with its clock as of that day."""
    cal = cal or calendar.get_calendar()
    rows = []
    for d in dossiers:
        if d.received_on > as_of:
            continue
        rows.append(Row(d, sla.clock(
            cal, received_on=d.received_on, days=d.days, working=d.working, pauses=d.pause_values(),
            completed_on=d.completed_on, as_of=as_of, due_soon_days=d.type.due_soon_days,
        )))
    return rows


def evaluate_one(dossier: Dossier, as_of: dt.date) -> sla.Clock | None:
    rows = evaluate([dossier], as_of)
    return rows[0].clock if rows else None


# --- states in SQL -------------------------------------------------------------------------------------------


def _sql_q(state: str, as_of: dt.date, by: str = "") -> Q:
    """Dossiers received by ``as_of`` whose stored dates give ``state`` (sla.state_from_dates); ``by``: see
    ``_running``."""
    done = Q(completed_on__lte=as_of)
    settled = Q(clock_settled_on__isnull=True) | Q(clock_settled_on__lte=as_of)

    def running(q: Q) -> Q:
        return _running(as_of, settled & q, by)

    return {  # completed by the day implies received by it (dossier_completed_after_received)
        sla.ON_TIME: done & Q(due_on__isnull=False, completed_on__lte=F("due_on")),
        sla.LATE: done & Q(due_on__isnull=False, completed_on__gt=F("due_on")),
        sla.PAUSED: (done & Q(due_on__isnull=True)) | running(Q(due_on__isnull=True)),
        sla.OVERDUE: running(Q(due_on__lt=as_of)),
        sla.DUE_SOON: running(Q(due_on__gte=as_of, due_soon_from__lte=as_of)),
        sla.OPEN: running(Q(due_on__gte=as_of, due_soon_from__gt=as_of)),
    }[state]


class _NoIndex(Func):
    """A column whose condition must not choose the index (SQLite's unary ``+``, the same value); elsewhere the
    column itself."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"+{sql}", params


def _running(as_of: dt.date, q: Q | None = None, by: str = "") -> Q:
    """Received by ``as_of`` and not completed by it, and ``q``: two branches, each with every condition, so
    that each reads its own index alone (SQLite does not distribute an OR for the planner).

    The second branch (completed after the day) is an interval: received by the day and completed after it.
    PostgreSQL chooses from its statistics between the completion index (``dossier_clock``: few rows as of
    today) and the receipt index (``dossier_received_clock``: few rows as of an early day). SQLite has no
    statistics for ranges: ``by`` ("completion" or "receipt", from ``States``) tells it which one to read.
    """
    received = Q(received_on__lte=as_of) & (q or Q())
    if by == "completion":
        later = Q(completed_on__gt=as_of) & Q(LessThanOrEqual(_NoIndex(F("received_on")), as_of)) & (q or Q())
    elif by == "receipt":
        later = Q(GreaterThan(_NoIndex(F("completed_on")), as_of)) & received
    else:
        later = Q(completed_on__gt=as_of) & received
    return (Q(completed_on__isnull=True) & received) | later


PROBE = 2000  # dossiers completed after the day: at most this many, SQLite reads them by completion date


def _index_for(dossiers: QuerySet, as_of: dt.date) -> str:
    """Which index SQLite reads the dossiers running as of ``as_of`` but completed later with (see
    ``_running``): by completion date when few were completed after the day (always, as of today), else by
    receipt date. One bounded index read; nothing on PostgreSQL."""
    if connections[dossiers.db].vendor != "sqlite":
        return ""
    later = dossiers.filter(completed_on__gt=as_of).order_by().values("pk")[:PROBE].count()
    return "completion" if later < PROBE else "receipt"


class States:
    """The state conditions of ``dossiers`` (a scoped queryset) as of ``as_of``: stored dates in SQL, plus the
    clocks of the few dossiers whose pause events after ``as_of`` move their clock (two queries, whatever
    the number of rows)."""

    def __init__(self, dossiers: QuerySet, as_of: dt.date, cal=None, *, open_only: bool = False):
        """``open_only``: ``dossiers`` are the ones not completed at all (no index to choose for those
        completed later)."""
        self.as_of, self.cal = as_of, cal or calendar.get_calendar()
        self.by = "" if open_only else _index_for(dossiers, as_of)
        # Clock-moving pause events after the day: read by clock_settled_on (dossier_settled_running), whatever
        # the receipt and completion dates.
        later = (Q(LessThanOrEqual(_NoIndex(F("received_on")), as_of))
                 & Q(GreaterThan(_NoIndex(F("completed_on")), as_of)))
        pending = dossiers.filter(Q(clock_settled_on__isnull=False, clock_settled_on__gt=as_of) & (
            Q(completed_on__isnull=True, received_on__lte=as_of) | later))
        self.pending = self._clocks(pending.values_list("pk", "received_on", "days", "working", "completed_on",
                                                        "type__due_soon_days"))
        self._ids: dict[tuple[int, str], list[int]] = {}  # (queryset, state) -> the first ids in list order
        self._asked: dict[tuple[int, str], int] = {}  # ... and how many were asked (fewer found: the state has no more)
        self._wanted: set[int] = set()
        self._rows: dict[int, Row | None] = {}

    def _clocks(self, dossiers) -> dict[int, sla.Clock]:
        """The clocks of dossiers given as values (pk, received_on, days, working, completed_on, due_soon_days):
        no model built, the pauses in one query."""
        dossiers = list(dossiers)
        pauses: dict[int, list[workdays.Pause]] = defaultdict(list)
        if dossiers:
            for pk, paused_on, resumed_on in DossierPause.objects.filter(
                    dossier_id__in=[d[0] for d in dossiers]).values_list("dossier_id", "paused_on", "resumed_on"):
                pauses[pk].append(workdays.Pause(paused_on, resumed_on))
        return {pk: sla.clock(self.cal, received_on=received, days=days, working=working, pauses=pauses[pk],
                              completed_on=completed, as_of=self.as_of, due_soon_days=soon)
                for pk, received, days, working, completed, soon in dossiers}

    def running(self) -> Q:
        """Received by the day and not completed by it."""
        return _running(self.as_of, None, self.by)

    def q(self, state: str) -> Q:
        """The dossiers in ``state`` as of the day."""
        ids = [pk for pk, c in self.pending.items() if c.state == state]
        sql = _sql_q(state, self.as_of, self.by)
        return sql | Q(pk__in=ids) if ids else sql

    def rank(self) -> Case:
        """The position of each dossier's state in ``sla.STATES`` (what needs attention first), for dossiers
        received by the day: the rules of ``sla.state_from_dates`` as one CASE, cheaper than the six conditions."""
        a, index = self.as_of, {s: Value(i) for i, s in enumerate(sla.STATES)}
        by_state: dict = defaultdict(list)
        for pk, c in self.pending.items():
            by_state[c.state].append(pk)
        return Case(
            *(When(pk__in=pks, then=index[s]) for s, pks in by_state.items()),
            When(completed_on__lte=a, then=Case(
                When(due_on__isnull=True, then=index[sla.PAUSED]),
                When(completed_on__lte=F("due_on"), then=index[sla.ON_TIME]),
                default=index[sla.LATE],
            )),
            When(clock_settled_on__gt=a, then=Value(None)),  # asked to sla.clock (in ``pending``)
            When(due_on__isnull=True, then=index[sla.PAUSED]),
            When(due_on__lt=a, then=index[sla.OVERDUE]),
            When(due_soon_from__lte=a, then=index[sla.DUE_SOON]),
            default=index[sla.OPEN],
            output_field=IntegerField(),
        )

    def due(self):
        """The due date as of the day (None while paused)."""
        by_due: dict = defaultdict(list)
        for pk, c in self.pending.items():
            by_due[c.due].append(pk)
        if not by_due:
            return F("due_on")
        return Case(*(When(pk__in=pks, then=Value(d)) for d, pks in by_due.items()), default=F("due_on"))

    def counts(self, dossiers: QuerySet) -> dict[str, int]:
        """Dossiers per state (every state read)."""
        return dict(self.tally(dossiers))

    def tally(self, dossiers: QuerySet) -> Counts:
        """Dossiers per state, the completed ones split only when asked (see ``Counts``)."""
        return Counts(self, dossiers)

    def rows(self, dossiers: QuerySet) -> list[Row]:
        """``dossiers`` (already filtered and sliced by the caller) with their full clocks."""
        return evaluate(dossiers.select_related("type", "agency").prefetch_related("pauses"), self.as_of, self.cal)

    def ordered_ids(self, dossiers: QuerySet, state: str, lo: int, hi: int) -> list[int]:
        """The ids of ``dossiers`` in ``state`` from ``lo`` to ``hi`` in list order (due date, id): an id-only
        query that reads the clock index, not the rows. A slice within one already read for the same queryset
        (the list's first page and a section above it) reads nothing."""
        key = (id(dossiers), state)
        if (have := self._ids.get(key)) is not None and (hi <= len(have) or len(have) < self._asked[key]):
            return have[lo:hi]
        ids = list(dossiers.filter(self.q(state)).annotate(due_as_of=self.due())
                   .order_by(F("due_as_of").asc(nulls_last=True), "pk").values_list("pk", flat=True)[lo:hi])
        if lo == 0:
            self._ids[key], self._asked[key] = ids, hi
        return ids

    def shown(self, ids: list[int]) -> LazyRows:
        """The rows of ``ids`` with their full clocks, read when first shown — together with every other list
        handed out before (one query for the dossiers with their type and agency, one for their pauses)."""
        self._wanted.update(ids)
        return LazyRows(self, ids)

    def _row(self, pk: int) -> Row | None:
        if pk not in self._rows:
            missing = self._wanted - self._rows.keys()
            shown = list(Dossier.objects.filter(pk__in=missing).select_related("type", "agency").only(*SHOWN))
            clocks = self._clocks([(d.pk, d.received_on, d.days, d.working, d.completed_on, d.type.due_soon_days)
                                   for d in shown])
            self._rows.update((d.pk, Row(d, clocks[d.pk])) for d in shown)
            self._rows.update((gone, None) for gone in missing - self._rows.keys())  # deleted meanwhile
        return self._rows[pk]


# What a list row shows (deadlines/_rows.html, the home panel) and its clock reads: the rest of the dossier, its
# type and its agency is not read.
SHOWN = ("reference", "subject", "received_on", "days", "working", "completed_on", "type__name", "type__due_soon_days",
         "agency__code", "agency__name")


class LazyRows(Sequence):
    """Rows handed out by ``States.shown``: a sequence that reads its dossiers on first use."""

    def __init__(self, states: States, ids: list[int]):
        self.states, self.ids = states, ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [row for pk in self.ids[item] if (row := self.states._row(pk)) is not None]
        return self.states._row(self.ids[item])

    def __iter__(self):
        return iter(self[:])


class Counts(Mapping):
    """Dossiers per state as of the day. The running states: one grouped query over the running dossiers. The
    completed ones: one count (an index read) until one of their states is asked — on time, late or completed
    while paused compares two dates on every completed row, most of the list's cost after five years, and the
    list's first pages never reach them."""

    def __init__(self, states: States, dossiers: QuerySet):
        self.dossiers, self.as_of = dossiers, states.as_of
        found = dict(dossiers.filter(states.running()).annotate(rank=states.rank()).order_by().values_list("rank")
                     .annotate(n=Count("*")).values_list("rank", "n"))
        self.running = {s: found.get(i, 0) for i, s in enumerate(sla.STATES)}
        self.done = dossiers.filter(completed_on__lte=self.as_of).order_by().count()
        self._split: dict[str, int] | None = None

    def total(self) -> int:
        return sum(self.running.values()) + self.done

    def __getitem__(self, state: str) -> int:
        if state in (sla.OVERDUE, sla.DUE_SOON, sla.OPEN):
            return self.running[state]
        if self._split is None:
            # Count("completed_on"): a column of the index, so PostgreSQL reads the index only.
            split = self.dossiers.filter(completed_on__lte=self.as_of).order_by().aggregate(
                paused=Count("completed_on", filter=Q(due_on__isnull=True)),
                late=Count("completed_on", filter=Q(completed_on__gt=F("due_on"))),
            )
            self._split = {sla.PAUSED: split["paused"], sla.LATE: split["late"],
                           sla.ON_TIME: self.done - split["paused"] - split["late"]}
        return self.running[state] + self._split[state]

    def __iter__(self):
        return iter(sla.STATES)

    def __len__(self) -> int:
        return len(sla.STATES)


class StateOrdered:
    """``dossiers`` received by the day in the order of the list (state, due date, id) as a sequence the
    paginator slices: each page reads one slice per state it spans, with the state's own condition."""

    def __init__(self, dossiers: QuerySet, states: States, counts: Mapping[str, int], only: str = ""):
        self.dossiers, self.states, self.counts = dossiers, states, counts
        self.order = [only] if only else list(sla.STATES)

    def count(self) -> int:
        if len(self.order) == 1:
            return self.counts[self.order[0]]
        return self.counts.total() if isinstance(self.counts, Counts) else sum(self.counts.values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> LazyRows:
        """The rows from ``start`` to ``stop``: the count of a state is asked only when the slice reaches it."""
        start, stop = item.start or 0, item.stop
        ids, offset = [], 0
        for state in self.order:
            if offset >= stop:
                break
            n = self.counts[state]
            lo, hi = max(start - offset, 0), min(stop - offset, n)
            if lo < hi:
                ids += self.states.ordered_ids(self.dossiers, state, lo, hi)
            offset += n
        return self.states.shown(ids)


@dataclass(frozen=True)
class ComplianceTable:
    months: list[dt.date]  # first day of each month shown
    rows: list[tuple[Agency, list[sla.Rate | None], sla.Rate]]  # agency, per month, whole period


class _Month(ExtractMonth):
    """The month (1–12) of a date column. On SQLite Django extracts it by calling a Python function per row; a
    stored date there is "yyyy-mm-dd" text, so the month is its characters 6–7."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 6, 2) AS integer)", params


def compliance_table(dossiers: QuerySet, as_of: dt.date) -> ComplianceTable:
    """Per agency, per month of the year of ``as_of`` up to its month: completed on time ÷ completed (one query
    grouped by agency and month of completion; a completion's state needs only the stored due date)."""
    months = [dt.date(as_of.year, m, 1) for m in range(1, as_of.month + 1)]
    done = dossiers.filter(completed_on__gte=months[0], completed_on__lte=as_of, due_on__isnull=False).order_by()
    grouped = done.annotate(month=_Month("completed_on")).values("agency_id", "month").annotate(
        completed=Count("completed_on"), on_time=Count("completed_on", filter=Q(completed_on__lte=F("due_on"))))
    per: dict[int, dict[int, sla.Rate]] = defaultdict(dict)
    for g in grouped:
        per[g["agency_id"]][g["month"]] = sla.Rate(g["on_time"], g["completed"])
    agencies = Agency.objects.in_bulk(list(per))
    out = []
    for agency_id, per_month in sorted(per.items(), key=lambda kv: agencies[kv[0]].code):
        cells = [per_month.get(m.month) for m in months]
        year = [c for c in cells if c]
        total = sla.Rate(sum(c.on_time for c in year), sum(c.completed for c in year))
        if total.completed:
            out.append((agencies[agency_id], cells, total))
    return ComplianceTable(months, out)


def week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


@dataclass(frozen=True)
class AgencyCount:
    code: str
    name: str
    overdue: int
    due_this_week: int


@dataclass(frozen=True)
class Attention:
    overdue: int  # dossiers overdue as of the day
    due_this_week: int  # dossiers running and due by the end of its week
    agencies: list[AgencyCount]  # the agencies with the most of them
    more_agencies: int  # agencies with some that are not listed
    rows: list[Row]  # the most urgent few, whatever their agency


def attention(user, today: dt.date, rows: int = 5, agencies: int = 10) -> Attention:
    """Dossiers overdue or due by the end of this week (the home panel): counts per agency in one grouped query,
    the ``agencies`` agencies with the most of them, and the ``rows`` most urgent dossiers (oldest due date
    first) — what the panel shows, whatever the number of dossiers."""
    active = dossiers_for(user).select_related(None).prefetch_related(None).filter(completed_on__isnull=True)
    states = States(active, today, open_only=True)
    overdue = states.q(sla.OVERDUE)
    wanted = overdue | ((states.q(sla.OPEN) | states.q(sla.DUE_SOON)) & Q(due_as_of__lte=week_end(today)))
    due = active.annotate(due_as_of=states.due()).filter(wanted).order_by()
    per = [AgencyCount(g["agency__code"], g["agency__name"], g["overdue"], g["n"] - g["overdue"])
           for g in due.values("agency_id", "agency__code", "agency__name")
           .annotate(n=Count("*"), overdue=Count("pk", filter=overdue))]
    per.sort(key=lambda a: (-a.overdue - a.due_this_week, a.code))
    return Attention(
        overdue=sum(a.overdue for a in per), due_this_week=sum(a.due_this_week for a in per),
        agencies=per[:agencies], more_agencies=max(len(per) - agencies, 0),
        rows=states.rows(due.order_by("due_as_of", "pk")[:rows]) if per else [],
    )
