import datetime as dt

from dondoc.domain.task_deadlines import SAME_DAY, task_deadline
from dondoc.domain.workdays import WorkCalendar

CAL = WorkCalendar.from_law(years=range(2019, 2022))


def test_by_end_of_month_allows_the_day_itself_but_rolls_off_a_weekend():
    # 31/10/2020 is a Saturday: the period ends on Monday 02/11.
    due = [{"date": "2020-10-31", "rule": "by", "literal": "đến hết tháng 10/2020"}]
    eff = task_deadline(due, [], CAL)
    assert eff.date == dt.date(2020, 11, 2)
    assert eff.explanation == "hạn: 02/11/2020 — đến hết tháng 10/2020"


def test_before_is_the_day_before_by_default_and_configurable():
    due = [{"date": "2020-09-30", "rule": "before", "literal": "trước ngày 30/9/2020"}]
    assert task_deadline(due, [], CAL).date == dt.date(2020, 9, 29)
    assert task_deadline(due, [], CAL, reading=SAME_DAY).date == dt.date(2020, 9, 30)


def test_the_latest_of_deadlines_and_targets_is_the_task_deadline():
    due = [{"date": "2020-08-31", "rule": "by", "literal": "đến hết tháng 8/2020"}]
    targets = [
        {"percent": 80, "op": ">", "by": "2020-09-30", "literal": "trên 80% trước ngày 30/9/2020"},
        {"percent": 100, "op": "=", "by": "2020-12-31", "literal": "100% trước ngày 31/12/2020"},
    ]
    assert task_deadline(due, targets, CAL).date == dt.date(2020, 12, 30)


def test_no_dates_no_deadline():
    assert task_deadline([], [{"percent": 60, "op": "<", "by": None}], CAL) is None
