"""Reference data of the investment feature: the disbursement rules of the loaded programs' years.

Rules come from the programs' parsed targets (2.1.b "trên 80% … trước ngày 30/9/2020", 2.3 "dưới 60%"); a year
whose rules are already stored keeps them (edits are never overwritten). Nothing to do before a program exists.
"""

from __future__ import annotations

import datetime as dt

from . import actions


def load(*, actor=None, as_of: dt.date | None = None, **_) -> list[str]:
    from dondoc.programs.models import ActionProgram

    lines = []
    years = sorted({p.issued_on.year for p in ActionProgram.objects.exclude(issued_on=None)})
    for year in years:
        ruleset = actions.load_rules(actor=actor, year=year)
        if ruleset is not None:
            lines.append(f"investment rules {year}: {ruleset.rules.count()}")
    return lines
