"""queries.plan_in_force: the one answer to "the plan of a date" (evaluation, reallocation, its revisions)."""

from __future__ import annotations

import pytest

from dondoc.investment import queries
from dondoc.investment.models import Assigner, PlanLine, Source

from .conftest import MILLION, D

pytestmark = pytest.mark.django_db


def revise(project, amount, on, *, origin=2020, year=2020, source=Source.NSDP, assigner=Assigner.TINH):
    return PlanLine.objects.create(project=project, source=source, year=year, origin_year=origin, assigner=assigner,
                                   kind=PlanLine.Kind.REVISED, amount=amount * MILLION, effective_on=on)


def in_force(project, on, year=2020, assigner=Assigner.TINH):
    return {k[1:]: v.amount // MILLION for k, v in queries.plan_in_force(year, on, assigner).items()
            if k[0] == project.pk}


def test_latest_line_effective_by_the_date(register):
    p1 = register["p1"]
    revise(p1, 900, D(2020, 6, 1))
    revise(p1, 800, D(2020, 9, 1))
    revise(p1, 700, D(2020, 9, 1))  # same day: the later line
    for day, amount in ((D(2020, 1, 1), 1000), (D(2020, 5, 31), 1000), (D(2020, 6, 1), 900), (D(2020, 8, 31), 900),
                        (D(2020, 9, 1), 700), (D(2021, 1, 1), 700)):
        assert in_force(p1, day) == {("NSDP", 2020, 2020): amount, ("NSDP", 2020, 2019): 200}, day
    assert in_force(p1, D(2020, 9, 1), assigner=Assigner.TTG) == {("NSTW", 2020, 2020): 600}


def test_every_plan_year_and_the_amounts_helper(register):
    p1, p3 = register["p1"], register["p3"]
    revise(p1, 400, D(2021, 1, 15), year=2021, origin=2021)
    everything = queries.plan_in_force(None, D(2021, 2, 1), Assigner.TINH)
    assert everything[(p1.pk, "NSDP", 2021, 2021)].amount == 400 * MILLION
    assert everything[(p1.pk, "NSDP", 2020, 2020)].amount == 1000 * MILLION
    assert queries.allocated_new_capital(D(2021, 2, 1))[p1.pk] == 1400 * MILLION  # extended capital is not new
    assert queries.allocated_new_capital(D(2020, 12, 31))[p1.pk] == 1000 * MILLION
    plans = queries.plan_amounts(2020, D(2020, 12, 31), Assigner.TINH, projects=[p3])
    assert dict(plans) == {(p3.pk, False): 2000 * MILLION}


def test_several_dates_and_both_assigners_from_one_read(register, django_assert_num_queries):
    """What evaluate() uses: the plan of the day and of the cut date, of both assigners, in one query — the same
    figures as asking for each date and assigner alone."""
    p1 = register["p1"]
    revise(p1, 900, D(2020, 6, 1))
    revise(p1, 700, D(2020, 9, 1))
    revise(p1, 650, D(2020, 9, 1), assigner=Assigner.TTG, source=Source.NSTW)
    days = [D(2020, 10, 5), D(2020, 5, 31), D(2020, 9, 1), D(2020, 6, 1)]
    with django_assert_num_queries(1):
        together = queries.plan_amounts_on(2020, days, [Assigner.TINH, Assigner.TTG])
    for day in days:
        for assigner in (Assigner.TINH, Assigner.TTG):
            assert dict(together[(assigner, day)]) == dict(queries.plan_amounts(2020, day, assigner)), (day, assigner)
    assert together[(Assigner.TINH, D(2020, 5, 31))][(p1.pk, False)] == 1000 * MILLION
    assert together[(Assigner.TINH, D(2020, 10, 5))][(p1.pk, False)] == 700 * MILLION
    assert together[(Assigner.TTG, D(2020, 10, 5))][(p1.pk, False)] == 650 * MILLION
