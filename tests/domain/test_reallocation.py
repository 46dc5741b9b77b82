import datetime as dt
import time
from decimal import Decimal

from dondoc.domain.forecast import forecast
from dondoc.domain.reallocation import Line, propose

M = 1_000_000  # one million đồng


def L(code, surplus=0, need=0, source="NSĐP", level="tỉnh", year=2020, absorption=1.0):
    return Line(code, source, level, year, surplus * M, need * M, absorption)


def moves(p):
    return [(t.source_code, t.target_code, t.amount // M) for t in p.transfers]


def test_one_donor_split_between_two_receivers():
    p = propose([L("7000001", surplus=500), L("7000002", need=300), L("7000003", need=300)])
    assert moves(p) == [("7000001", "7000002", 300), ("7000001", "7000003", 200)]  # lower code served first
    assert p.unplaced == 0 and p.gained == 500 * M


def test_the_source_constraint_blocks_the_obvious_transfer():
    p = propose([L("A", surplus=400), L("B", need=400, source="NSTW"), L("C", need=100)])
    assert moves(p) == [("A", "C", 100)]  # B needs exactly A's surplus, but from another source
    assert p.unplaced == 300 * M


def test_extended_capital_stays_extended():
    p = propose([L("A", surplus=200, year=2019), L("B", need=200, year=2020)])
    assert p.transfers == [] and p.unplaced == 200 * M


def test_nothing_to_move():
    p = propose([L("A", need=100), L("B", need=50)])
    assert p.transfers == [] and p.unplaced == 0 and p.gained == 0


def test_capital_goes_where_it_will_be_disbursed():
    p = propose([L("A", surplus=100), L("B", need=100, absorption=0.5), L("C", need=100, absorption=1.0)])
    assert moves(p) == [("A", "C", 100)]


def test_fewest_transfers():
    # North-west corner would make three transfers (A→C 200, A→D 100, B→D 200); two suffice.
    p = propose([L("A", surplus=300), L("B", surplus=200), L("C", need=200), L("D", need=300)])
    assert sorted(moves(p)) == [("A", "D", 300), ("B", "C", 200)]


def test_whole_millions_only():
    p = Line("A", "NSĐP", "tỉnh", 2020, surplus=1_500_000)
    result = propose([p, Line("B", "NSĐP", "tỉnh", 2020, need=5 * M)])
    assert moves(result) == [("A", "B", 1)] and result.unplaced == 500_000


def test_every_constraint_holds_on_a_large_random_province():
    import random

    rng = random.Random(7)
    lines = []
    for k in range(3000):
        source = rng.choice(["NSTW", "NSĐP", "ODA"])
        year = rng.choice([2019, 2020, 2020, 2020])
        if rng.random() < 0.4:
            lines.append(L(f"{7000000 + k}", surplus=rng.randint(1, 5000), source=source, year=year))
        else:
            lines.append(L(f"{7000000 + k}", need=rng.randint(0, 3000), source=source, year=year,
                           absorption=rng.choice([0.6, 0.8, 1.0])))
    start = time.perf_counter()
    p = propose(lines)
    elapsed = time.perf_counter() - start
    by_code = {ln.code: ln for ln in lines}
    given, taken = {}, {}
    for t in p.transfers:
        d, r = by_code[t.source_code], by_code[t.target_code]
        assert d.group == r.group == (t.source, t.budget_level, t.year)
        given[d.code] = given.get(d.code, 0) + t.amount
        taken[r.code] = taken.get(r.code, 0) + t.amount
        assert t.amount % M == 0 and t.amount > 0
    assert all(given[c] <= by_code[c].surplus for c in given)
    assert all(taken[c] <= by_code[c].need for c in taken)
    assert not set(given) & set(taken)
    assert elapsed < 60  # the benchmark script measures the real figure; this only guards against a hang


def test_forecast_from_the_committed_schedule():
    f = forecast(plan=1000 * M, disbursed=300 * M, as_of=dt.date(2020, 9, 30),
                 schedule={6: 200 * M, 9: 400 * M, 12: 1000 * M})
    # Kept 300 of the 400 committed (75%): the remaining 600 committed are expected at 75% → 450.
    assert f.method == "schedule" and f.year_end == 750 * M and f.unused(1000 * M) == 250 * M
    assert f.inputs["kept_ratio"] == "0.750"


def test_forecast_from_pace_and_the_seasonal_curve():
    f = forecast(plan=1000 * M, disbursed=470 * M, as_of=dt.date(2020, 8, 31))
    # On the national curve 47% at 31/08 becomes 82.8% at 31/12: 470 × 0.828 / 0.47 = 828.
    assert f.method == "pace" and f.year_end == 828 * M
    assert f.legal_end == 961_300_000  # 96.13% by 31/01
    capped = forecast(plan=500 * M, disbursed=470 * M, as_of=dt.date(2020, 8, 31))
    assert capped.year_end == 500 * M
    assert Decimal(f.inputs["share_now"]) == Decimal("0.47")


def test_forecast_on_a_zero_plan_or_nothing_paid():
    assert forecast(plan=0, disbursed=0, as_of=dt.date(2020, 9, 30)).method == "none"
    assert forecast(plan=100 * M, disbursed=0, as_of=dt.date(2020, 9, 30)).year_end == 0
