"""Emulation and criticism lists (issue 7, seed 2.1.a and 2.1.f): as of a date (the year end by default),
investors and their agencies below 100% of the year's plan are not eligible for "hoàn thành tốt nhiệm vụ";
investors that did not disburse their capital — under the cut threshold (60%) or nothing at all — are criticised.
Each entry carries its evidence: plan, disbursed, rate, the date and the rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dondoc.domain import disbursement as rules_mod
from dondoc.domain.formats import format_date
from dondoc.domain.text import sort_key

from . import queries

FULL = Decimal(100)
RULE_ELIGIBLE = ("Không xem xét đánh giá “hoàn thành tốt nhiệm vụ” đối với chủ đầu tư, cơ quan, đơn vị giải ngân "
                 "dưới 100% kế hoạch vốn được giao (Chương trình hành động, mục 2.1.a, 2.1.f)")
RULE_CRITICISM = ("Phê bình chủ đầu tư không giải ngân được vốn được giao (giải ngân dưới {cut}% kế hoạch vốn, "
                  "Chương trình hành động mục 2.1.a)")


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


def build(*, as_of: dt.date, year: int | None = None, user=None, everything: bool = False) -> Lists:
    year = year or as_of.year
    ev = queries.evaluate(year=year, as_of=as_of, user=user, everything=everything)
    cut = ev.rules.cut.percent if ev.rules.cut else Decimal(60)
    not_eligible, criticism, agencies = [], [], {}
    for r in ev.investors:
        code = r.investor.agency.code if r.investor.agency else ""
        fig = r.current
        if fig.plan <= 0:
            continue
        if code:
            a = agencies.setdefault(code, [r.investor.agency.name, queries.Figures()])
            a[1].add(fig.plan, fig.disbursed)
        if fig.rate is not None and fig.rate < FULL:
            not_eligible.append(Entry("investor", r.investor.name, code, fig.plan, fig.disbursed, fig.rate,
                                      RULE_ELIGIBLE))
        if fig.disbursed <= 0 or (fig.rate is not None and fig.rate < cut):
            criticism.append(Entry("investor", r.investor.name, code, fig.plan, fig.disbursed, fig.rate,
                                   RULE_CRITICISM.format(cut=int(cut) if cut == int(cut) else cut)))
    for code, (name, fig) in sorted(agencies.items()):
        if fig.rate is not None and fig.rate < FULL:
            not_eligible.append(Entry("agency", name, code, fig.plan, fig.disbursed, fig.rate, RULE_ELIGIBLE))
    def key(e: Entry) -> tuple:
        return (e.kind != "investor", e.rate or 0, sort_key(e.name))

    return Lists(year, as_of, sorted(not_eligible, key=key), sorted(criticism, key=key))


HEADERS = ["Chủ đầu tư / cơ quan", "Mã cơ quan", "Kế hoạch vốn (đồng)", "Đã giải ngân (đồng)", "Tỷ lệ (%)",
           "Tính đến ngày", "Căn cứ"]


def xlsx(lists: Lists) -> bytes:
    from dondoc.documents.spreadsheet import Sheet, build_xlsx

    day = format_date(lists.as_of)
    fmt = {2: "#,##0", 3: "#,##0"}
    return build_xlsx([
        Sheet("Không đủ ĐK HTTNV", HEADERS, [e.row(lists.as_of) for e in lists.not_eligible],
              heading=f"Danh sách chủ đầu tư, cơ quan giải ngân dưới 100% kế hoạch vốn năm {lists.year} "
                      f"(không đủ điều kiện “hoàn thành tốt nhiệm vụ”) — đến ngày {day}",
              number_formats=fmt, widths={0: 44, 6: 60}),
        Sheet("Phê bình", HEADERS, [e.row(lists.as_of) for e in lists.criticism],
              heading=f"Danh sách chủ đầu tư bị phê bình do không giải ngân được vốn năm {lists.year} — đến ngày {day}",
              number_formats=fmt, widths={0: 44, 6: 60}),
    ])


def as_dict(lists: Lists) -> dict:
    def d(e: Entry) -> dict:
        return {"kind": e.kind, "name": e.name, "agency": e.agency or None, "plan": str(e.plan),
                "disbursed": str(e.disbursed), "rate": rules_mod.rate_str(e.rate), "rule": e.rule}
    return {"as_of": lists.as_of.isoformat(), "year": lists.year, "not_eligible": [d(e) for e in lists.not_eligible],
            "criticism": [d(e) for e in lists.criticism]}
