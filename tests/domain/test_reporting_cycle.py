import datetime as dt
from decimal import Decimal

import pytest

from dondoc.domain import reporting_cycle as rc
from dondoc.domain.workdays import WorkCalendar

D = dt.date
CAL = WorkCalendar.from_law(years=range(2019, 2022))


@pytest.mark.parametrize(
    ("every", "day", "start", "label"),
    [("month", D(2020, 9, 17), D(2020, 9, 1), "09/2020"), ("quarter", D(2020, 8, 31), D(2020, 7, 1), "Quý III/2020"),
     ("half_year", D(2020, 12, 1), D(2020, 7, 1), "6 tháng cuối năm 2020"), ("year", D(2020, 3, 3), D(2020, 1, 1), "Năm 2020")],
)
def test_periods_and_labels(every, day, start, label):
    assert rc.period_start(every, day) == start
    assert rc.label(every, start) == label


def test_period_range_and_due_month():
    assert rc.periods("month", D(2020, 7, 15), D(2020, 10, 5)) == [D(2020, 7, 1), D(2020, 8, 1), D(2020, 9, 1),
                                                                    D(2020, 10, 1)]
    assert rc.due_month("quarter", D(2020, 7, 1)) == (2020, 9)
    assert rc.due_month("month", D(2020, 12, 1)) == (2020, 12)


def test_decree_09_data_window():
    assert rc.data_window("month", D(2020, 9, 1), 15) == (D(2020, 8, 15), D(2020, 9, 14))
    assert rc.data_window("month", D(2020, 1, 1), 15) == (D(2019, 12, 15), D(2020, 1, 14))
    assert rc.data_window("quarter", D(2020, 7, 1), 15) == (D(2020, 6, 15), D(2020, 9, 14))
    assert rc.data_window("month", D(2020, 9, 1), None) == (D(2020, 9, 1), D(2020, 9, 30))


DUE = D(2020, 9, 24)


@pytest.mark.parametrize(
    ("first", "returned", "as_of", "state"),
    [(D(2020, 9, 24), False, D(2020, 10, 5), rc.ON_TIME), (D(2020, 9, 25), False, D(2020, 10, 5), rc.LATE),
     (None, False, D(2020, 9, 20), rc.PENDING), (None, False, D(2020, 9, 25), rc.MISSING),
     (D(2020, 9, 20), True, D(2020, 10, 5), rc.RETURNED), (D(2020, 10, 9), False, D(2020, 10, 5), rc.MISSING)],
)
def test_cell_state(first, returned, as_of, state):
    assert rc.cell_state(DUE, first, returned, as_of) == state


def test_rates_by_hand():
    # 10 agencies: 6 on time, 2 late, 1 returned (submitted on time first), 1 missing; plus 3 not yet due.
    cells = [rc.ON_TIME] * 6 + [rc.LATE] * 2 + [rc.RETURNED, rc.MISSING] + [rc.PENDING] * 3
    r = rc.rates(cells)
    assert (r.expected, r.submitted, r.on_time) == (10, 9, 6)
    assert r.completeness == Decimal("90.0") and r.timeliness == Decimal("60.0")
    assert rc.rates([rc.PENDING]).completeness is None


def test_reminders_in_an_ordinary_month():
    due = CAL.monthly_due(2020, 9).due  # 24/09/2020, a Thursday
    schedule = rc.reminder_schedule(due, CAL)
    assert [(r.kind, r.on) for r in schedule] == [
        ("before", D(2020, 9, 17)), ("before", D(2020, 9, 22)), ("after", D(2020, 9, 25)), ("escalate", D(2020, 9, 29))]


def test_reminders_roll_over_tet():
    # "Before the 25th" of 01/2020: the 24th is inside Tết (23–29/01), so the due day rolls to Thursday 30/01.
    due = CAL.monthly_due(2020, 1).due
    assert due == D(2020, 1, 30)
    schedule = rc.reminder_schedule(due, CAL)
    # Counted back over Tết: 22, 21, 20, 17, 16 January.
    assert [r.on for r in schedule] == [D(2020, 1, 16), D(2020, 1, 21), D(2020, 1, 31), D(2020, 2, 4)]


def test_only_the_latest_reminder_is_sent():
    due = D(2020, 9, 24)
    schedule = rc.reminder_schedule(due, CAL)
    assert rc.reminder_due(schedule, D(2020, 9, 16), due) is None
    assert rc.reminder_due(schedule, D(2020, 9, 18), due).offset == 5
    assert rc.reminder_due(schedule, D(2020, 9, 23), due).offset == 2
    assert rc.reminder_due(schedule, D(2020, 9, 25), due).kind == "after"
    assert rc.reminder_due(schedule, D(2020, 10, 5), due).kind == "escalate"
