"""The reallocation analysis (pure): forecasts, unused capital per line, receivers and their line, the solver's lines."""

import datetime as dt

import pytest

from dondoc.domain import reallocation_analysis as ra
from dondoc.domain.forecast import Forecast
from dondoc.domain.reallocation import Transfer

M = 1_000_000
Y = 2020
SEP30 = dt.date(2020, 9, 30)


def S(source, origin, amount):
    return ra.LineState(source, "province", origin, amount * M)


def P(code, *lines, paid=0, paid_ext=0, need=0, total=None, allocated=0, schedule=None):
    return ra.ProjectIn(code, tuple(ra.PlanLineIn(s, "province", o, a * M) for s, o, a in lines), paid * M,
                        paid_ext * M, schedule or {}, need * M, None if total is None else total * M, allocated * M)


@pytest.mark.parametrize("monthly, expected", [
    ({}, [0] * 12),
    ({3: 5, 12: 1}, [0, 0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 6]),
    ({1: 1, 2: 1, 13: 9}, [1, 2] + [2] * 10),  # months outside 1..12 are not committed
])
def test_cumulative_schedule(monthly, expected):
    assert list(ra.cumulative(monthly).values()) == expected


@pytest.mark.parametrize("lines, paid, paid_ext, expected", [
    # Current capital only: what is left (1.000 − 500) shared by amounts.
    ([S("NSDP", Y, 600), S("NSTW", Y, 400)], 500, 0, [300 * M, 200 * M]),
    # Extended capital against its own payments: 200 − 50 left.
    ([S("NSDP", 2019, 200), S("NSDP", Y, 600), S("NSTW", Y, 400)], 500, 50, [150 * M, 300 * M, 200 * M]),
    # A kind paid in full (or over) weighs nothing.
    ([S("NSDP", 2019, 200), S("NSDP", Y, 600)], 700, 0, [200 * M, 0]),
    # No plan of a kind: weight 0, no division by zero.
    ([S("NSDP", Y, 0)], 0, 0, [0]),
])
def test_weights_are_what_each_kind_has_left(lines, paid, paid_ext, expected):
    assert ra.weights(lines, Y, paid * M, paid_ext * M) == expected


