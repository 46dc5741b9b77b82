"""The stored dates of a dossier's clock (sla.clock_dates) give the state sla.clock gives, as of any day —
or say that clock() must be asked (a clock-moving pause event dated after that day). Seeded random dossiers
with pauses before and after their due date, completions, both counting rules."""

from __future__ import annotations

import random
from datetime import date as D
from datetime import timedelta

import pytest

from dondoc.domain import sla
from dondoc.domain.workdays import Pause, WorkCalendar

CAL = WorkCalendar.from_law(range(2019, 2023))


def random_dossier(rng: random.Random) -> dict:
    received = D(2019, 3, 1) + timedelta(days=rng.randrange(3 * 365))
    pauses, d = [], received + timedelta(days=rng.randint(0, 12))
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        resumed = None if rng.random() < 0.3 else d + timedelta(days=rng.randint(0, 15))
        pauses.append(Pause(d, resumed))
        if resumed is None:
            break
        d = resumed + timedelta(days=rng.randint(0, 12))
    last_event = max([received, *(p.resumed_on or p.paused_on for p in pauses)])
    completed = None
    if rng.random() < 0.5:
        completed = last_event + timedelta(days=rng.randint(0, 20))
        if pauses and pauses[-1].resumed_on is None:  # completing closes the open pause that day
            pauses[-1] = Pause(pauses[-1].paused_on, completed)
    return {"received_on": received, "days": rng.choice([3, 5, 10, 15, 30]), "working": rng.random() < 0.7,
            "pauses": tuple(pauses), "completed_on": completed, "due_soon_days": rng.choice([0, 1, 2, 3])}


@pytest.mark.parametrize("seed", range(4))
def test_state_from_stored_dates_equals_the_clock(seed):
    rng = random.Random(seed)
    asked_clock = 0
    for _ in range(300):
        dossier = random_dossier(rng)
        dates = sla.clock_dates(CAL, **dossier)
        for shift in range(0, 80, 3):
            as_of = dossier["received_on"] + timedelta(days=shift)
            expected = sla.clock(CAL, **dossier, as_of=as_of).state
            got = sla.state_from_dates(dates, completed_on=dossier["completed_on"], as_of=as_of)
            if got is None:
                asked_clock += 1
            else:
                assert got == expected, (dossier, dates, as_of)
    assert asked_clock < 300 * 27 * 0.15  # the stored dates answer for nearly every (dossier, day)


def test_a_pause_after_the_due_date_never_needs_the_clock():
    # Received 21/09/2020, 5 working days: due 28/09; paused 30/09 (overdue already) — the pause moves nothing.
    cal = WorkCalendar.from_law(range(2020, 2021))
    dates = sla.clock_dates(cal, received_on=D(2020, 9, 21), days=5, working=True,
                            pauses=(Pause(D(2020, 9, 30)),))
    assert dates == sla.ClockDates(D(2020, 9, 28), D(2020, 9, 24), None)
    assert sla.state_from_dates(dates, completed_on=None, as_of=D(2020, 10, 1)) == sla.OVERDUE
    # Paused before the due date: from the pause on, no due date; before it, the clock must be asked.
    dates = sla.clock_dates(cal, received_on=D(2020, 9, 21), days=5, working=True, pauses=(Pause(D(2020, 9, 23)),))
    assert dates == sla.ClockDates(None, None, D(2020, 9, 23))
    assert sla.state_from_dates(dates, completed_on=None, as_of=D(2020, 9, 23)) == sla.PAUSED
    assert sla.state_from_dates(dates, completed_on=None, as_of=D(2020, 9, 22)) is None
