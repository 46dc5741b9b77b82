"""Emulation and criticism lists (issue 7, seed 2.1.a and 2.1.f). Pure Python; amounts in integer đồng.

As of a date (the year end by default), investors and their agencies below 100% of the year's plan (extended capital
excluded) are not eligible for "hoàn thành tốt nhiệm vụ"; investors that did not disburse their capital — under the
cut threshold (60% unless the rules say otherwise) or nothing at all — are criticised. Each entry carries its
evidence: plan, disbursed, rate, the date and the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from . import disbursement as rules_mod
from .formats import format_date
from .text import sort_key

FULL = Decimal(100)
DEFAULT_CUT = Decimal(60)
RULE_ELIGIBLE = ("Không xem xét đánh giá “hoàn thành tốt nhiệm vụ” đối với chủ đầu tư, cơ quan, đơn vị giải ngân "
                 "dưới 100% kế hoạch vốn được giao (Chương trình hành động, mục 2.1.a, 2.1.f)")
RULE_CRITICISM = ("Phê bình chủ đầu tư không giải ngân được vốn được giao (giải ngân dưới {cut}% kế hoạch vốn, "
                  "Chương trình hành động mục 2.1.a)")


@dataclass(frozen=True)
class InvestorFigures:
    """An investor's figures on the year's own plan, with the agency it rolls up to ("" when not linked)."""

    name: str
    agency: str
    agency_name: str
    plan: int
    disbursed: int


@dataclass
class Entry:
    kind: str  # "investor" | "agency"
    name: str
    agency: str  # agency code ("" when not linked)
    plan: int
    disbursed: int
    rate: Decimal | None
    rule: str

    def row(self, as_of: dt.date) -> list:
        return [self.name, self.agency, self.plan, self.disbursed, rules_mod.rate_str(self.rate) or "",
                format_date(as_of), self.rule]


@dataclass
class Lists:
    year: int
    as_of: dt.date
    not_eligible: list[Entry]
    criticism: list[Entry]

    def as_dict(self) -> dict:
        """The `investment emulation --json` contract."""
        def d(e: Entry) -> dict:
            return {"kind": e.kind, "name": e.name, "agency": e.agency or None, "plan": str(e.plan),
                    "disbursed": str(e.disbursed), "rate": rules_mod.rate_str(e.rate), "rule": e.rule}
        return {"as_of": self.as_of.isoformat(), "year": self.year,
                "not_eligible": [d(e) for e in self.not_eligible], "criticism": [d(e) for e in self.criticism]}


def judge(investors: Iterable[InvestorFigures], *, year: int, as_of: dt.date, cut: Decimal | None = None) -> Lists:
    """Both lists from the investors' figures; agencies are judged on the sum of their investors'."""
    cut = DEFAULT_CUT if cut is None else cut
    criticism_rule = RULE_CRITICISM.format(cut=int(cut) if cut == int(cut) else cut)
    not_eligible, criticism, agencies = [], [], {}
    for inv in investors:
        if inv.plan <= 0:
            continue
        if inv.agency:
            a = agencies.setdefault(inv.agency, [inv.agency_name, 0, 0])
            a[1] += inv.plan
            a[2] += inv.disbursed
        rate = rules_mod.rate(inv.disbursed, inv.plan)
        if rate is not None and rate < FULL:
            not_eligible.append(Entry("investor", inv.name, inv.agency, inv.plan, inv.disbursed, rate, RULE_ELIGIBLE))
        if inv.disbursed <= 0 or (rate is not None and rate < cut):
            criticism.append(Entry("investor", inv.name, inv.agency, inv.plan, inv.disbursed, rate, criticism_rule))
    for code, (name, plan, disbursed) in sorted(agencies.items()):
        rate = rules_mod.rate(disbursed, plan)
        if rate is not None and rate < FULL:
            not_eligible.append(Entry("agency", name, code, plan, disbursed, rate, RULE_ELIGIBLE))

    def key(e: Entry) -> tuple:
        return (e.kind != "investor", e.rate or 0, sort_key(e.name))

    return Lists(year, as_of, sorted(not_eligible, key=key), sorted(criticism, key=key))

