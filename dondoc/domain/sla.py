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
