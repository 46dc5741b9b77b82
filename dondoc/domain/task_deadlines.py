"""A task's effective deadline from the dates its text states. Pure Python; the calendar comes in.

"đến hết tháng 8/2020" (rule "by") allows the date itself; "trước ngày 30/9/2020" (rule "before") is read by
the program's setting (default: the day before). Either way, a last day that is a day off rolls forward to the
next working day (Civil Code 2015 Art. 148). The task's deadline is the latest of its dates; each is kept with
the rule that produced it so the screen can say why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from .formats import format_date
from .text import fold

DAY_BEFORE = "day_before"
SAME_DAY = "same_day"


class Calendar(Protocol):
    def next_working_day(self, d: dt.date) -> dt.date: ...


@dataclass(frozen=True)
class Effective:
    date: dt.date
    literal: str
    rule: str

    @property
    def explanation(self) -> str:
        return f"hạn: {format_date(self.date)} — {self.literal}"


def entries(due: list[dict], targets: list[dict]) -> list[tuple[dt.date, str, str]]:
    """(date, rule, literal) for every dated deadline and target of a task."""
    out = [(dt.date.fromisoformat(d["date"]), d.get("rule", "by"), d.get("literal", "")) for d in due if d.get("date")]
    for t in targets:
        if t.get("by"):
            literal = t.get("literal", "")
            rule = "before" if "trước" in fold(literal) else "by"
            out.append((dt.date.fromisoformat(t["by"]), rule, literal))
    return out


def effective(day: dt.date, rule: str, literal: str, calendar: Calendar, reading: str = DAY_BEFORE) -> Effective:
    last = day - dt.timedelta(days=1) if rule == "before" and reading == DAY_BEFORE else day
    return Effective(calendar.next_working_day(last), literal, rule)


def task_deadline(due: list[dict], targets: list[dict], calendar: Calendar, reading: str = DAY_BEFORE) -> Effective | None:
    found = [effective(d, rule, literal, calendar, reading) for d, rule, literal in entries(due, targets)]
    return max(found, key=lambda e: e.date) if found else None
