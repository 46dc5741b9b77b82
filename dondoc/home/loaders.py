"""The reference and demo loaders, in order. Each later feature appends its own loader here."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable

from django.utils.module_loading import import_string

REFERENCE_LOADERS = [
    "dondoc.accounts.reference.load",
    "dondoc.deadlines.reference.load",
    "dondoc.reporting.reference.load",
    "dondoc.investment.reference.load",
    "dondoc.petitions.reference.load",
]
DEMO_LOADERS = [
    "dondoc.accounts.demo.load",
    "dondoc.programs.demo.load",
    "dondoc.deadlines.demo.load",
    "dondoc.reporting.demo.load",
    "dondoc.investment.demo.load",
    "dondoc.petitions.demo.load",
]


def optional(path: str):
    """The object at ``path``, or None while its module does not exist yet (a feature not landed).

    An existing module that fails to import is an error, never skipped.
    """
    module = path.rsplit(".", 1)[0]
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except ModuleNotFoundError:
        return None
    return import_string(path)


def run(paths: list[str], *, as_of: dt.date, actor=None, write: Callable[[str], None] = print) -> None:
    for path in paths:
        loader = optional(path)
        if loader is None:
            continue
        for line in loader(actor=actor, as_of=as_of):
            write(line)
