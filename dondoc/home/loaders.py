"""The reference and demo loaders of every feature, in order (a loader may rely on the ones before it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from dondoc.accounts import demo as accounts_demo
from dondoc.accounts import reference as accounts_reference
from dondoc.deadlines import demo as deadlines_demo
from dondoc.deadlines import reference as deadlines_reference
from dondoc.investment import demo as investment_demo
from dondoc.investment import reference as investment_reference
from dondoc.petitions import demo as petitions_demo
from dondoc.petitions import reference as petitions_reference
from dondoc.programs import demo as programs_demo
from dondoc.reporting import demo as reporting_demo
from dondoc.reporting import reference as reporting_reference

REFERENCE_LOADERS = [
    accounts_reference.load,
    deadlines_reference.load,
    reporting_reference.load,
    investment_reference.load,
    petitions_reference.load,
]
DEMO_LOADERS = [
    accounts_demo.load,
    programs_demo.load,
    deadlines_demo.load,
    reporting_demo.load,
    investment_demo.load,
    petitions_demo.load,
]


def run(loaders: list[Callable], *, as_of: dt.date, actor=None, write: Callable[[str], None] = print) -> None:
    for loader in loaders:
        for line in loader(actor=actor, as_of=as_of):
            write(line)
