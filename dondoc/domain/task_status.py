"""Task status buckets as the Government Office counts them, as of a date. Pure Python.

An assignment is: done on time, done late, open within its deadline, overdue, or "regular" (no deadline,
e.g. "thường xuyên"). A task rolls up from its lead assignments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OPEN = "open"
OVERDUE = "overdue"
REGULAR = "regular"
BUCKETS = [OVERDUE, OPEN, REGULAR, DONE_LATE, DONE_ON_TIME]  # display order: what needs attention first


def bucket(deadline: dt.date | None, completed_on: dt.date | None, as_of: dt.date) -> str:
    """The bucket of one assignment on ``as_of``. Completion after ``as_of`` has not happened yet."""
    done = completed_on is not None and completed_on <= as_of
    if done:
        return DONE_LATE if deadline is not None and completed_on > deadline else DONE_ON_TIME
    if deadline is None:
        return REGULAR
    return OVERDUE if as_of > deadline else OPEN


def rollup(buckets: Iterable[str], *, deadline: dt.date | None, as_of: dt.date) -> str:
    """A task's bucket from its lead assignments' buckets (or from its own deadline when it has none)."""
    found = list(buckets)
    if not found:
        return bucket(deadline, None, as_of)
    if all(b in (DONE_ON_TIME, DONE_LATE) for b in found):
        return DONE_LATE if DONE_LATE in found else DONE_ON_TIME
    for b in (OVERDUE, OPEN, REGULAR):
        if b in found:
            return b
    raise ValueError(f"unknown buckets: {found}")
