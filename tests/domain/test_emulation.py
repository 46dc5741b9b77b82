"""Emulation and criticism lists (pure): who is not eligible, who is criticised, agencies on their investors' sum."""

import datetime as dt
from decimal import Decimal

import pytest

from dondoc.domain.emulation import InvestorFigures, judge

M = 1_000_000
DAY = dt.date(2020, 12, 31)


def inv(name, plan, disbursed, agency="STC"):
    return InvestorFigures(name, agency, f"Cơ quan {agency}" if agency else "", plan * M, disbursed * M)


@pytest.mark.parametrize("plan, disbursed, not_eligible, criticised", [
    (100, 100, False, False),  # 100%: eligible
    (100, 120, False, False),
    (100, 99, True, False),
    (100, 60, True, False),  # the cut is "under 60%"
    (100, 59, True, True),
    (100, 0, True, True),  # nothing disbursed
    (0, 0, False, False),  # no plan of the year: not judged
])
def test_an_investor_is_judged_on_its_rate(plan, disbursed, not_eligible, criticised):
    lists = judge([inv("Ban A", plan, disbursed, agency="")], year=2020, as_of=DAY)
    assert ([e.name for e in lists.not_eligible] == ["Ban A"]) is not_eligible
    assert ([e.name for e in lists.criticism] == ["Ban A"]) is criticised


def test_the_rules_cut_threshold_and_its_wording():
    lists = judge([inv("Ban A", 100, 65)], year=2020, as_of=DAY, cut=Decimal("70.5"))
    assert [e.name for e in lists.criticism] == ["Ban A"] and "dưới 70.5%" in lists.criticism[0].rule
    assert "dưới 60%" in judge([inv("Ban A", 100, 0)], year=2020, as_of=DAY).criticism[0].rule


def test_agencies_are_judged_on_their_investors_sum_and_listed_after_investors():
    lists = judge([inv("Ban B", 100, 150), inv("Ban A", 100, 40), inv("Ban C", 100, 100, agency="KBNN")],
                  year=2020, as_of=DAY)
    assert [(e.kind, e.name, e.agency, str(e.rate)) for e in lists.not_eligible] == [
        ("investor", "Ban A", "STC", "40.00"), ("agency", "Cơ quan STC", "STC", "95.00")]


def test_lowest_rate_first_then_vietnamese_name_order():
    lists = judge([inv("Ban Đ", 100, 50, agency=""), inv("Ban D", 100, 50, agency=""),
                   inv("Ban E", 100, 10, agency="")], year=2020, as_of=DAY)
    assert [e.name for e in lists.not_eligible] == ["Ban E", "Ban D", "Ban Đ"]


def test_json_contract():
    d = judge([inv("Ban A", 100, 0, agency="")], year=2020, as_of=DAY).as_dict()
    assert d["as_of"] == "2020-12-31" and d["year"] == 2020
    assert d["criticism"][0] == {"kind": "investor", "name": "Ban A", "agency": None, "plan": str(100 * M),
                                 "disbursed": "0", "rate": "0.00", "rule": d["criticism"][0]["rule"]}
