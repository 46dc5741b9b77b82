"""Answer-deadline status as of a date, around Tết 2021 (10–16/02/2021 off). Pure: the law calendar only."""

import datetime as dt

import pytest

from dondoc.domain import petition_clock as clock
from dondoc.domain.workdays import WorkCalendar

D = dt.date
CAL = WorkCalendar.from_law(range(2020, 2022))


def test_five_working_days_from_03_02_2021_skip_tet():
    # 04, 05, 08, 09 then Tết 10–16/02, then 17/02: a naive 5-day count would end on 08/02... 10/02 (in Tết).
    assert CAL.deadline(D(2021, 2, 3), 5, True).due == D(2021, 2, 17)


@pytest.mark.parametrize(("as_of", "answered", "state", "remaining", "late"), [
    (D(2021, 2, 9), None, clock.DUE_SOON, 1, 0),  # only 17/02 left after 09/02: Tết days do not count
    (D(2021, 2, 5), None, clock.ON_TRACK, 3, 0),  # 08, 09, 17
    (D(2021, 2, 12), None, clock.DUE_SOON, 1, 0),  # inside Tết: still not overdue
    (D(2021, 2, 16), None, clock.DUE_SOON, 1, 0),
    (D(2021, 2, 17), None, clock.DUE_SOON, 0, 0),  # due today
    (D(2021, 2, 18), None, clock.OVERDUE, -1, 1),
    (D(2021, 2, 22), None, clock.OVERDUE, -3, 3),  # 18, 19, 22
    (D(2021, 2, 22), D(2021, 2, 17), clock.ON_TIME, None, 0),
    (D(2021, 2, 22), D(2021, 2, 19), clock.LATE, None, 2),
    (D(2021, 2, 18), D(2021, 2, 19), clock.OVERDUE, -1, 1),  # answered later than as_of: not yet
])
def test_status_around_tet(as_of, answered, state, remaining, late):
    s = clock.status(CAL, due_on=D(2021, 2, 17), answered_on=answered, as_of=as_of, due_soon_days=1)
    assert (s.state, s.remaining, s.days_late) == (state, remaining, late)


def test_without_deadline():
    assert clock.status(CAL, due_on=None, answered_on=None, as_of=D(2021, 3, 1)).state == clock.NO_DEADLINE
    assert clock.status(CAL, due_on=None, answered_on=D(2021, 2, 1), as_of=D(2021, 3, 1)).state == clock.ANSWERED
