"""Reads of the reporting cycle, scoped by permission and computed as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.http import Http404

from dondoc import access
from dondoc.accounts.models import Agency
from dondoc.core.calendar import get_calendar
from dondoc.domain import reporting_cycle as rc
from dondoc.domain.workdays import WorkCalendar
from dondoc.programs.models import ActionProgram, Assignment
from dondoc.programs.queries import current_versions

from .models import Obligation, Report, ReportState


def obligation_for(program_number: str, every: str = "month") -> Obligation:
    try:
        return Obligation.objects.select_related("program", "to_agency").get(
            program__number=program_number, every=every)
    except Obligation.DoesNotExist:
        raise Http404("no such obligation") from None


def default_obligation() -> Obligation | None:
    return Obligation.objects.select_related("program", "to_agency").order_by("-program__issued_on").first()


def due(obligation: Obligation, period: dt.date, cal: WorkCalendar | None = None):
    """The Deadline (date + rule) of a period, from the working calendar (``cal``: the one a request loaded
    already — pass it when computing several periods, so the calendar is read once)."""
    year, month = rc.due_month(obligation.every, period)
    cal = cal or get_calendar()
    return cal.monthly_due(year, month, obligation.due_day, obligation.reading, obligation.roll)


def due_rule(obligation: Obligation) -> str:
    reading = "trước ngày" if obligation.reading == Obligation.Reading.BEFORE else "chậm nhất ngày"
    roll = {"forward": "chuyển sang ngày làm việc kế tiếp", "backward": "chuyển về ngày làm việc liền trước",
            "none": "không chuyển"}[obligation.roll]
    first = (f"hạn cuối là ngày {obligation.due_day - 1}" if obligation.reading == Obligation.Reading.BEFORE
             else f"hạn cuối là ngày {obligation.due_day}")
    return f"{reading} {obligation.due_day}: {first}; trùng ngày nghỉ thì {roll}"


def reporters(obligation: Obligation, period: dt.date | None = None, *, among=None) -> list[Agency]:
    """The agencies expected to report, in Vietnamese name order (``sort_name``, sorted by the database);
    ``among``: only these (a queryset of agencies, e.g. those a user may see)."""
    if obligation.all_assigned:
        assigned = Assignment.objects.filter(
            agency=OuterRef("pk"), task__version__in=current_versions().filter(program=obligation.program_id))
        agencies = Agency.objects.filter(Exists(assigned))
    else:
        agencies = obligation.reporters.all()
    if period:
        agencies = agencies.filter(pk__in=Agency.objects.active_on(period))
    if among is not None:
        agencies = agencies.filter(pk__in=among.order_by().values("pk"))
    return list(agencies.order_by("sort_name", "code"))


def periods(obligation: Obligation, as_of: dt.date) -> list[dt.date]:
    """Periods from the first one to the one containing ``as_of`` (or the last one)."""
    last = min(as_of, obligation.last_period) if obligation.last_period else as_of
    return rc.periods(obligation.every, obligation.first_period, last)


def locked(report: Report, as_of: dt.date, cal: WorkCalendar | None = None) -> bool:
    """A never-submitted report closes ``lock_after_days`` after its due day; a returned one stays open."""
    if report.state == ReportState.ACCEPTED:
        return True
    if report.state != ReportState.DRAFT:
        return False
    deadline = due(report.obligation, report.period, cal).due
    return as_of > deadline + dt.timedelta(days=report.obligation.lock_after_days)


@dataclass
class Cell:
    period: dt.date
    due: dt.date
    state: str
    report: Report | None


@dataclass
class Row:
    agency: Agency
    cells: list[Cell] = field(default_factory=list)

    @property
    def rates(self) -> rc.Rates:
        return rc.rates(c.state for c in self.cells)


# What the grid reads of a report: never its draft (the whole content of the report).
GRID_FIELDS = ("pk", "obligation_id", "agency_id", "period", "state", "first_submitted_on")


def grid(user, obligation: Obligation, period_list: list[dt.date], as_of: dt.date, *,
         everything: bool = False, cal: WorkCalendar | None = None) -> list[Row]:
    """Agencies × periods: those ``user`` may see, or every agency with ``everything=True`` (the consolidated
    report). Reads only the reports of these periods and agencies, and the calendar once."""
    among = access.scope(user, Agency.objects.all()) if access.partial(user, everything) else None
    agencies = reporters(obligation, among=among)
    reports = {(r.agency_id, r.period): r for r in
               Report.objects.filter(obligation=obligation, period__in=period_list,
                                     agency__in=[a.pk for a in agencies]).only(*GRID_FIELDS).order_by()}
    cal = cal or get_calendar()
    dues = {p: due(obligation, p, cal).due for p in period_list}
    rows = []
    for agency in agencies:
        row = Row(agency)
        for p in period_list:
            report = reports.get((agency.pk, p))
            first = report.first_submitted_on if report else None
            returned = report is not None and report.state == ReportState.RETURNED
            row.cells.append(Cell(p, dues[p], rc.cell_state(dues[p], first, returned, as_of), report))
        rows.append(row)
    return rows


def column_rates(rows: list[Row], index: int) -> rc.Rates:
    return rc.rates(r.cells[index].state for r in rows)


def overall_rates(rows: list[Row]) -> rc.Rates:
    return rc.rates(c.state for r in rows for c in r.cells)


def get_report_for(user, pk: int) -> Report:
    try:
        return access.scope(user, Report.objects.select_related("obligation__program", "agency")).get(pk=pk)
    except Report.DoesNotExist:
        raise Http404("no such report") from None


def my_assignments(obligation: Obligation, agency: Agency, *, only: tuple[str, ...] = ()) -> list[Assignment]:
    """The agency's assignments in the program's current version, in the program's order, with their task
    (``only``: just these fields, e.g. what a page shows — a task row holds six JSON documents)."""
    assignments = Assignment.objects.filter(task__version__in=current_versions().filter(program=obligation.program),
                                            agency=agency).select_related("task").order_by("task__position")
    return list(assignments.only(*only) if only else assignments)


def program_by_number(number: str) -> ActionProgram:
    program = ActionProgram.objects.filter(number=number).order_by("-issued_on").first()
    if program is None:
        raise Http404("no such program")
    return program
