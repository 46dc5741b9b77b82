"""The reporting cycle as pure functions: periods, data windows, cell states, rates, reminder schedule.

A period is identified by its first day. A monthly report for month M is due in month M ("hàng tháng … trước
ngày 25": the report on September is sent before 25/09); quarterly, half-yearly and yearly reports are due in the
last month of their period. The due day itself is read and rolled by the working calendar (workdays.monthly_due).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}

ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
RETURNED = "returned"
PENDING = "pending"  # not due yet and not submitted
CELL_STATES = [ON_TIME, LATE, RETURNED, MISSING, PENDING]


def period_start(every: str, day: dt.date) -> dt.date:
    """The first day of the period that contains ``day``."""
    size = MONTHS[every]
    month = ((day.month - 1) // size) * size + 1
    return dt.date(day.year, month, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def periods(every: str, first: dt.date, last: dt.date) -> list[dt.date]:
    """Period starts from the period containing ``first`` to the one containing ``last``."""
    out, p = [], period_start(every, first)
    while p <= last:
        out.append(p)
        p = add_months(p, MONTHS[every])
    return out


def due_month(every: str, start: dt.date) -> tuple[int, int]:
    """(year, month) in which the period's due day falls: its last month."""
    last = add_months(start, MONTHS[every] - 1)
    return last.year, last.month


def label(every: str, start: dt.date) -> str:
    if every == "month":
        return f"{start.month:02d}/{start.year}"
    if every == "quarter":
        return f"Quý {['I', 'II', 'III', 'IV'][(start.month - 1) // 3]}/{start.year}"
    if every == "half_year":
        return f"6 tháng {'đầu' if start.month == 1 else 'cuối'} năm {start.year}"
    return f"Năm {start.year}"


def data_window(every: str, start: dt.date, cutoff_day: int | None) -> tuple[dt.date, dt.date]:
    """The days the report's figures cover. Decree 09/2019: from the 15th of the month before the period to the
    14th of its last month (``cutoff_day`` = 15); without a cut-off, the calendar period."""
    end_next = add_months(start, MONTHS[every])
    if not cutoff_day:
        return start, end_next - dt.timedelta(days=1)
    first = add_months(start, -1).replace(day=cutoff_day)
    last = add_months(end_next, -1).replace(day=cutoff_day) - dt.timedelta(days=1)
    return first, last


def cell_state(due: dt.date, first_submitted: dt.date | None, returned_open: bool, as_of: dt.date) -> str:
    """The colour of one agency × period cell on ``as_of``. A submission after ``as_of`` has not happened yet."""
    submitted = first_submitted is not None and first_submitted <= as_of
    if submitted and returned_open:
        return RETURNED
    if submitted:
        return ON_TIME if first_submitted <= due else LATE
    return MISSING if as_of > due else PENDING


@dataclass(frozen=True)
class Rates:
    expected: int
    submitted: int
    on_time: int

    @property
    def completeness(self) -> Decimal | None:
        return _pct(self.submitted, self.expected)

    @property
    def timeliness(self) -> Decimal | None:
        return _pct(self.on_time, self.expected)


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rates(cells: Iterable[str]) -> Rates:
    """Completeness = submitted ÷ expected; timeliness = first submission on time ÷ expected. Only periods already
    due count as expected (a PENDING cell is not yet expected)."""
    cells = [c for c in cells if c != PENDING]
    submitted = sum(1 for c in cells if c in (ON_TIME, LATE, RETURNED))
    return Rates(len(cells), submitted, sum(1 for c in cells if c == ON_TIME))


BEFORE = "before"
AFTER = "after"
ESCALATE = "escalate"


@dataclass(frozen=True)
class Reminder:
    kind: str  # before | after | escalate
    offset: int  # working days before (+) or after the due day
    on: dt.date


def reminder_schedule(due: dt.date, calendar, before: Iterable[int] = (5, 2), after: int = 1,
                      escalate: int = 3) -> list[Reminder]:
    """D−5 and D−2 working days before the due day, D+1 after it, escalation to the head at D+3."""
    out = []
    for n in sorted(set(before), reverse=True):
        d = due
        for _ in range(n):
            d -= dt.timedelta(days=1)
            while not calendar.is_working_day(d):
                d -= dt.timedelta(days=1)
        out.append(Reminder(BEFORE, n, d))
    if after:
        out.append(Reminder(AFTER, after, calendar.add_days(due, after, working=True)))
    if escalate:
        out.append(Reminder(ESCALATE, escalate, calendar.add_days(due, escalate, working=True)))
    return out


def reminder_due(schedule: list[Reminder], as_of: dt.date, due: dt.date) -> Reminder | None:
    """The one reminder to send on ``as_of`` for an agency that has not submitted: the latest whose day has come,
    as long as it still makes sense (a "before" reminder only before the due day passes)."""
    reached = [r for r in schedule if r.on <= as_of]
    if not reached:
        return None
    latest = reached[-1]
    if latest.kind == BEFORE and as_of > due:
        return None
    return latest
