"""The one working calendar of the product: the law (the pinned ``holidays`` package) plus the override
table. Every feature that counts days calls ``get_calendar()`` (task deadlines, report due days, petition
answers, SLA dossiers) — keep this API stable.

It lives in core, with its ``CalendarOverride`` model, because every feature depends on it and core may import
no feature: the model moved here from ``deadlines`` with a state-only migration that keeps its table, which was
simpler and more honest than leaving the model behind and having core read it by a string or a registered hook.
The counting itself is pure (``domain/workdays.py``); this module only adds the database rows and a cache.
``deadlines`` keeps the screens, the ``calendar`` command and the audited actions that edit the overrides.

The law part is built once per process (~0.2 s). The override rows are read on each call (a tiny table, one
query) and the calendar is rebuilt only when they differ from the cached ones, so a change made by another
process (the web server, a command) is seen at once and no cross-process invalidation is needed.
Before ``migrate`` (no table yet) the law alone is used.
"""

from __future__ import annotations

import threading
from datetime import date
from functools import cache

import holidays
from django.db import DatabaseError, connection

from dondoc.domain import workdays
from dondoc.domain.workdays import Deadline, Pause, WorkCalendar

from .models import CalendarOverride

YEARS = workdays.DEFAULT_YEARS
_lock = threading.Lock()
_cached: dict[str, object] = {"key": None, "calendar": None}


@cache
def _law() -> tuple[workdays.Day, ...]:
    return tuple(workdays.law_days(YEARS))


def law_calendar() -> WorkCalendar:
    """The law alone, without overrides."""
    return _build(())


def _build(overrides: tuple[workdays.Day, ...]) -> WorkCalendar:
    return WorkCalendar(_law(), overrides, workdays.CONFIRMED_UNTIL, YEARS)


def _override_days() -> tuple[workdays.Day, ...]:
    try:
        rows = list(CalendarOverride.objects.order_by("date").values_list("date", "name", "kind", "reference"))
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        return ()  # not migrated yet: the law alone
    return tuple(workdays.Day(*row) for row in rows)


def get_calendar() -> WorkCalendar:
    """Law + the overrides in the database now."""
    key = _override_days()
    with _lock:
        if _cached["key"] != key:
            _cached["calendar"], _cached["key"] = _build(key), key
        return _cached["calendar"]  # type: ignore[return-value]


def invalidate() -> None:
    """Drop the cached calendar (actions call it after an override change; get_calendar() would notice anyway)."""
    with _lock:
        _cached["key"] = _cached["calendar"] = None


def source() -> dict:
    """Where the calendar comes from, for screens and the reference loader."""
    return {
        "package": "holidays",
        "version": holidays.__version__,
        "confirmed_until": workdays.CONFIRMED_UNTIL,
        "years": (YEARS.start, YEARS.stop - 1),
        "overrides": CalendarOverride.objects.count(),
    }


# --- helpers returning a date with the rule that produced it -------------------------------------------


def add_days(start: date, n: int, working: bool = False) -> date:
    return get_calendar().add_days(start, n, working)


def deadline(start: date, n: int, working: bool, pauses: tuple[Pause, ...] = ()) -> Deadline | None:
    """``n`` (working) days after the event on ``start``; ``.explanation`` reads
    "hạn: 03/02/2020 — 05 ngày làm việc kể từ 20/01/2020". None while a pause is open."""
    return get_calendar().deadline(start, n, working, pauses)


def monthly_due(year: int, month: int, day: int = 25, reading: str = "before", roll: str = "forward") -> Deadline:
    """A fixed due day; the default reads "trước ngày 25" as the 24th rolled forward to a working day:
    ``monthly_due(2020, 9).explanation == "hạn: 24/09/2020 — trước ngày 25"``."""
    return get_calendar().monthly_due(year, month, day, reading, roll)


def explain(d: Deadline | None) -> str:
    return d.explanation if d else ""