@pytest.mark.parametrize("unused, expected", [
    (130, [30, 60, 40]),  # 130 × 150/650, 130 × 300/650, 130 × 200/650
    (5000, [200, 600, 400]),  # never more than the line itself
    (0, [0, 0, 0]),
])
def test_unused_capital_is_attributed_by_weight(unused, expected):
    lines = [S("NSDP", 2019, 200), S("NSDP", Y, 600), S("NSTW", Y, 400)]
    ra.attribute(lines, unused * M, Y, 500 * M, 50 * M)
    assert [s.surplus // M for s in lines] == expected


def test_nothing_left_to_disburse_attributes_nothing():
    lines = [S("NSDP", Y, 600)]
    ra.attribute(lines, 100 * M, Y, 600 * M, 0)
    assert lines[0].surplus == 0


@pytest.mark.parametrize("lines, expected", [
    ([S("NSTW", Y, 900), S("NSDP", Y, 100)], ("NSDP", 100)),  # the local budget first, even if smaller
    ([S("NSDP", Y, 100), S("NSDP", Y, 300)], ("NSDP", 300)),  # the largest of them
    ([S("NSTW", Y, 500), S("ODA", Y, 700)], ("ODA", 700)),  # else the largest current-year line
    ([S("NSTW", Y, 500), S("ODA", Y, 500)], ("ODA", 500)),  # tie: the higher source code
    ([S("NSDP", 2019, 500)], None),  # never extended capital
    ([], None),
])
def test_receiving_line(lines, expected):
    got = ra.receiving_line(lines, Y)
    assert (got and (got.source, got.amount // M)) == expected or (expected is None and got is None)


@pytest.mark.parametrize("fc, plan, disbursed, expected", [
    (Forecast(0, 0, "schedule", {"kept_ratio": "0.750"}), 100 * M, 10 * M, 0.75),
    (Forecast(0, 0, "schedule", {}), 100 * M, 10 * M, 1.0),
    (Forecast(0, 0, "pace"), 100 * M, 11 * M, 0.2),  # 11 / (100 × 0.55), rounded to 3 places
    (Forecast(0, 0, "pace"), 100 * M, 90 * M, 1.0),  # ahead of the curve: capped
    (Forecast(0, 0, "none"), 0, 0, 0.0),  # no plan: nothing expected
])
def test_absorption(fc, plan, disbursed, expected):
    assert ra.absorption(fc, plan, disbursed, SEP30) == expected


@pytest.mark.parametrize("project, need, receiving", [
    (P("A", ("NSDP", Y, 1000), paid=900, need=300), 300, ("NSDP", Y)),  # no cap known
    (P("A", ("NSDP", Y, 1000), paid=900, need=300, total=1250, allocated=1000), 250, ("NSDP", Y)),
    (P("A", ("NSDP", Y, 1000), paid=900, need=300, total=900, allocated=1000), 0, ("NSDP", Y)),  # floored at 0
    (P("A", ("NSDP", Y, 2000), paid=1000, need=300), 0, None),  # will leave capital unused: receives nothing
    (P("A", ("NSDP", Y, 1000), paid=900), 0, None),  # declared nothing
])
def test_need_is_capped_and_only_for_projects_using_their_plan(project, need, receiving):
    pf = ra.project_forecast(project, year=Y, as_of=SEP30)
    got = (pf.receiving.source, pf.receiving.origin_year) if pf.receiving else None
    assert (pf.need, got) == (need * M, receiving)


def test_schedule_drives_the_forecast_when_there_is_one():
    pf = ra.project_forecast(P("A", ("NSDP", Y, 1200), paid=450, schedule={m: 100 * M for m in range(1, 13)}),
                             year=Y, as_of=SEP30)
    # Committed 900 by September, kept 450 (ratio 0.5): 450 + 0.5 × (1.200 − 900) = 600.
    assert pf.forecast.method == "schedule" and pf.forecast.year_end == 600 * M and pf.absorption == 0.5
    assert pf.unused == 600 * M and [s.surplus for s in pf.lines] == [600 * M]


def test_hand_computed_analysis():
    """As tests/investment's `small`: B paid 1.000 of 2.000 by 30/09 (pace → 1.505.454.545), A asks 300."""
    projects = [P("A", ("NSDP", Y, 1000), ("NSDP", 2019, 200), paid=700, paid_ext=150, need=300, total=5000,
                  allocated=1000),
                P("B", ("NSDP", Y, 2000), paid=1000),
                P("C", ("NSTW", Y, 500), paid=500)]
    a = ra.analyse(projects, year=Y, as_of=SEP30, labels={"NSDP": "NSĐP"})
    assert a.projects["B"].unused == 494_545_455
    assert [(ln.code, ln.surplus, ln.need) for ln in a.lines] == [("A", 0, 300 * M), ("B", 494_545_455, 0)]
    assert [(t.source_code, t.target_code, t.amount) for t in a.result.transfers] == [("B", "A", 300 * M)]
    assert a.result.unplaced == 194_545_455
    assert a.objective == 1_200 * M + 1_505_454_545 + 500 * M + 300 * M
    d = a.as_dict()
    assert d["transfers"][0]["source"] == "NSĐP" and d["unplaced"] == "194545455"
    assert "không sử dụng hết 494,5" in d["transfers"][0]["why"] and a.line("B", "NSDP", "province", Y).surplus


def test_kept_transfers_replace_the_solvers():
    a = ra.analyse([P("A", ("NSDP", Y, 1000), paid=700, need=300), P("B", ("NSDP", Y, 2000), paid=1000)],
                   year=Y, as_of=SEP30)
    kept = ra.with_transfers(a, [Transfer("B", "A", "NSDP", "province", Y, 100 * M)], dropped=200 * M)
    assert kept.result.unplaced == a.result.unplaced + 200 * M
    assert kept.result.gained == int(100 * M * a.projects["A"].absorption)
    assert kept.objective == a.objective - a.result.gained + kept.result.gained
    assert a.result.transfers[0].amount == 300 * M  # the original analysis is untouched


def test_local_source_is_the_models_nsdp():
    from dondoc.investment.models import Source

    assert ra.LOCAL_SOURCE == Source.NSDP
