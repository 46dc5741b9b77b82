"""The reference and demo loaders, in order. Each later feature appends its own loader here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.module_loading import import_string

REFERENCE_LOADERS = [
    "dondoc.accounts.reference.load",
]
DEMO_LOADERS = [
    "dondoc.accounts.demo.load",
]


def run(paths: list[str], *, as_of: dt.date, actor=None, write: Callable[[str], None] = print) -> None:
    for path in paths:
        for line in import_string(path)(actor=actor, as_of=as_of):
            write(line)
