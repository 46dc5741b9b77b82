"""Where a petition's answer deadline stands as of a date. Pure Python (no Django import).

- ``overdue``: not answered by ``as_of`` and ``as_of`` is past the due date;
- ``due_soon``: not answered, at most ``due_soon_days`` working days left (due today included);
- ``on_track``: not answered, more time left;
- ``on_time`` / ``late``: answered on or before / after the due date;
- ``answered``: answered without a deadline (escalated to the PPC); ``no_deadline``: not routed yet, or
  waiting for the PPC.

Only dates count, never the stored state: the same function answers "as of 30/09" for a report and "today"
for a screen. Working days come from the calendar passed in (``core.calendar.get_calendar()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dondoc.domain.workdays import WorkCalendar

OVERDUE, DUE_SOON, ON_TRACK, ON_TIME, LATE, ANSWERED, NO_DEADLINE = (
    "overdue", "due_soon", "on_track", "on_time", "late", "answered", "no_deadline")
WAITING = (OVERDUE, DUE_SOON, ON_TRACK)
DONE = (ON_TIME, LATE, ANSWERED)


@dataclass(frozen=True)
class Status:
    state: str
    remaining: int | None = None  # working days after as_of up to the due date (0: due today)
    days_late: int = 0  # working days past the due date (as of, or at the answer)


def status(cal: WorkCalendar, *, due_on: date | None, answered_on: date | None, as_of: date,
           due_soon_days: int = 2) -> Status:
    if answered_on is not None and answered_on <= as_of:
        if due_on is None:
            return Status(ANSWERED)
        if answered_on <= due_on:
            return Status(ON_TIME)
        return Status(LATE, days_late=cal.working_days_between(due_on, answered_on))
    if due_on is None:
        return Status(NO_DEADLINE)
    if as_of > due_on:
        return Status(OVERDUE, remaining=-cal.working_days_between(due_on, as_of),
                      days_late=cal.working_days_between(due_on, as_of))
    remaining = cal.working_days_between(as_of, due_on)
    return Status(DUE_SOON if remaining <= due_soon_days else ON_TRACK, remaining=remaining)
