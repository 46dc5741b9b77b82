"""Permission-scoped reads of dossiers and their clocks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404

from dondoc import access
from dondoc.accounts.models import Agency
from dondoc.core import calendar
from dondoc.domain import sla

from .labels import STATE_LABELS
from .models import Dossier, DossierType


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


@dataclass(frozen=True)
class ComplianceTable:
    months: list[dt.date]  # first day of each month shown
    rows: list[tuple[Agency, list[sla.Rate | None], sla.Rate]]  # agency, per month, whole period


def compliance_table(rows: list[Row], as_of: dt.date) -> ComplianceTable:
    """Per agency, per month of the year of ``as_of`` up to its month: completed on time ÷ completed."""
    months = [dt.date(as_of.year, m, 1) for m in range(1, as_of.month + 1)]
    agencies = {r.dossier.agency_id: r.dossier.agency for r in rows}
    rates = sla.compliance((r.dossier.agency_id, r.clock) for r in rows)
    out = []
    for agency_id, per_month in sorted(rates.items(), key=lambda kv: agencies[kv[0]].code):
        cells = [per_month.get((m.year, m.month)) for m in months]
        year = [c for c in cells if c]
        total = sla.Rate(sum(c.on_time for c in year), sum(c.completed for c in year))
        if total.completed:
            out.append((agencies[agency_id], cells, total))
    return ComplianceTable(months, out)


def week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def attention(user, today: dt.date) -> dict[Agency, list[Row]]:
    """Dossiers overdue or due by the end of this week, by agency (for the home panel)."""
    end = week_end(today)
    active = dossiers_for(user).filter(completed_on__isnull=True)
    groups: dict[Agency, list[Row]] = {}
    for row in evaluate(active, today):
        if row.state == sla.OVERDUE or (row.clock.due and row.clock.due <= end):
            groups.setdefault(row.dossier.agency, []).append(row)
    for rows in groups.values():
        rows.sort(key=lambda r: r.clock.due)
    return dict(sorted(groups.items(), key=lambda kv: kv[0].code))
