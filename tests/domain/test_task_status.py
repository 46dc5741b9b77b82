import datetime as dt

import pytest

from dondoc.domain.task_status import DONE_LATE, DONE_ON_TIME, OPEN, OVERDUE, REGULAR, bucket, rollup

D = dt.date
SEPT30 = D(2020, 9, 29)  # "trước ngày 30/9/2020" read as the 29th


@pytest.mark.parametrize(
    ("deadline", "completed", "as_of", "expected"),
    [
        (SEPT30, None, D(2020, 9, 1), OPEN),
        (SEPT30, None, D(2020, 9, 29), OPEN),  # the deadline day itself is still in time
        (SEPT30, None, D(2020, 9, 30), OVERDUE),
        (SEPT30, D(2020, 9, 29), D(2020, 10, 5), DONE_ON_TIME),
        (SEPT30, D(2020, 9, 30), D(2020, 10, 5), DONE_LATE),
        (SEPT30, D(2020, 10, 10), D(2020, 10, 5), OVERDUE),  # completed later than the as-of date: not yet done
        (None, None, D(2020, 10, 5), REGULAR),
        (None, D(2020, 8, 1), D(2020, 10, 5), DONE_ON_TIME),
    ],
)
def test_bucket(deadline, completed, as_of, expected):
    assert bucket(deadline, completed, as_of) == expected


@pytest.mark.parametrize(
    ("leads", "expected"),
    [
        ([DONE_ON_TIME, DONE_ON_TIME], DONE_ON_TIME),
        ([DONE_ON_TIME, DONE_LATE], DONE_LATE),
        ([DONE_ON_TIME, OPEN], OPEN),
        ([OPEN, OVERDUE, DONE_LATE], OVERDUE),
        ([REGULAR, DONE_ON_TIME], REGULAR),
    ],
)
def test_rollup_from_lead_assignments(leads, expected):
    assert rollup(leads, deadline=SEPT30, as_of=D(2020, 10, 5)) == expected


def test_a_task_without_lead_agencies_uses_its_own_deadline():
    assert rollup([], deadline=SEPT30, as_of=D(2020, 10, 5)) == OVERDUE
    assert rollup([], deadline=None, as_of=D(2020, 10, 5)) == REGULAR
