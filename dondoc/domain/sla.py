"""SLA states of a dossier as of a date, and the compliance rate. Pure Python (no Django import): the
inputs are values, the calendar is a ``WorkCalendar``.

States: ``open`` (clock running, comfortable), ``due_soon`` (at most ``due_soon_days`` counted days left,
due today included), ``overdue`` (past its due date, not completed), ``paused`` (returned for supplements,
clock stopped), ``on_time`` / ``late`` (completed within / after the limit).

"As of" a past date: events after that date are ignored — a dossier received later does not exist yet, a
pause that started later did not happen, a resume or a completion dated later has not happened yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dondoc.domain.workdays import Deadline, Pause, WorkCalendar

OPEN, DUE_SOON, OVERDUE, PAUSED, ON_TIME, LATE = "open", "due_soon", "overdue", "paused", "on_time", "late"
STATES = (OVERDUE, DUE_SOON, OPEN, PAUSED, ON_TIME, LATE)
ACTIVE = (OVERDUE, DUE_SOON, OPEN, PAUSED)
COMPLETED = (ON_TIME, LATE)


@dataclass(frozen=True)
class Clock:
    """What a dossier's clock says as of ``as_of``."""

    state: str
    deadline: Deadline | None  # None while paused (no due date until resumed)
    elapsed: int  # counted days used so far (until completion when completed)
    remaining: int | None  # counted days left after as_of up to the due date; negative when overdue
    completed_on: date | None

    @property
    def due(self) -> date | None:
        return self.deadline.due if self.deadline else None

    @property
    def days_late(self) -> int:
        return -self.remaining if self.remaining is not None and self.remaining < 0 else 0


def pauses_as_of(pauses: Iterable[Pause], as_of: date) -> tuple[Pause, ...]:
    """The pauses known on ``as_of``: later ones dropped, a resume dated later read as still open."""
    out = []
    for p in pauses:
        if p.paused_on > as_of:
            continue
        out.append(p if p.resumed_on is None or p.resumed_on <= as_of else Pause(p.paused_on, None))
    return tuple(out)


def _count(cal: WorkCalendar, start: date, end: date, working: bool, pauses=()) -> int:
    """Counted days after ``start`` up to ``end``; negative when ``end`` is before ``start``."""
    if end >= start:
        return cal.elapsed(start, end, working, pauses)
    return -cal.elapsed(end, start, working, pauses)


def clock(
    cal: WorkCalendar,
    *,
    received_on: date,
    days: int,
    working: bool,
    pauses: Iterable[Pause] = (),
    completed_on: date | None = None,
    as_of: date,
    due_soon_days: int = 2,
) -> Clock:
    """The state of one dossier as of ``as_of`` (``received_on <= as_of`` is the caller's filter)."""
    done = completed_on if completed_on is not None and completed_on <= as_of else None
    known = pauses_as_of(pauses, done or as_of)
    until = done or as_of
    elapsed = cal.elapsed(received_on, until, working, known)
    deadline = cal.deadline(received_on, days, working, known)
    if deadline is None:  # open pause
        return Clock(PAUSED, None, elapsed, None, None)
    if done is not None:
        state = ON_TIME if done <= deadline.due else LATE
        remaining = -cal.elapsed(deadline.due, done, working) if state == LATE else _count(cal, done, deadline.due, working)
        return Clock(state, deadline, elapsed, remaining, done)
    if as_of > deadline.due:
        return Clock(OVERDUE, deadline, elapsed, -cal.elapsed(deadline.due, as_of, working), None)
    remaining = _count(cal, as_of, deadline.due, working)
    return Clock(DUE_SOON if remaining <= due_soon_days else OPEN, deadline, elapsed, remaining, None)


@dataclass(frozen=True)
class ClockDates:
    """The dates a dossier's state is read from, as of any day (stored on the dossier, compared in SQL):

    - completed by ``as_of``: PAUSED when ``due_on`` is None, else ON_TIME when ``completed_on <= due_on``,
      else LATE (``due_on`` is the due date with the pauses known on completion);
    - else, when ``settled_on`` is None or ``<= as_of``: PAUSED when ``due_on`` is None, OVERDUE when
      ``as_of > due_on``, DUE_SOON when ``as_of >= due_soon_from``, else OPEN;
    - else (a pause or resumption that moves the clock is dated after ``as_of``): ``clock()`` itself.
    """

    due_on: date | None
    due_soon_from: date | None
    settled_on: date | None  # last date of a pause event that moves the due date


def clock_dates(
    cal: WorkCalendar,
    *,
    received_on: date,
    days: int,
    working: bool,
    pauses: Iterable[Pause] = (),
    completed_on: date | None = None,
    due_soon_days: int = 2,
) -> ClockDates:
    """The ``ClockDates`` of one dossier (see there); ``state_from_dates`` reads them back."""
    known = pauses_as_of(pauses, completed_on) if completed_on is not None else tuple(pauses)
    due = cal.due_date(received_on, days, working, known)
    last = cal.period_end(received_on, days, working, known) if due is not None else None
    # Pauses starting after the last counted day never move the due date, whenever they are known.
    moving = [p for p in known if last is None or p.paused_on <= last]
    settled = max((p.resumed_on or p.paused_on for p in moving), default=None)
    soon = None
    if due is not None:
        if working:
            soon, found = due, 0
            while soon > received_on:
                found += cal.is_working_day(soon)
                if found > due_soon_days:
                    break
                soon = date.fromordinal(soon.toordinal() - 1)
        else:
            soon = date.fromordinal(due.toordinal() - due_soon_days)
        soon = max(soon, received_on)  # before receipt no state is asked
    return ClockDates(due, soon, settled)


def state_from_dates(dates: ClockDates, *, completed_on: date | None, as_of: date) -> str | None:
    """The state ``ClockDates`` give as of ``as_of`` (what the SQL condition says); None when ``clock()`` must
    be asked."""
    if completed_on is not None and completed_on <= as_of:
        if dates.due_on is None:
            return PAUSED
        return ON_TIME if completed_on <= dates.due_on else LATE
    if dates.settled_on is not None and dates.settled_on > as_of:
        return None
    if dates.due_on is None:
        return PAUSED
    if as_of > dates.due_on:
        return OVERDUE
    return DUE_SOON if dates.due_soon_from is not None and as_of >= dates.due_soon_from else OPEN


@dataclass(frozen=True)
class Rate:
    on_time: int
    completed: int

    @property
    def percent(self) -> Decimal | None:
        if not self.completed:
            return None
        return (Decimal(100 * self.on_time) / self.completed).quantize(Decimal("0.1"))


def compliance(rows: Iterable[tuple[str, Clock]]) -> dict[str, dict[tuple[int, int], Rate]]:
    """Per key (agency) per (year, month) of completion: completed within the limit ÷ completed."""
    counts: dict[str, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for key, c in rows:
        if c.state in COMPLETED and c.completed_on is not None:
            cell = counts[key][(c.completed_on.year, c.completed_on.month)]
            cell[0] += c.state == ON_TIME
            cell[1] += 1
    return {k: {m: Rate(*v) for m, v in months.items()} for k, months in counts.items()}
