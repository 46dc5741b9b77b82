"""SLA clock of a dossier as of a date, and the compliance rate. Pure: the law calendar only (Tết 2020 is
23–29/01/2020)."""

import datetime as dt
from decimal import Decimal

import pytest

from dondoc.domain import sla
from dondoc.domain.workdays import Pause, WorkCalendar

D = dt.date
CAL = WorkCalendar.from_law(range(2019, 2022))
MONDAY = D(2020, 3, 2)  # 5 working days -> 09/03


def clock(as_of, completed_on=None, pauses=(), received_on=MONDAY):
    return sla.clock(CAL, received_on=received_on, days=5, working=True, pauses=pauses, completed_on=completed_on,
                     as_of=as_of)


@pytest.mark.parametrize(("as_of", "completed", "state", "remaining", "late"), [
    (D(2020, 3, 3), None, sla.OPEN, 4, 0),  # 04, 05, 06, 09/03 left
    (D(2020, 3, 5), None, sla.DUE_SOON, 2, 0),
    (D(2020, 3, 9), None, sla.DUE_SOON, 0, 0),  # due today
    (D(2020, 3, 11), None, sla.OVERDUE, -2, 2),
    (D(2020, 3, 31), D(2020, 3, 10), sla.LATE, -1, 1),
    (D(2020, 3, 31), D(2020, 3, 9), sla.ON_TIME, 0, 0),
    (D(2020, 3, 9), D(2020, 3, 10), sla.DUE_SOON, 0, 0),  # completed after as_of: not yet
])
def test_states(as_of, completed, state, remaining, late):
    c = clock(as_of, completed)
    assert (c.state, c.due, c.remaining, c.days_late) == (state, D(2020, 3, 9), remaining, late)
    assert c.completed_on == (completed if completed and completed <= as_of else None)


def test_a_pause_stops_the_clock_and_moves_the_due_date():
    pause = (Pause(D(2020, 1, 24), D(2020, 2, 3)),)  # returned in Tết, supplements back on 03/02
    during = clock(D(2020, 1, 28), pauses=pause, received_on=D(2020, 1, 21))
    assert (during.state, during.deadline, during.remaining) == (sla.PAUSED, None, None)
    after = clock(D(2020, 2, 3), pauses=pause, received_on=D(2020, 1, 21))
    assert (after.due, after.elapsed) == (D(2020, 2, 6), 2)
    assert clock(D(2020, 1, 28), received_on=D(2020, 1, 21)).due == D(2020, 2, 4)  # without the pause


def test_pauses_as_of_ignore_later_events():
    pauses = [Pause(D(2020, 1, 24), D(2020, 2, 3)), Pause(D(2020, 3, 2), None)]
    assert sla.pauses_as_of(pauses, D(2020, 1, 28)) == (Pause(D(2020, 1, 24), None),)
    assert sla.pauses_as_of(pauses, D(2020, 2, 3)) == (Pause(D(2020, 1, 24), D(2020, 2, 3)),)


def test_compliance_counts_completed_dossiers_by_month_of_completion():
    rows = [("STC", clock(D(2020, 3, 31), D(2020, 3, 9))), ("STC", clock(D(2020, 3, 31), D(2020, 3, 10))),
            ("STC", clock(D(2020, 3, 5))), ("KBNN", clock(D(2020, 4, 30), D(2020, 4, 1)))]
    rates = sla.compliance(rows)
    assert rates["STC"] == {(2020, 3): sla.Rate(on_time=1, completed=2)}
    assert rates["STC"][(2020, 3)].percent == Decimal("50.0")
    assert rates["KBNN"][(2020, 4)].percent == Decimal("0.0")
    assert sla.Rate(0, 0).percent is None
