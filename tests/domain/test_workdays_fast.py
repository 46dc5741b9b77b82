"""The cumulative-index counting of WorkCalendar gives exactly what walking day by day gives: the same
counts, the same due dates, the same errors at the calendar's edges — over random ranges, pauses and
overrides (seeded, so a failure is reproducible)."""

from __future__ import annotations

import random
from datetime import date as D
from datetime import timedelta

import pytest

from dondoc.domain.workdays import (
    OVERRIDE_OFF,
    OVERRIDE_WORKDAY,
    CalendarRangeError,
    Day,
    Pause,
    WorkCalendar,
)

ONE = timedelta(days=1)
LAW = WorkCalendar.from_law(range(2019, 2023))


# --- the definitions, walking day by day (the code before the index) --------------------------------------


def walk_elapsed(cal, start, as_of, working=True, pauses=()):
    count, d = 0, start + ONE
    while d <= as_of:
        if not any(p.covers(d) for p in pauses) and (not working or cal.is_working_day(d)):
            count += 1
        d += ONE
    return count


def walk_due(cal, start, n, working, pauses=()):
    open_from = min((p.paused_on for p in pauses if p.resumed_on is None), default=None)
    d, count = start, 0
    while count < n:
        d += ONE
        if open_from is not None and d >= open_from:
            return None
        if not any(p.covers(d) for p in pauses) and (not working or cal.is_working_day(d)):
            count += 1
    return cal.next_working_day(d)


def walk_between(cal, start, end):
    return walk_elapsed(cal, start, end) if end >= start else -walk_elapsed(cal, end, start)


def outcome(fn, *args):
    try:
        return fn(*args)
    except CalendarRangeError as exc:
        return ("error", str(exc))


def random_calendar(rng: random.Random) -> WorkCalendar:
    cal = LAW
    for _ in range(rng.randint(0, 8)):
        day = D(2019, 1, 1) + timedelta(days=rng.randrange(4 * 365))
        kind = OVERRIDE_WORKDAY if day.weekday() >= 5 or rng.random() < 0.3 else OVERRIDE_OFF
        cal = cal.with_override(Day(day, "quyết định", kind, "QĐ 1/UBND"))
    return cal


def random_pauses(rng: random.Random, start: D) -> tuple[Pause, ...]:
    pauses, d = [], start + timedelta(days=rng.randint(-5, 10))
    for _ in range(rng.randint(0, 3)):
        resumed = None if rng.random() < 0.2 else d + timedelta(days=rng.randint(0, 20))
        pauses.append(Pause(d, resumed))
        if resumed is None:
            break
        d = resumed + timedelta(days=rng.randint(-3, 25))  # overlaps and same-day resumes too
    rng.shuffle(pauses)
    return tuple(pauses)


@pytest.mark.parametrize("seed", range(5))
def test_counts_and_due_dates_equal_the_day_walk(seed):
    rng = random.Random(seed)
    for _ in range(30):
        cal = random_calendar(rng)
        for _ in range(25):
            # Near the calendar's edges too (2018 and 2023 are outside it).
            start = D(2018, 12, 1) + timedelta(days=rng.randrange(4 * 365 + 60))
            end = start + timedelta(days=rng.randint(-30, 400))
            working = rng.random() < 0.7
            pauses = random_pauses(rng, start)
            n = rng.randint(0, 60)
            assert outcome(cal.elapsed, start, end, working, pauses) == outcome(
                walk_elapsed, cal, start, end, working, pauses
            ), (start, end, working, pauses)
            assert outcome(cal.due_date, start, n, working, pauses) == outcome(
                walk_due, cal, start, n, working, pauses
            ), (start, n, working, pauses)
            assert outcome(cal.working_days_between, start, end) == outcome(walk_between, cal, start, end)


def test_edges_of_the_calendar():
    # The last counted day is the calendar's last day; one more raises as walking did.
    assert LAW.elapsed(D(2022, 12, 1), D(2022, 12, 31)) == walk_elapsed(LAW, D(2022, 12, 1), D(2022, 12, 31))
    with pytest.raises(CalendarRangeError, match="2023-01-01"):
        LAW.elapsed(D(2022, 12, 1), D(2023, 1, 3))
    with pytest.raises(CalendarRangeError, match="2018-12-31"):
        LAW.due_date(D(2018, 12, 30), 3, True)
    # Calendar days are not checked against the years, except the roll of the last day.
    assert LAW.elapsed(D(2018, 12, 1), D(2019, 1, 10), working=False) == 40
    # A pause covering the out-of-range days keeps them from being looked at.
    pause = [Pause(D(2018, 12, 21), D(2019, 1, 1))]
    assert LAW.elapsed(D(2018, 12, 20), D(2019, 1, 10), pauses=pause) == 8  # Saturday 05/01/2019 worked
    assert walk_elapsed(LAW, D(2018, 12, 20), D(2019, 1, 10), pauses=pause) == 8
