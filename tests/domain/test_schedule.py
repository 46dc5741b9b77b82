"""When a sweeper is due, owed at start, or overdue: pure functions of the schedule and real time (local zone)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dondoc.domain.schedule import Daily, Every, last_due, missed, next_due, overdue

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hh, mm, ss=0):
    return dt.datetime(2026, 3, day, hh, mm, ss, tzinfo=VN)


@pytest.mark.parametrize(("spec", "now", "last", "nxt"), [
    (Daily(6), at(10, 5, 59), at(9, 6, 0), at(10, 6, 0)),  # before 06:00: yesterday's is the latest
    (Daily(6), at(10, 6, 0), at(10, 6, 0), at(11, 6, 0)),  # exactly at 06:00: today's is due now
    (Daily(6, 30), at(10, 23, 0), at(10, 6, 30), at(11, 6, 30)),
    (Daily(2), at(1, 1, 0), dt.datetime(2026, 2, 28, 2, 0, tzinfo=VN), at(1, 2, 0)),  # across a month
    (Every(1), at(10, 6, 0, 59), at(10, 6, 0), at(10, 6, 1)),
    (Every(15), at(10, 6, 29), at(10, 6, 15), at(10, 6, 30)),  # aligned on :00, :15, :30, :45
])
def test_latest_and_next_scheduled_instants(spec, now, last, nxt):
    assert last_due(spec, now) == last
    assert next_due(spec, now) == nxt


def test_a_run_is_owed_when_none_succeeded_since_the_latest_instant():
    daily = Daily(6)
    now = at(10, 9, 0)
    assert missed(daily, None, now)  # never ran
    assert missed(daily, at(9, 6, 0), now)  # machine off this morning
    assert not missed(daily, at(10, 6, 0, 5), now)
    assert not missed(daily, at(9, 6, 0), at(10, 5, 0))  # not yet due today


def test_overdue_only_after_the_grace_period():
    grace = dt.timedelta(minutes=10)
    assert not overdue(Daily(6), at(9, 6, 0), at(10, 6, 9), grace)  # today's run may still be starting
    assert overdue(Daily(6), at(9, 6, 0), at(10, 6, 11), grace)
    assert not overdue(Daily(6), at(10, 6, 0, 2), at(10, 23, 0), grace)
    assert overdue(Every(1), at(10, 6, 0), at(10, 6, 12), grace)  # the every-minute sweeper stopped
    assert not overdue(Every(1), at(10, 6, 5), at(10, 6, 12), grace)
    assert overdue(Every(1), None, at(10, 6, 12), grace)  # never ran


def test_bad_schedules_and_naive_times_are_refused():
    with pytest.raises(ValueError):
        Daily(24)
    with pytest.raises(ValueError):
        Every(0)
    with pytest.raises(ValueError):
        last_due(Daily(6), dt.datetime(2026, 3, 10, 6, 0))
