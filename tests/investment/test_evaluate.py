"""`dondoc investment evaluate` on hand-computed figures (see the `paid` fixture)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dondoc.investment import queries
from dondoc.investment.models import PlanLine

from .conftest import MILLION, D

pytestmark = pytest.mark.django_db


def evaluate(*args):
    out = io.StringIO()
    call_command("investment", "evaluate", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_evaluate_json_contract(paid):
    result = evaluate("--as-of", "2020-09-30")
    assert result["as_of"] == "2020-09-30" and result["denominator"] == "tinh"
    assert result["province"] == {"plan": str(3500 * MILLION), "disbursed": str(1900 * MILLION), "rate": "54.29"}
    assert result["extended"] == {"plan": str(200 * MILLION), "disbursed": str(150 * MILLION), "rate": "75.00"}
    assert result["investors"] == [
        {"name": "Ban QLDA Kho bạc", "agency": "KBNN", "plan": str(2000 * MILLION), "disbursed": str(1000 * MILLION),
         "rate": "50.00"},
        {"name": "Ban QLDA Sở Tài chính", "agency": "STC", "plan": str(1500 * MILLION),
         "disbursed": str(900 * MILLION), "rate": "60.00"},
    ]
    got = [(f["rule"], f["subject"], f["code_or_name"], f["rate"], f["target"], f["gap"], f["monthly_pace_needed"])
           for f in result["findings"]]
    assert got == [
        # Under 60% at 30/9: cut. 60% of 2.000 is 1.200; 1.000 disbursed.
        ("cut", "investor", "Ban QLDA Kho bạc", "50.00", "60.00", str(200 * MILLION), str(200 * MILLION)),
        # "above 80%" on 30/9, the day itself: no month left, the whole gap is due now.
        ("milestone", "investor", "Ban QLDA Kho bạc", "50.00", "80.00", str(600 * MILLION + 1), str(600 * MILLION + 1)),
        ("milestone", "investor", "Ban QLDA Sở Tài chính", "60.00", "80.00", str(300 * MILLION + 1),
         str(300 * MILLION + 1)),
        # Extended capital: 100% by 31/8 missed by 50.
        ("milestone", "investor", "Ban QLDA Sở Tài chính", "75.00", "100.00", str(50 * MILLION), str(50 * MILLION)),
        # p2: 300 committed by 30/9, 200 done; 500 for the year → 300 missing over Oct–Dec.
        ("commitment", "project", "7810658", "40.00", "100.00", str(300 * MILLION), str(100 * MILLION)),
    ]
    assert all(f["explanation"] for f in result["findings"])


def test_evaluate_before_the_cut_date_and_on_the_other_denominator(paid):
    result = evaluate("--as-of", "2020-06-30")
    assert result["province"]["disbursed"] == str(1700 * MILLION)
    assert not [f for f in result["findings"] if f["rule"] == "cut"]
    kbnn = next(f for f in result["findings"] if f["code_or_name"] == "Ban QLDA Kho bạc")
    # 1.000 of 2.000 at 30/6: 600 million + 1 đồng to go over July, August, September.
    assert (kbnn["gap"], kbnn["monthly_pace_needed"]) == (str(600 * MILLION + 1), str(200 * MILLION + 1))
    ttg = evaluate("--as-of", "2020-09-30", "--denominator", "ttg")
    assert ttg["denominator"] == "ttg"
    assert ttg["province"] == {"plan": str(600 * MILLION), "disbursed": str(1900 * MILLION), "rate": "316.67"}
    rates = {i["name"]: i["rate"] for i in ttg["investors"]}
    assert rates == {"Ban QLDA Kho bạc": None, "Ban QLDA Sở Tài chính": "150.00"}  # no PM-assigned plan: no rate


def test_a_revision_counts_from_its_effective_date(paid):
    p3 = paid["p3"]
    PlanLine.objects.create(project=p3, source="NSDP", year=2020, origin_year=2020, assigner="tinh", kind="revised",
                            amount=1200 * MILLION, decision="999/QĐ-UBND", effective_on=D(2020, 10, 15))
    assert evaluate("--as-of", "2020-09-30")["province"]["plan"] == str(3500 * MILLION)
    later = evaluate("--as-of", "2020-10-31")
    assert later["province"]["plan"] == str(2700 * MILLION)
    # The cut list is judged on the figures at 30/9, not on the revised plan.
    assert [f["code_or_name"] for f in later["findings"] if f["rule"] == "cut"] == ["Ban QLDA Kho bạc"]


def test_zero_plan_gives_no_rate(register, rules2020):
    result = evaluate("--as-of", "2020-09-30", "--denominator", "ttg")
    assert {i["name"]: i["rate"] for i in result["investors"]}["Ban QLDA Kho bạc"] is None


def test_no_data_and_bad_date(db):
    assert evaluate("--as-of", "2020-09-30")["investors"] == []
    with pytest.raises(CommandError) as exc:
        call_command("investment", "evaluate", "--as-of", "31/31/2020", stdout=io.StringIO(), stderr=io.StringIO())
    assert exc.value.returncode == 2


def test_text_output(paid):
    out = io.StringIO()
    call_command("investment", "evaluate", "--as-of", "2020-09-30", stdout=out)
    assert "54,29%" in out.getvalue() and "[cut] Ban QLDA Kho bạc" in out.getvalue()


def test_officer_sees_only_their_investors(paid, personas):
    ev = queries.evaluate(year=2020, as_of=D(2020, 9, 30), user=personas.officer)
    assert [r.investor.name for r in ev.investors] == ["Ban QLDA Sở Tài chính"] and ev.scoped
    assert ev.province.plan == 1500 * MILLION


def test_rules_from_the_program_are_derived_once_per_program_version(seed, seed_parsed, django_assert_num_queries):
    """A year without stored rules takes them from the current program versions: derived once per process for those
    versions (one query to list them on later calls, no document decoded), and again when a new version is loaded."""
    import copy

    from dondoc.core import clock
    from dondoc.programs import actions as program_actions

    first = queries.rules_from_programs(2020)
    assert first.milestones and first.cut is not None  # the seed program states them
    with django_assert_num_queries(1):
        assert queries.rules_from_programs(2020) == first
    changed = copy.deepcopy(seed_parsed)
    changed["tasks"] = [t for t in changed["tasks"] if "60%" not in t.get("text", "")]
    program_actions.load_program(actor=None, parsed=changed, source_name="v2", at=clock.now())
    assert queries.rules_from_programs(2020).cut is None  # the new version has no cut rule
